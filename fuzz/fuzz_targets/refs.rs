//! The number grammar and citations (`vanban::refs`) on arbitrary UTF-8:
//! no panic, spans on char boundaries and in order, every citation's `raw`
//! is its span of the text, and a number's canonical form parses back to
//! the same number.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vanban::refs::{self, DocNumber};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut last_end = 0;
    let mut first: Option<DocNumber> = None;
    for m in refs::scan_numbers(text) {
        assert!(
            m.span.start >= last_end && m.span.start < m.span.end,
            "{m:?}"
        );
        assert!(text.get(m.span.clone()).is_some(), "{m:?}");
        last_end = m.span.end;
        round_trip(&m.number);
        first.get_or_insert(m.number);
    }
    for own in [None, first.as_ref()] {
        let set = refs::citations(text, own);
        for c in &set.refs {
            assert!(c.start <= c.end && c.end <= text.len(), "{c:?}");
            assert_eq!(text.get(c.start..c.end), Some(c.raw.as_str()), "{c:?}");
        }
        for u in &set.unnumbered {
            assert_eq!(text.get(u.start..u.end), Some(u.raw.as_str()), "{u:?}");
        }
    }
    let (title, body) = text.split_once('\n').unwrap_or((text, ""));
    let id = refs::identify(title, body);
    if let Some(n) = &id.number {
        round_trip(n);
    }
    if text.len() <= 64
        && let Ok(n) = text.parse::<DocNumber>()
    {
        round_trip(&n);
    }
});

/// The canonical spelling is itself a number, with the same key.
fn round_trip(n: &DocNumber) {
    let again: DocNumber = n
        .as_str()
        .parse()
        .unwrap_or_else(|e| panic!("canonical {:?} does not parse: {e}", n.as_str()));
    assert_eq!(
        again.key(),
        n.key(),
        "{:?} → {:?}",
        n.as_str(),
        again.as_str()
    );
}
