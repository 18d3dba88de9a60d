//! The live [`Engine`]: the generation named by `CURRENT`, reopened when
//! another process (`ingest`, `crawl`, `reindex`) switches it, with no
//! restart. Within a generation, tantivy's reader reloads on commit by
//! itself (`ReloadPolicy::OnCommitWithDelay`), and at each check here when
//! the last commit's segments differ from the reader's, so that a commit is
//! searched by the first check after it.
//!
//! Checking costs two small file reads (`CURRENT`, the generation's
//! `meta.json`), done at most once per
//! [`Limits::reload_interval`](super::Limits::reload_interval) while an
//! engine is open, and on every request while there is none (so the server
//! starts answering as soon as the first index appears).
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use super::error::ApiError;
use crate::datadir::DataDir;
use crate::index::IndexHandle;
use crate::search::Engine;

/// The engine over the live generation, reopened when it changes.
pub struct LiveEngine {
    dd: DataDir,
    engine: RwLock<Option<Arc<Engine>>>,
    started: Instant,
    /// Milliseconds after `started` of the last check.
    last_check_ms: AtomicU64,
    interval: Duration,
    /// One reopen at a time.
    reopening: tokio::sync::Mutex<()>,
    /// Reader reloads the checks made (a commit seen within a generation).
    reloads: AtomicU64,
}

impl LiveEngine {
    /// Serves `dd`, checking for a new generation every `interval`.
    pub fn new(dd: DataDir, interval: Duration) -> LiveEngine {
        LiveEngine {
            dd,
            engine: RwLock::new(None),
            started: Instant::now(),
            last_check_ms: AtomicU64::new(0),
            interval,
            reopening: tokio::sync::Mutex::new(()),
            reloads: AtomicU64::new(0),
        }
    }

    /// How many times a check reloaded the reader of the live generation
    /// because a commit changed its segments (tantivy's own watcher,
    /// which also reloads once when the reader opens, is not counted).
    pub fn reloads(&self) -> u64 {
        self.reloads.load(Ordering::Relaxed)
    }

    /// The data directory served.
    pub fn data_dir(&self) -> &DataDir {
        &self.dd
    }

    /// The engine open now, without checking for a newer generation.
    pub fn cached(&self) -> Option<Arc<Engine>> {
        self.engine
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// Whether this caller should check `CURRENT` now (at most one caller
    /// per interval while an engine is open).
    fn due(&self) -> bool {
        let now = self.now_ms();
        let last = self.last_check_ms.load(Ordering::Relaxed);
        let interval = u64::try_from(self.interval.as_millis()).unwrap_or(u64::MAX);
        now.saturating_sub(last) >= interval
            && self
                .last_check_ms
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
    }

    /// The engine over the live generation: 503 `no_index` when there is
    /// none yet.
    pub async fn get(&self) -> Result<Arc<Engine>, ApiError> {
        let cached = self.cached();
        if let Some(e) = &cached
            && !self.due()
        {
            return Ok(e.clone());
        }
        let live = match self.dd.current() {
            Ok(g) => g,
            Err(e) => {
                tracing::warn!(error = %e, "reading the live generation");
                return cached.ok_or_else(|| ApiError::IndexUnavailable(e.to_string()));
            }
        };
        match (live, cached) {
            (None, Some(e)) => Ok(e),
            (None, None) => Err(ApiError::NoIndex),
            (Some(g), Some(e)) if e.generation() == g => {
                match committed_changed(&e) {
                    Ok(false) => {}
                    Ok(true) => {
                        self.reloads.fetch_add(1, Ordering::Relaxed);
                        if let Err(err) = e.reload() {
                            tracing::warn!(error = %err, "reloading the live generation");
                        }
                    }
                    Err(err) => {
                        tracing::warn!(error = %err, "reading the live generation's commit")
                    }
                }
                Ok(e)
            }
            (Some(g), _) => self.reopen(g).await,
        }
    }

    async fn reopen(&self, generation: u64) -> Result<Arc<Engine>, ApiError> {
        let _one = self.reopening.lock().await;
        if let Some(e) = self.cached()
            && e.generation() == generation
        {
            return Ok(e);
        }
        let dd = self.dd.clone();
        let opened = tokio::task::spawn_blocking(move || -> Result<Option<Engine>, String> {
            let Some(handle) = IndexHandle::open_live(&dd).map_err(|e| e.to_string())? else {
                return Ok(None);
            };
            Engine::new(handle).map(Some).map_err(|e| e.to_string())
        })
        .await
        .map_err(|e| format!("opening the index: {e}"))
        .and_then(|r| r);
        match opened {
            Ok(Some(engine)) => {
                tracing::info!(generation = engine.generation(), "serving index generation");
                let engine = Arc::new(engine);
                *self.engine.write().unwrap_or_else(|e| e.into_inner()) = Some(engine.clone());
                Ok(engine)
            }
            Ok(None) => self.cached().ok_or(ApiError::NoIndex),
            Err(detail) => {
                // Keep answering from the generation already open, if any.
                tracing::error!(generation, error = %detail, "cannot open the live index");
                self.cached().ok_or(ApiError::IndexUnavailable(detail))
            }
        }
    }
}

/// Whether the last commit of `engine`'s generation searches other
/// segments (or other deletes) than its reader does. A reload without a
/// change is not free: tantivy opens every segment again and numbers a new
/// searcher generation, and everything kept per searcher generation (facet
/// counts, document frequencies, the did-you-mean vocabulary, the document
/// store's block cache) starts over. Reloading at every check (issue 13)
/// threw them away twice a second under load.
fn committed_changed(engine: &Engine) -> tantivy::Result<bool> {
    let committed = engine.handle().index.searchable_segment_metas()?;
    let searcher = engine.searcher();
    let readers = searcher.segment_readers();
    Ok(committed.len() != readers.len()
        || committed.iter().any(|m| {
            !readers
                .iter()
                .any(|r| r.segment_id() == m.id() && r.delete_opstamp() == m.delete_opstamp())
        }))
}
