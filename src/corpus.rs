//! A corpus: many files read and parsed in parallel (rayon), results kept in file order so
//! that output is deterministic and one bad file never stops the others.

use crate::error::Error;
use crate::model::Resolution;
use crate::read::list_files;
use rayon::prelude::*;
use std::path::PathBuf;

/// The outcome of parsing one file.
#[derive(Debug)]
pub struct Parsed {
    /// The file.
    pub path: PathBuf,
    /// Its resolutions (one, or one per part), or why it could not be read.
    pub result: Result<Vec<Resolution>, Error>,
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
            result: crate::parse::parse_file(path),
        })
        .collect();
    out.extend(list.errors.into_iter().map(|e| Parsed {
        path: match &e {
            Error::Io { path, .. } => path.clone(),
            _ => PathBuf::new(),
        },
        result: Err(e),
    }));
    out
}
