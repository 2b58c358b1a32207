//! Command-line definition (clap) and the glue from each subcommand to the library.

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Exact, fast paragraph-level search of the UN General Assembly's disarmament resolutions
/// in Chinese.
#[derive(Debug, Parser)]
#[command(name = "unres", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print every paragraph and footnote as one JSON object per line.
    Export {
        /// Files or folders to read [default: corpus]
        paths: Vec<PathBuf>,
    },
}

impl Cli {
    /// Parses the process arguments; usage errors exit with status 2.
    pub fn parse_args() -> Self {
        Cli::parse()
    }
}

/// Runs one subcommand and returns the exit status.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Export { paths } => export(default_paths(paths)),
    }
}

fn default_paths(paths: Vec<PathBuf>) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![PathBuf::from("corpus")]
    } else {
        paths
    }
}

fn export(paths: Vec<PathBuf>) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = 0usize;
    for parsed in unres::corpus::parse_paths(&paths) {
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

#[cfg(test)]
mod tests {
    #[test]
    fn cli_definition_is_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
