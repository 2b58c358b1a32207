//! `unres show`: a whole resolution record by record, or one record with the records it
//! cites or is cited by; as text (headings coloured on a terminal) or one JSON object a
//! record.

use super::defs::ShowArgs;
use super::open::open_for_command;
use super::print::{header, related_label};
use anyhow::{Context, Result};
use std::io::Write;
use std::process::ExitCode;
use unres::{Kind, Record, Reference};

pub(crate) fn show(args: ShowArgs) -> Result<ExitCode> {
    let reference: Reference = args.reference.join(" ").parse()?;
    let (index, found) = open_for_command(args.index.as_deref(), |index| {
        match index.records_at(&reference) {
            Err(unres::Error::NotFound { message }) => Ok(Err(message)),
            other => other.map(Ok),
        }
    })?;
    let records = match found {
        Ok(records) => records,
        Err(missing) => {
            eprintln!("unres: {missing}");
            return Ok(ExitCode::from(1));
        }
    };
    let color = !args.json && args.color.on_stdout();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if reference.record.is_some() {
        for r in &records {
            if args.json {
                print_json(&mut out, r)?;
                continue;
            }
            writeln!(out, "{}", header(r, color))?;
            writeln!(out, "{}", r.text)?;
            for rel in index.related(r)? {
                writeln!(out, "  {}: {}", related_label(&rel), rel.text)?;
            }
        }
    } else if args.json {
        for r in &records {
            print_json(&mut out, r)?;
        }
    } else {
        print_resolution(&mut out, &records, color)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// A record as one JSON object: the record as `unres export` prints it, plus `place`; keys
/// in name order.
fn print_json(out: &mut impl Write, r: &Record) -> Result<()> {
    let mut v = serde_json::to_value(r).context("encoding a record")?;
    let obj = v.as_object_mut().expect("a record is an object");
    obj.insert("place".into(), r.place().into());
    serde_json::to_writer(&mut *out, &v).context("writing JSON")?;
    writeln!(out)?;
    Ok(())
}

/// The whole resolution: its symbol and title, session, date and meeting, then each part's
/// title and each record under its heading.
fn print_resolution(out: &mut impl Write, records: &[Record], color: bool) -> Result<()> {
    let first = &records[0];
    writeln!(out, "{}  {}", heading(&first.symbol, color), first.title)?;
    writeln!(
        out,
        "第 {} 届会议 · {} · 第 {} 次全体会议",
        first.session,
        first.date.as_deref().unwrap_or("日期不详"),
        first.meeting.map_or("?".to_string(), |m| m.to_string())
    )?;
    let mut part = None;
    for r in records {
        if r.part != part {
            part = r.part.clone();
            if let Some(p) = &part {
                writeln!(out, "\n{} {}", heading(&format!("{p}."), color), r.title)?;
            }
        }
        let label = match r.kind {
            Kind::Footnote => format!("脚注 {}", r.para),
            k => format!("{}第 {} 段", k.chinese(), r.para),
        };
        let label = heading(&format!("[{}] {label}", r.short_ref()), color);
        writeln!(out, "\n{label}\n{}", r.text)?;
    }
    Ok(())
}

/// A heading, coloured as `search` colours a hit's place.
fn heading(s: &str, color: bool) -> String {
    if color {
        format!("\x1b[1;36m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}
