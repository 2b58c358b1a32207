//! `unres serve`'s JSON API and page, asked through the router in process (tower's
//! `oneshot`, see `crate::http`): every endpoint, status code and cap, on the seed with its
//! 79th-session version and a file of hostile text, and on a generated corpus (both from
//! `support::site`); the index reopened after another writer's commit with no request
//! failing meanwhile; and the real binary over loopback (its address check, its answers,
//! Ctrl-C). One file a subject; this one holds what they share.

use crate::http::enc;
use serde_json::Value;

mod bad_requests;
mod bounded_work;
mod generated_corpus;
mod headers_and_hosts;
mod loopback;
mod page_assets;
mod resolution_endpoints;
mod search_endpoint;
mod updates;

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

/// The Content-Security-Policy every answer carries.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
