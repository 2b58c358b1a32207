//! Counts over the whole index (records by session and kind, resolutions), kept at each
//! commit in its payload (and per resolution in the series links file): reading them costs
//! a few hundred bytes, never a record.

use crate::error::{Error, Result};
use crate::index::folder::links::Table;
use crate::index::folder::payload_of;
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
    /// Counts records by session and kind, and resolutions, as of the last commit: read
    /// from the commit itself, which keeps them.
    pub fn stats(&self) -> Result<Stats> {
        let payload = payload_of(self.reader.searcher().index()).ok_or_else(|| Error::Damaged {
            path: self.dir.clone(),
            detail: "the last commit keeps no counts".into(),
        })?;
        let mut stats = Stats {
            resolutions: payload.resolutions as usize,
            ..Stats::default()
        };
        for (session, counts) in payload.sessions {
            let counts = counts.map(|c| c as usize);
            stats.records += counts.iter().sum::<usize>();
            stats.by_session.insert(session, counts);
        }
        Ok(stats)
    }

    /// The series links and per-resolution facts of the last commit (read once, then kept).
    pub(crate) fn links(&self) -> Result<&Table> {
        if let Some(t) = self.links.get() {
            return Ok(t);
        }
        let table = Table::read(&self.dir)?;
        Ok(self.links.get_or_init(|| table))
    }
}
