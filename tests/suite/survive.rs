//! What an index survives: a project folder copied, moved or restored from an archive (its
//! index keeps matching its corpus: edits and removals are seen, no resolution is called a
//! duplicate of itself), an index kept elsewhere reached by either path form, a writer
//! killed at any moment (the index answers as before or after the update, and the next
//! update converges), a full disk during an update, and a disk that cannot be written.
//!
//! Every check compares answers with a fresh build of the same corpus.

use crate::support::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};
use unres_synth::{resolution, SynthConfig, SynthFile};

/// The queries whose answers stand for an index's content: counts, counts by session, a
/// first page (its order too), and the statistics.
const QUERIES: [&str; 5] = ["妇女", "的", "核武器", "小武器 kind:operative", "注意到"];

pub(crate) fn generated(n: usize, seed: u64) -> Vec<SynthFile> {
    let config = SynthConfig {
        resolutions: n,
        seed,
    };
    (0..n).map(|i| resolution(&config, i)).collect()
}

pub(crate) fn write_files(corpus: &Path, files: &[SynthFile]) {
    std::fs::create_dir_all(corpus).unwrap();
    for f in files {
        std::fs::write(corpus.join(&f.name), &f.text).unwrap();
    }
}

/// Copies a folder as `cp -r` does: new file times.
pub(crate) fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// What the index in `index` answers, asked from `dir` without updating it.
pub(crate) fn answers(dir: &Path, index: &Path) -> String {
    let index = index.to_str().unwrap();
    let mut out = String::new();
    for q in QUERIES {
        for extra in [&["--count"][..], &["--by-session"], &["--limit", "20"]] {
            let mut args = vec!["search", q, "--color", "never"];
            args.extend_from_slice(extra);
            out.push_str(&format!("$ {}\n", args.join(" ")));
            args.extend(["--index", index]);
            let run = run_in(dir, &args);
            run.no_crash(q);
            out.push_str(&run.stdout);
        }
    }
    let run = run_in(dir, ["stats", "--index", index]);
    run.succeeded("stats");
    out + &run.stdout
}

/// The answers of a fresh build of the files of `corpus`.
pub(crate) fn fresh_answers(corpus: &Path) -> String {
    let dir = tempdir();
    copy_tree(corpus, &dir.path().join("corpus"));
    run_in(dir.path(), ["index"]).succeeded("a fresh build");
    answers(dir.path(), Path::new("index"))
}

/// Searches the project in `dir` the default way (updating its index first), and asserts
/// that no resolution was called a duplicate.
fn search_project(dir: &Path, what: &str) {
    let run = run_in(dir, ["search", "妇女", "--count"]);
    run.no_crash(what);
    assert!(
        !run.stderr.contains(" times in "),
        "{what}: a resolution called its own duplicate:\n{}",
        run.stderr
    );
}

/// Edits one file of `corpus` (a new preamble paragraph) and removes another.
fn edit_and_remove(corpus: &Path, words: &str) {
    let mut names: Vec<PathBuf> = std::fs::read_dir(corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    let edited = &names[1];
    let text = std::fs::read_to_string(edited).unwrap();
    // The first preamble paragraph, the one after the line `大会，`, starts with the words.
    let opening = text
        .find("大会，")
        .expect("the generated text has a `大会，` line");
    let at = opening
        + text[opening..]
            .find("\n\n ")
            .expect("a paragraph after `大会，`")
        + 3;
    let text = format!("{}{words}，{}", &text[..at], &text[at..]);
    std::fs::write(edited, text).unwrap();
    std::fs::remove_file(&names[0]).unwrap();
}

fn assert_like_fresh(dir: &Path, what: &str) {
    let now = answers(dir, Path::new("index"));
    let fresh = fresh_answers(&dir.join("corpus"));
    assert_eq!(
        now, fresh,
        "{what}: the index answers otherwise than a fresh build"
    );
}

fn assert_finds(dir: &Path, words: &str, what: &str) {
    let run = run_in(dir, ["search", words, "--count", "--index", "index"]);
    assert_eq!(run.stdout.trim(), "1", "{what}: {run:?}");
}

#[test]
fn a_copied_then_moved_project_sees_its_edits_and_removals_as_a_fresh_build_would() {
    let root = tempdir();
    let a = root.path().join("a");
    write_files(&a.join("corpus"), &generated(30, 33));
    search_project(&a, "the first build");

    let b = root.path().join("b");
    copy_tree(&a, &b);
    search_project(&b, "the copy's first search");
    edit_and_remove(&b.join("corpus"), "复制后的独有措辞");
    search_project(&b, "the copy after an edit");
    assert_finds(&b, "复制后的独有措辞", "an edit in the copy");
    assert_like_fresh(&b, "the copy");

    let c = root.path().join("c");
    std::fs::rename(&b, &c).unwrap();
    edit_and_remove(&c.join("corpus"), "移动后的独有措辞");
    search_project(&c, "the moved copy after an edit");
    assert_finds(&c, "移动后的独有措辞", "an edit after the move");
    assert_like_fresh(&c, "the moved copy");
    // The original is untouched by all this.
    assert_like_fresh(&a, "the original");
}

#[test]
fn a_project_restored_from_an_archive_with_its_old_file_times_sees_later_edits() {
    let root = tempdir();
    let a = root.path().join("a");
    write_files(&a.join("corpus"), &generated(20, 34));
    search_project(&a, "the first build");
    // Archived, then restored elsewhere: tar keeps the files' and folders' old times.
    let archive = root.path().join("a.tar");
    let tar = |args: &[&str]| {
        let status = Command::new("tar").args(args).status().expect("tar");
        assert!(status.success(), "tar {args:?}");
    };
    tar(&[
        "-cf",
        archive.to_str().unwrap(),
        "-C",
        root.path().to_str().unwrap(),
        "a",
    ]);
    let restored = root.path().join("restored");
    std::fs::create_dir(&restored).unwrap();
    tar(&[
        "-xf",
        archive.to_str().unwrap(),
        "-C",
        restored.to_str().unwrap(),
    ]);
    let r = restored.join("a");
    search_project(&r, "the restored project");
    edit_and_remove(&r.join("corpus"), "恢复后的独有措辞");
    search_project(&r, "the restored project after an edit");
    assert_finds(&r, "恢复后的独有措辞", "an edit after the restore");
    assert_like_fresh(&r, "the restored project");
}

#[test]
fn an_index_kept_elsewhere_is_updated_by_either_path_form_without_reading_anything_again() {
    let root = tempdir();
    let project = root.path().join("project");
    write_files(&project.join("corpus"), &generated(20, 35));
    let elsewhere = root.path().join("indexes").join("un");
    let absolute = elsewhere.to_str().unwrap().to_string();
    run_in(&project, ["index", "corpus", "--index", &absolute]).succeeded("built by absolute path");
    // The same index and corpus, by relative paths from another folder.
    let run = run_in(
        root.path(),
        [
            "index",
            "./project/corpus",
            "--index",
            "indexes/../indexes/un",
        ],
    );
    run.succeeded("updated by relative paths");
    assert!(
        run.stderr.contains("unchanged") || run.stdout.contains("(0 read, 0 removed)"),
        "another path form read the corpus again: {run:?}"
    );
    edit_and_remove(&project.join("corpus"), "别处索引的独有措辞");
    run_in(
        root.path(),
        ["index", "project/corpus", "--index", "indexes/un"],
    )
    .succeeded("updated after an edit");
    let now = answers(root.path(), Path::new("indexes/un"));
    assert_eq!(now, fresh_answers(&project.join("corpus")));
}

/// Files of a tantivy index folder, by name.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn files_left_by_a_writer_killed_before_its_commit_do_not_stop_the_next_update() {
    // A writer killed between writing its files and committing leaves them in the folder,
    // listed among tantivy's managed files. They are made here exactly: the same update run
    // on a copy of the index, its new files put back beside the original's.
    let root = tempdir();
    let dir = root.path();
    write_files(&dir.join("corpus"), &generated(24, 36));
    run_in(dir, ["index"]).succeeded("the first build");
    edit_and_remove(&dir.join("corpus"), "中断后的独有措辞");
    let index = dir.join("index");
    let copy = dir.join("index-copy");
    copy_tree(&index, &copy);
    run_in(dir, ["index", "--index", "index-copy"]).succeeded("the update of the copy");
    let before = names(&index);
    let left: Vec<String> = names(&copy)
        .into_iter()
        .filter(|n| !before.contains(n) && !n.starts_with('.') && !n.starts_with("unres-"))
        .filter(|n| n != "meta.json")
        .collect();
    assert!(
        left.iter().any(|n| n.ends_with(".del")),
        "the update wrote no delete file: {left:?}"
    );
    let managed_file = index.join(".managed.json");
    let mut managed: Vec<String> =
        serde_json::from_str(&std::fs::read_to_string(&managed_file).unwrap()).unwrap();
    for n in &left {
        std::fs::copy(copy.join(n), index.join(n)).unwrap();
        managed.push(n.clone());
    }
    std::fs::write(&managed_file, serde_json::to_string(&managed).unwrap()).unwrap();

    let run = run_in(dir, ["index"]);
    run.succeeded("the update after the killed writer");
    assert_finds(dir, "中断后的独有措辞", "the edit");
    assert_eq!(
        answers(dir, Path::new("index")),
        answers(dir, Path::new("index-copy"))
    );
}

/// How many rounds of killed updates: `UNRES_KILL_ROUNDS` (CI runs 100), 6 by default.
fn kill_rounds() -> usize {
    std::env::var("UNRES_KILL_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(6)
}

#[test]
fn an_update_killed_at_any_moment_answers_as_before_or_after_and_the_next_one_converges() {
    let root = tempdir();
    let dir = root.path();
    let corpus = dir.join("corpus");
    let pool = generated(90, 37);
    write_files(&corpus, &pool[..40]);
    run_in(dir, ["index"]).succeeded("the first build");
    let mut rng = fastrand::Rng::with_seed(37);
    let mut before = answers(dir, Path::new("index"));
    let mut longest = Duration::from_millis(300);
    let (mut killed, mut finished) = (0, 0);
    for round in 0..kill_rounds() {
        // 10 files added (from the pool, where absent), 4 removed.
        let mut present: Vec<usize> = (0..pool.len())
            .filter(|&i| corpus.join(&pool[i].name).exists())
            .collect();
        let mut absent: Vec<usize> = (0..pool.len()).filter(|i| !present.contains(i)).collect();
        rng.shuffle(&mut present);
        rng.shuffle(&mut absent);
        for &i in absent.iter().take(10) {
            std::fs::write(corpus.join(&pool[i].name), &pool[i].text).unwrap();
        }
        for &i in present.iter().take(4) {
            std::fs::remove_file(corpus.join(&pool[i].name)).unwrap();
        }
        let after = fresh_answers(&corpus);

        let started = Instant::now();
        let mut child = command(dir)
            .args(["index"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let wait = longest.mul_f64(rng.f64() * 1.1);
        std::thread::sleep(wait);
        let _ = child.kill();
        let status = child.wait().unwrap();
        if status.success() {
            finished += 1;
            longest = longest.max(started.elapsed());
        } else {
            killed += 1;
        }
        let now = answers(dir, Path::new("index"));
        assert!(
            now == before || now == after,
            "round {round}: killed after {wait:?}, the index answers neither as before nor after"
        );
        let started = Instant::now();
        let run = run_in(dir, ["index"]);
        run.succeeded(&format!("round {round}: the update after the kill"));
        // The next kill falls anywhere in an update as long as this one.
        longest = longest.max(started.elapsed());
        let converged = answers(dir, Path::new("index"));
        assert_eq!(
            converged, after,
            "round {round}: not converged to a fresh build"
        );
        before = after;
    }
    print_note(&format!(
        "killed updates: {killed} killed, {finished} finished before the kill"
    ));
}

/// A tmpfs of `size` mounted on a new folder, unmounted when dropped. `None` where mounting
/// is not allowed (not root): outside CI the test is then skipped with a note.
struct Tmpfs(tempfile::TempDir);

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempdir();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must be able to mount a tmpfs (run as root)"
            );
            print_note("cannot mount a tmpfs here (not root?): the full-disk test is skipped");
            return None;
        }
        Some(Tmpfs(dir))
    }

    fn resize(&self, size: &str) {
        self.remount(&format!("size={size}"));
    }

    fn remount(&self, options: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,{options}")])
            .arg(self.0.path())
            .status()
            .unwrap();
        assert!(status.success(), "remount the tmpfs with {options}");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.0.path()).status();
    }
}

fn used_bytes(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap().metadata().unwrap().len().div_ceil(4096) * 4096)
        .sum()
}

#[test]
fn an_update_that_meets_a_full_disk_says_so_keeps_the_last_commit_and_recovers() {
    let Some(disk) = Tmpfs::mount("64m") else {
        return;
    };
    let root = tempdir();
    let dir = root.path();
    let corpus = dir.join("corpus");
    let pool = generated(120, 38);
    write_files(&corpus, &pool[..10]);
    let index = disk.0.path().join("index");
    let index_arg = index.to_str().unwrap().to_string();
    run_in(dir, ["index", "--index", &index_arg]).succeeded("the first build");
    let before = answers(dir, &index);
    // Room for the index as it is and little more; then many files are added.
    disk.resize(&format!("{}", used_bytes(disk.0.path()) + 64 * 1024));
    write_files(&corpus, &pool[10..]);
    let run = run_in(dir, ["index", "--index", &index_arg]);
    run.ended_with(2, "an update on a full disk");
    assert!(
        run.stderr.contains("disk is full"),
        "the error does not say the disk is full: {}",
        run.stderr
    );
    assert_eq!(
        answers(dir, &index),
        before,
        "the last commit does not answer as before"
    );
    // A search that updates its index first answers from the last commit, and says why.
    std::os::unix::fs::symlink(&index, dir.join("index")).unwrap();
    let search = run_in(dir, ["search", "妇女", "--count"]);
    let count = run_in(dir, ["search", "妇女", "--count", "--index", &index_arg]);
    assert_eq!(search.code, Some(0), "{search:?}");
    assert_eq!(search.stdout, count.stdout);
    assert!(
        search.stderr.contains("disk is full") && search.stderr.contains("last committed"),
        "{}",
        search.stderr
    );
    disk.resize("64m");
    run_in(dir, ["index", "--index", &index_arg]).succeeded("the update after space was freed");
    let converged = answers(dir, &index);
    assert_eq!(converged, fresh_answers(&corpus));

    // A disk that cannot be written: the update says so, searches still answer.
    disk.remount("ro");
    std::fs::remove_file(corpus.join(&pool[0].name)).unwrap();
    let run = run_in(dir, ["index", "--index", &index_arg]);
    run.ended_with(2, "an update on a read-only disk");
    assert!(
        run.stderr.contains("Read-only file system"),
        "{}",
        run.stderr
    );
    assert_eq!(answers(dir, &index), converged);
    disk.remount("rw");
}
