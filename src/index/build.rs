//! Building and updating an index: the files under the roots compared with the manifest,
//! the new and changed ones read and parsed in parallel (rayon feeds one tantivy writer),
//! the records of changed and removed files replaced, duplicates settled (one file's
//! records for each resolution, see [`crate::index::kept`]), and one commit that makes
//! everything visible at once with its manifest and series links.

use crate::error::{Error, Result};
use crate::index::folder::lock::{WriterLock, LOCK_FILE};
use crate::index::folder::FORMAT_VERSION;
use crate::index::folder::{
    clear_dir, encode_manifest, file_key, is_index_dir, key_path, manifest_name, next_generation,
    payload_of, read_manifest, remove_old_manifests, stat, write_atomically, Manifest, Payload,
};
use crate::index::ingest::{sample_records, Candidate, Ingest};
use crate::index::kept::Kept;
use crate::index::open::{check_format, damaged, fields_of, is_unfinished};
use crate::index::packed::{Dictionary, Packer};
use crate::index::schema::{register_tokenizers, schema, Fields};
use crate::index::segments;
use crate::parse::duplicates::Duplicate;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;
use tantivy::directory::error::LockError;
use tantivy::index::SegmentId;
use tantivy::{Index as TantivyIndex, IndexWriter, Term};

/// The store's block: what reading one record copies out of the store (its frames are
/// compressed already, one a record).
const DOCSTORE_BLOCK: usize = 16 * 1024;

/// How to build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Worker threads for parsing and for the writer (at least 1).
    pub threads: usize,
    /// Start over: discard the existing index.
    pub rebuild: bool,
    /// The writer's memory budget in bytes, shared by its threads.
    pub memory_budget: usize,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
            rebuild: false,
            memory_budget: 300_000_000,
        }
    }
}

/// A file that could not be indexed, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedFile {
    /// The file.
    pub path: String,
    /// The reason, naming the line where there is one.
    pub reason: String,
}

/// What a build did.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    /// Files found under the roots.
    pub files: usize,
    /// Files read and parsed this time: new or changed, and unchanged ones read again
    /// because a resolution of theirs left out as a duplicate is now kept.
    pub reindexed: usize,
    /// Files whose records were removed because the file is gone.
    pub removed: usize,
    /// Resolutions (parts) in the index after the build.
    pub resolutions: usize,
    /// Paragraphs in the index after the build.
    pub paragraphs: usize,
    /// Footnotes in the index after the build.
    pub footnotes: usize,
    /// Files that could not be read, with the reason.
    pub failed: Vec<FailedFile>,
    /// Bytes read and parsed this time.
    pub bytes: u64,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Whether anything was written (false when nothing changed).
    pub committed: bool,
    /// Resolutions (symbol and part) given by more than one file, each with the file
    /// indexed and the files left out, in order of symbol and part. The resolution is
    /// counted once, in `resolutions`, `paragraphs` and `footnotes`.
    pub duplicates: Vec<Duplicate>,
    /// Why the segments the build wrote could not be merged once it had committed (a full
    /// disk): the build is committed all the same, its index answering from more segments.
    pub unmerged: Option<String>,
}

/// Called with the number of bytes of input processed so far, and the total to process.
pub type Progress<'a> = &'a (dyn Fn(u64, u64) + Sync);

/// Builds or updates the index in `dir` from the files under `roots`, step by step: the
/// folder is checked and locked, the [`Current`] index read, a [`Plan`] made of what
/// changed, the index opened or created, the changed files ingested in parallel, and one
/// commit makes everything visible at once (a build killed before it changes nothing).
pub(crate) fn build(
    dir: &Path,
    roots: &[PathBuf],
    opts: &BuildOptions,
    progress: Progress<'_>,
) -> Result<BuildReport> {
    build_steps(dir, roots, opts, progress).map_err(|e| {
        if e.is_disk_full() {
            Error::DiskFull {
                path: dir.into(),
                detail: e.to_string(),
            }
        } else {
            e
        }
    })
}

fn build_steps(
    dir: &Path,
    roots: &[PathBuf],
    opts: &BuildOptions,
    progress: Progress<'_>,
) -> Result<BuildReport> {
    let start = Instant::now();
    check_target(dir, opts.rebuild)?;
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    // Held until the build ends: nothing below races another `unres index`.
    let _lock = WriterLock::acquire(dir)?;
    let current = Current::read(dir, opts.rebuild)?;
    // Files are keyed from the index folder's own place ([`file_key`]).
    let base = PathBuf::from(crate::read::canonical(dir));
    let plan = Plan::make(&base, roots, &current.old);
    let mut report = BuildReport {
        files: plan.files,
        failed: plan.failed.clone(),
        ..BuildReport::default()
    };
    let mut manifest = plan.unchanged;
    if current.index.is_some() && !current.rebuild && plan.todo.is_empty() && plan.gone.is_empty() {
        finish_report(&mut report, &manifest, start);
        return Ok(report);
    }
    // Records are replaced file by file only in an index that keeps its records; a rebuild
    // of a current index drops them all in the same commit, so that a rebuild killed
    // half-way leaves the previous index intact.
    let replaces = current.index.is_some() && !current.rebuild;
    let drops_all = current.index.is_some() && current.rebuild;
    let kept_dictionary = current
        .index
        .as_ref()
        .filter(|_| replaces)
        .and_then(payload_of)
        .and_then(|p| p.dictionary);
    let (index, fields) = open_or_create(dir, current.index)?;
    let before: HashSet<SegmentId> = index.searchable_segment_ids()?.into_iter().collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads.max(1))
        .build()
        .map_err(|e| Error::Threads(e.to_string()))?;
    let dictionary = dictionary_of(dir, kept_dictionary, &pool, &plan.todo)?;
    let packer = Packer::new(dictionary.as_ref());
    let writer = writer_of(dir, &index, opts)?;
    if drops_all {
        writer.delete_all_documents()?;
    }
    for k in &plan.gone {
        writer.delete_term(Term::from_field_text(fields.file, k));
    }
    report.removed = plan.gone.len();
    let ingest = Ingest {
        writer: &writer,
        fields: &fields,
        old: &current.old,
        replaces,
        base: &base,
        packer: &packer,
    };
    let reread = match ingest_and_settle(&ingest, &pool, &plan.todo, progress, &mut manifest) {
        Ok(reread) => reread,
        Err(e) => return Err(abandon(writer, e)),
    };
    report.reindexed = plan.todo.len() + reread.len();
    report.bytes = plan.todo.iter().map(|c| c.size).sum::<u64>() + reread.iter().sum::<u64>();
    let merge = Merge {
        before,
        into: opts.threads.max(1),
    };
    report.unmerged = commit(dir, writer, &manifest, dictionary.map(|d| d.name), merge)?;
    report.committed = true;
    finish_report(&mut report, &manifest, start);
    Ok(report)
}

/// Ingests the files of `todo` into the writer and their entries into `manifest`, then
/// settles the duplicates ([`Kept::settle`]: the records of resolutions newly left out
/// deleted, the files holding one newly kept read again). Returns the sizes of the files
/// read again.
fn ingest_and_settle(
    ingest: &Ingest<'_>,
    pool: &rayon::ThreadPool,
    todo: &[Candidate],
    progress: Progress<'_>,
    manifest: &mut Manifest,
) -> std::result::Result<Vec<u64>, tantivy::TantivyError> {
    let states = ingest.run(pool, todo, progress)?;
    let written: HashSet<String> = states
        .iter()
        .filter(|(_, _, wrote)| *wrote)
        .map(|(k, _, _)| k.clone())
        .collect();
    manifest
        .files
        .extend(states.into_iter().map(|(k, state, _)| (k, state)));
    let written: HashSet<&str> = written.iter().map(String::as_str).collect();
    let settle = Kept::of(manifest).settle(manifest, &Kept::of(ingest.old), &written);
    ingest.settle(&settle, manifest)?;
    Ok(settle
        .reread
        .iter()
        .filter_map(|(k, _)| manifest.files.get(k))
        .map(|s| s.size)
        .collect())
}

/// The dictionary the records of this build are compressed with. An index's records keep
/// the one they were first compressed with (`kept`); one is trained on the files to read
/// when the index has none (made now, rebuilt, or first built too small to train one).
fn dictionary_of(
    dir: &Path,
    kept: Option<String>,
    pool: &rayon::ThreadPool,
    todo: &[Candidate],
) -> Result<Option<Dictionary>> {
    if let Some(name) = kept {
        return Dictionary::read(dir, &name).map(Some);
    }
    match Dictionary::train(&sample_records(pool, todo)) {
        Some(d) => {
            d.write(dir)?;
            Ok(Some(d))
        }
        None => Ok(None),
    }
}

/// Refuses a path that is a file, and a folder of other files unless `rebuild` may
/// replace them.
fn check_target(dir: &Path, rebuild: bool) -> Result<()> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::NotAFolder { path: dir.into() });
    }
    if dir.exists() && !is_index_dir(dir) && !rebuild {
        let foreign = std::fs::read_dir(dir)
            .map_err(|e| Error::io(dir, e))?
            .any(|e| e.is_ok_and(|e| e.file_name() != ".gitkeep" && e.file_name() != LOCK_FILE));
        if foreign {
            return Err(Error::NotAnIndex {
                path: dir.into(),
                empty: false,
                building: true,
            });
        }
    }
    Ok(())
}

/// What the folder holds before a build: a current index with its manifest, or nothing to
/// keep (no index yet, an interrupted first build, or what `--rebuild` replaces).
struct Current {
    /// The index to update or to rebuild in place.
    index: Option<TantivyIndex>,
    /// All records are to be replaced (asked for, or the manifest is lost).
    rebuild: bool,
    /// What the last commit indexed, file by file.
    old: Manifest,
}

impl Current {
    fn read(dir: &Path, rebuild: bool) -> Result<Current> {
        let opened = if is_index_dir(dir) {
            match TantivyIndex::open_in_dir(dir) {
                Ok(ix) if is_unfinished(&ix) => None,
                Ok(ix) => Some(
                    check_format(dir, &ix)
                        .and_then(|()| fields_of(dir, &ix.schema()))
                        .map(|_| ix),
                ),
                Err(e) => Some(Err(damaged(
                    dir,
                    format!(
                        "cannot open the index ({})",
                        crate::error::engine_message(&e)
                    ),
                ))),
            }
        } else {
            None
        };
        let index = match opened {
            Some(Ok(ix)) => Some(ix),
            Some(Err(e)) if !rebuild => return Err(e),
            _ => None,
        };
        let mut current = Current {
            index,
            rebuild,
            old: Manifest::default(),
        };
        if current.index.is_some() && !rebuild {
            match read_manifest(dir) {
                Some(m) => current.old = m,
                // Without its manifest the index cannot be updated file by file.
                None => current.rebuild = true,
            }
        }
        Ok(current)
    }
}

/// What a build has to do: the files to read (new, or with another size or time), the
/// files whose records go, and the manifest entries of the files that stay as they are.
struct Plan {
    files: usize,
    todo: Vec<Candidate>,
    gone: Vec<String>,
    unchanged: Manifest,
    failed: Vec<FailedFile>,
}

impl Plan {
    fn make(base: &Path, roots: &[PathBuf], old: &Manifest) -> Plan {
        let list = crate::read::list_files(roots);
        let mut plan = Plan {
            files: list.files.len(),
            todo: Vec::new(),
            gone: Vec::new(),
            unchanged: Manifest::default(),
            failed: Vec::new(),
        };
        for file in &list.files {
            let path = &file.path;
            let key = file_key(base, &file.key);
            match stat(path) {
                Ok((size, mtime)) => match old.files.get(&key) {
                    Some(s) if s.size == size && s.mtime == mtime && s.shown == file.shown => {
                        plan.unchanged.files.insert(key, s.clone());
                    }
                    _ => plan.todo.push(Candidate {
                        key,
                        path: path.clone(),
                        shown: file.shown.clone(),
                        size,
                        mtime,
                    }),
                },
                Err(e) => plan.failed.push(FailedFile {
                    path: path.display().to_string(),
                    reason: Error::io(path, e).to_string(),
                }),
            }
        }
        for e in &list.errors {
            plan.failed.push(FailedFile {
                path: e
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default(),
                reason: e.to_string(),
            });
        }
        plan.find_gone(base, roots, old);
        plan
    }

    /// Files of the old manifest not seen now: gone when under the roots or missing, kept
    /// when they belong to other roots indexed before.
    fn find_gone(&mut self, base: &Path, roots: &[PathBuf], old: &Manifest) {
        let canonical_roots: Vec<PathBuf> = roots
            .iter()
            .map(|r| PathBuf::from(crate::read::canonical(r)))
            .collect();
        let seen: std::collections::HashSet<&str> =
            self.todo.iter().map(|c| c.key.as_str()).collect();
        for (k, state) in &old.files {
            if self.unchanged.files.contains_key(k) || seen.contains(k.as_str()) {
                continue;
            }
            let path = key_path(base, k);
            let under_roots = canonical_roots.iter().any(|r| path.starts_with(r));
            if under_roots || !path.exists() {
                self.gone.push(k.clone());
            } else {
                self.unchanged.files.insert(k.clone(), state.clone());
            }
        }
    }
}

/// The current index, or a new one with this version's schema and settings.
fn open_or_create(dir: &Path, current: Option<TantivyIndex>) -> Result<(TantivyIndex, Fields)> {
    let (schema, fields) = schema();
    let index = match current {
        Some(ix) => ix,
        None => {
            clear_dir(dir)?;
            let settings = tantivy::IndexSettings {
                // Each record is compressed on its own against the index's dictionary
                // (`crate::index::packed`): the store keeps the frames as they are, so a
                // record read back costs its own block, not a 128 KiB one decompressed.
                docstore_compression: tantivy::store::Compressor::None,
                docstore_blocksize: DOCSTORE_BLOCK,
                // Each segment holds its records in the stable order: a page in that order
                // is a segment's first matches, and a session's records are one run of
                // document numbers (see `crate::search::ordered`).
                sort_by_field: Some(tantivy::IndexSortByField {
                    field: crate::index::order::ORDER.to_string(),
                    order: tantivy::index::Order::Asc,
                }),
                ..tantivy::IndexSettings::default()
            };
            TantivyIndex::builder()
                .schema(schema)
                .settings(settings)
                .create_in_dir(dir)?
        }
    };
    register_tokenizers(&index);
    Ok((index, fields))
}

fn writer_of(dir: &Path, index: &TantivyIndex, opts: &BuildOptions) -> Result<IndexWriter> {
    let threads = opts.threads.max(1);
    let options = tantivy::indexer::IndexWriterOptions::builder()
        .num_worker_threads(threads)
        // Merges run once the build has committed, one a thread ([`segments::merge`]).
        .num_merge_threads(threads)
        .memory_budget_per_thread((opts.memory_budget / threads).max(20_000_000))
        .build();
    // Our own lock is held: no other `unres index` works here. tantivy's lock can still be
    // busy for a moment, held by a process this one (or a program embedding the library)
    // forked while a previous build held it, until that process runs its program; a
    // writer of another program holds it for good. So it is tried again for a while.
    let started = std::time::Instant::now();
    let writer = loop {
        match index.writer_with_options(options.clone()) {
            Err(tantivy::TantivyError::LockFailure(LockError::LockBusy, _))
                if started.elapsed() < TANTIVY_LOCK_PATIENCE =>
            {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => break other,
        }
    };
    let writer = writer.map_err(|e| match e {
        tantivy::TantivyError::LockFailure(LockError::LockBusy, _) => {
            Error::Locked { path: dir.into() }
        }
        tantivy::TantivyError::LockFailure(LockError::IoError(io), _) => {
            Error::io(dir, std::io::Error::new(io.kind(), io.to_string()))
        }
        other => Error::Engine(other),
    })?;
    // What is merged is decided once the build has committed ([`segments`]).
    writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
    // A writer killed before its commit (a power cut, the OOM killer, SIGKILL) leaves files
    // that no commit names: its segments and delete files. tantivy collects them only after
    // a commit, but this writer's commit may want one of their names (a delete file is named
    // by its segment and the commit's opstamp, which a retry of the same update reaches
    // again) and would fail on every retry. They are removed before anything is written.
    writer
        .garbage_collect_files()
        .wait()
        .map_err(Error::Engine)?;
    Ok(writer)
}

/// How long a busy tantivy writer lock is tried again before the build says the index is
/// locked.
const TANTIVY_LOCK_PATIENCE: std::time::Duration = std::time::Duration::from_secs(2);

/// A worker failed: joining the writer's threads (by preparing a commit) gives its cause,
/// such as a full disk. Nothing is committed.
fn abandon(mut writer: IndexWriter, e: tantivy::TantivyError) -> Error {
    match writer.prepare_commit() {
        Err(cause) => Error::Engine(cause),
        Ok(prepared) => {
            let _ = prepared.abort();
            Error::Engine(e)
        }
    }
}

/// What [`segments::merge`] merges once the build has committed: the segments the index
/// held before the build, and how many segments to merge into.
struct Merge {
    before: HashSet<SegmentId>,
    into: usize,
}

/// The segments are written, then the manifest under a new name with the series links of
/// the kept resolutions; the commit then points at it (its payload counting the records,
/// their words and the records of each session), and only then are older manifests
/// removed; then the segments are merged ([`segments`]). Returns why they could not be.
fn commit(
    dir: &Path,
    mut writer: IndexWriter,
    manifest: &Manifest,
    dictionary: Option<String>,
    merge: Merge,
) -> Result<Option<String>> {
    // The segments are written first: the writer's memory is given back before the
    // manifest's copies below are made (at 50,000 files they would add to its peak).
    let mut prepared = writer.prepare_commit()?;
    let kept = Kept::of(manifest);
    let counts = kept.counts(manifest);
    let generation = next_generation(dir);
    let manifest_name = manifest_name(generation);
    write_atomically(&dir.join(&manifest_name), &encode_manifest(manifest))?;
    let linked = kept.linked(manifest);
    crate::index::folder::links::write(dir, &manifest_name, &linked)?;
    let mut sessions: std::collections::BTreeMap<u32, [u64; 4]> = Default::default();
    let mut resolutions = 0;
    for key in linked.files.values().flat_map(|f| &f.series) {
        resolutions += 1;
        let by_kind = sessions.entry(key.session).or_default();
        for (n, c) in by_kind.iter_mut().zip(key.facts.counts) {
            *n += u64::from(c);
        }
    }
    let payload = serde_json::to_string(&Payload {
        format: FORMAT_VERSION,
        manifest: manifest_name,
        records: (counts.paragraphs + counts.footnotes) as u64,
        words: counts.words,
        resolutions,
        sessions: sessions.into_iter().collect(),
        dictionary: dictionary.clone(),
    })
    .expect("payload serializes");
    prepared.set_payload(&payload);
    prepared.commit()?;
    remove_old_manifests(dir, generation);
    crate::index::packed::remove_others(dir, dictionary.as_deref());
    // The commit stands whatever happens to the merges: one that fails (a full disk) leaves
    // the segments as committed, and its files go when the next writer opens.
    let merged = segments::merge(&mut writer, &merge.before, merge.into);
    let waited = writer.wait_merging_threads();
    Ok(merged.and(waited).err().map(|e| {
        format!(
            "{}: the index is updated, but its segments could not be merged ({}); searches are slower until `unres index --rebuild`",
            dir.display(),
            crate::error::engine_message(&e)
        )
    }))
}

fn finish_report(report: &mut BuildReport, manifest: &Manifest, start: Instant) {
    report
        .failed
        .extend(manifest.files.iter().filter_map(|(k, s)| {
            s.error.as_ref().map(|r| FailedFile {
                path: if s.shown.is_empty() {
                    k.clone()
                } else {
                    s.shown.clone()
                },
                reason: r.clone(),
            })
        }));
    report.failed.sort_by(|a, b| a.path.cmp(&b.path));
    report.failed.dedup();
    let kept = Kept::of(manifest);
    let counts = kept.counts(manifest);
    report.resolutions = counts.resolutions;
    report.paragraphs = counts.paragraphs;
    report.footnotes = counts.footnotes;
    report.duplicates = kept.duplicates;
    report.seconds = start.elapsed().as_secs_f64();
}
