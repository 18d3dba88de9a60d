//! The OpenAPI description of the API, generated from the handlers'
//! annotations and the response types themselves (utoipa), so it cannot
//! drift from what the server sends. Served at `GET /api/openapi.json`.
use std::sync::LazyLock;

use utoipa::OpenApi;

use super::api;
use super::error::{ErrorBody, ErrorDetail};

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "vanban",
        description = "Search Vietnamese Party and state directive documents: \
                       full text with or without diacritics, document numbers in \
                       any spelling, facets, and the citation graph."
    ),
    paths(api::search, api::document, api::lookup, api::stats, api::healthz),
    components(schemas(ErrorBody, ErrorDetail))
)]
pub struct ApiDoc;

/// The description as JSON, built once.
pub fn json() -> &'static str {
    static JSON: LazyLock<String> = LazyLock::new(|| {
        let mut doc = ApiDoc::openapi();
        doc.info.version = env!("CARGO_PKG_VERSION").to_string();
        doc.to_json().unwrap_or_else(|_| "{}".to_string())
    });
    &JSON
}
