//! The page and its assets: built in, typed, small, fetching nothing from elsewhere,
//! revalidated by ETag, linked absolutely and gzipped when asked for.

use crate::http::{get, seed_site, send};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};

#[tokio::test]
async fn the_page_and_its_assets_are_built_in_and_small() {
    let r = seed_site().router();
    let mut total = 0;
    // The page, its style sheet, its entry script and every module under /js/ (the files
    // of src/serve/assets/js/, and model.js, which the server writes at its start).
    let mut assets: Vec<(String, &str)> = vec![
        ("/".into(), "text/html; charset=utf-8"),
        ("/app.js".into(), "text/javascript; charset=utf-8"),
        ("/style.css".into(), "text/css; charset=utf-8"),
        ("/js/model.js".into(), "text/javascript; charset=utf-8"),
    ];
    for entry in std::fs::read_dir("src/serve/assets/js").unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assets.push((format!("/js/{name}"), "text/javascript; charset=utf-8"));
    }
    assert!(assets.len() > 8, "{assets:?}");
    for (uri, ty) in &assets {
        let (uri, ty) = (uri.as_str(), *ty);
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
