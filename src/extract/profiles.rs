//! Site profiles: where the title and the text live on the sites vanban
//! reads, found by inspecting saved pages (`../shared/corpus/html`) and the
//! NukeViet news templates.
//!
//! | site | detected by | title | body | dropped inside the body |
//! |---|---|---|---|---|
//! | vbpl.vn (SharePoint) | `div.box-map` breadcrumb | the real title that `vbpl.rs` reads (properties subject, lược đồ's "Văn bản hiện thời", full-text heading: "Bộ luật Hình sự"), else the last breadcrumb item ("Bộ luật 100/2015/QH13") | `div.fulltext` around `#toanvancontent` (header table, text, signers), else `.toanvancontent`, else the `div.fulltext` holding `.vbProperties`, else the open tab (`.box-tab-vb > .content`: lược đồ, related documents) | `.vbInfo` (validity badge), `.vbFile` (download box), `.vbTools`, `.qLink` (per-item tab links) |
//! | luatvietnam.vn | `h1.the-document-title` / `.the-document-body` | `h1.the-document-title` | `.the-document-body[data-role=content-body]` (the full text, not the `doc-summary`) | `.document-tip` ("Theo dõi điều khoản", "Ghi chú"), `.tooltip-button` |
//! | Bộ Pháp điển (phapdien) | `div._content` | first `h3` ("Đề mục 30.4 Thi hành tạm giữ, tạm giam") | `div._content` | — |
//! | NukeViet news (provincial sites) | `#news-bodyhtml`, `.bodytext`, `#bodytext` | `.news_column h1`, `h1.title`, `[itemprop=headline]` | `#hometext`/`.hometext` + `#news-bodyhtml`/`.bodytext`/`#bodytext` | — |
//! | other article pages (danvan.vn-like CMSs) | first of [`ARTICLE_BODY`] with text | generic | that element | chrome by class/id |
//!
//! Anything else goes to the generic scorer in `score.rs`.
use std::sync::LazyLock;

use scraper::{ElementRef, Html, Selector};

use super::render::inline_text;

/// A `LazyLock<Selector>` static per call site.
macro_rules! sel {
    ($s:literal) => {{
        static SELECTOR: std::sync::LazyLock<scraper::Selector> =
            std::sync::LazyLock::new(|| scraper::Selector::parse($s).expect("static selector"));
        &*SELECTOR
    }};
}
pub(crate) use sel;

/// How the body region was found; decides how much is dropped inside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    /// A site profile: only the profile's own drops apply.
    Profile(&'static str),
    /// A well-known article-body selector.
    ArticleSelector,
    /// The generic scorer.
    Generic,
}

/// What a profile knows about a page.
pub(crate) struct Site<'a> {
    pub(crate) source: Source,
    pub(crate) title: Option<String>,
    pub(crate) body: Vec<ElementRef<'a>>,
    /// Elements inside the body that are the site's chrome.
    pub(crate) drop: Option<&'static Selector>,
}

/// Well-known article-body containers, most specific first.
const ARTICLE_BODY: &[&str] = &[
    "[itemprop=articleBody]",
    ".article-content",
    ".article-body",
    ".articleContent",
    ".ArticleContent",
    "#ArticleContent",
    ".detail-content",
    ".content-detail",
    ".news-detail-content",
    ".detail-news-content",
    ".news-content",
    ".news-detail",
    ".detail-news",
    ".detailContent",
    ".post-content",
    ".entry-content",
    ".single-content",
    ".chitiet",
    ".noidung",
    "#noidung",
    ".noi-dung",
    ".fulltext",
    ".content-doc",
];

static ARTICLE_BODY_SELECTORS: LazyLock<Vec<Selector>> = LazyLock::new(|| {
    ARTICLE_BODY
        .iter()
        .map(|css| Selector::parse(css).expect("static selector"))
        .collect()
});

/// Minimum text an article-body candidate must hold to be believed.
const MIN_ARTICLE_CHARS: usize = 80;

/// `<body>`, or the root element of a document without one.
pub(crate) fn body_element(doc: &Html) -> ElementRef<'_> {
    doc.select(sel!("body"))
        .next()
        .unwrap_or_else(|| doc.root_element())
}

fn first<'a>(doc: &'a Html, selector: &Selector) -> Option<ElementRef<'a>> {
    doc.select(selector).next()
}

fn first_text(doc: &Html, selector: &Selector) -> Option<String> {
    doc.select(selector)
        .map(inline_text)
        .find(|t| !t.is_empty())
}

/// The profile of the first site that recognises the page.
pub(crate) fn detect(doc: &Html) -> Option<Site<'_>> {
    vbpl(doc)
        .or_else(|| luatvietnam(doc))
        .or_else(|| phapdien(doc))
        .or_else(|| nukeviet(doc))
        .or_else(|| article_selector(doc))
}

fn vbpl(doc: &Html) -> Option<Site<'_>> {
    first(doc, sel!("div.box-map"))?;
    let title = doc
        .select(sel!("div.box-map li"))
        .map(inline_text)
        .map(|t| t.trim_end_matches(['»', ' ']).trim().to_owned())
        .rfind(|t| !t.is_empty());
    // The full text (toàn văn) with its header table and signers, else the
    // properties table (thuộc tính), else the open tab's content (lược đồ,
    // related documents: relation labels and document names).
    let body = doc
        .select(sel!("div.fulltext"))
        .find(|f| {
            f.select(sel!(".toanvancontent, #toanvancontent"))
                .next()
                .is_some()
        })
        .or_else(|| first(doc, sel!("#toanvancontent, .toanvancontent")))
        .or_else(|| {
            doc.select(sel!("div.fulltext"))
                .find(|f| f.select(sel!(".vbProperties")).next().is_some())
        })
        .or_else(|| first(doc, sel!(".box-tab-vb > .content")));
    Some(Site {
        source: Source::Profile("vbpl"),
        title,
        body: body.into_iter().collect(),
        drop: Some(sel!(".vbInfo, .vbFile, .vbTools, .qLink")),
    })
}

fn luatvietnam(doc: &Html) -> Option<Site<'_>> {
    let title = first_text(doc, sel!("h1.the-document-title"));
    let body = first(doc, sel!(".the-document-body[data-role=content-body]"))
        .or_else(|| first(doc, sel!(".the-document-body:not(.doc-summary)")))
        .or_else(|| first(doc, sel!(".content-doc")));
    if title.is_none() && body.is_none() {
        return None;
    }
    Some(Site {
        source: Source::Profile("luatvietnam"),
        title,
        body: body.into_iter().collect(),
        drop: Some(sel!(".document-tip, .tooltip-button, .btn-tip-r-more")),
    })
}

fn phapdien(doc: &Html) -> Option<Site<'_>> {
    let body = first(doc, sel!("div._content"))?;
    Some(Site {
        source: Source::Profile("phapdien"),
        title: first_text(doc, sel!("h3")),
        body: vec![body],
        drop: None,
    })
}

fn nukeviet(doc: &Html) -> Option<Site<'_>> {
    let main = first(doc, sel!("#news-bodyhtml"))
        .or_else(|| first(doc, sel!(".news_column .bodytext")))
        .or_else(|| first(doc, sel!("#bodytext, .bodytext")))?;
    let mut body = Vec::new();
    if let Some(home) = first(doc, sel!("#hometext, .hometext")) {
        let inside_main = home.ancestors().any(|a| a.id() == main.id());
        if !inside_main && home.id() != main.id() {
            body.push(home);
        }
    }
    body.push(main);
    Some(Site {
        source: Source::Profile("nukeviet"),
        title: first_text(doc, sel!(".news_column h1, h1.title, [itemprop=headline]")),
        body,
        drop: None,
    })
}

fn article_selector(doc: &Html) -> Option<Site<'_>> {
    for selector in ARTICLE_BODY_SELECTORS.iter() {
        if let Some(el) = doc
            .select(selector)
            .find(|el| inline_text(*el).chars().count() >= MIN_ARTICLE_CHARS)
        {
            return Some(Site {
                source: Source::ArticleSelector,
                title: None,
                body: vec![el],
                drop: None,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use regex::Regex;
    use scraper::Selector;

    /// Every `sel!` in the module's sources parses (a selector only
    /// reached by a fallback would otherwise fail at run time).
    #[test]
    fn every_static_selector_parses() {
        static SEL: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r#"sel!\(\s*"((?:[^"\\]|\\.)*)"\s*\)"#).unwrap());
        let continuation = Regex::new(r"\\\n\s*").unwrap();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/extract");
        let mut count = 0;
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let Ok(source) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            for c in SEL.captures_iter(&source) {
                // Undo Rust string escapes: line continuations and quotes.
                let css = continuation.replace_all(&c[1], "");
                let css = css.replace("\\\"", "\"");
                assert!(Selector::parse(&css).is_ok(), "{:?}: {css}", entry.path());
                count += 1;
            }
        }
        assert!(count >= 20, "found only {count} selectors");
        for css in super::ARTICLE_BODY {
            assert!(Selector::parse(css).is_ok(), "{css}");
        }
    }
}
