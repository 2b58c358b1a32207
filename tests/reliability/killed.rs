//! Interrupted indexing: a build killed at any moment leaves the last committed index and
//! the next build completes; a first build killed before its commit is completed by running
//! it again.

use super::{corpus_of, expected_state, index_args, indexed, state_of, Large, SMALL};
use crate::support::*;
use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::path::Path;
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

/// A build whose writer wrote several segments (one thread at the least memory) merges
/// them once it has committed. Killed then, as soon as files of a segment the commit does
/// not list appear beside the committed ones, it leaves the committed index answering; an
/// update with nothing to do answers the same, and the next update that writes leaves no
/// file of a segment the index does not list.
#[test]
fn a_build_killed_during_its_merges_leaves_its_commit_and_the_next_writer_clears_the_rest() {
    let large = Large::get();
    let tmp = tempdir();
    let corpus = tmp.path().join("corpus");
    let dir = tmp.path().join("index");
    let (first, last) = large.files.split_at(large.files.len() - 1);
    corpus_of(&first.iter().collect::<Vec<_>>(), &corpus);
    let small_writer = ["--threads", "1", "--memory", "20"];
    let mut child = spawn(index_args(&corpus, &dir, &small_writer));
    let start = Instant::now();
    let mut caught = false;
    while child.try_wait().unwrap().is_none() {
        let listed = listed_segments(&dir);
        if !listed.is_empty() && segment_files(&dir).keys().any(|s| !listed.contains(s)) {
            let _ = child.kill();
            caught = true;
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(300),
            "the build ran 300 s"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    child.wait().unwrap();
    if !caught {
        print_note("the build's merges ended before they were seen: nothing was killed");
    }
    assert!(
        listed_segments(&dir).len() > 1 || !caught,
        "one segment before the merge"
    );
    assert_eq!(
        state_of(&dir),
        expected_state(&first.iter().collect::<Vec<_>>())
    );

    let r = run(index_args(&corpus, &dir, &small_writer));
    assert_eq!(r.code, Some(0), "{r:?}");
    assert!(r.stdout.contains("(index unchanged)"), "{r:?}");
    assert_eq!(
        state_of(&dir),
        expected_state(&first.iter().collect::<Vec<_>>())
    );

    corpus_of(&last.iter().collect::<Vec<_>>(), &corpus);
    let r = run(index_args(&corpus, &dir, &small_writer));
    assert_eq!(r.code, Some(0), "{r:?}");
    assert_eq!(state_of(&dir), expected_state(&large.all()));
    let listed = listed_segments(&dir);
    let unlisted: Vec<String> = segment_files(&dir)
        .into_iter()
        .filter(|(s, _)| !listed.contains(s))
        .flat_map(|(_, files)| files)
        .collect();
    assert!(unlisted.is_empty(), "left behind: {unlisted:?}");
}

/// The segments the index folder's commit lists (`meta.json`), as their files name them.
fn listed_segments(dir: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(dir.join("meta.json")) else {
        return Vec::new();
    };
    let Ok(meta) = serde_json::from_str::<serde_json::Value>(&text) else {
        return Vec::new();
    };
    meta["segments"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["segment_id"].as_str())
        .map(|id| id.replace('-', ""))
        .collect()
}

/// The files of segments in the folder (`<32 hex digits>.<part>`), by segment.
fn segment_files(dir: &Path) -> BTreeMap<String, Vec<String>> {
    let mut by_segment: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some((id, _)) = name.split_once('.') {
            if id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()) {
                by_segment.entry(id.to_string()).or_default().push(name);
            }
        }
    }
    by_segment
}
