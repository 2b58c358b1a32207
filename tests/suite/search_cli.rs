//! `unres search`, `show` and `stats` run as a real process on the seed resolution.

use crate::common::*;

#[test]
fn three_d_printing_is_found_across_a_line_wrap() {
    let (mut p, code) = places(&["3D打印"]);
    p.sort();
    let mut want = vec![op(32), pre(19), pre(20)];
    want.sort();
    assert_eq!((p, code), (want, 0));
}

#[test]
fn ibid_finds_footnotes_4_11_and_14() {
    let (p, _) = places(&["同上"]);
    assert_eq!(p, [note(4), note(11), note(14)]);
}

#[test]
fn cites_filter_follows_footnotes() {
    let (p, _) = places(&["cites:A/CONF.192/15"]);
    assert_eq!(p, [pre(2), op(29)]);
    let (p, _) = places(&["--cites", "a/conf.192/15"]);
    assert_eq!(p, [pre(2), op(29)]);
    let (p, _) = places(&["cites:A/RES/77/71"]);
    assert_eq!(p, [pre(1), pre(10)]);
    let (p, _) = places(&["cites:A/CONF.192/BMS/2022/1", "kind:operative"]);
    assert_eq!(p, [op(17), op(23), op(30), op(32)]);
}

#[test]
fn symbol_and_cites_values_fold_width_and_case_like_text() {
    assert_eq!(places(&["妇女", "symbol:ａ/ｒｅｓ/７８/４６"]).0.len(), 2);
    assert_eq!(places(&["妇女", "--symbol", "Ａ/ＲＥＳ/78/46"]).0.len(), 2);
    assert_eq!(places(&["cites:ａ/ｒｅｓ/７７/７１"]).0, [pre(1), pre(10)]);
    assert_eq!(
        places(&["--cites", "Ａ/ＣＯＮＦ.１９２/１５"]).0,
        [pre(2), op(29)]
    );
    // `第 56/24 V 号决议` cites A/RES/56/24, as the seed's own link line writes it.
    assert_eq!(places(&["cites:A/RES/56/24"]).0, [pre(1)]);
}

#[test]
fn kind_filter_with_text() {
    assert_eq!(places(&["kind:operative", "妇女"]).0, [op(11)]);
    assert_eq!(places(&["--kind", "operative", "妇女"]).0, [op(11)]);
    assert_eq!(places(&["kind:preamble", "妇女"]).0, [pre(8)]);
    assert_eq!(places(&["--kind", "footnote", "A/78/126"]).0, [note(5)]);
}

#[test]
fn session_year_and_symbol_filters() {
    assert_eq!(places(&["妇女", "session:78"]).0.len(), 2);
    assert_eq!(places(&["妇女", "--session", "78"]).0.len(), 2);
    assert_eq!(places(&["妇女", "session:77"]), (vec![], 1));
    assert_eq!(places(&["妇女", "year:2023"]).0.len(), 2);
    assert_eq!(places(&["妇女", "--year", "2022"]), (vec![], 1));
    assert_eq!(places(&["妇女", "symbol:A/RES/78/46"]).0.len(), 2);
    assert_eq!(places(&["妇女", "--symbol", "A/RES/78/47"]), (vec![], 1));
}

#[test]
fn whitespace_width_and_case_are_ignored() {
    assert_eq!(places(&["2024年6月17日"]).0, [op(9)]);
    assert_eq!(places(&["３Ｄ打印"]).0.len(), 3);
    assert_eq!(places(&["3d 打 印"]).0.len(), 3);
    // Footnotes 3, 10 and 13 write it out; 4, 11 and 14 (同上) only cite it.
    assert_eq!(
        places(&["a/conf.192/bms/2022/1"]).0,
        [note(3), note(10), note(13)]
    );
}

#[test]
fn several_terms_all_must_match_and_minus_excludes() {
    let (both, _) = places(&["妇女", "决策"]);
    assert_eq!(both.len(), 2);
    let (p, _) = places(&["--", "同上", "-\"第 75 段\""]);
    assert_eq!(p, [note(11)]);
    let (p, _) = places(&["同上 -第75段"]);
    assert_eq!(p, [note(11)]);
    let (mut p, _) = places(&["\"第 83 段\" OR \"第 87 段\""]);
    p.sort();
    assert_eq!(p, [note(10), note(11)]);
}

#[test]
fn whole_word_outranks_part_of_a_word() {
    // 武器 stands alone in many paragraphs and only inside 小武器 in others.
    let out = unres(indexed())
        .args(["search", "武器", "--json", "--limit", "500"])
        .output()
        .unwrap();
    let hits: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(hits.len() > 20);
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "sorted by score");
    // op 2 says 这些武器 (a whole word); pre 18 only says 小武器和轻武器.
    let rank = |place: &str| hits.iter().position(|h| h["place"] == place).unwrap();
    assert!(
        rank(&op(3)) < rank(&pre(18)),
        "op 3 {} pre 18 {}",
        rank(&op(3)),
        rank(&pre(18))
    );
}

#[test]
fn results_are_the_same_every_run() {
    let run = || {
        let r = run_in(
            indexed(),
            ["search", "行动纲领", "--json", "--limit", "100"],
        );
        r.succeeded("search 行动纲领");
        r
    };
    let first = run();
    // More than 30 paragraphs cite the Programme of Action: two empty answers, or two
    // failures, would compare equal too.
    assert!(first.stdout.lines().count() > 30, "{first:?}");
    assert_eq!(run(), first);
}

#[test]
fn json_carries_record_score_snippet_and_highlights() {
    let out = unres(indexed())
        .args(["search", "最后报告未经表决", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let v: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    for key in [
        "file",
        "symbol",
        "session",
        "title",
        "date",
        "kind",
        "para",
        "text",
        "footnotes",
        "cites",
        "score",
        "snippet",
        "highlights",
    ] {
        assert!(v.get(key).is_some(), "{key} missing");
    }
    assert_eq!(v["kind"], "preamble");
    assert_eq!(v["para"], 24);
    assert_eq!(v["footnotes"], serde_json::json!([7]));
    let body: Vec<char> = v["text"].as_str().unwrap().chars().collect();
    let (s, e) = (
        v["highlights"][0][0].as_u64().unwrap() as usize,
        v["highlights"][0][1].as_u64().unwrap() as usize,
    );
    assert_eq!(body[s..e].iter().collect::<String>(), "最后报告未经表决");
    let snip: Vec<char> = v["snippet"].as_str().unwrap().chars().collect();
    assert!(snip.len() <= 82);
    let (s, e) = (
        v["snippet_highlights"][0][0].as_u64().unwrap() as usize,
        v["snippet_highlights"][0][1].as_u64().unwrap() as usize,
    );
    assert_eq!(snip[s..e].iter().collect::<String>(), "最后报告未经表决");
}

#[test]
fn human_output_shows_place_snippet_and_footnotes() {
    let out = unres(indexed())
        .args(["search", "研究员", "--color", "never"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("A/RES/78/46 执行部分第 23 段  第 78 届会议 · 2023-12-04 · 小武器和轻武器非法贸易的各方面问题"), "{text}");
    assert!(text.contains("«研究员»"), "{text}");
    assert!(text.contains("脚注 11: 同上，第 83 段。"), "{text}");
    assert!(text.contains("1 record matches;"), "{text}");
    assert!(!text.contains('\x1b'));
}

#[test]
fn a_footnote_hit_shows_the_paragraph_citing_it() {
    let out = unres(indexed())
        .args(["search", "条约汇编"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("A/RES/78/46 脚注 6"), "{text}");
    assert!(
        text.contains("引用处 序言部分第 22 段: 欣见将小武器和轻武器纳入《武器贸易条约》的范围"),
        "{text}"
    );
}

#[test]
fn colour_is_on_when_asked_and_off_with_no_color() {
    let on = unres(indexed())
        .args(["search", "研究员", "--color", "always"])
        .output()
        .unwrap();
    assert!(String::from_utf8(on.stdout)
        .unwrap()
        .contains("\x1b[1;31m研究员\x1b[0m"));
    let auto = Run::of(
        unres(indexed())
            .env("NO_COLOR", "1")
            .args(["search", "研究员"])
            .output()
            .unwrap(),
    );
    auto.succeeded("search with NO_COLOR");
    assert!(auto.stdout.contains("研究员"), "{auto:?}");
    assert!(!auto.stdout.contains('\x1b'), "{auto:?}");
}

#[test]
fn limit_offset_and_count() {
    let count = unres(indexed())
        .args(["search", "行动纲领", "--count"])
        .output()
        .unwrap();
    let n: usize = String::from_utf8(count.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(n > 30, "{n}");
    let (all, _) = places(&["行动纲领"]);
    assert_eq!(all.len(), n.min(100));
    let (page, _) = places(&["行动纲领", "--offset", "5"]);
    assert_eq!(page[..], all[5..]);
    let out = unres(indexed())
        .args(["search", "行动纲领", "--limit", "3", "--json"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 3);
}

#[test]
fn exit_status_is_0_found_1_none_2_error() {
    unres(indexed()).args(["search", "小武器"]).assert().code(0);
    unres(indexed())
        .args(["search", "化学武器公约"])
        .assert()
        .code(1);
    unres(indexed())
        .args(["search", "--count", "化学武器公约"])
        .assert()
        .code(1)
        .stdout("0\n");
    unres(indexed())
        .args(["search", "--index", "nowhere", "小武器"])
        .assert()
        .code(2);
    unres(indexed()).args(["search"]).assert().code(2);
    unres(indexed())
        .args(["search", "--kind", "annex"])
        .assert()
        .code(1);
    unres(indexed())
        .args(["search", "--limit", "x", "a"])
        .assert()
        .code(2);
}

#[test]
fn bad_queries_are_errors_that_point_at_the_problem() {
    let cases = [
        (vec!["小武器", "\"行动纲领"], "column 5", "unbalanced quote"),
        (vec!["colour:red"], "`colour:red`", "unknown field"),
        (vec![""], "column 1", "empty"),
        (vec!["   "], "column 1", "empty"),
        (vec!["kind:weapon"], "kind:weapon", "unknown kind"),
        (vec!["OR"], "column 1", "OR needs"),
        (vec!["小武器 -"], "column 5", "lone"),
    ];
    for (args, place, what) in cases {
        let out = unres(indexed()).arg("search").args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(place) && err.contains(what), "{args:?}: {err}");
        assert!(!err.contains("panicked"));
    }
}

#[test]
fn show_prints_a_resolution_or_one_record_with_its_footnotes() {
    let out = unres(indexed())
        .args(["show", "A/RES/78/46", "op.23"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("回顾已决定在联合国经常预算内设立"), "{text}");
    assert!(text.contains("脚注 11: 同上，第 83 段。"), "{text}");
    let whole = unres(indexed())
        .args(["show", "a/res/78/46"])
        .output()
        .unwrap();
    let text = String::from_utf8(whole.stdout).unwrap();
    assert_eq!(text.matches("\n[pre.").count(), 24);
    assert_eq!(text.matches("\n[op.").count(), 34);
    assert_eq!(text.matches("\n[fn.").count(), 14);
    unres(indexed())
        .args(["show", "A/RES/78/46", "op.99"])
        .assert()
        .code(1);
    unres(indexed())
        .args(["show", "A/RES/1/1"])
        .assert()
        .code(1);
    unres(indexed())
        .args(["show", "A/RES/78/46", "op23"])
        .assert()
        .code(2);
}

#[test]
fn stats_counts_by_session_and_kind() {
    let out = unres(indexed()).args(["stats", "--json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["by_session"]["78"], serde_json::json!([24, 34, 14, 0]));
    assert_eq!(v["resolutions"], 1);
    assert_eq!(v["records"], 72);
}
