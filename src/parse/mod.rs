//! Parsing: from a resolution's text to [`Resolution`]s with paragraphs and footnotes.
//!
//! Two layouts are read. The *page* layout is what comes out of the UN's PDFs: every line
//! followed by a blank line; a paragraph's first line starts with a space, its wrapped lines
//! carry no leading or trailing space, its last line ends with a space; each page may end
//! with a rule of underscores, footnotes ` N text` and link lines
//! `https://undocs.org/ch/SYMBOL`. The *clean* layout has one paragraph per line and
//! optional footnotes after a separator line. Both are cut into logical units first
//! (`segment_*`), then one shared pass (`structure`) recognises title, paragraphs, date,
//! meeting, parts and annex, resolves footnote markers and gathers citations.

pub(crate) mod cite;
pub(crate) mod corpus;

use crate::error::{Error, Result};
use crate::model::{Footnote, Kind, ParaRef, Paragraph, Resolution};
use regex::Regex;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

/// The two text layouts `unres` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// Text extracted from the UN's PDF pages (wrapped lines, page-bottom footnotes).
    Page,
    /// One paragraph per line, footnotes after a separator line.
    Clean,
}

/// Parses decoded text; `path` names the source in records and errors.
pub fn parse_str(path: &Path, text: &str) -> Result<Vec<Resolution>> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Error::Parse {
            path: path.into(),
            line: 1,
            message: "the file is empty; expected a resolution title such as `78/46. 标题`".into(),
        });
    }
    let lines: Vec<&str> = text.split('\n').collect();
    let seg = match detect_layout(&lines) {
        Layout::Page => segment_page(&lines),
        Layout::Clean => segment_clean(&lines),
    };
    structure(path, seg)
}

/// Decides the layout: page layout when many content lines start or end with a space (a
/// paragraph's first line starts with one, its last line ends with one; wrapped lines have
/// neither), clean layout otherwise.
pub(crate) fn detect_layout(lines: &[&str]) -> Layout {
    let content: Vec<&&str> = lines
        .iter()
        .filter(|l| !l.trim().is_empty() && link_symbol(l).is_none())
        .collect();
    let marked: usize = content
        .iter()
        .map(|l| {
            usize::from(l.starts_with(char::is_whitespace))
                + usize::from(l.ends_with(char::is_whitespace))
        })
        .sum();
    if content.len() >= 2 && marked * 4 >= content.len() {
        Layout::Page
    } else {
        Layout::Clean
    }
}

/// A logical line: a paragraph, title or metadata line with its wrapped lines joined.
#[derive(Debug)]
struct Unit {
    text: String,
    line: usize,
    /// Page layout: the page it starts on, counted in footnote blocks before it.
    page: Option<u32>,
}

#[derive(Debug)]
struct RawNote {
    number: u32,
    text: String,
    line: usize,
    /// How many units came before it: places it in a part when no marker does.
    after_units: usize,
    /// Page layout: the page whose footnote block holds it.
    page: Option<u32>,
}

#[derive(Debug, Default)]
struct Segmented {
    units: Vec<Unit>,
    notes: Vec<RawNote>,
    links: Vec<String>,
}

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("valid regex"))
}

/// The symbol of a link line `https://undocs.org/ch/A/RES/77/71`, if the line is one.
fn link_symbol(line: &str) -> Option<String> {
    if !line.trim_start().starts_with("http") {
        return None;
    }
    static RE: OnceLock<Regex> = OnceLock::new();
    let c = re(
        &RE,
        r"^\s*https?://(?:www\.)?undocs\.org/(?:(?:ch|zh|en|fr|es|ru|ar)/)?(\S+?)\s*$",
    )
    .captures(line)?;
    Some(c[1].trim_end_matches('/').to_string())
}

/// A separator above footnotes: a rule of underscores (page layout) or dashes.
fn is_rule(line: &str) -> bool {
    let t = line.trim();
    t.chars().count() >= 3 && t.chars().all(|c| matches!(c, '_' | '-' | '—' | '=' | '*'))
}

/// Marks a wrapped line that starts with a digit: a footnote marker is glued to the text
/// before it on the same line, so a number that opens a line (`已销毁` / `3 847 657 枚`) is
/// text. [`take_markers`] honours the mark and removes it.
const LINE_START: char = '\u{E000}';

/// Marks where a line that ended with a space was joined to the next one: a number before
/// it was followed by a space in the layout (`行动纲领》，1 ` / `并确认`), as a footnote
/// marker is.
const SPACE_BREAK: char = '\u{E001}';

/// Page numbers travel inside a paragraph's text until its markers are resolved: page `k`
/// is written as this code point plus `k` where the paragraph starts and where it continues
/// on a new page, so that a marker is checked against the footnotes of its own page.
const PAGE_BASE: u32 = 0xF0000;

fn page_char(page: u32) -> char {
    char::from_u32(PAGE_BASE + page.min(0xFFFD)).expect("supplementary private use")
}

fn page_of(c: char) -> Option<u32> {
    (c as u32).checked_sub(PAGE_BASE).filter(|&p| p <= 0xFFFD)
}

/// The parser's own marks, which never reach a record.
fn is_mark(c: char) -> bool {
    c == LINE_START || c == SPACE_BREAK || page_of(c).is_some()
}

/// Text without the parser's marks.
fn unmarked(text: &str) -> String {
    text.chars().filter(|&c| !is_mark(c)).collect()
}

/// Joins a wrapped line onto a unit: nothing is inserted (Chinese has no spaces between
/// words, and the source keeps its own spaces inside lines).
fn join(into: &mut String, next: &str) {
    if next.starts_with(|c: char| c.is_ascii_digit()) {
        into.push(LINE_START);
    }
    into.push_str(next);
}

fn segment_page(lines: &[&str]) -> Segmented {
    let mut reader = PageReader::default();
    for (i, raw) in lines.iter().enumerate() {
        let line = i + 1;
        if raw.is_empty() {
            continue;
        }
        if raw.trim().is_empty() {
            // A spacer line (a single space in the PDF text) closes whatever is open.
            reader.seg.units.extend(reader.open.take());
            reader.note_open = false;
            continue;
        }
        if !reader.furniture(raw, line) {
            reader.text(raw, line);
        }
    }
    reader.seg.units.extend(reader.open.take());
    reader.seg
}

/// The page layout read line by line: page bottoms (rule, footnotes, link lines) apart,
/// paragraphs' lines joined into units.
#[derive(Default)]
struct PageReader {
    seg: Segmented,
    /// The unit being read.
    open: Option<Unit>,
    /// A line without leading space may still join the open unit.
    may_continue: bool,
    /// The open unit's last line ended with a space.
    spaced: bool,
    /// The next text line opens a page.
    page_top: bool,
    in_notes: bool,
    /// The last footnote may continue on the next line.
    note_open: bool,
    /// The link lines of the current page bottom have begun.
    links_seen: bool,
    last_note: u32,
    /// Footnote blocks seen so far: the page a line is on, and the page a block closes.
    blocks: u32,
}

impl PageReader {
    /// Reads a line of a page bottom (a link line, the rule, a footnote or its wrapped
    /// line); false when the line is text.
    fn furniture(&mut self, raw: &str, line: usize) -> bool {
        if let Some(sym) = link_symbol(raw) {
            if !self.seg.links.contains(&sym) {
                self.seg.links.push(sym);
            }
            self.links_seen |= self.in_notes;
            self.page_top = true;
            return true;
        }
        if is_rule(raw) {
            if !self.in_notes || self.links_seen {
                self.blocks += 1;
            }
            self.in_notes = true;
            self.note_open = false;
            self.links_seen = false;
            return true;
        }
        if !self.in_notes || self.links_seen {
            return false;
        }
        let ends_open = !raw.ends_with(char::is_whitespace);
        if self.note_open && !raw.starts_with(char::is_whitespace) {
            if let Some(n) = self.seg.notes.last_mut() {
                join(&mut n.text, raw.trim());
            }
            self.note_open = ends_open;
            return true;
        }
        let Some((number, rest)) = footnote_start(raw, self.last_note) else {
            return false;
        };
        self.seg.notes.push(RawNote {
            number,
            text: rest.trim().to_string(),
            line,
            after_units: self.seg.units.len() + usize::from(self.open.is_some()),
            page: Some(self.blocks.saturating_sub(1)),
        });
        self.last_note = number;
        self.note_open = ends_open;
        true
    }

    /// Reads a text line: it continues the open unit or starts a new one.
    fn text(&mut self, raw: &str, line: usize) {
        if self.in_notes {
            self.page_top = true;
        }
        self.in_notes = false;
        let indent = raw.len() - raw.trim_start().len();
        let continues = match indent {
            // A wrapped line: joins the open unit unless that one was closed for sure.
            0 => self.may_continue,
            // The first line of a page: one space continues a paragraph cut by the page
            // break (after a wrapped line, or a line ending with a marker and its space),
            // two spaces start a new one.
            1 => self.page_top && self.may_continue,
            _ => false,
        };
        let new_page = std::mem::take(&mut self.page_top);
        match self.open.as_mut() {
            Some(u) if continues => {
                if self.spaced {
                    u.text.push(SPACE_BREAK);
                }
                if new_page {
                    u.text.push(page_char(self.blocks));
                }
                join(&mut u.text, raw.trim());
            }
            _ => {
                self.seg.units.extend(self.open.take());
                self.open = Some(Unit {
                    text: raw.trim().to_string(),
                    line,
                    page: Some(self.blocks),
                });
            }
        }
        let ends_open = !raw.ends_with(char::is_whitespace);
        self.spaced = !ends_open;
        self.may_continue = ends_open || ends_with_marker(raw);
    }
}

/// Does the line end with a number glued to the text and then a space (`行动纲领》，1 `)?
/// Such a line ends with a footnote marker, not necessarily with its paragraph.
fn ends_with_marker(raw: &str) -> bool {
    let t = raw.trim_end();
    let digits = t.len() - t.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    digits > 0
        && t[..t.len() - digits]
            .chars()
            .next_back()
            .is_some_and(|c| !blocks_marker_before(c))
}

/// ` N text` with N the next footnote number: the start of a footnote in a page-bottom block.
fn footnote_start(raw: &str, last: u32) -> Option<(u32, &str)> {
    let rest = raw.strip_prefix(' ')?;
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 4 {
        return None;
    }
    let number: u32 = rest[..digits].parse().ok()?;
    let text = &rest[digits..];
    (number == last + 1 && text.starts_with(char::is_whitespace)).then_some((number, text))
}

fn segment_clean(lines: &[&str]) -> Segmented {
    static NOTE: OnceLock<Regex> = OnceLock::new();
    let note_re = re(&NOTE, r"^\s*(\d{1,4})(?:[.．、)）]\s*|\s+)(\S.*)$");
    let mut seg = Segmented::default();
    let mut in_notes = false;
    for (i, raw) in lines.iter().enumerate() {
        let line = i + 1;
        let t = raw.trim();
        if t.is_empty() {
            continue;
        }
        if let Some(sym) = link_symbol(raw) {
            if !seg.links.contains(&sym) {
                seg.links.push(sym);
            }
            continue;
        }
        if is_rule(raw) || matches!(t, "脚注" | "注释" | "脚注：" | "注：") {
            in_notes = true;
            continue;
        }
        if in_notes {
            if let Some(c) = note_re.captures(t) {
                if let Ok(number) = c[1].parse() {
                    seg.notes.push(RawNote {
                        number,
                        text: c[2].trim().to_string(),
                        line,
                        after_units: seg.units.len(),
                        page: None,
                    });
                    continue;
                }
            }
            if let Some(n) = seg.notes.last_mut() {
                join(&mut n.text, t);
                continue;
            }
        }
        seg.units.push(Unit {
            text: t.to_string(),
            line,
            page: None,
        });
    }
    seg
}

struct Title {
    session: u32,
    number: String,
    part: Option<String>,
    title: String,
}

fn title_of(text: &str) -> Option<Title> {
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
fn operative_of(text: &str) -> Option<(u32, &str)> {
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

fn date_of(text: &str) -> Option<String> {
    if !text.ends_with('日') || !text.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    static RE: OnceLock<Regex> = OnceLock::new();
    let c = re(&RE, r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$").captures(text)?;
    let (y, m, d): (u32, u32, u32) = (c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

fn meeting_of(text: &str) -> Option<u32> {
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

fn is_annex_heading(text: &str) -> bool {
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

fn is_subparagraph(text: &str) -> bool {
    if !text.starts_with(['(', '（']) {
        return false;
    }
    static RE: OnceLock<Regex> = OnceLock::new();
    re(&RE, r"^[(（]\s*(?:[a-z]{1,2}|[ivxl]{1,5})\s*[)）]").is_match(text)
}

fn is_opening(text: &str) -> bool {
    matches!(text, "大会，" | "大会," | "大会：" | "大会")
}

fn is_part_letter(text: &str) -> bool {
    text.len() == 1 && text.bytes().all(|b| b.is_ascii_uppercase())
}

/// Where the paragraphs of the unit being read go.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Header,
    Body,
    Closing,
    Annex,
}

fn new_resolution(path: &Path, t: &Title) -> Resolution {
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

fn structure(path: &Path, seg: Segmented) -> Result<Vec<Resolution>> {
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
                let mut next = current.clone();
                next.part = Some(text.to_string());
                next.paragraphs.clear();
                next.date = None;
                next.meeting = None;
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
    if parts.iter().all(|p| p.paragraphs.is_empty()) {
        let last = seg.units.last().map_or(1, |u| u.line);
        return Err(Error::Parse {
            path: path.into(),
            line: last,
            message: "a title but no paragraphs: expected `大会，` and preamble or operative paragraphs after it (truncated file?)".into(),
        });
    }
    inherit_closing(&mut parts);
    attach_footnotes(&mut parts, &part_starts, seg.notes);
    for p in &mut parts {
        p.links = seg.links.clone();
    }
    Ok(parts)
}

fn no_title(path: &Path, seg: &Segmented) -> Error {
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
fn inherit_closing(parts: &mut [Resolution]) {
    for i in (0..parts.len().saturating_sub(1)).rev() {
        if parts[i].date.is_none() {
            parts[i].date = parts[i + 1].date.clone();
        }
        if parts[i].meeting.is_none() {
            parts[i].meeting = parts[i + 1].meeting;
        }
    }
}

fn push_text(
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
fn attach_footnotes(parts: &mut [Resolution], part_starts: &[usize], mut notes: Vec<RawNote>) {
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

/// A footnote as the marker check sees it.
#[derive(Debug, Clone, Copy)]
struct Known {
    /// Its place among the footnotes read.
    index: usize,
    /// Page layout: the page whose footnote block holds it.
    page: Option<u32>,
}

/// Characters after which a number is never a footnote marker: a marker is glued to text.
fn blocks_marker_before(c: char) -> bool {
    is_mark(c)
        || c.is_whitespace()
        || c.is_ascii_alphanumeric()
        || matches!(
            c,
            '.' | '/' | '-' | ',' | ':' | '(' | '（' | '第' | '+' | '$' | '#'
        )
}

/// Characters after which a number is a quantity, not a footnote marker (clean layout).
fn blocks_marker_after(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            '.' | '/'
                | '%'
                | '％'
                | '年'
                | '月'
                | '日'
                | '段'
                | '号'
                | '条'
                | '次'
                | '个'
                | '名'
                | '项'
                | '届'
                | '卷'
                | '页'
                | '章'
                | '节'
                | '国'
                | '岁'
                | '万'
                | '亿'
                | '-'
        )
}

/// Page layout: what follows a number that may be a marker. In the UN's page layout a marker
/// is followed by a space (`报告7 未经表决`), by the space that ends its line (`行动纲领》，1 `)
/// or by the end of its paragraph; a number glued to what follows (`1美元`, `47%`, `6、7`,
/// `3：`, a number cut by a line wrap) is text. So is a number followed by a space and a
/// thousands group (`1 330`).
fn spaced_like_a_marker(after: &str) -> bool {
    let mut chars = after
        .chars()
        .filter(|&c| c != LINE_START && page_of(c).is_none());
    match chars.next() {
        None | Some('\n') => true,
        Some(' ' | SPACE_BREAK) => {
            let digits = chars
                .filter(|&c| c != SPACE_BREAK)
                .take(4)
                .take_while(char::is_ascii_digit)
                .count();
            digits != 3
        }
        Some(_) => false,
    }
}

/// Removes footnote markers from a paragraph: a run of ASCII digits glued to the preceding
/// text whose value is the next footnote number expected, and which the layout's evidence
/// supports. In the page layout that is a marker's spacing ([`spaced_like_a_marker`]) and
/// the footnote standing at the bottom of the marker's page or of the next one (a paragraph
/// cut by a page break); in the clean layout, a number not followed by a unit or more
/// digits. One space after the marker goes with it when Chinese text stands on both sides
/// (`最后报告7 未经表决` → `最后报告未经表决`). The parser's marks leave the text here.
fn take_markers(
    text: &str,
    expected: &mut u32,
    known: &BTreeMap<u32, Known>,
) -> (String, Vec<u32>) {
    let mut out = String::with_capacity(text.len());
    let mut found = Vec::new();
    let mut rest = text;
    let mut prev: Option<char> = None;
    let mut page: Option<u32> = None;
    while let Some(c) = rest.chars().next() {
        if c.is_ascii_digit() {
            let run = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            let after = &rest[run..];
            let value: Option<u32> = if run <= 3 {
                rest[..run].parse().ok()
            } else {
                None
            };
            let note = known.get(expected).filter(|_| value == Some(*expected));
            let is_marker = prev.is_some_and(|p| !blocks_marker_before(p))
                && note.is_some_and(|note| match (page, note.page) {
                    (Some(here), Some(there)) => {
                        (here == there || here + 1 == there) && spaced_like_a_marker(after)
                    }
                    _ => after.chars().next().is_none_or(|n| !blocks_marker_after(n)),
                });
            if is_marker {
                found.push(*expected);
                *expected += 1;
                let mut after = after;
                if let Some(stripped) = after.strip_prefix([' ', SPACE_BREAK]) {
                    let beyond = stripped.chars().find(|&c| !is_mark(c));
                    if !prev.is_some_and(|p| p.is_ascii())
                        && beyond.is_none_or(|b| !b.is_ascii() || b == '(')
                    {
                        after = stripped;
                    }
                }
                rest = after;
                continue;
            }
            out.push_str(&rest[..run]);
            prev = rest[..run].chars().next_back();
            rest = after;
            continue;
        }
        if let Some(p) = page_of(c) {
            page = Some(p);
        } else if !is_mark(c) {
            out.push(c);
        }
        // A number after a page mark opens the page's first line: like LINE_START, the
        // mark stands before it and blocks it.
        prev = Some(c);
        rest = &rest[c.len_utf8()..];
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    (out, found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(n: u32) -> BTreeMap<u32, Known> {
        (1..=n)
            .map(|i| {
                let known = Known {
                    index: i as usize - 1,
                    page: None,
                };
                (i, known)
            })
            .collect()
    }

    #[test]
    fn markers_glued_to_text_are_removed_and_recorded() {
        let k = known(9);
        let mut e = 7;
        let (t, f) = take_markers("工作组的最后报告7 未经表决获得通过，", &mut e, &k);
        assert_eq!(t, "工作组的最后报告未经表决获得通过，");
        assert_eq!(f, [7]);
        let (t, f) = take_markers("政府专家组报告中的建议；8", &mut e, &k);
        assert_eq!((t.as_str(), f), ("政府专家组报告中的建议；", vec![8]));
        let (t, f) = take_markers(
            "《2030 年可持续发展议程》目标 16 和具体目标 16.4；9",
            &mut e,
            &k,
        );
        assert_eq!(t, "《2030 年可持续发展议程》目标 16 和具体目标 16.4；");
        assert_eq!(f, [9]);
    }

    #[test]
    fn numbers_that_are_text_stay() {
        let k = known(20);
        for (text, mut e) in [
            ("第 24 段", 24),
            ("使用3D 打印技术", 3),
            ("每个区域有 15 名研究员参加", 15),
            ("2022 年 6 月 27日至 7 月 1 日", 27),
            ("见 A/78/126。", 1),
            ("于2022年开始", 2),
        ] {
            let before = e;
            let (t, f) = take_markers(text, &mut e, &k);
            assert_eq!(t, text);
            assert!(f.is_empty());
            assert_eq!(e, before);
        }
    }

    #[test]
    fn a_number_that_is_not_the_next_footnote_is_text() {
        let k = known(9);
        let mut e = 5;
        let (t, f) = take_markers("报告，4 其中", &mut e, &k);
        assert_eq!((t.as_str(), f.len()), ("报告，4 其中", 0));
    }

    #[test]
    fn a_number_opening_a_wrapped_line_is_text_not_a_marker() {
        let text = "  78/1. 集束弹药 \n\n 大会， \n\n 注意到已销毁\n\n1 847 657 枚弹药，1 \n\n__________________ \n\n 1 A/78/126。 \n\n";
        let r = &parse_str(Path::new("t.txt"), text).unwrap()[0];
        assert_eq!(r.paragraphs[0].text, "注意到已销毁1 847 657 枚弹药，");
        assert_eq!(r.paragraphs[0].footnotes, [1]);
        assert_eq!(r.footnotes[0].cited_by[0].to_string(), "preamble 1");
    }

    #[test]
    fn layout_is_detected() {
        let page = [
            " 78/46. 标题 ",
            "",
            " 大会， ",
            "",
            " 回顾其决",
            "",
            "议， ",
        ];
        assert_eq!(detect_layout(&page), Layout::Page);
        let clean = ["78/46. 标题", "大会，", "回顾其决议，", "1. 决定…。"];
        assert_eq!(detect_layout(&clean), Layout::Clean);
    }

    #[test]
    fn title_date_and_meeting_lines_are_read() {
        let t = title_of("78/46. 小武器和轻武器非法贸易的各方面问题").unwrap();
        assert_eq!((t.session, t.number.as_str()), (78, "46"));
        let t = title_of("78/47 A. 全面彻底裁军").unwrap();
        assert_eq!(t.part.as_deref(), Some("A"));
        assert_eq!(date_of("2023 年 12 月 4 日").as_deref(), Some("2023-12-04"));
        assert_eq!(meeting_of("第 42 次全体会议"), Some(42));
        assert!(title_of("1. 着重指出").is_none());
    }
}
