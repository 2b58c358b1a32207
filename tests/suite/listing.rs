//! `unres search --by-resolution` and `--sort`, run as a real process on three resolutions
//! made from the seed (sessions 77, 78 and 79, adopted a year apart, with 妇女 in two, one
//! and two records).

use crate::common::*;
use serde_json::Value;
use std::path::Path;
use std::sync::OnceLock;

/// The seed as resolution `session/number` adopted on `date` (`2022 年 12 月 7 日`), with
/// the first `drop` occurrences of 妇女 written otherwise.
fn variant(session: u32, number: u32, date: &str, drop: usize) -> String {
    std::fs::read_to_string(SEED)
        .unwrap()
        .replace("78/46.", &format!("{session}/{number}."))
        .replace("2023 年 12 月 4 日", date)
        .replacen("妇女", "男子", drop)
}

fn three() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempdir();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir(&corpus).unwrap();
        std::fs::write(
            corpus.join("a.txt"),
            variant(77, 71, "2022 年 12 月 7 日", 0),
        )
        .unwrap();
        std::fs::write(
            corpus.join("b.txt"),
            variant(78, 46, "2023 年 12 月 4 日", 0),
        )
        .unwrap();
        std::fs::write(
            corpus.join("c.txt"),
            variant(79, 50, "2024 年 12 月 2 日", 1),
        )
        .unwrap();
        unres(dir.path()).arg("index").assert().success();
        dir
    })
    .path()
}

fn lines(args: &[&str]) -> (Vec<String>, i32) {
    let out = unres(three()).arg("search").args(args).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    (
        text.lines().map(str::to_string).collect(),
        out.status.code().unwrap(),
    )
}

fn json(args: &[&str]) -> Vec<Value> {
    let mut all = args.to_vec();
    all.push("--json");
    lines(&all)
        .0
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn symbols(v: &[Value]) -> Vec<&str> {
    v.iter().map(|r| r["symbol"].as_str().unwrap()).collect()
}

#[test]
fn one_line_per_resolution_with_its_count() {
    let (out, code) = lines(&["妇女", "--by-resolution"]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        [
            "     2  A/RES/78/46  2023-12-04  小武器和轻武器非法贸易的各方面问题",
            "     2  A/RES/77/71  2022-12-07  小武器和轻武器非法贸易的各方面问题",
            "     1  A/RES/79/50  2024-12-02  小武器和轻武器非法贸易的各方面问题",
        ]
    );
    let v = json(&["妇女", "--by-resolution"]);
    assert_eq!(v.len(), 3);
    assert_eq!(v[2]["count"], 1);
    assert_eq!(v[2]["session"], 79);
    assert_eq!(v[2]["year"], 2024);
    assert_eq!(v[2]["date"], "2024-12-02");
    assert!(v[2]["file"].as_str().unwrap().ends_with("c.txt"));
    // The counts are the records' counts.
    for r in &v {
        let symbol = r["symbol"].as_str().unwrap();
        let (n, _) = lines(&["妇女", "--count", "--symbol", symbol]);
        assert_eq!(n, [r["count"].to_string()], "{symbol}");
    }
}

#[test]
fn resolutions_by_date_and_nothing_found() {
    let newest = json(&["妇女", "--by-resolution", "--sort", "newest"]);
    assert_eq!(
        symbols(&newest),
        ["A/RES/79/50", "A/RES/78/46", "A/RES/77/71"]
    );
    let oldest = json(&["--sort", "oldest", "妇女", "--by-resolution"]);
    assert_eq!(
        symbols(&oldest),
        ["A/RES/77/71", "A/RES/78/46", "A/RES/79/50"]
    );
    // Traditional characters and filters work here too.
    let v = json(&["婦女", "--by-resolution", "--session", "78"]);
    assert_eq!(symbols(&v), ["A/RES/78/46"]);
    let (out, code) = lines(&["化学武器公约", "--by-resolution"]);
    assert_eq!((out.len(), code), (0, 1));
}

#[test]
fn records_by_date() {
    let all = |sort: &str| json(&["小武器", "--limit", "500", "--sort", sort]);
    let (rel, newest, oldest) = (all("relevance"), all("newest"), all("oldest"));
    assert_eq!(rel.len(), newest.len());
    assert_eq!(rel.len(), oldest.len());
    assert!(rel.len() > 90);
    let dates = |v: &[Value]| -> Vec<String> {
        v.iter()
            .map(|r| r["date"].as_str().unwrap().to_string())
            .collect()
    };
    let d = dates(&newest);
    assert!(d.windows(2).all(|w| w[0] >= w[1]), "newest first");
    assert_eq!(d[0], "2024-12-02");
    let d = dates(&oldest);
    assert!(d.windows(2).all(|w| w[0] <= w[1]), "oldest first");
    assert_eq!(d[0], "2022-12-07");
    // Within a resolution, paragraph order: preamble, operative, footnotes.
    let first: Vec<String> = oldest
        .iter()
        .take_while(|r| r["symbol"] == "A/RES/77/71")
        .map(|r| r["kind"].as_str().unwrap().to_string())
        .collect();
    let mut sorted = first.clone();
    let rank = |k: &str| {
        ["preamble", "operative", "footnote", "annex"]
            .iter()
            .position(|x| *x == k)
    };
    sorted.sort_by_key(|k| rank(k));
    assert_eq!(first, sorted);
    // The same records in each order.
    let places = |v: &[Value]| -> std::collections::BTreeSet<String> {
        v.iter()
            .map(|r| format!("{} {}", r["place"], r["symbol"]))
            .collect()
    };
    assert_eq!(places(&rel), places(&newest));
    assert_eq!(places(&rel), places(&oldest));
    let scores: Vec<f64> = rel.iter().map(|r| r["score"].as_f64().unwrap()).collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "relevance: by score"
    );
    // Pages of a date order are slices of it.
    let page = json(&[
        "小武器",
        "--sort",
        "oldest",
        "--offset",
        "5",
        "--limit",
        "7",
    ]);
    assert_eq!(page, oldest[5..12]);
}

#[test]
fn sort_values_are_checked() {
    let out = unres(three())
        .args(["search", "妇女", "--sort", "date"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
