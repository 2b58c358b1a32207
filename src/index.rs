//! The index: schema, parallel batch build (rayon feeds one tantivy writer, one commit),
//! incremental updates driven by a manifest of file sizes, times and hashes, and opening an
//! existing index with its format version checked.
//!
//! Fields: `record` (the export record as JSON, stored), `exact` (folded text, character
//! bigrams with positions: the exact layer), `words` (jieba words, frequencies: ranking),
//! `cites`, `symbol`, `file` (whole-token strings), and `session`, `year`, `kind`, `order`
//! and `date` (indexed fast fields for filters and stable ordering).

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
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::tokenizer::{TextAnalyzer, WhitespaceTokenizer};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// The version of the index layout; an index of another version must be rebuilt.
pub const FORMAT_VERSION: u32 = 1;
const MANIFEST_PREFIX: &str = "unres-manifest-";

/// The schema's fields.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// The export record as JSON (stored only).
    pub record: Field,
    /// Folded text as character bigrams with positions.
    pub exact: Field,
    /// jieba words (sub-words prefixed), with frequencies.
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
}

/// Builds the schema.
pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let exact = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(BIGRAM)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let words = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(WORDS)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let fields = Fields {
        record: b.add_text_field("record", STORED),
        exact: b.add_text_field("exact", exact),
        words: b.add_text_field("words", words),
        cites: b.add_text_field("cites", STRING),
        symbol: b.add_text_field("symbol", STRING),
        file: b.add_text_field("file", STRING),
        session: b.add_u64_field("session", INDEXED | FAST),
        year: b.add_u64_field("year", INDEXED | FAST),
        kind: b.add_u64_field("kind", INDEXED | FAST),
        order: b.add_u64_field("order", FAST),
        para: b.add_u64_field("para", INDEXED),
        date: b.add_u64_field("date", INDEXED | FAST),
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
}

/// An open index, ready to search.
pub struct UnresIndex {
    /// The folder.
    pub dir: PathBuf,
    /// The tantivy index.
    pub index: Index,
    /// Its reader (manual reload).
    pub reader: IndexReader,
    /// Its fields.
    pub fields: Fields,
}

fn index_error(dir: &Path, message: impl Into<String>) -> Error {
    Error::Index {
        path: dir.into(),
        message: message.into(),
    }
}

fn is_index_dir(dir: &Path) -> bool {
    dir.join("meta.json").is_file()
}

/// Opens the index in `dir` for searching, checking that it is an `unres` index of this
/// format version.
pub fn open(dir: &Path) -> Result<UnresIndex> {
    if !dir.exists() {
        return Err(index_error(
            dir,
            "no index here; build one with `unres index` (or `unres index --index DIR PATH...`)",
        ));
    }
    if !dir.is_dir() {
        return Err(index_error(dir, "not a folder; an index is a folder"));
    }
    if !is_index_dir(dir) {
        let empty = std::fs::read_dir(dir)
            .map_err(|e| Error::io(dir, e))?
            .next()
            .is_none();
        let what = if empty { "an empty folder" } else { "a folder" };
        return Err(index_error(
            dir,
            format!("{what} that is not an unres index; build one with `unres index --rebuild`"),
        ));
    }
    let index = Index::open(ReaderDirectory::open(dir)?).map_err(|e| {
        index_error(
            dir,
            format!(
                "cannot open the index ({}); rebuild it with `unres index --rebuild`",
                crate::error::engine_message(&e)
            ),
        )
    })?;
    if is_unfinished(&index) {
        let why = if WriterLock::is_held(dir) {
            "a first `unres index` is building it now"
        } else {
            "the first `unres index` into it was interrupted; run it again"
        };
        return Err(index_error(
            dir,
            format!("the index has no data yet: {why}"),
        ));
    }
    check_format(dir, &index)?;
    register_tokenizers(&index);
    let fields = fields_of(dir, &index.schema())?;
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .map_err(|e| {
            index_error(
                dir,
                format!(
                    "cannot read the index, a file is damaged or missing ({}); rebuild it with `unres index --rebuild`",
                    crate::error::engine_message(&e)
                ),
            )
        })?;
    Ok(UnresIndex {
        dir: dir.into(),
        index,
        reader,
        fields,
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
        Some(p) => Err(index_error(
            dir,
            format!(
                "index format version {} but this unres reads version {FORMAT_VERSION}; rebuild it with `unres index --rebuild`",
                p.format
            ),
        )),
        None => Err(index_error(
            dir,
            "not an unres index (no format version recorded); rebuild it with `unres index --rebuild`",
        )),
    }
}

fn fields_of(dir: &Path, schema: &Schema) -> Result<Fields> {
    let (_, expected) = self::schema();
    let get = |name: &str| {
        schema.get_field(name).map_err(|_| {
            index_error(
                dir,
                format!("the index lacks field `{name}`; rebuild it with `unres index --rebuild`"),
            )
        })
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
        order: get("order")?,
        para: get("para")?,
        date: get("date")?,
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

/// Builds or updates the index in `dir` from the files under `roots`.
pub fn build(
    dir: &Path,
    roots: &[PathBuf],
    opts: &BuildOptions,
    progress: Progress<'_>,
) -> Result<BuildReport> {
    let start = Instant::now();
    let threads = opts.threads.max(1);
    if dir.exists() && !dir.is_dir() {
        return Err(index_error(dir, "not a folder; an index is a folder"));
    }
    if dir.exists() && !is_index_dir(dir) && !opts.rebuild {
        let foreign = std::fs::read_dir(dir)
            .map_err(|e| Error::io(dir, e))?
            .any(|e| e.is_ok_and(|e| e.file_name() != ".gitkeep" && e.file_name() != LOCK_FILE));
        if foreign {
            return Err(index_error(
                dir,
                "this folder holds files but no unres index; choose an empty folder, or pass --rebuild to make it one",
            ));
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    // Held until the build ends: nothing below races another `unres index`.
    let _lock = WriterLock::acquire(dir)?;

    // What the folder holds: nothing yet (or an interrupted first build), a current index,
    // or something else, which only --rebuild may replace.
    let current = if is_index_dir(dir) {
        match Index::open_in_dir(dir) {
            Ok(ix) if is_unfinished(&ix) => None,
            Ok(ix) => Some(
                check_format(dir, &ix)
                    .and_then(|()| fields_of(dir, &ix.schema()))
                    .map(|_| ix),
            ),
            Err(e) => Some(Err(index_error(
                dir,
                format!(
                    "cannot open the index ({}); rebuild it with `unres index --rebuild`",
                    crate::error::engine_message(&e)
                ),
            ))),
        }
    } else {
        None
    };
    let mut rebuild = opts.rebuild;
    let existing = match current {
        Some(Ok(ix)) => Some(ix),
        Some(Err(e)) if !rebuild => return Err(e),
        _ => None,
    };
    let mut old = Manifest::default();
    if existing.is_some() && !rebuild {
        match read_manifest(dir) {
            Some(m) => old = m,
            // Without its manifest the index cannot be updated file by file: start over.
            None => rebuild = true,
        }
    }

    // Which files are new or changed (size or time differ, then content hash differs).
    let list = crate::read::list_files(roots);
    let mut report = BuildReport {
        files: list.files.len(),
        ..BuildReport::default()
    };
    let mut manifest = Manifest::default();
    let mut todo: Vec<Candidate> = Vec::new();
    for path in &list.files {
        let key = file_key(path);
        match stat(path) {
            Ok((size, mtime)) => match old.files.get(&key) {
                Some(s) if s.size == size && s.mtime == mtime => {
                    manifest.files.insert(key, s.clone());
                }
                _ => todo.push(Candidate {
                    key,
                    path: path.clone(),
                    size,
                    mtime,
                }),
            },
            Err(e) => report.failed.push(FailedFile {
                path: path.display().to_string(),
                reason: Error::io(path, e).to_string(),
            }),
        }
    }
    for e in &list.errors {
        let path = match e {
            Error::Io { path, .. } => path.display().to_string(),
            _ => String::new(),
        };
        report.failed.push(FailedFile {
            path,
            reason: e.to_string(),
        });
    }
    // Files of the old manifest not seen now: gone when under the roots or missing, kept
    // when they belong to other roots indexed before.
    let canonical_roots: Vec<PathBuf> = roots.iter().map(|r| PathBuf::from(file_key(r))).collect();
    let seen: std::collections::HashSet<&str> = todo.iter().map(|c| c.key.as_str()).collect();
    let mut gone: Vec<String> = Vec::new();
    for (k, state) in &old.files {
        if manifest.files.contains_key(k) || seen.contains(k.as_str()) {
            continue;
        }
        let under_roots = canonical_roots.iter().any(|r| Path::new(k).starts_with(r));
        if under_roots || !Path::new(k).exists() {
            gone.push(k.clone());
        } else {
            manifest.files.insert(k.clone(), state.clone());
        }
    }

    let nothing_to_do = existing.is_some() && !rebuild && todo.is_empty() && gone.is_empty();
    if nothing_to_do {
        finish_report(&mut report, &manifest, start);
        return Ok(report);
    }

    let (schema, fields) = schema();
    // A rebuild of a current index replaces its documents in one commit, so that a rebuild
    // killed half-way leaves the previous index intact.
    let reusable = existing.is_some();
    let index = match existing {
        Some(ix) => ix,
        None => {
            clear_dir(dir)?;
            let settings = tantivy::IndexSettings {
                // The stored records repeat their resolution's metadata: zstd takes that
                // away far better than lz4, and at level 1 it costs little time.
                docstore_compression: tantivy::store::Compressor::Zstd(
                    tantivy::store::ZstdCompressor {
                        compression_level: Some(1),
                    },
                ),
                ..tantivy::IndexSettings::default()
            };
            Index::builder()
                .schema(schema)
                .settings(settings)
                .create_in_dir(dir)?
        }
    };
    register_tokenizers(&index);
    let mut writer: IndexWriter<TantivyDocument> = index
        .writer_with_num_threads(threads, opts.memory_budget.max(threads * 20_000_000))
        .map_err(|e| match e {
            tantivy::TantivyError::LockFailure(LockError::LockBusy, _) => {
                Error::Locked { path: dir.into() }
            }
            tantivy::TantivyError::LockFailure(LockError::IoError(io), _) => {
                Error::io(dir, std::io::Error::new(io.kind(), io.to_string()))
            }
            other => Error::Engine(other),
        })?;
    if rebuild && reusable {
        writer.delete_all_documents()?;
    }
    for k in &gone {
        writer.delete_term(Term::from_field_text(fields.file, k));
        report.removed += 1;
    }

    let total: u64 = todo.iter().map(|c| c.size).sum();
    let done = AtomicU64::new(0);
    let results: Mutex<Vec<(String, FileState)>> = Mutex::new(Vec::new());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| index_error(dir, format!("cannot start worker threads: {e}")))?;
    let jieba = tokenize::jieba();
    let add_error: Mutex<Option<tantivy::TantivyError>> = Mutex::new(None);
    // tantivy's `IndexWriter::run` stamps a batch and queues its delete in two steps. Two
    // threads interleaving there queue deletes out of stamp order; a segment then stops
    // applying deletes at the first one past its last document, and at commit the skipped
    // delete of a file is applied to that file's new records too, which vanish. So batches
    // go in one at a time (building them, the costly part, stays parallel), and an index
    // that holds no records yet gets no deletes at all.
    let one_batch_at_a_time = Mutex::new(());
    let replaces = reusable && !rebuild;
    pool.install(|| {
        todo.par_iter().for_each(|c| {
            let delete = UserOperation::Delete(Term::from_field_text(fields.file, &c.key));
            let run = |mut ops: Vec<UserOperation>| {
                if !replaces {
                    ops.retain(|op| !matches!(op, UserOperation::Delete(_)));
                }
                let _turn = one_batch_at_a_time.lock().expect("lock");
                if let Err(e) = writer.run(ops) {
                    add_error.lock().expect("lock").get_or_insert(e);
                }
            };
            let state = match std::fs::read(&c.path) {
                Err(e) => {
                    run(vec![delete]);
                    failed_state(c, 0, Error::io(&c.path, e).to_string())
                }
                Ok(bytes) => {
                    let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
                    match old.files.get(&c.key) {
                        // Touched but not changed: the records in the index are current.
                        Some(s) if s.hash == hash && s.error.is_none() => FileState {
                            size: c.size,
                            mtime: c.mtime,
                            ..s.clone()
                        },
                        _ => match crate::read::decode(&c.path, &bytes)
                            .and_then(|t| crate::parse::parse_str(&c.path, &t))
                        {
                            Err(e) => {
                                run(vec![delete]);
                                failed_state(c, hash, e.to_string())
                            }
                            Ok(resolutions) => {
                                // One batch a file: its old records go, its new ones come.
                                let mut ops = vec![delete];
                                ops.extend(
                                    documents(&fields, jieba, &c.key, &resolutions)
                                        .map(UserOperation::Add),
                                );
                                run(ops);
                                FileState {
                                    size: c.size,
                                    mtime: c.mtime,
                                    hash,
                                    resolutions: resolutions.len(),
                                    paragraphs: resolutions
                                        .iter()
                                        .map(|r| r.paragraphs.len())
                                        .sum(),
                                    footnotes: resolutions.iter().map(|r| r.footnotes.len()).sum(),
                                    error: None,
                                }
                            }
                        },
                    }
                }
            };
            let now = done.fetch_add(c.size, Ordering::Relaxed) + c.size;
            progress(now, total);
            results.lock().expect("lock").push((c.key.clone(), state));
        });
    });
    if let Some(e) = add_error.into_inner().expect("lock") {
        // A worker thread failed; joining them (by preparing the commit) gives its cause,
        // such as a full disk. Nothing is committed.
        return Err(match writer.prepare_commit() {
            Err(cause) => Error::Engine(cause),
            Ok(prepared) => {
                let _ = prepared.abort();
                Error::Engine(e)
            }
        });
    }
    report.reindexed = todo.len();
    report.bytes = total;
    for (k, s) in results.into_inner().expect("lock") {
        manifest.files.insert(k, s);
    }

    // The manifest is written first under a new name; the commit then points at it.
    let generation = next_generation(dir);
    let manifest_name = format!("{MANIFEST_PREFIX}{generation}.json");
    write_atomically(
        &dir.join(&manifest_name),
        &serde_json::to_vec(&manifest).expect("manifest serializes"),
    )?;
    let payload = serde_json::to_string(&Payload {
        format: FORMAT_VERSION,
        manifest: manifest_name.clone(),
    })
    .expect("payload serializes");
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&payload);
    prepared.commit()?;
    writer.wait_merging_threads()?;
    remove_old_manifests(dir, generation);
    report.committed = true;
    finish_report(&mut report, &manifest, start);
    Ok(report)
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

/// The stable order of a record: newer session first, then resolution number, part and
/// the record's place in its file.
pub fn order_key(rec: &Record, part_index: usize, seq: usize) -> u64 {
    let session = 1000u64.saturating_sub(u64::from(rec.session)).min(1023);
    let number: u64 = rec
        .symbol
        .rsplit('/')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0xFFFFF)
        .min(0xFFFFF);
    (session << 44)
        | (number << 24)
        | ((part_index as u64).min(0xF) << 20)
        | (seq as u64).min(0xFFFFF)
}

fn document(
    fields: &Fields,
    jieba: &jieba_rs::Jieba,
    source: &str,
    rec: &Record,
    order: u64,
) -> TantivyDocument {
    let folded = normalize::fold(&rec.text);
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
    let date: u64 = rec
        .date
        .as_deref()
        .map(|d| d.replace('-', ""))
        .and_then(|d| d.parse().ok())
        .unwrap_or(0);
    doc.add_u64(fields.date, date);
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
            let _ = std::fs::remove_file(dir.join(format!("{MANIFEST_PREFIX}{g}.json")));
        }
    }
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
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

/// Has anything under `roots` changed since the index in `dir` was built (a file added,
/// removed, or with another size or time)? Reads only the manifest and file metadata.
pub fn is_stale(dir: &Path, roots: &[PathBuf]) -> bool {
    let Some(manifest) = read_manifest(dir) else {
        return true;
    };
    let list = crate::read::list_files(roots);
    let canonical_roots: Vec<PathBuf> = roots.iter().map(|r| PathBuf::from(file_key(r))).collect();
    let under_roots = manifest
        .files
        .keys()
        .filter(|k| canonical_roots.iter().any(|r| Path::new(k).starts_with(r)))
        .count();
    if under_roots != list.files.len() {
        return true;
    }
    list.files
        .iter()
        .any(|p| match (manifest.files.get(&file_key(p)), stat(p)) {
            (Some(s), Ok((size, mtime))) => s.size != size || s.mtime != mtime,
            _ => true,
        })
}
