//! The routes (the page, its assets, the API) and the layers around them: security
//! headers, panics caught, loopback host names, gzip, the time and the concurrency of
//! requests, the size of request bodies.

use crate::serve::api;
use crate::serve::app::{panic_error, App};
use crate::serve::assets;
use crate::serve::error::ApiError;
use crate::serve::options::{Options, CONTENT_SECURITY_POLICY, MAX_BODY_BYTES};
use crate::serve::params::shorten;
use crate::serve::served::Served;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;

/// The page and the API over `served`, with every bound of `options` ([`harden`]).
pub fn router(served: Arc<Served>, options: &Options) -> Router {
    let app = App {
        served,
        searches: Arc::new(Semaphore::new(options.max_searches.max(1))),
    };
    let routes = Router::new()
        .route("/", get(assets::file))
        .route("/app.js", get(assets::file))
        .route("/style.css", get(assets::file))
        .route("/js/{name}", get(assets::module))
        .route("/api/search", get(api::search))
        .route("/api/resolution", get(api::resolution))
        .route("/api/record", get(api::record))
        .route("/api/diff", get(api::diff))
        .route("/api/history", get(api::history))
        .route("/api/stats", get(api::stats))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(app);
    harden(routes, options)
}

/// The bounds and headers of every answer, around any routes: the security headers, panics
/// caught (a 500), unless `options.public` loopback host names only, gzip when the client
/// accepts it, the timeout and the requests in flight, request bodies of at most 1 KiB.
pub fn harden(routes: Router, options: &Options) -> Router {
    let public = options.public;
    let bounds = Bounds {
        timeout: options.timeout,
        in_flight: Arc::new(Semaphore::new(options.max_in_flight.max(1))),
    };
    routes.layer(
        ServiceBuilder::new()
            .layer(SetResponseHeaderLayer::overriding(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(CONTENT_SECURITY_POLICY),
            ))
            .layer(SetResponseHeaderLayer::overriding(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ))
            .layer(SetResponseHeaderLayer::overriding(
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            ))
            .layer(CatchPanicLayer::custom(
                |_: Box<dyn std::any::Any + Send>| panic_error().into_response(),
            ))
            .layer(middleware::from_fn(move |req: Request, next: Next| {
                only_loopback_hosts(public, req, next)
            }))
            .layer(CompressionLayer::new())
            .layer(middleware::from_fn(move |req: Request, next: Next| {
                bounded(bounds.clone(), req, next)
            }))
            .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES)),
    )
}

/// The time a request may take and the permits of requests in flight.
#[derive(Clone)]
struct Bounds {
    timeout: Duration,
    in_flight: Arc<Semaphore>,
}

/// A request waits for a permit of the requests in flight, then runs; both within its
/// timeout (a 503 past it). The permit is taken here rather than in a service's readiness,
/// so that the time waiting counts against the timeout.
async fn bounded(bounds: Bounds, req: Request, next: Next) -> Response {
    let work = async {
        let _permit = bounds.in_flight.acquire().await;
        next.run(req).await
    };
    match tokio::time::timeout(bounds.timeout, work).await {
        Ok(response) => response,
        Err(_) => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "the request took longer than {} s; try a narrower query",
                bounds.timeout.as_secs_f64()
            ),
        )
        .into_response(),
    }
}

async fn only_loopback_hosts(public: bool, req: Request, next: Next) -> Response {
    if !public {
        if let Some(host) = req.headers().get(header::HOST) {
            if !host.to_str().is_ok_and(is_loopback_host) {
                return ApiError::new(
                    StatusCode::FORBIDDEN,
                    format!(
                        "this server answers requests for localhost only, not for `{}` (unres serve --public answers any)",
                        shorten(&String::from_utf8_lossy(host.as_bytes()))
                    ),
                )
                .into_response();
            }
        }
    }
    next.run(req).await
}

/// `localhost`, `127.0.0.1`, `[::1]` and the like, with or without a port.
fn is_loopback_host(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or_default()
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
            _ => host,
        }
    };
    name.eq_ignore_ascii_case("localhost")
        || name.to_ascii_lowercase().ends_with(".localhost")
        || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::not_found(format!(
        "nothing at {}; the API is /api/search, /api/resolution, /api/record, /api/diff, /api/history and /api/stats",
        shorten(uri.path())
    ))
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "only GET (and HEAD) requests are answered: the API is read-only",
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn loopback_hosts() {
        for ok in [
            "localhost",
            "localhost:8080",
            "127.0.0.1:80",
            "[::1]:8080",
            "127.1.2.3",
            "a.localhost:1",
        ] {
            assert!(crate::serve::router::is_loopback_host(ok), "{ok}");
        }
        for refused in [
            "example.com",
            "evil.example:8080",
            "10.0.0.1:8080",
            "[::2]:1",
            "localhost.evil.com",
        ] {
            assert!(
                !crate::serve::router::is_loopback_host(refused),
                "{refused}"
            );
        }
    }
}
