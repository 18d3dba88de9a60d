//! `vanban reindex`: re-extract and re-parse stored records and rebuild the
//! index, on a live system.
//!
//! `--full` builds generation N+1 beside the live N from the store alone,
//! verifies that every stored record is accounted for (indexed or counted
//! as failed) and that the new generation holds exactly the indexed
//! documents, and only then switches `CURRENT` (an atomic rename). A
//! running server keeps answering from N until the switch and reloads
//! after it. A crash or Ctrl-C leaves N untouched; the next reindex removes
//! the partial generation. One previous generation is kept for
//! `--rollback`.
//!
//! Without `--full`, the live generation is updated in place: only records
//! whose content hash, extractor version or parser version differ from
//! what their document was built with are redone, and documents whose
//! records are gone are deleted.
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, sync_channel};
use std::sync::{Arc, Mutex};

use crate::datadir::{DataDir, Version, WriteLock};
use crate::index::{self, Build, IndexHandle, Indexer, schema};
use crate::ingest::{self, Failure};
use crate::store::{self, Record, Store};

/// Errors that stop a reindex.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] store::Error),
    /// The index failed.
    #[error(transparent)]
    Index(#[from] index::Error),
    /// tantivy failed.
    #[error("reindex: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// The data directory failed.
    #[error(transparent)]
    DataDir(#[from] crate::datadir::Error),
    /// The new generation did not verify; the live one was kept.
    #[error(
        "reindex: generation {generation} failed verification ({reason}); the live index was kept"
    )]
    Verify {
        /// The generation that failed.
        generation: u64,
        /// What did not add up.
        reason: String,
    },
    /// Interrupted (Ctrl-C); the live index was kept.
    #[error("reindex interrupted; the live index was kept")]
    Interrupted,
    /// Nothing to roll back to.
    #[error("no previous generation to roll back to in {0}")]
    NoRollback(std::path::PathBuf),
    /// Judging crawled pages failed.
    #[error(transparent)]
    Pages(Box<crate::ingest::Error>),
}

/// Options of a reindex.
pub struct Options {
    /// Build a new generation from the store alone.
    pub full: bool,
    /// Extraction threads.
    pub jobs: usize,
    /// What a record's document should be built with (tests override it
    /// to simulate a new extractor or parser version).
    pub build_of: fn(&Record) -> Build,
    /// Set to stop early, leaving the live generation untouched.
    pub cancel: Arc<AtomicBool>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            full: false,
            jobs: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2),
            build_of: ingest::build_of,
            cancel: Arc::new(AtomicBool::new(false)),
        }
    }
}

/// What a reindex did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Stored records read.
    pub records: u64,
    /// Documents (re)built.
    pub indexed: u64,
    /// Records whose documents were up to date.
    pub unchanged: u64,
    /// Records that failed extraction.
    pub failed: u64,
    /// Documents deleted because their records are gone.
    pub removed: u64,
    /// Of the records, crawled pages (their documents rebuilt like the
    /// others').
    pub crawled: u64,
    /// Crawled pages judged again (new or changed extractor: article,
    /// listing …) before the records were rebuilt.
    pub rejudged: u64,
    /// The live generation afterwards.
    pub generation: u64,
    /// Whether `CURRENT` was switched to a new generation.
    pub switched: bool,
}

/// Progress events.
#[derive(Debug)]
pub enum Event<'a> {
    /// The number of stored records, once known.
    Total(u64),
    /// One more record handled.
    Record,
    /// A record failed.
    Failure(&'a Failure),
}

/// Reindexes `dd`. The caller holds the write lock.
pub fn reindex(
    dd: &DataDir,
    _lock: &WriteLock,
    opts: &Options,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<Report, Error> {
    let mut store = Store::open(&dd.store_path())?;
    // Crawled pages judged by another extractor version (or never judged:
    // a crawl with --no-index) are judged first; that writes their records
    // (issue 10), which the passes below rebuild like any other.
    let rejudged = store.rejudge(crate::ingest::pages::judge_version())?;
    let pending_pages = store.index_pending(1)?.len() as u64;
    let live = match IndexHandle::open_live(dd) {
        Ok(live) => live,
        // An index of another version can only be rebuilt.
        Err(index::Error::DataDir(crate::datadir::Error::VersionMismatch { .. })) if opts.full => {
            None
        }
        Err(e) => return Err(e.into()),
    };
    let settled = if rejudged + pending_pages > 0 {
        match &live {
            Some(h) if !opts.full => {
                let mut w = h.writer()?;
                let r = crate::ingest::pages::settle(&mut store, Some(&mut w))
                    .map_err(|e| Error::Pages(Box::new(e)))?;
                w.finish()?;
                r
            }
            _ => crate::ingest::pages::settle(&mut store, None)
                .map_err(|e| Error::Pages(Box::new(e)))?,
        }
    } else {
        Default::default()
    };
    on_event(Event::Total(store.count()?));
    let mut report = match live {
        Some(h) if !opts.full => incremental(&store, &h, opts, on_event),
        _ => full(dd, &store, opts, on_event),
    }?;
    report.rejudged =
        rejudged.max(settled.indexed + settled.merged + settled.not_indexed.values().sum::<u64>());
    Ok(report)
}

fn full(
    dd: &DataDir,
    store: &Store,
    opts: &Options,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<Report, Error> {
    let live = dd.current()?;
    // Anything newer than the live generation is a partial leftover.
    for g in dd.generations()? {
        if live.is_none_or(|l| g > l) {
            remove_generation(dd, g);
        }
    }
    let n = dd
        .generations()?
        .last()
        .copied()
        .unwrap_or(0)
        .max(live.unwrap_or(0))
        + 1;
    let handle = IndexHandle::create_generation(dd, n)?;
    let mut writer = handle.writer()?;
    let counts = pipeline(store, &mut writer, opts, |_| true, on_event);
    let counts = match counts {
        Ok(c) => c,
        Err(e) => {
            drop(writer);
            remove_generation(dd, n);
            return Err(e);
        }
    };
    writer.finish()?;
    // Verify: every record accounted for, and the generation holds exactly
    // the documents indexed.
    let stored = store.count()?;
    let docs = handle.reader()?.searcher().num_docs();
    let fail = |reason: String| {
        remove_generation(dd, n);
        Err(Error::Verify {
            generation: n,
            reason,
        })
    };
    if counts.indexed + counts.failed != stored || counts.records != stored {
        return fail(format!(
            "{} records in the store, {} read, {} indexed, {} failed",
            stored, counts.records, counts.indexed, counts.failed
        ));
    }
    if docs != counts.indexed {
        return fail(format!(
            "{} documents indexed from records, but {docs} searchable",
            counts.indexed
        ));
    }
    if opts.cancel.load(Ordering::Relaxed) {
        remove_generation(dd, n);
        return Err(Error::Interrupted);
    }
    handle.make_live(dd)?;
    // Keep the new generation and the one it replaced.
    for g in dd.generations()? {
        if g != n && Some(g) != live {
            remove_generation(dd, g);
        }
    }
    Ok(Report {
        generation: n,
        switched: true,
        ..counts
    })
}

fn incremental(
    store: &Store,
    live: &IndexHandle,
    opts: &Options,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<Report, Error> {
    let built = built_with(live)?;
    let mut writer = live.writer()?;
    let mut seen: HashSet<String> = HashSet::with_capacity(built.len());
    let mut counts = pipeline(
        store,
        &mut writer,
        opts,
        |rec| {
            seen.insert(rec.id.clone());
            let b = (opts.build_of)(rec);
            built.get(&rec.id) != Some(&(b.hash, b.versions))
        },
        on_event,
    )?;
    for id in built.keys().filter(|id| !seen.contains(*id)) {
        writer.delete(id);
        counts.removed += 1;
    }
    if opts.cancel.load(Ordering::Relaxed) {
        return Err(Error::Interrupted);
    }
    writer.finish()?;
    Ok(Report {
        generation: live.generation,
        ..counts
    })
}

/// id → (hash, versions) of every live document, from fast fields.
fn built_with(h: &IndexHandle) -> Result<HashMap<String, (String, String)>, Error> {
    let searcher = h.reader()?.searcher();
    let mut out = HashMap::new();
    for seg in searcher.segment_readers() {
        let ff = seg.fast_fields();
        let (Some(ids), Some(hashes), Some(built)) = (
            ff.str(schema::ID)?,
            ff.str(schema::HASH)?,
            ff.str(schema::BUILT)?,
        ) else {
            continue;
        };
        let alive = seg.alive_bitset();
        let (mut id, mut hash, mut b) = (String::new(), String::new(), String::new());
        for doc in 0..seg.max_doc() {
            if alive.is_some_and(|a| !a.is_alive(doc)) {
                continue;
            }
            let get = |col: &tantivy::columnar::StrColumn, out: &mut String| {
                out.clear();
                col.term_ords(doc)
                    .next()
                    .is_some_and(|o| col.ord_to_str(o, out).unwrap_or(false))
            };
            if get(&ids, &mut id) {
                get(&hashes, &mut hash);
                get(&built, &mut b);
                out.insert(id.clone(), (hash.clone(), b.clone()));
            }
        }
    }
    Ok(out)
}

/// Streams stored records through `jobs` extraction threads into `writer`.
/// Records for which `redo` is false are counted as unchanged.
fn pipeline(
    store: &Store,
    writer: &mut Indexer,
    opts: &Options,
    mut redo: impl FnMut(&Record) -> bool,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<Report, Error> {
    type Built = (
        String,
        Option<u64>,
        Result<index::Prepared, crate::extract::Error>,
    );
    let jobs = opts.jobs.max(1);
    let (rec_tx, rec_rx) = sync_channel::<Record>(jobs * 64);
    let rec_rx = Arc::new(Mutex::new(rec_rx));
    let (doc_tx, doc_rx) = sync_channel::<Built>(jobs * 64);
    let build_of = opts.build_of;
    let fields = writer.fields();
    let mut report = Report::default();
    std::thread::scope(|s| -> Result<(), Error> {
        for _ in 0..jobs {
            let rx: Arc<Mutex<Receiver<Record>>> = Arc::clone(&rec_rx);
            let tx = doc_tx.clone();
            s.spawn(move || {
                loop {
                    let rec = match rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    let Ok(rec) = rec else { return };
                    // The tantivy document is built here too: only the
                    // writer's own work is left to the indexing side.
                    let build = build_of(&rec);
                    let prepared = ingest::document_of(&rec)
                        .map(|doc| index::prepare(&fields, &doc, Some(&build)));
                    let out = (rec.path.clone(), rec.line, prepared);
                    if tx.send(out).is_err() {
                        return;
                    }
                }
            });
        }
        drop(doc_tx);
        // The indexing side runs on its own thread so that reading the
        // store (this thread) and extraction (the workers) overlap it.
        let consumer = s.spawn(move || -> Result<(u64, u64, Vec<Failure>), index::Error> {
            let (mut indexed, mut failed) = (0, 0);
            let mut failures = Vec::new();
            for (path, line, prepared) in doc_rx {
                match prepared {
                    Ok(p) => {
                        writer.upsert_prepared(p)?;
                        indexed += 1;
                    }
                    Err(e) => {
                        failed += 1;
                        if failures.len() < 1_000 {
                            failures.push(Failure {
                                path: path.into(),
                                line,
                                reason: e.to_string(),
                            });
                        }
                    }
                }
            }
            Ok((indexed, failed, failures))
        });
        let sent = store.for_each_record(|rec| -> Result<(), Error> {
            report.records += 1;
            if rec.format == store::Format::Page {
                report.crawled += 1;
            }
            on_event(Event::Record);
            if opts.cancel.load(Ordering::Relaxed) {
                return Err(Error::Interrupted);
            }
            if redo(&rec) {
                // A closed channel means the consumer failed; its error is
                // reported when it is joined.
                let _ = rec_tx.send(rec);
            } else {
                report.unchanged += 1;
            }
            Ok(())
        });
        drop(rec_tx);
        let joined = consumer.join().unwrap_or(Err(index::Error::Panicked));
        sent?;
        let (indexed, failed, failures) = joined?;
        report.indexed = indexed;
        report.failed = failed;
        for f in &failures {
            on_event(Event::Failure(f));
        }
        Ok(())
    })?;
    Ok(report)
}

fn remove_generation(dd: &DataDir, g: u64) {
    let path = dd.generation_path(g);
    if let Err(e) = std::fs::remove_dir_all(&path) {
        tracing::warn!(path = %path.display(), "could not remove generation: {e}");
    }
}

/// Switches back to the generation before the live one.
pub fn rollback(dd: &DataDir, _lock: &WriteLock) -> Result<u64, Error> {
    let live = dd.current()?;
    let prev = dd
        .generations()?
        .into_iter()
        .filter(|g| live.is_some_and(|l| *g < l))
        .max();
    let Some(prev) = prev else {
        return Err(Error::NoRollback(dd.root().to_path_buf()));
    };
    let version = dd.generation_version(prev)?.unwrap_or(Version::CURRENT);
    dd.set_current(prev, version)?;
    Ok(prev)
}
