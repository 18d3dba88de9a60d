//! Vietnamese syllable structure: a syllable's letters split into onset,
//! nucleus and coda, and the letter its tone belongs on (see the module
//! docs of [`crate::text`] for the rule). Only structure: moving the tone
//! and writing the result is [`super::tone`]'s job.
use super::letters::{self, A, AA, AW, DD, E, EE, I, O, OO, OW, U, UW, Y};

/// One letter of a syllable. `kind` is a base vowel (`A`..=`Y`), `DD` for
/// đ, or the lowercase ASCII byte of a consonant (b'b', b'c', ...).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Letter {
    pub kind: u8,
    pub tone: u8,
    pub upper: bool,
}

#[inline]
pub(crate) fn is_vowel(kind: u8) -> bool {
    kind <= Y
}

/// Letter kind of each ASCII byte (`NOT_LETTER` for the rest).
static ASCII_KIND: [u8; 128] = {
    let mut t = [NOT_LETTER; 128];
    let mut b = 0u8;
    while b < 128 {
        let lower = b.to_ascii_lowercase();
        if lower.is_ascii_lowercase() {
            t[b as usize] = match lower {
                b'a' => A,
                b'e' => E,
                b'i' => I,
                b'o' => O,
                b'u' => U,
                b'y' => Y,
                other => other,
            };
        }
        b += 1;
    }
    t
};
const NOT_LETTER: u8 = 0xFF;

#[inline]
pub(crate) fn letter(c: char) -> Option<Letter> {
    if c.is_ascii() {
        return match ASCII_KIND[c as usize] {
            NOT_LETTER => None,
            kind => Some(Letter {
                kind,
                tone: 0,
                upper: c.is_ascii_uppercase(),
            }),
        };
    }
    letters::info(c).map(|i| Letter {
        kind: i.base,
        tone: i.tone,
        upper: i.upper,
    })
}

/// Initial consonants (apart from "qu" and "gi", handled in [`target`]).
fn onset_ok(onset: &[u8]) -> bool {
    matches!(
        onset,
        [] | [b'b' | b'c' | b'd' | DD | b'g' | b'h' | b'k' | b'l' | b'm' | b'n' | b'p']
            | [b'r' | b's' | b't' | b'v' | b'x']
            | [b'c', b'h']
            | [b'g', b'h']
            | [b'k', b'h']
            | [b'n', b'g']
            | [b'n', b'h']
            | [b'p', b'h']
            | [b't', b'h']
            | [b't', b'r']
            | [b'n', b'g', b'h']
    )
}

/// Final consonants.
fn coda_ok(coda: &[u8]) -> bool {
    matches!(
        coda,
        [] | [b'c' | b'm' | b'n' | b'p' | b't'] | [b'c', b'h'] | [b'n', b'g'] | [b'n', b'h']
    )
}

/// Vowel clusters of Vietnamese (after the onset, "qu"/"gi" included in
/// it), toneless.
fn nucleus_ok(nucleus: &[u8]) -> bool {
    matches!(
        nucleus,
        [_] | [A, I | O | U | Y]
            | [AA, U | Y]
            | [E, O]
            | [EE, U]
            | [I, A | EE | U]
            | [O, A | AW | E | I | O]
            | [OO | OW, I]
            | [U, A | AA | EE | I | OO | OW | Y]
            | [UW, A | I | U | OW]
            | [Y, EE]
            | [I | Y, EE, U]
            | [O, A, I | O | Y]
            | [O, E, O]
            | [U, AA, Y]
            | [U, OO, I]
            | [U, Y, A | EE | U]
            | [UW, OW, I | U]
    )
}

/// Nuclei that can stand before a final consonant: those ending in a
/// glide (ai, ao, au, ay, âu, ây, eo, êu, ia, iu, oi, ua, ưa, ...) cannot.
fn takes_coda(nucleus: &[u8]) -> bool {
    matches!(
        nucleus,
        [_] | [I | Y, EE] | [O, A | AW | E | O] | [U, AA | EE | OO | Y] | [UW, OW] | [U, Y, EE]
    )
}

/// Index of the letter that should carry the tone, or `None` if `ls` is not
/// a plausible Vietnamese syllable.
pub(crate) fn target(ls: &[Letter]) -> Option<usize> {
    let first_vowel = ls.iter().position(|l| is_vowel(l.kind))?;
    let mut onset = [0u8; 3];
    for (slot, l) in onset.iter_mut().zip(ls.get(..first_vowel)?) {
        *slot = l.kind;
    }
    let onset = onset.get(..first_vowel)?;
    let kind_at = |i: usize| ls.get(i).map(|l| l.kind);
    let start = match onset {
        // "qu": the u belongs to the onset (quý, quả, quyết, quốc).
        [b'q'] if kind_at(first_vowel) == Some(U) => first_vowel + 1,
        [b'q'] => return None,
        // "gi" + vowel: the i belongs to the onset (giữa, giải); gì, gìn
        // keep i as nucleus.
        [b'g']
            if kind_at(first_vowel) == Some(I)
                && kind_at(first_vowel + 1).is_some_and(is_vowel) =>
        {
            first_vowel + 1
        }
        o if onset_ok(o) => first_vowel,
        _ => return None,
    };
    let rest = ls.get(start..)?;
    let len = rest
        .iter()
        .position(|l| !is_vowel(l.kind))
        .unwrap_or(rest.len());
    let nucleus = rest.get(..len)?;
    let mut kinds = [0u8; 3];
    for (slot, l) in kinds.iter_mut().zip(nucleus) {
        *slot = l.kind;
    }
    if nucleus.is_empty() || !nucleus_ok(kinds.get(..len)?) {
        return None;
    }
    let coda = rest.get(len..)?;
    let mut coda_kinds = [0u8; 2];
    if coda.len() > coda_kinds.len() {
        return None;
    }
    for (slot, l) in coda_kinds.iter_mut().zip(coda) {
        *slot = l.kind;
    }
    if !coda_ok(coda_kinds.get(..coda.len())?)
        || (!coda.is_empty() && !takes_coda(kinds.get(..len)?))
    {
        return None;
    }
    // The rule: a vowel with a vowel mark takes the tone (the second of ươ);
    // else with a coda the last vowel; else the middle of three vowels, the
    // first of two, the only one.
    let at = if let Some(k) = nucleus
        .iter()
        .rposition(|l| letters::has_vowel_mark(l.kind))
    {
        k
    } else if !coda.is_empty() || len == 1 {
        len - 1
    } else if len == 3 {
        1
    } else {
        0
    };
    Some(start + at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letters_of(s: &str) -> Vec<Letter> {
        s.chars()
            .map(|c| letter(c).unwrap_or_else(|| panic!("{c:?} is no letter")))
            .collect()
    }

    /// `want` marks the letter that takes the tone with '^' under it, or
    /// is empty when `syl` is not a plausible syllable.
    #[track_caller]
    fn assert_target(syl: &str, want: &str) {
        let got = target(&letters_of(syl));
        let want = want.find('^').map(|i| want[..i].chars().count());
        assert_eq!(got, want, "tone position in {syl:?}");
    }

    #[test]
    fn onsets_nuclei_codas() {
        assert_target("quy", "  ^");
        assert_target("qua", "  ^");
        assert_target("quyêt", "   ^");
        assert_target("gia", "  ^");
        assert_target("giưa", "  ^");
        assert_target("gin", " ^");
        assert_target("gi", " ^");
        assert_target("nghiêng", "    ^");
        assert_target("hoa", " ^");
        assert_target("hoan", "  ^");
        assert_target("hoai", "  ^");
        assert_target("ươi", " ^");
        assert_target("uy", "^");
        assert_target("đươc", "  ^");
        assert_target("khuyu", "   ^");
        assert_target("khuyên", "    ^");
        assert_target("xoong", "  ^");
        assert_target("huênh", "  ^");
        assert_target("thuân", "   ^");
    }

    #[test]
    fn implausible_syllables() {
        for syl in [
            "q", "qa", "kr", "krông", "đăk", "hoaoa", "aim", "ngh", "fa", "chs", "uyêuu", "bm",
        ] {
            assert_target(syl, "");
        }
    }
}
