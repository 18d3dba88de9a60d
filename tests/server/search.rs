//! Search through the API: the CLI's hits and semantics, facets (and
//! their cache), paging.
use super::*;

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

/// Issue 13: without a facet filter the search counts the facets in its
/// own pass; they are the facets of their own queries, whatever the sort,
/// dates or page.
#[test]
fn facets_counted_in_the_search_pass_are_the_facets_of_their_own_queries() {
    let engine = demo().engine();
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d);
    let cases = [
        SearchRequest {
            q: "dan van".into(),
            ..Default::default()
        },
        SearchRequest {
            q: "".into(),
            limit: 3,
            offset: 2,
            ..Default::default()
        },
        SearchRequest {
            q: "23-QĐ/TW".into(),
            limit: 1,
            ..Default::default()
        },
        SearchRequest {
            q: "tinh uy".into(),
            sort: Sort::Date,
            from: day(2020, 1, 1),
            to: day(2023, 12, 31),
            limit: 0,
            ..Default::default()
        },
        SearchRequest {
            q: "khong co tu nay xyzzy".into(),
            ..Default::default()
        },
    ];
    let mut nonempty = 0;
    for req in cases {
        let (resp, counted) = engine.search_with_facets(&req).unwrap();
        let counted = counted.expect("no facet filter: counted in the pass");
        assert_eq!(counted, engine.facets(&req).unwrap(), "{:?}", req.q);
        let plain = engine.search(&req).unwrap();
        assert_eq!((resp.total, resp.hits), (plain.total, plain.hits));
        nonempty += usize::from(!counted.kind.is_empty());
    }
    assert!(nonempty >= 3, "the cases find documents");
    // A facet filter: each facet needs a query of its own.
    let filtered = SearchRequest {
        q: "dan van".into(),
        year: Some(2022),
        ..Default::default()
    };
    assert_eq!(engine.search_with_facets(&filtered).unwrap().1, None);
}

/// The cache tells requests apart by their status filter too.
#[tokio::test]
async fn the_facet_cache_keys_the_status_filter() {
    let app = router(demo());
    let all = get(&app, "/api/search?q=dan+van").await.json();
    let statuses = all["facets"]["status"].as_object().unwrap().clone();
    let (state, n) = statuses
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
        .min_by_key(|(_, n)| *n)
        .expect("status facet");
    let kinds_all: u64 = all["facets"]["kind"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert!(n < kinds_all, "{statuses:?}: a filter that narrows");
    for _ in 0..2 {
        let v = get(&app, &format!("/api/search?q=dan+van&status={state}"))
            .await
            .json();
        assert_eq!(v["total"].as_u64().unwrap(), n);
        let kinds: u64 = v["facets"]["kind"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum();
        assert!(
            kinds <= n,
            "kinds of the {state} documents only: {kinds} > {n}"
        );
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

/// Issue 13: a request asked again on the same index state is answered
/// from the page cache: the same answer as a search (its hits, total and
/// facets), one entry per page and sort, and with no wait for the gate.
#[tokio::test]
async fn the_page_cache_answers_what_a_search_answers() {
    let limits = Limits {
        max_searches: 1,
        max_queue_wait: Duration::from_millis(100),
        ..Limits::default()
    };
    let state = AppState::new(demo().dd.clone(), limits.clone());
    let cached = app(state.clone());
    let uncached = app(AppState::new(
        demo().dd.clone(),
        Limits {
            page_cache_entries: 0,
            ..limits
        },
    ));
    let uris = [
        "/api/search?q=dan+van",
        "/api/search?q=dan+van&offset=3&limit=3",
        "/api/search?q=dan+van&sort=date",
        "/api/search?q=dan+van&year=2022",
        "/api/search?q=tinh+uy",
    ];
    let answer = |r: Resp| {
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let mut v = r.json();
        v.as_object_mut().unwrap().remove("took_ms");
        v
    };
    let searcher_generation = || {
        let engine = state.live.cached().expect("an engine is open");
        engine.searcher().generation().generation_id()
    };
    // Every request once, on one reader state (tantivy's reader may pick
    // up the demo ingest's last commit once, on its own).
    let mut want = Vec::new();
    loop {
        want.clear();
        get(&cached, uris[0]).await;
        let before = searcher_generation();
        for uri in uris {
            let got = answer(get(&cached, uri).await);
            assert_eq!(got, answer(get(&uncached, uri).await), "{uri}");
            want.push(got);
        }
        if searcher_generation() == before {
            break;
        }
    }
    assert_eq!(state.pages.len(), uris.len(), "one entry a request");
    // No search can run now: the answers come from the cache.
    let _held = state.gate.hold(1).await;
    for (uri, want) in uris.iter().zip(&want) {
        assert_eq!(&answer(get(&cached, uri).await), want, "{uri}");
    }
    assert_error(
        &get(&cached, "/api/search?q=tinh+uy&limit=2").await,
        StatusCode::SERVICE_UNAVAILABLE,
        "busy",
    );
    let first = hit_ids(&want[0]);
    assert_eq!(hit_ids(&want[1]), first[3..6], "another page, other hits");
}
