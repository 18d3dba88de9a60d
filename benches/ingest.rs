//! Ingest throughput (issue 13, item 5): `ingest::ingest` of a fixed
//! sample into a fresh data dir (store, extraction, refs, both analyzers,
//! index commit), documents per second.
//!
//! The sample: the first 5,000 Bộ Pháp điển articles of
//! `corpus/phapdien/articles.jsonl` plus the first 20 `corpus/tvpl` full
//! texts (~1/3 of the bytes: long texts weigh as in the real mix), from
//! the shared corpus; without it, the committed samples
//! `fixtures/phapdien/sample.jsonl` and `fixtures/tvpl/` (labelled
//! `fixtures`). The full-corpus and scale figures are scripts:
//! `scripts/bench-ingest.sh`, `scripts/bench-scale.sh`.
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use vanban::datadir::DataDir;
use vanban::ingest::{self, Options};

const ARTICLES: usize = 5_000;
const LONG: usize = 20;

/// Writes the sample under `dir`; returns its paths, its label and its
/// record count.
fn sample(dir: &std::path::Path) -> (Vec<PathBuf>, &'static str, u64) {
    let (articles, tvpl, label) = match vanban::testdata::shared_dir() {
        Some(s) => (
            s.join("corpus/phapdien/articles.jsonl"),
            s.join("corpus/tvpl"),
            "phapdien5k+tvpl20",
        ),
        None => (
            vanban::testdata::fixture("phapdien/sample.jsonl"),
            vanban::testdata::fixture("tvpl"),
            "fixtures",
        ),
    };
    let jsonl = dir.join("articles.jsonl");
    let mut out = std::fs::File::create(&jsonl).expect("sample file");
    let mut n = 0u64;
    let lines = BufReader::new(std::fs::File::open(&articles).expect("articles"));
    for line in lines.lines().take(ARTICLES) {
        writeln!(out, "{}", line.expect("read")).expect("write");
        n += 1;
    }
    let mut texts: Vec<PathBuf> = std::fs::read_dir(&tvpl)
        .expect("tvpl dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    texts.sort();
    texts.truncate(LONG);
    let long = dir.join("long");
    std::fs::create_dir(&long).expect("long dir");
    for p in &texts {
        std::fs::copy(p, long.join(p.file_name().expect("name"))).expect("copy");
        n += 1;
    }
    (vec![jsonl, long], label, n)
}

fn run(paths: &[PathBuf]) -> (tempfile::TempDir, ingest::Report) {
    let dir = tempfile::tempdir().expect("tempdir");
    let dd = DataDir::open(dir.path().join("data")).expect("data dir");
    let lock = dd.lock(false, |_| {}).expect("lock");
    let report =
        ingest::ingest(&dd, &lock, paths, &Options::default(), &mut |_| {}).expect("ingest");
    drop(lock);
    (dir, report)
}

fn bench(c: &mut Criterion) {
    let input = tempfile::tempdir().expect("tempdir");
    let (paths, label, records) = sample(input.path());
    // Keep the bench honest: every record of the sample is indexed.
    let (_dir, report) = run(&paths);
    assert_eq!(report.seen, records, "{report:?}");
    assert_eq!(report.inserted, records, "{report:?}");
    assert_eq!(report.failed, 0, "{report:?}");
    let mut g = c.benchmark_group("ingest");
    g.sample_size(10);
    g.throughput(Throughput::Elements(records));
    // The temp data dir is removed outside the timed part.
    g.bench_function(label, |b| {
        b.iter_batched(|| (), |()| run(&paths), BatchSize::PerIteration)
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
