//! The generic main-content finder for pages no site profile knows, after
//! Mozilla readability: every paragraph-like element with some text scores
//! `1 + commas + min(chars / 100, 3)` and passes that score up to five
//! ancestors (the parent in full, the grandparent half, then a third …);
//! the element with the best score, discounted by its link density, is the
//! article, joined by siblings that score well or read like paragraphs.
//!
//! Menus, sidebars, comments and other chrome (by tag, or by class and id,
//! see [`is_chrome_element`]) are skipped before scoring. One iterative
//! pass, no recursion.
use std::collections::HashMap;

use ego_tree::NodeId;
use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Node};

use super::boilerplate::is_boilerplate_name;
use super::render::{inline_text, is_invisible};

/// Tags that are page chrome wherever they appear.
const CHROME_TAGS: &[&str] = &["nav", "header", "footer", "aside"];
/// Tags that are paragraphs when they hold text.
const PARAGRAPH_TAGS: &[&str] = &["p", "pre", "td", "li", "dd", "blockquote"];
/// Tags that hold paragraphs; a text-only one is a paragraph itself.
const CONTAINER_TAGS: &[&str] = &[
    "div", "section", "article", "font", "center", "main", "span",
];
/// Tags that make their parent "have blocks".
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "table",
    "ul",
    "ol",
    "dl",
    "pre",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "form",
    "main",
    "figure",
    "td",
    "li",
];
/// Shorter paragraphs do not vote.
const MIN_PARAGRAPH_CHARS: usize = 25;

/// Whether the element is chrome by tag (`nav`, `header`, `footer`,
/// `aside`) or by a menu/sidebar/comment/share/... class or id. The root
/// elements and `main`/`article` are never chrome.
pub(crate) fn is_chrome_element(el: ElementRef<'_>) -> bool {
    let v = el.value();
    let name = v.name();
    if matches!(name, "html" | "body" | "main" | "article") {
        return false;
    }
    CHROME_TAGS.contains(&name) || is_boilerplate_name(v.attr("class"), v.id())
}

#[derive(Default)]
struct Acc {
    chars: usize,
    link_chars: usize,
    commas: usize,
    has_block: bool,
}

/// Scores and sizes of the elements that received votes.
#[derive(Default)]
struct Scores {
    score: HashMap<NodeId, f64>,
    size: HashMap<NodeId, (usize, usize)>,
}

impl Scores {
    fn final_score(&self, id: NodeId) -> f64 {
        let raw = self.score.get(&id).copied().unwrap_or(0.0);
        let (chars, links) = self.size.get(&id).copied().unwrap_or((0, 0));
        if chars == 0 {
            0.0
        } else {
            raw * (1.0 - links as f64 / chars as f64)
        }
    }
}

fn score_tree(root: ElementRef<'_>, skip_chrome: bool) -> Scores {
    let mut scores = Scores::default();
    // Open elements: (id, tag name, accumulator).
    let mut stack: Vec<(NodeId, &str, Acc)> = Vec::new();
    let mut skipping: Option<NodeId> = None;
    let mut link_depth = 0usize;
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => {
                if skipping.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Element(e) => {
                        let Some(el) = ElementRef::wrap(node) else {
                            continue;
                        };
                        if is_invisible(el) || (skip_chrome && is_chrome_element(el)) {
                            skipping = Some(node.id());
                            continue;
                        }
                        if e.name() == "a" {
                            link_depth += 1;
                        }
                        stack.push((node.id(), e.name(), Acc::default()));
                    }
                    Node::Text(t) => {
                        if let Some((_, _, acc)) = stack.last_mut() {
                            let n = t.trim().chars().count();
                            acc.chars += n;
                            if link_depth > 0 {
                                acc.link_chars += n;
                            }
                            acc.commas += t.matches([',', '，', ';']).count();
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if let Some(id) = skipping {
                    if id == node.id() {
                        skipping = None;
                    }
                    continue;
                }
                if !node.value().is_element() {
                    continue;
                }
                let Some((id, name, acc)) = stack.pop() else {
                    continue;
                };
                if name == "a" {
                    link_depth = link_depth.saturating_sub(1);
                }
                if scores.score.contains_key(&id) {
                    scores.size.insert(id, (acc.chars, acc.link_chars));
                }
                let is_paragraph = name == "p"
                    || (PARAGRAPH_TAGS.contains(&name) && !acc.has_block)
                    || (CONTAINER_TAGS.contains(&name) && !acc.has_block);
                if is_paragraph
                    && acc.chars >= MIN_PARAGRAPH_CHARS
                    && acc.link_chars * 2 < acc.chars
                {
                    let s = 1.0 + acc.commas as f64 + (acc.chars as f64 / 100.0).min(3.0);
                    for (level, (anc, _, _)) in stack.iter().rev().take(5).enumerate() {
                        let divider = match level {
                            0 => 1.0,
                            1 => 2.0,
                            l => l as f64 * 3.0,
                        };
                        *scores.score.entry(*anc).or_insert(0.0) += s / divider;
                    }
                }
                if let Some((_, _, parent)) = stack.last_mut() {
                    parent.chars += acc.chars;
                    parent.link_chars += acc.link_chars;
                    parent.commas += acc.commas;
                    parent.has_block |= acc.has_block || BLOCK_TAGS.contains(&name);
                }
            }
        }
    }
    scores
}

/// The article region of a page: the best-scoring element and the
/// siblings that belong with it, in document order. Falls back to `<body>`.
pub(crate) fn main_region(doc: &Html) -> Vec<ElementRef<'_>> {
    let body = super::profiles::body_element(doc);
    let mut scores = score_tree(body, true);
    if scores.score.is_empty() {
        // Everything looked like chrome (say, `<body class="has-sidebar">`
        // wrappers): score again without the class filter.
        scores = score_tree(body, false);
    }
    let Some(top) = scores.score.keys().copied().max_by(|a, b| {
        scores
            .final_score(*a)
            .total_cmp(&scores.final_score(*b))
            .then(b.cmp(a))
    }) else {
        return vec![body];
    };
    let Some(top_el) = doc.tree.get(top).and_then(ElementRef::wrap) else {
        return vec![body];
    };
    let top_score = scores.final_score(top);
    let threshold = (top_score * 0.2).max(10.0);
    // Climb out of wrappers that add nothing (a lone cell of a layout
    // table, a div around the text): the lead and the text's other parts
    // are siblings of the wrapper, not of the text.
    let mut top_el = top_el;
    for _ in 0..MAX_CLIMB {
        let Some(parent) = top_el.parent().and_then(ElementRef::wrap) else {
            break;
        };
        if matches!(parent.value().name(), "body" | "html") || !adds_nothing(parent, top_el) {
            break;
        }
        top_el = parent;
    }
    let top = top_el.id();
    let Some(parent) = top_el.parent() else {
        return vec![top_el];
    };
    let siblings: Vec<ElementRef<'_>> = parent.children().filter_map(ElementRef::wrap).collect();
    let Some(at) = siblings.iter().position(|s| s.id() == top) else {
        return vec![top_el];
    };
    let mut keep = vec![false; siblings.len()];
    keep[at] = true;
    for (i, sib) in siblings.iter().enumerate() {
        if i == at || is_invisible(*sib) || is_chrome_element(*sib) {
            continue;
        }
        keep[i] = scores.final_score(sib.id()) >= threshold || reads_like_paragraph(*sib);
    }
    // Text blocks (a lead, a closing paragraph) join when they touch the
    // region: a copyright footer further down the page does not.
    let empty = |e: &ElementRef<'_>| is_invisible(*e) || inline_text(*e).trim().is_empty();
    for range in [
        (0..at).rev().collect::<Vec<_>>(),
        (at + 1..siblings.len()).collect(),
    ] {
        for i in range {
            if keep[i] || empty(&siblings[i]) {
                continue;
            }
            if is_text_block(siblings[i]) {
                keep[i] = true;
            } else {
                break;
            }
        }
    }
    siblings
        .into_iter()
        .zip(keep)
        .filter_map(|(s, k)| k.then_some(s))
        .collect()
}

/// Wrapper levels climbed at most.
const MAX_CLIMB: usize = 6;
/// A block of prose beside the text: this long, few links.
const TEXT_BLOCK_CHARS: usize = 100;

/// Whether `parent` holds nothing visible but `child`.
fn adds_nothing(parent: ElementRef<'_>, child: ElementRef<'_>) -> bool {
    for node in parent.children() {
        if node.id() == child.id() {
            continue;
        }
        match node.value() {
            Node::Text(t) if !t.trim().is_empty() => return false,
            Node::Element(_) => {
                if let Some(e) = ElementRef::wrap(node)
                    && !is_invisible(e)
                    && !inline_text(e).trim().is_empty()
                {
                    return false;
                }
            }
            _ => {}
        }
    }
    true
}

/// A block of running text that belongs with the article beside it (a
/// lead set apart, a paragraph in a `div`): long enough, few links, no
/// heading, list or form inside, not chrome.
pub(crate) fn is_text_block(el: ElementRef<'_>) -> bool {
    if is_invisible(el) || is_chrome_element(el) {
        return false;
    }
    let name = el.value().name();
    if matches!(
        name,
        "ul" | "ol" | "form" | "a" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
    ) {
        return false;
    }
    let structural = el.descendants().filter_map(ElementRef::wrap).any(|e| {
        matches!(
            e.value().name(),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "ul" | "ol" | "form" | "input"
        )
    });
    if structural {
        return false;
    }
    let text = inline_text(el);
    let chars = text.chars().count();
    if chars < TEXT_BLOCK_CHARS {
        return false;
    }
    let link_chars: usize = el
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|e| e.value().name() == "a")
        .map(|a| inline_text(a).chars().count())
        .sum();
    link_chars * 4 < chars
}

fn reads_like_paragraph(el: ElementRef<'_>) -> bool {
    if el.value().name() != "p" {
        return false;
    }
    let text = inline_text(el);
    let chars = text.chars().count();
    let link_chars: usize = el
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|e| e.value().name() == "a")
        .map(|a| inline_text(a).chars().count())
        .sum();
    if chars > 80 {
        link_chars * 4 < chars
    } else {
        chars > 0 && link_chars == 0 && text.ends_with('.')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region_text(html: &str) -> String {
        let doc = Html::parse_document(html);
        let region = main_region(&doc);
        let lines = super::super::render::render_lines(&region, |_| false);
        super::super::boilerplate::join_lines(&lines, true)
    }

    #[test]
    fn picks_the_article_over_menus_and_sidebars() {
        let para = "Ban Dân vận Tỉnh ủy chủ trì, phối hợp với các đơn vị lực lượng vũ trang, \
                    tổ chức ký kết chương trình, kế hoạch phối hợp hằng năm.";
        let html = format!(
            "<body><div class='menu'><ul><li><a href='/'>Trang chủ</a></li>\
             <li><a href='/a'>Giới thiệu chung về cơ quan và các đơn vị</a></li></ul></div>\
             <div class='wrap'><div class='left'><div class='story'><p>{para}</p><p>{para}</p>\
             <p>{para}</p></div></div>\
             <div class='right'><h3>Tin mới</h3><ul><li><a href='/x'>{para}</a></li></ul></div>\
             </div><div id='footer'><p>{para}</p></div></body>"
        );
        let text = region_text(&html);
        assert_eq!(text.matches("Ban Dân vận").count(), 3, "{text}");
        assert!(!text.contains("Trang chủ"));
    }

    /// The DOM walks are iterative: a 3,000-deep tree (parsed directly,
    /// without the nesting guard) on a 256 KiB stack.
    #[test]
    fn deep_tree_on_a_small_stack() {
        let text = std::thread::Builder::new()
            .stack_size(256 << 10)
            .spawn(|| {
                let n = 3_000;
                let html = format!(
                    "<body>{}<p>Nội dung, ở rất sâu, vẫn được đọc ra đầy đủ.</p>{}</body>",
                    "<div>".repeat(n),
                    "</div>".repeat(n)
                );
                region_text(&html)
            })
            .expect("spawn")
            .join()
            .expect("no stack overflow");
        assert_eq!(text, "Nội dung, ở rất sâu, vẫn được đọc ra đầy đủ.");
    }

    #[test]
    fn no_paragraphs_falls_back_to_body() {
        assert_eq!(region_text("<body><span>x</span></body>"), "x");
        assert_eq!(region_text(""), "");
    }
}
