//! Folding text for the exact layer, the same at index and at query time: NFKC (full-width
//! and half-width forms become one), Latin letters lower-cased, whitespace dropped — so
//! `2024年6月17日` matches `2024 年 6 月 17 日` and `Ａ/ＲＥＳ` matches `a/res`.

use unicode_normalization::UnicodeNormalization;

/// Calls `emit` with each folded character of `c` (none for whitespace, usually one).
#[inline]
pub(crate) fn fold_char(c: char, mut emit: impl FnMut(char)) {
    if c.is_ascii() {
        if !c.is_ascii_whitespace() {
            emit(c.to_ascii_lowercase());
        }
        return;
    }
    // CJK unified ideographs (and extension A) are their own NFKC form and have no case.
    if ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c) {
        emit(c);
        return;
    }
    let mut buf = [0u8; 4];
    for n in c.encode_utf8(&mut buf).nfkc() {
        if n.is_whitespace() {
            continue;
        }
        for l in n.to_lowercase() {
            emit(l);
        }
    }
}

/// The folded form of a whole text.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, |f| out.push(f));
    }
    out
}

/// A folded text with, for every folded character, the index of the source character it
/// came from: what turns an exact match back into a place in the original text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Folded {
    /// The folded characters.
    pub chars: Vec<char>,
    /// For each folded character, the character index in the source text.
    pub origin: Vec<usize>,
}

impl Folded {
    /// Folds `text`, remembering where each folded character came from.
    pub(crate) fn new(text: &str) -> Self {
        let mut f = Folded::default();
        for (i, c) in text.chars().enumerate() {
            fold_char(c, |n| {
                f.chars.push(n);
                f.origin.push(i);
            });
        }
        f
    }

    /// Source character ranges `[start, end)` of every occurrence of the folded `needle`,
    /// in order, overlapping occurrences included.
    pub(crate) fn find_all(&self, needle: &[char]) -> Vec<(usize, usize)> {
        if needle.is_empty() || needle.len() > self.chars.len() {
            return Vec::new();
        }
        self.chars
            .windows(needle.len())
            .enumerate()
            .filter(|(_, w)| *w == needle)
            .map(|(i, _)| (self.origin[i], self.origin[i + needle.len() - 1] + 1))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_goes_width_and_case_fold() {
        assert_eq!(fold("2024 年 6 月 17 日"), "2024年6月17日");
        assert_eq!(fold("Ａ/ＲＥＳ/７７/７１"), "a/res/77/71");
        assert_eq!(fold("（国际刑警组织）"), "(国际刑警组织)");
        assert_eq!(fold("3D 打印\u{3000}技术"), "3d打印技术");
        assert_eq!(fold("A/60/88/Corr.2"), "a/60/88/corr.2");
    }

    #[test]
    fn matches_map_back_to_source_characters() {
        let f = Folded::new("于 2024 年 6 月开始");
        let needle: Vec<char> = fold("2024年6月").chars().collect();
        assert_eq!(f.find_all(&needle), [(2, 12)]);
        let text: Vec<char> = "于 2024 年 6 月开始".chars().collect();
        assert_eq!(text[2..12].iter().collect::<String>(), "2024 年 6 月");
    }
}
