//! What a vbpl.vn page states about its document (issue 12, item 4): the
//! facts the site's SharePoint pages show beside the text, read by their
//! labels rather than by position, so that every page type gives what it
//! has:
//!
//! - the tabs (`.box-tab-vb .header`, the selected one): the page type
//!   (`toanvan`, `thuoctinh`, `luocdo`, `vanbanlienquan`, `lichsu`,
//!   `thuoctinh-hopnhat` ...), the site ("tw") and the `ItemID`: together
//!   the document's key, shared by every page of one document;
//! - labelled values wherever they sit: a cell and the cells after it
//!   ("Số ký hiệu | 101/2015/QH13", "Cơ quan ban hành/ Chức danh / Người
//!   ký | Quốc hội | Chủ tịch Quốc hội | Nguyễn Sinh Hùng": one value per
//!   part of the label), or "Label: value" in one element ("Tình trạng
//!   hiệu lực: Còn hiệu lực", the `vbInfo` badge "Hiệu lực: ...");
//! - the real title: the properties' subject (trích yếu, "Tố tụng hình
//!   sự" under the kind "Bộ luật"), the "Văn bản hiện thời" box of the
//!   lược đồ, or the heading at the top of the full text ("BỘ LUẬT" /
//!   "HÌNH SỰ"), composed with the kind ("Bộ luật Hình sự");
//! - related documents: each link to another `ItemID` under the last
//!   relation label before it ("Văn bản căn cứ", "Văn bản bị thay thế",
//!   "Văn bản HD, QĐ chi tiết" ...), whatever the nesting (lược đồ boxes,
//!   the related-documents table, the consolidated documents' list).
//!
//! Everything is kept as written; parsing numbers and mapping labels to
//! relations is `refs`' job (`doc::Document::from_extracted`).
use chrono::NaiveDate;
use scraper::{ElementRef, Html};

use super::charset::clean;
use super::date::date_anywhere;
use super::profiles::sel;
use super::render::inline_text;
use super::{Stated, StatedRelation};
use crate::text::fold;

mod related;
mod title;

use related::related;
pub(crate) use title::compose_title;
use title::{current_document, full_text_heading};

/// Most links read as related documents (a lược đồ lists a few hundred).
const MAX_RELATED: usize = 2_000;
/// Most labelled elements examined.
const MAX_LABELS: usize = 5_000;
/// Longer texts are neither labels nor their values.
const MAX_LABEL_BYTES: usize = 600;
/// Elements that may hold a label.
const LABEL_ELEMENTS: &[&str] = &[
    "td", "th", "li", "span", "p", "dt", "dd", "b", "strong", "label", "div",
];
/// Most heading lines read at the top of a full text.
const MAX_HEADING_LINES: usize = 4;

/// What a label names.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Field {
    Number,
    Issued,
    Effective,
    Expires,
    Validity,
    Issuer,
    Signer,
    Kind,
    Gazette,
    Subject,
    /// A part of a label whose value is not kept ("Chức danh").
    Ignored,
}

/// Labels (folded, without a trailing colon) and what they name.
const LABELS: &[(&str, Field)] = &[
    ("so ky hieu", Field::Number),
    ("so hieu", Field::Number),
    ("ngay ban hanh", Field::Issued),
    ("ngay xac thuc", Field::Issued),
    ("ngay ky xac thuc", Field::Issued),
    ("ngay co hieu luc", Field::Effective),
    ("ngay het hieu luc", Field::Expires),
    ("tinh trang hieu luc", Field::Validity),
    ("hieu luc", Field::Validity),
    ("co quan ban hanh", Field::Issuer),
    ("co quan hop nhat", Field::Issuer),
    ("nguoi ky", Field::Signer),
    ("chuc danh", Field::Ignored),
    ("loai van ban", Field::Kind),
    ("ngay dang cong bao", Field::Gazette),
    ("trich yeu", Field::Subject),
];

fn folded(s: &str) -> String {
    fold(&clean(s)).into_owned()
}

fn label_field(text: &str) -> Option<Field> {
    let f = folded(text.trim().trim_end_matches([':', ' ']));
    LABELS
        .iter()
        .find(|(l, _)| *l == f)
        .map(|(_, field)| *field)
}

/// The `ItemID` of a link, when it has one.
fn item_id(href: &str) -> Option<String> {
    let lower = href.to_ascii_lowercase();
    let at = lower.find("itemid=")? + "itemid=".len();
    let digits: String = href[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (!digits.is_empty()).then_some(digits)
}

/// The page type and site of a SharePoint link
/// ("/tw/Pages/vbpq-toanvan.aspx?..." → ("toanvan", "tw")).
fn page_and_site(href: &str) -> Option<(String, String)> {
    let path = href.split(['?', '#']).next()?;
    let path = path.split("://").last()?;
    let lower = path.to_ascii_lowercase();
    let at = lower.find("/pages/vbpq-")?;
    let site = lower[..at].rsplit('/').next().unwrap_or("").to_string();
    let page = lower[at + "/pages/vbpq-".len()..]
        .trim_end_matches(".aspx")
        .to_string();
    Some((page, site))
}

/// Reads what a vbpl.vn page states. `None` when the page is not one of
/// the site's document pages (no tabs, no breadcrumb).
pub(crate) fn read(doc: &Html) -> Option<Stated> {
    let tabs = doc.select(sel!(".box-tab-vb .header a[href]"));
    let mut own = None;
    let mut any = None;
    for a in tabs {
        let href = a.value().attr("href").unwrap_or("");
        let (Some(id), Some((page, site))) = (item_id(href), page_and_site(href)) else {
            continue;
        };
        let selected = a.value().classes().any(|c| c == "selected");
        if selected {
            own = Some((id, page, site));
            break;
        }
        any.get_or_insert((id, String::new(), site));
    }
    let crumb = breadcrumb(doc);
    let (id, page, site) = match own.or(any) {
        Some(x) => x,
        None if crumb.is_some() => (String::new(), String::new(), String::new()),
        None => return None,
    };
    let mut st = Stated {
        key: (!id.is_empty()).then(|| format!("vbpl.vn/{site}/{id}")),
        item_id: (!id.is_empty()).then(|| id.clone()),
        page: (!page.is_empty()).then_some(page),
        ..Default::default()
    };
    let region = doc
        .select(sel!(".box-tab-vb > .content, .box-tab-vb .content"))
        .next();
    if let Some(region) = region {
        read_labels(region, &id, &mut st);
        st.relations = related(region, &id, st.page.as_deref());
    }
    let (crumb_kind, crumb_number) = crumb
        .as_deref()
        .map(split_kind_number)
        .unwrap_or((None, None));
    if st.number.is_none() {
        st.number = crumb_number.clone();
    }
    let consolidated = st
        .number
        .as_deref()
        .is_some_and(|n| n.to_ascii_uppercase().contains("VBHN"))
        || st.page.as_deref().is_some_and(|p| p.ends_with("hopnhat"));
    if consolidated {
        // A văn bản hợp nhất: the kind on its pages is the consolidated
        // law's ("Luật 31/VBHN-VPQH", "Loại VB được sửa đổi bổ sung").
        st.kind = Some("Văn bản hợp nhất".into());
    } else if st.kind.is_none() {
        st.kind = crumb_kind;
    }
    let current = region.and_then(current_document);
    let subject = st.subject.take().or_else(|| {
        current
            .as_ref()
            .and_then(|c| split_kind_number(c).1.map(|n| (c.clone(), n)))
            .and_then(|(c, n)| {
                let at = c.find(&n)? + n.len();
                let rest = c[at..].trim();
                (!rest.is_empty()).then(|| rest.to_string())
            })
    });
    let heading = region.and_then(full_text_heading);
    st.title = match (&st.kind, subject, heading) {
        (kind, Some(s), _) => Some(compose_title(kind.as_deref(), &s)),
        (kind, None, Some(h)) => Some(compose_title(kind.as_deref(), &h)),
        _ => None,
    };
    st.breadcrumb = crumb;
    Some(st)
}

/// The last item of the breadcrumb ("Bộ luật 100/2015/QH13").
fn breadcrumb(doc: &Html) -> Option<String> {
    doc.select(sel!("div.box-map li"))
        .map(|li| clean(&inline_text(li)))
        .map(|t| t.trim_end_matches(['»', ' ']).trim().to_owned())
        .rfind(|t| !t.is_empty())
}

/// Whether a token is a document number as vbpl writes them.
fn is_number_token(t: &str) -> bool {
    t.chars().any(|c| c.is_ascii_digit())
        && (t.contains('/') || t.contains('-'))
        && t.chars().next().is_some_and(|c| c.is_alphanumeric())
}

/// "Bộ luật 100/2015/QH13 ..." → (kind, number); "Hiến pháp Không số" →
/// ("Hiến pháp", "Không số").
fn split_kind_number(s: &str) -> (Option<String>, Option<String>) {
    let s = clean(s);
    let words: Vec<&str> = s.split(' ').collect();
    let fw: Vec<String> = words.iter().map(|w| folded(w)).collect();
    if let Some(i) = fw.windows(2).position(|w| w[0] == "khong" && w[1] == "so") {
        let kind = words[..i].join(" ");
        return (
            (!kind.is_empty()).then_some(kind),
            Some(words[i..i + 2].join(" ")),
        );
    }
    match words.iter().position(|w| is_number_token(w)) {
        Some(i) => {
            let kind = words[..i].join(" ");
            let kind = kind.trim_end_matches(" số").trim().to_string();
            (
                (!kind.is_empty()).then_some(kind),
                Some(words[i].trim_end_matches([',', ';', '.']).to_string()),
            )
        }
        None => (None, None),
    }
}

/// Elements that belong to another document listed on the page (an item
/// of a list of related documents).
fn in_other_item(el: ElementRef<'_>, own: &str) -> bool {
    el.ancestors()
        .filter_map(ElementRef::wrap)
        .take_while(|a| !a.value().classes().any(|c| c == "content"))
        .filter(|a| a.value().name() == "li")
        .any(|a| {
            a.select(sel!("a[href]")).take(20).any(|l| {
                l.value()
                    .attr("href")
                    .and_then(item_id)
                    .is_some_and(|id| id != own)
            })
        })
}

fn read_labels(region: ElementRef<'_>, own: &str, st: &mut Stated) {
    use ego_tree::iter::Edge;
    let mut seen = 0;
    let mut skipping = None;
    for edge in region.traverse() {
        let node = match edge {
            Edge::Open(node) => node,
            Edge::Close(node) => {
                if skipping == Some(node.id()) {
                    skipping = None;
                }
                continue;
            }
        };
        if skipping.is_some() {
            continue;
        }
        let Some(el) = ElementRef::wrap(node) else {
            continue;
        };
        // The document's own text is not the page's properties.
        if el.value().id() == Some("toanvancontent")
            || el.value().classes().any(|c| c == "toanvancontent")
        {
            skipping = Some(node.id());
            continue;
        }
        if !LABEL_ELEMENTS.contains(&el.value().name()) {
            continue;
        }
        seen += 1;
        if seen > MAX_LABELS {
            break;
        }
        let Some(text) = short_text(el) else {
            continue;
        };
        // "Label: value" in one element.
        if let Some((label, value)) = text.split_once(':')
            && let Some(field) = label_field(label)
            && !value.trim().is_empty()
            && el.value().name() != "span"
            && !has_block_child(el)
        {
            if in_other_item(el, own) {
                continue;
            }
            set(st, field, value.trim());
            continue;
        }
        // A label cell and the cells after it, one per part of the label.
        let parts: Vec<Option<Field>> = text.split('/').map(label_field).collect();
        if parts.iter().all(Option::is_none) || parts.len() > 4 {
            continue;
        }
        if parts.iter().any(Option::is_none) && parts.len() > 1 {
            continue;
        }
        if in_other_item(el, own) {
            continue;
        }
        let values: Vec<String> = el
            .next_siblings()
            .filter_map(ElementRef::wrap)
            .take(parts.len())
            .map(|v| clean(&inline_text(v)))
            .collect();
        for (field, value) in parts.iter().zip(&values) {
            if let Some(f) = field {
                set(st, *f, value);
            }
        }
    }
    // The subject: the properties table's first title row, unless it is
    // a section heading of the table.
    if st.subject.is_none()
        && let Some(t) = region
            .select(sel!(".vbProperties td.title, .vbProperties th.title"))
            .map(|t| clean(&inline_text(t)))
            .find(|t| !t.is_empty())
        && !is_section_heading(&t)
    {
        st.subject = Some(t);
    }
}

/// Headings inside the properties table that are not the subject.
fn is_section_heading(t: &str) -> bool {
    let f = folded(t);
    f.starts_with("tinh trang hieu luc")
        || f.starts_with("thong tin ap dung")
        || f.starts_with("van ban ")
        || label_field(t).is_some()
}

/// Whether an element holds blocks (a list of labelled values, not one).
fn has_block_child(el: ElementRef<'_>) -> bool {
    el.descendants()
        .skip(1)
        .filter_map(ElementRef::wrap)
        .any(|e| {
            matches!(
                e.value().name(),
                "li" | "tr" | "td" | "th" | "p" | "div" | "ul" | "table" | "br"
            )
        })
}

/// The element's text when it is short enough to be a label or a value
/// (checked before rendering: wrappers hold whole pages).
fn short_text(el: ElementRef<'_>) -> Option<String> {
    let mut len = 0;
    for t in el.text() {
        len += t.trim().len();
        if len > MAX_LABEL_BYTES {
            return None;
        }
    }
    let text = clean(&inline_text(el));
    (!text.is_empty()).then_some(text)
}

fn date(value: &str) -> Option<NaiveDate> {
    date_anywhere(value)
}

fn set(st: &mut Stated, field: Field, value: &str) {
    let value = clean(value);
    if value.is_empty() || value == "..." {
        return;
    }
    match field {
        Field::Number => {
            st.number.get_or_insert(value);
        }
        Field::Issued => {
            if st.issued.is_none() {
                st.issued = date(&value);
            }
        }
        Field::Effective => {
            if st.effective.is_none() {
                st.effective = date(&value);
            }
        }
        Field::Expires => {
            if st.expires.is_none() {
                st.expires = date(&value);
            }
        }
        Field::Gazette => {
            if st.gazette.is_none() {
                st.gazette = date(&value);
            }
        }
        Field::Validity => {
            st.validity.get_or_insert(value);
        }
        Field::Issuer => {
            if !st.issuers.contains(&value) {
                st.issuers.push(value);
            }
        }
        Field::Signer => {
            if !st.signers.contains(&value) {
                st.signers.push(value);
            }
        }
        Field::Kind => {
            st.kind.get_or_insert(value);
        }
        Field::Subject => {
            st.subject.get_or_insert(value);
        }
        Field::Ignored => {}
    }
}

#[cfg(test)]
mod tests {
    use super::related::relation_label;
    use super::*;

    #[test]
    fn titles_from_kind_and_subject() {
        let t = |k: &str, s: &str| compose_title(Some(k), s);
        assert_eq!(t("Bộ luật", "Tố tụng hình sự"), "Bộ luật Tố tụng hình sự");
        assert_eq!(t("Bộ luật", "BỘ LUẬT HÌNH SỰ"), "Bộ luật Hình sự");
        assert_eq!(t("Luật", "LUẬT HẢI QUAN"), "Luật Hải quan");
        assert_eq!(
            t("Văn bản hợp nhất", "hợp nhất Luật Xử lý vi phạm hành chính"),
            "Văn bản hợp nhất Luật Xử lý vi phạm hành chính"
        );
        assert_eq!(t("Hiến pháp", "Hiến pháp năm 2013"), "Hiến pháp năm 2013");
        assert_eq!(
            t(
                "Hiến pháp",
                "HIẾN PHÁP NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
            ),
            "Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam"
        );
        assert_eq!(
            t("Nghị quyết", "Về thí điểm xử lý nợ xấu"),
            "Nghị quyết về thí điểm xử lý nợ xấu"
        );
        assert_eq!(t("Luật", "Xây dựng"), "Luật Xây dựng");
        assert_eq!(t("Luật", "LUẬT"), "Luật");
        assert_eq!(compose_title(None, "Xây dựng"), "Xây dựng");
        assert_eq!(t("Luật", " "), "Luật");
    }

    #[test]
    fn kinds_and_numbers() {
        let s = |x: &str| split_kind_number(x);
        assert_eq!(
            s("Bộ luật 100/2015/QH13"),
            (Some("Bộ luật".into()), Some("100/2015/QH13".into()))
        );
        assert_eq!(
            s("Hiến pháp Không số Hiến pháp năm 1992"),
            (Some("Hiến pháp".into()), Some("Không số".into()))
        );
        assert_eq!(
            s("Luật 31/VBHN-VPQH"),
            (Some("Luật".into()), Some("31/VBHN-VPQH".into()))
        );
        assert_eq!(s("Lược đồ"), (None, None));
        assert_eq!(s("[Thuộc tính]"), (None, None));
    }

    #[test]
    fn links() {
        assert_eq!(
            page_and_site("/tw/Pages/vbpq-toanvan.aspx?dvid=13&ItemID=96122&Keyword="),
            Some(("toanvan".into(), "tw".into()))
        );
        assert_eq!(
            page_and_site("https://vbpl.vn:443/TW/Pages/vbpq-thuoctinh-hopnhat.aspx?ItemID=1"),
            Some(("thuoctinh-hopnhat".into(), "tw".into()))
        );
        assert_eq!(
            item_id("/x.aspx?dvid=13&ItemID=96122&K="),
            Some("96122".into())
        );
        assert_eq!(item_id("/x.aspx?itemid=7"), Some("7".into()));
        assert_eq!(item_id("/x.aspx?dvid=13"), None);
        assert_eq!(
            relation_label("Văn bản HD, QĐ chi tiết (88)").as_deref(),
            Some("Văn bản HD, QĐ chi tiết")
        );
        assert_eq!(relation_label("Văn bản hiện thời"), None);
        assert_eq!(relation_label("Lược đồ"), None);
    }
}
