//! Rows read outside a full gather: the first matches in the stable order ([`scan`]), the
//! rows of given records ([`rows_at`]) or of given texts ([`rows_of_texts`], with the
//! records that may hold them: [`holders`]), and the other
//! sessions where a paragraph matches ([`also_in`]).

use crate::error::Result;
use crate::index::columns::Columns;
use crate::index::folder::links::Table;
use crate::index::{self};

use crate::text::tokenize::query_bigrams;
use tantivy::columnar::ColumnValues;
use tantivy::query::{EnableScoring, Query as TQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, DocSet, Score, Searcher, SegmentOrdinal, Term, TERMINATED};

use super::group::Row;
use super::AlsoIn;

/// The first `bound` matches of `tq` in the stable order, scored, and whether they are all.
/// Each segment holds its records in that order, so the segments' matches are merged on
/// their order keys, each segment read one match ahead of what was taken: about `bound`
/// matches are read and scored however many segments there are, and the rows are the same
/// whatever the segments, as a lower bound drawn from them must be (an index built another
/// way holds the same records in other segments).
pub(crate) fn scan(
    searcher: &Searcher,
    columns: &Columns,
    tq: &dyn TQuery,
    bound: usize,
) -> Result<(Vec<Row>, bool)> {
    let weight = tq.weight(EnableScoring::enabled_from_searcher(searcher))?;
    let mut segments = Vec::new();
    // Each segment's next match, the first in the stable order on top.
    let mut next = std::collections::BinaryHeap::new();
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let mut segment = Segment {
            order: columns.dense(reader, index::order::ORDER, index::order::NO_ORDER)?,
            hash: columns.dense(reader, index::schema::TEXT_HASH, 0)?,
            alive: reader.alive_bitset().cloned(),
            scorer: weight.scorer(reader, 1.0)?,
        };
        if let Some((key, doc)) = segment.alive_from(segment.scorer.doc()) {
            next.push(std::cmp::Reverse((key, ord, doc)));
        }
        segments.push(segment);
    }
    let mut rows = Vec::with_capacity(bound.min(4096));
    // Ties on the key (records without one) go by segment, then document.
    while let Some(std::cmp::Reverse((key, ord, doc))) = next.pop() {
        if rows.len() == bound {
            return Ok((in_document_order(rows), false));
        }
        let segment = &mut segments[ord];
        rows.push(Row {
            score: segment.scorer.score(),
            order: key,
            hash: segment.hash.get_val(doc),
            date: 0,
            addr: DocAddress::new(ord as SegmentOrdinal, doc),
        });
        let doc = segment.scorer.advance();
        if let Some((key, doc)) = segment.alive_from(doc) {
            next.push(std::cmp::Reverse((key, ord, doc)));
        }
    }
    Ok((in_document_order(rows), true))
}

/// One segment's matches, read in the stable order by [`scan`].
struct Segment {
    order: index::columns::Dense,
    hash: index::columns::Dense,
    alive: Option<tantivy::fastfield::AliveBitSet>,
    scorer: Box<dyn tantivy::query::Scorer>,
}

impl Segment {
    /// The first match alive from `doc` on (the scorer left on it), with its order key.
    fn alive_from(&mut self, mut doc: DocId) -> Option<(u64, DocId)> {
        while doc != TERMINATED {
            if self.alive.as_ref().is_none_or(|a| a.is_alive(doc)) {
                return Some((self.order.get_val(doc), doc));
            }
            doc = self.scorer.advance();
        }
        None
    }
}

/// Rows in document order, as the other readers give them.
fn in_document_order(mut rows: Vec<Row>) -> Vec<Row> {
    rows.sort_by_key(|r| (r.addr.segment_ord, r.addr.doc_id));
    rows
}

/// The rows of the records at `addrs` (in document order), unscored.
pub(crate) fn rows_at(
    searcher: &Searcher,
    columns: &Columns,
    addrs: &[DocAddress],
) -> Result<Vec<Row>> {
    let mut rows = Vec::with_capacity(addrs.len());
    for segment in addrs.chunk_by(|a, b| a.segment_ord == b.segment_ord) {
        let reader = searcher.segment_reader(segment[0].segment_ord);
        let order = columns.dense(reader, index::order::ORDER, index::order::NO_ORDER)?;
        let hash = columns.dense(reader, index::schema::TEXT_HASH, 0)?;
        rows.extend(segment.iter().map(|&addr| Row {
            score: 0.0,
            order: order.get_val(addr.doc_id),
            hash: hash.get_val(addr.doc_id),
            date: 0,
            addr,
        }));
    }
    Ok(rows)
}

/// Every match of `tq` whose text hash is one of `texts` (sorted), in document order,
/// unscored (as every match of a query without words, or in date order, is), with dates.
/// With `within` (a segment's candidate documents, sorted, for each segment; see
/// [`holders`]) only those are read; without it the hash column is read whole, a mask of
/// low bits rejecting most values before a binary search. The few records left are
/// checked with the query's scorer, unless `texts_match`: the texts are matches' and the
/// query is [`decided_by_text`](crate::search::query::Query::decided_by_text), so every
/// record holding one matches (a scorer of a one-character query, a union of thousands of
/// bigrams, costs more to move than the records it checks).
pub(crate) fn rows_of_texts(
    searcher: &Searcher,
    columns: &Columns,
    tq: &dyn TQuery,
    texts: &[u64],
    within: Option<&[Vec<DocId>]>,
    texts_match: bool,
) -> Result<Vec<Row>> {
    let wanted = Wanted::new(texts);
    let weight = if texts_match {
        None
    } else {
        Some(tq.weight(EnableScoring::disabled_from_searcher(searcher))?)
    };
    let mut rows = Vec::new();
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let order = columns.dense(reader, index::order::ORDER, index::order::NO_ORDER)?;
        let hash = columns.dense(reader, index::schema::TEXT_HASH, 0)?;
        let date = columns.dense(reader, index::schema::DATE, 0)?;
        let alive = reader.alive_bitset();
        let docs = match within {
            Some(candidates) => candidates[ord]
                .iter()
                .copied()
                .filter(|&doc| wanted.holds(hash.get_val(doc)))
                .collect(),
            None => wanted.scan(&*hash, reader.max_doc()),
        };
        if docs.is_empty() {
            continue;
        }
        let row = |doc: DocId| Row {
            score: 0.0,
            order: order.get_val(doc),
            hash: hash.get_val(doc),
            date: date.get_val(doc),
            addr: DocAddress::new(ord as SegmentOrdinal, doc),
        };
        let alive = |doc: DocId| alive.is_none_or(|a| a.is_alive(doc));
        let Some(weight) = &weight else {
            rows.extend(docs.into_iter().filter(|&doc| alive(doc)).map(row));
            continue;
        };
        let mut scorer = weight.scorer(reader, 1.0)?;
        for doc in docs {
            if scorer.doc() < doc {
                scorer.seek(doc);
            }
            if scorer.doc() == TERMINATED {
                break;
            }
            if scorer.doc() == doc && alive(doc) {
                rows.push(row(doc));
            }
        }
    }
    Ok(rows)
}

/// The text hashes looked for: a mask of low bits rejects most others before a binary search.
struct Wanted<'a> {
    texts: &'a [u64],
    mask: Vec<u64>,
}

impl<'a> Wanted<'a> {
    const MASK_BITS: u64 = 4096;

    fn new(texts: &'a [u64]) -> Self {
        let mut mask = vec![0u64; (Self::MASK_BITS / 64) as usize];
        for &h in texts {
            let (word, b) = Self::bit(h);
            mask[word] |= b;
        }
        Wanted { texts, mask }
    }

    fn bit(h: u64) -> (usize, u64) {
        ((h % Self::MASK_BITS / 64) as usize, 1u64 << (h % 64))
    }

    fn holds(&self, h: u64) -> bool {
        let (word, b) = Self::bit(h);
        self.mask[word] & b != 0 && self.texts.binary_search(&h).is_ok()
    }

    /// The documents below `max_doc` whose hash in `column` is wanted, the column read a
    /// block at a time.
    fn scan(&self, column: &dyn ColumnValues<u64>, max_doc: DocId) -> Vec<DocId> {
        let mut docs = Vec::new();
        let mut values = vec![0u64; 4096];
        let mut start: DocId = 0;
        while start < max_doc {
            let len = (max_doc - start).min(values.len() as DocId);
            let values = &mut values[..len as usize];
            column.get_range(u64::from(start), values);
            docs.extend(
                (start..)
                    .zip(values.iter())
                    .filter(|&(_, &h)| self.holds(h))
                    .map(|(doc, _)| doc),
            );
            start += len;
        }
        docs
    }
}

/// For each segment, the documents (sorted) holding the rarest bigram of one of `folded`
/// (records' folded texts) in the exact layer `field`: every record of the same folded
/// text is among them. Rarity is read in the largest segment. `None` when a text is too
/// short to have a bigram.
pub(crate) fn holders(
    searcher: &Searcher,
    field: Field,
    folded: &[String],
) -> Result<Option<Vec<Vec<DocId>>>> {
    let readers = searcher.segment_readers();
    let Some(largest) = readers.iter().max_by_key(|r| r.max_doc()) else {
        return Ok(Some(Vec::new()));
    };
    let largest = largest.inverted_index(field)?;
    let mut terms = Vec::with_capacity(folded.len());
    for text in folded {
        let chars: Vec<char> = text.chars().collect();
        if chars.len() < 2 {
            return Ok(None);
        }
        let mut rarest: Option<(u32, Term)> = None;
        for (_, gram) in query_bigrams(&chars) {
            let term = Term::from_field_text(field, &gram);
            let df = largest
                .doc_freq(&term)
                .map_err(tantivy::TantivyError::from)?;
            if rarest.as_ref().is_none_or(|(least, _)| df < *least) {
                rarest = Some((df, term));
            }
        }
        terms.extend(rarest.map(|(_, term)| term));
    }
    terms.sort();
    terms.dedup();
    let mut out = Vec::with_capacity(readers.len());
    for reader in readers {
        let inverted = reader.inverted_index(field)?;
        let mut docs = Vec::new();
        for term in &terms {
            let postings = inverted
                .read_postings(term, IndexRecordOption::Basic)
                .map_err(tantivy::TantivyError::from)?;
            if let Some(mut postings) = postings {
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    docs.push(doc);
                    doc = postings.advance();
                }
            }
        }
        docs.sort_unstable();
        docs.dedup();
        out.push(docs);
    }
    Ok(Some(out))
}

/// Rows of checked candidates (in document order), with their text hashes.
pub(crate) fn with_hashes(
    searcher: &Searcher,
    columns: &Columns,
    verified: Vec<(Score, u64, DocAddress)>,
) -> Vec<Row> {
    let mut rows = Vec::with_capacity(verified.len());
    for segment in verified.chunk_by(|a, b| a.2.segment_ord == b.2.segment_ord) {
        let reader = searcher.segment_reader(segment[0].2.segment_ord);
        let hash = columns.dense(reader, index::schema::TEXT_HASH, 0).ok();
        for &(score, order, addr) in segment {
            rows.push(Row {
                score,
                order,
                hash: hash.as_ref().map_or(0, |h| h.get_val(addr.doc_id)),
                date: 0,
                addr,
            });
        }
    }
    rows
}

/// The resolutions of a group other than its newest record's, newest first.
pub(crate) fn also_in(resolutions: &[u64], newest: u64, table: &Table) -> Vec<AlsoIn> {
    let mut others: Vec<u64> = resolutions
        .iter()
        .copied()
        .filter(|&r| r != newest)
        .collect();
    // The key orders newer sessions first.
    others.sort_unstable();
    others.dedup();
    others
        .into_iter()
        .filter_map(|r| table.by_key(r))
        .map(|i| AlsoIn {
            symbol: table.symbol(i).to_string(),
            part: table.part(i).map(str::to_string),
            session: table.session(i),
        })
        .collect()
}
