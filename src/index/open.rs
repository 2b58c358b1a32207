//! Opening an index for searching: the folder checked (missing, not a folder, not an index,
//! an unfinished first build, another format version), its fields found, a reader made.

use crate::error::{Error, Result};
use crate::index::folder::lock::{ReaderDirectory, WriterLock};
use crate::index::folder::FORMAT_VERSION;
use crate::index::folder::{is_index_dir, payload_of};
use crate::index::order::ORDER;
use crate::index::schema::{register_tokenizers, Fields, DATE, TEXT_HASH};
use crate::index::stored::{KIND, LINE, PARA};
use crate::index::Index;
use std::path::Path;
use tantivy::schema::Schema;
use tantivy::{Index as TantivyIndex, ReloadPolicy};

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
    Ok(Index {
        dir: dir.into(),
        reader,
        fields,
        links: std::sync::OnceLock::new(),
    })
}

/// An index created by a first build that has not committed yet: no payload, no segment.
pub(crate) fn is_unfinished(index: &TantivyIndex) -> bool {
    index
        .load_metas()
        .is_ok_and(|m| m.payload.is_none() && m.segments.is_empty())
}

pub(crate) fn check_format(dir: &Path, index: &TantivyIndex) -> Result<()> {
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
