//! scan_numbers on real text: the seeds (expected lists written by hand
//! from reading them), the tvpl corpus, the phapdien citations, and
//! properties (no panic, spans in order, linear on adversarial input).
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use proptest::prelude::*;

use crate::refs::{DocNumber, scan_numbers};

use crate::testdata::fixture;

fn read(rel: &str) -> String {
    let path = fixture(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

fn canonicals(text: &str) -> Vec<String> {
    scan_numbers(text)
        .into_iter()
        .map(|m| m.number.to_string())
        .collect()
}

#[test]
fn seed_000_numbers() {
    let text = read("seeds/000_f4a88a29cc140eda.txt");
    #[rustfmt::skip]
    let expected = [
        "04-CTr/BDVTW-TCCT", "23-QĐ/TW", "78-QĐ/TW", "51-QĐ/TW", "01-CTr/BDVTW",
        "23-QĐ/TW", "25-NQ/TW", "120-KL/TW",
        // "File: Chương trình số 04-Ctr": the site's truncated file name.
        "04-CTr",
    ];
    assert_eq!(canonicals(&text), expected);
}

#[test]
fn seed_002_numbers() {
    let text = read("seeds/002_b060b9e4aeb61548.txt");
    assert_eq!(canonicals(&text), ["23-QĐ/TW", "33/CT-TTg"]);
}

#[test]
fn seed_003_numbers() {
    let text = read("seeds/003_3c74891c68df0f2c.txt");
    #[rustfmt::skip]
    let expected = [
        "1600-KH/BDVTW", "78-QĐ/TW", "31-CTr/BDVTW",
        // 1.1 and 1.2
        "25-NQ/TW", "25-NQ/TW", "99-QĐ/TW", "99-QĐ/TW", "18-CT/TW", "25-NQ/TW",
        "18-CT/TW", "19-CT/TW", "19-CT/TW", "21-CT/TW", "21-CT/TW", "124-QĐ/TW",
        "124-QĐ/TW",
        // 2.1
        "25-NQ/TW", "99-QĐ/TW", "79-CTr/BDVTW-BCSĐCP", "1573-KH/BDVTW-BCSĐCP",
        "114-KL/TW", "114-KL/TW", "99-QĐ/TW", "120-KL/TW", "120-KL/TW",
        // 2.2 and 2.3
        "25-NQ/TW", "19-CT/TW", "49-CT/TW", "25-NQ/TW", "25-NQ/TW", "18-CT/TW",
        "23-CT/TW", "148-TB/TW",
        // 2.4
        "25-NQ/TW", "21-CT/TW", "124-QĐ/TW", "18-NQ/TW", "18-NQ/TW", "217-QĐ/TW",
        "218-QĐ/TW", "217-QĐ/TW", "218-QĐ/TW",
        // 2.5 to 2.8, and the file line
        "25-NQ/TW", "01/HDLB-TC-DV-TW", "219-QĐ/TW", "80-HD/BDVTW", "26-KL/TW",
        "25-NQ/TW", "120-KL/TW", "290-QĐ/TW", "31-CTr/BDVTW", "1600-KH/BDVTW",
    ];
    assert_eq!(canonicals(&text), expected);
}

#[test]
fn seed_004_numbers_as_written() {
    let text = read("seeds/004_77dcfc2677e573d5.txt");
    let found: Vec<(&str, String)> = scan_numbers(&text)
        .into_iter()
        .map(|m| (&text[m.span], m.number.to_string()))
        .collect();
    #[rustfmt::skip]
    let expected = [
        ("01/CT - TTg", "01/CT-TTg"), ("47 - CT/TU", "47-CT/TU"),
        ("68 - KL/TW", "68-KL/TW"), ("681 - CT/ĐU", "681-CT/ĐU"),
        ("03/2019/NĐ - CP", "03/2019/NĐ-CP"), ("25 – NQ/TW", "25-NQ/TW"),
    ];
    let expected: Vec<(&str, String)> = expected.iter().map(|(r, c)| (*r, c.to_string())).collect();
    assert_eq!(found, expected);
}

fn tvpl_files(dir: &Path) -> Vec<PathBuf> {
    crate::testdata::files_with_extension(dir, "txt")
}

/// Every span of every tvpl file slices a string that parses back to the
/// same number (a serial sharing a later code, "217" in "217, 218-QĐ/TW",
/// is its digits alone), and spans are in order and disjoint.
/// Returns the numbers found.
fn tvpl_spans_parse_back_in(dir: &Path) -> usize {
    let files = tvpl_files(dir);
    let mut total = 0;
    for path in files {
        let text = std::fs::read_to_string(&path).expect("tvpl file is UTF-8");
        let mut last_end = 0;
        for m in scan_numbers(&text) {
            let raw = &text[m.span.clone()];
            assert!(
                m.span.start >= last_end,
                "{}: spans overlap at {raw:?}",
                path.display()
            );
            last_end = m.span.end;
            match raw.parse::<DocNumber>() {
                Ok(n) => assert_eq!(n, m.number, "{}: {raw:?}", path.display()),
                Err(_) => assert!(
                    raw.starts_with(|c: char| c.is_ascii_digit())
                        && m.number.serial() == raw.to_ascii_lowercase(),
                    "{}: {raw:?} does not parse back to {}",
                    path.display(),
                    m.number
                ),
            }
            total += 1;
        }
    }
    total
}

#[test]
fn tvpl_spans_parse_back() {
    let total = tvpl_spans_parse_back_in(&fixture("tvpl"));
    assert!(total > 500, "numbers found in fixtures/tvpl: {total}");
}

/// The tvpl quirks the corpus README lists are read (the sample holds one
/// file of each: fixtures/tvpl/README.md).
#[test]
fn tvpl_quirks() {
    tvpl_quirks_in(&fixture("tvpl"));
}

fn tvpl_quirks_in(dir: &Path) {
    let mut eth = 0;
    let mut spaced = 0;
    let mut old = 0;
    for path in tvpl_files(dir) {
        let text = std::fs::read_to_string(&path).expect("tvpl file is UTF-8");
        for m in scan_numbers(&text) {
            let raw = &text[m.span.clone()];
            eth += usize::from(raw.contains('Ð') && m.number.as_str().contains("NĐ"));
            spaced += usize::from(raw == "119- KH/TU" && m.number.as_str() == "119-KH/TU");
            old += usize::from(m.number.as_str() == "169-CP");
        }
    }
    assert!(eth > 0, "NÐ-CP with U+00D0 is read as NĐ-CP");
    assert!(spaced > 0, "\"119- KH/TU\" is read");
    assert!(old > 0, "\"169-CP\" is read");
}

/// Citations of the same document (same vbpl_itemid) in the Bộ Pháp điển
/// name it with one loose key, and nearly every citation has a number.
/// The items listed are errors in the data itself: a typo in the issuer
/// ("211/2013/TT-BTP" for TT-BTC), or an article credited to the
/// amending document under the amended one's item id.
/// Returns (citations, citations with a number).
fn phapdien_citations_agree_in(path: &Path) -> (usize, usize) {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let mut by_item: HashMap<String, HashMap<String, usize>> = HashMap::new();
    let (mut cited, mut numbered) = (0usize, 0usize);
    for line in text.lines() {
        let line = line.trim_start_matches('\u{feff}');
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let (Some(cit), Some(item)) = (v["source_citation"].as_str(), v["vbpl_itemid"].as_str())
        else {
            continue;
        };
        cited += 1;
        if let Some(m) = scan_numbers(cit).into_iter().next() {
            numbered += 1;
            let key = m.number.loose_key();
            *by_item
                .entry(item.to_string())
                .or_default()
                .entry(key)
                .or_default() += 1;
        }
    }
    assert!(
        numbered * 100 >= cited * 97,
        "numbered {numbered} of {cited}"
    );
    const DATA_ERRORS: [&str; 5] = ["172446", "26529", "38008", "12318", "118071"];
    let disagree: Vec<_> = by_item
        .iter()
        .filter(|(item, keys)| keys.len() > 1 && !DATA_ERRORS.contains(&item.as_str()))
        .collect();
    assert!(
        disagree.is_empty(),
        "one document, several keys: {disagree:?}"
    );
    (cited, numbered)
}

#[test]
fn phapdien_citations_agree() {
    // The sample: 8 documents with 3 articles each among its 301 articles.
    let (cited, _) = phapdien_citations_agree_in(&fixture("phapdien/sample.jsonl"));
    assert!(cited > 250, "citations read: {cited}");
}

/// The same over the whole shared corpus. Throughput: `cargo bench --bench
/// refs`.
#[cfg(feature = "corpus")]
mod corpus {
    use super::*;
    use crate::testdata::shared;

    #[test]
    fn tvpl_spans_parse_back() {
        let dir = shared("corpus/tvpl");
        assert!(tvpl_files(&dir).len() >= 200, "the tvpl corpus is there");
        let total = tvpl_spans_parse_back_in(&dir);
        assert!(total > 15_000, "numbers found in tvpl: {total}");
    }

    #[test]
    fn tvpl_quirks() {
        tvpl_quirks_in(&shared("corpus/tvpl"));
    }

    #[test]
    fn phapdien_citations_agree() {
        let (cited, _) = phapdien_citations_agree_in(&shared("corpus/phapdien/articles.jsonl"));
        assert!(cited > 50_000, "citations read: {cited}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn no_panic_and_well_formed_spans(s in "\\PC{0,80}") {
        check_spans(&s);
    }

    #[test]
    fn no_panic_on_number_alphabet(
        s in "[0-9 /\\-–—:,.aNQĐđÐTWCPốsSượưUHKhgtr\n\u{31b}\u{301}]{0,60}"
    ) {
        check_spans(&s);
        let _ = s.parse::<DocNumber>();
    }
}

fn check_spans(s: &str) {
    let mut last_end = 0;
    for m in scan_numbers(s) {
        assert!(
            m.span.start >= last_end && m.span.start < m.span.end,
            "{s:?}: {m:?}"
        );
        assert!(s.is_char_boundary(m.span.start) && s.is_char_boundary(m.span.end));
        last_end = m.span.end;
    }
}

/// Long adversarial lines finish (linear time; nothing is asserted about
/// time, only that they return).
#[test]
fn adversarial_inputs_return() {
    let digits_and_dashes: String = "1-2/3-".repeat(200_000);
    assert!(scan_numbers(&digits_and_dashes).is_empty());
    let so = "số ".repeat(100_000);
    assert!(scan_numbers(&so).is_empty());
    let chain = format!("1/A{}", "-AB".repeat(300_000));
    let _ = scan_numbers(&chain);
    let party = "1-NQ/".repeat(200_000);
    let _ = scan_numbers(&party);
    let shared = format!("số {}1-NQ/TW", "1, ".repeat(200_000));
    let _ = scan_numbers(&shared);
    let mixed = "25-NQ/TW 1/A1-A1 số31-QĐ/TWngày ".repeat(30_000);
    assert_eq!(scan_numbers(&mixed).len(), 90_000);
}
