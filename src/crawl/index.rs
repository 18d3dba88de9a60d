//! Crawled pages → documents in the index. A page is extracted (charset
//! and legacy encodings decoded, its site profile's title, date and
//! content region used), and deduplicated by a hash of its extracted title
//! and text, not of its raw bytes (visitor counters and "related" boxes
//! change): the same article under two URLs is one document, whose source
//! is the first URL that produced it.
//!
//! `crawl_docs` maps each URL to the content hash it last produced;
//! `crawl_owners` maps each hash to the URL whose document holds it. A page
//! that changed or is gone lets go of its old hash; when it owned it and
//! another URL still shows that content, the document moves to that URL.
use scraper::{Html, Selector};
use url::Url;

use super::{Error, charset, profiles};
use crate::datadir::DataDir;
use crate::doc::{Document, doc_id};
use crate::extract::{self, Attachment, ExtractedDoc};
use crate::index::{IndexHandle, Indexer};
use crate::store::frontier::State;
use crate::store::pages::PageRow;
use crate::store::{self, Store};

/// What an index pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexReport {
    /// Documents added or replaced.
    pub indexed: u64,
    /// Documents removed.
    pub removed: u64,
    /// Pages whose content another URL already holds.
    pub duplicates: u64,
    /// Pages that are not articles (listings) or have no text.
    pub not_articles: u64,
}

/// The document of a stored fetch of `url`, or `None` when the page is
/// not an article (a listing page) or has no text. `attachments` are the
/// attachment links recorded for the page.
pub fn document_for(
    url: &str,
    row: &PageRow,
    attachments: &[(String, String)],
) -> Option<Document> {
    let body = row.body.as_deref()?;
    let page_url = Url::parse(url).ok()?;
    let ct = row.header("content-type");
    let mime = ct
        .and_then(|c| c.split(';').next())
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let mut ext = if mime == "text/plain" {
        let text = charset::decode_text(body, ct);
        let title = text
            .lines()
            .map(profiles::collapse)
            .find(|l| !l.is_empty())
            .unwrap_or_default();
        ExtractedDoc {
            title,
            body: text.trim().to_string(),
            ..Default::default()
        }
    } else {
        let html = charset::decode_html(body, ct);
        let doc = Html::parse_document(&html);
        let profile = profiles::detect(&page_url, &doc);
        if !profile.is_article(&page_url, &doc) {
            return None;
        }
        let found = profile.extract(&doc);
        // The extractor owns boilerplate removal; the crawl profile fills
        // in what it did not find (and stands in for it entirely when it
        // finds nothing).
        let mut ext = extract::extract_html(html.as_bytes(), Some("text/html; charset=utf-8"))
            .unwrap_or_default();
        if ext.title.trim().is_empty()
            && let Some(t) = found.title
        {
            ext.title = t;
        }
        if ext.published.is_none() {
            ext.published = found.date;
        }
        if ext.body.trim().is_empty() {
            ext.body = found.body.unwrap_or_else(|| body_text(&doc));
        }
        ext
    };
    ext.attachments = attachments
        .iter()
        .map(|(u, n)| Attachment {
            url: u.clone(),
            name: n.clone(),
        })
        .collect();
    if ext.title.trim().is_empty() && ext.body.trim().is_empty() {
        return None;
    }
    Some(Document::from_extracted(url.to_string(), ext))
}

fn body_text(doc: &Html) -> String {
    let Ok(sel) = Selector::parse("body") else {
        return String::new();
    };
    doc.select(&sel)
        .next()
        .map(profiles::element_text)
        .unwrap_or_default()
}

/// The dedup hash of a document: its title and text.
pub fn content_key(doc: &Document) -> String {
    store::content_hash(format!("{}\n{}", doc.title.trim(), doc.body.trim()).as_bytes())
}

/// Opens the live index for writing, creating generation 1 when there is
/// none (with the store's records and crawled documents in it).
pub fn open_indexer(dd: &DataDir, store: &Store) -> Result<(IndexHandle, Indexer), Error> {
    if let Some(h) = IndexHandle::open_live(dd)? {
        let w = h.writer()?;
        return Ok((h, w));
    }
    let n = dd.generations()?.last().copied().unwrap_or(0) + 1;
    let h = IndexHandle::create_generation(dd, n)?;
    let mut w = h.writer()?;
    let mut add = |doc: Document| -> Result<(), Error> {
        w.add(&doc)?;
        Ok(())
    };
    store.for_each_record(|rec| -> Result<(), Error> {
        if let Ok(doc) = crate::ingest::document_of(&rec) {
            add(doc)?;
        }
        Ok(())
    })?;
    rebuild(store, &mut add)?;
    w.commit()?;
    h.make_live(dd)?;
    Ok((h, w))
}

/// Calls `add` with every crawled document the store holds (one per
/// content hash, under its owner URL): what a full reindex adds for the
/// crawl.
pub fn rebuild(
    store: &Store,
    add: &mut dyn FnMut(Document) -> Result<(), Error>,
) -> Result<u64, Error> {
    let mut n = 0;
    for url in store.crawl_owner_urls()? {
        if let Some(doc) = current_document(store, &url)? {
            add(doc)?;
            n += 1;
        }
    }
    Ok(n)
}

fn current_document(store: &Store, url: &str) -> Result<Option<Document>, Error> {
    let Some(entry) = store.frontier_entry(url)? else {
        return Ok(None);
    };
    let Some(id) = entry.page_id else {
        return Ok(None);
    };
    let Some(row) = store.page(id)? else {
        return Ok(None);
    };
    let atts = store.attachments_of(url)?;
    Ok(document_for(url, &row, &atts))
}

/// Indexes every page the crawl marked (new, changed or gone), under the
/// caller's write lock, and commits.
pub fn index_pending(dd: &DataDir, store: &mut Store) -> Result<IndexReport, Error> {
    let mut report = IndexReport::default();
    if store.index_pending(1)?.is_empty() {
        return Ok(report);
    }
    let (_handle, mut indexer) = open_indexer(dd, store)?;
    store.begin()?;
    loop {
        let batch = store.index_pending(256)?;
        if batch.is_empty() {
            break;
        }
        for (url, state, _) in batch {
            let doc = match state {
                State::Done => current_document(store, &url)?,
                _ => None,
            };
            if doc.is_none() && state == State::Done {
                report.not_articles += 1;
            }
            apply(store, &mut indexer, &url, doc, &mut report)?;
            store.set_indexed(&url)?;
        }
    }
    // Index first: a crash between the two commits leaves marks that the
    // next pass redoes.
    indexer.commit()?;
    store.commit()?;
    indexer.finish()?;
    Ok(report)
}

fn apply(
    store: &mut Store,
    indexer: &mut Indexer,
    url: &str,
    doc: Option<Document>,
    report: &mut IndexReport,
) -> Result<(), Error> {
    let new = doc.map(|d| (content_key(&d), d));
    let old = store.crawl_doc(url)?;
    if old.as_deref() == new.as_ref().map(|(h, _)| h.as_str()) {
        // Same content: refresh the document if this URL holds it.
        if let Some((h, d)) = &new
            && store.owner_of(h)?.as_deref() == Some(url)
        {
            indexer.upsert(d)?;
        }
        return Ok(());
    }
    if let Some(old_hash) = old {
        store.set_crawl_doc(url, None)?;
        if store.owner_of(&old_hash)?.as_deref() == Some(url) {
            indexer.delete(&doc_id(url));
            report.removed += 1;
            store.set_owner(&old_hash, None)?;
            // Another URL still shows the old content: it takes the
            // document over.
            for other in store.urls_with_hash(&old_hash)? {
                if let Some(d) = current_document(store, &other)?
                    && content_key(&d) == old_hash
                {
                    indexer.upsert(&d)?;
                    store.set_owner(&old_hash, Some(&other))?;
                    report.indexed += 1;
                    report.removed -= 1;
                    break;
                }
            }
        }
    }
    if let Some((hash, d)) = new {
        store.set_crawl_doc(url, Some(&hash))?;
        if store.owner_of(&hash)?.is_some() {
            report.duplicates += 1;
        } else {
            indexer.upsert(&d)?;
            store.set_owner(&hash, Some(url))?;
            report.indexed += 1;
        }
    }
    Ok(())
}
