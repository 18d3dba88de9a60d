//! Ingest behaviour: the store keeps every record, unchanged records are
//! skipped, changed ones replace their document, --prune removes what is
//! gone, bad input is reported and skipped, and the index can be rebuilt
//! from the store alone.
use std::fs;

use vanban::ingest::Options;
use vanban::store::Store;

use crate::util::{Data, fixture, names};

fn page(title: &str, body: &str) -> String {
    format!("Thứ Hai, 6/2/2023\n{title}\n\n{body}\n")
}

#[test]
fn reingest_skips_unchanged_and_updates_changed() {
    let d = Data::new();
    let dir = d.tmp.path().join("docs");
    fs::create_dir_all(dir.join("sub")).unwrap();
    fs::write(
        dir.join("a.txt"),
        page(
            "Kế hoạch về chuyển đổi số",
            "Nội dung về chuyển đổi số của tỉnh.",
        ),
    )
    .unwrap();
    fs::write(
        dir.join("sub/b.txt"),
        page(
            "Chỉ thị về phòng cháy",
            "Tăng cường công tác phòng cháy chữa cháy.",
        ),
    )
    .unwrap();
    fs::write(dir.join("ignored.pdf"), "not ingested").unwrap();
    let r = d.ingest(std::slice::from_ref(&dir));
    assert_eq!((r.seen, r.inserted, r.failed), (2, 2, 0), "{r:?}");
    let r = d.ingest(std::slice::from_ref(&dir));
    assert_eq!(
        (r.seen, r.unchanged, r.inserted, r.updated),
        (2, 2, 0, 0),
        "{r:?}"
    );

    fs::write(
        dir.join("a.txt"),
        page("Kế hoạch về chuyển đổi số", "Nay nói về thủy lợi nội đồng."),
    )
    .unwrap();
    let r = d.ingest(std::slice::from_ref(&dir));
    assert_eq!((r.updated, r.unchanged), (1, 1), "{r:?}");
    assert_eq!(names(&d.search("thuy loi")), ["a"]);
    assert_eq!(d.search("\"chuyển đổi số của tỉnh\"").total, 0);
    assert_eq!(d.engine().num_docs(), 2);

    fs::remove_file(dir.join("sub/b.txt")).unwrap();
    let r = d.ingest(std::slice::from_ref(&dir));
    assert_eq!(r.removed, 0, "no --prune, nothing removed");
    assert_eq!(d.search("phong chay").total, 1);
    let r = d.ingest_opts(std::slice::from_ref(&dir), &Options { prune: true });
    assert_eq!(r.removed, 1, "{r:?}");
    assert_eq!(d.search("phong chay").total, 0);
    assert_eq!(Store::open(&d.dd.store_path()).unwrap().count().unwrap(), 1);
}

#[test]
fn jsonl_ids_metadata_and_bad_lines() {
    let d = Data::new();
    let path = d.tmp.path().join("docs.jsonl");
    let lines = [
        "\u{feff}{\"id\": \"a1\", \"title\": \"Nghị quyết về giáo dục\", \"body\": \"Đổi mới căn bản giáo dục.\", \"tag\": 7}",
        "{\"url\": \"https://example.vn/b\", \"title\": \"Chỉ thị về y tế\", \"text\": \"Tăng cường y tế cơ sở.\"}",
        "this is not json",
        "{\"title\": \"Không có nội dung\"}",
        "",
        "{\"title\": \"Thông báo về thủy sản\", \"text\": \"Khai thác thủy sản bền vững.\"}",
    ];
    fs::write(&path, lines.join("\n")).unwrap();
    let r = d.ingest(std::slice::from_ref(&path));
    assert_eq!((r.inserted, r.failed), (3, 2), "{r:?}");
    let canon = path.canonicalize().unwrap().to_string_lossy().into_owned();
    let sources = |q: &str| {
        d.search(q)
            .hits
            .iter()
            .map(|h| h.source.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(sources("giao duc"), [format!("{canon}#a1")]);
    assert_eq!(sources("y te"), [format!("{canon}#https://example.vn/b")]);
    assert_eq!(sources("thuy san"), [format!("{canon}#docs.jsonl:6")]);
    let hit = &d.search("giao duc").hits[0];
    let doc = d.engine().document(&hit.id).unwrap().unwrap();
    assert_eq!(doc.metadata.get("tag"), Some(&serde_json::json!(7)));
}

/// Many lines go through the extraction threads and come back in file
/// order (issue 13): failures are reported with their line numbers in
/// order, the first of two lines with one id wins, and a re-ingest
/// redoes only the lines whose bytes changed.
#[test]
fn jsonl_lines_come_back_in_order_through_the_pipeline() {
    let d = Data::new();
    let path = d.tmp.path().join("many.jsonl");
    let write = |changed: usize| {
        let mut lines = Vec::new();
        for i in 1..=300usize {
            lines.push(match i {
                50 | 250 => "{not json".to_string(),
                120 => format!("{{\"id\": \"n{}\", \"title\": \"Bản trùng\", \"body\": \"bản sau\"}}", 7),
                _ => {
                    let word = if i == changed { "đổi" } else { "giữ" };
                    format!("{{\"id\": \"n{i}\", \"title\": \"Điều {i}\", \"body\": \"Văn bản số {i} {word} nguyên.\"}}")
                }
            });
        }
        fs::write(&path, lines.join("\n")).unwrap();
    };
    write(0);
    let lock = d.dd.lock(false, |_| {}).unwrap();
    let mut failures = Vec::new();
    let r = vanban::ingest::ingest(
        &d.dd,
        &lock,
        std::slice::from_ref(&path),
        &Options::default(),
        &mut |e| {
            if let vanban::ingest::Event::Failure(f) = e {
                failures.push((f.line, f.reason.contains("duplicate id")));
            }
        },
    )
    .unwrap();
    drop(lock);
    assert_eq!((r.seen, r.inserted, r.failed), (297, 297, 3), "{r:?}");
    assert_eq!(
        failures,
        [(Some(50), false), (Some(120), true), (Some(250), false)]
    );
    // Line 7 kept its own text: the duplicate on line 120 was skipped.
    let hit = &d.search("van ban so 7 giu nguyen").hits[0];
    assert_eq!(hit.title, "Điều 7");
    write(200);
    let r = d.ingest(std::slice::from_ref(&path));
    assert_eq!((r.updated, r.unchanged, r.inserted), (1, 296, 0), "{r:?}");
    assert_eq!(d.search("\"so 200 doi\"").hits[0].title, "Điều 200");
    assert_eq!(d.engine().num_docs(), 297);
}

#[test]
fn index_is_rebuilt_from_the_store_alone() {
    let d = Data::new();
    let r = d.ingest(&[fixture("seeds")]);
    assert_eq!(r.inserted, 4);
    let before = names(&d.search("cong tac dan van"));
    fs::remove_dir_all(d.dd.generations_dir()).unwrap();
    fs::remove_file(d.dd.root().join("CURRENT")).unwrap();
    let r = d.ingest(&[]);
    assert_eq!((r.rebuilt, r.seen), (4, 0), "{r:?}");
    assert_eq!(names(&d.search("cong tac dan van")), before);
}

#[test]
fn a_changed_analyzer_version_is_a_clear_error() {
    let d = Data::new();
    d.ingest(&[fixture("seeds")]);
    fs::write(
        d.dd.root().join("VERSION"),
        r#"{"index_schema":1,"analyzer":0}"#,
    )
    .unwrap();
    let err = match vanban::index::IndexHandle::open_live(&d.dd) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("opened an index of another analyzer version"),
    };
    assert!(err.contains("vanban reindex --full"), "{err}");
}

/// A Bộ Pháp điển JSONL file goes in line by line, as is; returns the data
/// directory.
fn phapdien_ingests_as_is_from(path: &std::path::Path, articles: u64) -> Data {
    let d = Data::new();
    let r = d.ingest(&[path.to_path_buf()]);
    assert_eq!((r.inserted, r.failed), (articles, 0), "{r:?}");
    assert_eq!(d.engine().num_docs(), articles);
    // The first article, found without diacritics.
    let r = d.search("thanh nien la cong dan viet nam tu du 16 tuoi");
    assert!(
        r.hits[0].title.starts_with("Điều 36.3.LQ.1."),
        "{}",
        r.hits[0].title
    );
    d
}

#[test]
fn phapdien_ingests_as_is() {
    // The sample's 301 lines (fixtures/phapdien/README.md).
    phapdien_ingests_as_is_from(&fixture("phapdien/sample.jsonl"), 301);
}

#[cfg(feature = "corpus")]
mod corpus {
    use vanban::testdata::shared;

    #[test]
    fn phapdien_ingests_as_is() {
        super::phapdien_ingests_as_is_from(&shared("corpus/phapdien/articles.jsonl"), 62_323);
    }
}
