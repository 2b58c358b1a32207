//! Series of a resolution across sessions, and the history of one paragraph along a series.
//!
//! The links between members (previous, next) are computed when the index is committed and
//! read from the links table ([`crate::index::folder::links`]); the members themselves are loaded from the
//! index. [`history`] follows one paragraph back through the versions with
//! [`crate::diff_resolutions`].

use crate::error::{Error, Result};
use crate::history::chars::{Change, Op};
use crate::history::diff::{paired_one, Status};
use crate::index::folder::links::Table;
use crate::index::Index;
use crate::model::{Footnote, Kind, Paragraph, Record, Resolution};
use crate::reference::Reference;
use crate::search::query::{Atom, Query};
use serde::Serialize;
/// At most this many resolutions in a series (a guard against citation loops).
const MAX_SERIES: usize = 200;

/// One version of a paragraph in its history, and what changed from the version before it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryStep {
    /// The resolution's symbol (with its part letter).
    pub symbol: String,
    /// The session.
    pub session: u32,
    /// Preamble, operative, annex or footnote.
    pub kind: Kind,
    /// The paragraph's number in this version.
    pub para: u32,
    /// The text in this version.
    pub text: String,
    /// Against the version before it: unchanged, changed, or new (the paragraph's first
    /// version in the series).
    pub status: Status,
    /// The paragraph's place among the others changed from the version before it.
    pub moved: bool,
    /// The character-level diff from the version before it (one `+` span when new).
    pub changes: Vec<Change>,
}

/// The lineage of paragraph `kind` `para` of `versions[0]`, following it back through
/// `versions` (one resolution per session, newest first) to the version where it first
/// appears. Empty when `versions[0]` has no such paragraph.
pub fn history(versions: &[Resolution], kind: Kind, para: u32) -> Vec<HistoryStep> {
    let mut out = Vec::new();
    let Some(first) = versions.first() else {
        return out;
    };
    let mut current = find_text(first, kind, para).map(|text| (kind, para, text));
    for (k, version) in versions.iter().enumerate() {
        let Some(at) = current.take() else {
            break;
        };
        let (step, before) = step_back(version, versions.get(k + 1), at);
        out.push(step);
        current = before;
    }
    out
}

/// One step of a history: paragraph `at` (kind, number, text) of `version` against `older`,
/// and the older version's paragraph it comes from, if any.
fn step_back(
    version: &Resolution,
    older: Option<&Resolution>,
    (kind, para, text): (Kind, u32, String),
) -> (HistoryStep, Option<(Kind, u32, String)>) {
    let pairing = older.and_then(|o| paired_one(o, version, kind, para));
    let mut step = HistoryStep {
        symbol: version.full_symbol(),
        session: version.session,
        kind,
        para,
        text: text.clone(),
        status: Status::New,
        moved: false,
        changes: vec![Change(Op::Insert, text)],
    };
    let Some(d) = pairing else {
        return (step, None);
    };
    step.status = d.status;
    step.moved = d.moved;
    step.changes = d.changes;
    let o = d.old.expect("filtered on a paired paragraph");
    (step, Some((o.kind, o.para, o.text)))
}

fn find_text(r: &Resolution, kind: Kind, para: u32) -> Option<String> {
    if kind == Kind::Footnote {
        return r
            .footnotes
            .iter()
            .find(|f| f.number == para)
            .map(|f| f.text.clone());
    }
    r.paragraphs
        .iter()
        .find(|p| p.kind == kind && p.number == para)
        .map(|p| p.text.clone())
}

/// Puts a resolution back together from its records (as [`Index::records_of`] gives
/// them, in document order): one resolution per symbol, part and file.
pub fn from_records(records: &[Record]) -> Vec<Resolution> {
    let mut out: Vec<Resolution> = Vec::new();
    for r in records {
        let same = out.last().is_some_and(|last| {
            last.symbol == r.symbol && last.part == r.part && last.file == r.file
        });
        if !same {
            out.push(Resolution {
                file: r.file.clone(),
                symbol: r.symbol.clone(),
                part: r.part.clone(),
                session: r.session,
                number: r.symbol.rsplit('/').next().unwrap_or_default().to_string(),
                title: r.title.clone(),
                date: r.date.clone(),
                meeting: r.meeting,
                links: Vec::new(),
                paragraphs: Vec::new(),
                footnotes: Vec::new(),
            });
        }
        let res = out.last_mut().expect("just pushed");
        if r.kind == Kind::Footnote {
            res.footnotes.push(Footnote {
                number: r.para,
                text: r.text.clone(),
                cited_by: r.cited_by.clone(),
                cites: r.cites.clone(),
                line: r.line,
            });
        } else {
            res.paragraphs.push(Paragraph {
                kind: r.kind,
                number: r.para,
                text: r.text.clone(),
                footnotes: r.footnotes.clone(),
                cites: r.cites.clone(),
                line: r.line,
            });
        }
    }
    out
}

/// A member of a series as its neighbours name it: its symbol, part letter and session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeriesMember {
    /// Its symbol, `A/RES/77/71`.
    pub symbol: String,
    /// Its part letter, where the resolution has parts.
    pub part: Option<String>,
    /// Its session.
    pub session: u32,
}

impl Index {
    /// The resolution `symbol` as the index holds it: one [`Resolution`] per part (empty
    /// when the index has no such resolution). Its `links` are not kept by the index.
    pub fn resolution(&self, symbol: &str) -> Result<Vec<Resolution>> {
        let mut q = Query::default();
        q.require(Atom::Symbol(symbol.to_string()));
        Ok(from_records(&self.records(&q)?))
    }

    /// The resolution `reference` names: its part, or its first part when it names none
    /// (as `diff` takes it). `None` when the index has no such resolution or part.
    pub fn resolution_at(&self, reference: &Reference) -> Result<Option<Resolution>> {
        let parts = self.resolution(&reference.symbol)?;
        Ok(match &reference.part {
            Some(p) => parts.into_iter().find(|r| r.part.as_ref() == Some(p)),
            None => parts.into_iter().next(),
        })
    }

    /// The history of the record `reference` names (`A/RES/78/47 B op.3`), newest first:
    /// through the series of its resolution's first part, or of the part it names. Empty
    /// when the index has no such record; an error when the reference names no record.
    pub fn history_at(&self, reference: &Reference) -> Result<Vec<HistoryStep>> {
        let Some(record) = reference.record else {
            return Err(Error::Param {
                name: "ref",
                message: format!(
                    "`{reference}` names no record; add one such as `op.3` (pp. preamble, op. operative, fn. footnote)"
                ),
            });
        };
        let parts = self.resolution(&reference.symbol)?;
        match &reference.part {
            Some(p) if parts.first().and_then(|r| r.part.as_ref()) != Some(p) => {
                let Some(start) = parts.into_iter().find(|r| r.part.as_ref() == Some(p)) else {
                    return Ok(Vec::new());
                };
                Ok(history(
                    &self.back_from(start, MAX_SERIES)?,
                    record.kind,
                    record.number,
                ))
            }
            _ => self.history(&reference.symbol, record.kind, record.number),
        }
    }

    /// The resolution of entry `at` of the links table.
    fn member(&self, table: &Table, at: usize) -> Result<Option<Resolution>> {
        let parts = self.resolution(table.symbol(at))?;
        let pick = parts
            .iter()
            .position(|p| p.part.as_deref() == table.part(at))
            .unwrap_or(0);
        Ok(parts.into_iter().nth(pick))
    }

    /// The linked member (`step` gives the previous or the next one) of `r` in its series.
    fn linked(
        &self,
        r: &Resolution,
        step: impl Fn(&Table, usize) -> Option<usize>,
    ) -> Result<Option<Resolution>> {
        let table = self.links()?;
        match table
            .find(&r.symbol, r.part.as_deref())
            .and_then(|i| step(table, i))
        {
            Some(at) => self.member(table, at),
            None => Ok(None),
        }
    }

    /// The earlier member of `r`'s series, as linked by the commit the index was opened at
    /// (see [`crate::index::folder::links`]): the resolution its first preamble paragraph recalls, else
    /// the latest earlier one (at most a few sessions back) with the same folded title.
    /// `None` when there is none or `r` is not in the index.
    pub fn previous(&self, r: &Resolution) -> Result<Option<Resolution>> {
        self.linked(r, Table::previous)
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
        let table = self.links()?;
        let Some(at) = table.find(symbol, part) else {
            return Ok((None, None));
        };
        let session = table.session(at);
        let member = |i: usize| SeriesMember {
            symbol: table.symbol(i).to_string(),
            part: table.part(i).map(str::to_string),
            session: table.session(i),
        };
        Ok((
            table
                .previous(at)
                .filter(|&i| table.session(i) < session)
                .map(member),
            table
                .next(at)
                .filter(|&i| table.session(i) > session)
                .map(member),
        ))
    }

    /// The later member of `r`'s series: the earliest resolution whose previous member is
    /// `r` (ties: the same part letter, then the lower symbol).
    pub fn next(&self, r: &Resolution) -> Result<Option<Resolution>> {
        self.linked(r, Table::next)
    }

    /// The symbols (with part letters) and sessions of the series of the resolution
    /// `symbol` (its first part when it has several), newest first, read from the links
    /// alone. Empty when the index has no such resolution.
    pub fn series_symbols(&self, symbol: &str) -> Result<Vec<(String, Option<String>, u32)>> {
        let table = self.links()?;
        let Some(start) = table.find(symbol, None) else {
            return Ok(Vec::new());
        };
        Ok(chain(table, start)
            .into_iter()
            .map(|i| {
                (
                    table.symbol(i).to_string(),
                    table.part(i).map(str::to_string),
                    table.session(i),
                )
            })
            .collect())
    }

    /// The series of the resolution `symbol` (its first part when it has several): every
    /// member, newest first. Empty when the index has no such resolution.
    pub fn series(&self, symbol: &str) -> Result<Vec<Resolution>> {
        let Some(start) = self.resolution(symbol)?.into_iter().next() else {
            return Ok(Vec::new());
        };
        let table = self.links()?;
        let Some(at) = table.find(&start.symbol, start.part.as_deref()) else {
            return Ok(vec![start]);
        };
        let mut out = Vec::new();
        for i in chain(table, at) {
            if i == at {
                out.push(start.clone());
            } else if let Some(r) = self.member(table, i)? {
                out.push(r);
            }
        }
        Ok(out)
    }

    /// `start` and its predecessors, newest first, at most `max` of them.
    pub fn back_from(&self, start: Resolution, max: usize) -> Result<Vec<Resolution>> {
        let mut out = vec![start];
        while out.len() < max {
            let last = out.last().expect("not empty");
            match self.previous(last)? {
                Some(p) if p.session < last.session => out.push(p),
                _ => break,
            }
        }
        Ok(out)
    }

    /// The history of paragraph `kind` `para` of resolution `symbol`, back through its
    /// series (see [`history`]). Only the records of that kind are loaded: a history
    /// compares nothing else.
    pub fn history(&self, symbol: &str, kind: Kind, para: u32) -> Result<Vec<HistoryStep>> {
        let load = |symbol: &str, part: Option<&str>| -> Result<Option<Resolution>> {
            let mut q = Query::default();
            q.require(Atom::Symbol(symbol.to_string()));
            q.require(Atom::Kind(kind));
            let parts = from_records(&self.records(&q)?);
            let pick = parts
                .iter()
                .position(|p| p.part.as_deref() == part)
                .unwrap_or(0);
            Ok(parts.into_iter().nth(pick))
        };
        let Some(start) = load(symbol, None)? else {
            return Ok(Vec::new());
        };
        let table = self.links()?;
        let mut at = table.find(&start.symbol, start.part.as_deref());
        let mut out = Vec::new();
        let mut current = find_text(&start, kind, para).map(|text| (kind, para, text));
        let mut version = start;
        while let Some(here) = current.take() {
            let before = at.and_then(|i| table.previous(i));
            let older = match before {
                Some(p) if out.len() + 1 < MAX_SERIES => {
                    load(table.symbol(p), table.part(p))?.filter(|o| o.session < version.session)
                }
                _ => None,
            };
            let (step, back) = step_back(&version, older.as_ref(), here);
            out.push(step);
            current = back;
            match older {
                Some(o) => {
                    version = o;
                    at = before;
                }
                None => break,
            }
        }
        Ok(out)
    }
}

/// The members of the series of entry `at`, newest first: its next members, itself, its
/// previous members (at most [`MAX_SERIES`]).
fn chain(table: &Table, at: usize) -> Vec<usize> {
    let mut newer = Vec::new();
    let mut i = at;
    while let Some(n) = table.next(i) {
        if newer.len() >= MAX_SERIES || table.session(n) <= table.session(i) {
            break;
        }
        newer.push(n);
        i = n;
    }
    newer.reverse();
    newer.push(at);
    let mut i = at;
    while let Some(p) = table.previous(i) {
        if newer.len() >= MAX_SERIES {
            break;
        }
        newer.push(p);
        i = p;
    }
    newer
}
