//! A phrase of the exact layer that starts words of the word layer (`联合国`, `联合国大会`;
//! `核武器`, `核武器国家`). A record holding such a word holds the phrase (each word is a
//! piece of the record's folded text), so [`WordPhrase`] reads a record's bigram positions
//! only when none of those words is among its words. A frequent phrase is mostly found in
//! such words: counting its records (`--by-session`, `--by-resolution`, `stats`) then reads
//! a part of the positions that tantivy's phrase query reads for every record holding all
//! its bigrams. The words' lists are read lazily, a window of documents at a time
//! ([`CharQuery`]), so a page that stops after its first matches reads little of them.

use crate::search::prefix::CharQuery;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{ConstScorer, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

/// The records whose folded text holds a phrase: those holding one of `words` in the word
/// layer (the words starting with the phrase), and those holding the phrase's bigrams at
/// their places, `grams` (each with its place in the phrase, as
/// [`crate::text::tokenize::query_bigrams`] gives them). At a constant score.
#[derive(Debug, Clone)]
pub(crate) struct WordPhrase {
    grams: Vec<(usize, Term)>,
    words: CharQuery,
}

impl WordPhrase {
    /// The phrase of `grams` (two or more), of which `words` are the words starting with it.
    pub(crate) fn new(grams: Vec<(usize, Term)>, words: CharQuery) -> WordPhrase {
        debug_assert!(grams.len() >= 2);
        WordPhrase { grams, words }
    }
}

impl Query for WordPhrase {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for (_, term) in &self.grams {
            visitor(term, true);
        }
    }
}

impl Weight for WordPhrase {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut grams = Vec::with_capacity(self.grams.len());
        for (place, term) in &self.grams {
            let inverted = reader.inverted_index(term.field())?;
            match inverted.read_postings(term, IndexRecordOption::WithFreqsAndPositions)? {
                Some(postings) => grams.push((*place as u32, postings)),
                None => return Ok(Box::new(EmptyScorer)),
            }
        }
        let words = self.words.scorer(reader, 1.0)?;
        Ok(Box::new(ConstScorer::new(Docs::new(grams, words), boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        Ok(Explanation::new("WordPhrase", 1.0))
    }
}

/// The matching documents of one segment.
struct Docs {
    /// The bigrams' postings with their places in the phrase, rarest first.
    grams: Vec<(u32, SegmentPostings)>,
    /// The records holding a word that starts with the phrase.
    words: Box<dyn Scorer>,
    doc: DocId,
    starts: Vec<u32>,
    scratch: Vec<u32>,
}

impl Docs {
    fn new(mut grams: Vec<(u32, SegmentPostings)>, words: Box<dyn Scorer>) -> Docs {
        grams.sort_by_key(|(_, p)| p.doc_freq());
        let mut docs = Docs {
            grams,
            words,
            doc: 0,
            starts: Vec::new(),
            scratch: Vec::new(),
        };
        docs.doc = docs.first_from(0);
        docs
    }

    /// The first document at or after `target` holding every bigram.
    fn candidate(&mut self, target: DocId) -> DocId {
        let mut target = target;
        'next: loop {
            let doc = seek(&mut self.grams[0].1, target);
            if doc == TERMINATED {
                return TERMINATED;
            }
            for (_, postings) in &mut self.grams[1..] {
                let other = seek(postings, doc);
                if other != doc {
                    target = other;
                    continue 'next;
                }
            }
            return doc;
        }
    }

    /// Whether `doc`, where every bigram's postings stand, holds the phrase: it holds one
    /// of the words, or the bigrams' positions line up.
    fn holds(&mut self, doc: DocId) -> bool {
        if self.words.doc() <= doc && self.words.seek(doc) == doc {
            return true;
        }
        self.starts.clear();
        for (i, (place, postings)) in self.grams.iter_mut().enumerate() {
            self.scratch.clear();
            postings.positions(&mut self.scratch);
            let place = *place;
            let starts = self.scratch.iter().filter_map(|&p| p.checked_sub(place));
            if i == 0 {
                self.starts.extend(starts);
            } else {
                let mut starts = starts.peekable();
                self.starts.retain(|&s| {
                    while starts.next_if(|&t| t < s).is_some() {}
                    starts.peek() == Some(&s)
                });
            }
            if self.starts.is_empty() {
                return false;
            }
        }
        true
    }

    /// The first matching document at or after `from`.
    fn first_from(&mut self, from: DocId) -> DocId {
        let mut from = from;
        loop {
            let doc = self.candidate(from);
            if doc == TERMINATED || self.holds(doc) {
                return doc;
            }
            from = doc + 1;
        }
    }
}

/// Moves `postings` to its first document at or after `target` (not back).
fn seek(postings: &mut SegmentPostings, target: DocId) -> DocId {
    if postings.doc() < target {
        postings.seek(target)
    } else {
        postings.doc()
    }
}

impl DocSet for Docs {
    fn advance(&mut self) -> DocId {
        if self.doc != TERMINATED {
            self.doc = self.first_from(self.doc + 1);
        }
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc < target {
            self.doc = self.first_from(target);
        }
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.grams[0].1.doc_freq()
    }
}
