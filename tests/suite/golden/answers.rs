//! The recorded answers and their file, `tests/fixtures/golden/answers.txt`: what one
//! command line answered (exit code, stdout, stderr; a long output kept as its size and
//! FNV-1a digest), and the file's format, written and read back.

use std::fmt::Write as _;

/// The fixture, relative to the package root.
pub(super) const FIXTURE: &str = "tests/fixtures/golden/answers.txt";
/// Outputs longer than this are kept as a digest.
pub(super) const DIGEST_OVER: usize = 256 * 1024;

/// FNV-1a, 64 bits.
pub(super) fn fnv1a(bytes: &[u8], mut h: u64) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}
pub(super) const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// What one command line answered (outputs normalised).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Answer {
    pub(super) exit: i32,
    pub(super) stdout: Stream,
    pub(super) stderr: Stream,
}

/// An output: its text, or for a long one its size and digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Stream {
    Text(String),
    Digest {
        lines: usize,
        bytes: usize,
        hash: u64,
    },
}

impl Stream {
    pub(super) fn of(text: String) -> Stream {
        if text.len() > DIGEST_OVER {
            Stream::digest(&text)
        } else {
            Stream::Text(text)
        }
    }

    pub(super) fn digest(text: &str) -> Stream {
        Stream::Digest {
            lines: text.lines().count(),
            bytes: text.len(),
            hash: fnv1a(text.as_bytes(), FNV_START),
        }
    }

    /// This stream as `expected` keeps it (a digest if the fixture holds one).
    pub(super) fn like(&self, expected: &Stream) -> Stream {
        match (self, expected) {
            (Stream::Text(t), Stream::Digest { .. }) => Stream::digest(t),
            _ => self.clone(),
        }
    }

    pub(super) fn text(&self) -> String {
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
pub(super) struct Entry {
    pub(super) args: Vec<String>,
    pub(super) answer: Answer,
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

pub(super) fn write_stream(out: &mut String, name: &str, s: &Stream) {
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

pub(super) fn format_fixture(corpus: &str, entries: &[Entry]) -> String {
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
pub(super) fn parse_fixture(text: &str) -> (String, Vec<Entry>) {
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
