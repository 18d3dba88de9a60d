//! The crawl loop. One orchestrator owns the store (a single SQLite
//! connection with a transaction committed every few hundred results or
//! half second) and decides what to fetch; fetch jobs run as tokio tasks,
//! one per host at a time, and send their outcome back on a channel.
//!
//! Dispatch rules: a host's robots.txt is read first (from the store
//! while it is under a day old); a URL its robots.txt disallows is marked
//! skipped and never requested; a host gets a job only when none of its
//! requests is in flight and its delay has passed; at most `concurrency`
//! jobs run at once. The frontier is read from SQLite a few dozen URLs per
//! host at a time, so a million queued URLs cost no memory.
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;
use url::Url;

use super::backoff::{self, FailureKind};
use super::fetch::{Accept, Fetch, FetchRequest, FetchedPage, now_ms};
use super::robots::{self, Robots};
use super::scheduler::Gate;
use super::url::Scope;
use super::{Config, Error, MAX_REDIRECTS, charset, index, links, politeness, sitemap};
use crate::datadir::{DataDir, WriteLock};
use crate::store::frontier::{Entry, Outcome, State};
use crate::store::pages::{PageKind, PageRow};
use crate::store::{self, Store};

/// URLs read from the frontier per host at a time.
const BATCH: usize = 64;
/// Results between two store commits.
const COMMIT_EVERY: u64 = 256;
/// Longest time between two store commits.
const COMMIT_INTERVAL: Duration = Duration::from_millis(500);
/// Failures kept in the report.
const MAX_FAILURES_KEPT: usize = 200;

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
    /// Documents added or replaced in the index.
    pub indexed: u64,
    /// Documents removed from the index.
    pub removed: u64,
    /// Pages whose content was already indexed under another URL.
    pub duplicates: u64,
    /// How long it took.
    pub elapsed: Duration,
    /// The first failures: URL and reason.
    pub failures: Vec<(String, String)>,
}

enum RobotsState {
    Unknown,
    Fetching,
    Ready(Arc<Robots>),
    Unavailable,
}

struct Origin {
    host: String,
    robots: RobotsState,
    buffer: VecDeque<Entry>,
    exhausted: bool,
}

enum PageOutcome {
    Fetched {
        page: FetchedPage,
        final_url: Url,
        links: Vec<Url>,
        attachments: Vec<(Url, String)>,
        sitemap: Option<sitemap::Sitemap>,
    },
    Redirected {
        page: FetchedPage,
        target: Url,
    },
    Failed {
        page: Option<FetchedPage>,
        reason: String,
    },
    Skipped {
        reason: String,
    },
}

// One per finished job, moved once through the channel.
#[allow(clippy::large_enum_variant)]
enum JobOutput {
    Page {
        entry: Entry,
        origin: String,
        outcome: PageOutcome,
    },
    Robots {
        origin: String,
        url: Url,
        result: Result<FetchedPage, String>,
    },
}

struct Ctx<F> {
    fetcher: F,
    gate: Gate,
    config: Config,
    scope: Scope,
}

/// Runs a crawl into `dd` (the caller holds its write lock) with
/// `fetcher` as the transport, then indexes what changed (unless
/// `config.no_index`).
pub fn run<F: Fetch>(
    dd: &DataDir,
    _lock: &WriteLock,
    config: &Config,
    fetcher: F,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<Report, Error> {
    if config.seeds.is_empty() {
        return Err(Error::Config("no seed URL".into()));
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Runtime(e.to_string()))?;
    let store = Store::open(&dd.store_path())?;
    let ctx = Arc::new(Ctx {
        fetcher,
        gate: Gate::new(config.delay),
        scope: Scope::new(&config.seeds, &config.allow_hosts),
        config: config.clone(),
    });
    let (tx, rx) = mpsc::unbounded_channel();
    let mut engine = Engine {
        store,
        ctx,
        origins: HashMap::new(),
        order: Vec::new(),
        busy: HashSet::new(),
        tx,
        rx,
        in_flight: 0,
        dispatched: 0,
        report: Report::default(),
        progress: Progress::default(),
        since_commit: 0,
        last_commit: Instant::now(),
        last_progress: Instant::now(),
        since_index: 0,
        started: Instant::now(),
        on_event,
        dd,
    };
    let result = rt.block_on(engine.crawl());
    // Whatever happened, keep what was fetched.
    let _ = engine.store.commit();
    result?;
    engine.conclude()
}

struct Engine<'a, F> {
    store: Store,
    ctx: Arc<Ctx<F>>,
    origins: HashMap<String, Origin>,
    order: Vec<String>,
    busy: HashSet<String>,
    tx: mpsc::UnboundedSender<JobOutput>,
    rx: mpsc::UnboundedReceiver<JobOutput>,
    in_flight: usize,
    dispatched: u64,
    report: Report,
    progress: Progress,
    since_commit: u64,
    last_commit: Instant,
    last_progress: Instant,
    since_index: u64,
    started: Instant,
    on_event: &'a mut dyn FnMut(Event<'_>),
    dd: &'a DataDir,
}

fn origin_of(u: &Url) -> String {
    u.origin().ascii_serialization()
}

impl<F: Fetch> Engine<'_, F> {
    async fn crawl(&mut self) -> Result<(), Error> {
        self.store.begin()?;
        self.seed()?;
        loop {
            while let Ok(out) = self.rx.try_recv() {
                self.handle(out)?;
            }
            self.maybe_commit(false)?;
            let wake = self.dispatch()?;
            if self.in_flight == 0 && wake.is_none() {
                break;
            }
            let sleep = wake
                .unwrap_or(Duration::from_millis(250))
                .min(Duration::from_millis(250));
            tokio::select! {
                out = self.rx.recv() => {
                    if let Some(out) = out {
                        self.handle(out)?;
                    }
                }
                _ = tokio::time::sleep(sleep) => {}
            }
            self.emit_progress(false);
        }
        self.emit_progress(true);
        self.store.commit()?;
        Ok(())
    }

    fn seed(&mut self) -> Result<(), Error> {
        let now = now_ms();
        for seed in self.ctx.config.seeds.clone() {
            let origin = origin_of(&seed);
            self.store
                .enqueue(seed.as_str(), &origin, "page", 0, None, now)?;
            self.store.requeue_seed(seed.as_str())?;
            self.add_origin(&origin);
        }
        for origin in self.store.frontier_hosts()? {
            let Ok(u) = Url::parse(&origin) else { continue };
            if self.ctx.scope.allows(&u) {
                let cutoff = now.saturating_sub(
                    self.ctx
                        .config
                        .recrawl_after
                        .as_millis()
                        .min(i64::MAX as u128) as i64,
                );
                self.store.requeue_due(&origin, cutoff)?;
                self.add_origin(&origin);
            }
        }
        self.progress.queued = self.store.queued_count(None)?;
        Ok(())
    }

    fn add_origin(&mut self, origin: &str) -> &mut Origin {
        if !self.origins.contains_key(origin) {
            let host = Url::parse(origin)
                .map(|u| super::url::host(&u).to_string())
                .unwrap_or_default();
            self.order.push(origin.to_string());
            self.origins.insert(
                origin.to_string(),
                Origin {
                    host,
                    robots: RobotsState::Unknown,
                    buffer: VecDeque::new(),
                    exhausted: false,
                },
            );
        }
        self.origins.get_mut(origin).expect("inserted above")
    }

    fn limit_reached(&self) -> bool {
        self.ctx
            .config
            .max_pages
            .is_some_and(|m| self.dispatched >= m)
    }

    /// Starts every job that may start now; returns how long until the
    /// next one might (`None`: nothing left to start).
    fn dispatch(&mut self) -> Result<Option<Duration>, Error> {
        if self.limit_reached() {
            return Ok(None);
        }
        let now = self.ctx.gate.now_ms();
        let mut wake: Option<u64> = None;
        let mut pending_work = false;
        let n = self.order.len();
        // Rotate the starting host so every host gets its turn.
        let start = (self.dispatched as usize) % n.max(1);
        for k in 0..n {
            if self.in_flight >= self.ctx.config.concurrency.max(1) || self.limit_reached() {
                pending_work = true;
                break;
            }
            let origin = self.order[(start + k) % n].clone();
            if self.ready_robots(&origin)?.is_none() {
                let o = &self.origins[&origin];
                if matches!(o.robots, RobotsState::Fetching) {
                    pending_work = true;
                }
                continue;
            }
            let host = self.origins[&origin].host.clone();
            if self.busy.contains(&host) {
                pending_work = true;
                continue;
            }
            let Some(entry) = self.next_allowed(&origin)? else {
                continue;
            };
            let ready = self.ctx.gate.ready_at(&host).unwrap_or(now);
            if ready > now {
                self.origins
                    .get_mut(&origin)
                    .expect("known origin")
                    .buffer
                    .push_front(entry);
                wake = Some(wake.map_or(ready, |w| w.min(ready)));
                continue;
            }
            self.spawn_page(origin, host, entry);
        }
        Ok(match wake {
            Some(t) => Some(Duration::from_millis(t.saturating_sub(now))),
            None if pending_work || self.in_flight > 0 => Some(Duration::from_millis(250)),
            None => None,
        })
    }

    /// The robots.txt of `origin` when it is known; starts fetching it
    /// (or reads it from the store) otherwise.
    fn ready_robots(&mut self, origin: &str) -> Result<Option<Arc<Robots>>, Error> {
        match &self.origins[origin].robots {
            RobotsState::Ready(r) => return Ok(Some(r.clone())),
            RobotsState::Fetching | RobotsState::Unavailable => return Ok(None),
            RobotsState::Unknown => {}
        }
        let Some(url) = Url::parse(origin).ok().and_then(|u| robots::robots_url(&u)) else {
            self.add_origin(origin).robots = RobotsState::Unavailable;
            return Ok(None);
        };
        // Reuse a stored robots.txt while it is fresh.
        let fresh = now_ms() - robots::TTL.as_millis() as i64;
        if let Some(row) = self.store.latest_page(url.as_str(), PageKind::Robots)?
            && row.fetched_at >= fresh
            && let Some(status) = row.status
            && (200..500).contains(&status)
        {
            let r =
                Robots::from_response(status, row.body.as_deref().unwrap_or(b""), robots::AGENT);
            return Ok(Some(self.robots_ready(origin, r)?));
        }
        let host = self.origins[origin].host.clone();
        if self.busy.contains(&host) {
            return Ok(None);
        }
        self.add_origin(origin).robots = RobotsState::Fetching;
        self.busy.insert(host.clone());
        self.in_flight += 1;
        let ctx = self.ctx.clone();
        let origin = origin.to_string();
        self.spawn(async move {
            let result = robots_job(&ctx, &host, url.clone()).await;
            JobOutput::Robots {
                origin,
                url,
                result,
            }
        });
        Ok(None)
    }

    fn robots_ready(&mut self, origin: &str, r: Robots) -> Result<Arc<Robots>, Error> {
        let host = self.origins[origin].host.clone();
        let delay = politeness::host_delay(self.ctx.config.delay, r.crawl_delay());
        self.ctx.gate.set_delay(&host, delay);
        // Sitemaps: the ones robots.txt lists, and /sitemap.xml.
        let now = now_ms();
        let mut maps: Vec<(String, &str)> = r
            .sitemaps()
            .iter()
            .map(|s| (s.clone(), "sitemap"))
            .collect();
        if let Ok(u) = Url::parse(origin).and_then(|u| u.join("/sitemap.xml")) {
            maps.push((u.to_string(), "sitemap-guess"));
        }
        for (s, kind) in maps {
            let Some(u) = super::url::parse(&s) else {
                continue;
            };
            if self.ctx.scope.allows(&u) {
                let o = origin_of(&u);
                if self.store.enqueue(u.as_str(), &o, kind, 0, None, now)? {
                    self.progress.queued += 1;
                    self.add_origin(&o).exhausted = false;
                }
            }
        }
        let r = Arc::new(r);
        self.add_origin(origin).robots = RobotsState::Ready(r.clone());
        Ok(r)
    }

    /// The next queued URL of `origin` that robots.txt allows; disallowed
    /// ones are marked skipped on the way.
    fn next_allowed(&mut self, origin: &str) -> Result<Option<Entry>, Error> {
        let Some(RobotsState::Ready(robots)) = self.origins.get(origin).map(|o| &o.robots) else {
            return Ok(None);
        };
        let robots = robots.clone();
        loop {
            let o = self.origins.get_mut(origin).expect("known origin");
            if o.buffer.is_empty() {
                if o.exhausted {
                    return Ok(None);
                }
                let batch = self.store.next_queued(origin, BATCH)?;
                let o = self.origins.get_mut(origin).expect("known origin");
                if batch.is_empty() {
                    o.exhausted = true;
                    return Ok(None);
                }
                o.buffer.extend(batch);
            }
            let o = self.origins.get_mut(origin).expect("known origin");
            let Some(entry) = o.buffer.pop_front() else {
                return Ok(None);
            };
            let allowed = Url::parse(&entry.url).is_ok_and(|u| robots.allowed(&u));
            if allowed {
                return Ok(Some(entry));
            }
            self.finish(
                &entry,
                State::Skipped,
                None,
                Some("disallowed by robots.txt".into()),
                false,
            )?;
            self.report.skipped += 1;
        }
    }

    fn spawn(&self, job: impl std::future::Future<Output = JobOutput> + Send + 'static) {
        let tx = self.tx.clone();
        let handle = tokio::spawn(job);
        tokio::spawn(async move {
            if let Ok(out) = handle.await {
                let _ = tx.send(out);
            }
        });
    }

    fn spawn_page(&mut self, origin: String, host: String, entry: Entry) {
        let Some(RobotsState::Ready(robots)) = self.origins.get(&origin).map(|o| &o.robots) else {
            return;
        };
        let robots = robots.clone();
        self.busy.insert(host.clone());
        self.in_flight += 1;
        self.dispatched += 1;
        let ctx = self.ctx.clone();
        self.spawn(async move {
            let outcome = page_job(&ctx, &host, &entry, &robots).await;
            JobOutput::Page {
                entry,
                origin,
                outcome,
            }
        });
    }

    fn handle(&mut self, out: JobOutput) -> Result<(), Error> {
        self.in_flight = self.in_flight.saturating_sub(1);
        self.since_commit += 1;
        match out {
            JobOutput::Robots {
                origin,
                url,
                result,
            } => {
                let host = self
                    .origins
                    .get(&origin)
                    .map(|o| o.host.clone())
                    .unwrap_or_default();
                self.busy.remove(&host);
                self.robots_done(&origin, &url, result)
            }
            JobOutput::Page {
                entry,
                origin,
                outcome,
            } => {
                let host = self
                    .origins
                    .get(&origin)
                    .map(|o| o.host.clone())
                    .unwrap_or_default();
                self.busy.remove(&host);
                self.progress.fetched += 1;
                self.report.fetched += 1;
                self.page_done(&entry, outcome)
            }
        }
    }

    fn robots_done(
        &mut self,
        origin: &str,
        url: &Url,
        result: Result<FetchedPage, String>,
    ) -> Result<(), Error> {
        let (row, robots) = match result {
            Ok(page) => {
                let mut body = page.body.clone();
                body.truncate(robots::MAX_ROBOTS_BYTES);
                let r = Robots::from_response(page.status, &body, robots::AGENT);
                let row = PageRow {
                    url: url.to_string(),
                    final_url: Some(page.url.to_string()).filter(|f| f != url.as_str()),
                    kind: PageKind::Robots,
                    status: Some(page.status),
                    headers: page.header_lines(),
                    fetched_at: page.fetched_at,
                    hash: Some(store::content_hash(&body)),
                    body: Some(body),
                    error: (!r.is_usable()).then(|| format!("HTTP {}", page.status)),
                };
                (row, r)
            }
            Err(reason) => (
                PageRow {
                    url: url.to_string(),
                    final_url: None,
                    kind: PageKind::Robots,
                    status: None,
                    headers: String::new(),
                    fetched_at: now_ms(),
                    body: None,
                    hash: None,
                    error: Some(reason),
                },
                Robots::Unavailable,
            ),
        };
        self.store.insert_page(&row)?;
        if robots.is_usable() {
            self.robots_ready(origin, robots)?;
        } else {
            self.add_origin(origin).robots = RobotsState::Unavailable;
            self.report.deferred_hosts += 1;
            let reason = format!(
                "robots.txt unavailable ({}): the host's URLs stay queued for a later crawl",
                row.error.as_deref().unwrap_or("unknown")
            );
            (self.on_event)(Event::HostDeferred {
                origin,
                reason: &reason,
            });
        }
        Ok(())
    }

    fn finish(
        &mut self,
        entry: &Entry,
        state: State,
        page_id: Option<i64>,
        error: Option<String>,
        reindex: bool,
    ) -> Result<(), Error> {
        let due = now_ms();
        self.store.finish(
            &entry.url,
            &Outcome {
                state,
                page_id,
                checked_at: due,
                etag: None,
                last_modified: None,
                hash: None,
                error,
                reindex,
            },
        )?;
        self.progress.queued = self.progress.queued.saturating_sub(1);
        Ok(())
    }

    fn fail(
        &mut self,
        entry: &Entry,
        page: Option<&FetchedPage>,
        reason: String,
    ) -> Result<(), Error> {
        let row = PageRow {
            url: entry.url.clone(),
            final_url: None,
            kind: kind_of(entry),
            status: page.map(|p| p.status),
            headers: page.map(FetchedPage::header_lines).unwrap_or_default(),
            fetched_at: page.map(|p| p.fetched_at).unwrap_or_else(now_ms),
            body: None,
            hash: None,
            error: Some(reason.clone()),
        };
        self.store.insert_page(&row)?;
        // A page that was good before keeps its document and is tried
        // again when due; anything else failed for good.
        let state = if entry.page_id.is_some() {
            State::Done
        } else {
            State::Failed
        };
        self.finish(entry, state, None, Some(reason.clone()), false)?;
        self.report.failed += 1;
        self.progress.errors += 1;
        if self.report.failures.len() < MAX_FAILURES_KEPT {
            self.report
                .failures
                .push((entry.url.clone(), reason.clone()));
        }
        (self.on_event)(Event::Failed {
            url: &entry.url,
            reason: &reason,
        });
        Ok(())
    }

    fn page_done(&mut self, entry: &Entry, outcome: PageOutcome) -> Result<(), Error> {
        let guess = entry.kind == "sitemap-guess";
        match outcome {
            PageOutcome::Skipped { reason } => {
                self.finish(entry, State::Skipped, None, Some(reason), false)?;
                self.report.skipped += 1;
            }
            PageOutcome::Failed { page, reason } => {
                if guess {
                    self.finish(entry, State::Skipped, None, Some(reason), false)?;
                    self.report.skipped += 1;
                } else {
                    self.fail(entry, page.as_ref(), reason)?;
                }
            }
            PageOutcome::Redirected { page, target } => {
                let row = PageRow {
                    url: entry.url.clone(),
                    final_url: Some(target.to_string()),
                    kind: kind_of(entry),
                    status: Some(page.status),
                    headers: page.header_lines(),
                    fetched_at: page.fetched_at,
                    body: None,
                    hash: None,
                    error: None,
                };
                self.store.insert_page(&row)?;
                self.finish(entry, State::Done, None, None, false)?;
                let kind = if entry.kind == "attachment" {
                    "attachment"
                } else {
                    &entry.kind
                };
                let kind = kind.to_string();
                self.enqueue(&target, &kind, entry.depth, Some(&entry.url), true)?;
            }
            PageOutcome::Fetched {
                page,
                final_url,
                links,
                attachments,
                sitemap,
            } => self.fetched(entry, page, final_url, links, attachments, sitemap)?,
        }
        Ok(())
    }

    fn fetched(
        &mut self,
        entry: &Entry,
        page: FetchedPage,
        final_url: Url,
        links: Vec<Url>,
        attachments: Vec<(Url, String)>,
        sitemap: Option<sitemap::Sitemap>,
    ) -> Result<(), Error> {
        let now = now_ms();
        let due = now;
        let status = page.status;
        let final_str = (final_url.as_str() != entry.url).then(|| final_url.to_string());
        if let Some(f) = &final_str {
            self.store
                .mark_alias(f, &origin_of(&final_url), entry.depth, due, now)?;
        }
        let mut row = PageRow {
            url: entry.url.clone(),
            final_url: final_str,
            kind: kind_of(entry),
            status: Some(status),
            headers: page.header_lines(),
            fetched_at: page.fetched_at,
            body: None,
            hash: None,
            error: None,
        };
        if page.body_skipped {
            let ct = page.header("content-type").unwrap_or("?").to_string();
            row.error = Some(format!("unsupported content type {ct}"));
            self.store.insert_page(&row)?;
            self.finish(entry, State::Skipped, None, row.error.clone(), false)?;
            self.report.skipped += 1;
            return Ok(());
        }
        if status == 304 {
            self.store.insert_page(&row)?;
            self.finish(entry, State::Done, None, None, false)?;
            self.report.not_modified += 1;
            return Ok(());
        }
        if (200..300).contains(&status) {
            let hash = store::content_hash(&page.body);
            let unchanged = entry.hash.as_deref() == Some(hash.as_str());
            row.hash = Some(hash.clone());
            if !unchanged {
                row.body = Some(page.body);
            }
            let id = self.store.insert_page(&row)?;
            let is_page = entry.kind == "page";
            self.store.finish(
                &entry.url,
                &Outcome {
                    state: State::Done,
                    page_id: (!unchanged).then_some(id),
                    checked_at: due,
                    etag: page
                        .headers
                        .iter()
                        .find(|(k, _)| k == "etag")
                        .map(|(_, v)| v.clone()),
                    last_modified: page
                        .headers
                        .iter()
                        .find(|(k, _)| k == "last-modified")
                        .map(|(_, v)| v.clone()),
                    hash: Some(hash),
                    error: None,
                    reindex: !unchanged && is_page,
                },
            )?;
            self.progress.queued = self.progress.queued.saturating_sub(1);
            if unchanged {
                self.report.unchanged += 1;
            } else if entry.page_id.is_some() {
                self.report.changed += 1;
            } else {
                self.report.new += 1;
            }
            if !unchanged && is_page {
                self.since_index += 1;
            }
            for (u, name) in &attachments {
                self.store.add_attachment(&entry.url, u.as_str(), name)?;
                if self.ctx.config.attachments {
                    self.enqueue(u, "attachment", entry.depth + 1, Some(&entry.url), false)?;
                }
            }
            for u in &links {
                self.enqueue(u, "page", entry.depth + 1, Some(&entry.url), false)?;
            }
            if let Some(sm) = sitemap {
                let kind = if sm.is_index { "sitemap" } else { "page" };
                for s in &sm.urls {
                    if let Some(u) = super::url::parse(s) {
                        self.enqueue(&u, kind, entry.depth + 1, Some(&entry.url), false)?;
                    }
                }
            }
            if self.since_index >= super::INDEX_EVERY && !self.ctx.config.no_index {
                self.index_now()?;
            }
            return Ok(());
        }
        if (status == 404 || status == 410) && entry.page_id.is_some() {
            // Gone: out of the index, history kept.
            self.store.insert_page(&row)?;
            self.finish(
                entry,
                State::Gone,
                None,
                Some(format!("HTTP {status}")),
                true,
            )?;
            self.report.gone += 1;
            return Ok(());
        }
        let reason = format!("HTTP {status}");
        if entry.kind == "sitemap-guess" {
            row.error = Some(reason.clone());
            self.store.insert_page(&row)?;
            self.finish(entry, State::Skipped, None, Some(reason), false)?;
            self.report.skipped += 1;
            return Ok(());
        }
        self.fail(entry, Some(&page), reason)
    }

    /// Queues a discovered URL if the crawl wants it. `redirect`: the
    /// target of a redirect, which filters do not apply to.
    fn enqueue(
        &mut self,
        u: &Url,
        kind: &str,
        depth: u32,
        referrer: Option<&str>,
        redirect: bool,
    ) -> Result<(), Error> {
        let cfg = &self.ctx.config;
        if !redirect && (cfg.max_depth.is_some_and(|m| depth > m) || !cfg.wants(u.as_str())) {
            return Ok(());
        }
        if !self.ctx.scope.allows(u) {
            return Ok(());
        }
        let origin = origin_of(u);
        if self
            .store
            .enqueue(u.as_str(), &origin, kind, depth, referrer, now_ms())?
        {
            self.progress.queued += 1;
            self.add_origin(&origin).exhausted = false;
        }
        Ok(())
    }

    fn maybe_commit(&mut self, force: bool) -> Result<(), Error> {
        if self.since_commit > 0
            && (force
                || self.since_commit >= COMMIT_EVERY
                || self.last_commit.elapsed() >= COMMIT_INTERVAL)
        {
            self.store.commit()?;
            self.store.begin()?;
            self.since_commit = 0;
            self.last_commit = Instant::now();
        }
        Ok(())
    }

    fn emit_progress(&mut self, force: bool) {
        if force || self.last_progress.elapsed() >= Duration::from_millis(200) {
            self.progress.elapsed = self.started.elapsed();
            let p = self.progress.clone();
            (self.on_event)(Event::Progress(&p));
            self.last_progress = Instant::now();
        }
    }

    /// Indexes what changed so far (long crawls: every
    /// [`super::INDEX_EVERY`] pages).
    fn index_now(&mut self) -> Result<(), Error> {
        self.store.commit()?;
        (self.on_event)(Event::Indexing);
        let r = index::index_pending(self.dd, &mut self.store)?;
        self.report.indexed += r.indexed;
        self.report.removed += r.removed;
        self.report.duplicates += r.duplicates;
        self.since_index = 0;
        self.store.begin()?;
        Ok(())
    }

    fn conclude(mut self) -> Result<Report, Error> {
        if !self.ctx.config.no_index {
            (self.on_event)(Event::Indexing);
            let r = index::index_pending(self.dd, &mut self.store)?;
            self.report.indexed += r.indexed;
            self.report.removed += r.removed;
            self.report.duplicates += r.duplicates;
        }
        self.report.queued = self.store.queued_count(None)?;
        self.report.elapsed = self.started.elapsed();
        Ok(self.report)
    }
}

fn kind_of(entry: &Entry) -> PageKind {
    match entry.kind.as_str() {
        "sitemap" | "sitemap-guess" => PageKind::Sitemap,
        _ => PageKind::Page,
    }
}

fn failure_kind(status: u16) -> Option<FailureKind> {
    match status {
        429 => Some(FailureKind::TooManyRequests),
        500..=599 => Some(FailureKind::ServerError),
        _ => None,
    }
}

/// Fetches robots.txt: redirects within the crawl's hosts followed (at
/// most [`MAX_REDIRECTS`]), retries as for pages. `Err` when the host
/// could not be reached.
async fn robots_job<F: Fetch>(ctx: &Ctx<F>, host: &str, url: Url) -> Result<FetchedPage, String> {
    let mut entry = Entry {
        url: url.to_string(),
        kind: "robots".into(),
        depth: 0,
        state: State::Queued,
        etag: None,
        last_modified: None,
        hash: None,
        page_id: None,
        error: None,
    };
    let mut host = host.to_string();
    // Redirects to another of the crawl's hosts (http → https, the www.
    // twin) are followed too; the gate spaces every hop on its own host.
    for _ in 0..=MAX_REDIRECTS {
        match page_job(ctx, &host, &entry, &Robots::AllowAll).await {
            PageOutcome::Fetched { page, .. } => return Ok(page),
            PageOutcome::Redirected { page, target } => {
                if entry.url == target.as_str() {
                    return Ok(as_missing(page));
                }
                host = super::url::host(&target).to_string();
                entry.url = target.to_string();
            }
            // A robots.txt that redirects off the crawl or loops counts
            // as none (like a 404).
            PageOutcome::Failed {
                page: Some(p),
                reason,
            } if (300..500).contains(&p.status) && !reason.starts_with("too large") => {
                return Ok(as_missing(p));
            }
            PageOutcome::Failed { page: Some(p), .. } if p.status >= 500 || p.status == 429 => {
                return Ok(p);
            }
            PageOutcome::Failed { reason, .. } | PageOutcome::Skipped { reason } => {
                return Err(reason);
            }
        }
    }
    Err("robots.txt: too many redirects".into())
}

fn as_missing(mut page: FetchedPage) -> FetchedPage {
    page.status = 404;
    page.body.clear();
    page
}

// Short-lived, one per request: boxing would only add allocations.
#[allow(clippy::large_enum_variant)]
enum Step {
    Again(Option<Duration>),
    Done(PageOutcome),
}

/// Fetches one frontier URL: redirects on the same host followed (each
/// hop spaced by the gate), retries with backoff, then the links read.
async fn page_job<F: Fetch>(
    ctx: &Ctx<F>,
    host: &str,
    entry: &Entry,
    robots: &Robots,
) -> PageOutcome {
    let Ok(start) = Url::parse(&entry.url) else {
        return PageOutcome::Failed {
            page: None,
            reason: "not a valid URL".into(),
        };
    };
    let accept = match entry.kind.as_str() {
        "sitemap" | "sitemap-guess" => Accept::Sitemap,
        "attachment" => Accept::Any,
        "robots" => Accept::Robots,
        _ => Accept::Page,
    };
    let cfg = &ctx.config;
    let mut url = start.clone();
    let conditional = entry.page_id.is_some();
    let mut etag = entry.etag.clone().filter(|_| conditional);
    let mut last_modified = entry.last_modified.clone().filter(|_| conditional);
    let (mut hops, mut retries, mut timeouts) = (0u32, 0u32, 0u32);
    loop {
        ctx.gate.acquire(host).await;
        let req = FetchRequest {
            url: url.clone(),
            etag: etag.clone(),
            last_modified: last_modified.clone(),
            accept,
            max_body: if accept == Accept::Robots {
                robots::MAX_ROBOTS_BYTES * 2
            } else {
                cfg.max_body
            },
            timeout: cfg.timeout,
        };
        let result = ctx.fetcher.fetch(&req).await;
        let step = decide(
            ctx,
            &start,
            &mut url,
            robots,
            result,
            &mut hops,
            &mut retries,
            &mut timeouts,
        );
        let pause = match &step {
            Step::Again(p) => *p,
            Step::Done(_) => None,
        };
        ctx.gate.release(host, pause);
        match step {
            Step::Again(_) => {
                // A new URL (redirect) is asked without validators.
                if url != start {
                    etag = None;
                    last_modified = None;
                }
            }
            Step::Done(PageOutcome::Fetched {
                page, final_url, ..
            }) => {
                return read_links(entry, page, final_url);
            }
            Step::Done(outcome) => return outcome,
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn decide<F>(
    ctx: &Ctx<F>,
    start: &Url,
    url: &mut Url,
    robots: &Robots,
    result: Result<FetchedPage, Error>,
    hops: &mut u32,
    retries: &mut u32,
    timeouts: &mut u32,
) -> Step {
    let cfg = &ctx.config;
    let jitter = fastrand::f64();
    match result {
        Ok(page) if (300..400).contains(&page.status) && page.status != 304 => {
            let Some(loc) = page.header("location").map(str::to_string) else {
                return Step::Done(PageOutcome::Failed {
                    reason: format!("HTTP {} without Location", page.status),
                    page: Some(page),
                });
            };
            *hops += 1;
            if *hops > MAX_REDIRECTS {
                return Step::Done(PageOutcome::Failed {
                    reason: format!("too many redirects (more than {MAX_REDIRECTS})"),
                    page: Some(page),
                });
            }
            let Some(target) = super::url::resolve(url, &loc) else {
                return Step::Done(PageOutcome::Failed {
                    reason: format!(
                        "redirect to a URL that is not http(s): {}",
                        loc.chars().take(200).collect::<String>()
                    ),
                    page: Some(page),
                });
            };
            if !ctx.scope.allows(&target) {
                return Step::Done(PageOutcome::Failed {
                    reason: format!(
                        "redirect to a host outside the crawl: {}",
                        super::url::host(&target)
                    ),
                    page: Some(page),
                });
            }
            if target.origin() != start.origin() {
                return Step::Done(PageOutcome::Redirected { page, target });
            }
            if !robots.allowed(&target) {
                return Step::Done(PageOutcome::Skipped {
                    reason: format!("redirect to {target}, disallowed by robots.txt"),
                });
            }
            *url = target;
            Step::Again(None)
        }
        Ok(page) => match failure_kind(page.status) {
            Some(kind) => {
                let retry_after = matches!(page.status, 429 | 503)
                    .then(|| page.header("retry-after"))
                    .flatten()
                    .and_then(|v| backoff::parse_retry_after(v, std::time::SystemTime::now()));
                if retry_after.is_some_and(|d| d > backoff::MAX_RETRY_AFTER) {
                    return Step::Done(PageOutcome::Failed {
                        reason: format!(
                            "HTTP {}: asked to retry after {}s, more than the {}s allowed",
                            page.status,
                            retry_after.unwrap_or_default().as_secs(),
                            backoff::MAX_RETRY_AFTER.as_secs()
                        ),
                        page: Some(page),
                    });
                }
                if backoff::should_retry(kind, *retries) {
                    let wait = backoff::backoff(*retries, cfg.backoff_base, backoff::CAP, jitter);
                    *retries += 1;
                    Step::Again(Some(wait.max(retry_after.unwrap_or_default())))
                } else {
                    Step::Done(PageOutcome::Failed {
                        reason: format!("HTTP {} after {} retries", page.status, *retries),
                        page: Some(page),
                    })
                }
            }
            None => Step::Done(PageOutcome::Fetched {
                page,
                final_url: url.clone(),
                links: Vec::new(),
                attachments: Vec::new(),
                sitemap: None,
            }),
        },
        Err(Error::Timeout(_)) => {
            if backoff::should_retry(FailureKind::Timeout, *timeouts) {
                *timeouts += 1;
                Step::Again(Some(backoff::backoff(
                    0,
                    cfg.backoff_base,
                    backoff::CAP,
                    jitter,
                )))
            } else {
                Step::Done(PageOutcome::Failed {
                    page: None,
                    reason: format!(
                        "timed out after {:?} (retried {} time)",
                        cfg.timeout, *timeouts
                    ),
                })
            }
        }
        Err(Error::Connection(e)) => {
            if backoff::should_retry(FailureKind::Connection, *retries) {
                let wait = backoff::backoff(*retries, cfg.backoff_base, backoff::CAP, jitter);
                *retries += 1;
                Step::Again(Some(wait))
            } else {
                Step::Done(PageOutcome::Failed {
                    page: None,
                    reason: format!("connection failed after {} retries: {e}", *retries),
                })
            }
        }
        Err(e @ Error::TooLarge { .. }) => Step::Done(PageOutcome::Failed {
            page: None,
            reason: e.to_string(),
        }),
        Err(e) => Step::Done(PageOutcome::Failed {
            page: None,
            reason: e.to_string(),
        }),
    }
}

/// Reads the links of a fetched page (or the URLs of a sitemap).
fn read_links(entry: &Entry, page: FetchedPage, final_url: Url) -> PageOutcome {
    let mut links = Vec::new();
    let mut attachments = Vec::new();
    let mut sm = None;
    if (200..300).contains(&page.status) && !page.body.is_empty() && !page.body_skipped {
        let ct = page
            .header("content-type")
            .unwrap_or("")
            .to_ascii_lowercase();
        let xml = ct.contains("xml") || page.body.trim_ascii_start().starts_with(b"<?xml");
        if entry.kind.starts_with("sitemap") && xml {
            sm = Some(sitemap::parse(&page.body));
        } else if entry.kind != "attachment" && !ct.starts_with("text/plain") {
            let html = charset::decode_html(&page.body, page.header("content-type"));
            let l = links::extract(&html, &final_url);
            links = l.follow;
            attachments = l.attachments;
        }
    }
    PageOutcome::Fetched {
        page,
        final_url,
        links,
        attachments,
        sitemap: sm,
    }
}
