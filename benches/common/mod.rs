//! What the benchmarks share: the synthetic corpus under `bench-data/` (written by
//! `unres_synth` when missing or out of date), the index built from it once and reused,
//! and an exact scan of the parsed records that says how many hits a query must have.
//!
//! Talks to `unres_synth` (corpus), `unres::build_index` (build), `unres::parse_paths` (parsing for
//! the exact scan) and the file system under `bench-data/` (git-ignored).
#![allow(dead_code)] // each bench uses its own part of this module

use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Instant;
use unres::Record;
use unres::{BuildOptions, BuildReport};
use unres_synth::{self as synth, SynthConfig};

/// The generator's seed used by every benchmark (the generator's default).
pub const SEED: u64 = 46;

/// `bench-data/` at the crate's root.
pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("bench-data")
}

/// A corpus on disk and its size.
pub struct Corpus {
    /// The folder of `.zh.txt` files.
    pub dir: PathBuf,
    /// Number of files (one resolution each).
    pub files: usize,
    /// Total bytes of the files.
    pub bytes: u64,
}

/// Makes `bench-data/{name}` hold exactly the corpus of `count` resolutions: files the
/// generator would write differently are rewritten, missing ones written, others removed.
/// Unchanged files keep their modification time, so the index stays current.
pub fn corpus(name: &str, count: usize) -> Corpus {
    let dir = data_dir().join(name);
    std::fs::create_dir_all(&dir).expect("create the corpus folder");
    let config = SynthConfig {
        resolutions: count,
        seed: SEED,
    };
    let start = Instant::now();
    let written: Vec<(String, u64, bool)> = (0..count)
        .into_par_iter()
        .map(|i| {
            let file = synth::resolution(&config, i);
            let path = dir.join(&file.name);
            let same = std::fs::read(&path).is_ok_and(|b| b == file.text.as_bytes());
            if !same {
                std::fs::write(&path, &file.text).expect("write a corpus file");
            }
            (file.name, file.text.len() as u64, !same)
        })
        .collect();
    let names: std::collections::HashSet<&str> =
        written.iter().map(|(n, _, _)| n.as_str()).collect();
    for entry in std::fs::read_dir(&dir).expect("list the corpus folder") {
        let entry = entry.expect("list the corpus folder");
        let name = entry.file_name().to_string_lossy().into_owned();
        if !names.contains(name.as_str()) {
            std::fs::remove_file(entry.path()).expect("remove a stray corpus file");
        }
    }
    let rewritten = written.iter().filter(|w| w.2).count();
    let bytes = written.iter().map(|w| w.1).sum();
    if rewritten > 0 {
        eprintln!(
            "bench: wrote {rewritten} of {count} files of {} in {:.1} s",
            dir.display(),
            start.elapsed().as_secs_f64()
        );
    }
    Corpus {
        dir,
        files: count,
        bytes,
    }
}

/// Brings the index in `bench-data/{name}` up to date with `corpus` (incremental: quick
/// when nothing changed). An index older than this benchmark's executable, or one this
/// version cannot update, is rebuilt from scratch: the library may have changed.
pub fn index(name: &str, corpus: &Corpus) -> PathBuf {
    let dir = data_dir().join(name);
    let exe_time = std::env::current_exe()
        .and_then(std::fs::metadata)
        .and_then(|m| m.modified())
        .ok();
    let index_time = std::fs::metadata(dir.join("meta.json"))
        .and_then(|m| m.modified())
        .ok();
    let outdated = match (exe_time, index_time) {
        (Some(e), Some(i)) => i < e,
        _ => true,
    };
    let roots = [corpus.dir.clone()];
    let opts = |rebuild| BuildOptions {
        rebuild,
        ..BuildOptions::default()
    };
    let report = if outdated {
        build(&dir, &roots, &opts(true))
    } else {
        build(&dir, &roots, &opts(false)).or_else(|e| {
            eprintln!("bench: cannot update {} ({e}); rebuilding", dir.display());
            build(&dir, &roots, &opts(true))
        })
    }
    .expect("build the benchmark index");
    assert!(
        report.failed.is_empty(),
        "files failed: {:?}",
        report.failed
    );
    assert_eq!(report.files, corpus.files, "every corpus file is indexed");
    if report.committed {
        eprintln!(
            "bench: indexed {} files ({:.1} MB) into {} in {:.1} s",
            report.reindexed,
            report.bytes as f64 / 1e6,
            dir.display(),
            report.seconds
        );
    }
    dir
}

fn build(dir: &Path, roots: &[PathBuf], opts: &BuildOptions) -> unres::Result<BuildReport> {
    unres::build_index(dir, roots, opts, &|_, _| {})
}

#[allow(unused_imports)] // the search bench checks its counts with `expected`
pub use unres_synth::oracle::{expected, Scanned};

/// Every record of the corpus, parsed without the index, as the exact scan sees it.
pub fn records(corpus: &Corpus) -> Vec<Scanned> {
    let parsed = unres::parse_paths(std::slice::from_ref(&corpus.dir));
    let records: Vec<Record> = parsed
        .into_iter()
        .flat_map(|p| p.result.expect("every corpus file parses"))
        .flat_map(|r| r.records())
        .collect();
    unres_synth::oracle::scan_all(&records)
}

/// Checks the total that the last line of `unres search` prints (`N records match; …`, or
/// `at least N records match …` for a broad query) against the exact scan's `want`.
#[allow(dead_code)]
pub fn check_printed_total(last: &str, want: usize) {
    let (bound, rest) = match last.strip_prefix("at least ") {
        Some(rest) => (true, rest),
        None => (false, last),
    };
    let total: usize = rest
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no total in the last line `{last}`"));
    if bound {
        assert!(
            total == unres::TOTAL_BOUND && total <= want,
            "`{last}`: the exact scan finds {want}"
        );
    } else {
        assert_eq!(total, want, "the total printed: `{last}`");
    }
}
