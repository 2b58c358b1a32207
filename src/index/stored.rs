//! How a record is kept in tantivy's store: its own fields in every document, and its
//! resolution's facts (file, symbol, part, session, year, title, date, meeting) once, in
//! the resolution's first record. A record read back is made whole again from that first
//! record, found by its order key in the segments' stable order.

use crate::error::{Error, Result};
use crate::index::order::{bisect, first_of, OrderColumn};
use crate::model::{Kind, ParaRef, Record};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;
use tantivy::schema::{Field, Value};
use tantivy::{DocAddress, DocId, Searcher, TantivyDocument};

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

/// One stored record.
#[derive(Debug, Serialize, Deserialize)]
struct Stored<'a> {
    /// Its resolution's facts: in the resolution's first record only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    head: Option<Head<'a>>,
    /// Which resolution of which file it is ([`resolution_id`]): what tells its first record
    /// from another resolution's with the same order key.
    res: u64,
    kind: Kind,
    para: u32,
    text: Cow<'a, str>,
    // Most records cite nothing: an empty list is not written.
    #[serde(default, skip_serializing_if = "is_empty")]
    footnotes: Cow<'a, [u32]>,
    #[serde(default, skip_serializing_if = "is_empty")]
    cites: Cow<'a, [String]>,
    #[serde(default, skip_serializing_if = "is_empty")]
    cited_by: Cow<'a, [ParaRef]>,
    line: usize,
}

fn is_empty<T>(list: &[T]) -> bool {
    list.is_empty()
}

/// The identity of the resolution at `part_term` (see [`crate::index::schema::part_term`]):
/// its hash, which tells apart resolutions whose records share order keys (a symbol whose
/// number cannot be read, say) and names a resolution among those one answer reads.
pub(crate) fn resolution_id(part_term: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(part_term.as_bytes())
}

/// The stored form of `rec`, of the resolution `res`; `first` when it is the resolution's
/// first record (the one that keeps the resolution's facts).
pub(crate) fn encode(rec: &Record, res: u64, first: bool) -> String {
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
    let stored = Stored {
        head,
        res,
        kind: rec.kind,
        para: rec.para,
        text: Cow::Borrowed(&rec.text),
        footnotes: Cow::Borrowed(&rec.footnotes),
        cites: Cow::Borrowed(&rec.cites),
        cited_by: Cow::Borrowed(&rec.cited_by),
        line: rec.line,
    };
    serde_json::to_string(&stored).expect("a record serializes")
}

/// Reads records back from the store, each made whole with its resolution's facts. It
/// remembers the facts of the resolutions it has read (one reader serves one answer).
pub(crate) struct Reader<'s> {
    searcher: &'s Searcher,
    field: Field,
    dir: &'s Path,
    heads: HashMap<u64, Head<'static>>,
    /// Each segment's order column, opened when first needed.
    orders: Vec<Option<OrderColumn>>,
}

impl<'s> Reader<'s> {
    /// A reader of `searcher`'s records, kept in `field` of the index at `dir`.
    pub(crate) fn new(searcher: &'s Searcher, field: Field, dir: &'s Path) -> Reader<'s> {
        Reader {
            searcher,
            field,
            dir,
            heads: HashMap::new(),
            orders: Vec::new(),
        }
    }

    /// The record at `addr`.
    pub(crate) fn load(&mut self, addr: DocAddress) -> Result<Record> {
        let mut stored = self.stored(addr)?;
        let head = match stored.head.take() {
            Some(head) => head,
            None => match self.heads.get(&stored.res) {
                Some(head) => head.clone(),
                None => {
                    let head = self.head_of(addr, stored.res)?;
                    self.heads.insert(stored.res, head.clone());
                    head
                }
            },
        };
        Ok(whole(head, stored))
    }

    fn stored(&self, addr: DocAddress) -> Result<Stored<'static>> {
        let doc: TantivyDocument = self.searcher.doc(addr)?;
        let json = doc
            .get_first(self.field)
            .and_then(|v| v.as_str())
            .ok_or_else(|| self.damaged("a document has no stored record".into()))?;
        // serde reads every `Cow` as owned: the record outlives the document.
        serde_json::from_str::<Stored<'static>>(json)
            .map_err(|e| self.damaged(format!("a stored record is unreadable ({e})")))
    }

    /// The facts of resolution `res`, which the record at `addr` belongs to: kept by the
    /// live record of `res` whose order key is the first of `addr`'s resolution. Its own
    /// segment is searched first; a resolution's records can lie in two segments.
    fn head_of(&mut self, addr: DocAddress, res: u64) -> Result<Head<'static>> {
        let segments = self.searcher.segment_readers();
        let first = first_of(self.order(addr.segment_ord).get(addr.doc_id));
        let ords = std::iter::once(addr.segment_ord)
            .chain((0..segments.len() as u32).filter(|&s| s != addr.segment_ord));
        for ord in ords {
            let segment = &segments[ord as usize];
            let column = self.order(ord).clone();
            let mut doc = lower_bound(&column, segment.max_doc(), first);
            while doc < segment.max_doc() && column.get(doc) == first {
                if !segment.is_deleted(doc) {
                    let stored = self.stored(DocAddress::new(ord, doc))?;
                    if stored.res == res {
                        if let Some(head) = stored.head {
                            return Ok(head);
                        }
                    }
                }
                doc += 1;
            }
        }
        Err(self.damaged("a record's resolution has no first record".into()))
    }

    fn order(&mut self, segment: u32) -> &OrderColumn {
        let segments = self.searcher.segment_readers();
        self.orders.resize_with(segments.len(), || None);
        self.orders[segment as usize]
            .get_or_insert_with(|| OrderColumn::of(&segments[segment as usize]))
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

fn whole(head: Head<'_>, s: Stored<'_>) -> Record {
    Record {
        file: head.file.into_owned(),
        symbol: head.symbol.into_owned(),
        part: head.part.map(Cow::into_owned),
        session: head.session,
        year: head.year,
        title: head.title.into_owned(),
        date: head.date.map(Cow::into_owned),
        meeting: head.meeting,
        kind: s.kind,
        para: s.para,
        text: s.text.into_owned(),
        footnotes: s.footnotes.into_owned(),
        cites: s.cites.into_owned(),
        cited_by: s.cited_by.into_owned(),
        line: s.line,
    }
}
