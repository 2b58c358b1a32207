//! Matches taken in the index's stable order without reading it for every match. Each
//! segment keeps its records sorted on the order field (since index format 7), so a segment's
//! first matches are its first in the stable order, and the records of one session are one
//! run of document numbers: counting matches by session costs a comparison a match and a
//! few reads a session, whatever the number of matches.

use crate::index::order::{bisect, NO_ORDER, ORDER};
use std::collections::BTreeMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::{EnableScoring, Query as TQuery};
use tantivy::{
    DocAddress, DocId, DocSet, Score, Searcher, SegmentOrdinal, SegmentReader, TERMINATED,
};

/// Counts matching records by session. A segment's sessions are runs of document numbers
/// (newest first); the end of the run a match falls in is found by bisecting the session
/// column once a run, and the matches inside it are counted without reading it.
pub(crate) struct BySession;

pub(crate) struct BySessionSegment {
    session: Column<u64>,
    max_doc: DocId,
    /// The run being counted: its session, the first document past it, its count so far.
    run: Option<(u64, DocId, usize)>,
    counts: BTreeMap<u64, usize>,
}

impl Collector for BySession {
    type Fruit = BTreeMap<u64, usize>;
    type Child = BySessionSegment;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<BySessionSegment> {
        Ok(BySessionSegment {
            session: reader.fast_fields().u64("session")?,
            max_doc: reader.max_doc(),
            run: None,
            counts: BTreeMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let mut all = BTreeMap::new();
        for (session, n) in fruits.into_iter().flatten() {
            *all.entry(session).or_insert(0) += n;
        }
        Ok(all)
    }
}

impl BySessionSegment {
    fn session_of(&self, doc: DocId) -> u64 {
        self.session.first(doc).unwrap_or(0)
    }

    /// Closes the run being counted and opens the one `doc` falls in.
    fn open_run(&mut self, doc: DocId) {
        self.close_run();
        let session = self.session_of(doc);
        // Sessions go down in document order: the run ends at the first document of an
        // older session.
        let end = bisect(doc as usize + 1, self.max_doc as usize, |d| {
            self.session_of(d as DocId) == session
        });
        self.run = Some((session, end as DocId, 0));
    }

    fn close_run(&mut self) {
        if let Some((session, _, n)) = self.run.take() {
            *self.counts.entry(session).or_insert(0) += n;
        }
    }
}

impl SegmentCollector for BySessionSegment {
    type Fruit = BTreeMap<u64, usize>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.collect_block(&[doc]);
    }

    /// A block of matches (ascending): each run's share is counted at once.
    fn collect_block(&mut self, docs: &[DocId]) {
        let mut rest = docs;
        while let Some(&doc) = rest.first() {
            if !matches!(self.run, Some((_, end, _)) if doc < end) {
                self.open_run(doc);
            }
            if let Some((_, end, n)) = &mut self.run {
                let within = rest.partition_point(|&d| d < *end);
                *n += within;
                rest = &rest[within..];
            }
        }
    }

    fn harvest(mut self) -> Self::Fruit {
        self.close_run();
        self.counts
    }
}

/// The first matches in the stable order, with the number of matches or a lower bound.
pub(crate) struct FirstBounded {
    /// The first `k` matches (fewer when fewer match), in the stable order.
    pub(crate) first: Vec<(u64, DocAddress)>,
    /// How many records match, or `bound` when at least that many do.
    pub(crate) total: usize,
    /// Whether `total` counts every match (fewer than `bound` match).
    pub(crate) exact: bool,
}

/// The first `k` matches of `tq` in the stable order, each segment read only until it has
/// given its first `k` and `bound` matches are counted in all (`usize::MAX`: every match is
/// counted). The total is exact below `bound` and `bound` from there, whatever the
/// segments: answers do not depend on how the index was built.
pub(crate) fn first_bounded(
    searcher: &Searcher,
    tq: &dyn TQuery,
    k: usize,
    bound: usize,
) -> tantivy::Result<FirstBounded> {
    let weight = tq.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut first = Vec::new();
    let mut counted = 0usize;
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        if k == 0 && counted >= bound {
            // A count alone: the other segments hold no first match to keep.
            break;
        }
        let order = reader.fast_fields().u64(ORDER)?;
        let alive = reader.alive_bitset();
        let mut scorer = weight.scorer(reader, 1.0)?;
        let mut kept = 0usize;
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                counted += 1;
                if kept < k {
                    kept += 1;
                    let key = order.first(doc).unwrap_or(NO_ORDER);
                    first.push((key, DocAddress::new(ord as SegmentOrdinal, doc)));
                } else if counted >= bound {
                    break;
                }
            }
            doc = scorer.advance();
        }
    }
    first.sort_unstable();
    first.truncate(k);
    Ok(FirstBounded {
        first,
        total: counted.min(bound),
        exact: counted < bound,
    })
}
