//! Footnote markers: the digits glued to a paragraph's words that refer to its footnotes,
//! told apart from numbers that belong to the text (years, counts, thousands separated by
//! spaces) by the footnotes known to exist and by the characters around them.

use super::units::*;
use std::collections::BTreeMap;

/// A footnote as the marker check sees it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Known {
    /// Its place among the footnotes read.
    pub(super) index: usize,
    /// Page layout: the page whose footnote block holds it.
    pub(super) page: Option<u32>,
}

/// Characters after which a number is never a footnote marker: a marker is glued to text.
pub(super) fn blocks_marker_before(c: char) -> bool {
    is_mark(c)
        || c.is_whitespace()
        || c.is_ascii_alphanumeric()
        || matches!(
            c,
            '.' | '/' | '-' | ',' | ':' | '(' | '（' | '第' | '+' | '$' | '#'
        )
}

/// Characters after which a number is a quantity, not a footnote marker (clean layout).
pub(super) fn blocks_marker_after(c: char) -> bool {
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
pub(super) fn spaced_like_a_marker(after: &str) -> bool {
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

/// Whether what follows a number is a space, then a numeral unit or a percent sign
/// (`投入15 亿美元`, the number glued to the text before it as a marker would be): a
/// quantity, in either layout. No text after a marker starts with one of these.
fn quantity_follows(after: &str) -> bool {
    let mut chars = after
        .chars()
        .filter(|&c| c != LINE_START && page_of(c).is_none());
    matches!(chars.next(), Some(' ' | SPACE_BREAK | '\u{A0}'))
        && matches!(
            chars.find(|&c| !matches!(c, ' ' | SPACE_BREAK | '\u{A0}')),
            Some('万' | '亿' | '%' | '％')
        )
}

/// Removes footnote markers from a paragraph: a run of ASCII digits glued to the preceding
/// text whose value is the next footnote number expected, and which the layout's evidence
/// supports. In the page layout that is a marker's spacing ([`spaced_like_a_marker`]) and
/// the footnote standing at the bottom of the marker's page or of the next one (a paragraph
/// cut by a page break); in the clean layout, a number not followed by a unit or more
/// digits. One space after the marker goes with it when Chinese text stands on both sides
/// (`最后报告7 未经表决` → `最后报告未经表决`). The parser's marks leave the text here.
pub(super) fn take_markers(
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
                && !quantity_follows(after)
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
