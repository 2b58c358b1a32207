//! What a failed request answers: a status and `{"error": {"message": …, "column": …}}`
//! (`column`, 1-based in characters, for a query that could not be read; `null` otherwise).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// A request that cannot be answered: its status and what to say.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) message: String,
    pub(crate) column: Option<usize>,
}

impl ApiError {
    /// 400: the request asks for something malformed or past a cap.
    pub(crate) fn bad(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    /// 404: no such resolution, record or endpoint.
    pub(crate) fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }

    /// 500: the server failed.
    pub(crate) fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }

    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
            column: None,
        }
    }
}

impl From<unres::QueryError> for ApiError {
    /// The terminal's message (`query error at column 3 (…): …`) and its column.
    fn from(e: unres::QueryError) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: e.to_string(),
            column: Some(e.column),
        }
    }
}

impl From<unres::Error> for ApiError {
    fn from(e: unres::Error) -> ApiError {
        match e {
            unres::Error::Query(q) => q.into(),
            unres::Error::Param { message, .. } => ApiError::bad(message),
            unres::Error::NotFound { message } => ApiError::not_found(message),
            other => ApiError::internal(other.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "error": { "message": self.message, "column": self.column }
        });
        json_response(self.status, &body)
    }
}

/// A JSON answer: the value's bytes, `application/json`, never cached.
pub(crate) fn json_response(status: StatusCode, value: &impl serde::Serialize) -> Response {
    match serde_json::to_vec(value) {
        Ok(bytes) => (
            status,
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot encode the answer: {e}"),
        )
            .into_response(),
    }
}
