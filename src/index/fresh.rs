//! "Open, updating if needed": [`open_or_update`] (and [`open_or_update_with`]) is how
//! `search`, `show`, `stats` and programs embedding `unres` open the index of a corpus folder.
//!
//! Its freshness check reads a small file in the index folder, `unres-seen.txt`, that lists
//! what the last update saw: every folder under the roots with its modification time (and a
//! root that is a file with its size and time). Nothing changed when these are all unchanged
//! and the index still points at the commit that file names. A file added, removed or renamed
//! changes its folder's time, and so does a folder added or removed, and so does a file
//! replaced by writing a new one and renaming it over the old (what editors, `rsync` and
//! `git` do). The check is one `stat` a folder: no walk, no canonical path, no file read.
//!
//! A file rewritten in place (opened and overwritten, its folder untouched) is not seen by
//! this check: checking every file's time costs one `stat` a file, as much as the search
//! itself on 5,000 files. It is seen by `unres index` and by the next update for any other
//! reason, which compares every file's size and time with the index's manifest.
//!
//! When something changed, the index is updated ([`crate::index::build`], which re-reads
//! only what changed). When another process is writing the index at that moment, the last
//! committed index is opened instead: readers never wait for a writer and never fail
//! because of one.

use crate::error::{Error, Result};
use crate::index::build::{build, BuildOptions, BuildReport, Progress};
use crate::index::folder::committed_manifest;
use crate::index::folder::seen::{snapshot, write_seen, Seen};
use crate::index::open::{has_index, open};
use crate::index::Index;
use std::path::{Path, PathBuf};

/// What [`open_or_update`] did besides opening.
#[derive(Debug, Clone, Default)]
pub struct Freshness {
    /// The update's report, when the index had to be checked in full (its `committed` says
    /// whether anything changed).
    pub updated: Option<BuildReport>,
    /// True when there was no index (or only one of another format version) and it was
    /// built.
    pub built: bool,
    /// The format version of the index that was rebuilt, when another version of `unres`
    /// had written it.
    pub replaced_format: Option<u32>,
    /// True when the corpus had changed but another process was writing the index, so the
    /// last committed index was opened as it is.
    pub stale_while_locked: bool,
    /// The update met a full disk ([`Error::DiskFull`], its message here): nothing was
    /// committed, and the last committed index was opened as it is.
    pub disk_full: Option<String>,
}

impl Freshness {
    /// What opening did besides opening, one line a fact, as every front end says it
    /// (the command line on stderr after `unres: `, the server in its log): an update of
    /// the corpus `corpus` (as named to the user, e.g. `corpus/`), the duplicates and
    /// skipped files it met, or why the last commit answers. Empty when nothing happened.
    pub fn notes(&self, corpus: &str) -> Vec<String> {
        let mut notes = Vec::new();
        if let Some(report) = &self.updated {
            if report.committed && !self.built {
                notes.push(format!(
                    "{corpus} changed; updating the index: {} file{} read, {} removed",
                    report.reindexed,
                    if report.reindexed == 1 { "" } else { "s" },
                    report.removed
                ));
            }
            if report.committed {
                notes.extend(report.duplicates.iter().map(ToString::to_string));
                notes.extend(report.unmerged.clone());
            }
            notes.extend(
                report
                    .failed
                    .iter()
                    .map(|f| format!("skipped {}", f.reason)),
            );
        }
        if self.stale_while_locked {
            notes.push(format!(
                "{corpus} changed but another process is updating the index; searching the last committed index"
            ));
        }
        if let Some(message) = &self.disk_full {
            notes.push(format!("{message}; searching the last committed index"));
        }
        notes
    }
}

/// Why [`open_or_update`] reads the corpus before it opens the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Update {
    /// There is no index yet: it is built from every file under the roots.
    Build,
    /// The index was written by a version of `unres` whose index format (`found`) this one
    /// does not read: it is rebuilt from every file under the roots.
    Rebuild {
        /// The format version of the index found.
        found: u32,
    },
    /// Something under the roots changed since the last update: the files that changed are
    /// read again.
    Changes,
}

/// Opens the index in `dir`, building it from `roots` when there is none or only one of
/// another format version (the folder is then rebuilt), and updating it first when anything
/// under `roots` changed since the last update.
///
/// `before_update` is called (with why) just before a build or an update starts, so that a
/// program can say why the first search is slow.
pub fn open_or_update(
    dir: &Path,
    roots: &[PathBuf],
    opts: &BuildOptions,
    progress: Progress<'_>,
    before_update: &dyn Fn(Update),
) -> Result<(Index, Freshness)> {
    let (index, (), fresh) =
        open_or_update_with(dir, roots, opts, progress, before_update, |_| Ok(()))?;
    Ok((index, fresh))
}

/// [`open_or_update`], then `work` on the index opened: what a command computes before it
/// prints.
pub fn open_or_update_with<T>(
    dir: &Path,
    roots: &[PathBuf],
    opts: &BuildOptions,
    progress: Progress<'_>,
    before_update: &dyn Fn(Update),
    work: impl Fn(&Index) -> Result<T>,
) -> Result<(Index, T, Freshness)> {
    let missing = !has_index(dir);
    let mut found = None;
    if !missing {
        if let Some(seen) = Seen::read(dir, roots) {
            if seen.files_unchanged() {
                match open(dir) {
                    Ok(index) => {
                        let out = work(&index)?;
                        return Ok((index, out, Freshness::default()));
                    }
                    Err(Error::FormatVersion { found: f, .. }) => found = Some(f),
                    Err(e) => return Err(e),
                }
            }
        }
        // The index of a corpus that changed is looked at too: an update of an index of
        // another format would stop at it.
        found = found.or_else(|| other_format(dir));
    }
    before_update(match (missing, found) {
        (true, _) => Update::Build,
        (false, Some(found)) => Update::Rebuild { found },
        (false, None) => Update::Changes,
    });
    // The folder holds an unres index (its format version says so), derived from `roots`:
    // nothing is lost by writing it anew.
    let opts = BuildOptions {
        rebuild: opts.rebuild || found.is_some(),
        ..opts.clone()
    };
    let mut freshness = Freshness::default();
    match build_index(dir, roots, &opts, progress) {
        Ok(report) => {
            freshness.updated = Some(report);
            freshness.built = missing || found.is_some();
            freshness.replaced_format = found;
        }
        // Another process is writing: search what it last committed.
        Err(Error::Locked { .. }) if !missing => freshness.stale_while_locked = true,
        // The disk filled up: the last commit is still whole, and answers.
        Err(e @ Error::DiskFull { .. }) if !missing => freshness.disk_full = Some(e.to_string()),
        Err(e) => return Err(e),
    }
    let index = open(dir)?;
    let out = work(&index)?;
    Ok((index, out, freshness))
}

/// The format version of the index in `dir`, when it is an `unres` index of another format
/// version than this one's.
fn other_format(dir: &Path) -> Option<u32> {
    let index = tantivy::Index::open_in_dir(dir).ok()?;
    let payload = crate::index::folder::payload_of(&index)?;
    (payload.format != crate::index::folder::FORMAT_VERSION).then_some(payload.format)
}

/// Builds or updates the index in `dir` from the files under `roots` (the folder checked
/// and locked, only what changed re-read, one commit), then records what it saw in the freshness file, so that
/// the next [`open_or_update`] of the same roots opens the index without checking every
/// file. The corpus is looked at before the update reads it: a change made during the
/// update is seen by the next check.
pub fn build_index(
    dir: &Path,
    roots: &[PathBuf],
    opts: &BuildOptions,
    progress: Progress<'_>,
) -> Result<BuildReport> {
    let snapshot = snapshot(roots);
    let report = build(dir, roots, opts, progress)?;
    if let Some(manifest) = committed_manifest(dir) {
        write_seen(dir, &manifest, roots, &snapshot);
    }
    Ok(report)
}

/// Is the index in `dir` current for `roots`, by its freshness file? False when there is no
/// such file, it was written for another commit or other roots, or a folder it lists has
/// another time (or a root file another time or size).
pub fn is_fresh(dir: &Path, roots: &[PathBuf]) -> bool {
    Seen::read(dir, roots).is_some_and(|s| s.files_unchanged())
}
