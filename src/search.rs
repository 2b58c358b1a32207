//! Searching an open index: a parsed [`Query`] becomes a tantivy query built by hand (the
//! exact layer decides what matches, the word layer ranks), results come back in a stable
//! order (score, then newer session, then paragraph order), each with its highlights.

use crate::error::{Error, Result};
use crate::first_page::{self, TOTAL_BOUND};
use crate::index::{self, UnresIndex};
use crate::model::{Kind, Record};
use crate::normalize::{self, Folded};
use crate::query::{Atom, Clause, Query};
use crate::tokenize::query_bigrams;
use std::cmp::Reverse;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, EmptyQuery, Occur, PhrasePrefixQuery, PhraseQuery,
    Query as TQuery, TermQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

/// How many hits, from where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchOptions {
    /// At most this many hits.
    pub limit: usize,
    /// Skip this many hits first.
    pub offset: usize,
    /// Count every match for the total, however many there are. Otherwise a total past
    /// [`crate::TOTAL_BOUND`] may be a lower bound ([`SearchResults::total_exact`]), which
    /// lets a broad query's first page skip evaluating every match.
    pub exact_total: bool,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 10,
            offset: 0,
            exact_total: false,
        }
    }
}

/// One record found.
#[derive(Debug, Clone)]
pub struct Hit {
    /// The record, as exported.
    pub record: Record,
    /// The ranking score.
    pub score: f32,
    /// Character ranges `[start, end)` of `record.text` that match the query's text.
    pub highlights: Vec<(usize, usize)>,
}

/// The hits of one page and the total number of matching records.
#[derive(Debug, Clone)]
pub struct SearchResults {
    /// How many records match in all, or at least, when `total_exact` is false.
    pub total: usize,
    /// Whether `total` counts every match (always, below [`crate::TOTAL_BOUND`]).
    pub total_exact: bool,
    /// The hits asked for, best first.
    pub hits: Vec<Hit>,
}

/// The score of an exact match on its own. The exact layer only decides what matches: as a
/// constant it lets a phrase stop at its first occurrence in a record instead of counting
/// them all. Ranking is the word layer's BM25; records it cannot tell apart keep the stable
/// order (newer session first, then paragraph order).
const EXACT_SCORE: f32 = 0.0;
/// The longest word looked up when splitting a query into the index's words.
const MAX_WORD_CHARS: usize = 8;

/// The offset and limit of a page: no page reaches past the last record, however large the
/// numbers asked for, and at least one hit is collected (so that the total is counted).
pub(crate) fn page(searcher: &Searcher, opts: SearchOptions) -> (usize, usize) {
    let docs = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
    let offset = opts.offset.min(docs);
    (offset, opts.limit.min(docs - offset).max(1))
}

impl UnresIndex {
    /// Runs a query and returns one page of hits and the total.
    pub fn search(&self, query: &Query, opts: SearchOptions) -> Result<SearchResults> {
        let query = &*crate::traditional::expand(query);
        let searcher = self.reader.searcher();
        let tq = self.compile(&searcher, query)?;
        let (offset, limit) = page(&searcher, opts);
        let words = self.required_words(&searcher, query)?;
        if words.is_empty() {
            // Every match scores the same: the stable order alone ranks them, read from its
            // fast field without scoring (a one-character query matches a third of the
            // records; scoring them all would cost several times the count).
            let top = TopDocs::with_limit(limit)
                .and_offset(offset)
                .order_by_u64_field(index::ORDER, tantivy::Order::Asc);
            let (top, total) = searcher.search(&tq, &(top, Count))?;
            let page = top.into_iter().map(|(_, addr)| (EXACT_SCORE, addr));
            let hits = self.hits(&searcher, query, page, opts)?;
            return Ok(SearchResults {
                total,
                total_exact: true,
                hits,
            });
        }
        if !opts.exact_total {
            let scan = first_page::Scan::run(&searcher, &*tq, TOTAL_BOUND)?;
            let found = if scan.complete {
                Some((scan.matches.len(), true, scan.page(offset, limit)))
            } else {
                first_page::page(&searcher, &*tq, words, offset, limit)?
                    .map(|page| (TOTAL_BOUND, false, page))
            };
            if let Some((total, total_exact, page)) = found {
                let hits = self.hits(&searcher, query, page.into_iter(), opts)?;
                return Ok(SearchResults {
                    total,
                    total_exact,
                    hits,
                });
            }
        }
        let top = TopDocs::with_limit(limit).and_offset(offset).tweak_score(
            move |segment: &tantivy::SegmentReader| {
                let order = index::OrderColumn::of(segment);
                move |doc: tantivy::DocId, score: tantivy::Score| (score, Reverse(order.get(doc)))
            },
        );
        let (top, total) = searcher.search(&tq, &(top, Count))?;
        let page = top.into_iter().map(|((score, _), addr)| (score, addr));
        let hits = self.hits(&searcher, query, page, opts)?;
        Ok(SearchResults {
            total,
            total_exact: true,
            hits,
        })
    }

    /// Loads and highlights the records of a page (none when no hit was asked for).
    pub(crate) fn hits(
        &self,
        searcher: &Searcher,
        query: &Query,
        page: impl Iterator<Item = (tantivy::Score, DocAddress)>,
        opts: SearchOptions,
    ) -> Result<Vec<Hit>> {
        if opts.limit == 0 {
            return Ok(Vec::new());
        }
        let needles: Vec<Vec<char>> = query
            .positive_texts()
            .map(|t| normalize::fold(t).chars().collect())
            .collect();
        page.map(|(score, addr)| {
            let record = self.load(searcher, addr)?;
            let highlights = highlight(&record.text, &needles);
            Ok(Hit {
                record,
                score,
                highlights,
            })
        })
        .collect()
    }

    /// Counts the records matching a query.
    pub fn count(&self, query: &Query) -> Result<usize> {
        let query = &*crate::traditional::expand(query);
        let searcher = self.reader.searcher();
        let tq = self.compile(&searcher, query)?;
        Ok(searcher.search(&tq, &Count)?)
    }

    /// Every record matching a query, in document order (resolution, then record order).
    pub fn records(&self, query: &Query) -> Result<Vec<Record>> {
        let query = &*crate::traditional::expand(query);
        let searcher = self.reader.searcher();
        let tq = self.compile(&searcher, query)?;
        let n = searcher.search(&tq, &Count)?;
        if n == 0 {
            return Ok(Vec::new());
        }
        let top = TopDocs::with_limit(n).order_by_u64_field(index::ORDER, tantivy::Order::Asc);
        let docs = searcher.search(&tq, &top)?;
        docs.into_iter()
            .map(|(_, addr)| self.load(&searcher, addr))
            .collect()
    }

    /// The footnotes a paragraph cites, or for a footnote the paragraphs citing it.
    pub fn related(&self, record: &Record) -> Result<Vec<Record>> {
        let wanted: Vec<(Kind, u32)> = if record.kind == Kind::Footnote {
            record.cited_by.iter().map(|c| (c.kind, c.number)).collect()
        } else {
            record
                .footnotes
                .iter()
                .map(|&n| (Kind::Footnote, n))
                .collect()
        };
        let searcher = self.reader.searcher();
        let f = self.fields;
        let mut out = Vec::new();
        for (kind, para) in wanted {
            let q = BooleanQuery::new(vec![
                (Occur::Must, term_u(f.kind, kind.code())),
                (Occur::Must, term_u(f.para, u64::from(para))),
                (Occur::Must, term_s(f.symbol, &record.symbol.to_lowercase())),
            ]);
            let docs = searcher.search(&q, &TopDocs::with_limit(16).order_by_score())?;
            for (_, addr) in docs {
                let r = self.load(&searcher, addr)?;
                if r.part == record.part && r.file == record.file {
                    out.push(r);
                }
            }
        }
        Ok(out)
    }

    pub(crate) fn load(&self, searcher: &Searcher, addr: DocAddress) -> Result<Record> {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let json = doc
            .get_first(self.fields.record)
            .and_then(|v| v.as_str())
            .ok_or_else(|| Error::Damaged {
                path: self.dir.clone(),
                detail: "a document has no stored record".into(),
            })?;
        serde_json::from_str(json).map_err(|e| Error::Damaged {
            path: self.dir.clone(),
            detail: format!("a stored record is unreadable ({e})"),
        })
    }

    /// Turns a parsed query into a tantivy query.
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
        Ok(Box::new(BooleanQuery::new(parts)))
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
            Atom::Year(y) => filter(term_u(f.year, u64::from(*y))),
            Atom::Symbol(s) => filter(term_s(f.symbol, &normalize::fold(s))),
            // Paragraphs citing the symbol (footnotes' citations are already theirs).
            Atom::Cites(s) => filter(Box::new(BooleanQuery::new(vec![
                (Occur::Must, term_s(f.cites, &normalize::fold(s))),
                (Occur::MustNot, term_u(f.kind, Kind::Footnote.code())),
            ]))),
            Atom::Text(t) => {
                let folded: Vec<char> = normalize::fold(t).chars().collect();
                let exact = self.exact(&folded);
                if negated {
                    return Ok(Box::new(crate::exclusion::Excluded(exact)));
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
    fn exact(&self, folded: &[char]) -> Box<dyn TQuery> {
        let field = self.fields.exact;
        let grams = query_bigrams(folded);
        match grams.len() {
            0 => Box::new(EmptyQuery),
            1 if folded.len() == 1 => {
                // One character: every bigram starting with it, or the final unigram.
                let mut q = PhrasePrefixQuery::new(vec![Term::from_field_text(field, &grams[0].1)]);
                q.set_max_expansions(u32::MAX);
                Box::new(q)
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
        }
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

/// Character ranges of `text` where any of the folded needles occur, merged and sorted.
pub fn highlight(text: &str, needles: &[Vec<char>]) -> Vec<(usize, usize)> {
    if needles.is_empty() {
        return Vec::new();
    }
    let folded = Folded::new(text);
    let mut ranges: Vec<(usize, usize)> = needles.iter().flat_map(|n| folded.find_all(n)).collect();
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (s, e) in ranges {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

/// A window of a record's text around its first match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The text shown, with `…` where it was cut; line breaks become spaces.
    pub text: String,
    /// Character ranges of `text` to highlight.
    pub highlights: Vec<(usize, usize)>,
}

/// Cuts a snippet of about `width` characters around the first highlight, on character
/// boundaries.
pub fn snippet(text: &str, highlights: &[(usize, usize)], width: usize) -> Snippet {
    let chars: Vec<char> = text
        .chars()
        .map(|c| if c == '\n' { ' ' } else { c })
        .collect();
    let n = chars.len();
    let (mut start, mut end) = (0, n.min(width));
    if let Some(&(s, _)) = highlights.first() {
        if n > width {
            start = s.saturating_sub(width / 4);
            // Do not cut a number or a symbol in two: start at its beginning.
            while start > 0 && start < s && chars[start - 1].is_ascii_alphanumeric() {
                start -= 1;
            }
            end = (start + width).min(n);
            start = start.min(end.saturating_sub(width));
        }
    }
    let lead = if start > 0 { "…" } else { "" };
    let tail = if end < n { "…" } else { "" };
    let shift = lead.chars().count();
    let text = format!(
        "{lead}{}{tail}",
        chars[start..end].iter().collect::<String>()
    );
    let highlights = highlights
        .iter()
        .filter(|&&(s, e)| e > start && s < end)
        .map(|&(s, e)| (s.max(start) - start + shift, e.min(end) - start + shift))
        .collect();
    Snippet { text, highlights }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_ignore_spaces_and_width() {
        let needles = vec![normalize::fold("2024年6月").chars().collect()];
        assert_eq!(highlight("于 2024 年 6 月开始", &needles), [(2, 12)]);
        let needles = vec!["武器".chars().collect(), "小武".chars().collect()];
        assert_eq!(highlight("小武器和武器", &needles), [(0, 3), (4, 6)]);
    }

    #[test]
    fn snippets_cut_on_characters_around_the_first_match() {
        let text = "甲".repeat(100) + "小武器" + &"乙".repeat(100);
        let s = snippet(&text, &[(100, 103)], 40);
        assert_eq!(s.text.chars().count(), 42);
        assert!(s.text.starts_with('…') && s.text.ends_with('…'));
        let (a, b) = s.highlights[0];
        let shown: String = s.text.chars().skip(a).take(b - a).collect();
        assert_eq!(shown, "小武器");
        let short = snippet("小武器", &[(0, 3)], 40);
        assert_eq!(
            (short.text.as_str(), short.highlights),
            ("小武器", vec![(0, 3)])
        );
    }
}

/// Record counts by session and kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    /// For each session: records of each kind, in the order of [`Kind::ALL`].
    pub by_session: std::collections::BTreeMap<u32, [usize; 4]>,
    /// Resolutions (parts counted separately).
    pub resolutions: usize,
    /// All records.
    pub records: usize,
}

impl UnresIndex {
    /// Counts records by session and kind, and resolutions, from the fast fields.
    pub fn stats(&self) -> Result<Stats> {
        let searcher = self.reader.searcher();
        let mut stats = Stats::default();
        let mut resolutions = std::collections::BTreeSet::new();
        for seg in searcher.segment_readers() {
            let ff = seg.fast_fields();
            let session = ff.u64("session")?.first_or_default_col(0);
            let kind = ff.u64("kind")?.first_or_default_col(0);
            let order = ff.u64("order")?.first_or_default_col(0);
            for doc in seg.doc_ids_alive() {
                let s = session.get_val(doc) as u32;
                let k = (kind.get_val(doc) as usize).min(3);
                stats.by_session.entry(s).or_default()[k] += 1;
                stats.records += 1;
                resolutions.insert(order.get_val(doc) >> 20);
            }
        }
        stats.resolutions = resolutions.len();
        Ok(stats)
    }
}
