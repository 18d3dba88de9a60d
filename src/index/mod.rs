//! The tantivy index: schema, analyzers, generations on disk, and the
//! writer that turns [`Document`]s into index entries.
//!
//! Generations live in `generations/N/`; `CURRENT` names the live one. An
//! ingest writes into the live generation (tantivy commits are atomic, so
//! readers only ever see committed states); a full reindex builds N+1 beside
//! it and switches `CURRENT` when it is complete.
pub mod analysis;
pub mod analyzer;
pub mod lookup;
pub mod schema;

use std::collections::BTreeSet;
use std::fs;

use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Term};

use crate::status::refresh::Written;

pub use analyzer::{Form, VI_EXACT, VI_FOLDED, register_analyzers};
pub use schema::Fields;

use crate::datadir::{self, DataDir, Version};
use crate::doc::Document;
use crate::refs;

/// Errors of the index stage.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// tantivy failed.
    #[error("index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// The data directory is unusable.
    #[error(transparent)]
    DataDir(#[from] datadir::Error),
    /// There is no index yet.
    #[error("no index in {0} yet: ingest documents first (`vanban ingest PATH`)")]
    NoIndex(std::path::PathBuf),
    /// A worker thread panicked.
    #[error("index: a worker thread panicked")]
    Panicked,
    /// I/O.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: std::path::PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

/// Memory budget of the index writer (split across its threads).
const WRITER_BUDGET_BYTES: usize = 256 * 1024 * 1024;

/// Segments with more documents than this are not merged again. A
/// segment of a 256 MB writer holds ~10k Pháp điển articles, and tantivy
/// merges 8 segments of a size at a time: the ~80k-document segments of a
/// first merge stay as they are.
const MAX_DOCS_BEFORE_MERGE: usize = 50_000;

/// tantivy's log merge policy, except that segments of more than
/// [`MAX_DOCS_BEFORE_MERGE`] documents are left alone: every document is
/// merged a bounded number of times, so ingest cost stays linear in the
/// corpus (tantivy's default, 10M, merges ever bigger segments again as an
/// ingest grows: per-document cost and the memory mapped by merges grew
/// with it, issue 13), while a search still sees few segments (~1 per
/// 80k documents, plus at most 7 small recent ones).
fn merge_policy() -> tantivy::indexer::LogMergePolicy {
    let mut p = tantivy::indexer::LogMergePolicy::default();
    p.set_max_docs_before_merge(MAX_DOCS_BEFORE_MERGE);
    p
}

/// An open index generation.
#[derive(Clone)]
pub struct IndexHandle {
    /// The tantivy index.
    pub index: Index,
    /// Its fields.
    pub fields: Fields,
    /// Which generation it is.
    pub generation: u64,
}

impl IndexHandle {
    /// Opens the live generation, checking its version. `Ok(None)` when
    /// there is no index yet.
    pub fn open_live(dd: &DataDir) -> Result<Option<IndexHandle>, Error> {
        let Some(generation) = dd.current()? else {
            return Ok(None);
        };
        dd.check_version()?;
        Self::open_generation(dd, generation).map(Some)
    }

    /// Opens generation `n`.
    pub fn open_generation(dd: &DataDir, n: u64) -> Result<IndexHandle, Error> {
        let index = Index::open_in_dir(dd.generation_path(n))?;
        register_analyzers(&index);
        let fields = Fields::new(&index.schema())?;
        Ok(IndexHandle {
            index,
            fields,
            generation: n,
        })
    }

    /// Creates generation `n` (removing any partial leftover of it).
    pub fn create_generation(dd: &DataDir, n: u64) -> Result<IndexHandle, Error> {
        let path = dd.generation_path(n);
        if path.exists() {
            fs::remove_dir_all(&path).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?;
        }
        fs::create_dir_all(&path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        let index = Index::create_in_dir(&path, schema::schema())?;
        register_analyzers(&index);
        dd.write_generation_version(n, Version::CURRENT)?;
        let fields = Fields::new(&index.schema())?;
        Ok(IndexHandle {
            index,
            fields,
            generation: n,
        })
    }

    /// Makes this generation the live one.
    pub fn make_live(&self, dd: &DataDir) -> Result<(), Error> {
        dd.set_current(self.generation, Version::CURRENT)?;
        Ok(())
    }

    /// A reader that reloads on commit.
    pub fn reader(&self) -> Result<IndexReader, Error> {
        Ok(self
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?)
    }

    /// A writer for this generation.
    pub fn writer(&self) -> Result<Indexer, Error> {
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2)
            .clamp(1, 4);
        let writer = self
            .index
            .writer_with_num_threads(threads, WRITER_BUDGET_BYTES)?;
        writer.set_merge_policy(Box::new(merge_policy()));
        Ok(Indexer {
            writer,
            fields: self.fields,
            index: self.index.clone(),
            written: Vec::new(),
        })
    }
}

/// What a document was built from: the content hash of its stored record
/// and the versions of the extractor and parser that built it. An
/// incremental reindex redoes a document when either differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Build {
    /// Content hash of the stored record.
    pub hash: String,
    /// Extractor and parser versions, e.g. `txt:1+refs:1`.
    pub versions: String,
}

/// Adds, replaces and deletes documents in one generation.
pub struct Indexer {
    writer: IndexWriter,
    fields: Fields,
    /// The index written (to read it back when refreshing states).
    index: Index,
    /// What was written since the last state refresh (issue 12).
    written: Vec<Written>,
}

impl Indexer {
    /// Adds `doc`, replacing any document with the same id.
    pub fn upsert(&mut self, doc: &Document) -> Result<(), Error> {
        self.delete(&doc.id);
        self.add(doc)
    }

    /// Adds `doc` (the caller knows no document with its id exists).
    pub fn add(&mut self, doc: &Document) -> Result<(), Error> {
        self.add_built(doc, None)
    }

    /// Like [`Indexer::upsert`], recording what the document was built from.
    pub fn upsert_built(&mut self, doc: &Document, build: &Build) -> Result<(), Error> {
        self.delete(&doc.id);
        self.add_built(doc, Some(build))
    }

    /// Like [`Indexer::add`], recording what the document was built from.
    pub fn add_built(&mut self, doc: &Document, build: Option<&Build>) -> Result<(), Error> {
        let p = prepare(&self.fields, doc, build);
        self.add_prepared(p)
    }

    /// The field handles, for [`prepare`] on another thread.
    pub fn fields(&self) -> Fields {
        self.fields
    }

    /// Adds a document made by [`prepare`], replacing any document with
    /// the same id.
    pub fn upsert_prepared(&mut self, p: Prepared) -> Result<(), Error> {
        self.delete(&p.written.id);
        self.add_prepared(p)
    }

    /// Adds a document made by [`prepare`] (the caller knows no document
    /// with its id exists).
    pub fn add_prepared(&mut self, p: Prepared) -> Result<(), Error> {
        self.written.push(p.written);
        self.writer.add_document(p.tantivy)?;
        Ok(())
    }

    /// Recomputes the validity state of the documents the ones written
    /// since the last refresh can have changed, and rewrites those whose
    /// state differs (committing first, so that the written documents are
    /// visible). Returns how many were rewritten.
    pub fn refresh_states(&mut self) -> Result<usize, Error> {
        if self.written.is_empty() {
            return Ok(0);
        }
        self.writer.commit()?;
        let written = std::mem::take(&mut self.written);
        let n =
            crate::status::refresh_states(&self.index, &mut self.writer, &self.fields, &written)?;
        Ok(n)
    }

    /// Deletes the document with `id`.
    pub fn delete(&mut self, id: &str) {
        self.writer
            .delete_term(Term::from_field_text(self.fields.id, id));
    }

    /// Commits everything added so far.
    pub fn commit(&mut self) -> Result<(), Error> {
        self.writer.commit()?;
        Ok(())
    }

    /// Refreshes the validity states ([`Indexer::refresh_states`]),
    /// commits and waits for merges to finish.
    pub fn finish(mut self) -> Result<(), Error> {
        self.refresh_states()?;
        self.writer.commit()?;
        self.writer.wait_merging_threads()?;
        Ok(())
    }
}

/// A document ready for the writer: its tantivy document and what the
/// state refresh needs to know of it. Made by [`prepare`], which needs no
/// writer, so that extraction threads can build documents while the
/// writer indexes others.
pub struct Prepared {
    tantivy: tantivy::TantivyDocument,
    written: Written,
}

/// The tantivy document for `doc` (with what it was built from) and its
/// own validity state: everything [`Indexer::add_prepared`] writes.
pub fn prepare(fields: &Fields, doc: &Document, build: Option<&Build>) -> Prepared {
    let mentions = mention_keys(doc);
    let mut t = schema::to_tantivy(fields, doc, &mentions);
    if let Some(b) = build {
        t.add_text(fields.hash, &b.hash);
        t.add_text(fields.built, &b.versions);
    }
    // The state it has on its own; `finish` brings in what other
    // documents say of it.
    t.add_text(fields.status, own_state(doc).as_str());
    Prepared {
        tantivy: t,
        written: Written::of(doc),
    }
}

/// The state of `doc` on its own: its own dates and passive citations,
/// without what other documents say of it.
fn own_state(doc: &Document) -> crate::status::State {
    let own: Vec<_> = doc
        .refs
        .iter()
        .filter(|r| r.is_edge())
        .filter_map(|r| crate::status::passive_statement(doc, r, None))
        .collect();
    crate::status::compute(doc, &own, crate::status::today()).state
}

/// Match keys of every document number in the title and body, deduplicated.
pub fn mention_keys(doc: &Document) -> Vec<String> {
    let mut keys = BTreeSet::new();
    for text in [&doc.title, &doc.body] {
        for m in refs::scan_numbers(text) {
            keys.insert(m.number.key());
        }
    }
    keys.into_iter().collect()
}
