//! Counts over the whole index (records by session and kind, resolutions), kept at each
//! commit in its payload (and per resolution in the series links file): reading them costs
//! a few hundred bytes, never a record.

use crate::error::{Error, Result};
use crate::index::folder::links::Table;
use crate::index::Index;

/// Record counts by session and kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    /// For each session: records of each kind, in the order of [`crate::Kind::ALL`].
    pub by_session: std::collections::BTreeMap<u32, [usize; 4]>,
    /// Resolutions (parts counted separately).
    pub resolutions: usize,
    /// All records.
    pub records: usize,
}

impl Index {
    /// [`Index::stats`]'s work.
    pub(crate) fn commit_stats(&self) -> Result<Stats> {
        let payload = &self.commit;
        let mut stats = Stats {
            resolutions: payload.resolutions as usize,
            ..Stats::default()
        };
        for (session, counts) in &payload.sessions {
            let counts = counts.map(|c| c as usize);
            stats.records += counts.iter().sum::<usize>();
            stats.by_session.insert(*session, counts);
        }
        Ok(stats)
    }

    /// The series links and per-resolution facts of the commit the index was opened at.
    pub(crate) fn links(&self) -> Result<&Table> {
        self.links.as_ref().map_err(|detail| Error::Damaged {
            path: self.dir.clone(),
            detail: detail.clone(),
        })
    }
}
