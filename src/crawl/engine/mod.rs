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
#[cfg(test)]
mod decide_tests;
use super::{Config, Error, MAX_REDIRECTS, links, politeness, sitemap};
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

mod jobs;
mod outcome;
mod report;

use jobs::{kind_of, page_job, robots_job};
pub use report::{Event, Progress, Report};

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
        /// Hops taken so far (they count on at the target).
        hops: u32,
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
}
