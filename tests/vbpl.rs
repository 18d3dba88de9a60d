//! vbpl.vn pages ingested as files (fixtures/vbpl): the state and dates
//! each page states are the documents' (`--status` filters by them), the
//! real titles, the lược đồ's relations (issue 12, item 4). The pages of
//! one `ItemID` crawled together make one document: tests/crawl/vbpl.rs.
use std::path::Path;

use vanban::refs::Relation;
use vanban::search::Request;
use vanban::status::State;

use crate::util::{Data, repo};

fn file_name(source: &str) -> String {
    Path::new(source)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

#[test]
fn vbpl_pages_state_their_status() {
    let data = Data::new();
    let r = data.ingest(&[repo("fixtures/vbpl")]);
    assert_eq!((r.inserted, r.failed), (6, 0), "{r:?}");
    let engine = data.engine();
    let with_status = |status: State| {
        let mut got: Vec<(String, String)> = engine
            .search(&Request {
                limit: 100,
                status: Some(status),
                ..Default::default()
            })
            .unwrap()
            .hits
            .into_iter()
            .map(|h| (file_name(&h.source), h.title))
            .collect();
        got.sort();
        got
    };
    // vbpl.html's badge: "Hết hiệu lực một phần".
    assert_eq!(
        with_status(State::PartlyExpired),
        [("vbpl.html".to_string(), "Bộ luật Hình sự".to_string())]
    );
    let in_force: Vec<String> = with_status(State::InForce)
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    assert_eq!(
        in_force,
        [
            "vbpl_related_doc.html",
            "vbpl_thuoctinh.html",
            "vbpl_thuoctinh_2.html",
            "vbpl_v1.html"
        ]
    );
    // The lược đồ states no state: nothing says it is not in force, and
    // the document has no number, so it stays unknown.
    assert_eq!(
        with_status(State::Unknown),
        [(
            "vbpl_luocdo_phaply.html".to_string(),
            "Hiến pháp năm 2013".to_string()
        )]
    );
    // The properties page's effective date and state, in the document view.
    let hit = engine
        .search(&Request {
            q: "\"101/2015/QH13\"".into(),
            limit: 10,
            ..Default::default()
        })
        .unwrap()
        .hits
        .into_iter()
        .find(|h| h.source.ends_with("vbpl_thuoctinh.html"))
        .unwrap();
    assert_eq!(hit.title, "Bộ luật Tố tụng hình sự");
    assert_eq!(hit.number.as_deref(), Some("101/2015/QH13"));
    let doc = engine.document(&hit.id).unwrap().unwrap();
    assert_eq!(
        doc.metadata.get("effective").and_then(|v| v.as_str()),
        Some("2018-01-01")
    );
    assert_eq!(doc.signers, ["Nguyễn Sinh Hùng"]);
    // The lược đồ's guiding documents: cited with the relation guided_by.
    let hit = engine
        .search(&Request {
            q: "\"42/2017/QH14\"".into(),
            limit: 10,
            ..Default::default()
        })
        .unwrap()
        .hits
        .into_iter()
        .find(|h| h.source.ends_with("vbpl_luocdo_phaply.html"))
        .unwrap();
    let doc = engine.document(&hit.id).unwrap().unwrap();
    assert!(
        doc.refs
            .iter()
            .any(|r| r.number == "42/2017/QH14" && r.relation == Relation::GuidedBy)
    );
}
