//! The command line's definition (clap): subcommands, their arguments and help, and the
//! typed values the arguments are read into. Nothing here runs a command.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;

/// The index folder used when none is given.
pub(crate) const DEFAULT_INDEX: &str = "index";
/// The corpus folder read when no path is given.
pub(crate) const DEFAULT_CORPUS: &str = "corpus";

/// The paths given, or the default corpus folder.
pub(crate) fn default_paths(paths: Vec<PathBuf>) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![PathBuf::from(DEFAULT_CORPUS)]
    } else {
        paths
    }
}

/// Exact, fast paragraph-level search of the UN General Assembly's disarmament resolutions
/// in Chinese.
#[derive(Debug, Parser)]
#[command(name = "unres", version, about)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Print every paragraph and footnote as one JSON object per line.
    Export {
        /// Files or folders to read [default: corpus]
        paths: Vec<PathBuf>,
    },
    /// Build or update the index (only new, changed and deleted files are handled).
    Index {
        /// Files or folders to index [default: corpus]
        paths: Vec<PathBuf>,
        /// The index folder.
        #[arg(long, default_value = DEFAULT_INDEX)]
        index: PathBuf,
        /// Worker threads [default: the number of cores]
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..=256))]
        threads: Option<u16>,
        /// The index writer's memory in MB, shared by its threads (at least 20 a thread)
        /// [default: 300]
        #[arg(long, value_name = "MB", value_parser = clap::value_parser!(u32).range(20..=1_000_000))]
        memory: Option<u32>,
        /// Discard the index and build it again from scratch.
        #[arg(long)]
        rebuild: bool,
    },
    /// Search the index.
    #[command(after_help = QUERY_HELP)]
    Search(SearchArgs),
    /// Print a resolution, or one of its records with its footnotes.
    Show(ShowArgs),
    /// Compare two versions of a resolution paragraph by paragraph (with one symbol, the
    /// previous member of its series).
    Diff(DiffArgs),
    /// The history of one paragraph back through its resolution's series, newest first.
    History(HistoryArgs),
    /// Count records by session and kind.
    Stats {
        /// The index folder [default: index, built or updated from ./corpus when needed]
        #[arg(long)]
        index: Option<PathBuf>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Serve the index to a browser (a search page) and to other programs (a JSON API) on
    /// this machine.
    #[cfg(feature = "serve")]
    Serve(ServeArgs),
    /// Print a shell completion script, generated from this command line's definition.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print a man page (roff), generated from this command line's definition: unres(1),
    /// or unres-SUBCOMMAND(1) for one subcommand.
    Man {
        /// A subcommand, e.g. search.
        subcommand: Option<String>,
    },
}

pub(crate) const QUERY_HELP: &str = "\
Query language:
  小武器                 records containing it (spaces, full/half width and case ignored)
  小武器 妇女            both terms
  \"2022 年 6 月\"         a quoted term keeps its spaces (and its OR)
  -同上                  exclude records containing it (options may come anywhere)
  輕武器                 traditional characters find the simplified text
  行动纲领 OR 国际追查文书  either
  kind:operative         also preamble, footnote, annex
  session:78  year:2023  symbol:A/RES/78/46
  cites:A/RES/77/71      paragraphs citing it directly or through their footnotes

Exit status: 0 if records were found, 1 if none, 2 on error.";

#[derive(Debug, Args)]
pub(crate) struct SearchArgs {
    /// The query (several words are joined with spaces); may be left out when a filter
    /// flag is given.
    pub(crate) query: Vec<String>,
    /// The index folder [default: index, built or updated from ./corpus when needed]
    #[arg(long)]
    pub(crate) index: Option<PathBuf>,
    /// Only records of this kind: preamble, operative, footnote or annex.
    #[arg(long)]
    pub(crate) kind: Option<String>,
    /// Only this session, or a range of sessions (78, 70-78).
    #[arg(long)]
    pub(crate) session: Option<String>,
    /// Only this year.
    #[arg(long)]
    pub(crate) year: Option<String>,
    /// Only this resolution, e.g. A/RES/78/46
    #[arg(long)]
    pub(crate) symbol: Option<String>,
    /// Only records citing this symbol.
    #[arg(long)]
    pub(crate) cites: Option<String>,
    /// At most this many hits.
    #[arg(long, default_value_t = 10)]
    pub(crate) limit: usize,
    /// Skip this many hits.
    #[arg(long, default_value_t = 0)]
    pub(crate) offset: usize,
    /// Print only the number of matching records (with --collapse, of paragraphs).
    #[arg(long, conflicts_with_all = ["json", "by_resolution"])]
    pub(crate) count: bool,
    /// Show each paragraph of a series once, in its newest version, with the other
    /// sessions where the same text matches.
    #[arg(long, conflicts_with = "by_resolution")]
    pub(crate) collapse: bool,
    /// List the matching resolutions, one line each with its number of matching records
    /// (all of them; --limit and --offset page records only).
    #[arg(long)]
    pub(crate) by_resolution: bool,
    /// Count the matching records in each session: one line a session with a bar (with
    /// --json, one object a session).
    #[arg(long, conflicts_with_all = ["collapse", "by_resolution", "count"])]
    pub(crate) by_session: bool,
    /// Order of records (and of resolutions with --by-resolution).
    #[arg(long, value_enum, default_value_t = unres::Sort::Relevance)]
    pub(crate) sort: unres::Sort,
    /// One JSON object per hit.
    #[arg(long)]
    pub(crate) json: bool,
    /// Colour the matches.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub(crate) color: Color,
}

#[derive(Debug, Args)]
pub(crate) struct ShowArgs {
    /// The resolution's symbol, then a part letter and one record if wanted:
    /// A/RES/78/46, A/RES/78/46 op.23, A/RES/78/47 B fn.3 (records: op.N, pre.N, fn.N, annex.N)
    #[arg(required = true, num_args = 1..=3, value_name = "REFERENCE")]
    pub(crate) reference: Vec<String>,
    /// One JSON object per record.
    #[arg(long)]
    pub(crate) json: bool,
    /// Colour the headers.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub(crate) color: Color,
    /// The index folder [default: index, built or updated from ./corpus when needed]
    #[arg(long)]
    pub(crate) index: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct DiffArgs {
    /// OLD NEW, or NEW alone to compare it with the previous member of its series.
    #[arg(num_args = 1..=2, required = true, value_name = "SYMBOL")]
    pub(crate) symbols: Vec<String>,
    /// Only the paragraphs that changed, are new, dropped or moved.
    #[arg(long)]
    pub(crate) changed: bool,
    /// Print one JSON object per paragraph.
    #[arg(long)]
    pub(crate) json: bool,
    /// Colour the changes.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub(crate) color: Color,
    /// The index folder [default: index, built or updated from ./corpus when needed]
    #[arg(long)]
    pub(crate) index: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct HistoryArgs {
    /// The resolution's symbol, a part letter if wanted, and the paragraph:
    /// A/RES/78/46 op.17, A/RES/78/47 B pre.2 (paragraphs: op.N, pre.N, annex.N, fn.N)
    #[arg(required = true, num_args = 1..=3, value_name = "REFERENCE")]
    pub(crate) reference: Vec<String>,
    /// Print one JSON object per version.
    #[arg(long)]
    pub(crate) json: bool,
    /// Colour the changes.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub(crate) color: Color,
    /// The index folder [default: index, built or updated from ./corpus when needed]
    #[arg(long)]
    pub(crate) index: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Color {
    Auto,
    Always,
    Never,
}

impl Cli {
    /// Parses the process arguments; usage errors exit with status 2. In `search`, an
    /// argument such as `-妇女` is query text (see [`args`]).
    pub(crate) fn parse_args() -> Self {
        use clap::CommandFactory;
        let args = super::args::rewrite(&Cli::command(), std::env::args_os().collect());
        Cli::parse_from(args)
    }
}

impl Color {
    pub(crate) fn on_stdout(self) -> bool {
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        }
    }
}

#[cfg(feature = "serve")]
/// The arguments of `unres serve`.
#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// The index folder [default: index, built or updated from ./corpus when needed, and
    /// kept current while serving]
    #[arg(long)]
    pub(crate) index: Option<PathBuf>,
    /// The address to listen on: a loopback address unless --public is given (port 0
    /// picks a free port).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "IP:PORT")]
    pub(crate) addr: String,
    /// Allow an address other than a loopback one (anyone who can reach it can then read
    /// the index) and requests naming any host.
    #[arg(long)]
    pub(crate) public: bool,
    /// Open the page in the default browser (with xdg-open, when there is one).
    #[arg(long)]
    pub(crate) open: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
