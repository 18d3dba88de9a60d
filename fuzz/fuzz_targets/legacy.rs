//! The legacy decoders: TCVN3 and VNI (`vanban::extract::legacy`) and
//! windows-1258 (`vanban::extract::decode`, `extract_text`). No panic, and
//! everything they return is NFC, as documented.
#![no_main]

use libfuzzer_sys::fuzz_target;
use unicode_normalization::is_nfc;
use vanban::extract::{self, legacy};

fuzz_target!(|data: &[u8]| {
    // Raw bytes through the page-level entry points.
    if let Some(s) = legacy::decode_legacy(data) {
        assert!(is_nfc(&s), "decode_legacy not NFC");
    }
    let s = extract::decode(data, Some("text/html; charset=windows-1258"));
    assert!(is_nfc(&s), "decode (windows-1258) not NFC");
    let s = extract::decode(data, None);
    assert!(is_nfc(&s), "decode (detected) not NFC");
    if let Ok(doc) = extract::extract_text(data) {
        assert!(
            is_nfc(&doc.title) && is_nfc(&doc.body),
            "extract_text not NFC"
        );
    }
    let _ = legacy::detect::detect(data);

    // The same bytes as windows-1252 text in each font encoding, as a run
    // and as a page (fonts named inline).
    let text = legacy::decode_1252(data);
    for enc in [
        legacy::Legacy::Tcvn3 { caps: false },
        legacy::Legacy::Tcvn3 { caps: true },
        legacy::Legacy::Vni,
    ] {
        assert!(
            is_nfc(&legacy::convert(&text, enc)),
            "convert {enc:?} not NFC"
        );
        let _ = legacy::convert_html(&text, Some(enc));
    }
    if let Some(s) = legacy::fix_decoded(&text) {
        let _ = s;
    }
    if let Ok(utf8) = std::str::from_utf8(data) {
        let _ = legacy::fix_decoded(utf8);
        let _ = legacy::convert_html(utf8, None);
        // windows-1258 written the way Vietnamese pages were written reads
        // back as valid text.
        let _ = extract::decode(
            &legacy::encode_1258(utf8),
            Some("text/html; charset=windows-1258"),
        );
    }
});
