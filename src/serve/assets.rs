//! The page and its assets, built into the binary (no file is read to serve them): `/`
//! (whatever its query string: the page reads its view from it), the entry script
//! `/app.js`, its ES modules under `/js/`, served as they are (no build step), and
//! `/style.css`. One module, `/js/model.js`, is written at start from the library's own
//! values (the record kinds, their names and references), so that the page keeps no copy
//! of them. Each answer has an `ETag`, so that a browser revalidates instead of fetching.

use crate::serve::error::ApiError;
use axum::extract::Path;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use std::sync::LazyLock;
use unres::{shorten, Kind};

const HTML: &str = "text/html; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// The files of the page, by the path they are served at.
const FILES: [(&str, &str, &str); 15] = [
    ("/", HTML, include_str!("assets/index.html")),
    ("/style.css", CSS, include_str!("assets/style.css")),
    ("/app.js", JS, include_str!("assets/app.js")),
    ("/js/api.js", JS, include_str!("assets/js/api.js")),
    ("/js/chart.js", JS, include_str!("assets/js/chart.js")),
    ("/js/diff.js", JS, include_str!("assets/js/diff.js")),
    ("/js/dom.js", JS, include_str!("assets/js/dom.js")),
    ("/js/form.js", JS, include_str!("assets/js/form.js")),
    ("/js/history.js", JS, include_str!("assets/js/history.js")),
    ("/js/home.js", JS, include_str!("assets/js/home.js")),
    ("/js/refs.js", JS, include_str!("assets/js/refs.js")),
    (
        "/js/resolution.js",
        JS,
        include_str!("assets/js/resolution.js"),
    ),
    ("/js/search.js", JS, include_str!("assets/js/search.js")),
    ("/js/state.js", JS, include_str!("assets/js/state.js")),
    ("/js/status.js", JS, include_str!("assets/js/status.js")),
];

/// One asset as served.
struct Asset {
    path: &'static str,
    content_type: &'static str,
    body: String,
    etag: String,
}

/// Every asset: the files, then the module written from the library's values.
static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    let files = FILES
        .iter()
        .map(|&(path, ty, body)| (path, ty, body.to_string()));
    files
        .chain([("/js/model.js", JS, model_js())])
        .map(|(path, content_type, body)| Asset {
            path,
            content_type,
            etag: format!("\"{:016x}\"", xxhash_rust::xxh3::xxh3_64(body.as_bytes())),
            body,
        })
        .collect()
});

/// `/js/model.js`: the record kinds in document order, each with its name in JSON and
/// filters (`operative`), its code ([`Kind::code`]), its prefix in references
/// ([`Kind::short`]: `op`), its Chinese name ([`Kind::chinese`]) and the place of its
/// record number `{n}` ([`Kind::place`]: `执行部分第 {n} 段`).
fn model_js() -> String {
    const PLACEHOLDER: u32 = 987_654_321;
    let kinds: Vec<serde_json::Value> = Kind::ALL
        .into_iter()
        .map(|kind| {
            serde_json::json!({
                "name": kind.as_str(),
                "code": kind.code(),
                "ref": kind.short(),
                "label": kind.chinese(),
                "place": kind.place(PLACEHOLDER).replace(&PLACEHOLDER.to_string(), "{n}"),
            })
        })
        .collect();
    format!(
        "// The library's record kinds, written by the server at its start from unres::Kind:\n\
         // name (JSON, filters), code, ref (the prefix of a reference such as op.3), label\n\
         // (the Chinese name) and place (a record's place, {{n}} its number).\n\
         export const KINDS = {};\n",
        serde_json::to_string(&kinds).expect("plain values")
    )
}

/// The bytes of the page and all its assets together (what a first visit downloads,
/// uncompressed).
#[cfg(test)]
#[allow(dead_code)] // the server's tests measure the page; the binary's own do not
pub(crate) fn page_bytes() -> usize {
    ASSETS.iter().map(|a| a.body.len()).sum()
}

fn serve(asset: &'static Asset, headers: &HeaderMap) -> Response {
    let etag = asset.etag.as_str();
    let cached = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let common = [
        (header::ETAG, HeaderValue::from_str(etag).expect("hex")),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
    ];
    if cached {
        return (StatusCode::NOT_MODIFIED, common).into_response();
    }
    (
        StatusCode::OK,
        common,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(asset.content_type),
        )],
        asset.body.as_str(),
    )
        .into_response()
}

fn by_path(path: &str, headers: &HeaderMap) -> Response {
    match ASSETS.iter().find(|a| a.path == path) {
        Some(asset) => serve(asset, headers),
        None => ApiError::not_found(format!("nothing at {}", shorten(path))).into_response(),
    }
}

/// `/`, `/app.js`, `/style.css`: the page, its entry script, its style sheet.
pub(crate) async fn file(uri: Uri, headers: HeaderMap) -> Response {
    by_path(uri.path(), &headers)
}

/// `/js/{name}`: one of the page's modules (a 404 for any other name).
pub(crate) async fn module(Path(name): Path<String>, headers: HeaderMap) -> Response {
    by_path(&format!("/js/{name}"), &headers)
}
