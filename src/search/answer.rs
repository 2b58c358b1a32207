//! The answer to a [`Request`]: one variant a [`View`], each holding the results of that
//! view with its totals.

use crate::search::collapse::CollapsedResults;
use crate::search::listing::{ResolutionList, SessionList};
use crate::search::records::SearchResults;
#[cfg(doc)]
use crate::search::request::{Request, View};

/// The answer to a [`Request`], shaped by its [`View`].
#[derive(Debug, Clone)]
pub enum Answer {
    /// A page of records.
    Records(SearchResults),
    /// A page of paragraphs, one a series.
    Paragraphs(CollapsedResults),
    /// The resolutions holding matches.
    Resolutions(ResolutionList),
    /// Matches per session.
    Sessions(SessionList),
}

impl Answer {
    /// How many hits match in all (records, paragraphs, resolutions; for sessions, the
    /// records), or at least, when [`Answer::total_exact`] is false.
    pub fn total(&self) -> usize {
        match self {
            Answer::Records(r) => r.total,
            Answer::Paragraphs(r) => r.total,
            Answer::Resolutions(r) => r.total,
            Answer::Sessions(r) => r.total,
        }
    }

    /// Whether [`Answer::total`] counts every match.
    pub fn total_exact(&self) -> bool {
        match self {
            Answer::Records(r) => r.total_exact,
            Answer::Paragraphs(r) => r.total_exact,
            Answer::Resolutions(_) | Answer::Sessions(_) => true,
        }
    }
}
