//! A guard against pathologically deep markup before html5ever sees it.
//!
//! html5ever's tree builder checks "is there a `<p>` in button scope" at
//! every block start tag by walking the stack of open elements, so N nested
//! `<div>`s cost O(N²): 50,000 of them (250 KB) take seconds even in a
//! release build, a cheap denial of service on the crawler. Real pages
//! nest a few dozen levels. Past [`MAX_DEPTH`], start and end tags are
//! dropped (their text stays), so the parse stays linear.
//!
//! The scanner is deliberately rough: it knows comments, quoted attribute
//! values, raw-text elements (`script`, `style`, …), void elements and the
//! elements whose end tags are implied (`p`, `li`, `td`, …, which never
//! deepen the tree). It only ever changes documents deeper than the limit.
use std::borrow::Cow;

/// Deepest element nesting kept.
pub(crate) const MAX_DEPTH: usize = 512;

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen",
];
/// Elements a same-kind start tag (or their parent's end) closes implicitly.
const IMPLIED_END: &[&str] = &[
    "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "tbody", "thead", "tfoot", "rb",
    "rt", "rp", "colgroup", "caption", "html", "head", "body",
];
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noscript",
];

/// `html` with tags nested deeper than [`MAX_DEPTH`] removed; borrowed
/// (no copy) when nothing is that deep.
pub(crate) fn limit_nesting(html: &str) -> Cow<'_, str> {
    if html.bytes().filter(|&b| b == b'<').count() <= MAX_DEPTH {
        return Cow::Borrowed(html);
    }
    let bytes = html.as_bytes();
    let mut out: Option<String> = None;
    let mut kept_to = 0; // bytes[..kept_to] are accounted for in `out`
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(off) = memchr(b'<', &bytes[i..]) {
        let start = i + off;
        let rest = &html[start..];
        if rest.starts_with("<!--") {
            i = rest.find("-->").map_or(bytes.len(), |e| start + e + 3);
            continue;
        }
        let closing = rest.as_bytes().get(1) == Some(&b'/');
        let name_at = start + 1 + usize::from(closing);
        let name_len = bytes[name_at..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 || !bytes[name_at].is_ascii_alphabetic() {
            i = start + 1;
            continue;
        }
        let name = html[name_at..name_at + name_len].to_ascii_lowercase();
        let end = tag_end(bytes, name_at + name_len);
        let self_closing = end >= 2 && bytes[end - 2] == b'/';
        let neutral = VOID.contains(&name.as_str()) || IMPLIED_END.contains(&name.as_str());
        let drop = if neutral || (self_closing && !closing) {
            false
        } else if closing {
            let too_deep = depth > MAX_DEPTH;
            depth = depth.saturating_sub(1);
            too_deep
        } else {
            depth += 1;
            depth > MAX_DEPTH
        };
        if drop {
            let o = out.get_or_insert_with(|| String::with_capacity(html.len()));
            o.push_str(&html[kept_to..start]);
            kept_to = end;
        }
        i = end;
        if !closing && RAW_TEXT.contains(&name.as_str()) {
            i = raw_text_end(html, end, &name);
        }
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut o) => {
            o.push_str(&html[kept_to..]);
            Cow::Owned(o)
        }
    }
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == needle)
}

/// Index just past the `>` that ends the tag whose attributes start at
/// `from` (quotes respected), or the end of input.
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut quote = None;
    for (k, &b) in bytes.iter().enumerate().skip(from) {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if b == q => quote = None,
            (None, b'>') => return k + 1,
            _ => {}
        }
    }
    bytes.len()
}

/// Index of the `</name` that ends a raw-text element's content.
fn raw_text_end(html: &str, from: usize, name: &str) -> usize {
    let close = format!("</{name}");
    let hay = &html.as_bytes()[from..];
    hay.windows(close.len())
        .position(|w| w.eq_ignore_ascii_case(close.as_bytes()))
        .map_or(html.len(), |p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shallow_documents_are_borrowed() {
        let page = "<div><p>a<p>b<ul><li>c<li>d</ul></div>".repeat(200);
        assert!(matches!(limit_nesting(&page), Cow::Borrowed(_)));
        let items = format!("<ul>{}</ul>", "<li>mục".repeat(5_000));
        assert!(matches!(limit_nesting(&items), Cow::Borrowed(_)));
        let breaks = format!("<div>{}</div>", "dòng<br>".repeat(5_000));
        assert!(matches!(limit_nesting(&breaks), Cow::Borrowed(_)));
    }

    #[test]
    fn deep_tags_are_dropped_text_is_kept() {
        let n = 2_000;
        let page = format!(
            "{}chữ{}<p>sau</p>",
            "<div class='a>b'>".repeat(n),
            "</div>".repeat(n)
        );
        let limited = limit_nesting(&page);
        assert_eq!(limited.matches("<div").count(), MAX_DEPTH);
        assert_eq!(limited.matches("</div>").count(), MAX_DEPTH);
        assert!(limited.contains("chữ") && limited.ends_with("<p>sau</p>"));
    }

    #[test]
    fn comments_and_scripts_are_not_tags() {
        let n = MAX_DEPTH + 10;
        let page = format!(
            "<script>{}</script><!--{}-->{}x",
            "<div>".repeat(n),
            "<div>".repeat(n),
            "<span>".repeat(10)
        );
        assert!(matches!(limit_nesting(&page), Cow::Borrowed(_)));
    }
}
