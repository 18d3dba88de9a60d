//! Property tests over arbitrary strings (with a bias towards Vietnamese
//! letters, combining marks and dashes), plus exhaustive single-char checks.
use std::borrow::Cow;

use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::letters::{LOWER, UPPER};
use super::syllable::is_syllable_start;
use super::*;

/// Punctuation, digits and the odd letters that matter here.
const OTHERS: &[char] = &[
    ' ', ' ', '\n', '-', '–', '—', '－', '/', '.', ',', '(', '"', '“', '1', '4', 'Ð', 'ð', 'đ',
    'Đ', 'q', 'g', 'n', 'h', 'c', 't', 'ß', 'İ', 'Σ', 'ǅ', '\u{ad}', '\u{200b}', '\u{93E}',
];

fn vi_letter() -> impl Strategy<Value = char> {
    (0..12usize, 0..6usize, any::<bool>())
        .prop_map(|(b, t, up)| if up { UPPER[b][t] } else { LOWER[b][t] })
}

fn any_char() -> impl Strategy<Value = char> {
    prop_oneof![
        5 => vi_letter(),
        3 => proptest::char::range('a', 'z'),
        2 => proptest::char::range('\u{300}', '\u{36F}'),
        2 => proptest::sample::select(OTHERS),
        2 => any::<char>(),
    ]
}

fn text(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(any_char(), 0..max).prop_map(|v| v.into_iter().collect())
}

/// Strings shaped like Vietnamese syllables: onset + nucleus + coda with a
/// tone on a random vowel, in NFC or NFD, lower or upper case.
fn syllable_like() -> impl Strategy<Value = String> {
    let onsets = [
        "", "b", "ch", "đ", "g", "gi", "kh", "ngh", "nh", "qu", "th", "tr", "Ð",
    ];
    let nuclei = [
        "a", "ă", "ê", "i", "y", "oa", "oe", "uy", "ua", "ia", "ưa", "ươ", "uô", "iê", "yê", "uơ",
        "oă", "uâ", "ai", "ay", "oai", "oay", "uyu", "uya", "oeo", "ươi", "uôi", "iêu", "uyê",
    ];
    let codas = ["", "", "c", "ch", "m", "n", "ng", "nh", "p", "t", "s"];
    let tones = ["", "\u{300}", "\u{301}", "\u{309}", "\u{303}", "\u{323}"];
    (
        proptest::sample::select(onsets.to_vec()),
        proptest::sample::select(nuclei.to_vec()),
        proptest::sample::select(codas.to_vec()),
        proptest::sample::select(tones.to_vec()),
        0..3usize,
        0..3u8,
    )
        .prop_map(|(on, nu, co, tone, at, style)| {
            let mut s = String::from(on);
            for (i, v) in nu.chars().enumerate() {
                s.push(v);
                if i == at.min(nu.chars().count() - 1) {
                    s.push_str(tone);
                }
            }
            s.push_str(co);
            match style {
                0 => s.nfc().collect(),
                1 => s.nfd().collect(),
                _ => s.nfc().flat_map(char::to_uppercase).collect(),
            }
        })
}

fn check_all(s: &str) -> Result<(), TestCaseError> {
    let f = fold(s);
    prop_assert!(
        !f.chars().any(is_combining_mark),
        "fold({s:?}) = {f:?} has marks"
    );
    prop_assert_eq!(fold(&f), f.clone(), "fold not idempotent on {:?}", s);
    prop_assert!(
        !has_diacritics(&f),
        "fold({s:?}) = {f:?} still has diacritics"
    );
    let e = exact(s);
    prop_assert_eq!(exact(&e), e.clone(), "exact not idempotent on {:?}", s);
    prop_assert_eq!(fold(&e), f.clone(), "fold(exact(s)) != fold(s) for {:?}", s);
    let n = normalize(s);
    prop_assert_eq!(fold(&n), f.clone(), "normalize changed the fold of {:?}", s);
    prop_assert_eq!(
        normalize(&n),
        n.clone(),
        "normalize not idempotent on {:?}",
        s
    );
    prop_assert_eq!(
        exact(&n),
        e.clone(),
        "exact(normalize(s)) != exact(s) for {:?}",
        s
    );
    let want_diacritics = s
        .nfd()
        .any(|c| is_combining_mark(c) || matches!(c, 'đ' | 'Đ' | 'ð' | 'Ð'));
    prop_assert_eq!(
        has_diacritics(s),
        want_diacritics,
        "has_diacritics({:?})",
        s
    );
    for (name, cow) in [("fold", &f), ("exact", &e), ("normalize", &n)] {
        let borrowed = matches!(cow, Cow::Borrowed(_));
        prop_assert_eq!(
            borrowed,
            cow.as_ref() == s,
            "{} of {:?} borrowed={}",
            name,
            s,
            borrowed
        );
    }
    let (mut fi, mut ei) = (String::from("#"), String::from("#"));
    fold_into(s, &mut fi);
    exact_into(s, &mut ei);
    prop_assert_eq!(&fi[1..], f.as_ref());
    prop_assert_eq!(&ei[1..], e.as_ref());
    check_syllables(s)
}

fn check_syllables(s: &str) -> Result<(), TestCaseError> {
    let mut last = 0;
    for r in syllables(s) {
        prop_assert!(
            r.start >= last && r.start < r.end,
            "bad range {r:?} after {last} in {s:?}"
        );
        prop_assert!(
            s.is_char_boundary(r.start) && s.is_char_boundary(r.end),
            "{r:?} in {s:?}"
        );
        let gap = &s[last..r.start];
        prop_assert!(
            !gap.chars().any(is_syllable_start),
            "gap {gap:?} holds a syllable in {s:?}"
        );
        last = r.end;
    }
    prop_assert!(
        !s[last..].chars().any(is_syllable_start),
        "tail of {s:?} holds a syllable"
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn short_strings(s in text(24)) {
        check_all(&s)?;
    }

    #[test]
    fn any_unicode(s in any::<String>()) {
        check_all(&s)?;
    }

    #[test]
    fn syllable_shaped(s in syllable_like(), t in syllable_like()) {
        check_all(&s)?;
        let two = format!("{s} {t}");
        check_all(&two)?;
        // The canonical form in NFC and NFD is the same syllable.
        let nfd: String = s.nfd().collect();
        prop_assert_eq!(exact(&nfd), exact(&s));
        prop_assert_eq!(normalize(&nfd), normalize(&s));
    }
}

proptest! {
    // Long inputs are slow in debug builds; fewer cases cover them.
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn long_strings(s in text(2000)) {
        check_all(&s)?;
    }
}

#[test]
fn every_char_alone() {
    let mut s = String::new();
    for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
        s.clear();
        s.push(c);
        let f = fold(&s);
        assert!(!f.chars().any(is_combining_mark), "fold({c:?}) = {f:?}");
        assert_eq!(fold(&f), f, "fold not idempotent on {c:?}");
        let e = exact(&s);
        assert_eq!(exact(&e), e, "exact not idempotent on {c:?}");
        assert_eq!(fold(&e), f, "fold(exact) != fold on {c:?}");
        if is_syllable_start(c) {
            assert!(!f.is_empty(), "syllable char {c:?} folds to nothing");
        }
    }
}

/// Found by `short_strings`: a capital with a combining mark that has no
/// precomposed capital form but a precomposed small one (J + caron → ǰ).
#[test]
fn capital_without_precomposed_form() {
    for s in ["J\u{30c}", "j\u{30c}", "\u{1f0}", "J\u{30c} Ằ"] {
        check_all(s).unwrap();
    }
}
