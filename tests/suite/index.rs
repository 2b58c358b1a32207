//! The index on the seed: every record stored whole, exact-substring recall against a plain
//! scan, incremental updates, rebuilds, bad files and a held writer lock. (Folders that are
//! not indexes, or of another format version, are `tests/reliability/`'s.)

use crate::ask;

use crate::common::*;
use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use unres::{Atom, Clause, Query};
use unres::{BuildOptions, BuildReport, Index};
use unres::{Kind, Record};

fn build(dir: &Path, roots: &[PathBuf]) -> BuildReport {
    unres::build_index(dir, roots, &BuildOptions::default(), &|_, _| {}).expect("build")
}

fn text_query(s: &str) -> Query {
    Query {
        clauses: vec![Clause {
            negated: false,
            any_of: vec![Atom::Text(s.to_string())],
        }],
    }
}

fn seed_records() -> Vec<Record> {
    unres::parse_file(Path::new(SEED))
        .unwrap()
        .iter()
        .flat_map(|r| r.records())
        .collect()
}

/// `records` of the seed file as the index gives them back: records name their file from
/// the corpus folder, whatever form its path was given in.
fn as_indexed(mut records: Vec<Record>) -> Vec<Record> {
    for r in &mut records {
        r.file = SEED.to_string();
    }
    records
}

/// How many seed records contain `q`, by a plain scan.
fn scan_count(q: &str) -> usize {
    unres_synth::oracle::count_text(&seed_records(), q)
}

fn all_records(idx: &Index) -> Vec<Record> {
    let mut q = Query::default();
    q.require(Atom::Symbol("A/RES/78/46".into()));
    ask::records(idx, &q)
}

#[test]
fn every_record_of_the_seed_is_stored_whole_in_document_order() {
    let ws = workspace();
    let dir = ws.path().join("index");
    let report = build(&dir, &[ws.path().join("corpus")]);
    assert_eq!(
        (report.resolutions, report.paragraphs, report.footnotes),
        (1, 58, 14)
    );
    let idx = unres::open_index(&dir).unwrap();
    assert_eq!(all_records(&idx), as_indexed(seed_records()));
}

/// Resolutions whose order keys are the same (a number written with a leading zero; part
/// letters past `N`, which the key does not tell apart) are each read back whole, with
/// their own resolution's facts, whichever comes first in the index.
#[test]
fn resolutions_sharing_an_order_key_are_each_stored_whole() {
    let ws = workspace();
    let seed = std::fs::read_to_string(SEED).unwrap();
    let mut files = vec![SEED.to_string()];
    for (name, title) in [("zero", "78/046."), ("p", "78/46 P."), ("q", "78/46 Q.")] {
        let text = seed.replacen("78/46.", title, 1);
        assert_ne!(text, seed, "the seed's title line holds 78/46.");
        let file = format!("corpus/{name}.txt");
        std::fs::write(ws.path().join(&file), text).unwrap();
        files.push(file);
    }
    let dir = ws.path().join("index");
    let report = build(&dir, &[ws.path().join("corpus")]);
    assert_eq!(report.resolutions, 4);
    let mut want: Vec<Record> = Vec::new();
    for file in &files {
        let mut records: Vec<Record> = unres::parse_file(&ws.path().join(file))
            .unwrap()
            .iter()
            .flat_map(|r| r.records())
            .collect();
        records.iter_mut().for_each(|r| r.file = file.clone());
        want.extend(records);
    }
    let symbols: BTreeSet<&str> = want.iter().map(|r| r.symbol.as_str()).collect();
    assert_eq!(symbols.len(), 2, "{symbols:?}");
    let idx = unres::open_index(&dir).unwrap();
    let mut got: Vec<Record> = Vec::new();
    for symbol in symbols {
        let mut q = Query::default();
        q.require(Atom::Symbol(symbol.into()));
        got.extend(ask::records(&idx, &q));
    }
    let key = |r: &Record| (r.file.clone(), r.line);
    want.sort_by_key(key);
    got.sort_by_key(key);
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g, w);
    }
}

#[test]
fn any_substring_matches_exactly_the_records_holding_it() {
    let ws = workspace();
    let dir = ws.path().join("index");
    build(&dir, &[ws.path().join("corpus")]);
    let idx = unres::open_index(&dir).unwrap();
    let records = seed_records();
    let folded: Vec<String> = records.iter().map(|r| unres::fold(&r.text)).collect();
    let key = |r: &Record| (r.kind, r.para);
    let mut rng = fastrand::Rng::with_seed(78);
    let mut samples: Vec<String> = vec![
        // Across line wraps and page breaks of the seed.
        "轻武器非法贸易".into(),
        "联系机构".into(),
        "做到报告".into(),
        "使用3D".into(),
        "行动纲领》，并确认".into(),
        "(A/CONF.192/15)，第四章".into(),
        "器".into(),
        "；".into(),
        "段。".into(),
    ];
    for r in &records {
        let chars: Vec<char> = r.text.chars().collect();
        for len in 1..=20usize {
            if chars.len() < len {
                break;
            }
            for _ in 0..2 {
                let start = rng.usize(0..chars.len() - len + 1);
                samples.push(chars[start..start + len].iter().collect());
            }
        }
    }
    let mut checked = 0;
    for s in &samples {
        let needle = unres::fold(s);
        if needle.is_empty() {
            continue;
        }
        let want: BTreeSet<(Kind, u32)> = records
            .iter()
            .zip(&folded)
            .filter(|(_, f)| f.contains(&needle))
            .map(|(r, _)| key(r))
            .collect();
        let got: BTreeSet<(Kind, u32)> =
            ask::records(&idx, &text_query(s)).iter().map(key).collect();
        assert_eq!(got, want, "query {s:?}");
        assert_eq!(ask::count(&idx, &text_query(s)), want.len(), "count {s:?}");
        // The same text typed with spaces between characters and in full-width forms.
        let spaced: String = s.chars().flat_map(|c| [c, ' ']).collect();
        let wide: String = s
            .chars()
            .map(|c| match c {
                '0'..='9' | 'A'..='Z' | 'a'..='z' => char::from_u32(c as u32 + 0xFEE0).unwrap(),
                c => c,
            })
            .collect();
        for variant in [spaced, wide] {
            let got: BTreeSet<(Kind, u32)> = ask::records(&idx, &text_query(&variant))
                .iter()
                .map(key)
                .collect();
            assert_eq!(got, want, "variant {variant:?}");
        }
        checked += 1;
    }
    assert!(checked > 2000, "{checked} substrings checked");
}

/// Every file of the index folder with its time and size, but the freshness record: a build
/// writes that one once the corpus is old enough to be trusted (see `tests/suite/fresh.rs`),
/// which a second build of an unchanged corpus may be the first to see.
fn snapshot(dir: &Path) -> Vec<(String, std::time::SystemTime, u64)> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name() != "unres-seen.txt")
        .map(|e| {
            let e = e.unwrap();
            let m = e.metadata().unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                m.modified().unwrap(),
                m.len(),
            )
        })
        .collect();
    v.sort();
    v
}

fn second_resolution(text: &str) -> String {
    text.replace("78/46.", "78/50.")
        .replace("小武器和轻武器非法贸易的各方面问题 ", "常规弹药 ")
}

#[test]
fn reindexing_an_unchanged_corpus_touches_nothing() {
    let ws = workspace();
    let dir = ws.path().join("index");
    let corpus = ws.path().join("corpus");
    build(&dir, std::slice::from_ref(&corpus));
    let before = snapshot(&dir);
    let report = build(&dir, std::slice::from_ref(&corpus));
    assert!(!report.committed);
    assert_eq!(report.reindexed, 0);
    assert_eq!(snapshot(&dir), before);
    let out = unres(ws.path()).args(["index"]).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains("index unchanged"));
}

#[test]
fn changed_added_and_deleted_files_are_followed_without_duplicates() {
    let ws = workspace();
    let dir = ws.path().join("index");
    let corpus = ws.path().join("corpus");
    let roots = [corpus.clone()];
    build(&dir, &roots);
    let seed_text = std::fs::read_to_string(ws.path().join(SEED)).unwrap();
    let count = |q: &str| ask::count(&unres::open_index(&dir).unwrap(), &text_query(q));
    let n = scan_count("行动纲领");
    assert!(n > 30);
    assert_eq!(count("行动纲领"), n);

    // Added.
    std::fs::write(
        corpus.join("A-RES-78-50.zh.txt"),
        second_resolution(&seed_text),
    )
    .unwrap();
    let r = build(&dir, &roots);
    assert_eq!((r.reindexed, r.resolutions), (1, 2));
    assert_eq!(count("行动纲领"), 2 * n);

    // Changed: one paragraph's wording.
    let changed = seed_text.replace("强调妇女必须平等", "强调妇女和青年必须平等");
    std::fs::write(ws.path().join(SEED), changed).unwrap();
    let r = build(&dir, &roots);
    assert_eq!(r.reindexed, 1);
    assert_eq!(count("妇女和青年"), 1);
    assert_eq!(count("行动纲领"), 2 * n);

    // Deleted.
    std::fs::remove_file(corpus.join("A-RES-78-50.zh.txt")).unwrap();
    let r = build(&dir, &roots);
    assert_eq!((r.removed, r.resolutions), (1, 1));
    assert_eq!(count("行动纲领"), n);
    assert_eq!(count("妇女和青年"), 1);

    // Touched but identical content: read again, same records, still no duplicates.
    let text = std::fs::read(ws.path().join(SEED)).unwrap();
    std::fs::write(ws.path().join(SEED), text).unwrap();
    build(&dir, &roots);
    assert_eq!(count("行动纲领"), n);
}

/// A resolution's facts are stored once, in its first record: after an update that changes
/// its title, every record of it, the last footnote as much as the first paragraph, reads
/// the new title, never the replaced version's, still lying in the older segment beside
/// another resolution's records.
#[test]
fn a_changed_title_reaches_every_record_after_an_update() {
    let ws = workspace();
    let dir = ws.path().join("index");
    let corpus = ws.path().join("corpus");
    let roots = [corpus.clone()];
    let seed_text = std::fs::read_to_string(ws.path().join(SEED)).unwrap();
    std::fs::write(
        corpus.join("A-RES-78-50.zh.txt"),
        second_resolution(&seed_text),
    )
    .unwrap();
    // One writer thread: each build writes one segment, so the old version's deleted
    // records stay in the first segment, beside the other resolution's.
    let one_thread = BuildOptions {
        threads: 1,
        ..BuildOptions::default()
    };
    let build = |dir: &Path| unres::build_index(dir, &roots, &one_thread, &|_, _| {}).unwrap();
    build(&dir);
    let old_title = "小武器和轻武器非法贸易的各方面问题";
    assert!(seed_text.lines().next().unwrap().contains(old_title));
    let changed = seed_text.replacen(old_title, "小武器和轻武器非法贸易问题", 1);
    std::fs::write(ws.path().join(SEED), &changed).unwrap();
    assert_eq!(build(&dir).reindexed, 1);
    let idx = unres::open_index(&dir).unwrap();
    let expected = as_indexed(
        unres::parse_str(Path::new(SEED), &changed)
            .unwrap()
            .iter()
            .flat_map(|r| r.records())
            .collect(),
    );
    assert!(expected
        .iter()
        .all(|r| r.title == "小武器和轻武器非法贸易问题"));
    assert_eq!(all_records(&idx), expected);
}

#[test]
fn rebuild_starts_over() {
    let ws = workspace();
    let dir = ws.path().join("index");
    build(&dir, &[ws.path().join("corpus")]);
    // One paragraph reworded in place, the file's size and time kept: an update goes by size
    // and time and reads nothing, only a rebuild reads every file again.
    let seed = ws.path().join(SEED);
    let modified = std::fs::metadata(&seed).unwrap().modified().unwrap();
    let text = std::fs::read_to_string(&seed).unwrap();
    let reworded = text.replace("强调妇女必须平等", "强调青年必须平等");
    assert!(reworded != text && reworded.len() == text.len());
    std::fs::write(&seed, reworded).unwrap();
    let file = std::fs::File::options().write(true).open(&seed).unwrap();
    file.set_modified(modified).unwrap();
    drop(file);
    let count = |q: &str| {
        let r = run_in(ws.path(), ["search", "--count", "--index", "index", q]);
        r.no_crash(q);
        r.stdout.trim().parse::<usize>().expect("a count")
    };
    let update = run_in(ws.path(), ["index"]);
    update.succeeded("index");
    assert!(update.stdout.contains("(index unchanged)"), "{update:?}");
    assert_eq!((count("青年必须平等"), count("妇女必须平等")), (0, 1));

    let rebuild = run_in(ws.path(), ["index", "--rebuild"]);
    rebuild.succeeded("index --rebuild");
    assert!(
        rebuild
            .stdout
            .starts_with("1 files (1 read, 0 removed), 1 resolutions")
            && !rebuild.stdout.contains("(index unchanged)"),
        "{rebuild:?}"
    );
    assert_eq!((count("青年必须平等"), count("妇女必须平等")), (1, 0));
    let idx = unres::open_index(&dir).unwrap();
    assert_eq!(
        ask::count(&idx, &text_query("行动纲领")),
        scan_count("行动纲领")
    );
    assert_eq!(idx.stats().unwrap().records, 72);
}

#[test]
fn one_bad_file_is_listed_and_the_rest_indexed_with_exit_1() {
    let ws = workspace();
    std::fs::write(ws.path().join("corpus/broken.txt"), b"\x00\x01binary").unwrap();
    std::fs::write(ws.path().join("corpus/empty.txt"), b"").unwrap();
    let out = unres(ws.path()).args(["index"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("broken.txt:1: binary file"), "{err}");
    assert!(err.contains("empty.txt:1: the file is empty"), "{err}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("3 files") && stdout.contains("2 failed"),
        "{stdout}"
    );
    unres(ws.path())
        .args(["search", "--count", "行动纲领"])
        .assert()
        .code(0)
        .stdout(format!("{}\n", scan_count("行动纲领")));
    // Unchanged bad files are reported again, without being read again.
    let again = unres(ws.path()).args(["index"]).output().unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8(again.stderr)
        .unwrap()
        .contains("broken.txt"));
}

#[test]
fn search_builds_the_missing_index_and_follows_corpus_changes() {
    let ws = workspace();
    let out = unres(ws.path())
        .args(["search", "--count", "小武器"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("building it from corpus/"));
    let seed_text = std::fs::read_to_string(ws.path().join(SEED)).unwrap();
    std::fs::write(
        ws.path().join("corpus/b.txt"),
        second_resolution(&seed_text),
    )
    .unwrap();
    let out = unres(ws.path())
        .args(["search", "--count", "symbol:A/RES/78/50"])
        .output()
        .unwrap();
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("updating the index"));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "72\n");
    let quiet = run_in(ws.path(), ["search", "--count", "小武器"]);
    quiet.succeeded("search --count");
    assert!(quiet.stderr.is_empty(), "{quiet:?}");
}

#[test]
fn a_second_writer_is_refused_with_locked() {
    let ws = workspace();
    let dir = ws.path().join("index");
    build(&dir, &[ws.path().join("corpus")]);
    // Hold tantivy's writer lock as a running `unres index` would.
    let ix = tantivy::Index::open_in_dir(&dir).unwrap();
    // The build's own lock is released when it returns, but a process that another test
    // forks at that moment shares the lock until it execs: try again for a moment.
    let mut tries = 0;
    let _writer: tantivy::IndexWriter = loop {
        match ix.writer(50_000_000) {
            Ok(w) => break w,
            Err(e) if tries < 100 => {
                tries += 1;
                eprintln!("writer lock busy ({e}); trying again");
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(e) => panic!("{e}"),
        }
    };
    std::fs::write(
        ws.path().join("corpus/new.txt"),
        second_resolution(&std::fs::read_to_string(ws.path().join(SEED)).unwrap()),
    )
    .unwrap();
    let out = unres(ws.path()).args(["index"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("index is locked by another process"), "{err}");
}

#[test]
fn replacing_many_files_in_parallel_keeps_every_new_record() {
    // Every file changes at once, so each worker replaces a file (its old records deleted,
    // its new ones added) while the other does the same: no new record may be lost.
    let ws = tempfile::tempdir().unwrap();
    let corpus = ws.path().join("corpus");
    let dir = ws.path().join("index");
    let opts = BuildOptions {
        threads: 2,
        ..BuildOptions::default()
    };
    let write = |seed: u64| -> usize {
        let config = unres_synth::SynthConfig {
            resolutions: 120,
            seed,
        };
        std::fs::create_dir_all(&corpus).unwrap();
        let mut records = 0;
        for i in 0..config.resolutions {
            let f = unres_synth::resolution(&config, i);
            let path = corpus.join(&f.name);
            std::fs::write(&path, &f.text).unwrap();
            records += unres::parse_str(&path, &f.text)
                .unwrap()
                .iter()
                .map(|r| r.records().len())
                .sum::<usize>();
        }
        records
    };
    for seed in [1, 2, 3, 4] {
        let _ = std::fs::remove_dir_all(&corpus);
        let want = write(seed);
        unres::build_index(&dir, std::slice::from_ref(&corpus), &opts, &|_, _| {}).unwrap();
        let idx = unres::open_index(&dir).unwrap();
        assert_eq!(idx.stats().unwrap().records, want, "after seed {seed}");
    }
}

/// A writer thread writes a segment each time its memory budget fills, and every search
/// opens every segment: once a build has committed, the segments it wrote are merged into
/// one a writer thread, and the merged index answers as one whose threads each wrote
/// a single segment. On generated resolutions.
#[test]
fn a_build_s_segments_are_merged_into_one_a_writer_thread_and_answer_alike() {
    let ws = tempdir();
    let corpus = ws.path().join("corpus");
    let config = unres_synth::SynthConfig {
        resolutions: 900,
        seed: 5,
    };
    unres_synth::write_corpus(&config, &corpus).unwrap();
    let paragraphs = merged_and_apart_answer_alike(
        ws.path(),
        &[
            &["search", "国际合作", "--json", "--limit", "50"],
            &["search", "妇女 核武器", "--json", "--limit", "50"],
            &["search", "执行", "--collapse", "--json", "--limit", "30"],
            &[
                "search", "大会", "--sort", "newest", "--json", "--limit", "30",
            ],
            &["search", "联合国", "--by-session", "--json"],
            &["search", "裁军", "--by-resolution", "--json"],
            &["stats", "--json"],
        ],
    );
    assert!(paragraphs > 40_000, "{paragraphs}");
}

/// The same on the seed's real text: its 72 records under 320 symbols, each copy's years
/// made its own (a paragraph repeated from session to session, as in a real series).
#[test]
fn merged_segments_of_the_seed_s_text_answer_alike() {
    let ws = tempdir();
    let corpus = ws.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let seed = std::fs::read_to_string(SEED).unwrap();
    for n in 100..420 {
        let mut text = seed.replacen("78/46.", &format!("78/{n}."), 1);
        for year in 1990..2040 {
            text = text.replace(&format!("{year} 年"), &format!("{} 年", 1600 + n));
        }
        std::fs::write(corpus.join(format!("A-RES-78-{n}.zh.txt")), text).unwrap();
    }
    merged_and_apart_answer_alike(
        ws.path(),
        &[
            &["search", "3D 打印", "--json", "--limit", "50"],
            &["search", "《国际追查文书》", "--json", "--limit", "50"],
            &["search", "小武器 国际", "--json", "--limit", "50"],
            &["search", "cites:A/RES/77/71", "--json", "--limit", "50"],
            &["search", "武器", "--collapse", "--json", "--limit", "30"],
            &[
                "search", "大会", "--sort", "oldest", "--json", "--limit", "30",
            ],
            &["search", "联合国", "--by-session", "--json"],
            &["search", "弹药", "--by-resolution", "--json"],
            &["stats", "--json"],
        ],
    );
}

/// Builds the corpus under `ws` twice: with one writer thread at tantivy's least budget,
/// which it fills several times (its segments merged into one), and with two threads at the
/// default budget, each writing one segment (nothing merged); then asks both every command
/// of `commands`, which must answer byte for byte alike. Returns the paragraphs indexed.
fn merged_and_apart_answer_alike(ws: &Path, commands: &[&[&str]]) -> usize {
    let corpus = ws.join("corpus");
    let segments = |dir: &Path| -> usize {
        let meta = std::fs::read_to_string(dir.join("meta.json")).unwrap();
        let meta: serde_json::Value = serde_json::from_str(&meta).unwrap();
        meta["segments"].as_array().unwrap().len()
    };
    let build = |name: &str, threads: usize, memory_budget: usize| {
        let opts = BuildOptions {
            threads,
            memory_budget,
            ..BuildOptions::default()
        };
        let dir = ws.join(name);
        let report = unres::build_index(&dir, std::slice::from_ref(&corpus), &opts, &|_, _| {});
        (dir, report.unwrap().paragraphs)
    };
    let (merged, paragraphs) = build("merged", 1, 20_000_000);
    assert_eq!(segments(&merged), 1);
    let (apart, _) = build("apart", 2, BuildOptions::default().memory_budget);
    assert_eq!(segments(&apart), 2);
    for args in commands {
        let answer = |dir: &Path| {
            let mut a: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
            a.extend([OsStr::new("--index"), dir.as_os_str()]);
            let r = run_in(ws, a);
            r.succeeded(&format!("{args:?}"));
            r.stdout
        };
        assert_eq!(answer(&merged), answer(&apart), "{args:?}");
    }
    paragraphs
}

/// `--memory` sets the writer's budget: below 20 MB it is refused (exit 2, saying the
/// range), and a build at the least budget answers as one at the default.
#[test]
fn the_writer_s_memory_is_taken_from_20_mb_and_answers_alike() {
    let ws = workspace();
    let out = unres(ws.path())
        .args(["index", "--memory", "19"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("--memory") && err.contains("20"), "{err}");
    let mut answers = Vec::new();
    for memory in ["20", "300"] {
        let dir = ws.path().join(format!("index-{memory}"));
        let out = unres(ws.path())
            .args(["index", "corpus", "--memory", memory, "--index"])
            .arg(&dir)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        let page = unres(ws.path())
            .args(["search", "小武器 国际", "--json", "--index"])
            .arg(&dir)
            .output()
            .unwrap();
        answers.push(String::from_utf8(page.stdout).unwrap());
    }
    assert!(answers[0].lines().count() >= 3, "{}", answers[0]);
    assert_eq!(answers[0], answers[1]);
}
