//! The index: schema, parallel batch build (rayon feeds one tantivy writer, one commit),
//! incremental updates driven by a manifest of file sizes, times and hashes, and opening an
//! existing index with its format version checked.
//!
//! Fields: `record` (the export record as JSON, stored), `exact` (folded text, character
//! bigrams with positions: the exact layer), `words` (jieba words, frequencies: ranking),
//! `cites`, `symbol`, `file` (whole-token strings), `session`, `year`, `kind`, `order`
//! and `date` (indexed fast fields for filters and stable ordering), and `text_hash` (the
//! folded text's hash, a fast field). Each commit also writes the series links
//! ([`crate::links`]) computed from the manifest.

use crate::directory::{ReaderDirectory, WriterLock, LOCK_FILE};
use crate::error::{Error, Result};
use crate::model::{Record, Resolution};
use crate::normalize;
use crate::tokenize::{self, BigramTokenizer, BIGRAM, WORDS};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Instant, UNIX_EPOCH};
use tantivy::directory::error::LockError;
use tantivy::indexer::UserOperation;
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, STORED,
};
use tantivy::tokenizer::{TextAnalyzer, WhitespaceTokenizer};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// The version of the index layout; an index of another version must be rebuilt.
pub const FORMAT_VERSION: u32 = 4;
/// The doc store's block size: blocks of 64 KiB compress the records 20% better than
/// tantivy's 16 KiB, and a hit still costs one block's decompression (tens of microseconds).
const DOCSTORE_BLOCK: usize = 128 * 1024;
const MANIFEST_PREFIX: &str = "unres-manifest-";

/// The schema's fields.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// The export record as JSON (stored only).
    pub record: Field,
    /// Folded text as character bigrams with positions.
    pub exact: Field,
    /// jieba's whole words of two characters or more, without frequencies.
    pub words: Field,
    /// Cited document symbols, lower-cased, one token each.
    pub cites: Field,
    /// The resolution's symbol, lower-cased, one token.
    pub symbol: Field,
    /// The source file's canonical path ([`file_key`]), one token (to delete its records).
    pub file: Field,
    /// Session number.
    pub session: Field,
    /// Year.
    pub year: Field,
    /// Kind code (see [`crate::Kind::code`]).
    pub kind: Field,
    /// Stable order: newer session first, then resolution number, part, record order.
    pub order: Field,
    /// Paragraph or footnote number.
    pub para: Field,
    /// Adoption date as the number YYYYMMDD (0 when unknown).
    pub date: Field,
    /// xxh3 hash of the folded text, seeded with the kind code (fast field: `search
    /// --collapse` groups on it).
    pub text_hash: Field,
}

/// Builds the schema.
pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    // Only the word layer is scored by BM25, so only it keeps field norms: the exact layer
    // decides at a constant score, and the other fields are filters.
    let exact = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(BIGRAM)
            .set_fieldnorms(false)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let words = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(WORDS)
            .set_index_option(IndexRecordOption::Basic),
    );
    let token = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_fieldnorms(false)
            .set_index_option(IndexRecordOption::Basic),
    );
    let filter = NumericOptions::default().set_indexed();
    let fields = Fields {
        record: b.add_text_field("record", STORED),
        exact: b.add_text_field("exact", exact),
        words: b.add_text_field("words", words),
        cites: b.add_text_field("cites", token.clone()),
        symbol: b.add_text_field("symbol", token.clone()),
        file: b.add_text_field("file", token),
        session: b.add_u64_field("session", filter.clone().set_fast()),
        year: b.add_u64_field("year", filter.clone()),
        kind: b.add_u64_field("kind", filter.clone().set_fast()),
        order: b.add_u64_field(ORDER, FAST),
        para: b.add_u64_field("para", filter.clone()),
        date: b.add_u64_field(DATE, filter.set_fast()),
        text_hash: b.add_u64_field(TEXT_HASH, FAST),
    };
    (b.build(), fields)
}

fn register_tokenizers(index: &Index) {
    index
        .tokenizers()
        .register(BIGRAM, TextAnalyzer::from(BigramTokenizer::default()));
    index
        .tokenizers()
        .register(WORDS, TextAnalyzer::from(WhitespaceTokenizer::default()));
}

/// What the last commit says about the index: written as the commit's payload.
#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    format: u32,
    manifest: String,
}

/// What was indexed from each file, so that the next run re-reads only what changed.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Manifest {
    /// Each file seen, by its canonical path ([`file_key`]).
    pub files: BTreeMap<String, FileState>,
}

/// One file's state when it was indexed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileState {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime: u64,
    /// xxh3 hash of the content.
    pub hash: u64,
    /// Resolutions (parts) read from it.
    pub resolutions: usize,
    /// Paragraphs indexed from it.
    pub paragraphs: usize,
    /// Footnotes indexed from it.
    pub footnotes: usize,
    /// Why the file could not be read, if it could not.
    pub error: Option<String>,
    /// What the series links need of each resolution read from it.
    #[serde(default)]
    pub series: Vec<crate::links::SeriesKey>,
}

/// An open index, ready to search.
pub struct UnresIndex {
    /// The folder.
    pub(crate) dir: PathBuf,
    /// The reader of the tantivy index (manual reload).
    pub(crate) reader: IndexReader,
    /// Its fields.
    pub(crate) fields: Fields,
    /// The series links of the last commit, read when first needed.
    pub(crate) links: std::sync::OnceLock<crate::links::Table>,
}

fn damaged(dir: &Path, detail: impl Into<String>) -> Error {
    Error::Damaged {
        path: dir.into(),
        detail: detail.into(),
    }
}

fn is_index_dir(dir: &Path) -> bool {
    dir.join("meta.json").is_file()
}

/// Opens the index in `dir` for searching, checking that it is an `unres` index of this
/// format version.
pub fn open(dir: &Path) -> Result<UnresIndex> {
    if !dir.exists() {
        return Err(Error::NoIndex { path: dir.into() });
    }
    if !dir.is_dir() {
        return Err(Error::NotAFolder { path: dir.into() });
    }
    if !is_index_dir(dir) {
        let empty = std::fs::read_dir(dir)
            .map_err(|e| Error::io(dir, e))?
            .next()
            .is_none();
        return Err(Error::NotAnIndex {
            path: dir.into(),
            empty,
            building: false,
        });
    }
    let index = Index::open(ReaderDirectory::open(dir)?).map_err(|e| {
        damaged(
            dir,
            format!(
                "cannot open the index ({})",
                crate::error::engine_message(&e)
            ),
        )
    })?;
    if is_unfinished(&index) {
        return Err(Error::Unfinished {
            path: dir.into(),
            running: WriterLock::is_held(dir),
        });
    }
    check_format(dir, &index)?;
    register_tokenizers(&index);
    let fields = fields_of(dir, &index.schema())?;
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .map_err(|e| {
            damaged(
                dir,
                format!(
                    "cannot read the index, a file is damaged or missing ({})",
                    crate::error::engine_message(&e)
                ),
            )
        })?;
    Ok(UnresIndex {
        dir: dir.into(),
        reader,
        fields,
        links: std::sync::OnceLock::new(),
    })
}

/// An index created by a first build that has not committed yet: no payload, no segment.
fn is_unfinished(index: &Index) -> bool {
    index
        .load_metas()
        .is_ok_and(|m| m.payload.is_none() && m.segments.is_empty())
}

fn payload_of(index: &Index) -> Option<Payload> {
    let metas = index.load_metas().ok()?;
    serde_json::from_str(metas.payload.as_deref()?).ok()
}

fn check_format(dir: &Path, index: &Index) -> Result<()> {
    match payload_of(index) {
        Some(p) if p.format == FORMAT_VERSION => Ok(()),
        Some(p) => Err(Error::FormatVersion {
            path: dir.into(),
            found: p.format,
            expected: FORMAT_VERSION,
        }),
        None => Err(damaged(
            dir,
            "not an unres index (no format version recorded)",
        )),
    }
}

fn fields_of(dir: &Path, schema: &Schema) -> Result<Fields> {
    let (_, expected) = self::schema();
    let get = |name: &str| {
        schema
            .get_field(name)
            .map_err(|_| damaged(dir, format!("the index lacks field `{name}`")))
    };
    let fields = Fields {
        record: get("record")?,
        exact: get("exact")?,
        words: get("words")?,
        cites: get("cites")?,
        symbol: get("symbol")?,
        file: get("file")?,
        session: get("session")?,
        year: get("year")?,
        kind: get("kind")?,
        order: get(ORDER)?,
        para: get("para")?,
        date: get(DATE)?,
        text_hash: get(TEXT_HASH)?,
    };
    debug_assert_eq!(fields.order, expected.order);
    Ok(fields)
}

/// Reads the manifest of the last commit, if the index has one.
pub fn read_manifest(dir: &Path) -> Option<Manifest> {
    let index = Index::open_in_dir(dir).ok()?;
    let payload = payload_of(&index)?;
    if payload.format != FORMAT_VERSION {
        return None;
    }
    let bytes = std::fs::read(dir.join(&payload.manifest)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

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
            memory_budget: 400_000_000,
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
    /// Files read and parsed this time (new or changed).
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
}

/// Called with the number of bytes of input processed so far, and the total to process.
pub type Progress<'a> = &'a (dyn Fn(u64, u64) + Sync);

struct Candidate {
    key: String,
    path: PathBuf,
    size: u64,
    mtime: u64,
}

fn stat(path: &Path) -> std::io::Result<(u64, u64)> {
    let m = std::fs::metadata(path)?;
    let mtime = m
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64);
    Ok((m.len(), mtime))
}

/// Builds or updates the index in `dir` from the files under `roots`, step by step: the
/// folder is checked and locked, the [`Current`] index read, a [`Plan`] made of what
/// changed, the index opened or created, the changed files ingested in parallel, and one
/// commit makes everything visible at once (a build killed before it changes nothing).
pub fn build(
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
    let plan = Plan::make(roots, &current.old);
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
    let (index, fields) = open_or_create(dir, current.index)?;
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
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads.max(1))
        .build()
        .map_err(|e| Error::Threads(e.to_string()))?;
    let states = ingest.run(&pool, &plan.todo, progress);
    if let Err(e) = states {
        return Err(abandon(writer, e));
    }
    manifest.files.extend(states.expect("checked"));
    report.reindexed = plan.todo.len();
    report.bytes = plan.todo.iter().map(|c| c.size).sum();
    commit(dir, writer, &manifest)?;
    report.committed = true;
    finish_report(&mut report, &manifest, start);
    Ok(report)
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
    index: Option<Index>,
    /// All records are to be replaced (asked for, or the manifest is lost).
    rebuild: bool,
    /// What the last commit indexed, file by file.
    old: Manifest,
}

impl Current {
    fn read(dir: &Path, rebuild: bool) -> Result<Current> {
        let opened = if is_index_dir(dir) {
            match Index::open_in_dir(dir) {
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
    fn make(roots: &[PathBuf], old: &Manifest) -> Plan {
        let list = crate::read::list_files(roots);
        let mut plan = Plan {
            files: list.files.len(),
            todo: Vec::new(),
            gone: Vec::new(),
            unchanged: Manifest::default(),
            failed: Vec::new(),
        };
        for path in &list.files {
            let key = file_key(path);
            match stat(path) {
                Ok((size, mtime)) => match old.files.get(&key) {
                    Some(s) if s.size == size && s.mtime == mtime => {
                        plan.unchanged.files.insert(key, s.clone());
                    }
                    _ => plan.todo.push(Candidate {
                        key,
                        path: path.clone(),
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
        plan.find_gone(roots, old);
        plan
    }

    /// Files of the old manifest not seen now: gone when under the roots or missing, kept
    /// when they belong to other roots indexed before.
    fn find_gone(&mut self, roots: &[PathBuf], old: &Manifest) {
        let canonical_roots: Vec<PathBuf> =
            roots.iter().map(|r| PathBuf::from(file_key(r))).collect();
        let seen: std::collections::HashSet<&str> =
            self.todo.iter().map(|c| c.key.as_str()).collect();
        for (k, state) in &old.files {
            if self.unchanged.files.contains_key(k) || seen.contains(k.as_str()) {
                continue;
            }
            let under_roots = canonical_roots.iter().any(|r| Path::new(k).starts_with(r));
            if under_roots || !Path::new(k).exists() {
                self.gone.push(k.clone());
            } else {
                self.unchanged.files.insert(k.clone(), state.clone());
            }
        }
    }
}

/// The current index, or a new one with this version's schema and settings.
fn open_or_create(dir: &Path, current: Option<Index>) -> Result<(Index, Fields)> {
    let (schema, fields) = schema();
    let index = match current {
        Some(ix) => ix,
        None => {
            clear_dir(dir)?;
            let settings = tantivy::IndexSettings {
                // The stored records repeat their resolution's metadata: zstd takes that
                // away far better than lz4, and at level 1 it costs little time.
                docstore_compression: tantivy::store::Compressor::Zstd(
                    tantivy::store::ZstdCompressor {
                        compression_level: Some(3),
                    },
                ),
                docstore_blocksize: DOCSTORE_BLOCK,
                ..tantivy::IndexSettings::default()
            };
            Index::builder()
                .schema(schema)
                .settings(settings)
                .create_in_dir(dir)?
        }
    };
    register_tokenizers(&index);
    Ok((index, fields))
}

fn writer_of(dir: &Path, index: &Index, opts: &BuildOptions) -> Result<IndexWriter> {
    let threads = opts.threads.max(1);
    index
        .writer_with_num_threads(threads, opts.memory_budget.max(threads * 20_000_000))
        .map_err(|e| match e {
            tantivy::TantivyError::LockFailure(LockError::LockBusy, _) => {
                Error::Locked { path: dir.into() }
            }
            tantivy::TantivyError::LockFailure(LockError::IoError(io), _) => {
                Error::io(dir, std::io::Error::new(io.kind(), io.to_string()))
            }
            other => Error::Engine(other),
        })
}

/// Reading, parsing and segmenting the changed files in parallel, each file's records
/// handed to the one writer as one batch.
struct Ingest<'a> {
    writer: &'a IndexWriter,
    fields: &'a Fields,
    old: &'a Manifest,
    /// The index keeps records from before: each file's batch first deletes its old ones.
    replaces: bool,
}

impl Ingest<'_> {
    /// Ingests every candidate and returns each file's new manifest entry, or the first
    /// error of the writer (such as a full disk).
    fn run(
        &self,
        pool: &rayon::ThreadPool,
        todo: &[Candidate],
        progress: Progress<'_>,
    ) -> std::result::Result<Vec<(String, FileState)>, tantivy::TantivyError> {
        let total: u64 = todo.iter().map(|c| c.size).sum();
        let done = AtomicU64::new(0);
        let error: Mutex<Option<tantivy::TantivyError>> = Mutex::new(None);
        // tantivy's `IndexWriter::run` stamps a batch and queues its delete in two steps.
        // Two threads interleaving there queue deletes out of stamp order; a segment then
        // stops applying deletes at the first one past its last document, and at commit the
        // skipped delete of a file is applied to that file's new records too, which vanish.
        // So batches go in one at a time (building them, the costly part, stays parallel).
        let one_batch_at_a_time = Mutex::new(());
        let send = |mut ops: Vec<UserOperation>| {
            if !self.replaces {
                ops.retain(|op| !matches!(op, UserOperation::Delete(_)));
            }
            let _turn = one_batch_at_a_time.lock().expect("lock");
            if let Err(e) = self.writer.run(ops) {
                error.lock().expect("lock").get_or_insert(e);
            }
        };
        let states: Vec<(String, FileState)> = pool.install(|| {
            todo.par_iter()
                .map(|c| {
                    let state = self.file(c, &send);
                    let now = done.fetch_add(c.size, Ordering::Relaxed) + c.size;
                    progress(now, total);
                    (c.key.clone(), state)
                })
                .collect()
        });
        match error.into_inner().expect("lock") {
            Some(e) => Err(e),
            None => Ok(states),
        }
    }

    /// One file: read, and unless only touched, parsed and sent as one batch (its old
    /// records go, its new ones come).
    fn file(&self, c: &Candidate, send: &(dyn Fn(Vec<UserOperation>) + Sync)) -> FileState {
        let delete = || UserOperation::Delete(Term::from_field_text(self.fields.file, &c.key));
        let bytes = match crate::read::read_bytes(&c.path) {
            Ok(bytes) => bytes,
            Err(e) => {
                send(vec![delete()]);
                return failed_state(c, 0, e.to_string());
            }
        };
        let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
        if let Some(s) = self.old.files.get(&c.key) {
            if s.hash == hash && s.error.is_none() {
                // Touched but not changed: the records in the index are current.
                return FileState {
                    size: c.size,
                    mtime: c.mtime,
                    ..s.clone()
                };
            }
        }
        match crate::corpus::parse_bytes(&c.path, &bytes) {
            Err(e) => {
                send(vec![delete()]);
                failed_state(c, hash, e.to_string())
            }
            Ok(resolutions) => {
                let mut ops = vec![delete()];
                ops.extend(
                    documents(self.fields, tokenize::jieba(), &c.key, &resolutions)
                        .map(UserOperation::Add),
                );
                send(ops);
                FileState {
                    size: c.size,
                    mtime: c.mtime,
                    hash,
                    resolutions: resolutions.len(),
                    paragraphs: resolutions.iter().map(|r| r.paragraphs.len()).sum(),
                    footnotes: resolutions.iter().map(|r| r.footnotes.len()).sum(),
                    error: None,
                    series: crate::links::keys(&resolutions),
                }
            }
        }
    }
}

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

/// The manifest is written first under a new name; the commit then points at it, and only
/// then are older manifests removed.
fn commit(dir: &Path, mut writer: IndexWriter, manifest: &Manifest) -> Result<()> {
    let generation = next_generation(dir);
    let manifest_name = format!("{MANIFEST_PREFIX}{generation}.json");
    write_atomically(
        &dir.join(&manifest_name),
        &serde_json::to_vec(manifest).expect("manifest serializes"),
    )?;
    crate::links::write(dir, &manifest_name, manifest)?;
    let payload = serde_json::to_string(&Payload {
        format: FORMAT_VERSION,
        manifest: manifest_name,
    })
    .expect("payload serializes");
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&payload);
    prepared.commit()?;
    writer.wait_merging_threads()?;
    remove_old_manifests(dir, generation);
    Ok(())
}

fn failed_state(c: &Candidate, hash: u64, reason: String) -> FileState {
    FileState {
        size: c.size,
        mtime: c.mtime,
        hash,
        resolutions: 0,
        paragraphs: 0,
        footnotes: 0,
        error: Some(reason),
        series: Vec::new(),
    }
}

fn finish_report(report: &mut BuildReport, manifest: &Manifest, start: Instant) {
    report
        .failed
        .extend(manifest.files.iter().filter_map(|(k, s)| {
            s.error.as_ref().map(|r| FailedFile {
                path: k.clone(),
                reason: r.clone(),
            })
        }));
    report.failed.sort_by(|a, b| a.path.cmp(&b.path));
    report.failed.dedup();
    report.resolutions = manifest.files.values().map(|s| s.resolutions).sum();
    report.paragraphs = manifest.files.values().map(|s| s.paragraphs).sum();
    report.footnotes = manifest.files.values().map(|s| s.footnotes).sum();
    report.seconds = start.elapsed().as_secs_f64();
}

/// The documents of some resolutions: one per paragraph and footnote.
/// `source` identifies the file in the index (see [`file_key`]).
pub fn documents<'a>(
    fields: &'a Fields,
    jieba: &'a jieba_rs::Jieba,
    source: &'a str,
    resolutions: &'a [Resolution],
) -> impl Iterator<Item = TantivyDocument> + 'a {
    resolutions.iter().enumerate().flat_map(move |(pi, r)| {
        r.records()
            .into_iter()
            .enumerate()
            .map(move |(seq, rec)| document(fields, jieba, source, &rec, order_key(&rec, pi, seq)))
    })
}

/// How the index identifies a file: its canonical path, so that `corpus/x.txt`,
/// `./corpus/x.txt` and an absolute path are one file, never three copies.
pub fn file_key(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

/// The name of the order key's fast field, read per document when ranking.
pub(crate) const ORDER: &str = "order";
/// The name of the date's fast field, read per document when sorting by date.
pub(crate) const DATE: &str = "date";
/// The name of the folded text's hash, read per document by `search --collapse`.
pub(crate) const TEXT_HASH: &str = "text_hash";
/// The order key's low bits, below the resolution: the record's place in its part.
const PLACE_BITS: u32 = 20;
/// The order key of a document that has none (an index this version did not write):
/// it sorts last.
pub(crate) const NO_ORDER: u64 = u64::MAX;

/// A segment's stable-order column: each record's [`order_key`], [`NO_ORDER`] for a record
/// without one (or a segment without the column).
pub(crate) struct OrderColumn(Option<std::sync::Arc<dyn tantivy::columnar::ColumnValues<u64>>>);

impl OrderColumn {
    /// The column of `segment`.
    pub(crate) fn of(segment: &tantivy::SegmentReader) -> OrderColumn {
        OrderColumn(
            segment
                .fast_fields()
                .u64(ORDER)
                .ok()
                .map(|c| c.first_or_default_col(NO_ORDER)),
        )
    }

    /// The order key of record `doc`.
    pub(crate) fn get(&self, doc: tantivy::DocId) -> u64 {
        self.0.as_ref().map_or(NO_ORDER, |c| c.get_val(doc))
    }
}

/// The stable order of a record: newer session first, then resolution number, part and
/// the record's place in its file. Bits, high to low: 1000 − session (20), resolution
/// number (20), part index (4), place (20).
pub(crate) fn order_key(rec: &Record, part_index: usize, seq: usize) -> u64 {
    (resolution_key(&rec.symbol, rec.session, part_index) << PLACE_BITS) | (seq as u64).min(0xFFFFF)
}

/// The order key's high bits, which name one resolution (part) of a file:
/// [`resolution_of`] of its records' order keys.
pub(crate) fn resolution_key(symbol: &str, session: u32, part_index: usize) -> u64 {
    let session = 1000u64.saturating_sub(u64::from(session)).min(1023);
    let number: u64 = symbol
        .rsplit('/')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0xFFFFF)
        .min(0xFFFFF);
    (session << 24) | (number << 4) | (part_index as u64).min(0xF)
}

/// The resolution (session, number and part) an order key belongs to.
pub(crate) fn resolution_of(order: u64) -> u64 {
    order >> PLACE_BITS
}

/// A date `YYYY-MM-DD` as the number YYYYMMDD the date field holds (0 when unknown).
pub(crate) fn date_key(date: Option<&str>) -> u64 {
    date.map(|d| d.replace('-', ""))
        .and_then(|d| d.parse().ok())
        .unwrap_or(0)
}

fn document(
    fields: &Fields,
    jieba: &jieba_rs::Jieba,
    source: &str,
    rec: &Record,
    order: u64,
) -> TantivyDocument {
    let folded = normalize::fold(&rec.text);
    // The kind is the seed: records of two kinds never share a hash for the same text.
    let text_hash = xxhash_rust::xxh3::xxh3_64_with_seed(folded.as_bytes(), rec.kind.code());
    let mut words = String::with_capacity(folded.len() + folded.len() / 4);
    tokenize::words(jieba, &folded, &mut words);
    let mut doc = TantivyDocument::default();
    doc.add_text(
        fields.record,
        serde_json::to_string(rec).expect("record serializes"),
    );
    doc.add_text(fields.exact, folded);
    doc.add_text(fields.words, words);
    for c in &rec.cites {
        doc.add_text(fields.cites, crate::normalize::fold(c));
    }
    doc.add_text(fields.symbol, crate::normalize::fold(&rec.symbol));
    doc.add_text(fields.file, source);
    doc.add_u64(fields.session, u64::from(rec.session));
    doc.add_u64(fields.year, u64::from(rec.year));
    doc.add_u64(fields.kind, rec.kind.code());
    doc.add_u64(fields.order, order);
    doc.add_u64(fields.para, u64::from(rec.para));
    doc.add_u64(fields.date, date_key(rec.date.as_deref()));
    doc.add_u64(fields.text_hash, text_hash);
    doc
}

fn next_generation(dir: &Path) -> u64 {
    manifest_generations(dir)
        .into_iter()
        .max()
        .map_or(1, |g| g + 1)
}

fn manifest_generations(dir: &Path) -> Vec<u64> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_prefix(MANIFEST_PREFIX)?
                .strip_suffix(".json")?
                .parse()
                .ok()
        })
        .collect()
}

/// Keeps the current manifest and the one before it (a reader may still be using it).
fn remove_old_manifests(dir: &Path, current: u64) {
    for g in manifest_generations(dir) {
        if g + 1 < current {
            let manifest = format!("{MANIFEST_PREFIX}{g}.json");
            let _ = std::fs::remove_file(dir.join(crate::links::file_name(&manifest)));
            let _ = std::fs::remove_file(dir.join(manifest));
        }
    }
}

pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes).map_err(|e| Error::io(&tmp, e))?;
    let f = std::fs::File::open(&tmp).map_err(|e| Error::io(&tmp, e))?;
    f.sync_all().map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
}

/// Empties an index folder before a rebuild (only tantivy's and unres's own files).
fn clear_dir(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let path = entry.path();
        let name = entry.file_name();
        if path.is_file() && name != ".gitkeep" && name != LOCK_FILE {
            std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
        }
    }
    Ok(())
}

/// Is there an index (of any version) in `dir`?
pub fn has_index(dir: &Path) -> bool {
    is_index_dir(dir)
}
