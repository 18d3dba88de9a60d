//! vanban: a search engine for Vietnamese Party and state directive
//! documents (văn bản: Nghị quyết, Chỉ thị, Quyết định, Kết luận, ...).
//!
//! The pipeline, one module per stage (see `ARCHITECTURE.md` in the shared
//! folder): `extract` turns files and pages into [`extract::ExtractedDoc`],
//! `refs` finds document numbers and the document's own identity, `text`
//! normalizes Vietnamese strings, `index` builds tantivy generations,
//! `search` answers queries, `server` serves them over HTTP, `store` keeps the source of truth in SQLite,
//! and `cli` orchestrates. Dependencies point one way: `text` at the bottom,
//! `refs` and `extract` above it, `index` and `search` above those, `cli` on
//! top.
#![warn(missing_docs)]

pub mod cli;
pub mod crawl;
pub mod datadir;
pub mod doc;
pub mod error;
pub mod export;
pub mod extract;
pub mod index;
pub mod ingest;
pub mod refs;
pub mod reindex;
pub mod search;
pub mod server;
pub mod stats;
pub mod status;
pub mod store;
pub mod testdata;
pub mod text;

pub use error::{Error, Result};
