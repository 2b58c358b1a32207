//! `unres serve`'s JSON API and page, asked through the router in process (tower's
//! `oneshot`): every endpoint, status code and cap, on the seed with its 79th-session
//! version and a file of hostile text, and on a generated corpus; the index reopened after
//! another writer's commit with no request failing meanwhile; and the real binary over
//! loopback (its address check, its answers, Ctrl-C).

use crate::serve::{Options, Served};
use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::Value;
use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};
use tower::ServiceExt;

/// The seed resolution.
pub(crate) const SEED: &str = "corpus/A-RES-78-46.zh.txt";
/// Its 79th-session version: the next member of its series.
pub(crate) const NEXT: &str = "tests/fixtures/series/A-RES-79-40.zh.txt";

/// A resolution whose title and paragraphs hold markup, script and `javascript:` URLs: a
/// page must show them as text.
pub(crate) const HOSTILE: &str = r#"A/RES/78/99
78/99. 敌意测试<script>window.__xss=1</script>决议
大会，
回顾敌意文本甲<script>window.__xss=1</script>的内容，
注意到敌意文本乙<img src=x onerror="window.__xss=2">的内容，
1. 强调敌意文本丙"'><b>粗体</b><svg onload="window.__xss=5">的内容；
2. 欢迎敌意文本丁 javascript:window.__xss=3 的内容；
3. 决定敌意文本戊<a href="javascript:window.__xss=4">链接</a>的内容。
2023 年 12 月 4 日
第 42 次全体会议
"#;

/// A corpus folder and its index, kept for the test binary's life.
pub(crate) struct Site {
    _root: tempfile::TempDir,
    pub(crate) corpus: PathBuf,
    pub(crate) dir: PathBuf,
    pub(crate) served: Arc<Served>,
}

impl Site {
    /// Writes `files` (name, text) into a fresh corpus folder and indexes it.
    pub(crate) fn build(files: &[(String, String)]) -> Site {
        let root = tempfile::tempdir().unwrap();
        let corpus = root.path().join("corpus");
        std::fs::create_dir_all(&corpus).unwrap();
        for (name, text) in files {
            std::fs::write(corpus.join(name), text).unwrap();
        }
        Site::index(root, corpus)
    }

    fn index(root: tempfile::TempDir, corpus: PathBuf) -> Site {
        let dir = root.path().join("index");
        unres::build_index(
            &dir,
            std::slice::from_ref(&corpus),
            &unres::BuildOptions::default(),
            &|_, _| {},
        )
        .unwrap();
        let served = Arc::new(Served::open(&dir, Vec::new()).unwrap());
        Site {
            _root: root,
            corpus,
            dir,
            served,
        }
    }

    pub(crate) fn router(&self) -> Router {
        crate::serve::router(self.served.clone(), &Options::default())
    }

    pub(crate) fn index_now(&self) -> unres::Index {
        unres::open_index(&self.dir).unwrap()
    }
}

/// The seed, its next version and the hostile file.
pub(crate) fn seed_files() -> Vec<(String, String)> {
    vec![
        ("A-RES-78-46.zh.txt".into(), read(SEED)),
        ("A-RES-79-40.zh.txt".into(), read(NEXT)),
        ("A-RES-78-99.zh.txt".into(), HOSTILE.into()),
    ]
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap()
}

pub(crate) fn seed_site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| Site::build(&seed_files()))
}

/// 150 generated resolutions and two series of twenty sessions.
pub(crate) fn synth_site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let root = tempfile::tempdir().unwrap();
        let corpus = root.path().join("corpus");
        std::fs::create_dir_all(&corpus).unwrap();
        let config = unres_synth::SynthConfig {
            resolutions: 150,
            seed: 11,
        };
        for i in 0..config.resolutions {
            let f = unres_synth::resolution(&config, i);
            std::fs::write(corpus.join(&f.name), &f.text).unwrap();
        }
        unres_synth::series::write_series(&corpus, 2, 11).unwrap();
        Site::index(root, corpus)
    })
}

/// One answer: status, headers and body.
pub(crate) struct Got {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
}

impl Got {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body[..self.body.len().min(300)])
            )
        })
    }

    pub(crate) fn header(&self, name: header::HeaderName) -> &str {
        self.headers
            .get(&name)
            .map(|v| v.to_str().unwrap())
            .unwrap_or_default()
    }

    /// The error message of a failed request, after checking the error's shape.
    fn error(&self) -> String {
        let v = self.json();
        let e = v["error"].as_object().expect("an error object");
        assert!(e.contains_key("column"), "{v}");
        assert_eq!(self.header(header::CONTENT_TYPE), "application/json");
        e["message"].as_str().unwrap().to_string()
    }
}

pub(crate) async fn send(router: &Router, request: Request<Body>) -> Got {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    Got {
        status,
        headers,
        body,
    }
}

pub(crate) async fn get(router: &Router, uri: &str) -> Got {
    send(router, Request::get(uri).body(Body::empty()).unwrap()).await
}

/// A query string value, percent-encoded.
pub(crate) fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// `/api/search?q=…` with more parameters.
fn search_uri(q: &str, more: &str) -> String {
    let mut uri = format!("/api/search?q={}", enc(q));
    if !more.is_empty() {
        uri.push('&');
        uri.push_str(more);
    }
    uri
}

/// The symbols and places of a page's hits.
fn places(v: &Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["place"].as_str().unwrap().to_string())
        .collect()
}

// ---------------------------------------------------------------------------------------
// Search.

#[tokio::test]
async fn search_answers_the_hits_search_json_prints() {
    let site = seed_site();
    let got = get(&site.router(), &search_uri("小武器", "limit=5")).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.header(header::CONTENT_TYPE), "application/json");
    let v = got.json();
    assert_eq!(v["total_exact"], true);
    assert_eq!(v["offset"], 0);
    assert_eq!(v["limit"], 5);
    assert!(v["took_ms"].as_f64().unwrap() >= 0.0);
    // The hits are the lines `unres search --json` prints, in the same order.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_unres"))
        .args(["search", "--json", "--limit", "5", "--index"])
        .arg(&site.dir)
        .arg("小武器")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let printed: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(v["hits"].as_array().unwrap(), &printed);
    // The total is the one `--count` prints.
    let count = std::process::Command::new(env!("CARGO_BIN_EXE_unres"))
        .args(["search", "--count", "--index"])
        .arg(&site.dir)
        .arg("小武器")
        .output()
        .unwrap();
    let counted: u64 = String::from_utf8(count.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert_eq!(v["total"], counted);
    // Two answers to the same request are the same bytes, apart from the time taken.
    let again = get(&site.router(), &search_uri("小武器", "limit=5"))
        .await
        .json();
    let strip = |mut v: Value| {
        v.as_object_mut().unwrap().remove("took_ms");
        v
    };
    assert_eq!(strip(v), strip(again));
}

#[tokio::test]
async fn search_filters_sort_and_pages() {
    let r = seed_site().router();
    let json = |uri: String| {
        let r = r.clone();
        async move {
            let got = get(&r, &uri).await;
            assert_eq!(
                got.status,
                StatusCode::OK,
                "{uri}: {}",
                String::from_utf8_lossy(&got.body)
            );
            got.json()
        }
    };
    let all = json(search_uri("小武器", "limit=100")).await;
    let total = all["total"].as_u64().unwrap();
    assert!(total > 34, "both sessions match: {total}");

    // Pages follow each other.
    let p1 = json(search_uri("小武器", "limit=5")).await;
    let p2 = json(search_uri("小武器", "limit=5&offset=5")).await;
    assert_eq!(p2["offset"], 5);
    let mut both = places(&p1);
    both.extend(places(&p2));
    assert_eq!(both, places(&all)[..10]);

    // Filters as parameters, and in the query.
    let s78 = json(search_uri("小武器", "session=78&limit=100")).await;
    assert!(places(&s78).iter().all(|p| p.starts_with("A/RES/78/")));
    assert_eq!(s78["total"], 34);
    let range = json(search_uri("小武器", "session=70-78")).await;
    assert_eq!(range["total"], 34);
    let in_query = json(search_uri("小武器 session:78", "")).await;
    assert_eq!(in_query["total"], 34);
    let kind = json(search_uri("小武器", "kind=operative&limit=100")).await;
    assert!(places(&kind).iter().all(|p| p.contains("执行部分")));
    let year = json(search_uri("小武器", "year=2024&limit=100")).await;
    assert!(places(&year).iter().all(|p| p.starts_with("A/RES/79/40")));
    let symbol = json(search_uri("", "symbol=A/RES/79/40&limit=1")).await;
    assert!(symbol["total"].as_u64().unwrap() > 50);
    let cites = json(search_uri("", "cites=A/CONF.192/15&limit=100")).await;
    assert!(cites["total"].as_u64().unwrap() > 0);
    for h in cites["hits"].as_array().unwrap() {
        let cited: Vec<&str> = h["cites"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        let via_note = !h["footnotes"].as_array().unwrap().is_empty();
        assert!(cited.contains(&"A/CONF.192/15") || via_note, "{h}");
    }

    // Date order: the newest session first, or the oldest.
    let newest = json(search_uri("小武器", "sort=newest&limit=3")).await;
    assert!(places(&newest)[0].starts_with("A/RES/79/40"));
    let oldest = json(search_uri("小武器", "sort=oldest&limit=3")).await;
    assert!(places(&oldest)[0].starts_with("A/RES/78/"));

    // limit=0 counts, exactly.
    let count = json(search_uri("小武器", "limit=0")).await;
    assert_eq!(count["total"], total);
    assert_eq!(count["total_exact"], true);
    assert_eq!(count["hits"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn collapsed_search_and_listings() {
    let r = seed_site().router();
    let collapsed = get(&r, &search_uri("小武器", "collapse=true&limit=100")).await;
    assert_eq!(collapsed.status, StatusCode::OK);
    let c = collapsed.json();
    for key in [
        "total",
        "total_exact",
        "records",
        "records_exact",
        "took_ms",
        "hits",
    ] {
        assert!(c.get(key).is_some(), "{key}: {c}");
    }
    let hits = c["hits"].as_array().unwrap();
    assert!(hits.iter().all(|h| h["also_in"].is_array()));
    // A paragraph the 79th session kept unchanged is shown once, in its newest version,
    // also found in 78/46.
    assert!(hits.iter().any(|h| {
        h["symbol"] == "A/RES/79/40"
            && h["also_in"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["symbol"] == "A/RES/78/46" && a["session"] == 78)
    }));
    assert!(c["total"].as_u64().unwrap() < c["records"].as_u64().unwrap());

    let by_session = get(&r, &search_uri("小武器", "by=session")).await.json();
    assert_eq!(
        by_session["sessions"],
        serde_json::json!([{"session": 78, "count": 34}, {"session": 79, "count": by_session["total"].as_u64().unwrap() - 34}])
    );
    let by_resolution = get(&r, &search_uri("小武器", "by=resolution")).await.json();
    let list = by_resolution["resolutions"].as_array().unwrap();
    assert_eq!(by_resolution["total"], list.len());
    let sum: u64 = list.iter().map(|x| x["count"].as_u64().unwrap()).sum();
    assert_eq!(by_resolution["records"], sum);
    for key in [
        "symbol", "part", "session", "year", "date", "title", "file", "count",
    ] {
        assert!(list[0].get(key).is_some(), "{key}: {}", list[0]);
    }
    // A listing is paged too.
    let one = get(&r, &search_uri("小武器", "by=resolution&limit=1&offset=1"))
        .await
        .json();
    assert_eq!(one["resolutions"].as_array().unwrap(), &list[1..2]);
}

// ---------------------------------------------------------------------------------------
// Errors.

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

// ---------------------------------------------------------------------------------------
// The other endpoints.

#[tokio::test]
async fn resolution_record_diff_history_and_stats() {
    let site = seed_site();
    let r = site.router();
    let index = site.index_now();

    // Every record of the resolution, as `export` prints them, and its neighbours.
    let res = get(&r, "/api/resolution?symbol=A/RES/78/46").await;
    assert_eq!(res.status, StatusCode::OK);
    let res = res.json();
    let records = index.records_of("A/RES/78/46").unwrap();
    assert_eq!(res["records"], serde_json::to_value(&records).unwrap());
    assert_eq!(res["symbol"], "A/RES/78/46");
    assert_eq!(res["session"], 78);
    assert_eq!(res["date"], "2023-12-04");
    assert_eq!(res["previous"], Value::Null);
    assert_eq!(res["next"]["symbol"], "A/RES/79/40");
    assert_eq!(res["next"]["session"], 79);
    let next = get(&r, "/api/resolution?symbol=A/RES/79/40").await.json();
    assert_eq!(next["previous"]["symbol"], "A/RES/78/46");
    // Symbols are matched as the index matches them.
    let lower = get(&r, "/api/resolution?symbol=a/res/78/46").await;
    assert_eq!(lower.status, StatusCode::OK);

    // One record, with what `show SYMBOL REF` prints under it.
    let rec = get(&r, "/api/record?symbol=A/RES/78/46&ref=op.23").await;
    assert_eq!(rec.status, StatusCode::OK);
    let rec = rec.json();
    let op23 = records
        .iter()
        .find(|x| x.kind == unres::Kind::Operative && x.para == 23)
        .unwrap();
    assert_eq!(rec["text"], op23.text.as_str());
    assert_eq!(rec["ref"], "op.23");
    assert_eq!(rec["place"], op23.place());
    assert_eq!(
        rec["related"],
        serde_json::to_value(index.related(op23).unwrap()).unwrap()
    );
    let note = records
        .iter()
        .find(|x| x.kind == unres::Kind::Footnote)
        .unwrap();
    let fnote = get(
        &r,
        &format!("/api/record?symbol=A/RES/78/46&ref=fn.{}", note.para),
    )
    .await
    .json();
    assert!(
        !fnote["related"].as_array().unwrap().is_empty(),
        "a footnote's paragraphs"
    );

    // The diff: each paragraph as `diff --json` prints it, against the previous member.
    let d = get(&r, "/api/diff?new=A/RES/79/40").await;
    assert_eq!(d.status, StatusCode::OK);
    let d = d.json();
    let old = index.resolution("A/RES/78/46").unwrap().remove(0);
    let new = index.resolution("A/RES/79/40").unwrap().remove(0);
    let expected = unres::diff_resolutions(&old, &new);
    assert_eq!(
        d["paragraphs"],
        serde_json::to_value(&expected.paragraphs).unwrap()
    );
    assert_eq!(
        d["summary"],
        serde_json::to_value(expected.summary()).unwrap()
    );
    assert_eq!(d["old"]["symbol"], "A/RES/78/46");
    assert_eq!(d["new"]["symbol"], "A/RES/79/40");
    assert_eq!(d["new"]["date"], "2024-12-02");
    assert_eq!(d["new"]["previous"]["symbol"], "A/RES/78/46");
    assert_eq!(d["old"]["previous"], Value::Null);
    let both = get(&r, "/api/diff?old=A/RES/78/46&new=A/RES/79/40")
        .await
        .json();
    assert_eq!(both, d);
    let changed = get(&r, "/api/diff?new=A/RES/79/40&changed=true")
        .await
        .json();
    let n = changed["paragraphs"].as_array().unwrap().len();
    assert!(n > 0 && n < d["paragraphs"].as_array().unwrap().len());
    // The CLI prints the same paragraphs, one a line.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_unres"))
        .args(["diff", "--json", "A/RES/79/40", "--index"])
        .arg(&site.dir)
        .output()
        .unwrap();
    let printed: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(d["paragraphs"].as_array().unwrap(), &printed);

    // A paragraph's history, newest first, as `history --json` prints it.
    let h = get(&r, "/api/history?symbol=A/RES/79/40&ref=op.1").await;
    assert_eq!(h.status, StatusCode::OK);
    let h = h.json();
    let steps = index
        .history("A/RES/79/40", unres::Kind::Operative, 1)
        .unwrap();
    assert_eq!(steps.len(), 2);
    assert_eq!(h["versions"], serde_json::to_value(&steps).unwrap());
    assert_eq!(h["ref"], "op.1");

    // Stats, as `stats --json` prints them.
    let s = get(&r, "/api/stats").await;
    assert_eq!(s.status, StatusCode::OK);
    assert_eq!(
        s.json(),
        serde_json::to_value(index.stats().unwrap()).unwrap()
    );
}

#[tokio::test]
async fn unknown_symbols_and_records_are_404s() {
    let r = seed_site().router();
    for (uri, says) in [
        (
            "/api/resolution?symbol=A/RES/12/34",
            "no resolution A/RES/12/34",
        ),
        ("/api/resolution?symbol=A/RES/78/46&part=C", "no part C"),
        ("/api/record?symbol=A/RES/12/34&ref=op.1", "no resolution"),
        ("/api/record?symbol=A/RES/78/46&ref=op.999", "has no op.999"),
        ("/api/diff?new=A/RES/12/34", "no resolution"),
        (
            "/api/diff?old=A/RES/12/34&new=A/RES/78/46",
            "no resolution A/RES/12/34",
        ),
        ("/api/diff?new=A/RES/78/46", "no earlier member"),
        ("/api/history?symbol=A/RES/12/34&ref=op.1", "no resolution"),
        (
            "/api/history?symbol=A/RES/78/46&ref=op.999",
            "no A/RES/78/46 op.999",
        ),
        ("/api/nothing", "nothing at /api/nothing"),
        ("/index.php", "nothing at"),
        ("/../../etc/passwd", "nothing at"),
        ("/app.js/../../Cargo.toml", "nothing at"),
    ] {
        let got = get(&r, uri).await;
        assert_eq!(got.status, StatusCode::NOT_FOUND, "{uri}");
        let message = got.error();
        assert!(message.contains(says), "{uri}: {message}");
    }
}

// ---------------------------------------------------------------------------------------
// The page, headers, methods and hosts.

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let r = seed_site().router();
    for uri in [
        "/",
        "/?q=小武器&session=70-78",
        "/app.js",
        "/style.css",
        "/api/search?q=小武器",
        "/api/search?q=%22",
        "/api/resolution?symbol=A/RES/12/34",
        "/api/stats",
        "/nothing",
    ] {
        let uri_enc: String = uri.replace("小武器", &enc("小武器"));
        let got = get(&r, &uri_enc).await;
        assert_eq!(got.header(header::CONTENT_SECURITY_POLICY), CSP, "{uri}");
        assert_eq!(
            got.header(header::X_CONTENT_TYPE_OPTIONS),
            "nosniff",
            "{uri}"
        );
        assert_eq!(got.header(header::REFERRER_POLICY), "no-referrer", "{uri}");
    }
    assert_eq!(crate::serve::CONTENT_SECURITY_POLICY, CSP);
}

#[tokio::test]
async fn the_page_and_its_assets_are_built_in_and_small() {
    let r = seed_site().router();
    let mut total = 0;
    for (uri, ty) in [
        ("/", "text/html; charset=utf-8"),
        ("/app.js", "text/javascript; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
    ] {
        let got = get(&r, uri).await;
        assert_eq!(got.status, StatusCode::OK, "{uri}");
        assert_eq!(got.header(header::CONTENT_TYPE), ty, "{uri}");
        total += got.body.len();
        let text = String::from_utf8(got.body.clone()).unwrap();
        // Nothing is fetched from elsewhere: no absolute URL other than the SVG namespace.
        let outside = text
            .match_indices("http")
            .filter(|(at, _)| !text[*at..].starts_with("http://www.w3.org/2000/svg"))
            .count();
        assert_eq!(outside, 0, "{uri} names another site");
        assert!(!text.contains("//cdn"), "{uri}");
        // Revalidation.
        let etag = got.header(header::ETAG).to_string();
        assert!(!etag.is_empty());
        let again = send(
            &r,
            Request::get(uri)
                .header(header::IF_NONE_MATCH, &etag)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{uri}");
        assert!(again.body.is_empty());
    }
    assert!(
        total < 100_000,
        "the page and its assets weigh {total} bytes"
    );
    assert_eq!(total, crate::serve::page_bytes());
    // The page links its assets absolutely, so that any URL of it finds them.
    let page = String::from_utf8(get(&r, "/?view=diff&new=A/RES/79/40").await.body).unwrap();
    assert!(page.contains("src=\"/app.js\"") && page.contains("href=\"/style.css\""));
    // gzip when asked for.
    let zipped = send(
        &r,
        Request::get("/app.js")
            .header(header::ACCEPT_ENCODING, "gzip")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(zipped.header(header::CONTENT_ENCODING), "gzip");
    assert!(zipped.body.len() < 20_000, "{}", zipped.body.len());
}

#[tokio::test]
async fn other_methods_paths_and_hosts() {
    let r = seed_site().router();
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        for uri in ["/api/search?q=x", "/api/stats", "/"] {
            let got = send(
                &r,
                Request::builder()
                    .method(method)
                    .uri(uri)
                    .body(Body::from("x"))
                    .unwrap(),
            )
            .await;
            assert_eq!(got.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {uri}");
            assert!(got.error().contains("read-only"));
        }
    }
    let head = send(&r, Request::head("/api/stats").body(Body::empty()).unwrap()).await;
    assert_eq!(head.status, StatusCode::OK);
    // Only requests for a loopback name, unless public.
    let with_host = |host: &str| {
        Request::get("/api/stats")
            .header(header::HOST, host)
            .body(Body::empty())
            .unwrap()
    };
    for host in [
        "localhost:8080",
        "127.0.0.1:8080",
        "[::1]:8080",
        "localhost",
    ] {
        assert_eq!(
            send(&r, with_host(host)).await.status,
            StatusCode::OK,
            "{host}"
        );
    }
    for host in ["evil.example", "evil.example:8080", "192.168.1.2:8080"] {
        let got = send(&r, with_host(host)).await;
        assert_eq!(got.status, StatusCode::FORBIDDEN, "{host}");
        assert!(got.error().contains("--public"));
    }
    let public = crate::serve::router(
        seed_site().served.clone(),
        &Options {
            public: true,
            ..Options::default()
        },
    );
    assert_eq!(
        send(&public, with_host("evil.example")).await.status,
        StatusCode::OK
    );
}

// ---------------------------------------------------------------------------------------
// Bounded work.

#[tokio::test]
async fn a_panic_is_a_500_and_the_server_goes_on() {
    use axum::routing::get as route;
    let app = crate::serve::harden(
        Router::new()
            .route(
                "/boom",
                route(|| async {
                    if std::hint::black_box(true) {
                        panic!("a bug in a handler");
                    }
                    "unreachable"
                }),
            )
            .route("/ok", route(|| async { "fine" })),
        &Options::default(),
    );
    let got = get(&app, "/boom").await;
    assert_eq!(got.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(got.error().contains("goes on serving"));
    assert_eq!(got.header(header::CONTENT_SECURITY_POLICY), CSP);
    let ok = get(&app, "/ok").await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(ok.body, b"fine");
    // And the real router still answers after it.
    assert_eq!(
        get(&seed_site().router(), "/api/stats").await.status,
        StatusCode::OK
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_request_times_out_and_requests_in_flight_are_bounded() {
    use axum::routing::get as route;
    let slow = || async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        "slow"
    };
    let timed = crate::serve::harden(
        Router::new().route("/slow", route(slow)),
        &Options {
            timeout: Duration::from_millis(50),
            ..Options::default()
        },
    );
    let got = get(&timed, "/slow").await;
    assert_eq!(got.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(got.error().contains("took longer than"));

    // One request in flight: the others wait their turn, and past the timeout give up.
    let one = crate::serve::harden(
        Router::new().route("/slow", route(slow)),
        &Options {
            timeout: Duration::from_millis(1000),
            max_in_flight: 1,
            ..Options::default()
        },
    );
    let started = Instant::now();
    let answers = futures_join(
        (0..5)
            .map(|_| {
                let one = one.clone();
                tokio::spawn(async move { get(&one, "/slow").await.status })
            })
            .collect(),
    )
    .await;
    let ok = answers.iter().filter(|s| **s == StatusCode::OK).count();
    let waited_out = answers
        .iter()
        .filter(|s| **s == StatusCode::SERVICE_UNAVAILABLE)
        .count();
    assert_eq!(ok + waited_out, 5, "{answers:?}");
    assert!((1..=4).contains(&ok), "{answers:?}");
    assert!(
        waited_out >= 1,
        "five 300 ms requests one at a time exceed 1 s: {answers:?}"
    );
    assert!(started.elapsed() >= Duration::from_millis(900));
}

async fn futures_join<T>(handles: Vec<tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

// ---------------------------------------------------------------------------------------
// A generated corpus.

#[tokio::test]
async fn generated_corpus_broad_queries_listings_and_series() {
    let site = synth_site();
    let r = site.router();
    let index = site.index_now();

    // A broad query's first page: its total may be a lower bound, and says so.
    let broad = get(&r, &search_uri("的", "")).await.json();
    assert_eq!(broad["hits"].as_array().unwrap().len(), 10);
    let exact = get(&r, &search_uri("的", "limit=0")).await.json();
    assert_eq!(exact["total_exact"], true);
    if broad["total_exact"] == false {
        assert!(broad["total"].as_u64().unwrap() <= exact["total"].as_u64().unwrap());
    } else {
        assert_eq!(broad["total"], exact["total"]);
    }
    let by_session = get(&r, &search_uri("的", "by=session")).await.json();
    let sum: u64 = by_session["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["count"].as_u64().unwrap())
        .sum();
    assert_eq!(sum, exact["total"].as_u64().unwrap());
    assert_eq!(by_session["total"], exact["total"]);

    // The deepest page allowed answers.
    let deep = get(&r, &search_uri("的", "offset=10000&limit=100")).await;
    assert_eq!(deep.status, StatusCode::OK);

    // Collapsed: a paragraph repeated across a series is shown once, with the other
    // sessions where it stands.
    let (symbol, _, _) = index
        .series_symbols("A/RES/70/500")
        .unwrap()
        .into_iter()
        .next()
        .expect("the series is in the index");
    let mut repeated = false;
    for rec in index.records_of(&symbol).unwrap() {
        let piece: String = rec
            .text
            .chars()
            .filter(|c| !c.is_whitespace())
            .take(12)
            .collect();
        let v = get(&r, &search_uri(&format!("\"{piece}\""), "collapse=true"))
            .await
            .json();
        repeated |= v["hits"].as_array().unwrap().iter().any(|h| {
            h["symbol"] == symbol.as_str() && !h["also_in"].as_array().unwrap().is_empty()
        });
        if repeated {
            break;
        }
    }
    assert!(
        repeated,
        "no paragraph of {symbol} is repeated in its series"
    );

    // A series member: its resolution links back, its diff and a paragraph's history.
    let res = get(&r, &format!("/api/resolution?symbol={symbol}"))
        .await
        .json();
    let previous = res["previous"]["symbol"]
        .as_str()
        .expect("a previous member")
        .to_string();
    let d = get(&r, &format!("/api/diff?new={symbol}")).await;
    assert_eq!(d.status, StatusCode::OK);
    let d = d.json();
    assert_eq!(d["old"]["symbol"], previous.as_str());
    let h = get(&r, &format!("/api/history?symbol={symbol}&ref=op.1")).await;
    assert_eq!(h.status, StatusCode::OK);
    assert!(h.json()["versions"].as_array().unwrap().len() > 1);
}

// ---------------------------------------------------------------------------------------
// A newer commit.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_commit_by_another_writer_is_served_after_it_and_no_request_fails() {
    let site = Site::build(&[("A-RES-78-46.zh.txt".into(), read(SEED))]);
    let r = site.router();
    let newer = search_uri("", "symbol=A/RES/79/40");
    assert_eq!(get(&r, &newer).await.json()["total"], 0);
    assert_eq!(site.served.refresh().unwrap(), None, "nothing changed yet");

    // Another writer adds a file and commits while requests keep coming.
    std::fs::write(site.corpus.join("A-RES-79-40.zh.txt"), read(NEXT)).unwrap();
    let (corpus, dir) = (site.corpus.clone(), site.dir.clone());
    let writer = std::thread::spawn(move || {
        unres::build_index(&dir, &[corpus], &unres::BuildOptions::default(), &|_, _| {}).unwrap()
    });
    let mut asked = 0;
    while !writer.is_finished() || asked < 20 {
        for uri in [
            search_uri("小武器", ""),
            "/api/resolution?symbol=A/RES/78/46".into(),
            "/api/stats".into(),
        ] {
            let got = get(&r, &uri).await;
            assert_eq!(
                got.status,
                StatusCode::OK,
                "{uri} during the update: {}",
                String::from_utf8_lossy(&got.body)
            );
        }
        asked += 1;
    }
    assert!(writer.join().unwrap().committed);
    // Served as it was until the server looks...
    assert_eq!(get(&r, &newer).await.json()["total"], 0);
    let said = site.served.refresh().unwrap();
    assert!(said.is_some_and(|s| s.contains("newer commit")));
    // ...then the new commit.
    assert!(get(&r, &newer).await.json()["total"].as_u64().unwrap() > 0);
    assert_eq!(site.served.refresh().unwrap(), None);
}

#[tokio::test]
async fn a_changed_corpus_is_indexed_and_served() {
    let site = Site::build(&[("A-RES-78-46.zh.txt".into(), read(SEED))]);
    let served = Arc::new(Served::new(site.index_now(), vec![site.corpus.clone()]));
    let r = crate::serve::router(served.clone(), &Options::default());
    served.refresh().unwrap();
    let newer = search_uri("", "symbol=A/RES/79/40");
    assert_eq!(get(&r, &newer).await.json()["total"], 0);
    std::fs::write(site.corpus.join("A-RES-79-40.zh.txt"), read(NEXT)).unwrap();
    let said = served.refresh().unwrap().expect("an update");
    assert!(said.contains("1 file read"), "{said}");
    assert!(get(&r, &newer).await.json()["total"].as_u64().unwrap() > 0);
    assert_eq!(served.refresh().unwrap(), None);
}

// ---------------------------------------------------------------------------------------
// The binary.

/// A GET over a fresh connection: status line, headers (lower-cased names) and body.
pub(crate) fn http_get(addr: &str, path: &str) -> (u16, String, Vec<u8>) {
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header");
    let head = String::from_utf8_lossy(&raw[..split]).to_lowercase();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head, raw[split + 4..].to_vec())
}

/// `unres serve` started on a free port: the child and the address it printed.
pub(crate) fn start_binary(args: &[&str], dir: &Path) -> (std::process::Child, String) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_unres"))
        .arg("serve")
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    let addr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    (child, addr)
}

#[test]
fn the_binary_serves_over_loopback_and_stops_on_ctrl_c() {
    let site = Site::build(&[("A-RES-78-46.zh.txt".into(), read(SEED))]);
    let root = site.corpus.parent().unwrap().to_path_buf();
    let (mut child, addr) = start_binary(
        &[
            "--index",
            site.dir.to_str().unwrap(),
            "--addr",
            "127.0.0.1:0",
        ],
        &root,
    );
    assert!(addr.starts_with("127.0.0.1:"), "{addr}");
    let (status, head, body) = http_get(&addr, "/api/stats");
    assert_eq!(status, 200, "{head}");
    assert!(head.contains("content-type: application/json"));
    let stats: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(stats["resolutions"], 1);
    let (status, head, body) = http_get(&addr, &format!("/?q={}&session=70-78", enc("小武器")));
    assert_eq!(status, 200);
    assert!(head.contains(&format!("content-security-policy: {}", CSP.to_lowercase())));
    assert!(String::from_utf8(body).unwrap().contains("/app.js"));

    // `unres index` in another process: its commit is served within a few refreshes, and
    // every request meanwhile is answered.
    std::fs::write(site.corpus.join("A-RES-79-40.zh.txt"), read(NEXT)).unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_unres"))
        .args(["index", "--index"])
        .arg(&site.dir)
        .arg(&site.corpus)
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (status, _, body) = http_get(&addr, "/api/search?symbol=A/RES/79/40&limit=0");
        assert_eq!(status, 200);
        let v: Value = serde_json::from_slice(&body).unwrap();
        if v["total"].as_u64().unwrap() > 0 {
            break;
        }
        assert!(Instant::now() < deadline, "the new commit was never served");
        std::thread::sleep(Duration::from_millis(100));
    }

    // Ctrl-C: a clean stop.
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let code = wait_for(&mut child, Duration::from_secs(20));
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("newer commit"), "{stderr}");
    assert!(stderr.contains("stopped"), "{stderr}");
}

fn wait_for(child: &mut std::process::Child, limit: Duration) -> Option<i32> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("unres serve did not stop");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_binary_refuses_an_address_other_than_loopback_unless_public() {
    let site = seed_site();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_unres"))
        .args(["serve", "--addr", "0.0.0.0:0", "--index"])
        .arg(&site.dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("--addr 0.0.0.0:0") && stderr.contains("--public"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());

    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_unres"))
        .args(["serve", "--addr", "somewhere", "--index"])
        .arg(&site.dir)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8(bad.stderr).unwrap().contains("--addr"));

    // With --public it listens, after a warning.
    let (mut child, addr) = start_binary(
        &[
            "--index",
            site.dir.to_str().unwrap(),
            "--addr",
            "0.0.0.0:0",
            "--public",
        ],
        &site.dir,
    );
    let port = addr.rsplit(':').next().unwrap();
    let (status, _, _) = http_get(&format!("127.0.0.1:{port}"), "/api/stats");
    assert_eq!(status, 200);
    child.kill().unwrap();
    child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(
        stderr.contains("warning") && stderr.contains("readable by anyone"),
        "{stderr}"
    );
}
