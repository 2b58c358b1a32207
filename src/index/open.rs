//! Opening an index for searching: the folder checked (missing, not a folder, not an index,
//! an unfinished first build, another format version), its fields found, a reader made.

use crate::error::{Error, Result};
use crate::index::folder::links::Table;
use crate::index::folder::lock::{ReaderDirectory, WriterLock};
use crate::index::folder::FORMAT_VERSION;
use crate::index::folder::{is_index_dir, payload_of, Payload};
use crate::index::order::ORDER;
use crate::index::packed::Dictionary;
use crate::index::schema::{register_tokenizers, Fields, DATE, TEXT_HASH};
use crate::index::stored::{KIND, LINE, PARA};
use crate::index::Index;
use std::path::Path;
use tantivy::schema::Schema;
use tantivy::{Index as TantivyIndex, IndexReader, ReloadPolicy};

pub(crate) fn damaged(dir: &Path, detail: impl Into<String>) -> Error {
    Error::Damaged {
        path: dir.into(),
        detail: detail.into(),
    }
}

/// Opens the index in `dir` for searching, checking that it is an `unres` index of this
/// format version.
pub fn open(dir: &Path) -> Result<Index> {
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
    let index = TantivyIndex::open(ReaderDirectory::open(dir)?).map_err(|e| {
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
    let (reader, commit) = reader_and_commit(dir, &index)?;
    let links = Table::read(dir, &commit.manifest).map_err(|e| match e {
        Error::Damaged { detail, .. } => detail,
        other => other.to_string(),
    });
    let dictionary = match &commit.dictionary {
        Some(name) => Dictionary::read(dir, name).map(Some).map_err(|e| match e {
            Error::Damaged { detail, .. } => detail,
            other => other.to_string(),
        }),
        None => Ok(None),
    };
    Ok(Index {
        dir: dir.into(),
        reader,
        fields,
        commit,
        links,
        dictionary,
        columns: Default::default(),
    })
}

/// How many times a reader is made again when a commit lands while the index is opened.
const OPEN_TRIES: usize = 20;

/// A reader and the payload of the commit it reads. The reader loads `meta.json` when it
/// is made and the payload is read from it again after: a commit landing in between (an
/// `unres index` beside a server) would pair one commit's counts and series links with
/// another's records. The two are compared by their segments and deletes, and the reader
/// is made again until they agree.
fn reader_and_commit(dir: &Path, index: &TantivyIndex) -> Result<(IndexReader, Payload)> {
    for _ in 0..OPEN_TRIES {
        let reader: IndexReader = index
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
        let metas = index.load_metas().map_err(|e| {
            damaged(
                dir,
                format!(
                    "cannot read the last commit ({})",
                    crate::error::engine_message(&e)
                ),
            )
        })?;
        let searcher = reader.searcher();
        let held = searcher.generation().segments();
        let same = metas.segments.len() == held.len()
            && metas
                .segments
                .iter()
                .all(|m| held.get(&m.id()) == Some(&m.delete_opstamp()));
        if same {
            let payload: Option<Payload> = metas
                .payload
                .as_deref()
                .and_then(|p| serde_json::from_str(p).ok());
            let payload = check_payload(dir, payload)?;
            return Ok((reader, payload));
        }
    }
    // Another process committed each time: it is still writing.
    Err(Error::Locked { path: dir.into() })
}

/// An index created by a first build that has not committed yet: no payload, no segment.
pub(crate) fn is_unfinished(index: &TantivyIndex) -> bool {
    index
        .load_metas()
        .is_ok_and(|m| m.payload.is_none() && m.segments.is_empty())
}

pub(crate) fn check_format(dir: &Path, index: &TantivyIndex) -> Result<()> {
    check_payload(dir, payload_of(index)).map(drop)
}

/// The payload of an index of this format version, or the error saying what it is.
fn check_payload(dir: &Path, payload: Option<Payload>) -> Result<Payload> {
    match payload {
        Some(p) if p.format == FORMAT_VERSION => Ok(p),
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

pub(crate) fn fields_of(dir: &Path, schema: &Schema) -> Result<Fields> {
    let (_, expected) = crate::index::schema::schema();
    let get = |name: &str| {
        schema
            .get_field(name)
            .map_err(|_| damaged(dir, format!("the index lacks field `{name}`")))
    };
    let fields = Fields {
        record: get("record")?,
        exact: get("exact")?,
        words: get("words")?,
        chars: get("chars")?,
        cites: get("cites")?,
        symbol: get("symbol")?,
        file: get("file")?,
        session: get("session")?,
        year: get("year")?,
        kind: get(KIND)?,
        order: get(ORDER)?,
        para: get(PARA)?,
        line: get(LINE)?,
        date: get(DATE)?,
        text_hash: get(TEXT_HASH)?,
    };
    debug_assert_eq!(fields.order, expected.order);
    Ok(fields)
}

/// Is there an index (of any version) in `dir`?
pub(crate) fn has_index(dir: &Path) -> bool {
    is_index_dir(dir)
}
