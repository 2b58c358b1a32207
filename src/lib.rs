//! unres: exact, fast, paragraph-level search of the UN General Assembly's disarmament
//! resolutions in Chinese.
//!
//! The data's path, one module a stage: [`read`] finds and decodes files, [`parse`] turns
//! text into [`Resolution`]s ([`model`]) with [`cite`]d symbols, [`corpus`] does that for many
//! files in parallel, [`normalize`] and [`tokenize`] prepare text for the [`index`], [`query`]
//! reads the query language ([`traditional`] characters included) and [`search`] answers it,
//! or [`listing`] by resolution and by date. [`fresh`] opens an index, updating it when its
//! corpus changed. [`synth`] writes synthetic corpora for benchmarks and tests.
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

pub mod cite;
pub mod corpus;
pub mod directory;
pub mod error;
pub mod exclusion;
pub mod fresh;
pub mod index;
pub mod listing;
pub mod model;
pub mod normalize;
pub mod parse;
pub mod query;
pub mod read;
pub mod search;
pub mod synth;
pub mod tokenize;
pub mod traditional;

pub use error::{Error, Result};
pub use fresh::open_or_update;
pub use index::{build as build_index, open as open_index, BuildOptions, BuildReport, UnresIndex};
pub use model::{Footnote, Kind, Paragraph, Record, Resolution};
pub use parse::{parse_file, parse_str};
pub use query::{parse as parse_query, Query, QueryError};
pub use search::{Hit, SearchOptions, SearchResults};

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
