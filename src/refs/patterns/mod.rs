//! Data tables of the number grammar and the citation patterns: the type
//! codes of document numbers ("NQ", "QĐ", "CTr"), the kind nouns written
//! before numbers ("Nghị quyết", "Chỉ thị"), and the codes whose canonical
//! spelling is mixed case ("TTg", "CTr").
//!
//! To teach the module a new document kind, follow `template.rs`.
pub mod template;

/// Codes whose canonical spelling is mixed case; every other code is
/// upper case. Matched on the folded form (lowercase, no diacritics).
pub(crate) const MIXED_CASE_CODES: &[(&str, &str)] = &[
    ("ttg", "TTg"), // Thủ tướng Chính phủ
    ("ctr", "CTr"), // Chương trình
    ("qdi", "QĐi"), // Quy định (Đảng, from 2021)
    ("ttr", "TTr"), // Tờ trình
    ("qyd", "QyĐ"), // Quy định (older spelling)
];

/// Type codes: the part of a number that names the kind of document,
/// with the kind noun in sentence case. Keys are folded (lowercase, no
/// diacritics, đ → d).
pub(crate) const TYPE_CODES: &[(&str, &str)] = &[
    ("nq", "Nghị quyết"),
    ("nqlt", "Nghị quyết liên tịch"),
    ("ct", "Chỉ thị"),
    ("qd", "Quyết định"),
    ("qdi", "Quy định"),
    ("qyd", "Quy định"),
    ("kl", "Kết luận"),
    ("kh", "Kế hoạch"),
    ("ctr", "Chương trình"),
    ("hd", "Hướng dẫn"),
    ("hdlb", "Hướng dẫn liên bộ"),
    ("hdlt", "Hướng dẫn liên tịch"),
    ("tb", "Thông báo"),
    ("bc", "Báo cáo"),
    ("ttr", "Tờ trình"),
    ("cv", "Công văn"),
    ("cd", "Công điện"),
    ("nd", "Nghị định"),
    ("tt", "Thông tư"),
    ("ttlt", "Thông tư liên tịch"),
    ("pl", "Pháp lệnh"),
    ("l", "Luật"),
    ("sl", "Sắc lệnh"),
    ("lct", "Lệnh"),
    ("qc", "Quy chế"),
    ("qcpl", "Quy chế phối hợp"),
    ("da", "Đề án"),
    ("vbhn", "Văn bản hợp nhất"),
    ("qdlt", "Quyết định liên tịch"),
    ("bb", "Biên bản"),
];

/// The kind noun for a type code given in any spelling ("QĐ", "qd").
pub(crate) fn kind_of_code(folded_code: &str) -> Option<&'static str> {
    TYPE_CODES
        .iter()
        .find(|(c, _)| *c == folded_code)
        .map(|(_, k)| *k)
}

/// Whether a folded code is a type code (and not an issuer).
pub(crate) fn is_type_code(folded_code: &str) -> bool {
    kind_of_code(folded_code).is_some()
}

/// [`KIND_NOUNS`] with each noun's folded form and word count, computed
/// once: (noun, kind, folded noun, words).
pub(crate) static KIND_NOUNS_FOLDED: std::sync::LazyLock<Vec<(&str, &str, String, usize)>> =
    std::sync::LazyLock::new(|| {
        KIND_NOUNS
            .iter()
            .map(|(n, k)| (*n, *k, super::norm::fold_key(n), n.split(' ').count()))
            .collect()
    });

/// Kind nouns in sentence case, longest first so that "Chương trình hành
/// động" is not read as "Chương trình" followed by noise. The second
/// field is the kind reported for it ("Chương trình phối hợp" is a
/// "Chương trình").
pub(crate) const KIND_NOUNS: &[(&str, &str)] = &[
    ("Thông tư liên tịch", "Thông tư liên tịch"),
    ("Thông tư liên bộ", "Thông tư liên bộ"),
    ("Chỉ thị liên tịch", "Chỉ thị liên tịch"),
    ("Hướng dẫn liên ngành", "Hướng dẫn liên ngành"),
    ("Quyết định liên tịch", "Quyết định liên tịch"),
    ("Nghị quyết liên tịch", "Nghị quyết liên tịch"),
    ("Chương trình hành động", "Chương trình"),
    ("Chương trình phối hợp", "Chương trình"),
    ("Chương trình", "Chương trình"),
    ("Thông báo kết luận", "Thông báo"),
    ("Kế hoạch phối hợp", "Kế hoạch"),
    ("Quy chế phối hợp", "Quy chế"),
    ("Văn bản hợp nhất", "Văn bản hợp nhất"),
    ("Nghị quyết", "Nghị quyết"),
    ("Chỉ thị", "Chỉ thị"),
    ("Quyết định", "Quyết định"),
    ("Quy định", "Quy định"),
    ("Kết luận", "Kết luận"),
    ("Kế hoạch", "Kế hoạch"),
    ("Hướng dẫn", "Hướng dẫn"),
    ("Thông báo", "Thông báo"),
    ("Thông tri", "Thông tri"),
    ("Công văn", "Công văn"),
    ("Công điện", "Công điện"),
    ("Nghị định", "Nghị định"),
    ("Thông tư", "Thông tư"),
    ("Bộ luật", "Bộ luật"),
    ("Luật", "Luật"),
    ("Pháp lệnh", "Pháp lệnh"),
    ("Hiến pháp", "Hiến pháp"),
    ("Sắc lệnh", "Sắc lệnh"),
    ("Lệnh", "Lệnh"),
    ("Quy chế", "Quy chế"),
    ("Đề án", "Đề án"),
    ("Báo cáo", "Báo cáo"),
    ("Tờ trình", "Tờ trình"),
    ("Điều lệ", "Điều lệ"),
    ("Văn bản", "Văn bản"),
];
