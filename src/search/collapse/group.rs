//! Grouping matching records into paragraphs: every match's fast fields gathered in
//! document order ([`Gather`]), grouped by series, kind-seeded text hash and occurrence
//! ([`group`]), and the groups ranked ([`ranked`]).

use crate::index::folder::links::Table;
use crate::index::{self};
use crate::search::request::Sort;
use std::collections::HashMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::ColumnValues;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

/// One matching record, as its fast fields describe it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Row {
    pub(crate) score: Score,
    pub(crate) order: u64,
    /// The folded text's hash, seeded with the kind.
    pub(crate) hash: u64,
    pub(crate) date: u64,
    pub(crate) addr: DocAddress,
}

/// A fast field read as one value a document.
pub(crate) use crate::index::columns::Dense;

/// Gathers every matching record's fast fields, in document order.
pub(crate) struct Gather {
    /// Scores are wanted (relevance order).
    pub(crate) scoring: bool,
    /// Dates are wanted (date order).
    pub(crate) dates: bool,
    /// The index's columns, each opened once.
    pub(crate) columns: std::sync::Arc<crate::index::columns::Columns>,
}

pub(crate) struct GatherSegment {
    pub(crate) segment: SegmentOrdinal,
    pub(crate) order: Dense,
    pub(crate) hash: Dense,
    pub(crate) date: Option<Dense>,
    pub(crate) rows: Vec<Row>,
}

impl Collector for Gather {
    type Fruit = Vec<Row>;
    type Child = GatherSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<GatherSegment> {
        let columns = &self.columns;
        Ok(GatherSegment {
            segment,
            order: columns.dense(reader, index::order::ORDER, index::order::NO_ORDER)?,
            hash: columns.dense(reader, index::schema::TEXT_HASH, 0)?,
            date: if self.dates {
                Some(columns.dense(reader, index::schema::DATE, 0)?)
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
pub(crate) struct Group {
    /// The best score of its records.
    pub(crate) score: Score,
    /// Its newest record (the least order key).
    pub(crate) newest: Row,
}

/// A hasher for keys that are already hashes or small numbers: a multiply and a rotate a
/// word, far cheaper than SipHash over tens of thousands of rows.
#[derive(Default)]
pub(crate) struct Mix(u64);

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

pub(crate) type MixMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Mix>>;

/// The groups of the rows (series, text hash with the kind, occurrence in the resolution)
/// and the group of each row.
///
/// The rows must be in the stable order ([`Grouped::new`] sorts them), so that the rows of
/// one resolution come one after the other in record order: the occurrences of a text in
/// a resolution are counted from where its rows begin. (A resolution's records may lie in
/// two segments: the writer's threads take records, not files, from its queue.)
fn group(rows: &[Row], table: &Table) -> (Vec<Group>, Vec<u32>) {
    let mut at: MixMap<(u64, u64, u32), u32> = MixMap::default();
    at.reserve(rows.len());
    let mut groups: Vec<Group> = Vec::new();
    let mut of_row: Vec<u32> = Vec::with_capacity(rows.len());
    let mut occurrences: MixMap<u64, u32> = MixMap::default();
    let (mut current, mut series) = (None, 0);
    for row in rows {
        let resolution = index::order::resolution_of(row.order);
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
pub(crate) fn ranked(
    groups: &[Group],
    of: impl Iterator<Item = u32>,
    sort: Sort,
    end: usize,
) -> Vec<u32> {
    let rank = |a: &u32, b: &u32| {
        let (a, b) = (&groups[*a as usize], &groups[*b as usize]);
        let by_order = a.newest.order.cmp(&b.newest.order);
        match sort {
            Sort::Relevance => b.score.total_cmp(&a.score).then(by_order),
            Sort::Newest => b.newest.date.cmp(&a.newest.date).then(by_order),
            Sort::Oldest => {
                let oldest = |g: &Group| crate::search::listing::oldest_first(g.newest.date);
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
pub(crate) struct Grouped {
    pub(crate) rows: Vec<Row>,
    pub(crate) groups: Vec<Group>,
    pub(crate) of_row: Vec<u32>,
}

impl Grouped {
    pub(crate) fn new(mut rows: Vec<Row>, table: &Table) -> Grouped {
        // Each segment's rows are already in the stable order: a stable sort merges the
        // runs.
        rows.sort_by_key(|row| row.order);
        let (groups, of_row) = group(&rows, table);
        Grouped {
            rows,
            groups,
            of_row,
        }
    }

    /// The text hashes of `groups`, sorted, without repeats.
    pub(crate) fn texts(&self, groups: &[u32]) -> Vec<u64> {
        let mut texts: Vec<u64> = groups
            .iter()
            .map(|&g| self.groups[g as usize].newest.hash)
            .collect();
        texts.sort_unstable();
        texts.dedup();
        texts
    }
}
