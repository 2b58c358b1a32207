//! The commands besides search and show: export, index, diff, history and stats, each
//! reading its arguments, calling the library and printing.

use super::defs::Cli;
use super::defs::{DiffArgs, HistoryArgs};
use super::open::{build_with_progress, open_for_command};
use super::print::found;
use super::print_diff;
use anyhow::{bail, Context, Result};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use unres::{BuildOptions, Index, Reference};

pub(crate) fn export(paths: &[PathBuf]) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = 0usize;
    let mut parsed = unres::parse_paths(paths);
    // The index's rule: one file's records for each resolution, the others named.
    for d in unres::drop_duplicates(&mut parsed) {
        eprintln!("unres: {d}");
    }
    for parsed in parsed {
        match parsed.result {
            Ok(resolutions) => {
                for r in resolutions.iter().flat_map(|r| r.records()) {
                    serde_json::to_writer(&mut out, &r).context("writing JSON")?;
                    out.write_all(b"\n").context("writing to stdout")?;
                }
            }
            Err(e) => {
                failed += 1;
                eprintln!("unres: {e}");
            }
        }
    }
    out.flush().context("writing to stdout")?;
    if failed > 0 {
        eprintln!("unres: {failed} file(s) could not be read");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn index_cmd(
    index: &Path,
    paths: &[PathBuf],
    (threads, memory): (Option<u16>, Option<u32>),
    rebuild: bool,
) -> Result<ExitCode> {
    let mut opts = BuildOptions {
        rebuild,
        ..BuildOptions::default()
    };
    if let Some(t) = threads {
        opts.threads = usize::from(t);
    }
    if let Some(mb) = memory {
        opts.memory_budget = mb as usize * 1_000_000;
    }
    let report = build_with_progress(index, paths, &opts)?;
    for d in &report.duplicates {
        eprintln!("unres: {d}");
    }
    for f in &report.failed {
        eprintln!("unres: skipped {}", f.reason);
    }
    if let Some(why) = &report.unmerged {
        eprintln!("unres: {why}");
    }
    let mb = report.bytes as f64 / 1e6;
    println!(
        "{} files ({} read, {} removed), {} resolutions, {} paragraphs, {} footnotes, {} failed; {:.2} s, {:.1} MB/s{}",
        report.files,
        report.reindexed,
        report.removed,
        report.resolutions,
        report.paragraphs,
        report.footnotes,
        report.failed.len(),
        report.seconds,
        if report.seconds > 0.0 { mb / report.seconds } else { 0.0 },
        if report.committed { "" } else { " (index unchanged)" },
    );
    Ok(if report.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

pub(crate) fn diff(args: DiffArgs) -> Result<ExitCode> {
    let new: Reference = args.symbols.last().expect("one or two").parse()?;
    let old: Option<Reference> = match &args.symbols[..] {
        [old, _] => Some(old.parse()?),
        _ => None,
    };
    let (_index, found) = open_for_command(args.index.as_deref(), |index| {
        match index.versions(old.as_ref(), &new) {
            Err(unres::Error::NotFound { message }) => Ok(Err(message)),
            other => other.map(Ok),
        }
    })?;
    let (old, new) = match found {
        Ok(pair) => pair,
        Err(missing) => {
            eprintln!("unres: {missing}");
            return Ok(ExitCode::from(1));
        }
    };
    let d = unres::diff_resolutions(&old, &new);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        print_diff::print_diff_json(&mut out, &d, args.changed)?;
    } else {
        print_diff::print_diff(&mut out, &d, args.changed, args.color.on_stdout())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn history(args: HistoryArgs) -> Result<ExitCode> {
    let reference: Reference = args.reference.join(" ").parse()?;
    let (index, ()) = open_for_command(args.index.as_deref(), |_| Ok(()))?;
    let steps = index.history_at(&reference)?;
    if steps.is_empty() {
        eprintln!("unres: no {reference} in the index");
        return Ok(ExitCode::from(1));
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    print_diff::print_history(&mut out, &steps, args.json, args.color.on_stdout())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn stats(index: Option<&Path>, json: bool) -> Result<ExitCode> {
    let (_, s) = open_for_command(index, Index::stats)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if json {
        serde_json::to_writer(&mut out, &s)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "{:>7} {:>9} {:>9} {:>9} {:>9}",
            "session", "preamble", "operative", "footnote", "annex"
        )?;
        for (session, counts) in &s.by_session {
            writeln!(
                out,
                "{session:>7} {:>9} {:>9} {:>9} {:>9}",
                counts[0], counts[1], counts[2], counts[3]
            )?;
        }
        writeln!(out, "{} resolutions, {} records", s.resolutions, s.records)?;
    }
    out.flush()?;
    Ok(found(s.records))
}

/// Prints a shell completion script generated from the command line's definition.
pub(crate) fn completions(shell: clap_complete::Shell) -> Result<ExitCode> {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    let mut out = std::io::stdout().lock();
    clap_complete::generate(shell, &mut cmd, "unres", &mut out);
    out.flush().context("writing to stdout")?;
    Ok(ExitCode::SUCCESS)
}

/// Prints the man page of the command, or of one subcommand.
pub(crate) fn man(subcommand: Option<&str>) -> Result<ExitCode> {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    cmd.build();
    let page = match subcommand {
        None => cmd,
        Some(name) => {
            let Some(sub) = cmd.find_subcommand(name).filter(|c| !c.is_hide_set()) else {
                bail!("no subcommand `{name}`");
            };
            let sub = sub.clone();
            let name = format!("unres-{}", sub.get_name());
            let bin = name.replace('-', " ");
            sub.name(name).bin_name(bin)
        }
    };
    let mut out = std::io::stdout().lock();
    clap_mangen::Man::new(page)
        .render(&mut out)
        .context("writing the man page")?;
    out.flush().context("writing to stdout")?;
    Ok(ExitCode::SUCCESS)
}
