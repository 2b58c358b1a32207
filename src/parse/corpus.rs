//! The file pipeline, the one way a corpus file becomes resolutions: read (with the size
//! cap) → decode → parse, for one file ([`parse_file`], [`parse_bytes`]) or for every file
//! under some paths in parallel ([`parse_paths`], rayon), results kept in file order so that
//! output is deterministic and one bad file never stops the others. `unres export`, the
//! index build and the benchmarks all go through it.

use crate::error::Result;
use crate::model::Resolution;
use crate::read::list_files;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Reads, decodes and parses one file. `Ok` holds one resolution, or one per part.
pub fn parse_file(path: &Path) -> Result<Vec<Resolution>> {
    parse_bytes(path, &crate::read::read_bytes(path)?)
}

/// Decodes and parses a file's bytes, already read (the index reads them itself, to hash
/// them before it decides to parse).
pub fn parse_bytes(path: &Path, bytes: &[u8]) -> Result<Vec<Resolution>> {
    let text = crate::read::decode(path, bytes)?;
    crate::parse::parse_str(path, &text)
}

/// The outcome of parsing one file.
#[derive(Debug)]
pub struct Parsed {
    /// The file.
    pub path: PathBuf,
    /// Its resolutions (one, or one per part), or why it could not be read.
    pub result: Result<Vec<Resolution>>,
}

/// Parses every file under `paths` in parallel. Walk problems (missing path, symlink loop,
/// unreadable folder) come back as failed entries too, after the files, in the order met.
pub fn parse_paths(paths: &[PathBuf]) -> Vec<Parsed> {
    let list = list_files(paths);
    let mut out: Vec<Parsed> = list
        .files
        .par_iter()
        .map(|path| Parsed {
            path: path.clone(),
            result: parse_file(path),
        })
        .collect();
    out.extend(list.errors.into_iter().map(|e| Parsed {
        path: e.path().map(Path::to_path_buf).unwrap_or_default(),
        result: Err(e),
    }));
    out
}
