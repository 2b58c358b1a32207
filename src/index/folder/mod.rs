//! The index folder's own files, owned here: the manifest of each commit (what was indexed
//! from each file) and the commit's payload naming it, written atomically and kept for one
//! generation more; the series links file (`links`), the freshness record (`seen`) and the
//! writer's lock (`lock`). Nothing else in the library names a file of the folder.

pub(crate) mod keys;
pub(crate) mod links;
pub(crate) mod lock;
pub(crate) mod seen;

use crate::error::{Error, Result};
use crate::index::folder::lock::LOCK_FILE;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;
use tantivy::Index as TantivyIndex;

/// The version of the index layout, recorded in each commit's payload; an index of another
/// version must be rebuilt.
pub(crate) const FORMAT_VERSION: u32 = 11;

pub(crate) const MANIFEST_PREFIX: &str = "unres-manifest-";
/// A manifest's file name ends so: it is JSON compressed with zstd (at 50,000 files the
/// JSON is about 31 MB, 4.4 MB compressed).
pub(crate) const MANIFEST_SUFFIX: &str = ".json.zst";

/// What the last commit says about the index: written as the commit's payload.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Payload {
    pub(crate) format: u32,
    pub(crate) manifest: String,
    /// The records the commit holds.
    #[serde(default)]
    pub(crate) records: u64,
    /// Their total length in the word layer, in words (what ranking needs, counted exactly:
    /// see [`crate::index::statistics`]).
    #[serde(default)]
    pub(crate) words: u64,
    /// The resolutions (parts counted separately) the commit holds.
    #[serde(default)]
    pub(crate) resolutions: u64,
    /// Its records by session, of each kind in the order of [`crate::Kind::ALL`]: what
    /// `unres stats` prints, kept so that it reads nothing else.
    #[serde(default)]
    pub(crate) sessions: Vec<(u32, [u64; 4])>,
    /// The file of the dictionary its records are compressed with, if they use one
    /// ([`crate::index::packed`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) dictionary: Option<String>,
}

/// The payload of the index's last commit, if it has one.
pub(crate) fn payload_of(index: &TantivyIndex) -> Option<Payload> {
    let metas = index.load_metas().ok()?;
    serde_json::from_str(metas.payload.as_deref()?).ok()
}

/// What was indexed from each file, so that the next run re-reads only what changed.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub(crate) struct Manifest {
    /// Each file seen, by its path from the index folder ([`file_key`]).
    pub files: BTreeMap<String, FileState>,
}

/// One file's state when it was indexed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FileState {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime: u64,
    /// xxh3 hash of the content.
    pub hash: u64,
    /// Resolutions (parts) read from it.
    pub resolutions: usize,
    /// Paragraphs indexed from it.
    pub paragraphs: usize,
    /// Footnotes indexed from it.
    pub footnotes: usize,
    /// Why the file could not be read, if it could not.
    pub error: Option<String>,
    /// What the series links need of each resolution read from it.
    #[serde(default)]
    pub series: Vec<crate::index::folder::keys::SeriesKey>,
    /// The path its records name ([`crate::read::shown_path`]).
    #[serde(default)]
    pub shown: String,
    /// Each resolution read from it, in the order of `series`: what deciding between
    /// duplicates and counting need.
    #[serde(default)]
    pub parts: Vec<PartState>,
}

/// One resolution (part) read from a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PartState {
    /// The hash of its text ([`crate::parse::duplicates::text_hash`]).
    pub text: u64,
    /// Its paragraphs.
    pub paragraphs: usize,
    /// Its footnotes.
    pub footnotes: usize,
    /// Its records' total length in the word layer, in words.
    pub words: u64,
}

/// The name of the links file written with the manifest `manifest_name`.
pub(crate) fn links_file_name(manifest_name: &str) -> String {
    let generation = manifest_name
        .strip_prefix(MANIFEST_PREFIX)
        .and_then(|g| g.strip_suffix(MANIFEST_SUFFIX))
        .unwrap_or(manifest_name);
    format!("unres-series-{generation}.bin")
}

pub(crate) fn is_index_dir(dir: &Path) -> bool {
    dir.join("meta.json").is_file()
}

/// Reads the manifest of the last commit, if the index has one.
pub(crate) fn read_manifest(dir: &Path) -> Option<Manifest> {
    let index = TantivyIndex::open_in_dir(dir).ok()?;
    let payload = payload_of(&index)?;
    if payload.format != FORMAT_VERSION {
        return None;
    }
    let bytes = std::fs::read(dir.join(&payload.manifest)).ok()?;
    let json = zstd::decode_all(bytes.as_slice()).ok()?;
    serde_json::from_slice(&json).ok()
}

/// The file name of the manifest of commit `generation`.
pub(crate) fn manifest_name(generation: u64) -> String {
    format!("{MANIFEST_PREFIX}{generation}{MANIFEST_SUFFIX}")
}

/// A manifest as its file holds it: JSON compressed with zstd.
pub(crate) fn encode_manifest(manifest: &Manifest) -> Vec<u8> {
    let json = serde_json::to_vec(manifest).expect("manifest serializes");
    zstd::encode_all(json.as_slice(), 3).expect("compressing in memory does not fail")
}

pub(crate) fn stat(path: &Path) -> std::io::Result<(u64, u64)> {
    let m = std::fs::metadata(path)?;
    let mtime = m
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64);
    Ok((m.len(), mtime))
}

/// How the index identifies a file: its canonical path written relative to the index
/// folder's canonical path `base` (`../corpus/x.txt`), so that `corpus/x.txt`,
/// `./corpus/x.txt` and an absolute path are one file, never three copies, and a project
/// folder holding both the corpus and the index keeps its keys when it is copied, moved,
/// renamed or restored elsewhere. `canonical` is the file's canonical path
/// ([`crate::read::canonical`]).
pub(crate) fn file_key(base: &Path, canonical: &str) -> String {
    let target = Path::new(canonical);
    let (b, t): (Vec<_>, Vec<_>) = (base.components().collect(), target.components().collect());
    let common = b.iter().zip(&t).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".to_string(); b.len() - common];
    parts.extend(
        t[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// The absolute path a key of [`file_key`] names, for the index folder `base` (canonical).
pub(crate) fn key_path(base: &Path, key: &str) -> PathBuf {
    let mut path = base.to_path_buf();
    if Path::new(key).is_absolute() {
        return PathBuf::from(key);
    }
    for part in key.split('/') {
        match part {
            ".." => {
                path.pop();
            }
            "" | "." => {}
            name => path.push(name),
        }
    }
    path
}

pub(crate) fn next_generation(dir: &Path) -> u64 {
    manifest_generations(dir)
        .into_iter()
        .max()
        .map_or(1, |g| g + 1)
}

pub(crate) fn manifest_generations(dir: &Path) -> Vec<u64> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_prefix(MANIFEST_PREFIX)?
                .strip_suffix(MANIFEST_SUFFIX)?
                .parse()
                .ok()
        })
        .collect()
}

/// Keeps the current manifest and the one before it (a reader may still be using it).
pub(crate) fn remove_old_manifests(dir: &Path, current: u64) {
    for g in manifest_generations(dir) {
        if g + 1 < current {
            let manifest = manifest_name(g);
            let _ = std::fs::remove_file(dir.join(links_file_name(&manifest)));
            let _ = std::fs::remove_file(dir.join(manifest));
        }
    }
}

pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes).map_err(|e| Error::io(&tmp, e))?;
    let f = std::fs::File::open(&tmp).map_err(|e| Error::io(&tmp, e))?;
    f.sync_all().map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
}

/// Empties an index folder before a rebuild (only tantivy's and unres's own files).
pub(crate) fn clear_dir(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let path = entry.path();
        let name = entry.file_name();
        if path.is_file() && name != ".gitkeep" && name != LOCK_FILE {
            std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
        }
    }
    Ok(())
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
