//! The index: schema, parallel batch build (rayon feeds one tantivy writer, one commit),
//! incremental updates driven by a manifest of file sizes, times and hashes, and opening an
//! existing index with its format version checked.
//!
//! Fields: `record` (the stored record: its text and a JSON tail, compressed on its own),
//! `exact` (folded text, character bigrams with positions: the exact layer), `chars` (the
//! most frequent characters the record holds, one term each), `words` (jieba words: ranking),
//! `cites`, `symbol`, `file` (whole-token strings), `session`, `year`, `kind`, `order`
//! and `date` (indexed fast fields for filters and stable ordering), and `text_hash` (the
//! folded text's hash, a fast field). Each commit also writes the series links
//! ([`crate::index::folder::links`]) computed from the manifest.
//!
//! The stage's files: `schema` (fields, tokenizers, documents), `order` (the stable order
//! key), `open`, `build` (with `ingest`, the files read into the writer, `kept`, one
//! file's records for each resolution, and `segments`, what is merged once a build has
//! committed), `stats`, `fresh` (open,
//! updating first when the corpus changed), `statistics` (ranking statistics of the
//! records alone, whatever the index's history), `stored` and `packed` (a record's stored
//! form, compressed on its own against the index's dictionary) and `folder` (every file of
//! the index folder besides tantivy's). Takes parsed [`crate::Resolution`]s; hands an open
//! [`Index`] to the search and history stages.

pub(crate) mod build;
pub(crate) mod columns;
pub(crate) mod folder;
pub(crate) mod fresh;
pub(crate) mod ingest;
pub(crate) mod kept;
pub(crate) mod open;
pub(crate) mod order;
pub(crate) mod packed;
pub(crate) mod schema;
pub(crate) mod segments;
pub(crate) mod statistics;
pub(crate) mod stats;
pub(crate) mod stored;

use schema::Fields;

use std::path::PathBuf;
use tantivy::IndexReader;

/// An open index, ready to search.
pub struct Index {
    /// The folder.
    pub(crate) dir: PathBuf,
    /// The reader of the tantivy index (manual reload).
    pub(crate) reader: IndexReader,
    /// Its fields.
    pub(crate) fields: Fields,
    /// The payload of the commit the reader holds (not of a later one: see
    /// [`open::open`]).
    pub(crate) commit: folder::Payload,
    /// The series links of that commit, mapped when the index is opened (a later commit
    /// deletes the file), or why they could not be read.
    pub(crate) links: std::result::Result<folder::links::Table, String>,
    /// The dictionary of that commit's records, mapped when the index is opened (a later
    /// rebuild may replace the file), or why it could not be read.
    pub(crate) dictionary: std::result::Result<Option<packed::Dictionary>, String>,
    /// The columns of its segments, each opened once ([`columns::Columns`]).
    pub(crate) columns: std::sync::Arc<columns::Columns>,
}
