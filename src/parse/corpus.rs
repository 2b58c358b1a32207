//! The file pipeline, the one way a corpus file becomes resolutions: read (with the size
//! cap) → decode → parse, for one file ([`parse_file`], [`parse_bytes`]) or for every file
//! under some paths in parallel ([`parse_paths`], rayon), results kept in file order so that
//! output is deterministic and one bad file never stops the others. `unres export`, the
//! index build and the benchmarks all go through it. Records name their file the way the
//! index does ([`crate::read::shown_path`]): the name of the root folder, then the path
//! inside it.

use crate::error::Result;
use crate::model::Resolution;
use crate::read::list_files;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Reads, decodes and parses one file. `Ok` holds one resolution, or one per part. Its
/// records name the file from the folder holding it: `corpus/x.txt` for
/// `corpus/x.txt`, `./corpus/x.txt` or `/home/me/corpus/x.txt`.
pub fn parse_file(path: &Path) -> Result<Vec<Resolution>> {
    let shown = crate::read::shown_path(path, path, true);
    parse_bytes(path, &crate::read::read_bytes(path)?).map(|rs| named(rs, &shown))
}

/// The resolutions with their records naming the file `shown`.
pub(crate) fn named(mut resolutions: Vec<Resolution>, shown: &str) -> Vec<Resolution> {
    for r in &mut resolutions {
        r.file = shown.to_string();
    }
    resolutions
}

/// Decodes and parses a file's bytes, already read (the index reads them itself, to hash
/// them before it decides to parse). Records name the file `path` as given.
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
/// Every resolution is kept, duplicates included ([`crate::drop_duplicates`] applies the
/// index's rule).
pub fn parse_paths(paths: &[PathBuf]) -> Vec<Parsed> {
    let list = list_files(paths);
    let mut out: Vec<Parsed> = list
        .files
        .par_iter()
        .map(|f| Parsed {
            path: f.path.clone(),
            result: crate::read::read_bytes(&f.path)
                .and_then(|bytes| parse_bytes(&f.path, &bytes))
                .map(|rs| named(rs, &f.shown)),
        })
        .collect();
    out.extend(list.errors.into_iter().map(|e| Parsed {
        path: e.path().map(Path::to_path_buf).unwrap_or_default(),
        result: Err(e),
    }));
    out
}
