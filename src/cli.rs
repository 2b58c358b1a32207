//! Command-line definition (clap) and the glue from each subcommand to the library:
//! arguments are checked here, the work is done by `unres`, results are printed here.

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use unres::{snippet, Atom, BuildOptions, BuildReport, SearchOptions, Sort, UnresIndex};
use unres::{Kind, Record};

use crate::cli_diff;

const DEFAULT_INDEX: &str = "index";
const DEFAULT_CORPUS: &str = "corpus";
const SNIPPET_CHARS: usize = 80;

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
        /// Discard the index and build it again from scratch.
        #[arg(long)]
        rebuild: bool,
    },
    /// Search the index.
    #[command(after_help = QUERY_HELP)]
    Search(SearchArgs),
    /// Print a resolution, or one of its records with its footnotes.
    Show {
        /// The resolution's symbol, e.g. A/RES/78/46
        symbol: String,
        /// One record: op.23, pre.5, fn.3 or annex.2
        record: Option<String>,
        /// The index folder [default: index, built or updated from ./corpus when needed]
        #[arg(long)]
        index: Option<PathBuf>,
    },
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

const QUERY_HELP: &str = "\
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
struct SearchArgs {
    /// The query (several words are joined with spaces); may be left out when a filter
    /// flag is given.
    query: Vec<String>,
    /// The index folder [default: index, built or updated from ./corpus when needed]
    #[arg(long)]
    index: Option<PathBuf>,
    /// Only records of this kind.
    #[arg(long, value_parser = parse_kind)]
    kind: Option<Kind>,
    /// Only this session.
    #[arg(long)]
    session: Option<u32>,
    /// Only this year.
    #[arg(long)]
    year: Option<u32>,
    /// Only this resolution, e.g. A/RES/78/46
    #[arg(long)]
    symbol: Option<String>,
    /// Only records citing this symbol.
    #[arg(long)]
    cites: Option<String>,
    /// At most this many hits.
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Skip this many hits.
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// Print only the number of matching records (with --collapse, of paragraphs).
    #[arg(long, conflicts_with_all = ["json", "by_resolution"])]
    count: bool,
    /// Show each paragraph of a series once, in its newest version, with the other
    /// sessions where the same text matches.
    #[arg(long, conflicts_with = "by_resolution")]
    collapse: bool,
    /// List the matching resolutions, one line each with its number of matching records
    /// (all of them; --limit and --offset page records only).
    #[arg(long)]
    by_resolution: bool,
    /// Order of records (and of resolutions with --by-resolution).
    #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
    sort: SortArg,
    /// One JSON object per hit.
    #[arg(long)]
    json: bool,
    /// Colour the matches.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SortArg {
    /// Best match first (resolutions: most matching records first).
    Relevance,
    /// Latest adoption date first.
    Newest,
    /// Earliest adoption date first.
    Oldest,
}

impl SortArg {
    fn sort(self) -> Sort {
        match self {
            SortArg::Relevance => Sort::Relevance,
            SortArg::Newest => Sort::Newest,
            SortArg::Oldest => Sort::Oldest,
        }
    }
}

#[derive(Debug, Args)]
struct DiffArgs {
    /// OLD NEW, or NEW alone to compare it with the previous member of its series.
    #[arg(num_args = 1..=2, required = true, value_name = "SYMBOL")]
    symbols: Vec<String>,
    /// Only the paragraphs that changed, are new, dropped or moved.
    #[arg(long)]
    changed: bool,
    /// Print one JSON object per paragraph.
    #[arg(long)]
    json: bool,
    /// Colour the changes.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// The index folder [default: index, built or updated from ./corpus when needed]
    #[arg(long)]
    index: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct HistoryArgs {
    /// The resolution's symbol, e.g. A/RES/78/46
    symbol: String,
    /// The paragraph: op.17, pre.2, annex.3 or fn.4
    record: String,
    /// Print one JSON object per version.
    #[arg(long)]
    json: bool,
    /// Colour the changes.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// The index folder [default: index, built or updated from ./corpus when needed]
    #[arg(long)]
    index: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

fn parse_kind(s: &str) -> Result<Kind, String> {
    Kind::parse(s).ok_or_else(|| {
        format!("unknown kind `{s}`; expected preamble, operative, footnote or annex")
    })
}

impl Cli {
    /// Parses the process arguments; usage errors exit with status 2. In `search`, an
    /// argument such as `-妇女` is query text (see [`crate::cli_args`]).
    pub fn parse_args() -> Self {
        use clap::CommandFactory;
        let args = crate::cli_args::rewrite(&Cli::command(), std::env::args_os().collect());
        Cli::parse_from(args)
    }
}

/// Runs one subcommand and returns the exit status.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Export { paths } => export(&default_paths(paths)),
        Command::Index {
            paths,
            index,
            threads,
            rebuild,
        } => index_cmd(&index, &default_paths(paths), threads, rebuild),
        Command::Search(args) => search(args),
        Command::Show {
            symbol,
            record,
            index,
        } => show(index.as_deref(), &symbol, record.as_deref()),
        Command::Diff(args) => diff(args),
        Command::History(args) => history(args),
        Command::Stats { index, json } => stats(index.as_deref(), json),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let mut cmd = Cli::command();
            let mut out = std::io::stdout().lock();
            clap_complete::generate(shell, &mut cmd, "unres", &mut out);
            out.flush().context("writing to stdout")?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Man { subcommand } => {
            use clap::CommandFactory;
            let mut cmd = Cli::command();
            cmd.build();
            let page = match subcommand {
                None => cmd,
                Some(name) => {
                    let Some(sub) = cmd.find_subcommand(&name).filter(|c| !c.is_hide_set()) else {
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
    }
}

fn default_paths(paths: Vec<PathBuf>) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![PathBuf::from(DEFAULT_CORPUS)]
    } else {
        paths
    }
}

fn export(paths: &[PathBuf]) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = 0usize;
    for parsed in unres::parse_paths(paths) {
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

fn progress_bar() -> Option<indicatif::ProgressBar> {
    if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} indexing [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        Some(bar)
    } else {
        None
    }
}

fn build_with_progress(
    index: &Path,
    paths: &[PathBuf],
    opts: &BuildOptions,
) -> Result<BuildReport> {
    let bar = progress_bar();
    let progress = |done: u64, total: u64| {
        if let Some(b) = &bar {
            b.set_length(total);
            b.set_position(done);
        }
    };
    let report = unres::build_index(index, paths, opts, &progress)?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    Ok(report)
}

fn index_cmd(
    index: &Path,
    paths: &[PathBuf],
    threads: Option<u16>,
    rebuild: bool,
) -> Result<ExitCode> {
    let mut opts = BuildOptions {
        rebuild,
        ..BuildOptions::default()
    };
    if let Some(t) = threads {
        opts.threads = usize::from(t);
    }
    let report = build_with_progress(index, paths, &opts)?;
    for f in &report.failed {
        eprintln!("unres: skipped {}", f.reason);
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

/// Opens the index and runs `work` on it. A folder given with `--index` is opened as it is;
/// the default one is built from ./corpus when it is missing and brought up to date when the
/// corpus changed ([`unres::open_or_update_with`]).
fn open_index<T>(
    explicit: Option<&Path>,
    work: impl Fn(&UnresIndex) -> unres::Result<T>,
) -> Result<(UnresIndex, T)> {
    let plain = |dir: &Path| -> Result<(UnresIndex, T)> {
        let index = unres::open_index(dir)?;
        let out = work(&index)?;
        Ok((index, out))
    };
    if let Some(dir) = explicit {
        return plain(dir);
    }
    let dir = Path::new(DEFAULT_INDEX);
    let corpus = Path::new(DEFAULT_CORPUS);
    if !corpus.is_dir() {
        return plain(dir);
    }
    let bar = progress_bar();
    let progress = |done: u64, total: u64| {
        if let Some(b) = &bar {
            b.set_length(total);
            b.set_position(done);
        }
    };
    let announce = |missing: bool| {
        if missing {
            eprintln!(
                "unres: no index yet; building it from {}/ …",
                corpus.display()
            );
        }
    };
    let (index, out, fresh) = unres::open_or_update_with(
        dir,
        &[corpus.to_path_buf()],
        &BuildOptions::default(),
        &progress,
        &announce,
        &work,
    )?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if let Some(report) = &fresh.updated {
        if report.committed && !fresh.built {
            eprintln!(
                "unres: {}/ changed; updating the index: {} file{} read, {} removed",
                corpus.display(),
                report.reindexed,
                if report.reindexed == 1 { "" } else { "s" },
                report.removed
            );
        }
        for f in &report.failed {
            eprintln!("unres: skipped {}", f.reason);
        }
    }
    if fresh.stale_while_locked {
        eprintln!(
            "unres: {}/ changed but another process is updating the index; searching the last committed index",
            corpus.display()
        );
    }
    Ok((index, out))
}

/// What a search computes before printing.
enum Answer {
    Count(usize),
    Resolutions(Vec<unres::ResolutionCount>),
    Page(unres::SearchResults),
    Collapsed(unres::CollapsedResults),
}

fn search(args: SearchArgs) -> Result<ExitCode> {
    let q = search_query(&args)?;
    let opts = SearchOptions {
        limit: args.limit,
        offset: args.offset,
        ..SearchOptions::default()
    };
    let sort = args.sort.sort();
    let (index, answer) = open_index(args.index.as_deref(), |index| {
        Ok(if args.count && args.collapse {
            Answer::Count(index.count_collapsed(&q)?)
        } else if args.count {
            Answer::Count(index.count(&q)?)
        } else if args.collapse {
            Answer::Collapsed(index.search_collapsed(&q, opts, sort)?)
        } else if args.by_resolution {
            Answer::Resolutions(index.resolutions(&q, sort)?)
        } else {
            Answer::Page(index.search_sorted(&q, opts, sort)?)
        })
    })?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let results = match answer {
        Answer::Count(n) => {
            writeln!(out, "{n}")?;
            out.flush()?;
            return Ok(found(n));
        }
        Answer::Resolutions(list) => {
            print_resolutions(&mut out, &list, args.json)?;
            out.flush()?;
            return Ok(found(list.len()));
        }
        Answer::Page(results) => results,
        Answer::Collapsed(results) => {
            print_collapsed(&mut out, &index, &args, &results)?;
            out.flush()?;
            return Ok(found(results.total));
        }
    };
    let color = args.color.on_stdout();
    for hit in &results.hits {
        if args.json {
            print_hit_json(&mut out, hit, None)?;
        } else {
            print_hit(&mut out, &index, hit, None, color)?;
        }
    }
    if !args.json {
        let page = shown(args.offset, results.hits.len());
        if results.total_exact {
            writeln!(
                out,
                "{} record{} match; {page}",
                results.total,
                if results.total == 1 { "" } else { "s" },
            )?;
        } else {
            writeln!(
                out,
                "at least {} records match (--count counts them all); {page}",
                results.total
            )?;
        }
    }
    out.flush()?;
    Ok(found(results.total))
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
    index: &UnresIndex,
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
                "{} paragraph{} match ({} record{}); {page}",
                results.total,
                if results.total == 1 { "" } else { "s" },
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

/// `also in 77/71, 76/232, 75/60, 74/50 … 66/40 (12 sessions)`: the other resolutions of
/// the series where a paragraph matches unchanged, at most five of them named.
fn also_line(also: &[unres::AlsoIn]) -> String {
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

/// The query typed, with the filter flags added as required atoms.
fn search_query(args: &SearchArgs) -> Result<unres::Query> {
    let text = args.query.join(" ");
    let has_flags = args.kind.is_some()
        || args.session.is_some()
        || args.year.is_some()
        || args.symbol.is_some()
        || args.cites.is_some();
    let mut q = if has_flags && text.trim().is_empty() {
        unres::Query::default()
    } else {
        unres::parse_query(&text)?
    };
    if let Some(k) = args.kind {
        q.require(Atom::Kind(k));
    }
    if let Some(s) = args.session {
        q.require(Atom::Session(s));
    }
    if let Some(y) = args.year {
        q.require(Atom::Year(y));
    }
    if let Some(s) = &args.symbol {
        q.require(Atom::Symbol(s.clone()));
    }
    if let Some(c) = &args.cites {
        q.require(Atom::Cites(c.clone()));
    }
    Ok(q)
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

/// A hit as one JSON object: the export record plus place, score, snippet and highlights
/// (and, collapsed, `also_in`: the other resolutions where its text matches).
fn print_hit_json(
    out: &mut impl Write,
    hit: &unres::Hit,
    also_in: Option<&[unres::AlsoIn]>,
) -> Result<()> {
    let snip = snippet(&hit.record.text, &hit.highlights, SNIPPET_CHARS);
    let mut v = serde_json::to_value(&hit.record).context("encoding a hit")?;
    let obj = v.as_object_mut().expect("a record is an object");
    obj.insert("place".into(), hit.record.place().into());
    obj.insert("score".into(), serde_json::json!(hit.score));
    obj.insert("snippet".into(), snip.text.into());
    obj.insert(
        "snippet_highlights".into(),
        serde_json::json!(snip.highlights),
    );
    obj.insert("highlights".into(), serde_json::json!(hit.highlights));
    if let Some(also) = also_in {
        obj.insert("also_in".into(), serde_json::json!(also));
    }
    serde_json::to_writer(&mut *out, &v).context("writing JSON")?;
    writeln!(out)?;
    Ok(())
}

/// A hit for the terminal: its place, a snippet with the matches marked, the records
/// related to it (a paragraph's footnotes, a footnote's paragraphs) and, collapsed, the
/// other sessions where its text matches.
fn print_hit(
    out: &mut impl Write,
    index: &UnresIndex,
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

fn found(n: usize) -> ExitCode {
    if n > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn header(r: &Record, color: bool) -> String {
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
fn related_label(rel: &Record) -> String {
    if rel.kind == Kind::Footnote {
        format!("脚注 {}", rel.para)
    } else {
        format!("引用处 {}第 {} 段", rel.kind.chinese(), rel.para)
    }
}

fn dim(s: &str, color: bool) -> String {
    if color {
        format!("\x1b[2m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

/// The text with its highlighted ranges marked: colour on a terminal, « » otherwise.
fn paint(text: &str, ranges: &[(usize, usize)], color: bool) -> String {
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

fn show(index: Option<&Path>, symbol: &str, reference: Option<&str>) -> Result<ExitCode> {
    let mut q = unres::Query::default();
    q.require(Atom::Symbol(symbol.to_string()));
    let (index, records) = open_index(index, |index| index.records(&q))?;
    if records.is_empty() {
        eprintln!("unres: no resolution {symbol} in the index");
        return Ok(ExitCode::from(1));
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if let Some(reference) = reference {
        let (kind, n) = parse_ref(reference)?;
        let hits: Vec<&Record> = records
            .iter()
            .filter(|r| r.kind == kind && r.para == n)
            .collect();
        if hits.is_empty() {
            eprintln!("unres: {symbol} has no {reference}");
            return Ok(ExitCode::from(1));
        }
        for r in hits {
            writeln!(out, "{}", header(r, false))?;
            writeln!(out, "{}", r.text)?;
            for rel in index.related(r)? {
                writeln!(out, "  {}: {}", related_label(&rel), rel.text)?;
            }
        }
    } else {
        let first = &records[0];
        writeln!(out, "{}  {}", first.symbol, first.title)?;
        writeln!(
            out,
            "第 {} 届会议 · {} · 第 {} 次全体会议",
            first.session,
            first.date.as_deref().unwrap_or("日期不详"),
            first.meeting.map_or("?".to_string(), |m| m.to_string())
        )?;
        let mut part = None;
        for r in &records {
            if r.part != part {
                part = r.part.clone();
                if let Some(p) = &part {
                    writeln!(out, "\n{p}. {}", r.title)?;
                }
            }
            let label = match r.kind {
                Kind::Footnote => format!("脚注 {}", r.para),
                k => format!("{}第 {} 段", k.chinese(), r.para),
            };
            writeln!(out, "\n[{}] {label}\n{}", r.short_ref(), r.text)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

impl Color {
    fn on_stdout(self) -> bool {
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        }
    }
}

/// The first part of a resolution from the index, or a message and exit status 1.
fn one_resolution(index: &UnresIndex, symbol: &str) -> Result<Option<unres::Resolution>> {
    let found = index.resolution(symbol)?.into_iter().next();
    if found.is_none() {
        eprintln!("unres: no resolution {symbol} in the index");
    }
    Ok(found)
}

fn diff(args: DiffArgs) -> Result<ExitCode> {
    let (index, ()) = open_index(args.index.as_deref(), |_| Ok(()))?;
    let Some(new) = one_resolution(&index, args.symbols.last().expect("one or two"))? else {
        return Ok(ExitCode::from(1));
    };
    let old = if args.symbols.len() == 2 {
        one_resolution(&index, &args.symbols[0])?
    } else {
        let previous = index.previous(&new)?;
        if previous.is_none() {
            eprintln!("unres: {} has no earlier member in its series", new.symbol);
        }
        previous
    };
    let Some(old) = old else {
        return Ok(ExitCode::from(1));
    };
    let d = unres::diff_resolutions(&old, &new);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        cli_diff::print_diff_json(&mut out, &d, args.changed)?;
    } else {
        cli_diff::print_diff(&mut out, &d, args.changed, args.color.on_stdout())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn history(args: HistoryArgs) -> Result<ExitCode> {
    let (kind, n) = parse_ref(&args.record)?;
    let (index, ()) = open_index(args.index.as_deref(), |_| Ok(()))?;
    let steps = index.history(&args.symbol, kind, n)?;
    if steps.is_empty() {
        eprintln!("unres: no {} {} in the index", args.symbol, args.record);
        return Ok(ExitCode::from(1));
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    cli_diff::print_history(&mut out, &steps, args.json, args.color.on_stdout())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn parse_ref(s: &str) -> Result<(Kind, u32)> {
    let Some((k, n)) = s.split_once('.') else {
        bail!("record reference `{s}`: expected op.N, pre.N, fn.N or annex.N");
    };
    let kind = Kind::parse(k).with_context(|| {
        format!("record reference `{s}`: unknown kind `{k}` (op, pre, fn, annex)")
    })?;
    let n = n
        .parse()
        .with_context(|| format!("record reference `{s}`: `{n}` is not a number"))?;
    Ok((kind, n))
}

fn stats(index: Option<&Path>, json: bool) -> Result<ExitCode> {
    let (_, s) = open_index(index, UnresIndex::stats)?;
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

#[cfg(test)]
mod tests {
    #[test]
    fn cli_definition_is_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }

    #[test]
    fn paint_marks_ranges() {
        assert_eq!(
            super::paint("小武器和轻武器", &[(0, 3)], false),
            "«小武器»和轻武器"
        );
    }
}
