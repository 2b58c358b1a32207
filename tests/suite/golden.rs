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

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The fixture, relative to the package root.
const FIXTURE: &str = "tests/fixtures/golden/answers.txt";
/// The seed resolution, relative to the package root.
const SEED: &str = "corpus/A-RES-78-46.zh.txt";
/// The generated corpus: this many resolutions of `unres-synth` …
const SYNTH_RESOLUTIONS: usize = 60;
/// … with this seed, and this many series of 20 sessions (same seed).
const SYNTH_SEED: u64 = 78;
const SERIES: usize = 2;
/// The seed of the command lines drawn when recording.
const DRAW_SEED: u64 = 4_678;
/// Outputs longer than this are kept as a digest.
const DIGEST_OVER: usize = 256 * 1024;
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

/// FNV-1a, 64 bits.
fn fnv1a(bytes: &[u8], mut h: u64) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}
const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

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
    for i in 0..config.resolutions {
        let f = unres_synth::resolution(&config, i);
        std::fs::write(corpus.join(&f.name), &f.text).unwrap();
    }
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

/// What one command line answered (outputs normalised).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Answer {
    exit: i32,
    stdout: Stream,
    stderr: Stream,
}

/// An output: its text, or for a long one its size and digest.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Stream {
    Text(String),
    Digest {
        lines: usize,
        bytes: usize,
        hash: u64,
    },
}

impl Stream {
    fn of(text: String) -> Stream {
        if text.len() > DIGEST_OVER {
            Stream::digest(&text)
        } else {
            Stream::Text(text)
        }
    }

    fn digest(text: &str) -> Stream {
        Stream::Digest {
            lines: text.lines().count(),
            bytes: text.len(),
            hash: fnv1a(text.as_bytes(), FNV_START),
        }
    }

    /// This stream as `expected` keeps it (a digest if the fixture holds one).
    fn like(&self, expected: &Stream) -> Stream {
        match (self, expected) {
            (Stream::Text(t), Stream::Digest { .. }) => Stream::digest(t),
            _ => self.clone(),
        }
    }

    fn text(&self) -> String {
        match self {
            Stream::Text(t) => t.clone(),
            Stream::Digest { lines, bytes, hash } => {
                format!("<{lines} lines, {bytes} bytes, fnv1a64 {hash:016x}>\n")
            }
        }
    }
}

/// One command line of the fixture and its answer.
#[derive(Debug, Clone)]
struct Entry {
    args: Vec<String>,
    answer: Answer,
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

// ---------------------------------------------------------------------------------------
// The fixture's format:
//
//   # comment lines
//   corpus N files B bytes fnv1a64 H
//
//   == ["search","--color","never","国家"]     (the arguments, as JSON)
//   exit 0
//   stdout 3                                     (line count; ` noeol` when the last line
//   | first line                                  has no newline; `stdout digest L B H`
//   |                                             for a long output, with no lines)
//   | third line
//   stderr 0
// ---------------------------------------------------------------------------------------

fn write_stream(out: &mut String, name: &str, s: &Stream) {
    match s {
        Stream::Digest { lines, bytes, hash } => {
            writeln!(out, "{name} digest {lines} {bytes} {hash:016x}").unwrap();
        }
        Stream::Text(t) => {
            let noeol = !t.is_empty() && !t.ends_with('\n');
            let body = t.strip_suffix('\n').unwrap_or(t);
            let split: Vec<&str> = if t.is_empty() {
                vec![]
            } else {
                body.split('\n').collect()
            };
            write!(out, "{name} {}", split.len()).unwrap();
            if noeol {
                out.push_str(" noeol");
            }
            out.push('\n');
            for l in split {
                if l.is_empty() {
                    out.push_str("|\n");
                } else {
                    writeln!(out, "| {l}").unwrap();
                }
            }
        }
    }
}

fn format_fixture(corpus: &str, entries: &[Entry]) -> String {
    let mut out = String::new();
    out.push_str(
        "# unres's answers to the command lines below, on the generated corpus described by\n\
         # the `corpus` line. Checked and recorded by tests/suite/golden.rs (see its module\n\
         # documentation); do not edit by hand.\n",
    );
    writeln!(out, "{corpus}").unwrap();
    for e in entries {
        out.push('\n');
        writeln!(out, "== {}", serde_json::to_string(&e.args).unwrap()).unwrap();
        writeln!(out, "exit {}", e.answer.exit).unwrap();
        write_stream(&mut out, "stdout", &e.answer.stdout);
        write_stream(&mut out, "stderr", &e.answer.stderr);
    }
    out
}

/// Reads the fixture: its `corpus` line and entries. Panics with the line number on a
/// malformed file.
fn parse_fixture(text: &str) -> (String, Vec<Entry>) {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut at = 0;
    let bad = |at: usize, what: &str| -> ! {
        panic!("{FIXTURE}:{}: {what}", at + 1);
    };
    while at < lines.len() && lines[at].starts_with('#') {
        at += 1;
    }
    let corpus = match lines.get(at) {
        Some(l) if l.starts_with("corpus ") => l.to_string(),
        _ => bad(at, "expected the `corpus` line"),
    };
    at += 1;
    let stream = |at: &mut usize, name: &str| -> Stream {
        let Some(head) = lines.get(*at).and_then(|l| l.strip_prefix(name)) else {
            bad(*at, &format!("expected `{name} …`"));
        };
        let words: Vec<&str> = head.split_whitespace().collect();
        *at += 1;
        if words.first() == Some(&"digest") {
            let (Some(l), Some(b), Some(h)) = (words.get(1), words.get(2), words.get(3)) else {
                bad(*at - 1, "expected `digest LINES BYTES HASH`");
            };
            return Stream::Digest {
                lines: l.parse().unwrap_or_else(|_| bad(*at - 1, "line count")),
                bytes: b.parse().unwrap_or_else(|_| bad(*at - 1, "byte count")),
                hash: u64::from_str_radix(h, 16).unwrap_or_else(|_| bad(*at - 1, "hash")),
            };
        }
        let n: usize = words
            .first()
            .and_then(|w| w.parse().ok())
            .unwrap_or_else(|| bad(*at - 1, "expected a line count"));
        let noeol = words.get(1) == Some(&"noeol");
        let mut body = Vec::with_capacity(n);
        for _ in 0..n {
            let l = lines
                .get(*at)
                .copied()
                .unwrap_or_else(|| bad(*at, "file ends"));
            let content = if l == "|" {
                ""
            } else if let Some(c) = l.strip_prefix("| ") {
                c
            } else {
                bad(*at, "expected a `| ` line");
            };
            body.push(content);
            *at += 1;
        }
        let mut t = body.join("\n");
        if n > 0 && !noeol {
            t.push('\n');
        }
        Stream::Text(t)
    };
    let mut entries = Vec::new();
    loop {
        while at < lines.len() && lines[at].is_empty() {
            at += 1;
        }
        if at >= lines.len() {
            break;
        }
        let Some(json) = lines[at].strip_prefix("== ") else {
            bad(at, "expected `== [arguments]`");
        };
        let args: Vec<String> =
            serde_json::from_str(json).unwrap_or_else(|e| bad(at, &format!("arguments: {e}")));
        at += 1;
        let exit = lines
            .get(at)
            .and_then(|l| l.strip_prefix("exit "))
            .and_then(|c| c.parse().ok())
            .unwrap_or_else(|| bad(at, "expected `exit N`"));
        at += 1;
        let stdout = stream(&mut at, "stdout");
        let stderr = stream(&mut at, "stderr");
        entries.push(Entry {
            args,
            answer: Answer {
                exit,
                stdout,
                stderr,
            },
        });
    }
    (corpus, entries)
}

/// A command line as it would be typed in a shell.
fn shell_line(args: &[String]) -> String {
    let mut out = String::from("unres");
    for a in args {
        out.push(' ');
        let plain = !a.is_empty()
            && a.chars().all(|c| {
                !c.is_whitespace() && !"'\"\\$`!*?;&|<>(){}[]#~".contains(c) && c != '\u{3000}'
            });
        if plain {
            out.push_str(a);
        } else {
            out.push('\'');
            out.push_str(&a.replace('\'', "'\\''"));
            out.push('\'');
        }
    }
    out
}

/// The lines of `a` and `b` as a diff: `-` lines only in `a`, `+` only in `b`, two lines of
/// context around each change, at most `max` lines.
fn line_diff(a: &str, b: &str, max: usize) -> String {
    let a: Vec<&str> = a.lines().collect();
    let b: Vec<&str> = b.lines().collect();
    if a.len() * b.len() > 4_000_000 {
        let first = a
            .iter()
            .zip(&b)
            .position(|(x, y)| x != y)
            .unwrap_or(a.len().min(b.len()));
        return format!(
            "    (too long to diff; first difference at line {}: {} lines against {})\n",
            first + 1,
            a.len(),
            b.len()
        );
    }
    // Longest common subsequence table, from the ends.
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut ops: Vec<(char, &str)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            ops.push((' ', a[i]));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            ops.push(('-', a[i]));
            i += 1;
        } else {
            ops.push(('+', b[j]));
            j += 1;
        }
    }
    let near = |k: usize| {
        let lo = k.saturating_sub(2);
        let hi = (k + 3).min(ops.len());
        ops[lo..hi].iter().any(|(c, _)| *c != ' ')
    };
    let mut out = String::new();
    let (mut shown, mut gap) = (0, false);
    for (k, (c, l)) in ops.iter().enumerate() {
        if !near(k) {
            gap = true;
            continue;
        }
        if gap && shown > 0 {
            out.push_str("    …\n");
        }
        gap = false;
        if shown == max {
            out.push_str("    … (diff cut)\n");
            break;
        }
        writeln!(out, "    {c} {l}").unwrap();
        shown += 1;
    }
    out
}

/// A readable account of one mismatch.
fn describe(args: &[String], want: &Answer, got: &Answer) -> String {
    let mut out = format!(
        "$ {}\n  args {}\n",
        shell_line(args),
        serde_json::to_string(args).unwrap()
    );
    if want.exit != got.exit {
        writeln!(out, "  exit: expected {}, got {}", want.exit, got.exit).unwrap();
    }
    for (name, w, g) in [
        ("stdout", &want.stdout, &got.stdout.like(&want.stdout)),
        ("stderr", &want.stderr, &got.stderr.like(&want.stderr)),
    ] {
        if w != g {
            writeln!(out, "  {name} differs (- expected, + got):").unwrap();
            out.push_str(&line_diff(&w.text(), &g.text(), 40));
        }
    }
    out
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

/// What the command lines are drawn from: one record as `export` prints it.
struct Rec {
    /// The text without whitespace, as characters.
    chars: Vec<char>,
    /// The text as printed, as characters.
    raw: Vec<char>,
    symbol: String,
    session: u64,
    year: u64,
    kind: String,
    para: u64,
    cites: Vec<String>,
}

fn records(bin: &Path, root: &Path) -> Vec<Rec> {
    let out = std::process::Command::new(bin)
        .arg("export")
        .current_dir(root)
        .output()
        .expect("unres export");
    assert!(out.status.success(), "unres export failed");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("a JSON record");
            let text = v["text"].as_str().unwrap();
            Rec {
                chars: text.chars().filter(|c| !c.is_whitespace()).collect(),
                raw: text.chars().collect(),
                symbol: v["symbol"].as_str().unwrap().to_string(),
                session: v["session"].as_u64().unwrap(),
                year: v["year"].as_u64().unwrap_or(0),
                kind: v["kind"].as_str().unwrap().to_string(),
                para: v["para"].as_u64().unwrap(),
                cites: v["cites"]
                    .as_array()
                    .map(|a| a.iter().map(|c| c.as_str().unwrap().to_string()).collect())
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// `op.3`, `pre.2`, `fn.7`, `annex.1`.
fn reference(r: &Rec) -> String {
    let k = match r.kind.as_str() {
        "operative" => "op",
        "preamble" => "pre",
        "footnote" => "fn",
        other => other,
    };
    format!("{k}.{}", r.para)
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

/// Words frequent enough in the generated text that a query for them passes the bound of
/// an exactly counted first page.
const BROAD: &[&str] = &[
    "国家",
    "武器",
    "执行",
    "会员国",
    "条约",
    "国际",
    "各国",
    "努力",
    "核武器",
    "的",
    "和",
    "包括",
];

struct Drawer<'a> {
    rng: fastrand::Rng,
    recs: &'a [Rec],
    all_cites: Vec<String>,
}

impl Drawer<'_> {
    fn record(&mut self) -> usize {
        self.rng.usize(0..self.recs.len())
    }

    /// 1–`max` characters cut from record `r`'s text (spaces left out).
    fn piece(&mut self, r: usize, max: usize) -> String {
        let t = &self.recs[r].chars;
        let len = self.rng.usize(1..=max).min(t.len());
        let start = self.rng.usize(0..=t.len() - len);
        t[start..start + len].iter().collect()
    }

    /// 2–8 characters cut from record `r`'s text as printed, spaces kept, in quotes.
    fn quoted(&mut self, r: usize) -> String {
        let t = &self.recs[r].raw;
        let len = self.rng.usize(2..=8).min(t.len());
        let start = self.rng.usize(0..=t.len() - len);
        format!("\"{}\"", t[start..start + len].iter().collect::<String>())
    }

    /// The query words of a drawn search (possibly none).
    fn query(&mut self, r: usize) -> Vec<String> {
        match self.rng.u8(0..14) {
            0..=4 => vec![self.piece(r, 6)],
            5 => vec![self.piece(r, 4), self.piece(r, 4)],
            6 => {
                let other = self.record();
                vec![format!("{} {}", self.piece(r, 4), self.piece(other, 4))]
            }
            7 => vec![self.quoted(r)],
            8 => {
                let other = self.record();
                vec![self.piece(r, 4), format!("-{}", self.piece(other, 3))]
            }
            9 => {
                let other = self.record();
                let (a, b) = (self.piece(r, 4), self.piece(other, 4));
                if self.rng.bool() {
                    vec![a, "OR".into(), b]
                } else {
                    vec![format!("{a} OR {b}")]
                }
            }
            10 => vec![],
            11 => vec![format!("-{}", self.piece(r, 3))],
            _ => vec![BROAD[self.rng.usize(0..BROAD.len())].to_string()],
        }
    }

    /// A filter of record `r`'s: in the query (`session:78`) or as a flag.
    fn filter(&mut self, r: usize, query: &mut Vec<String>, flags: &mut Vec<Vec<String>>) {
        let rec = &self.recs[r];
        let (name, value) = match self.rng.u8(0..5) {
            0 => {
                let k = if self.rng.u8(0..4) == 0 {
                    reference(rec).split('.').next().unwrap().to_string()
                } else {
                    rec.kind.clone()
                };
                ("kind", k)
            }
            1 => ("session", rec.session.to_string()),
            2 => ("year", rec.year.to_string()),
            3 => ("symbol", rec.symbol.clone()),
            _ => {
                let c = if rec.cites.is_empty() || self.rng.u8(0..4) == 0 {
                    self.all_cites[self.rng.usize(0..self.all_cites.len())].clone()
                } else {
                    rec.cites[self.rng.usize(0..rec.cites.len())].clone()
                };
                ("cites", c)
            }
        };
        if self.rng.bool() {
            query.push(format!("{name}:{value}"));
        } else {
            flags.push(vec![format!("--{name}"), value]);
        }
    }

    /// `unres search …` with query words, filters, mode, order, paging and output drawn.
    fn search(&mut self, words: Option<Vec<String>>, filtered: bool) -> Vec<String> {
        let r = self.record();
        let mut query = words.unwrap_or_else(|| self.query(r));
        let mut flags: Vec<Vec<String>> = Vec::new();
        let filters = if !filtered {
            0
        } else if query.is_empty() {
            self.rng.usize(1..=2)
        } else {
            [0, 0, 0, 1, 1, 2][self.rng.usize(0..6)]
        };
        for _ in 0..filters {
            self.filter(r, &mut query, &mut flags);
        }
        let mode = self.rng.u8(0..16);
        let (collapse, by_resolution, count) = match mode {
            0..=7 => (false, false, false),
            8..=10 => (true, false, false),
            11..=12 => (false, true, false),
            13..=14 => (false, false, true),
            _ => (true, false, true),
        };
        if collapse {
            flags.push(strings(&["--collapse"]));
        }
        if by_resolution {
            flags.push(strings(&["--by-resolution"]));
        }
        if count {
            flags.push(strings(&["--count"]));
        }
        let json = !count && self.rng.u8(0..10) < 3;
        if json {
            flags.push(strings(&["--json"]));
        }
        match self.rng.u8(0..8) {
            0..=2 => {}
            3..=4 => flags.push(strings(&["--sort", "relevance"])),
            5 => flags.push(strings(&["--sort", "newest"])),
            _ => flags.push(strings(&["--sort", "oldest"])),
        }
        if !count {
            let paging: &[&str] = match self.rng.u8(0..12) {
                0..=2 if !json => &[],
                0..=4 => &["--limit", "3"],
                5 => &["--limit", "1"],
                6 => &["--limit", "0"],
                7 => &["--limit", "4", "--offset", "4"],
                8 => &["--offset", "100000", "--limit", "3"],
                9 => &["--offset", "998", "--limit", "3"],
                10 => &["--offset", "20", "--limit", "2"],
                _ => &["--limit", "2", "--offset", "1"],
            };
            let mut p = paging.iter();
            while let (Some(f), Some(v)) = (p.next(), p.next()) {
                flags.push(strings(&[f, v]));
            }
        }
        match self.rng.u8(0..20) {
            0 => flags.push(strings(&["--color", "always"])),
            1 => {}
            _ => flags.push(strings(&["--color", "never"])),
        }
        self.rng.shuffle(&mut flags);
        let mut args = vec!["search".to_string()];
        match self.rng.u8(0..7) {
            0..=2 => {
                args.extend(query);
                args.extend(flags.into_iter().flatten());
            }
            3..=5 => {
                args.extend(flags.into_iter().flatten());
                args.extend(query);
            }
            _ => {
                // Words and options interleaved.
                let mut groups: Vec<Vec<String>> = query.into_iter().map(|w| vec![w]).collect();
                groups.extend(flags);
                self.rng.shuffle(&mut groups);
                args.extend(groups.into_iter().flatten());
            }
        }
        args
    }
}

/// Malformed and unusual search command lines (each after `search --color never`).
const HOSTILE: &[&[&str]] = &[
    &["\"国家"],
    &["\""],
    &["\"\""],
    &["国家\""],
    &["-"],
    &["-", "国家"],
    &["--", "-国家"],
    &["-国家", "-武器"],
    &["-\"国际 社会\""],
    &["session:abc"],
    &["session:"],
    &["session:-1"],
    &["session:99999999999"],
    &["year:20x"],
    &["year:2023", "year:2024"],
    &["kind:foo", "国家"],
    &["KIND:OPERATIVE", "国家"],
    &["ｋｉｎｄ:operative", "国家"],
    &["symbol:"],
    &["cites:"],
    &["symbol:a/res/78/46", "妇女"],
    &["symbol:ａ/ｒｅｓ/７８/４６", "妇女"],
    &["symbol:A/RES/99/999"],
    &["cites:A/RES/99/999"],
    &["OR"],
    &["国家", "OR"],
    &["OR", "国家"],
    &["国家", "OR", "OR", "武器"],
    &["国家 or 武器"],
    &["\"国家 OR 武器\""],
    &["国家　武器"],
    &["\t国家\t"],
    &["  "],
    &[],
    &["輕武器"],
    &["裁軍"],
    &["小武器和轻武器"],
    &["ＡＢＣ"],
    &["3d打印"],
    &["3D 打印"],
    &["A/RES/77/71"],
    &["a/conf.192/15"],
    &["(", "国家"],
    &["《"],
    &["……"],
    &["😀"],
    &["%"],
    &["*"],
    &["国家*"],
    &["--session", "abc", "国家"],
    &["--session", "-1", "国家"],
    &["--year", "", "国家"],
    &["--kind", "foo", "国家"],
    &["--kind", "op", "国家"],
    &["--symbol", "", "国家"],
    &["--cites", "a/res/77/71"],
    &["--limit", "-1", "国家"],
    &["--limit", "abc", "国家"],
    &["--offset", "18446744073709551615", "国家"],
    &[
        "--offset",
        "18446744073709551615",
        "--limit",
        "18446744073709551615",
        "国家",
    ],
    &["--collapse", "--offset", "18446744073709551615", "国家"],
    &["--limit", "1000", "--count", "国家"],
    &["--sort", "random", "国家"],
    &["--sort", "NEWEST", "国家"],
    &["--count", "--json", "国家"],
    &["--count", "--by-resolution", "国家"],
    &["--collapse", "--by-resolution", "国家"],
    &["--unknown-flag", "国家"],
    &["-x", "国家"],
    &["--index", "missing", "国家"],
    &["--index", "index", "--limit", "3", "国家"],
    &["--index", "index", "--count", "国家", "-武器"],
    &["--kind", "footnote", "--by-resolution", "--sort", "oldest"],
    &["--session", "78"],
    &["--session", "80", "--collapse", "--limit", "3"],
    &["--year", "2025", "--count"],
    &["--limit", "3", "--offset", "997", "国家"],
    &[
        "--limit", "3", "--offset", "999", "--sort", "newest", "国家",
    ],
    &["--limit", "3", "--offset", "1000", "--collapse", "国家"],
    &["--limit", "5", "--offset", "998", "国家"],
    &["--limit", "3", "--offset", "1100", "国家"],
    &["--limit", "3", "--offset", "1100", "--json", "国家"],
    &["--limit", "3", "--offset", "1100", "--collapse", "国家"],
    &[
        "--limit",
        "3",
        "--offset",
        "990",
        "--collapse",
        "--sort",
        "oldest",
        "国家",
    ],
];

/// `show`, `diff`, `history`, `stats` and `export` command lines.
fn others(d: &mut Drawer) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    let fixed: &[&[&str]] = &[
        &["show", "A/RES/78/46"],
        &["show", "a/res/78/46", "op.23"],
        &["show", "A/RES/78/46", "pre.5"],
        &["show", "A/RES/78/46", "fn.3"],
        &["show", "A/RES/78/46", "fn.99"],
        &["show", "A/RES/78/46", "annex.1"],
        &["show", "A/RES/78/46", "op"],
        &["show", "A/RES/78/46", "op.x"],
        &["show", "A/RES/78/46", "xx.1"],
        &["show", "A/RES/78/46", "OP.1"],
        &["show", "A/RES/78/46", "op.-1"],
        &["show", "Ａ/ＲＥＳ/78/46", "op.1"],
        &["show", "A/RES/99/999"],
        &["show"],
        &["show", "A/RES/80/500"],
        &["show", "A/RES/61/501", "op.2"],
        &["show", "--index", "index", "A/RES/78/46", "op.1"],
        &["show", "--index", "missing", "A/RES/78/46"],
        &["diff", "A/RES/80/500"],
        &["diff", "--changed", "A/RES/80/500"],
        &["diff", "--json", "A/RES/80/500"],
        &["diff", "--changed", "--json", "A/RES/79/501"],
        &["diff", "--changed", "--color", "always", "A/RES/72/500"],
        &[
            "diff",
            "--color",
            "never",
            "--changed",
            "A/RES/70/500",
            "A/RES/75/500",
        ],
        &[
            "diff",
            "--color",
            "never",
            "--changed",
            "A/RES/75/500",
            "A/RES/70/500",
        ],
        &[
            "diff",
            "--color",
            "never",
            "--changed",
            "A/RES/80/500",
            "A/RES/80/501",
        ],
        &["diff", "--color", "never", "A/RES/61/500"],
        &["diff", "--color", "never", "A/RES/78/46"],
        &[
            "diff",
            "--color",
            "never",
            "--changed",
            "A/RES/78/46",
            "A/RES/80/500",
        ],
        &["diff", "--color", "never", "A/RES/78/46", "A/RES/78/46"],
        &["diff", "--color", "never", "A/RES/99/999"],
        &["diff", "--color", "never", "A/RES/99/999", "A/RES/80/500"],
        &[
            "diff",
            "--color",
            "never",
            "A/RES/61/500",
            "A/RES/62/500",
            "A/RES/63/500",
        ],
        &["diff"],
        &["diff", "--index", "missing", "A/RES/80/500"],
        &["history", "--color", "never", "A/RES/80/500", "op.1"],
        &["history", "--color", "never", "A/RES/80/500", "pre.2"],
        &["history", "--color", "never", "A/RES/80/501", "op.3"],
        &["history", "--json", "A/RES/80/500", "op.2"],
        &["history", "--color", "always", "A/RES/77/501", "op.1"],
        &["history", "--color", "never", "A/RES/80/500", "op.999"],
        &["history", "--color", "never", "A/RES/80/500", "op"],
        &["history", "--color", "never", "A/RES/80/500", "zz.1"],
        &["history", "--color", "never", "A/RES/99/999", "op.1"],
        &["history", "--color", "never", "A/RES/78/46", "op.23"],
        &["history", "--color", "never", "A/RES/80/500"],
        &["stats", "--json"],
        &["stats", "--index", "index"],
        &["stats", "--index", "index", "--json"],
        &["stats", "--index", "missing"],
        &["export"],
        &["export", "corpus"],
        &["export", "corpus/A-RES-78-46.zh.txt"],
        &["export", "corpus/A-RES-80-500.zh.txt"],
        &["export", "missing.txt"],
        &["export", "corpus/A-RES-78-46.zh.txt", "corpus/missing.txt"],
    ];
    out.extend(fixed.iter().map(|a| strings(a)));
    // Drawn: resolutions shown whole and one record of each, with its history; a resolution
    // compared with its previous member and with another one; one file exported.
    for k in 0..12 {
        let r = d.record();
        let (symbol, rf) = (d.recs[r].symbol.clone(), reference(&d.recs[r]));
        if k < 4 {
            out.push(vec!["show".into(), symbol.clone()]);
        }
        out.push(vec!["show".into(), symbol.clone(), rf.clone()]);
        let mut h = strings(&["history", "--color", "never"]);
        if k % 4 == 0 {
            h = strings(&["history", "--json"]);
        }
        h.extend([symbol.clone(), rf]);
        out.push(h);
        let mut diff = strings(&["diff", "--color", "never"]);
        if k % 2 == 0 {
            diff.push("--changed".into());
        }
        if k % 5 == 0 {
            diff.push("--json".into());
        }
        if k % 3 == 0 {
            let other = d.recs[d.record()].symbol.clone();
            diff.push(other);
        }
        diff.push(symbol.clone());
        out.push(diff);
        if k < 3 {
            let file = format!("corpus/{}.zh.txt", symbol.replace('/', "-"));
            out.push(vec!["export".into(), file]);
        }
    }
    out
}

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
