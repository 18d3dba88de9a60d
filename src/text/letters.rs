//! The Vietnamese letter tables shared by tone placement and folding.
//!
//! Every precomposed Vietnamese vowel is one of 12 base vowels (a ă â e ê i
//! o ô ơ u ư y) with one of 6 tones (none, huyền, sắc, hỏi, ngã, nặng), in
//! lower or upper case: 144 letters, plus đ/Đ. They live in three Unicode
//! blocks (Latin-1 Supplement, Latin Extended-A/B, Latin Extended
//! Additional), so two small tables indexed by code point give each one's
//! (base, tone, case) in one load. The tables are built at compile time
//! from [`LOWER`] and [`UPPER`] below; the unit tests check every entry
//! against the Unicode decompositions in `unicode-normalization`.
//!
//! Base-vowel names follow Telex spelling: `AW` is ă, `AA` â, `EE` ê,
//! `OO` ô, `OW` ơ, `UW` ư.

/// Base vowel a.
pub(crate) const A: u8 = 0;
/// Base vowel ă.
pub(crate) const AW: u8 = 1;
/// Base vowel â.
pub(crate) const AA: u8 = 2;
/// Base vowel e.
pub(crate) const E: u8 = 3;
/// Base vowel ê.
pub(crate) const EE: u8 = 4;
/// Base vowel i.
pub(crate) const I: u8 = 5;
/// Base vowel o.
pub(crate) const O: u8 = 6;
/// Base vowel ô.
pub(crate) const OO: u8 = 7;
/// Base vowel ơ.
pub(crate) const OW: u8 = 8;
/// Base vowel u.
pub(crate) const U: u8 = 9;
/// Base vowel ư.
pub(crate) const UW: u8 = 10;
/// Base vowel y.
pub(crate) const Y: u8 = 11;
/// The letter đ (also Ð U+00D0 and ð U+00F0, which normalize to it).
pub(crate) const DD: u8 = 12;

/// The ASCII letter each base folds to, indexed by base (vowels, then đ).
pub(crate) const FOLD_BASE: [u8; 13] = *b"aaaeeiooouuyd";

/// Lowercase vowels, `[base][tone]`; tones in the order none, grave
/// (huyền), acute (sắc), hook above (hỏi), tilde (ngã), dot below (nặng).
pub(crate) const LOWER: [[char; 6]; 12] = [
    ['a', 'à', 'á', 'ả', 'ã', 'ạ'],
    ['ă', 'ằ', 'ắ', 'ẳ', 'ẵ', 'ặ'],
    ['â', 'ầ', 'ấ', 'ẩ', 'ẫ', 'ậ'],
    ['e', 'è', 'é', 'ẻ', 'ẽ', 'ẹ'],
    ['ê', 'ề', 'ế', 'ể', 'ễ', 'ệ'],
    ['i', 'ì', 'í', 'ỉ', 'ĩ', 'ị'],
    ['o', 'ò', 'ó', 'ỏ', 'õ', 'ọ'],
    ['ô', 'ồ', 'ố', 'ổ', 'ỗ', 'ộ'],
    ['ơ', 'ờ', 'ớ', 'ở', 'ỡ', 'ợ'],
    ['u', 'ù', 'ú', 'ủ', 'ũ', 'ụ'],
    ['ư', 'ừ', 'ứ', 'ử', 'ữ', 'ự'],
    ['y', 'ỳ', 'ý', 'ỷ', 'ỹ', 'ỵ'],
];

/// Uppercase vowels, laid out as [`LOWER`].
pub(crate) const UPPER: [[char; 6]; 12] = [
    ['A', 'À', 'Á', 'Ả', 'Ã', 'Ạ'],
    ['Ă', 'Ằ', 'Ắ', 'Ẳ', 'Ẵ', 'Ặ'],
    ['Â', 'Ầ', 'Ấ', 'Ẩ', 'Ẫ', 'Ậ'],
    ['E', 'È', 'É', 'Ẻ', 'Ẽ', 'Ẹ'],
    ['Ê', 'Ề', 'Ế', 'Ể', 'Ễ', 'Ệ'],
    ['I', 'Ì', 'Í', 'Ỉ', 'Ĩ', 'Ị'],
    ['O', 'Ò', 'Ó', 'Ỏ', 'Õ', 'Ọ'],
    ['Ô', 'Ồ', 'Ố', 'Ổ', 'Ỗ', 'Ộ'],
    ['Ơ', 'Ờ', 'Ớ', 'Ở', 'Ỡ', 'Ợ'],
    ['U', 'Ù', 'Ú', 'Ủ', 'Ũ', 'Ụ'],
    ['Ư', 'Ừ', 'Ứ', 'Ử', 'Ữ', 'Ự'],
    ['Y', 'Ỳ', 'Ý', 'Ỷ', 'Ỹ', 'Ỵ'],
];

/// A Vietnamese letter from the tables: base (a vowel constant or [`DD`]),
/// tone (0 = none, 1..=5 as in [`LOWER`]) and case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Info {
    pub base: u8,
    pub tone: u8,
    pub upper: bool,
}

// Packed table entry: bit 7 upper case, bits 4..=6 tone, bits 0..=3
// base + 1; 0 means "not a (non-ASCII) Vietnamese letter".
const fn pack(base: u8, tone: u8, upper: bool) -> u8 {
    ((upper as u8) << 7) | (tone << 4) | (base + 1)
}

const LATIN_START: u32 = 0xC0; // À
const LATIN_LEN: usize = 0x1B0 - 0xC0 + 1; // up to ư U+01B0
const VIET_START: u32 = 0x1EA0; // Ạ
const VIET_LEN: usize = 0x1EF9 - 0x1EA0 + 1; // up to ỹ U+1EF9

const fn set<const N: usize>(t: &mut [u8; N], start: u32, c: char, v: u8) {
    let u = c as u32;
    if u >= start && ((u - start) as usize) < N {
        t[(u - start) as usize] = v;
    }
}

const fn build<const N: usize>(start: u32) -> [u8; N] {
    let mut t = [0u8; N];
    let mut base = 0;
    while base < 12 {
        let mut tone = 0;
        while tone < 6 {
            let (b, tn) = (base as u8, tone as u8);
            set(&mut t, start, LOWER[base][tone], pack(b, tn, false));
            set(&mut t, start, UPPER[base][tone], pack(b, tn, true));
            tone += 1;
        }
        base += 1;
    }
    set(&mut t, start, 'đ', pack(DD, 0, false));
    set(&mut t, start, 'Đ', pack(DD, 0, true));
    set(&mut t, start, 'ð', pack(DD, 0, false));
    set(&mut t, start, 'Ð', pack(DD, 0, true));
    t
}

static LATIN: [u8; LATIN_LEN] = build(LATIN_START);
static VIET: [u8; VIET_LEN] = build(VIET_START);

/// The packed entry of a non-ASCII char, 0 if it is not in the tables.
#[inline]
fn packed(c: char) -> u8 {
    let u = c as u32;
    if let Some(&p) = LATIN.get(u.wrapping_sub(LATIN_START) as usize) {
        p
    } else if let Some(&p) = VIET.get(u.wrapping_sub(VIET_START) as usize) {
        p
    } else {
        0
    }
}

/// Base, tone and case of a precomposed non-ASCII Vietnamese letter (the
/// tables hold no ASCII: plain a, e, ... are handled by the callers).
#[inline]
pub(crate) fn info(c: char) -> Option<Info> {
    match packed(c) {
        0 => None,
        p => Some(Info {
            base: (p & 0x0F) - 1,
            tone: (p >> 4) & 0x07,
            upper: p & 0x80 != 0,
        }),
    }
}

/// The ASCII letter `c` folds to, if `c` is in the tables.
#[inline]
pub(crate) fn fold_letter(c: char) -> Option<u8> {
    match packed(c) {
        0 => None,
        p => Some(FOLD_BASE[((p & 0x0F) - 1) as usize]),
    }
}

/// The precomposed letter for `base` ([`DD`] or a vowel) with `tone`.
#[inline]
pub(crate) fn encode(base: u8, tone: u8, upper: bool) -> char {
    let (b, t) = (base as usize, tone as usize);
    match (base, upper) {
        (DD, true) => 'Đ',
        (DD, false) => 'đ',
        (_, true) => UPPER
            .get(b)
            .and_then(|r| r.get(t))
            .copied()
            .unwrap_or('\u{FFFD}'),
        (_, false) => LOWER
            .get(b)
            .and_then(|r| r.get(t))
            .copied()
            .unwrap_or('\u{FFFD}'),
    }
}

/// The char starting at byte `i` of `b`, which must be valid UTF-8 (a
/// `str`'s bytes) with `i` on a char boundary, and its length in bytes.
/// Hand-rolled: `str::chars` on a re-sliced `&str` costs a boundary check
/// per call in the segmenter's inner loop.
#[inline(always)]
pub(crate) fn decode(b: &[u8], i: usize) -> Option<(char, usize)> {
    let b0 = *b.get(i)? as u32;
    let cont = |k: usize| b.get(i + k).map(|&x| (x & 0x3F) as u32);
    let (u, n) = if b0 < 0x80 {
        (b0, 1)
    } else if b0 < 0xE0 {
        (((b0 & 0x1F) << 6) | cont(1)?, 2)
    } else if b0 < 0xF0 {
        (((b0 & 0x0F) << 12) | (cont(1)? << 6) | cont(2)?, 3)
    } else {
        (
            ((b0 & 0x07) << 18) | (cont(1)? << 12) | (cont(2)? << 6) | cont(3)?,
            4,
        )
    };
    Some((char::from_u32(u)?, n))
}

/// Whether a base vowel carries a vowel mark (ă â ê ô ơ ư).
#[inline]
pub(crate) fn has_vowel_mark(base: u8) -> bool {
    matches!(base, AW | AA | EE | OO | OW | UW)
}

/// Whether `c` is a combining diacritic of the Combining Diacritical Marks
/// block (U+0300–U+036F), the block every Vietnamese mark comes from.
#[inline]
pub(crate) fn is_basic_mark(c: char) -> bool {
    ('\u{300}'..='\u{36F}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    /// Combining tone marks in table order (index 0 = no tone).
    const TONE_MARKS: [&str; 6] = ["", "\u{300}", "\u{301}", "\u{309}", "\u{303}", "\u{323}"];
    /// NFD of each base vowel.
    const BASE_NFD: [&str; 12] = [
        "a", "a\u{306}", "a\u{302}", "e", "e\u{302}", "i", "o", "o\u{302}", "o\u{31B}", "u",
        "u\u{31B}", "y",
    ];

    #[test]
    fn tables_match_unicode_decompositions() {
        for base in 0..12u8 {
            for tone in 0..6u8 {
                let lower = LOWER[base as usize][tone as usize];
                let upper = UPPER[base as usize][tone as usize];
                let marks = format!("{}{}", BASE_NFD[base as usize], TONE_MARKS[tone as usize]);
                // NFD puts the dot below (class 220) before the vowel mark.
                let want: String = marks.nfd().collect();
                assert_eq!(
                    lower.to_string().nfd().collect::<String>(),
                    want,
                    "LOWER[{base}][{tone}]"
                );
                assert_eq!(
                    upper.to_lowercase().collect::<String>(),
                    lower.to_string(),
                    "UPPER[{base}][{tone}]"
                );
                assert_eq!(encode(base, tone, false), lower);
                assert_eq!(encode(base, tone, true), upper);
                if !lower.is_ascii() {
                    assert_eq!(
                        info(lower),
                        Some(Info {
                            base,
                            tone,
                            upper: false
                        }),
                        "{lower}"
                    );
                    assert_eq!(
                        info(upper),
                        Some(Info {
                            base,
                            tone,
                            upper: true
                        }),
                        "{upper}"
                    );
                    assert_eq!(fold_letter(upper), Some(FOLD_BASE[base as usize]));
                }
            }
        }
    }

    #[test]
    fn decode_agrees_with_std() {
        let s = "aĐ ỹ\u{301}€𝔸\u{10FFFF}z";
        let got: Vec<(usize, char)> =
            std::iter::successors(Some(0), |&i| decode(s.as_bytes(), i).map(|(_, n)| i + n))
                .filter_map(|i| decode(s.as_bytes(), i).map(|(c, _)| (i, c)))
                .collect();
        assert_eq!(got, s.char_indices().collect::<Vec<_>>());
    }

    #[test]
    fn d_stroke_and_eth() {
        for (c, upper) in [('đ', false), ('Đ', true), ('ð', false), ('Ð', true)] {
            assert_eq!(
                info(c),
                Some(Info {
                    base: DD,
                    tone: 0,
                    upper
                }),
                "{c:?}"
            );
            assert_eq!(fold_letter(c), Some(b'd'));
        }
        assert_eq!(encode(DD, 0, true), 'Đ');
        assert_eq!(encode(DD, 0, false), 'đ');
    }

    #[test]
    fn exactly_the_vietnamese_letters_are_in_the_tables() {
        // 144 vowels without the 24 ASCII ones, plus đ Đ ð Ð.
        let n = (0..=0x1FFFu32)
            .filter_map(char::from_u32)
            .filter(|&c| info(c).is_some())
            .count();
        assert_eq!(n, 144 - 12 + 4);
        for c in [
            'a', 'Z', 'ç', 'ñ', 'ö', 'Ø', 'ß', 'ỻ', 'Ỹ', 'ẞ', '\u{1EFA}', '\u{BF}',
        ] {
            assert_eq!(info(c).is_some(), c == 'Ỹ', "{c:?}");
        }
    }
}
