//! robots.txt (`vanban::crawl::robots`): any body of any status gives
//! rules without a panic, and asking them about URLs never panics. The
//! first byte picks the status; the URLs asked about come from the body's
//! own `Allow`/`Disallow` paths and a few fixed ones.
#![no_main]

use libfuzzer_sys::fuzz_target;
use url::Url;
use vanban::crawl::robots::{self, Robots};

const STATUSES: [u16; 6] = [200, 204, 404, 429, 500, 503];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let status = STATUSES[pick as usize % STATUSES.len()];
    let agent = if pick & 0x80 == 0 {
        robots::AGENT
    } else {
        "vanban/0.1 (+https://x.vn)"
    };
    let rules = Robots::from_response(status, body, agent);
    let base = Url::parse("http://127.0.0.1:8080/").unwrap();
    let mut urls: Vec<Url> = [
        "/",
        "/robots.txt",
        "/private/a.html",
        "/tin-tuc/?page=2",
        "/%E1%BB%87",
    ]
    .iter()
    .filter_map(|p| base.join(p).ok())
    .collect();
    for line in String::from_utf8_lossy(body).lines().take(32) {
        if let Some((_, path)) = line.split_once(':')
            && let Ok(u) = base.join(path.trim())
        {
            urls.push(u);
        }
    }
    for u in &urls {
        let _ = rules.allowed(u);
        let _ = robots::robots_url(u);
    }
    if let Some(d) = rules.crawl_delay() {
        let _ = d;
    }
    let _ = rules.sitemaps().len();
    let _ = rules.is_usable();
});
