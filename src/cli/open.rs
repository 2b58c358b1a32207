//! Opening the index for a command, with a progress bar on a terminal: a folder given with
//! `--index` is opened as it is; the default `index/` is built from `corpus/` when missing
//! and brought up to date when the corpus changed, saying so on stderr.

use super::defs::{DEFAULT_CORPUS, DEFAULT_INDEX};
use anyhow::Result;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use unres::{BuildOptions, BuildReport, Index};

pub(crate) fn progress_bar() -> Option<indicatif::ProgressBar> {
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

pub(crate) fn build_with_progress(
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

/// [`open_index`] for a command that ends with the process: the index is never dropped.
/// Dropping it would unmap its files one at a time (six a segment, a dozen segments at
/// 50,000 files); the process exits next, and the kernel then takes down its whole address
/// space at once, sooner (docs/BENCHMARKS.md). A long-lived process (`unres serve`) drops
/// what it opens.
pub(crate) fn open_for_command<T>(
    explicit: Option<&Path>,
    work: impl Fn(&Index) -> unres::Result<T>,
) -> Result<(std::mem::ManuallyDrop<Index>, T)> {
    let (index, out) = open_index(explicit, work)?;
    Ok((std::mem::ManuallyDrop::new(index), out))
}

/// Opens the index and runs `work` on it. A folder given with `--index` is opened as it is;
/// the default one is built from ./corpus when it is missing and brought up to date when the
/// corpus changed ([`unres::open_or_update_with`]).
pub(crate) fn open_index<T>(
    explicit: Option<&Path>,
    work: impl Fn(&Index) -> unres::Result<T>,
) -> Result<(Index, T)> {
    let plain = |dir: &Path| -> Result<(Index, T)> {
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
    let announce = |why: unres::Update| match why {
        unres::Update::Build => {
            eprintln!(
                "unres: no index yet; building it from {}/ …",
                corpus.display()
            );
        }
        unres::Update::Rebuild { found } => {
            eprintln!(
                "unres: {}/ was written by another version of unres (index format {found}); rebuilding it from {}/ …",
                dir.display(),
                corpus.display()
            );
        }
        unres::Update::Changes => {}
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
    say_what_changed(corpus, &fresh);
    Ok((index, out))
}

/// Says on stderr what opening the default index did besides opening: an update, the
/// duplicates and skipped files it met, or why the last commit answers.
fn say_what_changed(corpus: &Path, fresh: &unres::Freshness) {
    for note in fresh.notes(&format!("{}/", corpus.display())) {
        eprintln!("unres: {note}");
    }
}
