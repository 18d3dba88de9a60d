//! Unit tests of [`super::jobs::decide`], the pure decision after one
//! request (issue 10, item 8).
use std::time::{Duration, SystemTime};

use url::Url;

use super::jobs::{Policy, Step, Tries, decide};
use super::{Error, FetchedPage, PageOutcome, Robots, Scope};
use crate::crawl::MAX_REDIRECTS;

fn u(s: &str) -> Url {
    Url::parse(s).unwrap()
}

fn page(url: &str, status: u16, headers: &[(&str, &str)]) -> FetchedPage {
    FetchedPage {
        url: u(url),
        status,
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        fetched_at: 0,
        body: b"<p>x</p>".to_vec(),
        body_skipped: false,
    }
}

struct Case {
    scope: Scope,
    start: Url,
    url: Url,
    tries: Tries,
}

impl Case {
    fn new() -> Case {
        let start = u("http://x.vn/a");
        Case {
            scope: Scope::new([&start], &["y.vn".to_string()]),
            url: start.clone(),
            start,
            tries: Tries::default(),
        }
    }

    fn run(&mut self, result: Result<FetchedPage, Error>) -> Step {
        self.run_with(result, &Robots::AllowAll)
    }

    fn run_with(&mut self, result: Result<FetchedPage, Error>, robots: &Robots) -> Step {
        let policy = Policy {
            scope: &self.scope,
            backoff_base: Duration::from_millis(100),
            timeout: Duration::from_secs(5),
        };
        decide(
            &policy,
            &self.start,
            &mut self.url,
            robots,
            result,
            &mut self.tries,
            0.5,
            SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
        )
    }
}

fn failed_reason(step: &Step) -> String {
    match step {
        Step::Done(PageOutcome::Failed { reason, .. }) => reason.clone(),
        _ => panic!("expected a failure"),
    }
}

#[test]
fn success_is_fetched_at_the_current_url() {
    let mut c = Case::new();
    let step = c.run(Ok(page("http://x.vn/a", 200, &[])));
    assert!(
        matches!(step, Step::Done(PageOutcome::Fetched { ref final_url, .. }) if final_url.as_str() == "http://x.vn/a")
    );
}

#[test]
fn same_origin_redirect_is_followed_and_counted() {
    let mut c = Case::new();
    let step = c.run(Ok(page("http://x.vn/a", 301, &[("location", "/b")])));
    assert!(matches!(step, Step::Again(None)));
    assert_eq!(c.url.as_str(), "http://x.vn/b");
    assert_eq!(c.tries.hops, 1);
}

#[test]
fn hops_past_the_limit_fail_even_across_hosts() {
    let mut c = Case::new();
    // A redirect to another allowed host ends this job with the hops so
    // far, which the target's job starts from.
    let step = c.run(Ok(page(
        "http://x.vn/a",
        302,
        &[("location", "http://y.vn/c")],
    )));
    match step {
        Step::Done(PageOutcome::Redirected { target, hops, .. }) => {
            assert_eq!(target.as_str(), "http://y.vn/c");
            assert_eq!(hops, 1);
        }
        _ => panic!("expected a redirect to the other host"),
    }
    let mut c = Case::new();
    c.tries.hops = MAX_REDIRECTS;
    let step = c.run(Ok(page("http://x.vn/a", 302, &[("location", "/b")])));
    assert!(failed_reason(&step).contains("too many redirects"));
}

#[test]
fn redirects_out_of_scope_or_disallowed_stop() {
    let mut c = Case::new();
    let step = c.run(Ok(page(
        "http://x.vn/a",
        301,
        &[("location", "http://evil.vn/")],
    )));
    assert!(failed_reason(&step).contains("outside the crawl"));
    let mut c = Case::new();
    let step = c.run(Ok(page(
        "http://x.vn/a",
        301,
        &[("location", "ftp://x.vn/f")],
    )));
    assert!(failed_reason(&step).contains("not http"));
    let mut c = Case::new();
    let step = c.run(Ok(page("http://x.vn/a", 301, &[])));
    assert!(failed_reason(&step).contains("without Location"));
    let mut c = Case::new();
    let robots = Robots::from_response(
        200,
        b"User-agent: *\nDisallow: /private",
        crate::crawl::robots::AGENT,
    );
    let step = c.run_with(
        Ok(page("http://x.vn/a", 301, &[("location", "/private/x")])),
        &robots,
    );
    assert!(matches!(step, Step::Done(PageOutcome::Skipped { .. })));
}

#[test]
fn server_errors_retry_with_backoff_then_fail() {
    let mut c = Case::new();
    let mut waits = Vec::new();
    loop {
        match c.run(Ok(page("http://x.vn/a", 503, &[]))) {
            Step::Again(Some(w)) => waits.push(w),
            step => {
                assert!(failed_reason(&step).contains("HTTP 503 after"));
                break;
            }
        }
        assert!(waits.len() <= 10, "no end to the retries");
    }
    assert_eq!(waits.len() as u32, crate::crawl::backoff::MAX_RETRIES);
    assert!(waits.windows(2).all(|w| w[0] <= w[1]), "{waits:?}");
}

#[test]
fn retry_after_is_honoured_or_refused() {
    let mut c = Case::new();
    let step = c.run(Ok(page("http://x.vn/a", 429, &[("retry-after", "7")])));
    assert!(matches!(step, Step::Again(Some(w)) if w >= Duration::from_secs(7)));
    let mut c = Case::new();
    let step = c.run(Ok(page("http://x.vn/a", 429, &[("retry-after", "86400")])));
    assert!(failed_reason(&step).contains("asked to retry after"));
}

#[test]
fn timeouts_retry_once_and_too_large_fails_at_once() {
    let mut c = Case::new();
    let t = || Err(Error::Timeout(Duration::from_secs(5)));
    assert!(matches!(c.run(t()), Step::Again(Some(_))));
    assert!(failed_reason(&c.run(t())).contains("timed out"));
    let mut c = Case::new();
    let step = c.run(Err(Error::TooLarge {
        limit: 10,
        status: 200,
    }));
    assert!(failed_reason(&step).contains("too large"));
}

#[test]
fn same_inputs_same_decision() {
    let mut a = Case::new();
    let mut b = Case::new();
    let ra = a.run(Ok(page("http://x.vn/a", 500, &[])));
    let rb = b.run(Ok(page("http://x.vn/a", 500, &[])));
    match (ra, rb) {
        (Step::Again(x), Step::Again(y)) => assert_eq!(x, y),
        _ => panic!("expected retries"),
    }
}
