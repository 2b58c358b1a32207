//! Text as common PDF extractors print it (`pdftotext -layout` and the like): a masthead
//! before the title, pages parted by form feeds, a running header (the symbol) and a footer
//! (the job number `23-24187 (C)`, the page `2/8`), paragraphs opened by a first-line indent,
//! footnotes at the page bottoms with no rule above them, a superscript marker alone on a
//! line. Rewritten here into the page layout ([`super::page`]), page by page, with a map
//! from its lines back to the source's, so that the one page reader reads both.

use super::spacing::{ideograph, is_cjk_punct, join_wrapped, tidy, Spacing};
use super::units::re;
use super::units::LINE_START;
use regex::Regex;
use std::sync::OnceLock;

/// The page layout made of extracted text, and for each of its lines (0-based) the source's
/// 1-based line.
pub(super) struct Rewritten {
    pub(super) text: String,
    pub(super) lines: Vec<usize>,
}

impl Rewritten {
    /// The source's line for a line of the rewritten text (both 1-based).
    pub(super) fn source_line(&self, line: usize) -> usize {
        match line.checked_sub(1).and_then(|i| self.lines.get(i)) {
            Some(&l) => l,
            None => self.lines.last().copied().unwrap_or(line),
        }
    }
}

/// A resolution's title line: `78/46. 标题`, `78/47 A. 标题`.
fn title_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    re(&RE, r"^\s*\d{1,3}/\d{1,4}(?:\s*[A-Z]{1,3})?\s*[.．]\s*\S")
}

/// A footer line: the job number and the page `x/y`, either or both, in either order.
fn is_footer(line: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let t = line.trim();
    !t.is_empty()
        && re(
            &RE,
            r"^(?:\d{1,4}\s*/\s*\d{1,4})?\s*(?:\d{2}-\d{4,6}\s*\([A-Z]\))?\s*(?:\d{1,4}\s*/\s*\d{1,4})?$",
        )
        .is_match(t)
}

/// A running header: the document's symbol alone (`A/RES/78/46`).
fn is_header(line: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    re(&RE, r"^\s*A/RES/\d{1,3}/\d{1,4}(?:\s*[A-Z]{1,3})?\s*$").is_match(line)
}

/// What says that text comes from an extractor rather than in the page layout: form feeds,
/// or a masthead before the title (`Distr.`, `联合国`, `大会决议`).
pub(super) fn is_extracted(text: &str) -> bool {
    if text.starts_with(DRAWN) || text.contains('\u{c}') {
        return true;
    }
    let before_title = text.lines().take_while(|l| !title_re().is_match(l));
    let mut masthead = 0;
    for l in before_title.take(40) {
        let t = l.trim();
        if t.starts_with("Distr.") || t.starts_with("联合国") || t.ends_with("大会决议") {
            masthead += 1;
        }
    }
    masthead >= 2
}

/// One line of the source, with its 1-based number.
#[derive(Clone, Copy)]
struct Line<'a> {
    text: &'a str,
    number: usize,
    /// Set in small type (a PDF's footnote area and page furniture): marked by
    /// [`SMALL_TYPE`] at the line's start.
    small: bool,
}

/// Opens a line set in small type, in the text a PDF gives (`read::pdf`): its footnote
/// area, told from the body by its size.
pub(crate) const SMALL_TYPE: char = '\u{E010}';

/// Stands before a run of superscript digits in the text a PDF gives (`read::pdf`): a
/// footnote marker, for sure.
pub(crate) const SUPERSCRIPT: char = '\u{E012}';

/// Opens the text a PDF gives (`read::pdf`): its spaces are the typesetter's own.
pub(crate) const DRAWN: char = '\u{E011}';

/// A line with its small-type mark read and removed.
fn marked(line: Line<'_>) -> Line<'_> {
    match line.text.strip_prefix(SMALL_TYPE) {
        Some(rest) => Line {
            text: rest,
            small: true,
            ..line
        },
        None => line,
    }
}

impl Line<'_> {
    fn indent(&self) -> usize {
        self.text.len() - self.text.trim_start().len()
    }

    fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

/// A footnote's first line at a page bottom: its number at the margin, then its text.
fn footnote_start(line: &str) -> Option<(u32, &str)> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let c = re(
        &RE,
        r"^\s{0,2}(\d{1,4})(?:\s{2,}(\S.*)|[.．]\s+(\S.*)|\s([^\d\s].*))$",
    )
    .captures(line)?;
    let number = c[1].parse().ok()?;
    let text = c.get(2).or(c.get(3)).or(c.get(4))?;
    Some((number, text.as_str()))
}

/// Rewrites extracted text into the page layout; `None` when the text is not extracted
/// text ([`is_extracted`]).
pub(super) fn rewrite(text: &str) -> Option<Rewritten> {
    if !is_extracted(text) {
        return None;
    }
    let (text, drawn) = match text.strip_prefix(DRAWN) {
        Some(rest) => (rest, true),
        None => (text, false),
    };
    let lines: Vec<Line> = text
        .split('\n')
        .enumerate()
        .map(|(i, t)| Line {
            text: t.trim_end_matches(['\r', ' ', '\t']),
            number: i + 1,
            small: false,
        })
        .collect();
    let mut next_note = 1;
    let mut started = false;
    let mut read: Vec<(Vec<Line>, Vec<Note>)> = Vec::new();
    for page in pages(&lines) {
        let mut body: &[Line] = &page;
        // The masthead: everything above the title on the first page.
        if !started {
            let Some(at) = body.iter().position(|l| title_re().is_match(l.text)) else {
                continue;
            };
            body = &body[at..];
            started = true;
        }
        let (body, mut notes) = split_notes(trim_furniture(body), &mut next_note);
        // A footnote run on from the page before: its lines join that footnote.
        if notes.first().is_some_and(|n| n.number == 0) {
            let carried = notes.remove(0);
            match read.iter_mut().rev().find_map(|(_, n)| n.last_mut()) {
                Some(last) => last.lines.extend(carried.lines),
                None => notes.insert(0, carried),
            }
        }
        read.push((body.to_vec(), notes));
    }
    if !started {
        return None;
    }
    let mut out = Writer {
        spacing: Spacing::of(lines.iter().map(|l| l.text), drawn),
        drawn,
        superscripts: drawn && text.contains(SUPERSCRIPT),
        ..Writer::default()
    };
    for i in 0..read.len() {
        // A page whose first line is not indented goes on with the paragraph the page
        // break cut: the page before ends without a closing space.
        let cut = read[i + 1..]
            .iter()
            .find_map(|(body, _)| body.iter().find(|l| !l.is_blank()))
            .is_some_and(|l| l.indent() < 2);
        let (body, notes) = std::mem::take(&mut read[i]);
        out.body(&body, cut);
        out.notes(notes);
    }
    Some(out.finish())
}

/// Does the line opening `rest` go on with the title `para` holds? A long title wraps with
/// a hanging indent (`34/204. 核武器威胁……的后续行` / `动`) before the line that opens the
/// preamble, `大会，`, which must come within the next three lines.
fn title_goes_on(para: &[(String, usize)], rest: &[Line]) -> bool {
    let opener = |l: &Line| matches!(l.text.trim(), "大会，" | "大会," | "大会");
    para.first()
        .is_some_and(|(t, _)| title_re().is_match(t.trim_start()))
        && !opener(&rest[0])
        && rest.iter().filter(|l| !l.is_blank()).take(4).any(opener)
}

/// The pages: parted by form feeds, or after a footer line where there are none.
fn pages<'a>(lines: &[Line<'a>]) -> Vec<Vec<Line<'a>>> {
    let feeds = lines.iter().any(|l| l.text.contains('\u{c}'));
    let mut pages = vec![Vec::new()];
    for l in lines {
        if feeds {
            let mut parts = l.text.split('\u{c}');
            let first = parts.next().unwrap_or_default();
            if !first.trim().is_empty() {
                let line = marked(Line { text: first, ..*l });
                pages.last_mut().expect("a page").push(line);
            }
            for part in parts {
                pages.push(Vec::new());
                if !part.trim().is_empty() {
                    let line = marked(Line { text: part, ..*l });
                    pages.last_mut().expect("a page").push(line);
                }
            }
            continue;
        }
        let line = marked(*l);
        let footer = is_footer(line.text);
        pages.last_mut().expect("a page").push(line);
        if footer {
            pages.push(Vec::new());
        }
    }
    pages
}

/// A page without its blank edges, running header and footer lines.
fn trim_furniture<'a, 'b>(mut page: &'b [Line<'a>]) -> &'b [Line<'a>] {
    loop {
        match page {
            [first, rest @ ..]
                if first.is_blank() || is_header(first.text) || is_footer(first.text) =>
            {
                page = rest
            }
            [rest @ .., last]
                if last.is_blank() || is_footer(last.text) || is_header(last.text) =>
            {
                page = rest
            }
            _ => return page,
        }
    }
}

/// A footnote of a page bottom: its number, then its lines' texts.
struct Note<'a> {
    number: u32,
    lines: Vec<Line<'a>>,
}

/// Cuts a page's footnotes from its bottom: a run of lines to the page's end that opens
/// with footnote `next` and holds footnotes numbered one after another (each line a
/// footnote's first or, indented, its wrapped line). Footnote numbers run once through a
/// document, so only the next number can open a page bottom.
fn split_notes<'a, 'b>(page: &'b [Line<'a>], next: &mut u32) -> (&'b [Line<'a>], Vec<Note<'a>>) {
    if page.iter().any(|l| l.small) {
        return split_small_notes(page, next);
    }
    let starts = page
        .iter()
        .enumerate()
        .filter(|(_, l)| footnote_start(l.text).is_some_and(|(n, _)| n == *next));
    for (at, _) in starts {
        if let Some(notes) = notes_from(&page[at..], *next) {
            *next += notes.len() as u32;
            return (&page[..at], notes);
        }
    }
    (page, Vec::new())
}

/// A page's footnotes where the type's size tells them (a PDF): the small-type lines at the
/// page's bottom. Lines of it before footnote `next` go on with the footnote the page
/// before left unfinished: they come back as a note numbered 0, for the caller to join.
fn split_small_notes<'a, 'b>(
    page: &'b [Line<'a>],
    next: &mut u32,
) -> (&'b [Line<'a>], Vec<Note<'a>>) {
    let start = page
        .iter()
        .rposition(|l| !l.small && !l.is_blank())
        .map_or(0, |i| i + 1);
    let (body, area) = page.split_at(start);
    let mut notes: Vec<Note> = Vec::new();
    for l in area.iter().filter(|l| !l.is_blank()) {
        match footnote_start(l.text) {
            Some((n, _)) if n == *next && l.indent() <= 2 => {
                notes.push(Note {
                    number: n,
                    lines: vec![*l],
                });
                *next += 1;
            }
            _ => match notes.last_mut() {
                Some(note) => note.lines.push(*l),
                None => notes.push(Note {
                    number: 0,
                    lines: vec![*l],
                }),
            },
        }
    }
    (body, notes)
}

/// The footnotes of `lines`, when every line is a footnote's (numbered from `first`).
fn notes_from<'a>(lines: &[Line<'a>], first: u32) -> Option<Vec<Note<'a>>> {
    let mut notes: Vec<Note> = Vec::new();
    for l in lines {
        if l.is_blank() {
            continue;
        }
        let expected = first + notes.len() as u32;
        match footnote_start(l.text) {
            Some((n, _)) if n == expected && l.indent() <= 2 => notes.push(Note {
                number: n,
                lines: vec![*l],
            }),
            _ if l.indent() >= 2 && !notes.is_empty() => {
                notes.last_mut().expect("a note").lines.push(*l);
            }
            _ => return None,
        }
    }
    Some(notes)
}

/// A body line's footnote markers as the page reader knows them: a marker glued to the
/// text before it and followed by a space. In a PDF that sets its markers as superscripts,
/// a superscript run is a marker (a space is put after it) and every other number glued to
/// CJK text is text (blocked as a wrapped line's first number is). In an extractor's text,
/// a number of up to three digits between CJK punctuation and an ideograph or an opening
/// bracket (`报告，5其中`, `努力，7《联合国`: a superscript flattened into the line) is given
/// its space.
fn plain_markers(t: &str, superscripts: bool) -> String {
    let chars: Vec<char> = t.chars().collect();
    let mut out = String::with_capacity(t.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let run = |from: usize| {
            chars[from..]
                .iter()
                .position(|c| !c.is_ascii_digit())
                .map_or(chars.len(), |n| from + n)
        };
        if c == SUPERSCRIPT {
            let end = run(i + 1);
            out.extend(&chars[i + 1..end]);
            // Also at the line's end: the next line is joined on after the space.
            if chars.get(end).is_none_or(|&n| n != ' ') {
                out.push(' ');
            }
            i = end;
            continue;
        }
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let glued_to_cjk = prev.is_some_and(|p| ideograph(p) || is_cjk_punct(p));
        if c.is_ascii_digit() && glued_to_cjk {
            let end = run(i);
            let next = chars.get(end).copied();
            if superscripts {
                if !matches!(next, Some('年' | '月' | '日')) {
                    out.push(LINE_START);
                }
            } else if end - i <= 3
                && prev.is_some_and(is_cjk_punct)
                && next.is_some_and(|n| ideograph(n) || matches!(n, '《' | '“' | '「' | '（'))
            {
                out.extend(&chars[i..end]);
                out.push(' ');
                i = end;
                continue;
            }
            out.extend(&chars[i..end]);
            i = end;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Writes the page layout: every line followed by a blank line, a paragraph's first line
/// opened by a space and its last closed by one, each page's footnotes under a rule.
#[derive(Default)]
struct Writer {
    text: String,
    lines: Vec<usize>,
    /// The next paragraph opens a page.
    page_opening: bool,
    /// How the document spaces CJK and Latin characters.
    spacing: Spacing,
    /// The spaces are the typesetter's own (a PDF read here), not an extractor's guesses.
    drawn: bool,
    /// The PDF sets its footnote markers as superscripts ([`SUPERSCRIPT`]).
    superscripts: bool,
}

impl Writer {
    /// A line's text with the page layout's spaces made text's ([`tidy`]); from an
    /// extractor's text, the spaces it read into a justified line's gaps taken out
    /// ([`Spacing::retouch`]).
    fn tidied(&self, text: &str) -> String {
        let t = tidy(text, self.drawn);
        if self.drawn {
            t
        } else {
            self.spacing.retouch(t)
        }
    }

    fn line(&mut self, text: &str, source: usize) {
        self.text.push_str(text);
        self.text.push_str("\n\n");
        self.lines.extend([source, source]);
    }

    /// A page's text: a line indented past the margin opens a paragraph; a line of digits
    /// alone is a superscript marker, put back at the end of the line before it.
    fn body(&mut self, body: &[Line], cut: bool) {
        let mut para: Vec<(String, usize)> = Vec::new();
        // The first lines of a page go on with the page before's last paragraph, except on
        // the first page.
        let mut continues_page = !self.text.is_empty();
        for (i, l) in body.iter().enumerate() {
            if l.is_blank() {
                continue;
            }
            let t = plain_markers(&self.tidied(l.text), self.superscripts);
            if t.chars().all(|c| c.is_ascii_digit()) && !para.is_empty() {
                para.last_mut().expect("a line").0.push_str(&t);
                continue;
            }
            if l.indent() >= 2 && !para.is_empty() && !title_goes_on(&para, &body[i..]) {
                self.paragraph(&para, continues_page, false);
                continues_page = false;
                para.clear();
            } else if l.indent() >= 2 && continues_page {
                // A paragraph opening a page: two spaces open it in the page layout (one
                // would go on with the paragraph before the page bottom).
                continues_page = false;
                self.page_opening = true;
            }
            para.push((t, l.number));
        }
        if !para.is_empty() {
            self.paragraph(&para, continues_page, cut);
        }
    }

    /// One paragraph, its lines joined into one; `continued` for the first lines of a
    /// page, which go on with the paragraph the page break cut (no space opens them), `cut`
    /// for the last lines of a page that the next page goes on with (no space closes them).
    fn paragraph(&mut self, para: &[(String, usize)], continued: bool, cut: bool) {
        let mut text = String::new();
        for (t, _) in para {
            join_wrapped(&mut text, t, &self.spacing);
        }
        let open = match (continued, std::mem::take(&mut self.page_opening)) {
            (true, _) => "",
            (false, true) => "  ",
            (false, false) => " ",
        };
        let close = if cut { "" } else { " " };
        self.line(&format!("{open}{text}{close}"), para[0].1);
    }

    /// A page's footnotes under a rule: ` N text`, wrapped lines joined on.
    fn notes(&mut self, notes: Vec<Note>) {
        let Some(first) = notes.first() else { return };
        self.line("__________________ ", first.lines[0].number);
        for n in notes {
            let (head, rest) = n.lines.split_first().expect("a first line");
            let text = match footnote_start(head.text) {
                Some((_, t)) if n.number > 0 => t,
                _ => head.text,
            };
            let mut all = self.tidied(text);
            for l in rest {
                join_wrapped(&mut all, &self.tidied(l.text), &self.spacing);
            }
            self.line(&format!(" {} {all} ", n.number), head.number);
        }
    }

    fn finish(self) -> Rewritten {
        Rewritten {
            text: self.text,
            lines: self.lines,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two pages as `pdftotext -layout` prints a resolution: masthead, title, an indented
    /// paragraph cut by the page break, a footnote at each page bottom, the footer, a form
    /// feed, the running header.
    const TWO_PAGES: &str = "联合国               A/RES/78/46\n大会\nDistr.: General\n4 December 2023\n第七十八届会议\n\n78/46. 小武器\n\n     大会，\n\n     回顾其第 77/71 号决议，1\n\n     1.  强调必须继续全面执行《行动纲领》，并确认《行动纲领》对这方面国际\n努力的重大贡献，以及\n\n1    A/CONF.192/15，第四章，\n     第 24 段。\n\n23-24187 (C)            1/2\n\u{c}A/RES/78/46\n\n各国的努力；2\n\n     2.  请秘书长提出报告。\n\n                                  2023 年 12 月 4 日\n                                  第 42 次全体会议\n\n2    同上。\n\n2/2               23-24187 (C)\n";

    #[test]
    fn the_masthead_header_and_footer_go_and_the_footnotes_come_under_a_rule() {
        let r = rewrite(TWO_PAGES).expect("extracted text");
        let lines: Vec<&str> = r.text.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(
            lines,
            [
                " 78/46. 小武器 ",
                " 大会， ",
                " 回顾其第 77/71 号决议，1 ",
                " 1. 强调必须继续全面执行《行动纲领》，并确认《行动纲领》对这方面国际努力的重大贡献，以及",
                "__________________ ",
                " 1 A/CONF.192/15，第四章，第 24 段。 ",
                "各国的努力；2 ",
                " 2. 请秘书长提出报告。 ",
                " 2023 年 12 月 4 日 ",
                " 第 42 次全体会议 ",
                "__________________ ",
                " 2 同上。 ",
            ]
        );
        // Each line of the rewritten text names its source line.
        let para = r.text.lines().position(|l| l.starts_with(" 1. ")).unwrap();
        assert_eq!(r.source_line(para + 1), 13);
    }

    #[test]
    fn text_in_the_page_layout_is_not_rewritten() {
        let seed = include_str!("../../corpus/A-RES-78-46.zh.txt");
        assert!(!is_extracted(seed));
        assert!(rewrite(seed).is_none());
    }

    #[test]
    fn a_number_at_a_line_start_is_a_footnote_only_as_the_next_one_at_the_page_bottom() {
        let page: Vec<Line> = ["     回顾", "3D 打印技术，", "", "1    注一。"]
            .iter()
            .enumerate()
            .map(|(i, t)| Line {
                text: t,
                number: i + 1,
                small: false,
            })
            .collect();
        let mut next = 1;
        let (body, notes) = split_notes(&page, &mut next);
        assert_eq!((body.len(), notes.len(), next), (3, 1, 2));
        let mut next = 2;
        let (body, notes) = split_notes(&page, &mut next);
        assert_eq!((body.len(), notes.len(), next), (4, 0, 2));
    }

    #[test]
    fn a_long_title_wraps_with_a_hanging_indent_before_the_preamble_opens() {
        let wrapped = TWO_PAGES.replace(
            "78/46. 小武器\n",
            "78/46. 核武器威胁或使用核武器是否合法问题国际法院的咨询意见的后续行\n          动\n",
        );
        let r = rewrite(&wrapped).expect("extracted text");
        let lines: Vec<&str> = r.text.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(
            lines[..3],
            [
                " 78/46. 核武器威胁或使用核武器是否合法问题国际法院的咨询意见的后续行动 ",
                " 大会， ",
                " 回顾其第 77/71 号决议，1 ",
            ]
        );
        // Without `大会，` after it, an indented line after the title is a paragraph.
        let r = rewrite(&wrapped.replace("     大会，\n", "")).expect("extracted text");
        assert!(r.text.lines().any(|l| l == " 动 "), "{}", r.text);
    }
}
