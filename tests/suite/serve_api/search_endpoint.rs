//! `/api/search`: the hits and total `unres search --json` and `--count` print, the same
//! bytes asked twice; filters as parameters and in the query, date order and pages;
//! collapsed search and the listings by session and by resolution.

use super::{places, search_uri};
use crate::http::{get, seed_site};
use axum::http::{header, StatusCode};
use serde_json::Value;

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
