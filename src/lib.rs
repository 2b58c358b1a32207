//! unres: exact, fast, paragraph-level search of UN disarmament resolutions in Chinese.
//!
//! The data's path, one module a stage: [`read`] finds and decodes files, [`parse`] turns
//! text into [`Resolution`]s ([`model`]), [`cite`] extracts document symbols.
#![deny(missing_docs)]

pub mod cite;
pub mod corpus;
pub mod error;
pub mod index;
pub mod model;
pub mod normalize;
pub mod parse;
pub mod query;
pub mod read;
pub mod search;
pub mod synth;
pub mod tokenize;

pub use error::{Error, Result};
pub use model::{Footnote, Kind, Paragraph, Record, Resolution};
pub use parse::{parse_file, parse_str};
