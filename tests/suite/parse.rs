//! The parser on the seed resolution A/RES/78/46 and on small fixtures written for each rule.

use std::path::Path;
use unres::{parse_file, parse_str, Kind, Resolution};

fn seed() -> Resolution {
    let mut parts = parse_file(Path::new("corpus/A-RES-78-46.zh.txt")).expect("seed parses");
    assert_eq!(parts.len(), 1);
    parts.remove(0)
}

fn para(r: &Resolution, kind: Kind, n: u32) -> &unres::Paragraph {
    r.paragraphs
        .iter()
        .find(|p| p.kind == kind && p.number == n)
        .unwrap_or_else(|| panic!("{kind} {n} missing"))
}

#[test]
fn seed_metadata_is_read() {
    let r = seed();
    assert_eq!(r.symbol, "A/RES/78/46");
    assert_eq!(r.session, 78);
    assert_eq!(r.number, "46");
    assert_eq!(r.title, "小武器和轻武器非法贸易的各方面问题");
    assert_eq!(r.date.as_deref(), Some("2023-12-04"));
    assert_eq!(r.meeting, Some(42));
    assert_eq!(r.year(), 2023);
    assert_eq!(r.links.len(), 14, "{:?}", r.links);
    assert_eq!(r.links[0], "A/78/409");
    assert!(r.links.contains(&"A/CONF.192/BMS/2022/1".to_string()));
}

#[test]
fn seed_has_24_preamble_34_operative_and_14_footnotes() {
    let r = seed();
    let numbers = |k: Kind| -> Vec<u32> {
        r.paragraphs
            .iter()
            .filter(|p| p.kind == k)
            .map(|p| p.number)
            .collect()
    };
    assert_eq!(numbers(Kind::Preamble), (1..=24).collect::<Vec<_>>());
    assert_eq!(numbers(Kind::Operative), (1..=34).collect::<Vec<_>>());
    let notes: Vec<u32> = r.footnotes.iter().map(|f| f.number).collect();
    assert_eq!(notes, (1..=14).collect::<Vec<_>>());
}

#[test]
fn seed_footnote_markers_attach_to_their_paragraphs() {
    let r = seed();
    let expected = [
        (Kind::Preamble, 2, 1),
        (Kind::Preamble, 3, 2),
        (Kind::Preamble, 7, 3),
        (Kind::Preamble, 20, 4),
        (Kind::Preamble, 21, 5),
        (Kind::Preamble, 22, 6),
        (Kind::Preamble, 24, 7),
        (Kind::Operative, 6, 8),
        (Kind::Operative, 10, 9),
        (Kind::Operative, 17, 10),
        (Kind::Operative, 23, 11),
        (Kind::Operative, 29, 12),
        (Kind::Operative, 30, 13),
        (Kind::Operative, 32, 14),
    ];
    for (kind, n, note) in expected {
        assert_eq!(para(&r, kind, n).footnotes, [note], "{kind} {n}");
        let f = &r.footnotes[note as usize - 1];
        assert_eq!(f.cited_by, [unres::ParaRef { kind, number: n }]);
    }
    let with_notes = r
        .paragraphs
        .iter()
        .filter(|p| !p.footnotes.is_empty())
        .count();
    assert_eq!(with_notes, 14);
}

#[test]
fn seed_markers_leave_no_trace_and_other_numbers_stay() {
    let r = seed();
    assert!(para(&r, Kind::Preamble, 24)
        .text
        .contains("最后报告未经表决获得通过"));
    assert!(para(&r, Kind::Preamble, 21)
        .text
        .contains("秘书长的报告，其中概述"));
    assert!(para(&r, Kind::Preamble, 22)
        .text
        .contains("《武器贸易条约》的范围"));
    assert!(para(&r, Kind::Operative, 6)
        .text
        .ends_with("政府专家组报告中的建议；"));
    assert!(para(&r, Kind::Preamble, 2)
        .text
        .contains("行动纲领》，并确认"));
    let op10 = &para(&r, Kind::Operative, 10).text;
    assert!(op10.ends_with("《2030 年可持续发展议程》目标 16 和具体目标 16.4；"));
    assert!(para(&r, Kind::Preamble, 19)
        .text
        .contains("使用 3D 打印技术"));
    assert!(para(&r, Kind::Preamble, 20)
        .text
        .contains("使用3D 打印生产的枪支"));
    assert!(para(&r, Kind::Operative, 23)
        .text
        .contains("每个区域有 15 名研究员参加"));
    assert!(para(&r, Kind::Preamble, 1)
        .text
        .contains("2022 年 12 月 7 日"));
    assert!(para(&r, Kind::Operative, 8)
        .text
        .contains("2022 年 6 月 27日至 7 月 1 日"));
}

#[test]
fn seed_paragraphs_cross_page_breaks_whole() {
    let r = seed();
    let op4 = &para(&r, Kind::Operative, 4).text;
    assert!(op4.contains("提供本国联系机构的名称和联系资料"), "{op4}");
    assert!(op4.ends_with("的标识做法的资料；"));
    let op24 = &para(&r, Kind::Operative, 24).text;
    assert!(
        op24.contains("并重申各国做到报告与各国双年度会议"),
        "{op24}"
    );
    assert!(op24.ends_with("作出实质性贡献；"));
}

#[test]
fn seed_paragraphs_hold_no_page_furniture() {
    let r = seed();
    for p in &r.paragraphs {
        for bad in [
            "https://",
            "undocs",
            "____",
            "同上",
            "条约汇编",
            "A/CONF.192/BMS",
        ] {
            assert!(
                !p.text.contains(bad),
                "{} {} holds {bad}: {}",
                p.kind,
                p.number,
                p.text
            );
        }
        assert!(!p.text.starts_with(' ') && !p.text.ends_with(' '));
    }
    assert!(!r
        .paragraphs
        .iter()
        .any(|p| p.text.contains("第 42 次全体会议")));
}

#[test]
fn seed_citations_with_ibid_resolved() {
    let r = seed();
    for n in [4, 11, 14] {
        let f = &r.footnotes[n - 1];
        assert!(f.text.starts_with("同上"));
        assert_eq!(f.cites, ["A/CONF.192/BMS/2022/1"], "footnote {n}");
    }
    assert_eq!(r.footnotes[1].cites, ["A/60/88", "A/60/88/Corr.2"]);
    assert_eq!(r.footnotes[8].cites, ["A/RES/70/1"]);
    assert_eq!(para(&r, Kind::Preamble, 2).cites, ["A/CONF.192/15"]);
    assert_eq!(para(&r, Kind::Operative, 29).cites, ["A/CONF.192/15"]);
    assert_eq!(
        para(&r, Kind::Preamble, 1).cites,
        ["A/RES/77/71", "A/RES/56/24"]
    );
    assert_eq!(
        para(&r, Kind::Preamble, 24).cites,
        ["A/RES/76/233", "A/78/111"]
    );
    let footnote_text = &r.footnotes[0].text;
    assert_eq!(
        footnote_text,
        "《联合国小武器和轻武器非法贸易各方面问题大会的报告，2001 年 7 月 9 日至 20 日，纽约》(A/CONF.192/15)，第四章，第 24 段。"
    );
}

#[test]
fn clean_layout_one_paragraph_a_line_with_footnotes_after_a_rule() {
    let parts = parse_file(Path::new("tests/fixtures/clean.txt")).unwrap();
    let r = &parts[0];
    assert_eq!(r.symbol, "A/RES/78/46");
    assert_eq!(r.date.as_deref(), Some("2023-12-04"));
    assert_eq!(r.meeting, Some(42));
    let kinds: Vec<(Kind, u32)> = r.paragraphs.iter().map(|p| (p.kind, p.number)).collect();
    assert_eq!(
        kinds,
        [
            (Kind::Preamble, 1),
            (Kind::Preamble, 2),
            (Kind::Preamble, 3),
            (Kind::Operative, 1),
            (Kind::Operative, 2)
        ]
    );
    assert_eq!(
        r.paragraphs[1].text,
        "强调必须继续全面执行《行动纲领》，并确认《行动纲领》的重大贡献，"
    );
    assert_eq!(r.paragraphs[1].footnotes, [1]);
    assert_eq!(
        r.paragraphs[2].text,
        "表示注意到秘书长的报告，其中概述了最新发展情况，"
    );
    assert_eq!(r.paragraphs[4].text, "鼓励使用 3D 打印技术的国家加强管制；");
    assert_eq!(r.paragraphs[4].footnotes, [3]);
    assert_eq!(r.footnotes.len(), 3);
    assert_eq!(
        r.footnotes[2].cites,
        ["A/78/126"],
        "同上 takes footnote 2's symbol"
    );
    assert_eq!(r.paragraphs[4].cites, ["A/78/126"]);
}

#[test]
fn annex_paragraphs_are_their_own_kind() {
    let parts = parse_file(Path::new("tests/fixtures/annex.page.txt")).unwrap();
    let r = &parts[0];
    let count = |k: Kind| r.paragraphs.iter().filter(|p| p.kind == k).count();
    assert_eq!((count(Kind::Preamble), count(Kind::Operative)), (1, 2));
    let annex: Vec<&str> = r
        .paragraphs
        .iter()
        .filter(|p| p.kind == Kind::Annex)
        .map(|p| p.text.as_str())
        .collect();
    assert_eq!(
        annex,
        [
            "区域裁军原则",
            "1. 各国应在区域一级建立信任措施，包括交流军事预算的资料；",
            "2. 无核武器区是区域安全的基础。"
        ]
    );
    assert_eq!(
        r.paragraphs[0].text,
        "回顾其关于区域裁军的各项决议，并确认区域裁军的重要性，"
    );
    assert_eq!(r.date.as_deref(), Some("2023-12-04"));
}

#[test]
fn multipart_resolution_gives_one_resolution_per_part() {
    let parts = parse_file(Path::new("tests/fixtures/multipart.page.txt")).unwrap();
    assert_eq!(parts.len(), 2);
    let (a, b) = (&parts[0], &parts[1]);
    assert_eq!(
        (a.symbol.as_str(), a.part.as_deref()),
        ("A/RES/78/47", Some("A"))
    );
    assert_eq!(
        (b.symbol.as_str(), b.part.as_deref()),
        ("A/RES/78/47", Some("B"))
    );
    assert_eq!(a.title, "全面彻底裁军：核裁军");
    assert_eq!(b.title, "全面彻底裁军：常规弹药");
    assert_eq!(a.paragraphs.len(), 3);
    assert_eq!(b.paragraphs.len(), 3);
    assert_eq!(a.paragraphs[0].cites, ["A/RES/77/54"]);
    assert!(a.footnotes.is_empty());
    assert_eq!(b.footnotes.len(), 1);
    assert_eq!(b.footnotes[0].cited_by[0].to_string(), "preamble 1");
    assert_eq!(b.paragraphs[0].text, "注意到关于常规弹药全周期管理的报告，");
    assert_eq!(b.paragraphs[2].number, 2);
    assert_eq!(b.date.as_deref(), Some("2023-12-04"));
    assert_eq!(a.full_symbol(), "A/RES/78/47 A");
}

#[test]
fn subparagraphs_stay_inside_their_operative_paragraph() {
    let parts = parse_file(Path::new("tests/fixtures/subparagraphs.page.txt")).unwrap();
    let r = &parts[0];
    let ops: Vec<&unres::Paragraph> = r
        .paragraphs
        .iter()
        .filter(|p| p.kind == Kind::Operative)
        .collect();
    assert_eq!(ops.len(), 2);
    assert_eq!(
        ops[0].text,
        "鼓励会员国：\n(a) 在国家一级交流资料，包括军事预算的资料；\n(b) 在区域一级：\n(i) 举行磋商；\n(ii) 分享最佳做法；"
    );
    assert_eq!(ops[1].number, 2);
}

#[test]
fn crlf_and_bom_parse_like_the_original() {
    let text = std::fs::read_to_string("corpus/A-RES-78-46.zh.txt").unwrap();
    let crlf = format!("\u{FEFF}{}", text.replace('\n', "\r\n"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crlf.txt");
    std::fs::write(&path, crlf).unwrap();
    let a = parse_file(&path).unwrap();
    let b = seed();
    assert_eq!(a[0].paragraphs, b.paragraphs);
    assert_eq!(a[0].footnotes, b.footnotes);
}

#[test]
fn gb18030_and_utf16_files_parse_like_the_original() {
    let text = std::fs::read_to_string("corpus/A-RES-78-46.zh.txt").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let gb = dir.path().join("gb.txt");
    std::fs::write(&gb, encoding_rs::GB18030.encode(&text).0).unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let u16p = dir.path().join("u16.txt");
    std::fs::write(&u16p, utf16).unwrap();
    let b = seed();
    for p in [gb, u16p] {
        let a = parse_file(&p).unwrap();
        assert_eq!(a[0].paragraphs, b.paragraphs);
    }
}

#[test]
fn bad_inputs_are_errors_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8], &str); 4] = [
        ("empty.txt", b"", ":1: the file is empty"),
        ("blank.txt", b" \n\n \n", ":1: the file is empty"),
        ("nul.txt", b"78/46. x\n\nab\0cd", ":3: binary file"),
        (
            "notitle.txt",
            "\u{5927}\u{4F1A}\u{FF0C}\n\n\u{56DE}\u{987E}\n".as_bytes(),
            ":1: no resolution title",
        ),
    ];
    for (name, bytes, want) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let err = parse_file(&path).unwrap_err().to_string();
        assert!(err.contains(name), "{err}");
        assert!(err.contains(want), "{name}: {err}");
    }
    let title_only = parse_str(Path::new("t.txt"), "  78/46. 标题 \n\n").unwrap_err();
    assert!(
        title_only.to_string().contains("no paragraphs"),
        "{title_only}"
    );
}

/// ASCII digits of a text, in order.
fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

#[test]
fn numbers_glued_to_the_text_stay_text_and_real_markers_beside_them_are_found() {
    let path = Path::new("tests/fixtures/markers.page.txt");
    let r = &parse_file(path).expect("fixture parses")[0];
    let texts: Vec<(Kind, u32, &str, &[u32])> = r
        .paragraphs
        .iter()
        .map(|p| (p.kind, p.number, p.text.as_str(), p.footnotes.as_slice()))
        .collect();
    let expected: [(Kind, u32, &str, &[u32]); 7] = [
        (
            Kind::Preamble,
            1,
            // `1美元` glued on both sides; `2` cut from `600人` by a line wrap; a list.
            "注意到每投资1美元可带来回报，并确认雇员总数达到2600人，目标(即目标2、5、6、11)已经实现，",
            &[1],
        ),
        (
            Kind::Preamble,
            2,
            // A percentage, `2：`, `病毒2与`, and `2级` each equal to the next footnote number.
            "又注意到部招聘人数的2%为妇女，影响2：制止暴力，严重急性呼吸综合征冠状病毒2与其他病毒，以及2级事件，",
            &[2],
        ),
        (
            Kind::Preamble,
            3,
            // Thousands written with commas and with a space; COVID-19; a marker mid-line.
            "回顾已销毁3,915,213枚弹药和共有3 330 个武器，COVID-19疫情期间工作组的报告未经表决获得通过，",
            &[3],
        ),
        (
            Kind::Preamble,
            4,
            // A number opening a wrapped line.
            "确认具体目标4.1的进展，注意到投入4美元的效益，",
            &[],
        ),
        (
            Kind::Operative,
            1,
            // `4个` glued, ` 4 名` spaced, then marker 4 followed by text on its line.
            "鼓励各国在4个区域开展合作，有 4 名研究员参加，并执行《行动纲领》，其中包括培训；",
            &[4],
        ),
        (
            Kind::Operative,
            2,
            // `第5` / `届` cut by a wrap, `5、6`, and marker 5 on the next page.
            "请秘书长在第5届会议前提交报告，说明目标5、6的执行情况和进展，",
            &[5],
        ),
        (Kind::Operative, 3, "决定继续审议这一问题。", &[]),
    ];
    assert_eq!(texts, expected);
    let notes: Vec<(u32, &str)> = r
        .footnotes
        .iter()
        .map(|n| (n.number, n.text.as_str()))
        .collect();
    assert_eq!(
        notes,
        [
            (1, "A/78/126。"),
            (2, "第 77/71 号决议。"),
            (3, "A/78/111。"),
            (4, "A/CONF.192/15。"),
            (5, "同上，第 24 段。"),
        ]
    );
    assert_eq!(r.footnotes[4].cites, ["A/CONF.192/15"]);
}

#[test]
fn no_digit_of_the_fixture_is_lost() {
    // Every digit of the paragraphs' lines is in a record's text or is a found marker.
    let path = Path::new("tests/fixtures/markers.page.txt");
    let source = std::fs::read_to_string(path).unwrap();
    let body: String = source
        .lines()
        .skip_while(|l| !l.contains("大会"))
        .take_while(|l| !l.starts_with("2023"))
        .filter(|l| !l.starts_with("https://"))
        .collect::<Vec<_>>()
        .join("\n");
    let r = &parse_file(path).unwrap()[0];
    let mut kept = String::new();
    for p in &r.paragraphs {
        if p.kind == Kind::Operative {
            kept.push_str(&p.number.to_string());
        }
        kept.push_str(&digits(&p.text));
        for n in &p.footnotes {
            kept.push_str(&n.to_string());
        }
    }
    for n in &r.footnotes {
        kept.push_str(&n.number.to_string());
        kept.push_str(&digits(&n.text));
    }
    let mut want: Vec<char> = digits(&body).chars().collect();
    let mut got: Vec<char> = kept.chars().collect();
    want.sort_unstable();
    got.sort_unstable();
    assert_eq!(got, want);
}

mod generated {
    //! The generator's truth against the parser: every paragraph of generated resolutions,
    //! traps included (numbers glued to the text that equal the next footnote number, cut by
    //! line wraps, in lists, percentages and thousands), comes back exact.
    use super::digits;
    use proptest::prelude::*;
    use std::path::Path;
    use unres::{parse_str, Resolution};
    use unres_synth::{self as synth, SynthConfig, TruthParagraph};

    fn squeeze(text: &str) -> String {
        text.chars().filter(|c| !c.is_whitespace()).collect()
    }

    /// Checks one generated resolution; returns how many trap numbers it held.
    fn check(config: &SynthConfig, i: usize) -> Result<usize, String> {
        let (file, truth) = synth::resolution_with_truth(config, i);
        let parts = parse_str(Path::new(&file.name), &file.text).map_err(|e| e.to_string())?;
        let r: &Resolution = &parts[0];
        if parts.len() != 1 || r.paragraphs.len() != truth.len() {
            return Err(format!(
                "{}: {} parts, {} paragraphs for {}",
                file.name,
                parts.len(),
                r.paragraphs.len(),
                truth.len()
            ));
        }
        let notes: Vec<u32> = r.footnotes.iter().map(|n| n.number).collect();
        let mut traps = 0;
        for (p, t) in r.paragraphs.iter().zip(&truth) {
            // The invariant: every digit of the source is in the text or a real marker.
            let mut kept: Vec<char> = digits(&p.text).chars().collect();
            for n in &p.footnotes {
                if !notes.contains(n) {
                    return Err(format!("{}: marker {n} has no footnote", file.name));
                }
                kept.extend(n.to_string().chars());
            }
            let mut source: Vec<char> = digits(&t.source).chars().collect();
            kept.sort_unstable();
            source.sort_unstable();
            if kept != source {
                return Err(format!("{}: digits lost in {:?}", file.name, t.source));
            }
            let whole = (p.kind, p.number, squeeze(&p.text), &p.footnotes)
                == (t.kind, t.number, squeeze(&t.text), &t.footnotes);
            if !whole {
                return Err(format!(
                    "{}: {} {} parsed as {:?} {:?}, truly {:?} {:?}",
                    file.name, t.kind, t.number, p.text, p.footnotes, t.text, t.footnotes
                ));
            }
            traps += glued_numbers_equal_to_a_marker(t);
        }
        Ok(traps)
    }

    /// Numbers glued to a Chinese character before them whose value is one of the
    /// paragraph's own footnote numbers (or the next one): the generator's traps.
    fn glued_numbers_equal_to_a_marker(t: &TruthParagraph) -> usize {
        let next = t.footnotes.last().map_or(0, |n| n + 1);
        let chars: Vec<char> = t.text.chars().collect();
        let mut count = 0;
        let mut k = 0;
        while k < chars.len() {
            let start = k;
            while k < chars.len() && chars[k].is_ascii_digit() {
                k += 1;
            }
            if k == start {
                k += 1;
                continue;
            }
            let value: u32 = chars[start..k]
                .iter()
                .collect::<String>()
                .parse()
                .unwrap_or(0);
            let glued = start > 0 && ('\u{4E00}'..='\u{9FFF}').contains(&chars[start - 1]);
            if glued && (t.footnotes.contains(&value) || value == next) {
                count += 1;
            }
        }
        count
    }

    #[test]
    fn a_sample_of_the_default_corpus_comes_back_exact_and_holds_traps() {
        let config = SynthConfig::default();
        let mut traps = 0;
        for i in (0..config.resolutions).step_by(25) {
            traps += check(&config, i).unwrap();
        }
        // 200 resolutions: the traps are there, not an empty promise.
        assert!(traps >= 100, "only {traps} trap numbers");
    }

    /// Checks resolution `i` of the 500 that `seed` generates: a case the property below
    /// drew, pinned.
    fn drawn(seed: u64, i: usize) {
        check(
            &SynthConfig {
                resolutions: 500,
                seed,
            },
            i,
        )
        .unwrap();
    }

    /// A case the property below once drew: `投入15 亿美元`, the quantity glued to the text
    /// before it and equal to the next footnote's number, that footnote on the same page.
    #[test]
    fn a_quantity_before_a_numeral_unit_is_not_a_marker() {
        drawn(16431517756870143819, 172);
    }

    /// Cases the property below drew: a paragraph cut at a page break goes on with a
    /// number (`已有` / ` 4 330 名研究员`) after the last footnote of a page bottom without
    /// link lines, the line shaped as the next footnote's first; that footnote comes in a
    /// later page bottom.
    #[test]
    fn a_page_top_number_after_a_page_bottom_is_text_when_a_later_note_has_it() {
        drawn(7643440359609018489, 191);
        drawn(1692693996750190025, 444);
        drawn(13968782980390142415, 309);
    }

    /// The same, where no footnote of that number follows (`已有` / ` 6 330 名研究员；`
    /// after footnote 5, the last): no number before it could be that footnote's marker.
    #[test]
    fn a_page_top_number_after_a_page_bottom_is_text_when_nothing_marks_it() {
        drawn(14798934928363873134, 456);
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 96,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]
        #[test]
        fn no_digit_is_lost_in_generated_resolutions(seed in any::<u64>(), i in 0usize..500) {
            let config = SynthConfig { resolutions: 500, seed };
            if let Err(e) = check(&config, i) {
                prop_assert!(false, "{}", e);
            }
        }
    }
}

#[test]
fn a_file_over_the_size_cap_is_refused_by_name_and_the_others_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.txt");
    let line = "核裁军与不扩散，".repeat(1000) + "\n";
    let copies = (unres::MAX_FILE_BYTES as usize) / line.len() + 1;
    std::fs::write(&big, line.repeat(copies)).unwrap();
    std::fs::copy("corpus/A-RES-78-46.zh.txt", dir.path().join("seed.txt")).unwrap();
    let err = parse_file(&big).unwrap_err();
    assert!(matches!(err, unres::Error::TooLarge { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.starts_with(&big.display().to_string()) && message.contains("not read"),
        "{message}"
    );
    let parsed = unres::parse_paths(&[dir.path().to_path_buf()]);
    let outcome: Vec<(bool, bool)> = parsed
        .iter()
        .map(|p| (p.path.ends_with("big.txt"), p.result.is_ok()))
        .collect();
    assert_eq!(outcome, [(true, false), (false, true)]);
}
