//! The HTTP API, through the router with no socket
//! (`tower::ServiceExt::oneshot`): every endpoint, every error status, every
//! limit, the OpenAPI description against real responses, the hostile
//! fixture, and picking up new index generations without a restart.
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;
use vanban::search::{Request as SearchRequest, Sort};
use vanban::server::{AppState, Limits, app};

use crate::util::{Data, repo};

// Search: hits, semantics, facets, paging.
mod search;
// Documents, lookup, stats, health and the page.
mod documents;
// Parameters, limits, the gate, timeouts, gzip.
mod limits;
// The hostile fixture.
mod hostile;
// No index yet, then new generations without a restart.
mod reload;
// The OpenAPI description against real responses.
mod openapi;
// `vanban serve` and `vanban demo` through the binary.
mod binary;

/// The demo corpus plus the hostile pages, ingested once.
fn demo() -> &'static Data {
    static DATA: OnceLock<Data> = OnceLock::new();
    DATA.get_or_init(|| {
        let d = Data::new();
        let r = d.ingest(&[repo("fixtures/demo"), repo("fixtures/hostile")]);
        assert_eq!((r.inserted, r.failed), (17, 0), "{r:?}");
        d
    })
}

fn router(d: &Data) -> Router {
    app(AppState::new(d.dd.clone(), Limits::default()))
}

struct Resp {
    status: StatusCode,
    headers: HeaderMap,
    bytes: Vec<u8>,
}

impl Resp {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.bytes)))
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}

async fn send(app: &Router, req: Request<Body>) -> Resp {
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    Resp {
        status,
        headers,
        bytes,
    }
}

async fn get(app: &Router, uri: &str) -> Resp {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

/// `uri` with `q` percent-encoded.
fn search_uri(q: &str, rest: &str) -> String {
    let mut s = String::from("/api/search?q=");
    for b in q.bytes() {
        if b.is_ascii_alphanumeric() {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s.push_str(rest);
    s
}

fn enc(s: &str) -> String {
    search_uri(s, "")["/api/search?q=".len()..].to_string()
}

/// Checks the error shape and that nothing internal leaks.
fn assert_error(r: &Resp, status: StatusCode, code: &str) {
    assert_eq!(r.status, status, "{}", r.text());
    assert!(
        r.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json"),
        "{:?}",
        r.headers
    );
    let v = r.json();
    let obj = v.as_object().unwrap();
    assert_eq!(obj.keys().collect::<Vec<_>>(), ["error"], "{v}");
    let mut keys: Vec<&String> = v["error"].as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["code", "message"], "{v}");
    assert_eq!(v["error"]["code"], code, "{v}");
    let msg = v["error"]["message"].as_str().unwrap();
    for leak in ["/tmp", "/work", "src/", "panicked", "backtrace", ".rs:"] {
        assert!(!msg.contains(leak), "{leak:?} leaks in {msg:?}");
    }
}

fn hit_ids(v: &Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect()
}

fn id_of_number(number: &str) -> String {
    let n: vanban::refs::DocNumber = number.parse().unwrap();
    let docs = demo().engine().lookup(&n).unwrap().documents;
    assert_eq!(docs.len(), 1, "{number}");
    docs[0].id.clone()
}
