//! Index folder problems: a missing, empty or foreign folder, an index of another format
//! version, a truncated segment or a damaged `meta.json`, a read-only index and a full disk
//! (a tmpfs mount): each a clear error, nothing changed, and a rebuild that works.

use super::{corpus_of, index_args, indexed, state_of, Large, Parsed, State, PROBES};
use crate::support::*;
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

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

/// A disk that holds a build's commit but not the merge of its segments: the build is
/// committed all the same, says why its segments stay apart, and the index answers as the
/// same build merged on a roomy disk.
#[test]
fn a_merge_that_fills_the_disk_leaves_the_build_committed() {
    let tmp = tempdir();
    let corpus = tmp.path().join("corpus");
    corpus_of(&Large::get().files.iter().collect::<Vec<_>>(), &corpus);
    // One writer thread at tantivy's least budget: several segments, merged into one.
    let opts = unres::BuildOptions {
        threads: 1,
        memory_budget: 20_000_000,
        ..unres::BuildOptions::default()
    };
    let build = |dir: &Path| {
        unres::build_index(dir, std::slice::from_ref(&corpus), &opts, &|_, _| {}).unwrap()
    };
    let roomy = tmp.path().join("roomy");
    assert_eq!(build(&roomy).unmerged, None);
    let size: u64 = std::fs::read_dir(&roomy)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum();
    // Room for the segments written apart, not for a merged copy beside them.
    let room = format!("{}k", size * 3 / 2 / 1024);
    let Some(_fs) = Tmpfs::mount(&tmp.path().join("disk"), &room) else {
        print_note("mounting a tmpfs is not permitted: the full-disk merge is skipped");
        return;
    };
    let dir = tmp.path().join("disk/index");
    let report = build(&dir);
    assert!(report.committed);
    let why = report.unmerged.expect("the merge cannot fit");
    assert!(why.contains("could not be merged"), "{why}");
    assert!(why.contains("No space left on device"), "{why}");
    // Its records, sessions and the probes' counts (`state_of`).
    assert_eq!(state_of(&dir), state_of(&roomy));
}
