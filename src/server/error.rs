//! The API's errors: one JSON shape, `{"error": {"code", "message"}}`,
//! with the right status and never any internal detail (paths, causes,
//! backtraces). Internal causes travel in the response's extensions as
//! [`LoggedError`] so that the logging middleware can record them.
use std::time::Duration;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::search;

/// An error answered by the API.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A query parameter is missing, malformed or out of range (400).
    #[error("{0}")]
    BadParameter(String),
    /// The query cannot be run (400).
    #[error("{0}")]
    BadQuery(String),
    /// No such document or route (404).
    #[error("{0}")]
    NotFound(String),
    /// The method is not allowed on this route (405).
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The request body is larger than allowed (413).
    #[error("request body too large: at most {0} bytes")]
    PayloadTooLarge(usize),
    /// The request URI is longer than allowed (414).
    #[error("request URI too long: at most {0} bytes")]
    UriTooLong(usize),
    /// There is no index yet (503).
    #[error("no index yet: ingest or crawl documents first")]
    NoIndex,
    /// The index exists but cannot be opened (503); the detail is logged.
    #[error("the index cannot be opened")]
    IndexUnavailable(String),
    /// Too many searches are queued (503, with `Retry-After`).
    #[error("too many searches at once: retry in {} s", .0.as_secs())]
    Busy(Duration),
    /// The request took longer than the server allows (503).
    #[error("the request took too long: at most {} ms", .0.as_millis())]
    Timeout(Duration),
    /// Anything else (500); the detail is logged, never sent.
    #[error("internal error")]
    Internal(String),
}

/// The JSON body of every error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable, machine-readable code: `bad_parameter`, `bad_query`,
    /// `not_found`, `method_not_allowed`, `payload_too_large`,
    /// `uri_too_long`, `no_index`, `index_unavailable`, `busy`, `timeout`,
    /// `internal`.
    pub code: String,
    /// A short message for people.
    pub message: String,
}

/// An error's internal detail, put into the response's extensions for the
/// logging middleware; never serialized.
#[derive(Debug, Clone)]
pub struct LoggedError {
    /// The status sent.
    pub status: StatusCode,
    /// The code sent.
    pub code: &'static str,
    /// What happened, with internal detail.
    pub detail: String,
}

impl ApiError {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        use ApiError::*;
        match self {
            BadParameter(_) | BadQuery(_) => StatusCode::BAD_REQUEST,
            NotFound(_) => StatusCode::NOT_FOUND,
            MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            UriTooLong(_) => StatusCode::URI_TOO_LONG,
            NoIndex | IndexUnavailable(_) | Busy(_) | Timeout(_) => StatusCode::SERVICE_UNAVAILABLE,
            Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The machine-readable code.
    pub fn code(&self) -> &'static str {
        use ApiError::*;
        match self {
            BadParameter(_) => "bad_parameter",
            BadQuery(_) => "bad_query",
            NotFound(_) => "not_found",
            MethodNotAllowed => "method_not_allowed",
            PayloadTooLarge(_) => "payload_too_large",
            UriTooLong(_) => "uri_too_long",
            NoIndex => "no_index",
            IndexUnavailable(_) => "index_unavailable",
            Busy(_) => "busy",
            Timeout(_) => "timeout",
            Internal(_) => "internal",
        }
    }

    fn detail(&self) -> String {
        match self {
            ApiError::IndexUnavailable(d) | ApiError::Internal(d) => d.clone(),
            other => other.to_string(),
        }
    }
}

impl From<search::Error> for ApiError {
    fn from(e: search::Error) -> ApiError {
        match e {
            search::Error::Query(q) => ApiError::BadQuery(q.to_string()),
            search::Error::BadParameter(m) => ApiError::BadParameter(m),
            other => ApiError::Internal(format!("search: {other}")),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code().to_string(),
                message: self.to_string(),
            },
        };
        let mut resp = (status, axum::Json(body)).into_response();
        let retry_after = match &self {
            ApiError::Busy(d) => Some(d.as_secs().max(1)),
            ApiError::Timeout(_) | ApiError::NoIndex | ApiError::IndexUnavailable(_) => Some(1),
            _ => None,
        };
        if let Some(secs) = retry_after {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        resp.extensions_mut().insert(LoggedError {
            status,
            code: self.code(),
            detail: self.detail(),
        });
        resp
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_detail_is_never_sent() {
        let e = ApiError::Internal("/secret/path: disk on fire".into());
        assert_eq!(e.to_string(), "internal error");
        let r = e.into_response();
        assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let logged = r.extensions().get::<LoggedError>().unwrap();
        assert!(logged.detail.contains("/secret/path"));
    }

    #[test]
    fn busy_says_when_to_retry() {
        let r = ApiError::Busy(Duration::from_secs(4)).into_response();
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(r.headers()[header::RETRY_AFTER], "4");
    }
}
