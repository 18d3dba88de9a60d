//! Reference extraction throughput over `corpus/tvpl` (214 legal texts,
//! ~37 MB), one core. Target (issue 3): ≥ 50 MB/s for `refs::citations`.
//!
//! - `tvpl/citations`: every reference with its kind, date, issuer, khóa,
//!   subject and relation, short forms and unnumbered references, on the
//!   files as read (75 are not NFC and go through the NFC map), as
//!   `vanban refs` does;
//! - `tvpl/citations-nfc`: the same on NFC text, as ingest does on stored
//!   bodies;
//! - `tvpl/scan_numbers`: the number grammar alone.
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use vanban::refs;

fn corpus() -> Vec<String> {
    let dir = vanban::testdata::shared("corpus/tvpl");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

fn citations(texts: &[String]) -> usize {
    texts
        .iter()
        .map(|t| {
            let set = refs::citations(t, None);
            set.refs.len() + set.unnumbered.len()
        })
        .sum()
}

fn numbers(texts: &[String]) -> usize {
    texts.iter().map(|t| refs::scan_numbers(t).len()).sum()
}

fn bench(c: &mut Criterion) {
    let texts = corpus();
    assert_eq!(texts.len(), 214, "tvpl holds 214 files");
    let nfc: Vec<String> = texts
        .iter()
        .map(|t| vanban::text::nfc(t).into_owned())
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let nfc_bytes: usize = nfc.iter().map(String::len).sum();
    // Warm up lazy statics, and keep the bench honest: NFD files read as
    // NFC find the same references.
    let (found, found_nfc) = (citations(&texts), citations(&nfc));
    assert_eq!(found, found_nfc);
    assert!(found > 15_000, "{found} references");
    assert!(numbers(&texts) > 15_000);
    let mut g = c.benchmark_group("refs");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("tvpl/citations", |b| b.iter(|| citations(&texts)));
    g.bench_function("tvpl/scan_numbers", |b| b.iter(|| numbers(&texts)));
    g.throughput(Throughput::Bytes(nfc_bytes as u64));
    g.bench_function("tvpl/citations-nfc", |b| b.iter(|| citations(&nfc)));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
