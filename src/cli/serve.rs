//! `unres serve`: the search page and the JSON API over the index, on this machine.

use anyhow::Result;
use clap::Args;
use std::process::ExitCode;

/// The arguments of `unres serve`.
#[derive(Debug, Args)]
pub(crate) struct ServeArgs {}

/// Runs the server until it is stopped.
pub(crate) fn serve(_args: ServeArgs) -> Result<ExitCode> {
    anyhow::bail!("unres serve is not built yet")
}
