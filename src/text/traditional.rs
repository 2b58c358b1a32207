//! Traditional characters in a query: `輕武器` finds the simplified `轻武器` of the UN's
//! texts. A query's text is converted to simplified characters with OpenCC's tables
//! (`ferrous-opencc`, Apache-2.0) and searched as typed OR as converted, so text indexed in
//! traditional characters is still found by the traditional form. The index itself holds the
//! text as published: a simplified query does not find text written in traditional
//! characters.
//!
//! Three conversions are tried, since they disagree on a few characters: t2s (OpenCC's
//! standard traditional characters), tw2s (Taiwan's forms: `意味著` → `意味着`) and hk2s (Hong
//! Kong's). Each distinct result is one more alternative of the term.
//!
//! The tables are loaded only when a query holds a character that one of them converts,
//! which a short list embedded here ([`converts`]) tells without loading them; a simplified
//! query costs one look-up per character. These conversions map each character to one
//! character, so a converted term has as many characters as the term typed, and highlights
//! computed with it land on the right characters of the stored text.

use ferrous_opencc::config::BuiltinConfig;
use ferrous_opencc::OpenCC;
use std::sync::OnceLock;

const LIST: &str = include_str!("traditional.txt");

/// The characters a conversion changes (alone or inside one of its phrases), sorted.
fn table() -> &'static [char] {
    static CHARS: OnceLock<Vec<char>> = OnceLock::new();
    CHARS.get_or_init(|| {
        let mut v: Vec<char> = LIST
            .lines()
            .filter(|l| !l.starts_with('#'))
            .flat_map(str::chars)
            .collect();
        v.sort_unstable();
        v
    })
}

/// Does a conversion change this character (alone or in some phrase)? Only such characters
/// make [`to_simplified`] load the conversion tables.
pub fn converts(c: char) -> bool {
    // Everything below the CJK blocks (Latin, digits, punctuation, kana) never converts.
    c >= '\u{3400}' && table().binary_search(&c).is_ok()
}

/// The conversions, loaded on first use: t2s, tw2s, hk2s.
fn converters() -> &'static [OpenCC] {
    static ALL: OnceLock<Vec<OpenCC>> = OnceLock::new();
    ALL.get_or_init(|| {
        [BuiltinConfig::T2s, BuiltinConfig::Tw2s, BuiltinConfig::Hk2s]
            .into_iter()
            .filter_map(|c| OpenCC::from_config(c).ok())
            .collect()
    })
}

/// The simplified forms of `text` that differ from it, one per distinct conversion, in the
/// order t2s, tw2s, hk2s; empty when no character converts (the tables are then not
/// loaded). Each has as many characters as `text`.
pub fn to_simplified(text: &str) -> Vec<String> {
    if !text.chars().any(converts) {
        return Vec::new();
    }
    let chars = text.chars().count();
    let mut out: Vec<String> = Vec::new();
    for c in converters() {
        let converted = c.convert(text);
        // A conversion that would move highlights (never seen with OpenCC's tables) is
        // left out.
        if converted != text && converted.chars().count() == chars && !out.contains(&converted) {
            out.push(converted);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_traditional_and_keeps_simplified() {
        assert_eq!(to_simplified("輕武器"), ["轻武器"]);
        assert_eq!(to_simplified("國際追查文書"), ["国际追查文书"]);
        assert_eq!(to_simplified("執行《行動綱領》"), ["执行《行动纲领》"]);
        assert_eq!(to_simplified("答覆"), ["答复"]);
        // t2s keeps 著 (显著), Taiwan's forms write 着 with it: both are tried.
        assert_eq!(to_simplified("著重指出"), ["着重指出"]);
        assert_eq!(to_simplified("意味著"), ["意味着"]);
        assert_eq!(to_simplified("顯著"), ["显著"]);
        assert!(to_simplified("小武器和轻武器").is_empty());
        assert!(to_simplified("A/RES/78/46").is_empty());
    }

    #[test]
    fn the_embedded_list_holds_every_character_that_converts() {
        let all = converters();
        assert_eq!(all.len(), 3, "t2s, tw2s and hk2s load");
        let ranges = [
            '\u{3400}'..='\u{4DBF}',
            '\u{4E00}'..='\u{9FFF}',
            '\u{F900}'..='\u{FAFF}',
            '\u{20000}'..='\u{2FA1F}',
        ];
        let mut changed = std::collections::BTreeSet::new();
        for c in ranges.into_iter().flatten() {
            let s = c.to_string();
            for conv in all {
                let out = conv.convert(&s);
                assert_eq!(out.chars().count(), 1, "{c} becomes {out}");
                if out != s {
                    changed.insert(c);
                }
            }
        }
        // Every character that converts on its own is listed; the list's others change
        // only inside a phrase (答覆 → 答复).
        for c in &changed {
            assert!(converts(*c), "{c} converts but is not listed");
        }
        let phrase_only: String = table().iter().filter(|c| !changed.contains(c)).collect();
        assert!(phrase_only.chars().count() < 16, "{phrase_only}");
        assert!(!converts('a') && !converts('小') && !converts('器'));
    }
}
