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
pub(crate) mod duplicates;
pub(crate) mod extracted;
mod markers;
mod page;
mod spacing;
mod structure;

mod units;

use clean::segment_clean;
use page::{link_symbol, segment_page};
use structure::structure;

use crate::error::{Error, Result};
use crate::model::Resolution;
use std::path::Path;

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
    if let Some(rewritten) = extracted::rewrite(text) {
        // Lines of the rewritten text are named by the source's numbers.
        let lines: Vec<&str> = rewritten.text.split('\n').collect();
        let parsed = structure(path, segment_page(&lines)).map_err(|e| match e {
            Error::Parse {
                path,
                line,
                message,
            } => Error::Parse {
                path,
                line: rewritten.source_line(line),
                message,
            },
            e => e,
        });
        let mut resolutions = parsed?;
        for r in &mut resolutions {
            for p in &mut r.paragraphs {
                p.line = rewritten.source_line(p.line);
            }
            for f in &mut r.footnotes {
                f.line = rewritten.source_line(f.line);
            }
        }
        return Ok(resolutions);
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

#[cfg(test)]
mod tests {
    use super::markers::{take_markers, Known};
    use super::structure::{date_of, meeting_of, title_of};
    use super::*;
    use std::collections::BTreeMap;

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
