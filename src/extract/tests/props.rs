//! Properties: no input makes extraction panic, hang or overflow the
//! stack, and every body comes out in NFC.
use proptest::prelude::*;
use unicode_normalization::{UnicodeNormalization, is_nfc};

use crate::extract::nesting::{MAX_DEPTH, limit_nesting};
use crate::extract::{decode, extract_html, extract_json_line, extract_text};

/// The start tags `open` that the nesting guard leaves in `html`: the
/// depth html5ever gets to see, whose cost is O(tags × depth). Counting
/// them checks the work bound without a clock.
fn kept_by_the_guard(html: &str, open: &str) -> usize {
    limit_nesting(html).matches(open).count()
}

/// Tag soup: real tag names (including the ones extraction treats
/// specially), attributes, entities, comments and text in NFD.
fn html_soup() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "<(div|p|br|span|a|table|tr|td|h1|h2|title|script|style|form|nav|footer|ul|li|pre|b|i)\
         ( (class|id|href|style|charset|property|content)=\"[a-zA-Z0-9 _:;/.#=-]{0,16}\")*>",
        "</(div|p|span|a|table|tr|td|h1|title|script|style|form|nav|ul|li|pre|b)>",
        "<meta (charset=\"[a-z0-9-]{0,12}\"|property=\"og:title\" content=\"[^\"<]{0,12}\")>",
        "&(amp|lt|nbsp|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|bogus);?",
        "<!--[^>]{0,10}-->",
        vn_text(),
        "Gửi cho bạn bè|Các tin khác|Thứ Hai, 6/2/2023|ngày 8 tháng 10 năm 2021|File: a.pdf",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

/// Vietnamese-ish text, often decomposed (NFD), with newlines.
fn vn_text() -> impl Strategy<Value = String> {
    ("[a-zA-ZàáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễđĐìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹ ,.\n\u{a0}\u{300}\u{301}\u{323}]{0,60}", any::<bool>())
        .prop_map(|(s, nfd)| if nfd { s.nfd().collect() } else { s })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn text_never_panics_and_body_is_nfc(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        if let Ok(doc) = extract_text(&bytes) {
            prop_assert!(is_nfc(&doc.body) && is_nfc(&doc.title));
        }
    }

    #[test]
    fn text_lines_never_panic(lines in prop::collection::vec(vn_text(), 0..30)) {
        if let Ok(doc) = extract_text(lines.join("\n").as_bytes()) {
            prop_assert!(is_nfc(&doc.body) && is_nfc(&doc.title));
            prop_assert!(!doc.body.contains("\n\n\n"));
        }
    }

    #[test]
    fn html_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600),
                              ct in proptest::option::of("[ -~]{0,40}")) {
        if let Ok(doc) = extract_html(&bytes, ct.as_deref()) {
            prop_assert!(is_nfc(&doc.body) && is_nfc(&doc.title));
        }
        prop_assert!(is_nfc(&decode(&bytes, ct.as_deref())));
    }

    #[test]
    fn html_soup_never_panics_and_body_is_nfc(html in html_soup()) {
        if let Ok(doc) = extract_html(html.as_bytes(), None) {
            prop_assert!(is_nfc(&doc.body) && is_nfc(&doc.title));
            prop_assert!(!doc.body.is_empty());
        }
    }

    #[test]
    fn nesting_guard_never_panics(s in "(<|</|<!--|-->|>|'|\"|div|script|p|a|é|\\PC){0,300}") {
        let out = crate::extract::nesting::limit_nesting(&s);
        prop_assert!(out.len() <= s.len());
    }

    #[test]
    fn json_line_never_panics(line in "\\PC{0,200}") {
        let _ = extract_json_line(&line);
    }

    #[test]
    fn json_objects_never_panic_and_are_nfc(title in vn_text(), text in vn_text(),
                                            id in proptest::option::of(any::<i64>()),
                                            extra in "[ -~]{0,20}") {
        let mut obj = serde_json::json!({"title": title, "text": text, "x": extra});
        if let Some(id) = id {
            obj["id"] = id.into();
        }
        if let Ok(doc) = extract_json_line(&obj.to_string()) {
            prop_assert!(is_nfc(&doc.body) && is_nfc(&doc.title));
            prop_assert_eq!(doc.id_hint, id.map(|i| i.to_string()));
            prop_assert!(doc.metadata.contains_key("x"));
        }
    }
}

/// Runs `f` on a thread with a 1 MiB stack: recursion over a 10,000-deep
/// tree would overflow it.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("no stack overflow or panic")
}

#[test]
fn ten_thousand_nested_divs() {
    const DEPTH: usize = 10_000;
    let mut html = String::from("<html><head><title>Sâu</title></head><body>");
    html.push_str(&"<div class='content'>".repeat(DEPTH));
    html.push_str("<p>Nội dung nằm rất sâu, trong mười nghìn thẻ div lồng nhau.</p>");
    html.push_str(&"</div>".repeat(DEPTH));
    html.push_str("</body></html>");
    let kept = kept_by_the_guard(&html, "<div");
    assert!(kept <= MAX_DEPTH, "{kept} nested divs reach html5ever");
    let doc = on_small_stack(move || extract_html(html.as_bytes(), None)).expect("extracts");
    assert_eq!(
        doc.body,
        "Nội dung nằm rất sâu, trong mười nghìn thẻ div lồng nhau."
    );
}

/// 50,000 nested divs: html5ever alone is quadratic here (seconds even in
/// release); the nesting guard keeps it linear.
#[test]
fn fifty_thousand_nested_divs_stay_linear() {
    let n = 50_000;
    let html = format!(
        "<body>{}<p>Chữ ở đáy.</p>{}</body>",
        "<div>".repeat(n),
        "</div>".repeat(n)
    );
    let kept = kept_by_the_guard(&html, "<div>");
    assert!(kept <= MAX_DEPTH, "{kept} nested divs reach html5ever");
    assert!(
        kept >= MAX_DEPTH / 2,
        "the guard keeps real nesting: {kept}"
    );
    let doc = on_small_stack(move || extract_html(html.as_bytes(), None)).expect("extracts");
    assert_eq!(doc.body, "Chữ ở đáy.");
}

#[test]
fn deep_unclosed_and_mixed_nesting() {
    for (open, deepens) in [
        ("<div>", "<div>"),
        ("<span>", "<span>"),
        ("<b>", "<b>"),
        ("<table><tr><td>", "<table>"),
        ("<ul><li>", "<ul>"),
        ("<a href=x.pdf>", "<a "),
    ] {
        let html = format!("<body>{}văn bản, nội dung</body>", open.repeat(5_000));
        let kept = kept_by_the_guard(&html, deepens);
        assert!(kept <= MAX_DEPTH, "{open}: {kept} reach html5ever");
        on_small_stack(move || {
            let _ = extract_html(html.as_bytes(), None);
        });
    }
}
