//! Analyzer throughput over `corpus/tvpl` (214 legal texts, ~37 MB): both
//! forms (exact and folded), numbers as single tokens, as at index time.
//! Target (issue 2): ≥ 40 MB/s per core for exact + folded.
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use vanban::index::analyzer::{Form, analyzer};

fn corpus() -> Vec<String> {
    let dir = vanban::testdata::shared("corpus/tvpl");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    // Stored bodies are NFC (extraction does that), so analyze NFC text.
    files
        .iter()
        .map(|p| vanban::text::nfc(&std::fs::read_to_string(p).unwrap()).into_owned())
        .collect()
}

fn count(texts: &[String], form: Form) -> usize {
    let mut a = analyzer(form);
    let mut n = 0;
    for t in texts {
        let mut s = a.token_stream(t);
        while s.advance() {
            n += 1;
        }
    }
    n
}

fn bench(c: &mut Criterion) {
    let texts = corpus();
    assert_eq!(texts.len(), 214, "tvpl holds 214 files");
    let bytes: usize = texts.iter().map(String::len).sum();
    // Warm up lazy statics, and keep the bench honest: both forms see the
    // same token count.
    let (e, f) = (count(&texts, Form::Exact), count(&texts, Form::Folded));
    assert_eq!(e, f);
    assert!(e > 1_000_000, "{e} tokens");
    let mut g = c.benchmark_group("analyzer");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("tvpl/exact", |b| b.iter(|| count(&texts, Form::Exact)));
    g.bench_function("tvpl/folded", |b| b.iter(|| count(&texts, Form::Folded)));
    // Source bytes analyzed into both forms per second.
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("tvpl/exact+folded", |b| {
        b.iter(|| count(&texts, Form::Exact) + count(&texts, Form::Folded))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
