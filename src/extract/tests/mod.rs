//! Tests on real data (`../shared`), the fixtures, and properties, plus
//! helpers shared by the unit tests.
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::compose;

/// `s` encoded as windows-1258 the way legacy Vietnamese pages are: vowel
/// shapes precomposed (â ê ô ă ơ ư), tones as combining marks. (encoding_rs
/// maps precomposed toned letters such as "ệ" to `&#7879;` instead.)
pub(crate) fn cp1258(s: &str) -> Vec<u8> {
    const SHAPES: [char; 3] = ['\u{302}', '\u{306}', '\u{31b}'];
    let mut out = String::new();
    let mut tones = String::new();
    let mut base: Option<char> = None;
    for c in s.nfd() {
        if SHAPES.contains(&c)
            && let Some(composed) = base.and_then(|b| compose(b, c))
        {
            base = Some(composed);
            continue;
        }
        if unicode_normalization::char::is_combining_mark(c) {
            tones.push(c);
            continue;
        }
        out.extend(base.take());
        out.push_str(&tones);
        tones.clear();
        base = Some(c);
    }
    out.extend(base);
    out.push_str(&tones);
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1258.encode(&out);
    assert!(!unmappable, "not encodable in windows-1258: {s:?}");
    bytes.into_owned()
}

#[test]
fn cp1258_round_trips() {
    let s = "Nghị định số 15/2020/NĐ-CP về việc Chỉ thị, Thủ tướng Chính phủ";
    let bytes = cp1258(s);
    assert!(std::str::from_utf8(&bytes).is_err());
    assert_eq!(
        crate::extract::decode(&bytes, Some("text/html; charset=windows-1258")),
        s
    );
}

mod fixtures;
mod props;
mod real;
