//! What a citing document does with the document it cites, read from the
//! clause around the citation: "Căn cứ ..." (basis), "thực hiện ..."
//! (implements), "sơ kết 5 năm thực hiện ..." (reviews), "thay thế ..."
//! (replaces), "được sửa đổi, bổ sung bởi ..." (amended by), "đình chỉ"
//! (suspends), "đính chính" (corrects), "hợp nhất" (consolidates), and
//! "... hết hiệu lực" written after the citation (terminates).
use serde::{Deserialize, Serialize};

use super::norm::fold_key;

/// The relation of a citing document to a cited one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// "Căn cứ ...": the cited document is a legal basis.
    Basis,
    /// "thực hiện", "triển khai", "quán triệt", "cụ thể hóa".
    Implements,
    /// "sơ kết", "tổng kết", "đánh giá" ... "thực hiện".
    Reviews,
    /// "thay thế": this document replaces the cited one.
    Replaces,
    /// "sửa đổi", "bổ sung": this document amends the cited one.
    Amends,
    /// "bãi bỏ": this document repeals the cited one.
    Repeals,
    /// "hướng dẫn": this document guides the cited one.
    Guides,
    /// "được thay thế bởi": the cited document replaces this one.
    ReplacedBy,
    /// "được sửa đổi, bổ sung bởi": the cited document amends this one.
    AmendedBy,
    /// "bị bãi bỏ bởi": the cited document repeals this one.
    RepealedBy,
    /// "được hướng dẫn bởi": the cited document guides this one.
    GuidedBy,
    /// "đình chỉ", "ngưng hiệu lực", "tạm ngưng": this document suspends
    /// the cited one.
    Suspends,
    /// "bị đình chỉ bởi": the cited document suspends this one.
    SuspendedBy,
    /// "đính chính": this document corrects the cited one.
    Corrects,
    /// "hợp nhất": this document consolidates the cited one (a văn bản
    /// hợp nhất).
    Consolidates,
    /// "X ... hết hiệu lực" stated by this document: it ends the cited
    /// one's validity without replacing it.
    Terminates,
    /// The cited document ends this one's validity (vbpl.vn's "Văn bản
    /// quy định hết hiệu lực").
    TerminatedBy,
    /// The cited document is a consolidated text of this one (vbpl.vn's
    /// "Văn bản hợp nhất").
    ConsolidatedBy,
    /// The document's own number.
    #[serde(rename = "self")]
    OwnNumber,
    /// Any other mention (and any relation name this version does not
    /// know, when reading stored data).
    #[serde(other)]
    Mentions,
}

/// Keywords (folded) and the relation each signals; the one nearest the
/// citation wins.
const KEYWORDS: &[(&str, Relation)] = &[
    ("can cu", Relation::Basis),
    ("thuc hien", Relation::Implements),
    ("trien khai", Relation::Implements),
    ("quan triet", Relation::Implements),
    ("cu the hoa", Relation::Implements),
    ("thay the", Relation::Replaces),
    ("sua doi", Relation::Amends),
    ("bo sung", Relation::Amends),
    ("bai bo", Relation::Repeals),
    ("huy bo", Relation::Repeals),
    ("huong dan", Relation::Guides),
    // Not "đình chỉ" alone: "đình chỉ vụ án", "đình chỉ hoạt động" are
    // not about a document.
    ("dinh chi thi hanh", Relation::Suspends),
    ("dinh chi viec thi hanh", Relation::Suspends),
    ("ngung hieu luc", Relation::Suspends),
    ("dinh chinh", Relation::Corrects),
    ("hop nhat", Relation::Consolidates),
];

/// Review words: with "thực hiện" after them in the clause, the citation
/// is reviewed ("Sơ kết 5 năm thực hiện Nghị quyết số 25-NQ/TW",
/// "kiểm tra việc thực hiện", "báo cáo kết quả thực hiện").
const REVIEW_WORDS: &[&str] = &[
    "so ket", "tong ket", "danh gia", "kiem tra", "theo doi", "bao cao",
];

/// Kind nouns (folded) that a keyword right after belongs to: "Kế hoạch
/// thực hiện ...", "Luật sửa đổi, bổ sung ...", "Thông tư hướng dẫn
/// ..." name a document, they are not this document's verb. "Hướng dẫn
/// thực hiện X" is read as guiding X.
const NAMING_NOUNS: &[&str] = &[
    "ke hoach",
    "chuong trinh",
    "chuong trinh hanh dong",
    "de an",
    "quy che",
    "luat",
    "nghi quyet",
    "nghi dinh",
    "thong tu",
    "quyet dinh",
    "chi thi",
    "phap lenh",
    "huong dan",
];

/// Kind nouns (folded) that name another document as the one acting:
/// "Quy chế mới ... thay thế Quy chế ban hành kèm theo Quyết định số
/// 290-QĐ/TW" (unless "này": "Quyết định này ... thay thế ...").
const AGENT_NOUNS: &[&str] = &[
    "quy che",
    "quy dinh",
    "quyet dinh",
    "nghi quyet",
    "nghi dinh",
    "thong tu",
    "chi thi",
    "luat",
    "phap lenh",
    "ke hoach",
    "chuong trinh",
    "huong dan",
    "van ban",
];

impl Relation {
    /// The relation's name as serialized ("replaced_by", "self").
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Basis => "basis",
            Relation::Implements => "implements",
            Relation::Reviews => "reviews",
            Relation::Replaces => "replaces",
            Relation::Amends => "amends",
            Relation::Repeals => "repeals",
            Relation::Guides => "guides",
            Relation::ReplacedBy => "replaced_by",
            Relation::AmendedBy => "amended_by",
            Relation::RepealedBy => "repealed_by",
            Relation::GuidedBy => "guided_by",
            Relation::Suspends => "suspends",
            Relation::SuspendedBy => "suspended_by",
            Relation::Corrects => "corrects",
            Relation::Consolidates => "consolidates",
            Relation::Terminates => "terminates",
            Relation::TerminatedBy => "terminated_by",
            Relation::ConsolidatedBy => "consolidated_by",
            Relation::Mentions => "mentions",
            Relation::OwnNumber => "self",
        }
    }

    /// The relation named `s` (as serialized); unknown names are
    /// `mentions`.
    pub fn from_name(s: &str) -> Relation {
        serde_json::from_value(serde_json::Value::String(s.to_string()))
            .unwrap_or(Relation::Mentions)
    }

    /// The same edge seen from the cited document: replaces ↔
    /// replaced_by, amends ↔ amended_by, ...; others are their own.
    pub fn passive(self) -> Relation {
        match self {
            Relation::Replaces => Relation::ReplacedBy,
            Relation::Amends => Relation::AmendedBy,
            Relation::Repeals => Relation::RepealedBy,
            Relation::Guides => Relation::GuidedBy,
            Relation::Suspends => Relation::SuspendedBy,
            Relation::ReplacedBy => Relation::Replaces,
            Relation::AmendedBy => Relation::Amends,
            Relation::RepealedBy => Relation::Repeals,
            Relation::GuidedBy => Relation::Guides,
            Relation::SuspendedBy => Relation::Suspends,
            Relation::Terminates => Relation::TerminatedBy,
            Relation::TerminatedBy => Relation::Terminates,
            Relation::Consolidates => Relation::ConsolidatedBy,
            Relation::ConsolidatedBy => Relation::Consolidates,
            r => r,
        }
    }

    /// Whether the citing document acts on the cited one (or is acted on
    /// by it): replaces, amends, repeals, guides and their passives.
    pub fn acts_on_another(self) -> bool {
        matches!(
            self,
            Relation::Replaces
                | Relation::Amends
                | Relation::Repeals
                | Relation::Guides
                | Relation::ReplacedBy
                | Relation::AmendedBy
                | Relation::RepealedBy
                | Relation::GuidedBy
                | Relation::Suspends
                | Relation::SuspendedBy
                | Relation::Corrects
                | Relation::Consolidates
                | Relation::Terminates
        )
    }
}

impl std::fmt::Display for Relation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The relation signalled by the clause text before a citation
/// (`clause`: from the clause start to the citation's kind noun).
pub(crate) fn relation_of(clause: &str) -> Relation {
    // One space between words: "thực\u{a0}hiện" is "thực hiện".
    let folded = fold_key(clause)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let folded = folded.as_str();
    // The keyword nearest the citation: (start, end, relation).
    let mut best: Option<(usize, usize, Relation)> = None;
    for (word, rel) in KEYWORDS {
        if let Some(at) = rfind_keyword(folded, word) {
            let end = at + word.len();
            if best.is_none_or(|(_, e, _)| end > e) {
                best = Some((at, end, *rel));
            }
        }
    }
    let Some((start, end, rel)) = best else {
        return Relation::Mentions;
    };
    let after = folded[end..].trim_start();
    let passive = after.starts_with("boi ") || after == "boi" || after.starts_with("boi,");
    let before = &folded[..end];
    let passive_marker = before.ends_with(&format!("duoc {}", word_of(rel)))
        || before.ends_with(&format!("bi {}", word_of(rel)));
    let rel = match rel {
        Relation::Implements if is_review(&folded[..start], &folded[start..end]) => {
            Relation::Reviews
        }
        Relation::Replaces if passive || passive_marker => Relation::ReplacedBy,
        Relation::Amends if passive || passive_marker => Relation::AmendedBy,
        Relation::Repeals if passive || passive_marker => Relation::RepealedBy,
        Relation::Guides if passive || passive_marker => Relation::GuidedBy,
        Relation::Suspends if passive || passive_marker => Relation::SuspendedBy,
        // "Căn cứ" opens the clause; a nearer "thực hiện" inside it names
        // what the basis is about ("Căn cứ Chương trình ... thực hiện
        // Nghị quyết Đại hội ...") only when it comes after the citation.
        _ => {
            if rel != Relation::Basis && folded.starts_with("can cu") && !is_strong(rel) {
                Relation::Basis
            } else {
                rel
            }
        }
    };
    if rel.acts_on_another() && another_acts(&folded[..start]) {
        return Relation::Mentions;
    }
    rel
}

/// "sơ kết 5 năm thực hiện", "kiểm tra việc thực hiện": a review word
/// before the "thực hiện" found, with no other verb of implementing
/// between them ("tổng kết ... và quán triệt, triển khai X" implements X).
fn is_review(before: &str, keyword: &str) -> bool {
    if keyword != "thuc hien" {
        return false;
    }
    let Some(review_end) = REVIEW_WORDS
        .iter()
        .filter_map(|w| rfind_word(before, w).map(|at| at + w.len()))
        .max()
    else {
        return false;
    };
    let between = &before[review_end..];
    ["trien khai", "quan triet", "cu the hoa", "thuc hien"]
        .iter()
        .all(|w| rfind_word(between, w).is_none())
}

/// Whether the clause names another document before its verb ("Quy chế
/// mới ... thay thế"), other than this one ("Quyết định này").
fn another_acts(before: &str) -> bool {
    AGENT_NOUNS.iter().any(|noun| {
        let mut end = before.len();
        while let Some(at) = rfind_word(&before[..end], noun) {
            if !before[at + noun.len()..].trim_start().starts_with("nay") {
                return true;
            }
            end = at;
        }
        false
    })
}

/// The last occurrence of `word` in `s` on word boundaries that is not
/// the tail of a document name ("Kế hoạch thực hiện ...").
fn rfind_keyword(s: &str, word: &str) -> Option<usize> {
    let mut end = s.len();
    while let Some(at) = rfind_word(&s[..end], word) {
        let before = s[..at].trim_end();
        let naming = NAMING_NOUNS.iter().any(|n| {
            before
                .strip_suffix(n)
                .is_some_and(|b| b.is_empty() || b.ends_with(' '))
        });
        if !naming {
            return Some(at);
        }
        end = at;
    }
    None
}

/// Relations that override a clause-initial "Căn cứ".
fn is_strong(rel: Relation) -> bool {
    matches!(
        rel,
        Relation::Replaces
            | Relation::Amends
            | Relation::Repeals
            | Relation::Suspends
            | Relation::Corrects
            | Relation::Consolidates
    )
}

fn word_of(rel: Relation) -> &'static str {
    match rel {
        Relation::Replaces => "thay the",
        Relation::Amends => "sua doi",
        Relation::Repeals => "bai bo",
        Relation::Guides => "huong dan",
        Relation::Suspends => "dinh chi thi hanh",
        _ => "",
    }
}

/// The last occurrence of `word` in `s` on word boundaries.
fn rfind_word(s: &str, word: &str) -> Option<usize> {
    let mut end = s.len();
    while let Some(at) = s[..end].rfind(word) {
        let before_ok = s[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let after_ok = s[at + word.len()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        if before_ok && after_ok {
            return Some(at);
        }
        end = at;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clauses() {
        let cases = [
            ("Căn cứ ", Relation::Basis),
            (
                "Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015; Căn cứ ",
                Relation::Basis,
            ),
            (
                "2. Phối hợp nghiên cứu, tham mưu, triển khai thực hiện có hiệu quả ",
                Relation::Implements,
            ),
            ("Sơ kết 5 năm thực hiện ", Relation::Reviews),
            (
                "đánh giá 10 năm thực hiện Thông báo Kết luận ",
                Relation::Reviews,
            ),
            ("Quyết định này thay thế ", Relation::Replaces),
            ("tham gia sửa đổi, bổ sung ", Relation::Amends),
            ("bãi bỏ ", Relation::Repeals),
            ("hướng dẫn thi hành ", Relation::Guides),
            ("Khoản này được hướng dẫn bởi ", Relation::GuidedBy),
            ("Điều này được sửa đổi, bổ sung bởi ", Relation::AmendedBy),
            ("ban hành kèm theo ", Relation::Mentions),
            ("Tạm đình chỉ thi hành ", Relation::Suspends),
            ("Ngưng hiệu lực toàn bộ ", Relation::Suspends),
            ("Đính chính ", Relation::Corrects),
            ("Văn bản này hợp nhất ", Relation::Consolidates),
            ("Hủy bỏ ", Relation::Repeals),
            ("", Relation::Mentions),
        ];
        for (clause, want) in cases {
            assert_eq!(relation_of(clause), want, "{clause:?}");
        }
    }

    #[test]
    fn names_round_trip() {
        for r in [
            Relation::Basis,
            Relation::ReplacedBy,
            Relation::Suspends,
            Relation::Consolidates,
            Relation::Terminates,
            Relation::OwnNumber,
        ] {
            let json = serde_json::to_value(r).unwrap();
            assert_eq!(json.as_str(), Some(r.as_str()));
            assert_eq!(Relation::from_name(r.as_str()), r);
            assert_eq!(r.passive().passive(), r);
        }
        assert_eq!(Relation::from_name("no_such_relation"), Relation::Mentions);
        assert_eq!(Relation::Replaces.passive(), Relation::ReplacedBy);
    }
}
