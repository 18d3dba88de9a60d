//! citations() on the seeds, on constructed short forms and aliases, and
//! across tvpl (well-formed spans and resolutions).
use chrono::NaiveDate;

use crate::refs::{Citation, DocNumber, Relation, citations};

use std::path::Path;

use crate::testdata::fixture;

fn read(rel: &str) -> String {
    let path = fixture(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn own(s: &str) -> DocNumber {
    s.parse().expect("a number")
}

#[test]
fn seed_000_citation_records() {
    let text = read("seeds/000_f4a88a29cc140eda.txt");
    let set = citations(&text, Some(&own("04-CTr/BDVTW-TCCT")));
    let numbers: Vec<&str> = set.refs.iter().map(|c| c.number.as_str()).collect();
    assert_eq!(
        numbers,
        [
            "04-CTr/BDVTW-TCCT",
            "23-QĐ/TW",
            "78-QĐ/TW",
            "51-QĐ/TW",
            "01-CTr/BDVTW",
            "23-QĐ/TW",
            "25-NQ/TW",
            "120-KL/TW",
            "04-CTr",
        ]
    );
    let c = &set.refs[1];
    assert_eq!(&text[c.start..c.end], "23-QĐ/TW");
    assert_eq!(c.raw, "23-QĐ/TW");
    assert_eq!(c.key.as_deref(), Some("23-qd/tw"));
    assert_eq!(c.kind.as_deref(), Some("Quyết định"));
    assert_eq!(c.date, date(2021, 7, 30));
    assert_eq!(c.issuer.as_deref(), Some("Bộ Chính trị"));
    assert_eq!(c.term.as_deref(), Some("XIII"));
    assert_eq!(
        c.subject.as_deref(),
        Some("việc ban hành Quy chế công tác dân vận của hệ thống chính trị")
    );
    assert_eq!(c.relation, Relation::Basis);
    assert_eq!(c.resolved_from, None);

    let rel: Vec<Relation> = set.refs.iter().map(|c| c.relation).collect();
    assert_eq!(
        rel[0],
        Relation::OwnNumber,
        "the title's number is the document's own"
    );
    assert_eq!(&rel[1..4], [Relation::Basis; 3]);
    assert_eq!(
        rel[4],
        Relation::Implements,
        "triển khai thực hiện ... Chương trình hành động số 01"
    );
    assert_eq!(set.refs[3].kind.as_deref(), Some("Quy định"));
    assert_eq!(set.refs[4].kind.as_deref(), Some("Chương trình hành động"));
    let nq25 = &set.refs[6];
    assert_eq!(
        nq25.issuer.as_deref(),
        Some("Ban Chấp hành Trung ương Đảng")
    );
    assert_eq!(nq25.term.as_deref(), Some("XI"));
    assert_eq!(
        nq25.subject.as_deref(),
        Some(
            "Tăng cường và đổi mới sự lãnh đạo của Đảng đối với công tác dân vận trong tình hình mới"
        )
    );

    let unnumbered: Vec<&str> = set.unnumbered.iter().map(|u| u.raw.as_str()).collect();
    assert_eq!(
        unnumbered,
        [
            "Nghị quyết Đại hội Đảng toàn quốc lần thứ XIII",
            "Nghị quyết Đại hội XIII",
            "Nghị quyết Đại hội Đảng bộ Quân đội lần thứ XI",
            "Nghị quyết Đại hội Đảng toàn quốc lần thứ XIII",
        ]
    );
    for u in &set.unnumbered {
        assert_eq!(&text[u.start..u.end], u.raw);
    }
}

#[test]
fn seed_003_relations_and_lists() {
    let text = read("seeds/003_3c74891c68df0f2c.txt");
    let set = citations(&text, Some(&own("1600-KH/BDVTW")));
    assert_eq!(set.refs.len(), 52);
    let find = |number: &str, nth: usize| -> &Citation {
        set.refs
            .iter()
            .filter(|c| c.number.as_str() == number)
            .nth(nth)
            .expect(number)
    };
    assert_eq!(find("1600-KH/BDVTW", 0).relation, Relation::OwnNumber);
    assert_eq!(find("1600-KH/BDVTW", 1).relation, Relation::OwnNumber);
    assert_eq!(find("78-QĐ/TW", 0).relation, Relation::Basis);
    assert_eq!(find("31-CTr/BDVTW", 0).relation, Relation::Basis);
    // "Sơ kết 5 năm thực hiện Nghị quyết số 25-NQ/TW, ngày 03/6/2013 ..."
    let first25 = find("25-NQ/TW", 0);
    assert_eq!(first25.relation, Relation::Reviews);
    assert_eq!(first25.date, date(2013, 6, 3));
    assert_eq!(first25.term.as_deref(), Some("XI"));
    // "tham gia sửa đổi, bổ sung Quyết định số 219-QĐ/TW"
    assert_eq!(find("219-QĐ/TW", 0).relation, Relation::Amends);
    // "tổng kết việc thực hiện Hướng dẫn số 01/HDLB-TC-DV-TW"
    assert_eq!(find("80-HD/BDVTW", 0).kind.as_deref(), Some("Hướng dẫn"));
    // "Quyết định số 217-QĐ/TW và Quyết định số 218-QĐ/TW, ngày 12/12/2013
    // của Bộ Chính trị": the date and issuer are said of both.
    let q217 = find("217-QĐ/TW", 0);
    assert_eq!(
        (q217.date, q217.issuer.as_deref()),
        (date(2013, 12, 12), Some("Bộ Chính trị"))
    );
    assert_eq!(q217.relation, Relation::Reviews);
    // Nested quotes stay inside the subject.
    assert_eq!(
        find("23-CT/TW", 0).subject.as_deref(),
        Some(
            "chủ trương, giải pháp giải quyết vấn đề hoạt động phục hồi “Giáo hội Phật giáo Việt Nam Thống nhất”"
        )
    );
    assert_eq!(
        find("148-TB/TW", 0).kind.as_deref(),
        Some("Thông báo kết luận")
    );
    assert_eq!(find("290-QĐ/TW", 0).term.as_deref(), Some("X"));
    assert_eq!(
        find("290-QĐ/TW", 0).subject.as_deref(),
        Some("Quy chế công tác dân vận của hệ thống chính trị")
    );
    let unnumbered: Vec<&str> = set.unnumbered.iter().map(|u| u.raw.as_str()).collect();
    assert!(
        unnumbered.contains(&"Nghị quyết Trung ương 6 khóa XII"),
        "{unnumbered:?}"
    );
}

#[test]
fn seed_004_spaced_numbers() {
    let text = read("seeds/004_77dcfc2677e573d5.txt");
    let set = citations(&text, None);
    let c = set
        .refs
        .iter()
        .find(|c| c.number.as_str() == "47-CT/TU")
        .expect("47-CT/TU");
    assert_eq!(c.raw, "47 - CT/TU");
    assert_eq!(c.date, date(2015, 9, 25));
    assert_eq!(c.issuer.as_deref(), Some("Tỉnh ủy"));
    assert_eq!(c.relation, Relation::Implements);
    let c = set
        .refs
        .iter()
        .find(|c| c.number.as_str() == "03/2019/NĐ-CP")
        .expect("NĐ");
    assert_eq!(
        (c.raw.as_str(), c.date),
        ("03/2019/NĐ - CP", date(2019, 9, 5))
    );
    let c = set
        .refs
        .iter()
        .find(|c| c.number.as_str() == "01/CT-TTg")
        .expect("CT-TTg");
    assert_eq!(
        c.relation,
        Relation::Reviews,
        "sơ kết thực hiện Chỉ thị 01/CT - TTg"
    );
}

#[test]
fn short_forms_resolve_to_the_full_citation() {
    let text = "Căn cứ Nghị quyết số 25-NQ/TW ngày 03/6/2013 của Ban Chấp hành Trung ương \
                Đảng khóa XI về tăng cường công tác dân vận; Kết luận số 114-KL/TW ngày \
                14/7/2015 của Ban Bí thư. Sau 10 năm thực hiện Nghị quyết 25, công tác dân \
                vận có nhiều chuyển biến (Kết luận số 114). Nghị quyết 26 chưa ban hành.";
    let set = citations(text, None);
    let got: Vec<(&str, &str, Option<usize>, Relation)> = set
        .refs
        .iter()
        .map(|c| {
            (
                c.raw.as_str(),
                c.number.as_str(),
                c.resolved_from,
                c.relation,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("25-NQ/TW", "25-NQ/TW", None, Relation::Basis),
            ("114-KL/TW", "114-KL/TW", None, Relation::Basis),
            ("Nghị quyết 25", "25-NQ/TW", Some(0), Relation::Implements),
            ("Kết luận số 114", "114-KL/TW", Some(1), Relation::Mentions),
            ("Nghị quyết 26", "26", None, Relation::Mentions),
        ]
    );
    assert_eq!(set.refs[4].key, None, "no earlier citation resolves it");
    let c = &set.refs[0];
    assert_eq!(c.subject.as_deref(), Some("tăng cường công tác dân vận"));
    assert_eq!(c.date, date(2013, 6, 3));
}

#[test]
fn aliases_resolve() {
    let text = "Nghị quyết này hướng dẫn một số quy định của Bộ luật Dân sự số 91/2015/QH13 \
                ngày 24 tháng 11 năm 2015 (sau đây gọi tắt là Bộ luật Dân sự). Theo Bộ luật \
                Dân sự, ... Điều 584 của Bộ luật Dân sự quy định.";
    let set = citations(text, None);
    assert_eq!(set.refs[0].kind.as_deref(), Some("Bộ luật"));
    assert_eq!(set.refs[0].date, date(2015, 11, 24));
    assert_eq!(set.refs[0].relation, Relation::Guides);
    let aliases: Vec<_> = set
        .refs
        .iter()
        .filter(|c| c.resolved_from == Some(0))
        .collect();
    assert_eq!(aliases.len(), 2, "{:?}", set.refs);
    for a in aliases {
        assert_eq!(a.number.as_str(), "91/2015/QH13");
        assert_eq!(&text[a.start..a.end], "Bộ luật Dân sự");
    }
}

#[test]
fn dates_issuers_and_passives() {
    let cases: &[(&str, Option<NaiveDate>, Option<&str>, Relation)] = &[
        (
            "Căn cứ Nghị định số 15/2020/NĐ-CP ngày 08 tháng 10 năm 2021 của Chính phủ;",
            date(2021, 10, 8),
            Some("Chính phủ"),
            Relation::Basis,
        ),
        (
            "thay thế Quyết định số 1704/QĐ-CT ngày 01-10-1997 của UBND tỉnh.",
            date(1997, 10, 1),
            None,
            Relation::Replaces,
        ),
        (
            "[Khoản này được hướng dẫn bởi Nghị định 89-CP năm 1994]",
            None,
            None,
            Relation::GuidedBy,
        ),
        (
            "Điều này được sửa đổi, bổ sung bởi Luật số 35/2018/QH14",
            None,
            None,
            Relation::AmendedBy,
        ),
        (
            "bãi bỏ Thông tư số 12/2015/TT-BTC;",
            None,
            None,
            Relation::Repeals,
        ),
        (
            "NGHỊ QUYẾT SỐ 25-NQ/TW NGÀY 03/6/2013",
            date(2013, 6, 3),
            None,
            Relation::Mentions,
        ),
    ];
    for (text, want_date, want_issuer, want_rel) in cases {
        let set = citations(text, None);
        assert_eq!(set.refs.len(), 1, "{text:?}");
        let c = &set.refs[0];
        assert_eq!(c.date, *want_date, "date in {text:?}");
        assert_eq!(c.issuer.as_deref(), *want_issuer, "issuer in {text:?}");
        assert_eq!(c.relation, *want_rel, "relation in {text:?}");
    }
    let set = citations("NGHỊ QUYẾT SỐ 25-NQ/TW", None);
    assert_eq!(set.refs[0].kind.as_deref(), Some("Nghị quyết"));
}

#[test]
fn serializes_as_the_issue_shape() {
    let set = citations(
        "Căn cứ Nghị quyết số 25-NQ/TW ngày 03/6/2013 của Bộ Chính trị (khóa XI);",
        None,
    );
    let v = serde_json::to_value(&set).expect("serializable");
    let c = &v["refs"][0];
    for field in [
        "start",
        "end",
        "raw",
        "number",
        "key",
        "kind",
        "date",
        "issuer",
        "term",
        "subject",
        "relation",
        "resolved_from",
    ] {
        assert!(c.get(field).is_some(), "field {field} in {c}");
    }
    assert_eq!(c["number"], "25-NQ/TW");
    assert_eq!(c["date"], "2013-06-03");
    assert_eq!(c["relation"], "basis");
    assert_eq!(c["term"], "XI");
    let set = citations("Kế hoạch số 1600-KH/BDVTW", Some(&own("1600-KH/BDVTW")));
    assert_eq!(
        serde_json::to_value(&set).unwrap()["refs"][0]["relation"],
        "self"
    );
}

/// Across tvpl files: spans slice the raw text, citations are in order,
/// and a short form points at an earlier full citation with the same key.
/// Returns (citations, "được hướng dẫn bởi" citations).
fn tvpl_citations_well_formed_in(dir: &Path) -> (usize, usize) {
    let mut total = 0;
    let mut guided_by = 0;
    for path in crate::testdata::files_with_extension(dir, "txt") {
        let text = std::fs::read_to_string(&path).expect("UTF-8");
        let set = citations(&text, None);
        let mut last = 0;
        for (i, c) in set.refs.iter().enumerate() {
            assert_eq!(&text[c.start..c.end], c.raw, "{}", path.display());
            assert!(c.start >= last, "{}: order at {:?}", path.display(), c.raw);
            last = c.start;
            if let Some(t) = c.resolved_from {
                assert!(t < i && set.refs[t].key == c.key && set.refs[t].resolved_from.is_none());
            }
            guided_by += usize::from(c.relation == Relation::GuidedBy);
        }
        for u in &set.unnumbered {
            assert_eq!(&text[u.start..u.end], u.raw);
        }
        total += set.refs.len();
    }
    (total, guided_by)
}

#[test]
fn tvpl_citations_well_formed() {
    let (total, guided_by) = tvpl_citations_well_formed_in(&fixture("tvpl"));
    // 619 when written; the whole corpus has about 30 per file.
    assert!(total > 500, "citations in fixtures/tvpl: {total}");
    // 386 "được hướng dẫn bởi" in the sample (grep -o), 167 of them with a
    // numbered document after them when written.
    assert!(
        guided_by > 120,
        "\"được hướng dẫn bởi\" citations: {guided_by}"
    );
}

#[cfg(feature = "corpus")]
mod corpus {
    use crate::testdata::shared;

    #[test]
    fn tvpl_citations_well_formed() {
        let (total, guided_by) = super::tvpl_citations_well_formed_in(&shared("corpus/tvpl"));
        assert!(total > 15_000, "citations in tvpl: {total}");
        assert!(
            guided_by > 100,
            "\"được hướng dẫn bởi\" citations: {guided_by}"
        );
    }
}

/// Many numbers, short forms and alias definitions in one text return
/// (nothing is asserted about time).
#[test]
fn adversarial_citation_inputs_return() {
    let many = "Nghị quyết số 25-NQ/TW; thực hiện Nghị quyết 25; ".repeat(20_000);
    let set = citations(&many, None);
    assert_eq!(set.refs.len(), 40_000);
    let aliases = "Luật số 1/2020/QH14 (sau đây gọi tắt là Luật A) Luật A ".repeat(5_000);
    let _ = citations(&aliases, None);
    let shorts = format!(
        "Nghị quyết số 25-NQ/TW. {}",
        "Nghị quyết 25 ".repeat(50_000)
    );
    assert_eq!(citations(&shorts, None).refs.len(), 50_001);
}

proptest::proptest! {
    #[test]
    fn citations_never_panic(s in "\\PC{0,120}") {
        let _ = citations(&s, None);
    }

    #[test]
    fn citations_never_panic_on_citation_alphabet(
        s in "[ ,;.()“”\"0-9/\\-–NQĐTWCPkhóaXIvềcủaBộChínhtrịngàythángnămsốNghịquyếtsauđâygọitắtlà\\u{301}]{0,120}"
    ) {
        let _ = citations(&s, Some(&own("25-NQ/TW")));
    }
}
