//! URL hygiene: one canonical form per URL, and the crawl's scope.
//!
//! Canonical form: http or https only, fragment dropped, default port
//! removed (the `url` crate already does that and lowercases the host),
//! tracking (`utm_*`, `fbclid`, `gclid`, ...) and session parameters
//! (`PHPSESSID`, `sid`, `jsessionid`, ...) removed, an empty query
//! dropped, `;jsessionid=...` path parameters removed. Hosts are compared
//! as written: `localhost` and `127.0.0.1` are different hosts.
use url::Url;

/// Query parameters that never change what a page shows (lowercase).
const DROP_PARAMS: &[&str] = &[
    "phpsessid",
    "sid",
    "sessionid",
    "session_id",
    "jsessionid",
    "aspsessionid",
    "cfid",
    "cftoken",
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "yclid",
    "mc_cid",
    "mc_eid",
    "_ga",
    "_gl",
];

fn drop_param(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with("utm_")
        || lower.starts_with("aspsessionid")
        || DROP_PARAMS.contains(&lower.as_str())
}

/// Parses `s` and returns its canonical form, or `None` when it is not an
/// http(s) URL with a host.
pub fn parse(s: &str) -> Option<Url> {
    Url::parse(s.trim()).ok().and_then(canonical)
}

/// The canonical form of `u`, or `None` when it is not crawlable (another
/// scheme, no host, credentials in it).
pub fn canonical(mut u: Url) -> Option<Url> {
    if !matches!(u.scheme(), "http" | "https") {
        return None;
    }
    u.host_str().filter(|h| !h.is_empty())?;
    if !u.username().is_empty() || u.password().is_some() {
        return None;
    }
    u.set_fragment(None);
    // `;jsessionid=...` glued to the path (Java servers).
    let path = u.path().to_string();
    if let Some(i) = path.to_ascii_lowercase().find(";jsessionid=") {
        let rest = &path[i + 1..];
        let end = rest.find('/').map(|j| i + 1 + j).unwrap_or(path.len());
        let new_path = format!("{}{}", &path[..i], &path[end..]);
        u.set_path(&new_path);
    }
    if u.query().is_some() {
        let raw_kept: Vec<&str> = u
            .query()
            .unwrap_or("")
            .split('&')
            .filter(|p| !p.is_empty())
            .filter(|p| {
                let name = p.split('=').next().unwrap_or("");
                let name = percent_decode(name);
                !drop_param(&name)
            })
            .collect();
        if raw_kept.is_empty() {
            u.set_query(None);
        } else {
            // Keep the parameters as written (order and encoding), so a
            // server that cares about either still gets what it linked.
            let q = raw_kept.join("&");
            u.set_query(Some(&q));
        }
    }
    Some(u)
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("{s}=").as_bytes())
        .next()
        .map(|(k, _)| k.into_owned())
        .unwrap_or_default()
}

/// Resolves a link `href` found on `base` and canonicalizes it. Skips
/// `javascript:`, `mailto:`, `tel:`, `data:` and anything else that is
/// not http(s).
pub fn resolve(base: &Url, href: &str) -> Option<Url> {
    let href = href.trim();
    if href.is_empty() || href.starts_with('#') || href.len() > 4096 {
        return None;
    }
    base.join(href).ok().and_then(canonical)
}

/// The host name of `u` as written (lowercased), without the port.
pub fn host(u: &Url) -> &str {
    u.host_str().unwrap_or("")
}

/// The politeness and robots.txt key of `u`: host and port as written.
pub fn origin_key(u: &Url) -> String {
    match u.port() {
        Some(p) => format!("{}:{}", host(u), p),
        None => host(u).to_string(),
    }
}

/// A host and its `www.` twin: `example.vn` ⇄ `www.example.vn`.
pub fn twin(host: &str) -> Option<String> {
    if host.parse::<std::net::IpAddr>().is_ok() || host.starts_with('[') {
        return None;
    }
    match host.strip_prefix("www.") {
        Some(bare) if !bare.is_empty() => Some(bare.to_string()),
        Some(_) => None,
        None => Some(format!("www.{host}")),
    }
}

/// The hosts a crawl may visit: the seeds' hosts, their twins, and the
/// extra allowed hosts.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    hosts: std::collections::BTreeSet<String>,
}

impl Scope {
    /// The scope of `seeds` plus `allow` (host names as written).
    pub fn new<'a>(seeds: impl IntoIterator<Item = &'a Url>, allow: &[String]) -> Scope {
        let mut hosts = std::collections::BTreeSet::new();
        let mut add = |h: &str| {
            let h = h.trim().trim_end_matches('.').to_ascii_lowercase();
            if h.is_empty() {
                return;
            }
            if let Some(t) = twin(&h) {
                hosts.insert(t);
            }
            hosts.insert(h);
        };
        for s in seeds {
            add(host(s));
        }
        for a in allow {
            add(a);
        }
        Scope { hosts }
    }

    /// Whether `u` is on an allowed host.
    pub fn allows(&self, u: &Url) -> bool {
        self.hosts.contains(host(u))
    }

    /// The allowed host names.
    pub fn hosts(&self) -> impl Iterator<Item = &str> {
        self.hosts.iter().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> String {
        parse(s)
            .map(|u| u.to_string())
            .unwrap_or_else(|| "NONE".into())
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(c("HTTP://Example.VN:80/a#frag"), "http://example.vn/a");
        assert_eq!(c("https://example.vn:443/"), "https://example.vn/");
        assert_eq!(c("http://example.vn:8080/"), "http://example.vn:8080/");
        assert_eq!(
            c("http://x.vn/a?utm_source=fb&id=3&PHPSESSID=abc&utm_medium=x"),
            "http://x.vn/a?id=3"
        );
        assert_eq!(c("http://x.vn/a?sid=1&fbclid=2"), "http://x.vn/a");
        assert_eq!(c("http://x.vn/a?"), "http://x.vn/a");
        assert_eq!(c("http://x.vn/a;jsessionid=XYZ?p=1"), "http://x.vn/a?p=1");
        assert_eq!(c("http://x.vn/a/../b/./c"), "http://x.vn/b/c");
        assert_eq!(c("ftp://x.vn/a"), "NONE");
        assert_eq!(c("javascript:alert(1)"), "NONE");
        assert_eq!(c("mailto:a@b.vn"), "NONE");
        assert_eq!(c("http://user:pw@x.vn/"), "NONE");
        assert_eq!(c("not a url"), "NONE");
    }

    #[test]
    fn same_page_two_spellings_one_form() {
        assert_eq!(
            c("http://x.vn/news/a-1/?utm_campaign=z#top"),
            c("http://X.vn:80/news/a-1/")
        );
    }

    #[test]
    fn resolve_links() {
        let base = Url::parse("http://x.vn/news/list/page-2/").unwrap();
        let r = |h: &str| resolve(&base, h).map(|u| u.to_string());
        assert_eq!(r("../a-1/"), Some("http://x.vn/news/list/a-1/".into()));
        assert_eq!(r("/b?sid=9"), Some("http://x.vn/b".into()));
        assert_eq!(r("#top"), None);
        assert_eq!(r("  javascript:void(0) "), None);
        assert_eq!(r("tel:123"), None);
        assert_eq!(r("http://[::1"), None);
    }

    #[test]
    fn scope_has_twins_and_compares_hosts_as_written() {
        let seeds = [Url::parse("http://danvan.vn/").unwrap()];
        let s = Scope::new(&seeds, &["Other.vn".to_string()]);
        let ok = |u: &str| s.allows(&Url::parse(u).unwrap());
        assert!(ok("http://www.danvan.vn/x"));
        assert!(ok("https://danvan.vn/x"));
        assert!(ok("http://other.vn/"));
        assert!(ok("http://www.other.vn/"));
        assert!(!ok("http://evil.vn/"));
        let seeds = [Url::parse("http://127.0.0.1:8080/").unwrap()];
        let s = Scope::new(&seeds, &[]);
        assert!(s.allows(&Url::parse("http://127.0.0.1:9/").unwrap()));
        assert!(!s.allows(&Url::parse("http://localhost:8080/").unwrap()));
    }

    #[test]
    fn origin_keys() {
        let u = Url::parse("http://127.0.0.1:8080/a").unwrap();
        assert_eq!(origin_key(&u), "127.0.0.1:8080");
        let u = Url::parse("https://x.vn/a").unwrap();
        assert_eq!(origin_key(&u), "x.vn");
    }
}
