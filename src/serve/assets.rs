//! The page and its two assets, built into the binary (no file is read to serve them): `/`
//! (whatever its query string: the page reads its view from it), `/app.js` and
//! `/style.css`, each with an `ETag` so that a browser revalidates instead of fetching.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::sync::LazyLock;

/// One built-in file.
struct Asset {
    body: &'static str,
    content_type: &'static str,
    etag: LazyLock<String>,
}

macro_rules! asset {
    ($file:literal, $type:literal) => {
        Asset {
            body: include_str!($file),
            content_type: $type,
            etag: LazyLock::new(|| {
                format!(
                    "\"{:016x}\"",
                    xxhash_rust::xxh3::xxh3_64(include_str!($file).as_bytes())
                )
            }),
        }
    };
}

static INDEX_HTML: Asset = asset!("assets/index.html", "text/html; charset=utf-8");
static APP_JS: Asset = asset!("assets/app.js", "text/javascript; charset=utf-8");
static STYLE_CSS: Asset = asset!("assets/style.css", "text/css; charset=utf-8");

/// The bytes of the page and its assets together (what a first visit downloads,
/// uncompressed).
pub(crate) fn page_bytes() -> usize {
    [&INDEX_HTML, &APP_JS, &STYLE_CSS]
        .iter()
        .map(|a| a.body.len())
        .sum()
}

fn serve(asset: &Asset, headers: &HeaderMap) -> Response {
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
        asset.body,
    )
        .into_response()
}

/// `/`: the page.
pub(crate) async fn index(headers: HeaderMap) -> Response {
    serve(&INDEX_HTML, &headers)
}

/// `/app.js`: the page's script.
pub(crate) async fn app_js(headers: HeaderMap) -> Response {
    serve(&APP_JS, &headers)
}

/// `/style.css`: the page's style sheet.
pub(crate) async fn style_css(headers: HeaderMap) -> Response {
    serve(&STYLE_CSS, &headers)
}
