//! Pages as the crawler fetched them: bytes, `Content-Type` and URL →
//! [`ExtractedDoc`] plus a judgement of what the page is (issue 10).
//!
//! Whether a page is an article is decided from the page itself, as
//! readability and trafilatura do, never from class names alone: how much
//! main text there is, how much of it is whole-line links (a listing's
//! headlines), whether a title was confirmed by `<title>`/`og:title` or a
//! site profile, whether it shows a date. [`assess`] is a pure function
//! over those [`Signals`], so the rules are tested on their own.
use std::collections::HashSet;

use scraper::{ElementRef, Html};
use serde::{Deserialize, Serialize};

use super::ExtractedDoc;
use super::charset::clean;
use super::profiles::sel;
use super::render::inline_text;

/// Fewer characters of main text than this is not an article.
pub const MIN_ARTICLE_CHARS: usize = 250;
/// A short text with a confirmed title and a date is a brief this long.
pub const MIN_BRIEF_CHARS: usize = 80;
/// A link line this long is a headline (shorter ones are "Xem tiếp").
const MIN_HEADLINE_CHARS: usize = 20;
/// A listing shows at least this many headlines in its main text...
const MIN_LISTING_LINKS: usize = 3;
/// ...and they are at least this share (percent) of it.
const MIN_LISTING_LINK_SHARE: usize = 15;
/// A line of this many characters is a paragraph.
const PARAGRAPH_CHARS: usize = 80;

/// What a page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PageClass {
    /// One piece of running text: index it.
    Article,
    /// A page of links to articles (category, tag, search, pagination,
    /// home).
    Listing,
    /// Anything else (a form, a page with almost no text).
    Other,
}

/// Why a fetched page is not a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotIndexed {
    /// A listing page.
    Listing,
    /// Too little main text.
    TooLittleText,
    /// Not HTML or text (an image, a PDF answered as a page).
    NotHtml,
    /// `<meta name=robots content=noindex>`.
    Noindex,
    /// Nothing could be extracted.
    Empty,
}

impl NotIndexed {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            NotIndexed::Listing => "listing",
            NotIndexed::TooLittleText => "too_little_text",
            NotIndexed::NotHtml => "not_html",
            NotIndexed::Noindex => "noindex",
            NotIndexed::Empty => "empty",
        }
    }
}

/// The evidence a page gives about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Signals {
    /// The site profile that read it, if any.
    pub profile: Option<&'static str>,
    /// Characters of main text.
    pub body_chars: usize,
    /// Lines of the main text that are paragraphs.
    pub paragraphs: usize,
    /// Lines of the main text that are a link's whole text (headlines).
    pub link_lines: usize,
    /// Their characters.
    pub link_line_chars: usize,
    /// Blocks beside the main text that are items of a list: each mostly
    /// a headline link (a listing whose region is one of its items).
    pub sibling_items: usize,
    /// The title was confirmed (profile, `og:title`, `<title>`).
    pub title_confirmed: bool,
    /// A publication date was found.
    pub has_date: bool,
    /// The page asks not to be indexed.
    pub noindex: bool,
    /// Its `<link rel=canonical>`, as written.
    pub canonical: Option<String>,
    /// The page names the document it shows (a vbpl.vn tab with its
    /// `ItemID`): its lists of related documents are that document's,
    /// not a listing.
    pub names_document: bool,
}

impl Signals {
    pub(crate) fn measure(
        doc: &Html,
        region: &[ElementRef<'_>],
        body: &str,
        profile: Option<&'static str>,
        title_confirmed: bool,
        has_date: bool,
    ) -> Signals {
        let mut links: HashSet<String> = HashSet::new();
        for r in region {
            for a in r.select(sel!("a")).take(5_000) {
                let t = clean(&inline_text(a));
                if t.chars().count() >= MIN_HEADLINE_CHARS {
                    links.insert(t);
                }
            }
        }
        let mut s = Signals {
            profile,
            title_confirmed,
            has_date,
            ..Default::default()
        };
        for line in body.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let chars = line.chars().count();
            s.body_chars += chars;
            if chars >= PARAGRAPH_CHARS {
                s.paragraphs += 1;
            }
            if is_link_line(line, &links) {
                s.link_lines += 1;
                s.link_line_chars += chars;
            }
        }
        s.sibling_items = region
            .first()
            .and_then(|r| r.parent())
            .map(|p| {
                p.children()
                    .filter_map(ElementRef::wrap)
                    .take(500)
                    .filter(|c| is_item(*c))
                    .count()
            })
            .unwrap_or(0);
        s.noindex = doc
            .select(sel!(
                "meta[name=robots], meta[name=ROBOTS], meta[name=Robots]"
            ))
            .filter_map(|m| m.value().attr("content"))
            .any(|c| {
                let c = c.to_ascii_lowercase();
                c.contains("noindex") || c.split(',').any(|p| p.trim() == "none")
            });
        s.canonical = doc
            .select(sel!("link[rel=canonical][href]"))
            .filter_map(|l| l.value().attr("href"))
            .map(|h| h.trim().to_string())
            .find(|h| !h.is_empty());
        s
    }
}

/// A block that is mostly a headline link ("Tin A", a date, a teaser).
fn is_item(el: ElementRef<'_>) -> bool {
    let text_chars = inline_text(el).chars().count();
    if text_chars == 0 {
        return false;
    }
    let links = std::iter::once(el)
        .filter(|e| e.value().name() == "a")
        .chain(el.select(sel!("a")).take(50));
    let longest = links
        .map(|a| inline_text(a).chars().count())
        .max()
        .unwrap_or(0);
    longest >= MIN_HEADLINE_CHARS && longest * 4 >= text_chars
}

/// A line that is a link's text, maybe with a date or counter after it
/// ("Tin A (12/03/2022)").
fn is_link_line(line: &str, links: &HashSet<String>) -> bool {
    if links.is_empty() {
        return false;
    }
    let line = clean(line);
    if links.contains(&line) {
        return true;
    }
    let chars = line.chars().count();
    links.iter().any(|l| {
        let n = l.chars().count();
        line.starts_with(l.as_str()) && n * 10 >= chars * 7
    })
}

/// What the page is, and why it is not indexed when it is not an article.
pub fn assess(s: &Signals) -> (PageClass, Option<NotIndexed>) {
    if s.noindex {
        return (PageClass::Other, Some(NotIndexed::Noindex));
    }
    let share = s.link_line_chars * 100 / s.body_chars.max(1);
    let prose = s.body_chars.saturating_sub(s.link_line_chars);
    let listing = (s.link_lines >= MIN_LISTING_LINKS
        && (share >= MIN_LISTING_LINK_SHARE || prose < MIN_ARTICLE_CHARS))
        || s.sibling_items >= MIN_LISTING_LINKS;
    // A page of a document (its properties, its relation diagram) is
    // that document's, however many links it lists.
    if s.names_document {
        return (PageClass::Article, None);
    }
    // A profile that found the article's own text is believed unless the
    // text is a list of headlines.
    if listing {
        return (PageClass::Listing, Some(NotIndexed::Listing));
    }
    // A short text is an article when the page vouches for it: a title
    // that `<title>`/`og:title` confirms and a date (a news brief).
    let vouched = s.title_confirmed && s.has_date && s.body_chars >= MIN_BRIEF_CHARS;
    if s.body_chars < MIN_ARTICLE_CHARS && s.profile.is_none() && !vouched {
        return (PageClass::Other, Some(NotIndexed::TooLittleText));
    }
    (PageClass::Article, None)
}

/// A fetched page to extract.
#[derive(Debug, Clone, Copy)]
pub struct PageInput<'a> {
    /// The bytes as fetched.
    pub bytes: &'a [u8],
    /// The `Content-Type` header, when known.
    pub content_type: Option<&'a str>,
}

/// What [`extract_page`] found.
#[derive(Debug, Clone)]
pub struct ExtractedPage {
    /// The document (also for pages that are not articles: their text
    /// shows what was judged).
    pub doc: ExtractedDoc,
    /// What the page is.
    pub class: PageClass,
    /// Why it is not indexed, when it is not.
    pub not_indexed: Option<NotIndexed>,
    /// The evidence.
    pub signals: Signals,
}

impl ExtractedPage {
    fn not_indexed(reason: NotIndexed) -> ExtractedPage {
        ExtractedPage {
            doc: ExtractedDoc::default(),
            class: PageClass::Other,
            not_indexed: Some(reason),
            signals: Signals::default(),
        }
    }
}

/// Extracts a fetched page and judges it: the one function crawled pages
/// go through (ingested `.html` files go through the same extraction,
/// [`super::extract_html`], without the judgement: a file named on the
/// command line is a document).
///
/// `text/plain` pages are read as saved text pages; other non-HTML types
/// are not documents.
pub fn extract_page(input: PageInput<'_>) -> ExtractedPage {
    let mime = input
        .content_type
        .and_then(|c| c.split(';').next())
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if mime == "text/plain" {
        return match super::text::extract_decoded(&super::charset::decode(
            input.bytes,
            input.content_type,
        )) {
            Ok(doc) => {
                let signals = Signals {
                    body_chars: doc.body.chars().count(),
                    title_confirmed: false,
                    has_date: doc.published.is_some(),
                    ..Default::default()
                };
                let (class, not_indexed) = assess(&signals);
                ExtractedPage {
                    doc,
                    class,
                    not_indexed,
                    signals,
                }
            }
            Err(_) => ExtractedPage::not_indexed(NotIndexed::Empty),
        };
    }
    let html_like = mime.is_empty()
        || mime.contains("html")
        || mime.contains("xml")
        || looks_like_html(input.bytes);
    if !html_like {
        return ExtractedPage::not_indexed(NotIndexed::NotHtml);
    }
    let html = super::charset::decode_raw(input.bytes, input.content_type);
    match super::html::extract_with_signals(&html) {
        Ok((doc, signals)) => {
            let (class, not_indexed) = assess(&signals);
            ExtractedPage {
                doc,
                class,
                not_indexed,
                signals,
            }
        }
        Err(_) => ExtractedPage::not_indexed(NotIndexed::Empty),
    }
}

fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    head.contains("<html") || head.contains("<!doctype html") || head.contains("<body")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signals(body: usize, links: usize, link_chars: usize) -> Signals {
        Signals {
            body_chars: body,
            link_lines: links,
            link_line_chars: link_chars,
            ..Default::default()
        }
    }

    #[test]
    fn assess_by_content() {
        assert_eq!(assess(&signals(3000, 0, 0)).0, PageClass::Article);
        // Ten headlines with teasers.
        assert_eq!(
            assess(&signals(3400, 10, 1000)),
            (PageClass::Listing, Some(NotIndexed::Listing))
        );
        // An article with two links of its own stays an article.
        assert_eq!(assess(&signals(3000, 2, 200)).0, PageClass::Article);
        // A long article with a few headline links in it.
        assert_eq!(assess(&signals(9000, 4, 400)).0, PageClass::Article);
        // Headlines and hardly any prose.
        assert_eq!(assess(&signals(280, 3, 40)).0, PageClass::Listing);
        assert_eq!(
            assess(&signals(120, 0, 0)),
            (PageClass::Other, Some(NotIndexed::TooLittleText))
        );
        let mut s = signals(3000, 0, 0);
        s.noindex = true;
        assert_eq!(assess(&s).1, Some(NotIndexed::Noindex));
        // A brief whose title and date the page confirms.
        let mut s = signals(150, 0, 0);
        s.title_confirmed = true;
        s.has_date = true;
        assert_eq!(assess(&s).0, PageClass::Article);
        s.has_date = false;
        assert_eq!(assess(&s).0, PageClass::Other);
        // A document's page of related documents is that document's.
        let mut s = signals(3400, 10, 1000);
        s.names_document = true;
        assert_eq!(assess(&s).0, PageClass::Article);
        // A profile's short article is believed.
        let mut s = signals(120, 0, 0);
        s.profile = Some("nukeviet");
        assert_eq!(assess(&s).0, PageClass::Article);
    }

    #[test]
    fn pages_by_content_type() {
        let p = extract_page(PageInput {
            bytes: b"\x89PNG....",
            content_type: Some("image/png"),
        });
        assert_eq!(p.not_indexed, Some(NotIndexed::NotHtml));
        let page = "<html><head><title>Tin tức</title><meta name=robots content='noindex, follow'></head>\
                    <body><p>Ban Dân vận Tỉnh ủy chủ trì, phối hợp với các đơn vị, tổ chức hội nghị sơ kết \
                    công tác dân vận năm 2023, đánh giá kết quả và đề ra nhiệm vụ trọng tâm năm 2024 cho \
                    toàn hệ thống dân vận của tỉnh, với nhiều nội dung mới.</p></body></html>";
        let p = extract_page(PageInput {
            bytes: page.as_bytes(),
            content_type: Some("text/html"),
        });
        assert_eq!(p.not_indexed, Some(NotIndexed::Noindex));
    }
}
