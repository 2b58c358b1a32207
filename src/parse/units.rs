//! What the layouts hand to the structure pass: logical units (a paragraph or a line, with
//! the page it starts on), raw footnotes, and the private-use marks that carry line starts,
//! spaced breaks and page numbers through the joined text until the markers are resolved.

use regex::Regex;
use std::sync::OnceLock;

/// A logical line: a paragraph, title or metadata line with its wrapped lines joined.
#[derive(Debug)]
pub(super) struct Unit {
    pub(super) text: String,
    pub(super) line: usize,
    /// Page layout: the page it starts on, counted in footnote blocks before it.
    pub(super) page: Option<u32>,
}

#[derive(Debug)]
pub(super) struct RawNote {
    pub(super) number: u32,
    pub(super) text: String,
    pub(super) line: usize,
    /// How many units came before it: places it in a part when no marker does.
    pub(super) after_units: usize,
    /// Page layout: the page whose footnote block holds it.
    pub(super) page: Option<u32>,
}

#[derive(Debug, Default)]
pub(super) struct Segmented {
    pub(super) units: Vec<Unit>,
    pub(super) notes: Vec<RawNote>,
    pub(super) links: Vec<String>,
}

pub(super) fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("valid regex"))
}

/// Marks a wrapped line that starts with a digit: a footnote marker is glued to the text
/// before it on the same line, so a number that opens a line (`已销毁` / `3 847 657 枚`) is
/// text. [`take_markers`] honours the mark and removes it.
pub(super) const LINE_START: char = '\u{E000}';

/// Marks where a line that ended with a space was joined to the next one: a number before
/// it was followed by a space in the layout (`行动纲领》，1 ` / `并确认`), as a footnote
/// marker is.
pub(super) const SPACE_BREAK: char = '\u{E001}';

/// Page numbers travel inside a paragraph's text until its markers are resolved: page `k`
/// is written as this code point plus `k` where the paragraph starts and where it continues
/// on a new page, so that a marker is checked against the footnotes of its own page.
pub(super) const PAGE_BASE: u32 = 0xF0000;

pub(super) fn page_char(page: u32) -> char {
    char::from_u32(PAGE_BASE + page.min(0xFFFD)).expect("supplementary private use")
}

pub(super) fn page_of(c: char) -> Option<u32> {
    (c as u32).checked_sub(PAGE_BASE).filter(|&p| p <= 0xFFFD)
}

/// The parser's own marks, which never reach a record.
pub(super) fn is_mark(c: char) -> bool {
    c == LINE_START || c == SPACE_BREAK || page_of(c).is_some()
}

/// Text without the parser's marks.
pub(super) fn unmarked(text: &str) -> String {
    text.chars().filter(|&c| !is_mark(c)).collect()
}

/// Joins a wrapped line onto a unit: nothing is inserted (Chinese has no spaces between
/// words, and the source keeps its own spaces inside lines).
pub(super) fn join(into: &mut String, next: &str) {
    if next.starts_with(|c: char| c.is_ascii_digit()) {
        into.push(LINE_START);
    }
    into.push_str(next);
}
