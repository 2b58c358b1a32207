//! `unres search` as people type it, run as a real process on the seed resolution: bare
//! exclusions (`-妇女`) beside options anywhere on the line, and queries in traditional
//! characters finding the simplified text with the same records and highlights.

use crate::ask;
use crate::common::*;
use serde_json::Value;

fn stdout(args: &[&str]) -> (String, i32) {
    let out = unres(indexed()).args(args).output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        out.status.code().unwrap(),
    )
}

fn count(args: &[&str]) -> usize {
    let mut all = vec!["search", "--count"];
    all.extend_from_slice(args);
    let (out, _) = stdout(&all);
    out.trim().parse().expect("a number")
}

/// Every hit of a query (up to 200) as its place and its highlights in `text`.
fn hits(query: &str) -> Vec<(String, Value, Value)> {
    let (out, _) = stdout(&["search", query, "--json", "--limit", "200"]);
    out.lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (
                v["place"].as_str().unwrap().to_string(),
                v["highlights"].clone(),
                v["snippet_highlights"].clone(),
            )
        })
        .collect()
}

#[test]
fn a_bare_exclusion_is_query_text() {
    let (out, code) = stdout(&["search", "小武器", "-妇女", "--count"]);
    assert_eq!((out.as_str(), code), ("34\n", 0));
    // The same as one quoted argument, and as the records of 小武器 less those of 妇女.
    assert_eq!(count(&["小武器 -妇女"]), 34);
    let both = count(&["小武器", "妇女"]);
    assert_eq!(count(&["小武器"]), 34 + both);
    // A quoted phrase after the minus, and numbers. The phrase and 20 are in records that
    // match, so their exclusions must remove something.
    assert!(count(&["3D打印技术"]) > 0 && count(&["小武器", "20"]) > 0);
    assert_eq!(
        count(&["3D打印", "-\"3D 打印 技术\""]),
        count(&["3D打印"]) - count(&["3D打印技术"])
    );
    assert_eq!(
        count(&["小武器", "-20"]),
        count(&["小武器"]) - count(&["小武器", "20"])
    );
    assert_eq!(
        count(&["小武器", "-2030"]),
        count(&["小武器"]) - count(&["小武器", "2030"])
    );
}

#[test]
fn real_options_work_anywhere_on_the_line() {
    let a = stdout(&["search", "--json", "--limit", "3", "小武器", "-妇女"]);
    let b = stdout(&["search", "小武器", "--limit", "3", "-妇女", "--json"]);
    let c = stdout(&["search", "-妇女", "小武器", "--json", "--limit=3"]);
    assert_eq!(a, b);
    assert_eq!(a, c);
    assert_eq!(a.0.lines().count(), 3);
    let n = count(&["小武器", "-妇女", "kind:operative"]);
    assert!(n > 0);
    assert_eq!(count(&["-妇女", "--kind", "operative", "小武器"]), n);
    // After `--` everything is text, as usual.
    let (out, code) = stdout(&["search", "--count", "--", "小武器", "-妇女"]);
    assert_eq!((out.as_str(), code), ("34\n", 0));
}

#[test]
fn an_unknown_ascii_option_is_still_an_error() {
    let out = unres(indexed())
        .args(["search", "小武器", "-x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("-x"));
    let out = unres(indexed())
        .args(["search", "小武器", "--colour", "never"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_lone_minus_is_a_query_error() {
    let out = unres(indexed())
        .args(["search", "小武器", "-"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("lone"));
}

const PAIRS: [(&str, &str); 11] = [
    ("輕武器", "轻武器"),
    ("著重指出", "着重指出"),
    ("國際追查文書", "国际追查文书"),
    ("婦女", "妇女"),
    ("彈藥", "弹药"),
    ("聯合國", "联合国"),
    ("秘書長的報告", "秘书长的报告"),
    ("執行《行動綱領》", "执行《行动纲领》"),
    ("小武器和輕武器非法貿易", "小武器和轻武器非法贸易"),
    ("裁軍事務廳", "裁军事务厅"),
    ("國際刑警組織", "国际刑警组织"),
];

#[test]
fn traditional_queries_find_the_same_records_with_the_same_highlights() {
    for (traditional, simplified) in PAIRS {
        let n = count(&[simplified]);
        assert!(n > 0, "{simplified} finds nothing on the seed");
        assert_eq!(count(&[traditional]), n, "{traditional}");
        let (t, s) = (hits(traditional), hits(simplified));
        assert_eq!(t.len(), n.min(200));
        assert_eq!(t, s, "{traditional}");
    }
    assert_eq!(count(&["輕武器"]), 33);
    assert_eq!(count(&["國際追查文書"]), 21);
    assert_eq!(count(&["婦女"]), 2);
}

#[test]
fn highlights_land_on_the_simplified_characters() {
    let (out, _) = stdout(&["search", "秘書長的報告", "--json", "--limit", "1"]);
    let v: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    let text: Vec<char> = v["text"].as_str().unwrap().chars().collect();
    let (s, e) = (
        v["highlights"][0][0].as_u64().unwrap() as usize,
        v["highlights"][0][1].as_u64().unwrap() as usize,
    );
    assert_eq!(text[s..e].iter().collect::<String>(), "秘书长的报告");
    let (human, _) = stdout(&["search", "婦女", "--color", "never"]);
    assert!(human.contains("«妇女»"), "{human}");
}

#[test]
fn traditional_exclusions_filters_and_or_convert_too() {
    // Each pair compared finds records: two zeros would compare equal too.
    let same = |traditional: &[&str], simplified: &[&str]| {
        let n = count(simplified);
        assert!(n > 0, "{simplified:?} finds nothing on the seed");
        assert_eq!(count(traditional), n, "{traditional:?}");
    };
    assert_eq!(count(&["小武器", "-婦女"]), 34);
    same(&["輕武器 OR 國際追查文書"], &["轻武器 OR 国际追查文书"]);
    // 弹药 is in one preamble paragraph and no operative one.
    same(&["彈藥", "kind:preamble"], &["弹药", "kind:preamble"]);
    assert_eq!(count(&["彈藥", "kind:operative"]), 0);
    // Mixed: one traditional character in a simplified word.
    same(&["轻武器非法貿易"], &["轻武器非法贸易"]);
}

/// The seed indexed once with the library, for checks that run many queries.
fn seed_index() -> &'static unres::Index {
    static INDEX: std::sync::OnceLock<(tempfile::TempDir, unres::Index)> =
        std::sync::OnceLock::new();
    let (_, index) = INDEX.get_or_init(|| {
        let ws = workspace();
        let dir = ws.path().join("index");
        unres::build_index(
            &dir,
            &[ws.path().join("corpus")],
            &unres::BuildOptions::default(),
            &|_, _| {},
        )
        .unwrap();
        let index = unres::open_index(&dir).unwrap();
        (ws, index)
    });
    index
}

#[test]
fn excluding_any_piece_of_text_removes_exactly_its_records() {
    let index = seed_index();
    let n = |q: &str| ask::count(index, &unres::parse_query(q).unwrap());
    let records: Vec<Vec<char>> = unres::parse_file(std::path::Path::new(SEED))
        .unwrap()
        .iter()
        .flat_map(|r| r.records())
        .map(|r| r.text.chars().filter(|c| !c.is_whitespace()).collect())
        .collect();
    // Pieces of one to eight characters taken all over the text, as exclusions.
    let mut pieces = vec!["2030".to_string(), "16.4".to_string(), "同上".to_string()];
    for (i, text) in records.iter().enumerate() {
        for len in 1..=8usize {
            let start = (i * 7 + len * 13) % text.len().max(1);
            if start + len <= text.len() {
                let piece: String = text[start..start + len].iter().collect();
                if piece.chars().all(|c| c.is_alphanumeric()) {
                    pieces.push(piece);
                }
            }
        }
    }
    assert!(pieces.len() > 300, "{}", pieces.len());
    for base in ["小武器", "武器", "的", "行动纲领"] {
        let all = n(base);
        for p in &pieces {
            let both = n(&format!("{base} \"{p}\""));
            assert_eq!(n(&format!("{base} -\"{p}\"")), all - both, "{base} -{p}");
        }
    }
}
