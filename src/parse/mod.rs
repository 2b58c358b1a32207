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
mod clean;
pub(crate) mod corpus;
mod markers;
mod page;
mod structure;

use clean::segment_clean;
use markers::{blocks_marker_before, take_markers, Known};
use page::segment_page;
use page::{is_rule, link_symbol};
use structure::structure;

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
