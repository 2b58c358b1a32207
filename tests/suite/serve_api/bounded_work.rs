//! Bounded work: a panic in a handler is a 500 and the server goes on, a slow request times
//! out, and requests in flight are bounded.

use super::CSP;
use crate::http::{get, seed_site};
use crate::serve::Options;
use axum::http::{header, StatusCode};
use axum::Router;
use std::time::{Duration, Instant};

#[tokio::test]
async fn a_panic_is_a_500_and_the_server_goes_on() {
    use axum::routing::get as route;
    let app = crate::serve::harden(
        Router::new()
            .route(
                "/boom",
                route(|| async {
                    if std::hint::black_box(true) {
                        panic!("a bug in a handler");
                    }
                    "unreachable"
                }),
            )
            .route("/ok", route(|| async { "fine" })),
        &Options::default(),
    );
    let got = get(&app, "/boom").await;
    assert_eq!(got.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(got.error().contains("goes on serving"));
    assert_eq!(got.header(header::CONTENT_SECURITY_POLICY), CSP);
    let ok = get(&app, "/ok").await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(ok.body, b"fine");
    // And the real router still answers after it.
    assert_eq!(
        get(&seed_site().router(), "/api/stats").await.status,
        StatusCode::OK
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_request_times_out_and_requests_in_flight_are_bounded() {
    use axum::routing::get as route;
    let slow = || async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        "slow"
    };
    let timed = crate::serve::harden(
        Router::new().route("/slow", route(slow)),
        &Options {
            timeout: Duration::from_millis(50),
            ..Options::default()
        },
    );
    let got = get(&timed, "/slow").await;
    assert_eq!(got.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(got.error().contains("took longer than"));

    // One request in flight: the others wait their turn, and past the timeout give up.
    let one = crate::serve::harden(
        Router::new().route("/slow", route(slow)),
        &Options {
            timeout: Duration::from_millis(1000),
            max_in_flight: 1,
            ..Options::default()
        },
    );
    let started = Instant::now();
    let answers = futures_join(
        (0..5)
            .map(|_| {
                let one = one.clone();
                tokio::spawn(async move { get(&one, "/slow").await.status })
            })
            .collect(),
    )
    .await;
    let ok = answers.iter().filter(|s| **s == StatusCode::OK).count();
    let waited_out = answers
        .iter()
        .filter(|s| **s == StatusCode::SERVICE_UNAVAILABLE)
        .count();
    assert_eq!(ok + waited_out, 5, "{answers:?}");
    assert!((1..=4).contains(&ok), "{answers:?}");
    assert!(
        waited_out >= 1,
        "five 300 ms requests one at a time exceed 1 s: {answers:?}"
    );
    assert!(started.elapsed() >= Duration::from_millis(900));
}

async fn futures_join<T>(handles: Vec<tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}
