//! WAL checkpoints off the writer's thread, for bulk loads.
//!
//! In WAL mode SQLite copies the log back into the database file (a
//! checkpoint) inside the `COMMIT` that lets the log pass 1,000 pages. In
//! an ingest that commit sits between the index's commit and the next
//! record, so the whole pipeline waited for it: a profile of a Pháp điển
//! ingest on 2 cores showed the main thread alone in `walCheckpoint`
//! (reads, writes and an fsync) for about 0.2 s at the 50k-record commit,
//! the extraction and indexing threads idle. [`Checkpointer`] turns the
//! automatic checkpoints of the writing connection off and runs a passive
//! checkpoint on a connection of its own, on its own thread, after each
//! commit, while the writer goes on. A passive checkpoint never blocks
//! the writer or readers; what it cannot copy yet is copied by the next
//! one or when the last connection closes. Durability is unchanged: a
//! committed transaction is in the log either way.
use std::path::Path;
use std::sync::mpsc::{SyncSender, TrySendError, sync_channel};
use std::thread::JoinHandle;

use rusqlite::Connection;

/// A background thread that checkpoints the store's log on request;
/// dropping it waits for the checkpoint under way.
#[derive(Debug)]
pub struct Checkpointer {
    tx: Option<SyncSender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Opens a second connection to the store at `path` and its thread.
    pub(super) fn start(path: &Path) -> rusqlite::Result<Option<Checkpointer>> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        // One request waiting is enough: a checkpoint copies everything
        // committed before it starts.
        let (tx, rx) = sync_channel::<()>(1);
        let spawned = std::thread::Builder::new()
            .name("store-checkpoint".into())
            .spawn(move || {
                for () in rx {
                    let done = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                    if let Err(e) = done {
                        tracing::debug!("store checkpoint: {e}");
                    }
                }
            });
        Ok(spawned.ok().map(|thread| Checkpointer {
            tx: Some(tx),
            thread: Some(thread),
        }))
    }

    /// Asks for a checkpoint of everything committed so far; returns at
    /// once.
    pub fn request(&self) {
        if let Some(tx) = &self.tx {
            match tx.try_send(()) {
                Ok(()) | Err(TrySendError::Full(())) => {}
                Err(TrySendError::Disconnected(())) => {
                    tracing::debug!("store checkpoint thread is gone");
                }
            }
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        drop(self.tx.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
