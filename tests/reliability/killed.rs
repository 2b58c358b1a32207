//! Interrupted indexing: a build killed at any moment leaves the last committed index and
//! the next build completes; a first build killed before its commit is completed by running
//! it again.

use super::{corpus_of, expected_state, index_args, indexed, state_of, Large, SMALL};
use crate::support::*;
use std::ffi::{OsStr, OsString};
use std::time::{Duration, Instant};

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
