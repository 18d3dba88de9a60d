//! Sitemaps (`<urlset>` and `<sitemapindex>`), read with a tolerant scan
//! of `<loc>` elements: sitemaps in the wild are often not well-formed XML.
use std::sync::LazyLock;

use regex::Regex;

/// Most URLs read from one sitemap (the protocol's own limit).
pub const MAX_URLS: usize = 50_000;

static LOC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)<(?:[a-z0-9]+:)?loc>\s*(?:<!\[CDATA\[)?\s*(.*?)\s*(?:\]\]>)?\s*</(?:[a-z0-9]+:)?loc>")
        .expect("static regex")
});

/// What a sitemap lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sitemap {
    /// It is a sitemap index: its URLs are sitemaps.
    pub is_index: bool,
    /// The listed URLs, as written (entities decoded).
    pub urls: Vec<String>,
}

/// Reads a sitemap body.
pub fn parse(body: &[u8]) -> Sitemap {
    let text = String::from_utf8_lossy(body);
    let head: String = text
        .chars()
        .take(4096)
        .collect::<String>()
        .to_ascii_lowercase();
    let is_index = head.contains("<sitemapindex") || head.contains(":sitemapindex");
    let urls = LOC
        .captures_iter(&text)
        .take(MAX_URLS)
        .map(|c| unescape(&c[1]))
        .filter(|u| !u.is_empty())
        .collect();
    Sitemap { is_index, urls }
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urlset_and_index() {
        let s = parse(b"<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\
            <url><loc> http://x.vn/a?p=1&amp;q=2 </loc></url><url><loc><![CDATA[http://x.vn/b]]></loc></url></urlset>");
        assert!(!s.is_index);
        assert_eq!(s.urls, ["http://x.vn/a?p=1&q=2", "http://x.vn/b"]);
        let s =
            parse(b"<sitemapindex><sitemap><loc>http://x.vn/s1.xml</loc></sitemap></sitemapindex>");
        assert!(s.is_index);
        assert_eq!(s.urls, ["http://x.vn/s1.xml"]);
        assert_eq!(parse(b"\xff\xfe<loc>").urls.len(), 0);
    }
}
