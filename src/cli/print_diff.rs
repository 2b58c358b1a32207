//! Printing for `unres diff` and `unres history`: a resolution diff or a paragraph's
//! history, coloured on a terminal and marked `[-删去-]{+加入+}` otherwise (as
//! `git diff --word-diff` does), or as JSON lines.

use anyhow::{Context, Result};
use std::io::Write;
use unres::{Change, HistoryStep, Op, ParagraphDiff, ResolutionDiff, Status, Version};

/// The text of a character diff with its edits marked.
pub fn render(changes: &[Change], color: bool) -> String {
    let mut out = String::new();
    for Change(op, text) in changes {
        match (op, color) {
            (Op::Equal, _) => out.push_str(text),
            (Op::Delete, true) => out.push_str(&format!("\x1b[9;31m{text}\x1b[0m")),
            (Op::Insert, true) => out.push_str(&format!("\x1b[1;32m{text}\x1b[0m")),
            (Op::Delete, false) => out.push_str(&format!("[-{text}-]")),
            (Op::Insert, false) => out.push_str(&format!("{{+{text}+}}")),
        }
    }
    out
}

fn short(v: &Version) -> String {
    format!("{}.{}", v.kind.short(), v.para)
}

/// `op.3 (was op.2)  changed, moved`
fn label(p: &ParagraphDiff, color: bool) -> String {
    let place = match (&p.old, &p.new) {
        (Some(o), Some(n)) if o.para != n.para => format!("{} (was {})", short(n), short(o)),
        (_, Some(n)) => short(n),
        (Some(o), None) => format!("{} (old)", short(o)),
        (None, None) => String::new(),
    };
    let mut status = p.status.as_str().to_string();
    if p.moved {
        status.push_str(", moved");
    }
    if !color {
        return format!("{place}  {status}");
    }
    let tint = match p.status {
        Status::Unchanged => "2",
        Status::Changed => "33",
        Status::New => "32",
        Status::Dropped => "31",
    };
    format!("\x1b[1;36m{place}\x1b[0m  \x1b[{tint}m{status}\x1b[0m")
}

/// A diff for the terminal: a heading, each paragraph (only those that changed with
/// `changed_only`), and one summary line per kind.
pub fn print_diff(
    out: &mut impl Write,
    diff: &ResolutionDiff,
    changed_only: bool,
    color: bool,
) -> Result<()> {
    writeln!(out, "{} → {}", diff.old, diff.new)?;
    for p in &diff.paragraphs {
        if changed_only && p.status == Status::Unchanged && !p.moved {
            continue;
        }
        writeln!(out, "\n{}", label(p, color))?;
        writeln!(out, "  {}", render(&p.changes, color))?;
    }
    writeln!(out)?;
    for s in diff.summary() {
        writeln!(out, "{s}")?;
    }
    Ok(())
}

/// A diff as JSON lines: one object per paragraph of either version.
pub fn print_diff_json(
    out: &mut impl Write,
    diff: &ResolutionDiff,
    changed_only: bool,
) -> Result<()> {
    for p in &diff.paragraphs {
        if changed_only && p.status == Status::Unchanged && !p.moved {
            continue;
        }
        serde_json::to_writer(&mut *out, p).context("writing JSON")?;
        writeln!(out)?;
    }
    Ok(())
}

/// A history for the terminal (newest first) or as JSON lines.
pub fn print_history(
    out: &mut impl Write,
    steps: &[HistoryStep],
    json: bool,
    color: bool,
) -> Result<()> {
    for s in steps {
        if json {
            serde_json::to_writer(&mut *out, s).context("writing JSON")?;
            writeln!(out)?;
            continue;
        }
        let mut status = s.status.as_str().to_string();
        if s.moved {
            status.push_str(", moved");
        }
        let place = format!("{} {}.{}", s.symbol, s.kind.short(), s.para);
        if color {
            writeln!(
                out,
                "\x1b[1;36m{place}\x1b[0m  第 {} 届会议  {status}",
                s.session
            )?;
        } else {
            writeln!(out, "{place}  第 {} 届会议  {status}", s.session)?;
        }
        writeln!(out, "  {}\n", render(&s.changes, color))?;
    }
    Ok(())
}
