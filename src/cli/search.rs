//! `unres search`: the flags become one [`Request`], the index answers it, and the
//! [`Answer`] is printed: records or paragraphs with their totals, resolutions with their
//! counts, matches per session as a bar chart, or only the number (`--count`).

use super::defs::SearchArgs;
use super::open::open_for_command;
use super::print::{found, print_hit, print_hit_json};
use anyhow::{Context, Result};
use std::io::Write;
use std::process::ExitCode;
use unres::{Answer, Index, Request};

/// The widest bar of `--by-session`, in characters.
const BAR_WIDTH: usize = 50;

pub(crate) fn search(args: SearchArgs) -> Result<ExitCode> {
    let request = request(&args)?;
    let (index, answer) = open_for_command(args.index.as_deref(), |index| index.search(&request))?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.count {
        writeln!(out, "{}", answer.total())?;
    } else {
        print_answer(&mut out, &index, &args, &answer)?;
    }
    out.flush()?;
    Ok(found(answer.total()))
}

/// The request the flags make, through the library's [`unres::SearchParams`] (the server
/// fills the same from its query string): the view (`--collapse`, `--by-resolution`,
/// `--by-session`), the order and the page; `--count` asks for the totals alone, and the
/// listings come whole (`--limit` and `--offset` page records only).
fn request(args: &SearchArgs) -> Result<Request> {
    use clap::ValueEnum;
    let by = if args.by_resolution {
        Some("resolution")
    } else if args.by_session {
        Some("session")
    } else {
        None
    };
    let listing = by.is_some();
    let params = unres::SearchParams {
        q: args.query.join(" "),
        kind: args.kind.clone(),
        session: args.session.clone(),
        year: args.year.clone(),
        symbol: args.symbol.clone(),
        cites: args.cites.clone(),
        sort: args
            .sort
            .to_possible_value()
            .map(|v| v.get_name().to_string()),
        collapse: args.collapse,
        by: by.map(str::to_string),
        limit: if args.count {
            Some(0)
        } else if listing {
            None
        } else {
            Some(args.limit)
        },
        offset: if args.count || listing {
            None
        } else {
            Some(args.offset)
        },
        exact: args.count,
    };
    Ok(params.to_request()?)
}

fn print_answer(
    out: &mut impl Write,
    index: &Index,
    args: &SearchArgs,
    answer: &Answer,
) -> Result<()> {
    match answer {
        Answer::Records(results) => print_records(out, index, args, results),
        Answer::Paragraphs(results) => print_collapsed(out, index, args, results),
        Answer::Resolutions(list) => print_resolutions(out, &list.resolutions, args.json),
        Answer::Sessions(list) => print_sessions(out, &list.sessions, args.json),
    }
}

/// A page of records, then the total.
fn print_records(
    out: &mut impl Write,
    index: &Index,
    args: &SearchArgs,
    results: &unres::SearchResults,
) -> Result<()> {
    let color = args.color.on_stdout();
    for hit in &results.hits {
        if args.json {
            print_hit_json(out, hit, None)?;
        } else {
            print_hit(out, index, hit, None, color)?;
        }
    }
    if !args.json {
        let page = shown(args.offset, results.hits.len());
        if results.total_exact {
            writeln!(
                out,
                "{} {}; {page}",
                results.total,
                if results.total == 1 {
                    "record matches"
                } else {
                    "records match"
                },
            )?;
        } else {
            writeln!(
                out,
                "at least {} records match (--count counts them all); {page}",
                results.total
            )?;
        }
    }
    Ok(())
}

/// Matches per session: one line a session with a bar of block characters and the count
/// (the longest bar for the most matches), or one JSON object a session.
fn print_sessions(
    out: &mut impl Write,
    sessions: &[unres::SessionCount],
    json: bool,
) -> Result<()> {
    let most = sessions.iter().map(|s| s.count).max().unwrap_or(0);
    for s in sessions {
        if json {
            serde_json::to_writer(&mut *out, s).context("writing JSON")?;
            writeln!(out)?;
        } else {
            writeln!(out, "{:>4}  {} {}", s.session, bar(s.count, most), s.count)?;
        }
    }
    Ok(())
}

/// A bar of eighth-block characters, `count / most` of [`BAR_WIDTH`] (at least a sliver
/// for any match).
fn bar(count: usize, most: usize) -> String {
    if most == 0 {
        return String::new();
    }
    let eighths = (count * BAR_WIDTH * 8).div_ceil(most).max(1);
    let mut s = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        s.push(['▏', '▎', '▍', '▌', '▋', '▊', '▉'][eighths % 8 - 1]);
    }
    s
}

/// `showing 11–20` or `none shown`.
fn shown(offset: usize, n: usize) -> String {
    if n > 0 {
        format!("showing {}–{}", offset + 1, offset + n)
    } else {
        "none shown".to_string()
    }
}

/// Collapsed results: each paragraph's newest version with the other sessions where it
/// matches unchanged, then the totals of paragraphs and records.
fn print_collapsed(
    out: &mut impl Write,
    index: &Index,
    args: &SearchArgs,
    results: &unres::CollapsedResults,
) -> Result<()> {
    let color = args.color.on_stdout();
    for c in &results.hits {
        if args.json {
            print_hit_json(out, &c.hit, Some(&c.also_in))?;
        } else {
            print_hit(out, index, &c.hit, Some(&c.also_in), color)?;
        }
    }
    if !args.json {
        let page = shown(args.offset, results.hits.len());
        if results.total_exact {
            writeln!(
                out,
                "{} {} ({} record{}); {page}",
                results.total,
                if results.total == 1 {
                    "paragraph matches"
                } else {
                    "paragraphs match"
                },
                results.records,
                if results.records == 1 { "" } else { "s" },
            )?;
        } else if results.records_exact {
            writeln!(
                out,
                "{} records match, in at least {} paragraphs (--count counts the paragraphs); {page}",
                results.records, results.total,
            )?;
        } else {
            writeln!(
                out,
                "at least {} paragraphs match (at least {} records; --count counts the paragraphs); {page}",
                results.total, results.records,
            )?;
        }
    }
    Ok(())
}

/// One line per matching resolution: its count, symbol, date and title (or JSON).
fn print_resolutions(
    out: &mut impl Write,
    list: &[unres::ResolutionCount],
    json: bool,
) -> Result<()> {
    for r in list {
        if json {
            serde_json::to_writer(&mut *out, r).context("writing JSON")?;
            writeln!(out)?;
        } else {
            writeln!(
                out,
                "{:>6}  {}{}  {}  {}",
                r.count,
                r.symbol,
                r.part
                    .as_deref()
                    .map(|p| format!(" {p}"))
                    .unwrap_or_default(),
                r.date.as_deref().unwrap_or("日期不详"),
                r.title
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_most_matches() {
        assert_eq!(bar(10, 10).chars().count(), BAR_WIDTH);
        assert_eq!(bar(5, 10).chars().count(), BAR_WIDTH / 2);
        assert_eq!(bar(1, 1000), "▏");
        assert_eq!(bar(0, 0), "");
    }
}
