//! The command line's answers, frozen: for some five hundred command lines (`search` across
//! its query syntax and flag combinations, malformed queries included, and `show`, `diff`,
//! `history`, `stats`, `export`), the exit code, stdout and stderr recorded in
//! `tests/fixtures/golden/answers.txt` must come back byte for byte.
//!
//! The corpus is generated, not stored: the seed `corpus/A-RES-78-46.zh.txt`, 60 resolutions
//! of `unres-synth` (seed [`SYNTH_SEED`]) and 2 of its series of 20 sessions, written into a
//! temporary folder's `corpus/` (dated in the past). The first three command lines of the
//! fixture run one after the other: `unres index` twice (built, then unchanged; the seconds
//! and MB/s it prints are masked) and `unres stats`; every other line runs in that folder
//! with the default index, several at a time. The fixture's `corpus` line holds a digest of the generated files, checked first:
//! when the generator's output changes, the answers no longer apply and must be recorded
//! again from the reference binary.
//!
//! Outputs are compared after one normalisation: the temporary folder's path, should it
//! appear, reads `$ROOT`. Outputs larger than 256 KB (the whole corpus's `export`) are kept
//! as their line count, byte count and FNV-1a digest.
//!
//! On a mismatch the test reports how many command lines answer differently and shows the
//! first ten with a line diff; every answer of the run is written to
//! `$CARGO_TARGET_TMPDIR/golden-actual.txt` in the fixture's format, for `diff` against it.
//!
//! The binary checked is the one cargo builds, or the one named by `UNRES_GOLDEN_BIN`.
//!
//! To record the fixture again (command lines are drawn from the records `export` prints,
//! with a fixed seed, so the same binary and generator give the same file), with a
//! reference binary built from the code whose answers are to be kept:
//!
//! ```text
//! UNRES_GOLDEN_BIN=/path/to/reference/unres cargo test -q --test suite golden -- --ignored
//! ```
//!
//! Recording runs every command line twice, the second time on an index built with one
//! thread, and refuses answers that differ between the runs.
//!
//! This file is the harness (the workspace, running the command lines, the check and the
//! recording); `answers` holds the answers' file format, `mismatch` the report of a
//! mismatch, and the command lines drawn when recording are in `drawn_searches`,
//! `hostile_searches` and `other_commands`.

mod answers;
mod drawn_searches;
mod hostile_searches;
mod mismatch;
mod other_commands;

use answers::{fnv1a, format_fixture, parse_fixture, Answer, Entry, Stream, FIXTURE, FNV_START};
use drawn_searches::{records, strings, Drawer, Rec, BROAD};
use hostile_searches::HOSTILE;
use mismatch::describe;
use other_commands::others;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The seed resolution, relative to the package root.
const SEED: &str = "corpus/A-RES-78-46.zh.txt";
/// The generated corpus: this many resolutions of `unres-synth` …
const SYNTH_RESOLUTIONS: usize = 60;
/// … with this seed, and this many series of 20 sessions (same seed).
const SYNTH_SEED: u64 = 78;
const SERIES: usize = 2;
/// The seed of the command lines drawn when recording.
const DRAW_SEED: u64 = 4_678;
/// The first command lines of the fixture, run one after the other before the others:
/// `unres index` twice, then `unres stats`, the first command opening the default index,
/// which records what the corpus folder looked like (so that the commands running at once
/// after it find the index fresh and do not race to check it).
const SEQUENTIAL: usize = 3;
/// How many mismatches are shown in full.
const SHOWN: usize = 10;

fn package_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The binary under test: `UNRES_GOLDEN_BIN`, or the one cargo built.
fn binary() -> PathBuf {
    match std::env::var_os("UNRES_GOLDEN_BIN") {
        Some(p) => PathBuf::from(p),
        None => {
            let cmd = assert_cmd::Command::cargo_bin("unres").expect("binary built");
            PathBuf::from(cmd.get_program())
        }
    }
}

/// A temporary folder whose `corpus/` holds the seed and the generated files, and the
/// `corpus` line describing them.
fn workspace() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::copy(package_path(SEED), dir.path().join(SEED)).unwrap();
    let config = unres_synth::SynthConfig {
        resolutions: SYNTH_RESOLUTIONS,
        seed: SYNTH_SEED,
    };
    unres_synth::write_corpus(&config, &corpus).unwrap();
    unres_synth::series::write_series(&corpus, SERIES, SYNTH_SEED).unwrap();
    // Files and folder dated well in the past (2023-11-14): a folder changed moments before
    // an index is checked is checked in full by every search, and searches running at
    // once then say that another process is updating the index.
    let past = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
    for e in std::fs::read_dir(&corpus).unwrap() {
        let f = std::fs::OpenOptions::new()
            .write(true)
            .open(e.unwrap().path())
            .unwrap();
        f.set_modified(past).unwrap();
    }
    std::fs::File::open(&corpus)
        .unwrap()
        .set_modified(past)
        .unwrap();
    let mut names: Vec<String> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let (mut h, mut bytes) = (FNV_START, 0);
    for name in &names {
        let text = std::fs::read(corpus.join(name)).unwrap();
        h = fnv1a(name.as_bytes(), h);
        h = fnv1a(&(text.len() as u64).to_le_bytes(), h);
        h = fnv1a(&text, h);
        bytes += text.len();
    }
    let line = format!(
        "corpus {} files {bytes} bytes fnv1a64 {h:016x}",
        names.len()
    );
    (dir, line)
}

/// `unres index` prints its seconds and MB/s: masked.
fn mask_timing(text: &str) -> String {
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        match (line.find(" s, "), line.find(" MB/s")) {
            (Some(s), Some(m)) if s < m => {
                let start = line[..s].rfind("; ").map_or(0, |i| i + 2);
                out.push_str(&line[..start]);
                out.push_str("<seconds> s, <speed> MB/s");
                out.push_str(&line[m + " MB/s".len()..]);
            }
            _ => out.push_str(line),
        }
    }
    out
}

/// Runs `args` in `root` and returns its normalised answer.
fn run(bin: &Path, root: &Path, args: &[String]) -> Answer {
    let mut cmd = std::process::Command::new(bin);
    // Usage lines name the program as it was called: `unres`, whatever the file's name.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::arg0(&mut cmd, "unres");
    let out = cmd
        .args(args)
        .current_dir(root)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .env("RUST_BACKTRACE", "0")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("running {}: {e}", bin.display()));
    let mut roots = vec![root.display().to_string()];
    if let Ok(c) = root.canonicalize() {
        roots.push(c.display().to_string());
    }
    roots.sort_by_key(|r| std::cmp::Reverse(r.len()));
    let normal = |bytes: &[u8]| {
        let mut s = String::from_utf8_lossy(bytes).into_owned();
        for r in &roots {
            s = s.replace(r.as_str(), "$ROOT");
        }
        if args.first().is_some_and(|a| a == "index") {
            s = mask_timing(&s);
        }
        s
    };
    Answer {
        // A process killed by a signal has no code: -1.
        exit: out.status.code().unwrap_or(-1),
        stdout: Stream::of(normal(&out.stdout)),
        stderr: Stream::of(normal(&out.stderr)),
    }
}

/// Runs every command line: the first [`SEQUENTIAL`] one after the other, then the others
/// several at a time. Answers in the order of `commands`.
fn run_all(bin: &Path, root: &Path, commands: &[Vec<String>]) -> Vec<Answer> {
    let mut answers: Vec<Option<Answer>> = vec![None; commands.len()];
    for (i, args) in commands.iter().enumerate().take(SEQUENTIAL) {
        answers[i] = Some(run(bin, root, args));
    }
    let rest: Vec<usize> = (0..commands.len())
        .filter(|&i| answers[i].is_none())
        .collect();
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()) * 2;
    let done: Vec<(usize, Answer)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let k = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&i) = rest.get(k) else { break };
                        mine.push((i, run(bin, root, &commands[i])));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("worker"))
            .collect()
    });
    for (i, a) in done {
        answers[i] = Some(a);
    }
    answers.into_iter().map(|a| a.expect("answered")).collect()
}

/// Checks `bin`'s answers against the fixture; panics with a report of every mismatch.
fn check(bin: &Path) {
    let path = package_path(FIXTURE);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; record it with UNRES_GOLDEN_BIN=<reference unres> cargo test --test suite golden -- --ignored",
            path.display()
        )
    });
    let (corpus_line, entries) = parse_fixture(&text);
    assert!(entries.len() > 300, "{} command lines", entries.len());
    assert!(
        entries
            .iter()
            .filter(|e| e.answer.stdout.text().contains("at least"))
            .count()
            > 10,
        "the fixture should hold broad queries answered with lower bounds"
    );
    let (dir, corpus) = workspace();
    assert_eq!(
        corpus, corpus_line,
        "the generated corpus is not the one the answers were recorded on \
         (unres-synth or the seed changed): record the fixture again from the reference binary"
    );
    let commands: Vec<Vec<String>> = entries.iter().map(|e| e.args.clone()).collect();
    let answers = run_all(bin, dir.path(), &commands);
    let mut report = String::new();
    let mut wrong = 0;
    for (e, got) in entries.iter().zip(&answers) {
        let same = got.exit == e.answer.exit
            && got.stdout.like(&e.answer.stdout) == e.answer.stdout
            && got.stderr.like(&e.answer.stderr) == e.answer.stderr;
        if !same {
            wrong += 1;
            if wrong <= SHOWN {
                report.push('\n');
                report.push_str(&describe(&e.args, &e.answer, got));
            }
        }
    }
    if wrong > 0 {
        let actual: Vec<Entry> = commands
            .iter()
            .zip(&answers)
            .map(|(args, answer)| Entry {
                args: args.clone(),
                answer: answer.clone(),
            })
            .collect();
        let dump = Path::new(env!("CARGO_TARGET_TMPDIR")).join("golden-actual.txt");
        let written = std::fs::write(&dump, format_fixture(&corpus, &actual));
        panic!(
            "{wrong} of {} command lines answer differently from {FIXTURE}{}:\n{report}\n\
             every answer of this run: {}{}",
            entries.len(),
            if wrong > SHOWN {
                format!(" (the first {SHOWN} shown)")
            } else {
                String::new()
            },
            dump.display(),
            match written {
                Ok(()) => format!(" (diff it against {FIXTURE})"),
                Err(e) => format!(" (not written: {e})"),
            }
        );
    }
}

#[test]
fn command_line_answers_match_the_recorded_ones() {
    check(&binary());
}

// ---------------------------------------------------------------------------------------
// Recording: command lines drawn from the corpus's records.
// ---------------------------------------------------------------------------------------

/// Every command line of the fixture, drawn from `recs` (the two `index` runs first).
fn draw_commands(recs: &[Rec]) -> Vec<Vec<String>> {
    let mut all_cites: Vec<String> = recs.iter().flat_map(|r| r.cites.clone()).collect();
    all_cites.sort();
    all_cites.dedup();
    let mut d = Drawer {
        rng: fastrand::Rng::with_seed(DRAW_SEED),
        recs,
        all_cites,
    };
    let mut out = vec![
        strings(&["index"]),
        strings(&["index"]),
        strings(&["stats"]),
    ];
    for _ in 0..300 {
        out.push(d.search(None, true));
    }
    // Broad words with every mode, several orders and pages.
    for (i, w) in BROAD.iter().enumerate() {
        for j in 0..4 {
            // One in three without filters: the broadest form.
            out.push(d.search(Some(vec![w.to_string()]), (i + j) % 3 != 0));
        }
    }
    for h in HOSTILE {
        let mut args = strings(&["search", "--color", "never"]);
        args.extend(strings(h));
        out.push(args);
    }
    out.extend(others(&mut d));
    out
}

/// Records the fixture with `UNRES_GOLDEN_BIN` (or the cargo-built binary).
#[test]
#[ignore = "records tests/fixtures/golden/answers.txt; run with UNRES_GOLDEN_BIN=<reference unres>"]
fn record_golden_answers() {
    let bin = binary();
    let (dir, corpus) = workspace();
    let root = dir.path();
    // The records to draw from, read from the files (no index needed).
    let recs = records(&bin, root);
    let commands = draw_commands(&recs);
    let answers = run_all(&bin, root, &commands);
    // Again on an index built with one thread: answers must not depend on it.
    let (again_dir, _) = workspace();
    let mut again_commands = commands.clone();
    for args in again_commands.iter_mut().take(1) {
        args.extend(strings(&["--threads", "1"]));
    }
    let again = run_all(&bin, again_dir.path(), &again_commands);
    let mut unstable = String::new();
    for (i, (a, b)) in answers.iter().zip(&again).enumerate().skip(1) {
        if a != b {
            unstable.push_str(&describe(&commands[i], a, b));
        }
    }
    assert!(
        unstable.is_empty(),
        "answers differ between two runs:\n{unstable}"
    );
    let entries: Vec<Entry> = commands
        .into_iter()
        .zip(answers)
        .map(|(args, answer)| Entry { args, answer })
        .collect();
    let text = format_fixture(&corpus, &entries);
    // The format reads back as written.
    let (c, back) = parse_fixture(&text);
    assert_eq!(c, corpus);
    for (e, b) in entries.iter().zip(&back) {
        assert_eq!((&e.args, &e.answer), (&b.args, &b.answer));
    }
    let path = package_path(FIXTURE);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, &text).unwrap();
    // A summary, shown with --nocapture.
    let mut by_kind: std::collections::BTreeMap<String, usize> = Default::default();
    for e in &entries {
        *by_kind.entry(e.args[0].clone()).or_default() += 1;
    }
    let at_least = entries
        .iter()
        .filter(|e| e.answer.stdout.text().contains("at least"))
        .count();
    let rooted = entries
        .iter()
        .filter(|e| (e.answer.stdout.text() + &e.answer.stderr.text()).contains("$ROOT"))
        .count();
    let mut exits: std::collections::BTreeMap<i32, usize> = Default::default();
    for e in &entries {
        *exits.entry(e.answer.exit).or_default() += 1;
    }
    eprintln!(
        "wrote {} ({} bytes): {} command lines {by_kind:?}, exit codes {exits:?}, \
         {at_least} answered with `at least`, {rooted} naming the temporary folder",
        path.display(),
        text.len(),
        entries.len()
    );
}
