//! Signature blocks: a role in capitals ("TM. BỘ CHÍNH TRỊ / TỔNG BÍ
//! THƯ", "KT. BỘ TRƯỞNG / THỨ TRƯỞNG", "K/T TRƯỞNG BAN / PHÓ TRƯỞNG BAN
//! THƯỜNG TRỰC"), an optional "(Đã ký)", an optional rank ("Thượng
//! tướng", "PGS.TS."), then the signer's name in title case.
use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

use super::bodies::display_body;
use super::norm::fold_key;

static SIGNATURE_RE: LazyLock<Regex> = LazyLock::new(|| {
    let role = r"(?:[KTQ]/[TML]\.?|[\p{Lu}][\p{Lu}\p{M}]*\.?)";
    let ws = r"[ \t\r\n\u{a0}]+";
    let signed = r"(?:[ \t\r\n\u{a0}]*[\(\[]?(?:Đã|đã|ĐÃ)[ \t\u{a0}]+(?:ký|KÝ)[\)\]]?)?";
    let rank = r"(?:(?:(?:Đại|Thượng|Trung|Thiếu)[ \t\u{a0}]+(?:tướng|tá|úy)|(?:Phó[ \t\u{a0}]+|Chuẩn[ \t\u{a0}]+)?Đô[ \t\u{a0}]+đốc|(?:(?:GS|PGS|TSKH|TS|ThS|BS|KS|NGND|NGƯT)\.[ \t\u{a0}]*)+)[ \t\u{a0}]+)?";
    let syllable = r"[\p{Lu}][\p{Ll}\p{M}]+";
    let name = format!(r"{syllable}(?:[ \t\u{{a0}}]+{syllable}){{1,4}}");
    let pattern = format!(
        r"(?P<role>{role}(?:{ws}{role}){{0,14}}){signed}{ws}(?P<rank>{rank})(?P<name>{name})"
    );
    Regex::new(&pattern).expect("the signature pattern is valid")
});

/// A name alone on its line followed by "(Đã ký)": "Nguyễn Văn An (Đã
/// ký)", the signature of older laws as tvpl prints them.
static SIGNED_NAME_RE: LazyLock<Regex> = LazyLock::new(|| {
    let syllable = r"[\p{Lu}][\p{Ll}\p{M}]+";
    Regex::new(&format!(
        r"(?m)^[ \t\u{{a0}}]*(?P<name>{syllable}(?:[ \t\u{{a0}}]+{syllable}){{1,4}})[ \t\u{{a0}}]*[\(\[](?:Đã|đã|ĐÃ)[ \t\u{{a0}}]+(?:ký|KÝ)[\)\]]"
    ))
    .expect("the signed-name pattern is valid")
});

/// Words that make a run of capitals a signing role.
const ROLE_WORDS: &[&str] = &[
    "truong",
    "tuong",
    "chu tich",
    "chu nhiem",
    "bi thu",
    "chanh an",
    "thong doc",
    "giam doc",
    "kiem toan",
    "tm.",
    "kt.",
    "tl.",
    "k/t",
    "t/m",
    "t/l",
    "tuq.",
];

/// Words that end the body named after "TM." ("TM. CHÍNH PHỦ / THỦ
/// TƯỚNG"): the start of a role title.
const ROLE_STARTS: &[&str] = &[
    "tong bi thu",
    "bi thu",
    "thu tuong",
    "chu tich",
    "pho",
    "chanh an",
    "bo truong",
    "truong",
    "chu nhiem",
    "kt.",
    "tl.",
    "q.",
    "k/t",
    "t/l",
    "tuq.",
    "vien truong",
    "thong doc",
    "tong kiem toan",
];

/// Signers and the bodies signed for ("TM. BỘ CHÍNH TRỊ").
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Signatures {
    /// Names, in order, without ranks.
    pub names: Vec<String>,
    /// Bodies named after "TM." / "T/M", in their usual spelling.
    pub bodies: Vec<String>,
}

/// The signature blocks of a document body.
pub(crate) fn signatures(body: &str) -> Signatures {
    let mut out = Signatures::default();
    let mut found: Vec<(usize, String, Option<String>)> = Vec::new();
    for caps in SIGNED_NAME_RE.captures_iter(body) {
        if let Some(name) = caps
            .name("name")
            .and_then(|m| clean_name(m.as_str()).map(|n| (m.start(), n)))
        {
            found.push((name.0, name.1, None));
        }
    }
    for caps in SIGNATURE_RE.captures_iter(body) {
        let (Some(role), Some(name)) = (caps.name("role"), caps.name("name")) else {
            continue;
        };
        let role_folded = fold_key(role.as_str());
        let role_folded = role_folded.split_whitespace().collect::<Vec<_>>().join(" ");
        if !ROLE_WORDS.iter().any(|w| role_folded.contains(w)) {
            continue;
        }
        let Some(clean) = clean_name(name.as_str()) else {
            continue;
        };
        found.push((name.start(), clean, signed_for(role.as_str())));
    }
    found.sort_by_key(|(at, _, _)| *at);
    for (_, name, body) in found {
        if !out.names.contains(&name) {
            out.names.push(name);
        }
        if let Some(body) = body
            && !out.bodies.contains(&body)
        {
            out.bodies.push(body);
        }
    }
    out
}

/// Title-case words (lowercased) that are never part of a name: a name
/// ends before them ("Trần Hồng Hà Phụ lục") and does not start with
/// them ("Luật Bảo vệ môi trường"). Compared with diacritics: "Tháng"
/// is not "Thắng".
const NOT_NAME: &[&str] = &[
    "phụ",
    "mẫu",
    "biểu",
    "bảng",
    "danh",
    "nơi",
    "điều",
    "chương",
    "mục",
    "phần",
    "khoản",
    "điểm",
    "luật",
    "quyết",
    "nghị",
    "thông",
    "kết",
    "kế",
    "hướng",
    "file",
    "gửi",
    "các",
    "những",
    "trang",
    "xem",
    "số",
    "ngày",
    "tháng",
    "bộ",
    "ủy",
    "uỷ",
    "tổng",
    "cục",
    "nhà",
    "hiến",
    "tỉnh",
    "tờ",
    "độc",
    "cộng",
    "phó",
    "chủ",
    "trưởng",
];

/// The name without what follows it; `None` if fewer than two syllables
/// remain or it starts with a word that is not a name.
fn clean_name(raw: &str) -> Option<String> {
    let words: Vec<String> = raw.split_whitespace().map(|w| w.nfc().collect()).collect();
    let not_name = |w: &String| NOT_NAME.contains(&w.to_lowercase().as_str());
    if not_name(words.first()?) {
        return None;
    }
    let end = words
        .iter()
        .skip(1)
        .position(not_name)
        .map_or(words.len(), |p| p + 1);
    (end >= 2).then(|| words[..end].join(" "))
}

/// The body after "TM." in a role: "TM. BỘ CHÍNH TRỊ TỔNG BÍ THƯ" →
/// "Bộ Chính trị".
fn signed_for(role: &str) -> Option<String> {
    let words: Vec<&str> = role.split_whitespace().collect();
    let at = words
        .iter()
        .position(|w| matches!(fold_key(w).as_str(), "tm." | "t/m" | "tm"))?;
    let mut body: Vec<&str> = Vec::new();
    for (i, w) in words.iter().enumerate().skip(at + 1) {
        let rest = fold_key(&words[i..].join(" "));
        if ROLE_STARTS
            .iter()
            .any(|r| rest == *r || rest.starts_with(&format!("{r} ")))
        {
            break;
        }
        body.push(w);
    }
    (!body.is_empty()).then(|| display_body(&body.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks() {
        let text = "K/T TRƯỞNG BAN\n\nPHÓ TRƯỞNG BAN THƯỜNG TRỰC\n\n(Đã ký)\n\nPhạm Tất Thắng\n\n\
                    KT. CHỦ NHIỆM\n\nPHÓ CHỦ NHIỆM\n\n(Đã ký)\n\nThượng tướng Đỗ Căn\n\n \n\nFile: x";
        assert_eq!(signatures(text).names, ["Phạm Tất Thắng", "Đỗ Căn"]);
        let s = signatures("Lưu: VT, Vụ PC&QLKH.\nTM. HỘI ĐỒNG THẨM PHÁN CHÁNH ÁN Nguyễn Hòa Bình");
        assert_eq!(s.names, ["Nguyễn Hòa Bình"]);
        assert_eq!(s.bodies, ["Hội đồng Thẩm phán"]);
        let s = signatures("TM. CHÍNH PHỦ\nTHỦ TƯỚNG\n(đã ký)\nNguyễn Xuân Phúc");
        assert_eq!(
            (s.names.as_slice(), s.bodies.as_slice()),
            (
                &["Nguyễn Xuân Phúc".to_string()][..],
                &["Chính phủ".to_string()][..]
            )
        );
        let s = signatures(
            "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Hữu Tháp CHƯƠNG TRÌNH",
        );
        assert_eq!(s.names, ["Nguyễn Hữu Tháp"]);
        assert!(signatures("QUYẾT ĐỊNH: Điều 1. Ban hành").names.is_empty());
        assert!(
            signatures("Đồng chí Thiếu tướng Nguyễn Văn Gấu, Phó Chủ nhiệm")
                .names
                .is_empty()
        );
    }
}
