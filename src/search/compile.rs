//! From a parsed [`Query`] to a tantivy query, built by hand: each text term is an exact
//! match in the bigram layer (which decides what matches, at a constant score) with the
//! index's own words of the term added for ranking (BM25 of the word layer); filters are
//! term queries on their fields; `-term` wraps its exact layer in
//! [`crate::search::exclusion::Excluded`].

use crate::error::Result;
use crate::index::Index;
use crate::model::Kind;
use crate::search::phrase::WordPhrase;
use crate::search::prefix::CharQuery;
use crate::search::query::{Atom, Clause, Query};
use crate::text::normalize;
use crate::text::tokenize::{frequent, query_bigrams};
use std::ops::Bound;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, EmptyQuery, InvertedIndexRangeQuery, Occur,
    PhraseQuery, Query as TQuery, TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

/// The score of an exact match on its own. The exact layer only decides what matches: as a
/// constant it lets a phrase stop at its first occurrence in a record instead of counting
/// them all. Ranking is the word layer's BM25; records it cannot tell apart keep the stable
/// order (newer session first, then paragraph order).
pub(crate) const EXACT_SCORE: f32 = 0.0;
/// The longest word looked up when splitting a query into the index's words.
const MAX_WORD_CHARS: usize = 8;

impl Index {
    /// Turns a parsed query into a tantivy query, scored with the index's own statistics
    /// ([`crate::index::statistics::Exact`]).
    pub(crate) fn compile(&self, searcher: &Searcher, query: &Query) -> Result<Box<dyn TQuery>> {
        let mut parts: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
        let mut positive = false;
        for clause in &query.clauses {
            let q = self.clause(searcher, clause)?;
            if clause.negated {
                parts.push((Occur::MustNot, q));
            } else {
                positive = true;
                parts.push((Occur::Must, q));
            }
        }
        if !positive {
            parts.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(AllQuery), 0.0)),
            ));
        }
        Ok(Box::new(crate::index::statistics::Exact::new(
            Box::new(BooleanQuery::new(parts)),
            &self.commit,
        )))
    }

    fn clause(&self, searcher: &Searcher, clause: &Clause) -> Result<Box<dyn TQuery>> {
        let mut alts: Vec<Box<dyn TQuery>> = Vec::with_capacity(clause.any_of.len());
        for atom in &clause.any_of {
            alts.push(self.atom(searcher, atom, clause.negated)?);
        }
        if alts.len() == 1 {
            return Ok(alts.pop().expect("one"));
        }
        Ok(Box::new(BooleanQuery::new(
            alts.into_iter().map(|q| (Occur::Should, q)).collect(),
        )))
    }

    fn atom(&self, searcher: &Searcher, atom: &Atom, negated: bool) -> Result<Box<dyn TQuery>> {
        let f = self.fields;
        let filter =
            |q: Box<dyn TQuery>| -> Box<dyn TQuery> { Box::new(ConstScoreQuery::new(q, 0.0)) };
        Ok(match atom {
            Atom::Kind(k) => filter(term_u(f.kind, k.code())),
            Atom::Session(s) => filter(term_u(f.session, u64::from(*s))),
            Atom::Sessions(a, b) => filter(Box::new(InvertedIndexRangeQuery::new(
                Bound::Included(Term::from_field_u64(f.session, u64::from(*a))),
                Bound::Included(Term::from_field_u64(f.session, u64::from(*b))),
            ))),
            Atom::Year(y) => filter(term_u(f.year, u64::from(*y))),
            Atom::Symbol(s) => filter(term_s(f.symbol, &normalize::fold(s))),
            // Paragraphs citing the symbol (footnotes' citations are already theirs).
            Atom::Cites(s) => filter(Box::new(BooleanQuery::new(vec![
                (Occur::Must, term_s(f.cites, &normalize::fold(s))),
                (Occur::MustNot, term_u(f.kind, Kind::Footnote.code())),
            ]))),
            Atom::Text(t) => {
                let folded: Vec<char> = normalize::fold(t).chars().collect();
                let exact = self.exact(searcher, &folded)?;
                if negated {
                    return Ok(Box::new(crate::search::exclusion::Excluded(exact)));
                }
                // The exact layer decides; each word adds its BM25 score where it occurs.
                // A word far more frequent than the exact matches gets a level of its own,
                // so that its postings are only looked up at those matches; the others are
                // walked together, which is cheaper when matches are dense.
                let matches = self.exact_estimate(searcher, &folded)?;
                let mut dense: Vec<(Occur, Box<dyn TQuery>)> = vec![(
                    Occur::Must,
                    Box::new(ConstScoreQuery::new(exact, EXACT_SCORE)),
                )];
                let mut sparse: Vec<Box<dyn TQuery>> = Vec::new();
                for (term, df) in self.word_terms(searcher, &folded)? {
                    let q: Box<dyn TQuery> =
                        Box::new(TermQuery::new(term, IndexRecordOption::Basic));
                    if df > matches.saturating_mul(8) {
                        sparse.push(q);
                    } else {
                        dense.push((Occur::Should, q));
                    }
                }
                let mut q: Box<dyn TQuery> = Box::new(BooleanQuery::new(dense));
                for word in sparse {
                    q = Box::new(BooleanQuery::new(vec![
                        (Occur::Must, q),
                        (Occur::Should, word),
                    ]));
                }
                q
            }
        })
    }

    /// The exact layer: records whose folded text contains `folded`.
    fn exact(&self, searcher: &Searcher, folded: &[char]) -> Result<Box<dyn TQuery>> {
        let field = self.fields.exact;
        let grams = query_bigrams(folded);
        if grams.len() >= 2 {
            // A phrase found inside words of the word layer: the records holding one of
            // those need no positions.
            let text: String = folded.iter().collect();
            let phrase = WordPhrase::of(field, self.fields.words, &text);
            if phrase.has_words(searcher)? {
                return Ok(Box::new(phrase));
            }
        }
        Ok(match grams.len() {
            0 => Box::new(EmptyQuery),
            1 if folded.len() == 1 && frequent(folded[0]).is_some() => {
                // One of the most frequent characters: its own list.
                Box::new(TermQuery::new(
                    Term::from_field_text(self.fields.chars, &grams[0].1),
                    IndexRecordOption::Basic,
                ))
            }
            1 if folded.len() == 1 => {
                // Another character: every bigram starting with it, or the final unigram.
                Box::new(CharQuery::new(field, grams[0].1.clone()))
            }
            1 => Box::new(TermQuery::new(
                Term::from_field_text(field, &grams[0].1),
                IndexRecordOption::WithFreqs,
            )),
            _ => Box::new(PhraseQuery::new_with_offset(
                grams
                    .into_iter()
                    .map(|(pos, g)| (pos, Term::from_field_text(field, &g)))
                    .collect(),
            )),
        })
    }

    /// An upper bound of the records the exact layer matches: the rarest of its bigrams'
    /// record counts (all records for a single character).
    fn exact_estimate(&self, searcher: &Searcher, folded: &[char]) -> Result<u64> {
        if folded.len() < 2 {
            return Ok(searcher.num_docs());
        }
        let mut least = u64::MAX;
        for (_, gram) in query_bigrams(folded) {
            least = least.min(searcher.doc_freq(&Term::from_field_text(self.fields.exact, &gram))?);
        }
        Ok(least)
    }

    /// Splits a folded query into words the index knows (longest first, left to right),
    /// with the index's own vocabulary as dictionary: the query path never loads jieba.
    /// Each word comes with the number of records holding it.
    pub(crate) fn word_terms(
        &self,
        searcher: &Searcher,
        folded: &[char],
    ) -> Result<Vec<(Term, u64)>> {
        let field = self.fields.words;
        let mut out: Vec<(Term, u64)> = Vec::new();
        let mut i = 0;
        while i < folded.len() {
            let mut took = 0;
            // Words of one character are not in the word layer: start at two.
            for len in (2..=MAX_WORD_CHARS.min(folded.len() - i)).rev() {
                let word: String = folded[i..i + len].iter().collect();
                if !word.chars().any(char::is_alphanumeric) {
                    continue;
                }
                let term = Term::from_field_text(field, &word);
                let df = searcher.doc_freq(&term)?;
                if df > 0 {
                    if !out.iter().any(|(t, _)| *t == term) {
                        out.push((term, df));
                    }
                    took = len;
                    break;
                }
            }
            i += took.max(1);
        }
        Ok(out)
    }
}

pub(crate) fn term_u(field: tantivy::schema::Field, v: u64) -> Box<dyn TQuery> {
    Box::new(TermQuery::new(
        Term::from_field_u64(field, v),
        IndexRecordOption::Basic,
    ))
}

pub(crate) fn term_s(field: tantivy::schema::Field, v: &str) -> Box<dyn TQuery> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, v),
        IndexRecordOption::Basic,
    ))
}
