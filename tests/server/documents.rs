//! Documents with their citations both ways, 404s, lookup by number in
//! any spelling, stats, health and the page.
use super::*;

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
