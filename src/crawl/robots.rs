//! robots.txt: what a host allows, its `Crawl-delay` and its sitemaps.
//! Parsing is texting_robots'; this module maps HTTP outcomes to rules:
//! 2xx parse, 4xx allow all, 5xx or unreachable: disallowed for now (the
//! host is retried on a later crawl).
use std::time::Duration;

use texting_robots::Robot;
use url::Url;

/// Largest robots.txt read (texting_robots suggests 500 KiB).
pub const MAX_ROBOTS_BYTES: usize = 500 * 1024;
/// How long a stored robots.txt is reused.
pub const TTL: Duration = Duration::from_secs(24 * 3600);
/// The product token matched against `User-agent:` lines.
pub const AGENT: &str = "vanban";

/// The rules of one host.
#[derive(Debug)]
pub enum Robots {
    /// No robots.txt (4xx): everything is allowed.
    AllowAll,
    /// A parsed robots.txt.
    Parsed(Box<Robot>),
    /// robots.txt answered 5xx or could not be fetched: nothing is allowed
    /// for now.
    Unavailable,
}

impl Robots {
    /// The rules for a robots.txt answer with `status` and `body`.
    pub fn from_response(status: u16, body: &[u8], agent: &str) -> Robots {
        match status {
            200..=299 => {
                let body = &body[..body.len().min(MAX_ROBOTS_BYTES)];
                match Robot::new(agent, body) {
                    Ok(r) => Robots::Parsed(Box::new(r)),
                    // texting_robots only fails on input it cannot read
                    // at all; treat it as no rules, as a 4xx.
                    Err(_) => Robots::AllowAll,
                }
            }
            400..=499 => Robots::AllowAll,
            _ => Robots::Unavailable,
        }
    }

    /// Whether the rules were read (so they may be cached).
    pub fn is_usable(&self) -> bool {
        !matches!(self, Robots::Unavailable)
    }

    /// Whether `url` may be fetched.
    pub fn allowed(&self, url: &Url) -> bool {
        match self {
            Robots::AllowAll => true,
            Robots::Parsed(r) => {
                // The robots.txt itself is always allowed.
                url.path() == "/robots.txt" || r.allowed(url.as_str())
            }
            Robots::Unavailable => false,
        }
    }

    /// The `Crawl-delay` in seconds, if any.
    pub fn crawl_delay(&self) -> Option<f32> {
        match self {
            Robots::Parsed(r) => r.delay,
            _ => None,
        }
    }

    /// The `Sitemap:` URLs.
    pub fn sitemaps(&self) -> &[String] {
        match self {
            Robots::Parsed(r) => &r.sitemaps,
            _ => &[],
        }
    }
}

/// The robots.txt URL for the origin of `u`.
pub fn robots_url(u: &Url) -> Option<Url> {
    u.join("/robots.txt").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TXT: &[u8] = b"User-agent: *\nDisallow: /private/\nCrawl-delay: 2\n\
        Sitemap: http://x.vn/sm.xml\n\nUser-agent: badbot\nDisallow: /\n";

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn status_mapping() {
        let r = Robots::from_response(200, TXT, AGENT);
        assert!(r.allowed(&u("http://x.vn/news/a")));
        assert!(!r.allowed(&u("http://x.vn/private/a")));
        assert!(r.allowed(&u("http://x.vn/robots.txt")));
        assert_eq!(r.crawl_delay(), Some(2.0));
        assert_eq!(r.sitemaps(), ["http://x.vn/sm.xml".to_string()]);
        let r = Robots::from_response(404, b"", AGENT);
        assert!(r.allowed(&u("http://x.vn/private/a")));
        let r = Robots::from_response(503, b"", AGENT);
        assert!(!r.allowed(&u("http://x.vn/")));
        assert!(!r.is_usable());
    }

    #[test]
    fn specific_agent_group_wins() {
        let txt = b"User-agent: vanban\nDisallow: /x/\n\nUser-agent: *\nDisallow: /\n";
        let r = Robots::from_response(200, txt, AGENT);
        assert!(r.allowed(&u("http://x.vn/a")));
        assert!(!r.allowed(&u("http://x.vn/x/a")));
    }

    #[test]
    fn garbage_never_panics() {
        for body in [
            &b"\xff\xfe\x00garbage"[..],
            b"Disallow",
            b"User-agent:\n\n\n",
            b"",
        ] {
            let r = Robots::from_response(200, body, AGENT);
            let _ = r.allowed(&u("http://x.vn/a"));
        }
    }
}
