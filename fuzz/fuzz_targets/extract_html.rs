//! The HTML extractor (`vanban::extract::extract_html`) and the crawler's
//! link extraction on arbitrary bytes: no panic, and title and body come
//! out in NFC. The first byte picks the Content-Type header, so declared
//! charsets (and their contradictions) are exercised too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use unicode_normalization::is_nfc;
use vanban::extract;

const CONTENT_TYPES: [Option<&str>; 6] = [
    None,
    Some("text/html"),
    Some("text/html; charset=utf-8"),
    Some("text/html; charset=windows-1258"),
    Some("text/html; charset=iso-8859-1"),
    Some("text/html; charset=\"windows-1252\""),
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let ct = CONTENT_TYPES[pick as usize % CONTENT_TYPES.len()];
    if let Ok(doc) = extract::extract_html(bytes, ct) {
        assert!(is_nfc(&doc.title), "title not NFC: {:?}", doc.title);
        assert!(is_nfc(&doc.body), "body not NFC");
        assert!(!doc.body.is_empty());
    }
    let page = url::Url::parse("http://127.0.0.1/tin-tuc/bai-1.html").unwrap();
    let html = extract::decode(bytes, ct);
    let _ = vanban::crawl::links::extract(&html, &page);
});
