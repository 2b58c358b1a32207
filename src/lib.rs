//! unres: exact, fast, paragraph-level search of the UN General Assembly's disarmament
//! resolutions in Chinese.
//!
//! The data's path, one private module a stage, all of it reached through the items
//! re-exported here: `read` finds and decodes files, `parse` turns text into
//! [`Resolution`]s (`model`) with `cite`d symbols, `corpus` does that for many files in
//! parallel, `normalize` and `tokenize` prepare text for the `index`, `query` reads the
//! query language (`traditional` characters included) and `search` answers it, or `listing`
//! by resolution and by date, or `collapse` one paragraph a series. `links` are the series
//! computed at each commit; `diff` and `series` compare the versions of a resolution.
//! `fresh` opens an index, updating it when its corpus changed.
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use unres::{BuildOptions, SearchOptions};
//! let report = unres::build_index("index".as_ref(), &["corpus".into()], &BuildOptions::default(), &|_, _| {})?;
//! let index = unres::open_index("index".as_ref())?;
//! let hits = index.search(&unres::parse_query("小武器 kind:operative")?, SearchOptions::default())?;
//! for hit in &hits.hits {
//!     println!("{}: {}", hit.record.place(), hit.record.text);
//! }
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

mod cite;
mod collapse;
mod corpus;
mod diff;
mod directory;
mod error;
mod exclusion;
mod first_page;
mod fresh;
mod index;
mod links;
mod listing;
mod model;
mod normalize;
mod parse;
mod query;
mod read;
mod search;
mod series;
mod tokenize;
mod traditional;

// Errors.
pub use error::{Error, Result};
pub use query::QueryError;
// Reading and parsing.
pub use corpus::{parse_bytes, parse_file, parse_paths, Parsed};
pub use model::{Footnote, Kind, ParaRef, Paragraph, Record, Resolution};
pub use parse::parse_str;
pub use read::{decode, read_bytes, read_text, MAX_FILE_BYTES};
// Comparing versions of a resolution.
pub use diff::{
    char_diff, diff_resolutions, Change, KindSummary, Op, ParagraphDiff, ResolutionDiff, Status,
    Version,
};
pub use series::{from_records as resolutions_from_records, history, HistoryStep};
// Building and opening an index.
pub use fresh::{is_fresh, open_or_update, open_or_update_with, Freshness};
pub use index::{
    build as build_index, open as open_index, BuildOptions, BuildReport, FailedFile, Progress,
    UnresIndex,
};
// Queries and answers.
pub use collapse::{AlsoIn, CollapsedHit, CollapsedResults};
pub use first_page::TOTAL_BOUND;
pub use listing::{ResolutionCount, Sort};
pub use normalize::fold;
pub use query::{
    parse as parse_query, Atom, Clause, Query, MAX_QUERY_CHARS, MAX_TERMS, MAX_TERM_CHARS,
};
pub use search::{highlight, snippet, Hit, SearchOptions, SearchResults, Snippet, Stats};
pub use traditional::{converts as converts_to_simplified, to_simplified};

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
