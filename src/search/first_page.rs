//! The first page of a broad query without evaluating every match. A phrase found in a fifth
//! of the records costs a position check per record to count; ranking the first page does
//! not need that. Candidates are the word layer's best records: those holding every word
//! when no record lacking one can reach them, else the best of every record holding one
//! (the layer keeps no frequencies, so tantivy's block-max pruning does not apply). The
//! best few are checked against the whole query first, the others only when those do not
//! settle the page, and the page stands when its last hit scores above every record left
//! out; when records left out tie it, every record that may is taken ([`with_ties`]).
//! The matches are scanned up to [`TOTAL_BOUND`] first:
//! a query with fewer is ranked from that one scan, exactly; one with more reports "at
//! least [`TOTAL_BOUND`]". [`crate::Index::count`] and `exact_total` stay exact.

use crate::error::Result;
use crate::index::columns::Columns;
use crate::index::folder::Payload;
use crate::index::statistics::Statistics;
use crate::index::Index;
use norms::{best_of_intersection, Best, Walked};
use tantivy::query::{Bm25Weight, EnableScoring, Query as TQuery, Weight};
use tantivy::{DocAddress, DocSet, Score, Searcher, Term, TERMINATED};

/// Totals are counted exactly up to this many matches, and reported as "at least" beyond.
pub const TOTAL_BOUND: usize = 1000;

/// How many word-layer candidates are taken for each hit of the page asked for.
const CANDIDATES_PER_HIT: usize = 20;
/// How many of them are checked against the whole query first, the best, for each hit: the
/// rest only when the page does not stand on those.
const FIRST_CANDIDATES_PER_HIT: usize = 4;

/// The page `offset..offset + limit` of `tq` ranked by score (then the stable order), when
/// the word layer's best records settle it; `None` when they do not (too few of them match
/// the whole query, or a tie reaches past them), and the caller evaluates every match.
/// `words` are the word-layer terms of every text the query requires, with repeats, so that
/// a record's word-layer score is never below its score for the whole query.
pub(crate) fn page(
    searcher: &Searcher,
    index: &Index,
    tq: &dyn TQuery,
    words: Vec<Term>,
    offset: usize,
    limit: usize,
) -> Result<Option<Vec<(Score, DocAddress)>>> {
    let want = offset + limit;
    let reads = &mut Reads::default();
    let k = want.max(10) * CANDIDATES_PER_HIT;
    let (best, floor) = best_words(searcher, &index.commit, &words, k, &mut reads.walked)?;
    // The best few are checked first: the rest score at most the first of them left out.
    let weight = scoring(searcher, tq)?;
    let head = want.max(10) * FIRST_CANDIDATES_PER_HIT;
    // Only worth it when the head's word-layer scores leave the rest behind: a record's
    // score for the whole query is at most its word-layer score, so a page whose last word
    // score ties the rest's first cannot stand on the head.
    let mut verified = if want > 0 && best.len() > head && above(best[want - 1].0, best[head].0) {
        let (head, rest) = best.split_at(head);
        let mut verified = check(searcher, index, &*weight, head.to_vec(), reads, true)?;
        if let Some(page) = settled(&mut verified, rest[0].0, offset, limit) {
            return Ok(Some(page));
        }
        let rest = check(searcher, index, &*weight, rest.to_vec(), reads, true)?;
        verified.extend(rest);
        verified
    } else {
        check(searcher, index, &*weight, best, reads, true)?
    };
    if let Some(page) = settled(&mut verified, floor, offset, limit) {
        return Ok(Some(page));
    }
    let asked = (offset, limit);
    with_ties(searcher, index, &*weight, &words, &verified, asked, reads)
}

/// Most records a tie may bring into a first page before it is left to full evaluation.
const TIED_BOUND: usize = 4 * TOTAL_BOUND;

/// The page `offset..offset + limit` when the candidates `verified` (sorted by
/// [`settled`]) hold enough matches but records left out may tie the page's last hit: a
/// paragraph repeated across sessions makes hundreds of records of one length holding the
/// same words, which score alike, and the word layer's `k` best cut through them. The
/// page stands on [`tied`]'s candidates when its last hit scores above every record they
/// leave out. `None` when it does not.
fn with_ties(
    searcher: &Searcher,
    index: &Index,
    weight: &dyn Weight,
    words: &[Term],
    verified: &[(Score, u64, DocAddress)],
    (offset, limit): (usize, usize),
    reads: &mut Reads,
) -> Result<Option<Vec<(Score, DocAddress)>>> {
    let want = offset + limit;
    if want == 0 || verified.len() < want {
        return Ok(None);
    }
    Ok(
        match tied(searcher, index, weight, words, verified[want - 1].0, reads)? {
            Some(mut found) => settled(&mut found.verified, found.floor, offset, limit),
            None => None,
        },
    )
}

/// The candidates of a page whose last hit scores `last` when records left out by the word
/// layer's best may tie it ([`with_ties`]): every record whose word-layer score is not
/// beyond doubt below `last` (found by norms, [`TIED_BOUND`] at most), checked against
/// `tq`. `None` when there are more, or `last` is too low to tell any record out. `reads`
/// are those of [`candidates`] for the same query and words.
pub(crate) fn tied_candidates(
    searcher: &Searcher,
    index: &Index,
    tq: &dyn TQuery,
    words: &[Term],
    last: Score,
    reads: &mut Reads,
) -> Result<Option<Candidates>> {
    tied(
        searcher,
        index,
        &*scoring(searcher, tq)?,
        words,
        last,
        reads,
    )
}

/// [`tied_candidates`] with the query's weight.
fn tied(
    searcher: &Searcher,
    index: &Index,
    weight: &dyn Weight,
    words: &[Term],
    last: Score,
    reads: &mut Reads,
) -> Result<Option<Candidates>> {
    let Some(floor) = beneath(last) else {
        return Ok(None);
    };
    let stats = Statistics::of(searcher, (index.commit.records, index.commit.words));
    let distinct = distinct(words);
    let walked = &reads.walked;
    let Some(tied) = norms::union_above(searcher, &stats, &distinct, floor, TIED_BOUND, walked)?
    else {
        return Ok(None);
    };
    Ok(Some(Candidates {
        verified: check(searcher, index, weight, tied, reads, false)?,
        floor,
    }))
}

/// The highest positive score that `score` is [`above`], if any.
fn beneath(score: Score) -> Option<Score> {
    let mut floor = (score - 1e-6) / (1.0 + 1e-5);
    while floor > 0.0 && !above(score, floor) {
        floor = floor.next_down();
    }
    (floor > 0.0).then_some(floor)
}

/// The page `offset..offset + limit` of the candidates `verified` when it stands: enough of
/// them match the whole query and the page's last scores above `floor`, the most any
/// record left out can score.
fn settled(
    verified: &mut [(Score, u64, DocAddress)],
    floor: Score,
    offset: usize,
    limit: usize,
) -> Option<Vec<(Score, DocAddress)>> {
    let want = offset + limit;
    if verified.len() < want {
        return None;
    }
    verified.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    if !above(verified[want - 1].0, floor) {
        return None;
    }
    Some(
        verified
            .iter()
            .skip(offset)
            .take(limit)
            .map(|&(score, _, addr)| (score, addr))
            .collect(),
    )
}

/// The word layer's best records that match the whole query.
pub(crate) struct Candidates {
    /// (score for the whole query, stable order, address), in document order.
    pub verified: Vec<(Score, u64, DocAddress)>,
    /// Every record left out scores at most this for the whole query.
    pub floor: Score,
}

/// The word layer's `k` best records for `words` (the word-layer terms of every text the
/// query requires, with repeats, so that a record's word-layer score is never below its
/// score for the whole query), checked against `tq`.
pub(crate) fn candidates(
    searcher: &Searcher,
    index: &Index,
    tq: &dyn TQuery,
    words: Vec<Term>,
    k: usize,
    reads: &mut Reads,
) -> Result<Candidates> {
    let (best, floor) = best_words(searcher, &index.commit, &words, k, &mut reads.walked)?;
    Ok(Candidates {
        verified: check(searcher, index, &*scoring(searcher, tq)?, best, reads, true)?,
        floor,
    })
}

/// What finding one query's first page has read and checked, kept for its next step: a
/// page cut through by ties takes one word's records again and checks records it checked.
#[derive(Default)]
pub(crate) struct Reads {
    /// One word's shortest records, with their ties.
    walked: Walked,
    /// Each record checked against the query, by address: its score and stable order when
    /// it matches.
    checked: Vec<(DocAddress, Option<(Score, u64)>)>,
}

/// The word layer's `k` best records for `words`, best first, and the most a record left
/// out scores for them (0 when fewer than `k` records hold any of the words).
fn best_words(
    searcher: &Searcher,
    commit: &Payload,
    words: &[Term],
    k: usize,
    walked: &mut Walked,
) -> Result<Best> {
    let distinct = distinct(words);
    if distinct.is_empty() || k == 0 {
        return Ok((Vec::new(), 0.0));
    }
    let stats = Statistics::of(searcher, (commit.records, commit.words));
    if distinct.len() == 1 {
        return norms::best_of_one_word(searcher, &stats, distinct[0], k, TIED_BOUND, walked);
    }
    match best_holding_all(searcher, &stats, &distinct, k, walked)? {
        Holding::Settled(best) => Ok(best),
        Holding::Seed(seed) => norms::best_of_union(searcher, &stats, &distinct, k, Some(&seed)),
    }
}

/// What the words' intersection gave.
enum Holding {
    /// The `k` best of the union, with the most a record left out scores.
    Settled(Best),
    /// The intersection's `k` best (or all of it), best first: the union's best among the
    /// records holding every word, which its walk then leaves out (see
    /// [`norms::best_of_union`]).
    Seed(Vec<(Score, DocAddress)>),
}

/// [`best_words`] from the records holding every word of `distinct` (two or more), when
/// those settle it: a record lacking one of the words scores at most the others' best
/// scores (each word's score in the shortest record), and when the `k`th record holding
/// them all scores above that, the `k` best are among those. Walking the words'
/// intersection reads far fewer records than their union (`国际合作`: `国际` and `合作`,
/// each in a fifth of the records). Scored with `stats`, the index's own statistics, which
/// count each word's records once.
fn best_holding_all(
    searcher: &Searcher,
    stats: &Statistics,
    distinct: &[(&Term, u32)],
    k: usize,
    walked: &mut Walked,
) -> Result<Holding> {
    // The most each word adds to a record's score: its score in the shortest record, once
    // for each time the query names it.
    let mut most = Vec::with_capacity(distinct.len());
    for (term, n) in distinct {
        let weight = Bm25Weight::for_terms(stats, std::slice::from_ref(*term))?;
        most.push(weight.score(0, 1) * *n as Score);
    }
    let lacking_one =
        most.iter().sum::<Score>() - most.iter().copied().fold(Score::MAX, Score::min);
    let best = best_of_intersection(searcher, stats, distinct, (k, TIED_BOUND), walked)?;
    Ok(match best.last() {
        Some(&(kth, _)) if best.len() == k && above(kth, lacking_one) => {
            Holding::Settled((best, kth))
        }
        _ => Holding::Seed(best),
    })
}

/// Each word of `words` once, with the times it is named, in the order first named.
fn distinct(words: &[Term]) -> Vec<(&Term, u32)> {
    let mut distinct: Vec<(&Term, u32)> = Vec::new();
    for word in words {
        match distinct.iter_mut().find(|(t, _)| *t == word) {
            Some((_, n)) => *n += 1,
            None => distinct.push((word, 1)),
        }
    }
    distinct
}

/// The weight of `tq`, scored with the searcher's statistics.
fn scoring(searcher: &Searcher, tq: &dyn TQuery) -> Result<Box<dyn Weight>> {
    Ok(tq.weight(EnableScoring::enabled_from_searcher(searcher))?)
}

/// Whether `score` is above `floor` beyond doubt: a little above it, since a record's two
/// scores are sums of the same terms, which may round differently.
pub(crate) fn above(score: Score, floor: Score) -> bool {
    score > floor * (1.0 + 1e-5) + 1e-6
}

/// The candidates that match the whole query, with their score for it and their stable
/// order (read from `index`'s order columns), in document order. Those `reads` has checked
/// already are not checked again; the others are kept in `reads` when the query may check
/// them again (`remember`).
fn check(
    searcher: &Searcher,
    index: &Index,
    weight: &dyn Weight,
    mut candidates: Vec<(Score, DocAddress)>,
    reads: &mut Reads,
    remember: bool,
) -> Result<Vec<(Score, u64, DocAddress)>> {
    candidates.sort_by_key(|c| c.1);
    let mut out = Vec::with_capacity(candidates.len());
    let mut fresh = Vec::with_capacity(candidates.len());
    // Both in the order of addresses: one pass through the records checked.
    let mut seen = reads.checked.iter().peekable();
    for &(_, addr) in &candidates {
        while seen.next_if(|c| c.0 < addr).is_some() {}
        match seen.peek() {
            Some(c) if c.0 == addr => out.extend(c.1.map(|(score, order)| (score, order, addr))),
            _ => fresh.push(addr),
        }
    }
    let (again, before) = (!out.is_empty(), reads.checked.len());
    for segment in fresh.chunk_by(|a, b| a.segment_ord == b.segment_ord) {
        let reader = searcher.segment_reader(segment[0].segment_ord);
        let order = index.columns.order(reader);
        let mut scorer = weight.scorer(reader, 1.0)?;
        for &addr in segment {
            if scorer.doc() < addr.doc_id {
                scorer.seek(addr.doc_id);
            }
            let found =
                (scorer.doc() == addr.doc_id).then(|| (scorer.score(), order.get(addr.doc_id)));
            if remember {
                reads.checked.push((addr, found));
            }
            if let Some((score, order)) = found {
                out.push((score, order, addr));
            }
        }
    }
    // Two runs in the order of addresses each, which a stable sort merges in one pass.
    if again {
        out.sort_by_key(|c| c.2);
    }
    if remember && before > 0 {
        reads.checked.sort_by_key(|c| c.0);
    }
    Ok(out)
}

/// The records matching `tq`, scored: all of them when there are at most `bound`
/// (`complete`), else the first `bound` found. Their stable order is read only when a
/// complete scan is ranked: a scan that stops at the bound is a count.
pub(crate) struct Scan {
    /// (score, address) of each match found, in document order.
    pub matches: Vec<(Score, DocAddress)>,
    /// Whether `matches` holds every match.
    pub complete: bool,
}

impl Scan {
    /// Scans the matches of `tq`, stopping after `bound` of them.
    pub(crate) fn run(searcher: &Searcher, tq: &dyn TQuery, bound: usize) -> Result<Scan> {
        let weight = tq.weight(EnableScoring::enabled_from_searcher(searcher))?;
        let mut matches = Vec::with_capacity(bound.min(TOTAL_BOUND));
        for (ord, reader) in searcher.segment_readers().iter().enumerate() {
            let alive = reader.alive_bitset();
            let mut scorer = weight.scorer(reader, 1.0)?;
            let mut doc = scorer.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    if matches.len() == bound {
                        return Ok(Scan {
                            matches,
                            complete: false,
                        });
                    }
                    matches.push((scorer.score(), DocAddress::new(ord as u32, doc)));
                }
                doc = scorer.advance();
            }
        }
        Ok(Scan {
            matches,
            complete: true,
        })
    }

    /// The page `offset..offset + limit` of a complete scan, best first, then in the stable
    /// order (read from `orders`).
    pub(crate) fn page(
        self,
        searcher: &Searcher,
        orders: &Columns,
        offset: usize,
        limit: usize,
    ) -> Vec<(Score, DocAddress)> {
        let mut ranked = Vec::with_capacity(self.matches.len());
        for segment in self
            .matches
            .chunk_by(|a, b| a.1.segment_ord == b.1.segment_ord)
        {
            let order = orders.order(searcher.segment_reader(segment[0].1.segment_ord));
            ranked.extend(
                segment
                    .iter()
                    .map(|&(score, addr)| (score, order.get(addr.doc_id), addr)),
            );
        }
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranked
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(|(score, _, addr)| (score, addr))
            .collect()
    }
}

impl Index {
    /// The word-layer terms of every text `query` requires, with repeats.
    pub(crate) fn required_words(
        &self,
        searcher: &Searcher,
        query: &crate::Query,
    ) -> Result<Vec<Term>> {
        let mut out = Vec::new();
        for clause in query.clauses.iter().filter(|c| !c.negated) {
            for atom in &clause.any_of {
                if let crate::search::query::Atom::Text(t) = atom {
                    let folded: Vec<char> = crate::text::normalize::fold(t).chars().collect();
                    out.extend(self.word_terms(searcher, &folded)?.into_iter().map(|w| w.0));
                }
            }
        }
        Ok(out)
    }
}

mod norms;
#[cfg(test)]
pub(crate) mod tests;
