//! Per-host politeness, as pure state: when a host may be asked again.
//!
//! Every request to a host counts (redirect hops and retries included):
//! the next one may start `delay` after the previous one ended, and not
//! before a pause the server asked for (`Retry-After`). At most one
//! request per host is in flight; the async gate in `scheduler.rs` holds
//! that state behind a mutex and does the waiting.
use std::time::Duration;

/// When the next request to a host may start, in milliseconds on the
/// crawl's monotonic clock.
///
/// ```
/// use std::time::Duration;
/// use vanban::crawl::politeness::ready_at;
/// // Ended at 1000 ms with a 500 ms delay, paused until 1200 ms: 1500 ms.
/// assert_eq!(ready_at(Some(1000), Duration::from_millis(500), 1200), 1500);
/// ```
pub fn ready_at(last_end_ms: Option<u64>, delay: Duration, paused_until_ms: u64) -> u64 {
    let spaced = last_end_ms
        .map(|e| e.saturating_add(delay.as_millis().min(u64::MAX as u128) as u64))
        .unwrap_or(0);
    spaced.max(paused_until_ms)
}

/// The delay between two requests to a host: the larger of the
/// configured delay and the host's robots.txt `Crawl-delay` (capped at a
/// minute, so a hostile robots.txt cannot stall the crawl for days).
pub fn host_delay(configured: Duration, crawl_delay_secs: Option<f32>) -> Duration {
    let robots = crawl_delay_secs
        .filter(|s| s.is_finite() && *s > 0.0)
        .map(|s| Duration::from_secs_f32(s.min(60.0)))
        .unwrap_or(Duration::ZERO);
    configured.max(robots)
}

/// The politeness state of one host.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostState {
    /// A request to this host is in flight.
    pub busy: bool,
    /// When the last request ended (ms).
    pub last_end_ms: Option<u64>,
    /// Not before this (ms), from `Retry-After`.
    pub paused_until_ms: u64,
}

impl HostState {
    /// When a request may start, given the host's delay; `None` while one
    /// is in flight.
    pub fn ready_at(&self, delay: Duration) -> Option<u64> {
        (!self.busy).then(|| ready_at(self.last_end_ms, delay, self.paused_until_ms))
    }

    /// Marks a request started.
    pub fn start(&mut self) {
        self.busy = true;
    }

    /// Marks the request ended at `now_ms`, with an optional pause the
    /// server asked for.
    pub fn end(&mut self, now_ms: u64, pause: Option<Duration>) {
        self.busy = false;
        self.last_end_ms = Some(now_ms);
        if let Some(p) = pause {
            let until = now_ms.saturating_add(p.as_millis().min(u64::MAX as u128) as u64);
            self.paused_until_ms = self.paused_until_ms.max(until);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: fn(u64) -> Duration = Duration::from_millis;

    #[test]
    fn ready_at_takes_the_later_of_spacing_and_pause() {
        assert_eq!(ready_at(None, MS(1000), 0), 0);
        assert_eq!(ready_at(Some(10), MS(1000), 0), 1010);
        assert_eq!(ready_at(Some(10), MS(1000), 5000), 5000);
        assert_eq!(ready_at(Some(u64::MAX), MS(1000), 0), u64::MAX);
    }

    #[test]
    fn delay_is_the_larger_of_flag_and_crawl_delay() {
        assert_eq!(host_delay(MS(1000), None), MS(1000));
        assert_eq!(host_delay(MS(1000), Some(2.5)), MS(2500));
        assert_eq!(host_delay(MS(3000), Some(1.0)), MS(3000));
        assert_eq!(host_delay(MS(0), Some(f32::NAN)), MS(0));
        assert_eq!(host_delay(MS(0), Some(-4.0)), MS(0));
        assert_eq!(host_delay(MS(0), Some(1e9)), Duration::from_secs(60));
    }

    #[test]
    fn host_state_spacing_and_pause() {
        let mut h = HostState::default();
        assert_eq!(h.ready_at(MS(100)), Some(0));
        h.start();
        assert_eq!(h.ready_at(MS(100)), None);
        h.end(1000, None);
        assert_eq!(h.ready_at(MS(100)), Some(1100));
        h.start();
        h.end(1200, Some(Duration::from_secs(2)));
        assert_eq!(h.ready_at(MS(100)), Some(3200));
        h.start();
        h.end(1300, None);
        assert_eq!(h.ready_at(MS(100)), Some(3200));
    }
}
