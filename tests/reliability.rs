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

#[path = "ask/mod.rs"]
mod ask;
mod support;

use proptest::prelude::*;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};
use support::*;
use unres::BuildOptions;
use unres::{Atom, Clause, Query};
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

// ---------------------------------------------------------------------------------------
// A messy corpus: good files (UTF-8, GB18030, UTF-16) and bad ones in one folder.

/// The messy corpus, an index of its good files alone (built before the bad files were
/// added, so both indexes name the same paths), and an index of the whole folder.
struct Messy {
    good: Vec<Parsed>,
    /// The original UTF-8 text of each file written in another encoding.
    encoded: Vec<(PathBuf, String)>,
    /// Each bad file's name and a fragment of the reason it must be given.
    bad: Vec<(String, &'static str)>,
    good_index: PathBuf,
    good_run: Run,
    messy_index: PathBuf,
    messy_run: Run,
}

const GOOD_UTF8: usize = 200;

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for u in text.encode_utf16() {
        out.extend(if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

impl Messy {
    fn get() -> &'static Messy {
        static MESSY: OnceLock<Messy> = OnceLock::new();
        MESSY.get_or_init(Messy::make)
    }

    fn make() -> Messy {
        let root = scratch().join("messy");
        let corpus = root.join("corpus");
        std::fs::create_dir_all(&corpus).unwrap();
        // Six more resolutions than the UTF-8 ones, written in other encodings.
        let config = SynthConfig {
            resolutions: GOOD_UTF8 + 6,
            seed: 2024,
        };
        let files: Vec<synth::SynthFile> = (0..config.resolutions)
            .into_par_iter()
            .map(|i| synth::resolution(&config, i))
            .collect();
        let mut encoded = Vec::new();
        for (i, f) in files.iter().enumerate() {
            let (name, bytes) = match i.checked_sub(GOOD_UTF8) {
                None => (f.name.clone(), f.text.clone().into_bytes()),
                Some(0..=2) => {
                    let (gb, _, unmappable) = encoding_rs::GB18030.encode(&f.text);
                    assert!(!unmappable);
                    (format!("gb18030-{}", f.name), gb.into_owned())
                }
                Some(k) => (format!("utf16-{}", f.name), utf16(&f.text, k == 5)),
            };
            let path = corpus.join(&name);
            std::fs::write(&path, bytes).unwrap();
            if i >= GOOD_UTF8 {
                encoded.push((path, f.text.clone()));
            }
        }
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&corpus)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        paths.sort();
        let good: Vec<Parsed> = paths.into_par_iter().map(Parsed::read).collect();

        let good_index = root.join("good-index");
        let good_run = run(index_args(&corpus, &good_index, &[]));

        let bad = Messy::add_bad_files(&corpus, &files[0].text, &files[1].text);
        let messy_index = root.join("messy-index");
        let messy_run = run(index_args(&corpus, &messy_index, &[]));
        // The 20 MB file has served; the indexes are what the tests use.
        let _ = std::fs::remove_file(corpus.join("bad-one-line.txt"));
        Messy {
            good,
            encoded,
            bad,
            good_index,
            good_run,
            messy_index,
            messy_run,
        }
    }

    fn add_bad_files(corpus: &Path, text: &str, other: &str) -> Vec<(String, &'static str)> {
        let mut bad = Vec::new();
        let mut put = |name: &str, bytes: &[u8], reason: &'static str| {
            std::fs::write(corpus.join(name), bytes).unwrap();
            bad.push((name.to_string(), reason));
        };
        // A good file cut in the middle of a three-byte character.
        let mut cut = text.len() / 2;
        while text.is_char_boundary(cut) || text.is_char_boundary(cut - 1) {
            cut += 1;
        }
        put("bad-truncated.txt", &text.as_bytes()[..cut], "truncated");
        let mut nul = other.as_bytes().to_vec();
        nul.insert(other.len() / 3, 0);
        put("bad-nul.txt", &nul, "binary file");
        put("bad-empty.txt", b"", "the file is empty");
        put("bad-blank.txt", b"  \n\n \r\n\t\n", "the file is empty");
        let line = "核裁军与不扩散，".repeat(20_000_000 / 24);
        put("bad-one-line.txt", line.as_bytes(), "no resolution title");
        let mut pdf = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Length 4096 /Filter /FlateDecode >>\nstream\n".to_vec();
        pdf.extend((0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
        pdf.extend_from_slice(b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n");
        // No cross-reference table: a PDF that cannot be read, named as one.
        put("bad-scan.pdf", &pdf, "not a readable PDF");
        let html = "<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n\
                    <title>A/RES/78/46 大会决议</title>\n</head>\n<body>\n\
                    <h1>78/46. 常规武器</h1>\n<p>大会，</p>\n<p>1. 决定将题为“常规武器”的项目列入临时议程；</p>\n\
                    </body>\n</html>\n";
        put("bad-page.html", html.as_bytes(), "no resolution title");
        std::os::unix::fs::symlink(".", corpus.join("loop")).unwrap();
        bad.push(("loop".into(), "symbolic link loop"));
        // A file nobody may read; the superuser reads it anyway, so it is left out then.
        let unreadable = corpus.join("bad-unreadable.txt");
        std::fs::write(&unreadable, text).unwrap();
        std::fs::set_permissions(&unreadable, std::fs::Permissions::from_mode(0o000)).unwrap();
        if std::fs::read(&unreadable).is_ok() {
            print_note("running as a user who reads mode-000 files (root): the unreadable-file case is skipped");
            std::fs::remove_file(&unreadable).unwrap();
        } else {
            bad.push(("bad-unreadable.txt".into(), "Permission denied"));
        }
        bad
    }

    fn good_records(&self) -> Vec<Record> {
        self.good.iter().flat_map(|f| f.records()).collect()
    }
}

#[test]
fn every_good_record_of_a_messy_corpus_is_indexed() {
    let m = Messy::get();
    assert_eq!(
        m.good_run.code,
        Some(0),
        "good files alone: {:?}",
        m.good_run
    );
    let expected = expected_state(&m.good.iter().collect::<Vec<_>>());
    assert_eq!(m.good.len(), GOOD_UTF8 + 6);
    assert_eq!(state_of(&m.messy_index), expected);
    assert_eq!(state_of(&m.good_index), expected);
}

#[test]
fn every_bad_file_is_reported_once_with_its_reason_and_the_exit_status_is_1() {
    let m = Messy::get();
    let r = &m.messy_run;
    r.no_crash("index of the messy corpus");
    assert_eq!(r.code, Some(1), "{r:?}");
    let skipped: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("unres: skipped "))
        .collect();
    assert_eq!(skipped.len(), m.bad.len(), "{}", r.stderr);
    for (name, reason) in &m.bad {
        let lines: Vec<&&str> = skipped
            .iter()
            .filter(|l| l.contains(&format!("/{name}:")))
            .collect();
        assert_eq!(lines.len(), 1, "{name} reported once: {}", r.stderr);
        assert!(lines[0].contains(reason), "{name}: {}", lines[0]);
    }
    assert!(
        r.stdout.contains(&format!("{} resolutions", GOOD_UTF8 + 6))
            && r.stdout.contains(&format!("{} failed", m.bad.len())),
        "{}",
        r.stdout
    );
}

#[test]
fn bad_files_change_no_search_result() {
    let m = Messy::get();
    let queries = [
        "武器",
        "大会 kind:operative",
        "核裁军 OR 不扩散",
        "-武器 kind:preamble",
        "决议 session:75",
        "\"联合国\" -大会",
    ];
    for q in queries {
        let search = |dir: &Path| {
            run([
                OsStr::new("search"),
                OsStr::new("--json"),
                OsStr::new("--limit"),
                OsStr::new("30"),
                OsStr::new("--index"),
                dir.as_os_str(),
                OsStr::new("--"),
                OsStr::new(q),
            ])
        };
        // Every query finds records: two empty answers, or two errors, would prove nothing.
        let good = search(&m.good_index);
        good.succeeded(q);
        assert_eq!(search(&m.messy_index), good, "{q}");
        let (n, code) = count(&m.good_index, q);
        assert!(n > 0 && code == Some(0), "{q}: {n} ({code:?})");
        assert_eq!(count(&m.messy_index, q), (n, code), "{q}");
    }
}

/// The longest run of CJK characters in the file's records, cut to at most 12 characters.
fn phrase_of(records: &[Record]) -> String {
    let is_cjk = |c: &char| ('\u{4E00}'..='\u{9FFF}').contains(c);
    let mut best: Vec<char> = Vec::new();
    for r in records {
        let chars: Vec<char> = r.text.chars().collect();
        for run in chars.split(|c| !is_cjk(c)) {
            if run.len() > best.len() {
                best = run.to_vec();
            }
        }
    }
    let from = best.len().saturating_sub(12) / 2;
    best[from..best.len().min(from + 12)].iter().collect()
}

#[test]
fn every_good_file_is_found_by_a_phrase_of_its_own() {
    let m = Messy::get();
    let failures = Mutex::new(Vec::new());
    m.good.par_iter().with_max_len(1).for_each(|f| {
        let records = f.records();
        let phrase = phrase_of(&records);
        let needle = unres::fold(&phrase);
        let expected: BTreeSet<(String, u64)> = records
            .iter()
            .filter(|r| unres::fold(&r.text).contains(&needle))
            .map(|r| (r.kind.to_string(), u64::from(r.para)))
            .collect();
        let query = format!("\"{phrase}\" symbol:{}", f.symbol());
        let r = run([
            OsStr::new("search"),
            OsStr::new("--json"),
            OsStr::new("--limit"),
            OsStr::new("100"),
            OsStr::new("--index"),
            m.messy_index.as_os_str(),
            OsStr::new("--"),
            OsStr::new(&query),
        ]);
        r.no_crash(&query);
        let found: BTreeSet<(String, u64)> = r
            .stdout
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).expect("JSON hit");
                (
                    v["kind"].as_str().unwrap().to_string(),
                    v["para"].as_u64().unwrap(),
                )
            })
            .collect();
        if expected.is_empty() || found != expected || r.code != Some(0) {
            failures.lock().unwrap().push(format!(
                "{}: {query}: expected {expected:?}, found {found:?} ({:?})",
                f.path.display(),
                r.code
            ));
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn gb18030_and_utf16_files_read_like_their_utf8_originals() {
    let m = Messy::get();
    assert_eq!(m.encoded.len(), 6);
    for (path, original) in &m.encoded {
        let from_file = unres::parse_file(path).expect("an encoded file is read");
        // Records name a file from the folder holding it: `corpus/NAME`.
        let shown = Path::new("corpus").join(path.file_name().unwrap());
        let from_text = unres::parse_str(&shown, original).unwrap();
        assert_eq!(from_file, from_text, "{}", path.display());
        let symbol = &from_file[0].symbol;
        let n: usize = from_file.iter().map(|r| r.records().len()).sum();
        assert_eq!(
            count(&m.messy_index, &format!("symbol:{symbol}")),
            (n, Some(0)),
            "{}",
            path.display()
        );
    }
}

// ---------------------------------------------------------------------------------------
// Interrupted indexing.

/// Starts `args`, kills it (SIGKILL) after `after`; tells whether it had already ended.
fn kill_after(args: Vec<OsString>, after: Duration) -> bool {
    let mut child = spawn(args);
    std::thread::sleep(after);
    let ended = child.try_wait().unwrap().is_some();
    let _ = child.kill();
    child.wait().unwrap();
    ended
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_last_committed_index_and_the_next_build_completes() {
    let large = Large::get();
    let tmp = tempdir();
    let corpus = tmp.path().join("corpus");
    let dir = tmp.path().join("index");
    let old = indexed(&large.small(), &corpus, &dir);
    let new = expected_state(&large.all());
    assert_eq!(state_of(&dir), old);

    corpus_of(&large.files[SMALL..].iter().collect::<Vec<_>>(), &corpus);
    // An update, a rebuild, an update: each killed later than the one before.
    let rounds: [(u64, &[&str]); 3] = [(300, &[]), (1000, &["--rebuild"]), (2000, &[])];
    for (ms, extra) in rounds {
        let ended = kill_after(index_args(&corpus, &dir, extra), Duration::from_millis(ms));
        let now = state_of(&dir);
        if ms < 1000 {
            assert_eq!(now, old, "killed after {ms} ms");
        } else {
            assert!(now == old || now == new, "killed after {ms} ms: {now:?}");
        }
        if ended {
            print_note(&format!("the build ended before it was killed at {ms} ms"));
        }
    }
    let start = Instant::now();
    let r = run(index_args(&corpus, &dir, &[]));
    assert_eq!(r.code, Some(0), "{r:?}");
    if start.elapsed() < Duration::from_secs(2) {
        print_note("the final build took under 2 s: the later kills may have come too late");
    }
    assert_eq!(state_of(&dir), new);
}

#[test]
fn a_first_build_killed_before_its_commit_is_completed_by_running_it_again() {
    let large = Large::get();
    let tmp = tempdir();
    let corpus = tmp.path().join("corpus");
    let dir = tmp.path().join("index");
    corpus_of(&large.all(), &corpus);
    let ended = kill_after(index_args(&corpus, &dir, &[]), Duration::from_millis(800));
    assert!(
        !ended,
        "the build ended within 800 ms; make the corpus larger"
    );
    // Nothing was committed: searching is an error that says so, not a crash.
    let r = run([
        OsStr::new("search"),
        OsStr::new("--index"),
        dir.as_os_str(),
        OsStr::new("武器"),
    ]);
    r.clear_error("search after a killed first build");
    // The same command again finishes the job.
    let r = run(index_args(&corpus, &dir, &[]));
    r.no_crash("index after a killed first build");
    assert_eq!(r.code, Some(0), "{r:?}");
    assert_eq!(state_of(&dir), expected_state(&large.all()));
}

// ---------------------------------------------------------------------------------------
// Concurrency.

/// Runs `unres search --count` on `dir` in two threads while `args` runs, and once more after
/// it ended; returns every search's run and the build's own run.
fn search_during(dir: &Path, query: &str, args: Vec<OsString>) -> (Vec<Run>, Run) {
    let done = AtomicBool::new(false);
    let seen = Mutex::new(Vec::new());
    let build = std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                let mut last = false;
                while !last {
                    last = done.load(Ordering::SeqCst);
                    let r = run([
                        OsStr::new("search"),
                        OsStr::new("--count"),
                        OsStr::new("--index"),
                        dir.as_os_str(),
                        OsStr::new(query),
                    ]);
                    seen.lock().unwrap().push(r);
                }
            });
        }
        let out = command(scratch()).args(args).output().unwrap();
        done.store(true, Ordering::SeqCst);
        Run::of(out)
    });
    (seen.into_inner().unwrap(), build)
}

#[test]
fn searches_during_an_update_or_a_rebuild_see_the_old_or_the_new_index() {
    let large = Large::get();
    let tmp = tempdir();
    let corpus = tmp.path().join("corpus");
    let dir = tmp.path().join("index");
    indexed(&large.small(), &corpus, &dir);
    let small: Vec<Record> = large.small().iter().flat_map(|f| f.records()).collect();
    let medium: Vec<Record> = large.medium().iter().flat_map(|f| f.records()).collect();
    let (before, after) = (scan(&small, "武器"), scan(&medium, "武器"));
    assert_ne!(before, after);

    // An update adding files, then a rebuild from the small corpus again.
    corpus_of(&large.medium_rest(), &corpus);
    let small_corpus = tmp.path().join("small");
    corpus_of(&large.small(), &small_corpus);
    let phases = [
        (index_args(&corpus, &dir, &[]), before, after),
        (
            index_args(&small_corpus, &dir, &["--rebuild"]),
            after,
            before,
        ),
    ];
    for (args, old, new) in phases {
        let (seen, build) = search_during(&dir, "武器", args);
        assert_eq!(build.code, Some(0), "{build:?}");
        assert!(seen.len() >= 4, "too few searches ran: {seen:?}");
        let (old, new) = (old.to_string(), new.to_string());
        let odd: Vec<&Run> = seen
            .iter()
            .filter(|r| r.code != Some(0) || (r.stdout.trim() != old && r.stdout.trim() != new))
            .collect();
        assert!(odd.is_empty(), "expected {old} or {new}: {odd:?}");
        for state in [&old, &new] {
            assert!(
                seen.iter().any(|r| r.stdout.trim() == state),
                "no search saw {state}: the searches did not overlap the build"
            );
        }
        assert_eq!(count(&dir, "武器").0.to_string(), new);
    }
}

/// The names of the files in `dir` (none when it does not exist).
fn names(dir: &Path) -> BTreeSet<OsString> {
    std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default()
}

/// Waits until a running `unres index` writes a segment file that `before` did not hold:
/// it then holds the index's writer lock.
fn wait_for_writer(dir: &Path, before: &BTreeSet<OsString>, child: &mut Child) {
    let start = Instant::now();
    loop {
        let segment = names(dir).into_iter().any(|n| {
            !before.contains(&n) && Path::new(&n).extension().is_some_and(|e| e == "store")
        });
        if segment {
            return;
        }
        assert!(child.try_wait().unwrap().is_none(), "the build ended early");
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no segment written"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Runs a second `unres index` while `first` runs: the second run, and whether `first` was
/// still running when it ended (else nothing can be concluded from it).
fn second_writer(first: &mut Child, args: Vec<OsString>) -> (Run, bool) {
    let second = run(args);
    let overlapped = first.try_wait().unwrap().is_none();
    second.no_crash("second index");
    (second, overlapped)
}

/// A second writer that ran while the first held the index is refused: exit 2, with the
/// lock named (`unres index` never waits for a lock).
fn assert_refused(second: &Run) {
    assert_eq!(
        second.code,
        Some(2),
        "second index while one runs: {second:?}"
    );
    assert!(
        second.stderr.contains("index is locked by another process"),
        "{second:?}"
    );
}

/// Waits for the first build and asserts that it succeeded.
fn assert_first_succeeds(first: Child) {
    let out = first.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "the first build: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_second_index_while_one_runs_is_refused_and_corrupts_nothing() {
    let large = Large::get();
    let tmp = tempdir();
    let corpus = tmp.path().join("corpus");
    let dir = tmp.path().join("index");
    indexed(&large.small(), &corpus, &dir);
    corpus_of(&large.medium_rest(), &corpus);

    let before = names(&dir);
    let mut first = spawn(index_args(&corpus, &dir, &[]));
    wait_for_writer(&dir, &before, &mut first);
    let (plain, a) = second_writer(&mut first, index_args(&corpus, &dir, &[]));
    let (rebuild, b) = second_writer(&mut first, index_args(&corpus, &dir, &["--rebuild"]));
    assert_first_succeeds(first);
    if a {
        assert_refused(&plain);
    } else {
        print_note("the first build ended before a second `unres index` could be refused");
    }
    if b {
        assert_refused(&rebuild);
    } else {
        print_note(
            "the first build ended before a second `unres index --rebuild` could be refused",
        );
    }
    assert_eq!(state_of(&dir), expected_state(&large.medium()));
}

/// Starts a first build of the medium corpus into an empty folder, and runs a second
/// `unres index` with `extra` once the first is writing.
fn second_writer_during_first_build(extra: &[&str]) {
    let large = Large::get();
    let tmp = tempdir();
    let corpus = tmp.path().join("corpus");
    let dir = tmp.path().join("index");
    corpus_of(&large.medium(), &corpus);
    let before = names(&dir);
    let mut first = spawn(index_args(&corpus, &dir, &[]));
    wait_for_writer(&dir, &before, &mut first);
    let (second, overlapped) = second_writer(&mut first, index_args(&corpus, &dir, extra));
    assert_first_succeeds(first);
    assert!(overlapped, "the first build ended before the second one");
    assert_refused(&second);
    assert_eq!(state_of(&dir), expected_state(&large.medium()));
}

#[test]
fn a_second_index_while_the_first_build_creates_the_index_is_refused_as_locked() {
    second_writer_during_first_build(&[]);
}

#[test]
fn a_rebuild_started_while_the_first_build_creates_the_index_does_not_break_it() {
    second_writer_during_first_build(&["--rebuild"]);
}

// ---------------------------------------------------------------------------------------
// Index folder problems.

/// A small index of the first five files of the large corpus, in `dir`.
/// Writes `files` into `corpus`, indexes them into `dir`, and returns the state expected.
fn indexed(files: &[&Parsed], corpus: &Path, dir: &Path) -> State {
    corpus_of(files, corpus);
    let r = run(index_args(corpus, dir, &[]));
    assert_eq!(r.code, Some(0), "{r:?}");
    expected_state(files)
}

/// An index of the first five files: enough to damage, protect or fill a disk with.
fn small_index(corpus: &Path, dir: &Path) -> State {
    let files: Vec<&Parsed> = Large::get().files[..5].iter().collect();
    indexed(&files, corpus, dir)
}

/// `search`, `stats` and `show` on `dir`, each of which must be a clear error holding every
/// one of `wants`.
fn every_reader_fails_clearly(dir: &Path, wants: &[&str]) {
    let d = dir.as_os_str();
    let runs: [Vec<&OsStr>; 3] = [
        vec!["search".as_ref(), "--index".as_ref(), d, "武器".as_ref()],
        vec!["stats".as_ref(), "--index".as_ref(), d],
        vec![
            "show".as_ref(),
            "A/RES/78/46".as_ref(),
            "--index".as_ref(),
            d,
        ],
    ];
    for args in runs {
        let what = format!("{args:?}");
        let r = run(args);
        r.clear_error(&what);
        for want in wants {
            assert!(r.stderr.contains(want), "{what}: {want}: {}", r.stderr);
        }
    }
}

#[test]
fn a_missing_index_folder_is_a_clear_error() {
    let tmp = tempdir();
    every_reader_fails_clearly(&tmp.path().join("nowhere"), &["no index here"]);
    let odd = OsStr::from_bytes(b"/nonexistent/\xFF\xFEindex");
    every_reader_fails_clearly(Path::new(odd), &["no index here"]);
}

#[test]
fn an_empty_index_folder_is_a_clear_error() {
    let tmp = tempdir();
    every_reader_fails_clearly(tmp.path(), &["an empty folder that is not an unres index"]);
}

#[test]
fn a_folder_that_is_not_an_index_is_refused_and_left_alone() {
    let tmp = tempdir();
    let dir = tmp.path().join("notes");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "私人笔记").unwrap();
    every_reader_fails_clearly(&dir, &["a folder that is not an unres index"]);
    let corpus = tmp.path().join("corpus");
    corpus_of(&Large::get().files[..2].iter().collect::<Vec<_>>(), &corpus);
    run(index_args(&corpus, &dir, &[])).clear_error("index into a foreign folder");
    let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert_eq!(left.len(), 1, "the folder was written to");
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "私人笔记"
    );
    // A file where the index folder should be.
    let file = dir.join("notes.txt");
    every_reader_fails_clearly(&file, &["not a folder"]);
    run(index_args(&corpus, &file, &[])).clear_error("index into a file");
}

#[test]
fn an_index_of_another_format_version_is_refused_until_rebuilt() {
    let tmp = tempdir();
    let (corpus, dir) = (tmp.path().join("corpus"), tmp.path().join("index"));
    let state = small_index(&corpus, &dir);
    // Whatever this version's number, 999 is a newer one and 0 an older one.
    let meta = dir.join("meta.json");
    let text = std::fs::read_to_string(&meta).unwrap();
    let at = text
        .find("\\\"format\\\":")
        .expect("the commit payload holds the format version")
        + 11;
    let digits = text[at..].find(|c: char| !c.is_ascii_digit()).unwrap();
    for version in ["999", "0"] {
        let other = format!("{}{version}{}", &text[..at], &text[at + digits..]);
        std::fs::write(&meta, other).unwrap();
        let found = format!("format version {version}");
        every_reader_fails_clearly(&dir, &[&found, "--rebuild"]);
        let r = run(index_args(&corpus, &dir, &[]));
        r.clear_error("index over another version");
        assert!(r.stderr.contains("--rebuild"), "{version}: {}", r.stderr);
    }
    run(index_args(&corpus, &dir, &["--rebuild"])).succeeded("index --rebuild");
    assert_eq!(state_of(&dir), state);
    run([
        OsStr::new("search"),
        OsStr::new("--index"),
        dir.as_os_str(),
        OsStr::new(PROBES[0]),
    ])
    .succeeded("search after the rebuild");
}

/// Damages a small index with `damage`: every reader must then fail clearly and ask for a
/// rebuild, and `unres index --rebuild` must bring the index back.
fn damaged_index_is_reported_then_rebuilt(damage: impl FnOnce(&Path)) {
    let tmp = tempdir();
    let (corpus, dir) = (tmp.path().join("corpus"), tmp.path().join("index"));
    let state = small_index(&corpus, &dir);
    damage(&dir);
    every_reader_fails_clearly(&dir, &["--rebuild"]);
    assert_eq!(run(index_args(&corpus, &dir, &["--rebuild"])).code, Some(0));
    assert_eq!(state_of(&dir), state);
}

#[test]
fn a_truncated_segment_file_is_a_clear_error_that_asks_for_a_rebuild() {
    damaged_index_is_reported_then_rebuilt(|dir| {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "store") {
                let len = std::fs::metadata(&path).unwrap().len();
                let f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
                f.set_len(len / 2).unwrap();
            }
        }
    });
}

#[test]
fn a_meta_json_that_is_not_json_is_a_clear_error_that_asks_for_a_rebuild() {
    damaged_index_is_reported_then_rebuilt(|dir| {
        std::fs::write(dir.join("meta.json"), "{\"segments\": [").unwrap();
    });
}

/// A tmpfs mounted for one test, unmounted when dropped.
struct Tmpfs {
    dir: PathBuf,
}

impl Tmpfs {
    /// Mounts a tmpfs of `size` (e.g. `1m`) on `dir`, if this process may.
    fn mount(dir: &Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(dir).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs { dir: dir.into() })
    }

    fn remount_read_only(&self) -> bool {
        Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&self.dir)
            .status()
            .is_ok_and(|s| s.success())
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.dir).status();
    }
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

/// Restores write permission on an index folder made read-only with chmod.
struct Writable(PathBuf);

impl Drop for Writable {
    fn drop(&mut self) {
        let _ = std::fs::set_permissions(&self.0, std::fs::Permissions::from_mode(0o755));
        for e in std::fs::read_dir(&self.0).into_iter().flatten().flatten() {
            let _ = std::fs::set_permissions(e.path(), std::fs::Permissions::from_mode(0o644));
        }
    }
}

/// A small index that cannot be written: made read-only with chmod, or, when chmod does not
/// stop this user (root), built on a tmpfs then remounted read-only.
struct ReadOnly {
    corpus: PathBuf,
    dir: PathBuf,
    state: State,
    // Dropped in this order: permissions restored, tmpfs unmounted, folder removed.
    _writable: Writable,
    _mount: Option<Tmpfs>,
    _tmp: tempfile::TempDir,
}

impl ReadOnly {
    fn make() -> Option<ReadOnly> {
        let tmp = tempdir();
        let corpus = tmp.path().join("corpus");
        let mut dir = tmp.path().join("index");
        let mut state = small_index(&corpus, &dir);
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o444)).unwrap();
        }
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).unwrap();
        let writable = Writable(dir.clone());
        let mut mount = None;
        if std::fs::write(dir.join("probe"), "x").is_ok() {
            let mnt = tmp.path().join("ro");
            let Some(fs) = Tmpfs::mount(&mnt, "16m") else {
                print_note("chmod -w does not stop this user and mounting a tmpfs is not permitted: the read-only index cases are skipped");
                return None;
            };
            dir = mnt.join("index");
            state = small_index(&corpus, &dir);
            assert!(fs.remount_read_only(), "remount the tmpfs read-only");
            mount = Some(fs);
        }
        Some(ReadOnly {
            corpus,
            dir,
            state,
            _writable: writable,
            _mount: mount,
            _tmp: tmp,
        })
    }
}

#[test]
fn a_read_only_index_is_still_searched() {
    let Some(ro) = ReadOnly::make() else { return };
    let r = run([
        OsStr::new("search"),
        OsStr::new("--count"),
        OsStr::new("--index"),
        ro.dir.as_os_str(),
        OsStr::new("武器"),
    ]);
    r.succeeded("search of a read-only index");
    assert_eq!(r.stdout.trim(), ro.state.counts[0].to_string());
}

#[test]
fn indexing_into_a_read_only_index_fails_clearly_and_changes_nothing() {
    let Some(ro) = ReadOnly::make() else { return };
    let before = snapshot(&ro.dir);
    corpus_of(
        &Large::get().files[5..6].iter().collect::<Vec<_>>(),
        &ro.corpus,
    );
    for extra in [&[][..], &["--rebuild"][..]] {
        let r = run(index_args(&ro.corpus, &ro.dir, extra));
        r.clear_error("index into a read-only folder");
        assert!(
            !r.stderr.contains("locked by another process"),
            "nobody else holds the index: {}",
            r.stderr
        );
        assert!(
            r.stderr.contains("Read-only file system") || r.stderr.contains("Permission denied"),
            "{}",
            r.stderr
        );
    }
    assert_eq!(snapshot(&ro.dir), before, "a read-only index was changed");
}

#[test]
fn a_full_disk_fails_the_build_clearly_and_keeps_the_last_index() {
    let tmp = tempdir();
    let corpus = tmp.path().join("corpus");
    let Some(_fs) = Tmpfs::mount(&tmp.path().join("disk"), "1m") else {
        print_note("mounting a tmpfs is not permitted: the full-disk case is skipped");
        return;
    };
    let dir = tmp.path().join("disk/index");
    let state = small_index(&corpus, &dir);
    corpus_of(
        &Large::get().files[5..200].iter().collect::<Vec<_>>(),
        &corpus,
    );
    let r = run(index_args(&corpus, &dir, &[]));
    r.clear_error("index onto a full disk");
    assert!(
        r.stderr.contains("No space left on device"),
        "the message should name the cause: {}",
        r.stderr
    );
    assert_eq!(state_of(&dir), state);
}

// ---------------------------------------------------------------------------------------
// Hostile queries.

#[test]
fn hostile_queries_are_a_clear_error_or_an_empty_result_and_fast() {
    let m = Messy::get();
    let many_or = (0..3000)
        .map(|i| format!("词{i}"))
        .collect::<Vec<_>>()
        .join(" OR ");
    let too_many = vec!["武"; 300].join(" OR ");
    let cases: Vec<(&str, OsString)> = vec![
        ("10,000 characters", "武器".repeat(5000).into()),
        ("10,000 times one character", "武".repeat(10_000).into()),
        (
            "10,000 characters with spaces",
            "核 裁军 ".repeat(1250).into(),
        ),
        (
            "only punctuation",
            "，。、；：？！…—（）《》“”‘’!?.,;:()[]{}<>".into(),
        ),
        ("only spaces", "     \t   ".into()),
        ("ideographic spaces", "\u{3000}\u{3000}".into()),
        ("unbalanced quote", "\"小武器".into()),
        ("unbalanced closing quote", "小武器\"".into()),
        ("unbalanced curly quote", "“核裁军 不扩散".into()),
        ("three quotes", "\"\"\"".into()),
        ("only opening brackets", "((((".into()),
        ("quote inside a word", "小\"武器".into()),
        ("thousands of OR terms", many_or.into()),
        (
            "one term OR-ed 2,000 times",
            vec!["小武器"; 2000].join(" OR ").into(),
        ),
        ("too many terms", too_many.into()),
        ("unknown field", "colour:red".into()),
        ("a full-width colon after Chinese", "颜色：红".into()),
        ("empty filter", "symbol:".into()),
        ("huge session", "session:99999999999999999999".into()),
        ("negative year", "year:-1".into()),
        ("lone minus", "-".into()),
        ("lone OR", "OR".into()),
        ("only negations of nothing", "- - -".into()),
        (
            "control characters",
            "\u{1}\u{2}\u{7}\u{1b}[31m\u{7f}".into(),
        ),
        (
            "a terminal escape before a word",
            "\u{7}\u{1b}[31m小武器".into(),
        ),
        ("bidi and zero-width", "\u{202e}\u{200b}\u{feff}".into()),
        ("a lone surrogate's replacement", "\u{fffd}".into()),
        ("invalid UTF-8", OsStr::from_bytes(b"\xFF\xFE\xFD").into()),
        ("truncated UTF-8", OsStr::from_bytes(b"\xE6\xAD").into()),
        (
            "valid then invalid UTF-8",
            OsStr::from_bytes(b"\xE5\xB0\x8F\xE6\xAD\xA6\xFF").into(),
        ),
    ];
    for (what, query) in cases {
        let start = Instant::now();
        let r = run([
            OsStr::new("search"),
            OsStr::new("--index"),
            m.messy_index.as_os_str(),
            OsStr::new("--"),
            &query,
        ]);
        let took = start.elapsed();
        r.no_crash(what);
        match r.code {
            Some(1) => assert!(r.stdout.contains("0 records match"), "{what}: {r:?}"),
            Some(2) => {
                r.clear_error(what);
                assert!(r.stderr.lines().count() <= 6, "{what}: {}", r.stderr);
            }
            _ => panic!("{what}: neither an error nor an empty result: {r:?}"),
        }
        assert!(took < Duration::from_secs(5), "{what}: took {took:?}");
    }
    // Exclusions alone, of letters the text never holds: a query like the others, which
    // every record answers.
    let start = Instant::now();
    let r = run([
        OsStr::new("search"),
        OsStr::new("--index"),
        m.messy_index.as_os_str(),
        OsStr::new("--"),
        OsStr::new("-a -b -c"),
    ]);
    let took = start.elapsed();
    r.succeeded("only exclusions");
    // Every record matches at the same score: counting stops at the bound.
    assert!(
        r.stdout
            .contains("at least 1000 records match (--count counts them all); showing 1–10"),
        "{r:?}"
    );
    assert!(
        took < Duration::from_secs(5),
        "only exclusions: took {took:?}"
    );
    // The same without `--`: an ASCII letter after a minus is an unknown option.
    let r = run([
        OsStr::new("search"),
        OsStr::new("--index"),
        m.messy_index.as_os_str(),
        OsStr::new("-a -b -c"),
    ]);
    r.clear_error("only exclusions, without --");
}

#[test]
fn the_widest_queries_the_language_allows_answer_quickly() {
    let m = Messy::get();
    // The most frequent characters of the corpus, each one its own term.
    let mut freq: BTreeMap<char, usize> = BTreeMap::new();
    for r in m.good_records() {
        for c in r
            .text
            .chars()
            .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
        {
            *freq.entry(c).or_default() += 1;
        }
    }
    let mut chars: Vec<(usize, char)> = freq.into_iter().map(|(c, n)| (n, c)).collect();
    chars.sort_unstable_by(|a, b| b.cmp(a));
    let top: Vec<String> = chars
        .iter()
        .take(unres::MAX_TERMS)
        .map(|&(_, c)| c.to_string())
        .collect();
    let pairs: Vec<String> = top.windows(2).map(|w| w.concat()).collect();
    // (what, query, whether it must find records: any of the most frequent characters or
    // pairs of the corpus does; all of them at once, or some without the others, may not).
    let cases = [
        (
            "256 one-character terms joined by OR",
            top.join(" OR "),
            true,
        ),
        (
            "255 two-character terms joined by OR",
            pairs.join(" OR "),
            true,
        ),
        ("256 one-character terms all required", top.join(" "), false),
        (
            "128 terms OR-ed, 128 excluded",
            format!("{} -{}", top[..128].join(" OR "), top[128..].join(" -")),
            false,
        ),
    ];
    for (what, query, finds) in cases {
        let start = Instant::now();
        let r = run([
            OsStr::new("search"),
            OsStr::new("--index"),
            m.messy_index.as_os_str(),
            OsStr::new("--"),
            OsStr::new(&query),
        ]);
        let took = start.elapsed();
        r.no_crash(what);
        assert!(
            matches!(r.code, Some(0 | 1)),
            "{what}: the query is allowed: {r:?}"
        );
        if finds {
            r.succeeded(what);
        }
        assert!(took < Duration::from_secs(5), "{what}: took {took:?}");
    }
}

#[test]
fn huge_limit_and_offset_are_an_error_or_an_empty_page_not_a_crash() {
    let m = Messy::get();
    let max = u64::MAX.to_string();
    let cases: [[&str; 4]; 4] = [
        ["--limit", &max, "--offset", "0"],
        ["--limit", "10", "--offset", &max],
        ["--limit", "1000000000", "--offset", "0"],
        ["--limit", "100000000000", "--offset", "100000000000"],
    ];
    for case in cases {
        let what = format!("{case:?}");
        let start = Instant::now();
        let mut args: Vec<&OsStr> = vec![
            "search".as_ref(),
            "--index".as_ref(),
            m.messy_index.as_os_str(),
            "武器".as_ref(),
        ];
        args.extend(case.iter().map(OsStr::new));
        let r = run(args);
        let took = start.elapsed();
        if r.code == Some(2) {
            r.clear_error(&what);
        } else {
            // 武器 matches: the page holds the matches from the offset on, none past the end.
            r.succeeded(&what);
            let summary = r.stdout.lines().last().unwrap();
            let page = if case[3] == "0" {
                "showing 1–"
            } else {
                "none shown"
            };
            assert!(
                summary.contains(" records match; ") && summary.contains(page),
                "{what}: {summary}"
            );
        }
        assert!(took < Duration::from_secs(5), "{what}: took {took:?}");
    }
}

// ---------------------------------------------------------------------------------------
// Round trip through the library.

fn text_and_symbol(text: &str, symbol: &str) -> Query {
    let clause = |atom| Clause {
        negated: false,
        any_of: vec![atom],
    };
    Query {
        clauses: vec![
            clause(Atom::Text(text.to_string())),
            clause(Atom::Symbol(symbol.to_string())),
        ],
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    #[test]
    fn generated_resolutions_round_trip_through_parse_index_and_search(
        seed in any::<u64>(),
        count in 1usize..4,
        salt in any::<u64>(),
    ) {
        let tmp = tempdir();
        let corpus = tmp.path().join("corpus");
        std::fs::create_dir(&corpus).unwrap();
        let config = SynthConfig { resolutions: count, seed };
        let mut parsed = Vec::new();
        for i in 0..count {
            let f = synth::resolution(&config, i);
            let path = corpus.join(&f.name);
            std::fs::write(&path, &f.text).unwrap();
            parsed.push(Parsed::read(path));
        }
        let dir = tmp.path().join("index");
        let opts = BuildOptions { threads: 2, ..BuildOptions::default() };
        let report = unres::build_index(&dir, std::slice::from_ref(&corpus), &opts, &|_, _| {}).unwrap();
        prop_assert!(report.failed.is_empty(), "{:?}", report.failed);
        let idx = unres::open_index(&dir).unwrap();
        let mut rng = fastrand::Rng::with_seed(salt);
        for f in &parsed {
            let records = f.records();
            // Stored whole, in document order.
            let mut q = Query::default();
            q.require(Atom::Symbol(f.symbol().to_string()));
            prop_assert_eq!(&ask::records(&idx, &q), &records);
            // Every record is found by a piece of its own text, with exactly the others
            // of its resolution that hold that piece.
            for r in &records {
                let chars: Vec<char> = r.text.chars().collect();
                let len = rng.usize(1..=16);
                let start = rng.usize(0..chars.len().saturating_sub(len).max(1));
                let mut piece: String = chars[start..chars.len().min(start + len)].iter().collect();
                if unres::fold(&piece).is_empty() {
                    piece = r.text.clone();
                }
                let found = ask::records(&idx, &text_and_symbol(&piece, f.symbol()));
                prop_assert!(found.contains(r), "{:?} not found in {}", piece, r.place());
                prop_assert_eq!(found.len(), scan(&records, &piece), "{:?}", piece);
            }
        }
    }
}
