//! VNI (VNI-Windows, the encoding of the `VNI-Times` font family): a base
//! letter followed by one byte for its circumflex/breve and tone, plus a
//! few letters of one byte (đ, ơ, ư, and i/y with tones). Bytes are read
//! through windows-1252, as the pages were typed.
use unicode_normalization::UnicodeNormalization;

/// The mark a VNI modifier byte adds: a shape (U+0302 circumflex, U+0306
/// breve) and/or a tone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Modifier {
    shape: Option<char>,
    tone: Option<char>,
}

const GRAVE: char = '\u{300}';
const ACUTE: char = '\u{301}';
const TILDE: char = '\u{303}';
const HOOK: char = '\u{309}';
const DOT: char = '\u{323}';
const CIRC: char = '\u{302}';
const BREVE: char = '\u{306}';

/// Modifier bytes (lowercase forms; the capital forms are 0x20 lower).
#[rustfmt::skip]
const MODIFIERS: &[(u8, Option<char>, Option<char>)] = &[
    (0xF8, None, Some(GRAVE)), (0xF9, None, Some(ACUTE)), (0xFB, None, Some(HOOK)),
    (0xF5, None, Some(TILDE)), (0xEF, None, Some(DOT)),
    (0xE2, Some(CIRC), None), (0xE0, Some(CIRC), Some(GRAVE)), (0xE1, Some(CIRC), Some(ACUTE)),
    (0xE5, Some(CIRC), Some(HOOK)), (0xE3, Some(CIRC), Some(TILDE)), (0xE4, Some(CIRC), Some(DOT)),
    (0xEA, Some(BREVE), None), (0xE8, Some(BREVE), Some(GRAVE)), (0xE9, Some(BREVE), Some(ACUTE)),
    (0xFA, Some(BREVE), Some(HOOK)), (0xFC, Some(BREVE), Some(TILDE)), (0xEB, Some(BREVE), Some(DOT)),
];

/// Letters of one byte (lowercase forms; capitals are 0x20 lower).
#[rustfmt::skip]
pub const SINGLE: &[(u8, char)] = &[
    (0xF1, 'đ'), (0xF4, 'ơ'), (0xF6, 'ư'),
    (0xEC, 'ì'), (0xED, 'í'), (0xE6, 'ỉ'), (0xF3, 'ĩ'), (0xF2, 'ị'), (0xEE, 'ỵ'),
];

fn modifier(b: u8) -> Option<Modifier> {
    let lower = if (0xC0..=0xDF).contains(&b) {
        b + 0x20
    } else {
        b
    };
    MODIFIERS
        .iter()
        .find(|(k, _, _)| *k == lower)
        .map(|&(_, shape, tone)| Modifier { shape, tone })
}

/// The letter a one-byte VNI letter stands for.
pub fn single(b: u8) -> Option<char> {
    let (lower, upper) = if (0xC0..=0xDF).contains(&b) {
        (b + 0x20, true)
    } else {
        (b, false)
    };
    let c = SINGLE.iter().find(|(k, _)| *k == lower).map(|(_, c)| *c)?;
    Some(if upper {
        c.to_uppercase().next().unwrap_or(c)
    } else {
        c
    })
}

/// Whether `base` (an ASCII vowel or ơ/ư) takes `m`.
fn takes(base: char, m: Modifier) -> bool {
    let l = base.to_lowercase().next().unwrap_or(base);
    match m.shape {
        Some(CIRC) => matches!(l, 'a' | 'e' | 'o'),
        Some(_) => l == 'a',
        None => matches!(l, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'ơ' | 'ư'),
    }
}

/// Converts text read as windows-1252 from VNI to Unicode NFC.
pub fn convert(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let base = super::cp1252_byte(c).and_then(single).unwrap_or(c);
        let next = chars.get(i + 1).and_then(|&n| super::cp1252_byte(n));
        match next.and_then(modifier) {
            Some(m) if takes(base, m) => {
                out.push(base);
                out.extend(m.shape);
                out.extend(m.tone);
                i += 2;
            }
            _ => {
                out.push(base);
                i += 1;
            }
        }
    }
    out.nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every Vietnamese letter with a mark, lowercase, and its VNI
    /// spelling in windows-1252 characters (from the VNI-Windows chart).
    #[rustfmt::skip]
    const LETTERS: &[(&str, &str)] = &[
        ("à", "aø"), ("á", "aù"), ("ả", "aû"), ("ã", "aõ"), ("ạ", "aï"),
        ("â", "aâ"), ("ầ", "aà"), ("ấ", "aá"), ("ẩ", "aå"), ("ẫ", "aã"), ("ậ", "aä"),
        ("ă", "aê"), ("ằ", "aè"), ("ắ", "aé"), ("ẳ", "aú"), ("ẵ", "aü"), ("ặ", "aë"),
        ("đ", "ñ"),
        ("è", "eø"), ("é", "eù"), ("ẻ", "eû"), ("ẽ", "eõ"), ("ẹ", "eï"),
        ("ê", "eâ"), ("ề", "eà"), ("ế", "eá"), ("ể", "eå"), ("ễ", "eã"), ("ệ", "eä"),
        ("ì", "ì"), ("í", "í"), ("ỉ", "æ"), ("ĩ", "ó"), ("ị", "ò"),
        ("ò", "oø"), ("ó", "où"), ("ỏ", "oû"), ("õ", "oõ"), ("ọ", "oï"),
        ("ô", "oâ"), ("ồ", "oà"), ("ố", "oá"), ("ổ", "oå"), ("ỗ", "oã"), ("ộ", "oä"),
        ("ơ", "ô"), ("ờ", "ôø"), ("ớ", "ôù"), ("ở", "ôû"), ("ỡ", "ôõ"), ("ợ", "ôï"),
        ("ù", "uø"), ("ú", "uù"), ("ủ", "uû"), ("ũ", "uõ"), ("ụ", "uï"),
        ("ư", "ö"), ("ừ", "öø"), ("ứ", "öù"), ("ử", "öû"), ("ữ", "öõ"), ("ự", "öï"),
        ("ỳ", "yø"), ("ý", "yù"), ("ỷ", "yû"), ("ỹ", "yõ"), ("ỵ", "î"),
    ];

    /// One check per letter of the chart, small and capital.
    #[test]
    fn every_letter_small_and_capital() {
        assert_eq!(LETTERS.len(), 67);
        for (want, vni) in LETTERS {
            assert_eq!(convert(vni), *want, "VNI {vni:?}: fix MODIFIERS/SINGLE");
            // Capitals: the capital base and the capital modifier byte
            // (0x20 lower in windows-1252).
            let cap: String = vni
                .chars()
                .map(|c| match c {
                    'a'..='z' => c.to_ascii_uppercase(),
                    c if (0xE0..=0xFF).contains(&(c as u32)) => {
                        char::from_u32(c as u32 - 0x20).unwrap_or(c)
                    }
                    c => c,
                })
                .collect();
            let want_cap: String = want.to_uppercase();
            assert_eq!(convert(&cap), want_cap, "VNI capital {cap:?}");
        }
    }

    #[test]
    fn words() {
        assert_eq!(convert("Xin chaøo caùc baïn"), "Xin chào các bạn");
        assert_eq!(convert("Vieät Nam"), "Việt Nam");
        assert_eq!(convert("VIEÄT NAM"), "VIỆT NAM");
        assert_eq!(convert("Ñaûng Coäng saûn"), "Đảng Cộng sản");
        assert_eq!(convert("chæ thò"), "chỉ thị");
        assert_eq!(convert("ngöôøi"), "người");
        // A modifier byte after a consonant is left as it is.
        assert_eq!(convert("bù"), "bù");
    }
}
