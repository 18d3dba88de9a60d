//! The query-side table of document kinds: every way a user names a kind
//! (the noun with or without diacritics, its abbreviation) and the type
//! codes of the numbers of that kind. Issue 11.
//!
//! A type code is not a kind: Party "QĐ" numbers are Quyết định *and*
//! Quy định (205-QĐ/TW is a Quy định), so "Quy định" lists "qd" among its
//! codes, and ranking prefers the document whose kind is the one named.
//! Keys are folded (lowercase, no diacritics, đ → d), words separated by
//! one space.

/// One kind: (folded names and abbreviations, kind noun as documents
/// carry it, folded type codes of its numbers).
pub type KindRow = (
    &'static [&'static str],
    &'static str,
    &'static [&'static str],
);

/// Every kind a query can name. Longer names are matched first, so
/// "thong tu lien tich" is not read as "thong tu".
pub const KINDS: &[KindRow] = &[
    (
        &["nghi quyet lien tich", "nqlt"],
        "Nghị quyết liên tịch",
        &["nqlt"],
    ),
    (&["nghi quyet", "nq"], "Nghị quyết", &["nq"]),
    (&["chi thi lien tich"], "Chỉ thị liên tịch", &["ctlt"]),
    (&["chi thi", "ct"], "Chỉ thị", &["ct"]),
    (
        &["quyet dinh lien tich", "qdlt"],
        "Quyết định liên tịch",
        &["qdlt"],
    ),
    (&["quyet dinh", "qd"], "Quyết định", &["qd"]),
    (
        &["quy dinh", "qdi", "qyd"],
        "Quy định",
        &["qdi", "qyd", "qd"],
    ),
    (&["ket luan", "kl"], "Kết luận", &["kl"]),
    (&["ke hoach", "kh"], "Kế hoạch", &["kh"]),
    (
        &["huong dan lien tich", "hdlt"],
        "Hướng dẫn liên tịch",
        &["hdlt"],
    ),
    (&["huong dan", "hd"], "Hướng dẫn", &["hd"]),
    (
        &["thong bao ket luan", "thong bao", "tb"],
        "Thông báo",
        &["tb"],
    ),
    (&["thong tri"], "Thông tri", &["tt"]),
    (
        &[
            "chuong trinh hanh dong",
            "chuong trinh phoi hop",
            "chuong trinh",
            "ctr",
        ],
        "Chương trình",
        &["ctr"],
    ),
    (&["cong van", "cv"], "Công văn", &["cv"]),
    (&["cong dien", "cd"], "Công điện", &["cd"]),
    (&["nghi dinh", "nd"], "Nghị định", &["nd"]),
    (
        &["thong tu lien tich", "ttlt"],
        "Thông tư liên tịch",
        &["ttlt"],
    ),
    (&["thong tu", "tt"], "Thông tư", &["tt"]),
    (&["bo luat", "bl"], "Bộ luật", &[]),
    (&["luat"], "Luật", &["l"]),
    (&["phap lenh", "pl"], "Pháp lệnh", &["pl"]),
    (&["van ban hop nhat", "vbhn"], "Văn bản hợp nhất", &["vbhn"]),
    (&["to trinh", "ttr"], "Tờ trình", &["ttr"]),
    (&["bao cao", "bc"], "Báo cáo", &["bc"]),
    (&["quy che", "qc"], "Quy chế", &["qc"]),
    (&["de an", "da"], "Đề án", &["da"]),
    (&["hien phap"], "Hiến pháp", &[]),
    (&["sac lenh", "sl"], "Sắc lệnh", &["sl"]),
];

/// Abbreviations that are also ordinary syllables ("da" is "đá", "dạ"):
/// read as a kind only when typed in capitals or right before a serial.
pub const AMBIGUOUS: &[&str] = &["da"];

/// The kind a run of folded words starts with: (row, words used).
pub fn kind_at(words: &[&str]) -> Option<(&'static KindRow, usize)> {
    let mut best: Option<(&'static KindRow, usize)> = None;
    for row in KINDS {
        for name in row.0 {
            if let Some(n) = super::starts_with_name(words, name)
                && best.is_none_or(|(_, m)| n > m)
            {
                best = Some((row, n));
            }
        }
    }
    best
}

/// The row of a kind noun as documents carry it ("Quyết định").
pub fn row_of_kind(kind_key: &str) -> Option<&'static KindRow> {
    KINDS
        .iter()
        .find(|r| crate::index::schema::kind_key(r.1) == kind_key)
}

/// The row whose type codes include a folded code ("qd" → Quyết định).
pub fn row_of_code(code: &str) -> Option<&'static KindRow> {
    KINDS.iter().find(|r| r.2.first() == Some(&code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_abbreviations() {
        let k = |s: &str| {
            let w: Vec<&str> = s.split(' ').collect();
            kind_at(&w).map(|(r, n)| (r.1, n))
        };
        assert_eq!(k("nghi quyet 25"), Some(("Nghị quyết", 2)));
        assert_eq!(k("nq 25"), Some(("Nghị quyết", 1)));
        assert_eq!(k("thong tu lien tich 89"), Some(("Thông tư liên tịch", 4)));
        assert_eq!(k("thong tu 12"), Some(("Thông tư", 2)));
        assert_eq!(k("quy dinh 205"), Some(("Quy định", 2)));
        assert_eq!(k("quyet dinh 312"), Some(("Quyết định", 2)));
        assert_eq!(k("bo luat lao dong"), Some(("Bộ luật", 2)));
        assert_eq!(k("dieu 5"), None);
        assert_eq!(k(""), None);
    }

    #[test]
    fn every_row_is_folded_and_codes_are_distinct_per_first() {
        for (names, kind, codes) in KINDS {
            for n in names.iter().chain(codes.iter()) {
                assert_eq!(crate::text::fold(n), *n, "{kind}: {n} is not folded");
            }
            assert!(row_of_kind(&crate::index::schema::kind_key(kind)).is_some());
        }
        assert_eq!(row_of_code("qd").map(|r| r.1), Some("Quyết định"));
        assert_eq!(row_of_code("qdi").map(|r| r.1), Some("Quy định"));
    }
}
