//! `vanban stats`: what the data directory holds. The same JSON is served
//! at `/api/stats`.
use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::datadir::DataDir;
use crate::search::{Engine, Request};
use crate::store::Store;

/// Errors of stats.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] crate::store::Error),
    /// Search failed.
    #[error(transparent)]
    Search(#[from] crate::search::Error),
    /// tantivy failed.
    #[error("stats: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// The data directory failed.
    #[error(transparent)]
    DataDir(#[from] crate::datadir::Error),
    /// Reading the index failed.
    #[error("stats: reading the index: {0}")]
    Io(#[from] std::io::Error),
}

/// Counts over the live generation and the store.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Stats {
    /// Searchable documents in the live generation.
    pub documents: u64,
    /// Stored source records (files, JSONL lines, crawled pages).
    pub pages: u64,
    /// Citation edges: every citation of a number in a document's body
    /// (occurrences of its own number excluded), as `export` lists them.
    pub citations: u64,
    /// Edges whose cited number is the own number of an indexed document.
    pub resolved_citations: u64,
    /// Documents per kind.
    pub by_kind: BTreeMap<String, u64>,
    /// Documents per year of their date.
    pub by_year: BTreeMap<String, u64>,
    /// The live generation.
    pub generation: Option<u64>,
    /// Size of the store on disk (database and write-ahead log).
    pub store_bytes: u64,
    /// When the last crawl ended (RFC 3339), if any.
    pub last_crawl: Option<String>,
    /// Fetched crawl pages (`page` URLs of the frontier, queued ones left
    /// out) by outcome: `indexed`, `merged`, `not_indexed`, `redirected`,
    /// `failed`, `skipped`, `gone`, `pending` (issue 10).
    #[serde(default)]
    pub crawl_pages_by_outcome: BTreeMap<String, u64>,
    /// The `not_indexed` ones by reason (`listing`, `too_little_text` …).
    #[serde(default)]
    pub crawl_pages_not_indexed_by_reason: BTreeMap<String, u64>,
}

/// Stats of `dd`; `engine` is the live generation when there is one.
pub fn collect(dd: &DataDir, engine: Option<&Engine>) -> Result<Stats, Error> {
    let store = Store::open(&dd.store_path())?;
    let store_bytes = ["", "-wal"]
        .iter()
        .filter_map(|suffix| {
            let mut p = dd.store_path().into_os_string();
            p.push(suffix);
            std::fs::metadata(p).ok()
        })
        .map(|m| m.len())
        .sum();
    let mut stats = Stats {
        pages: store.count()?,
        store_bytes,
        generation: dd.current()?,
        last_crawl: store.last_crawl()?,
        ..Stats::default()
    };
    store.page_outcomes(|p| -> Result<(), Error> {
        if p.kind != "page" {
            return Ok(());
        }
        if p.outcome == "not_indexed" {
            let reason = p.reason.clone().unwrap_or_default();
            *stats
                .crawl_pages_not_indexed_by_reason
                .entry(reason)
                .or_default() += 1;
        }
        *stats.crawl_pages_by_outcome.entry(p.outcome).or_default() += 1;
        Ok(())
    })?;
    let Some(engine) = engine else {
        return Ok(stats);
    };
    stats.documents = engine.num_docs();
    let facets = engine.facets(&Request::default())?;
    stats.by_kind = facets.kind;
    stats.by_year = facets.year;
    let (citations, resolved) = edge_counts(engine)?;
    stats.citations = citations;
    stats.resolved_citations = resolved;
    Ok(stats)
}

/// (edges, resolved edges), counting only live documents.
fn edge_counts(engine: &Engine) -> Result<(u64, u64), Error> {
    let searcher = engine.searcher();
    let f = engine.handle().fields;
    let mut own: HashSet<Vec<u8>> = HashSet::new();
    for seg in searcher.segment_readers() {
        let inv = seg.inverted_index(f.number_key)?;
        let mut terms = inv.terms().stream()?;
        while terms.advance() {
            own.insert(terms.key().to_vec());
        }
    }
    let (mut edges, mut resolved) = (0u64, 0u64);
    for seg in searcher.segment_readers() {
        let alive = seg.alive_bitset();
        let inv = seg.inverted_index(f.cites)?;
        let mut terms = inv.terms().stream()?;
        while terms.advance() {
            let info = terms.value();
            let mut postings = inv
                .read_postings_from_terminfo(info, tantivy::schema::IndexRecordOption::WithFreqs)?;
            let mut n = 0u64;
            let mut doc = tantivy::DocSet::doc(&postings);
            while doc != tantivy::TERMINATED {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    n += u64::from(tantivy::postings::Postings::term_freq(&postings));
                }
                doc = tantivy::DocSet::advance(&mut postings);
            }
            edges += n;
            if own.contains(terms.key()) {
                resolved += n;
            }
        }
    }
    Ok((edges, resolved))
}
