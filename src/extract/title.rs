//! Title candidates for pages no profile knows (issue 10): headings, and
//! the short blocks a template sets in bold or large type
//! (`<div><b>…</b></div>`, `<td><font size=4>…</font></td>`,
//! `<p><span style="font-size:18pt">…</span></p>`), wherever the class
//! names are random. Which candidate is the title is decided by position
//! (right above the text) and by `<title>`/`og:title` (see `html.rs`).
use std::collections::HashSet;

use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Node};

use super::boilerplate::is_marker;
use super::charset::clean;
use super::date::date_line;
use super::profiles::body_element;
use super::render::{inline_text, is_invisible};

/// Candidates shorter than this are labels, longer ones leads.
const MIN_CHARS: usize = 10;
const MAX_CHARS: usize = 300;
/// How many lines above the text the title may be.
const WINDOW_LINES: usize = 15;
/// A bold line longer than this that ends like a sentence is a lead.
const SENTENCE_CHARS: usize = 80;
/// Most elements examined (hostile pages are big).
const MAX_ELEMENTS: usize = 20_000;

const HEADINGS: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6"];
const LEAF_BLOCKS: &[&str] = &[
    "div", "p", "td", "th", "li", "dt", "dd", "center", "span", "h1", "h2", "h3", "h4", "h5", "h6",
];
const BLOCKS: &[&str] = &[
    "div",
    "p",
    "td",
    "th",
    "li",
    "dt",
    "dd",
    "center",
    "table",
    "tr",
    "ul",
    "ol",
    "dl",
    "section",
    "article",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "form",
    "br",
];
const EMPHASIS: &[&str] = &["b", "strong", "font", "big"];

/// The title-like texts of a page.
#[derive(Debug, Default)]
pub(crate) struct Candidates {
    texts: Vec<String>,
    set: HashSet<String>,
}

impl Candidates {
    /// Whether a rendered line is one of the candidates.
    pub(crate) fn is_title_like(&self, line: &str) -> bool {
        let line = clean(line);
        !is_sentence(&line) && self.set.contains(&line)
    }

    /// The candidates in page order.
    pub(crate) fn texts(&self) -> impl Iterator<Item = &String> {
        self.texts.iter()
    }
}

/// A long line ending like a sentence is a lead in bold, not a headline.
fn is_sentence(line: &str) -> bool {
    line.chars().count() > SENTENCE_CHARS && line.ends_with(['.', ':', ';', '…'])
}

fn is_emphasis(el: ElementRef<'_>) -> bool {
    let v = el.value();
    if EMPHASIS.contains(&v.name()) {
        return true;
    }
    let style = v.attr("style").unwrap_or("").to_ascii_lowercase();
    if style.contains("font-size") || style.contains("bold") {
        return true;
    }
    let names = format!("{} {}", v.attr("class").unwrap_or(""), v.id().unwrap_or(""));
    let names = names.to_ascii_lowercase();
    ["title", "tieude", "tieu-de", "tieu_de", "headline"]
        .iter()
        .any(|n| names.contains(n))
}

/// Whether every visible text of `el` is set in emphasis (an emphasis
/// element between it and `el`, or `el` itself).
fn all_emphasized(el: ElementRef<'_>) -> bool {
    if is_emphasis(el) {
        return true;
    }
    let mut any = false;
    for node in el.descendants() {
        let Node::Text(t) = node.value() else {
            continue;
        };
        if t.trim().is_empty() {
            continue;
        }
        any = true;
        let emphasized = node
            .ancestors()
            .take_while(|a| a.id() != el.id())
            .filter_map(ElementRef::wrap)
            .any(is_emphasis);
        if !emphasized {
            return false;
        }
    }
    any
}

fn has_block_child(el: ElementRef<'_>) -> bool {
    el.descendants()
        .skip(1)
        .filter_map(ElementRef::wrap)
        .any(|e| BLOCKS.contains(&e.value().name()))
}

fn in_link(el: ElementRef<'_>) -> bool {
    el.ancestors()
        .filter_map(ElementRef::wrap)
        .any(|a| a.value().name() == "a")
        || el
            .descendants()
            .filter_map(ElementRef::wrap)
            .any(|a| a.value().name() == "a")
}

/// Headings and emphasized leaf blocks of a page, in page order.
pub(crate) fn candidates(doc: &Html) -> Candidates {
    let mut out = Candidates::default();
    let body = body_element(doc);
    let mut skipping = None;
    for (seen, edge) in body.traverse().enumerate() {
        if seen > MAX_ELEMENTS {
            break;
        }
        match edge {
            Edge::Open(node) => {
                if skipping.is_some() {
                    continue;
                }
                let Some(el) = ElementRef::wrap(node) else {
                    continue;
                };
                if is_invisible(el) {
                    skipping = Some(node.id());
                    continue;
                }
                let name = el.value().name();
                if !LEAF_BLOCKS.contains(&name) || has_block_child(el) {
                    continue;
                }
                if !HEADINGS.contains(&name) && !all_emphasized(el) {
                    continue;
                }
                let text = clean(&inline_text(el));
                let chars = text.chars().count();
                if !(MIN_CHARS..=MAX_CHARS).contains(&chars)
                    || is_marker(&text)
                    || date_line(&text).is_some()
                    || in_link(el)
                {
                    continue;
                }
                if out.set.insert(text.clone()) {
                    out.texts.push(text);
                }
            }
            Edge::Close(node) => {
                if skipping == Some(node.id()) {
                    skipping = None;
                }
            }
        }
    }
    out
}

/// The page's lines above the start of the extracted text (the last
/// [`WINDOW_LINES`] of them): where the title is. The text starts at the
/// first region line that is neither a candidate, a date nor chrome.
pub(crate) fn lines_before_body<'a>(
    page: &'a [String],
    region: &[String],
    candidates: &Candidates,
) -> &'a [String] {
    let start = region.iter().map(|l| l.trim()).find(|l| {
        !l.is_empty() && !candidates.is_title_like(l) && date_line(l).is_none() && !is_marker(l)
    });
    let Some(start) = start else {
        return &[];
    };
    let Some(at) = page.iter().position(|l| l.trim() == start) else {
        return &[];
    };
    &page[at.saturating_sub(WINDOW_LINES)..=at]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emphasized_blocks_and_headings() {
        let doc = Html::parse_document(
            "<body><div class=q1><b>Kế hoạch công tác dân vận năm 2023</b></div>\
             <p><span style='font-size:18pt'>Hội nghị giao ban công tác dân vận</span></p>\
             <h2>Tin tức sự kiện</h2><div><a href=/x><b>Một tin khác có liên kết</b></a></div>\
             <div>Thứ Hai, 6/2/2023</div><p>Đoạn văn <b>có chữ đậm</b> ở giữa câu.</p></body>",
        );
        let c = candidates(&doc);
        let texts: Vec<&String> = c.texts().collect();
        assert_eq!(
            texts,
            [
                "Kế hoạch công tác dân vận năm 2023",
                "Hội nghị giao ban công tác dân vận",
                "Tin tức sự kiện"
            ]
        );
    }
}
