//! Related documents: each link to another `ItemID` under the last
//! relation label ("Văn bản ...") before it.
use super::*;

/// Relation labels are the texts that start "Văn bản" (lược đồ boxes,
/// the related-documents table's label cells, the consolidated list).
pub(super) fn relation_label(text: &str) -> Option<String> {
    // Cheap rejection first: this runs on every text node of a full text.
    let raw = text.trim_start();
    if raw.len() > MAX_LABEL_BYTES || !raw.starts_with(['V', 'v']) {
        return None;
    }
    let t = clean(text);
    let t = t.trim_end_matches(':').trim();
    // "Văn bản HD, QĐ chi tiết (88)": drop the count.
    let t = match t.rfind('(') {
        Some(i) if t.ends_with(')') && t[i + 1..t.len() - 1].trim().parse::<u32>().is_ok() => {
            t[..i].trim()
        }
        _ => t,
    };
    let f = folded(t);
    (f.starts_with("van ban ") && t.chars().count() <= 60 && !f.contains("hien thoi"))
        .then(|| t.to_string())
}

/// Every link to another document under the relation label before it.
pub(super) fn related(
    region: ElementRef<'_>,
    own: &str,
    page: Option<&str>,
) -> Vec<StatedRelation> {
    use ego_tree::iter::Edge;
    let mut out: Vec<StatedRelation> = Vec::new();
    let mut label: Option<String> = None;
    let consolidated_page = page.is_some_and(|p| p.ends_with("hopnhat"));
    for edge in region.traverse() {
        let Edge::Open(node) = edge else { continue };
        if out.len() >= MAX_RELATED {
            break;
        }
        if let scraper::Node::Text(t) = node.value() {
            if let Some(l) = relation_label(t) {
                label = Some(l);
            }
            continue;
        }
        let Some(el) = ElementRef::wrap(node) else {
            continue;
        };
        if el.value().name() != "a" {
            continue;
        }
        let Some(id) = el.value().attr("href").and_then(item_id) else {
            continue;
        };
        if id == own {
            continue;
        }
        let Some(current) = label.clone() else {
            continue;
        };
        let text = el
            .value()
            .attr("title")
            .map(clean)
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| clean(&inline_text(el)));
        // Item text, not "Lược đồ", "[Thuộc tính]": a number or "Không số".
        let (kind, number) = split_kind_number(&text);
        let Some(number) = number else { continue };
        if out.iter().any(|r| r.label == current && r.item_id == id) {
            continue;
        }
        // On a consolidated text's own pages the documents listed are its
        // sources, whatever heading the diagram puts over them.
        let label = if consolidated_page && folded(&current) == "van ban hop nhat" {
            "Văn bản được hợp nhất".to_string()
        } else {
            current
        };
        let subject = text
            .find(&number)
            .map(|at| text[at + number.len()..].trim().to_string())
            .filter(|s| !s.is_empty());
        let title = subject.map(|s| compose_title(kind.as_deref(), &s));
        out.push(StatedRelation {
            label,
            kind,
            number,
            title,
            item_id: id,
        });
    }
    out
}
