//! Ranking statistics that depend on the records alone, whatever the index's history.
//!
//! BM25 weighs a word by how many records hold it and by the records' mean length in words.
//! tantivy reads both from its segments, where they depend on how the index came to be: a
//! record deleted by an update is counted until its segment is merged, and a merge of a
//! segment holding deleted records estimates its words from the records' rounded lengths.
//! An index updated in place would then rank otherwise than one built fresh from the same
//! files. So scoring queries are wrapped in [`Exact`], whose statistics count only the
//! records alive ([`Statistics`]) and take the word layer's total length from the payload of
//! the index's commit, which the build counts exactly ([`crate::index::folder::Payload`]).

use crate::index::folder::Payload;
use crate::index::schema::WORDS_FIELD;
use std::cell::RefCell;
use tantivy::query::{Bm25StatisticsProvider, EnableScoring, Query, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocSet, Searcher, Term, TERMINATED};

/// A query scored with [`Statistics`]: wrap a whole query (what it holds is scored alike).
#[derive(Debug)]
pub(crate) struct Exact {
    query: Box<dyn Query>,
    /// The records of the index's commit and their length in the word layer.
    counted: (u64, u64),
}

impl Exact {
    /// `query`, scored with the statistics of the records alive and the word layer's
    /// length counted by `commit` (the commit of the index searched).
    pub(crate) fn new(query: Box<dyn Query>, commit: &Payload) -> Exact {
        Exact {
            query,
            counted: (commit.records, commit.words),
        }
    }
}

impl Clone for Exact {
    fn clone(&self) -> Self {
        Exact {
            query: self.query.box_clone(),
            counted: self.counted,
        }
    }
}

impl Query for Exact {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        match enable_scoring.searcher() {
            Some(searcher) if enable_scoring.is_scoring_enabled() => {
                let stats = Statistics::of(searcher, self.counted);
                self.query
                    .weight(EnableScoring::enabled_from_statistics_provider(
                        &stats, searcher,
                    ))
            }
            _ => self.query.weight(enable_scoring),
        }
    }

    fn count(&self, searcher: &Searcher) -> tantivy::Result<usize> {
        self.query.count(searcher)
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.query.query_terms(visitor);
    }
}

/// BM25 statistics over the records alive: their number, the records holding a term, and
/// the word layer's total length as the index's commit counted it (when the searcher sees
/// as many records as that commit holds; else tantivy's own total).
pub(crate) struct Statistics<'a> {
    searcher: &'a Searcher,
    /// The word layer, and its total length in words.
    words: Option<(Field, u64)>,
    /// The records holding each term asked for so far: counting them walks the term's
    /// postings when a segment has deleted records.
    counted: RefCell<Vec<(Term, u64)>>,
}

impl<'a> Statistics<'a> {
    /// The statistics of what `searcher` sees, `counted` being the records and their
    /// words as the commit counted them.
    pub(crate) fn of(searcher: &'a Searcher, counted: (u64, u64)) -> Statistics<'a> {
        let alive: u64 = searcher
            .segment_readers()
            .iter()
            .map(|s| u64::from(s.num_docs()))
            .sum();
        let (records, words) = counted;
        let words = (records == alive && words > 0)
            .then(|| Some((searcher.schema().get_field(WORDS_FIELD).ok()?, words)))
            .flatten();
        Statistics {
            searcher,
            words,
            counted: RefCell::new(Vec::new()),
        }
    }
}

impl Bm25StatisticsProvider for Statistics<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        match self.words {
            Some((words, total)) if words == field => Ok(total),
            _ => self.searcher.total_num_tokens(field),
        }
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self
            .searcher
            .segment_readers()
            .iter()
            .map(|s| u64::from(s.num_docs()))
            .sum())
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        if let Some(&(_, n)) = self.counted.borrow().iter().find(|(t, _)| t == term) {
            return Ok(n);
        }
        let mut n = 0u64;
        for segment in self.searcher.segment_readers() {
            let inverted = segment.inverted_index(term.field())?;
            let Some(alive) = segment.alive_bitset() else {
                n += u64::from(inverted.doc_freq(term)?);
                continue;
            };
            if let Some(mut postings) = inverted.read_postings(term, IndexRecordOption::Basic)? {
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    n += u64::from(alive.is_alive(doc));
                    doc = postings.advance();
                }
            }
        }
        self.counted.borrow_mut().push((term.clone(), n));
        Ok(n)
    }
}
