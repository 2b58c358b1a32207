//! Series of a resolution across sessions, read from the index at query time, and the
//! history of one paragraph along a series.
//!
//! A resolution's predecessor is the earlier resolution its first preamble paragraph recalls
//! (`回顾其 2022 年 12 月 7 日第 77/71 号决议` → `A/RES/77/71`) when the index holds it, else the
//! latest earlier resolution with the same folded title. Its successor is found the other way
//! round. Both are a few term queries on the first preamble paragraphs, so a series is always
//! as current as the index. [`history`] follows one paragraph back through the versions with
//! [`crate::diff_resolutions`].

use crate::diff::{diff_one_kind, Change, Op, Status};
use crate::error::Result;
use crate::index::UnresIndex;
use crate::model::{Footnote, Kind, Paragraph, Record, Resolution};
use crate::normalize::fold;
use crate::query::{Atom, Query};
use crate::search::{term_s, term_u};
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur};

/// How many sessions back (or forward) a title is looked for when no citation links two
/// members of a series.
const TITLE_GAP: u32 = 5;
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
    let pairing = older.and_then(|o| {
        diff_one_kind(o, version, kind)
            .into_iter()
            .find(|d| d.old.is_some() && d.new.as_ref().is_some_and(|n| n.para == para))
    });
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

/// Puts a resolution back together from its records (as [`UnresIndex::records`] gives
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

impl UnresIndex {
    /// The resolution `symbol` as the index holds it: one [`Resolution`] per part (empty
    /// when the index has no such resolution). Its `links` are not kept by the index.
    pub fn resolution(&self, symbol: &str) -> Result<Vec<Resolution>> {
        let mut q = Query::default();
        q.require(Atom::Symbol(symbol.to_string()));
        Ok(from_records(&self.records(&q)?))
    }

    /// The first preamble paragraphs of the resolutions of `session`, or of those citing
    /// `cites` in it when given.
    fn openings(&self, session: Option<u32>, cites: Option<&str>) -> Result<Vec<Record>> {
        let f = self.fields;
        let mut parts = vec![
            (Occur::Must, term_u(f.kind, Kind::Preamble.code())),
            (Occur::Must, term_u(f.para, 1)),
        ];
        if let Some(s) = session {
            parts.push((Occur::Must, term_u(f.session, u64::from(s))));
        }
        if let Some(c) = cites {
            parts.push((Occur::Must, term_s(f.cites, &fold(c))));
        }
        let searcher = self.reader.searcher();
        let top = TopDocs::with_limit(10_000)
            .order_by_u64_field(crate::index::ORDER, tantivy::Order::Asc);
        searcher
            .search(&BooleanQuery::new(parts), &top)?
            .into_iter()
            .map(|(_, addr)| self.load(&searcher, addr))
            .collect()
    }

    /// The earlier member of `r`'s series: the resolution its first preamble paragraph
    /// recalls, else the latest earlier one (at most a few sessions back) with the same
    /// folded title. Ties go to the same part letter, then to the lower symbol.
    pub fn previous(&self, r: &Resolution) -> Result<Option<Resolution>> {
        let opening = r
            .paragraphs
            .iter()
            .find(|p| p.kind == Kind::Preamble && p.number == 1);
        for cited in opening.map(|p| p.cites.as_slice()).unwrap_or_default() {
            if !cited.starts_with("A/RES/") || cited == &r.symbol {
                continue;
            }
            let found = self.resolution(cited)?;
            if let Some(p) = pick_part(found, r) {
                if p.session < r.session {
                    return Ok(Some(p));
                }
            }
        }
        let title = fold(&r.title);
        for session in (r.session.saturating_sub(TITLE_GAP)..r.session).rev() {
            let mut same: Vec<&Record> = Vec::new();
            let openings = self.openings(Some(session), None)?;
            same.extend(openings.iter().filter(|o| fold(&o.title) == title));
            if let Some(o) = best_record(&same, r) {
                let found = self.resolution(&o.symbol)?;
                return Ok(pick_part(found, r));
            }
        }
        Ok(None)
    }

    /// The later member of `r`'s series: a later resolution whose first preamble paragraph
    /// recalls it, else the earliest later one (at most a few sessions on) with the same
    /// folded title and whose predecessor is `r`.
    pub fn next(&self, r: &Resolution) -> Result<Option<Resolution>> {
        let citing = self.openings(None, Some(&r.symbol))?;
        let mut later: Vec<&Record> = citing.iter().filter(|o| o.session > r.session).collect();
        later.sort_by_key(|o| o.session);
        let first_session = later.first().map(|o| o.session);
        later.retain(|o| Some(o.session) == first_session);
        let title = fold(&r.title);
        for session in r.session + 1..=r.session + TITLE_GAP {
            if !later.is_empty() {
                break;
            }
            let openings = self.openings(Some(session), None)?;
            let same: Vec<&Record> = openings
                .iter()
                .filter(|o| fold(&o.title) == title)
                .collect();
            for o in same {
                let cand = pick_part(self.resolution(&o.symbol)?, r);
                let back = match &cand {
                    Some(c) => self.previous(c)?,
                    None => None,
                };
                if back.is_some_and(|b| b.symbol == r.symbol && b.part == r.part) {
                    return Ok(cand);
                }
            }
        }
        match best_record(&later, r) {
            Some(o) => Ok(pick_part(self.resolution(&o.symbol)?, r)),
            None => Ok(None),
        }
    }

    /// The series of the resolution `symbol` (its first part when it has several): every
    /// member, newest first. Empty when the index has no such resolution.
    pub fn series(&self, symbol: &str) -> Result<Vec<Resolution>> {
        let Some(start) = self.resolution(symbol)?.into_iter().next() else {
            return Ok(Vec::new());
        };
        let mut newer = Vec::new();
        let mut at = start.clone();
        while newer.len() < MAX_SERIES {
            match self.next(&at)? {
                Some(n) if n.session > at.session => {
                    newer.push(n.clone());
                    at = n;
                }
                _ => break,
            }
        }
        newer.reverse();
        newer.extend(self.back_from(start, MAX_SERIES)?);
        Ok(newer)
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
    /// series (see [`history`]).
    pub fn history(&self, symbol: &str, kind: Kind, para: u32) -> Result<Vec<HistoryStep>> {
        let Some(start) = self.resolution(symbol)?.into_iter().next() else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        let mut current = find_text(&start, kind, para).map(|text| (kind, para, text));
        let mut version = start;
        while let Some(at) = current.take() {
            let older = if out.len() + 1 < MAX_SERIES {
                self.previous(&version)?
                    .filter(|p| p.session < version.session)
            } else {
                None
            };
            let (step, before) = step_back(&version, older.as_ref(), at);
            out.push(step);
            current = before;
            match older {
                Some(o) => version = o,
                None => break,
            }
        }
        Ok(out)
    }
}

/// Of the parts of a resolution, the one matching `like`'s part letter, else the first.
fn pick_part(parts: Vec<Resolution>, like: &Resolution) -> Option<Resolution> {
    let at = parts.iter().position(|p| p.part == like.part).unwrap_or(0);
    parts.into_iter().nth(at)
}

fn best_record<'a>(candidates: &[&'a Record], like: &Resolution) -> Option<&'a Record> {
    candidates
        .iter()
        .min_by_key(|o| (o.part != like.part, o.symbol.clone()))
        .copied()
}
