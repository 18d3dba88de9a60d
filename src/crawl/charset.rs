//! Bytes → text for crawled pages: the HTTP header's charset, then a BOM,
//! then `<meta charset>`, then detection; windows-1258 (tones as combining
//! marks) and the legacy font encodings TCVN3 and VNI
//! ([`crate::extract::legacy`]) are recognized. Always NFC.
//!
//! A declaration the bytes contradict is passed over (a declared UTF-8
//! that does not validate is the usual case: servers send a default
//! `charset=utf-8` for old windows-1258 pages).
use std::sync::LazyLock;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1258};
use regex::bytes::Regex;
use unicode_normalization::UnicodeNormalization;

use crate::extract::legacy;

static META_CHARSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i-u)<meta\b[^>]*?charset\s*=\s*["']?\s*([a-z0-9_.:\-]+)"#)
        .expect("static regex")
});

/// The charset label of a `Content-Type` value.
pub fn header_label(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(|c| c == '"' || c == '\''))
    })
}

/// The `<meta charset>` label in the first 4 KiB.
pub fn meta_label(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(4096)];
    META_CHARSET
        .captures(head)
        .map(|c| String::from_utf8_lossy(&c[1]).into_owned())
}

fn western(enc: &'static Encoding) -> bool {
    enc == encoding_rs::WINDOWS_1252 || enc.name() == "ISO-8859-1" || enc.name() == "ISO-8859-15"
}

/// Decodes an HTML page (see the module docs for the order).
pub fn decode_html(bytes: &[u8], content_type: Option<&str>) -> String {
    let utf8 = std::str::from_utf8(bytes).is_ok();
    let declared = content_type
        .and_then(header_label)
        .and_then(|l| Encoding::for_label(l.as_bytes()))
        .filter(|e| *e != UTF_8 || utf8);
    let out = if let Some(enc) = declared {
        decode_as(enc, bytes)
    } else if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        decode_as(enc, &bytes[bom..])
    } else if let Some(enc) = meta_label(bytes)
        .and_then(|l| Encoding::for_label(l.as_bytes()))
        .filter(|e| *e != UTF_8 || utf8)
    {
        decode_as(enc, bytes)
    } else {
        detect(bytes, utf8)
    };
    if out.is_ascii() {
        return out;
    }
    out.nfc().collect()
}

fn decode_as(enc: &'static Encoding, bytes: &[u8]) -> String {
    if enc == UTF_8 {
        let s = String::from_utf8_lossy(bytes);
        return legacy::fix_decoded(&s).unwrap_or_else(|| s.into_owned());
    }
    if western(enc) || enc == WINDOWS_1258 {
        // Legacy font pages declare a Western charset (or windows-1258);
        // their fonts or their letters say what they really are.
        if let Some(s) = legacy::decode_legacy(bytes) {
            return s;
        }
        if western(enc) && bytes.is_ascii() {
            return String::from_utf8_lossy(bytes).into_owned();
        }
        if western(enc) {
            // A "Western" Vietnamese page is windows-1258 in practice.
            return WINDOWS_1258
                .decode_without_bom_handling(bytes)
                .0
                .into_owned();
        }
    }
    enc.decode_without_bom_handling(bytes).0.into_owned()
}

fn detect(bytes: &[u8], utf8: bool) -> String {
    if utf8 {
        return decode_as(UTF_8, bytes);
    }
    legacy::decode_legacy(bytes).unwrap_or_else(|| {
        WINDOWS_1258
            .decode_without_bom_handling(bytes)
            .0
            .into_owned()
    })
}

/// Decodes a plain-text page: header charset, BOM, UTF-8, else
/// windows-1258 or a legacy encoding. NFC.
pub fn decode_text(bytes: &[u8], content_type: Option<&str>) -> String {
    decode_html(bytes, content_type)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_and_contradictions() {
        let text = "Chỉ thị về công tác dân vận";
        let w = legacy::encode_1258(text);
        assert_eq!(
            decode_html(&w, Some("text/html; charset=windows-1258")),
            text
        );
        // A false UTF-8 header is passed over; detection finds 1258.
        assert_eq!(decode_html(&w, Some("text/html; charset=utf-8")), text);
        // Meta charset.
        let mut page = b"<meta charset=\"windows-1258\">".to_vec();
        page.extend_from_slice(&w);
        assert!(decode_html(&page, None).ends_with(text));
        // BOM.
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(decode_html(&bom, None), text);
        // NFD UTF-8 becomes NFC.
        let nfd: String = text.nfd().collect();
        assert_eq!(decode_html(nfd.as_bytes(), None), text);
        assert_eq!(header_label("text/html; Charset=\"UTF-8\""), Some("UTF-8"));
    }

    #[test]
    fn legacy_pages() {
        let tcvn3 = b"<html><head><meta charset=iso-8859-1></head><body style=\"font-family:.VnTime\">\xa7\xb6ng C\xe9ng s\xb6n</body></html>";
        assert!(decode_html(tcvn3, None).contains("Đảng Cộng sản"));
        let vni = encoding_rs::WINDOWS_1252
            .encode("<font face=\"VNI-Times\">Ñaûng Coäng saûn</font>")
            .0
            .into_owned();
        assert!(
            decode_html(&vni, Some("text/html; charset=windows-1252")).contains("Đảng Cộng sản")
        );
        // A UTF-8 page that kept TCVN3 glyph characters.
        let kept = "<p style='font-family:.VnTime'>\u{a7}\u{b6}ng</p>";
        assert!(decode_html(kept.as_bytes(), Some("text/html; charset=utf-8")).contains("Đảng"));
    }
}
