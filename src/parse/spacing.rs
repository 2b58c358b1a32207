//! Spaces in extracted text: which an extractor invented (a justified line's gaps between
//! CJK characters), which a line break took (between two Latin words, and between a CJK
//! ideograph and a Latin letter or digit by the document's own habit), and which are text.

use std::collections::HashMap;

/// Is `c` a CJK character or full-width punctuation, between which a space is never text?
pub(super) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}' | '\u{2014}' | '\u{2026}'
        | '\u{201C}' | '\u{201D}' | '\u{2018}' | '\u{2019}')
}

/// A line's text as the page layout carries it: runs of spaces made one, and the spaces a
/// justified line puts between CJK characters (`以防止 、打击`, `《 2030`) removed; from an
/// extractor's text, also between a CJK character and a bracket (`组织 (国际`). Where the
/// spaces are those the typesetter `drawn` (a PDF read here), a space beside a bracket is
/// real and stays.
pub(super) fn tidy(text: &str, drawn: bool) -> String {
    let chars: Vec<char> = text.trim().chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            let end = chars[i..]
                .iter()
                .position(|c| !c.is_whitespace())
                .map_or(chars.len(), |n| i + n);
            let before = out.chars().next_back();
            let after = chars.get(end).copied();
            // A bracket beside a CJK character is set close (`组织(国际刑警组织)及`).
            let bracket = |b: Option<char>, a: Option<char>| {
                b.is_some_and(is_cjk) && a == Some('(') || b == Some(')') && a.is_some_and(is_cjk)
            };
            let glued = before.is_some_and(is_cjk_punct) && after.is_some()
                || after.is_some_and(is_cjk_punct) && before.is_some()
                || before.is_some_and(is_cjk) && after.is_some_and(is_cjk)
                || !drawn && bracket(before, after);
            if !glued {
                out.push(' ');
            }
            i = end;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// How a document spaces CJK ideographs against Latin letters and digits inside its lines,
/// ideograph by ideograph: `2022 年 12 月` spaces `年` after digits and before them, `达到2600`
/// glues `到`. A line break between the two drops any space, and nothing in the extracted
/// text says whether there was one: the document's own habit for that ideograph decides
/// (seen at least twice, one way more often), else its habit overall.
#[derive(Default)]
pub(super) struct Spacing {
    /// For an ideograph followed by a Latin character: (spaced, glued).
    before_latin: HashMap<char, (u32, u32)>,
    /// For an ideograph after a Latin character: (spaced, glued).
    after_latin: HashMap<char, (u32, u32)>,
    overall: (u32, u32),
}

pub(super) fn ideograph(c: char) -> bool {
    is_cjk(c) && !is_cjk_punct(c)
}

impl Spacing {
    pub(super) fn of<'a>(lines: impl Iterator<Item = &'a str>, drawn: bool) -> Spacing {
        let mut s = Spacing::default();
        let latin = |c: char| c.is_ascii_alphanumeric();
        for l in lines {
            let chars: Vec<char> = tidy(l, drawn)
                .chars()
                // The reader's own marks (private use) are not text.
                .filter(|c| !('\u{E000}'..='\u{F8FF}').contains(c))
                .collect();
            for (i, &c) in chars.iter().enumerate() {
                let next = chars.get(i + 1).copied();
                let (spaced, other) = match next {
                    Some(' ') => (true, chars.get(i + 2).copied()),
                    n => (false, n),
                };
                let Some(o) = other else { continue };
                let slot = if ideograph(c) && latin(o) {
                    s.before_latin.entry(c).or_default()
                } else if latin(c) && ideograph(o) {
                    s.after_latin.entry(o).or_default()
                } else {
                    continue;
                };
                if spaced {
                    slot.0 += 1;
                    s.overall.0 += 1;
                } else {
                    slot.1 += 1;
                    s.overall.1 += 1;
                }
            }
        }
        s
    }

    /// Is there a space between `before` and `after`, a line break apart?
    fn spaced(&self, before: char, after: char) -> bool {
        let latin = |c: char| c.is_ascii_alphanumeric();
        let habit = if ideograph(before) && latin(after) {
            self.before_latin.get(&before)
        } else if latin(before) && ideograph(after) {
            self.after_latin.get(&after)
        } else {
            return latin(before) && latin(after);
        };
        // One sighting is no habit (the seed writes both `使用3D` and `使用 3D`).
        let (spaced, glued) = habit
            .copied()
            .filter(|&(s, g)| s + g >= 2 && s != g)
            .unwrap_or(self.overall);
        spaced > glued
    }
}

/// Joins a wrapped line on. A typesetter breaks a line at the space between two Latin
/// words, and the extractor drops that space: it is put back. Between a CJK ideograph and
/// a Latin letter or digit the document's habit decides ([`Spacing`]).
pub(super) fn join_wrapped(into: &mut String, next: &str, spacing: &Spacing) {
    if let (Some(b), Some(a)) = (into.chars().next_back(), next.chars().next()) {
        if spacing.spaced(b, a) {
            into.push(' ');
        } else if a.is_ascii_digit() {
            // A number opening a wrapped line is text, as the page layout's join says.
            into.push(super::units::LINE_START);
        }
    }
    into.push_str(next);
}

/// Full-width punctuation and CJK brackets: a space beside one is justification.
pub(super) fn is_cjk_punct(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}'
        | '\u{FF3B}'..='\u{FF40}' | '\u{FF5B}'..='\u{FF65}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn justification_spaces_between_cjk_characters_go_and_real_ones_stay() {
        assert_eq!(
            tidy("  以防止 、打击   和《 2030 年议程》 ", false),
            "以防止、打击和《2030 年议程》"
        );
        assert_eq!(tidy("第 77/71 号决议", false), "第 77/71 号决议");
        assert_eq!(
            tidy("组织 (国际刑警组织) 及", false),
            "组织(国际刑警组织)及"
        );
        assert_eq!(tidy("目标 (即目标 25)", true), "目标 (即目标 25)");
        // `用` is spaced before Latin characters, `到` glued; `年` unseen: the habit overall.
        let spacing = Spacing::of(
            ["使用 3D 打印，达到2600 人，使用 5G", "达到12 个"].into_iter(),
            false,
        );
        let joined = |a: &str, b: &str| {
            let mut s = a.to_string();
            join_wrapped(&mut s, b, &spacing);
            s
        };
        assert_eq!(joined("使用", "3D 打印"), "使用 3D 打印");
        // Glued, and a number opening a wrapped line is text (the page layout's mark).
        assert_eq!(joined("达到", "16600 人"), "达到\u{E000}16600 人");
        assert_eq!(joined("1958", "年"), "1958 年");
        assert_eq!(joined("设计，", "特别是"), "设计，特别是");
        assert_eq!(joined("the General", "Assembly"), "the General Assembly");
    }
}
