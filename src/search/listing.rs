//! Other views of a query's matches: the resolutions that hold them with their record
//! counts (what `rg -l` and `rg -c` answer for files), and records in date order
//! (newest or oldest first) instead of by relevance.

use crate::error::Result;
use crate::index::{self, Index};
use crate::search::first_page::TOTAL_BOUND;
use crate::search::ordered::{first_bounded, BySession};
use crate::search::query::Query;
use crate::search::records::SearchResults;
use crate::search::request::{SearchOptions, Sort};
use std::cmp::Reverse;
use std::collections::HashMap;
use std::ops::Bound;
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::columnar::Column;
use tantivy::query::{
    BooleanQuery, ConstScoreQuery, InvertedIndexRangeQuery, Occur, Query as TQuery,
};
use tantivy::schema::Field;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader, Term};

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

/// The resolutions holding matches: one page of them, with the totals.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ResolutionList {
    /// How many resolutions (parts counted separately) hold matches.
    pub total: usize,
    /// How many records match in all.
    pub records: usize,
    /// The resolutions asked for, in the order asked for.
    pub resolutions: Vec<ResolutionCount>,
}

/// The number of matching records in one session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct SessionCount {
    /// The session.
    pub session: u32,
    /// How many of its records match.
    pub count: usize,
}

/// Matches per session, with the total.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SessionList {
    /// How many records match in all.
    pub total: usize,
    /// Sessions holding matches: oldest first, or newest first when sorted by
    /// [`Sort::Newest`]; one page of them.
    pub sessions: Vec<SessionCount>,
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
            order: reader.fast_fields().u64(index::order::ORDER)?,
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
        let key =
            index::order::resolution_of(self.order.first(doc).unwrap_or(index::order::NO_ORDER));
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

impl Index {
    /// The resolutions holding records that match `query` (already expanded), each with its
    /// count, in the order asked for, one page of them. Deterministic: ties fall back to the
    /// index's stable order.
    pub(crate) fn resolutions(
        &self,
        query: &Query,
        opts: SearchOptions,
        sort: Sort,
    ) -> Result<ResolutionList> {
        let searcher = self.reader.searcher();
        let tq = self.compile(&searcher, query)?;
        let groups = searcher.search(&tq, &ByResolution)?;
        let table = self.links()?;
        let mut out = Vec::with_capacity(groups.len());
        let mut reader = self.reader(&searcher)?;
        for (key, (count, addr)) in groups {
            let line = match table.by_key(key) {
                // The facts kept once per resolution: no stored record is opened.
                Some(i) => ResolutionCount {
                    symbol: table.symbol(i).to_string(),
                    part: table.part(i).map(str::to_string),
                    session: table.session(i),
                    year: table.year(i),
                    date: table.date(i).map(str::to_string),
                    title: table.title(i).to_string(),
                    file: table.file(i).to_string(),
                    count,
                },
                None => {
                    let r = reader.load(addr)?;
                    ResolutionCount {
                        symbol: r.symbol,
                        part: r.part,
                        session: r.session,
                        year: r.year,
                        date: r.date,
                        title: r.title,
                        file: r.file,
                        count,
                    }
                }
            };
            out.push((key, line));
        }
        // The key orders newer sessions first, then resolution number and part.
        match sort {
            Sort::Relevance => out.sort_by_key(|(k, r)| (Reverse(r.count), *k)),
            Sort::Newest => {
                out.sort_by_key(|(k, r)| (Reverse(index::order::date_key(r.date.as_deref())), *k))
            }
            Sort::Oldest => out.sort_by_key(|(k, r)| {
                (
                    Reverse(oldest_first(index::order::date_key(r.date.as_deref()))),
                    *k,
                )
            }),
        }
        let records = out.iter().map(|(_, r)| r.count).sum();
        let total = out.len();
        Ok(ResolutionList {
            total,
            records,
            resolutions: out
                .into_iter()
                .skip(opts.offset)
                .take(opts.limit)
                .map(|(_, r)| r)
                .collect(),
        })
    }

    /// The number of records matching `query` (already expanded) in each session that
    /// holds any, one page of sessions in the order asked for.
    pub(crate) fn sessions(
        &self,
        query: &Query,
        opts: SearchOptions,
        sort: Sort,
    ) -> Result<SessionList> {
        let searcher = self.reader.searcher();
        let tq = self.compile(&searcher, query)?;
        let counts = searcher.search(&tq, &BySession)?;
        let total = counts.values().sum();
        let mut sessions: Vec<SessionCount> = counts
            .into_iter()
            .map(|(session, count)| SessionCount {
                session: u32::try_from(session).unwrap_or(u32::MAX),
                count,
            })
            .collect();
        if sort == Sort::Newest {
            sessions.reverse();
        }
        Ok(SessionList {
            total,
            sessions: sessions
                .into_iter()
                .skip(opts.offset)
                .take(opts.limit)
                .collect(),
        })
    }

    /// One page of the records matching `query` (already expanded) in date order, with the
    /// total.
    pub(crate) fn dated_page(
        &self,
        query: &Query,
        opts: SearchOptions,
        sort: Sort,
    ) -> Result<SearchResults> {
        let searcher = self.reader.searcher();
        let tq = self.compile(&searcher, query)?;
        let (offset, limit) = crate::search::records::page(&searcher, opts);
        // More than [`TOTAL_BOUND`] matches: counted without scores, up to one past it.
        if !opts.exact_total && !first_bounded(&searcher, &*tq, 0, TOTAL_BOUND + 1)?.exact {
            if let Some(page) = self.dated_window(&searcher, &*tq, sort, offset, limit)? {
                let hits = self.hits(&searcher, query, page.into_iter(), opts)?;
                return Ok(SearchResults {
                    total: TOTAL_BOUND,
                    total_exact: false,
                    hits,
                });
            }
        }
        let (page, total) = in_date_order(&searcher, &self.columns, &*tq, sort, offset, limit)?;
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
        in_date_windows(searcher, self.fields.date, sort, want, |dates| {
            let (page, matched) = in_date_order(
                searcher,
                &self.columns,
                &dates.within(tq),
                sort,
                offset,
                limit,
            )?;
            Ok((matched >= want).then_some(page))
        })
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

/// Calls `f` with windows of the latest (or earliest) adoption dates, the first holding
/// about [`WINDOW_PER_HIT`] records for each of the `want` hits (at least [`MIN_WINDOW`]),
/// each next one eight times the records of the one before, until `f` answers. `None`
/// when no window answered before the next would take every known date (the caller then
/// evaluates every match). A record whose date is outside a window ranks after every
/// record inside it (an unknown date ranks last either way). Each segment's date
/// dictionary is read in the page's order and only as far as the windows tried reach;
/// deleted records are counted (the counts only size a window).
pub(crate) fn in_date_windows<T>(
    searcher: &Searcher,
    field: Field,
    sort: Sort,
    want: usize,
    mut f: impl FnMut(&DateWindow) -> Result<Option<T>>,
) -> Result<Option<T>> {
    let inverted = searcher
        .segment_readers()
        .iter()
        .map(|reader| reader.inverted_index(field))
        .collect::<tantivy::Result<Vec<_>>>()?;
    let mut streams = Vec::with_capacity(inverted.len());
    for dictionary in &inverted {
        // Date 0 is "unknown": it never joins a window.
        let range = dictionary.terms().range().gt(0u64.to_be_bytes());
        let range = if sort == Sort::Newest {
            range.backward()
        } else {
            range
        };
        streams.push(range.into_stream().map_err(tantivy::TantivyError::from)?);
    }
    let mut heads: Vec<Option<(u64, u64)>> = streams.iter_mut().map(next_date).collect();
    let mut window = (want as u64).saturating_mul(WINDOW_PER_HIT).max(MIN_WINDOW);
    let (mut records, mut first) = (0u64, None);
    loop {
        let dates = heads.iter().flatten().map(|&(date, _)| date);
        let next = match sort {
            Sort::Newest => dates.max(),
            _ => dates.min(),
        };
        let Some(date) = next else {
            return Ok(None);
        };
        for (head, stream) in heads.iter_mut().zip(&mut streams) {
            if let Some((d, n)) = *head {
                if d == date {
                    records += n;
                    *head = next_date(stream);
                }
            }
        }
        let first = *first.get_or_insert(date);
        if heads.iter().all(Option::is_none) {
            return Ok(None);
        }
        if records >= window {
            let dates = DateWindow {
                field,
                first: date.min(first),
                last: date.max(first),
            };
            if let Some(answer) = f(&dates)? {
                return Ok(Some(answer));
            }
            window = window.saturating_mul(8);
        }
    }
}

/// The next date of a segment's date dictionary, with how many records carry it.
fn next_date(terms: &mut tantivy::termdict::TermStreamer<'_>) -> Option<(u64, u64)> {
    while terms.advance() {
        if let Ok(bytes) = <[u8; 8]>::try_from(terms.key()) {
            return Some((u64::from_be_bytes(bytes), u64::from(terms.value().doc_freq)));
        }
    }
    None
}

/// How many records of the latest (or earliest) dates are searched first for each hit of
/// a page in date order.
const WINDOW_PER_HIT: u64 = 100;
/// The fewest records searched first for a page in date order.
const MIN_WINDOW: u64 = 1000;

/// The page `offset..offset + limit` of `tq`'s matches in date order (ties: the stable
/// order; both read from `columns`), with their scores, and how many records match.
fn in_date_order(
    searcher: &Searcher,
    columns: &std::sync::Arc<index::columns::Columns>,
    tq: &dyn TQuery,
    sort: Sort,
    offset: usize,
    limit: usize,
) -> Result<(Vec<(Score, DocAddress)>, usize)> {
    let oldest = sort == Sort::Oldest;
    let columns = columns.clone();
    let top = TopDocs::with_limit(limit).and_offset(offset).tweak_score(
        move |segment: &SegmentReader| {
            let date = columns.dense(segment, index::schema::DATE, 0).ok();
            let order = columns.order(segment);
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
