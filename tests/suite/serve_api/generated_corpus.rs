//! The API on a generated corpus: a broad query's first page and its exact count, the
//! listings summing to it, the deepest page, collapsed hits across a series, and a series
//! member's resolution, diff and history.

use super::search_uri;
use crate::http::{get, synth_site};
use axum::http::StatusCode;

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
