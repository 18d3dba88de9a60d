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
    // `.xml.gz`: inflated here, capped (a gzip bomb stays small).
    let inflated;
    let body = if body.starts_with(&[0x1f, 0x8b]) {
        inflated = gunzip(body);
        &inflated[..]
    } else {
        body
    };
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

/// Largest inflated sitemap read (the sitemaps.org limit is 50 MB).
pub const MAX_INFLATED: u64 = 50 * 1024 * 1024;

fn gunzip(body: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    // A truncated or corrupt stream keeps what inflated before the error.
    let _ = flate2::read::MultiGzDecoder::new(body)
        .take(MAX_INFLATED)
        .read_to_end(&mut out);
    out
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

    #[test]
    fn gzipped_sitemap_and_index() {
        use std::io::Write;
        let xml = b"<?xml version='1.0'?><sitemapindex><sitemap><loc>http://x.vn/a.xml.gz</loc></sitemap></sitemapindex>";
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(xml).unwrap();
        let bytes = gz.finish().unwrap();
        let sm = parse(&bytes);
        assert!(sm.is_index);
        assert_eq!(sm.urls, ["http://x.vn/a.xml.gz"]);
        // Corrupt gzip: no panic, nothing read.
        assert!(parse(&[0x1f, 0x8b, 0, 1, 2]).urls.is_empty());
    }
}
