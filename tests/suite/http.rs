//! The server in process, for the tests that ask it (the API's, the front door's and the
//! browser's): a site of the support module (`support::site`) with the server's state
//! opened on its index, its router, and requests sent through the router (tower's
//! `oneshot`) with their answers read whole.

use crate::serve::{Options, Served};
use crate::support::site::{self, Site};
use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::Value;
use std::ops::Deref;
use std::sync::{Arc, OnceLock};
use tower::ServiceExt;

/// A site with the server's state opened on its index; it reads as the site itself.
pub(crate) struct Server<'a> {
    site: &'a Site,
    pub(crate) served: Arc<Served>,
}

impl<'a> Server<'a> {
    pub(crate) fn open(site: &'a Site) -> Server<'a> {
        let served = Arc::new(Served::open(&site.dir, Vec::new()).unwrap());
        Server { site, served }
    }

    pub(crate) fn router(&self) -> Router {
        crate::serve::router(self.served.clone(), &Options::default())
    }
}

impl Deref for Server<'_> {
    type Target = Site;

    fn deref(&self) -> &Site {
        self.site
    }
}

/// The seed site of `support::site`, served.
pub(crate) fn seed_site() -> &'static Server<'static> {
    static SERVER: OnceLock<Server<'static>> = OnceLock::new();
    SERVER.get_or_init(|| Server::open(site::seed_site()))
}

/// The generated site of `support::site`, served.
pub(crate) fn synth_site() -> &'static Server<'static> {
    static SERVER: OnceLock<Server<'static>> = OnceLock::new();
    SERVER.get_or_init(|| Server::open(site::synth_site()))
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
    pub(crate) fn error(&self) -> String {
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
