//! Counts over the whole index (records by session and kind, resolutions), read from the
//! fast fields without loading a stored record.

use crate::error::Result;
use crate::index::Index;

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

impl Index {
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
