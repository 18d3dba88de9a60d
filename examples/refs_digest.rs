//! Differential check of everything `refs` derives at ingest: writes one
//! JSON line per document with the outputs of `Document::from_extracted`
//! (number, kind, issuers, issued, signers, citations with every field,
//! metadata), the unnumbered references of `refs::citations`, and
//! `refs::validity`; for `.txt` files also `refs::identify` and
//! `refs::citations` on the text as read (the non-NFC path `vanban refs`
//! takes). Run it on two builds and compare the files: a change that
//! should not change any output must give identical files.
//!
//! ```text
//! cargo run --release --example refs_digest -- OUT.jsonl PATH...
//! ```
//!
//! Each PATH is a file or a directory (walked, sorted): `.jsonl` files
//! are read line by line as ingest does, `.txt` as text, `.html`/`.htm`
//! as pages; other files are skipped. It prints the number of documents
//! and the BLAKE3 hash of OUT. `scripts/refs-diff.sh` runs it on a base
//! commit and on the work tree over the shared corpus and the fixtures.
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde_json::json;
use vanban::doc::Document;
use vanban::extract::{self, ExtractedDoc};
use vanban::refs;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let out_path = args
        .next()
        .ok_or_else(|| anyhow::anyhow!("usage: refs_digest OUT.jsonl PATH..."))?;
    let mut files: Vec<PathBuf> = Vec::new();
    for p in args {
        for e in walkdir::WalkDir::new(&p).sort_by_file_name() {
            let e = e?;
            if e.file_type().is_file() {
                files.push(e.into_path());
            }
        }
    }
    let mut out = BufWriter::new(std::fs::File::create(&out_path)?);
    let mut count = 0usize;
    for f in &files {
        let ext = f
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        match ext.as_str() {
            "jsonl" => {
                let reader = BufReader::new(std::fs::File::open(f)?);
                for (i, line) in reader.lines().enumerate() {
                    let line = line?;
                    let src = format!("{}#{}", f.display(), i + 1);
                    let doc = extract::extract_json_line(&line);
                    write_line(&mut out, &src, doc.ok(), None)?;
                    count += 1;
                }
            }
            "txt" => {
                let bytes = std::fs::read(f)?;
                let raw = String::from_utf8_lossy(&bytes);
                let doc = extract::extract_text(&bytes);
                write_line(&mut out, &name(f), doc.ok(), Some(&raw))?;
                count += 1;
            }
            "html" | "htm" => {
                let bytes = std::fs::read(f)?;
                let doc = extract::extract_html(&bytes, None);
                write_line(&mut out, &name(f), doc.ok(), None)?;
                count += 1;
            }
            _ => {}
        }
    }
    out.flush()?;
    drop(out);
    let hash = blake3::hash(&std::fs::read(&out_path)?);
    println!("{count} documents, blake3 {hash}");
    Ok(())
}

fn name(f: &Path) -> String {
    f.display().to_string()
}

/// The derived fields of one document as one JSON line.
fn write_line(
    out: &mut impl Write,
    src: &str,
    doc: Option<ExtractedDoc>,
    raw: Option<&str>,
) -> anyhow::Result<()> {
    let mut v = json!({ "src": src });
    if let Some(doc) = doc {
        let body = doc.body.clone();
        let unnumbered = {
            let id = refs::identify(&doc.title, &doc.body);
            refs::citations(&doc.body, id.number.as_ref()).unnumbered
        };
        let d = Document::from_extracted(src.to_string(), doc);
        let targets: Vec<String> = d.refs.iter().map(|c| format!("{:?}", c.target)).collect();
        v["doc"] = json!({
            "number": d.number,
            "kind": d.kind,
            "issuers": d.issuers,
            "issued": d.issued,
            "signers": d.signers,
            "metadata": d.metadata,
            "refs": d.refs,
            "targets": targets,
            "unnumbered": unnumbered,
            "validity": refs::validity(&body, d.issued),
        });
    }
    if let Some(raw) = raw {
        let id = refs::identify("", raw);
        let set = refs::citations(raw, id.number.as_ref());
        v["raw"] = json!({
            "identity": id,
            "own": id.number.as_ref().map(|n| format!("{n:?}")),
            "refs": set.refs,
            "unnumbered": set.unnumbered,
        });
    }
    serde_json::to_writer(&mut *out, &v)?;
    out.write_all(b"\n")?;
    Ok(())
}
