//! The hostile fixture comes back as inert text.
use super::*;

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
