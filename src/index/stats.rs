//! Counts over the whole index (records by session and kind, resolutions), kept at each
//! commit in its payload (and per resolution in the series links file): reading them costs
//! a few hundred bytes, never a record.

use crate::error::Result;
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
    /// Counts records by session and kind, and resolutions, as of the last commit: read
    /// from the commit itself, which keeps them.
    pub fn stats(&self) -> Result<Stats> {
        let kept = crate::index::folder::payload_of(self.reader.searcher().index())
            .and_then(|p| Some((p.resolutions, p.sessions?)));
        if let Some((resolutions, sessions)) = kept {
            let mut stats = Stats {
                resolutions: resolutions as usize,
                ..Stats::default()
            };
            for (session, counts) in sessions {
                let counts = counts.map(|c| c as usize);
                stats.records += counts.iter().sum::<usize>();
                stats.by_session.insert(session, counts);
            }
            return Ok(stats);
        }
        // A commit that does not keep them: one entry a resolution of the links table.
        let table = self.links()?;
        let mut stats = Stats::default();
        for i in 0..table.len() {
            let by_kind = stats.by_session.entry(table.session(i)).or_default();
            for (n, c) in by_kind.iter_mut().zip(table.counts(i)) {
                *n += c as usize;
                stats.records += c as usize;
            }
        }
        stats.resolutions = table.len();
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
