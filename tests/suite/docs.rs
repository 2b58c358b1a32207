//! The documents' examples, run: every ```console block of README.md and docs/*.md.
//!
//! Each `$ unres …` line of a block is run with the real binary, the block's commands in
//! order in one fresh workspace (a temporary folder holding `corpus/` with the seed and
//! `tests/fixtures/series/` with its 79th-session version, as in a clone of the
//! repository), and what it prints on stdout is compared with the lines that follow, up
//! to the next `$` line or the end of the block. A command ending in `2>&1` is compared
//! with its stdout followed by its stderr.
//!
//! In the expected lines, as in trycmd: `[..]` inside a line matches any text, and a line
//! `...` matches any number of lines. Trailing spaces and trailing blank lines are ignored.
//! The arguments are split as a shell would split them: single and double quotes, and a
//! backslash before a character outside single quotes. Pipes and redirections (other than
//! a final `2>&1`) are refused: such examples belong in a ```text or ```sh block, which is
//! never run.

use crate::common::{unres, workspace};
use std::path::{Path, PathBuf};

/// The seed's 79th-session version, copied into every workspace at the same path.
const SERIES: &str = "tests/fixtures/series/A-RES-79-40.zh.txt";

/// One ```console block.
struct Block {
    file: String,
    line: usize,
    steps: Vec<Step>,
}

/// One `$ unres …` line and the output expected from it.
struct Step {
    line: usize,
    command: String,
    expected: Vec<String>,
}

/// README.md and every docs/*.md, in name order.
fn documents() -> Vec<PathBuf> {
    let mut docs: Vec<PathBuf> = std::fs::read_dir("docs")
        .map(|dir| {
            dir.map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "md"))
                .collect()
        })
        .unwrap_or_default();
    docs.sort();
    docs.insert(0, PathBuf::from("README.md"));
    docs
}

/// The ```console blocks of one document. A fence may be indented (inside a list item);
/// its lines then lose that indentation.
fn console_blocks(file: &str, text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((at, line)) = lines.next() {
        let indent = line.len() - line.trim_start().len();
        let Some(info) = line.trim_start().strip_prefix("```") else {
            continue;
        };
        let console = info.trim() == "console";
        let mut body: Vec<(usize, String)> = Vec::new();
        for (n, l) in lines.by_ref() {
            if l.trim_start().starts_with("```") {
                break;
            }
            let strip = l.len() - l.trim_start().len();
            body.push((n + 1, l[strip.min(indent)..].to_string()));
        }
        if !console {
            continue;
        }
        let mut steps: Vec<Step> = Vec::new();
        for (n, l) in body {
            if let Some(command) = l.strip_prefix("$ ") {
                steps.push(Step {
                    line: n,
                    command: command.trim().to_string(),
                    expected: Vec::new(),
                });
            } else if let Some(step) = steps.last_mut() {
                step.expected.push(l);
            } else if !l.trim().is_empty() {
                panic!("{file}:{n}: a ```console block must start with a `$ unres …` line, found `{l}`");
            }
        }
        assert!(
            !steps.is_empty(),
            "{file}:{}: a ```console block without a `$ unres …` line",
            at + 1
        );
        blocks.push(Block {
            file: file.to_string(),
            line: at + 1,
            steps,
        });
    }
    blocks
}

/// A command line split into arguments as a shell would, and whether it ends in `2>&1`.
fn split_args(command: &str) -> Result<(Vec<String>, bool), String> {
    let (command, with_stderr) = match command.trim_end().strip_suffix(" 2>&1") {
        Some(rest) => (rest, true),
        None => (command, false),
    };
    let mut args: Vec<String> = Vec::new();
    let mut current: Option<String> = None;
    let mut chars = command.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => {
                if let Some(arg) = current.take() {
                    args.push(arg);
                }
            }
            '\'' => {
                let arg = current.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => arg.push(c),
                        None => return Err("unterminated single quote".into()),
                    }
                }
            }
            '"' => {
                let arg = current.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => arg.push(c),
                            Some(c) => {
                                arg.push('\\');
                                arg.push(c);
                            }
                            None => return Err("unterminated double quote".into()),
                        },
                        Some(c) => arg.push(c),
                        None => return Err("unterminated double quote".into()),
                    }
                }
            }
            '\\' => {
                let c = chars.next().ok_or("a backslash at the end of the line")?;
                current.get_or_insert_with(String::new).push(c);
            }
            '|' | '<' | '>' | ';' | '&' | '`' | '$' | '*' | '?' | '(' | ')' => {
                return Err(format!(
                    "`{c}` needs a shell (only a final `2>&1` is understood); \
                     show such an example in a ```text or ```sh block"
                ));
            }
            c => current.get_or_insert_with(String::new).push(c),
        }
    }
    if let Some(arg) = current.take() {
        args.push(arg);
    }
    Ok((args, with_stderr))
}

/// Does one line of output match one expected line, where `[..]` matches any text?
fn line_matches(expected: &str, actual: &str) -> bool {
    let expected = expected.trim_end();
    let actual = actual.trim_end();
    let mut pieces = expected.split("[..]");
    let first = pieces.next().unwrap_or("");
    let Some(mut rest) = actual.strip_prefix(first) else {
        return false;
    };
    let pieces: Vec<&str> = pieces.collect();
    let Some((last, middle)) = pieces.split_last() else {
        return rest.is_empty();
    };
    for piece in middle {
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// Do the output's lines match the expected ones, where a line `...` matches any number
/// of lines?
fn lines_match(expected: &[String], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first.trim() == "..." => {
            (0..=actual.len()).any(|skip| lines_match(rest, &actual[skip..]))
        }
        Some((first, rest)) => {
            !actual.is_empty() && line_matches(first, actual[0]) && lines_match(rest, &actual[1..])
        }
    }
}

/// A line diff of expected and actual (`-` expected only, `+` printed only), by the
/// longest common subsequence of matching lines.
fn diff(expected: &[String], actual: &[&str]) -> String {
    let (n, m) = (expected.len(), actual.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if line_matches(&expected[i], actual[j]) {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut out = String::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && line_matches(&expected[i], actual[j]) {
            out += &format!("   {}\n", actual[j]);
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out += &format!(" - {}\n", expected[i]);
            i += 1;
        } else {
            out += &format!(" + {}\n", actual[j]);
            j += 1;
        }
    }
    out
}

/// Without trailing blank lines.
fn trimmed<T: AsRef<str>>(lines: &[T]) -> &[T] {
    let keep = lines
        .iter()
        .rposition(|l| !l.as_ref().trim().is_empty())
        .map_or(0, |p| p + 1);
    &lines[..keep]
}

/// Runs one block in a fresh workspace; returns a message for each command whose output
/// differs.
fn run_block(block: &Block) -> Vec<String> {
    let dir = workspace();
    let fixture = dir.path().join(SERIES);
    std::fs::create_dir_all(fixture.parent().unwrap()).unwrap();
    std::fs::copy(SERIES, &fixture).unwrap();
    let mut failures = Vec::new();
    for step in &block.steps {
        let at = format!(
            "{}:{}: `$ {}` (block of line {})",
            block.file, step.line, step.command, block.line
        );
        let (args, with_stderr) = match split_args(&step.command) {
            Ok(split) => split,
            Err(e) => {
                failures.push(format!("{at}: {e}"));
                continue;
            }
        };
        if args.first().map(String::as_str) != Some("unres") {
            failures.push(format!(
                "{at}: only `unres` commands are run; use a ```text or ```sh block"
            ));
            continue;
        }
        let out = unres(dir.path()).args(&args[1..]).output().unwrap();
        let mut printed = String::from_utf8_lossy(&out.stdout).into_owned();
        if with_stderr {
            printed += &String::from_utf8_lossy(&out.stderr);
        }
        if out.status.code().is_none() {
            failures.push(format!("{at}: killed by a signal ({})", out.status));
            continue;
        }
        let actual: Vec<&str> = printed.lines().collect();
        let (expected, actual) = (trimmed(&step.expected), trimmed(&actual));
        if !lines_match(expected, actual) {
            failures.push(format!(
                "{at}: the output differs (exit status {}; - in the document, + printed):\n{}{}",
                out.status.code().unwrap(),
                diff(expected, actual),
                if with_stderr || out.stderr.is_empty() {
                    String::new()
                } else {
                    format!("stderr:\n{}", String::from_utf8_lossy(&out.stderr))
                }
            ));
        }
    }
    failures
}

/// Every console block of README.md and docs/*.md prints what the document shows.
#[test]
fn every_console_block_prints_what_the_documents_show() {
    let mut blocks = Vec::new();
    for path in documents() {
        let text = std::fs::read_to_string(&path).unwrap();
        blocks.extend(console_blocks(&path.display().to_string(), &text));
    }
    assert!(
        blocks.iter().any(|b| b.file == "README.md"),
        "README.md shows no ```console block"
    );
    let failures: Vec<String> = blocks.iter().flat_map(run_block).collect();
    assert!(
        failures.is_empty(),
        "{} of the documents' commands print something else:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// The matcher itself: wildcards inside a line and `...` lines, the diff, the splitting.
#[test]
fn the_matcher() {
    let lines = |s: &str| s.lines().map(String::from).collect::<Vec<_>>();
    assert!(line_matches(
        "1 files; [..] s, [..] MB/s",
        "1 files; 0.22 s, 0.1 MB/s"
    ));
    assert!(line_matches("a[..]", "a"));
    assert!(line_matches("[..]", "anything"));
    assert!(line_matches("ab  ", "ab"));
    assert!(!line_matches("a[..]b", "ab c"));
    assert!(!line_matches("a[..]ab", "ab"));
    assert!(!line_matches("abc", "abcd"));
    let actual = ["one", "two", "three", "four"];
    assert!(lines_match(&lines("one\n...\nfour"), &actual));
    assert!(lines_match(
        &lines("...\none\ntwo\n...\nfour\n..."),
        &actual
    ));
    assert!(!lines_match(&lines("one\n...\nthree"), &actual));
    assert!(!lines_match(&lines("one\ntwo"), &actual));
    assert_eq!(
        diff(&lines("one\n2\nthree"), &["one", "two", "three"]),
        "   one\n - 2\n + two\n   three\n"
    );

    let split = |s: &str| split_args(s).unwrap();
    assert_eq!(
        split(r#"unres search '小武器 colour:red' "a \"b\"" c\ d"#),
        (
            ["unres", "search", "小武器 colour:red", "a \"b\"", "c d"]
                .map(String::from)
                .to_vec(),
            false
        )
    );
    assert_eq!(
        split("unres search x 2>&1"),
        (["unres", "search", "x"].map(String::from).to_vec(), true)
    );
    assert_eq!(split("unres search ''").0, ["unres", "search", ""]);
    assert!(split_args("unres export | head").is_err());
    assert!(split_args("unres search 'x").is_err());
    assert!(split_args("unres man > unres.1").is_err());

    let blocks = console_blocks(
        "t.md",
        "```console\n$ unres stats\nline\n\n$ unres index\n```\n  ```console\n  $ unres a\n    b\n  ```\n```text\n$ unres no\n```\n",
    );
    assert_eq!(blocks.len(), 2);
    assert_eq!(blocks[0].steps[0].expected, ["line", ""]);
    assert_eq!(blocks[0].steps[1].command, "unres index");
    assert_eq!(blocks[1].steps[0].expected, ["  b"]);
    assert_eq!(blocks[1].steps[0].line, 8);
}

/// The documents name the paths the workspace copies.
#[test]
fn the_workspace_holds_what_the_documents_use() {
    assert!(Path::new(SERIES).is_file());
}
