//! Bytes → NFC `String`: which charset a page is in, and Unicode NFC.
//!
//! Order for HTML: a byte-order mark (it cannot be wrong), the HTTP
//! `Content-Type` charset, a `<meta charset>` or `<meta http-equiv
//! content="…; charset=…">` in the first few KiB, then detection: valid
//! UTF-8 is UTF-8, anything else is taken as windows-1258, the legacy
//! Vietnamese code page. A declaration the bytes contradict is passed
//! over: a declared UTF-8 that does not validate (servers send a default
//! `charset=utf-8` for windows-1258 pages), or a declared legacy charset
//! on bytes that are valid, non-ASCII UTF-8 (sites that moved to UTF-8
//! and kept the old meta tag).
//!
//! windows-1258 writes most tones as combining marks (U+0300 …), so the
//! decoded text is put into NFC: "Nghi\u{323} đi\u{323}nh" → "Nghị định".
use std::sync::LazyLock;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1258};
use regex::bytes::Regex;
use unicode_normalization::UnicodeNormalization;

/// How far into a page the `<meta charset>` prescan looks.
const META_SCAN_BYTES: usize = 4096;

static META_CHARSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i-u)<meta\b[^>]*?charset\s*=\s*["']?\s*([a-z0-9_.:\-]+)"#)
        .expect("static regex")
});

/// Decodes an HTML page to an NFC string, honouring the declared charset
/// (see the module docs for the order). Never fails: undecodable bytes
/// become U+FFFD.
///
/// ```
/// // windows-1258 writes the tones as combining marks.
/// let bytes = encoding_rs::WINDOWS_1258.encode("Nghi\u{323} \u{111}i\u{323}nh").0;
/// let ct = Some("text/html; charset=windows-1258");
/// assert_eq!(vanban::extract::decode(&bytes, ct), "Nghị định");
/// ```
pub fn decode(bytes: &[u8], content_type: Option<&str>) -> String {
    nfc_owned(decode_raw(bytes, content_type))
}

/// [`decode`] without the NFC step, for callers that normalize what they
/// keep (HTML extraction normalizes each rendered line, not the markup).
pub(crate) fn decode_raw(bytes: &[u8], content_type: Option<&str>) -> String {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return decode_only(enc, &bytes[bom_len..]);
    }
    let text = decode_declared(bytes, content_type);
    // Old government pages written in the TCVN3 (ABC) or VNI font
    // encodings: bytes that a Western or windows-1258 label (or none)
    // misreads, or UTF-8 pages that kept the legacy glyphs under a
    // `.VnTime`/`VNI-` font.
    if text.is_ascii() {
        return text;
    }
    if std::str::from_utf8(bytes).is_ok() {
        return super::legacy::fix_decoded(&text).unwrap_or(text);
    }
    let declared = content_type
        .and_then(header_charset)
        .or_else(|| meta_charset(bytes));
    let western = declared.is_none_or(|e| {
        e == WINDOWS_1258
            || e == encoding_rs::WINDOWS_1252
            || e.name().eq_ignore_ascii_case("ISO-8859-1")
    });
    if western && let Some(converted) = super::legacy::decode_legacy(bytes) {
        return converted;
    }
    text
}

/// Decodes by the declared charset (header, then meta), else by detection
/// (UTF-8 when it validates, else windows-1258).
fn decode_declared(bytes: &[u8], content_type: Option<&str>) -> String {
    // Valid UTF-8 with non-ASCII bytes is UTF-8 whatever the label says: no
    // legacy Vietnamese text forms valid multi-byte UTF-8 sequences by
    // chance, while sites that moved to UTF-8 and kept an old header or
    // template meta tag are common.
    let utf8 = std::str::from_utf8(bytes).is_ok();
    let agrees = |enc: &'static Encoding| (enc == UTF_8) == utf8 || (utf8 && bytes.is_ascii());
    if let Some(enc) = content_type.and_then(header_charset).filter(|e| agrees(e)) {
        return decode_only(enc, bytes);
    }
    if let Some(enc) = meta_charset(bytes).filter(|e| agrees(e)) {
        return decode_only(enc, bytes);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => decode_only(WINDOWS_1258, bytes),
    }
}

/// Decodes a text file: a BOM if any, else UTF-8 if it validates, else
/// windows-1258; always NFC.
pub fn decode_text(bytes: &[u8]) -> String {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return decode_with(enc, &bytes[bom_len..]);
    }
    decode_detect(bytes)
}

fn decode_detect(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => nfc_owned(s.to_owned()),
        Err(_) => decode_with(WINDOWS_1258, bytes),
    }
}

fn decode_with(enc: &'static Encoding, bytes: &[u8]) -> String {
    nfc_owned(decode_only(enc, bytes))
}

fn decode_only(enc: &'static Encoding, bytes: &[u8]) -> String {
    enc.decode_without_bom_handling(bytes).0.into_owned()
}

/// The encoding named by a `Content-Type` header's `charset` parameter.
pub(crate) fn header_charset(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
        Encoding::for_label(value.trim().as_bytes())
    })
}

/// The encoding a `<meta>` tag in the first few KiB declares. As in the
/// HTML standard, a meta tag naming UTF-16 means UTF-8 (the prescan could
/// read it, so the bytes are ASCII-compatible).
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(META_SCAN_BYTES)];
    META_CHARSET
        .captures_iter(head)
        .find_map(|c| Encoding::for_label(c.get(1)?.as_bytes()))
        .map(Encoding::output_encoding)
}

/// Whether `s` is certainly NFC: `text`'s check, a branch-free scan of
/// the bytes for chars that are NFC on their own (below U+0300, the
/// precomposed Vietnamese letters, General Punctuation), then the full
/// quick check.
fn is_nfc_fast(s: &str) -> bool {
    crate::text::is_nfc_already(s)
}

/// `s` in NFC, reusing the allocation when it already is (the common case,
/// decided without a second pass).
pub(crate) fn nfc_owned(s: String) -> String {
    if is_nfc_fast(&s) {
        s
    } else {
        s.nfc().collect()
    }
}

/// `s` in NFC, borrowed when it already is.
pub(crate) fn nfc_cow(s: &str) -> std::borrow::Cow<'_, str> {
    if is_nfc_fast(s) {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(s.nfc().collect())
    }
}

/// `s` on one line: runs of white space as one space, trimmed, in NFC.
pub(crate) fn clean(s: &str) -> String {
    nfc_str(&s.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// `s` in NFC as a new string.
pub(crate) fn nfc_str(s: &str) -> String {
    if is_nfc_fast(s) {
        s.to_owned()
    } else {
        s.nfc().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NGHI_DINH: &str = "Nghị định số 15/2020/NĐ-CP";

    #[test]
    fn utf8_plain_and_bom() {
        assert_eq!(decode(NGHI_DINH.as_bytes(), None), NGHI_DINH);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(NGHI_DINH.as_bytes());
        assert_eq!(decode(&bom, None), NGHI_DINH);
        assert_eq!(decode_text(&bom), NGHI_DINH);
    }

    #[test]
    fn windows_1258_by_header_meta_and_detection() {
        let bytes = crate::extract::tests::cp1258(NGHI_DINH);
        assert!(std::str::from_utf8(&bytes).is_err());
        let ct = Some("text/html; charset=windows-1258");
        assert_eq!(decode(&bytes, ct), NGHI_DINH);
        let mut page = b"<html><head><meta charset=\"windows-1258\"></head>".to_vec();
        page.extend_from_slice(&bytes);
        assert!(decode(&page, None).ends_with(NGHI_DINH));
        let mut page =
            b"<meta http-equiv='Content-Type' content='text/html; charset=cp1258'>".to_vec();
        page.extend_from_slice(&bytes);
        assert!(decode(&page, None).ends_with(NGHI_DINH));
        // Nothing declared: not UTF-8, so windows-1258.
        assert_eq!(decode(&bytes, None), NGHI_DINH);
        assert_eq!(decode_text(&bytes), NGHI_DINH);
    }

    #[test]
    fn header_wins_over_meta_and_false_utf8_header_falls_through() {
        let bytes = crate::extract::tests::cp1258(NGHI_DINH);
        let mut page = b"<meta charset=windows-1258>".to_vec();
        page.extend_from_slice(&bytes);
        // The server claims UTF-8 but the bytes are not: the meta tag decides.
        assert!(decode(&page, Some("text/html; charset=UTF-8")).ends_with(NGHI_DINH));
        // A header naming another legacy charset is obeyed.
        let latin = decode(b"caf\xE9", Some("text/html; charset=\"iso-8859-1\""));
        assert_eq!(latin, "café");
        // A legacy label on valid UTF-8 is passed over.
        let page = format!("<meta charset=windows-1258>{NGHI_DINH}");
        assert!(decode(page.as_bytes(), None).ends_with(NGHI_DINH));
        assert!(
            decode(page.as_bytes(), Some("text/html; charset=windows-1258")).ends_with(NGHI_DINH)
        );
    }

    #[test]
    fn output_is_nfc() {
        let nfd: String = NGHI_DINH.nfd().collect();
        assert_ne!(nfd, NGHI_DINH);
        assert_eq!(decode(nfd.as_bytes(), None), NGHI_DINH);
        assert_eq!(decode_text(nfd.as_bytes()), NGHI_DINH);
    }

    #[test]
    fn fast_nfc_check_agrees_with_the_full_one() {
        use unicode_normalization::is_nfc;
        for s in [
            "Nghị định số 15/2020/NĐ-CP – “Điều 1” … • hoà thuỷ",
            "Nghi\u{323} đi\u{323}nh",
            "\u{2000}\u{2001}",
            "a\u{301}",
            "Ω\u{2126}",
            "",
        ] {
            assert_eq!(is_nfc_fast(s), is_nfc(s), "{s:?}");
        }
    }

    #[test]
    fn header_charset_parsing() {
        assert_eq!(header_charset("text/html"), None);
        assert_eq!(header_charset("text/html;charset=utf-8"), Some(UTF_8));
        assert_eq!(
            header_charset("text/html; CHARSET='windows-1258'"),
            Some(WINDOWS_1258)
        );
        assert_eq!(header_charset("text/html; charset=bogus"), None);
    }
}
