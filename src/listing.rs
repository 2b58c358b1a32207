//! Other views of a query's matches: the resolutions that hold them with their record
//! counts (what `rg -l` and `rg -c` answer for files), and records in date order
//! (newest or oldest first) instead of by relevance.

use crate::error::Result;
use crate::first_page::{Scan, TOTAL_BOUND};
use crate::index::{self, UnresIndex};
use crate::query::Query;
use crate::search::{SearchOptions, SearchResults};
use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::columnar::Column;
use tantivy::query::{
    BooleanQuery, ConstScoreQuery, InvertedIndexRangeQuery, Occur, Query as TQuery,
};
use tantivy::schema::Field;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader, Term};

/// The order of records or resolutions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// Best match first (records: BM25, ties newer session first then paragraph order;
    /// resolutions: most matching records first, ties newer first).
    #[default]
    Relevance,
    /// Latest adoption date first (unknown dates last), then resolution and paragraph order.
    Newest,
    /// Earliest adoption date first (unknown dates last), then resolution and paragraph order.
    Oldest,
}

impl Sort {
    /// Reads `relevance`, `newest` or `oldest`.
    pub fn parse(s: &str) -> Option<Sort> {
        match s.to_ascii_lowercase().as_str() {
            "relevance" => Some(Sort::Relevance),
            "newest" => Some(Sort::Newest),
            "oldest" => Some(Sort::Oldest),
            _ => None,
        }
    }
}

/// One resolution (one part of a multi-part resolution) holding matches.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ResolutionCount {
    /// Its symbol, e.g. `A/RES/78/46`.
    pub symbol: String,
    /// Its part (`A`, `B`) in a multi-part resolution.
    pub part: Option<String>,
    /// Session.
    pub session: u32,
    /// Year of adoption.
    pub year: u32,
    /// Adoption date (YYYY-MM-DD), if known.
    pub date: Option<String>,
    /// Title.
    pub title: String,
    /// The file it was read from.
    pub file: String,
    /// How many of its records match.
    pub count: usize,
}

/// Counts matching records by resolution (the order key without its record bits), keeping
/// the first record met of each as its representative.
struct ByResolution;

struct ByResolutionSegment {
    segment: SegmentOrdinal,
    order: Column<u64>,
    counts: HashMap<u64, (usize, DocAddress)>,
}

impl Collector for ByResolution {
    type Fruit = HashMap<u64, (usize, DocAddress)>;
    type Child = ByResolutionSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<ByResolutionSegment> {
        Ok(ByResolutionSegment {
            segment,
            order: reader.fast_fields().u64(index::ORDER)?,
            counts: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let mut all: Self::Fruit = HashMap::new();
        for fruit in fruits {
            for (key, (n, addr)) in fruit {
                let e = all.entry(key).or_insert((0, addr));
                e.0 += n;
            }
        }
        Ok(all)
    }
}

impl SegmentCollector for ByResolutionSegment {
    type Fruit = HashMap<u64, (usize, DocAddress)>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let key = index::resolution_of(self.order.first(doc).unwrap_or(index::NO_ORDER));
        let segment = self.segment;
        self.counts
            .entry(key)
            .or_insert((0, DocAddress::new(segment, doc)))
            .0 += 1;
    }

    fn harvest(self) -> Self::Fruit {
        self.counts
    }
}

impl UnresIndex {
    /// The resolutions holding records that match `query`, each with its count, in the
    /// order asked for. Deterministic: ties fall back to the index's stable order.
    pub fn resolutions(&self, query: &Query, sort: Sort) -> Result<Vec<ResolutionCount>> {
        let query = &*crate::traditional::expand(query);
        let searcher = self.reader.searcher();
        let tq = self.compile(&searcher, query)?;
        let groups = searcher.search(&tq, &ByResolution)?;
        let mut out = Vec::with_capacity(groups.len());
        for (key, (count, addr)) in groups {
            let r = self.load(&searcher, addr)?;
            out.push((
                key,
                ResolutionCount {
                    symbol: r.symbol,
                    part: r.part,
                    session: r.session,
                    year: r.year,
                    date: r.date,
                    title: r.title,
                    file: r.file,
                    count,
                },
            ));
        }
        // The key orders newer sessions first, then resolution number and part.
        match sort {
            Sort::Relevance => out.sort_by_key(|(k, r)| (Reverse(r.count), *k)),
            Sort::Newest => {
                out.sort_by_key(|(k, r)| (Reverse(index::date_key(r.date.as_deref())), *k))
            }
            Sort::Oldest => out.sort_by_key(|(k, r)| {
                (
                    Reverse(oldest_first(index::date_key(r.date.as_deref()))),
                    *k,
                )
            }),
        }
        Ok(out.into_iter().map(|(_, r)| r).collect())
    }

    /// One page of the records matching `query`, in the order asked for, with the total.
    /// [`Sort::Relevance`] is [`UnresIndex::search`].
    pub fn search_sorted(
        &self,
        query: &Query,
        opts: SearchOptions,
        sort: Sort,
    ) -> Result<SearchResults> {
        if sort == Sort::Relevance {
            return self.search(query, opts);
        }
        let query = &*crate::traditional::expand(query);
        let searcher = self.reader.searcher();
        let tq = self.compile(&searcher, query)?;
        let (offset, limit) = crate::search::page(&searcher, opts);
        if !opts.exact_total && !Scan::run(&searcher, &*tq, TOTAL_BOUND)?.complete {
            if let Some(page) = self.dated_window(&searcher, &*tq, sort, offset, limit)? {
                let hits = self.hits(&searcher, query, page.into_iter(), opts)?;
                return Ok(SearchResults {
                    total: TOTAL_BOUND,
                    total_exact: false,
                    hits,
                });
            }
        }
        let (page, total) = in_date_order(&searcher, &*tq, sort, offset, limit)?;
        let hits = self.hits(&searcher, query, page.into_iter(), opts)?;
        Ok(SearchResults {
            total,
            total_exact: true,
            hits,
        })
    }

    /// The page `offset..offset + limit` in date order of a query with more than
    /// [`TOTAL_BOUND`] matches, from the records of the latest (or earliest) dates alone:
    /// a window of dates holding about [`WINDOW_PER_HIT`] records a hit, widened eightfold
    /// while fewer than the page match there. Every record left out has a date outside the
    /// window, so it ranks after the page. `None` when the window would take every known
    /// date (the caller evaluates every match).
    fn dated_window(
        &self,
        searcher: &Searcher,
        tq: &dyn TQuery,
        sort: Sort,
        offset: usize,
        limit: usize,
    ) -> Result<Option<Vec<(Score, DocAddress)>>> {
        let want = offset.saturating_add(limit);
        for dates in date_windows(searcher, self.fields.date, sort, want)? {
            let (page, matched) = in_date_order(searcher, &dates.within(tq), sort, offset, limit)?;
            if matched >= want {
                return Ok(Some(page));
            }
        }
        Ok(None)
    }
}

/// A range of adoption dates, both ends included.
pub(crate) struct DateWindow {
    field: Field,
    first: u64,
    last: u64,
}

impl DateWindow {
    /// The records matching `tq` whose date is in the window, scored as by `tq` alone.
    pub(crate) fn within(&self, tq: &dyn TQuery) -> BooleanQuery {
        let term = |d: u64| Bound::Included(Term::from_field_u64(self.field, d));
        let dates = InvertedIndexRangeQuery::new(term(self.first), term(self.last));
        BooleanQuery::new(vec![
            (Occur::Must, tq.box_clone()),
            (
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(dates), 0.0)),
            ),
        ])
    }
}

/// Windows of the latest (or, for [`Sort::Oldest`], earliest) known dates for a page of
/// `want` records in date order, each eight times the records of the one before, the
/// first of about [`WINDOW_PER_HIT`] records a hit; none takes every known date. A record
/// whose date is outside a window ranks after every record inside it (an unknown date
/// ranks last either way).
pub(crate) fn date_windows(
    searcher: &Searcher,
    field: Field,
    sort: Sort,
    want: usize,
) -> Result<Vec<DateWindow>> {
    let mut known: Vec<(u64, u64)> = date_counts(searcher, field)?
        .into_iter()
        .filter(|&(d, _)| d != 0)
        .collect();
    if sort == Sort::Newest {
        known.reverse();
    }
    let mut out = Vec::new();
    let mut window = (want as u64).saturating_mul(WINDOW_PER_HIT).max(MIN_WINDOW);
    let mut records = 0;
    for (i, &(date, n)) in known.iter().enumerate() {
        records += n;
        if i + 1 == known.len() {
            break;
        }
        if records >= window {
            out.push(DateWindow {
                field,
                first: date.min(known[0].0),
                last: date.max(known[0].0),
            });
            window = window.saturating_mul(8);
        }
    }
    Ok(out)
}

/// How many records of the latest (or earliest) dates are searched first for each hit of
/// a page in date order.
const WINDOW_PER_HIT: u64 = 100;
/// The fewest records searched first for a page in date order.
const MIN_WINDOW: u64 = 1000;

/// How many records carry each adoption date, from the date field's term dictionary
/// (deleted records included: the counts only size a window).
fn date_counts(searcher: &Searcher, date: Field) -> Result<BTreeMap<u64, u64>> {
    let mut out = BTreeMap::new();
    for reader in searcher.segment_readers() {
        let inverted = reader.inverted_index(date)?;
        let mut terms = inverted
            .terms()
            .stream()
            .map_err(tantivy::TantivyError::from)?;
        while terms.advance() {
            if let Ok(bytes) = <[u8; 8]>::try_from(terms.key()) {
                *out.entry(u64::from_be_bytes(bytes)).or_default() +=
                    u64::from(terms.value().doc_freq);
            }
        }
    }
    Ok(out)
}

/// The page `offset..offset + limit` of `tq`'s matches in date order (ties: the stable
/// order), with their scores, and how many records match.
fn in_date_order(
    searcher: &Searcher,
    tq: &dyn TQuery,
    sort: Sort,
    offset: usize,
    limit: usize,
) -> Result<(Vec<(Score, DocAddress)>, usize)> {
    let oldest = sort == Sort::Oldest;
    let top = TopDocs::with_limit(limit).and_offset(offset).tweak_score(
        move |segment: &SegmentReader| {
            let ff = segment.fast_fields();
            let date = ff.u64(index::DATE).ok().map(|c| c.first_or_default_col(0));
            let order = index::OrderColumn::of(segment);
            move |doc: DocId, score: Score| {
                let d = date.as_ref().map_or(0, |c| c.get_val(doc));
                let o = order.get(doc);
                // Greatest first: the date (or its opposite), then the stable order.
                let d = if oldest { oldest_first(d) } else { d };
                (d, Reverse(o), score)
            }
        },
    );
    let (top, total) = searcher.search(tq, &(top, Count))?;
    Ok((
        top.into_iter()
            .map(|((_, _, score), addr)| (score, addr))
            .collect(),
        total,
    ))
}

/// For oldest first, greatest first: earlier dates are greater, and an unknown date (0)
/// stays the least.
pub(crate) fn oldest_first(date: u64) -> u64 {
    if date == 0 {
        0
    } else {
        u64::MAX - date
    }
}
