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
    /// [`Index::resolution`]'s work.
    pub(crate) fn load_resolution(&self, symbol: &str) -> Result<Vec<Resolution>> {
        let mut q = Query::default();
        q.require(Atom::Symbol(symbol.to_string()));
        Ok(from_records(&self.records(&q)?))
    }

    /// [`Index::resolution_at`]'s work.
    pub(crate) fn load_resolution_at(&self, reference: &Reference) -> Result<Option<Resolution>> {
        let parts = self.resolution(&reference.symbol)?;
        Ok(match &reference.part {
            Some(p) => parts.into_iter().find(|r| r.part.as_ref() == Some(p)),
            None => parts.into_iter().next(),
        })
    }

    /// [`Index::history_at`]'s work.
    pub(crate) fn history_of_reference(&self, reference: &Reference) -> Result<Vec<HistoryStep>> {
        let Some(record) = reference.record else {
            return Err(Error::Param {
                name: "ref",
                message: format!(
                    "`{reference}` names no record; add one such as `op.3` (op.N, pre.N, fn.N or annex.N)"
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

    /// [`Index::resolution_named`]'s work.
    pub(crate) fn named_resolution(&self, reference: &Reference) -> Result<Resolution> {
        let parts = self.resolution(&reference.symbol)?;
        let missing = |message: String| Err(Error::NotFound { message });
        let Some(first) = parts.first() else {
            return missing(format!("no resolution {} in the index", reference.symbol));
        };
        let symbol = first.symbol.clone();
        match &reference.part {
            None => Ok(parts.into_iter().next().expect("not empty")),
            Some(p) => match parts.into_iter().find(|r| r.part.as_ref() == Some(p)) {
                Some(r) => Ok(r),
                None => missing(format!("{symbol} has no part {p}")),
            },
        }
    }

    /// [`Index::versions`]'s work.
    pub(crate) fn versions_compared(
        &self,
        old: Option<&Reference>,
        new: &Reference,
    ) -> Result<(Resolution, Resolution)> {
        let new = self.resolution_named(new)?;
        let old = match old {
            Some(old) => self.resolution_named(old)?,
            None => self.previous(&new)?.ok_or_else(|| Error::NotFound {
                message: format!("{} has no earlier member in its series", new.full_symbol()),
            })?,
        };
        Ok((old, new))
    }

    /// [`Index::previous`]'s work.
    pub(crate) fn previous_member(&self, r: &Resolution) -> Result<Option<Resolution>> {
        self.linked(r, Table::previous)
    }

    /// [`Index::neighbours`]'s work.
    pub(crate) fn neighbours_in_links(
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

    /// [`Index::next`]'s work.
    pub(crate) fn next_member(&self, r: &Resolution) -> Result<Option<Resolution>> {
        self.linked(r, Table::next)
    }

    /// [`Index::series_symbols`]'s work.
    pub(crate) fn series_in_links(
        &self,
        symbol: &str,
    ) -> Result<Vec<(String, Option<String>, u32)>> {
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

    /// [`Index::series`]'s work.
    pub(crate) fn series_members(&self, symbol: &str) -> Result<Vec<Resolution>> {
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

    /// [`Index::back_from`]'s work.
    pub(crate) fn members_back_from(
        &self,
        start: Resolution,
        max: usize,
    ) -> Result<Vec<Resolution>> {
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

    /// [`Index::history`]'s work.
    pub(crate) fn paragraph_history(
        &self,
        symbol: &str,
        kind: Kind,
        para: u32,
    ) -> Result<Vec<HistoryStep>> {
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
