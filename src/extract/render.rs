//! DOM → lines of text, the way a reader sees them: block elements start
//! new lines, paragraphs and headings are set off by blank lines, `<br>`
//! breaks a line, and runs of HTML whitespace collapse to one space inside
//! a line (no-break spaces are text and stay). Scripts, styles, forms'
//! controls, SVG and `display:none` elements are never rendered.
//!
//! The walk is iterative (ego-tree's `traverse`), so 10,000 nested `<div>`s
//! cost no stack.
use ego_tree::iter::Edge;
use scraper::{ElementRef, Node};

/// Elements whose content is never text a reader sees.
const NEVER_TEXT: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "head",
    "title", "select", "option", "textarea", "button", "input", "canvas", "audio", "video", "map",
    "link", "meta",
];

/// Elements set off by a blank line.
const PARAGRAPH: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "table",
    "ul",
    "ol",
    "dl",
    "figure",
    "hr",
    "address",
    "center",
];

/// Elements that start and end a line.
const BLOCK: &[&str] = &[
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "nav",
    "aside",
    "li",
    "tr",
    "td",
    "th",
    "dt",
    "dd",
    "caption",
    "figcaption",
    "form",
    "fieldset",
    "legend",
    "details",
    "summary",
    "body",
    "html",
    "tbody",
    "thead",
    "tfoot",
];

/// Whether the element's content is never rendered (by tag or inline
/// `display:none`).
pub(crate) fn is_invisible(el: ElementRef<'_>) -> bool {
    let v = el.value();
    if NEVER_TEXT.contains(&v.name()) {
        return true;
    }
    v.attr("style").is_some_and(|s| {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        s.to_ascii_lowercase().contains("display:none")
    })
}

#[derive(Default)]
struct Lines {
    lines: Vec<String>,
    cur: String,
    space: bool,
}

impl Lines {
    fn text(&mut self, s: &str, pre: bool) {
        for c in s.chars() {
            if pre && c == '\n' {
                self.hard_break();
            } else if c.is_ascii_whitespace() && !pre {
                self.space = true;
            } else {
                if self.space && !self.cur.is_empty() {
                    self.cur.push(' ');
                }
                self.space = false;
                self.cur.push(c);
            }
        }
    }

    fn hard_break(&mut self) {
        self.lines.push(std::mem::take(&mut self.cur));
        self.space = false;
    }

    fn line_break(&mut self) {
        if !self.cur.trim().is_empty() {
            self.lines.push(std::mem::take(&mut self.cur));
        }
        self.cur.clear();
        self.space = false;
    }

    fn paragraph_break(&mut self) {
        self.line_break();
        if self.lines.last().is_some_and(|l| !l.trim().is_empty()) {
            self.lines.push(String::new());
        }
    }

    fn finish(mut self) -> Vec<String> {
        self.line_break();
        self.lines
    }
}

/// Renders `roots` in order into lines; elements for which `skip` says
/// true are left out with everything inside them.
pub(crate) fn render_lines<F>(roots: &[ElementRef<'_>], skip: F) -> Vec<String>
where
    F: Fn(ElementRef<'_>) -> bool,
{
    let mut out = Lines::default();
    for root in roots {
        let mut skipping = None;
        let mut pre_depth = 0usize;
        for edge in root.traverse() {
            match edge {
                Edge::Open(node) => {
                    if skipping.is_some() {
                        continue;
                    }
                    match node.value() {
                        Node::Text(t) => out.text(t, pre_depth > 0),
                        Node::Element(e) => {
                            let Some(el) = ElementRef::wrap(node) else {
                                continue;
                            };
                            if is_invisible(el) || skip(el) {
                                skipping = Some(node.id());
                                continue;
                            }
                            let name = e.name();
                            if name == "br" {
                                out.hard_break();
                            } else if PARAGRAPH.contains(&name) {
                                out.paragraph_break();
                            } else if BLOCK.contains(&name) {
                                out.line_break();
                            }
                            if name == "pre" {
                                pre_depth += 1;
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
                    if let Node::Element(e) = node.value() {
                        let name = e.name();
                        if PARAGRAPH.contains(&name) {
                            out.paragraph_break();
                        } else if BLOCK.contains(&name) {
                            out.line_break();
                        }
                        if name == "pre" {
                            pre_depth = pre_depth.saturating_sub(1);
                        }
                    }
                }
            }
        }
        out.paragraph_break();
    }
    out.finish()
}

/// The text of one element on one line: whitespace collapsed, `<br>` and
/// blocks as spaces (for titles and link names).
pub(crate) fn inline_text(el: ElementRef<'_>) -> String {
    let lines = render_lines(&[el], |_| false);
    let mut s = String::new();
    for line in lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(line);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    fn render(html: &str) -> String {
        let doc = Html::parse_document(html);
        let lines = render_lines(&[doc.root_element()], |_| false);
        crate::extract::boilerplate::join_lines(&lines, true)
    }

    #[test]
    fn blocks_breaks_and_whitespace() {
        let html = "<body><h1> Tiêu  đề </h1><p>Dòng\n một<br>dòng <b>hai</b></p>\
                    <div>Khối</div><ul><li>a</li><li>b</li></ul>\
                    <script>var x = 1;</script><style>p{}</style>\
                    <p style='display: none'>ẩn</p><p>cuối</p></body>";
        assert_eq!(
            render(html),
            "Tiêu đề\n\nDòng một\ndòng hai\n\nKhối\n\na\nb\n\ncuối"
        );
    }

    #[test]
    fn pre_keeps_lines() {
        assert_eq!(render("<pre>a  b\nc</pre>"), "a  b\nc");
    }

    #[test]
    fn inline_text_joins() {
        let doc = Html::parse_fragment("<h3>Đề mục 30.4<br/>Thi hành tạm giữ</h3>");
        let h3 = doc
            .select(&scraper::Selector::parse("h3").unwrap())
            .next()
            .unwrap();
        assert_eq!(inline_text(h3), "Đề mục 30.4 Thi hành tạm giữ");
    }
}
