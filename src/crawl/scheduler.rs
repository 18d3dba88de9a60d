//! The per-host gate: the async side of [`super::politeness`]. Every
//! request to a host waits here until the host is free and its delay has
//! passed since the previous request ended, and reports back when it is
//! done (with any pause the server asked for).
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::politeness::HostState;

/// Host states and delays, keyed by host name.
#[derive(Debug)]
pub struct Gate {
    hosts: Mutex<HashMap<String, (HostState, Duration)>>,
    default_delay: Duration,
    start: Instant,
}

impl Gate {
    /// A gate spacing requests to a host by at least `default_delay`.
    pub fn new(default_delay: Duration) -> Gate {
        Gate {
            hosts: Mutex::new(HashMap::new()),
            default_delay,
            start: Instant::now(),
        }
    }

    /// Milliseconds since the gate was made.
    pub fn now_ms(&self) -> u64 {
        self.start.elapsed().as_millis() as u64
    }

    fn with<R>(&self, host: &str, f: impl FnOnce(&mut HostState, &mut Duration) -> R) -> R {
        let mut map = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
        let (state, delay) = map
            .entry(host.to_string())
            .or_insert_with(|| (HostState::default(), self.default_delay));
        f(state, delay)
    }

    /// Sets the delay of `host` (never below the default).
    pub fn set_delay(&self, host: &str, delay: Duration) {
        let min = self.default_delay;
        self.with(host, |_, d| *d = delay.max(min));
    }

    /// When `host` may be asked next (ms on [`Gate::now_ms`]'s clock);
    /// `None` while a request to it is in flight.
    pub fn ready_at(&self, host: &str) -> Option<u64> {
        self.with(host, |s, d| s.ready_at(*d))
    }

    /// Waits until a request to `host` may start and marks it started.
    pub async fn acquire(&self, host: &str) {
        loop {
            let now = self.now_ms();
            let wait = self.with(host, |s, d| match s.ready_at(*d) {
                Some(t) if t <= now => {
                    s.start();
                    None
                }
                Some(t) => Some(Duration::from_millis(t - now)),
                None => Some(Duration::from_millis(5)),
            });
            match wait {
                None => return,
                Some(w) => tokio::time::sleep(w).await,
            }
        }
    }

    /// Marks the request to `host` ended, with an optional pause.
    pub fn release(&self, host: &str, pause: Option<Duration>) {
        let now = self.now_ms();
        self.with(host, |s, _| s.end(now, pause));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "current_thread")]
    async fn spacing_and_pause() {
        let g = Gate::new(Duration::from_millis(100));
        let t0 = Instant::now();
        g.acquire("a").await;
        g.release("a", None);
        g.acquire("a").await;
        assert!(t0.elapsed() >= Duration::from_millis(100));
        g.release("a", Some(Duration::from_millis(300)));
        g.acquire("b").await; // other hosts are not held up
        g.acquire("a").await;
        assert!(t0.elapsed() >= Duration::from_millis(400));
    }
}
