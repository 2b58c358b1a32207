//! Reliability of `unres` under bad input and bad conditions, run against the real binary: a
//! messy corpus (damaged, binary and odd files among good ones), indexing killed half-way,
//! searches and a second writer running during a build, index folders that are missing,
//! damaged, of another version, read-only or on a full disk, hostile queries, and a property
//! test of generate → parse → index → search through the library.
//!
//! A binary of its own, run after the suite rather than among its tests: its builds are killed
//! at fixed moments, its searches must overlap a running build and its hostile queries must
//! answer within a time limit, timings the suite's tests would disturb if they shared the
//! cores; and `cargo test --test suite` stays a matter of seconds. It uses the same harness
//! (`tests/support/`): fixtures are written under Cargo's temporary folder for tests
//! (`target/tmp/reliability/`), one folder per test process, and the next run removes the
//! folders of finished runs. Cases that need something the machine does not allow (a file
//! its user cannot read, a tmpfs mount) print a note and are skipped.
//!
//! This file holds what the tests share (running the binary on an index folder, the corpora
//! and the state of an index); each other file of `tests/reliability/` is one subject.

#[path = "../ask/mod.rs"]
mod ask;
#[path = "../support/mod.rs"]
mod support;

mod concurrency;
mod hostile_queries;
mod index_folder;
mod killed;
mod messy;
mod round_trip;

use rayon::prelude::*;
use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use support::*;
use unres::{Record, Resolution};
use unres_synth::{self as synth, SynthConfig};

// ---------------------------------------------------------------------------------------
// Running the binary on an index folder.

/// `unres index ROOT --index DIR [extra]`.
fn index_args(root: &Path, dir: &Path, extra: &[&str]) -> Vec<OsString> {
    let mut args: Vec<OsString> = vec!["index".into(), root.into(), "--index".into(), dir.into()];
    args.extend(extra.iter().map(OsString::from));
    args
}

/// `unres search --count QUERY --index DIR`: the count, and the exit code.
fn count(dir: &Path, query: &str) -> (usize, Option<i32>) {
    let r = run([
        OsStr::new("search"),
        OsStr::new("--count"),
        OsStr::new("--index"),
        dir.as_os_str(),
        OsStr::new("--"),
        OsStr::new(query),
    ]);
    r.no_crash(query);
    let n = r
        .stdout
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("search --count {query}: {r:?}"));
    (n, r.code)
}

// ---------------------------------------------------------------------------------------
// Corpora.

/// One corpus file and what the library reads from it.
struct Parsed {
    path: PathBuf,
    resolutions: Vec<Resolution>,
}

impl Parsed {
    fn read(path: PathBuf) -> Parsed {
        let resolutions = unres::parse_file(&path)
            .unwrap_or_else(|e| panic!("the library cannot read {}: {e}", path.display()));
        Parsed { path, resolutions }
    }

    fn records(&self) -> Vec<Record> {
        self.resolutions.iter().flat_map(|r| r.records()).collect()
    }

    fn symbol(&self) -> &str {
        &self.resolutions[0].symbol
    }
}

/// What `unres stats --json` and `unres search --count` say of an index.
#[derive(Debug, Clone, PartialEq, Eq)]
struct State {
    resolutions: u64,
    records: u64,
    by_session: BTreeMap<String, Vec<u64>>,
    counts: Vec<usize>,
}

/// Queries whose counts are compared between states; all frequent in synthetic text.
const PROBES: [&str; 4] = ["武器", "大会", "裁军", "决议"];

fn state_of(dir: &Path) -> State {
    let r = run([
        OsStr::new("stats"),
        OsStr::new("--json"),
        OsStr::new("--index"),
        dir.as_os_str(),
    ]);
    r.no_crash("stats");
    assert_eq!(r.code, Some(0), "stats of {}: {r:?}", dir.display());
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("stats JSON");
    let by_session = v["by_session"]
        .as_object()
        .expect("by_session")
        .iter()
        .map(|(s, kinds)| {
            let kinds = kinds.as_array().expect("kinds");
            (
                s.clone(),
                kinds.iter().map(|k| k.as_u64().unwrap()).collect(),
            )
        })
        .collect();
    State {
        resolutions: v["resolutions"].as_u64().expect("resolutions"),
        records: v["records"].as_u64().expect("records"),
        by_session,
        counts: PROBES.iter().map(|q| count(dir, q).0).collect(),
    }
}

/// The state an index of exactly these files must be in, from the library's own reading.
fn expected_state(files: &[&Parsed]) -> State {
    let records: Vec<Record> = files.iter().flat_map(|f| f.records()).collect();
    let mut by_session: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for r in &records {
        by_session
            .entry(r.session.to_string())
            .or_insert_with(|| vec![0; 4])[r.kind.code() as usize] += 1;
    }
    State {
        resolutions: files.iter().map(|f| f.resolutions.len() as u64).sum(),
        records: records.len() as u64,
        by_session,
        counts: PROBES.iter().map(|q| scan(&records, q)).collect(),
    }
}

/// How many records hold `needle`, by a plain scan of folded texts.
fn scan(records: &[Record], needle: &str) -> usize {
    unres_synth::oracle::count_text(records, needle)
}

/// A corpus folder holding these files (hard links, or copies across file systems).
fn corpus_of(files: &[&Parsed], dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for f in files {
        let to = dir.join(f.path.file_name().unwrap());
        if to.exists() {
            continue;
        }
        if std::fs::hard_link(&f.path, &to).is_err() {
            std::fs::copy(&f.path, &to).unwrap();
        }
    }
}

/// Writes `files` into `corpus`, indexes them into `dir`, and returns the state expected.
fn indexed(files: &[&Parsed], corpus: &Path, dir: &Path) -> State {
    corpus_of(files, corpus);
    let r = run(index_args(corpus, dir, &[]));
    assert_eq!(r.code, Some(0), "{r:?}");
    expected_state(files)
}

/// A synthetic corpus large enough that building its index takes seconds (about 30 MB): the
/// first [`SMALL`] files make the "old" state of the tests that change an index, the first
/// [`MEDIUM`] serve the tests that only need a build to last a moment.
struct Large {
    files: Vec<Parsed>,
}

const LARGE: usize = 1500;
const MEDIUM: usize = 600;
const SMALL: usize = 100;

impl Large {
    fn get() -> &'static Large {
        static LARGE_CORPUS: OnceLock<Large> = OnceLock::new();
        LARGE_CORPUS.get_or_init(|| {
            let dir = scratch().join("large");
            let config = SynthConfig {
                resolutions: LARGE,
                seed: 600,
            };
            synth::write_corpus(&config, &dir).expect("write the corpus");
            let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            paths.sort();
            Large {
                files: paths.into_par_iter().map(Parsed::read).collect(),
            }
        })
    }

    fn small(&self) -> Vec<&Parsed> {
        self.files[..SMALL].iter().collect()
    }

    fn medium(&self) -> Vec<&Parsed> {
        self.files[..MEDIUM].iter().collect()
    }

    fn medium_rest(&self) -> Vec<&Parsed> {
        self.files[SMALL..MEDIUM].iter().collect()
    }

    fn all(&self) -> Vec<&Parsed> {
        self.files.iter().collect()
    }
}
