//! The one table of abbreviations and their full forms, used both ways at
//! query time: "NQ" also finds "nghị quyết", "Bộ Chính trị" also finds
//! "BCT". The expansion is a weaker alternative than the words typed, so
//! documents with the exact words still rank first. Issue 11.
//!
//! Abbreviations are folded; full forms are written with diacritics (they
//! are searched in the exact fields when the user typed diacritics, in the
//! folded fields otherwise).

/// (abbreviation, folded; full form).
pub const ABBREVIATIONS: &[(&str, &str)] = &[
    ("nq", "nghị quyết"),
    ("ct", "chỉ thị"),
    ("qd", "quyết định"),
    ("qdi", "quy định"),
    ("kl", "kết luận"),
    ("kh", "kế hoạch"),
    ("hd", "hướng dẫn"),
    ("tb", "thông báo"),
    ("ctr", "chương trình"),
    ("cv", "công văn"),
    ("nd", "nghị định"),
    ("tt", "thông tư"),
    ("ttlt", "thông tư liên tịch"),
    ("vbhn", "văn bản hợp nhất"),
    ("bct", "bộ chính trị"),
    ("bbt", "ban bí thư"),
    ("bch", "ban chấp hành"),
    ("bchtw", "ban chấp hành trung ương"),
    ("tw", "trung ương"),
    ("tu", "tỉnh ủy"),
    ("hu", "huyện ủy"),
    ("btv", "ban thường vụ"),
    ("ubnd", "ủy ban nhân dân"),
    ("hdnd", "hội đồng nhân dân"),
    ("mttq", "mặt trận tổ quốc"),
    ("ttg", "thủ tướng"),
    ("cp", "chính phủ"),
    ("qh", "quốc hội"),
    ("ubtvqh", "ủy ban thường vụ quốc hội"),
    ("dbqh", "đại biểu quốc hội"),
    ("bdv", "ban dân vận"),
    ("btg", "ban tuyên giáo"),
    ("ubkt", "ủy ban kiểm tra"),
    ("vpcp", "văn phòng chính phủ"),
    ("vpqh", "văn phòng quốc hội"),
    ("tand", "tòa án nhân dân"),
    ("vksnd", "viện kiểm sát nhân dân"),
    ("btc", "bộ tài chính"),
    ("btp", "bộ tư pháp"),
    ("bnv", "bộ nội vụ"),
    ("bca", "bộ công an"),
    ("bqp", "bộ quốc phòng"),
    ("byt", "bộ y tế"),
    ("htct", "hệ thống chính trị"),
    ("cnxh", "chủ nghĩa xã hội"),
    ("chxhcn", "cộng hòa xã hội chủ nghĩa"),
    ("dcsvn", "đảng cộng sản việt nam"),
    ("cbcc", "cán bộ công chức"),
    ("cbccvc", "cán bộ công chức viên chức"),
    ("ktxh", "kinh tế xã hội"),
    ("tp", "thành phố"),
    ("tncs", "thanh niên cộng sản"),
    ("lhpn", "liên hiệp phụ nữ"),
    ("ccb", "cựu chiến binh"),
    ("qsdd", "quyền sử dụng đất"),
    ("bhxh", "bảo hiểm xã hội"),
    ("bhyt", "bảo hiểm y tế"),
    ("gcn", "giấy chứng nhận"),
    ("dn", "doanh nghiệp"),
    ("nsnn", "ngân sách nhà nước"),
];

/// How a plenum is named in full: "Trung ương 4" is "Hội nghị lần thứ
/// tư" (index = the plenum's number).
pub const ORDINALS: &[&str] = &[
    "",
    "nhất",
    "hai",
    "ba",
    "tư",
    "năm",
    "sáu",
    "bảy",
    "tám",
    "chín",
    "mười",
    "mười một",
    "mười hai",
    "mười ba",
    "mười bốn",
    "mười lăm",
    "mười sáu",
    "mười bảy",
    "mười tám",
];

/// "lần thứ tư" for plenum 4 (of "Trung ương 4", "TW4").
pub fn plenum(n: usize) -> Option<String> {
    ORDINALS
        .get(n)
        .filter(|o| !o.is_empty())
        .map(|o| format!("lần thứ {o}"))
}

/// The full form of a folded abbreviation.
pub fn full_form(abbr: &str) -> Option<&'static str> {
    ABBREVIATIONS
        .iter()
        .find(|(a, _)| *a == abbr)
        .map(|(_, f)| *f)
}

/// The full forms of [`ABBREVIATIONS`], folded and split into words
/// (computed once).
static FOLDED_FULL: std::sync::LazyLock<Vec<(&'static str, Vec<String>)>> =
    std::sync::LazyLock::new(|| {
        ABBREVIATIONS
            .iter()
            .map(|(a, full)| {
                let folded = crate::text::fold(full);
                (*a, folded.split(' ').map(str::to_string).collect())
            })
            .collect()
    });

/// Abbreviations whose full form starts a run of folded words, with the
/// number of words used (longest first).
pub fn abbreviations_at(words: &[&str]) -> Vec<(&'static str, usize)> {
    let mut out: Vec<(&'static str, usize)> = FOLDED_FULL
        .iter()
        .filter(|(_, full)| {
            full.len() <= words.len() && full.iter().zip(words).all(|(f, w)| f == w)
        })
        .map(|(a, full)| (*a, full.len()))
        .collect();
    out.sort_by_key(|&(_, n)| std::cmp::Reverse(n));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_ways() {
        assert_eq!(full_form("nq"), Some("nghị quyết"));
        assert_eq!(full_form("bct"), Some("bộ chính trị"));
        assert_eq!(full_form("xyz"), None);
        let w = ["bo", "chinh", "tri", "khoa", "xiii"];
        assert_eq!(abbreviations_at(&w), [("bct", 3)]);
        let w = ["uy", "ban", "thuong", "vu", "quoc", "hoi"];
        assert_eq!(abbreviations_at(&w)[0], ("ubtvqh", 6));
        assert!(abbreviations_at(&["dan", "van"]).is_empty());
        assert_eq!(plenum(4).as_deref(), Some("lần thứ tư"));
        assert_eq!(plenum(0), None);
        assert_eq!(plenum(99), None);
    }

    #[test]
    fn table_is_clean() {
        let mut seen = std::collections::HashSet::new();
        for (a, full) in ABBREVIATIONS {
            assert_eq!(crate::text::fold(a), *a, "{a} is not folded");
            assert!(seen.insert(*a), "{a} twice");
            assert_eq!(crate::text::normalize(full), *full, "{full} not normalized");
            assert!(full.split(' ').count() >= 2, "{full}: expand to words");
        }
    }
}
