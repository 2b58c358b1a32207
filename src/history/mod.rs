//! Wording history: `diff` compares two versions of a resolution paragraph by paragraph
//! (no index needed), `series` finds a resolution's previous and next members in the index
//! and follows one paragraph back through them. Reads the index's series links; hands
//! [`crate::ResolutionDiff`]s and [`crate::HistoryStep`]s to the command line and the server.

pub(crate) mod chars;
pub(crate) mod diff;
pub(crate) mod series;
