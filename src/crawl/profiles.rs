//! Site profiles for the crawler: which links never to follow (print
//! views, send-by-mail forms, feeds …) on the site shapes vanban knows.
//! They are hints for link following only: whether a page is an article,
//! and its title, date and text, are `extract`'s business, decided by the
//! page's content (issue 10). A generic profile covers every other site.
//!
//! A profile is data: add one by appending a [`Profile`] to [`PROFILES`]
//! (patterns are regexes over the canonical URL, markers CSS selectors);
//! the unit tests at the bottom show the shape to copy.
use std::sync::LazyLock;

use regex::Regex;
use scraper::{Html, Selector};
use url::Url;

/// A site profile, as data.
#[derive(Debug)]
pub struct Profile {
    /// Its name (shown in logs).
    pub name: &'static str,
    /// URLs of this site shape (regex).
    pub url_pattern: Option<&'static str>,
    /// Any of these selectors matching marks a page of this shape.
    pub markers: &'static [&'static str],
    /// URLs never followed (regexes).
    pub skip: &'static [&'static str],
}

/// URLs no profile follows: print views, send-by-mail forms, feeds,
/// logins.
const COMMON_SKIP: &[&str] = &[
    r"(?i)/(print|in-bai-viet|in-tin|sendmail|gui-email|rss|feed|savefile|qrcode)(/|\.|\?|$)",
    r"(?i)[?&](print|share|sendmail)=",
    r"(?i)/(login|logout|register|dang-nhap|dang-xuat|dang-ky)(/|\.|\?|$)",
    r"(?i)[?&]nv=(users|contact)\b",
];

/// The known profiles, tried in order; [`GENERIC`] is the fallback.
pub const PROFILES: &[Profile] = &[
    // NukeViet's news module, which most provincial Party committees and
    // their Ban Dân vận run: /index.php/vi/news/<category>/<slug-id>/ (or
    // /vi/news/...), and the per-article /news/print/...,
    // /news/sendmail/... and /news/rss/... links.
    Profile {
        name: "nukeviet-news",
        url_pattern: Some(r"(?i)(/index\.php/[a-z]{2}/news/|/[a-z]{2}/news/|[?&]nv=news\b)"),
        markers: &[
            "#news-bodyhtml",
            ".news_column",
            "meta[name=generator][content*=NukeViet]",
        ],
        skip: &[
            r"(?i)/news/(print|sendmail|rss|savefile|qrcode|search|tag-[^/]*/print)(/|$)",
            r"(?i)[?&]op=(print|sendmail|rss|savefile)\b",
        ],
    },
    // tuyengiaodanvan.vn, the portal of the Ban Tuyên giáo và Dân vận
    // Trung ương (danvan.vn became part of it in 2025), and danvan.vn-like
    // news CMSs built the same way.
    Profile {
        name: "tuyengiaodanvan",
        url_pattern: Some(r"(?i)^https?://([a-z0-9-]+\.)?(tuyengiaodanvan\.vn|danvan\.vn)/"),
        markers: &[".article-detail", ".list-news", ".box-news-detail"],
        skip: &[r"(?i)/(in-bai-viet|gui-email|chia-se)/"],
    },
    // vbpl.vn (SharePoint): the text pages are what matters; the print and
    // download views are not pages.
    Profile {
        name: "vbpl",
        url_pattern: Some(r"(?i)^https?://([a-z0-9-]+\.)?vbpl\.vn/"),
        markers: &["div.box-map"],
        skip: &[
            r"(?i)/(_layouts|Lists)/",
            r"(?i)vbpq-(in|print)\.aspx",
            r"(?i)[?&](Source|ReturnUrl)=",
        ],
    },
];

/// Any other site.
pub const GENERIC: Profile = Profile {
    name: "generic",
    url_pattern: None,
    markers: &[],
    skip: &[],
};

/// A profile with its patterns compiled.
#[derive(Debug)]
pub struct Compiled {
    /// The profile.
    pub profile: &'static Profile,
    url: Option<Regex>,
    markers: Vec<Selector>,
    skip: Vec<Regex>,
}

fn sels(list: &[&str]) -> Vec<Selector> {
    list.iter()
        .filter_map(|s| Selector::parse(s).ok())
        .collect()
}

fn res(list: &[&str]) -> Vec<Regex> {
    list.iter().filter_map(|s| Regex::new(s).ok()).collect()
}

impl Compiled {
    fn new(p: &'static Profile) -> Compiled {
        Compiled {
            profile: p,
            url: p.url_pattern.and_then(|r| Regex::new(r).ok()),
            markers: sels(p.markers),
            skip: res(p.skip),
        }
    }

    /// Whether links to `url` are never followed.
    pub fn skips(&self, url: &str) -> bool {
        COMMON.iter().any(|r| r.is_match(url)) || self.skip.iter().any(|r| r.is_match(url))
    }
}

static COMMON: LazyLock<Vec<Regex>> = LazyLock::new(|| res(COMMON_SKIP));
static COMPILED: LazyLock<Vec<Compiled>> =
    LazyLock::new(|| PROFILES.iter().map(Compiled::new).collect());
static GENERIC_COMPILED: LazyLock<Compiled> = LazyLock::new(|| Compiled::new(&GENERIC));

/// The profile of the page at `url`: the first whose URL pattern or
/// markers match, else the generic one.
pub fn detect(url: &Url, doc: &Html) -> &'static Compiled {
    COMPILED
        .iter()
        .find(|c| {
            c.url.as_ref().is_some_and(|r| r.is_match(url.as_str()))
                || c.markers.iter().any(|s| doc.select(s).next().is_some())
        })
        .unwrap_or(&GENERIC_COMPILED)
}

/// The generic profile.
pub fn generic() -> &'static Compiled {
    &GENERIC_COMPILED
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn nukeviet_skips() {
        let doc = Html::parse_document("<div class=news_column><h1>Chỉ thị 05</h1></div>");
        let article = u("http://x.vn/index.php/vi/news/chi-dao/chi-thi-05-123/");
        let p = detect(&article, &doc);
        assert_eq!(p.profile.name, "nukeviet-news");
        assert!(p.skips("http://x.vn/index.php/vi/news/print/chi-thi-05-123/"));
        assert!(p.skips("http://x.vn/vi/news/sendmail/chi-thi-05-123/"));
        assert!(!p.skips("http://x.vn/vi/news/chi-dao/"));
    }

    #[test]
    fn named_sites() {
        let empty = Html::parse_document("");
        for (url, name) in [
            (
                "https://tuyengiaodanvan.vn/dan-van/tin-tuc/a-123",
                "tuyengiaodanvan",
            ),
            (
                "https://danvan.vn/tin-tuc/ket-luan-114.html",
                "tuyengiaodanvan",
            ),
            (
                "https://vbpl.vn/TW/Pages/vbpq-toanvan.aspx?ItemID=1",
                "vbpl",
            ),
            ("http://example.vn/a", "generic"),
        ] {
            assert_eq!(detect(&u(url), &empty).profile.name, name, "{url}");
        }
        let p = detect(&u("https://vbpl.vn/TW/Pages/home.aspx"), &empty);
        assert!(p.skips("https://vbpl.vn/TW/Pages/vbpq-in.aspx?ItemID=1"));
        assert!(generic().skips("http://x.vn/print/1"));
    }
}
