//! The one way to ask an open index: a plain [`Request`] value says what matches (the
//! [`Query`]), what comes back ([`View`]), in which [`Sort`] order, which page, and whether
//! totals must be exact; [`crate::Index::search`] answers it with an [`crate::Answer`]. The command
//! line and the server build a request from their flags or parameters and print the answer.

use crate::search::query::Query;

/// What a search returns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum View {
    /// The matching records, one page of them ([`crate::Answer::Records`]).
    #[default]
    Records,
    /// The matching paragraphs, one a series: each paragraph once in its newest version,
    /// with the other sessions where its text matches ([`crate::Answer::Paragraphs`]).
    Paragraphs,
    /// The resolutions holding matches, each with its number of matching records
    /// ([`crate::Answer::Resolutions`]).
    Resolutions,
    /// The number of matching records in each session ([`crate::Answer::Sessions`]).
    Sessions,
}

impl View {
    /// Reads `records`, `paragraphs`, `resolutions` or `sessions`.
    pub fn parse(s: &str) -> Option<View> {
        match s.to_ascii_lowercase().as_str() {
            "records" => Some(View::Records),
            "paragraphs" => Some(View::Paragraphs),
            "resolutions" => Some(View::Resolutions),
            "sessions" => Some(View::Sessions),
            _ => None,
        }
    }
}

/// The order of what comes back. With the `cli` feature, also the values of the command
/// line's `--sort` (clap's `ValueEnum`): one list of names for every way in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best match first (records: BM25, ties newer session first then paragraph order;
    /// resolutions: most matching records first, ties newer first; sessions: oldest first).
    #[default]
    Relevance,
    /// Latest adoption date first (unknown dates last), then resolution and paragraph order
    /// (sessions: newest first).
    Newest,
    /// Earliest adoption date first (unknown dates last), then resolution and paragraph
    /// order (sessions: oldest first).
    Oldest,
}

impl Sort {
    /// Reads `relevance`, `newest` or `oldest`.
    pub fn parse(s: &str) -> Option<Sort> {
        match s.to_ascii_lowercase().as_str() {
            "relevance" => Some(Sort::Relevance),
            "newest" => Some(Sort::Newest),
            "oldest" => Some(Sort::Oldest),
            _ => None,
        }
    }
}

/// A question to the index.
///
/// `limit: 0` with `exact_total: true` asks for the totals alone (what `--count` prints):
/// no record is loaded.
///
/// ```no_run
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let index = unres::open_index("index".as_ref())?;
/// let request = unres::Request {
///     query: unres::parse_query("小武器 kind:operative")?,
///     view: unres::View::Paragraphs,
///     ..unres::Request::default()
/// };
/// let answer = index.search(&request)?;
/// println!("{} paragraphs", answer.total());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// What matches.
    pub query: Query,
    /// What comes back.
    pub view: View,
    /// In which order.
    pub sort: Sort,
    /// Skip this many hits (records, paragraphs, resolutions or sessions) first.
    pub offset: usize,
    /// At most this many hits.
    pub limit: usize,
    /// Count every match for the totals, however many there are. Otherwise a total past
    /// [`crate::TOTAL_BOUND`] matches may be a lower bound ([`crate::Answer::total_exact`]), which
    /// lets a broad query's first page skip evaluating every match.
    pub exact_total: bool,
}

impl Default for Request {
    /// Every record, best first, the first ten.
    fn default() -> Self {
        Request {
            query: Query::default(),
            view: View::Records,
            sort: Sort::Relevance,
            offset: 0,
            limit: 10,
            exact_total: false,
        }
    }
}

impl Request {
    /// Whether only the totals are asked for (`limit: 0` with exact totals).
    pub fn counts_only(&self) -> bool {
        self.limit == 0 && self.exact_total
    }

    /// The page asked for, as the search paths take it.
    pub(crate) fn options(&self) -> SearchOptions {
        SearchOptions {
            limit: self.limit,
            offset: self.offset,
            exact_total: self.exact_total,
        }
    }
}

/// How many hits, from where, and whether totals must be exact: a [`Request`]'s page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SearchOptions {
    /// At most this many hits.
    pub(crate) limit: usize,
    /// Skip this many hits first.
    pub(crate) offset: usize,
    /// Count every match for the totals.
    pub(crate) exact_total: bool,
}
