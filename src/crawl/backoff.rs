//! Retry timing, kept pure so it can be tested without a clock: the
//! exponential backoff with jitter, the retry policy per failure kind, and
//! `Retry-After` parsing.
use std::time::{Duration, SystemTime};

/// Retries after a connection error, a 5xx or a 429.
pub const MAX_RETRIES: u32 = 3;
/// Retries after a timed-out request.
pub const MAX_TIMEOUT_RETRIES: u32 = 1;
/// Base of the exponential backoff.
pub const BASE: Duration = Duration::from_millis(200);
/// Cap of one backoff wait.
pub const CAP: Duration = Duration::from_secs(30);
/// Longest `Retry-After` pause honoured; a server asking for more makes the
/// fetch fail (it is retried on a later crawl).
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(300);

/// The wait before retry number `attempt` (0 for the first retry):
/// `base · 2^attempt`, capped, with "equal jitter": half of it fixed, the
/// other half scaled by `jitter` in `[0, 1]`.
///
/// ```
/// use std::time::Duration;
/// use vanban::crawl::backoff::backoff;
/// let b = Duration::from_millis(100);
/// let cap = Duration::from_secs(10);
/// assert_eq!(backoff(0, b, cap, 0.0), Duration::from_millis(50));
/// assert_eq!(backoff(2, b, cap, 1.0), Duration::from_millis(400));
/// ```
pub fn backoff(attempt: u32, base: Duration, cap: Duration, jitter: f64) -> Duration {
    let factor = 1u64.checked_shl(attempt.min(32)).unwrap_or(u64::MAX);
    let full = base
        .checked_mul(factor.min(u32::MAX as u64) as u32)
        .unwrap_or(cap)
        .min(cap);
    let jitter = if jitter.is_finite() {
        jitter.clamp(0.0, 1.0)
    } else {
        0.0
    };
    full / 2 + full.mul_f64(jitter / 2.0)
}

/// Why a request did not give a usable answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// Could not connect, or the connection broke.
    Connection,
    /// The whole response took longer than the timeout.
    Timeout,
    /// A 5xx answer.
    ServerError,
    /// 429 Too Many Requests.
    TooManyRequests,
}

/// Whether a request that failed with `kind` after `retries_so_far`
/// retries of that kind gets another try.
pub fn should_retry(kind: FailureKind, retries_so_far: u32) -> bool {
    match kind {
        FailureKind::Timeout => retries_so_far < MAX_TIMEOUT_RETRIES,
        _ => retries_so_far < MAX_RETRIES,
    }
}

/// Parses a `Retry-After` value (delay seconds or an HTTP date) into a
/// wait from `now`. A date in the past is a zero wait.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs.min(u32::MAX as u64)));
    }
    let when = httpdate::parse_http_date(v).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        let b = Duration::from_millis(200);
        let cap = Duration::from_secs(30);
        let lo: Vec<_> = (0..4).map(|a| backoff(a, b, cap, 0.0)).collect();
        let hi: Vec<_> = (0..4).map(|a| backoff(a, b, cap, 1.0)).collect();
        assert_eq!(lo[0], Duration::from_millis(100));
        assert_eq!(hi[0], Duration::from_millis(200));
        assert_eq!(hi[3], Duration::from_millis(1600));
        for a in 0..3 {
            assert!(lo[a + 1] > lo[a]);
        }
        let mid = backoff(1, b, cap, 0.5);
        assert!(mid > lo[1] && mid < hi[1]);
        assert_eq!(backoff(40, b, cap, 1.0), cap);
        assert_eq!(backoff(u32::MAX, b, cap, f64::NAN), cap / 2);
        assert_eq!(backoff(2, b, cap, -3.0), lo[2]);
    }

    #[test]
    fn retry_policy() {
        assert!(should_retry(FailureKind::ServerError, 0));
        assert!(should_retry(FailureKind::ServerError, 2));
        assert!(!should_retry(FailureKind::ServerError, 3));
        assert!(should_retry(FailureKind::Timeout, 0));
        assert!(!should_retry(FailureKind::Timeout, 1));
        assert!(!should_retry(FailureKind::Connection, 3));
    }

    #[test]
    fn retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        assert_eq!(parse_retry_after(" 3 ", now), Some(Duration::from_secs(3)));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(7));
        assert_eq!(parse_retry_after(&later, now), Some(Duration::from_secs(7)));
        let past = httpdate::fmt_http_date(now - Duration::from_secs(7));
        assert_eq!(parse_retry_after(&past, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
        assert!(parse_retry_after("99999999999999999999", now).is_none());
    }
}
