//! Partial document numbers in a query: "Nghị định 01/2021", "nd
//! 01/2021", "nghị định số 01 năm 2021", "QĐ 312", "312-QĐ", "chỉ thị 05
//! bộ chính trị", "nghị quyết 25 khóa XI". Issue 11.
//!
//! The query's words are read as atoms (split at '/', '-' and
//! punctuation). A serial is a run of digits right after a kind (its name
//! or abbreviation, [`super::kinds`]) or "số", or right before a type
//! code ("312-QĐ"); a year is four digits after a serial ("01/2021", "01
//! năm 2021") or after "năm"; a khóa follows "khóa" or "Đại hội"; an
//! issuer ([`super::issuers`]) counts once a kind or serial was found.
//! A number-like word elsewhere ("Điều 5", a phone number, "2021" alone)
//! makes no lookup.
use super::issuers::{IssuerRow, issuer_at};
use super::kinds::{AMBIGUOUS, KindRow, kind_at, row_of_code};
use crate::index::lookup::serial_key;
use crate::refs::{DocNumber, from_roman, roman};
use crate::text;

/// The parts of a document number (and more) that a query names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NumberLookup {
    /// The kind named: noun as documents carry it.
    pub kind: Option<&'static str>,
    /// Type codes of that kind, folded.
    pub codes: Vec<&'static str>,
    /// Serial, leading zeros dropped.
    pub serial: Option<String>,
    /// Year.
    pub year: Option<u16>,
    /// Issuer keys (any of them), folded.
    pub issuers: Vec<&'static str>,
    /// The issuers as the query writes them ("Bộ Chính trị", "TU").
    pub issuer_names: Vec<String>,
    /// Khóa, Roman.
    pub term: Option<String>,
}

impl NumberLookup {
    /// Whether the query asks for a document by its number: a serial with
    /// a kind, a year or an issuer.
    pub fn is_number(&self) -> bool {
        self.serial.is_some()
            && (self.kind.is_some() || self.year.is_some() || !self.issuers.is_empty())
    }

    /// Whether it narrows documents without a serial: a kind with a year,
    /// a khóa or an issuer ("Luật đất đai 2013", "nghị quyết trung ương 4
    /// khóa XII").
    pub fn is_soft(&self) -> bool {
        self.serial.is_none()
            && self.kind.is_some()
            && (self.year.is_some() || self.term.is_some() || !self.issuers.is_empty())
    }

    /// A short description ("Nghị định · số 1 · năm 2021").
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(k) = self.kind {
            parts.push(k.to_string());
        }
        if let Some(s) = &self.serial {
            parts.push(format!("số {s}"));
        }
        if let Some(y) = self.year {
            parts.push(format!("năm {y}"));
        }
        if !self.issuer_names.is_empty() {
            parts.push(self.issuer_names.join(", "));
        }
        if let Some(t) = &self.term {
            parts.push(format!("khóa {t}"));
        }
        parts.join(" · ")
    }
}

#[derive(Debug)]
struct Atom {
    raw: String,
    folded: String,
    upper: bool,
    /// Joined to the previous atom by '/' or '-' inside one word.
    joined: bool,
}

fn atoms(words: &[&str]) -> Vec<Atom> {
    let mut out = Vec::new();
    for w in words {
        let mut first = true;
        for piece in w.split(|c: char| !c.is_alphanumeric() && !is_mark(c)) {
            if piece.is_empty() {
                continue;
            }
            let letters: Vec<char> = piece.chars().filter(|c| c.is_alphabetic()).collect();
            out.push(Atom {
                raw: piece.to_string(),
                folded: text::fold(piece).into_owned(),
                upper: letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase()),
                joined: !first,
            });
            first = false;
        }
    }
    out
}

fn is_mark(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
}

fn is_digits(s: &str, max: usize) -> bool {
    !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit())
}

/// A serial: 1–5 digits, maybe one letter after ("12a").
fn is_serial(s: &str) -> bool {
    let digits = s.trim_end_matches(|c: char| c.is_ascii_lowercase());
    is_digits(digits, 5) && s.len() - digits.len() <= 1
}

fn is_year(s: &str) -> bool {
    is_digits(s, 4) && s.len() == 4 && s.parse::<u16>().is_ok_and(|y| (1945..=2100).contains(&y))
}

/// Words after which a number is not a serial: article, clause, term,
/// congress, plenum, dates.
const BLOCKERS: &[&str] = &[
    "dieu",
    "khoan",
    "diem",
    "chuong",
    "muc",
    "phan",
    "khoa",
    "lan",
    "thu",
    "uong",
    "hoi",
    "nam",
    "thang",
    "ngay",
    "tu",
    "den",
    "gio",
    "phut",
    "trang",
    "so dien thoai",
    "lop",
    "tuoi",
];

/// The number parts a query names, from its words as typed (numbers the
/// grammar read whole are already out) and the partial numbers the
/// grammar read ("312-QĐ": a type code, no issuer).
pub fn detect(words: &[&str], partial: &[DocNumber]) -> Option<NumberLookup> {
    let a = atoms(words);
    let folded: Vec<&str> = a.iter().map(|x| x.folded.as_str()).collect();
    let mut out = NumberLookup::default();
    let mut kind: Option<(&'static KindRow, usize, usize)> = None; // row, start, end
    let mut kinds: Vec<(&'static KindRow, usize, usize)> = Vec::new();
    let mut serial_at: Option<usize> = None;
    let mut issuers: Vec<(&'static IssuerRow, usize, usize)> = Vec::new();
    let mut i = 0;
    while i < a.len() {
        let f = folded[i];
        // Khóa: "khóa XI", "khoa 11", "Đại hội XIII".
        if (f == "khoa" || (f == "hoi" && i > 0 && folded[i - 1] == "dai"))
            && let Some(next) = folded.get(i + 1)
        {
            let n = from_roman(next)
                .or_else(|| next.parse::<u32>().ok().filter(|n| (1..=20).contains(n)));
            if let Some(t) = n.and_then(roman) {
                out.term = Some(t);
                i += 2;
                continue;
            }
        }
        if let Some((row, n)) = kind_at(&folded[i..]) {
            let abbreviation = n == 1 && row.0.first().is_some_and(|full| *full != f);
            let next_digit = folded
                .get(i + n)
                .is_some_and(|s| is_serial(s) || *s == "so");
            let after_serial = serial_at.is_some_and(|s| s + 1 == i || (a[i].joined && s + 2 == i));
            // An abbreviation ("nq", "QĐ") counts next to a serial, or in
            // capitals when it is not also a syllable.
            let ok = !abbreviation
                || next_digit
                || after_serial
                || (a[i].upper && !AMBIGUOUS.contains(&f));
            if ok {
                kinds.push((row, i, i + n));
                if after_serial && kind.is_none() {
                    kind = Some((row, i, i + n));
                }
                i += n;
                continue;
            }
        }
        if is_serial(f) && out.serial.is_none() {
            let prev = i.checked_sub(1).map(|p| folded[p]);
            // "nghị định 01", "nghị định số 01".
            let after_kind = kinds
                .last()
                .is_some_and(|k| k.2 == i || (k.2 + 1 == i && prev == Some("so")));
            let after_so = prev == Some("so") && (i < 2 || !BLOCKERS.contains(&folded[i - 2]));
            // "312-QĐ", "01/2021/NĐ": a type code glued after it.
            let code_at = |j: usize| {
                a.get(j).is_some_and(|x| x.joined)
                    && kind_at(&folded[j..]).is_some_and(|(_, k)| k == 1)
            };
            let before_code = code_at(i + 1)
                || (folded.get(i + 1).is_some_and(|y| is_year(y))
                    && a[i + 1].joined
                    && code_at(i + 2));
            let blocked = !after_kind && prev.is_some_and(|p| BLOCKERS.contains(&p));
            let yearish = is_year(f) && !a.get(i + 1).is_some_and(|n| n.joined);
            if !blocked && !yearish && (after_kind || after_so || before_code) {
                out.serial = Some(serial_key(f));
                serial_at = Some(i);
                if after_kind {
                    kind = kinds.last().copied();
                }
                // "01/2021", "01-2021".
                if let Some(y) = folded.get(i + 1).filter(|y| a[i + 1].joined && is_year(y)) {
                    out.year = y.parse().ok();
                    i += 1;
                }
                i += 1;
                continue;
            }
        }
        if is_year(f) && out.year.is_none() {
            let prev = i.checked_sub(1).map(|p| folded[p]);
            let after_serial =
                serial_at.is_some_and(|s| s + 1 == i || (s + 2 == i && prev == Some("nam")));
            if prev == Some("nam") || after_serial || !kinds.is_empty() {
                out.year = f.parse().ok();
                i += 1;
                continue;
            }
        }
        if let Some((row, n)) = issuer_at(&folded[i..]) {
            // A one-atom code that is also a syllable ("tu") only in
            // capitals or glued to the number.
            let syllable = n == 1 && text::is_syllable(f);
            let glued = a[i].joined || serial_at.is_some_and(|s| s + 1 == i);
            if !syllable || a[i].upper || glued {
                issuers.push((row, i, i + n));
                i += n;
                continue;
            }
        }
        i += 1;
    }
    // The kind of the number: the one by the serial, else the first named.
    let kind = kind.or_else(|| kinds.first().copied());
    for p in partial {
        if out.serial.is_none() {
            out.serial = Some(serial_key(p.serial()));
        }
        if kind.is_none()
            && let Some(code) = p.type_code()
            && let Some(row) = row_of_code(&text::fold(code))
        {
            out.kind = Some(row.1);
            out.codes = row.2.to_vec();
        }
        out.year = out.year.or(p.year());
    }
    if let Some((row, _, _)) = kind {
        out.kind = Some(row.1);
        out.codes = row.2.to_vec();
    }
    if out.kind.is_some() || out.serial.is_some() {
        for (row, from, to) in issuers {
            let name: Vec<&str> = a[from..to].iter().map(|x| x.raw.as_str()).collect();
            out.issuer_names.push(name.join(" "));
            for k in row.1 {
                if !out.issuers.contains(k) {
                    out.issuers.push(k);
                }
            }
        }
    }
    (out.is_number() || out.is_soft()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(q: &str) -> Option<NumberLookup> {
        let words: Vec<&str> = q.split_whitespace().collect();
        detect(&words, &[])
    }

    fn parts(q: &str) -> (Option<&'static str>, Option<String>, Option<u16>) {
        let l = d(q).unwrap_or_else(|| panic!("{q}: no lookup"));
        (l.kind, l.serial, l.year)
    }

    #[test]
    fn kinds_serials_and_years() {
        let nd = |y| (Some("Nghị định"), Some("1".to_string()), y);
        assert_eq!(parts("Nghị định 01/2021"), nd(Some(2021)));
        assert_eq!(parts("nghi dinh 01/2021"), nd(Some(2021)));
        assert_eq!(parts("nd 01/2021"), nd(Some(2021)));
        assert_eq!(parts("NĐ 1/2021"), nd(Some(2021)));
        assert_eq!(parts("nghị định số 01 năm 2021"), nd(Some(2021)));
        assert_eq!(
            parts("thong tu so 09 nam 2024"),
            (Some("Thông tư"), Some("9".into()), Some(2024))
        );
        assert_eq!(parts("nghị định 01"), nd(None));
        assert_eq!(
            parts("QĐ 312"),
            (Some("Quyết định"), Some("312".into()), None)
        );
        assert_eq!(
            parts("quyet dinh 312"),
            (Some("Quyết định"), Some("312".into()), None)
        );
        assert_eq!(
            parts("quy định 205"),
            (Some("Quy định"), Some("205".into()), None)
        );
        assert_eq!(
            parts("Công văn 19046"),
            (Some("Công văn"), Some("19046".into()), None)
        );
        assert_eq!(
            parts("312-QĐ"),
            (Some("Quyết định"), Some("312".into()), None)
        );
        assert_eq!(parts("01/2021/NĐ"), nd(Some(2021)));
        assert_eq!(parts("01/2021/nd"), nd(Some(2021)));
        assert_eq!(
            parts("312/QĐ"),
            (Some("Quyết định"), Some("312".into()), None)
        );
        assert_eq!(
            parts("TT 12/2015"),
            (Some("Thông tư"), Some("12".into()), Some(2015))
        );
        assert_eq!(
            parts("thông tư liên tịch 89/2016"),
            (Some("Thông tư liên tịch"), Some("89".into()), Some(2016))
        );
    }

    #[test]
    fn issuers_and_terms() {
        let l = d("chỉ thị 05 bộ chính trị").unwrap();
        assert_eq!(l.issuers, ["bo chinh tri"]);
        let l = d("nghị quyết 25 khóa XI").unwrap();
        assert_eq!(
            (l.serial.as_deref(), l.term.as_deref()),
            (Some("25"), Some("XI"))
        );
        let l = d("nghi quyet 25 khoa 11").unwrap();
        assert_eq!(l.term.as_deref(), Some("XI"));
        let l = d("Nghị quyết Trung ương 4 khóa XII").unwrap();
        assert_eq!((l.serial, l.term.as_deref()), (None, Some("XII")));
        assert_eq!(l.issuers, ["tw"]);
        let l = d("chỉ thị 05 TU").unwrap();
        assert_eq!(l.issuers, ["tu", "tinh uy"]);
        let l = d("Nghị quyết Đại hội XIII").unwrap();
        assert_eq!(l.term.as_deref(), Some("XIII"));
    }

    #[test]
    fn not_a_number_lookup() {
        for q in [
            "2021",
            "Điều 5",
            "điều 5 luật đất đai",
            "0912345678",
            "gọi 0912 345 678",
            "dan van",
            "tran",
            "công tác dân vận năm 2021",
            "quyết định",
            "khoa học 2021",
            "tu 2020 den 2021",
        ] {
            assert_eq!(d(q).filter(NumberLookup::is_number), None, "{q}");
        }
        assert_eq!(d("quyết định 0912345678").and_then(|l| l.serial), None);
    }

    #[test]
    fn soft_lookups() {
        let l = d("luật đất đai 2013").unwrap();
        assert!(l.is_soft());
        assert_eq!((l.kind, l.year), (Some("Luật"), Some(2013)));
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,80}") {
            let words: Vec<&str> = s.split_whitespace().collect();
            let _ = detect(&words, &[]);
        }

        #[test]
        fn never_panics_on_numbers(s in "[0-9 /\\-qđdnQĐNtkhoaXIsố]{0,40}") {
            let words: Vec<&str> = s.split_whitespace().collect();
            let _ = detect(&words, &[]);
        }
    }
}
