//! The JSON API's endpoints: each reads its parameters (a 400 for anything malformed or
//! past a cap, before any index work), then asks the index on the blocking pool and
//! answers with the objects the matching command's `--json` prints.

use crate::serve::app::App;
use crate::serve::error::{json_response, ApiError};
use crate::serve::params::Params;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;
use serde_json::Value;
use std::time::{Duration, Instant};
use unres::{Limits, SearchParams};
use unres::{Record, RecordRef, Reference, Request, Resolution};

type Answered = Result<Response, ApiError>;

const SEARCH: [&str; 12] = [
    "q", "kind", "session", "year", "symbol", "cites", "sort", "collapse", "by", "limit", "offset",
    "exact",
];

/// `/api/search`: a page of hits (records, or with `collapse=true` paragraphs), or with
/// `by=resolution` / `by=session` a listing.
pub(crate) async fn search(State(app): State<App>, RawQuery(raw): RawQuery) -> Answered {
    let p = Params::read(raw.as_deref(), &SEARCH)?;
    let request = search_request(&p)?;
    app.with_index(move |index| {
        let started = Instant::now();
        let answer = index.search(&request)?;
        let took_ms = millis(started.elapsed());
        let page = unres::AnswerPage::new(index, &answer, &request)?;
        Ok(json_response(StatusCode::OK, &page.took(took_ms)))
    })
    .await
}

/// The request the parameters make: read from the query string, then turned into a
/// request by the library ([`unres::SearchParams`]) within the server's caps.
fn search_request(p: &Params) -> Result<Request, ApiError> {
    let text =
        |key: &str| -> Result<Option<String>, ApiError> { Ok(p.get(key)?.map(str::to_string)) };
    let params = SearchParams {
        q: p.raw("q").unwrap_or_default().to_string(),
        kind: text("kind")?,
        session: text("session")?,
        year: text("year")?,
        symbol: text("symbol")?,
        cites: text("cites")?,
        sort: text("sort")?,
        collapse: p.flag("collapse")?,
        by: text("by")?,
        limit: p.whole("limit")?,
        offset: p.whole("offset")?,
        exact: p.flag("exact")?,
    };
    Ok(params.to_request_within(&Limits::SERVER)?)
}

/// Milliseconds, to the microsecond.
fn millis(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}

/// `/api/resolution?symbol=…[&part=…]`: every record of the resolution (of one part with
/// `part`, or a symbol such as `A/RES/78/47 A`), with its metadata and its neighbours in
/// its series.
pub(crate) async fn resolution(State(app): State<App>, RawQuery(raw): RawQuery) -> Answered {
    let p = Params::read(raw.as_deref(), &["symbol", "part"])?;
    let Reference { symbol, part, .. } = resolution_ref(p.required("symbol")?, p.get("part")?);
    app.with_index(move |index| {
        let records = index.records_of(&symbol)?;
        if records.is_empty() {
            return Err(no_resolution(&symbol));
        }
        let mut parts: Vec<&str> = Vec::new();
        for r in &records {
            if let Some(p) = r.part.as_deref().filter(|p| !parts.contains(p)) {
                parts.push(p);
            }
        }
        let chosen: Vec<&Record> = records
            .iter()
            .filter(|r| part.is_none() || r.part == part)
            .collect();
        let Some(first) = chosen.first() else {
            return Err(ApiError::not_found(format!(
                "{} has no part {} (its parts: {})",
                records[0].symbol,
                part.as_deref().unwrap_or_default(),
                parts.join(", ")
            )));
        };
        let (previous, next) = index.neighbours(&first.symbol, first.part.as_deref())?;
        let body = serde_json::json!({
            "symbol": first.symbol,
            // The part shown: the one asked for, or the only one (null: every part).
            "part": if part.is_some() || parts.len() <= 1 { first.part.as_deref() } else { None },
            "parts": parts,
            "session": first.session,
            "year": first.year,
            "date": first.date,
            "title": first.title,
            "meeting": first.meeting,
            "file": first.file,
            "previous": previous,
            "next": next,
            "records": chosen,
        });
        Ok(json_response(StatusCode::OK, &body))
    })
    .await
}

/// `/api/record?symbol=…&ref=op.23[&part=…]`: one record as `unres export` prints it, with
/// `place`, `ref` and `related` (the footnotes a paragraph cites, or the paragraphs citing
/// a footnote: what `unres show SYMBOL REF` prints under it).
pub(crate) async fn record(State(app): State<App>, RawQuery(raw): RawQuery) -> Answered {
    let p = Params::read(raw.as_deref(), &["symbol", "ref", "part"])?;
    let mut asked = resolution_ref(p.required("symbol")?, p.get("part")?);
    asked.record = Some(p.required("ref")?.parse::<RecordRef>()?);
    app.with_index(move |index| {
        let records = index.records_at(&asked)?;
        let found = &records[0];
        let related = index.related(found)?;
        let mut v = serde_json::to_value(found).map_err(|e| ApiError::internal(e.to_string()))?;
        let obj = v.as_object_mut().expect("a record is an object");
        obj.insert("place".into(), found.place().into());
        obj.insert("ref".into(), found.short_ref().into());
        obj.insert("related".into(), serde_json::json!(related));
        Ok(json_response(StatusCode::OK, &v))
    })
    .await
}

/// A resolution's metadata, as the diff names its two sides.
#[derive(Serialize)]
struct Meta<'a> {
    symbol: &'a str,
    part: Option<&'a str>,
    session: u32,
    year: u32,
    date: Option<&'a str>,
    title: &'a str,
}

fn meta(r: &Resolution) -> Meta<'_> {
    Meta {
        symbol: &r.symbol,
        part: r.part.as_deref(),
        session: r.session,
        year: r.year(),
        date: r.date.as_deref(),
        title: &r.title,
    }
}

/// `/api/diff?new=…[&old=…][&changed=true]`: two versions compared paragraph by paragraph
/// (without `old`, `new` against the previous member of its series): both sides'
/// metadata (with each side's own previous member, or null), the counts of each kind, and
/// each paragraph as `unres diff --json` prints it.
pub(crate) async fn diff(State(app): State<App>, RawQuery(raw): RawQuery) -> Answered {
    let p = Params::read(raw.as_deref(), &["old", "new", "changed"])?;
    let new = resolution_ref(p.required("new")?, None);
    let old = p.get("old")?.map(|s| resolution_ref(s, None));
    let changed = p.flag("changed")?;
    app.with_index(move |index| {
        let (old, new) = index.versions(old.as_ref(), &new)?;
        let d = unres::diff_resolutions(&old, &new);
        let paragraphs: Vec<_> = d
            .paragraphs
            .iter()
            .filter(|p| !changed || p.status != unres::Status::Unchanged || p.moved)
            .collect();
        let side = |r: &Resolution| -> Result<Value, ApiError> {
            let mut v =
                serde_json::to_value(meta(r)).map_err(|e| ApiError::internal(e.to_string()))?;
            let (previous, _) = index.neighbours(&r.symbol, r.part.as_deref())?;
            v["previous"] = serde_json::json!(previous);
            Ok(v)
        };
        let body = serde_json::json!({
            "old": side(&old)?,
            "new": side(&new)?,
            "summary": d.summary(),
            "paragraphs": paragraphs,
        });
        Ok(json_response(StatusCode::OK, &body))
    })
    .await
}

/// `/api/history?symbol=…&ref=…[&part=…]`: one paragraph back through its resolution's
/// series, newest first, each version as `unres history --json` prints it.
pub(crate) async fn history(State(app): State<App>, RawQuery(raw): RawQuery) -> Answered {
    let p = Params::read(raw.as_deref(), &["symbol", "ref", "part"])?;
    let mut asked = resolution_ref(p.required("symbol")?, p.get("part")?);
    let reference = p.required("ref")?.to_string();
    asked.record = Some(reference.parse::<RecordRef>()?);
    app.with_index(move |index| {
        // Which resolution (or part) is missing, if one is: its own 404.
        let resolution = index.resolution_named(&asked)?;
        let versions = index.history_at(&asked)?;
        if versions.is_empty() {
            return Err(ApiError::not_found(format!("no {asked} in the index")));
        }
        let body = serde_json::json!({
            "symbol": resolution.symbol,
            "part": asked.part,
            "ref": reference,
            "versions": versions,
        });
        Ok(json_response(StatusCode::OK, &body))
    })
    .await
}

/// `/api/stats`: records by session and kind, resolutions and records, as `unres stats
/// --json` prints them.
pub(crate) async fn stats(State(app): State<App>, RawQuery(raw): RawQuery) -> Answered {
    Params::read(raw.as_deref(), &[])?;
    app.with_index(|index| Ok(json_response(StatusCode::OK, &index.stats()?)))
        .await
}

fn no_resolution(symbol: &str) -> ApiError {
    ApiError::not_found(format!("no resolution {symbol} in the index"))
}

/// A resolution as the API names it: `symbol`, and `part` or a part letter written after
/// the symbol (`A/RES/78/47 A`, as diffs and histories name a part), read by the library
/// ([`unres::Reference`]); a symbol it cannot read is taken as it is (the index then has
/// no such resolution).
fn resolution_ref(symbol: &str, part: Option<&str>) -> Reference {
    match symbol.parse::<Reference>() {
        Ok(r) if r.record.is_none() => Reference {
            part: part.map(str::to_string).or(r.part),
            ..r
        },
        _ => Reference {
            symbol: symbol.trim().to_string(),
            part: part.map(str::to_string),
            record: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_written_after_the_symbol() {
        let r = resolution_ref("A/RES/78/47 A", None);
        assert_eq!(
            (r.symbol.as_str(), r.part.as_deref()),
            ("A/RES/78/47", Some("A"))
        );
        let r = resolution_ref("A/RES/78/46", Some("B"));
        assert_eq!(
            (r.symbol.as_str(), r.part.as_deref()),
            ("A/RES/78/46", Some("B"))
        );
        assert_eq!(resolution_ref(" A/RES/78/46 ", None).symbol, "A/RES/78/46");
    }
}
