//! The page layout, as text comes out of the UN's PDFs: every line followed by a blank
//! line; a paragraph's first line starts with a space, its wrapped lines carry no leading or
//! trailing space, its last line ends with a space; each page may end with a rule of
//! underscores, footnotes ` N text` and link lines `https://undocs.org/ch/SYMBOL`. Cut here
//! into logical units and raw footnotes, for [`super::structure`].

use super::markers::{blocks_marker_before, spaced_like_a_marker};
use super::units::*;
use regex::Regex;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// The symbol of a link line `https://undocs.org/ch/A/RES/77/71`, if the line is one.
pub(super) fn link_symbol(line: &str) -> Option<String> {
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
pub(super) fn is_rule(line: &str) -> bool {
    let t = line.trim();
    t.chars().count() >= 3 && t.chars().all(|c| matches!(c, '_' | '-' | '—' | '=' | '*'))
}

pub(super) fn segment_page(lines: &[&str]) -> Segmented {
    let mut reader = PageReader {
        blocks_open_with: blocks_open_with(lines),
        ..PageReader::default()
    };
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
pub(super) struct PageReader {
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
    /// For each footnote number that opens a footnote block, the (1-based) line of the
    /// last such block's rule.
    blocks_open_with: HashMap<u32, usize>,
    /// The numbers that the text of a page bottom's page and the page before could mark,
    /// by the count of blocks when they were gathered.
    markable: Option<(u32, HashSet<u32>)>,
}

/// For each footnote number that opens a footnote block, the (1-based) line of the last
/// such block's rule.
fn blocks_open_with(lines: &[&str]) -> HashMap<u32, usize> {
    let mut out = HashMap::new();
    for (i, raw) in lines.iter().enumerate() {
        if !is_rule(raw) {
            continue;
        }
        let first = lines[i + 1..].iter().find(|l| !l.trim().is_empty());
        if let Some((number, _)) = first.and_then(|l| footnote_number(l)) {
            out.insert(number, i + 1);
        }
    }
    out
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
        // Footnote numbers run once through a document: a later block opening with this
        // number says that this line is the next page's first, a paragraph cut by the page
        // break going on with a number (`已有` / ` 4 330 名研究员`) after the last footnote
        // of a page bottom without link lines.
        if self
            .blocks_open_with
            .get(&number)
            .is_some_and(|&at| at > line)
            || self.continues_instead(number)
        {
            return false;
        }
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

    /// Whether a line shaped as footnote `number`'s first, after another footnote of the
    /// same page bottom and before any link line, is rather the next page's first line
    /// going on with the paragraph the page break cut: no number of the text of this page
    /// or the one before could be that footnote's marker, which always comes before its
    /// footnote.
    fn continues_instead(&mut self, number: u32) -> bool {
        let page = self.blocks.saturating_sub(1);
        let after_a_note = self.seg.notes.last().is_some_and(|n| n.page == Some(page));
        if self.note_open || !after_a_note || !self.may_continue || self.open.is_none() {
            return false;
        }
        // Gathered once a page bottom: no text line comes within one.
        if self
            .markable
            .as_ref()
            .is_none_or(|(at, _)| *at != self.blocks)
        {
            let mut numbers = HashSet::new();
            for unit in self.open.iter().chain(self.seg.units.iter().rev()) {
                markable(&unit.text, &mut numbers);
                if unit.page.is_some_and(|p| p + 1 < page) {
                    break;
                }
            }
            self.markable = Some((self.blocks, numbers));
        }
        self.markable
            .as_ref()
            .is_some_and(|(_, numbers)| !numbers.contains(&number))
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

/// Adds to `numbers` every number `text` holds glued to the text before it and spaced as a
/// marker is.
fn markable(text: &str, numbers: &mut HashSet<u32>) {
    let mut prev: Option<char> = None;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if !c.is_ascii_digit() {
            prev = Some(c);
            rest = &rest[c.len_utf8()..];
            continue;
        }
        let run = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let (digits, after) = rest.split_at(run);
        if prev.is_some_and(|p| !blocks_marker_before(p)) && spaced_like_a_marker(after) {
            if let Ok(n) = digits.parse() {
                numbers.insert(n);
            }
        }
        prev = digits.chars().next_back();
        rest = after;
    }
}

/// Does the line end with a number glued to the text and then a space (`行动纲领》，1 `)?
/// Such a line ends with a footnote marker, not necessarily with its paragraph.
pub(super) fn ends_with_marker(raw: &str) -> bool {
    let t = raw.trim_end();
    let digits = t.len() - t.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    digits > 0
        && t[..t.len() - digits]
            .chars()
            .next_back()
            .is_some_and(|c| !blocks_marker_before(c))
}

/// ` N text` with N the next footnote number: the start of a footnote in a page-bottom block.
pub(super) fn footnote_start(raw: &str, last: u32) -> Option<(u32, &str)> {
    let (number, text) = footnote_number(raw)?;
    (number == last + 1).then_some((number, text))
}

/// The number N of a line shaped as a footnote's first, ` N text`, and the text after it.
fn footnote_number(raw: &str) -> Option<(u32, &str)> {
    let rest = raw.strip_prefix(' ')?;
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 4 || !rest[digits..].starts_with(char::is_whitespace) {
        return None;
    }
    Some((rest[..digits].parse().ok()?, &rest[digits..]))
}
