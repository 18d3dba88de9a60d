//! Vietnamese string normalization: NFC, one tone-placement convention,
//! exact and folded forms, and syllable segmentation with byte offsets.
//!
//! This module knows neither tantivy nor document numbers: `index` combines
//! its syllables with `refs`' number tokens into analyzers.
//!
//! STUB: the real implementation replaces these bodies; the signatures are
//! the contract used by `refs`, `index` and `search`.
use std::borrow::Cow;
use std::ops::Range;

/// The string in Unicode NFC (borrowed when it already is).
pub fn nfc(s: &str) -> Cow<'_, str> {
    Cow::Borrowed(s)
}

/// Whether `c` is one of the dash variants that normalize to '-'.
pub fn is_dash(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑' | '‒' | '–' | '—' | '−' | '﹣' | '－')
}

/// Whole-string normalization with case preserved: NFC, Ð (U+00D0) → Đ,
/// every dash variant → '-', canonical tone placement in each syllable.
pub fn normalize(s: &str) -> Cow<'_, str> {
    Cow::Borrowed(s)
}

/// The exact form of a token: [`normalize`] then lowercase.
pub fn exact(s: &str) -> Cow<'_, str> {
    Cow::Owned(s.to_lowercase())
}

/// Appends the exact form of `s` to `out`.
pub fn exact_into(s: &str, out: &mut String) {
    out.push_str(&exact(s));
}

/// The folded form: no diacritics, đ/Đ/Ð → d, lowercase, dashes → '-'.
pub fn fold(s: &str) -> Cow<'_, str> {
    Cow::Owned(s.to_lowercase())
}

/// Appends the folded form of `s` to `out`.
pub fn fold_into(s: &str, out: &mut String) {
    out.push_str(&fold(s));
}

/// Whether `s` carries any Vietnamese diacritic (tone or vowel mark, or đ).
pub fn has_diacritics(s: &str) -> bool {
    !s.is_ascii()
}

/// Byte ranges of the syllables of `s`, in order: maximal runs of
/// alphanumeric characters together with their combining marks.
pub fn syllables(s: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let _ = s;
    std::iter::empty()
}
