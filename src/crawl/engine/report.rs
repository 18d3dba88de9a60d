//! What a crawl reports: live progress, events and the final summary.
use std::time::Duration;

/// Live counters.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    /// Pages fetched this run.
    pub fetched: u64,
    /// URLs waiting in the frontier.
    pub queued: u64,
    /// Permanent failures this run.
    pub errors: u64,
    /// Time since the crawl started.
    pub elapsed: Duration,
}

impl Progress {
    /// Pages per second so far.
    pub fn rate(&self) -> f64 {
        let s = self.elapsed.as_secs_f64();
        if s > 0.0 {
            self.fetched as f64 / s
        } else {
            0.0
        }
    }
}

/// Events for the progress line.
#[derive(Debug)]
pub enum Event<'a> {
    /// Counters changed.
    Progress(&'a Progress),
    /// A URL failed permanently.
    Failed {
        /// The URL.
        url: &'a str,
        /// Why.
        reason: &'a str,
    },
    /// A host's robots.txt could not be read: its URLs wait for a later
    /// crawl.
    HostDeferred {
        /// The host.
        origin: &'a str,
        /// Why.
        reason: &'a str,
    },
    /// Indexing started.
    Indexing,
}

/// What a crawl did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Pages requested this run (robots.txt excluded).
    pub fetched: u64,
    /// New pages stored.
    pub new: u64,
    /// Pages whose content changed.
    pub changed: u64,
    /// Pages fetched again with the same content.
    pub unchanged: u64,
    /// Pages that answered 304.
    pub not_modified: u64,
    /// Permanent failures.
    pub failed: u64,
    /// URLs not fetched (robots.txt, content type, missing sitemap).
    pub skipped: u64,
    /// Pages that now answer 404/410.
    pub gone: u64,
    /// Hosts whose robots.txt could not be read.
    pub deferred_hosts: u64,
    /// URLs still queued at the end.
    pub queued: u64,
    /// What the index passes made of the pages: documents indexed,
    /// removed, pages merged, pages not indexed by reason.
    pub pages: crate::ingest::pages::Report,
    /// How long it took.
    pub elapsed: Duration,
    /// The first failures: URL and reason.
    pub failures: Vec<(String, String)>,
}
