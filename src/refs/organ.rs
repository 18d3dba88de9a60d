//! The organ that really signs a document, and its khóa (term).
//!
//! A central Party document is headed "BAN CHẤP HÀNH TRUNG ƯƠNG" whoever
//! issues it; the organ is in its signature block: "T/M BỘ CHÍNH TRỊ",
//! "T/L BAN BÍ THƯ", "TM. CHÍNH PHỦ". [`signing_organ`] reads the last
//! such block. The khóa: stated in the title ("... khóa XII"), else from
//! the number ("QH14" → XIV), else from the date and the terms of the
//! Party congresses or the National Assembly ([`party_term`],
//! [`assembly_term`]). Issue 11.
use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use super::bodies::display_body;
use super::norm::fold_key;

/// "T/M", "TM.", "T.M", "T/L", "TL.", "TUQ." and the words in capitals
/// after it.
static BLOCK_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[\s(])(?:T/M|TM\.?|T\.M\.?|T/L|TL\.|TUQ\.)[ \t\u{a0}]*((?:[\p{Lu}][\p{Lu}\p{M}]*[ \t\u{a0}\r\n]*){1,12})",
    )
    .expect("the signing block pattern is valid")
});

/// Organs that sign for themselves, folded, longest first: a name found
/// at the start of a block wins over cutting at a role word ("BAN BÍ
/// THƯ" holds "BÍ THƯ").
const ORGANS: &[&str] = &[
    "ban chap hanh trung uong",
    "uy ban thuong vu quoc hoi",
    "ban thuong vu tinh uy",
    "ban thuong vu thanh uy",
    "ban thuong vu huyen uy",
    "ban thuong vu",
    "bo chinh tri",
    "ban bi thu",
    "chinh phu",
    "quoc hoi",
    "uy ban nhan dan",
    "hoi dong nhan dan",
    "hoi dong tham phan",
    "tinh uy",
    "thanh uy",
    "huyen uy",
    "dang uy",
];

/// Role titles that end the organ's name in a block.
const ROLE_STARTS: &[&str] = &[
    "tong bi thu",
    "bi thu",
    "thu tuong",
    "chu tich",
    "pho",
    "chanh",
    "bo truong",
    "truong",
    "chu nhiem",
    "giam doc",
    "vien truong",
    "thong doc",
    "tong kiem toan",
    "kt",
    "tl",
    "q",
];

/// The organ named in the last signing block of `body` ("Bộ Chính
/// trị", "Ban Bí thư", "Chính phủ"), in its usual spelling.
///
/// ```
/// use vanban::refs::signing_organ;
/// let body = "BAN CHẤP HÀNH TRUNG ƯƠNG\n...\nT/M BỘ CHÍNH TRỊ\nTỔNG BÍ THƯ\nTô Lâm";
/// assert_eq!(signing_organ(body).as_deref(), Some("Bộ Chính trị"));
/// assert_eq!(signing_organ("T/L BAN BÍ THƯ\nCHÁNH VĂN PHÒNG").as_deref(), Some("Ban Bí thư"));
/// ```
pub fn signing_organ(body: &str) -> Option<String> {
    // The signature sits at the end; look at the tail only.
    let mut from = body.len().saturating_sub(6_000);
    while !body.is_char_boundary(from) {
        from -= 1;
    }
    let tail = &body[from..];
    let caps = BLOCK_RE.captures_iter(tail).last()?;
    let words: Vec<&str> = caps.get(1)?.as_str().split_whitespace().collect();
    let folded: Vec<String> = words.iter().map(|w| fold_key(w)).collect();
    let joined = folded.join(" ");
    if let Some(o) = ORGANS
        .iter()
        .find(|o| joined == **o || joined.starts_with(&format!("{o} ")))
    {
        let n = o.split(' ').count();
        return Some(display_body(&words[..n].join(" ")));
    }
    let end = (0..words.len())
        .find(|&i| {
            let rest = folded[i..].join(" ");
            ROLE_STARTS
                .iter()
                .any(|r| rest == *r || rest.starts_with(&format!("{r} ")))
        })
        .unwrap_or(words.len());
    (end > 0).then(|| display_body(&words[..end].join(" ")))
}

/// Roman numeral of 1..=39.
pub fn roman(n: u32) -> Option<String> {
    if !(1..40).contains(&n) {
        return None;
    }
    let mut s = "X".repeat((n / 10) as usize);
    s.push_str(["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"][(n % 10) as usize]);
    Some(s)
}

/// The value of a Roman numeral (I..XXXIX), case-insensitive.
pub fn from_roman(s: &str) -> Option<u32> {
    let up = s.to_ascii_uppercase();
    (1..40).find(|&n| roman(n).as_deref() == Some(up.as_str()))
}

/// Closing dates of the Party congresses: the Central Committee of khóa
/// N serves from the N-th congress.
const PARTY_CONGRESSES: &[(i32, u32, u32)] = &[
    (1935, 3, 31),
    (1951, 2, 19),
    (1960, 9, 10),
    (1976, 12, 20),
    (1982, 3, 31),
    (1986, 12, 18),
    (1991, 6, 27),
    (1996, 7, 1),
    (2001, 4, 22),
    (2006, 4, 25),
    (2011, 1, 19),
    (2016, 1, 28),
    (2021, 2, 1),
    (2026, 1, 23),
];

/// First sittings of the National Assemblies (khóa I from 1946).
const ASSEMBLIES: &[(i32, u32, u32)] = &[
    (1946, 3, 2),
    (1960, 7, 6),
    (1964, 6, 25),
    (1971, 6, 7),
    (1975, 6, 3),
    (1976, 6, 24),
    (1981, 6, 25),
    (1987, 6, 17),
    (1992, 9, 19),
    (1997, 9, 30),
    (2002, 7, 19),
    (2007, 7, 19),
    (2011, 7, 21),
    (2016, 7, 20),
    (2021, 7, 20),
    (2026, 4, 6),
];

fn term_at(table: &[(i32, u32, u32)], d: NaiveDate) -> Option<String> {
    let n = table
        .iter()
        .filter(|&&(y, m, day)| NaiveDate::from_ymd_opt(y, m, day).is_some_and(|s| s <= d))
        .count();
    roman(u32::try_from(n).ok()?)
}

/// The khóa of the Party Central Committee serving on `d` ("XIII" from
/// February 2021).
pub fn party_term(d: NaiveDate) -> Option<String> {
    term_at(PARTY_CONGRESSES, d)
}

/// The khóa of the National Assembly serving on `d`.
pub fn assembly_term(d: NaiveDate) -> Option<String> {
    term_at(ASSEMBLIES, d)
}

static STATED_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bkh(?:óa|oá|oa)\s+([IVXL]{1,6}|[0-9]{1,2})\b")
        .expect("the khóa pattern is valid")
});

/// A khóa written in `s` ("khóa XII", "khoá 12") as a Roman numeral.
pub fn stated_term(s: &str) -> Option<String> {
    let c = STATED_RE.captures(s)?;
    let t = c.get(1)?.as_str();
    match t.parse::<u32>() {
        Ok(n) => roman(n),
        Err(_) => from_roman(t).and_then(roman),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organs_of_signing_blocks() {
        let cases = [
            (
                "T/M BỘ CHÍNH TRỊ\nTỔNG BÍ THƯ\n(Đã ký)\nNguyễn Phú Trọng",
                "Bộ Chính trị",
            ),
            ("T/L BAN BÍ THƯ\nCHÁNH VĂN PHÒNG\nLê Văn A", "Ban Bí thư"),
            ("TM. CHÍNH PHỦ THỦ TƯỚNG Nguyễn Xuân Phúc", "Chính phủ"),
            ("T/M BAN THƯỜNG VỤ\nBÍ THƯ\nTrần Minh Khải", "Ban Thường vụ"),
            (
                "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nĐặng Quốc Bình",
                "Ủy ban nhân dân",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(signing_organ(text).as_deref(), Some(want), "{text}");
        }
        assert_eq!(signing_organ("KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\nA B"), None);
        assert_eq!(signing_organ("Đảng bộ và nhân dân"), None);
    }

    #[test]
    fn terms() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(party_term(d(2012, 6, 3)).as_deref(), Some("XI"));
        assert_eq!(party_term(d(2021, 7, 30)).as_deref(), Some("XIII"));
        assert_eq!(party_term(d(2016, 1, 10)).as_deref(), Some("XI"));
        assert_eq!(party_term(d(1930, 1, 1)), None);
        assert_eq!(assembly_term(d(2013, 11, 29)).as_deref(), Some("XIII"));
        assert_eq!(
            stated_term("Hội nghị Trung ương 4 khóa XII").as_deref(),
            Some("XII")
        );
        assert_eq!(stated_term("khoá 11").as_deref(), Some("XI"));
        assert_eq!(stated_term("khóa học"), None);
        assert_eq!(from_roman("xiii"), Some(13));
        assert_eq!(roman(14).as_deref(), Some("XIV"));
    }
}
