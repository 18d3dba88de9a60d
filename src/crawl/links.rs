//! Links of a fetched page: what to follow, and attachment links (.pdf,
//! .doc, ...) recorded against the page that links them.
use std::collections::HashSet;
use std::sync::LazyLock;

use scraper::{Html, Selector};
use url::Url;

use super::profiles;

/// File extensions of attachments.
pub const ATTACHMENT_EXTENSIONS: &[&str] = &[
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "rtf", "odt", "ods", "zip", "rar", "7z",
];
/// Most links taken from one page.
pub const MAX_LINKS: usize = 5000;

/// What a page links to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageLinks {
    /// Pages to follow (canonical, deduplicated, in page order).
    pub follow: Vec<Url>,
    /// Attachment links: URL and link text (or file name).
    pub attachments: Vec<(Url, String)>,
    /// The profile that read the page.
    pub profile: &'static str,
}

/// Whether `u` points at an attachment file.
pub fn is_attachment(u: &Url) -> bool {
    let path = u.path().to_ascii_lowercase();
    path.rsplit_once('.')
        .is_some_and(|(_, ext)| ATTACHMENT_EXTENSIONS.contains(&ext))
}

static LINKS: LazyLock<Selector> = LazyLock::new(|| {
    Selector::parse("a[href], area[href], link[rel~=next][href], link[rel~=prev][href], link[rel~=canonical][href], frame[src], iframe[src]")
        .expect("static selector")
});
static BASE: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("base[href]").expect("static selector"));
static META_ROBOTS: LazyLock<Selector> = LazyLock::new(|| {
    Selector::parse("meta[name=robots][content], meta[name=ROBOTS][content]")
        .expect("static selector")
});

/// The links of an HTML page at `page_url`. Honours `<base href>` and
/// `<meta name=robots content=nofollow>`; drops links the page's profile
/// skips (print views, send-by-mail forms, ...).
pub fn extract(html: &str, page_url: &Url) -> PageLinks {
    let doc = Html::parse_document(html);
    extract_from(&doc, page_url)
}

/// [`extract`] on a parsed page.
pub fn extract_from(doc: &Html, page_url: &Url) -> PageLinks {
    let profile = profiles::detect(page_url, doc);
    let mut out = PageLinks {
        profile: profile.profile.name,
        ..Default::default()
    };
    let nofollow = doc.select(&META_ROBOTS).any(|m| {
        m.value().attr("content").is_some_and(|c| {
            c.to_ascii_lowercase().contains("nofollow") || c.to_ascii_lowercase().contains("none")
        })
    });
    let base = doc
        .select(&BASE)
        .next()
        .and_then(|b| b.value().attr("href"))
        .and_then(|h| page_url.join(h.trim()).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .unwrap_or_else(|| page_url.clone());
    let mut seen = HashSet::new();
    for el in doc.select(&LINKS).take(MAX_LINKS * 2) {
        let v = el.value();
        let Some(href) = v.attr("href").or_else(|| v.attr("src")) else {
            continue;
        };
        let Some(u) = super::url::resolve(&base, href) else {
            continue;
        };
        if !seen.insert(u.as_str().to_string()) {
            continue;
        }
        if is_attachment(&u) {
            let text = el.text().collect::<String>();
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let name = if text.is_empty() {
                u.path_segments()
                    .and_then(|mut s| s.next_back())
                    .unwrap_or("")
                    .to_string()
            } else {
                text
            };
            out.attachments.push((u, name));
        } else if !nofollow
            && v.attr("rel")
                .is_none_or(|r| !r.to_ascii_lowercase().contains("nofollow"))
            && !profile.skips(u.as_str())
            && out.follow.len() < MAX_LINKS
        {
            out.follow.push(u);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follow_skip_and_attachments() {
        let page = Url::parse("http://x.vn/index.php/vi/news/chi-dao/").unwrap();
        let html = r#"<html><head><meta name=generator content="NukeViet v4"></head><body>
            <div class=news_column><h3><a href="chi-thi-5-12/">A</a></h3>
            <a href="/index.php/vi/news/print/chi-thi-5-12/">In</a>
            <a href="/index.php/vi/news/sendmail/chi-thi-5-12/">Gửi</a>
            <a href="chi-thi-5-12/#comments">dup</a>
            <a href="/files/ct5.PDF">Tải về văn bản</a>
            <a href="/files/ct5.doc"></a>
            <a href="mailto:a@x.vn">mail</a><a href="javascript:void(0)">js</a>
            <div class=pagination><a href="page-2/">2</a></div></div></body></html>"#;
        let l = extract(html, &page);
        assert_eq!(l.profile, "nukeviet-news");
        let follow: Vec<&str> = l.follow.iter().map(Url::as_str).collect();
        assert_eq!(
            follow,
            [
                "http://x.vn/index.php/vi/news/chi-dao/chi-thi-5-12/",
                "http://x.vn/index.php/vi/news/chi-dao/page-2/"
            ]
        );
        assert_eq!(l.attachments.len(), 2);
        assert_eq!(l.attachments[0].1, "Tải về văn bản");
        assert_eq!(l.attachments[1].1, "ct5.doc");
    }

    #[test]
    fn base_and_nofollow() {
        let page = Url::parse("http://x.vn/a/b.html").unwrap();
        let l = extract(
            r#"<base href="http://x.vn/z/"><a href="c.html">c</a><a rel=nofollow href=d.html>d</a>"#,
            &page,
        );
        assert_eq!(l.follow.len(), 1);
        assert_eq!(l.follow[0].as_str(), "http://x.vn/z/c.html");
        let l = extract(
            r#"<meta name=robots content="noindex,nofollow"><a href="c.html">c</a>"#,
            &page,
        );
        assert!(l.follow.is_empty());
    }
}
