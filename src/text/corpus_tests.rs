//! Tests over the real texts in the shared folder (`../shared` beside the
//! repository): the tvpl legal corpus (some NFD, some with U+00D0) and the
//! seed directive pages. They fail loudly if the folder is missing.
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::*;

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared");

fn txt_files(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(SHARED).join(dir);
    let entries =
        fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .txt files in {}", dir.display());
    files
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

#[test]
fn tvpl_corpus_syllables() {
    let files = txt_files("corpus/tvpl");
    let (mut syls, mut retoned, mut bytes) = (0usize, 0usize, 0usize);
    let mut changed: HashMap<(String, String), usize> = HashMap::new();
    for path in &files {
        let text = read(path);
        bytes += text.len();
        for r in syllables(&text) {
            let x = &text[r];
            syls += 1;
            let e = exact(x);
            assert_eq!(
                fold(&e),
                fold(x),
                "fold(exact(x)) != fold(x) for {x:?} in {}",
                path.display()
            );
            assert_eq!(
                exact(&e),
                e,
                "exact not idempotent on {x:?} in {}",
                path.display()
            );
            let n = nfc(x);
            if tone::changes(&n) && !n.contains(['Ð', 'ð']) {
                retoned += 1;
                let to = normalize(&n).into_owned();
                *changed.entry((n.into_owned(), to)).or_default() += 1;
            }
        }
    }
    let mut top: Vec<_> = changed.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    println!(
        "tvpl: {} files, {:.1} MB, {syls} syllables, {retoned} retoned by the tone rule ({} distinct)",
        files.len(),
        bytes as f64 / 1e6,
        top.len()
    );
    for ((from, to), n) in top.iter().take(40) {
        println!("  {n:>6}  {from} -> {to}");
    }
    assert!(
        syls > 1_000_000,
        "only {syls} syllables: is the corpus complete?"
    );
}

#[test]
fn seeds_normalize_without_changing_the_fold() {
    for path in txt_files("seeds") {
        let text = read(&path);
        let n = normalize(&text);
        assert_eq!(fold(&n), fold(&text), "{}", path.display());
        assert_eq!(normalize(&n), n, "{}", path.display());
        assert_eq!(
            syllables(&n).count(),
            syllables(&nfc(&text)).count(),
            "{}",
            path.display()
        );
    }
}

/// Segment + exact_into + fold_into over the whole tvpl corpus. Run with
/// `cargo test --release --lib text::corpus_tests::throughput -- --ignored
/// --nocapture`.
#[test]
#[ignore = "timing; run in release"]
fn throughput() {
    let texts: Vec<String> = txt_files("corpus/tvpl").iter().map(|p| read(p)).collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let mb = bytes as f64 / 1e6;
    let (mut e, mut f) = (String::new(), String::new());
    for round in 0..3 {
        let (mut n, mut seg, mut ex, mut fo) = (0usize, 0.0, 0.0, 0.0);
        let t0 = Instant::now();
        for t in &texts {
            n += syllables(t).count();
        }
        seg += t0.elapsed().as_secs_f64();
        let t0 = Instant::now();
        for t in &texts {
            for r in syllables(t) {
                e.clear();
                exact_into(&t[r], &mut e);
            }
        }
        ex += t0.elapsed().as_secs_f64();
        let t0 = Instant::now();
        for t in &texts {
            for r in syllables(t) {
                f.clear();
                fold_into(&t[r], &mut f);
            }
        }
        fo += t0.elapsed().as_secs_f64();
        let t0 = Instant::now();
        for t in &texts {
            for r in syllables(t) {
                e.clear();
                f.clear();
                let x = &t[r];
                exact_into(x, &mut e);
                fold_into(x, &mut f);
            }
        }
        let all = t0.elapsed().as_secs_f64();
        println!(
            "round {round}: {n} syllables, {mb:.1} MB; segment {:.0} MB/s, segment+exact {:.0} MB/s, \
             segment+fold {:.0} MB/s, segment+exact+fold {:.0} MB/s",
            mb / seg,
            mb / ex,
            mb / fo,
            mb / all
        );
    }
}
