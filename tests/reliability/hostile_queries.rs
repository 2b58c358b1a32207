//! Hostile queries through the real binary: each a clear error or an empty result, within
//! a time limit; the widest queries the language allows answer quickly; huge limits and
//! offsets are an error or an empty page, not a crash.

use super::messy::Messy;
use crate::support::*;
use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::time::{Duration, Instant};

#[test]
fn hostile_queries_are_a_clear_error_or_an_empty_result_and_fast() {
    let m = Messy::get();
    let many_or = (0..3000)
        .map(|i| format!("词{i}"))
        .collect::<Vec<_>>()
        .join(" OR ");
    let too_many = vec!["武"; 300].join(" OR ");
    let cases: Vec<(&str, OsString)> = vec![
        ("10,000 characters", "武器".repeat(5000).into()),
        ("10,000 times one character", "武".repeat(10_000).into()),
        (
            "10,000 characters with spaces",
            "核 裁军 ".repeat(1250).into(),
        ),
        (
            "only punctuation",
            "，。、；：？！…—（）《》“”‘’!?.,;:()[]{}<>".into(),
        ),
        ("only spaces", "     \t   ".into()),
        ("ideographic spaces", "\u{3000}\u{3000}".into()),
        ("unbalanced quote", "\"小武器".into()),
        ("unbalanced closing quote", "小武器\"".into()),
        ("unbalanced curly quote", "“核裁军 不扩散".into()),
        ("three quotes", "\"\"\"".into()),
        ("only opening brackets", "((((".into()),
        ("quote inside a word", "小\"武器".into()),
        ("thousands of OR terms", many_or.into()),
        (
            "one term OR-ed 2,000 times",
            vec!["小武器"; 2000].join(" OR ").into(),
        ),
        ("too many terms", too_many.into()),
        ("unknown field", "colour:red".into()),
        ("a full-width colon after Chinese", "颜色：红".into()),
        ("empty filter", "symbol:".into()),
        ("huge session", "session:99999999999999999999".into()),
        ("negative year", "year:-1".into()),
        ("lone minus", "-".into()),
        ("lone OR", "OR".into()),
        ("only negations of nothing", "- - -".into()),
        (
            "control characters",
            "\u{1}\u{2}\u{7}\u{1b}[31m\u{7f}".into(),
        ),
        (
            "a terminal escape before a word",
            "\u{7}\u{1b}[31m小武器".into(),
        ),
        ("bidi and zero-width", "\u{202e}\u{200b}\u{feff}".into()),
        ("a lone surrogate's replacement", "\u{fffd}".into()),
        ("invalid UTF-8", OsStr::from_bytes(b"\xFF\xFE\xFD").into()),
        ("truncated UTF-8", OsStr::from_bytes(b"\xE6\xAD").into()),
        (
            "valid then invalid UTF-8",
            OsStr::from_bytes(b"\xE5\xB0\x8F\xE6\xAD\xA6\xFF").into(),
        ),
    ];
    for (what, query) in cases {
        let start = Instant::now();
        let r = run([
            OsStr::new("search"),
            OsStr::new("--index"),
            m.messy_index.as_os_str(),
            OsStr::new("--"),
            &query,
        ]);
        let took = start.elapsed();
        r.no_crash(what);
        match r.code {
            Some(1) => assert!(r.stdout.contains("0 records match"), "{what}: {r:?}"),
            Some(2) => {
                r.clear_error(what);
                assert!(r.stderr.lines().count() <= 6, "{what}: {}", r.stderr);
            }
            _ => panic!("{what}: neither an error nor an empty result: {r:?}"),
        }
        assert!(took < Duration::from_secs(5), "{what}: took {took:?}");
    }
    // Exclusions alone, of letters the text never holds: a query like the others, which
    // every record answers.
    let start = Instant::now();
    let r = run([
        OsStr::new("search"),
        OsStr::new("--index"),
        m.messy_index.as_os_str(),
        OsStr::new("--"),
        OsStr::new("-a -b -c"),
    ]);
    let took = start.elapsed();
    r.succeeded("only exclusions");
    // Every record matches at the same score: counting stops at the bound.
    assert!(
        r.stdout
            .contains("at least 1000 records match (--count counts them all); showing 1–10"),
        "{r:?}"
    );
    assert!(
        took < Duration::from_secs(5),
        "only exclusions: took {took:?}"
    );
    // The same without `--`: an ASCII letter after a minus is an unknown option.
    let r = run([
        OsStr::new("search"),
        OsStr::new("--index"),
        m.messy_index.as_os_str(),
        OsStr::new("-a -b -c"),
    ]);
    r.clear_error("only exclusions, without --");
}

#[test]
fn the_widest_queries_the_language_allows_answer_quickly() {
    let m = Messy::get();
    // The most frequent characters of the corpus, each one its own term.
    let mut freq: BTreeMap<char, usize> = BTreeMap::new();
    for r in m.good_records() {
        for c in r
            .text
            .chars()
            .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
        {
            *freq.entry(c).or_default() += 1;
        }
    }
    let mut chars: Vec<(usize, char)> = freq.into_iter().map(|(c, n)| (n, c)).collect();
    chars.sort_unstable_by(|a, b| b.cmp(a));
    let top: Vec<String> = chars
        .iter()
        .take(unres::MAX_TERMS)
        .map(|&(_, c)| c.to_string())
        .collect();
    let pairs: Vec<String> = top.windows(2).map(|w| w.concat()).collect();
    // (what, query, whether it must find records: any of the most frequent characters or
    // pairs of the corpus does; all of them at once, or some without the others, may not).
    let cases = [
        (
            "256 one-character terms joined by OR",
            top.join(" OR "),
            true,
        ),
        (
            "255 two-character terms joined by OR",
            pairs.join(" OR "),
            true,
        ),
        ("256 one-character terms all required", top.join(" "), false),
        (
            "128 terms OR-ed, 128 excluded",
            format!("{} -{}", top[..128].join(" OR "), top[128..].join(" -")),
            false,
        ),
    ];
    for (what, query, finds) in cases {
        let start = Instant::now();
        let r = run([
            OsStr::new("search"),
            OsStr::new("--index"),
            m.messy_index.as_os_str(),
            OsStr::new("--"),
            OsStr::new(&query),
        ]);
        let took = start.elapsed();
        r.no_crash(what);
        assert!(
            matches!(r.code, Some(0 | 1)),
            "{what}: the query is allowed: {r:?}"
        );
        if finds {
            r.succeeded(what);
        }
        assert!(took < Duration::from_secs(5), "{what}: took {took:?}");
    }
}

#[test]
fn huge_limit_and_offset_are_an_error_or_an_empty_page_not_a_crash() {
    let m = Messy::get();
    let max = u64::MAX.to_string();
    let cases: [[&str; 4]; 4] = [
        ["--limit", &max, "--offset", "0"],
        ["--limit", "10", "--offset", &max],
        ["--limit", "1000000000", "--offset", "0"],
        ["--limit", "100000000000", "--offset", "100000000000"],
    ];
    for case in cases {
        let what = format!("{case:?}");
        let start = Instant::now();
        let mut args: Vec<&OsStr> = vec![
            "search".as_ref(),
            "--index".as_ref(),
            m.messy_index.as_os_str(),
            "武器".as_ref(),
        ];
        args.extend(case.iter().map(OsStr::new));
        let r = run(args);
        let took = start.elapsed();
        if r.code == Some(2) {
            r.clear_error(&what);
        } else {
            // 武器 matches: the page holds the matches from the offset on, none past the end.
            r.succeeded(&what);
            let summary = r.stdout.lines().last().unwrap();
            let page = if case[3] == "0" {
                "showing 1–"
            } else {
                "none shown"
            };
            assert!(
                summary.contains(" records match; ") && summary.contains(page),
                "{what}: {summary}"
            );
        }
        assert!(took < Duration::from_secs(5), "{what}: took {took:?}");
    }
}
