//! Acceptance of the core pipeline on the four real seed pages, ingested as
//! they are. See issue 2.
use std::sync::OnceLock;

use crate::util::{Data, fixture, names, seed_set};

fn seeds() -> &'static Data {
    static DATA: OnceLock<Data> = OnceLock::new();
    DATA.get_or_init(|| {
        let d = Data::new();
        let r = d.ingest(&[fixture("seeds")]);
        assert_eq!((r.inserted, r.failed), (4, 0), "{r:?}");
        d
    })
}

#[test]
fn dan_van_with_and_without_diacritics_returns_all_four() {
    for q in ["cong tac dan van", "công tác dân vận"] {
        let r = seeds().search(q);
        assert_eq!(seed_set(&r), ["000", "002", "003", "004"], "query {q:?}");
    }
}

#[test]
fn both_tone_placements_return_the_same_hits() {
    let old = seeds().search("Tỉnh uỷ");
    let new = seeds().search("Tỉnh ủy");
    assert!(old.total > 0);
    assert_eq!(names(&old), names(&new));
    let scores =
        |r: &vanban::search::SearchResponse| r.hits.iter().map(|h| h.score).collect::<Vec<_>>();
    assert_eq!(scores(&old), scores(&new));
}

#[test]
fn uy_ban_finds_both_spellings_of_uy_ban_first() {
    // 003 and 004 write "Ủy ban"; the others only "Ban ...".
    let r = seeds().search("uy ban");
    let top: Vec<String> = names(&r)
        .iter()
        .take(2)
        .map(|n| n[..3].to_string())
        .collect();
    let mut top = top;
    top.sort();
    assert_eq!(top, ["003", "004"], "{:?}", names(&r));
}

#[test]
fn party_numbers_in_any_spelling() {
    for (q, want) in [
        ("23-QD/TW", &["000", "002"][..]),
        ("23-QĐ/TW", &["000", "002"]),
        ("23 - QĐ/TW", &["000", "002"]),
        ("47-CT/TU", &["004"]),
        ("47 - ct/tu", &["004"]),
        ("25-NQ/TW", &["000", "003", "004"]),
        ("25 – NQ/TW", &["000", "003", "004"]),
    ] {
        assert_eq!(seed_set(&seeds().search(q)), want, "query {q:?}");
    }
}

#[test]
fn own_number_ranks_first() {
    // 003 is Kế hoạch 1600-KH/BDVTW; nothing else mentions it.
    let r = seeds().search("1600-KH/BDVTW");
    assert_eq!(names(&r)[0][..3], *"003");
    // 000 is Chương trình 04-CTr/BDVTW-TCCT.
    let r = seeds().search("04-CTr/BDVTW-TCCT");
    assert_eq!(names(&r)[0][..3], *"000");
}

#[test]
fn snippets_highlight_the_accented_original() {
    let r = seeds().search("dan van");
    assert_eq!(r.hits.len(), 4);
    for h in &r.hits {
        assert!(
            h.snippet.contains("<mark>dân</mark> <mark>vận</mark>")
                || h.snippet.contains("<mark>Dân</mark> <mark>vận</mark>")
                || h.snippet.contains("<mark>Dân</mark> <mark>Vận</mark>"),
            "{}: {}",
            h.source,
            h.snippet
        );
    }
}

#[test]
fn trailing_site_chrome_is_not_searchable() {
    for q in [
        "\"Gửi cho bạn bè\"",
        "\"Các tin khác\"",
        "\"Xem nhiều nhất\"",
        "\"Thống kê truy cập\"",
    ] {
        let r = seeds().search(q);
        assert_eq!(r.total, 0, "{q} found in {:?}", names(&r));
    }
}

#[test]
fn hits_carry_the_document_model() {
    let r = seeds().search("1600-KH/BDVTW");
    let h = &r.hits[0];
    assert_eq!(h.number.as_deref(), Some("1600-KH/BDVTW"));
    assert_eq!(h.kind.as_deref(), Some("Kế hoạch"));
    assert_eq!(
        h.issued.map(|d| d.to_string()).as_deref(),
        Some("2018-02-28")
    );
    assert_eq!(
        h.published.map(|d| d.to_string()).as_deref(),
        Some("2022-10-07")
    );
    assert_eq!(h.date, h.issued);
    assert_eq!(h.issuers, ["Ban Dân vận Trung ương"]);
    assert!(
        h.title.starts_with("Kế hoạch số 1600-KH/BDVTW"),
        "{}",
        h.title
    );
}
