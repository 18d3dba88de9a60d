//! Syllable segmentation: maximal runs of alphanumeric characters together
//! with their combining marks, as byte ranges.
//!
//! A run starts at an alphanumeric character that is not itself a mark and
//! continues through alphanumeric characters and combining marks (General
//! Category M), so NFD "Nghị định" is two syllables, not `nghi|di|nh`. A
//! mark with nothing before it (after a space, at the start) belongs to no
//! syllable. Everything else separates: spaces, punctuation, dashes,
//! slashes, quotes. ASCII bytes are classified by a table without decoding.
use std::iter::FusedIterator;
use std::ops::Range;

use unicode_normalization::char::is_combining_mark;

use super::letters;

/// ASCII alphanumerics, indexed by byte.
static ASCII_WORD: [bool; 128] = {
    let mut t = [false; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    t
};

/// General Punctuation (U+2000–U+206F: spaces, dashes, quotes, ellipsis)
/// holds no letter, digit or mark (a unit test checks): a separator
/// without the slower Unicode lookups.
#[inline]
fn is_general_punctuation(c: char) -> bool {
    ('\u{2000}'..='\u{206F}').contains(&c)
}

/// Whether a non-ASCII char can start a syllable.
#[inline]
fn starts(c: char) -> bool {
    if letters::info(c).is_some() {
        return true;
    }
    if letters::is_basic_mark(c) || is_general_punctuation(c) {
        return false;
    }
    c.is_alphanumeric() && !is_combining_mark(c)
}

/// Whether a non-ASCII char continues a syllable.
#[inline]
fn continues(c: char) -> bool {
    if letters::info(c).is_some() || letters::is_basic_mark(c) {
        return true;
    }
    !is_general_punctuation(c) && (c.is_alphanumeric() || is_combining_mark(c))
}

/// Whether `c` can start a syllable (alphanumeric and not a mark).
#[cfg(test)]
pub(crate) fn is_syllable_start(c: char) -> bool {
    if c.is_ascii() {
        ASCII_WORD[c as usize]
    } else {
        starts(c)
    }
}

/// Iterator behind [`super::syllables`].
#[derive(Clone, Debug)]
pub(crate) struct Syllables<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Syllables<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Syllables { text, pos: 0 }
    }
}

impl Iterator for Syllables<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        let bytes = self.text.as_bytes();
        let mut i = self.pos;
        // Skip separators up to the first char that starts a syllable.
        let start = loop {
            let Some(&b) = bytes.get(i) else {
                self.pos = bytes.len();
                return None;
            };
            if b < 0x80 {
                if ASCII_WORD[b as usize] {
                    i += 1;
                    break i - 1;
                }
                i += 1;
            } else {
                let (c, n) = letters::decode(bytes, i)?;
                i += n;
                if starts(c) {
                    break i - n;
                }
            }
        };
        // Extend through letters, digits and marks.
        while let Some(&b) = bytes.get(i) {
            if b < 0x80 {
                if !ASCII_WORD[b as usize] {
                    break;
                }
                i += 1;
            } else {
                let Some((c, n)) = letters::decode(bytes, i) else {
                    break;
                };
                if !continues(c) {
                    break;
                }
                i += n;
            }
        }
        self.pos = i;
        Some(start..i)
    }
}

impl FusedIterator for Syllables<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    fn split(s: &str) -> Vec<&str> {
        Syllables::new(s).map(|r| &s[r]).collect()
    }

    #[track_caller]
    fn assert_split(s: &str, want: &[&str]) {
        assert_eq!(split(s), want, "syllables of {s:?}");
    }

    #[test]
    fn nfc_and_nfd_give_the_same_syllables() {
        let nfc = "Nghị định số 15/2020/NĐ-CP";
        let nfd: String = nfc.nfd().collect();
        assert_ne!(nfc, nfd);
        assert_split(nfc, &["Nghị", "định", "số", "15", "2020", "NĐ", "CP"]);
        let got: Vec<String> = split(&nfd).iter().map(|s| s.nfc().collect()).collect();
        assert_eq!(got, ["Nghị", "định", "số", "15", "2020", "NĐ", "CP"]);
    }

    #[test]
    fn numbers_and_punctuation_separate() {
        assert_split("05-CT/TW", &["05", "CT", "TW"]);
        assert_split("1234/QĐ-TTg", &["1234", "QĐ", "TTg"]);
        assert_split("45/2019/QH14", &["45", "2019", "QH14"]);
        assert_split(
            "23 – QĐ/TW, ngày 30/7/2021;",
            &["23", "QĐ", "TW", "ngày", "30", "7", "2021"],
        );
        assert_split("“Chỉ thị” (khóa XIII)…", &["Chỉ", "thị", "khóa", "XIII"]);
        assert_split("a_b'c\u{a0}d\u{ad}e", &["a", "b", "c", "d", "e"]);
    }

    #[test]
    fn headings_and_other_scripts() {
        assert_split("CHỈ THỊ", &["CHỈ", "THỊ"]);
        assert_split("NGHỊ QUYẾT\r\nvề", &["NGHỊ", "QUYẾT", "về"]);
        assert_split("ÐẢNG ỦY", &["ÐẢNG", "ỦY"]);
        assert_split("m² α-β 北京", &["m²", "α", "β", "北京"]);
    }

    #[test]
    fn orphan_marks_start_nothing() {
        assert_split("", &[]);
        assert_split("  \t", &[]);
        assert_split("\u{301}", &[]);
        assert_split(" \u{301}\u{323}a\u{301} -\u{300}", &["a\u{301}"]);
        // A mark that is Alphabetic (Devanagari vowel sign AA) still only
        // continues a syllable.
        assert_split("\u{93E}क\u{93E}", &["क\u{93E}"]);
    }

    #[test]
    fn general_punctuation_has_no_word_chars() {
        for c in '\u{2000}'..='\u{206F}' {
            assert!(!c.is_alphanumeric() && !is_combining_mark(c), "{c:?}");
        }
    }

    #[test]
    fn offsets_are_byte_ranges() {
        let s = "Đảng ủy";
        let got: Vec<_> = Syllables::new(s).collect();
        assert_eq!(got, [0..7, 8..12]);
    }
}
