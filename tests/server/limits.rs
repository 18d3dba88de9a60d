//! Bad parameters, limits at and past the edge, the search gate (queue,
//! 503 `busy` with Retry-After), request timeouts, gzip.
use super::*;

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
        // The same search again would be answered from the page cache,
        // past the gate.
        page_cache_entries: 0,
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
