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

#[tokio::test]
async fn search_answers_the_cli_hits_and_facets() {
    let d = demo();
    let app = router(d);
    let r = get(&app, "/api/search?q=cong+tac+dan+van&limit=5").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let v = r.json();
    let mut keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["facets", "hits", "query", "took_ms", "total"]);
    assert_eq!(v["query"], "cong tac dan van");
    assert_eq!(v["hits"].as_array().unwrap().len(), 5);
    let mut fk: Vec<&String> = v["facets"].as_object().unwrap().keys().collect();
    fk.sort();
    assert_eq!(fk, ["issuer", "kind", "status", "year"]);

    // Exactly what `vanban search --json` prints, field for field.
    let out = Command::new(env!("CARGO_BIN_EXE_vanban"))
        .env_remove("VANBAN_DATA_DIR")
        .arg("--data-dir")
        .arg(d.dd.root())
        .args(["search", "cong tac dan van", "--json", "--limit", "5"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let cli: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["total"], cli["total"]);
    assert_eq!(v["hits"], cli["hits"], "the API's hits are the CLI's");
    for h in v["hits"].as_array().unwrap() {
        let id = h["id"].as_str().unwrap();
        assert!(
            id.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
            "ids are URL-safe: {id}"
        );
    }
}

#[tokio::test]
async fn search_has_the_cli_semantics_and_filters() {
    let d = demo();
    let app = router(d);
    let engine = d.engine();
    let year = |y| Some(y);
    let cases: Vec<(&str, &str, SearchRequest)> = vec![
        ("dân vận", "", SearchRequest::default()),
        ("dan van", "", SearchRequest::default()),
        ("\"dân vận khéo\"", "", SearchRequest::default()),
        ("dan van -covid", "", SearchRequest::default()),
        ("23 - QĐ/TW", "", SearchRequest::default()),
        ("23-QD/TW", "", SearchRequest::default()),
        ("cites:312-QĐ/TU", "", SearchRequest::default()),
        ("-23-QĐ/TW dân vận", "", SearchRequest::default()),
        (
            "dan van",
            "&kind=quyet+dinh",
            SearchRequest {
                kind: Some("quyet dinh".into()),
                ..Default::default()
            },
        ),
        (
            "dan van",
            "&issuer=Ban+Th%C6%B0%E1%BB%9Dng+v%E1%BB%A5",
            SearchRequest {
                issuer: Some("Ban Thường vụ".into()),
                ..Default::default()
            },
        ),
        (
            "",
            "&year=2022&sort=date",
            SearchRequest {
                year: year(2022),
                sort: Sort::Date,
                ..Default::default()
            },
        ),
        (
            "dan van",
            "&from=2020-01-01&to=31/12/2022&sort=date",
            SearchRequest {
                from: chrono::NaiveDate::from_ymd_opt(2020, 1, 1),
                to: chrono::NaiveDate::from_ymd_opt(2022, 12, 31),
                sort: Sort::Date,
                ..Default::default()
            },
        ),
    ];
    for (q, rest, base) in cases {
        let r = get(&app, &search_uri(q, &format!("{rest}&limit=100"))).await;
        assert_eq!(r.status, StatusCode::OK, "{q:?}{rest}: {}", r.text());
        let v = r.json();
        let want = engine
            .search(&SearchRequest {
                q: q.into(),
                limit: 100,
                ..base.clone()
            })
            .unwrap();
        assert_eq!(v["total"], want.total, "{q:?}{rest}");
        let ids: Vec<String> = want.hits.iter().map(|h| h.id.clone()).collect();
        assert_eq!(hit_ids(&v), ids, "{q:?}{rest}");
        let facets = engine
            .facets(&SearchRequest {
                q: q.into(),
                ..base
            })
            .unwrap();
        assert_eq!(v["facets"], serde_json::to_value(&facets).unwrap());
    }
    // A number in any spelling finds its own document first.
    for q in ["312-QĐ/TU", "312-QD/TU", "312 - QĐ/TU", "312–qđ/tu"] {
        let v = get(&app, &search_uri(q, "")).await.json();
        assert_eq!(
            v["hits"][0]["number"], "312-QĐ/TU",
            "{q:?}: {}",
            v["hits"][0]
        );
    }
}

#[tokio::test]
async fn facets_count_with_the_other_filters_applied() {
    let app = router(demo());
    let all = get(&app, "/api/search?q=dan+van").await.json();
    let kinds = all["facets"]["kind"].as_object().unwrap().clone();
    assert!(kinds.len() > 2, "{kinds:?}");
    let qd = kinds["Quyết định"].as_u64().unwrap();
    let v = get(
        &app,
        "/api/search?q=dan+van&kind=Quy%E1%BA%BFt+%C4%91%E1%BB%8Bnh",
    )
    .await
    .json();
    assert_eq!(v["total"].as_u64().unwrap(), qd);
    // The kind facet ignores its own filter: every kind still shows.
    assert_eq!(v["facets"]["kind"].as_object().unwrap(), &kinds);
    // The other facets count only the Quyết định documents.
    let years: u64 = v["facets"]["year"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(years, qd);
    // A document counts once for each of its issuers.
    let e = demo().engine();
    let docs = e
        .search(&SearchRequest {
            q: "dan van".into(),
            limit: 100,
            ..Default::default()
        })
        .unwrap();
    let issuer_total: usize = docs.hits.iter().map(|h| h.issuers.len()).sum();
    let counted: u64 = all["facets"]["issuer"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(counted as usize, issuer_total);
}

#[test]
fn the_facet_cache_answers_what_the_engine_counts_and_stays_bounded() {
    let engine = demo().engine();
    let cache = vanban::server::FacetCache::new(2);
    for round in 0..2 {
        for q in ["dan van", "quyet dinh", "", "tinh uy", "23-QĐ/TW"] {
            let req = SearchRequest {
                q: q.into(),
                year: (round == 1).then_some(2022),
                ..Default::default()
            };
            assert_eq!(
                cache.facets(&engine, &req).unwrap(),
                engine.facets(&req).unwrap(),
                "{q:?}"
            );
            assert!(cache.len() <= 2);
        }
    }
}

#[tokio::test]
async fn pages_through_results() {
    let app = router(demo());
    let all = get(&app, "/api/search?q=dan+van&limit=100").await.json();
    let ids = hit_ids(&all);
    assert!(ids.len() > 6);
    let page = get(&app, "/api/search?q=dan+van&offset=3&limit=3")
        .await
        .json();
    assert_eq!(hit_ids(&page), ids[3..6]);
    assert_eq!(page["total"], all["total"]);
    let default = get(&app, "/api/search?q=dan+van").await.json();
    assert_eq!(hit_ids(&default).len(), 10, "default page size");
    let past = get(&app, "/api/search?q=dan+van&offset=10000").await.json();
    assert_eq!(hit_ids(&past).len(), 0);
}

#[tokio::test]
async fn a_document_with_its_citations_both_ways() {
    let app = router(demo());
    let id = id_of_number("312-QĐ/TU");
    let r = get(&app, &format!("/api/documents/{id}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // One `refs` key only: the outgoing citations with their targets.
    assert_eq!(r.text().matches("\"refs\":").count(), 1);
    let v = r.json();
    assert_eq!(v["id"], id.as_str());
    assert_eq!(v["number"], "312-QĐ/TU");
    assert_eq!(v["kind"], "Quyết định");
    assert_eq!(v["issued"], "2021-12-20");
    assert!(
        v["body"]
            .as_str()
            .unwrap()
            .contains("thay thế Quyết định số 128-QĐ/TU")
    );
    assert!(v["attachments"].is_array());
    // What it cites: relation and resolved ids.
    let refs = v["refs"].as_array().unwrap();
    let find = |n: &str| {
        refs.iter()
            .find(|r| r["number"] == n)
            .unwrap_or_else(|| panic!("{n} in {refs:?}"))
    };
    assert_eq!(find("128-QĐ/TU")["relation"], "replaces");
    assert_eq!(
        find("128-QĐ/TU")["target_ids"],
        serde_json::json!([id_of_number("128-QĐ/TU")])
    );
    assert_eq!(find("15-KH/TU")["relation"], "basis");
    assert_eq!(find("23-QĐ/TW")["target_ids"], serde_json::json!([]));
    // What cites it, newest first, with the relation.
    let cited_by = v["cited_by"].as_array().unwrap();
    assert!(cited_by.len() >= 4, "{cited_by:?}");
    assert_eq!(
        v["cited_by_count"].as_u64().unwrap() as usize,
        cited_by.len()
    );
    let hd = cited_by
        .iter()
        .find(|c| c["number"] == "09-HD/BDVTU")
        .unwrap();
    assert_eq!(hd["id"], id_of_number("09-HD/BDVTU").as_str());
    for c in cited_by {
        assert!(!c["relation"].as_str().unwrap().is_empty(), "{c}");
    }
    // The view the library builds, and nothing else.
    let want = demo().engine().document_view(&id).unwrap().unwrap();
    assert_eq!(v, serde_json::to_value(&want).unwrap());
    let dates: Vec<&str> = cited_by
        .iter()
        .map(|c| c["date"].as_str().unwrap_or(""))
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted, "newest first");
}

#[tokio::test]
async fn unknown_documents_are_404() {
    let app = router(demo());
    for uri in [
        "/api/documents/000000000000000000000000",
        "/api/documents/..%2F..%2Fetc%2Fpasswd",
        "/api/documents/%3Cscript%3E",
        &format!("/api/documents/{}", "a".repeat(300)),
    ] {
        assert_error(&get(&app, uri).await, StatusCode::NOT_FOUND, "not_found");
    }
    assert_error(
        &get(&app, "/api/nothing").await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
}

#[tokio::test]
async fn lookup_by_number_in_any_spelling() {
    let app = router(demo());
    for spelling in ["23-QD/TW", "23 - QĐ/TW", "23-qđ/tw", "Số: 23-QĐ/TW"] {
        let r = get(&app, &format!("/api/lookup?number={}", enc(spelling))).await;
        assert_eq!(r.status, StatusCode::OK, "{spelling}: {}", r.text());
        let v = r.json();
        let mut keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(keys, ["cited_by_count", "documents", "key", "number"]);
        assert_eq!(v["number"], "23-QĐ/TW", "{spelling}");
        assert_eq!(v["key"], "23-qd/tw");
        assert_eq!(v["documents"], serde_json::json!([]), "not in the demo");
        assert_eq!(
            v["cited_by_count"], 4,
            "KH 15, the news report, QĐ 312, HD 09"
        );
    }
    let v = get(&app, "/api/lookup?number=312+-+Q%C4%90%2FTU")
        .await
        .json();
    assert_eq!(v["documents"].as_array().unwrap().len(), 1);
    assert_eq!(v["documents"][0]["number"], "312-QĐ/TU");
    // A lookup hit is a search hit.
    let mut keys: Vec<&String> = v["documents"][0].as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "date",
            "id",
            "issued",
            "issuers",
            "kind",
            "number",
            "published",
            "score",
            "snippet",
            "source",
            "status",
            "title"
        ]
    );
    assert_eq!(
        v["cited_by_count"], 5,
        "four demo documents and the hostile page"
    );
    for bad in [
        "/api/lookup?number=hello",
        "/api/lookup?number=",
        "/api/lookup",
    ] {
        assert_error(
            &get(&app, bad).await,
            StatusCode::BAD_REQUEST,
            "bad_parameter",
        );
    }
}

#[tokio::test]
async fn stats_are_the_cli_stats() {
    let d = demo();
    let app = router(d);
    let r = get(&app, "/api/stats").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    let engine = d.engine();
    let want = vanban::stats::collect(&d.dd, Some(&engine)).unwrap();
    let mut want = serde_json::to_value(&want).unwrap();
    // The store's size may move with SQLite's checkpoints.
    want["store_bytes"] = v["store_bytes"].clone();
    assert_eq!(v, want);
    assert_eq!(v["documents"], 17);
    assert_eq!(v["generation"], 1);
    for k in [
        "documents",
        "pages",
        "citations",
        "resolved_citations",
        "by_kind",
        "by_year",
        "generation",
        "store_bytes",
        "last_crawl",
    ] {
        assert!(v.get(k).is_some(), "{k}");
    }
}

#[tokio::test]
async fn healthz_and_the_page() {
    let app = router(demo());
    let r = get(&app, "/healthz").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["status"], "ok");

    let r = get(&app, "/").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let csp = r.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    for part in [
        "default-src 'none'",
        "script-src 'self'",
        "connect-src 'self'",
    ] {
        assert!(csp.contains(part), "{csp}");
    }
    assert!(!csp.contains("unsafe"), "{csp}");
    assert_eq!(r.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let html = r.text();
    assert!(html.contains("<html lang=\"vi\">"));
    assert!(html.contains("name=\"viewport\""), "phone-width viewport");
    // No inline script, nothing from elsewhere.
    assert_eq!(html.matches("<script").count(), 1);
    assert!(html.contains("<script src=\"/page.js\""));
    for far in ["http://", "https://", "//cdn", "fonts.googleapis"] {
        assert!(!html.contains(far), "{far} in the page");
    }

    let js = get(&app, "/page.js").await;
    assert!(
        js.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    let js = js.text();
    // Untrusted text only ever goes through textContent.
    for sink in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
    ] {
        assert!(!js.contains(sink), "{sink} in page.js");
    }
    for words in [
        "Văn bản được dẫn chiếu",
        "Văn bản dẫn chiếu đến",
        "Sửa đổi, bổ sung",
    ] {
        assert!(js.contains(words), "{words}");
    }
    let css = get(&app, "/page.css").await;
    assert!(
        css.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    assert!(css.text().contains("@media (max-width"));
}

#[tokio::test]
async fn bad_parameters_are_400() {
    let app = router(demo());
    for (uri, code) in [
        ("/api/search?q=dan&limit=101", "bad_parameter"),
        ("/api/search?q=dan&limit=-1", "bad_parameter"),
        ("/api/search?q=dan&limit=ten", "bad_parameter"),
        ("/api/search?q=dan&offset=10001", "bad_parameter"),
        ("/api/search?q=dan&year=MMXXI", "bad_parameter"),
        ("/api/search?q=dan&from=2021-02-30", "bad_parameter"),
        ("/api/search?q=dan&to=yesterday", "bad_parameter"),
        ("/api/search?q=dan&sort=title", "bad_parameter"),
        ("/api/search?q=a&q=b", "bad_parameter"),
        ("/api/search?q=cites%3A", "bad_query"),
    ] {
        assert_error(&get(&app, uri).await, StatusCode::BAD_REQUEST, code);
    }
}

#[tokio::test]
async fn limits_at_and_past_the_edge() {
    let app = router(demo());
    // q: 1,000 characters pass (accented ones too), 1,001 do not.
    let q = "dân ".repeat(250);
    assert_eq!(q.chars().count(), 1000);
    let r = get(&app, &search_uri(&q, "")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let q = format!("{q}x");
    let r = get(&app, &search_uri(&q, "")).await;
    assert_error(&r, StatusCode::BAD_REQUEST, "bad_parameter");
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("1000")
    );
    // limit 100 and offset 10,000 pass.
    let r = get(&app, "/api/search?q=dan&limit=100&offset=10000").await;
    assert_eq!(r.status, StatusCode::OK);
    // An oversized URI is 414, an oversized body 413.
    let long = format!("/api/search?q=dan&pad={}", "x".repeat(20_000));
    assert_error(
        &get(&app, &long).await,
        StatusCode::URI_TOO_LONG,
        "uri_too_long",
    );
    let body = vec![b'x'; 1 << 20];
    let req = Request::post("/api/search")
        .header(header::CONTENT_LENGTH, body.len())
        .body(Body::from(body))
        .unwrap();
    assert_error(
        &send(&app, req).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
    );
    // Wrong method.
    let req = Request::post("/api/search").body(Body::empty()).unwrap();
    assert_error(
        &send(&app, req).await,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    );
}

#[tokio::test]
async fn a_full_gate_queues_briefly_then_answers_503_with_retry_after() {
    let limits = Limits {
        max_searches: 1,
        max_queue_wait: Duration::from_millis(300),
        ..Limits::default()
    };
    let state = AppState::new(demo().dd.clone(), limits);
    let app = app(state.clone());
    // Warm the engine so the search itself is quick.
    assert_eq!(get(&app, "/api/search?q=dan").await.status, StatusCode::OK);

    let held = state.gate.hold(1).await;
    let started = Instant::now();
    let r = get(&app, "/api/search?q=dan").await;
    assert_error(&r, StatusCode::SERVICE_UNAVAILABLE, "busy");
    assert!(
        r.headers[header::RETRY_AFTER]
            .to_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
            >= 1
    );
    assert!(
        started.elapsed() >= Duration::from_millis(250),
        "it queued first"
    );

    // A short wait in line is served.
    let app2 = app.clone();
    let queued = tokio::spawn(async move { get(&app2, "/api/search?q=dan").await });
    // Wait for the event (the request is in line), not for a pause.
    while state.gate.waiting() == 0 && !queued.is_finished() {
        tokio::task::yield_now().await;
    }
    assert_eq!(state.gate.waiting(), 1);
    drop(held);
    assert_eq!(queued.await.unwrap().status, StatusCode::OK);
}

#[tokio::test]
async fn a_slow_request_times_out_as_json() {
    let limits = Limits {
        max_searches: 1,
        max_queue_wait: Duration::from_secs(30),
        request_timeout: Duration::from_millis(200),
        ..Limits::default()
    };
    let state = AppState::new(demo().dd.clone(), limits);
    let app = app(state.clone());
    let _held = state.gate.hold(1).await;
    let started = Instant::now();
    let r = get(&app, "/api/search?q=dan").await;
    // `timeout`, not `busy`: the request timeout (200 ms) ended the wait
    // in line (30 s); it did not fire early.
    assert_error(&r, StatusCode::SERVICE_UNAVAILABLE, "timeout");
    assert!(started.elapsed() >= Duration::from_millis(200));
    // Routes that need no search are not held up.
    assert_eq!(get(&app, "/healthz").await.status, StatusCode::OK);
}

#[tokio::test]
async fn responses_are_gzipped_when_asked() {
    let app = router(demo());
    let req = Request::get("/api/search?q=dan+van&limit=20")
        .header(header::ACCEPT_ENCODING, "gzip")
        .body(Body::empty())
        .unwrap();
    let r = send(&app, req).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers[header::CONTENT_ENCODING], "gzip");
    let mut plain = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&r.bytes[..]), &mut plain)
        .unwrap();
    let v: Value = serde_json::from_str(&plain).unwrap();
    assert!(v["total"].as_u64().unwrap() > 0);
    let r = get(&app, "/api/search?q=dan+van&limit=20").await;
    assert!(r.headers.get(header::CONTENT_ENCODING).is_none());
}

#[tokio::test]
async fn the_hostile_page_comes_back_as_inert_text() {
    let app = router(demo());
    let v = get(&app, &search_uri("\"ma doc kiem thu\"", ""))
        .await
        .json();
    assert_eq!(v["total"], 2);
    assert_eq!(v["hits"].as_array().unwrap().len(), 2);
    for h in v["hits"].as_array().unwrap() {
        assert!(
            h["source"].as_str().unwrap().contains("fixtures/hostile/"),
            "{h}"
        );
        // Titles are plain text (the page escapes them); they hold the
        // markup as characters.
        assert!(
            h["title"].as_str().unwrap().contains("</mark><script>"),
            "{h}"
        );
        // Snippets: <mark> and </mark> are the only tags.
        let snippet = h["snippet"].as_str().unwrap();
        assert!(snippet.contains("<mark>"), "{snippet}");
        let bare = snippet.replace("<mark>", "").replace("</mark>", "");
        assert!(!bare.contains('<') && !bare.contains('>'), "{snippet}");
        assert!(
            snippet.contains("&lt;script&gt;") || snippet.contains("&lt;img"),
            "{snippet}"
        );
    }
    // The document: as text, with `javascript:` links never made
    // attachments.
    let page = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["source"].as_str().unwrap().ends_with(".html"))
        .unwrap();
    let r = get(
        &app,
        &format!("/api/documents/{}", page["id"].as_str().unwrap()),
    )
    .await;
    assert!(
        r.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    assert_eq!(r.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let d = r.json();
    assert!(
        d["body"]
            .as_str()
            .unwrap()
            .contains("<script>window.__pwned='body'</script>")
    );
    assert!(
        !d["body"].as_str().unwrap().contains("body-script"),
        "real scripts are dropped"
    );
    for a in d["attachments"].as_array().unwrap() {
        assert!(
            !a["url"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .starts_with("javascript:"),
            "{a}"
        );
    }
}

#[tokio::test]
async fn no_index_is_503_until_one_appears_then_new_generations_are_served() {
    let d = Data::new();
    let limits = Limits {
        reload_interval: Duration::ZERO,
        ..Limits::default()
    };
    let app = app(AppState::new(d.dd.clone(), limits));
    for uri in [
        "/api/search?q=dan",
        "/api/documents/000000000000000000000000",
        "/api/lookup?number=23-QD/TW",
        "/api/stats",
    ] {
        let r = get(&app, uri).await;
        assert_error(&r, StatusCode::SERVICE_UNAVAILABLE, "no_index");
    }
    assert_eq!(get(&app, "/healthz").await.status, StatusCode::OK);
    assert_eq!(get(&app, "/api/openapi.json").await.status, StatusCode::OK);

    // Another process ingests: served without a restart.
    let vanban = |args: &[&str], path: &std::path::Path| {
        let out = Command::new(env!("CARGO_BIN_EXE_vanban"))
            .env_remove("VANBAN_DATA_DIR")
            .arg("--data-dir")
            .arg(d.dd.root())
            .args(args)
            .arg(path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    vanban(&["ingest"], &repo("fixtures/demo"));
    let v = get(&app, "/api/search?q=dan+van").await.json();
    assert!(v["total"].as_u64().unwrap() > 0, "{v}");
    assert_eq!(get(&app, "/healthz").await.json()["generation"], 1);

    let year_2023 = |v: &Value| v["facets"]["year"]["2023"].as_u64().unwrap_or(0);
    let before = year_2023(&get(&app, "/api/search?q=").await.json());

    // A commit within the live generation: the reader reloads by itself.
    vanban(&["ingest"], &repo("fixtures/hostile/hostile-note.txt"));
    let found = poll(|| async {
        get(&app, &search_uri("\"ma doc kiem thu\"", ""))
            .await
            .json()["total"]
            .as_u64()
            .unwrap()
            > 0
    })
    .await;
    assert!(found, "a commit in the live generation is searched");
    let after = get(&app, "/api/search?q=").await.json();
    assert_eq!(
        year_2023(&after),
        before + 1,
        "facets are not served stale from the cache"
    );

    // A new generation (as a full reindex makes): the server switches.
    std::fs::remove_file(d.dd.root().join("CURRENT")).unwrap();
    assert_eq!(
        get(&app, "/api/search?q=dan+van").await.status,
        StatusCode::OK,
        "keeps serving while CURRENT is being replaced"
    );
    vanban(&["ingest"], &repo("fixtures/hostile/hostile-page.html"));
    assert_eq!(d.dd.current().unwrap(), Some(2));
    let v = get(&app, "/api/stats").await.json();
    assert_eq!(v["generation"], 2);
    assert_eq!(get(&app, "/healthz").await.json()["generation"], 2);
    let v = get(&app, &search_uri("\"ma doc kiem thu\"", ""))
        .await
        .json();
    assert_eq!(v["total"], 2, "generation 2 has both hostile pages: {v}");
}

async fn poll<F, Fut>(mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if check().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

// ---- OpenAPI ----

/// Checks `value` against an OpenAPI 3.1 schema (the JSON Schema subset
/// utoipa emits). `strict`: objects may hold no property the schema does
/// not declare, so the description cannot miss a field the server sends.
fn validate(
    root: &Value,
    schema: &Value,
    value: &Value,
    path: &str,
    strict: bool,
    errs: &mut Vec<String>,
) {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/components/schemas/");
        let target = &root["components"]["schemas"][name];
        assert!(!target.is_null(), "unresolved {r}");
        return validate(root, target, value, path, strict, errs);
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        for s in all {
            validate(root, s, value, path, false, errs);
        }
        if strict && let Some(obj) = value.as_object() {
            let declared = declared(root, schema);
            for k in obj.keys() {
                if !declared.contains(k) {
                    errs.push(format!("{path}.{k}: not in the schema"));
                }
            }
        }
        return;
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(alts) = schema.get(key).and_then(Value::as_array) {
            let ok = alts.iter().any(|s| {
                let mut e = Vec::new();
                validate(root, s, value, path, strict, &mut e);
                e.is_empty()
            });
            if !ok {
                errs.push(format!("{path}: matches no {key} alternative: {value}"));
            }
            return;
        }
    }
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let ok = types.iter().any(|t| match *t {
            "null" => value.is_null(),
            "string" => value.is_string(),
            "boolean" => value.is_boolean(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            _ => false,
        });
        if !ok {
            errs.push(format!("{path}: {value} is not {types:?}"));
            return;
        }
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array)
        && !e.contains(value)
    {
        errs.push(format!("{path}: {value} not in {e:?}"));
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), value.as_array()) {
        for (i, v) in arr.iter().enumerate() {
            validate(root, items, v, &format!("{path}[{i}]"), strict, errs);
        }
    }
    if let Some(obj) = value.as_object() {
        let props = schema.get("properties").and_then(Value::as_object);
        for r in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let r = r.as_str().unwrap();
            if !obj.contains_key(r) {
                errs.push(format!("{path}.{r}: required, missing"));
            }
        }
        for (k, v) in obj {
            match (
                props.and_then(|p| p.get(k)),
                schema.get("additionalProperties"),
            ) {
                (Some(s), _) => validate(root, s, v, &format!("{path}.{k}"), strict, errs),
                (None, Some(extra)) if extra.is_object() => {
                    validate(root, extra, v, &format!("{path}.{k}"), strict, errs)
                }
                (None, Some(Value::Bool(true))) => {}
                (None, _) if strict && props.is_some() => {
                    errs.push(format!("{path}.{k}: not in the schema"))
                }
                _ => {}
            }
        }
    }
}

/// Every property an (allOf, $ref) schema declares.
fn declared(root: &Value, schema: &Value) -> Vec<String> {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/components/schemas/");
        return declared(root, &root["components"]["schemas"][name]);
    }
    let mut out: Vec<String> = schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    for s in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        out.extend(declared(root, s));
    }
    out
}

fn response_schema<'a>(spec: &'a Value, path: &str, status: &str) -> &'a Value {
    let s =
        &spec["paths"][path]["get"]["responses"][status]["content"]["application/json"]["schema"];
    assert!(!s.is_null(), "no schema for GET {path} {status}");
    s
}

#[tokio::test]
async fn openapi_describes_the_real_responses() {
    let app = router(demo());
    let r = get(&app, "/api/openapi.json").await;
    assert_eq!(r.status, StatusCode::OK);
    let spec = r.json();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3."));
    let id = id_of_number("128-QĐ/TU");
    let cases = [
        (
            "/api/search",
            "200",
            "/api/search?q=dan+van&limit=20".to_string(),
        ),
        (
            "/api/search",
            "200",
            "/api/search?q=ma+doc+kiem+thu".to_string(),
        ),
        ("/api/search", "400", "/api/search?limit=1000".to_string()),
        ("/api/documents/{id}", "200", format!("/api/documents/{id}")),
        (
            "/api/documents/{id}",
            "200",
            format!("/api/documents/{}", id_of_number("77-TB/BDVTU")),
        ),
        (
            "/api/documents/{id}",
            "404",
            "/api/documents/nope".to_string(),
        ),
        (
            "/api/lookup",
            "200",
            "/api/lookup?number=312-QD/TU".to_string(),
        ),
        ("/api/lookup", "400", "/api/lookup?number=x".to_string()),
        ("/api/stats", "200", "/api/stats".to_string()),
        ("/healthz", "200", "/healthz".to_string()),
    ];
    for (path, status, uri) in cases {
        let r = get(&app, &uri).await;
        assert_eq!(r.status.as_str(), status, "{uri}: {}", r.text());
        let mut errs = Vec::new();
        validate(
            &spec,
            response_schema(&spec, path, status),
            &r.json(),
            "$",
            true,
            &mut errs,
        );
        assert!(
            errs.is_empty(),
            "{uri} against the OpenAPI description:\n{}",
            errs.join("\n")
        );
    }
    // Every parameter the server reads is described.
    let params: Vec<&str> = spec["paths"]["/api/search"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for p in [
        "q", "kind", "issuer", "year", "from", "to", "sort", "offset", "limit",
    ] {
        assert!(params.contains(&p), "{p} in {params:?}");
    }
}

// ---- the binary: `vanban serve` and `vanban demo` ----

/// Starts `vanban ARGS`, reads the URL it prints, and returns both.
fn spawn_server(args: &[&str], data: &std::path::Path) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_vanban"))
        .env_remove("VANBAN_DATA_DIR")
        .env("NO_COLOR", "1")
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = std::io::BufReader::new(stdout).lines();
    let url = loop {
        let line = lines.next().expect("the server prints its URL").unwrap();
        if let Some(at) = line.find("http://") {
            break line[at..].split_whitespace().next().unwrap().to_string();
        }
    };
    // Keep draining stdout so the server never blocks on it.
    std::thread::spawn(move || for _ in lines {});
    (child, url)
}

/// A plain HTTP/1.1 GET on loopback: (status, body).
fn http_get(url: &str, path: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let addr = url.trim_start_matches("http://").trim_end_matches('/');
    assert!(addr.starts_with("127.0.0.1:"), "loopback only: {addr}");
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).unwrap();
    let status = raw.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = raw
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// SIGTERM, then the exit status (a hang guard of 60 s, not a measure).
fn terminate(mut child: std::process::Child) -> std::process::ExitStatus {
    let ok = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the server did not stop on SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serve_listens_on_loopback_and_stops_on_sigterm() {
    let out = Command::new(env!("CARGO_BIN_EXE_vanban"))
        .args(["serve", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(
        help.contains("127.0.0.1:8080"),
        "loopback by default: {help}"
    );

    let d = Data::new();
    let (child, url) = spawn_server(&["serve", "--addr", "127.0.0.1:0"], d.dd.root());
    let (status, body) = http_get(&url, "/api/search?q=dan");
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("no_index"), "{body}");
    assert_eq!(http_get(&url, "/healthz").0, 200);
    let status = terminate(child);
    assert!(status.success(), "{status:?}");
}

#[test]
fn demo_builds_the_fixtures_and_serves_them() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("demo");
    let (child, url) = spawn_server(
        &[
            "demo",
            "--addr",
            "127.0.0.1:0",
            "--fixtures",
            repo("fixtures/demo").to_str().unwrap(),
        ],
        &data,
    );
    let (status, body) = http_get(&url, "/api/lookup?number=312-QD/TU");
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["documents"][0]["number"], "312-QĐ/TU");
    let (status, page) = http_get(&url, "/");
    assert_eq!(status, 200);
    assert!(page.contains("Tra cứu văn bản"));
    assert!(terminate(child).success());
}
