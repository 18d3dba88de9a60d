//! Table-driven tests over `fixtures/html/<site>/<slug>.html` and
//! `fixtures/text/<slug>.txt`, each next to `<slug>.expected.json`:
//!
//! ```json
//! { "encode": "windows-1258",            // optional: encode the UTF-8 file first
//!   "content_type": "text/html; charset=…", // optional: the HTTP header
//!   "title": "…", "published": "2023-02-06" | null,
//!   "body_starts_with": "…", "body_ends_with": "…",
//!   "body_contains": ["…"], "body_excludes": ["…"],
//!   "attachments": [{"url": "…", "name": "…"}] }
//! ```
use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;

use crate::extract::{Attachment, ExtractedDoc, extract_html, extract_text};

use super::cp1258;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");

/// Chrome no body may ever keep, whatever the fixture.
pub(crate) const NEVER_IN_BODY: &[&str] = &[
    "Gửi cho bạn bè",
    "Các tin khác",
    "Xem nhiều nhất",
    "Thống kê truy cập",
    "Click để đánh giá",
    "Tổng số điểm của bài viết",
    "Thông tin người gửi phản hồi",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    #[serde(default)]
    encode: Option<String>,
    #[serde(default)]
    content_type: Option<String>,
    title: String,
    published: Option<NaiveDate>,
    body_starts_with: String,
    body_ends_with: String,
    #[serde(default)]
    body_contains: Vec<String>,
    #[serde(default)]
    body_excludes: Vec<String>,
    attachments: Vec<Attachment>,
}

fn inputs(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            inputs(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

fn check(path: &Path, doc: &ExtractedDoc, want: &Expected) -> Vec<String> {
    let mut errors = Vec::new();
    let mut expect = |ok: bool, what: String| {
        if !ok {
            errors.push(format!("{}: {what}", path.display()));
        }
    };
    expect(
        doc.title == want.title,
        format!("title {:?}, want {:?}", doc.title, want.title),
    );
    expect(
        doc.published == want.published,
        format!("published {:?}, want {:?}", doc.published, want.published),
    );
    let head: String = doc.body.chars().take(200).collect();
    expect(
        doc.body.starts_with(&want.body_starts_with),
        format!("body starts {head:?}, want {:?}", want.body_starts_with),
    );
    let tail: String = {
        let n = doc.body.chars().count();
        doc.body.chars().skip(n.saturating_sub(200)).collect()
    };
    expect(
        doc.body.ends_with(&want.body_ends_with),
        format!("body ends {tail:?}, want {:?}", want.body_ends_with),
    );
    for s in &want.body_contains {
        expect(doc.body.contains(s.as_str()), format!("body lacks {s:?}"));
    }
    for s in want
        .body_excludes
        .iter()
        .map(String::as_str)
        .chain(NEVER_IN_BODY.iter().copied())
    {
        expect(!doc.body.contains(s), format!("body keeps chrome {s:?}"));
    }
    expect(
        doc.attachments == want.attachments,
        format!(
            "attachments {:?}, want {:?}",
            doc.attachments, want.attachments
        ),
    );
    errors
}

fn run(ext: &str, extract: impl Fn(&[u8], Option<&str>) -> ExtractedDoc) -> usize {
    let mut paths = Vec::new();
    // fixtures/html and fixtures/text hold extraction fixtures with their
    // expected JSON; the other folders (demo, search) are whole corpora.
    let dir = if ext == "txt" { "text" } else { ext };
    inputs(&Path::new(FIXTURES).join(dir), ext, &mut paths);
    paths.sort();
    let mut errors = Vec::new();
    for path in &paths {
        let json = path.with_extension("expected.json");
        let want: Expected = serde_json::from_str(
            &fs::read_to_string(&json).unwrap_or_else(|e| panic!("{}: {e}", json.display())),
        )
        .unwrap_or_else(|e| panic!("{}: {e}", json.display()));
        let raw = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let bytes = match want.encode.as_deref() {
            None => raw,
            Some("windows-1258") => {
                cp1258(std::str::from_utf8(&raw).expect("fixtures are written in UTF-8"))
            }
            Some(other) => panic!("{}: unknown encoding {other}", json.display()),
        };
        let doc = extract(&bytes, want.content_type.as_deref());
        errors.extend(check(path, &doc, &want));
    }
    assert!(
        errors.is_empty(),
        "fixture mismatches (fix the extractor or the .expected.json):\n{}",
        errors.join("\n")
    );
    paths.len()
}

#[test]
fn html_fixtures() {
    let n = run("html", |b, ct| {
        extract_html(b, ct).expect("fixture extracts")
    });
    assert!(n >= 4, "only {n} HTML fixtures found under {FIXTURES}/html");
}

#[test]
fn text_fixtures() {
    let n = run("txt", |b, _| extract_text(b).expect("fixture extracts"));
    assert!(n >= 2, "only {n} text fixtures found under {FIXTURES}/text");
}
