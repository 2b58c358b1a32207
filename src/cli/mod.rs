//! The `unres` command line: `defs` declares it (clap), `args` lets `-妇女` be query text,
//! `open` opens the index with a progress bar, `search` turns flags into one
//! [`unres::Request`] and prints its [`unres::Answer`], `show` prints a resolution or a
//! record, `commands` runs the other subcommands, `print` and `print_diff` format what they print. This module dispatches a
//! parsed command line and keeps the helpers every command shares.

mod args;
mod commands;
mod defs;
mod open;
mod print;
mod print_diff;
mod search;
#[cfg(feature = "serve")]
mod serve;
mod show;

use anyhow::Result;
use std::process::ExitCode;

use commands::{diff, export, history, index_cmd, stats};
pub(crate) use defs::Cli;
use defs::{default_paths, Command};
use search::search;
use show::show;

/// Runs one subcommand and returns the exit status.
pub(crate) fn run(cli: Cli) -> Result<ExitCode> {
    let reads_few = match &cli.command {
        // A listing by resolution fills tables of every matching resolution.
        Command::Search(args) => !args.by_resolution,
        Command::Show(_) | Command::Diff(_) | Command::History(_) | Command::Stats { .. } => true,
        Command::Completions { .. } | Command::Man { .. } => true,
        _ => false,
    };
    if !reads_few {
        huge_pages(true);
    }
    match cli.command {
        Command::Export { paths } => export(&default_paths(paths)),
        Command::Index {
            paths,
            index,
            threads,
            memory,
            rebuild,
        } => index_cmd(&index, &default_paths(paths), (threads, memory), rebuild),
        Command::Search(args) => search(args),
        Command::Show(args) => show(args),
        Command::Diff(args) => diff(args),
        Command::History(args) => history(args),
        Command::Stats { index, json } => stats(index.as_deref(), json),
        Command::Completions { shell } => commands::completions(shell),
        Command::Man { subcommand } => commands::man(subcommand.as_deref()),
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve::serve(args),
    }
}

/// Whether the process's fresh memory may come in transparent huge pages. The allocator asks
/// for them, and the kernel zeroes 2 MiB at a time on first touch: a tenth of a first
/// page's process went there, for pages it never filled. The process starts without them
/// (`main.rs`); builds, exports, the server and listings by resolution turn them back on (a
/// build is about a tenth faster with them, and peaks higher; a listing at 50,000 files a
/// sixth).
pub(crate) fn huge_pages(on: bool) {
    #[cfg(target_os = "linux")]
    {
        // Only a hint to the kernel: an error leaves the process as it was.
        let _ = rustix::thread::disable_transparent_huge_pages(!on);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = on;
}
