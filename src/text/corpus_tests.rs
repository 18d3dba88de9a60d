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

#[test]
fn phapdien_articles_keep_their_fold() {
    use std::io::{BufRead, BufReader};
    let path = Path::new(SHARED).join("corpus/phapdien/articles.jsonl");
    let file =
        fs::File::open(&path).unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()));
    let mut checked = 0;
    for line in BufReader::new(file).lines().take(1500) {
        let line = line.expect("readable line");
        let v: serde_json::Value = serde_json::from_str(&line).expect("a JSON object per line");
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
    assert!(checked > 1500, "only {checked} fields checked");
}

/// CPU time of this thread in seconds (Linux; `None` elsewhere), so that
/// timings hold up on a shared build machine.
fn thread_cpu_secs() -> Option<f64> {
    let stat = fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

/// Segment + exact_into + fold_into over the whole tvpl corpus, best of 5
/// runs per phase, in thread CPU time where available. Run with
/// `cargo test --release --lib text::corpus_tests::throughput -- --ignored
/// --nocapture`.
#[test]
#[ignore = "timing; run in release"]
fn throughput() {
    let texts: Vec<String> = txt_files("corpus/tvpl").iter().map(|p| read(p)).collect();
    let mb = texts.iter().map(String::len).sum::<usize>() as f64 / 1e6;
    let (mut e, mut f) = (String::new(), String::new());
    let best = |name: &str, run: &mut dyn FnMut() -> usize| {
        let (mut wall, mut cpu) = (f64::INFINITY, f64::INFINITY);
        let mut n = 0;
        for _ in 0..5 {
            let (t0, c0) = (Instant::now(), thread_cpu_secs());
            n = run();
            wall = wall.min(t0.elapsed().as_secs_f64());
            if let (Some(c0), Some(c1)) = (c0, thread_cpu_secs()) {
                cpu = cpu.min(c1 - c0);
            }
        }
        println!(
            "{name:<20} {:>5.0} MB/s CPU, {:>5.0} MB/s wall  ({n} syllables, {mb:.1} MB)",
            mb / cpu,
            mb / wall
        );
    };
    best("segment", &mut || {
        texts.iter().map(|t| syllables(t).count()).sum()
    });
    best("segment+exact", &mut || {
        let mut n = 0;
        for t in &texts {
            for r in syllables(t) {
                e.clear();
                exact_into(&t[r], &mut e);
                n += 1;
            }
        }
        n
    });
    best("segment+fold", &mut || {
        let mut n = 0;
        for t in &texts {
            for r in syllables(t) {
                f.clear();
                fold_into(&t[r], &mut f);
                n += 1;
            }
        }
        n
    });
    best("segment+exact+fold", &mut || {
        let mut n = 0;
        for t in &texts {
            for r in syllables(t) {
                let x = &t[r];
                e.clear();
                f.clear();
                exact_into(x, &mut e);
                fold_into(x, &mut f);
                n += 1;
            }
        }
        n
    });
}
