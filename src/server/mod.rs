//! The search service: an axum router over [`crate::search`] (the JSON API
//! and the researcher page), its limits and its errors. No business logic:
//! the handlers validate parameters, call `search` on the blocking pool and
//! serialize its types.
//!
//! Routes:
//! - `GET /api/search`: hits (the CLI's [`SearchHit`](crate::search::SearchHit))
//!   and facets;
//! - `GET /api/documents/{id}`: a document with its citations both ways;
//! - `GET /api/lookup?number=`: the documents of a number, and its citers;
//! - `GET /api/stats`: `vanban stats --json`;
//! - `GET /api/openapi.json`, `GET /healthz`;
//! - `GET /` the page, with `/page.js` and `/page.css` (no inline script,
//!   a strict Content-Security-Policy, nothing loaded from elsewhere).
//!
//! Files: `api` (handlers), `cache` (facet counts and pages of hits), `error` (`ApiError`), `limits` (limits and the
//! search gate), `live` (the engine, reopened on a new generation),
//! `openapi`, and the page (`index.html`, `page.js`, `page.css`).
pub mod api;
pub mod cache;
pub mod error;
pub mod limits;
pub mod live;
pub mod openapi;

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use cache::{FacetCache, PageCache};
pub use error::ApiError;
pub use limits::{Gate, Limits};
pub use live::LiveEngine;

use crate::datadir::DataDir;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The engine over the live generation.
    pub live: Arc<LiveEngine>,
    /// The cap on searches running at once.
    pub gate: Arc<Gate>,
    /// Facet counts of recent queries.
    pub facets: Arc<FacetCache>,
    /// Answers of recent searches.
    pub pages: Arc<PageCache>,
    /// The limits.
    pub limits: Arc<Limits>,
}

impl AppState {
    /// The state for serving `dd` under `limits`.
    pub fn new(dd: DataDir, limits: Limits) -> AppState {
        AppState {
            live: Arc::new(LiveEngine::new(dd, limits.reload_interval)),
            gate: Arc::new(Gate::new(limits.max_searches, limits.max_queue_wait)),
            facets: Arc::new(FacetCache::new(limits.facet_cache_entries)),
            pages: Arc::new(PageCache::new(limits.page_cache_entries)),
            limits: Arc::new(limits),
        }
    }
}

/// The Content-Security-Policy of the page: its own script and style only,
/// API calls to itself, nothing else.
pub const PAGE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

const INDEX_HTML: &str = include_str!("index.html");
const PAGE_JS: &str = include_str!("page.js");
const PAGE_CSS: &str = include_str!("page.css");

/// The whole application: routes, limits, compression, logging.
pub fn app(state: AppState) -> Router {
    let api = Router::new()
        .route("/api/search", get(api::search))
        .route("/api/documents/{id}", get(api::document))
        .route("/api/lookup", get(api::lookup))
        .route("/api/stats", get(api::stats))
        .route("/api/openapi.json", get(openapi_json))
        .route("/healthz", get(api::healthz))
        .route("/", get(page))
        .route("/page.js", get(page_js))
        .route("/page.css", get(page_css))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed);
    api.layer(middleware::from_fn_with_state(state.clone(), timeout))
        .layer(RequestBodyLimitLayer::new(state.limits.max_body_bytes))
        .layer(middleware::from_fn_with_state(state.clone(), size_limits))
        .layer(middleware::from_fn(log_errors))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("referrer-policy"),
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let path = req
                .extensions()
                .get::<MatchedPath>()
                .map(MatchedPath::as_str)
                .unwrap_or("unmatched");
            tracing::info_span!("http", method = %req.method(), path)
        }))
        .with_state(state)
}

/// Serves `app(state)` on `listener` until `shutdown` completes, then
/// finishes the requests in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown)
        .await
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

async fn not_found() -> ApiError {
    ApiError::NotFound("no such route".into())
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

/// 503 `timeout` past [`Limits::request_timeout`].
async fn timeout(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let limit = state.limits.request_timeout;
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(resp) => resp,
        Err(_) => ApiError::Timeout(limit).into_response(),
    }
}

/// 414 past [`Limits::max_uri_bytes`], 413 past [`Limits::max_body_bytes`]
/// (by `Content-Length`; the body limit layer inside it stops any longer
/// body that a route would read).
async fn size_limits(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let uri_len = req.uri().path_and_query().map_or(0, |pq| pq.as_str().len());
    if uri_len > state.limits.max_uri_bytes {
        return ApiError::UriTooLong(state.limits.max_uri_bytes).into_response();
    }
    let body_len = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if body_len.is_some_and(|n| n > state.limits.max_body_bytes as u64) {
        return ApiError::PayloadTooLarge(state.limits.max_body_bytes).into_response();
    }
    next.run(req).await
}

/// Logs the internal detail of errors, which the client never sees.
async fn log_errors(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    if let Some(e) = resp.extensions_mut().remove::<error::LoggedError>() {
        if e.status.is_server_error() {
            tracing::error!(status = %e.status, code = e.code, detail = %e.detail, "request failed");
        } else {
            tracing::debug!(status = %e.status, code = e.code, detail = %e.detail, "request refused");
        }
    }
    resp
}

async fn openapi_json() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        openapi::json(),
    )
        .into_response()
}

async fn page() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, PAGE_CSP),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        INDEX_HTML,
    )
        .into_response()
}

async fn page_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        PAGE_JS,
    )
        .into_response()
}

async fn page_css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        PAGE_CSS,
    )
        .into_response()
}
