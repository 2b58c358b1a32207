//! Citations: the UN document symbols a text cites, written out (A/78/126, A/CONF.192/15,
//! A/60/88/Corr.2, S/2023/823) or in the Chinese form 第 77/71 号决议 (→ A/RES/77/71).

use regex::Regex;
use std::sync::OnceLock;

fn symbol_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?:A|S|E|ST|CD|NPT|APLC|CCW|BWC|DC|UNODA)(?:/[A-Za-z0-9][A-Za-z0-9.\-]*)+")
            .expect("valid regex")
    })
}

fn resolution_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(\d{1,3})\s*/\s*(\d{1,4})(?:\s*[A-Z]{1,2}(?:-[A-Z]{1,2})?)?\s*号")
            .expect("valid regex")
    })
}

/// Is this string a document symbol such as `A/RES/77/71` (the whole string)?
#[cfg(test)]
fn is_symbol(s: &str) -> bool {
    symbol_re()
        .find(s)
        .is_some_and(|m| m.start() == 0 && m.end() == s.len())
}

/// The document symbols cited in `text`, in order of first appearance, each once.
///
/// Written-out symbols count when they stand alone (not glued to Latin letters or digits).
/// `第 N/M 号决议` and lists such as `第 76/1 号和第 77/71 号决议` give `A/RES/N/M`;
/// decisions (`号决定`) have no document symbol and give nothing.
pub(crate) fn symbols(text: &str) -> Vec<String> {
    if !text.contains('/') {
        return Vec::new();
    }
    let mut found: Vec<(usize, String)> = Vec::new();
    for m in symbol_re().find_iter(text) {
        let before = text[..m.start()].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '/' || c == '.') {
            continue;
        }
        let sym = m.as_str().trim_end_matches(['.', '-']);
        if sym.matches('/').count() >= 1 && sym.len() > 2 {
            found.push((m.start(), sym.to_string()));
        }
    }
    for c in resolution_re().captures_iter(text) {
        let whole = c.get(0).expect("match");
        let before = text[..whole.start()].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '/' || c == '.') {
            continue;
        }
        if resolution_follows(&text[whole.end()..]) {
            found.push((whole.start(), format!("A/RES/{}/{}", &c[1], &c[2])));
        }
    }
    found.sort_by_key(|(pos, _)| *pos);
    let mut out: Vec<String> = Vec::new();
    merge(
        &mut out,
        &found.into_iter().map(|(_, s)| s).collect::<Vec<_>>(),
    );
    out
}

/// The longest enumeration of resolution numbers read after `第 N/M 号` to find whether it
/// ends in 决议, in characters: far beyond any in the UN's texts, and a bound on the work
/// a hostile file can ask for.
const ENUMERATION_MAX: usize = 4096;

/// After `N/M 号`: does the enumeration end in 决议 (resolution) rather than 决定 (decision)?
fn resolution_follows(rest: &str) -> bool {
    let tail: String = rest
        .chars()
        .take(ENUMERATION_MAX)
        .skip_while(|c| {
            c.is_whitespace()
                || c.is_ascii_alphanumeric()
                || matches!(
                    c,
                    '/' | '、' | '，' | ',' | '和' | '及' | '与' | '第' | '号' | '以' | '-'
                )
        })
        .take(2)
        .collect();
    tail == "决议"
}

/// Adds the symbols of `more` to `into` that it does not hold yet, keeping order.
pub(crate) fn merge(into: &mut Vec<String>, more: &[String]) {
    // A few symbols a paragraph: compared one by one. A hostile file's thousands: hashed.
    if into.len().saturating_mul(more.len()) <= 4096 && more.len() <= 64 {
        for s in more {
            if !into.contains(s) {
                into.push(s.clone());
            }
        }
        return;
    }
    let mut seen: std::collections::HashSet<String> = into.iter().cloned().collect();
    for s in more {
        if seen.insert(s.clone()) {
            into.push(s.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_symbols_are_merged_once_each_in_order() {
        let listed: Vec<String> = (0..200).map(|i| format!("A/78/{}", i % 150)).collect();
        let mut into = vec!["A/78/7".to_string(), "S/1".to_string()];
        merge(&mut into, &listed);
        let mut want = vec!["A/78/7".to_string(), "S/1".to_string()];
        want.extend((0..150).filter(|&i| i != 7).map(|i| format!("A/78/{i}")));
        assert_eq!(into, want);
        let text: String = listed.iter().map(|s| format!("见 {s}、")).collect();
        assert_eq!(
            symbols(&text),
            (0..150).map(|i| format!("A/78/{i}")).collect::<Vec<_>>()
        );
    }

    #[test]
    fn written_out_symbols_are_found_whole() {
        assert_eq!(
            symbols("见 A/62/163 和 A/62/163/Corr.1。"),
            ["A/62/163", "A/62/163/Corr.1"]
        );
        assert_eq!(symbols("(A/CONF.192/15)，第四章"), ["A/CONF.192/15"]);
        assert_eq!(
            symbols("A/C.1/78/L.41 和 S/2023/823。"),
            ["A/C.1/78/L.41", "S/2023/823"]
        );
        assert_eq!(
            symbols("A/CONF.192/BMS/2022/1，附件"),
            ["A/CONF.192/BMS/2022/1"]
        );
    }

    #[test]
    fn chinese_resolution_citations_become_symbols() {
        assert_eq!(
            symbols("回顾其 2022 年 12 月 7 日第 77/71 号决议"),
            ["A/RES/77/71"]
        );
        assert_eq!(symbols("第 56/24 V 号决议，"), ["A/RES/56/24"]);
        assert_eq!(
            symbols("第 76/1 号、第 76/2 号和第 77/71 号决议"),
            ["A/RES/76/1", "A/RES/76/2", "A/RES/77/71"]
        );
    }

    #[test]
    fn decisions_and_plain_numbers_cite_nothing() {
        assert!(symbols("见第 60/519 号决定").is_empty());
        assert!(symbols("目标 16 和具体目标 16.4；第 24 段").is_empty());
        assert!(symbols("3D 打印，2030 年").is_empty());
    }

    #[test]
    fn each_symbol_once_in_order_of_first_appearance() {
        assert_eq!(
            symbols("S/2023/823，A/78/126，S/2023/823"),
            ["S/2023/823", "A/78/126"]
        );
    }

    #[test]
    fn is_symbol_needs_the_whole_string() {
        assert!(is_symbol("A/RES/77/71"));
        assert!(!is_symbol("A/RES/77/71 x"));
        assert!(!is_symbol("小武器"));
    }
}
