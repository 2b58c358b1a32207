//! Search across sessions without the flood: the records matching a query, one per
//! paragraph of a series, each shown in its newest version with the other sessions where
//! the same text matches (`search --collapse`).
//!
//! Two matching records are one paragraph when their resolutions belong to the same series
//! ([`crate::links`]), they are of the same kind, and their folded texts are the same (the
//! `text_hash` fast field); a text found twice in one resolution (`同上。`) stays two
//! paragraphs, its first occurrence grouped with the first occurrence of the other
//! sessions. Grouping reads fast fields only: the stored records are loaded for the page
//! shown, not for every match.

use crate::error::Result;
use crate::index::{self, UnresIndex};
use crate::links::Table;
use crate::listing::Sort;
use crate::query::Query;
use crate::search::{Hit, SearchOptions};
use std::cmp::Reverse;
use std::collections::HashMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

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
    /// How many paragraphs (groups of records) match in all.
    pub total: usize,
    /// How many records match in all (as [`UnresIndex::count`] says).
    pub records: usize,
    /// The paragraphs asked for, best first.
    pub hits: Vec<CollapsedHit>,
}

/// One matching record, as its fast fields describe it.
#[derive(Debug, Clone, Copy)]
struct Row {
    score: Score,
    order: u64,
    kind: u64,
    hash: u64,
    date: u64,
    addr: DocAddress,
}

/// Gathers every matching record's fast fields, in document order.
struct Gather {
    scoring: bool,
}

struct GatherSegment {
    segment: SegmentOrdinal,
    order: Column<u64>,
    kind: Column<u64>,
    hash: Column<u64>,
    date: Column<u64>,
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
            order: ff.u64(index::ORDER)?,
            kind: ff.u64("kind")?,
            hash: ff.u64(index::TEXT_HASH)?,
            date: ff.u64(index::DATE)?,
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
            order: self.order.first(doc).unwrap_or(index::NO_ORDER),
            kind: self.kind.first(doc).unwrap_or(0),
            hash: self.hash.first(doc).unwrap_or(0),
            date: self.date.first(doc).unwrap_or(0),
            addr: DocAddress::new(self.segment, doc),
        });
    }

    fn harvest(self) -> Vec<Row> {
        self.rows
    }
}

/// The records of one paragraph across the sessions of its series.
#[derive(Debug)]
struct Group {
    /// The best score of its records.
    score: Score,
    /// Its newest record (the least order key).
    newest: Row,
    /// The resolutions (their order keys' high bits) holding its records, one record each.
    resolutions: Vec<u64>,
}

/// Groups rows by (series, kind, text hash, occurrence in the resolution).
fn group(rows: &[Row], table: &Table) -> Vec<Group> {
    // The series of a resolution: its root in the links table, or the resolution itself
    // (high bit set) when the table does not know it.
    let mut series_of: HashMap<u64, u64> = HashMap::new();
    let mut at: HashMap<(u64, u64, u64), Vec<usize>> = HashMap::with_capacity(rows.len());
    let mut groups: Vec<Group> = Vec::new();
    for row in rows {
        let resolution = index::resolution_of(row.order);
        let series = *series_of.entry(resolution).or_insert_with(|| {
            table
                .by_key(resolution)
                .map_or(1 << 63 | resolution, |i| table.links[i].root as u64)
        });
        let subs = at.entry((series, row.kind, row.hash)).or_default();
        // The k-th record of a resolution with this text joins the k-th group.
        let found = subs
            .iter()
            .copied()
            .find(|&g| !groups[g].resolutions.contains(&resolution));
        match found {
            Some(g) => {
                let group = &mut groups[g];
                group.resolutions.push(resolution);
                if row.score > group.score {
                    group.score = row.score;
                }
                if row.order < group.newest.order {
                    group.newest = *row;
                }
            }
            None => {
                subs.push(groups.len());
                groups.push(Group {
                    score: row.score,
                    newest: *row,
                    resolutions: vec![resolution],
                });
            }
        }
    }
    groups
}

impl UnresIndex {
    /// Runs a query and returns one page of paragraphs, each once in its newest version
    /// with the other sessions of its series where the same text matches, and the totals
    /// of paragraphs and records. Paragraphs are ordered as `sort` says: by their best
    /// record's relevance, or by their newest version's date; ties follow the index's
    /// stable order.
    pub fn search_collapsed(
        &self,
        query: &Query,
        opts: SearchOptions,
        sort: Sort,
    ) -> Result<CollapsedResults> {
        let query = &*crate::traditional::expand(query);
        let searcher = self.reader.searcher();
        let tq = self.compile(&searcher, query)?;
        let rows = searcher.search(
            &tq,
            &Gather {
                scoring: sort == Sort::Relevance,
            },
        )?;
        let table = self.links()?;
        let mut groups = group(&rows, table);
        match sort {
            Sort::Relevance => groups.sort_by(|a, b| {
                b.score
                    .total_cmp(&a.score)
                    .then(a.newest.order.cmp(&b.newest.order))
            }),
            Sort::Newest => groups.sort_by_key(|g| (Reverse(g.newest.date), g.newest.order)),
            Sort::Oldest => groups.sort_by_key(|g| {
                (
                    Reverse(crate::listing::oldest_first(g.newest.date)),
                    g.newest.order,
                )
            }),
        }
        let total = groups.len();
        let page: Vec<&Group> = groups.iter().skip(opts.offset).take(opts.limit).collect();
        let hits = self.hits(
            &searcher,
            query,
            page.iter().map(|g| (g.score, g.newest.addr)),
            opts,
        )?;
        let hits = hits
            .into_iter()
            .zip(&page)
            .map(|(hit, g)| CollapsedHit {
                hit,
                also_in: also_in(g, table),
            })
            .collect();
        Ok(CollapsedResults {
            total,
            records: rows.len(),
            hits,
        })
    }

    /// Counts the paragraphs matching a query as [`UnresIndex::search_collapsed`] groups
    /// them (one per text of a series).
    pub fn count_collapsed(&self, query: &Query) -> Result<usize> {
        let query = &*crate::traditional::expand(query);
        let searcher = self.reader.searcher();
        let tq = self.compile(&searcher, query)?;
        let rows = searcher.search(&tq, &Gather { scoring: false })?;
        Ok(group(&rows, self.links()?).len())
    }
}

/// The resolutions of a group other than its newest record's, newest first.
fn also_in(g: &Group, table: &Table) -> Vec<AlsoIn> {
    let newest = index::resolution_of(g.newest.order);
    let mut others: Vec<u64> = g
        .resolutions
        .iter()
        .copied()
        .filter(|&r| r != newest)
        .collect();
    // The key orders newer sessions first.
    others.sort_unstable();
    others
        .into_iter()
        .filter_map(|r| table.by_key(r))
        .map(|i| {
            let l = &table.links[i];
            AlsoIn {
                symbol: l.symbol.clone(),
                part: l.part.clone(),
                session: l.session,
            }
        })
        .collect()
}
