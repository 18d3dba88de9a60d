//! The server's limits, and the gate that caps how many searches run at
//! once.
//!
//! tantivy searches block a thread, so they run on tokio's blocking pool;
//! the gate keeps at most [`Limits::max_searches`] of them running. Excess
//! requests wait in line, briefly: when the line is long enough that the
//! expected wait (waiting requests × the recent average search time ÷ the
//! permits) would pass [`Limits::max_queue_wait`], a request is answered at
//! once with 503 and a `Retry-After`; a request that has waited that long
//! without its turn gets the same answer.
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::error::ApiError;
use crate::search::{MAX_LIMIT, MAX_OFFSET, query::MAX_QUERY_CHARS};

/// Every limit of the server.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Longest `q`, in characters.
    pub max_query_chars: usize,
    /// Largest `limit`.
    pub max_limit: usize,
    /// Largest `offset`.
    pub max_offset: usize,
    /// Page size when `limit` is not given.
    pub default_limit: usize,
    /// Longest request URI (path and query), in bytes: 414 past it.
    pub max_uri_bytes: usize,
    /// Largest request body, in bytes: 413 past it (no route reads one).
    pub max_body_bytes: usize,
    /// Longest time a request may take: 503 `timeout` past it.
    pub request_timeout: Duration,
    /// Searches (and other index reads) running at once.
    pub max_searches: usize,
    /// Longest wait in line for a search slot: 503 `busy` past it.
    pub max_queue_wait: Duration,
    /// How often the live generation is checked for a change.
    pub reload_interval: Duration,
    /// Facet counts kept for reuse (0: none).
    pub facet_cache_entries: usize,
    /// Answers of `GET /api/search` kept for the same request asked again
    /// (0: none).
    pub page_cache_entries: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Limits {
            max_query_chars: MAX_QUERY_CHARS,
            max_limit: MAX_LIMIT,
            max_offset: MAX_OFFSET,
            default_limit: 10,
            // A 1,000-character Vietnamese query percent-encodes to about
            // 9 KB; leave room for the other parameters.
            max_uri_bytes: 16 * 1024,
            max_body_bytes: 16 * 1024,
            request_timeout: Duration::from_secs(10),
            max_searches: (2 * cores).max(2),
            max_queue_wait: Duration::from_secs(3),
            reload_interval: Duration::from_millis(500),
            facet_cache_entries: 1024,
            // About 13 KB a page of 10 hits: 3 MB at most.
            page_cache_entries: 256,
        }
    }
}

/// Caps the searches running at once; see the module docs.
#[derive(Debug)]
pub struct Gate {
    permits: Arc<Semaphore>,
    size: usize,
    waiting: AtomicUsize,
    /// Recent average time a search holds its permit, in microseconds.
    avg_us: AtomicU64,
    max_wait: Duration,
}

/// Decrements the waiting count however the wait ends.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Gate {
    /// A gate of `size` permits (at least one) and the longest wait.
    pub fn new(size: usize, max_wait: Duration) -> Gate {
        let size = size.max(1);
        Gate {
            permits: Arc::new(Semaphore::new(size)),
            size,
            waiting: AtomicUsize::new(0),
            avg_us: AtomicU64::new(0),
            max_wait,
        }
    }

    /// Requests waiting for a permit now.
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::Relaxed)
    }

    /// Takes `n` permits until the returned guard is dropped: for
    /// maintenance, and for tests that fill the gate.
    pub async fn hold(&self, n: usize) -> OwnedSemaphorePermit {
        let n = u32::try_from(n.min(self.size)).unwrap_or(u32::MAX);
        // The semaphore is never closed.
        self.permits
            .clone()
            .acquire_many_owned(n)
            .await
            .expect("the gate's semaphore is never closed")
    }

    /// The expected wait of a request joining the line now.
    fn expected_wait(&self) -> Duration {
        let ahead = self.waiting.load(Ordering::Relaxed) as u64 + 1;
        let avg = self.avg_us.load(Ordering::Relaxed);
        Duration::from_micros(ahead * avg / self.size as u64)
    }

    fn record(&self, took: Duration) {
        let us = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
        let old = self.avg_us.load(Ordering::Relaxed);
        let new = if old == 0 { us } else { (old * 7 + us) / 8 };
        self.avg_us.store(new, Ordering::Relaxed);
    }

    fn busy(&self) -> ApiError {
        let wait = self.expected_wait().max(Duration::from_secs(1));
        ApiError::Busy(Duration::from_secs(wait.as_secs_f64().ceil() as u64))
    }

    /// Runs the blocking `work` on tokio's blocking pool once a permit is
    /// free. The permit stays taken until `work` returns, even when the
    /// request gives up (a timeout) before that.
    pub async fn run<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        F: FnOnce() -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let permit = match self.permits.clone().try_acquire_owned() {
            Ok(p) => p,
            Err(_) => {
                if self.expected_wait() > self.max_wait {
                    return Err(self.busy());
                }
                self.waiting.fetch_add(1, Ordering::Relaxed);
                let _waiting = Waiting(&self.waiting);
                match tokio::time::timeout(self.max_wait, self.permits.clone().acquire_owned())
                    .await
                {
                    Ok(Ok(p)) => p,
                    Ok(Err(_)) => return Err(ApiError::Internal("search gate closed".into())),
                    Err(_) => return Err(self.busy()),
                }
            }
        };
        let started = Instant::now();
        let joined = tokio::task::spawn_blocking(move || {
            let out = work();
            drop(permit);
            out
        })
        .await;
        self.record(started.elapsed());
        match joined {
            Ok(out) => out,
            Err(e) => Err(ApiError::Internal(format!("search task failed: {e}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_full_gate_queues_then_refuses() {
        let gate = Arc::new(Gate::new(1, Duration::from_millis(100)));
        let held = gate.hold(1).await;
        let err = gate.run(|| Ok(())).await.unwrap_err();
        assert!(matches!(err, ApiError::Busy(_)), "{err}");
        // A short wait is served once the permit comes back.
        let g = gate.clone();
        let waiter = tokio::spawn(async move { g.run(|| Ok(7)).await });
        // Wait for the event (the waiter is in line), not for a pause.
        while gate.waiting() == 0 {
            tokio::task::yield_now().await;
        }
        assert_eq!(gate.waiting(), 1);
        drop(held);
        assert_eq!(waiter.await.unwrap().unwrap(), 7);
        assert_eq!(gate.waiting(), 0);
    }

    #[tokio::test]
    async fn a_long_expected_wait_is_refused_at_once() {
        let gate = Gate::new(1, Duration::from_secs(2));
        gate.record(Duration::from_secs(5));
        let _held = gate.hold(1).await;
        // "At once" without a clock: the first poll of the request's
        // future already has the answer (a wait in line would be Pending).
        let mut run = std::pin::pin!(gate.run(|| Ok(())));
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        let std::task::Poll::Ready(Err(err)) = run.as_mut().poll(&mut cx) else {
            panic!("the request waited in line instead of being refused");
        };
        assert_eq!(gate.waiting(), 0);
        match err {
            ApiError::Busy(d) => assert!(d >= Duration::from_secs(5), "{d:?}"),
            other => panic!("{other}"),
        }
    }
}
