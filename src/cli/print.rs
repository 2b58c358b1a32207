//! Printing records and hits for the terminal and as JSON: a hit's place header, its
//! snippet with the matches marked, the records related to it, and the JSON object a hit is.

use anyhow::{Context, Result};
use std::io::Write;
use std::process::ExitCode;
use unres::{snippet, Index, Kind, Record};

/// The most characters of a hit's snippet.
const SNIPPET_CHARS: usize = 80;

/// The exit status of a command that found `n` things: 0 when it found some, 1 when none
/// (as grep).
pub(crate) fn found(n: usize) -> ExitCode {
    if n > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// A hit as one JSON object ([`unres::hit_json`], which the server answers too), one a line.
pub(crate) fn print_hit_json(
    out: &mut impl Write,
    hit: &unres::Hit,
    also_in: Option<&[unres::AlsoIn]>,
) -> Result<()> {
    serde_json::to_writer(&mut *out, &unres::hit_json(hit, also_in)).context("writing JSON")?;
    writeln!(out)?;
    Ok(())
}

/// A hit for the terminal: its place, a snippet with the matches marked, the records
/// related to it (a paragraph's footnotes, a footnote's paragraphs) and, collapsed, the
/// other sessions where its text matches.
pub(crate) fn print_hit(
    out: &mut impl Write,
    index: &Index,
    hit: &unres::Hit,
    also_in: Option<&[unres::AlsoIn]>,
    color: bool,
) -> Result<()> {
    let snip = snippet(&hit.record.text, &hit.highlights, SNIPPET_CHARS);
    let r = &hit.record;
    writeln!(out, "{}", header(r, color))?;
    writeln!(out, "  {}", paint(&snip.text, &snip.highlights, color))?;
    for rel in index.related(r)? {
        let body = snippet(&rel.text, &[], SNIPPET_CHARS).text;
        writeln!(out, "  {}: {body}", dim(&related_label(&rel), color))?;
    }
    if let Some(also) = also_in.filter(|a| !a.is_empty()) {
        writeln!(out, "  {}", dim(&also_line(also), color))?;
    }
    writeln!(out)?;
    Ok(())
}

pub(crate) fn header(r: &Record, color: bool) -> String {
    let place = if color {
        format!("\x1b[1;36m{}\x1b[0m", r.place())
    } else {
        r.place()
    };
    format!(
        "{place}  第 {} 届会议 · {} · {}",
        r.session,
        r.date.as_deref().unwrap_or("日期不详"),
        r.title
    )
}

/// How a related record is introduced under a hit: `脚注 11` for a footnote the paragraph
/// cites, `引用处 执行部分第 23 段` for the paragraph citing a footnote.
pub(crate) fn related_label(rel: &Record) -> String {
    if rel.kind == Kind::Footnote {
        format!("脚注 {}", rel.para)
    } else {
        format!("引用处 {}第 {} 段", rel.kind.chinese(), rel.para)
    }
}

pub(crate) fn dim(s: &str, color: bool) -> String {
    if color {
        format!("\x1b[2m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

/// The text with its highlighted ranges marked: colour on a terminal, « » otherwise.
pub(crate) fn paint(text: &str, ranges: &[(usize, usize)], color: bool) -> String {
    let (open, close) = if color {
        ("\x1b[1;31m", "\x1b[0m")
    } else {
        ("«", "»")
    };
    let mut out = String::with_capacity(text.len() + ranges.len() * 8);
    let mut r = ranges.iter().peekable();
    for (i, c) in text.chars().enumerate() {
        if r.peek().is_some_and(|&&(s, _)| s == i) {
            out.push_str(open);
        }
        out.push(c);
        if r.peek().is_some_and(|&&(_, e)| e == i + 1) {
            out.push_str(close);
            r.next();
        }
    }
    out
}

/// `also in 77/71, 76/232, 75/60, 74/50 … 66/40 (12 sessions)`: the other resolutions of
/// the series where a paragraph matches unchanged, at most five of them named.
pub(crate) fn also_line(also: &[unres::AlsoIn]) -> String {
    let short = |a: &unres::AlsoIn| {
        let symbol = a.symbol.strip_prefix("A/RES/").unwrap_or(&a.symbol);
        match &a.part {
            Some(p) => format!("{symbol} {p}"),
            None => symbol.to_string(),
        }
    };
    let names: Vec<String> = also.iter().map(short).collect();
    let listed = if names.len() <= 5 {
        names.join(", ")
    } else {
        format!("{} … {}", names[..4].join(", "), names[names.len() - 1])
    };
    let mut sessions: Vec<u32> = also.iter().map(|a| a.session).collect();
    sessions.sort_unstable();
    sessions.dedup();
    let n = sessions.len();
    format!(
        "also in {listed} ({n} session{})",
        if n == 1 { "" } else { "s" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paint_marks_ranges() {
        assert_eq!(
            paint("小武器和轻武器", &[(0, 3)], false),
            "«小武器»和轻武器"
        );
    }
}
