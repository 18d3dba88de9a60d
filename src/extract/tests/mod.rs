//! Tests on real data (`fixtures/`, and the shared corpus with `--features
//! corpus`), the fixtures, and properties, plus
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
mod vbpl;

/// Pages in the legacy font encodings decode through `extract_html` too,
/// not only through the crawler (fixtures/site/legacy, written by
/// fixtures/site/gen.py).
#[test]
fn legacy_font_encodings_read_as_unicode() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/site/legacy");
    for (file, title, phrase) in [
        (
            "thong-bao-160-tcvn3.html",
            "Thông báo số 160-TB/TW về công tác dân vận",
            "phông chữ ABC theo bảng mã TCVN3",
        ),
        (
            "chi-thi-07-vni.html",
            "Chỉ thị số 07-CT/TW về công tác dân vận vùng đồng bào dân tộc",
            "vùng đồng bào dân tộc thiểu số",
        ),
    ] {
        let bytes = std::fs::read(format!("{dir}/{file}")).unwrap();
        let doc = crate::extract::extract_html(&bytes, None).unwrap();
        assert!(
            doc.title.contains(title) || title.contains(&doc.title),
            "{file}: title {:?}",
            doc.title
        );
        assert!(
            doc.body.contains(phrase),
            "{file}: {phrase:?} not in {:?}",
            &doc.body[..doc.body.len().min(300)]
        );
    }
}
