//! `/api/resolution`, `/api/record`, `/api/diff`, `/api/history` and `/api/stats`: each
//! answers what the command line prints (`export`, `show`, `diff --json`, `history --json`,
//! `stats --json`), and unknown symbols, records and paths are 404s.

use crate::http::{get, seed_site};
use axum::http::StatusCode;
use serde_json::Value;

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
