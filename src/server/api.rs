//! The JSON API's handlers: parameters in, [`crate::search`] types out.
//! Validation happens here, the work in `search` (on the blocking pool,
//! behind the [`Gate`](super::limits::Gate)).
use std::sync::Arc;
use std::time::Instant;

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::AppState;
use super::cache::Lookup as Cached;
use super::error::{ApiError, ErrorBody};
use crate::refs::DocNumber;
use crate::search::{DocumentView, Facets, Lookup, Request, SearchHit, Sort};
use crate::stats::Stats;

/// Parameters of `GET /api/search`. Empty values count as absent.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// The query, as for `vanban search`: words with or without diacritics,
    /// "quoted phrases", -exclusions, document numbers in any spelling,
    /// `cites:NUMBER`. At most 1,000 characters; empty lists every
    /// document (with the filters).
    pub q: Option<String>,
    /// Only documents of this kind ("Quyết định" or "quyet dinh").
    pub kind: Option<String>,
    /// Only documents with an issuer containing these words.
    pub issuer: Option<String>,
    /// Only documents dated in this year.
    #[param(value_type = Option<i32>)]
    pub year: Option<String>,
    /// Only documents dated on or after this day (YYYY-MM-DD or DD/MM/YYYY).
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<String>,
    /// Only documents dated on or before this day.
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<String>,
    /// `relevance` (default) or `date` (newest first).
    #[param(value_type = Option<Sort>)]
    pub sort: Option<String>,
    /// Hits to skip (at most 10,000).
    #[param(value_type = Option<usize>, maximum = 10000)]
    pub offset: Option<String>,
    /// Hits per page (default 10, at most 100).
    #[param(value_type = Option<usize>, maximum = 100)]
    pub limit: Option<String>,
    /// Only documents in this validity state: in_force, partly_expired,
    /// expired, replaced, repealed, suspended, not_yet_in_force, unknown
    /// (issue 12).
    #[param(value_type = Option<crate::status::State>)]
    pub status: Option<String>,
}

/// Parameters of `GET /api/documents/{id}` (issue 12).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DocumentParams {
    /// The status and history on this past day (YYYY-MM-DD or DD/MM/YYYY)
    /// instead of today.
    #[param(value_type = Option<String>, format = Date)]
    pub as_of: Option<String>,
}

/// Parameters of `GET /api/lookup`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LookupParams {
    /// A document number in any spelling ("23-QD/TW", "23 - QĐ/TW").
    pub number: Option<String>,
}

/// The answer of `GET /api/search`: the CLI's `--json` output plus facets.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SearchResult {
    /// The query as given.
    pub query: String,
    /// Number of matching documents.
    pub total: usize,
    /// Time to search, count, build snippets and facets, in milliseconds
    /// (to find the answer, when the same request was answered a moment
    /// ago on the same index state).
    pub took_ms: f64,
    /// The requested page of hits.
    pub hits: Vec<SearchHit>,
    /// Counts per kind, issuer and year; each with the other filters
    /// applied.
    pub facets: Facets,
    /// The query as searched when it was typed in Telex or VNI with the
    /// input method off ("nghij quyeets" → "nghị quyết").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interpreted_as: Option<String>,
    /// The document number parts understood ("Nghị định · số 1 · năm 2021").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub understood: Option<String>,
    /// A spelling with more hits, for a query with fewer than 3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub did_you_mean: Option<String>,
}

/// The answer of `GET /healthz`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Health {
    /// Always "ok" when the server answers.
    pub status: String,
    /// The generation open now (none before the first search of an index).
    pub generation: Option<u64>,
}

fn nonempty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

fn bad(name: &str, msg: impl std::fmt::Display) -> ApiError {
    ApiError::BadParameter(format!("{name}: {msg}"))
}

fn number<T: std::str::FromStr>(name: &str, v: Option<String>) -> Result<Option<T>, ApiError> {
    nonempty(v)
        .map(|s| s.parse().map_err(|_| bad(name, "not a whole number")))
        .transpose()
}

/// Parses `YYYY-MM-DD` or `DD/MM/YYYY`.
fn date(name: &str, v: Option<String>) -> Result<Option<NaiveDate>, ApiError> {
    nonempty(v)
        .map(|s| {
            NaiveDate::parse_from_str(&s, "%Y-%m-%d")
                .or_else(|_| NaiveDate::parse_from_str(&s, "%d/%m/%Y"))
                .map_err(|_| bad(name, "not a date (YYYY-MM-DD or DD/MM/YYYY)"))
        })
        .transpose()
}

fn params<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    q.map(|Query(p)| p)
        .map_err(|e| ApiError::BadParameter(format!("bad query string: {}", e.body_text())))
}

impl SearchParams {
    /// The search request, validated against `limits`.
    pub fn into_request(self, limits: &super::Limits) -> Result<Request, ApiError> {
        let q = self.q.unwrap_or_default();
        let chars = q.chars().count();
        if chars > limits.max_query_chars {
            return Err(bad(
                "q",
                format!("{chars} characters, at most {}", limits.max_query_chars),
            ));
        }
        let sort = match nonempty(self.sort).as_deref() {
            None | Some("relevance") => Sort::Relevance,
            Some("date") => Sort::Date,
            Some(_) => return Err(bad("sort", "must be relevance or date")),
        };
        let limit = number::<usize>("limit", self.limit)?.unwrap_or(limits.default_limit);
        if limit > limits.max_limit {
            return Err(bad("limit", format!("at most {}", limits.max_limit)));
        }
        let offset = number::<usize>("offset", self.offset)?.unwrap_or(0);
        if offset > limits.max_offset {
            return Err(bad("offset", format!("at most {}", limits.max_offset)));
        }
        let year = number::<i32>("year", self.year)?;
        if year.is_some_and(|y| !(0..=9999).contains(&y)) {
            return Err(bad("year", "out of range"));
        }
        let (from, to) = (date("from", self.from)?, date("to", self.to)?);
        let status = nonempty(self.status)
            .map(|s| {
                crate::status::State::parse(&s).ok_or_else(|| {
                    bad(
                        "status",
                        "one of in_force, partly_expired, expired, replaced, repealed, \
                         suspended, not_yet_in_force, unknown",
                    )
                })
            })
            .transpose()?;
        Ok(Request {
            status,
            q,
            kind: nonempty(self.kind),
            issuer: nonempty(self.issuer),
            year,
            from,
            to,
            sort,
            limit,
            offset,
        })
    }
}

/// Search, with facets.
#[utoipa::path(
    get,
    path = "/api/search",
    params(SearchParams),
    responses(
        (status = 200, description = "Hits and facets", body = SearchResult),
        (status = 400, description = "A bad parameter or query", body = ErrorBody),
        (status = 414, description = "The URI is too long", body = ErrorBody),
        (status = 503, description = "No index yet, too busy, or too slow", body = ErrorBody),
    )
)]
pub async fn search(
    State(state): State<AppState>,
    q: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Json<SearchResult>, ApiError> {
    let req = params(q)?.into_request(&state.limits)?;
    let engine = state.live.get().await?;
    // The same request answered earlier on this reader state: no search,
    // so no wait in line for one.
    let started = Instant::now();
    let page = match state.pages.lookup(&engine, &req) {
        Cached::Hit(result) => {
            return Ok(Json(SearchResult {
                took_ms: started.elapsed().as_secs_f64() * 1e3,
                ..SearchResult::clone(&result)
            }));
        }
        Cached::Miss(ticket) => ticket,
    };
    let cache = state.facets.clone();
    let pages = state.pages.clone();
    let result = state
        .gate
        .run(move || {
            let started = Instant::now();
            // Facets from the cache, else counted in the search's own pass
            // when no facet filter is set, else by their own queries.
            let (resp, facets) = match cache.lookup(&engine, &req) {
                Cached::Hit(facets) => (engine.search(&req)?, facets),
                Cached::Miss(ticket) => {
                    let (resp, counted) = engine.search_with_facets(&req)?;
                    let facets = match counted {
                        Some(f) => f,
                        None => engine.facets(&req)?,
                    };
                    cache.file(ticket, facets.clone());
                    (resp, facets)
                }
            };
            let result = SearchResult {
                query: resp.query,
                total: resp.total,
                took_ms: started.elapsed().as_secs_f64() * 1e3,
                hits: resp.hits,
                facets,
                interpreted_as: resp.interpreted_as,
                understood: resp.understood,
                did_you_mean: resp.did_you_mean,
            };
            pages.file(page, Arc::new(result.clone()));
            Ok(result)
        })
        .await?;
    Ok(Json(result))
}

/// Whether `id` can be a document id at all (ids are URL-safe).
fn plausible_id(id: &str) -> bool {
    (1..=128).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// One document with its citations both ways.
#[utoipa::path(
    get,
    path = "/api/documents/{id}",
    params(("id" = String, Path, description = "The document's opaque id"), DocumentParams),
    responses(
        (status = 200, description = "The document", body = DocumentView),
        (status = 404, description = "No document with this id", body = ErrorBody),
        (status = 503, description = "No index yet, or too busy", body = ErrorBody),
    )
)]
pub async fn document(
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: Result<Query<DocumentParams>, QueryRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let unknown = || ApiError::NotFound("no document with this id".into());
    if !plausible_id(&id) {
        return Err(unknown());
    }
    let as_of = date("as_of", params(query)?.as_of)?;
    let engine = state.live.get().await?;
    let view = state
        .gate
        .run(move || {
            let Some(view) = engine.document_view_as_of(&id, as_of)? else {
                return Ok(None);
            };
            // `DocumentView` flattens the `Document`, whose own `refs`
            // would be written next to the view's `refs` (the same
            // citations with `target_ids`): through a map, one key
            // remains, the view's.
            serde_json::to_value(&view)
                .map(Some)
                .map_err(|e| ApiError::Internal(format!("serializing a document: {e}")))
        })
        .await?;
    view.map(Json).ok_or_else(unknown)
}

/// The documents whose own number is the one given, and how many cite it.
#[utoipa::path(
    get,
    path = "/api/lookup",
    params(LookupParams),
    responses(
        (status = 200, description = "The number's documents", body = Lookup),
        (status = 400, description = "Missing or unparseable number", body = ErrorBody),
        (status = 503, description = "No index yet, or too busy", body = ErrorBody),
    )
)]
pub async fn lookup(
    State(state): State<AppState>,
    q: Result<Query<LookupParams>, QueryRejection>,
) -> Result<Json<Lookup>, ApiError> {
    let raw = nonempty(params(q)?.number).ok_or_else(|| bad("number", "required"))?;
    if raw.chars().count() > state.limits.max_query_chars {
        return Err(bad("number", "too long"));
    }
    let number: DocNumber = raw
        .parse()
        .map_err(|_| bad("number", "not a document number (e.g. 23-QĐ/TW)"))?;
    let engine = state.live.get().await?;
    let found = state.gate.run(move || Ok(engine.lookup(&number)?)).await?;
    Ok(Json(found))
}

/// What the data directory holds: the JSON of `vanban stats --json`.
#[utoipa::path(
    get,
    path = "/api/stats",
    responses(
        (status = 200, description = "Counts", body = Stats),
        (status = 503, description = "No index yet, or too busy", body = ErrorBody),
    )
)]
pub async fn stats(State(state): State<AppState>) -> Result<Json<Stats>, ApiError> {
    let engine = state.live.get().await?;
    let dd = state.live.data_dir().clone();
    let stats = state
        .gate
        .run(move || {
            crate::stats::collect(&dd, Some(&engine))
                .map_err(|e| ApiError::Internal(format!("stats: {e}")))
        })
        .await?;
    Ok(Json(stats))
}

/// Liveness: answers as long as the server runs.
#[utoipa::path(
    get,
    path = "/healthz",
    responses((status = 200, description = "The server runs", body = Health))
)]
pub async fn healthz(State(state): State<AppState>) -> Json<Health> {
    Json(Health {
        status: "ok".into(),
        generation: state.live.cached().map(|e| e.generation()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(pairs: &[(&str, &str)]) -> SearchParams {
        let qs = pairs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&");
        let uri: axum::http::Uri = format!("/api/search?{qs}").parse().unwrap();
        Query::<SearchParams>::try_from_uri(&uri).unwrap().0
    }

    #[test]
    fn parameters_are_validated() {
        let l = super::super::Limits::default();
        let r = p(&[("q", "dan+van"), ("year", "2021"), ("from", "01/02/2020")])
            .into_request(&l)
            .unwrap();
        assert_eq!(r.limit, 10);
        assert_eq!(r.year, Some(2021));
        assert_eq!(r.from, NaiveDate::from_ymd_opt(2020, 2, 1));
        let r = p(&[("kind", ""), ("sort", "date")])
            .into_request(&l)
            .unwrap();
        assert_eq!((r.kind, r.sort), (None, Sort::Date));
        for bad in [
            ("limit", "101"),
            ("limit", "-1"),
            ("offset", "10001"),
            ("year", "x"),
            ("from", "2020-13-01"),
            ("sort", "title"),
        ] {
            let e = p(&[bad]).into_request(&l).unwrap_err();
            assert!(matches!(e, ApiError::BadParameter(_)), "{bad:?}: {e}");
        }
    }

    #[test]
    fn ids_are_checked_before_any_lookup() {
        assert!(plausible_id("3fa2b1c0d9e8f7a6b5c4d3e2"));
        assert!(!plausible_id(""));
        assert!(!plausible_id("../etc/passwd"));
        assert!(!plausible_id(&"a".repeat(200)));
    }
}
