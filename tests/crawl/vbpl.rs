//! The pages of one vbpl.vn document (one `ItemID`: toàn văn, thuộc tính,
//! lược đồ, văn bản liên quan) crawled from the fixture pages: one
//! document that holds what each page states, the other pages recorded as
//! merged into it (issue 12, item 4).
use super::*;
use crate::util::fixture;
use vanban::refs::Relation;
use vanban::status::State;

/// The Hiến pháp 2013 (ItemID 32801): which fixture answers which tab.
const PAGES: &[(&str, &str)] = &[
    ("toanvan", "vbpl/vbpl_v1.html"),
    ("thuoctinh", "vbpl/vbpl_thuoctinh_2.html"),
    ("luocdo", "vbpl/vbpl_luocdo_phaply.html"),
    ("vanbanlienquan", "vbpl/vbpl_related_doc.html"),
];

fn url_of(tab: &str) -> String {
    format!("/TW/Pages/vbpq-{tab}.aspx?ItemID=32801&Keyword=")
}

/// vbpl.vn's tabs from the fixtures; `gone` answers 410.
fn vbpl_site(gone: Arc<Mutex<Option<&'static str>>>) -> Handler {
    tiny_site(move |req, _| {
        let path = req.path.as_str();
        if !path.contains("ItemID=32801") {
            return None;
        }
        let (tab, file) = PAGES
            .iter()
            .find(|(tab, _)| path.contains(&format!("/vbpq-{tab}.aspx")))?;
        if *gone.lock().unwrap() == Some(*tab) {
            return Some(Reply::status(410));
        }
        Some(Reply::html(std::fs::read(fixture(file)).unwrap()))
    })
}

#[test]
fn pages_of_one_item_make_one_document() {
    let gone = Arc::new(Mutex::new(None));
    let srv = Server::start("127.0.0.1", None, vbpl_site(gone.clone()));
    let data = Data::new();
    let seeds: Vec<String> = PAGES.iter().map(|(tab, _)| srv.url(&url_of(tab))).collect();
    let mut c = config(&seeds);
    c.max_depth = Some(0);
    let report = run(&data, &c);
    assert_eq!(report.failed, 0, "{:?}", report.failures);
    assert_eq!(
        (report.pages.indexed, report.pages.merged),
        (1, 3),
        "{report:?}"
    );

    // One document holds the four pages; the others are merged into it.
    let st = store(&data);
    let mut outcomes = Vec::new();
    st.page_outcomes(|o| -> Result<(), vanban::store::Error> {
        outcomes.push(o);
        Ok(())
    })
    .unwrap();
    let pages: Vec<_> = outcomes
        .iter()
        .filter(|o| o.url.contains("vbpq-"))
        .collect();
    assert_eq!(pages.len(), 4);
    let owner = pages.iter().find(|o| o.outcome == "indexed").unwrap();
    for o in &pages {
        assert_eq!(o.doc_id, owner.doc_id, "{}", o.url);
        if o.outcome == "merged" {
            let reason = o.reason.as_deref().unwrap_or("");
            assert!(reason.contains("vbpl.vn/tw/32801"), "{reason}");
        }
    }
    let engine = data.engine();
    assert_eq!(engine.num_docs(), 1);
    let doc = engine
        .document(owner.doc_id.as_deref().unwrap())
        .unwrap()
        .unwrap();
    // The properties page's title, number, issuer and signer; the full
    // text's text; the lược đồ's relations.
    assert_eq!(doc.title, "Hiến pháp năm 2013");
    assert_eq!(doc.number, None);
    assert_eq!(doc.kind.as_deref(), Some("Hiến pháp"));
    assert_eq!(doc.issuers, ["Quốc hội"]);
    assert_eq!(doc.signers, ["Nguyễn Sinh Hùng"]);
    assert_eq!(
        doc.issued.map(|d| d.to_string()).as_deref(),
        Some("2013-11-28")
    );
    assert!(doc.body.starts_with("HIẾN PHÁP") || doc.body.contains("LỜI NÓI ĐẦU"));
    assert!(
        doc.body
            .contains("Nước Cộng hòa xã hội chủ nghĩa Việt Nam là một nước độc lập")
    );
    let meta = |k: &str| {
        doc.metadata
            .get(k)
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    assert_eq!(meta("validity").as_deref(), Some("Còn hiệu lực"));
    assert_eq!(meta("effective").as_deref(), Some("2014-01-01"));
    assert_eq!(meta("doc_key").as_deref(), Some("vbpl.vn/tw/32801"));
    let guided_by = |doc: &vanban::doc::Document| {
        doc.refs
            .iter()
            .filter(|r| r.relation == Relation::GuidedBy)
            .count()
    };
    // "Văn bản HD, QĐ chi tiết (88)": every listed one with a number.
    let n = guided_by(&doc);
    assert!((80..=88).contains(&n), "{n} guided_by");
    assert!(
        doc.refs
            .iter()
            .any(|r| r.relation == Relation::GuidedBy && r.number == "42/2017/QH14")
    );
    assert_eq!(engine.state_of(&doc.id).unwrap(), Some(State::InForce));

    // The lược đồ page is gone: the document stays, without its relations.
    *gone.lock().unwrap() = Some("luocdo");
    c.recrawl_after = Duration::ZERO;
    run(&data, &c);
    let engine = data.engine();
    assert_eq!(engine.num_docs(), 1);
    let doc = engine.document(&doc.id).unwrap().unwrap();
    assert_eq!(doc.title, "Hiến pháp năm 2013");
    assert_eq!(guided_by(&doc), 0);
    assert_eq!(doc.signers, ["Nguyễn Sinh Hùng"]);
}
