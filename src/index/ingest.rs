//! Ingesting files into the one writer: the new and changed files read, parsed and
//! segmented in parallel, each file's records handed over in one turn; then, once the
//! duplicates are decided, the records of resolutions left out deleted and the unchanged
//! files holding a resolution newly kept read again ([`Ingest::settle`]).

use crate::index::folder::{FileState, Manifest, PartState};
use crate::index::kept::Settle;
use crate::index::order::key_is_unique;
use crate::index::packed::{Dictionary, Packer};
use crate::index::schema::{documents, part_term, word_count, Fields};
use crate::index::stored::encode;
use crate::parse::corpus::named;
use crate::parse::duplicates::text_hash;
use crate::text::tokenize;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use tantivy::indexer::UserOperation;
use tantivy::{IndexWriter, TantivyError, Term};

/// A file to read: new, or with another size, time or shown path than the manifest says.
pub(crate) struct Candidate {
    /// Its key in the manifest ([`crate::index::folder::file_key`]).
    pub(crate) key: String,
    /// The path to read.
    pub(crate) path: PathBuf,
    /// The path its records name.
    pub(crate) shown: String,
    /// Its size in bytes.
    pub(crate) size: u64,
    /// Its modification time.
    pub(crate) mtime: u64,
}

/// Reading, parsing and segmenting files, each file's records handed to the one writer in
/// one turn.
pub(crate) struct Ingest<'a> {
    pub(crate) writer: &'a IndexWriter,
    pub(crate) fields: &'a Fields,
    pub(crate) old: &'a Manifest,
    /// The index keeps records from before: each file's turn first deletes its old ones.
    pub(crate) replaces: bool,
    /// The index folder's canonical path, which the files' keys start from
    /// ([`crate::index::folder::key_path`]).
    pub(crate) base: &'a Path,
    /// What compresses each record ([`crate::index::packed`]).
    pub(crate) packer: &'a Packer,
}

/// A file's new manifest entry, and whether its records were written (all of them).
pub(crate) type Ingested = (String, FileState, bool);

impl Ingest<'_> {
    /// Ingests every candidate and returns each file's new manifest entry, or the first
    /// error of the writer (such as a full disk).
    pub(crate) fn run(
        &self,
        pool: &rayon::ThreadPool,
        todo: &[Candidate],
        progress: &(dyn Fn(u64, u64) + Sync),
    ) -> Result<Vec<Ingested>, TantivyError> {
        let total: u64 = todo.iter().map(|c| c.size).sum();
        let done = AtomicU64::new(0);
        let error: Mutex<Option<TantivyError>> = Mutex::new(None);
        // tantivy stamps an operation and queues it in two steps. Two threads interleaving
        // there would queue deletes out of stamp order; a segment then stops applying deletes
        // at the first one past its last document, and at commit the skipped delete of a file
        // is applied to that file's new records too, which vanish. So one file's operations
        // go in at a time, its delete first (building them, the costly part, stays parallel).
        // They are queued one by one: tantivy's queue holds 10,000 entries, so a batch a file
        // let whole files pile up while the writer's threads lag behind the parsers (1.4 GB
        // at 20,000 files); queued one by one, at most 10,000 records wait.
        let one_file_at_a_time = Mutex::new(());
        let send = |ops: Vec<UserOperation>| {
            let _turn = one_file_at_a_time.lock().expect("lock");
            for op in ops {
                let sent = match op {
                    UserOperation::Delete(term) if self.replaces => {
                        self.writer.delete_term(term);
                        Ok(())
                    }
                    UserOperation::Delete(_) => Ok(()),
                    UserOperation::Add(doc) => self.writer.add_document(doc).map(|_| ()),
                };
                if let Err(e) = sent {
                    error.lock().expect("lock").get_or_insert(e);
                    return;
                }
            }
        };
        let states: Vec<Ingested> = pool.install(|| {
            todo.par_iter()
                .map(|c| {
                    let (state, wrote) = self.file(c, &send);
                    let now = done.fetch_add(c.size, Ordering::Relaxed) + c.size;
                    progress(now, total);
                    (c.key.clone(), state, wrote)
                })
                .collect()
        });
        match error.into_inner().expect("lock") {
            Some(e) => Err(e),
            None => Ok(states),
        }
    }

    /// One file: read, and unless only touched, parsed and sent in one turn (its old
    /// records go, its new ones come, every resolution of it). Says whether it was sent.
    fn file(&self, c: &Candidate, send: &(dyn Fn(Vec<UserOperation>) + Sync)) -> (FileState, bool) {
        let delete = || UserOperation::Delete(Term::from_field_text(self.fields.file, &c.key));
        let bytes = match crate::read::read_bytes(&c.path) {
            Ok(bytes) => bytes,
            Err(e) => {
                send(vec![delete()]);
                return (failed_state(c, 0, e.to_string()), true);
            }
        };
        let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
        if let Some(s) = self.old.files.get(&c.key) {
            if s.hash == hash && s.error.is_none() && s.shown == c.shown {
                // Touched but not changed: the records in the index are current.
                let state = FileState {
                    size: c.size,
                    mtime: c.mtime,
                    ..s.clone()
                };
                return (state, false);
            }
        }
        match crate::parse::corpus::parse_bytes(&c.path, &bytes) {
            Err(e) => {
                send(vec![delete()]);
                (failed_state(c, hash, e.to_string()), true)
            }
            Ok(resolutions) => {
                let resolutions = named(resolutions, &c.shown);
                let mut ops = vec![delete()];
                let mut words = vec![0u64; resolutions.len()];
                for (pi, count) in words.iter_mut().enumerate() {
                    let one = |i: usize| i == pi;
                    for doc in documents(
                        self.fields,
                        self.packer,
                        tokenize::jieba(),
                        &c.key,
                        &resolutions,
                        &one,
                    ) {
                        *count += word_count(self.fields, &doc);
                        ops.push(UserOperation::Add(doc));
                    }
                }
                send(ops);
                let state = FileState {
                    size: c.size,
                    mtime: c.mtime,
                    hash,
                    resolutions: resolutions.len(),
                    paragraphs: resolutions.iter().map(|r| r.paragraphs.len()).sum(),
                    footnotes: resolutions.iter().map(|r| r.footnotes.len()).sum(),
                    error: None,
                    series: crate::index::folder::keys::keys(&resolutions),
                    shown: c.shown.clone(),
                    parts: resolutions
                        .iter()
                        .zip(words)
                        .map(|(r, words)| PartState {
                            text: text_hash(r),
                            paragraphs: r.paragraphs.len(),
                            footnotes: r.footnotes.len(),
                            words,
                        })
                        .collect(),
                };
                (state, true)
            }
        }
    }

    /// Does what `settle` lists, after every batch of [`Ingest::run`]: deletes the records
    /// of resolutions left out, and reads again the files holding a resolution newly kept
    /// (their records all go, the kept ones come back). A file that cannot be read again
    /// (removed in the meantime) loses its records; the next update sees it gone.
    pub(crate) fn settle(&self, settle: &Settle, manifest: &Manifest) -> Result<(), TantivyError> {
        for (key, place) in &settle.delete {
            self.writer.delete_term(Term::from_field_text(
                self.fields.file,
                &part_term(key, *place),
            ));
        }
        for (key, wanted) in &settle.reread {
            let shown = manifest.files.get(key).map_or("", |s| s.shown.as_str());
            let mut ops = vec![UserOperation::Delete(Term::from_field_text(
                self.fields.file,
                key,
            ))];
            let path = crate::index::folder::key_path(self.base, key);
            if let Ok(rs) = crate::parse::corpus::parse_bytes(
                &path,
                &crate::read::read_bytes(&path).unwrap_or_default(),
            ) {
                let rs = named(rs, shown);
                let keep = |i: usize| wanted.get(i).copied().unwrap_or(false);
                ops.extend(
                    documents(self.fields, self.packer, tokenize::jieba(), key, &rs, &keep)
                        .map(UserOperation::Add),
                );
            }
            self.writer.run(ops)?;
        }
        Ok(())
    }
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
        shown: c.shown.clone(),
        parts: Vec::new(),
    }
}

/// The stored form of the records of some files of `todo`, spread evenly over it, that a
/// dictionary is trained on ([`crate::index::packed`]); files that cannot be read or
/// parsed give none.
pub(crate) fn sample_records(pool: &rayon::ThreadPool, todo: &[Candidate]) -> Vec<Vec<u8>> {
    let picks: Vec<&Candidate> = Dictionary::sampled(todo.len()).map(|i| &todo[i]).collect();
    pool.install(|| {
        picks
            .par_iter()
            .flat_map_iter(|c| {
                let parsed = crate::read::read_bytes(&c.path)
                    .ok()
                    .and_then(|bytes| crate::parse::corpus::parse_bytes(&c.path, &bytes).ok());
                parsed
                    .unwrap_or_default()
                    .iter()
                    .flat_map(|r| {
                        let records = r.records();
                        let unique = key_is_unique(&r.symbol, r.session, r.part.as_deref());
                        records
                            .iter()
                            .enumerate()
                            .map(|(seq, rec)| encode(rec, 0, seq == 0, unique).into_bytes())
                            .collect::<Vec<_>>()
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    })
}
