//! A mismatch made readable: the command line as it would be typed in a shell, and the
//! expected and actual outputs as a line diff.

use super::answers::Answer;
use std::fmt::Write as _;

/// A command line as it would be typed in a shell.
pub(super) fn shell_line(args: &[String]) -> String {
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
pub(super) fn line_diff(a: &str, b: &str, max: usize) -> String {
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
pub(super) fn describe(args: &[String], want: &Answer, got: &Answer) -> String {
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
