//! Concurrency: searches during an update or a rebuild see the old index or the new one,
//! never an error; a second `unres index` while one runs (or while the first build creates
//! the index) is refused as locked and corrupts nothing.

use super::{corpus_of, count, expected_state, index_args, indexed, scan, state_of, Large};
use crate::support::*;
use std::collections::BTreeSet;
use std::ffi::{OsStr, OsString};
use std::path::Path;
use std::process::Child;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use unres::Record;

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
/// `unres index` with `extra` once the first is writing. Whether the second starts before
/// the first ends depends on the machine's load: up to three tries, each leaving the
/// corpus's index whole, until one overlaps.
fn second_writer_during_first_build(extra: &[&str]) {
    let large = Large::get();
    for _ in 0..3 {
        let tmp = tempdir();
        let corpus = tmp.path().join("corpus");
        let dir = tmp.path().join("index");
        corpus_of(&large.medium(), &corpus);
        let before = names(&dir);
        let mut first = spawn(index_args(&corpus, &dir, &[]));
        wait_for_writer(&dir, &before, &mut first);
        let (second, overlapped) = second_writer(&mut first, index_args(&corpus, &dir, extra));
        assert_first_succeeds(first);
        assert_eq!(state_of(&dir), expected_state(&large.medium()));
        if overlapped {
            assert_refused(&second);
            return;
        }
        print_note("the first build ended before the second one: trying again");
    }
    panic!("in three tries, the first build ended before the second one started");
}

#[test]
fn a_second_index_while_the_first_build_creates_the_index_is_refused_as_locked() {
    second_writer_during_first_build(&[]);
}

#[test]
fn a_rebuild_started_while_the_first_build_creates_the_index_does_not_break_it() {
    second_writer_during_first_build(&["--rebuild"]);
}
