//! Words typed with the Vietnamese input method switched off: Telex
//! ("nghij" → "nghị", "ddaats" → "đất", "dduowcj" → "được") and VNI
//! ("nghi5" → "nghị", "quye61t" → "quyết"), decoded one word at a time,
//! plus [`is_syllable`], the check that a word is a plausible Vietnamese
//! syllable as it stands.
//!
//! Where it stops: this file decodes a single word and says whether the
//! result is a valid syllable. Whether a *query* was typed that way (most
//! of its words decode, at least one is not already a syllable, no English)
//! is decided by `search`, which knows the whole query (issue 11).
use super::letters::{self, A, AA, AW, DD, E, EE, O, OO, OW, U, UW};
use super::structure::{Letter, is_vowel, letter, target};

/// Longest word considered ("nghieengx" has 9 keys).
const MAX_KEYS: usize = 12;

/// Whether `w` is one plausible Vietnamese syllable as written: letters
/// only (with or without diacritics), at most one tone, a valid onset,
/// vowel cluster and final consonant ("tran", "quyết", "nghi"; not "as",
/// "cos", "ddai", "nghij").
pub fn is_syllable(w: &str) -> bool {
    let mut ls: Vec<Letter> = Vec::with_capacity(w.len());
    for c in w.chars() {
        match letter(c) {
            Some(l) => ls.push(l),
            None => return false,
        }
    }
    if ls.is_empty() || ls.len() > 8 {
        return false;
    }
    ls.iter().filter(|l| l.tone != 0).count() <= 1 && target(&ls).is_some()
}

/// Writes letters, putting `tone` on the letter the placement rule names;
/// `None` when they are not a valid syllable.
fn write(ls: &mut [Letter], tone: u8) -> Option<String> {
    if ls.len() > 8 {
        return None;
    }
    let at = target(ls)?;
    if let Some(l) = ls.get_mut(at) {
        l.tone = tone;
    }
    let mut out = String::with_capacity(ls.len() * 2);
    for l in ls.iter() {
        out.push(match l.kind {
            k if is_vowel(k) || k == DD => letters::encode(k, l.tone, l.upper),
            b if l.upper => b.to_ascii_uppercase() as char,
            b => b as char,
        });
    }
    Some(out)
}

/// The plain ASCII letter for a byte, as a [`Letter`].
fn plain(c: char) -> Option<Letter> {
    if !c.is_ascii_alphabetic() {
        return None;
    }
    letter(c)
}

/// Adds the horn (ư, ơ) to the last u/o, and to both of a "uo" pair;
/// the breve to a last a. False when there is nothing to mark.
fn horn_or_breve(ls: &mut [Letter]) -> bool {
    let Some(i) = ls.iter().rposition(|l| is_vowel(l.kind)) else {
        return false;
    };
    match ls[i].kind {
        O if i > 0 && ls[i - 1].kind == U => {
            ls[i - 1].kind = UW;
            ls[i].kind = OW;
        }
        O => ls[i].kind = OW,
        U => ls[i].kind = UW,
        A => ls[i].kind = AW,
        // "uwo" + w, "ưo": the o of ươ.
        _ => {
            let Some(j) = ls.iter().rposition(|l| matches!(l.kind, O | U | A)) else {
                return false;
            };
            ls[j].kind = match ls[j].kind {
                O => OW,
                U => UW,
                _ => AW,
            };
        }
    }
    true
}

/// Telex tone keys: f huyền, s sắc, r hỏi, x ngã, j nặng (the order of
/// the letter tables).
fn telex_tone(c: char) -> Option<u8> {
    match c {
        'f' => Some(1),
        's' => Some(2),
        'r' => Some(3),
        'x' => Some(4),
        'j' => Some(5),
        _ => None,
    }
}

/// A word typed in Telex with the input method off, decoded: "nghij" →
/// "nghị", "ddaats" → "đất", "dduowcj" → "được", "tuw" → "tư". `None`
/// when no key was a Telex key or the result is not a valid syllable.
///
/// ```
/// use vanban::text::decode_telex;
/// assert_eq!(decode_telex("quyeets").as_deref(), Some("quyết"));
/// assert_eq!(decode_telex("ddaats").as_deref(), Some("đất"));
/// assert_eq!(decode_telex("tran"), None); // nothing to decode
/// ```
pub fn decode_telex(w: &str) -> Option<String> {
    if w.is_empty() || w.chars().count() > MAX_KEYS || !w.is_ascii() {
        return None;
    }
    let mut ls: Vec<Letter> = Vec::with_capacity(w.len());
    let mut tone = 0u8;
    let mut changed = false;
    for c in w.chars() {
        let lower = c.to_ascii_lowercase();
        let has_vowel = ls.iter().any(|l| is_vowel(l.kind));
        let last = ls.last().map(|l| l.kind);
        match lower {
            'd' if ls.len() == 1 && last == Some(b'd') => {
                ls[0].kind = DD;
                changed = true;
            }
            'a' | 'e' | 'o' if last.is_some_and(|k| k == plain_kind(lower)) => {
                let l = ls.last_mut()?;
                l.kind = match lower {
                    'a' => AA,
                    'e' => EE,
                    _ => OO,
                };
                changed = true;
            }
            'w' => {
                if !has_vowel {
                    // "w" alone is ư: "tw" → "tư", "nhw" → "như".
                    ls.push(Letter {
                        kind: UW,
                        tone: 0,
                        upper: c.is_ascii_uppercase(),
                    });
                } else if !horn_or_breve(&mut ls) {
                    return None;
                }
                changed = true;
            }
            _ if has_vowel && telex_tone(lower).is_some() => {
                if tone != 0 {
                    return None;
                }
                tone = telex_tone(lower)?;
                changed = true;
            }
            _ => ls.push(plain(c)?),
        }
    }
    if !changed {
        return None;
    }
    write(&mut ls, tone)
}

fn plain_kind(c: char) -> u8 {
    letter(c).map_or(0xFF, |l| l.kind)
}

/// A word typed in VNI with the input method off, decoded: "nghi5" →
/// "nghị", "quye61t" → "quyết", "d9a61t" → "đất". Digits 1–5 are the
/// tones (sắc, huyền, hỏi, ngã, nặng), 6 the circumflex, 7 the horn,
/// 8 the breve, 9 the stroke of đ. `None` without such a digit or when
/// the result is not a valid syllable.
///
/// ```
/// use vanban::text::decode_vni;
/// assert_eq!(decode_vni("quye61t").as_deref(), Some("quyết"));
/// assert_eq!(decode_vni("2021"), None);
/// ```
pub fn decode_vni(w: &str) -> Option<String> {
    if w.is_empty() || w.chars().count() > MAX_KEYS || !w.is_ascii() {
        return None;
    }
    if !w.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut ls: Vec<Letter> = Vec::with_capacity(w.len());
    let mut tone = 0u8;
    let mut changed = false;
    for c in w.chars() {
        let has_vowel = ls.iter().any(|l| is_vowel(l.kind));
        match c {
            '1'..='5' if has_vowel => {
                if tone != 0 {
                    return None;
                }
                tone = match c {
                    '1' => 2,
                    '2' => 1,
                    '3' => 3,
                    '4' => 4,
                    _ => 5,
                };
                changed = true;
            }
            '6' => {
                let i = ls.iter().rposition(|l| matches!(l.kind, A | E | O))?;
                ls[i].kind = match ls[i].kind {
                    A => AA,
                    E => EE,
                    _ => OO,
                };
                changed = true;
            }
            '7' => {
                if !has_vowel || ls.iter().all(|l| !matches!(l.kind, O | U)) {
                    return None;
                }
                horn_or_breve(&mut ls);
                changed = true;
            }
            '8' => {
                let i = ls.iter().rposition(|l| l.kind == A)?;
                ls[i].kind = AW;
                changed = true;
            }
            '9' => {
                let first = ls.first_mut().filter(|l| l.kind == b'd')?;
                first.kind = DD;
                changed = true;
            }
            _ => ls.push(plain(c)?),
        }
    }
    if !changed {
        return None;
    }
    write(&mut ls, tone)
}

/// [`decode_vni`] for a word with digits, else [`decode_telex`].
pub fn decode_typed(w: &str) -> Option<String> {
    if w.bytes().any(|b| b.is_ascii_digit()) {
        decode_vni(w)
    } else {
        decode_telex(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn syllables_as_written() {
        for w in [
            "tran", "dan", "van", "nghi", "quyết", "Nghị", "ĐẤT", "hoà", "xoong",
        ] {
            assert!(is_syllable(w), "{w}");
        }
        for w in [
            "as", "cos", "ddai", "nghij", "quyeets", "english", "2021", "", "qh14",
        ] {
            assert!(!is_syllable(w), "{w}");
        }
    }

    #[test]
    fn telex() {
        for (typed, want) in [
            ("nghij", "nghị"),
            ("quyeets", "quyết"),
            ("quyeest", "quyết"),
            ("ddaats", "đất"),
            ("ddai", "đai"),
            ("luaatj", "luật"),
            ("ddinhj", "định"),
            ("dduowcj", "được"),
            ("tuw", "tư"),
            ("hoaf", "hòa"),
            ("khoong", "không"),
            ("Nghij", "Nghị"),
            ("as", "á"),
            ("cos", "có"),
            ("vaanj", "vận"),
            ("nguowif", "người"),
        ] {
            assert_eq!(decode_telex(typed).as_deref(), Some(want), "{typed}");
        }
        for typed in ["tran", "english", "possible", "2021", "nghị", "xyz", "ss"] {
            assert_eq!(decode_telex(typed), None, "{typed}");
        }
    }

    #[test]
    fn vni() {
        for (typed, want) in [
            ("nghi5", "nghị"),
            ("quye61t", "quyết"),
            ("quyet61", "quyết"),
            ("d9a61t", "đất"),
            ("d9ai", "đai"),
            ("luat65", "luật"),
            ("d9u7o75c", "được"),
        ] {
            assert_eq!(decode_vni(typed).as_deref(), Some(want), "{typed}");
        }
        for typed in ["2021", "qh14", "covid19", "01", "a0"] {
            assert_eq!(decode_vni(typed), None, "{typed}");
        }
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,20}") {
            let _ = decode_typed(&s);
            let _ = is_syllable(&s);
        }

        #[test]
        fn decoded_words_are_syllables(s in "[a-z0-9]{1,10}") {
            if let Some(d) = decode_typed(&s) {
                prop_assert!(is_syllable(&d), "{} -> {}", s, d);
            }
        }
    }
}
