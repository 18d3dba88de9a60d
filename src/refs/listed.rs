//! Relations a site lists beside a document (vbpl.vn's lược đồ, related
//! documents and consolidated documents: "Văn bản căn cứ", "Văn bản bị
//! thay thế" ...): the list's label gives the relation, from the listing
//! document's side, and the citation of the listed number in the page's
//! text gets it (issue 12, item 4).
//!
//! The lược đồ puts the documents the current one acts on to the left
//! ("Văn bản được hướng dẫn", "Văn bản hết hiệu lực", "Văn bản bị đình
//! chỉ", "Văn bản được sửa đổi") and those acting on it to the right
//! ("Văn bản hướng dẫn", "Văn bản quy định hết hiệu lực", "Văn bản đình
//! chỉ", "Văn bản sửa đổi").
use super::norm::fold_key;
use super::{Citation, DocNumber, Relation};

/// A listed relation: the list's label and the listed document.
#[derive(Debug, Clone, Copy)]
pub struct Listed<'a> {
    /// The list's label as written.
    pub label: &'a str,
    /// The listed document's number as written.
    pub number: &'a str,
    /// Its kind as written.
    pub kind: Option<&'a str>,
}

/// The relation a list label names, and whether it concerns part of the
/// document ("... 1 phần"). `None` for labels that name no relation.
///
/// ```
/// use vanban::refs::{Relation, listed_relation};
/// assert_eq!(listed_relation("Văn bản căn cứ"), Some((Relation::Basis, false)));
/// assert_eq!(listed_relation("Văn bản HD, QĐ chi tiết"), Some((Relation::GuidedBy, false)));
/// assert_eq!(
///     listed_relation("Văn bản bị hết hiệu lực 1 phần"),
///     Some((Relation::Terminates, true))
/// );
/// ```
pub fn listed_relation(label: &str) -> Option<(Relation, bool)> {
    let f = fold_key(label);
    let f = f.trim().trim_end_matches(':').trim();
    let f = f.strip_prefix("van ban ")?;
    let (f, partial) = match f
        .strip_suffix(" 1 phan")
        .or_else(|| f.strip_suffix(" mot phan"))
    {
        Some(rest) => (rest.trim(), true),
        None => (f, false),
    };
    let f = f.replace(',', "");
    let f = f.split_whitespace().collect::<Vec<_>>().join(" ");
    let r = match f.as_str() {
        "can cu" => Relation::Basis,
        "duoc hd qd chi tiet" | "duoc huong dan" | "duoc quy dinh chi tiet" => Relation::Guides,
        "hd qd chi tiet" | "huong dan" | "quy dinh chi tiet" => Relation::GuidedBy,
        "het hieu luc" | "bi het hieu luc" => Relation::Terminates,
        "quy dinh het hieu luc" => Relation::TerminatedBy,
        "bi thay the" | "duoc thay the" => Relation::Replaces,
        "thay the" => Relation::ReplacedBy,
        "bi bai bo" | "bi huy bo" => Relation::Repeals,
        "bai bo" | "huy bo" => Relation::RepealedBy,
        "bi dinh chi" | "bi ngung hieu luc" => Relation::Suspends,
        "dinh chi" | "ngung hieu luc" => Relation::SuspendedBy,
        "duoc sua doi" | "duoc bo sung" | "duoc sua doi bo sung" => Relation::Amends,
        "sua doi" | "bo sung" | "sua doi bo sung" => Relation::AmendedBy,
        "duoc dinh chinh" | "bi dinh chinh" => Relation::Corrects,
        "duoc hop nhat" => Relation::Consolidates,
        "hop nhat" => Relation::ConsolidatedBy,
        "dan chieu"
        | "duoc dan chieu"
        | "lien quan khac"
        | "lien quan cung noi dung"
        | "lien quan" => Relation::Mentions,
        _ => return None,
    };
    Some((r, partial))
}

/// Gives the citations of `refs` the relations `listed` states: for each
/// listed document with a number, in order, the next citation of that
/// number (after the previous one matched, else from the start) that no
/// earlier listing claimed. Listed documents whose number is not in the
/// text, or has none ("Không số"), are left out.
pub fn apply_listed(refs: &mut [Citation], listed: &[Listed<'_>]) {
    let mut claimed = vec![false; refs.len()];
    let mut cursor = 0;
    for l in listed {
        let Some((relation, partial)) = listed_relation(l.label) else {
            continue;
        };
        let Ok(number) = l.number.parse::<DocNumber>() else {
            continue;
        };
        let key = number.key();
        let fits = |i: usize, c: &Citation| {
            !claimed[i] && c.relation != Relation::OwnNumber && c.key.as_deref() == Some(&key)
        };
        let found = (cursor..refs.len())
            .find(|&i| fits(i, &refs[i]))
            .or_else(|| (0..cursor.min(refs.len())).find(|&i| fits(i, &refs[i])));
        let Some(i) = found else { continue };
        claimed[i] = true;
        cursor = i + 1;
        let c = &mut refs[i];
        c.relation = relation;
        c.partial = partial;
        if c.kind.is_none() {
            c.kind = l.kind.map(str::to_string);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every label of the lược đồ of vbpl.vn (fixtures/vbpl), and those of
    /// the related-documents and consolidated pages.
    #[test]
    fn labels() {
        let cases: &[(&str, Relation, bool)] = &[
            ("Văn bản được HD, QĐ chi tiết", Relation::Guides, false),
            ("Văn bản HD, QĐ chi tiết", Relation::GuidedBy, false),
            ("Văn bản hết hiệu lực", Relation::Terminates, false),
            ("Văn bản căn cứ", Relation::Basis, false),
            (
                "Văn bản quy định hết hiệu lực",
                Relation::TerminatedBy,
                false,
            ),
            ("Văn bản bị hết hiệu lực 1 phần", Relation::Terminates, true),
            ("Văn bản dẫn chiếu", Relation::Mentions, false),
            (
                "Văn bản quy định hết hiệu lực 1 phần",
                Relation::TerminatedBy,
                true,
            ),
            ("Văn bản bị đình chỉ", Relation::Suspends, false),
            ("Văn bản liên quan khác", Relation::Mentions, false),
            ("Văn bản đình chỉ", Relation::SuspendedBy, false),
            ("Văn bản bị đình chỉ 1 phần", Relation::Suspends, true),
            ("Văn bản đình chỉ 1 phần", Relation::SuspendedBy, true),
            ("Văn bản được bổ sung", Relation::Amends, false),
            ("Văn bản bổ sung", Relation::AmendedBy, false),
            ("Văn bản được sửa đổi", Relation::Amends, false),
            ("Văn bản sửa đổi", Relation::AmendedBy, false),
            ("Văn bản bị thay thế", Relation::Replaces, false),
            ("Văn bản thay thế", Relation::ReplacedBy, false),
            ("Văn bản bị bãi bỏ", Relation::Repeals, false),
            ("Văn bản bãi bỏ", Relation::RepealedBy, false),
            ("Văn bản được hợp nhất", Relation::Consolidates, false),
            ("Văn bản hợp nhất", Relation::ConsolidatedBy, false),
            ("VĂN BẢN ĐƯỢC HỢP NHẤT", Relation::Consolidates, false),
            ("Văn bản được hướng dẫn:", Relation::Guides, false),
        ];
        for (label, r, partial) in cases {
            assert_eq!(listed_relation(label), Some((*r, *partial)), "{label}");
        }
        assert_eq!(listed_relation("Văn bản hiện thời"), None);
        assert_eq!(listed_relation("Thuộc tính"), None);
    }

    #[test]
    fn listed_numbers_get_their_relations_in_order() {
        let text = "Văn bản HD, QĐ chi tiết\nLuật 50/2014/QH13 Xây dựng\n\
                    Văn bản quy định hết hiệu lực 1 phần\nNghị định 15/2013/NĐ-CP Về quản lý\n\
                    Văn bản dẫn chiếu\nLuật 50/2014/QH13 Xây dựng";
        let mut refs = super::super::citations(text, None).refs;
        assert_eq!(refs.len(), 3);
        assert!(refs.iter().all(|c| c.relation != Relation::GuidedBy));
        let listed = [
            Listed {
                label: "Văn bản HD, QĐ chi tiết",
                number: "50/2014/QH13",
                kind: Some("Luật"),
            },
            Listed {
                label: "Văn bản quy định hết hiệu lực 1 phần",
                number: "15/2013/NĐ-CP",
                kind: Some("Nghị định"),
            },
            Listed {
                label: "Văn bản dẫn chiếu",
                number: "50/2014/QH13",
                kind: Some("Luật"),
            },
            Listed {
                label: "Văn bản căn cứ",
                number: "Không số",
                kind: Some("Hiến pháp"),
            },
        ];
        apply_listed(&mut refs, &listed);
        let got: Vec<(&str, Relation, bool)> = refs
            .iter()
            .map(|c| (c.number.as_str(), c.relation, c.partial))
            .collect();
        assert_eq!(
            got,
            [
                ("50/2014/QH13", Relation::GuidedBy, false),
                ("15/2013/NĐ-CP", Relation::TerminatedBy, true),
                ("50/2014/QH13", Relation::Mentions, false),
            ]
        );
    }
}
