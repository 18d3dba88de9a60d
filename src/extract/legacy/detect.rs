//! Which legacy encoding a page is in, when no font name says it: each
//! candidate reading is scored by how many of its non-ASCII words are
//! well-formed Vietnamese syllables (onset, vowel nucleus, coda, at most
//! one tone). A misread page is full of symbols (`B¶o`), foreign letters
//! (`Vieät`) and impossible vowel clusters (`chaứo`).
use unicode_normalization::UnicodeNormalization;

/// A reading of a single-byte Vietnamese page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// windows-1258 (or plain windows-1252 text with no Vietnamese).
    Windows1258,
    /// TCVN3 (ABC).
    Tcvn3,
    /// VNI.
    Vni,
}

const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];
const SHAPES: [char; 3] = ['\u{302}', '\u{306}', '\u{31B}'];
const VOWELS: &str = "aăâeêioôơuưy";
#[rustfmt::skip]
const ONSETS: &[&str] = &[
    "ngh", "ng", "gh", "gi", "kh", "nh", "ph", "th", "tr", "ch", "qu",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
];
const CODAS: &[&str] = &["", "c", "ch", "m", "n", "ng", "nh", "p", "t"];
#[rustfmt::skip]
const NUCLEI: &[&str] = &[
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y",
    "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi",
    "ôi", "ơi", "oo", "ua", "uâ", "uê", "ui", "uô", "uơ", "uy", "ưa", "ưi", "ươ", "ưu", "yê",
    "iêu", "oai", "oao", "oay", "oeo", "uây", "uôi", "uya", "uyê", "uyu", "ươi", "ươu", "yêu",
];

/// Whether `word` (any case, NFC or not) is a well-formed Vietnamese
/// syllable.
pub fn is_syllable(word: &str) -> bool {
    let mut tones = 0;
    let mut bare = String::with_capacity(word.len());
    for c in word.nfd() {
        if TONES.contains(&c) {
            tones += 1;
        } else if c.is_ascii_alphabetic() || SHAPES.contains(&c) || c == 'đ' || c == 'Đ' {
            bare.extend(c.to_lowercase());
        } else {
            return false;
        }
    }
    if tones > 1 || bare.is_empty() {
        return false;
    }
    let bare: String = bare.nfc().collect();
    ONSETS.iter().any(|onset| {
        let Some(rest) = bare.strip_prefix(onset) else {
            return false;
        };
        let split = rest
            .char_indices()
            .find(|(_, c)| !VOWELS.contains(*c))
            .map(|(i, _)| i)
            .unwrap_or(rest.len());
        let (nucleus, coda) = rest.split_at(split);
        let nucleus_ok = NUCLEI.contains(&nucleus) || (nucleus.is_empty() && *onset == "gi");
        nucleus_ok && CODAS.contains(&coda)
    })
}

/// +1 for every well-formed non-ASCII word of `text`, −1 for every other
/// non-ASCII word.
pub fn score(text: &str) -> i64 {
    text.split(|c: char| c.is_whitespace() || c.is_ascii_punctuation() || c.is_ascii_digit())
        .filter(|w| !w.is_ascii() && w.chars().count() <= 12)
        .map(|w| if is_syllable(w) { 1 } else { -1 })
        .sum()
}

/// The most plausible reading of `bytes`; windows-1258 wins ties.
pub fn detect(bytes: &[u8]) -> Reading {
    let as_1252 = super::decode_1252(bytes);
    let text = strip_tags(&as_1252);
    let w1258: String = encoding_rs::WINDOWS_1258
        .decode_without_bom_handling(strip_tags_bytes(bytes).as_slice())
        .0
        .nfc()
        .collect();
    let candidates = [
        (Reading::Windows1258, score(&w1258)),
        (Reading::Tcvn3, score(&super::tcvn3::convert(&text, false))),
        (Reading::Vni, score(&super::vni::convert(&text))),
    ];
    let mut best = candidates[0];
    for c in &candidates[1..] {
        if c.1 > best.1 {
            best = *c;
        }
    }
    best.0
}

/// Drops `<...>` tags and `<script>`/`<style>` bodies, roughly.
fn strip_tags(s: &str) -> String {
    String::from_utf8_lossy(&strip_tags_bytes(s.as_bytes())).into_owned()
}

fn strip_tags_bytes(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'<' {
            let rest = &b[i..];
            let skip_to: Option<&[u8]> = if starts_ci(rest, b"<script") {
                Some(b"</script")
            } else if starts_ci(rest, b"<style") {
                Some(b"</style")
            } else {
                None
            };
            if let Some(end) = skip_to {
                match find_ci(&b[i + 1..], end) {
                    Some(j) => i = i + 1 + j + end.len(),
                    None => break,
                }
            }
            match b[i..].iter().position(|&c| c == b'>') {
                Some(j) => i += j + 1,
                None => break,
            }
            out.push(b' ');
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

pub(super) fn starts_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.len() >= needle.len() && hay[..needle.len()].eq_ignore_ascii_case(needle)
}

pub(super) fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    (0..=hay.len() - needle.len()).find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllables() {
        for w in [
            "người", "Việt", "chỉ", "thị", "quyết", "định", "gì", "giêng", "khuya", "ĐẢNG", "hoà",
            "hòa",
        ] {
            assert!(is_syllable(w), "{w} is a syllable");
        }
        for w in ["B¶o", "Vieät", "chaứo", "Viờũt", "xyz", "ñ", "aaaa"] {
            assert!(!is_syllable(w), "{w} is not a syllable");
        }
    }

    #[test]
    fn detects_each_reading() {
        let text =
            "Chỉ thị của Ban Bí thư về tăng cường sự lãnh đạo của Đảng đối với công tác dân vận";
        let w1258 = super::super::encode_1258(text);
        assert_eq!(detect(&w1258), Reading::Windows1258);
        // TCVN3 and VNI bytes of the same sentence.
        let tcvn3: &[u8] = b"Ch\xd8 th\xde c\xf1a Ban B\xdd th\xad v\xd2 t\xa8ng c\xad\xeang s\xf9 l\xb7nh \xae\xb9o c\xf1a \xa7\xb6ng \xae\xe8i v\xedi c\xabng t\xb8c d\xa9n v\xcbn";
        assert_eq!(detect(tcvn3), Reading::Tcvn3);
        let vni = encoding_rs::WINDOWS_1252
            .encode("Chæ thò cuûa Ban Bí thö veà taêng cöôøng söï laõnh ñaïo cuûa Ñaûng ñoái vôùi coâng taùc daân vaän")
            .0
            .into_owned();
        assert_eq!(detect(&vni), Reading::Vni);
        assert_eq!(detect(b"plain ascii only"), Reading::Windows1258);
    }
}
