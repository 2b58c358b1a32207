//! Traditional characters in a query: `輕武器` finds the simplified `轻武器` of the UN's
//! texts. A query's text is converted with OpenCC's t2s tables (`ferrous-opencc`, Apache-2.0)
//! and searched as typed OR as converted, so text indexed in traditional characters is still
//! found by the traditional form. The index itself holds the text as published: a simplified
//! query does not find text written in traditional characters.
//!
//! The tables are loaded only when a query holds a character that converts, which a short
//! list embedded here ([`converts`]) tells without loading them; a simplified query costs one
//! look-up per character. t2s maps each character to one character, so the converted text
//! has as many characters as the text typed, and highlights computed with it land on the
//! right characters of the stored text.

use crate::query::{Atom, Query};
use ferrous_opencc::config::BuiltinConfig;
use ferrous_opencc::OpenCC;
use std::borrow::Cow;
use std::sync::OnceLock;

const LIST: &str = include_str!("traditional.txt");

/// The characters t2s changes (alone or inside one of its phrases), sorted.
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

/// Does t2s change this character (alone or in some phrase)? Only such characters make
/// [`to_simplified`] load the conversion tables.
pub fn converts(c: char) -> bool {
    // Everything below the CJK blocks (Latin, digits, punctuation, kana) never converts.
    c >= '\u{3400}' && table().binary_search(&c).is_ok()
}

fn converter() -> Option<&'static OpenCC> {
    static T2S: OnceLock<Option<OpenCC>> = OnceLock::new();
    T2S.get_or_init(|| OpenCC::from_config(BuiltinConfig::T2s).ok())
        .as_ref()
}

/// The text in simplified characters; borrowed as it is when no character converts (the
/// tables are then not loaded). The result has as many characters as `text`.
pub fn to_simplified(text: &str) -> Cow<'_, str> {
    if !text.chars().any(converts) {
        return Cow::Borrowed(text);
    }
    let Some(t2s) = converter() else {
        return Cow::Borrowed(text);
    };
    let converted = t2s.convert(text);
    if converted == text || converted.chars().count() != text.chars().count() {
        // Nothing changed, or (never seen with OpenCC's tables) a conversion that would
        // move highlights: keep the text as typed.
        return Cow::Borrowed(text);
    }
    Cow::Owned(converted)
}

/// The query with every text that holds traditional characters searched as typed OR in
/// simplified characters; borrowed unchanged when there are none.
pub fn expand(query: &Query) -> Cow<'_, Query> {
    let any = query.clauses.iter().any(|c| {
        c.any_of
            .iter()
            .any(|a| matches!(a, Atom::Text(t) if t.chars().any(converts)))
    });
    if !any {
        return Cow::Borrowed(query);
    }
    let mut out = query.clone();
    for clause in &mut out.clauses {
        let mut atoms = Vec::with_capacity(clause.any_of.len());
        for atom in clause.any_of.drain(..) {
            let simplified = match &atom {
                Atom::Text(t) => match to_simplified(t) {
                    Cow::Owned(s) => Some(Atom::Text(s)),
                    Cow::Borrowed(_) => None,
                },
                _ => None,
            };
            atoms.push(atom);
            atoms.extend(simplified);
        }
        clause.any_of = atoms;
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_traditional_and_keeps_simplified() {
        assert_eq!(to_simplified("輕武器"), "轻武器");
        assert_eq!(to_simplified("國際追查文書"), "国际追查文书");
        assert_eq!(to_simplified("執行《行動綱領》"), "执行《行动纲领》");
        assert_eq!(to_simplified("答覆"), "答复");
        assert!(matches!(to_simplified("小武器和轻武器"), Cow::Borrowed(_)));
        assert!(matches!(to_simplified("A/RES/78/46"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_embedded_list_is_exactly_what_t2s_changes() {
        let t2s = converter().expect("t2s tables load");
        let ranges = [
            '\u{3400}'..='\u{4DBF}',
            '\u{4E00}'..='\u{9FFF}',
            '\u{F900}'..='\u{FAFF}',
            '\u{20000}'..='\u{2FA1F}',
        ];
        let mut changed = Vec::new();
        for c in ranges.into_iter().flatten() {
            let s = c.to_string();
            let out = t2s.convert(&s);
            assert_eq!(out.chars().count(), 1, "{c} becomes {out}");
            if out != s {
                changed.push(c);
            }
        }
        // Every character that converts on its own is listed; the list's others change
        // only inside a phrase (答覆 → 答复).
        for c in &changed {
            assert!(converts(*c), "{c} converts but is not listed");
        }
        let phrase_only: String = table().iter().filter(|c| !changed.contains(c)).collect();
        assert!(phrase_only.chars().count() < 16, "{phrase_only}");
        for c in phrase_only.chars() {
            assert!(
                LIST.contains(c) && t2s.convert(&format!("{c}")) == c.to_string(),
                "{c}"
            );
        }
        assert!(!converts('a') && !converts('小') && !converts('器'));
    }

    #[test]
    fn expand_adds_the_simplified_form_beside_the_typed_one() {
        let q = crate::query::parse("輕武器 -婦女 小武器").unwrap();
        let e = expand(&q);
        assert_eq!(
            e.clauses[0].any_of,
            [Atom::Text("輕武器".into()), Atom::Text("轻武器".into())]
        );
        assert!(e.clauses[1].negated);
        assert_eq!(
            e.clauses[1].any_of,
            [Atom::Text("婦女".into()), Atom::Text("妇女".into())]
        );
        assert_eq!(e.clauses[2].any_of, [Atom::Text("小武器".into())]);
        let simple = crate::query::parse("轻武器").unwrap();
        assert!(matches!(expand(&simple), Cow::Borrowed(_)));
    }
}
