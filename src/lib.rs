//! unres: exact, fast, paragraph-level search of the UN General Assembly's disarmament
//! resolutions in Chinese.
//!
//! The data's path, one folder a stage, all of it reached through the items re-exported
//! here:
//!
//! | stage | folder | owns | hands on |
//! |---|---|---|---|
//! | read | `read/` | finding corpus files, decoding their bytes | text |
//! | parse | `parse/` | layouts, structure, markers, citations, many files in parallel | [`Resolution`]s |
//! | text | `text/` | folding, tokenizing, traditional characters | folded text, tokens |
//! | index | `index/` | schema, build, open, the index folder's files, freshness | an open [`Index`] |
//! | search | `search/` | the query language, [`Request`] → [`Answer`] | hits, listings, counts |
//! | history | `history/` | series of a resolution, diffs, a paragraph's history | [`ResolutionDiff`], [`HistoryStep`] |
//!
//! `model` (the data) and `error` are shared by all stages. The command line (`src/cli/`)
//! and the server (`src/serve/`) build a [`Request`] and print its [`Answer`]. The
//! command line's crates sit behind the default `cli` feature: a program embedding the
//! library uses `default-features = false`.
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use unres::{Answer, BuildOptions, Request};
//! let report = unres::build_index("index".as_ref(), &["corpus".into()], &BuildOptions::default(), &|_, _| {})?;
//! let index = unres::open_index("index".as_ref())?;
//! let request = Request { query: unres::parse_query("小武器 kind:operative")?, ..Request::default() };
//! if let Answer::Records(page) = index.search(&request)? {
//!     for hit in &page.hits {
//!         println!("{}: {}", hit.record.place(), hit.record.text);
//!     }
//! }
//! # Ok(()) }
//! ```
#![deny(missing_docs)]
#![warn(unreachable_pub)]

mod api;
mod error;
mod history;
mod index;
mod json;
mod model;
mod parse;
mod read;
mod reference;
mod search;
mod text;

// Errors.
pub use error::{Error, Result};
pub use search::query::QueryError;
// Reading and parsing.
pub use model::{Footnote, Kind, ParaRef, Paragraph, Record, Resolution};
pub use parse::corpus::{parse_bytes, parse_file, parse_paths, Parsed};
pub use parse::duplicates::{drop_duplicates, Duplicate};
pub use parse::parse_str;
pub use read::{decode, read_bytes, read_text, MAX_FILE_BYTES};
pub use reference::{RecordRef, Reference};
// Building and opening an index.
pub use index::build::{BuildOptions, BuildReport, FailedFile, Progress};
pub use index::fresh::{
    build_index, is_fresh, open_or_update, open_or_update_with, Freshness, Update,
};
pub use index::open::open as open_index;
pub use index::stats::Stats;
pub use index::Index;
// Asking the index: one request, one answer.
pub use json::{hit_json, AnswerPage};
pub use search::answer::Answer;
pub use search::collapse::{AlsoIn, CollapsedHit, CollapsedResults};
pub use search::first_page::TOTAL_BOUND;
pub use search::highlight::{highlight, snippet, Snippet};
pub use search::listing::{ResolutionCount, ResolutionList, SessionCount, SessionList};
pub use search::params::{
    shorten, Limits, SearchParams, DEFAULT_LIMIT, MAX_LIMIT, MAX_LISTING, MAX_OFFSET,
};
pub use search::query::{
    parse as parse_query, parse_sessions, Atom, Clause, Query, MAX_QUERY_CHARS, MAX_TERMS,
    MAX_TERM_CHARS,
};
pub use search::records::{Hit, SearchResults};
pub use search::request::{Request, Sort, View};
pub use text::normalize::fold;
pub use text::traditional::{converts as converts_to_simplified, to_simplified};
// Comparing versions of a resolution.
pub use history::chars::{char_diff, Change, Op};
pub use history::diff::{
    diff_resolutions, KindSummary, ParagraphDiff, ResolutionDiff, Status, Version,
};
pub use history::series::{
    from_records as resolutions_from_records, history, HistoryStep, SeriesMember,
};

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
