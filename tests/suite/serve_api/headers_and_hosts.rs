//! What every answer carries and whom the server answers: the security headers on every
//! path, methods other than GET and HEAD refused as read-only, and only loopback host names
//! unless the server is public.

use super::CSP;
use crate::http::{enc, get, seed_site, send};
use crate::serve::Options;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};

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
