//! Reference extraction throughput over `corpus/tvpl` (214 legal texts,
//! ~37 MB), one core. Target (issue 3): ≥ 50 MB/s for `refs::citations`.
//!
//! - `tvpl/citations`: every reference with its kind, date, issuer, khóa,
//!   subject and relation, short forms and unnumbered references, on the
//!   files as read (75 are not NFC and go through the NFC map), as
//!   `vanban refs` does;
//! - `tvpl/citations-nfc`: the same on NFC text, as ingest does on stored
//!   bodies;
//! - `tvpl/scan_numbers`: the number grammar alone;
//! - `tvpl/identify`: `refs::identify` on the NFC texts;
//! - `phapdien/identify`, `phapdien/citations`, `phapdien/both`: what
//!   `Document::from_extracted` derives at ingest (identity, then the
//!   citations with the own number) over the 62,323 Pháp điển articles
//!   as `extract` reads them.
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
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

/// (title, body) of every Pháp điển article, as ingest extracts them.
fn phapdien() -> Vec<(String, String)> {
    let path = vanban::testdata::shared("corpus/phapdien/articles.jsonl");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter_map(|l| vanban::extract::extract_json_line(l).ok())
        .map(|d| (d.title, d.body))
        .collect()
}

fn identities(docs: &[(String, String)]) -> usize {
    docs.iter()
        .map(|(t, b)| refs::identify(t, b).signers.len())
        .sum()
}

fn doc_citations(docs: &[(String, String)]) -> usize {
    docs.iter()
        .map(|(_, b)| refs::citations(b, None).refs.len())
        .sum()
}

/// Identity, then citations with the own number: `from_extracted`.
fn derived(docs: &[(String, String)]) -> usize {
    docs.iter()
        .map(|(t, b)| {
            let id = refs::identify(t, b);
            refs::citations(b, id.number.as_ref()).refs.len() + id.signers.len()
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
    let docs: Vec<(String, String)> = nfc.iter().map(|t| (String::new(), t.clone())).collect();
    g.bench_function("tvpl/identify", |b| b.iter(|| identities(&docs)));
    g.finish();

    let docs = phapdien();
    assert!(docs.len() > 61_000, "{} Pháp điển articles", docs.len());
    let bytes: usize = docs.iter().map(|(t, b)| t.len() + b.len()).sum();
    assert!(derived(&docs) > 0);
    let mut g = c.benchmark_group("refs");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("phapdien/identify", |b| b.iter(|| identities(&docs)));
    g.bench_function("phapdien/citations", |b| b.iter(|| doc_citations(&docs)));
    g.bench_function("phapdien/both", |b| b.iter(|| derived(&docs)));
    g.finish();
}

/// Adversarial inputs at n and 4n units (formerly a wall-clock ratio in
/// `tests/refs.rs`, which flaked on a busy machine): criterion reports the
/// time per size; linear means about 4× from one size to the next, and
/// the throughput (bytes/s) stays flat across sizes.
fn adversarial(c: &mut Criterion) {
    let shapes: [(&str, &str, usize); 7] = [
        ("digits and dashes", "12-34/56-7 - 8–9/2020/", 250_000 / 22),
        ("số", "số ", 25_000),
        ("số 1, 2, 3 và", "số 1, 2, 3 và ", 10_000),
        (
            "bare short forms",
            "Nghị quyết 25 của Bộ Chính trị; ",
            4_000,
        ),
        ("open quotes", "Chỉ thị số 05-CT/TW về “a “b ", 2_000),
        (
            "chains of codes",
            "25-NQ/TW-QĐ-CP-UBND 1/2020/NĐ-CP-BTC; ",
            5_000,
        ),
        ("glued codes", "sốNQ/TW-", 20_000),
    ];
    let mut g = c.benchmark_group("adversarial");
    g.sample_size(10);
    for (name, unit, n) in shapes {
        for units in [n, 4 * n] {
            let text = unit.repeat(units);
            g.throughput(Throughput::Bytes(text.len() as u64));
            g.bench_with_input(BenchmarkId::new(name, units), &text, |b, t| {
                b.iter(|| {
                    let id = refs::identify("", t);
                    refs::citations(t, id.number.as_ref()).refs.len()
                })
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench, adversarial);
criterion_main!(benches);
