//! One front door: the command line and the JSON API turn the same parameters into the same
//! request ([`unres::SearchParams`]), so they give the same hits, totals and listings, and
//! the same error message for the same bad parameter or record reference.

use crate::http::{enc, get, synth_site};
use axum::http::StatusCode;
use serde_json::Value;

/// One search, as flags and as the query string's parameters.
struct Asked {
    flags: Vec<&'static str>,
    query: Vec<(&'static str, &'static str)>,
}

fn asked(flags: &[&'static str], query: &[(&'static str, &'static str)]) -> Asked {
    Asked {
        flags: flags.to_vec(),
        query: query.to_vec(),
    }
}

fn uri(query: &[(&str, &str)]) -> String {
    let pairs: Vec<String> = query
        .iter()
        .map(|(k, v)| format!("{k}={}", enc(v)))
        .collect();
    format!("/api/search?{}", pairs.join("&"))
}

fn cli(flags: &[&str]) -> (Option<i32>, String, String) {
    let site = synth_site();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_unres"))
        .arg("search")
        .args(flags)
        .arg("--index")
        .arg(&site.dir)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn lines(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[tokio::test]
async fn the_command_line_and_the_api_answer_the_same_parameters_alike() {
    let router = synth_site().router();
    let cases = [
        asked(&["--json", "的"], &[("q", "的")]),
        asked(
            &[
                "--json",
                "--kind",
                "operative",
                "--session",
                "30-60",
                "国家",
            ],
            &[("q", "国家"), ("kind", "operative"), ("session", "30-60")],
        ),
        asked(
            &[
                "--json", "--sort", "newest", "--limit", "7", "--offset", "3", "会议",
            ],
            &[
                ("q", "会议"),
                ("sort", "newest"),
                ("limit", "7"),
                ("offset", "3"),
            ],
        ),
        asked(
            &["--json", "--collapse", "--year", "2020", "各国"],
            &[("q", "各国"), ("collapse", "true"), ("year", "2020")],
        ),
        asked(&["--json", "--kind", "footnote"], &[("kind", "footnote")]),
    ];
    for case in &cases {
        let (code, stdout, stderr) = cli(&case.flags);
        assert_eq!(code, Some(0), "{:?}: {stderr}", case.flags);
        let got = get(&router, &uri(&case.query)).await;
        assert_eq!(got.status, StatusCode::OK, "{:?}", case.query);
        let v = got.json();
        assert_eq!(
            v["hits"].as_array().unwrap(),
            &lines(&stdout),
            "{:?}",
            case.flags
        );
        assert!(!lines(&stdout).is_empty(), "{:?} found nothing", case.flags);
    }
    // Counts: `--count` and `limit=0`.
    for (flags, query) in [
        (vec!["--count", "的"], vec![("q", "的"), ("limit", "0")]),
        (
            vec!["--count", "--collapse", "执行"],
            vec![("q", "执行"), ("collapse", "true"), ("limit", "0")],
        ),
    ] {
        let (_, stdout, _) = cli(&flags);
        let v = get(&router, &uri(&query)).await.json();
        assert_eq!(v["total_exact"], true);
        assert_eq!(stdout.trim(), v["total"].to_string(), "{flags:?}");
    }
    // Listings: `--by-resolution` and `--by-session` against `by=`.
    for (flags, query, key) in [
        (
            vec!["--json", "--by-resolution", "核武器"],
            vec![("q", "核武器"), ("by", "resolution")],
            "resolutions",
        ),
        (
            vec!["--json", "--by-session", "核武器"],
            vec![("q", "核武器"), ("by", "session")],
            "sessions",
        ),
    ] {
        let (_, stdout, _) = cli(&flags);
        let v = get(&router, &uri(&query)).await.json();
        assert_eq!(v[key].as_array().unwrap(), &lines(&stdout), "{flags:?}");
    }
}

#[tokio::test]
async fn a_bad_parameter_gets_the_same_message_from_the_command_line_and_the_api() {
    let router = synth_site().router();
    let cases = [
        asked(
            &["--kind", "foo", "国家"],
            &[("q", "国家"), ("kind", "foo")],
        ),
        asked(
            &["--session", "abc", "国家"],
            &[("q", "国家"), ("session", "abc")],
        ),
        asked(
            &["--session", "80-7x", "国家"],
            &[("q", "国家"), ("session", "80-7x")],
        ),
        asked(
            &["--year", "二〇二三", "国家"],
            &[("q", "国家"), ("year", "二〇二三")],
        ),
        asked(&["国家 kind:"], &[("q", "国家 kind:")]),
        asked(&["\"国家"], &[("q", "\"国家")]),
    ];
    for case in &cases {
        let (code, stdout, stderr) = cli(&case.flags);
        assert_eq!(code, Some(2), "{:?}", case.flags);
        assert!(stdout.is_empty());
        let got = get(&router, &uri(&case.query)).await;
        assert_eq!(got.status, StatusCode::BAD_REQUEST, "{:?}", case.query);
        let message = got.json()["error"]["message"].as_str().unwrap().to_string();
        assert_eq!(
            stderr.trim_end(),
            format!("unres: {message}"),
            "{:?}",
            case.flags
        );
    }
}

#[tokio::test]
async fn a_bad_record_reference_gets_the_same_message_from_show_and_the_api() {
    let site = synth_site();
    let router = site.router();
    for reference in ["op", "chapter.2", "op.x", "fn.-1"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_unres"))
            .args(["show", "A/RES/80/6", reference, "--index"])
            .arg(&site.dir)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{reference}");
        let got = get(
            &router,
            &format!("/api/record?symbol=A/RES/80/6&ref={}", enc(reference)),
        )
        .await;
        assert_eq!(got.status, StatusCode::BAD_REQUEST, "{reference}");
        let message = got.json()["error"]["message"].as_str().unwrap().to_string();
        assert_eq!(
            String::from_utf8(out.stderr).unwrap().trim_end(),
            format!("unres: {message}"),
        );
    }
}

#[tokio::test]
async fn exact_totals_are_asked_for_by_name_and_counted_to_the_end() {
    let router = synth_site().router();
    let bounded = get(&router, "/api/search?q=%E7%9A%84&limit=3").await.json();
    let exact = get(&router, "/api/search?q=%E7%9A%84&limit=3&exact=true")
        .await
        .json();
    let (_, count, _) = cli(&["--count", "的"]);
    assert_eq!(
        bounded["total_exact"], false,
        "的 is not counted to the end"
    );
    assert_eq!(exact["total_exact"], true);
    assert_eq!(exact["total"].to_string(), count.trim());
    assert_eq!(exact["hits"], bounded["hits"]);
}

/// `unres ARGS --index SITE`: exit status and stderr.
fn run(site: &std::path::Path, args: &[&str]) -> (Option<i32>, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_unres"))
        .args(args)
        .arg("--index")
        .arg(site)
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8(out.stderr).unwrap())
}

#[tokio::test]
async fn what_the_index_lacks_is_said_alike_by_show_diff_history_and_the_api() {
    let site = synth_site();
    let router = site.router();
    let oldest = get(
        &router,
        "/api/search?q=%E6%AD%A6%E5%99%A8&sort=oldest&limit=1",
    )
    .await
    .json()["hits"][0]["symbol"]
        .as_str()
        .unwrap()
        .to_string();
    // (the command line, the API's path, the message both give)
    let cases: Vec<(Vec<&str>, String, String)> = vec![
        (
            vec!["show", "A/RES/1/1", "op.1"],
            "/api/record?symbol=A/RES/1/1&ref=op.1".into(),
            "no resolution A/RES/1/1 in the index".into(),
        ),
        (
            vec!["show", "A/RES/80/6", "op.999"],
            "/api/record?symbol=A/RES/80/6&ref=op.999".into(),
            "A/RES/80/6 has no op.999".into(),
        ),
        (
            vec!["show", "A/RES/80/6 Q op.1"],
            "/api/record?symbol=A/RES/80/6&part=Q&ref=op.1".into(),
            "A/RES/80/6 has no part Q".into(),
        ),
        (
            vec!["diff", "A/RES/1/1", "A/RES/80/6"],
            "/api/diff?old=A/RES/1/1&new=A/RES/80/6".into(),
            "no resolution A/RES/1/1 in the index".into(),
        ),
        (
            vec!["diff", &oldest],
            format!("/api/diff?new={}", enc(&oldest)),
            format!("{oldest} has no earlier member in its series"),
        ),
        (
            vec!["history", "A/RES/80/6", "op.999"],
            "/api/history?symbol=A/RES/80/6&ref=op.999".into(),
            "no A/RES/80/6 op.999 in the index".into(),
        ),
    ];
    for (args, path, said) in &cases {
        let (code, stderr) = run(&site.dir, args);
        assert_eq!(code, Some(1), "{args:?}: {stderr}");
        assert_eq!(stderr.trim_end(), format!("unres: {said}"), "{args:?}");
        let got = get(&router, path).await;
        assert_eq!(got.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(got.json()["error"]["message"], said.as_str(), "{path}");
    }
}
