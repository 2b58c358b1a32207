//! What an open index can answer: every public method of [`Index`], in one file, as the
//! index's questions. Each delegates to the stage that does the work: `search/` (a
//! [`Request`]'s answer, a resolution's records), `index/` (the counts a commit keeps and
//! the commit itself) and `history/` (series, previous and next members, a paragraph's
//! history). The command line, the server and the Python package ask only these.

#[cfg(doc)]
use crate::error::Error;
use crate::error::Result;
use crate::history::series::{HistoryStep, SeriesMember};
use crate::index::stats::Stats;
use crate::index::Index;
use crate::model::{Kind, Record, Resolution};
use crate::reference::Reference;
use crate::search::answer::Answer;
use crate::search::request::Request;
use std::path::Path;

/// Searching.
impl Index {
    /// Answers a request: what matches, in the view, order and page it asks for.
    ///
    /// Deterministic: ties fall back to the index's stable order (newer session first,
    /// then resolution number, part and paragraph order), whatever the index's history.
    pub fn search(&self, request: &Request) -> Result<Answer> {
        self.answer(request)
    }

    /// Every record of the resolution `symbol` (all its parts), in document order: what
    /// `unres show` prints. Empty when the index has no such resolution.
    pub fn records_of(&self, symbol: &str) -> Result<Vec<Record>> {
        self.records_of_symbol(symbol)
    }

    /// The records `reference` names, in document order: the whole resolution (all its
    /// parts, or the part it names), or the record it names (in each part that has one,
    /// unless it names a part): what `show` prints. [`Error::NotFound`] saying which is
    /// missing (the resolution, its part or the record) when there are none.
    pub fn records_at(&self, reference: &Reference) -> Result<Vec<Record>> {
        self.records_named(reference)
    }

    /// The footnotes a paragraph cites, or for a footnote the paragraphs citing it.
    pub fn related(&self, record: &Record) -> Result<Vec<Record>> {
        self.related_records(record)
    }
}

/// The index itself.
impl Index {
    /// Counts records by session and kind, and resolutions, as of the commit the index
    /// was opened at: read from the commit itself, which keeps them.
    pub fn stats(&self) -> Result<Stats> {
        self.commit_stats()
    }

    /// The index's folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether the folder now holds a newer commit than the one this index reads (a later
    /// build or update committed): open the folder again to read it. Reads the commit's
    /// small `meta.json`; `false` when it cannot be read.
    pub fn superseded(&self) -> bool {
        crate::index::folder::committed_manifest(&self.dir)
            .is_some_and(|latest| latest != self.commit.manifest)
    }
}

/// Resolutions, their series and a paragraph's history.
impl Index {
    /// The resolution `symbol` as the index holds it: one [`Resolution`] per part (empty
    /// when the index has no such resolution). Its `links` are not kept by the index.
    pub fn resolution(&self, symbol: &str) -> Result<Vec<Resolution>> {
        self.load_resolution(symbol)
    }

    /// The resolution `reference` names: its part, or its first part when it names none
    /// (as `diff` takes it). `None` when the index has no such resolution or part.
    pub fn resolution_at(&self, reference: &Reference) -> Result<Option<Resolution>> {
        self.load_resolution_at(reference)
    }

    /// The history of the record `reference` names (`A/RES/78/47 B op.3`), newest first:
    /// through the series of its resolution's first part, or of the part it names. Empty
    /// when the index has no such record; an error when the reference names no record.
    pub fn history_at(&self, reference: &Reference) -> Result<Vec<HistoryStep>> {
        self.history_of_reference(reference)
    }

    /// The resolution `reference` names: its part, or its first part when it names none.
    /// [`Error::NotFound`] saying which is missing (the resolution or its part).
    pub fn resolution_named(&self, reference: &Reference) -> Result<Resolution> {
        self.named_resolution(reference)
    }

    /// The two versions a diff compares, `(old, new)`: the resolutions `old` and `new`
    /// name, or without `old`, `new` and the previous member of its series.
    /// [`Error::NotFound`] saying what is missing (a resolution, a part, an earlier member).
    pub fn versions(
        &self,
        old: Option<&Reference>,
        new: &Reference,
    ) -> Result<(Resolution, Resolution)> {
        self.versions_compared(old, new)
    }

    /// The earlier member of `r`'s series, as linked by the commit the index was opened at
    /// (see [`crate::index::folder::links`]): the resolution its first preamble paragraph recalls, else
    /// the latest earlier one (at most a few sessions back) with the same folded title.
    /// `None` when there is none or `r` is not in the index.
    pub fn previous(&self, r: &Resolution) -> Result<Option<Resolution>> {
        self.previous_member(r)
    }

    /// The earlier and the later member of the series of the resolution `symbol` (its part
    /// `part`), read from the links alone: what a page offers as "previous" and "next", and
    /// whether a comparison with the previous member exists. `(None, None)` when the index
    /// holds no such resolution or it stands alone.
    pub fn neighbours(
        &self,
        symbol: &str,
        part: Option<&str>,
    ) -> Result<(Option<SeriesMember>, Option<SeriesMember>)> {
        self.neighbours_in_links(symbol, part)
    }

    /// The later member of `r`'s series: the earliest resolution whose previous member is
    /// `r` (ties: the same part letter, then the lower symbol).
    pub fn next(&self, r: &Resolution) -> Result<Option<Resolution>> {
        self.next_member(r)
    }

    /// The symbols (with part letters) and sessions of the series of the resolution
    /// `symbol` (its first part when it has several), newest first, read from the links
    /// alone. Empty when the index has no such resolution.
    pub fn series_symbols(&self, symbol: &str) -> Result<Vec<(String, Option<String>, u32)>> {
        self.series_in_links(symbol)
    }

    /// The series of the resolution `symbol` (its first part when it has several): every
    /// member, newest first. Empty when the index has no such resolution.
    pub fn series(&self, symbol: &str) -> Result<Vec<Resolution>> {
        self.series_members(symbol)
    }

    /// `start` and its predecessors, newest first, at most `max` of them.
    pub fn back_from(&self, start: Resolution, max: usize) -> Result<Vec<Resolution>> {
        self.members_back_from(start, max)
    }

    /// The history of paragraph `kind` `para` of resolution `symbol`, back through its
    /// series (see [`history`]). Only the records of that kind are loaded: a history
    /// compares nothing else.
    pub fn history(&self, symbol: &str, kind: Kind, para: u32) -> Result<Vec<HistoryStep>> {
        self.paragraph_history(symbol, kind, para)
    }
}
