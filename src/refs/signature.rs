//! Signature blocks: a role in capitals ("TM. BỘ CHÍNH TRỊ / TỔNG BÍ
//! THƯ", "KT. BỘ TRƯỞNG / THỨ TRƯỞNG", "K/T TRƯỞNG BAN / PHÓ TRƯỞNG BAN
//! THƯỜNG TRỰC"), an optional "(Đã ký)", an optional rank ("Thượng
//! tướng", "PGS.TS."), then the signer's name in title case.
use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

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
    let mut found: Vec<(usize, String, Option<String>)> = Vec::new();
    // Every match of SIGNED_NAME_RE contains "ký" or "KÝ".
    if body.contains("ký") || body.contains("KÝ") {
        for caps in SIGNED_NAME_RE.captures_iter(body) {
            if let Some(name) = caps
                .name("name")
                .and_then(|m| clean_name(m.as_str()).map(|n| (m.start(), n)))
            {
                found.push((name.0, name.1, None));
            }
        }
    }
    for region in role_regions(body) {
        let text = &body[region.clone()];
        for caps in SIGNATURE_RE.captures_iter(text) {
            let (Some(role), Some(name)) = (caps.name("role"), caps.name("name")) else {
                continue;
            };
            if !is_role(role.as_str()) {
                continue;
            }
            let Some(clean) = clean_name(name.as_str()) else {
                continue;
            };
            found.push((
                region.start + name.start(),
                clean,
                signed_for(role.as_str()),
            ));
        }
    }
    collect(found)
}

/// Whether a matched role line names a role (its folded words hold one of
/// [`ROLE_WORDS`]).
fn is_role(role: &str) -> bool {
    let folded = fold_key(role);
    let folded = folded.split_whitespace().collect::<Vec<_>>().join(" ");
    ROLE_WORDS.iter().any(|w| folded.contains(w))
}

/// The names and bodies of `found` (position, name, body) in the order of
/// the text, each once.
fn collect(mut found: Vec<(usize, String, Option<String>)>) -> Signatures {
    let mut out = Signatures::default();
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

/// What an ASCII byte is to [`role_regions`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ascii {
    /// Never in a match of [`SIGNATURE_RE`]: anything but a letter,
    /// white space, ".", "/" and brackets.
    Break,
    Upper,
    Slash,
    /// A lower-case letter, white space, ".", a bracket.
    Other,
}

/// [`Ascii`] of each ASCII byte.
static ASCII: [Ascii; 128] = {
    let mut t = [Ascii::Break; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_uppercase() {
            Ascii::Upper
        } else if c == b'/' {
            Ascii::Slash
        } else if c.is_ascii_lowercase()
            || matches!(
                c,
                b' ' | b'\t' | b'\r' | b'\n' | b'.' | b'(' | b')' | b'[' | b']'
            )
        {
            Ascii::Other
        } else {
            Ascii::Break
        };
        b += 1;
    }
    t
};

/// The parts of `body` where a signature block may be, in order: whole
/// runs between bytes that no match contains ([`Ascii::Break`]), merged
/// when close. Matching each part alone finds exactly the blocks
/// matching the whole body finds: no match crosses a break (the pattern
/// has no assertions), and a run holds a match that passes
/// [`ROLE_WORDS`] only if it has two capitals in a row (every role word
/// has two letters in one word of the role, and a role word is written
/// in capitals) or a "/" ("K/T"). Other runs are skipped: in running text
/// that is most of it.
fn role_regions(body: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = body.as_bytes();
    let mut regions: Vec<std::ops::Range<usize>> = Vec::new();
    let mut run_start = 0;
    let mut hit = false;
    // Whether the last letter seen in this run (marks skipped) is a
    // capital.
    let mut prev_upper = false;
    let mut i = 0;
    let mut close_run = |start: usize, end: usize, hit: bool| {
        if !hit || start >= end {
            return;
        }
        match regions.last_mut() {
            Some(last) if start - last.end < 64 => last.end = end,
            _ => regions.push(start..end),
        }
    };
    while let Some(&b) = bytes.get(i) {
        if b < 0x80 {
            match ASCII[usize::from(b)] {
                Ascii::Break => {
                    close_run(run_start, i, hit);
                    run_start = i + 1;
                    hit = false;
                    prev_upper = false;
                }
                Ascii::Upper => {
                    hit |= prev_upper;
                    prev_upper = true;
                }
                Ascii::Slash => {
                    hit = true;
                    prev_upper = false;
                }
                Ascii::Other => prev_upper = false,
            }
            i += 1;
            continue;
        }
        if b < 0xC0 {
            i += 1; // a continuation byte: its char is done
            continue;
        }
        let (upper, mark) = match (b, bytes.get(i + 1), bytes.get(i + 2)) {
            // U+00C0..U+00FF.
            (0xC3, Some(&x), _) => ((0x80..=0x9E).contains(&x) && x != 0x97, false),
            // U+1EA0..U+1EFF: upper and lower case alternate.
            (0xE1, Some(0xBA), Some(&y)) if y >= 0xA0 => (y % 2 == 0, false),
            (0xE1, Some(0xBB), Some(&y)) => (y % 2 == 0, false),
            _ => upper_or_mark(body[i..].chars().next().unwrap_or(' ')),
        };
        if upper {
            hit |= prev_upper;
            prev_upper = true;
        } else if !mark {
            prev_upper = false;
        }
        i += 1;
    }
    close_run(run_start, bytes.len(), hit);
    regions
}

/// Whether `c` is upper case, and whether it is a combining mark, with
/// the Vietnamese letters answered without a table search.
fn upper_or_mark(c: char) -> (bool, bool) {
    match u32::from(c) {
        // Latin-1: À..Þ but ×.
        cp @ 0xC0..=0xFF => (cp <= 0xDE && cp != 0xD7, false),
        // Ạ ạ Ả ả ... Ỹ ỹ: upper and lower case alternate.
        cp @ 0x1EA0..=0x1EFF => (cp % 2 == 0, false),
        cp if cp < 0x300 => (c.is_uppercase(), false),
        _ => (c.is_uppercase(), is_combining_mark(c)),
    }
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
    use proptest::prelude::*;

    /// [`signatures`] as it was before the regions: every regex over the
    /// whole body.
    fn signatures_whole(body: &str) -> Signatures {
        let mut found: Vec<(usize, String, Option<String>)> = Vec::new();
        for caps in SIGNED_NAME_RE.captures_iter(body) {
            if let Some(m) = caps.name("name")
                && let Some(n) = clean_name(m.as_str())
            {
                found.push((m.start(), n, None));
            }
        }
        for caps in SIGNATURE_RE.captures_iter(body) {
            let (Some(role), Some(name)) = (caps.name("role"), caps.name("name")) else {
                continue;
            };
            if !is_role(role.as_str()) {
                continue;
            }
            let Some(clean) = clean_name(name.as_str()) else {
                continue;
            };
            found.push((name.start(), clean, signed_for(role.as_str())));
        }
        collect(found)
    }

    #[test]
    fn upper_or_mark_is_is_uppercase_and_is_combining_mark() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(
                upper_or_mark(c),
                (c.is_uppercase(), is_combining_mark(c)),
                "{c:?}"
            );
        }
    }

    #[test]
    fn regions_find_what_the_whole_body_finds_in_the_fixtures() {
        let mut names = 0;
        for dir in ["tvpl", "seeds", "text"] {
            for e in std::fs::read_dir(crate::testdata::fixture(dir)).unwrap() {
                let path = e.unwrap().path();
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                let text = crate::text::nfc(&text);
                let want = signatures_whole(&text);
                assert_eq!(signatures(&text), want, "{}", path.display());
                names += want.names.len();
            }
        }
        assert!(names > 10, "{names} signers in the fixtures");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn regions_find_what_the_whole_body_finds(parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "TM. ", "KT. ", "K/T ", "T/M", "BỘ ", "CHÍNH ", "TRỊ", "TRƯỞNG", "TƯỚNG ",
                "CHỦ TỊCH", "PHÓ ", "THỨ", "Ủ", "U\u{31b}\u{309}", "Nguyễn ", "Văn ",
                "An", "Hòa Bình", "Thượng tướng ", "PGS.TS. ", "(Đã ký)", "[ĐÃ KÝ]",
                " ", "\n", "\u{a0}", "\t", "1", ",", ";", "-", ".", "/", "A", "a",
                "Q", "Luật ", "Phụ lục", "“", "Đ", "x", "ẤN", "Ý", "×", "ỹ", "Ỹ", "ÀÁ",
            ]),
            0..40,
        )) {
            let body = parts.concat();
            prop_assert_eq!(signatures(&body), signatures_whole(&body));
        }
    }

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
