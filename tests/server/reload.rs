//! No index yet: 503 until one appears; new generations are served
//! without a restart.
use super::*;

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
    // The ingest process has exited, so its commit is on disk: the next
    // request (a check is due at every request here) reads it.
    let found = get(&app, &search_uri("\"ma doc kiem thu\"", ""))
        .await
        .json()["total"]
        .as_u64()
        .unwrap()
        > 0;
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

/// Issue 13: a check that finds no new commit keeps the reader, so what
/// is kept per searcher generation (facet counts, document frequencies,
/// the vocabulary) survives it. Reloading at every check numbered a new
/// searcher generation twice a second under load and emptied them all.
/// (tantivy's own meta.json watcher reloads once when the reader opens,
/// at a moment of its thread's choosing, so the searcher generation
/// itself is not what is compared.)
#[tokio::test]
async fn a_check_without_a_commit_keeps_the_reader() {
    let limits = Limits {
        reload_interval: Duration::ZERO,
        ..Limits::default()
    };
    let state = AppState::new(demo().dd.clone(), limits);
    let app = app(state.clone());
    let first = get(&app, "/api/search?q=dan+van").await.json();
    assert!(state.live.cached().is_some(), "an engine is open");
    for _ in 0..3 {
        // A check is due at every request here.
        let again = get(&app, "/api/search?q=dan+van").await.json();
        assert_eq!(again["facets"], first["facets"]);
    }
    assert_eq!(state.live.reloads(), 0, "no commit, no reload");
}
