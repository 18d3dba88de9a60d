//! `vanban refs` and the number grammar on real text (issue 3):
//! - the four seeds against golden files written by reading them
//!   (`fixtures/refs/<seed>.expected.json`), compared field by field;
//! - the Bộ Pháp điển citations: how many yield a number, and whether one
//!   document's citations keep one key and one key names one document;
//! - the tvpl corpus: every span slices its raw text (also on random
//!   windows of it), and the count of references per file;
//! - adversarial input: never a panic; what it holds is found (the time
//!   it takes is a benchmark: `cargo bench --bench refs`).
mod golden;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use proptest::prelude::*;
use serde_json::Value;
use vanban::refs::{self, DocNumber, RefSet};

use vanban::testdata::{files_with_extension, fixture};

fn vanban() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_vanban"));
    c.env_remove("VANBAN_DATA_DIR").env("NO_COLOR", "1");
    c
}

/// Runs `vanban refs --json` on `path` (or on `stdin` bytes with "-").
fn refs_json(args: &[&str], stdin: Option<&[u8]>) -> Value {
    let mut c = vanban();
    c.arg("refs").arg("--json").args(args);
    c.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = c.spawn().expect("vanban runs");
    if let Some(bytes) = stdin {
        use std::io::Write;
        let mut pipe = child.stdin.take().expect("stdin");
        pipe.write_all(bytes).expect("write stdin");
    }
    let out = child.wait_with_output().expect("vanban ends");
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "vanban refs {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "vanban refs {args:?} printed no JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

// ---------------------------------------------------------------------------
// Bộ Pháp điển citations

/// One share, printed and asserted.
fn share(label: &str, good: usize, all: usize, target: f64) -> f64 {
    let s = good as f64 / all.max(1) as f64;
    println!(
        "{label}: {good} of {all} = {:.3}% (target {:.1}%)",
        s * 100.0,
        target * 100.0
    );
    s
}

/// The three consistency measures of issue 3 over the `source_citation`s of
/// `phapdien/articles.jsonl`, with the match key the index uses
/// ([`DocNumber::key`]); run with `--nocapture` for the residue.
/// Returns the citations read and the three shares.
fn phapdien_key_shares(path: &Path) -> (usize, f64, f64, f64) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (mut cited, mut numbered) = (0usize, 0usize);
    let mut no_number: Vec<String> = Vec::new();
    // item → key → (count, an example citation)
    let mut by_item: BTreeMap<String, BTreeMap<String, (usize, String)>> = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim_start_matches('\u{feff}');
        let Ok(v) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let Some(cit) = v["source_citation"]
            .as_str()
            .filter(|c| !c.trim().is_empty())
        else {
            continue;
        };
        cited += 1;
        let Some(first) = refs::scan_numbers(cit).into_iter().next() else {
            no_number.push(cit.to_string());
            continue;
        };
        numbered += 1;
        if let Some(item) = v["vbpl_itemid"].as_str().filter(|i| !i.is_empty()) {
            let e = by_item
                .entry(item.to_string())
                .or_default()
                .entry(first.number.key())
                .or_insert((0, cit.to_string()));
            e.0 += 1;
        }
    }
    let mut items_by_key: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (item, keys) in &by_item {
        for k in keys.keys() {
            items_by_key.entry(k).or_default().push(item);
        }
    }
    let split: Vec<_> = by_item.iter().filter(|(_, k)| k.len() > 1).collect();
    let merged: Vec<_> = items_by_key.iter().filter(|(_, i)| i.len() > 1).collect();

    println!("\n== Bộ Pháp điển source citations ({}) ==", path.display());
    let s1 = share("citations yielding a number", numbered, cited, 0.99);
    let s2 = share(
        "vbpl_itemids whose citations share one key",
        by_item.len() - split.len(),
        by_item.len(),
        0.995,
    );
    let s3 = share(
        "keys naming one vbpl_itemid",
        items_by_key.len() - merged.len(),
        items_by_key.len(),
        0.995,
    );
    println!(
        "\n-- citations without a number ({}), by document:",
        no_number.len()
    );
    // "(Điều 12 Pháp lệnh ...)" and "(Điều 13 Pháp lệnh ...)" name one
    // document: group on what follows the article number.
    let mut by_doc: BTreeMap<String, usize> = BTreeMap::new();
    for c in &no_number {
        let rest = c
            .trim_start_matches(['(', ' '])
            .trim_start_matches("Điều ")
            .trim_start_matches(|ch: char| ch.is_ascii_alphanumeric() || ch == '.');
        let doc: String = rest.chars().take(90).collect();
        *by_doc.entry(doc).or_default() += 1;
    }
    for (doc, n) in &by_doc {
        println!("   ×{n:<3} {doc}");
    }
    println!("\n-- items with several keys ({}):", split.len());
    for (item, keys) in &split {
        let list: Vec<String> = keys
            .iter()
            .map(|(k, (n, ex))| format!("{k} ×{n} «{}»", ex.chars().take(110).collect::<String>()))
            .collect();
        println!("   {item}: {}", list.join("\n          "));
    }
    println!("\n-- keys of several items ({}):", merged.len());
    for (key, items) in &merged {
        let ex: Vec<String> = items
            .iter()
            .map(|i| {
                let (_, c) = &by_item[*i][**key];
                format!("{i} «{}»", c.chars().take(110).collect::<String>())
            })
            .collect();
        println!("   {key}: {}", ex.join("\n          "));
    }
    (cited, s1, s2, s3)
}

/// The measures on the committed sample (301 articles, 8 documents with
/// 3 articles each): every citation there yields a number, and the
/// documents keep one key each.
#[test]
fn phapdien_citations_yield_one_key_per_document() {
    let (cited, s1, s2, s3) = phapdien_key_shares(&fixture("phapdien/sample.jsonl"));
    assert!(cited > 250, "citations read: {cited}");
    assert!(s1 >= 0.99, "share of citations yielding a number: {s1:.4}");
    assert_eq!(s2, 1.0, "share of items with one key");
    assert_eq!(s3, 1.0, "share of keys with one item");
}

// ---------------------------------------------------------------------------
// tvpl

fn tvpl_files(dir: &Path) -> Vec<PathBuf> {
    files_with_extension(dir, "txt")
}

/// Every reference span slices exactly its raw text; spans in order and
/// disjoint; `resolved_from` points at an earlier full citation with the
/// same key; unresolved short forms have no key.
fn check_well_formed(text: &str, set: &RefSet, what: &str) {
    let mut last_end = 0;
    for (i, c) in set.refs.iter().enumerate() {
        assert_eq!(
            text.get(c.start..c.end),
            Some(c.raw.as_str()),
            "{what}: span of {c:?}"
        );
        assert!(c.start >= last_end, "{what}: overlap at {:?}", c.raw);
        last_end = c.end;
        match c.resolved_from {
            Some(t) => {
                let target = &set.refs[t];
                assert!(t < i, "{what}: {:?} resolves forward", c.raw);
                assert_eq!(target.key, c.key, "{what}: {:?}", c.raw);
                assert!(target.resolved_from.is_none());
            }
            None if c.key.is_none() => {
                assert!(
                    c.number.bytes().all(|b| b.is_ascii_alphanumeric()),
                    "{what}: {c:?}"
                )
            }
            None => {}
        }
    }
    for u in &set.unnumbered {
        assert_eq!(
            text.get(u.start..u.end),
            Some(u.raw.as_str()),
            "{what}: {u:?}"
        );
    }
}

/// Reference counts per tvpl file (run with `--nocapture` for the table);
/// returns the total.
fn tvpl_spans_slice_their_raw_text_in(dir: &Path) -> usize {
    let files = tvpl_files(dir);
    let (mut total, mut short, mut unresolved, mut unnumbered) = (0, 0, 0, 0);
    let mut counts: Vec<(usize, String)> = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).expect("tvpl files are UTF-8");
        let set = refs::citations(&text, None);
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        check_well_formed(&text, &set, &name);
        total += set.refs.len();
        short += set
            .refs
            .iter()
            .filter(|c| c.resolved_from.is_some())
            .count();
        unresolved += set.refs.iter().filter(|c| c.key.is_none()).count();
        unnumbered += set.unnumbered.len();
        counts.push((set.refs.len(), name));
    }
    counts.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    println!(
        "\n== tvpl: {} files, {total} references ({short} resolved short forms, \
         {unresolved} unresolved short forms), {unnumbered} without a number ==",
        files.len()
    );
    for (n, name) in &counts {
        println!("{n:>6}  {name}");
    }
    total
}

#[test]
fn tvpl_spans_slice_their_raw_text() {
    let total = tvpl_spans_slice_their_raw_text_in(&fixture("tvpl"));
    // 619 when written (the same count as `refs::tests` finds).
    assert!(total > 500, "references in fixtures/tvpl: {total}");
}

/// Random windows of tvpl text (cut anywhere, so numbers and phrases are
/// cut too) are read without a panic and with well-formed spans.
#[test]
fn tvpl_windows_are_well_formed() {
    tvpl_windows_are_well_formed_in(&fixture("tvpl"), 1);
}

fn tvpl_windows_are_well_formed_in(dir: &Path, step: usize) {
    let texts: Vec<String> = tvpl_files(dir)
        .iter()
        .step_by(step)
        .map(|p| std::fs::read_to_string(p).expect("UTF-8"))
        .collect();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 200,
        ..ProptestConfig::default()
    });
    runner
        .run(
            &(0..texts.len(), any::<prop::sample::Index>(), 0usize..4000),
            |(f, at, len)| {
                let t = &texts[f];
                let mut s = at.index(t.len().max(1));
                while !t.is_char_boundary(s) {
                    s -= 1;
                }
                let mut e = (s + len).min(t.len());
                while !t.is_char_boundary(e) {
                    e -= 1;
                }
                let w = &t[s..e];
                let own = refs::identify("", w).number;
                check_well_formed(w, &refs::citations(w, own.as_ref()), "window");
                Ok(())
            },
        )
        .expect("windows are well formed");
}

/// The same over the whole shared corpus.
#[cfg(feature = "corpus")]
mod corpus {
    use super::*;
    use vanban::testdata::shared;

    #[test]
    fn phapdien_citations_yield_one_key_per_document() {
        let (cited, s1, s2, s3) = phapdien_key_shares(&shared("corpus/phapdien/articles.jsonl"));
        assert!(cited > 50_000, "citations read: {cited}");
        assert!(s1 >= 0.99, "share of citations yielding a number: {s1:.4}");
        assert!(s2 >= 0.995, "share of items with one key: {s2:.4}");
        assert!(s3 >= 0.995, "share of keys with one item: {s3:.4}");
    }

    #[test]
    fn tvpl_spans_slice_their_raw_text() {
        let dir = shared("corpus/tvpl");
        let files = tvpl_files(&dir).len();
        assert!(files >= 200, "tvpl corpus: {files} files");
        let total = tvpl_spans_slice_their_raw_text_in(&dir);
        assert!(total > 15_000, "references in tvpl: {total}");
    }

    #[test]
    fn tvpl_windows_are_well_formed() {
        tvpl_windows_are_well_formed_in(&shared("corpus/tvpl"), 7);
    }
}

// ---------------------------------------------------------------------------
// Adversarial input

fn all_of_refs(s: &str) -> RefSet {
    let id = refs::identify("", s);
    refs::citations(s, id.number.as_ref())
}

/// The references found in `make(n)` and in `make(4n)`: every repetition
/// of an adversarial unit holds the same references, so 4× the input
/// holds exactly 4× the references, with well-formed spans. (How the time
/// grows with the input is measured by `cargo bench --bench refs`, group
/// `adversarial`; a test asserts no clock.)
fn four_times(name: &str, make: &dyn Fn(usize) -> String, n: usize) -> usize {
    let (small, large) = (make(n), make(4 * n));
    let (a, b) = (all_of_refs(&small), all_of_refs(&large));
    check_well_formed(&large, &b, name);
    println!(
        "{name}: {n} units → {}, {} → {}",
        a.refs.len(),
        4 * n,
        b.refs.len()
    );
    assert_eq!(b.refs.len(), 4 * a.refs.len(), "{name}");
    assert_eq!(b.unnumbered.len(), 4 * a.unnumbered.len(), "{name}");
    a.refs.len()
}

#[test]
fn adversarial_inputs_return_what_they_hold() {
    // A line of digits and dashes (10 MB): read to the end, spans intact.
    let mut ten_mb = "12-34/56-7 - 8–9/2020/".repeat(10_000_000 / 20 + 1);
    let mut cut = 10_000_000;
    while !ten_mb.is_char_boundary(cut) {
        cut -= 1;
    }
    ten_mb.truncate(cut);
    let set = all_of_refs(&ten_mb);
    check_well_formed(&ten_mb, &set, "10 MB of digits and dashes");
    let glued = "1234-5678-".repeat(1_000_000);
    check_well_formed(&glued, &all_of_refs(&glued), "10 MB of 1234-5678-");
    // 100k "số" and nothing after them: no number at all.
    let so = "số ".repeat(100_000);
    assert_eq!(all_of_refs(&so).refs.len(), 0);
    assert_eq!(refs::scan_numbers(&so).len(), 0);
    // Codes with no digit are no numbers.
    assert_eq!(all_of_refs(&"sốNQ/TW-".repeat(80_000)).refs.len(), 0);
    // One full number per unit, inside never-closed quotes.
    let quotes = |n: usize| "Chỉ thị số 05-CT/TW về “a “b ".repeat(n);
    assert_eq!(four_times("open quotes", &quotes, 2_000), 2_000);
    let set = all_of_refs(&quotes(3));
    let numbers: Vec<&str> = set.refs.iter().map(|c| c.number.as_str()).collect();
    assert_eq!(numbers, ["05-CT/TW"; 3]);
    // Digits with no kind code, and bare serials, are no document numbers.
    let digits = |n: usize| "12-34/56-7 - 8–9/2020/ ".repeat(n);
    assert_eq!(four_times("digits and dashes", &digits, 10_000), 0);
    let serials = |n: usize| "số 1, 2, 3 và ".repeat(n);
    assert_eq!(four_times("số 1, 2, 3 và", &serials, 10_000), 0);
    // A kind noun and a serial: one short form (with no full citation to
    // resolve to) per unit.
    let shorts = |n: usize| "Nghị quyết 25 của Bộ Chính trị; ".repeat(n);
    assert_eq!(four_times("bare short forms", &shorts, 4_000), 4_000);
    // Two numbers per unit, however long the chain of codes after them.
    let chains = |n: usize| "25-NQ/TW-QĐ-CP-UBND 1/2020/NĐ-CP-BTC; ".repeat(n);
    assert_eq!(four_times("chains of codes", &chains, 5_000), 10_000);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Arbitrary bytes, read as `vanban refs` reads a file (lossy UTF-8).
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        all_of_refs(&String::from_utf8_lossy(&bytes));
    }

    /// Strings over the alphabet of numbers and citations.
    #[test]
    fn citation_alphabet_never_panics(
        s in "[ \\n,;:.()“”\"0-9/\\-–—NQĐÐTWCPUBNDkhóaXIVvềcủangàyốsSốNghịquyếtChỉthịsauđâygọitắtlà\\u{301}\\u{323}\\u{a0}]{0,200}"
    ) {
        all_of_refs(&s);
        let _ = s.parse::<DocNumber>();
    }
}

/// Arbitrary bytes through the binary (text and HTML): exit 0 or 1, JSON.
#[test]
fn arbitrary_bytes_through_the_binary() {
    let mut bytes: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
    bytes.extend_from_slice("Căn cứ Nghị quyết số 25–NQ/TW".as_bytes());
    bytes.extend_from_slice(&[0xff, 0xfe, 0xc3]);
    let v = refs_json(&["-"], Some(&bytes));
    assert!(v["refs"].is_array());
    let v = refs_json(&["--html", "-"], Some(&bytes));
    assert!(v["refs"].is_array());
}
