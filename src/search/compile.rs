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

/// A query compiled for its two readings, which score every record alike, bit for bit.
pub(crate) struct Compiled {
    /// Read match by match: the words of a text that are about as frequent as its matches
    /// are walked together (one union), the others looked up at each match.
    pub scan: Box<dyn TQuery>,
    /// Read at a few records far apart (the candidates of a first page): each word is
    /// looked up at each record, where a union would score every record of a 4,096-record
    /// window around each of them. Its sums are the scan's: [`EXACT_SCORE`] is 0, a union
    /// adds its words' scores to 0 in their order, and each word looked up adds its score
    /// to the sum so far, the union's words first.
    pub lookup: Box<dyn TQuery>,
}

impl Compiled {
    /// The same query for both readings.
    fn both(q: Box<dyn TQuery>) -> Compiled {
        Compiled {
            scan: q.box_clone(),
            lookup: q,
        }
    }

    /// Both readings of `parts` joined by one boolean query each.
    fn joined(parts: Vec<(Occur, Compiled)>) -> Compiled {
        let (mut scan, mut lookup) = (Vec::new(), Vec::new());
        for (occur, c) in parts {
            scan.push((occur, c.scan));
            lookup.push((occur, c.lookup));
        }
        Compiled {
            scan: Box::new(BooleanQuery::new(scan)),
            lookup: Box::new(BooleanQuery::new(lookup)),
        }
    }
}

impl Index {
    /// Turns a parsed query into a tantivy query, scored with the index's own statistics
    /// ([`crate::index::statistics::Exact`]), to be read match by match.
    pub(crate) fn compile(&self, searcher: &Searcher, query: &Query) -> Result<Box<dyn TQuery>> {
        Ok(self.compile_both(searcher, query)?.scan)
    }

    /// [`Index::compile`], for both readings.
    pub(crate) fn compile_both(&self, searcher: &Searcher, query: &Query) -> Result<Compiled> {
        let mut parts: Vec<(Occur, Compiled)> = Vec::new();
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
                Compiled::both(Box::new(ConstScoreQuery::new(Box::new(AllQuery), 0.0))),
            ));
        }
        let Compiled { scan, lookup } = Compiled::joined(parts);
        let exact = |q| -> Box<dyn TQuery> {
            Box::new(crate::index::statistics::Exact::new(q, &self.commit))
        };
        Ok(Compiled {
            scan: exact(scan),
            lookup: exact(lookup),
        })
    }

    fn clause(&self, searcher: &Searcher, clause: &Clause) -> Result<Compiled> {
        let mut alts: Vec<(Occur, Compiled)> = Vec::with_capacity(clause.any_of.len());
        for atom in &clause.any_of {
            alts.push((Occur::Should, self.atom(searcher, atom, clause.negated)?));
        }
        if alts.len() == 1 {
            return Ok(alts.pop().expect("one").1);
        }
        Ok(Compiled::joined(alts))
    }

    fn atom(&self, searcher: &Searcher, atom: &Atom, negated: bool) -> Result<Compiled> {
        let f = self.fields;
        let filter =
            |q: Box<dyn TQuery>| -> Box<dyn TQuery> { Box::new(ConstScoreQuery::new(q, 0.0)) };
        let q: Box<dyn TQuery> = match atom {
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
                    return Ok(Compiled::both(Box::new(
                        crate::search::exclusion::Excluded(exact),
                    )));
                }
                // The exact layer decides; each word adds its BM25 score where it occurs.
                // A word far more frequent than the exact matches gets a level of its own,
                // so that its postings are only looked up at those matches; the others are
                // walked together, which is cheaper when matches are dense.
                let matches = self.exact_estimate(searcher, &folded)?;
                let (mut dense, mut sparse) = (Vec::new(), Vec::new());
                for (term, df) in self.word_terms(searcher, &folded)? {
                    let q: Box<dyn TQuery> =
                        Box::new(TermQuery::new(term, IndexRecordOption::Basic));
                    if df > matches.saturating_mul(8) {
                        sparse.push(q);
                    } else {
                        dense.push(q);
                    }
                }
                let exact: Box<dyn TQuery> = Box::new(ConstScoreQuery::new(exact, EXACT_SCORE));
                let mut walked = vec![(Occur::Must, exact.box_clone())];
                walked.extend(dense.iter().map(|w| (Occur::Should, w.box_clone())));
                let mut scan: Box<dyn TQuery> = Box::new(BooleanQuery::new(walked));
                // Looked up: the frequent words first, then the others, the order in which
                // the scan's sums add them.
                let mut lookup = exact;
                for word in dense {
                    lookup = nested(lookup, word);
                }
                for word in sparse {
                    lookup = nested(lookup, word.box_clone());
                    scan = nested(scan, word);
                }
                return Ok(Compiled { scan, lookup });
            }
        };
        Ok(Compiled::both(q))
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

/// `q` with `word`'s score added where it occurs.
fn nested(q: Box<dyn TQuery>, word: Box<dyn TQuery>) -> Box<dyn TQuery> {
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, q),
        (Occur::Should, word),
    ]))
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

#[cfg(test)]
mod tests {
    use crate::text::normalize::fold;
    use tantivy::query::EnableScoring;
    use tantivy::{DocSet, TERMINATED};

    /// Both readings of phrases of the seed (and of pairs of them) match the same records
    /// and score each alike, bit for bit: a first page checked with one and a full
    /// evaluation ranked with the other must agree on every tie.
    #[test]
    fn both_readings_score_every_match_alike() {
        let (_dir, index) = crate::search::first_page::tests::seed_index();
        let roots = [std::path::PathBuf::from(
            crate::search::first_page::tests::SEED,
        )];
        let searcher = index.reader.searcher();
        let texts: Vec<String> = crate::parse_paths(&roots)
            .into_iter()
            .flat_map(|p| p.result.unwrap())
            .flat_map(|r| r.records())
            .map(|r| fold(&r.text))
            .collect();
        let mut queries = std::collections::BTreeSet::new();
        for (i, text) in texts.iter().enumerate() {
            let chars: Vec<char> = text.chars().collect();
            for (j, len) in [(0, 4), (2, 2), (5, 7), (8, 3), (11, 10), (17, 14)] {
                if let Some(w) = chars.get(j..j + len) {
                    let phrase: String = w.iter().collect();
                    queries.insert(phrase.clone());
                    if let Some(other) = texts.get(i + 1).and_then(|t| t.get(0..9)) {
                        queries.insert(format!("{phrase} {other}"));
                    }
                }
            }
        }
        let (mut compared, mut many_words) = (0, 0);
        for text in &queries {
            let Ok(query) = crate::search::query::parse(text) else {
                continue;
            };
            let words: usize = query
                .positive_texts()
                .map(|t| {
                    let folded: Vec<char> = fold(t).chars().collect();
                    index.word_terms(&searcher, &folded).unwrap().len()
                })
                .max()
                .unwrap_or(0);
            many_words += usize::from(words >= 3);
            let both = index.compile_both(&searcher, &query).unwrap();
            let scoring = EnableScoring::enabled_from_searcher(&searcher);
            let scan = both.scan.weight(scoring).unwrap();
            let lookup = both.lookup.weight(scoring).unwrap();
            for reader in searcher.segment_readers() {
                let mut walked = scan.scorer(reader, 1.0).unwrap();
                let mut looked = lookup.scorer(reader, 1.0).unwrap();
                while walked.doc() != TERMINATED {
                    let doc = walked.doc();
                    assert_eq!(looked.seek(doc), doc, "{text}: record {doc}");
                    assert_eq!(
                        walked.score().to_bits(),
                        looked.score().to_bits(),
                        "{text}: record {doc}"
                    );
                    compared += 1;
                    walked.advance();
                }
                assert_eq!(looked.advance(), TERMINATED, "{text}: a record more");
            }
        }
        assert!(
            compared > 1000 && many_words > 100,
            "{compared} matches compared, {many_words} queries of three words or more"
        );
    }
}
