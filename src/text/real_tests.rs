//! Tests over real texts: the tvpl sample and the seeds in `fixtures/`
//! (some NFD, one with U+00D0), and the Bộ Pháp điển sample; the `corpus`
//! module runs the same checks over the whole shared corpus
//! (`--features corpus`).
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::*;
use crate::testdata::fixture;

fn txt_files(dir: &Path) -> Vec<PathBuf> {
    let files = crate::testdata::files_with_extension(dir, "txt");
    assert!(!files.is_empty(), "no .txt files in {}", dir.display());
    files
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// fold(exact(x)) == fold(x) and exact is idempotent on every syllable of
/// the `.txt` files of `dir`; returns (syllables, retoned syllables).
fn syllables_keep_their_fold(dir: &Path) -> (usize, usize) {
    let files = txt_files(dir);
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
    (syls, retoned)
}

#[test]
fn tvpl_syllables() {
    let (syls, retoned) = syllables_keep_their_fold(&fixture("tvpl"));
    // 13 files, 0.65 MB: about 100k syllables, a few hundred retoned
    // ("hoà", "uỷ" in the older texts).
    assert!(syls > 90_000, "only {syls} syllables in fixtures/tvpl");
    assert!(retoned > 0, "no old-style tone placement in fixtures/tvpl");
}

#[test]
fn seeds_normalize_without_changing_the_fold() {
    for path in txt_files(&fixture("seeds")) {
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

/// normalize, exact and fold agree on every text field of the first
/// `lines` articles of a Pháp điển JSONL file; returns the fields checked.
fn phapdien_fields_keep_their_fold(path: &Path, lines: usize) -> usize {
    use std::io::{BufRead, BufReader};
    let file =
        fs::File::open(path).unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()));
    let mut checked = 0;
    for line in BufReader::new(file).lines().take(lines) {
        let line = line.expect("readable line");
        let line = line.trim_start_matches('\u{feff}');
        let v: serde_json::Value = serde_json::from_str(line).expect("a JSON object per line");
        for key in ["demuc", "title", "source_citation", "text"] {
            let Some(text) = v.get(key).and_then(|t| t.as_str()) else {
                continue;
            };
            let (n, e, f) = (normalize(text), exact(text), fold(text));
            assert_eq!(fold(&n), f, "normalize changed the fold of {key} {text:?}");
            assert_eq!(fold(&e), f, "fold(exact) != fold for {key} {text:?}");
            assert_eq!(exact(&e), e, "exact not idempotent on {key} {text:?}");
            assert_eq!(
                e,
                exact(&n),
                "exact(normalize(s)) != exact(s) for {key} {text:?}"
            );
            checked += 1;
        }
    }
    checked
}

#[test]
fn phapdien_articles_keep_their_fold() {
    // 301 articles, each with demuc, title and text, most with a citation.
    let checked = phapdien_fields_keep_their_fold(&fixture("phapdien/sample.jsonl"), usize::MAX);
    assert!(checked > 1_100, "only {checked} fields checked");
}

/// The same checks over the whole shared corpus.
#[cfg(feature = "corpus")]
mod corpus {
    use super::*;
    use crate::testdata::shared;

    #[test]
    fn tvpl_syllables() {
        let (syls, _) = syllables_keep_their_fold(&shared("corpus/tvpl"));
        assert!(
            syls > 1_000_000,
            "only {syls} syllables: is the corpus complete?"
        );
    }

    #[test]
    fn phapdien_articles_keep_their_fold() {
        let checked =
            phapdien_fields_keep_their_fold(&shared("corpus/phapdien/articles.jsonl"), usize::MAX);
        assert!(checked > 200_000, "only {checked} fields checked");
    }
}
