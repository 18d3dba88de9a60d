//! Vietnamese string normalization: NFC, one tone-placement convention,
//! exact and folded forms, and syllable segmentation with byte offsets.
//!
//! This module knows neither tantivy nor document numbers: `index` combines
//! its syllables with `refs`' number tokens into analyzers. It stops at
//! strings: no I/O, no errors, and no panics on any input.
//!
//! # Forms
//!
//! - [`normalize`]: case preserved; NFC, Ð/ð (U+00D0/U+00F0) → Đ/đ, every
//!   dash variant ([`is_dash`]) → '-', canonical tone placement.
//! - [`exact`]: [`normalize`] then lowercase. The lossless index form.
//! - [`fold`]: every diacritic removed (tone and vowel marks: ă â ê ô ơ ư →
//!   a a e o o u), đ/Đ/Ð/ð → d, lowercase, dashes → '-'. NFC and NFD input
//!   alike. The lossy index form: "bán", "bạn" and "ban" all fold to "ban".
//!
//! ```
//! use vanban::text::{exact, fold, normalize, syllables};
//!
//! assert_eq!(normalize("Tỉnh uỷ Thanh Hoá"), "Tỉnh ủy Thanh Hóa");
//! assert_eq!(exact("UỶ BAN – Ðảng"), "ủy ban - đảng");
//! assert_eq!(fold("Nghị định 15/2020/NĐ-CP"), "nghi dinh 15/2020/nd-cp");
//! let s = "Chỉ thị 05-CT/TW";
//! let words: Vec<&str> = syllables(s).map(|r| &s[r]).collect();
//! assert_eq!(words, ["Chỉ", "thị", "05", "CT", "TW"]);
//! ```
//!
//! # Tone placement
//!
//! Vietnamese text mixes two conventions for the tone mark in open
//! syllables with oa, oe, uy: "hoà"/"hòa", "hoè"/"hòe", "thuỷ"/"thủy",
//! "uỷ"/"ủy". vanban uses **tone on the first vowel of oa/oe/uy in open
//! syllables** ("hòa", "khóa", "khỏe", "thủy", "Tỉnh ủy") and maps the other
//! to it. The rule is applied from syllable structure, not a word list:
//!
//! 1. Parse the syllable into onset, nucleus (1–3 vowels, one of the
//!    Vietnamese vowel clusters) and coda (c ch m n ng nh p t). Onsets are
//!    b c ch d đ g gh h k kh l m n ng ngh nh p ph r s t th tr v x, plus "qu"
//!    (the u belongs to the onset: quý, quả, quyết) and "gi" before another
//!    vowel (the i belongs to the onset: giữa, giải; but gì, gìn).
//! 2. Take the tone off whichever letter carries it, keeping vowel marks.
//! 3. Put it back on: the vowel with a vowel mark (ă â ê ô ơ ư; of ươ the
//!    ơ); else, with a coda, the last vowel (hoàn, toán, huỳnh); else the
//!    middle of three vowels (hoài, khuỷu, xoáy, ngoẹo), the first of two
//!    (hòa, thủy, mùa, của, tía), or the only one.
//!
//! A syllable that does not parse (foreign words, abbreviations, letters
//! mixed with digits or combining marks, two tones, no vowel) is left as
//! it is. Upper and title case work the same way ("HOÀ" → "HÒA", "Thuỷ" →
//! "Thủy"): each letter keeps its own case.
use std::borrow::Cow;
use std::cell::RefCell;
use std::mem;
use std::ops::Range;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

mod fold;
mod letters;
mod structure;
mod syllable;
mod tone;
mod typing;

pub use fold::{fold, fold_into, has_diacritics};
use tone::Case;
pub use typing::{decode_telex, decode_typed, decode_vni, is_syllable};

#[cfg(test)]
mod prop_tests;
#[cfg(test)]
mod real_tests;

/// Whether `c` is in the set [`is_nfc_fast`] accepts.
#[cfg(test)]
fn is_nfc_fast_char(c: char) -> bool {
    c < '\u{300}'
        || ('\u{1EA0}'..='\u{1EF9}').contains(&c)
        || ('\u{2002}'..='\u{206F}').contains(&c)
}

/// Whether every char of `s` is NFC-stable on its own: ASCII, the rest of
/// U+0000–U+02FF, the Vietnamese block U+1EA0–U+1EF9 and the punctuation
/// U+2002–U+206F (quotes, dashes, "…") are all starters with
/// NFC_Quick_Check=Yes (a unit test checks this), so a string of them is
/// NFC without table lookups. Read from the UTF-8 bytes, every byte with
/// the two after it ([`outside_nfc_fast`]), branch free.
fn is_nfc_fast(s: &str) -> bool {
    let b = s.as_bytes();
    let n = b.len();
    if n < 3 {
        // Only chars of one or two bytes fit: those below U+0300.
        return b.iter().all(|&c| c < 0xCC);
    }
    // Each byte with the two after it, in blocks the compiler vectorizes.
    let (lead, x, y) = (&b[..n - 2], &b[1..n - 1], &b[2..]);
    let mut k = 0;
    while k < lead.len() {
        let e = (k + 64).min(lead.len());
        let mut bad = false;
        for ((&a, &x), &y) in lead[k..e].iter().zip(&x[k..e]).zip(&y[k..e]) {
            bad |= outside_nfc_fast(a, x, y);
        }
        if bad {
            return false;
        }
        k = e;
    }
    // The last two bytes: a char starting there has at most two bytes.
    b[n - 2..].iter().all(|&c| c < 0xCC)
}

/// Whether the byte `a` (followed by `x` and `y`) starts a char outside
/// the set of [`is_nfc_fast`]: bytes below 0xCC are ASCII, continuation
/// bytes or the lead of a char below U+0300; of the others, only
/// U+1EA0..U+1EF9 (E1 BA A0..E1 BB B9) and U+2002..U+206F (E2 80 82..E2
/// 81 AF) are in. Branch free.
#[inline(always)]
fn outside_nfc_fast(a: u8, x: u8, y: u8) -> bool {
    let vietnamese = (a == 0xE1) & (((x == 0xBA) & (y >= 0xA0)) | ((x == 0xBB) & (y <= 0xB9)));
    let punctuation = (a == 0xE2) & (((x == 0x80) & (y >= 0x82)) | ((x == 0x81) & (y <= 0xAF)));
    (a >= 0xCC) & !(vietnamese | punctuation)
}

/// Whether `s` is certainly NFC without composing it.
pub(crate) fn is_nfc_already(s: &str) -> bool {
    is_nfc_fast(s) || is_nfc_quick(s.chars()) == IsNormalized::Yes
}

/// The string in Unicode NFC (borrowed when it already is).
pub fn nfc(s: &str) -> Cow<'_, str> {
    if is_nfc_already(s) {
        return Cow::Borrowed(s);
    }
    let n: String = s.nfc().collect();
    if n == s {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(n)
    }
}

/// Runs `f` on this thread's scratch string (cleared), so that
/// [`exact_into`] allocates nothing beyond growing its output even for NFD
/// input. A scratch grown past 64 KiB is given back afterwards.
fn with_scratch<R>(f: impl FnOnce(&mut String) -> R) -> R {
    thread_local! {
        static SCRATCH: RefCell<String> = const { RefCell::new(String::new()) };
    }
    // Take the buffer out (leaving an empty, unallocated String), use it,
    // put it back: no borrow is held while `f` runs.
    let take = |c: &RefCell<String>| c.try_borrow_mut().map(|mut b| mem::take(&mut *b));
    let mut buf = SCRATCH
        .try_with(take)
        .ok()
        .and_then(Result::ok)
        .unwrap_or_default();
    buf.clear();
    let r = f(&mut buf);
    if buf.capacity() <= 64 * 1024 {
        let _ = SCRATCH.try_with(|c| c.try_borrow_mut().map(|mut b| *b = buf));
    }
    r
}

/// Whether `c` is one of the dash variants that normalize to '-': the
/// hyphen-minus, U+2010–U+2015 (hyphen, non-breaking hyphen, figure dash,
/// en dash, em dash, horizontal bar), the minus sign and the small and
/// fullwidth hyphen-minus. [`DASH_CLASS`] is the same set as a regex
/// class, for the number grammar.
pub fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' | '﹣' | '－'
    )
}

/// The dash variants of [`is_dash`] as a `regex` character class.
pub const DASH_CLASS: &str = r"[\-\u{2010}-\u{2015}\u{2212}\u{fe63}\u{ff0d}]";

/// Whole-string normalization with case preserved: NFC, Ð (U+00D0) → Đ,
/// every dash variant → '-', canonical tone placement in each syllable.
pub fn normalize(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        return Cow::Borrowed(s);
    }
    let src = nfc(s);
    let Some((head, tail)) = first_change(&src).and_then(|at| src.split_at_checked(at)) else {
        return src;
    };
    let mut out = String::with_capacity(src.len());
    out.push_str(head);
    let _ = write_normalized(tail, Case::Keep, &mut out);
    Cow::Owned(out)
}

/// Start of the first segment (syllable or the gap before it) that
/// [`write_normalized`] with [`Case::Keep`] would change.
fn first_change(src: &str) -> Option<usize> {
    let mut last = 0;
    for r in syllables(src) {
        if gap_changes(src.get(last..r.start)?) {
            return Some(last);
        }
        if tone::changes(src.get(r.clone())?) {
            return Some(r.start);
        }
        last = r.end;
    }
    gap_changes(src.get(last..)?).then_some(last)
}

fn gap_changes(gap: &str) -> bool {
    !gap.is_ascii() && gap.chars().any(|c| c != '-' && is_dash(c))
}

/// Writes the normalized form of NFC `src`: syllables through
/// [`tone::write_syllable`], separators with dashes mapped. Returns whether
/// a char outside ASCII and the Vietnamese letters was lowercased.
fn write_normalized(src: &str, case: Case, out: &mut String) -> bool {
    let mut last = 0;
    let mut exotic = false;
    for r in syllables(src) {
        exotic |= write_gap(src.get(last..r.start).unwrap_or_default(), case, out);
        exotic |= tone::write_syllable(src.get(r.clone()).unwrap_or_default(), case, out);
        last = r.end;
    }
    exotic | write_gap(src.get(last..).unwrap_or_default(), case, out)
}

fn write_gap(gap: &str, case: Case, out: &mut String) -> bool {
    let mut exotic = false;
    for c in gap.chars() {
        if c.is_ascii() {
            out.push(if case == Case::Lower {
                c.to_ascii_lowercase()
            } else {
                c
            });
        } else if is_dash(c) {
            out.push('-');
        } else if case == Case::Lower {
            exotic |= tone::push_lowercase(c, out);
        } else {
            out.push(c);
        }
    }
    exotic
}

/// The exact form of a token: [`normalize`] then lowercase.
pub fn exact(s: &str) -> Cow<'_, str> {
    if !s.bytes().any(|b| b >= 0x80 || b.is_ascii_uppercase()) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    exact_into(s, &mut out);
    if out == s {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(out)
    }
}

/// Appends the exact form of `s` to `out`.
pub fn exact_into(s: &str, out: &mut String) {
    if s.is_ascii() {
        let at = out.len();
        out.push_str(s);
        if let Some(pushed) = out.get_mut(at..) {
            pushed.make_ascii_lowercase();
        }
        return;
    }
    // The common case: one syllable of letters, NFC by construction.
    if tone::write_letters_only(s, Case::Lower, out) {
        return;
    }
    let at = out.len();
    let exotic = if is_nfc_already(s) {
        write_normalized(s, Case::Lower, out)
    } else {
        with_scratch(|buf| {
            buf.extend(s.nfc());
            write_normalized(buf, Case::Lower, out)
        })
    };
    // Lowercasing beyond Vietnamese letters can break NFC: "İ\u{316}"
    // lowercases to "i\u{307}\u{316}", marks out of canonical order.
    if exotic && out.get(at..).is_some_and(|t| !is_nfc_already(t)) {
        with_scratch(|buf| {
            buf.extend(out.get(at..).unwrap_or_default().nfc());
            out.truncate(at);
            out.push_str(buf);
        });
    }
}

/// Byte ranges of the syllables of `s`, in order: maximal runs of
/// alphanumeric characters together with their combining marks.
pub fn syllables(s: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    syllable::Syllables::new(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::char::canonical_combining_class;

    #[test]
    fn nfc_borrows_and_composes() {
        assert!(matches!(nfc("Nghị định"), Cow::Borrowed(_)));
        assert!(matches!(nfc("ascii"), Cow::Borrowed(_)));
        assert!(matches!(nfc("“Ω” 北京"), Cow::Borrowed(_)));
        let nfd: String = "Nghị định".nfd().collect();
        assert_eq!(nfc(&nfd), "Nghị định");
        assert_eq!(nfc("Vie\u{302}\u{323}t"), "Việt");
        assert_eq!(nfc("ê\u{301}"), "ế");
    }

    #[test]
    fn nfc_fast_set_is_sound() {
        let mut n = 0;
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let mut buf = [0u8; 4];
            let one: &str = c.encode_utf8(&mut buf);
            // The byte reading accepts exactly the set, alone and after
            // ASCII (the eight-byte steps).
            assert_eq!(is_nfc_fast(one), is_nfc_fast_char(c), "{c:?}");
            assert_eq!(
                is_nfc_fast(&format!("abcdefg{c}xy")),
                is_nfc_fast_char(c),
                "{c:?}"
            );
            for s in [format!("ạb{c}"), format!("{c}{c}“")] {
                assert_eq!(is_nfc_fast(&s), is_nfc_fast_char(c), "{s:?}");
            }
            if is_nfc_fast_char(c) {
                assert_eq!(canonical_combining_class(c), 0, "{c:?}");
                assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "{c:?}");
                n += 1;
            }
        }
        assert!(n > 900, "{n}");
        assert!(is_nfc_fast("Nghị định “số” 15 – 2020…"));
        assert!(!is_nfc_fast("Nghi\u{323}"));
        assert!(!is_nfc_fast("\u{2000}"));
        assert!(is_nfc_fast(""));
    }

    #[test]
    fn dashes() {
        for c in "-‐‑‒–—−﹣－".chars() {
            assert!(is_dash(c), "{c:?}");
        }
        for c in "_~/\u{ad}=".chars() {
            assert!(!is_dash(c), "{c:?}");
        }
    }

    #[test]
    fn normalize_whole_strings() {
        assert_eq!(
            normalize("UỶ BAN NHÂN DÂN TỈNH THANH HOÁ"),
            "ỦY BAN NHÂN DÂN TỈNH THANH HÓA"
        );
        assert_eq!(normalize("Ðảng uỷ – Thuỷ lợi"), "Đảng ủy - Thủy lợi");
        assert_eq!(normalize("Số 23 — QĐ/TW"), "Số 23 - QĐ/TW");
        let nfd: String = "Tỉnh uỷ Hoà Bình".nfd().collect();
        assert_eq!(normalize(&nfd), "Tỉnh ủy Hòa Bình");
        assert_eq!(normalize("café hoà1 Zoë"), "café hoà1 Zoë");
    }

    #[test]
    fn normalize_borrows_when_nothing_changes() {
        for s in [
            "CHỈ THỊ",
            "NGHỊ QUYẾT",
            "05-CT/TW",
            "1234/QĐ-TTg",
            "Tỉnh ủy Thanh Hóa",
            "“café”",
            "",
        ] {
            assert!(matches!(normalize(s), Cow::Borrowed(_)), "{s:?}");
            assert_eq!(normalize(s), s);
        }
    }

    #[test]
    fn exact_forms() {
        assert_eq!(exact("CHỈ THỊ"), "chỉ thị");
        assert_eq!(exact("NGHỊ QUYẾT"), "nghị quyết");
        assert_eq!(exact("Ðảng Uỷ"), "đảng ủy");
        assert_eq!(exact("THUỶ"), "thủy");
        assert_eq!(exact("1234/QĐ–TTg"), "1234/qđ-ttg");
        assert_eq!(exact("45/2019/QH14"), "45/2019/qh14");
        let nfd: String = "Khoẻ".nfd().collect();
        assert_eq!(exact(&nfd), "khỏe");
        assert!(matches!(exact("nghị định"), Cow::Borrowed(_)));
        assert!(matches!(exact("05-ct/tw"), Cow::Borrowed(_)));
        assert!(matches!(exact("05-CT/TW"), Cow::Owned(_)));
    }

    #[test]
    fn exact_into_appends() {
        let mut out = String::from("x ");
        exact_into("HOÀ", &mut out);
        exact_into(" QH14", &mut out);
        assert_eq!(out, "x hòa qh14");
    }

    #[test]
    fn exact_and_fold_of_old_and_new_placement_agree() {
        for (old, new) in [
            ("hoà", "hòa"),
            ("thuỷ", "thủy"),
            ("uỷ", "ủy"),
            ("khoẻ", "khỏe"),
        ] {
            assert_eq!(exact(old), exact(new));
            assert_eq!(fold(old), fold(new));
            assert_ne!(exact(old), fold(old));
        }
    }

    #[test]
    fn the_dash_class_is_the_dash_set() {
        let class = regex::Regex::new(&format!("^{DASH_CLASS}$")).unwrap();
        for c in (0u32..0x3_0000).filter_map(char::from_u32) {
            let mut b = [0u8; 4];
            assert_eq!(class.is_match(c.encode_utf8(&mut b)), is_dash(c), "{c:?}");
        }
        assert_eq!(fold("25 ― NQ/TW"), "25 - nq/tw");
    }
}
