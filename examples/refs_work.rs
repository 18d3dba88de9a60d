//! The refs work of ingest alone, for profilers and instruction counts:
//! loads the Pháp điển articles (as `extract` reads them) and the tvpl
//! full texts (NFC), then runs `refs::identify` and/or `refs::citations`
//! over them, as `Document::from_extracted` does.
//!
//! ```text
//! cargo build --release --example refs_work
//! perf stat -e instructions target/release/examples/refs_work both
//! perf record -g target/release/examples/refs_work identify
//! ```
//!
//! The first argument is `identify`, `citations`, `both` (default) or
//! `load` (loading only, to subtract); the second `all` (default),
//! `phapdien` or `tvpl`.
use vanban::refs;

fn main() {
    let what = std::env::args().nth(1).unwrap_or_else(|| "both".into());
    let set = std::env::args().nth(2).unwrap_or_else(|| "all".into());
    let lines = std::fs::read_to_string(vanban::testdata::shared("corpus/phapdien/articles.jsonl"))
        .expect("the Pháp điển articles");
    let mut docs: Vec<(String, String)> = lines
        .lines()
        .filter_map(|l| vanban::extract::extract_json_line(l).ok())
        .map(|d| (d.title, d.body))
        .collect();
    if set == "tvpl" {
        docs.clear();
    }
    let mut files: Vec<_> = std::fs::read_dir(vanban::testdata::shared("corpus/tvpl"))
        .expect("the tvpl texts")
        .map(|e| e.expect("a directory entry").path())
        .collect();
    files.sort();
    if set == "phapdien" {
        files.clear();
    }
    for f in files {
        let t = std::fs::read_to_string(&f).expect("a tvpl text");
        docs.push((String::new(), vanban::text::nfc(&t).into_owned()));
    }
    let mut n = 0usize;
    for (title, body) in &docs {
        match what.as_str() {
            "identify" => n += refs::identify(title, body).signers.len(),
            "citations" => n += refs::citations(body, None).refs.len(),
            "load" => n += body.len() & 1,
            _ => {
                let id = refs::identify(title, body);
                n += refs::citations(body, id.number.as_ref()).refs.len() + id.signers.len();
            }
        }
    }
    println!("{} documents, {n}", docs.len());
}
