//! The acceptance crawl of fixtures/site and what the store and the index
//! make of it: documents, outcomes, reindex.
use super::*;

// The acceptance crawl: every allowed article of both layouts (and the
// legacy-encoded ones) searchable with its title, date and text; robots
// and skip rules obeyed; duplicates merged; attachments recorded.
#[test]
fn fixture_site_ends_up_searchable() {
    let srv = Server::start("127.0.0.1", Some(site()), fast_robots());
    let data = Data::new();
    let report = run(&data, &config(&[srv.url("/")]));
    assert_eq!(report.failed, 0, "{:?}", report.failures);
    let paths = srv.paths();
    for (path, title, date, phrase) in ARTICLES {
        assert!(paths.iter().any(|p| p == path), "{path} was not fetched");
        let resp = data.search(&format!("\"{phrase}\""));
        let hit = resp
            .hits
            .iter()
            .find(|h| h.source == srv.url(path))
            .unwrap_or_else(|| {
                panic!(
                    "{path}: no hit for {phrase:?}: {:?}",
                    resp.hits.iter().map(|h| &h.source).collect::<Vec<_>>()
                )
            });
        assert_eq!(hit.title, *title, "{path}");
        assert_eq!(
            hit.published.map(|d| d.to_string()).as_deref(),
            Some(*date),
            "{path}"
        );
    }
    // Disallowed, skipped and attachment URLs are never requested.
    for p in &paths {
        assert!(!p.starts_with("/private/"), "disallowed {p} requested");
        assert!(
            !p.contains("/print/") && !p.contains("/sendmail/") && !p.contains("/rss/"),
            "skipped link {p} requested"
        );
        assert!(
            !p.contains("in-bai-viet") && !p.contains("gui-email"),
            "skipped link {p} requested"
        );
        assert!(
            !p.ends_with(".pdf") && !p.ends_with(".docx"),
            "attachment {p} fetched without --attachments"
        );
        assert!(!p.contains("utm_"), "tracking parameters kept: {p}");
    }
    // One request per URL: the utm_ link and the canonical one are one.
    let mut sorted = paths.clone();
    sorted.sort();
    let before = sorted.len();
    sorted.dedup();
    assert_eq!(before, sorted.len(), "a URL was requested twice: {paths:?}");
    assert!(srv.requests().iter().all(|r| {
        r.header("user-agent")
            .is_some_and(|ua| ua.contains("vanban"))
    }));
    // The same article under two URLs: both fetched and stored, one document.
    let st = store(&data);
    let alias = srv.url("/bai-viet/1001");
    assert!(st.stored_page_urls().unwrap().contains(&alias));
    let resp = data.search("\"đạo đức, phong cách Hồ Chí Minh\"");
    let same: Vec<_> = resp
        .hits
        .iter()
        .filter(|h| h.title == ARTICLES[0].1)
        .map(|h| &h.source)
        .collect();
    assert_eq!(same, [&srv.url(ARTICLES[0].0)], "duplicate not merged");
    // Listing pages are not documents.
    assert!(
        data.search("\"Tin tức\"")
            .hits
            .iter()
            .all(|h| !h.source.ends_with("/tin-tuc/"))
    );
    // Attachments recorded against their pages.
    let atts = st
        .attachments_of(&srv.url("/tin-tuc/chi-thi-05-ct-tw-1001.html"))
        .unwrap();
    assert_eq!(
        atts,
        vec![(
            srv.url("/files/ct05-ct-tw.pdf"),
            "Chỉ thị 05 (PDF)".to_string()
        )]
    );
    let atts = st
        .attachments_of(&srv.url("/index.php/vi/news/chi-dao/quyet-dinh-99-qd-tw-2001/"))
        .unwrap();
    assert_eq!(atts.len(), 1);
    // TCVN3 capitals font: the .VnTimeH heading reads as capitals.
    assert!(data.search("\"BAN CHẤP HÀNH TRUNG ƯƠNG\"").total >= 1);
    // A second crawl within a day requests nothing but robots.txt (reused
    // from the store) – nothing, in fact.
    let n = srv.requests().len();
    let again = run(&data, &config(&[srv.url("/")]));
    assert_eq!(again.fetched, 0);
    assert_eq!(srv.requests().len(), n, "stored pages requested again");
}

/// Crawled documents have store records like ingested ones (issue 10): a
/// full reindex rebuilds them from the stored pages, an incremental one
/// keeps them, and pages judged by another extractor version are judged
/// again by an incremental reindex.
#[test]
fn reindex_keeps_crawled_documents() {
    let srv = Server::start("127.0.0.1", Some(site()), fast_robots());
    let data = Data::new();
    let report = run(&data, &config(&[srv.url("/")]));
    assert_eq!(report.failed, 0, "{:?}", report.failures);
    let docs = data.engine().num_docs();
    assert!(docs >= ARTICLES.len() as u64);
    let (_, _, _, phrase) = ARTICLES[0];
    let before = data.search(&format!("\"{phrase}\"")).total;
    assert!(before > 0);
    let reindex = |full| {
        let lock = data.dd.lock(false, |_| {}).unwrap();
        let opts = vanban::reindex::Options {
            full,
            ..Default::default()
        };
        vanban::reindex::reindex(&data.dd, &lock, &opts, &mut |_| {}).unwrap()
    };
    let r = reindex(false);
    assert_eq!(r.removed, 0, "{r:?}");
    assert_eq!(r.rejudged, 0, "{r:?}");
    assert_eq!(data.engine().num_docs(), docs);
    // As after an extractor version bump: every stored page was judged by
    // another version.
    let marked = store(&data).rejudge(u32::MAX).unwrap();
    assert!(marked >= ARTICLES.len() as u64, "{marked}");
    let r = reindex(false);
    assert!(r.rejudged >= marked, "{r:?}");
    assert_eq!(r.removed, 0, "{r:?}");
    assert_eq!(data.engine().num_docs(), docs);
    assert_eq!(data.search(&format!("\"{phrase}\"")).total, before);
    let r = reindex(true);
    assert!(r.switched, "{r:?}");
    assert_eq!(r.crawled, docs, "{r:?}");
    assert_eq!(data.engine().num_docs(), docs);
    assert_eq!(data.search(&format!("\"{phrase}\"")).total, before);
}

// Issue 10: nothing dropped silently. Every fetched page leaves the crawl
// with an outcome (indexed, merged, not indexed with a reason …), the
// summary counts the judged ones, and `export --what pages` and
// `stats --json` show them.
#[test]
fn every_fetched_page_has_an_outcome() {
    let srv = Server::start("127.0.0.1", Some(site()), fast_robots());
    let data = Data::new();
    let report = run(&data, &config(&[srv.url("/")]));
    assert_eq!(report.failed, 0, "{:?}", report.failures);
    let st = store(&data);
    let mut rows = Vec::new();
    st.page_outcomes(|p| -> Result<(), vanban::store::Error> {
        rows.push(p);
        Ok(())
    })
    .unwrap();
    assert!(rows.len() > ARTICLES.len(), "{rows:?}");
    for r in &rows {
        assert_ne!(r.outcome, "pending", "{r:?}");
        match r.outcome.as_str() {
            "indexed" | "merged" => assert!(r.doc_id.is_some(), "{r:?}"),
            "not_indexed" | "failed" | "skipped" => assert!(r.reason.is_some(), "{r:?}"),
            _ => {}
        }
    }
    let outcome = |path: &str| {
        rows.iter()
            .find(|r| r.url == srv.url(path))
            .map(|r| r.outcome.clone())
            .unwrap_or_default()
    };
    for (path, ..) in ARTICLES {
        assert_eq!(outcome(path), "indexed", "{path}");
    }
    assert_eq!(outcome("/bai-viet/1001"), "merged");
    let listing = rows
        .iter()
        .find(|r| r.url == srv.url("/tin-tuc/"))
        .expect("listing fetched");
    assert_eq!(listing.outcome, "not_indexed", "{listing:?}");
    // The crawl's summary counts what the index pass judged.
    let judged = rows
        .iter()
        .filter(|r| r.kind == "page" && r.http_status == Some(200))
        .filter(|r| matches!(r.outcome.as_str(), "indexed" | "not_indexed"))
        .count() as u64;
    let p = &report.pages;
    assert_eq!(
        p.indexed + p.not_indexed.values().sum::<u64>(),
        judged,
        "{p:?}"
    );
    // stats --json and export --what pages.
    let stats = vanban::stats::collect(&data.dd, Some(&data.engine())).unwrap();
    assert_eq!(
        stats.crawl_pages_by_outcome.get("indexed").copied(),
        Some(p.indexed)
    );
    let mut csv = Vec::new();
    let r = vanban::export::export_pages(&st, vanban::export::Format::Csv, &mut csv, &mut |_| {})
        .unwrap();
    assert_eq!(r.rows as usize, rows.len());
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.starts_with("url,final_url,http_status,outcome,reason,doc_id,kind\n"));
    assert!(csv.contains(&format!("{},,200,indexed,", srv.url(ARTICLES[0].0))));
}
