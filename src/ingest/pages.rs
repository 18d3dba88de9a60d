//! Crawled pages → documents: the crawler's side of ingest (issue 10).
//!
//! The crawler stores each fetch and marks the URLs whose content is new,
//! changed or gone. An index pass ([`index_pending`], or [`settle`] with
//! or without an index writer) judges each marked page with
//! [`extract::extract_page`] and gives every fetched page an outcome
//! (`frontier.outcome`):
//! - `indexed`: an article; it gets a store record (format `page`, its
//!   bytes the stored fetch's) and a document, like an ingested file;
//! - `merged`: the same title and text as a page already indexed (dedup by
//!   a hash of the extracted title and text, not of the raw bytes, since
//!   visitor counters and "related" boxes change), or a page whose
//!   `rel=canonical` names another crawled URL;
//! - `not_indexed` with a reason (`listing`, `too_little_text`,
//!   `not_html`, `noindex`, `empty`);
//! - `gone`, for a page that now answers 404/410.
//!
//! `crawl_docs` maps each URL to the content hash it last produced;
//! `crawl_owners` maps each hash to the URL whose document holds it. A
//! page that changed or is gone lets go of its old hash; when it owned it
//! and another URL still shows that content, the document moves there.
use std::collections::BTreeMap;

use url::Url;

use super::{Error, build_of, bundle, open_for_writing};
use crate::datadir::DataDir;
use crate::doc::DOC_KEY;
use crate::doc::{Document, doc_id};
use crate::extract::{self, Attachment, NotIndexed, PageClass};
use crate::index::Indexer;
use crate::store::frontier::State;
use crate::store::{self, Fetch, Format, Record, Store};

/// What an index pass over crawled pages did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Documents added or replaced.
    pub indexed: u64,
    /// Documents removed.
    pub removed: u64,
    /// Pages merged into a document another URL holds.
    pub merged: u64,
    /// Pages not indexed, by reason.
    pub not_indexed: BTreeMap<String, u64>,
}

impl Report {
    /// Adds `other` to this report.
    pub fn add(&mut self, other: &Report) {
        self.indexed += other.indexed;
        self.removed += other.removed;
        self.merged += other.merged;
        for (k, v) in &other.not_indexed {
            *self.not_indexed.entry(k.clone()).or_default() += v;
        }
    }
}

/// The version every judgement records: a newer one makes `reindex`
/// judge stored pages again.
pub fn judge_version() -> u32 {
    extract::HTML_EXTRACTOR_VERSION
}

/// What a stored fetch is.
enum Judged {
    Article {
        doc: Box<Document>,
        rec: Box<Record>,
    },
    Canonical(String),
    NotIndexed(NotIndexed),
}

fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Judges the stored fetch of `url` (its current `pages` row).
fn judge(store: &Store, url: &str, page_id: i64) -> Result<Option<Judged>, Error> {
    let Some(row) = store.page(page_id)? else {
        return Ok(None);
    };
    let Some(body) = row.body.as_deref() else {
        return Ok(None);
    };
    let content_type = row.header("content-type").map(str::to_string);
    let page = extract::extract_page(extract::PageInput {
        bytes: body,
        content_type: content_type.as_deref(),
    });
    if let Some(reason) = page.not_indexed {
        return Ok(Some(Judged::NotIndexed(reason)));
    }
    debug_assert_eq!(page.class, PageClass::Article);
    // rel=canonical naming another URL of the crawl: that URL holds the
    // document.
    if let Some(c) = page.signals.canonical.as_deref()
        && let Ok(base) = Url::parse(url)
        && let Ok(target) = base.join(c)
        && target.as_str() != url
        && store.frontier_entry(target.as_str())?.is_some()
    {
        return Ok(Some(Judged::Canonical(target.to_string())));
    }
    let mut ext = page.doc;
    ext.attachments = store
        .attachments_of(url)?
        .into_iter()
        .map(|(u, n)| Attachment { url: u, name: n })
        .collect();
    let t = now_secs();
    let rec = Record {
        id: doc_id(url),
        source: url.to_string(),
        path: url.to_string(),
        line: None,
        format: Format::Page,
        raw: Vec::new(),
        hash: row.hash.clone().unwrap_or_default(),
        ingested_at: t,
        updated_at: t,
        fetch: Some(Fetch {
            page_id,
            content_type,
            fetched_at: row.fetched_at,
        }),
    };
    Ok(Some(Judged::Article {
        doc: Box::new(Document::from_extracted(url.to_string(), ext)),
        rec: Box::new(rec),
    }))
}

/// The dedup hash of a document: its title and text; for a page that
/// names its document's key on its site (a vbpl.vn `ItemID`), that key
/// (prefixed [`GROUP_PREFIX`]): the pages of one document are one.
pub fn content_key(doc: &Document) -> String {
    if let Some(k) = doc.metadata.get(DOC_KEY).and_then(|v| v.as_str()) {
        return format!("{GROUP_PREFIX}{k}");
    }
    store::content_hash(format!("{}\n{}", doc.title.trim(), doc.body.trim()).as_bytes())
}

/// The prefix of a [`content_key`] that is a document's key on its site.
pub const GROUP_PREFIX: &str = "doc:";

/// Rebuilds the document of a group of pages (one [`content_key`] that is
/// a site's document key) from every page now showing it, and stores it
/// under its owner: one page as it is, several as a bundle record
/// (`ingest::bundle`).
fn refresh_group(store: &mut Store, indexer: Option<&mut Indexer>, key: &str) -> Result<(), Error> {
    let Some(owner) = store.owner_of(key)? else {
        return Ok(());
    };
    let urls = store.urls_with_hash(key)?;
    if urls.len() <= 1 {
        return Ok(()); // the owner's own record, written by `apply`
    }
    // The owner first, then the others in a stable order.
    let mut urls: Vec<String> = urls.into_iter().filter(|u| *u != owner).collect();
    urls.sort();
    urls.insert(0, owner.clone());
    let mut members = Vec::new();
    for url in &urls {
        let Some(entry) = store.frontier_entry(url)? else {
            continue;
        };
        let Some(row) = entry
            .page_id
            .map(|id| store.page(id))
            .transpose()?
            .flatten()
        else {
            continue;
        };
        let Some(bytes) = row.body.clone() else {
            continue;
        };
        members.push(bundle::Member {
            url: url.clone(),
            content_type: row.header("content-type").map(str::to_string),
            bytes,
        });
    }
    let raw = bundle::encode(&members);
    let t = now_secs();
    let rec = Record {
        id: doc_id(&owner),
        source: owner.clone(),
        path: owner.clone(),
        line: None,
        format: Format::Bundle,
        hash: store::content_hash(&raw),
        raw,
        ingested_at: t,
        updated_at: t,
        fetch: None,
    };
    let Ok(doc) = super::document_of(&rec) else {
        return Ok(());
    };
    upsert(store, indexer, &doc, &rec)
}

/// Judges and indexes every crawled page marked as new, changed or gone,
/// into the live index (created from the store when there is none), and
/// commits. The caller holds the write lock.
pub fn index_pending(dd: &DataDir, store: &mut Store) -> Result<Report, Error> {
    if store.index_pending(1)?.is_empty() {
        return Ok(Report::default());
    }
    let mut rebuilt = super::Report::default();
    let (_handle, mut indexer) = open_for_writing(dd, store, &mut rebuilt)?;
    let report = settle(store, Some(&mut indexer))?;
    indexer.finish()?;
    Ok(report)
}

/// Judges every marked page and writes records and outcomes; with an
/// index writer, also updates the index (and commits it before the
/// store: a crash in between leaves marks that the next pass redoes).
pub fn settle(store: &mut Store, mut indexer: Option<&mut Indexer>) -> Result<Report, Error> {
    let mut report = Report::default();
    store.begin()?;
    loop {
        let batch = store.index_pending(256)?;
        if batch.is_empty() {
            break;
        }
        for (url, state, page_id) in batch {
            let judged = match (state, page_id) {
                (State::Done, Some(id)) => judge(store, &url, id)?,
                _ => None,
            };
            apply(
                store,
                indexer.as_deref_mut(),
                &url,
                state,
                judged,
                &mut report,
            )?;
            store.set_indexed(&url)?;
        }
    }
    if let Some(ix) = indexer {
        ix.commit()?;
    }
    store.commit()?;
    Ok(report)
}

fn upsert(
    store: &mut Store,
    indexer: Option<&mut Indexer>,
    doc: &Document,
    rec: &Record,
) -> Result<(), Error> {
    let known = store.hash_of(&rec.source)?;
    store.upsert(rec, known.as_deref())?;
    if let Some(ix) = indexer {
        ix.upsert_built(doc, &build_of(rec))?;
    }
    Ok(())
}

fn remove(store: &mut Store, indexer: Option<&mut Indexer>, url: &str) -> Result<(), Error> {
    store.remove_source(url)?;
    if let Some(ix) = indexer {
        ix.delete(&doc_id(url));
    }
    Ok(())
}

/// Why a page is merged into the document `owner` holds.
fn merged_reason(key: &str, owner: &str) -> String {
    match key.strip_prefix(GROUP_PREFIX) {
        Some(k) => format!("a page of the same document ({k}) as {owner}"),
        None => format!("same title and text as {owner}"),
    }
}

/// Gives `url` its outcome and updates the documents it touches: its own,
/// and the documents of the groups it joins or leaves.
fn apply(
    store: &mut Store,
    mut indexer: Option<&mut Indexer>,
    url: &str,
    state: State,
    judged: Option<Judged>,
    report: &mut Report,
) -> Result<(), Error> {
    let old = store.crawl_doc(url)?;
    let new = match &judged {
        Some(Judged::Article { doc, .. }) => Some(content_key(doc)),
        _ => None,
    };
    apply_one(store, indexer.as_deref_mut(), url, state, judged, report)?;
    let mut groups: Vec<String> = [new, old]
        .into_iter()
        .flatten()
        .filter(|k| k.starts_with(GROUP_PREFIX))
        .collect();
    groups.dedup();
    for key in groups {
        refresh_group(store, indexer.as_deref_mut(), &key)?;
    }
    Ok(())
}

fn apply_one(
    store: &mut Store,
    mut indexer: Option<&mut Indexer>,
    url: &str,
    state: State,
    judged: Option<Judged>,
    report: &mut Report,
) -> Result<(), Error> {
    let version = judge_version();
    let (new, other) = match judged {
        Some(Judged::Article { doc, rec }) => (Some((content_key(&doc), doc, rec)), None),
        j => (None, j),
    };
    let old = store.crawl_doc(url)?;
    if let Some((hash, doc, rec)) = &new
        && old.as_deref() == Some(hash.as_str())
    {
        // Same content: refresh the document if this URL holds it.
        match store.owner_of(hash)? {
            Some(owner) if owner == url => {
                upsert(store, indexer, doc, rec)?;
                store.set_outcome(url, "indexed", None, Some(&doc_id(url)), version)?;
                report.indexed += 1;
            }
            Some(owner) => {
                let reason = merged_reason(hash, &owner);
                store.set_outcome(url, "merged", Some(&reason), Some(&doc_id(&owner)), version)?;
                report.merged += 1;
            }
            None => {
                upsert(store, indexer, doc, rec)?;
                store.set_owner(hash, Some(url))?;
                store.set_outcome(url, "indexed", None, Some(&doc_id(url)), version)?;
                report.indexed += 1;
            }
        }
        return Ok(());
    }
    if let Some(old_hash) = old {
        store.set_crawl_doc(url, None)?;
        if store.owner_of(&old_hash)?.as_deref() == Some(url) {
            remove(store, indexer.as_deref_mut(), url)?;
            report.removed += 1;
            store.set_owner(&old_hash, None)?;
            // Another URL still shows the old content: it takes the
            // document over.
            for other_url in store.urls_with_hash(&old_hash)? {
                let Some(entry) = store.frontier_entry(&other_url)? else {
                    continue;
                };
                let Some(id) = entry.page_id else { continue };
                if let Some(Judged::Article { doc, rec }) = judge(store, &other_url, id)?
                    && content_key(&doc) == old_hash
                {
                    upsert(store, indexer.as_deref_mut(), &doc, &rec)?;
                    store.set_owner(&old_hash, Some(&other_url))?;
                    store.set_outcome(
                        &other_url,
                        "indexed",
                        None,
                        Some(&doc_id(&other_url)),
                        version,
                    )?;
                    report.indexed += 1;
                    report.removed -= 1;
                    break;
                }
            }
        }
    }
    match (new, other) {
        (Some((hash, doc, rec)), _) => {
            store.set_crawl_doc(url, Some(&hash))?;
            match store.owner_of(&hash)? {
                Some(owner) => {
                    let reason = merged_reason(&hash, &owner);
                    store.set_outcome(
                        url,
                        "merged",
                        Some(&reason),
                        Some(&doc_id(&owner)),
                        version,
                    )?;
                    report.merged += 1;
                }
                None => {
                    upsert(store, indexer, &doc, &rec)?;
                    store.set_owner(&hash, Some(url))?;
                    store.set_outcome(url, "indexed", None, Some(&doc_id(url)), version)?;
                    report.indexed += 1;
                }
            }
        }
        (None, Some(Judged::Canonical(target))) => {
            let reason = format!("rel=canonical names {target}");
            store.set_outcome(
                url,
                "merged",
                Some(&reason),
                Some(&doc_id(&target)),
                version,
            )?;
            report.merged += 1;
        }
        (None, Some(Judged::NotIndexed(why))) => {
            store.set_outcome(url, "not_indexed", Some(why.as_str()), None, version)?;
            *report
                .not_indexed
                .entry(why.as_str().to_string())
                .or_default() += 1;
        }
        (None, _) => {
            if state == State::Gone {
                store.set_outcome(url, "gone", None, None, version)?;
            } else {
                store.set_outcome(url, "not_indexed", Some("empty"), None, version)?;
                *report.not_indexed.entry("empty".to_string()).or_default() += 1;
            }
        }
    }
    Ok(())
}
