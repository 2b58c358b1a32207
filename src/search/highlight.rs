//! Marking matches: the character ranges of a record's text that match a query's terms
//! (found in folded text, mapped back to the characters printed), and a snippet of about a
//! line around the first of them.

use crate::text::normalize::Folded;

/// Character ranges of `text` where any of the folded needles occur, merged and sorted.
pub fn highlight(text: &str, needles: &[Vec<char>]) -> Vec<(usize, usize)> {
    if needles.is_empty() {
        return Vec::new();
    }
    let folded = Folded::new(text);
    let mut ranges: Vec<(usize, usize)> = needles.iter().flat_map(|n| folded.find_all(n)).collect();
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (s, e) in ranges {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

/// A window of a record's text around its first match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The text shown, with `…` where it was cut; line breaks become spaces.
    pub text: String,
    /// Character ranges of `text` to highlight.
    pub highlights: Vec<(usize, usize)>,
}

/// Cuts a snippet of about `width` characters around the first highlight, on character
/// boundaries.
pub fn snippet(text: &str, highlights: &[(usize, usize)], width: usize) -> Snippet {
    let chars: Vec<char> = text
        .chars()
        .map(|c| if c == '\n' { ' ' } else { c })
        .collect();
    let n = chars.len();
    let (mut start, mut end) = (0, n.min(width));
    if let Some(&(s, _)) = highlights.first() {
        if n > width {
            start = s.saturating_sub(width / 4);
            // Do not cut a number or a symbol in two: start at its beginning.
            while start > 0 && start < s && chars[start - 1].is_ascii_alphanumeric() {
                start -= 1;
            }
            end = (start + width).min(n);
            start = start.min(end.saturating_sub(width));
        }
    }
    let lead = if start > 0 { "…" } else { "" };
    let tail = if end < n { "…" } else { "" };
    let shift = lead.chars().count();
    let text = format!(
        "{lead}{}{tail}",
        chars[start..end].iter().collect::<String>()
    );
    let highlights = highlights
        .iter()
        .filter(|&&(s, e)| e > start && s < end)
        .map(|&(s, e)| (s.max(start) - start + shift, e.min(end) - start + shift))
        .collect();
    Snippet { text, highlights }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_ignore_spaces_and_width() {
        let needles = vec![crate::text::normalize::fold("2024年6月").chars().collect()];
        assert_eq!(highlight("于 2024 年 6 月开始", &needles), [(2, 12)]);
        let needles = vec!["武器".chars().collect(), "小武".chars().collect()];
        assert_eq!(highlight("小武器和武器", &needles), [(0, 3), (4, 6)]);
    }

    #[test]
    fn snippets_cut_on_characters_around_the_first_match() {
        let text = "甲".repeat(100) + "小武器" + &"乙".repeat(100);
        let s = snippet(&text, &[(100, 103)], 40);
        assert_eq!(s.text.chars().count(), 42);
        assert!(s.text.starts_with('…') && s.text.ends_with('…'));
        let (a, b) = s.highlights[0];
        let shown: String = s.text.chars().skip(a).take(b - a).collect();
        assert_eq!(shown, "小武器");
        let short = snippet("小武器", &[(0, 3)], 40);
        assert_eq!(
            (short.text.as_str(), short.highlights),
            ("小武器", vec![(0, 3)])
        );
    }
}
