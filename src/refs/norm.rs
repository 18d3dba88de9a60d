//! Small string helpers of the refs module: the match key, words, the
//! letter case of codes and the canonical spelling of one code of a
//! number. Folding, NFC and the dash set are `text`'s ([`crate::text`]):
//! one Unicode layer for the grammar and the analyzers.
use unicode_normalization::char::is_combining_mark;

use super::patterns::MIXED_CASE_CODES;
pub(crate) use crate::text::is_dash;

/// Lowercase, diacritics removed, đ/Đ/Ð/ð → d, every dash → '-':
/// [`crate::text::fold`], owned. Char by char, so NFC and NFD input fold
/// alike.
pub(crate) fn fold_key(s: &str) -> String {
    crate::text::fold(s).into_owned()
}

/// Appends the folded form of one char (see [`fold_key`]).
fn fold_char_into(c: char, out: &mut String) {
    let mut b = [0u8; 4];
    crate::text::fold_into(c.encode_utf8(&mut b), out);
}

/// The byte length of the start of `s` that folds to `folded` (marks
/// after its last letter included), when a word boundary follows it.
/// Works on NFC and NFD text alike.
pub(crate) fn folded_prefix_len(s: &str, folded: &str) -> Option<usize> {
    let mut acc = String::with_capacity(folded.len() + 4);
    let mut end = s.len();
    for (i, c) in s.char_indices() {
        if acc.len() >= folded.len() {
            if is_combining_mark(c) {
                continue;
            }
            end = i;
            break;
        }
        fold_char_into(c, &mut acc);
        if !folded.starts_with(acc.as_str()) {
            return None;
        }
    }
    let boundary = !s[end..].starts_with(|c: char| c.is_alphanumeric());
    (acc == folded && boundary).then_some(end)
}

/// Byte offsets where the words of `s` start (a word: letters, digits
/// and their marks).
pub(crate) fn word_starts(s: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut prev_word = false;
    for (i, c) in s.char_indices() {
        let word = c.is_alphanumeric() || is_combining_mark(c);
        if word && !prev_word {
            starts.push(i);
        }
        prev_word = word;
    }
    starts
}

/// Whether `c` may appear in a code of a number ("NĐ", "TƯ", "QH14",
/// "BGD&ĐT").
pub(crate) fn is_code_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, 'Đ' | 'đ' | 'Ð' | 'ð' | 'Ư' | 'ư' | '\u{31b}' | '&')
}

/// The letter case shape of a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CaseShape {
    /// Every letter upper case ("NQ", "QH14").
    Upper,
    /// Every letter lower case ("nq").
    Lower,
    /// One upper-case letter, then lower case ("Nq", "Ctr").
    Title,
    /// Upper case, then lower case ("TTg", "TWngay").
    UpperThenLower {
        /// Byte length of the upper-case (and digit) prefix.
        upper_len: usize,
    },
    /// Anything else ("nQ").
    Mixed,
}

/// The case shape of `code` (digits are neutral).
pub(crate) fn case_shape(code: &str) -> CaseShape {
    let mut upper_len = 0;
    let mut seen_lower = false;
    let mut seen_upper = false;
    for (i, c) in code.char_indices() {
        if c.is_uppercase() {
            if seen_lower {
                return CaseShape::Mixed;
            }
            seen_upper = true;
            upper_len = i + c.len_utf8();
        } else if c.is_lowercase() {
            seen_lower = true;
        } else if !seen_lower {
            upper_len = i + c.len_utf8();
        }
    }
    match (seen_upper, seen_lower) {
        (true, false) | (false, false) => CaseShape::Upper,
        (false, true) => CaseShape::Lower,
        (true, true) => {
            let first_upper = code.chars().filter(|c| c.is_uppercase()).count();
            if first_upper == 1 && code.starts_with(char::is_uppercase) {
                CaseShape::Title
            } else {
                CaseShape::UpperThenLower { upper_len }
            }
        }
    }
}

/// The canonical mixed-case spelling of a code, if it is one ("ctr" →
/// "CTr"), looked up on its folded form.
pub(crate) fn mixed_case_code(folded: &str) -> Option<&'static str> {
    MIXED_CASE_CODES
        .iter()
        .find(|(f, _)| *f == folded)
        .map(|(_, c)| *c)
}

/// The canonical spelling of one code: NFC, Ð → Đ, upper case except the
/// standard mixed-case codes, "TƯ" → "TW". `type_slot` also restores the
/// Đ of "QD" and "ND".
pub(crate) fn canonical_code(code: &str, type_slot: bool) -> String {
    let folded = fold_key(code);
    if let Some(mixed) = mixed_case_code(&folded) {
        return mixed.to_string();
    }
    if type_slot {
        match folded.as_str() {
            "qd" => return "QĐ".to_string(),
            "nd" => return "NĐ".to_string(),
            _ => {}
        }
    }
    let upper: String = crate::text::nfc(code)
        .chars()
        .map(|c| match c {
            'Ð' | 'ð' | 'đ' => 'Đ',
            c => c,
        })
        .flat_map(char::to_uppercase)
        .collect();
    if upper == "TƯ" {
        "TW".to_string()
    } else {
        upper
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_key_folds_vietnamese() {
        assert_eq!(fold_key("03/2019/NĐ-CP"), "03/2019/nd-cp");
        assert_eq!(fold_key("NÐ–CP"), "nd-cp");
        assert_eq!(fold_key("Quyết định"), "quyet dinh");
        assert_eq!(fold_key("Quye\u{302}\u{301}t"), "quyet");
        assert_eq!(fold_key("TƯ"), "tu");
    }

    #[test]
    fn folded_prefixes_and_suffixes() {
        assert_eq!(
            folded_prefix_len("Nghị quyết số", "nghi quyet"),
            Some("Nghị quyết".len())
        );
        let nfd = "Nghi\u{323} quye\u{302}\u{301}t số";
        assert_eq!(
            folded_prefix_len(nfd, "nghi quyet"),
            Some(nfd.find(" số").unwrap())
        );
        assert_eq!(folded_prefix_len("Nghị quyếtx", "nghi quyet"), None);
        assert_eq!(folded_prefix_len("Luật", "luat"), Some("Luật".len()));
        assert_eq!(
            word_starts("Căn cứ “Bộ luật”"),
            [0, "Căn ".len(), "Căn cứ “".len(), "Căn cứ “Bộ ".len()]
        );
    }

    #[test]
    fn case_shapes() {
        assert_eq!(case_shape("NQ"), CaseShape::Upper);
        assert_eq!(case_shape("QH14"), CaseShape::Upper);
        assert_eq!(case_shape("nđ"), CaseShape::Lower);
        assert_eq!(case_shape("Nq"), CaseShape::Title);
        assert_eq!(
            case_shape("TTg"),
            CaseShape::UpperThenLower { upper_len: 2 }
        );
        assert_eq!(
            case_shape("BDVTWng"),
            CaseShape::UpperThenLower { upper_len: 5 }
        );
        assert_eq!(case_shape("nQ"), CaseShape::Mixed);
    }

    #[test]
    fn canonical_codes() {
        assert_eq!(canonical_code("nđ", true), "NĐ");
        assert_eq!(canonical_code("ND", true), "NĐ");
        assert_eq!(canonical_code("ND", false), "ND");
        assert_eq!(canonical_code("Ctr", true), "CTr");
        assert_eq!(canonical_code("QDI", true), "QĐi");
        assert_eq!(canonical_code("ttg", false), "TTg");
        assert_eq!(canonical_code("TƯ", false), "TW");
        assert_eq!(canonical_code("TU\u{31b}", false), "TW");
        assert_eq!(canonical_code("TU", false), "TU");
        assert_eq!(canonical_code("NÐ", true), "NĐ");
        assert_eq!(canonical_code("bcsđcp", false), "BCSĐCP");
    }
}
