//! Tests on real vbpl.vn pages: each page type (full text, properties,
//! lược đồ, related documents) checked by hand against the committed
//! fixtures, the pages of one item merged, and, in the `corpus` module
//! (`--features corpus`), invariants over every shared vbpl page plus the
//! held-out pages.
use super::real::{assert_clean, date, html};
use crate::extract::ExtractedDoc;
use crate::testdata::fixture;

/// vbpl.vn menus, tabs and boxes around the full text.
const VBPL_CHROME: &[&str] = &[
    "CSDL quốc gia về VBPL",
    "CSDL Trung ương",
    "Văn bản quy phạm pháp luật",
    "Hệ thống hóa VBQPPL",
    "Mục lục văn bản",
    "Thuộc tính",
    "Lược đồ",
    "Bản PDF",
    "Tải về",
    "Bản in",
    "Hiệu lực: ",
    "Tải file đính kèm",
    "Xem nhanh",
    "Gửi phản hồi",
];

/// What a vbpl.vn page states, for the checks below.
fn stated(doc: &ExtractedDoc) -> crate::extract::Stated {
    doc.stated
        .clone()
        .expect("a vbpl.vn page states its document")
}

/// The labels of a page's related documents with their counts, in page
/// order.
fn relation_labels(st: &crate::extract::Stated) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for r in &st.relations {
        match out.iter_mut().find(|(l, _)| *l == r.label) {
            Some(x) => x.1 += 1,
            None => out.push((r.label.clone(), 1)),
        }
    }
    out
}

fn labels(list: &[(&str, usize)]) -> Vec<(String, usize)> {
    list.iter().map(|(l, n)| (l.to_string(), *n)).collect()
}

/// `vbpl.html`: the full text (toàn văn) of Bộ luật 100/2015/QH13, whose
/// heading reads "BỘ LUẬT" / "HÌNH SỰ" and whose badge says "Hết hiệu
/// lực một phần" from 01/01/2018.
fn check_vbpl_full_text(doc: &ExtractedDoc) {
    assert_eq!(doc.title, "Bộ luật Hình sự");
    assert_eq!(doc.published, date(2015, 11, 27));
    assert!(
        doc.body
            .starts_with("QUỐC HỘI\nSố: 100/2015/QH13\n\nCỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    );
    assert!(
        doc.body
            .contains("Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;")
    );
    assert!(
        doc.body
            .contains("\n\nĐiều 1. Nhiệm vụ của Bộ luật hình sự\n\n")
    );
    assert!(
        doc.body
            .ends_with("Chủ tịch Quốc hội\n\n(Đã ký)\n\nNguyễn Sinh Hùng")
    );
    assert_clean("vbpl.html", doc, VBPL_CHROME);
    let urls: Vec<&str> = doc.attachments.iter().map(|a| a.url.as_str()).collect();
    assert!(
        urls.contains(&"/FileData/TW/Lists/vbpq/Attachments/96122/VanBanGoc_100.2015.QH13.P1.pdf")
    );
    assert!(urls.contains(&"/TW/Lists/vbpq/Attachments/96122/100.2015.QH13.doc"));
    let st = stated(doc);
    assert_eq!(st.key.as_deref(), Some("vbpl.vn/tw/96122"));
    assert_eq!(st.page.as_deref(), Some("toanvan"));
    assert_eq!(st.number.as_deref(), Some("100/2015/QH13"));
    assert_eq!(st.kind.as_deref(), Some("Bộ luật"));
    assert_eq!(st.validity.as_deref(), Some("Hết hiệu lực một phần"));
    assert_eq!(st.effective, date(2018, 1, 1));
    assert!(st.relations.is_empty());
}

/// `vbpl_v1.html`: the full text of the Hiến pháp 2013 ("Không số").
fn check_vbpl_constitution(doc: &ExtractedDoc) {
    assert_eq!(
        doc.title,
        "Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam"
    );
    assert_eq!(doc.published, date(2013, 11, 28));
    assert!(
        doc.body
            .contains("\n\nLỜI NÓI ĐẦU\n\nTrải qua mấy nghìn năm lịch sử")
    );
    assert!(
        doc.body
            .contains("\n\nĐiều 1\n\nNước Cộng hòa xã hội chủ nghĩa Việt Nam là một nước độc lập")
    );
    assert_clean("vbpl_v1.html", doc, VBPL_CHROME);
    let st = stated(doc);
    assert_eq!(st.key.as_deref(), Some("vbpl.vn/tw/32801"));
    assert_eq!(st.number.as_deref(), Some("Không số"));
    assert_eq!(st.validity.as_deref(), Some("Còn hiệu lực"));
    assert_eq!(st.effective, date(2014, 1, 1));
}

#[test]
fn vbpl_full_text_pages() {
    check_vbpl_full_text(&html(&fixture("vbpl/vbpl.html")));
    check_vbpl_constitution(&html(&fixture("vbpl/vbpl_v1.html")));
}

/// `vbpl_thuoctinh.html`: the properties (thuộc tính) of Bộ luật
/// 101/2015/QH13, checked cell by cell against the page.
#[test]
fn vbpl_properties_page() {
    let doc = html(&fixture("vbpl/vbpl_thuoctinh.html"));
    assert_eq!(doc.title, "Bộ luật Tố tụng hình sự");
    assert!(
        doc.body
            .starts_with("Tố tụng hình sự\nSố ký hiệu\n101/2015/QH13\nNgày ban hành\n27/11/2015")
    );
    assert!(!doc.body.contains("CSDL quốc gia về VBPL"));
    let st = stated(&doc);
    assert_eq!(st.key.as_deref(), Some("vbpl.vn/tw/96172"));
    assert_eq!(st.page.as_deref(), Some("thuoctinh"));
    assert_eq!(st.number.as_deref(), Some("101/2015/QH13"));
    assert_eq!(st.kind.as_deref(), Some("Bộ luật"));
    assert_eq!(st.issued, date(2015, 11, 27));
    assert_eq!(st.effective, date(2018, 1, 1));
    assert_eq!(st.expires, None);
    assert_eq!(st.gazette, date(2015, 12, 31));
    assert_eq!(st.issuers, ["Quốc hội"]);
    assert_eq!(st.signers, ["Nguyễn Sinh Hùng"]);
    assert_eq!(st.validity.as_deref(), Some("Còn hiệu lực"));
}

/// `vbpl_thuoctinh_2.html`: the properties of the Hiến pháp 2013: "Không
/// số", subject "Hiến pháp năm 2013".
#[test]
fn vbpl_properties_page_without_number() {
    let doc = html(&fixture("vbpl/vbpl_thuoctinh_2.html"));
    assert_eq!(doc.title, "Hiến pháp năm 2013");
    let st = stated(&doc);
    assert_eq!(st.key.as_deref(), Some("vbpl.vn/tw/32801"));
    assert_eq!(st.number.as_deref(), Some("Không số"));
    assert_eq!(st.kind.as_deref(), Some("Hiến pháp"));
    assert_eq!(st.issued, date(2013, 11, 28));
    assert_eq!(st.effective, date(2014, 1, 1));
    assert_eq!(st.validity.as_deref(), Some("Còn hiệu lực"));
    assert_eq!(st.signers, ["Nguyễn Sinh Hùng"]);
    // The document: no number (not "Không"), the page's state.
    let d = crate::doc::Document::from_extracted("x".into(), doc);
    assert_eq!(d.number, None);
    assert_eq!(d.issued, date(2013, 11, 28));
    assert_eq!(
        d.metadata.get("validity").and_then(|v| v.as_str()),
        Some("Còn hiệu lực")
    );
    assert_eq!(
        d.metadata.get("effective").and_then(|v| v.as_str()),
        Some("2014-01-01")
    );
}

/// `vbpl_luocdo_phaply.html`: the relation diagram (lược đồ) of the
/// Hiến pháp 2013: 88 guiding documents, 4 cited, 2 related (the counts
/// the page prints beside each box), its title from "Văn bản hiện thời".
#[test]
fn vbpl_relation_diagram_page() {
    let doc = html(&fixture("vbpl/vbpl_luocdo_phaply.html"));
    assert_eq!(doc.title, "Hiến pháp năm 2013");
    let st = stated(&doc);
    assert_eq!(st.page.as_deref(), Some("luocdo"));
    assert_eq!(
        relation_labels(&st),
        labels(&[
            ("Văn bản HD, QĐ chi tiết", 88),
            ("Văn bản dẫn chiếu", 4),
            ("Văn bản liên quan khác", 2),
        ])
    );
    let first = &st.relations[0];
    assert_eq!(first.number, "42/2017/QH14");
    assert_eq!(first.kind.as_deref(), Some("Nghị quyết"));
    assert_eq!(first.item_id, "123002");
    assert_eq!(
        first.title.as_deref(),
        Some("Nghị quyết về thí điểm xử lý nợ xấu của các tổ chức tín dụng")
    );
    let hq = st
        .relations
        .iter()
        .find(|r| r.number == "54/2014/QH13")
        .unwrap();
    assert_eq!(hq.title.as_deref(), Some("Luật Hải quan"));
    // As a document: the listed numbers are citations with the relation
    // of their box.
    let d = crate::doc::Document::from_extracted("x".into(), doc);
    let count = |r: crate::refs::Relation| {
        d.refs
            .iter()
            .filter(|c| c.relation == r && c.is_edge())
            .count()
    };
    // Every guiding document listed has a number.
    assert_eq!(count(crate::refs::Relation::GuidedBy), 88);
    assert!(
        d.refs
            .iter()
            .any(|c| c.number == "144/2016/QH13" && c.relation == crate::refs::Relation::GuidedBy)
    );
}

/// `vbpl_related_doc.html`: the related documents (văn bản liên quan) of
/// the Hiến pháp 2013: the four earlier constitutions, cited, "Không số".
#[test]
fn vbpl_related_documents_page() {
    let doc = html(&fixture("vbpl/vbpl_related_doc.html"));
    let st = stated(&doc);
    assert_eq!(st.page.as_deref(), Some("vanbanlienquan"));
    assert_eq!(st.validity.as_deref(), Some("Còn hiệu lực"));
    assert_eq!(st.effective, date(2014, 1, 1));
    assert_eq!(relation_labels(&st), labels(&[("Văn bản dẫn chiếu", 4)]));
    let titles: Vec<&str> = st
        .relations
        .iter()
        .filter_map(|r| r.title.as_deref())
        .collect();
    assert_eq!(
        titles,
        [
            "Hiến pháp năm 1992",
            "Hiến pháp năm 1980",
            "Hiến pháp năm 1959",
            "Hiến pháp năm 1946"
        ]
    );
    assert!(st.relations.iter().all(|r| r.number == "Không số"));
}

/// The four pages of the Hiến pháp 2013 merged: the properties page's
/// title and properties, the full text first, every page's relations.
#[test]
fn vbpl_pages_of_one_item_merge() {
    let pages: Vec<ExtractedDoc> = [
        "vbpl/vbpl_luocdo_phaply.html",
        "vbpl/vbpl_related_doc.html",
        "vbpl/vbpl_v1.html",
        "vbpl/vbpl_thuoctinh_2.html",
    ]
    .iter()
    .map(|f| html(&fixture(f)))
    .collect();
    let merged = crate::extract::merge_pages(pages).unwrap();
    assert_eq!(merged.title, "Hiến pháp năm 2013");
    assert!(merged.body.starts_with("QUỐC HỘI"));
    let st = stated(&merged);
    assert_eq!(st.page.as_deref(), Some("toanvan"));
    assert_eq!(st.signers, ["Nguyễn Sinh Hùng"]);
    assert_eq!(st.issued, date(2013, 11, 28));
    assert_eq!(
        relation_labels(&st),
        labels(&[
            ("Văn bản HD, QĐ chi tiết", 88),
            // The same four on the lược đồ and the related page.
            ("Văn bản dẫn chiếu", 4),
            ("Văn bản liên quan khác", 2),
        ])
    );
    // The properties page's text follows the full text.
    let full = merged
        .body
        .find("Nước Cộng hòa xã hội chủ nghĩa Việt Nam là một")
        .unwrap();
    let props = merged.body.find("Số ký hiệu\nKhông số").unwrap();
    assert!(full < props);
}

/// The same over the vbpl pages of the shared corpus.
#[cfg(feature = "corpus")]
mod corpus {
    use std::fs;

    use super::*;
    use crate::testdata::shared;

    #[test]
    fn vbpl_full_text_pages() {
        check_vbpl_full_text(&html(&shared("corpus/html/vbpl/vbpl.html")));
        check_vbpl_constitution(&html(&shared("corpus/html/vbpl/vbpl_v1.html")));
        let doc = html(&shared("corpus/html/vbpl/vbpl_v3.html"));
        assert_eq!(doc.title, "Bộ luật Tố tụng hình sự");
        assert!(doc.body.contains("TỐ TỤNG HÌNH SỰ"));
        assert!(
            doc.body
                .contains("Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;")
        );
        assert_clean("vbpl_v3.html", &doc, VBPL_CHROME);
    }

    /// General invariants over every vbpl.vn page of the shared folder:
    /// no panic; a page that names its document states its type and key;
    /// the real title when the page states one (never the breadcrumb's
    /// "Bộ luật 100/2015/QH13"); a number that parses (or "Không số");
    /// dates in order; a properties page gives its state and effective
    /// date; every relation label names a relation.
    #[test]
    fn vbpl_pages_invariants() {
        use crate::refs::{DocNumber, listed_relation};
        use crate::status::State;
        let dir = shared("corpus/html/vbpl");
        let (mut pages, mut stating) = (0, 0);
        for entry in fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            let bytes = fs::read(&path).unwrap();
            let page = crate::extract::extract_page(crate::extract::PageInput {
                bytes: &bytes,
                content_type: Some("text/html; charset=utf-8"),
            });
            pages += 1;
            let what = path.display().to_string();
            let Some(st) = page.doc.stated.clone() else {
                continue;
            };
            stating += 1;
            assert!(st.key.is_some() && st.page.is_some(), "{what}: {st:?}");
            assert_eq!(page.not_indexed, None, "{what}");
            if let Some(t) = &st.title {
                assert_eq!(&page.doc.title, t, "{what}");
                assert_ne!(Some(t), st.breadcrumb.as_ref(), "{what}");
                if let Some(n) = &st.number {
                    assert!(!t.contains(n.as_str()), "{what}: {t}");
                }
            }
            if let Some(n) = st.number.as_deref()
                && crate::text::fold(n) != "khong so"
            {
                assert!(n.parse::<DocNumber>().is_ok(), "{what}: {n}");
            }
            if let (Some(a), Some(b)) = (st.issued, st.effective) {
                assert!(a <= b, "{what}: issued {a} after effective {b}");
            }
            if let (Some(a), Some(b)) = (st.effective, st.expires) {
                assert!(a <= b, "{what}: effective {a} after expires {b}");
            }
            if st.page.as_deref() == Some("thuoctinh") {
                let v = st.validity.as_deref().unwrap_or("");
                assert!(State::parse(v).is_some(), "{what}: state {v:?}");
                assert!(st.effective.is_some() && st.issued.is_some(), "{what}");
            }
            for r in &st.relations {
                assert!(listed_relation(&r.label).is_some(), "{what}: {}", r.label);
            }
            let d = crate::doc::Document::from_extracted(what.clone(), page.doc);
            if let Some(n) = st
                .number
                .as_deref()
                .and_then(|n| n.parse::<DocNumber>().ok())
            {
                assert_eq!(d.number, Some(n.to_string()), "{what}");
            }
        }
        assert_eq!(pages, 11);
        assert_eq!(stating, 9);
    }

    /// Pages held out of the tuning of the vbpl.vn reader, with
    /// expectations checked by hand against each page.
    #[test]
    fn vbpl_held_out_pages() {
        use crate::refs::Relation;
        // vbpl_v3.html: the full text of Bộ luật Tố tụng hình sự.
        let doc = html(&shared("corpus/html/vbpl/vbpl_v3.html"));
        assert_eq!(doc.title, "Bộ luật Tố tụng hình sự");
        let st = stated(&doc);
        assert_eq!(st.key.as_deref(), Some("vbpl.vn/tw/96172"));
        assert_eq!(st.page.as_deref(), Some("toanvan"));
        assert_eq!(st.number.as_deref(), Some("101/2015/QH13"));
        assert_eq!(st.validity.as_deref(), Some("Còn hiệu lực"));
        assert_eq!(st.effective, date(2018, 1, 1));
        // vbpl_v2.html: the properties of the consolidated Luật Xử lý vi
        // phạm hành chính (31/VBHN-VPQH) and the three laws it merges.
        let doc = html(&shared("corpus/html/vbpl/vbpl_v2.html"));
        assert_eq!(doc.title, "Văn bản hợp nhất Luật Xử lý vi phạm hành chính");
        let st = stated(&doc);
        assert_eq!(st.page.as_deref(), Some("thuoctinh-hopnhat"));
        assert_eq!(st.number.as_deref(), Some("31/VBHN-VPQH"));
        assert_eq!(st.kind.as_deref(), Some("Văn bản hợp nhất"));
        assert_eq!(st.issued, date(2020, 12, 7));
        assert_eq!(st.gazette, date(2021, 3, 26));
        assert_eq!(st.issuers, ["Văn phòng Quốc hội"]);
        assert_eq!(st.signers, ["Nguyễn Hạnh Phúc"]);
        let d = crate::doc::Document::from_extracted("v2".into(), doc);
        assert_eq!(d.number.as_deref(), Some("31/VBHN-VPQH"));
        let consolidated: Vec<&str> = d
            .refs
            .iter()
            .filter(|c| c.relation == Relation::Consolidates)
            .map(|c| c.number.as_str())
            .collect();
        assert_eq!(
            consolidated,
            ["15/2012/QH13", "54/2014/QH13", "18/2017/QH14"]
        );
        // vbpl_luocdo_hopnhat.html: the same three in the diagram, under
        // the heading "VĂN BẢN ĐƯỢC HỢP NHẤT".
        let doc = html(&shared("corpus/html/vbpl/vbpl_luocdo_hopnhat.html"));
        let st = stated(&doc);
        assert_eq!(st.key.as_deref(), Some("vbpl.vn/tw/147301"));
        assert_eq!(st.issued, date(2020, 12, 7));
        let numbers: Vec<(&str, &str)> = st
            .relations
            .iter()
            .map(|r| (r.label.as_str(), r.number.as_str()))
            .collect();
        assert_eq!(
            numbers,
            [
                ("Văn bản được hợp nhất", "15/2012/QH13"),
                ("Văn bản được hợp nhất", "54/2014/QH13"),
                ("Văn bản được hợp nhất", "18/2017/QH14")
            ]
        );
    }
}
