//! Regressions found by the `refs` fuzz target (`fuzz/fuzz_targets/refs.rs`,
//! issue 9): every input saved under `fixtures/fuzz/refs/` goes through the
//! target's checks again, and the minimized cases are spelled out.
use crate::refs::{DocNumber, citations, identify, scan_numbers};

/// The checks of the fuzz target: spans on char boundaries and in order,
/// `raw` is the text of its span, canonical forms read back.
fn check(text: &str) {
    let mut last_end = 0;
    let mut first = None;
    for m in scan_numbers(text) {
        assert!(
            m.span.start >= last_end && m.span.start < m.span.end,
            "{text:?}: {m:?}"
        );
        assert!(text.get(m.span.clone()).is_some(), "{text:?}: {m:?}");
        last_end = m.span.end;
        round_trip(&m.number);
        first.get_or_insert(m.number);
    }
    for own in [None, first.as_ref()] {
        let set = citations(text, own);
        for c in &set.refs {
            assert_eq!(text.get(c.start..c.end), Some(c.raw.as_str()), "{c:?}");
        }
        for u in &set.unnumbered {
            assert_eq!(text.get(u.start..u.end), Some(u.raw.as_str()), "{u:?}");
        }
    }
    let (title, body) = text.split_once('\n').unwrap_or((text, ""));
    if let Some(n) = identify(title, body).number {
        round_trip(&n);
    }
    if let Ok(n) = text.parse::<DocNumber>() {
        round_trip(&n);
    }
}

fn round_trip(n: &DocNumber) {
    let again: DocNumber = n.as_str().parse().unwrap_or_else(|e| {
        panic!(
            "the canonical form {:?} does not read back ({e}): the grammar \
             accepts a spelling whose canonical form it refuses",
            n.as_str()
        )
    });
    assert_eq!(
        again.key(),
        n.key(),
        "{:?} → {:?}",
        n.as_str(),
        again.as_str()
    );
}

/// Every saved fuzz input still passes.
#[test]
fn fuzz_inputs_pass() {
    let dir = crate::testdata::fixture("fuzz/refs");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("fixtures/fuzz/refs") {
        let path = entry.expect("entry").path();
        let bytes = std::fs::read(&path).expect("read");
        check(std::str::from_utf8(&bytes).expect("refs inputs are UTF-8"));
        n += 1;
    }
    assert!(
        n >= 2,
        "the saved inputs are missing from {}",
        dir.display()
    );
}

/// "5/cc" after "số" passed the weak `n/CODE` shape in lower case, but its
/// canonical form "5/CC" is a Roman numeral the grammar refuses.
#[test]
fn fuzz_lowercase_roman_code_is_not_a_number() {
    check("5/cc");
    check("số 5/cc");
    assert!("5/cc".parse::<DocNumber>().is_err());
    assert!(scan_numbers("Công văn số 5/cc ngày").is_empty());
}

/// "05-n/C" (an old state number in the Party layout) was read as the state
/// number "05/N-C", whose one-letter issuer the state form refuses.
#[test]
fn fuzz_one_letter_issuer_in_party_layout() {
    check("Chỉ thị số 05-n/C, WTTg");
    assert!(scan_numbers("số 05-n/C").is_empty());
    // Real numbers of that layout still read as before.
    assert_eq!(
        "89-TC/TCT".parse::<DocNumber>().unwrap().as_str(),
        "89/TC-TCT"
    );
    assert_eq!(
        "25-NQ/TW".parse::<DocNumber>().unwrap().as_str(),
        "25-NQ/TW"
    );
}
