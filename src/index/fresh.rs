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
    /// True when there was no index and it was built.
    pub built: bool,
    /// True when the corpus had changed but another process was writing the index, so the
    /// last committed index was opened as it is.
    pub stale_while_locked: bool,
}

/// Opens the index in `dir`, building it from `roots` when there is none and updating it
/// first when anything under `roots` changed since the last update.
///
/// `before_update` is called (with true when there is no index yet) just before a build
/// starts, so that a program can say why the first search is slow.
pub fn open_or_update(
    dir: &Path,
    roots: &[PathBuf],
    opts: &BuildOptions,
    progress: Progress<'_>,
    before_update: &dyn Fn(bool),
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
    before_update: &dyn Fn(bool),
    work: impl Fn(&Index) -> Result<T>,
) -> Result<(Index, T, Freshness)> {
    let missing = !has_index(dir);
    if !missing {
        if let Some(seen) = Seen::read(dir, roots) {
            if seen.files_unchanged() {
                let index = open(dir)?;
                let out = work(&index)?;
                return Ok((index, out, Freshness::default()));
            }
        }
    }
    before_update(missing);
    let mut freshness = Freshness::default();
    match build_index(dir, roots, opts, progress) {
        Ok(report) => {
            freshness.updated = Some(report);
            freshness.built = missing;
        }
        // Another process is writing: search what it last committed.
        Err(Error::Locked { .. }) if !missing => freshness.stale_while_locked = true,
        Err(e) => return Err(e),
    }
    let index = open(dir)?;
    let out = work(&index)?;
    Ok((index, out, freshness))
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
