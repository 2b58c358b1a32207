//! The structure shared by both layouts: title, preamble and operative paragraphs, date,
//! meeting, parts and annex recognised in the logical units, footnote markers resolved
//! ([`super::markers`]) and citations gathered ([`super::cite`]).

use super::cite;
use super::markers::{take_markers, Known};
use super::units::*;
use crate::error::{Error, Result};
use crate::model::{Footnote, Kind, ParaRef, Paragraph, Resolution};
use regex::Regex;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

pub(super) struct Title {
    pub(super) session: u32,
    pub(super) number: String,
    pub(super) part: Option<String>,
    pub(super) title: String,
}

pub(super) fn title_of(text: &str) -> Option<Title> {
    if !text.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    static RE: OnceLock<Regex> = OnceLock::new();
    let c = re(
        &RE,
        r"^(\d{1,3})\s*/\s*(\d{1,4})(?:\s*([A-Z]))?\s*[.．]\s*(\S.*)$",
    )
    .captures(text)?;
    let session: u32 = c[1].parse().ok()?;
    if session == 0 {
        return None;
    }
    Some(Title {
        session,
        number: c[2].to_string(),
        part: c.get(3).map(|m| m.as_str().to_string()),
        title: unmarked(c[4].trim()),
    })
}

/// `23. 回顾…` → (23, `回顾…`): an operative paragraph's printed number and its text.
pub(super) fn operative_of(text: &str) -> Option<(u32, &str)> {
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 3 {
        return None;
    }
    let rest = text[digits..].trim_start();
    let body = rest
        .strip_prefix('.')
        .or_else(|| rest.strip_prefix('．'))?
        .trim_start();
    if body.is_empty() {
        return None;
    }
    Some((text[..digits].parse().ok()?, body))
}

pub(super) fn date_of(text: &str) -> Option<String> {
    if !text.ends_with('日') || !text.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    static RE: OnceLock<Regex> = OnceLock::new();
    let c = re(&RE, r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$").captures(text)?;
    let (y, m, d): (u32, u32, u32) = (c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

pub(super) fn meeting_of(text: &str) -> Option<u32> {
    if !text.starts_with('第') || !text.ends_with("议") {
        return None;
    }
    static RE: OnceLock<Regex> = OnceLock::new();
    re(&RE, r"^第\s*(\d{1,4})\s*次全体会议$")
        .captures(text)?
        .get(1)?
        .as_str()
        .parse()
        .ok()
}

pub(super) fn is_annex_heading(text: &str) -> bool {
    if !text.starts_with("附件") {
        return false;
    }
    static RE: OnceLock<Regex> = OnceLock::new();
    re(
        &RE,
        r"^附件(?:\s*[一二三四五六七八九十]+|\s*[IVX]+|\s*\d+)?$",
    )
    .is_match(text)
}

pub(super) fn is_subparagraph(text: &str) -> bool {
    if !text.starts_with(['(', '（']) {
        return false;
    }
    static RE: OnceLock<Regex> = OnceLock::new();
    re(&RE, r"^[(（]\s*(?:[a-z]{1,2}|[ivxl]{1,5})\s*[)）]").is_match(text)
}

pub(super) fn is_opening(text: &str) -> bool {
    matches!(text, "大会，" | "大会," | "大会：" | "大会")
}

pub(super) fn is_part_letter(text: &str) -> bool {
    text.len() == 1 && text.bytes().all(|b| b.is_ascii_uppercase())
}

/// Where the paragraphs of the unit being read go.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Section {
    Header,
    Body,
    Closing,
    Annex,
}

pub(super) fn new_resolution(path: &Path, t: &Title) -> Resolution {
    Resolution {
        file: path.display().to_string(),
        symbol: format!("A/RES/{}/{}", t.session, t.number),
        part: t.part.clone(),
        session: t.session,
        number: t.number.clone(),
        title: t.title.clone(),
        date: None,
        meeting: None,
        links: Vec::new(),
        paragraphs: Vec::new(),
        footnotes: Vec::new(),
    }
}

pub(super) fn structure(path: &Path, seg: Segmented) -> Result<Vec<Resolution>> {
    let Some(first_title) = seg.units.iter().position(|u| title_of(&u.text).is_some()) else {
        return Err(no_title(path, &seg));
    };
    let mut parts: Vec<Resolution> = Vec::new();
    // For each part: the index in `seg.units` where it started (to place unmarked footnotes).
    let mut part_starts: Vec<usize> = Vec::new();
    let mut section = Section::Header;
    let mut preamble = 0u32;
    let mut annex = 0u32;
    for (ui, unit) in seg.units.iter().enumerate().skip(first_title) {
        let text = unit.text.as_str();
        if let Some(t) = title_of(text) {
            let base = parts.last();
            let continues_same = base.is_some_and(|b| {
                b.session == t.session && b.number == t.number && t.part.is_some()
            });
            if parts.is_empty() || continues_same || section != Section::Header {
                if !parts.is_empty() && !continues_same {
                    // A second, different title inside the text: read it as text, not a title.
                    push_text(&mut parts, section, unit, &mut preamble, &mut annex);
                    continue;
                }
                parts.push(new_resolution(path, &t));
                part_starts.push(ui);
                section = Section::Header;
                preamble = 0;
                annex = 0;
            }
            continue;
        }
        let current = parts.last_mut().expect("a title came first");
        if is_part_letter(text) && section != Section::Annex {
            if current.part.is_none() && current.paragraphs.is_empty() {
                current.part = Some(text.to_string());
            } else {
                let next = next_part(current, text);
                parts.push(next);
                part_starts.push(ui);
                preamble = 0;
                annex = 0;
            }
            section = Section::Header;
            continue;
        }
        if is_opening(text) && section == Section::Header {
            section = Section::Body;
            continue;
        }
        if let Some(d) = date_of(text) {
            current.date = Some(d);
            section = Section::Closing;
            continue;
        }
        if let Some(m) = meeting_of(text) {
            current.meeting = Some(m);
            section = Section::Closing;
            continue;
        }
        if is_annex_heading(text) {
            section = Section::Annex;
            continue;
        }
        match section {
            Section::Header => {
                // No `大会，` line: paragraphs begin right after the title.
                section = Section::Body;
                push_text(&mut parts, section, unit, &mut preamble, &mut annex);
            }
            Section::Closing => {} // signatures and furniture after the date
            _ => push_text(&mut parts, section, unit, &mut preamble, &mut annex),
        }
    }
    finish(path, parts, &part_starts, seg)
}

/// The next part of a multi-part resolution (`B` after `A`): the same title and session,
/// no paragraphs, date or meeting of its own yet.
fn next_part(current: &Resolution, letter: &str) -> Resolution {
    let mut next = current.clone();
    next.part = Some(letter.to_string());
    next.paragraphs.clear();
    next.date = None;
    next.meeting = None;
    next
}

/// Refuses parts without paragraphs; gives every part the closing lines, its footnotes and
/// the document's links.
fn finish(
    path: &Path,
    mut parts: Vec<Resolution>,
    part_starts: &[usize],
    seg: Segmented,
) -> Result<Vec<Resolution>> {
    if parts.iter().all(|p| p.paragraphs.is_empty()) {
        let last = seg.units.last().map_or(1, |u| u.line);
        return Err(Error::Parse {
            path: path.into(),
            line: last,
            message: "a title but no paragraphs: expected `大会，` and preamble or operative paragraphs after it (truncated file?)".into(),
        });
    }
    inherit_closing(&mut parts);
    attach_footnotes(&mut parts, part_starts, seg.notes);
    for p in &mut parts {
        p.links = seg.links.clone();
    }
    Ok(parts)
}

pub(super) fn no_title(path: &Path, seg: &Segmented) -> Error {
    let first = seg.units.first();
    let shown: String = first
        .map(|u| unmarked(&u.text).chars().take(30).collect())
        .unwrap_or_default();
    Error::Parse {
        path: path.into(),
        line: first.map_or(1, |u| u.line),
        message: format!(
            "no resolution title: expected a line such as `78/46. 标题` (session/number, a full stop, the title), found `{shown}`"
        ),
    }
}

/// Parts without a date or meeting of their own take the next one's (the closing lines
/// end the last part).
pub(super) fn inherit_closing(parts: &mut [Resolution]) {
    for i in (0..parts.len().saturating_sub(1)).rev() {
        if parts[i].date.is_none() {
            parts[i].date = parts[i + 1].date.clone();
        }
        if parts[i].meeting.is_none() {
            parts[i].meeting = parts[i + 1].meeting;
        }
    }
}

pub(super) fn push_text(
    parts: &mut [Resolution],
    section: Section,
    unit: &Unit,
    preamble: &mut u32,
    annex: &mut u32,
) {
    let res = parts.last_mut().expect("a title came first");
    let text = unit.text.as_str();
    // The page it starts on goes first, for the marker check; it leaves with the markers.
    let paged = |body: &str| match unit.page {
        Some(page) => format!("{}{body}", page_char(page)),
        None => body.to_string(),
    };
    let last_kind = res.paragraphs.last().map(|p| p.kind);
    if is_subparagraph(text) && matches!(last_kind, Some(Kind::Operative | Kind::Annex)) {
        let p = res.paragraphs.last_mut().expect("checked");
        p.text.push('\n');
        p.text.push_str(&paged(text));
        return;
    }
    let (kind, number, body) = if section == Section::Annex {
        *annex += 1;
        (Kind::Annex, *annex, text)
    } else if let Some((n, body)) = operative_of(text) {
        (Kind::Operative, n, body)
    } else if last_kind == Some(Kind::Operative) {
        // Unnumbered text after operative paragraphs belongs to the paragraph before it.
        let p = res.paragraphs.last_mut().expect("checked");
        p.text.push('\n');
        p.text.push_str(&paged(text));
        return;
    } else {
        *preamble += 1;
        (Kind::Preamble, *preamble, text)
    };
    res.paragraphs.push(Paragraph {
        kind,
        number,
        text: paged(body),
        footnotes: Vec::new(),
        cites: Vec::new(),
        line: unit.line,
    });
}

/// Resolves footnote markers in document order, builds footnotes with `cited_by` and
/// citations (同上 resolved), and adds each paragraph's footnotes' citations to its own.
pub(super) fn attach_footnotes(
    parts: &mut [Resolution],
    part_starts: &[usize],
    mut notes: Vec<RawNote>,
) {
    for n in &mut notes {
        if n.text.contains(is_mark) {
            n.text = unmarked(&n.text);
        }
    }
    let known: BTreeMap<u32, Known> = notes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let known = Known {
                index: i,
                page: n.page,
            };
            (n.number, known)
        })
        .collect();
    let mut expected = notes.iter().map(|n| n.number).min().unwrap_or(1);
    // Which part each footnote goes to: the part whose paragraph cites it.
    let mut owner: Vec<Option<usize>> = vec![None; notes.len()];
    let mut cited_by: Vec<Vec<ParaRef>> = vec![Vec::new(); notes.len()];
    for (pi, part) in parts.iter_mut().enumerate() {
        for para in &mut part.paragraphs {
            let (text, found) = take_markers(&para.text, &mut expected, &known);
            para.text = text;
            for n in found {
                let i = known[&n].index;
                owner[i].get_or_insert(pi);
                cited_by[i].push(ParaRef {
                    kind: para.kind,
                    number: para.number,
                });
                para.footnotes.push(n);
            }
        }
    }
    // Citations of the footnotes, 同上 taking the previous footnote's.
    let mut note_cites: Vec<Vec<String>> = Vec::with_capacity(notes.len());
    for (i, n) in notes.iter().enumerate() {
        let mut cites = Vec::new();
        if n.text.trim_start().starts_with("同上") && i > 0 {
            cites = note_cites[i - 1].clone();
        }
        cite::merge(&mut cites, &cite::symbols(&n.text));
        note_cites.push(cites);
    }
    for part in parts.iter_mut() {
        for para in &mut part.paragraphs {
            let mut cites = cite::symbols(&para.text);
            for n in &para.footnotes {
                cite::merge(&mut cites, &note_cites[known[n].index]);
            }
            para.cites = cites;
        }
    }
    for (i, (note, cites)) in notes.into_iter().zip(note_cites).enumerate() {
        let pi = owner[i].unwrap_or_else(|| {
            part_starts
                .iter()
                .rposition(|&s| s < note.after_units.max(1))
                .unwrap_or(0)
        });
        parts[pi].footnotes.push(Footnote {
            number: note.number,
            text: note.text,
            cited_by: std::mem::take(&mut cited_by[i]),
            cites,
            line: note.line,
        });
    }
}
