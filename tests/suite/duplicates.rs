//! One symbol and part, one resolution. A corpus holding the same resolution twice (a
//! byte-identical copy, a copy in GB18030, two different texts under one symbol) is indexed
//! and exported as if it held one file: `unres index` and `unres export` name every file and
//! the one kept, and every answer equals that of a corpus without the duplicate. The parts
//! of one resolution in separate files are not duplicates. An update removing the kept file
//! brings the other back. And the same files answer the same, byte for byte, whether the
//! index was built at once or by a history of updates with roots typed in several forms.

use crate::common::*;
use std::path::Path;

/// A command's exit code, stdout and stderr.
type Answer = (i32, String, String);

fn run(dir: &Path, args: &[&str]) -> Answer {
    let out = unres(dir).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// A folder whose `corpus/` holds `files` (name, bytes).
fn corpus_of(files: &[(&str, Vec<u8>)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    for (name, bytes) in files {
        std::fs::write(corpus.join(name), bytes).unwrap();
    }
    dir
}

fn seed() -> Vec<u8> {
    std::fs::read(SEED).unwrap()
}

const SEED_NAME: &str = "A-RES-78-46.zh.txt";

/// The seed with one paragraph worded otherwise (operative 26).
fn seed_changed() -> Vec<u8> {
    let text = String::from_utf8(seed()).unwrap();
    assert!(text.contains("拯救生命实体基金"));
    text.replace("拯救生命实体基金", "拯救生命信托基金")
        .into_bytes()
}

fn gb18030(bytes: &[u8]) -> Vec<u8> {
    let text = std::str::from_utf8(bytes).unwrap();
    let (out, _, unmappable) = encoding_rs::GB18030.encode(text);
    assert!(!unmappable);
    assert_ne!(out.as_ref(), bytes, "the copy is in another encoding");
    out.into_owned()
}

/// The answers compared between two corpora: listings, hits, counts, a resolution shown.
const ASKED: &[&[&str]] = &[
    &["search", "小武器", "--by-resolution"],
    &["search", "小武器", "--by-resolution", "--json"],
    &["search", "小武器", "--json", "--limit", "100"],
    &["search", "拯救生命实体基金", "--color", "never"],
    &["search", "拯救生命信托基金", "--json"],
    &["search", "武器", "--collapse", "--json", "--limit", "100"],
    &["search", "武器", "--by-session"],
    &["search", "武器", "--count"],
    &["stats"],
    &["stats", "--json"],
    &["show", "A/RES/78/46", "--color", "never"],
    &["show", "A/RES/78/46", "op.26", "--json"],
];

/// `unres index` in `dir`: its summary line without the file counts and the times (what
/// the index holds), and its stderr.
fn index(dir: &Path) -> (String, String) {
    let (code, out, err) = run(dir, &["index"]);
    assert_eq!(code, 0, "{out}{err}");
    let held = out
        .split_once("), ")
        .and_then(|(_, rest)| rest.split_once(';'))
        .map(|(held, _)| held.to_string())
        .unwrap_or_else(|| panic!("a summary line: {out}"));
    (held, err)
}

/// Asserts that `dir` answers every command of `asked` as `like` does (stdout and exit
/// code, with nothing on stderr), and returns the first difference otherwise.
fn assert_same_answers(dir: &Path, like: &Path, asked: &[&[&str]]) {
    for args in asked {
        let got = run(dir, args);
        let want = run(like, args);
        assert_eq!(got.2, "", "stderr of {args:?}");
        assert_eq!((got.0, &got.1), (want.0, &want.1), "{args:?}");
    }
}

/// `corpus` (seed named `SEED_NAME` plus a copy named `copy`) is indexed and exported as
/// `baseline` is, with the warning naming both files, the kept one first.
fn check_duplicate(copy: &str, bytes: Vec<u8>, kept: &str, left_out: &str, how: &str) {
    let with_copy = corpus_of(&[(SEED_NAME, seed()), (copy, bytes.clone())]);
    let kept_bytes = if kept.ends_with(SEED_NAME) {
        seed()
    } else {
        bytes
    };
    let baseline = corpus_of(&[(SEED_NAME, kept_bytes)]);
    let warning =
        format!("unres: A/RES/78/46 is in 2 files; kept {kept}, left out {left_out} ({how})\n");
    let (held, err) = index(with_copy.path());
    assert_eq!(err, warning);
    let (baseline_held, baseline_err) = index(baseline.path());
    assert_eq!(baseline_err, "");
    assert_eq!(held, baseline_held);
    assert_eq!(held, "1 resolutions, 58 paragraphs, 14 footnotes, 0 failed");
    if kept.ends_with(SEED_NAME) {
        assert_same_answers(with_copy.path(), baseline.path(), ASKED);
    }
    let (_, by_resolution, _) = run(with_copy.path(), &["search", "小武器", "--by-resolution"]);
    assert_eq!(by_resolution.lines().count(), 1, "{by_resolution}");
    assert!(
        by_resolution.starts_with("    34  A/RES/78/46"),
        "{by_resolution}"
    );
    // Export: the same warning, the kept file's records only.
    let (code, out, err) = run(with_copy.path(), &["export"]);
    assert_eq!((code, err.as_str()), (0, warning.as_str()));
    assert_eq!(out.lines().count(), 72);
    assert!(out
        .lines()
        .all(|l| l.contains(&format!("\"file\":\"{kept}\""))));
    if kept.ends_with(SEED_NAME) {
        assert_eq!(out, run(baseline.path(), &["export"]).1);
    }
}

#[test]
fn a_byte_identical_copy_is_one_resolution() {
    check_duplicate(
        "A-RES-78-46.zh (1).txt",
        seed(),
        "corpus/A-RES-78-46.zh.txt",
        "corpus/A-RES-78-46.zh (1).txt",
        "identical text",
    );
}

#[test]
fn a_copy_in_gb18030_is_one_resolution() {
    check_duplicate(
        "A-RES-78-46.gb18030.txt",
        gb18030(&seed()),
        "corpus/A-RES-78-46.zh.txt",
        "corpus/A-RES-78-46.gb18030.txt",
        "identical text",
    );
}

#[test]
fn of_two_texts_under_one_symbol_the_shorter_path_is_kept() {
    // The advance version's path is longer: the final one is kept.
    check_duplicate(
        "A-RES-78-46.advance.txt",
        seed_changed(),
        "corpus/A-RES-78-46.zh.txt",
        "corpus/A-RES-78-46.advance.txt",
        "different text",
    );
    // A shorter path wins whatever it holds, and whatever the files' times.
    check_duplicate(
        "78-46.txt",
        seed_changed(),
        "corpus/78-46.txt",
        "corpus/A-RES-78-46.zh.txt",
        "different text",
    );
    // Equally long paths: the first in byte order.
    check_duplicate(
        "A-RES-78-46.zh.txu",
        seed_changed(),
        "corpus/A-RES-78-46.zh.txt",
        "corpus/A-RES-78-46.zh.txu",
        "different text",
    );
}

#[test]
fn the_files_times_do_not_decide() {
    let ws = corpus_of(&[(SEED_NAME, seed()), ("A-RES-78-46.zh.txu", seed_changed())]);
    let corpus = ws.path().join("corpus");
    let old = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_600_000_000);
    let new = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
    let set = |name: &str, t| {
        let f = std::fs::OpenOptions::new()
            .write(true)
            .open(corpus.join(name))
            .unwrap();
        f.set_modified(t).unwrap();
    };
    let kept = "kept corpus/A-RES-78-46.zh.txt, left out corpus/A-RES-78-46.zh.txu";
    set(SEED_NAME, old);
    set("A-RES-78-46.zh.txu", new);
    assert!(index(ws.path()).1.contains(kept));
    set(SEED_NAME, new);
    set("A-RES-78-46.zh.txu", old);
    let (code, out, err) = run(ws.path(), &["index"]);
    assert_eq!(code, 0, "{out}");
    assert!(err.contains(kept), "{err}");
}

/// The multi-part fixture cut before its part B: two files, one part each.
fn multipart_halves() -> (Vec<u8>, Vec<u8>) {
    let text = std::fs::read_to_string("tests/fixtures/multipart.page.txt").unwrap();
    let at = text.find("  78/47 B.").expect("part B");
    (
        text.as_bytes()[..at].to_vec(),
        text.as_bytes()[at..].to_vec(),
    )
}

#[test]
fn the_parts_of_one_resolution_in_separate_files_are_not_duplicates() {
    let whole = std::fs::read("tests/fixtures/multipart.page.txt").unwrap();
    let (a, b) = multipart_halves();
    let split = corpus_of(&[("A-RES-78-47-A.txt", a), ("A-RES-78-47-B.txt", b)]);
    let one = corpus_of(&[("A-RES-78-47.txt", whole)]);
    let (held, err) = index(split.path());
    assert_eq!(err, "", "no duplicate");
    assert_eq!(held, index(one.path()).0);
    assert!(held.starts_with("2 resolutions"), "{held}");
    // Answers that do not name the file are the same as with one file.
    let asked: &[&[&str]] = &[
        &["search", "裁军", "--by-resolution"],
        &["search", "大会", "--color", "never", "--limit", "100"],
        &["search", "欢迎", "--collapse", "--color", "never"],
        &["search", "大会", "--by-session"],
        &["stats"],
        &["stats", "--json"],
        &["show", "A/RES/78/47", "--color", "never"],
        &["show", "A/RES/78/47", "op.1", "--color", "never"],
    ];
    assert_same_answers(split.path(), one.path(), asked);
    let (_, listed, _) = run(
        split.path(),
        &[
            "search",
            "--symbol",
            "A/RES/78/47",
            "--by-resolution",
            "--json",
        ],
    );
    let mut parts: Vec<(String, String)> = listed
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["part"].to_string(),
                v["file"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    parts.sort();
    assert_eq!(
        parts,
        [
            ("\"A\"".to_string(), "corpus/A-RES-78-47-A.txt".to_string()),
            ("\"B\"".to_string(), "corpus/A-RES-78-47-B.txt".to_string())
        ]
    );
}

#[test]
fn removing_the_kept_file_brings_the_other_back() {
    let ws = corpus_of(&[
        (SEED_NAME, seed()),
        ("A-RES-78-46.advance.txt", seed_changed()),
    ]);
    let (_, err) = index(ws.path());
    assert!(
        err.contains("left out corpus/A-RES-78-46.advance.txt"),
        "{err}"
    );
    assert_eq!(
        run(ws.path(), &["search", "拯救生命信托基金", "--count"]).1,
        "0\n"
    );
    std::fs::remove_file(ws.path().join("corpus").join(SEED_NAME)).unwrap();
    let (code, out, err) = run(ws.path(), &["index"]);
    assert_eq!((code, err.as_str()), (0, ""), "no duplicate left");
    assert!(
        out.starts_with("1 files (1 read, 1 removed), 1 resolutions, 58 paragraphs, 14 footnotes"),
        "{out}"
    );
    let baseline = corpus_of(&[("A-RES-78-46.advance.txt", seed_changed())]);
    index(baseline.path());
    assert_same_answers(ws.path(), baseline.path(), ASKED);
    assert_eq!(
        run(ws.path(), &["search", "拯救生命信托基金", "--count"]).1,
        "1\n"
    );
    // Put back, it is kept again and the other left out.
    std::fs::write(ws.path().join("corpus").join(SEED_NAME), seed()).unwrap();
    let (_, err) = index(ws.path());
    assert!(err.contains("kept corpus/A-RES-78-46.zh.txt"), "{err}");
    let only_seed = corpus_of(&[(SEED_NAME, seed())]);
    index(only_seed.path());
    assert_same_answers(ws.path(), only_seed.path(), ASKED);
}

#[test]
fn a_search_that_builds_or_updates_the_index_names_the_duplicates() {
    let ws = workspace();
    let corpus = ws.path().join("corpus");
    std::fs::write(corpus.join("copy.txt"), gb18030(&seed())).unwrap();
    let (code, out, err) = run(ws.path(), &["search", "拯救生命实体基金", "--count"]);
    assert_eq!((code, out.as_str()), (0, "1\n"));
    assert!(
        err.contains(
            "unres: A/RES/78/46 is in 2 files; kept corpus/copy.txt, left out corpus/A-RES-78-46.zh.txt (identical text)\n"
        ),
        "{err}"
    );
}

/// What the history test's corpus finally holds, by name under `corpus/`: the seed, a copy
/// of it in GB18030 and another wording of it in a subfolder, the multi-part resolution in
/// two files, a series of 20 sessions (one member twice), and a few generated resolutions.
fn final_files() -> Vec<(String, Vec<u8>)> {
    let mut files = vec![
        (SEED_NAME.to_string(), seed()),
        ("A-RES-78-46.gb18030.txt".to_string(), gb18030(&seed())),
        ("sub/A-RES-78-46.advance.txt".to_string(), seed_changed()),
    ];
    let (a, b) = multipart_halves();
    files.push(("A-RES-78-47-A.txt".into(), a));
    files.push(("A-RES-78-47-B.txt".into(), b));
    let series = tempfile::tempdir().unwrap();
    unres_synth::series::write_series(series.path(), 1, 7).unwrap();
    for e in std::fs::read_dir(series.path()).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().into_string().unwrap();
        files.push((name, std::fs::read(e.path()).unwrap()));
    }
    let twice = files
        .iter()
        .find(|(n, _)| n == "A-RES-70-500.zh.txt")
        .expect("session 70 of the series")
        .1
        .clone();
    files.push(("A-RES-70-500 (1).zh.txt".into(), twice));
    let config = unres_synth::SynthConfig {
        resolutions: 8,
        seed: 3,
    };
    for i in 0..config.resolutions {
        let f = unres_synth::resolution(&config, i);
        files.push((f.name, f.text.into_bytes()));
    }
    files.sort();
    files
}

fn put(corpus: &Path, name: &str, bytes: &[u8]) {
    let path = corpus.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// `unres index --index DIR ROOT` in `ws`: its exit code and stderr.
fn update(ws: &Path, dir: &str, root: &str) -> (i32, String) {
    let (code, out, err) = run(ws, &["index", "--index", dir, root]);
    assert_eq!(code, 0, "{out}{err}");
    (code, err)
}

/// The command lines compared between the two indexes (each gets `--index DIR`).
const EVERY: &[&[&str]] = &[
    &["search", "武器"],
    &["search", "武器", "--json", "--limit", "1000"],
    &["search", "小武器", "--json", "--limit", "100"],
    &["search", "大会 裁军", "--color", "never", "--limit", "50"],
    &[
        "search",
        "核 OR 弹药",
        "--json",
        "--limit",
        "200",
        "--sort",
        "newest",
    ],
    &["search", "拯救生命实体基金", "--json"],
    &["search", "拯救生命信托基金", "--json"],
    &["search", "武器", "--by-resolution"],
    &[
        "search",
        "决议",
        "--by-resolution",
        "--json",
        "--sort",
        "oldest",
    ],
    &[
        "search",
        "武器",
        "--collapse",
        "--color",
        "never",
        "--limit",
        "50",
    ],
    &["search", "大会", "--collapse", "--json", "--limit", "100"],
    &["search", "武器", "--by-session", "--json"],
    &["search", "session:70-80", "--count"],
    &["search", "--kind", "footnote", "--json", "--limit", "500"],
    &["stats"],
    &["stats", "--json"],
    &["show", "A/RES/78/46", "--color", "never"],
    &["show", "A/RES/78/46", "op.26", "--json"],
    &["show", "A/RES/78/47", "--json"],
    &["show", "A/RES/70/500", "--color", "never"],
    &["diff", "A/RES/80/500", "--json"],
    &["diff", "A/RES/70/500", "--color", "never"],
    &["history", "A/RES/80/500", "op.1", "--json"],
];

#[test]
fn an_index_answers_the_same_whatever_its_history() {
    let ws = tempfile::tempdir().unwrap();
    let corpus = ws.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let abs = corpus.canonicalize().unwrap().display().to_string();
    let files = final_files();
    let bytes = |name: &str| files.iter().find(|(n, _)| n == name).unwrap().1.clone();
    let early = |n: &str| n.contains("-6") || n.ends_with("-A.txt") || n == SEED_NAME;
    // First the seed, the early sessions, part A, a file that goes, and the subfolder's
    // file with the seed's own text (rewritten later); the root typed absolute.
    for (name, b) in files.iter().filter(|(n, _)| early(n)) {
        put(&corpus, name, b);
    }
    put(&corpus, "extra.txt", &bytes("A-RES-61-500.zh.txt"));
    put(&corpus, "sub/A-RES-78-46.advance.txt", &seed());
    let (_, err) = update(ws.path(), "index", &abs);
    assert!(err.contains("A/RES/78/46 is in 2 files"), "{err}");
    // The rest but the seed's copy in GB18030; the file that goes goes; relative root.
    for (name, b) in files.iter().filter(|(n, _)| !early(n)) {
        if !name.contains("gb18030") && !name.starts_with("sub/") {
            put(&corpus, name, b);
        }
    }
    std::fs::remove_file(corpus.join("extra.txt")).unwrap();
    update(ws.path(), "index", "corpus");
    // The copy comes, the kept seed goes (the copy is then read from), the subfolder's
    // file is rewritten; `./corpus`.
    put(
        &corpus,
        "A-RES-78-46.gb18030.txt",
        &bytes("A-RES-78-46.gb18030.txt"),
    );
    std::fs::remove_file(corpus.join(SEED_NAME)).unwrap();
    put(&corpus, "sub/A-RES-78-46.advance.txt", &seed_changed());
    let (_, err) = update(ws.path(), "index", "./corpus");
    assert!(err.contains("kept corpus/A-RES-78-46.gb18030.txt"), "{err}");
    // The seed back, written again; the folder typed absolute through `.`; then a search
    // that finds nothing changed.
    put(&corpus, SEED_NAME, &seed());
    update(ws.path(), "index", &format!("{abs}/."));
    // The same files, indexed at once.
    let (_, fresh_err) = update(ws.path(), "fresh", "corpus");
    let (_, updated_err) = update(ws.path(), "index", "corpus");
    assert_eq!(updated_err, fresh_err);
    assert_eq!(fresh_err.lines().count(), 2, "{fresh_err}");
    for args in EVERY {
        let with = |dir: &str| {
            let mut a: Vec<&str> = args.to_vec();
            a.extend(["--index", dir]);
            run(ws.path(), &a)
        };
        let (fresh, updated) = (with("fresh"), with("index"));
        assert_eq!(fresh.0, updated.0, "{args:?}");
        assert!(fresh.0 < 2, "{args:?}: {fresh:?}");
        assert_eq!(fresh.2, updated.2, "{args:?}");
        if fresh.1 != updated.1 {
            let first = fresh.1.lines().zip(updated.1.lines()).find(|(a, b)| a != b);
            panic!("{args:?} answers otherwise after updates: {first:?}");
        }
    }
    // The records name their files the same way, whatever root was typed.
    let (_, out, _) = run(
        ws.path(),
        &[
            "search", "--kind", "preamble", "--json", "--limit", "1000", "--index", "index",
        ],
    );
    assert!(
        out.lines().all(|l| l.contains("\"file\":\"corpus/")),
        "{out}"
    );
    let export = run(ws.path(), &["export", &abs]);
    assert_eq!(export, run(ws.path(), &["export", "corpus"]));
    assert_eq!(export.2, fresh_err);
}

#[test]
fn one_file_reached_by_two_paths_is_no_duplicate() {
    let ws = workspace();
    let twice = ["export", "corpus", "./corpus/A-RES-78-46.zh.txt"];
    let (code, out, err) = run(ws.path(), &twice);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(out, run(ws.path(), &["export"]).1);
    let (code, out, err) = run(
        ws.path(),
        &["index", "corpus", "./corpus/A-RES-78-46.zh.txt"],
    );
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    assert!(
        out.starts_with("1 files (1 read, 0 removed), 1 resolutions"),
        "{out}"
    );
}
