//! Serving connections: an accept loop over hyper (HTTP/1.1, a timeout on reading a
//! request's headers, a bounded number of connections, a graceful stop) and the timer that
//! keeps the index current.

use crate::serve::options::{Options, MAX_CONNECTIONS};
use crate::serve::router::router;
use crate::serve::served::Served;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// once while it lasts) to `note`.
pub async fn run(
    listener: tokio::net::TcpListener,
    served: Arc<Served>,
    options: Options,
    shutdown: impl Future<Output = ()> + Send,
    note: impl Fn(&str) + Send + Sync + 'static,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;

    let app = router(served.clone(), &options);
    let refresher = tokio::spawn(refresh_loop(served, options.refresh_every, note));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let connections = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = connections.clone().acquire_owned() => permit.expect("never closed"),
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors and the like: wait a little, go on.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(app.clone());
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(options.timeout)
            .serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = connection.await;
            drop(permit);
        });
    }
    refresher.abort();
    drop(listener);
    let _ = tokio::time::timeout(options.timeout, graceful.shutdown()).await;
    Ok(())
}

async fn refresh_loop(
    served: Arc<Served>,
    every: Duration,
    note: impl Fn(&str) + Send + Sync + 'static,
) {
    let mut tick = tokio::time::interval(every.max(Duration::from_millis(10)));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tick.tick().await;
    let mut last_error = None;
    loop {
        tick.tick().await;
        let s = served.clone();
        match tokio::task::spawn_blocking(move || s.refresh()).await {
            Ok(Ok(said)) => {
                last_error = None;
                if let Some(said) = said {
                    note(&said);
                }
            }
            Ok(Err(e)) => {
                let message = format!("cannot refresh the index (serving the one open): {e}");
                if last_error.as_ref() != Some(&message) {
                    note(&message);
                    last_error = Some(message);
                }
            }
            Err(_) => note("refreshing the index failed (a bug); serving the one open"),
        }
    }
}
