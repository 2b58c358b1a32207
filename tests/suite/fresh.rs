//! `open_or_update` on the seed: the freshness file is trusted only while no folder under the
//! corpus changed, and every kind of change (a file added, replaced, removed or renamed; a
//! folder added) brings the index up to date; a file overwritten in place is read by the next
//! update; a concurrent writer leaves readers on the last committed index.

use crate::ask;

use crate::common::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};
use unres::{Atom, BuildOptions, Freshness, Index};

fn open(dir: &Path, corpus: &Path) -> (Index, Freshness) {
    unres::open_or_update(
        dir,
        &[corpus.to_path_buf()],
        &BuildOptions::default(),
        &|_, _| {},
        &|_| {},
    )
    .expect("open_or_update")
}

fn count(index: &Index, q: &str) -> usize {
    ask::count(index, &unres::parse_query(q).unwrap())
}

fn symbol_count(index: &Index, symbol: &str) -> usize {
    let mut q = unres::Query::default();
    q.require(Atom::Symbol(symbol.into()));
    ask::count(index, &q)
}

/// Sets every file and folder under `root` (and `root`) to a time well in the past, as if
/// the corpus had been written long ago: the freshness file then trusts it.
fn settle(root: &Path) {
    let past = SystemTime::now() - Duration::from_secs(60);
    for entry in walkdir::WalkDir::new(root) {
        let entry = entry.unwrap();
        let f = std::fs::File::open(entry.path()).unwrap();
        f.set_modified(past).unwrap();
    }
}

/// A second resolution, A/RES/78/50, made from the seed's text.
fn second_resolution() -> String {
    std::fs::read_to_string(SEED)
        .unwrap()
        .replace("78/46.", "78/50.")
        .replace("小武器和轻武器非法贸易的各方面问题 ", "常规弹药 ")
}

/// `unres index` records what it saw, as an update on opening does: the next search of the
/// same corpus opens the index without checking every file, and a second `unres index` of
/// an unchanged corpus leaves the freshness file as it was.
#[test]
fn an_index_built_by_unres_index_is_trusted_by_the_next_search() {
    let Setup { ws, dir, corpus } = settled_workspace();
    let (d, c) = (dir.to_str().unwrap(), corpus.to_str().unwrap());
    let index = |what: &str| {
        run_in(ws.path(), ["index", "--index", d, c]).succeeded(what);
    };
    index("unres index");
    assert!(unres::is_fresh(&dir, std::slice::from_ref(&corpus)));
    let seen = dir.join("unres-seen.txt");
    let written = std::fs::metadata(&seen).unwrap().modified().unwrap();
    let (_, f) = open(&dir, &corpus);
    assert!(f.updated.is_none() && !f.built, "{f:?}");
    std::thread::sleep(Duration::from_millis(20));
    index("unres index again");
    assert_eq!(
        std::fs::metadata(&seen).unwrap().modified().unwrap(),
        written
    );
}

struct Setup {
    ws: tempfile::TempDir,
    dir: PathBuf,
    corpus: PathBuf,
}

/// A workspace whose corpus files have settled times, its index not built yet.
fn settled_workspace() -> Setup {
    let ws = workspace();
    let dir = ws.path().join("index");
    let corpus = ws.path().join("corpus");
    settle(&corpus);
    Setup { ws, dir, corpus }
}

/// A workspace whose index is built and whose freshness file is written and trusted.
fn fresh_setup() -> Setup {
    let ws = workspace();
    let dir = ws.path().join("index");
    let corpus = ws.path().join("corpus");
    let (_, f) = open(&dir, &corpus);
    assert!(f.built && f.updated.is_some());
    settle(&corpus);
    // Checked in full once (the times changed), which writes the freshness file ...
    let (_, f) = open(&dir, &corpus);
    assert!(f.updated.is_some(), "{f:?}");
    // ... and from then on trusted.
    assert!(unres::is_fresh(&dir, std::slice::from_ref(&corpus)));
    let (index, f) = open(&dir, &corpus);
    assert!(f.updated.is_none() && !f.built);
    assert!(count(&index, "小武器") > 30);
    Setup { ws, dir, corpus }
}

#[test]
fn nothing_changed_means_no_update() {
    let s = fresh_setup();
    for _ in 0..3 {
        let (index, f) = open(&s.dir, &s.corpus);
        assert!(f.updated.is_none());
        assert_eq!(symbol_count(&index, "A/RES/78/46"), 72);
    }
    // Another root list is another corpus.
    assert!(!unres::is_fresh(&s.dir, &[s.corpus.join("sub")]));
}

#[test]
fn a_file_added_is_indexed() {
    let s = fresh_setup();
    std::fs::write(s.corpus.join("b.txt"), second_resolution()).unwrap();
    assert!(!unres::is_fresh(&s.dir, std::slice::from_ref(&s.corpus)));
    let (index, f) = open(&s.dir, &s.corpus);
    assert_eq!(f.updated.unwrap().reindexed, 1);
    assert_eq!(symbol_count(&index, "A/RES/78/50"), 72);
}

#[test]
fn a_file_changed_by_replacing_it_is_read_again() {
    let s = fresh_setup();
    let seed = s.corpus.join("A-RES-78-46.zh.txt");
    let text = std::fs::read_to_string(&seed).unwrap();
    // As editors, rsync and git write: a new file renamed over the old one.
    let tmp = s.dir.parent().unwrap().join("new.txt");
    std::fs::write(&tmp, text.replace("78/46.", "78/51.")).unwrap();
    std::fs::rename(&tmp, &seed).unwrap();
    assert!(!unres::is_fresh(&s.dir, std::slice::from_ref(&s.corpus)));
    let (index, f) = open(&s.dir, &s.corpus);
    assert_eq!(f.updated.unwrap().reindexed, 1);
    assert_eq!(symbol_count(&index, "A/RES/78/46"), 0);
    assert_eq!(symbol_count(&index, "A/RES/78/51"), 72);
}

#[test]
fn a_file_changed_in_place_is_read_by_the_next_update() {
    let s = fresh_setup();
    let seed = s.corpus.join("A-RES-78-46.zh.txt");
    let text = std::fs::read_to_string(&seed).unwrap();
    // Overwritten in place: its folder's time stays, so the quick check trusts the index
    // (as documented) ...
    std::fs::write(&seed, text.replace("78/46.", "78/51.")).unwrap();
    assert!(unres::is_fresh(&s.dir, std::slice::from_ref(&s.corpus)));
    // ... and any update compares every file's size and time: `unres index`, or the next
    // search after anything else in the folder changed.
    std::fs::write(s.corpus.join("b.txt"), second_resolution()).unwrap();
    let (index, f) = open(&s.dir, &s.corpus);
    assert_eq!(f.updated.unwrap().reindexed, 2);
    assert_eq!(symbol_count(&index, "A/RES/78/46"), 0);
    assert_eq!(symbol_count(&index, "A/RES/78/51"), 72);
    assert_eq!(symbol_count(&index, "A/RES/78/50"), 72);
}

#[test]
fn a_corpus_given_as_a_file_is_checked_by_its_own_time() {
    let ws = workspace();
    let dir = ws.path().join("index");
    let file = ws.path().join(SEED);
    let (_, f) = open(&dir, &file);
    assert!(f.built);
    settle(&ws.path().join("corpus"));
    open(&dir, &file);
    assert!(unres::is_fresh(&dir, std::slice::from_ref(&file)));
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("78/46.", "78/51.")).unwrap();
    assert!(!unres::is_fresh(&dir, std::slice::from_ref(&file)));
    let (index, _) = open(&dir, &file);
    assert_eq!(symbol_count(&index, "A/RES/78/51"), 72);
}

#[test]
fn a_file_removed_is_dropped() {
    let s = fresh_setup();
    std::fs::write(s.corpus.join("b.txt"), second_resolution()).unwrap();
    let (index, _) = open(&s.dir, &s.corpus);
    assert_eq!(symbol_count(&index, "A/RES/78/50"), 72);
    drop(index);
    settle(&s.corpus);
    open(&s.dir, &s.corpus);
    assert!(unres::is_fresh(&s.dir, std::slice::from_ref(&s.corpus)));
    std::fs::remove_file(s.corpus.join("b.txt")).unwrap();
    assert!(!unres::is_fresh(&s.dir, std::slice::from_ref(&s.corpus)));
    let (index, f) = open(&s.dir, &s.corpus);
    assert_eq!(f.updated.unwrap().removed, 1);
    assert_eq!(symbol_count(&index, "A/RES/78/50"), 0);
    assert_eq!(symbol_count(&index, "A/RES/78/46"), 72);
}

#[test]
fn a_file_renamed_is_found_under_its_new_name() {
    let s = fresh_setup();
    let new = s.corpus.join("renamed.txt");
    std::fs::rename(s.corpus.join("A-RES-78-46.zh.txt"), &new).unwrap();
    assert!(!unres::is_fresh(&s.dir, std::slice::from_ref(&s.corpus)));
    let (index, _) = open(&s.dir, &s.corpus);
    let mut q = unres::Query::default();
    q.require(Atom::Symbol("A/RES/78/46".into()));
    let records = ask::records(&index, &q);
    assert_eq!(records.len(), 72, "no duplicate, none missing");
    assert!(records.iter().all(|r| r.file.ends_with("renamed.txt")));
}

#[test]
fn a_folder_added_is_walked() {
    let s = fresh_setup();
    let sub = s.corpus.join("2024");
    std::fs::create_dir(&sub).unwrap();
    // An empty folder changes nothing in the index, but is noticed.
    assert!(!unres::is_fresh(&s.dir, std::slice::from_ref(&s.corpus)));
    let (_, f) = open(&s.dir, &s.corpus);
    assert!(!f.updated.unwrap().committed);
    settle(&s.corpus);
    open(&s.dir, &s.corpus);
    assert!(unres::is_fresh(&s.dir, std::slice::from_ref(&s.corpus)));
    // A file added inside it changes the subfolder's time only.
    std::fs::write(sub.join("b.txt"), second_resolution()).unwrap();
    assert!(!unres::is_fresh(&s.dir, std::slice::from_ref(&s.corpus)));
    let (index, _) = open(&s.dir, &s.corpus);
    assert_eq!(symbol_count(&index, "A/RES/78/50"), 72);
}

#[test]
fn readers_use_the_last_commit_while_a_writer_works() {
    let s = fresh_setup();
    // What `unres index` holds while it writes: an exclusive lock on this file.
    let lock = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(s.dir.join(".unres-writer.lock"))
        .unwrap();
    lock.try_lock().unwrap();
    std::fs::write(s.corpus.join("b.txt"), second_resolution()).unwrap();
    let (index, f) = open(&s.dir, &s.corpus);
    assert!(f.stale_while_locked && f.updated.is_none());
    assert_eq!(symbol_count(&index, "A/RES/78/50"), 0);
    assert_eq!(symbol_count(&index, "A/RES/78/46"), 72);
    drop(lock);
    // A child process another test thread forks while the lock is held shares it until
    // it starts its program: the lock may outlive `drop` by a moment.
    let mut tries = 0;
    let index = loop {
        let (index, f) = open(&s.dir, &s.corpus);
        if !f.stale_while_locked {
            break index;
        }
        tries += 1;
        assert!(
            tries < 50,
            "the writer's lock is still held after {tries} tries"
        );
        std::thread::sleep(Duration::from_millis(40));
    };
    assert_eq!(symbol_count(&index, "A/RES/78/50"), 72);
}

#[test]
fn search_show_and_stats_follow_the_corpus() {
    let ws = workspace();
    unres(ws.path())
        .args(["stats", "--json"])
        .assert()
        .success();
    std::fs::write(ws.path().join("corpus/b.txt"), second_resolution()).unwrap();
    let out = unres(ws.path()).args(["stats", "--json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["resolutions"], 2);
    std::fs::remove_file(ws.path().join("corpus/b.txt")).unwrap();
    std::fs::write(ws.path().join("corpus/c.txt"), second_resolution()).unwrap();
    unres(ws.path())
        .args(["show", "A/RES/78/50", "op.23"])
        .assert()
        .success();
    let out = unres(ws.path())
        .args(["search", "--count", "symbol:A/RES/78/50"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "72\n");
}

/// Sets the format version recorded in the commit of the index in `dir` to `version`.
fn set_format(dir: &Path, version: u32) {
    let meta = dir.join("meta.json");
    let text = std::fs::read_to_string(&meta).unwrap();
    let key = "\\\"format\\\":";
    let at = text
        .find(key)
        .expect("the payload holds the format version")
        + key.len();
    let digits = text[at..].find(|c: char| !c.is_ascii_digit()).unwrap();
    let other = format!("{}{version}{}", &text[..at], &text[at + digits..]);
    std::fs::write(&meta, other).unwrap();
}

/// The index of a corpus folder written by another version of unres (another format
/// version, older or newer) is rebuilt from the corpus on opening, whether the corpus
/// changed since or not, and the program is told why before the build starts.
#[test]
fn an_index_of_another_format_version_is_rebuilt_from_its_corpus() {
    let Setup {
        ws: _ws,
        dir,
        corpus,
    } = settled_workspace();
    let (index, _) = open(&dir, &corpus);
    let want = count(&index, "武器");
    assert!(want > 0);
    drop(index);
    for (version, changed) in [(0, false), (999, true)] {
        set_format(&dir, version);
        if changed {
            std::fs::write(corpus.join("A-RES-78-50.zh.txt"), second_resolution()).unwrap();
        }
        let told = std::cell::Cell::new(None);
        let (index, fresh) = unres::open_or_update(
            &dir,
            std::slice::from_ref(&corpus),
            &BuildOptions::default(),
            &|_, _| {},
            &|why| told.set(Some(why)),
        )
        .expect("an index of another format is rebuilt, not refused");
        assert_eq!(told.get(), Some(unres::Update::Rebuild { found: version }));
        assert_eq!(fresh.replaced_format, Some(version));
        assert!(fresh.built);
        assert_eq!(count(&index, "武器"), want * if changed { 2 } else { 1 });
        assert_eq!(symbol_count(&index, "A/RES/78/46"), 72);
    }
    // Opened again, the rebuilt index is current.
    let (_, fresh) = open(&dir, &corpus);
    assert_eq!(fresh.replaced_format, None);
    assert!(fresh.updated.is_none_or(|r| !r.committed));
}
