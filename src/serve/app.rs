//! What every handler shares: the index served and the permits of index work, and how a
//! handler runs index work (on tokio's blocking pool, a bounded number at a time).

use crate::serve::error::ApiError;
use crate::serve::served::Served;
use axum::response::Response;
use std::sync::Arc;
use tokio::sync::Semaphore;

#[derive(Clone)]
pub(crate) struct App {
    pub(crate) served: Arc<Served>,
    pub(crate) searches: Arc<Semaphore>,
}

impl App {
    /// Runs `work` on the index as it is now, on the blocking pool, once a permit of index
    /// work is free. The permit is held until the work ends, even if the request timed out
    /// meanwhile, so that index work stays bounded. A panic in `work` is a 500.
    pub(crate) async fn with_index<F>(&self, work: F) -> Result<Response, ApiError>
    where
        F: FnOnce(&unres::Index) -> Result<Response, ApiError> + Send + 'static,
    {
        let permit = self
            .searches
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| ApiError::internal("the server is stopping"))?;
        let current = self.served.current();
        let job = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work(&current.index)
        });
        match job.await {
            Ok(answer) => answer,
            Err(e) if e.is_panic() => Err(panic_error()),
            Err(_) => Err(ApiError::internal("the request was cancelled")),
        }
    }
}

pub(crate) fn panic_error() -> ApiError {
    ApiError::internal("the server failed while answering this request (a bug); it goes on serving")
}
