//! How a record is kept in tantivy's store: its text, then, only where there is something
//! to keep, a separator and a small JSON tail (footnotes, citations, and in a resolution's
//! first record its facts: file, symbol, part, session, year, title, date, meeting). Kind,
//! number and line are read from fast fields. A record read back is made whole again from
//! its resolution's first record, found by its order key in the segments' stable order.

use crate::error::{Error, Result};
use crate::index::columns::Columns;
use crate::index::order::{bisect, first_of, OrderColumn};
use crate::index::packed::Unpacker;
use crate::model::{Kind, ParaRef, Record};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;
use tantivy::columnar::Column;
use tantivy::schema::{Field, Value};
use tantivy::{DocAddress, DocId, Searcher, SegmentReader, TantivyDocument};

/// A resolution's facts, as its first record keeps them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Head<'a> {
    file: Cow<'a, str>,
    symbol: Cow<'a, str>,
    part: Option<Cow<'a, str>>,
    session: u32,
    year: u32,
    title: Cow<'a, str>,
    date: Option<Cow<'a, str>>,
    meeting: Option<u32>,
}

/// What a stored record keeps after its text: written only when one of its parts is there
/// (most records cite nothing and are not their resolution's first).
#[derive(Debug, Default, Serialize, Deserialize)]
struct Tail<'a> {
    /// Its resolution's facts: in the resolution's first record only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    head: Option<Head<'a>>,
    /// Which resolution of which file it is ([`resolution_id`]), kept only by the records
    /// of a resolution whose order key another resolution may share
    /// ([`crate::index::order::key_is_unique`]): what tells their first records apart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    res: Option<u64>,
    #[serde(default, skip_serializing_if = "is_empty")]
    footnotes: Cow<'a, [u32]>,
    #[serde(default, skip_serializing_if = "is_empty")]
    cites: Cow<'a, [String]>,
    #[serde(default, skip_serializing_if = "is_empty")]
    cited_by: Cow<'a, [ParaRef]>,
}

impl Tail<'_> {
    fn is_bare(&self) -> bool {
        self.head.is_none()
            && self.res.is_none()
            && self.footnotes.is_empty()
            && self.cites.is_empty()
            && self.cited_by.is_empty()
    }
}

fn is_empty<T>(list: &[T]) -> bool {
    list.is_empty()
}

/// The name of the kind's fast field, which a record is read back with.
pub(crate) const KIND: &str = "kind";
/// The name of the paragraph or footnote number's fast field, which a record is read back
/// with.
pub(crate) const PARA: &str = "para";
/// The name of the line's fast field, which a record is read back with.
pub(crate) const LINE: &str = "line";

/// What separates a stored record's text from its tail. JSON writes it escaped inside a
/// string, so the tail never holds it: the last one in a stored record is the separator
/// when the record has a tail, and a text holding one always gets a tail.
const TAIL: char = '\u{1f}';

/// The identity of the resolution at `part_term` (see [`crate::index::schema::part_term`]):
/// its hash, which tells apart resolutions whose records share order keys.
pub(crate) fn resolution_id(part_term: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(part_term.as_bytes())
}

/// The stored form of `rec`, of the resolution `res`: `first` when it is the resolution's
/// first record (the one that keeps the resolution's facts), `unique` when no other
/// resolution can share its order key (its records then do not keep `res`).
pub(crate) fn encode(rec: &Record, res: u64, first: bool, unique: bool) -> String {
    let head = first.then(|| Head {
        file: Cow::Borrowed(&rec.file),
        symbol: Cow::Borrowed(&rec.symbol),
        part: rec.part.as_deref().map(Cow::Borrowed),
        session: rec.session,
        year: rec.year,
        title: Cow::Borrowed(&rec.title),
        date: rec.date.as_deref().map(Cow::Borrowed),
        meeting: rec.meeting,
    });
    let tail = Tail {
        head,
        res: (!unique).then_some(res),
        footnotes: Cow::Borrowed(&rec.footnotes),
        cites: Cow::Borrowed(&rec.cites),
        cited_by: Cow::Borrowed(&rec.cited_by),
    };
    let mut stored = rec.text.clone();
    if !tail.is_bare() || rec.text.contains(TAIL) {
        stored.push(TAIL);
        stored.push_str(&serde_json::to_string(&tail).expect("a record's tail serializes"));
    }
    stored
}

/// A stored record split into its text and its tail.
fn decode(stored: &str) -> std::result::Result<(&str, Tail<'static>), serde_json::Error> {
    match stored.rfind(TAIL) {
        None => Ok((stored, Tail::default())),
        // serde reads every `Cow` as owned: the tail outlives the document.
        Some(at) => Ok((&stored[..at], serde_json::from_str(&stored[at + 1..])?)),
    }
}

/// Reads records back from the store, each made whole with its resolution's facts and its
/// own fast fields. It remembers the facts of the resolutions it has read (one reader
/// serves one answer).
pub(crate) struct Reader<'s> {
    searcher: &'s Searcher,
    field: Field,
    dir: &'s Path,
    /// Resolutions' facts by their first order key and, where they keep one, their `res`.
    heads: HashMap<(u64, Option<u64>), Head<'static>>,
    /// The segments' order columns, each opened when first needed (the first records of
    /// resolutions are looked up in segments whose records are never loaded).
    orders: &'s Columns,
    /// Each segment's kind, number and line columns, opened when one of its records is
    /// first loaded.
    facts: Vec<Option<Facts>>,
    /// What decompresses the records ([`crate::index::packed`]).
    unpack: Unpacker<'s>,
}

/// The fast fields of one segment a record is read back with.
struct Facts {
    kind: Option<Column<u64>>,
    para: Option<Column<u64>>,
    line: Option<Column<u64>>,
}

impl Facts {
    fn of(segment: &SegmentReader) -> Facts {
        let column = |name: &str| segment.fast_fields().u64(name).ok();
        Facts {
            kind: column(KIND),
            para: column(PARA),
            line: column(LINE),
        }
    }

    /// The kind, number and line of record `doc`, when its columns hold them.
    fn of_doc(&self, doc: DocId) -> Option<(Kind, u32, usize)> {
        let value = |column: &Option<Column<u64>>| column.as_ref().and_then(|c| c.first(doc));
        let kind = Kind::from_code(value(&self.kind)?)?;
        let para = u32::try_from(value(&self.para)?).ok()?;
        let line = usize::try_from(value(&self.line)?).ok()?;
        Some((kind, para, line))
    }
}

impl<'s> Reader<'s> {
    /// A reader of `searcher`'s records, kept in `field` of the index at `dir`.
    /// Their bytes are unpacked by `unpack`; the segments' order columns come from
    /// `orders`.
    pub(crate) fn new(
        searcher: &'s Searcher,
        field: Field,
        dir: &'s Path,
        unpack: Unpacker<'s>,
        orders: &'s Columns,
    ) -> Reader<'s> {
        Reader {
            searcher,
            field,
            dir,
            heads: HashMap::new(),
            orders,
            facts: Vec::new(),
            unpack,
        }
    }

    /// The record at `addr`.
    pub(crate) fn load(&mut self, addr: DocAddress) -> Result<Record> {
        let (text, mut tail) = self.stored(addr)?;
        let head = match tail.head.take() {
            Some(head) => head,
            None => {
                let key = (
                    first_of(self.order(addr.segment_ord).get(addr.doc_id)),
                    tail.res,
                );
                match self.heads.get(&key) {
                    Some(head) => head.clone(),
                    None => {
                        let head = self.head_of(addr, tail.res)?;
                        self.heads.insert(key, head.clone());
                        head
                    }
                }
            }
        };
        let Some((kind, para, line)) = self.facts(addr).of_doc(addr.doc_id) else {
            return Err(self.damaged("a record has no kind, number or line".into()));
        };
        Ok(Record {
            file: head.file.into_owned(),
            symbol: head.symbol.into_owned(),
            part: head.part.map(Cow::into_owned),
            session: head.session,
            year: head.year,
            title: head.title.into_owned(),
            date: head.date.map(Cow::into_owned),
            meeting: head.meeting,
            kind,
            para,
            text,
            footnotes: tail.footnotes.into_owned(),
            cites: tail.cites.into_owned(),
            cited_by: tail.cited_by.into_owned(),
            line,
        })
    }

    /// The text and tail of the record at `addr`.
    fn stored(&mut self, addr: DocAddress) -> Result<(String, Tail<'static>)> {
        let doc: TantivyDocument = self.searcher.doc(addr)?;
        let packed = doc
            .get_first(self.field)
            .and_then(|v| v.as_bytes())
            .ok_or_else(|| self.damaged("a document has no stored record".into()))?;
        let mut stored = self
            .unpack
            .unpack(packed)
            .map_err(|e| self.damaged(format!("a stored record is unreadable: {e}")))?;
        let (text, tail) = decode(&stored)
            .map_err(|e| self.damaged(format!("a stored record is unreadable ({e})")))?;
        let end = text.len();
        stored.truncate(end);
        Ok((stored, tail))
    }

    /// The facts of the resolution the record at `addr` belongs to (`res`, when its records
    /// keep one): kept by the live first record of that resolution, the one whose order key
    /// is the first of `addr`'s resolution and whose `res` is the same. Its own segment is
    /// searched first; a resolution's records can lie in two segments.
    fn head_of(&mut self, addr: DocAddress, res: Option<u64>) -> Result<Head<'static>> {
        let segments = self.searcher.segment_readers();
        let first = first_of(self.order(addr.segment_ord).get(addr.doc_id));
        let ords = std::iter::once(addr.segment_ord)
            .chain((0..segments.len() as u32).filter(|&s| s != addr.segment_ord));
        for ord in ords {
            let segment = &segments[ord as usize];
            let column = self.order(ord);
            let mut doc = lower_bound(&column, segment.max_doc(), first);
            while doc < segment.max_doc() && column.get(doc) == first {
                if !segment.is_deleted(doc) {
                    let (_, tail) = self.stored(DocAddress::new(ord, doc))?;
                    if let (Some(head), true) = (tail.head, tail.res == res) {
                        return Ok(head);
                    }
                }
                doc += 1;
            }
        }
        Err(self.damaged("a record's resolution has no first record".into()))
    }

    fn order(&self, segment: u32) -> OrderColumn {
        self.orders.order(self.searcher.segment_reader(segment))
    }

    fn facts(&mut self, addr: DocAddress) -> &Facts {
        let segments = self.searcher.segment_readers();
        self.facts.resize_with(segments.len(), || None);
        self.facts[addr.segment_ord as usize]
            .get_or_insert_with(|| Facts::of(&segments[addr.segment_ord as usize]))
    }

    fn damaged(&self, detail: String) -> Error {
        Error::Damaged {
            path: self.dir.to_path_buf(),
            detail,
        }
    }
}

/// The first document of a segment sorted on the order key whose key is `key` or more.
fn lower_bound(column: &OrderColumn, max_doc: DocId, key: u64) -> DocId {
    bisect(0, max_doc as usize, |d| column.get(d as DocId) < key) as DocId
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A text holding the separator, or ending in what looks like a tail, reads back as it
    /// was, with or without a tail of its own.
    #[test]
    fn a_text_holding_the_separator_reads_back_whole() {
        let seed = crate::parse_file(Path::new("corpus/A-RES-78-46.zh.txt")).unwrap();
        let records = seed[0].records();
        let bare = records
            .iter()
            .position(|r| r.cites.is_empty() && r.footnotes.is_empty());
        let bare = bare
            .filter(|&i| i > 0)
            .expect("the seed has a record citing nothing");
        for (i, first, unique) in [
            (bare, false, true),
            (bare, true, true),
            (bare, false, false),
        ] {
            for text in [
                "一\u{1f}二",
                "一\u{1f}{}",
                "\u{1f}",
                "一二\u{1f}{\"res\":1}",
            ] {
                let mut rec = records[i].clone();
                rec.text = text.to_string();
                let stored = encode(&rec, 7, first, unique);
                let (back, tail) = decode(&stored).unwrap();
                assert_eq!(back, text);
                assert_eq!(tail.head.is_some(), first);
                assert_eq!(tail.res, (!unique).then_some(7));
            }
        }
        // Most records keep their text alone.
        let stored = encode(&records[bare], 7, false, true);
        assert_eq!(stored, records[bare].text);
    }
}
