//! The real title of a vbpl.vn document: the lược đồ's "Văn bản hiện
//! thời" box, the heading of the full text, composed with the kind.
use super::*;

/// The lược đồ's "Văn bản hiện thời" box: "Hiến pháp Không số Hiến pháp
/// năm 2013" (kind, number, subject).
pub(super) fn current_document(region: ElementRef<'_>) -> Option<String> {
    use ego_tree::iter::Edge;
    let mut after_heading = false;
    for edge in region.traverse() {
        let Edge::Open(node) = edge else { continue };
        match node.value() {
            scraper::Node::Text(t)
                if t.trim_start().starts_with(['V', 'v'])
                    && t.len() <= MAX_LABEL_BYTES
                    && folded(t).contains("van ban hien thoi") =>
            {
                after_heading = true;
            }
            scraper::Node::Element(e) if after_heading && e.name() == "li" => {
                let li = ElementRef::wrap(node)?;
                let t = clean(&inline_text(li));
                if !t.is_empty() {
                    return Some(t);
                }
            }
            _ => {}
        }
    }
    None
}

/// The heading at the top of a full text: its first centred lines, up to
/// the preamble ("BỘ LUẬT" / "HÌNH SỰ" → "BỘ LUẬT HÌNH SỰ").
pub(super) fn full_text_heading(region: ElementRef<'_>) -> Option<String> {
    let text = region
        .select(sel!("#toanvancontent, .toanvancontent"))
        .next()?;
    let mut lines: Vec<String> = Vec::new();
    for p in text.select(sel!("p, div, h1, h2, h3, h4")).take(40) {
        if p.select(sel!("p, div")).next().is_some() {
            continue; // a wrapper: its paragraphs come next
        }
        let t = clean(&inline_text(p));
        if !t.chars().any(char::is_alphabetic) {
            continue;
        }
        let centred = p
            .value()
            .attr("align")
            .is_some_and(|a| a.eq_ignore_ascii_case("center"))
            || p.value()
                .attr("style")
                .is_some_and(|s| s.replace(' ', "").contains("text-align:center"));
        let f = folded(&t);
        let stop = [
            "can cu",
            "loi noi dau",
            "chuong ",
            "phan thu",
            "dieu ",
            "muc ",
        ]
        .iter()
        .any(|w| f.starts_with(w));
        if !centred || stop || lines.len() >= MAX_HEADING_LINES {
            break;
        }
        lines.push(t);
    }
    (!lines.is_empty()).then(|| lines.join(" "))
}

/// Kinds whose subject is a name, capitalised ("Luật Hải quan").
const NAMED_KINDS: &[&str] = &["luat", "bo luat", "phap lenh"];

/// Proper names a sentence-cased heading must keep capitalised.
const PROPER: &[&str] = &[
    "Cộng hòa xã hội chủ nghĩa Việt Nam",
    "Việt Nam",
    "Hồ Chí Minh",
    "Quốc hội",
    "Chính phủ",
];

/// "HÌNH SỰ" → "hình sự", proper names kept ("Việt Nam").
fn sentence_case(s: &str) -> String {
    let mut out = s.to_lowercase();
    for p in PROPER {
        let lower = p.to_lowercase();
        out = out.replace(&lower, p);
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The title from the kind and the subject as the page writes it: "Bộ
/// luật" + "Tố tụng hình sự" → "Bộ luật Tố tụng hình sự"; "Luật" +
/// "LUẬT HẢI QUAN" → "Luật Hải quan"; "Văn bản hợp nhất" + "hợp nhất Luật
/// Xử lý vi phạm hành chính" → "Văn bản hợp nhất Luật Xử lý vi phạm hành
/// chính"; "Hiến pháp" + "Hiến pháp năm 2013" → "Hiến pháp năm 2013";
/// "Nghị quyết" + "Về thí điểm ..." → "Nghị quyết về thí điểm ...".
pub(crate) fn compose_title(kind: Option<&str>, subject: &str) -> String {
    let subject = clean(subject);
    if subject.is_empty() {
        return kind.map(clean).unwrap_or_default();
    }
    let all_caps =
        subject.chars().any(char::is_alphabetic) && !subject.chars().any(char::is_lowercase);
    let subject = if all_caps {
        capitalise(&sentence_case(&subject))
    } else {
        subject
    };
    let Some(kind) = kind.map(clean).filter(|k| !k.is_empty()) else {
        return subject;
    };
    let fk: Vec<String> = folded(&kind).split(' ').map(str::to_string).collect();
    let sw: Vec<&str> = subject.split(' ').collect();
    let fs: Vec<String> = sw.iter().map(|w| folded(w)).collect();
    // The subject repeats the kind, or its last words ("hợp nhất ...").
    let mut rest_from = 0;
    for k in (1..=fk.len()).rev() {
        if fs.len() > k && fs[..k] == fk[fk.len() - k..] {
            rest_from = k;
            break;
        }
        if fs.len() == k && fs[..] == fk[fk.len() - k..] {
            return kind;
        }
    }
    if rest_from == fk.len() && !all_caps {
        // "Hiến pháp năm 2013": the subject is the title.
        return subject;
    }
    let rest = sw[rest_from..].join(" ");
    let fk_joined = fk.join(" ");
    let rest = if NAMED_KINDS.contains(&fk_joined.as_str()) {
        capitalise(&rest)
    } else if all_caps || folded(&rest).starts_with("ve ") {
        lowercase_first(&rest)
    } else {
        rest
    };
    format!("{kind} {rest}")
}
