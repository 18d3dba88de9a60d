//! The folded form: every diacritic removed, đ → d, lowercase, dashes → '-'.
//!
//! Per char, in order of frequency: ASCII is lowercased in place; a
//! precomposed Vietnamese letter maps to its ASCII base through
//! [`letters`]; a combining mark of U+0300–U+036F is dropped (NFD input);
//! a dash variant becomes '-'. Anything else falls back to its canonical
//! decomposition with the marks (General Category M) dropped, then
//! lowercased. Per-char processing is enough: marks are dropped, so the
//! canonical reordering NFD would do cannot matter, and NFC and NFD input
//! fold alike.
use std::borrow::Cow;

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

use super::{is_dash, letters};

/// Appends the folded form of `s` to `out`.
pub fn fold_into(s: &str, out: &mut String) {
    out.reserve(s.len());
    let mut rest = s;
    while !rest.is_empty() {
        // Copy the run of ASCII in one go, then lowercase it in place.
        let ascii = rest.bytes().position(|b| b >= 0x80).unwrap_or(rest.len());
        if ascii > 0 {
            let (run, tail) = rest.split_at(ascii);
            let at = out.len();
            out.push_str(run);
            if let Some(pushed) = out.get_mut(at..) {
                pushed.make_ascii_lowercase();
            }
            rest = tail;
        }
        let mut chars = rest.chars();
        let Some(c) = chars.next() else { break };
        fold_char(c, out);
        rest = chars.as_str();
    }
}

/// Folds one non-ASCII char.
#[inline]
fn fold_char(c: char, out: &mut String) {
    if let Some(b) = letters::fold_letter(c) {
        out.push(b as char);
    } else if is_dash(c) {
        out.push('-');
    } else if !letters::is_basic_mark(c) {
        fold_slow(c, out);
    }
}

/// Canonical decomposition, marks dropped, lowercased (and decomposed
/// again, so that a lowercase mapping cannot bring marks back).
fn fold_slow(c: char, out: &mut String) {
    decompose_canonical(c, |d| {
        if is_combining_mark(d) {
            return;
        }
        for l in d.to_lowercase() {
            decompose_canonical(l, |e| {
                if !is_combining_mark(e) {
                    out.push(e);
                }
            });
        }
    });
}

/// The folded form of `s`, borrowed when folding changes nothing.
pub fn fold(s: &str) -> Cow<'_, str> {
    if !s.bytes().any(|b| b >= 0x80 || b.is_ascii_uppercase()) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    if out == s {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(out)
    }
}

/// Whether `s` carries any Vietnamese diacritic (tone or vowel mark, or
/// đ/Đ/Ð/ð), or any other mark once canonically decomposed ("ö", NFD
/// marks): whether [`fold`] removes a mark or a stroke, beyond lowercasing
/// and mapping dashes.
pub fn has_diacritics(s: &str) -> bool {
    s.chars().any(|c| {
        if c.is_ascii() {
            false
        } else if letters::info(c).is_some() || letters::is_basic_mark(c) {
            true
        } else {
            let mut marked = false;
            decompose_canonical(c, |d| marked |= is_combining_mark(d));
            marked
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::syllables;
    use unicode_normalization::UnicodeNormalization;

    /// Folds each syllable of `s` and compares with `want`, for the NFC
    /// and the NFD spelling of `s`.
    #[track_caller]
    fn assert_fold(s: &str, want: &[&str]) {
        for (form, text) in [
            ("NFC", s.nfc().collect::<String>()),
            ("NFD", s.nfd().collect()),
        ] {
            let got: Vec<String> = syllables(&text)
                .map(|r| fold(&text[r]).into_owned())
                .collect();
            assert_eq!(got, want, "{form} fold of {s:?}");
        }
    }

    #[test]
    fn folds_vietnamese_syllables() {
        assert_fold("Nghị định", &["nghi", "dinh"]);
        assert_fold("CHỈ THỊ", &["chi", "thi"]);
        assert_fold("NGHỊ QUYẾT", &["nghi", "quyet"]);
        assert_fold(
            "Đảng ủy Ðảng uỷ ðoàn",
            &["dang", "uy", "dang", "uy", "doan"],
        );
        assert_fold(
            "Ban Chấp hành Trung ương",
            &["ban", "chap", "hanh", "trung", "uong"],
        );
        assert_fold("người nước được việc", &["nguoi", "nuoc", "duoc", "viec"]);
        assert_fold("hoà hòa thuỷ thủy", &["hoa", "hoa", "thuy", "thuy"]);
        assert_fold("ĂÂÊÔƠƯ ăâêôơư", &["aaeoou", "aaeoou"]);
        assert_fold("1234/QĐ-TTg", &["1234", "qd", "ttg"]);
        assert_fold(
            "05-CT/TW 45/2019/QH14",
            &["05", "ct", "tw", "45", "2019", "qh14"],
        );
    }

    #[test]
    fn folds_whole_strings() {
        assert_eq!(fold("Số: 1234/QĐ–TTg"), "so: 1234/qd-ttg");
        assert_eq!(fold("23 — QĐ/TW ‐ ‑ ‒ − ﹣ －"), "23 - qd/tw - - - - - -");
        assert_eq!(fold("Viê\u{323}t Nam"), "viet nam");
        assert_eq!(fold("e\u{302}\u{301}"), "e");
        assert_eq!(fold("Ça Ñandú Öl Øre ß İ Å"), "ca nandu ol øre ß i a");
        assert_eq!(fold("ΑΘΉΝΑ Σ"), "αθηνα σ");
        assert_eq!(fold("北京 ²"), "北京 ²");
    }

    #[test]
    fn borrows_when_unchanged() {
        assert!(matches!(fold("nghi dinh 05-ct/tw"), Cow::Borrowed(_)));
        assert!(matches!(fold("北京 ø"), Cow::Borrowed(_)));
        assert!(matches!(fold("Nghi"), Cow::Owned(_)));
        assert!(matches!(fold("nghị"), Cow::Owned(_)));
    }

    #[test]
    fn fold_into_appends() {
        let mut out = String::from("x ");
        fold_into("Đ–Ạ a", &mut out);
        assert_eq!(out, "x d-a a");
    }

    #[test]
    fn detects_diacritics() {
        for s in [
            "á", "Đ", "đ", "Ð", "ð", "ư", "a\u{301}", "quốc", "ö", "İ", "Å",
        ] {
            assert!(has_diacritics(s), "{s:?}");
        }
        for s in ["", "nghi dinh", "NGHI", "05–CT/TW", "北京", "ø", "ß", "²"] {
            assert!(!has_diacritics(s), "{s:?}");
        }
    }

    #[test]
    fn fast_table_agrees_with_decomposition() {
        // Every letter the table folds must fold the same way through the
        // slow path (đ/ð have no decomposition: the table alone knows them).
        for c in (0x80..=0x1FFFu32).filter_map(char::from_u32) {
            if let Some(b) = letters::fold_letter(c) {
                let mut slow = String::new();
                fold_slow(c, &mut slow);
                if !matches!(c, 'đ' | 'Đ' | 'ð' | 'Ð') {
                    assert_eq!(slow, (b as char).to_string(), "{c:?}");
                }
            }
        }
    }
}
