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
use crate::index::{self, BuildOptions, BuildReport, Progress, UnresIndex};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// The name of the freshness file in an index folder.
pub const SEEN_FILE: &str = "unres-seen.txt";
const HEADER: &str = "unres-seen 1";
/// Times this close to the snapshot's are not trusted (see [`snapshot`]).
const RACY_NANOS: u64 = 50_000_000;

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
) -> Result<(UnresIndex, Freshness)> {
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
    work: impl Fn(&UnresIndex) -> Result<T>,
) -> Result<(UnresIndex, T, Freshness)> {
    let missing = !index::has_index(dir);
    if !missing {
        if let Some(seen) = Seen::read(dir, roots) {
            if seen.files_unchanged() {
                let index = index::open(dir)?;
                let out = work(&index)?;
                return Ok((index, out, Freshness::default()));
            }
        }
    }
    // What is there now, taken before the update reads it: a change made during the update
    // is then seen by the next check.
    let snapshot = snapshot(roots);
    before_update(missing);
    let mut freshness = Freshness::default();
    match index::build(dir, roots, opts, progress) {
        Ok(report) => {
            if let Some(manifest) = committed_manifest(dir) {
                write_seen(dir, &manifest, roots, &snapshot);
            }
            freshness.updated = Some(report);
            freshness.built = missing;
        }
        // Another process is writing: search what it last committed.
        Err(Error::Locked { .. }) if !missing => freshness.stale_while_locked = true,
        Err(e) => return Err(e),
    }
    let index = index::open(dir)?;
    let out = work(&index)?;
    Ok((index, out, freshness))
}

/// Is the index in `dir` current for `roots`, by its freshness file? False when there is no
/// such file, it was written for another commit or other roots, or a folder it lists has
/// another time (or a root file another time or size).
pub fn is_fresh(dir: &Path, roots: &[PathBuf]) -> bool {
    Seen::read(dir, roots).is_some_and(|s| s.files_unchanged())
}

/// The freshness file, read, with its folders found unchanged.
struct Seen {
    text: String,
}

impl Seen {
    /// Reads the file and checks the commit, the roots and every folder's time. `None` when
    /// any of these differs.
    fn read(dir: &Path, roots: &[PathBuf]) -> Option<Seen> {
        let text = std::fs::read_to_string(dir.join(SEEN_FILE)).ok()?;
        let mut lines = text.lines();
        if lines.next() != Some(HEADER) {
            return None;
        }
        let manifest = lines.next()?.strip_prefix("manifest ")?;
        if committed_manifest(dir).as_deref() != Some(manifest) {
            return None;
        }
        let mut seen_roots = Vec::new();
        for line in lines {
            let (tag, rest) = line.split_once(' ')?;
            match tag {
                "root" => seen_roots.push(PathBuf::from(rest)),
                "d" => {
                    let (mtime, path) = rest.split_once(' ')?;
                    let (_, m, is_dir) = stat(Path::new(path))?;
                    if !is_dir || mtime.parse::<u64>().ok()? != m {
                        return None;
                    }
                }
                "f" => {}
                _ => return None,
            }
        }
        if seen_roots != roots {
            return None;
        }
        Some(Seen { text })
    }

    /// Has every file listed (a root that is a file) its size and time still?
    fn files_unchanged(&self) -> bool {
        self.text
            .lines()
            .filter_map(|l| l.strip_prefix("f "))
            .all(|rest| {
                let mut parts = rest.splitn(3, ' ');
                let (Some(size), Some(mtime), Some(path)) =
                    (parts.next(), parts.next(), parts.next())
                else {
                    return false;
                };
                stat(Path::new(path)).is_some_and(|(s, m, is_dir)| {
                    !is_dir
                        && size.parse::<u64>().is_ok_and(|size| size == s)
                        && mtime.parse::<u64>().is_ok_and(|mtime| mtime == m)
                })
            })
    }
}

/// Size, modification time (ns since the epoch) and whether it is a folder, following links.
fn stat(path: &Path) -> Option<(u64, u64, bool)> {
    let m = std::fs::metadata(path).ok()?;
    let mtime = m
        .modified()
        .ok()?
        .duration_since(UNIX_EPOCH)
        .ok()?
        .as_nanos() as u64;
    Some((m.len(), mtime, m.is_dir()))
}

/// The manifest the last commit of the index points at (names a commit).
pub(crate) fn committed_manifest(dir: &Path) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Meta {
        payload: Option<String>,
    }
    #[derive(serde::Deserialize)]
    struct Payload {
        manifest: String,
    }
    let bytes = std::fs::read(dir.join("meta.json")).ok()?;
    let meta: Meta = serde_json::from_slice(&bytes).ok()?;
    let payload: Payload = serde_json::from_str(&meta.payload?).ok()?;
    Some(payload.manifest)
}

/// One line per folder under the roots (and per root that is a file), as
/// [`crate::read::list_files`] walks them (following links, skipping hidden entries); `None` when a path cannot be written on
/// one line, a root cannot be read, or something changed in the last moments (the corpus is
/// then checked in full by the next search, which writes the file).
fn snapshot(roots: &[PathBuf]) -> Option<String> {
    // A time within the file system's clock tick of now could be given again to a second
    // change made right after this one: such a snapshot is not trusted (git's "racy clean").
    let now = std::time::SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .ok()?
        .as_nanos() as u64;
    let settled = now.saturating_sub(RACY_NANOS);
    let mut out = String::new();
    for root in roots {
        let line = |out: &mut String, tag: &str, path: &Path| -> Option<()> {
            let p = path.to_str().filter(|p| !p.contains(['\n', '\r']))?;
            let (size, mtime, is_dir) = stat(path)?;
            if mtime >= settled {
                return None;
            }
            if tag == "d" {
                debug_assert!(is_dir);
                writeln!(out, "d {mtime} {p}").ok()
            } else {
                writeln!(out, "f {size} {mtime} {p}").ok()
            }
        };
        for entry in crate::read::walk(root) {
            let entry = entry.ok()?;
            if entry.file_type().is_dir() {
                line(&mut out, "d", entry.path())?;
            } else if entry.file_type().is_file() && entry.depth() == 0 {
                // A root that is a file; files in folders are covered by their folder's time.
                line(&mut out, "f", entry.path())?;
            }
        }
    }
    Some(out)
}

/// Writes the freshness file (atomically; a folder that cannot be written keeps none).
fn write_seen(dir: &Path, manifest: &str, roots: &[PathBuf], snapshot: &Option<String>) {
    let path = dir.join(SEEN_FILE);
    let Some(body) = snapshot else {
        let _ = std::fs::remove_file(&path);
        return;
    };
    let mut text = format!("{HEADER}\nmanifest {manifest}\n");
    for root in roots {
        match root.to_str() {
            Some(r) if !r.contains(['\n', '\r']) => {
                let _ = writeln!(text, "root {r}");
            }
            _ => return,
        }
    }
    text.push_str(body);
    let tmp = dir.join(format!("{SEEN_FILE}.{}.tmp", std::process::id()));
    if std::fs::write(&tmp, text).is_ok() && std::fs::rename(&tmp, &path).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}
