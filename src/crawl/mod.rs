//! The crawler: seed URLs → pages in the store → documents in the index.
//!
//! Politeness first: robots.txt obeyed per host (with `Crawl-delay`), one
//! request in flight per host, a delay between any two requests to a host
//! (redirect hops and retries count), at most `concurrency` requests in
//! flight overall, a User-Agent naming vanban. Redirects are followed here,
//! not in the HTTP client, so each hop is spaced and checked (http/https,
//! allowed hosts, at most [`MAX_REDIRECTS`]).
//!
//! Everything the crawl learns lives in `store.sqlite` and is committed as
//! it goes (every fetch in `pages`, the frontier in `frontier`), so a crawl
//! killed at any moment resumes where its last commit left it.
//!
//! The crawl ends at the store (issue 10). Turning pages into documents is
//! ingest's job ([`crate::ingest::pages`]): at the end of the crawl (and
//! every [`INDEX_EVERY`] pages) each new page is extracted and judged by
//! the same code as an ingested file, and gets an outcome.
//!
//! Layout: `url` (canonical forms, scope), `backoff` and `politeness`
//! (pure timing), `robots`, `fetch` (the [`Fetch`] trait and its reqwest
//! implementation), `scheduler` (the per-host gate), `links`, `sitemap`
//! and `profiles` (what to follow), `engine` (the crawl loop).
pub mod backoff;
mod engine;
pub mod fetch;
pub mod links;
pub mod politeness;
pub mod profiles;
pub mod robots;
pub mod scheduler;
pub mod sitemap;
pub mod url;

use std::time::Duration;

pub use engine::{Event, Report, run};
pub use fetch::{Fetch, FetchRequest, FetchedPage, HttpFetcher};

/// Most redirect hops followed for one URL.
pub const MAX_REDIRECTS: u32 = 5;
/// Default body size cap.
pub const DEFAULT_MAX_BODY: usize = 10 * 1024 * 1024;
/// Pages between two index commits on long crawls.
pub const INDEX_EVERY: u64 = 2000;
/// The default User-Agent.
pub const DEFAULT_USER_AGENT: &str = concat!(
    "vanban/",
    env!("CARGO_PKG_VERSION"),
    " (+search engine for Vietnamese directive documents; polite crawler, obeys robots.txt)"
);

/// Errors of the crawler. Fetch errors are per-request outcomes the crawl
/// records and goes on from; the others stop the crawl.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Could not connect, or the connection broke.
    #[error("connection failed: {0}")]
    Connection(String),
    /// The whole response took longer than the timeout.
    #[error("timed out after {0:?}")]
    Timeout(Duration),
    /// The body is larger than the cap.
    #[error("too large: body over {limit} bytes")]
    TooLarge {
        /// The cap.
        limit: usize,
        /// The status of the answer.
        status: u16,
    },
    /// Any other HTTP client failure.
    #[error("request failed: {0}")]
    Request(String),
    /// A bad configuration.
    #[error("bad crawl configuration: {0}")]
    Config(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] crate::store::Error),
    /// The index failed.
    #[error(transparent)]
    Index(#[from] crate::index::Error),
    /// Indexing the crawled pages failed.
    #[error(transparent)]
    Ingest(Box<crate::ingest::Error>),
    /// The data directory failed.
    #[error(transparent)]
    DataDir(#[from] crate::datadir::Error),
    /// The async runtime could not start.
    #[error("runtime: {0}")]
    Runtime(String),
}

/// A validated crawl configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Seed URLs (canonical).
    pub seeds: Vec<::url::Url>,
    /// Stop after this many pages fetched in this run.
    pub max_pages: Option<u64>,
    /// Do not follow links deeper than this from a seed.
    pub max_depth: Option<u32>,
    /// Delay between two requests to one host (robots.txt `Crawl-delay`
    /// may make it longer).
    pub delay: Duration,
    /// Requests in flight across hosts.
    pub concurrency: usize,
    /// Time limit of one whole response.
    pub timeout: Duration,
    /// Extra hosts to visit.
    pub allow_hosts: Vec<String>,
    /// Only URLs matching one of these (when any) are followed.
    pub include: Vec<regex::Regex>,
    /// URLs matching any of these are not followed.
    pub exclude: Vec<regex::Regex>,
    /// The User-Agent header.
    pub user_agent: String,
    /// A fetched page is due again after this long.
    pub recrawl_after: Duration,
    /// Fetch attachment links too (they are recorded either way).
    pub attachments: bool,
    /// Do not index at the end.
    pub no_index: bool,
    /// Body size cap.
    pub max_body: usize,
    /// Base of the retry backoff.
    pub backoff_base: Duration,
}

impl Config {
    /// A configuration with the defaults of `vanban crawl` for `seeds`.
    pub fn new(seeds: Vec<::url::Url>) -> Config {
        Config {
            seeds,
            max_pages: None,
            max_depth: None,
            delay: Duration::from_millis(1000),
            concurrency: 8,
            timeout: Duration::from_secs(20),
            allow_hosts: Vec::new(),
            include: Vec::new(),
            exclude: Vec::new(),
            user_agent: DEFAULT_USER_AGENT.to_string(),
            recrawl_after: Duration::from_secs(24 * 3600),
            attachments: false,
            no_index: false,
            max_body: DEFAULT_MAX_BODY,
            backoff_base: backoff::BASE,
        }
    }

    /// Whether a discovered URL passes `--include`/`--exclude`.
    pub fn wants(&self, url: &str) -> bool {
        (self.include.is_empty() || self.include.iter().any(|r| r.is_match(url)))
            && !self.exclude.iter().any(|r| r.is_match(url))
    }
}

/// Parses a duration such as `30s`, `15m`, `12h`, `1d`, `2w` or a bare
/// number of seconds.
pub fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    let split = s
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: f64 = num.parse().ok()?;
    let secs = match unit.trim() {
        "" | "s" | "sec" | "secs" => n,
        "ms" => n / 1000.0,
        "m" | "min" | "mins" => n * 60.0,
        "h" | "hour" | "hours" => n * 3600.0,
        "d" | "day" | "days" => n * 86400.0,
        "w" | "week" | "weeks" => n * 7.0 * 86400.0,
        _ => return None,
    };
    (0.0..1e11)
        .contains(&secs)
        .then(|| Duration::from_secs_f64(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("1d"), Some(Duration::from_secs(86400)));
        assert_eq!(parse_duration("90"), Some(Duration::from_secs(90)));
        assert_eq!(parse_duration("15m"), Some(Duration::from_secs(900)));
        assert_eq!(parse_duration("0s"), Some(Duration::ZERO));
        assert_eq!(parse_duration("250ms"), Some(Duration::from_millis(250)));
        assert_eq!(parse_duration("1y"), None);
        assert_eq!(parse_duration("-1d"), None);
        assert_eq!(parse_duration(""), None);
    }

    #[test]
    fn user_agent_names_vanban() {
        assert!(DEFAULT_USER_AGENT.starts_with("vanban/"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Crawled bytes are untrusted: no parser may panic on them.
        #[test]
        fn parsers_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2048), s in ".{0,300}") {
            let base = ::url::Url::parse("http://x.vn/a/b").expect("static URL");
            let _ = crate::extract::decode(&bytes, Some(&s));
            let _ = crate::extract::decode(&bytes, None);
            let _ = crate::extract::extract_page(crate::extract::PageInput { bytes: &bytes, content_type: Some(&s) });
            let _ = crate::extract::legacy::decode_legacy(&bytes);
            let _ = crate::extract::legacy::convert_html(&s, Some(crate::extract::legacy::Legacy::Vni));
            let _ = crate::extract::legacy::convert_html(&s, Some(crate::extract::legacy::Legacy::Tcvn3 { caps: true }));
            let _ = links::extract(&s, &base);
            let _ = sitemap::parse(&bytes);
            let _ = url::resolve(&base, &s);
            let _ = url::parse(&s);
            let _ = robots::Robots::from_response(200, &bytes, robots::AGENT).allowed(&base);
            let _ = backoff::parse_retry_after(&s, std::time::SystemTime::now());
            let _ = parse_duration(&s);
        }
    }

    #[test]
    fn include_exclude() {
        let mut c = Config::new(vec![]);
        assert!(c.wants("http://x.vn/a"));
        c.include.push(regex::Regex::new("/news/").unwrap());
        c.exclude.push(regex::Regex::new("print").unwrap());
        assert!(c.wants("http://x.vn/news/a"));
        assert!(!c.wants("http://x.vn/about"));
        assert!(!c.wants("http://x.vn/news/print/a"));
    }
}
