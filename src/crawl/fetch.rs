//! One HTTP exchange: the [`Fetch`] trait and its reqwest implementation.
//! No redirects are followed here (the engine follows them itself, so each
//! hop is spaced and checked) and the body is read up to a cap.
use std::future::Future;
use std::time::{Duration, SystemTime};

use url::Url;

use super::Error;

/// Response headers kept with a fetch.
pub const KEPT_HEADERS: &[&str] = &[
    "content-type",
    "content-length",
    "etag",
    "last-modified",
    "location",
    "retry-after",
    "date",
    "server",
    "x-robots-tag",
];

/// What a request accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accept {
    /// HTML or plain text pages.
    Page,
    /// A sitemap: XML (or text, or HTML by mistake).
    Sitemap,
    /// robots.txt: any text.
    Robots,
    /// An attachment: anything.
    Any,
}

/// One request.
#[derive(Debug, Clone)]
pub struct FetchRequest {
    /// The URL.
    pub url: Url,
    /// `If-None-Match`.
    pub etag: Option<String>,
    /// `If-Modified-Since`.
    pub last_modified: Option<String>,
    /// What content types are read.
    pub accept: Accept,
    /// Body size cap.
    pub max_body: usize,
    /// Time limit for the whole response.
    pub timeout: Duration,
}

/// One HTTP exchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedPage {
    /// The URL requested.
    pub url: Url,
    /// The status.
    pub status: u16,
    /// The kept headers, names lowercase.
    pub headers: Vec<(String, String)>,
    /// When the answer came (unix milliseconds).
    pub fetched_at: i64,
    /// The body; empty when the content type is not accepted (see
    /// [`FetchedPage::body_skipped`]).
    pub body: Vec<u8>,
    /// The body was not read: its content type is not accepted.
    pub body_skipped: bool,
}

impl FetchedPage {
    /// The value of header `name` (lowercase).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The headers as stored: one `name: value` per line.
    pub fn header_lines(&self) -> String {
        let mut s = String::new();
        for (k, v) in &self.headers {
            s.push_str(k);
            s.push_str(": ");
            s.push_str(v);
            s.push('\n');
        }
        s
    }
}

/// Whether a body of content type `ct` is read for `accept`.
pub fn acceptable(ct: Option<&str>, accept: Accept) -> bool {
    let Some(ct) = ct else { return true };
    let mime = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if mime.is_empty() {
        return true;
    }
    let page = matches!(
        mime.as_str(),
        "text/html" | "application/xhtml+xml" | "text/plain"
    );
    let xml = mime == "application/xml" || mime == "text/xml" || mime.ends_with("+xml");
    // Sitemaps are often served gzipped (`sitemap.xml.gz`).
    let gzip = matches!(
        mime.as_str(),
        "application/gzip" | "application/x-gzip" | "application/octet-stream"
    );
    match accept {
        Accept::Page => page,
        Accept::Sitemap => page || xml || gzip,
        Accept::Robots => mime.starts_with("text/") || page,
        Accept::Any => true,
    }
}

/// The transport: tests can put their own in front of the crawl logic.
pub trait Fetch: Send + Sync + 'static {
    /// Makes one request.
    fn fetch(&self, req: &FetchRequest) -> impl Future<Output = Result<FetchedPage, Error>> + Send;
}

/// Current time in unix milliseconds.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// The reqwest transport.
#[derive(Debug, Clone)]
pub struct HttpFetcher {
    client: reqwest::Client,
}

impl HttpFetcher {
    /// A client sending `user_agent`, following no redirects.
    pub fn new(user_agent: &str, connect_timeout: Duration) -> Result<HttpFetcher, Error> {
        let client = reqwest::Client::builder()
            .user_agent(user_agent)
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(connect_timeout.min(Duration::from_secs(10)))
            .pool_max_idle_per_host(2)
            .build()
            .map_err(|e| Error::Request(e.to_string()))?;
        Ok(HttpFetcher { client })
    }

    async fn fetch_inner(&self, req: &FetchRequest) -> Result<FetchedPage, Error> {
        let mut rb = self.client.get(req.url.clone()).header(
            reqwest::header::ACCEPT,
            match req.accept {
                Accept::Page => "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1",
                Accept::Sitemap => {
                    "application/xml,text/xml,application/gzip;q=0.9,text/plain;q=0.9,*/*;q=0.1"
                }
                Accept::Robots => "text/plain,*/*;q=0.1",
                Accept::Any => "*/*",
            },
        );
        if let Some(e) = &req.etag {
            rb = rb.header(reqwest::header::IF_NONE_MATCH, e);
        }
        if let Some(lm) = &req.last_modified {
            rb = rb.header(reqwest::header::IF_MODIFIED_SINCE, lm);
        }
        let mut resp = rb.send().await.map_err(classify)?;
        let status = resp.status().as_u16();
        let headers: Vec<(String, String)> = KEPT_HEADERS
            .iter()
            .filter_map(|&name| {
                let v = resp.headers().get(name)?;
                let v = String::from_utf8_lossy(v.as_bytes());
                Some((name.to_string(), v.chars().take(2048).collect()))
            })
            .collect();
        let mut page = FetchedPage {
            url: req.url.clone(),
            status,
            headers,
            fetched_at: now_ms(),
            body: Vec::new(),
            body_skipped: false,
        };
        let readable = (200..300).contains(&status) || status >= 400;
        if !readable || !acceptable(page.header("content-type"), req.accept) {
            page.body_skipped = readable;
            return Ok(page);
        }
        if resp
            .content_length()
            .is_some_and(|n| n > req.max_body as u64)
        {
            return Err(Error::TooLarge {
                limit: req.max_body,
                status,
            });
        }
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(classify)? {
            if body.len() + chunk.len() > req.max_body {
                return Err(Error::TooLarge {
                    limit: req.max_body,
                    status,
                });
            }
            body.extend_from_slice(&chunk);
        }
        page.body = body;
        page.fetched_at = now_ms();
        Ok(page)
    }
}

fn classify(e: reqwest::Error) -> Error {
    if e.is_timeout() {
        Error::Timeout(Duration::ZERO)
    } else if e.is_connect() || e.is_body() || e.is_request() || e.is_decode() {
        Error::Connection(error_chain(&e))
    } else {
        Error::Request(error_chain(&e))
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(c) = src {
        s.push_str(": ");
        s.push_str(&c.to_string());
        src = c.source();
    }
    s
}

impl Fetch for HttpFetcher {
    async fn fetch(&self, req: &FetchRequest) -> Result<FetchedPage, Error> {
        match tokio::time::timeout(req.timeout, self.fetch_inner(req)).await {
            Ok(r) => r,
            Err(_) => Err(Error::Timeout(req.timeout)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types() {
        assert!(acceptable(Some("text/html; charset=utf-8"), Accept::Page));
        assert!(acceptable(Some("TEXT/PLAIN"), Accept::Page));
        assert!(acceptable(None, Accept::Page));
        assert!(!acceptable(Some("application/pdf"), Accept::Page));
        assert!(!acceptable(Some("application/xml"), Accept::Page));
        assert!(acceptable(Some("application/xml"), Accept::Sitemap));
        assert!(acceptable(Some("application/rss+xml"), Accept::Sitemap));
        assert!(acceptable(Some("application/x-gzip"), Accept::Sitemap));
        assert!(!acceptable(Some("application/x-gzip"), Accept::Page));
        assert!(acceptable(Some("application/pdf"), Accept::Any));
        assert!(!acceptable(Some("image/png"), Accept::Robots));
    }
}
