//! Query latency (issue 13): `Engine::search` over the 62,323 Pháp điển
//! articles, as `vanban search --batch` runs it (limit 10, snippets, stored
//! documents read), for
//! - the 430 ALQAC 2024 questions (long, accented), as written and with
//!   every diacritic stripped;
//! - the short queries of `corpus/queries/short.txt`.
//!
//! Prints `took_ms` p50 / p90 / p99 of one warm pass over each set (the
//! numbers compared with tantivy-py), then criterion's time per query,
//! cycling through the set.
//!
//! The index is built once into a temporary directory from
//! `corpus/phapdien/articles.jsonl` (about 20 s), or read from
//! `VANBAN_QUERY_DATA=DIR`, a data directory made by `vanban --data-dir DIR
//! ingest .../phapdien/articles.jsonl` (kept between runs).
//!
//! Run: `cargo bench --bench query` (set VANBAN_SHARED to move the data).
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use vanban::datadir::DataDir;
use vanban::index::IndexHandle;
use vanban::ingest::{self, Options};
use vanban::search::{Engine, Request};

#[derive(serde::Deserialize)]
struct Question {
    text: String,
}

/// Every diacritic removed, đ → d, case kept (as `benches/alqac.rs`).
fn strip(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' | 'Ð' => 'D',
            c => c,
        })
        .collect()
}

/// The engine, over `VANBAN_QUERY_DATA` or a fresh index (kept alive by
/// the returned temporary directory).
fn engine() -> (Engine, Option<tempfile::TempDir>) {
    let (dir, tmp) = match std::env::var_os("VANBAN_QUERY_DATA") {
        Some(d) if PathBuf::from(&d).join("CURRENT").exists() => (PathBuf::from(d), None),
        _ => {
            let tmp = tempfile::tempdir().unwrap();
            let dir = tmp.path().join("data");
            let dd = DataDir::open(&dir).unwrap();
            let lock = dd.lock(false, |_| {}).unwrap();
            let articles = vanban::testdata::shared("corpus/phapdien/articles.jsonl");
            let r = ingest::ingest(&dd, &lock, &[articles], &Options::default(), &mut |_| {});
            assert_eq!(r.unwrap().inserted, 62_323);
            (dir, Some(tmp))
        }
    };
    let dd = DataDir::open(&dir).unwrap();
    let handle = IndexHandle::open_live(&dd).unwrap().expect("an index");
    (Engine::new(handle).unwrap(), tmp)
}

fn requests(queries: &[String]) -> Vec<Request> {
    queries
        .iter()
        .map(|q| Request {
            q: q.clone(),
            limit: 10,
            ..Default::default()
        })
        .collect()
}

/// took_ms of one pass, sorted.
fn pass(engine: &Engine, reqs: &[Request]) -> Vec<f64> {
    let mut t: Vec<f64> = reqs
        .iter()
        .map(|r| engine.search(r).unwrap().took_ms)
        .collect();
    t.sort_by(f64::total_cmp);
    t
}

fn report(label: &str, t: &[f64]) {
    let pct = |p: usize| t[(p * t.len() / 100).min(t.len() - 1)];
    println!(
        "{label:<22} n={:<4} took_ms p50 {:.2}  p90 {:.2}  p99 {:.2}",
        t.len(),
        pct(50),
        pct(90),
        pct(99)
    );
}

fn bench(c: &mut Criterion) {
    let (engine, _tmp) = engine();
    let alqac = vanban::testdata::shared("corpus/alqac2024/unverified_train.json");
    let questions: Vec<Question> = serde_json::from_slice(&std::fs::read(alqac).unwrap()).unwrap();
    assert_eq!(questions.len(), 430);
    let accented: Vec<String> = questions
        .iter()
        .map(|q| q.text.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let stripped: Vec<String> = accented.iter().map(|q| strip(q)).collect();
    let short = vanban::testdata::shared("corpus/queries/short.txt");
    let short: Vec<String> = std::fs::read_to_string(short)
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    assert!(short.len() >= 50, "{} short queries", short.len());
    let sets = [
        ("alqac/accented", requests(&accented)),
        ("alqac/stripped", requests(&stripped)),
        ("short", requests(&short)),
    ];
    for (label, reqs) in &sets {
        pass(&engine, reqs); // warm
        report(label, &pass(&engine, reqs));
    }
    let mut g = c.benchmark_group("query");
    g.sample_size(20);
    for (label, reqs) in &sets {
        let mut i = 0;
        g.bench_function(*label, |b| {
            b.iter(|| {
                i = (i + 1) % reqs.len();
                engine.search(&reqs[i]).unwrap().total
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
