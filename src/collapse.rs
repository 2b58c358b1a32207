//! Search across sessions without the flood: the records matching a query, one per
//! paragraph of a series, each shown in its newest version with the other sessions where
//! the same text matches (`search --collapse`).
//!
//! Two matching records are one paragraph when their resolutions belong to the same series
//! ([`crate::links`]), they are of the same kind, and their folded texts are the same (the
//! `text_hash` fast field, a hash of the folded text seeded with the kind); a text found
//! twice in one resolution (`同上。`) stays two paragraphs, its first occurrence grouped
//! with the first occurrence of the other sessions. Grouping reads fast fields only: the
//! stored records are loaded for the page shown, not for every match. A broad query's
//! first page is settled without grouping every match when it can be (candidates from the
//! word layer, or the first matches in the stable order), its totals then lower bounds.

use crate::error::Result;
use crate::first_page::{self, TOTAL_BOUND};
use crate::index::{self, UnresIndex};
use crate::links::Table;
use crate::listing::Sort;
use crate::query::Query;
use crate::search::{Hit, SearchOptions};
use std::collections::HashMap;
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::columnar::ColumnValues;
use tantivy::query::{EnableScoring, Query as TQuery};
use tantivy::{
    DocAddress, DocId, DocSet, Score, Searcher, SegmentOrdinal, SegmentReader, TERMINATED,
};

/// Another member of a series where a collapsed paragraph's text matches unchanged.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AlsoIn {
    /// The resolution's symbol, e.g. `A/RES/77/71`.
    pub symbol: String,
    /// Its part letter in a multi-part resolution.
    pub part: Option<String>,
    /// Its session.
    pub session: u32,
}

/// One paragraph of collapsed results.
#[derive(Debug, Clone)]
pub struct CollapsedHit {
    /// The paragraph's newest version among the matches.
    pub hit: Hit,
    /// The other resolutions of its series where the same text matches, newest first.
    pub also_in: Vec<AlsoIn>,
}

/// One page of collapsed results, with the totals.
#[derive(Debug, Clone)]
pub struct CollapsedResults {
    /// How many paragraphs (groups of records) match in all, or at least, when
    /// `total_exact` is false.
    pub total: usize,
    /// How many records match in all (as [`UnresIndex::count`] says), or at least, when
    /// `total_exact` is false.
    pub records: usize,
    /// Whether both totals count every match.
    pub total_exact: bool,
    /// Whether `records` counts every match (also when `total_exact` is false: a query
    /// without words of its own visits every match to rank them).
    pub records_exact: bool,
    /// The paragraphs asked for, best first.
    pub hits: Vec<CollapsedHit>,
}

/// One matching record, as its fast fields describe it.
#[derive(Debug, Clone, Copy)]
struct Row {
    score: Score,
    order: u64,
    /// The folded text's hash, seeded with the kind.
    hash: u64,
    date: u64,
    addr: DocAddress,
}

/// A fast field read as one value a document.
type Dense = std::sync::Arc<dyn ColumnValues<u64>>;

/// Gathers every matching record's fast fields, in document order.
struct Gather {
    /// Scores are wanted (relevance order).
    scoring: bool,
    /// Dates are wanted (date order).
    dates: bool,
}

struct GatherSegment {
    segment: SegmentOrdinal,
    order: Dense,
    hash: Dense,
    date: Option<Dense>,
    rows: Vec<Row>,
}

impl Collector for Gather {
    type Fruit = Vec<Row>;
    type Child = GatherSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<GatherSegment> {
        let ff = reader.fast_fields();
        Ok(GatherSegment {
            segment,
            order: ff.u64(index::ORDER)?.first_or_default_col(index::NO_ORDER),
            hash: ff.u64(index::TEXT_HASH)?.first_or_default_col(0),
            date: if self.dates {
                Some(ff.u64(index::DATE)?.first_or_default_col(0))
            } else {
                None
            },
            rows: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scoring
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Row>>) -> tantivy::Result<Vec<Row>> {
        Ok(fruits.concat())
    }
}

impl SegmentCollector for GatherSegment {
    type Fruit = Vec<Row>;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.rows.push(Row {
            score,
            order: self.order.get_val(doc),
            hash: self.hash.get_val(doc),
            date: self.date.as_ref().map_or(0, |d| d.get_val(doc)),
            addr: DocAddress::new(self.segment, doc),
        });
    }

    fn harvest(self) -> Vec<Row> {
        self.rows
    }
}

/// The records of one paragraph across the sessions of its series.
#[derive(Debug, Clone, Copy)]
struct Group {
    /// The best score of its records.
    score: Score,
    /// Its newest record (the least order key).
    newest: Row,
}

/// A hasher for keys that are already hashes or small numbers: a multiply and a rotate a
/// word, far cheaper than SipHash over tens of thousands of rows.
#[derive(Default)]
struct Mix(u64);

impl std::hash::Hasher for Mix {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = (self.0 ^ x)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(29);
    }
    fn write_usize(&mut self, x: usize) {
        self.write_u64(x as u64);
    }
}

type MixMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Mix>>;

/// The groups of the rows (series, text hash with the kind, occurrence in the resolution)
/// and the group of each row.
///
/// A file's records enter the index as one batch, which tantivy writes to one segment in
/// order, so the rows of one resolution come one after the other: the occurrences of a
/// text in a resolution are counted from where its rows begin.
fn group(rows: &[Row], table: &Table) -> (Vec<Group>, Vec<u32>) {
    let mut at: MixMap<(u64, u64, u32), u32> = MixMap::default();
    at.reserve(rows.len());
    let mut groups: Vec<Group> = Vec::new();
    let mut of_row: Vec<u32> = Vec::with_capacity(rows.len());
    let mut occurrences: MixMap<u64, u32> = MixMap::default();
    let (mut current, mut series) = (None, 0);
    for row in rows {
        let resolution = index::resolution_of(row.order);
        if current != Some(resolution) {
            current = Some(resolution);
            occurrences.clear();
            // The series: its root in the links table, or the resolution itself (high
            // bit set) when the table does not know it.
            series = table
                .by_key(resolution)
                .map_or(1 << 63 | resolution, |i| table.root(i) as u64);
        }
        let occurrence = occurrences.entry(row.hash).or_insert(0);
        let key = (series, row.hash, *occurrence);
        *occurrence += 1;
        let g = *at.entry(key).or_insert_with(|| {
            groups.push(Group {
                score: row.score,
                newest: *row,
            });
            (groups.len() - 1) as u32
        });
        let group = &mut groups[g as usize];
        if row.score > group.score {
            group.score = row.score;
        }
        if row.order < group.newest.order {
            group.newest = *row;
        }
        of_row.push(g);
    }
    (groups, of_row)
}

/// The first `end` groups, best first as `sort` says; the newest record's order key makes
/// it a total order.
fn ranked(groups: &[Group], of: impl Iterator<Item = u32>, sort: Sort, end: usize) -> Vec<u32> {
    let rank = |a: &u32, b: &u32| {
        let (a, b) = (&groups[*a as usize], &groups[*b as usize]);
        let by_order = a.newest.order.cmp(&b.newest.order);
        match sort {
            Sort::Relevance => b.score.total_cmp(&a.score).then(by_order),
            Sort::Newest => b.newest.date.cmp(&a.newest.date).then(by_order),
            Sort::Oldest => {
                let oldest = |g: &Group| crate::listing::oldest_first(g.newest.date);
                oldest(b).cmp(&oldest(a)).then(by_order)
            }
        }
    };
    let mut ranked: Vec<u32> = of.collect();
    let end = end.min(ranked.len());
    if end > 0 && end < ranked.len() {
        ranked.select_nth_unstable_by(end - 1, rank);
    }
    ranked.truncate(end);
    ranked.sort_unstable_by(rank);
    ranked
}

/// Matching records grouped: the rows, their groups and the group of each row.
struct Grouped {
    rows: Vec<Row>,
    groups: Vec<Group>,
    of_row: Vec<u32>,
}

impl Grouped {
    fn new(rows: Vec<Row>, table: &Table) -> Grouped {
        let (groups, of_row) = group(&rows, table);
        Grouped {
            rows,
            groups,
            of_row,
        }
    }

    /// The text hashes of `groups`, sorted, without repeats.
    fn texts(&self, groups: &[u32]) -> Vec<u64> {
        let mut texts: Vec<u64> = groups
            .iter()
            .map(|&g| self.groups[g as usize].newest.hash)
            .collect();
        texts.sort_unstable();
        texts.dedup();
        texts
    }
}

/// How many word-layer candidates are checked for each paragraph of a collapsed page:
/// more than for a page of records, since each version of a paragraph is a candidate.
const CANDIDATES_PER_PARAGRAPH: usize = 30;

/// How many of the first matches in the stable order are read for each paragraph of a page
/// of a query without word-layer terms.
const FIRST_PER_PARAGRAPH: usize = 4;

/// Pages reaching past this many paragraphs group every match: settling them from the
/// first records would read nearly as many.
const MAX_QUICK_PARAGRAPHS: usize = 100;

/// What the bounded path found.
enum Quick {
    /// The page, settled from the candidates, with lower bounds for the totals.
    Page(CollapsedResults),
    /// Every match (fewer than [`TOTAL_BOUND`]), scored.
    All(Vec<Row>),
    /// Nothing settled: every match must be grouped.
    Unsettled,
}

impl UnresIndex {
    /// Runs a query and returns one page of paragraphs, each once in its newest version
    /// with the other sessions of its series where the same text matches, and the totals
    /// of paragraphs and records. Paragraphs are ordered as `sort` says: by their best
    /// record's relevance, or by their newest version's date; ties follow the index's
    /// stable order.
    ///
    /// Ranked by relevance, a query matching more than [`TOTAL_BOUND`] records has its
    /// page settled, when it can be, from the word layer's best records without grouping
    /// every match, as [`UnresIndex::search`] does; both totals are then lower bounds
    /// ([`CollapsedResults::total_exact`]). `opts.exact_total` groups every match.
    pub fn search_collapsed(
        &self,
        query: &Query,
        opts: SearchOptions,
        sort: Sort,
    ) -> Result<CollapsedResults> {
        let query = &*crate::traditional::expand(query);
        let searcher = self.reader.searcher();
        let table = self.links()?;
        let relevance = sort == Sort::Relevance;
        let bounded = opts.offset.saturating_add(opts.limit) <= MAX_QUICK_PARAGRAPHS;
        let rows = if !opts.exact_total && opts.limit > 0 && bounded {
            let quick = if relevance {
                self.quick(&searcher, query, opts, table)?
            } else {
                self.dated(&searcher, query, opts, sort, table)?
            };
            match quick {
                Quick::Page(results) => return Ok(results),
                Quick::All(rows) => rows,
                Quick::Unsettled => self.gather(&searcher, query, relevance, !relevance)?,
            }
        } else {
            self.gather(&searcher, query, relevance, !relevance)?
        };
        let all = Grouped::new(rows, table);
        let end = opts.offset.saturating_add(opts.limit);
        let page: Vec<u32> = ranked(&all.groups, 0..all.groups.len() as u32, sort, end)
            .into_iter()
            .skip(opts.offset)
            .collect();
        Ok(CollapsedResults {
            total: all.groups.len(),
            records: all.rows.len(),
            total_exact: true,
            records_exact: true,
            hits: self.collapsed_hits(&searcher, query, opts, &all, &page, table)?,
        })
    }

    /// The page's hits with the other resolutions where each matches.
    fn collapsed_hits(
        &self,
        searcher: &Searcher,
        query: &Query,
        opts: SearchOptions,
        all: &Grouped,
        page: &[u32],
        table: &Table,
    ) -> Result<Vec<CollapsedHit>> {
        let hits = self.hits(
            searcher,
            query,
            page.iter().map(|&g| {
                let g = &all.groups[g as usize];
                (g.score, g.newest.addr)
            }),
            opts,
        )?;
        // The resolutions of the groups shown, from one pass over the rows.
        let mut members: MixMap<u32, Vec<u64>> = page.iter().map(|&g| (g, Vec::new())).collect();
        for (row, g) in all.rows.iter().zip(&all.of_row) {
            if let Some(m) = members.get_mut(g) {
                m.push(index::resolution_of(row.order));
            }
        }
        Ok(hits
            .into_iter()
            .zip(page)
            .map(|(hit, g)| {
                let newest = index::resolution_of(all.groups[*g as usize].newest.order);
                CollapsedHit {
                    hit,
                    also_in: also_in(&members[g], newest, table),
                }
            })
            .collect())
    }

    /// A relevance-ranked page without grouping every match.
    ///
    /// The matches are scanned up to [`TOTAL_BOUND`]; with fewer, they are all the rows.
    /// Otherwise the word layer's best records are checked against the query and grouped
    /// (see [`first_page::candidates`]), and the page stands when its last paragraph scores
    /// above the floor, the most any record left out can score. That settles it whole:
    /// the versions of one paragraph hold the same folded text, so they score the same
    /// (BM25 over the same words, the same length; the exact layer and the filters add a
    /// constant), and a paragraph above the floor has every version among the candidates.
    /// A paragraph left out scores at most the floor, below the page. The test
    /// `versions_of_a_paragraph_score_the_same` holds the premise.
    fn quick(
        &self,
        searcher: &Searcher,
        query: &Query,
        opts: SearchOptions,
        table: &Table,
    ) -> Result<Quick> {
        let words = self.required_words(searcher, query)?;
        let tq = self.compile(searcher, query)?;
        if words.is_empty() {
            return self.by_order(searcher, query, &*tq, opts, table);
        }
        let (scanned, complete) = scan(searcher, &*tq, TOTAL_BOUND)?;
        if complete {
            return Ok(Quick::All(scanned));
        }
        let want = opts.offset.saturating_add(opts.limit);
        let k = want.max(10).saturating_mul(CANDIDATES_PER_PARAGRAPH);
        let found = first_page::candidates(searcher, &*tq, words, k)?;
        let candidates = Grouped::new(with_hashes(searcher, found.verified), table);
        let page = ranked(
            &candidates.groups,
            0..candidates.groups.len() as u32,
            Sort::Relevance,
            want,
        );
        let Some(&last) = page.get(want - 1) else {
            return Ok(Quick::Unsettled);
        };
        let last = candidates.groups[last as usize].score;
        if !first_page::above(last, found.floor) {
            return Ok(Quick::Unsettled);
        }
        let page: Vec<u32> = page.into_iter().skip(opts.offset).collect();
        // Lower bounds: the paragraphs among the matches scanned, or the candidates' groups
        // above the floor (whole, as the page's are).
        let whole = candidates
            .groups
            .iter()
            .filter(|g| first_page::above(g.score, found.floor))
            .count();
        Ok(Quick::Page(CollapsedResults {
            total: group(&scanned, table).0.len().max(whole),
            records: scanned.len().max(candidates.rows.len()),
            total_exact: false,
            records_exact: false,
            hits: self.collapsed_hits(searcher, query, opts, &candidates, &page, table)?,
        }))
    }

    /// A page of a query without word-layer terms, whose matches all score the same: its
    /// paragraphs rank by their newest version's place in the stable order. The first
    /// matches in that order are read (tantivy keeps the best of them while visiting every
    /// match, without scoring); a paragraph first met there is met in its newest version,
    /// so the first paragraphs met are the page, once there are enough of them. Their
    /// other versions are found by their texts' hashes (see [`rows_of_texts`]). The record
    /// total is exact; the paragraph total a lower bound.
    fn by_order(
        &self,
        searcher: &Searcher,
        query: &Query,
        tq: &dyn TQuery,
        opts: SearchOptions,
        table: &Table,
    ) -> Result<Quick> {
        let want = opts.offset.saturating_add(opts.limit);
        let first = TopDocs::with_limit(want.max(10).saturating_mul(FIRST_PER_PARAGRAPH))
            .order_by_u64_field(index::ORDER, tantivy::Order::Asc);
        let (first, records) = searcher.search(tq, &(first, Count))?;
        if records <= TOTAL_BOUND {
            return Ok(Quick::Unsettled);
        }
        let mut first: Vec<DocAddress> = first.into_iter().map(|(_, addr)| addr).collect();
        // Document order: a resolution's rows together, for counting repeated texts.
        first.sort_unstable();
        let met = Grouped::new(rows_at(searcher, &first)?, table);
        if met.groups.len() < want {
            return Ok(Quick::Unsettled);
        }
        let page = ranked(
            &met.groups,
            0..met.groups.len() as u32,
            Sort::Relevance,
            want,
        );
        let texts = met.texts(&page);
        // Every version of those texts: the page's paragraphs whole, and other paragraphs
        // of the same texts, which rank after them.
        let whole = Grouped::new(rows_of_texts(searcher, tq, &texts)?, table);
        let page: Vec<u32> = ranked(
            &whole.groups,
            0..whole.groups.len() as u32,
            Sort::Relevance,
            want,
        )
        .into_iter()
        .skip(opts.offset)
        .collect();
        Ok(Quick::Page(CollapsedResults {
            total: met.groups.len().max(whole.groups.len()),
            records,
            total_exact: false,
            records_exact: true,
            hits: self.collapsed_hits(searcher, query, opts, &whole, &page, table)?,
        }))
    }

    /// A page in date order (of each paragraph's newest version) of a query with more than
    /// [`TOTAL_BOUND`] matches, from the records of a window of the latest (or earliest)
    /// dates (see [`crate::listing::date_windows`]), widened until it holds the page.
    /// A paragraph met there ranks no higher than its versions in the window say (its
    /// newest version may be outside, and older or newer), one not met ranks after every
    /// record inside; so the page stands when every version of its texts, found by their
    /// hashes, confirms its newest versions.
    fn dated(
        &self,
        searcher: &Searcher,
        query: &Query,
        opts: SearchOptions,
        sort: Sort,
        table: &Table,
    ) -> Result<Quick> {
        let want = opts.offset.saturating_add(opts.limit);
        let tq = self.compile(searcher, query)?;
        if scan(searcher, &*tq, TOTAL_BOUND)?.1 {
            return Ok(Quick::Unsettled);
        }
        let newest_of = |all: &Grouped, page: &[u32]| -> Vec<u64> {
            page.iter()
                .map(|&g| all.groups[g as usize].newest.order)
                .collect()
        };
        for dates in crate::listing::date_windows(searcher, self.fields.date, sort, want)? {
            let met = searcher.search(
                &dates.within(&*tq),
                &Gather {
                    scoring: false,
                    dates: true,
                },
            )?;
            let met = Grouped::new(met, table);
            if met.groups.len() < want {
                continue;
            }
            let page = ranked(&met.groups, 0..met.groups.len() as u32, sort, want);
            let texts = met.texts(&page);
            let whole = Grouped::new(rows_of_texts(searcher, &*tq, &texts)?, table);
            let settled = ranked(&whole.groups, 0..whole.groups.len() as u32, sort, want);
            if newest_of(&whole, &settled) != newest_of(&met, &page) {
                return Ok(Quick::Unsettled);
            }
            let page: Vec<u32> = settled.into_iter().skip(opts.offset).collect();
            return Ok(Quick::Page(CollapsedResults {
                total: met.groups.len(),
                records: met.rows.len().max(TOTAL_BOUND),
                total_exact: false,
                records_exact: false,
                hits: self.collapsed_hits(searcher, query, opts, &whole, &page, table)?,
            }));
        }
        Ok(Quick::Unsettled)
    }

    /// Counts the paragraphs matching a query as [`UnresIndex::search_collapsed`] groups
    /// them (one per text of a series).
    pub fn count_collapsed(&self, query: &Query) -> Result<usize> {
        let query = &*crate::traditional::expand(query);
        let rows = self.gather(&self.reader.searcher(), query, false, false)?;
        Ok(group(&rows, self.links()?).0.len())
    }

    /// Every record matching `query` (already expanded), as rows to group: scored and with
    /// dates only when asked.
    fn gather(
        &self,
        searcher: &Searcher,
        query: &Query,
        scoring: bool,
        dates: bool,
    ) -> Result<Vec<Row>> {
        let tq = self.compile(searcher, query)?;
        Ok(searcher.search(&tq, &Gather { scoring, dates })?)
    }
}

/// The first `bound` matches of `tq` in document order, scored, and whether they are all.
fn scan(searcher: &Searcher, tq: &dyn TQuery, bound: usize) -> Result<(Vec<Row>, bool)> {
    let weight = tq.weight(EnableScoring::enabled_from_searcher(searcher))?;
    let mut rows = Vec::new();
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let alive = reader.alive_bitset();
        let ff = reader.fast_fields();
        let order = ff.u64(index::ORDER)?.first_or_default_col(index::NO_ORDER);
        let hash = ff.u64(index::TEXT_HASH)?.first_or_default_col(0);
        let mut scorer = weight.scorer(reader, 1.0)?;
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                if rows.len() == bound {
                    return Ok((rows, false));
                }
                rows.push(Row {
                    score: scorer.score(),
                    order: order.get_val(doc),
                    hash: hash.get_val(doc),
                    date: 0,
                    addr: DocAddress::new(ord as SegmentOrdinal, doc),
                });
            }
            doc = scorer.advance();
        }
    }
    Ok((rows, true))
}

/// The rows of the records at `addrs` (in document order), unscored.
fn rows_at(searcher: &Searcher, addrs: &[DocAddress]) -> Result<Vec<Row>> {
    let mut rows = Vec::with_capacity(addrs.len());
    for segment in addrs.chunk_by(|a, b| a.segment_ord == b.segment_ord) {
        let ff = searcher
            .segment_reader(segment[0].segment_ord)
            .fast_fields();
        let order = ff.u64(index::ORDER)?.first_or_default_col(index::NO_ORDER);
        let hash = ff.u64(index::TEXT_HASH)?.first_or_default_col(0);
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
/// unscored (as every match of a query without words, or in date order, is), with dates: the hash column is read whole, a mask of low bits rejecting most values
/// before a binary search, and the few records left are checked with the query's scorer.
fn rows_of_texts(searcher: &Searcher, tq: &dyn TQuery, texts: &[u64]) -> Result<Vec<Row>> {
    const MASK_BITS: u64 = 4096;
    let mut mask = vec![0u64; (MASK_BITS / 64) as usize];
    let bit = |h: u64| ((h % MASK_BITS / 64) as usize, 1u64 << (h % 64));
    for &h in texts {
        let (word, b) = bit(h);
        mask[word] |= b;
    }
    let weight = tq.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut rows = Vec::new();
    let mut values = vec![0u64; 4096];
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let ff = reader.fast_fields();
        let order = ff.u64(index::ORDER)?.first_or_default_col(index::NO_ORDER);
        let hash = ff.u64(index::TEXT_HASH)?.first_or_default_col(0);
        let date = ff.u64(index::DATE)?.first_or_default_col(0);
        let alive = reader.alive_bitset();
        let mut docs: Vec<DocId> = Vec::new();
        let mut start: DocId = 0;
        while start < reader.max_doc() {
            let len = (reader.max_doc() - start).min(values.len() as DocId);
            let values = &mut values[..len as usize];
            hash.get_range(u64::from(start), values);
            for (doc, &h) in (start..).zip(values.iter()) {
                let (word, b) = bit(h);
                if mask[word] & b != 0 && texts.binary_search(&h).is_ok() {
                    docs.push(doc);
                }
            }
            start += len;
        }
        if docs.is_empty() {
            continue;
        }
        let mut scorer = weight.scorer(reader, 1.0)?;
        for doc in docs {
            if scorer.doc() < doc {
                scorer.seek(doc);
            }
            if scorer.doc() == TERMINATED {
                break;
            }
            if scorer.doc() == doc && alive.is_none_or(|a| a.is_alive(doc)) {
                rows.push(Row {
                    score: 0.0,
                    order: order.get_val(doc),
                    hash: hash.get_val(doc),
                    date: date.get_val(doc),
                    addr: DocAddress::new(ord as SegmentOrdinal, doc),
                });
            }
        }
    }
    Ok(rows)
}

/// Rows of checked candidates (in document order), with their text hashes.
fn with_hashes(searcher: &Searcher, verified: Vec<(Score, u64, DocAddress)>) -> Vec<Row> {
    let mut rows = Vec::with_capacity(verified.len());
    for segment in verified.chunk_by(|a, b| a.2.segment_ord == b.2.segment_ord) {
        let reader = searcher.segment_reader(segment[0].2.segment_ord);
        let hash = reader
            .fast_fields()
            .u64(index::TEXT_HASH)
            .map(|c| c.first_or_default_col(0))
            .ok();
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
fn also_in(resolutions: &[u64], newest: u64, table: &Table) -> Vec<AlsoIn> {
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
