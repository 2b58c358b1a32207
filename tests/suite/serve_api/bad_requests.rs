//! Requests the API refuses: caps and malformed parameters are 400s naming the cap, a
//! malformed query is a 400 with the terminal's message and column, and hostile queries
//! (huge, unbalanced, control characters, bytes that are not UTF-8) are 400s or answers,
//! never anything else.

use super::search_uri;
use crate::http::{get, seed_site};
use axum::http::StatusCode;

#[tokio::test]
async fn caps_and_malformed_parameters_are_400s_naming_the_cap() {
    let r = seed_site().router();
    let long_q = "武".repeat(unres::MAX_QUERY_CHARS + 1);
    let cases: Vec<(String, &str)> = vec![
        (search_uri("小武器", "limit=101"), "at most 100"),
        (search_uri("小武器", "offset=10001"), "at most 10000"),
        (
            search_uri("小武器", "by=resolution&limit=1001"),
            "at most 1000",
        ),
        (search_uri(&long_q, ""), "at most 4096"),
        (search_uri("小武器", "limit=abc"), "whole number"),
        (search_uri("小武器", "limit=-1"), "whole number"),
        (
            search_uri("小武器", "offset=99999999999999999999999"),
            "whole number",
        ),
        (
            search_uri("小武器", "sort=random"),
            "relevance, newest or oldest",
        ),
        (search_uri("小武器", "kind=chapter"), "preamble, operative"),
        (search_uri("小武器", "by=year"), "resolution or session"),
        (search_uri("小武器", "collapse=maybe"), "true or false"),
        (
            search_uri("小武器", "collapse=true&by=session"),
            "cannot be combined",
        ),
        (search_uri("小武器", "year=twenty"), "year"),
        (search_uri("小武器", "session=abc"), "session"),
        (search_uri("小武器", "session=78-70"), "session"),
        (
            search_uri("小武器", "colour=red"),
            "unknown parameter `colour`",
        ),
        (search_uri("小武器", "q=again"), "given twice"),
        (
            search_uri("小武器", &format!("symbol={}", "A".repeat(201))),
            "at most 200",
        ),
        ("/api/resolution".to_string(), "`symbol` is required"),
        (
            "/api/record?symbol=A/RES/78/46".to_string(),
            "`ref` is required",
        ),
        ("/api/record?symbol=A/RES/78/46&ref=op".to_string(), "op.N"),
        // References are read as the command line reads them (`unres::RecordRef`).
        (
            "/api/record?symbol=A/RES/78/46&ref=chapter.2".to_string(),
            "record reference `chapter.2`: unknown kind `chapter` (op, pre, fn, annex)",
        ),
        (
            "/api/history?symbol=A/RES/78/46&ref=op.x".to_string(),
            "record reference `op.x`: `x` is not a number",
        ),
        ("/api/diff".to_string(), "`new` is required"),
        (
            "/api/diff?new=A/RES/79/40&changed=perhaps".to_string(),
            "true or false",
        ),
        ("/api/stats?verbose=1".to_string(), "unknown parameter"),
    ];
    for (uri, says) in cases {
        let got = get(&r, &uri).await;
        assert_eq!(got.status, StatusCode::BAD_REQUEST, "{uri}");
        let message = got.error();
        assert!(message.contains(says), "{uri}: {message}");
    }
}

#[tokio::test]
async fn a_malformed_query_is_a_400_with_the_terminals_message_and_column() {
    let r = seed_site().router();
    for q in [
        "\"小武器",
        "小武器 OR",
        "colour:red",
        "session:abc",
        "-",
        "",
    ] {
        let got = get(&r, &search_uri(q, "")).await;
        assert_eq!(got.status, StatusCode::BAD_REQUEST, "{q}");
        let e = unres::parse_query(q).unwrap_err();
        let v = got.json();
        assert_eq!(v["error"]["message"], e.to_string(), "{q}");
        assert_eq!(v["error"]["column"], e.column, "{q}");
        // The terminal says the same after `unres: `.
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_unres"))
            .args(["search", "--index"])
            .arg(&seed_site().dir)
            .args(["--", q])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{q}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains(&e.to_string()), "{q}: {stderr}");
    }
}

#[tokio::test]
async fn hostile_queries_are_400s_or_answers() {
    let r = seed_site().router();
    let many_or = (0..3000)
        .map(|i| format!("词{i}"))
        .collect::<Vec<_>>()
        .join(" OR ");
    let widest = vec!["武"; 256].join(" OR ");
    let queries: Vec<String> = vec![
        // A URI holds at most 64 KiB: the longest queries that fit, past the cap.
        "武器".repeat(2100),
        "核 裁军 ".repeat(1250),
        "，。、；：？！…—（）《》“”‘’!?.,;:()[]{}<>".into(),
        "     \t   ".into(),
        "\u{3000}\u{3000}".into(),
        "\"小武器".into(),
        "小武器\"".into(),
        "“核裁军 不扩散".into(),
        "小\"武器".into(),
        many_or,
        widest,
        "colour:red".into(),
        "颜色：红".into(),
        "symbol:".into(),
        "session:99999999999999999999".into(),
        "year:-1".into(),
        "-".into(),
        "OR".into(),
        "- - -".into(),
        "\u{1}\u{2}\u{7}\u{1b}[31m\u{7f}".into(),
        "\u{202e}\u{200b}\u{feff}".into(),
        "\u{fffd}".into(),
        "<script>alert(1)</script>".into(),
        "\"\"".repeat(1300),
        "\0".into(),
    ];
    for q in &queries {
        for more in [
            "",
            "collapse=true",
            "by=session",
            "by=resolution",
            "sort=newest",
        ] {
            let got = get(&r, &search_uri(q, more)).await;
            let short: String = q.chars().take(30).collect();
            match got.status {
                StatusCode::OK => {
                    got.json();
                }
                StatusCode::BAD_REQUEST => {
                    got.error();
                }
                other => panic!(
                    "{short:?} {more}: {other}: {}",
                    String::from_utf8_lossy(&got.body)
                ),
            }
        }
    }
    // Bytes that are not UTF-8, percent-encoded.
    for raw in [
        "%FF%FE%FD",
        "%E6%AD",
        "%E5%B0%8F%E6%AD%A6%FF",
        "%",
        "%zz",
        "%00",
    ] {
        let got = get(&r, &format!("/api/search?q={raw}")).await;
        assert!(
            got.status == StatusCode::OK || got.status == StatusCode::BAD_REQUEST,
            "{raw}: {}",
            got.status
        );
        got.json();
    }
}
