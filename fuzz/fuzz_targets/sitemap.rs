//! Sitemaps (`vanban::crawl::sitemap::parse`) on arbitrary bytes: no
//! panic, at most `MAX_URLS` URLs and none empty.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vanban::crawl::sitemap;

fuzz_target!(|data: &[u8]| {
    let sm = sitemap::parse(data);
    assert!(sm.urls.len() <= sitemap::MAX_URLS);
    assert!(sm.urls.iter().all(|u| !u.is_empty()));
});
