//! Other views of a query's matches: the resolutions that hold them with their record
//! counts (what `rg -l` and `rg -c` answer for files), and records in date order
//! (newest or oldest first) instead of by relevance.

use crate::error::Result;
use crate::index::{self, UnresIndex};
use crate::query::Query;
use crate::search::{SearchOptions, SearchResults};
use std::cmp::Reverse;
use std::collections::HashMap;
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::columnar::Column;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

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
        let (top, total) = searcher.search(&tq, &(top, Count))?;
        let page = top.into_iter().map(|((_, _, score), addr)| (score, addr));
        let hits = self.hits(&searcher, query, page, opts)?;
        Ok(SearchResults {
            total,
            total_exact: true,
            hits,
        })
    }
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
