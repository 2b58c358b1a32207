//! Spaces in extracted text: which an extractor invented (a justified line's gaps between
//! CJK characters), which a line break took (between two Latin words, and between a CJK
//! ideograph and a Latin letter or digit by the document's own habit), and which are text.

use super::units::LINE_START;
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
            // A sub-paragraph's label keeps its space (`(d) 必须`).
            let bracket = |b: Option<char>, a: Option<char>| {
                b.is_some_and(is_cjk) && a == Some('(')
                    || b == Some(')') && a.is_some_and(is_cjk) && !ends_with_label(&out)
            };
            let glued = before.is_some_and(is_cjk_punct) && after.is_some()
                || after.is_some_and(is_cjk_punct) && before.is_some() && !ends_with_label(&out)
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
/// (seen at least twice, one way more often), else its habit overall. Before that, the
/// other side of the same number: where the document spaces a number between two
/// ideographs on one side only when the other side is spaced too (`达到2600 人` and
/// `第 20/4 号` occur, `达到 2600人` never), the side the next line shows tells the side
/// the break took.
#[derive(Default)]
pub(super) struct Spacing {
    /// For an ideograph followed by a Latin character: (spaced, glued).
    before_latin: HashMap<char, (u32, u32)>,
    /// For an ideograph after a Latin character: (spaced, glued).
    after_latin: HashMap<char, (u32, u32)>,
    overall: (u32, u32),
    /// Numbers (Latin runs) between two ideographs in a line: how often spaced before and
    /// after, `[before][after]` (0 glued, 1 spaced).
    sides: [[u32; 2]; 2],
    /// A sub-paragraph's label (`(a)`, `(iv)`) before an ideograph or CJK punctuation:
    /// (spaced, glued).
    labels: (u32, u32),
}

/// Does `text` end with a sub-paragraph's label, `(` one to four lowercase letters `)`?
fn ends_with_label(text: &str) -> bool {
    let Some(rest) = text.strip_suffix(')') else {
        return false;
    };
    let letters = rest
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_lowercase())
        .count();
    (1..=4).contains(&letters) && rest[..rest.len() - letters].ends_with('(')
}

/// Can `c` continue a Latin run (`20/4`, `18,915`, `COVID-19`)?
fn in_run(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | ',' | '-')
}

/// Is the Latin run starting at `chars[0]` followed right away by an ideograph or CJK
/// punctuation (`2与`, `2、4`)?
fn glued_after(chars: &[char]) -> bool {
    chars
        .iter()
        .find(|&&c| !in_run(c))
        .is_some_and(|&c| ideograph(c) || is_cjk_punct(c))
}

/// How the Latin run starting at `chars[0]` meets what follows it: `Some(true)` a space
/// then an ideograph, `Some(false)` an ideograph, else `None`.
fn side(chars: impl Iterator<Item = char>) -> Option<bool> {
    let mut chars = chars.skip_while(|&c| in_run(c));
    match chars.next()? {
        ' ' => chars.next().filter(|&c| ideograph(c)).map(|_| true),
        c => ideograph(c).then_some(false),
    }
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
                // A Latin run between two ideographs: how each of its sides is set.
                if c.is_ascii_alphanumeric()
                    && !chars.get(i.wrapping_sub(1)).is_some_and(|&p| in_run(p))
                {
                    let before = side(chars[..i].iter().rev().copied());
                    let after = side(chars[i..].iter().copied());
                    if let (Some(b), Some(a)) = (before, after) {
                        s.sides[usize::from(b)][usize::from(a)] += 1;
                    }
                }
                let next = chars.get(i + 1).copied();
                if c == ')' {
                    let after = match next {
                        Some(' ') => chars.get(i + 2).map(|&o| (true, o)),
                        n => n.map(|o| (false, o)),
                    };
                    if let Some((spaced, _)) = after.filter(|&(_, o)| is_cjk(o)) {
                        let head: String = chars[i.saturating_sub(5)..=i].iter().collect();
                        if ends_with_label(&head) {
                            if spaced {
                                s.labels.0 += 1;
                            } else {
                                s.labels.1 += 1;
                            }
                        }
                    }
                }
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

    /// An extractor's line with the spaces it invented before numbers taken out: a
    /// justified line widens the gap between an ideograph and a digit, and an extractor
    /// reads the gap as a space (`冠状病毒 2与`). Where the document glues numbers on both
    /// sides at least as often as it spaces them before only (its own lines say so, gaps
    /// read as spaces included), a number spaced before but glued after has the space
    /// before it removed. A document that spaces its numbers (the seed: `6 月 27日至` is
    /// its one number spaced before only, and none is glued on both sides) is left as it is.
    pub(super) fn retouch(&self, line: String) -> String {
        if self.sides[0][0] == 0 || self.sides[0][0] < self.sides[1][0] {
            return line;
        }
        let chars: Vec<char> = line.chars().collect();
        let mut out = String::with_capacity(line.len());
        for (i, &c) in chars.iter().enumerate() {
            let drop = c == ' '
                && i > 0
                && ideograph(chars[i - 1])
                && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit())
                && glued_after(&chars[i + 1..]);
            if !drop {
                out.push(c);
            }
        }
        out
    }

    /// What the other side of a number says of the side a line break took: `known` is how
    /// the side the text shows is set, `taken_before` whether the break took the side
    /// before the number. An answer only where the document never does otherwise (and has
    /// done so at least three times).
    fn by_other_side(&self, known: bool, taken_before: bool) -> Option<bool> {
        let k = usize::from(known);
        let (spaced, glued) = if taken_before {
            (self.sides[1][k], self.sides[0][k])
        } else {
            (self.sides[k][1], self.sides[k][0])
        };
        (spaced.min(glued) == 0 && spaced.max(glued) >= 3).then_some(spaced > glued)
    }

    /// Is there a space between the end of `into` and the start of `next`, a line break
    /// apart?
    fn spaced_between(&self, into: &str, next: &str) -> Option<bool> {
        let before = into.chars().next_back()?;
        let after = next.chars().next()?;
        if is_cjk(after) && ends_with_label(into) {
            // A label opens a sub-paragraph: spaced unless the document glues its labels.
            return Some(self.labels.0 >= self.labels.1);
        }
        let known = if ideograph(before) && after.is_ascii_alphanumeric() {
            side(next.chars()).map(|k| (k, true))
        } else if before.is_ascii_alphanumeric() && ideograph(after) {
            side(into.chars().rev()).map(|k| (k, false))
        } else {
            None
        };
        let by_other = known.and_then(|(k, taken_before)| self.by_other_side(k, taken_before));
        Some(by_other.unwrap_or_else(|| self.spaced(before, after)))
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
    if let (Some(_), Some(a)) = (into.chars().next_back(), next.chars().next()) {
        if spacing.spaced_between(into, next) == Some(true) {
            into.push(' ');
        } else if a.is_ascii_digit() {
            // A number opening a wrapped line is text, as the page layout's join says.
            into.push(LINE_START);
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

    /// A document that glues numbers on both sides (`目标2与`, four times) and spaces one
    /// only after (`达到2600 人`, once) or on both (`第 20/4 号`, three times).
    fn gluing() -> Spacing {
        Spacing::of(
            [
                "目标2与其他，病毒3与其他，目标4与其他，目标5与其他",
                "达到2600 人，第 20/4 号决议，第 7 届，第 8 届",
                "(a) 必须，(b) 必须",
            ]
            .into_iter(),
            false,
        )
    }

    #[test]
    fn the_other_side_of_a_number_tells_the_side_a_break_took() {
        let spacing = gluing();
        let joined = |a: &str, b: &str| {
            let mut s = a.to_string();
            join_wrapped(&mut s, b, &spacing);
            s.replace(LINE_START, "")
        };
        // Glued after: never spaced before in this document, though `第` is spaced.
        assert_eq!(joined("第", "9届"), "第9届");
        // Spaced before: always spaced after.
        assert_eq!(joined("第 20/4", "号决议"), "第 20/4 号决议");
        // Spaced after says nothing (`达到2600 人`, `第 7 届`): the habit of `到` decides.
        assert_eq!(joined("达到", "2600 人"), "达到2600 人");
        // A sub-paragraph's label keeps its space across a break and inside a line.
        assert_eq!(joined("；(b)", "必须"), "；(b) 必须");
        assert_eq!(
            tidy("；(d) 必须 (国际刑警组织) 及", false),
            "；(d) 必须(国际刑警组织)及"
        );
        // Three sightings make a habit: with two, the ideograph's habit decides.
        let few = Spacing::of(["目标2与其他，目标4与其他"].into_iter(), false);
        assert_eq!(few.by_other_side(false, true), None);
        assert_eq!(spacing.by_other_side(false, true), Some(false));
        assert_eq!(spacing.by_other_side(true, false), Some(true));
        assert_eq!(spacing.by_other_side(true, true), None);
    }

    #[test]
    fn an_extractors_space_before_a_glued_number_goes_where_the_document_glues_numbers() {
        let spacing = gluing();
        assert_eq!(
            spacing.retouch("冠状病毒 2与其他，目标 2、4，达到 2600 人，第 9届".into()),
            "冠状病毒2与其他，目标2、4，达到 2600 人，第9届"
        );
        // A document that spaces its numbers (as the seed does) keeps every space.
        let spacing = Spacing::of(["1958 年 6 月 27日至 7 月 1 日"].into_iter(), false);
        assert_eq!(spacing.retouch("6 月 27日至".into()), "6 月 27日至");
    }
}
