//! The freshness record, `unres-seen.txt`: what the last update saw under the roots (every
//! folder with its modification time, a root that is a file with its size and time), and
//! the commit it was written for. Read and written here; [`crate::index::fresh`] decides
//! with it whether an index must be updated before it is opened.

use crate::index::folder::committed_manifest;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// The name of the freshness file in an index folder.
pub(crate) const SEEN_FILE: &str = "unres-seen.txt";
const HEADER: &str = "unres-seen 1";
/// Times this close to the snapshot's are not trusted (see [`snapshot`]).
const RACY_NANOS: u64 = 50_000_000;

/// The freshness file, read, with its folders found unchanged.
pub(crate) struct Seen {
    text: String,
}

impl Seen {
    /// Reads the file and checks the commit, the roots and every folder's time. `None` when
    /// any of these differs.
    pub(crate) fn read(dir: &Path, roots: &[PathBuf]) -> Option<Seen> {
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
    pub(crate) fn files_unchanged(&self) -> bool {
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

/// One line per folder under the roots (and per root that is a file), as
/// [`crate::read::list_files`] walks them (following links, skipping hidden entries); `None` when a path cannot be written on
/// one line, a root cannot be read, or something changed in the last moments (the corpus is
/// then checked in full by the next search, which writes the file).
pub(crate) fn snapshot(roots: &[PathBuf]) -> Option<String> {
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
pub(crate) fn write_seen(dir: &Path, manifest: &str, roots: &[PathBuf], snapshot: &Option<String>) {
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
    // The same record again leaves the folder untouched.
    if std::fs::read(&path).is_ok_and(|old| old == text.as_bytes()) {
        return;
    }
    let tmp = dir.join(format!("{SEEN_FILE}.{}.tmp", std::process::id()));
    if std::fs::write(&tmp, text).is_ok() && std::fs::rename(&tmp, &path).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}
