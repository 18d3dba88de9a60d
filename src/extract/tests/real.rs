//! Tests on real pages and records: the samples committed in `fixtures/`
//! (seeds, vbpl.vn pages, Bộ Pháp điển pages and articles) and, in the
//! `corpus` module (`--features corpus`), every page and article of the
//! shared corpus. A missing file fails the test with its path; nothing is
//! skipped.
use std::fs;
use std::path::Path;

use chrono::NaiveDate;
use unicode_normalization::{IsNormalized, is_nfc, is_nfc_quick};

use crate::extract::{
    Error, ExtractedDoc, JsonLineOptions, extract_html, extract_json_line_with, extract_text,
};

use super::fixtures::NEVER_IN_BODY;
use crate::extract::nesting::limit_nesting;

use crate::testdata::fixture;

fn nfc(s: &str) -> bool {
    match is_nfc_quick(s.chars()) {
        IsNormalized::Yes => true,
        _ => is_nfc(s),
    }
}

pub(super) fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

pub(super) fn assert_clean(what: &str, doc: &ExtractedDoc, extra: &[&str]) {
    assert!(nfc(&doc.body), "{what}: body not NFC");
    assert!(nfc(&doc.title), "{what}: title not NFC");
    for chrome in NEVER_IN_BODY.iter().chain(extra) {
        assert!(!doc.body.contains(chrome), "{what}: body keeps {chrome:?}");
    }
}

fn seed(name: &str) -> ExtractedDoc {
    let path = fixture(&format!("seeds/{name}"));
    extract_text(&fs::read(&path).expect("read seed")).expect("seed extracts")
}

/// Chrome of the seeds' sites beyond [`NEVER_IN_BODY`].
const SEED_CHROME: &[&str] = &[
    "Phản hồi",
    "Đang truy cập",
    "Tổng lượt truy cập",
    "Liên kết",
    "hcm bdv001",
    "bien dao01",
    "Bạn đã không sử dụng Site",
];

#[test]
fn seed_000_programme_with_signatures_and_file() {
    let doc = seed("000_f4a88a29cc140eda.txt");
    assert_eq!(
        doc.title,
        "Chương trình phối hợp số 04-CTr/BDVTW-TCCT, ngày 22/01/2022 về Phối hợp thực hiện \
         công tác dân vận giữa Ban Dân vận Trung ương và Tổng cục Chính trị Quân đội nhân dân \
         Việt Nam giai đoạn 2022 - 2026"
    );
    assert_eq!(doc.published, date(2023, 2, 6));
    assert!(
        doc.body
            .starts_with("Căn cứ Quyết định số 23-QĐ/TW, ngày 30/7/2021 của Bộ Chính trị")
    );
    assert!(
        doc.body
            .contains("K/T TRƯỞNG BAN\n\nPHÓ TRƯỞNG BAN THƯỜNG TRỰC\n\n(Đã ký)\n\nPhạm Tất Thắng")
    );
    assert!(
        doc.body
            .ends_with("Thượng tướng Đỗ Căn\n\nFile: Chương trình số 04-Ctr")
    );
    assert!(!doc.body.contains("\n\n\n"));
    assert_eq!(doc.attachments.len(), 1);
    assert_eq!(doc.attachments[0].name, "Chương trình số 04-Ctr");
    assert_clean("seed 000", &doc, SEED_CHROME);
}

#[test]
fn seed_002_news_with_captions() {
    let doc = seed("002_b060b9e4aeb61548.txt");
    assert_eq!(
        doc.title,
        "Tổng kết Chương trình phối hợp công tác dân vận giữa Ban Dân vận Trung ương với Bộ \
         Công an và Tổng cục Chính trị QĐND Việt Nam năm 2022"
    );
    assert_eq!(doc.published, date(2024, 6, 14));
    // The first line is an image caption with a leading no-break space, as written.
    assert!(
        doc.body
            .starts_with("\u{a0}Quang cảnh Hội nghị\n\nBáo cáo và các tham luận")
    );
    // A line broken mid-word in the source stays broken: nothing is rewritten.
    assert!(doc.body.contains("cho thấy trong n\năm 2022"));
    assert!(
        doc.body
            .ends_with("đảm bảo tính hiệu quả, thiết thực\n\nPhan Thanh")
    );
    assert!(doc.attachments.is_empty());
    assert_clean("seed 002", &doc, SEED_CHROME);
}

#[test]
fn seed_003_plan_keeps_signature_and_file_line() {
    let doc = seed("003_3c74891c68df0f2c.txt");
    assert_eq!(
        doc.title,
        "Kế hoạch số 1600-KH/BDVTW ngày 28/02/2018 của Ban Dân vận Trung ương về Kế hoạch \
         công tác năm 2018"
    );
    assert_eq!(doc.published, date(2022, 10, 7));
    assert!(
        doc.body
            .starts_with("Căn cứ Quyết định số 78-QĐ/TW, ngày 10/4/2012")
    );
    assert!(doc.body.contains("\n\nTRƯỞNG BAN\n\nTrương Thị Mai\n\n"));
    assert!(doc.body.ends_with("\u{a0}File: Kế hoạch số 1600-KH/BDVTW"));
    assert_eq!(doc.attachments[0].name, "Kế hoạch số 1600-KH/BDVTW");
    assert_eq!(doc.attachments[0].url, "");
    assert_clean("seed 003", &doc, SEED_CHROME);
}

#[test]
fn seed_004_nukeviet_date_after_title_and_long_chrome_tail() {
    let doc = seed("004_77dcfc2677e573d5.txt");
    assert_eq!(
        doc.title,
        "Tiếp tục đẩy mạnh thực hiện phối hợp công tác dân vận giữa Ban Dân vận Tỉnh ủy với \
         các đơn vị lực lượng vũ trang tỉnh"
    );
    assert_eq!(doc.published, date(2022, 3, 13));
    assert!(
        doc.body
            .starts_with("Hàng năm, Ban Dân vận Tỉnh uỷ chủ trì")
    );
    assert!(!doc.body.contains("13/03/2022 08:50"));
    assert!(doc.body.ends_with("\n\nNguồn tin: Trần Đức Mậu - BDVTU"));
    assert_clean("seed 004", &doc, SEED_CHROME);
}

pub(super) fn html(path: &Path) -> ExtractedDoc {
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    extract_html(&bytes, None).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `e51fdb4d-...`: Đề mục 39.2 Công an xã.
fn check_phapdien_topic_39_2(doc: &ExtractedDoc) {
    assert_eq!(doc.title, "Đề mục 39.2 Công an xã");
    assert!(doc.body.starts_with("Chương I\n\nNHỮNG QUY ĐỊNH CHUNG\n\nĐiều 39.2.PL.1. Phạm vi điều chỉnh\n\n(Điều 1 Pháp lệnh số 06/2008/PL-UBTVQH12"));
    assert!(!doc.body.contains("Xem Danh mục văn bản pháp điển"));
}

/// Every page of a folder of Pháp điển đề mục pages: a đề mục title and
/// its articles, or (the few empty đề mục) no body. Returns the pages
/// extracted and the empty ones.
fn phapdien_pages(dir: &Path) -> (usize, usize) {
    let (mut pages, mut empty) = (0, 0);
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display()));
    for entry in entries.flatten() {
        if entry.path().extension().is_none_or(|x| x != "html") {
            continue;
        }
        let bytes = fs::read(entry.path()).expect("read page");
        if bytes.len() > 1_000_000 {
            continue; // the big ones only cost time in debug builds
        }
        pages += 1;
        match extract_html(&bytes, None) {
            Ok(doc) => {
                assert!(
                    doc.title.starts_with("Đề mục "),
                    "{:?}: {}",
                    entry.path(),
                    doc.title
                );
                assert!(
                    doc.body.starts_with("Chương ")
                        || doc.body.starts_with("Điều ")
                        || doc.body.starts_with("Mục "),
                    "{:?}: {}",
                    entry.path(),
                    doc.body.chars().take(80).collect::<String>()
                );
                assert!(nfc(&doc.body));
            }
            Err(Error::Empty(_)) => {
                assert!(bytes.len() < 1_000, "{:?}", entry.path());
                empty += 1;
            }
            Err(e) => panic!("{:?}: {e}", entry.path()),
        }
    }
    (pages, empty)
}

#[test]
fn phapdien_topic_pages() {
    check_phapdien_topic_39_2(&html(&fixture(
        "phapdien/html/e51fdb4d-9c73-44bc-9fae-10c4cde48953.html",
    )));
    // fixtures/phapdien/html: three đề mục pages and an empty one.
    assert_eq!(phapdien_pages(&fixture("phapdien/html")), (4, 1));
}

/// Every saved page of `dir` passes the nesting guard untouched; unless
/// `extract` is false, it extracts with a title, in NFC, without script.
/// Returns the pages seen.
fn saved_pages_extract(dir: &Path, extract: bool) -> usize {
    let mut seen = 0;
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display()));
    for entry in entries.flatten() {
        if entry.path().extension().is_none_or(|x| x != "html") {
            continue;
        }
        seen += 1;
        let bytes = fs::read(entry.path()).expect("read page");
        // The nesting guard never touches a real page.
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            matches!(limit_nesting(&text), std::borrow::Cow::Borrowed(_)),
            "{:?}",
            entry.path()
        );
        if !extract {
            continue; // extracted in `phapdien_pages`
        }
        let doc = extract_html(&bytes, Some("text/html; charset=utf-8"))
            .unwrap_or_else(|e| panic!("{:?}: {e}", entry.path()));
        assert!(!doc.title.is_empty(), "{:?}", entry.path());
        assert!(nfc(&doc.body) && nfc(&doc.title), "{:?}", entry.path());
        assert!(
            !doc.body.contains("<script") && !doc.body.contains("function("),
            "{:?}",
            entry.path()
        );
    }
    seen
}

#[test]
fn every_saved_page_extracts_or_is_empty() {
    assert_eq!(saved_pages_extract(&fixture("vbpl"), true), 6);
    assert_eq!(saved_pages_extract(&fixture("phapdien/html"), false), 4);
}

/// Every line of a Bộ Pháp điển JSONL file (the dump starts with a BOM):
/// the strict contract rejects an empty `text` with "empty `text`",
/// [`JsonLineOptions::allow_empty_body`] takes it. Returns (lines, lines
/// with an empty text).
fn phapdien_jsonl_every_line(path: &Path) -> (usize, usize) {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let lenient = JsonLineOptions {
        allow_empty_body: true,
    };
    let (mut lines, mut strict_ok, mut empty_text) = (0usize, 0usize, 0usize);
    for (i, line) in text.lines().enumerate() {
        lines += 1;
        let doc = match extract_json_line_with(line, JsonLineOptions::default()) {
            Ok(doc) => {
                strict_ok += 1;
                doc
            }
            Err(Error::Json(reason)) => {
                assert_eq!(reason, "empty `text`", "line {}", i + 1);
                empty_text += 1;
                extract_json_line_with(line, lenient)
                    .unwrap_or_else(|e| panic!("line {}: {e}", i + 1))
            }
            Err(e) => panic!("line {}: {e}", i + 1),
        };
        assert!(
            doc.title.starts_with("Điều "),
            "line {}: {}",
            i + 1,
            doc.title
        );
        assert!(nfc(&doc.title) && nfc(&doc.body), "line {}: not NFC", i + 1);
        assert_eq!(doc.id_hint, None, "line {}", i + 1);
        assert!(doc.metadata.contains_key("source_url") && doc.metadata.contains_key("demuc"));
        assert!(!doc.metadata.contains_key("text") && !doc.metadata.contains_key("title"));
    }
    assert_eq!(strict_ok + empty_text, lines, "every line is a document");
    (lines, empty_text)
}

/// The sample: 301 articles, 7 with an empty `text` (counted with
/// Python's json module; fixtures/phapdien/README.md).
#[test]
fn phapdien_articles_jsonl_every_line() {
    let (lines, empty) = phapdien_jsonl_every_line(&fixture("phapdien/sample.jsonl"));
    assert_eq!((lines, empty), (301, 7));
}

/// The same over every page and article of the shared corpus.
#[cfg(feature = "corpus")]
mod corpus {
    use super::*;
    use crate::testdata::shared;

    /// luatvietnam.vn menus, account prompts and the per-article widgets.
    const LUATVIETNAM_CHROME: &[&str] = &[
        "Tra cứu văn bản",
        "Tin văn bản mới",
        "Luật sư tư vấn",
        "Dịch vụ dịch thuật",
        "Đăng nhập",
        "Nâng cấp",
        "Tiện ích",
        "Theo dõi điều khoản",
        "Ghi chú",
        "Đang theo dõi",
        "Tình trạng hiệu lực",
        "Về LuatVietnam",
    ];

    /// A luatvietnam.vn page: read from the shared folder only (the site's
    /// pages are never committed).
    #[test]
    fn luatvietnam_decree_page() {
        let doc = html(&shared(
            "corpus/html/luatvietnam/Nghị_định_147_2026_NĐ-CP__Hướng_dẫn_cơ_chế,_chính_sách_tháo_gỡ_khó_khăn_cho_dự_án_tồn_đọng.html",
        ));
        assert_eq!(
            doc.title,
            "Nghị định 147/2026/NĐ-CP hướng dẫn cơ chế, chính sách tháo gỡ khó khăn cho dự án tồn đọng"
        );
        assert_eq!(doc.published, date(2026, 5, 9));
        assert!(doc.body.starts_with("CHÍNH PHỦ\n"));
        assert!(
            doc.body
                .contains("Số: 147/2026/NĐ-CP\n\nHà Nội, ngày 07 tháng 5 năm 2026\n\nNGHỊ ĐỊNH")
        );
        assert!(
            doc.body
                .contains("\n\nCăn cứ Luật Tổ chức Chính phủ số 63/2025/QH15")
        );
        assert!(
            doc.body
                .contains("\n\nĐiều 1. Phạm vi điều chỉnh\nNghị định này hướng dẫn")
        );
        assert!(doc.body.ends_with("PHÓ THỦ TƯỚNG\n\nNguyễn Văn Thắng"));
        assert_clean("luatvietnam", &doc, LUATVIETNAM_CHROME);
    }

    #[test]
    fn phapdien_topic_pages() {
        check_phapdien_topic_39_2(&html(&shared(
            "corpus/phapdien/html/e51fdb4d-9c73-44bc-9fae-10c4cde48953.html",
        )));
        let (pages, _) = phapdien_pages(&shared("corpus/phapdien/html"));
        assert!(pages >= 20, "{pages} pages");
    }

    #[test]
    fn every_saved_page_extracts_or_is_empty() {
        assert_eq!(saved_pages_extract(&shared("corpus/html/vbpl"), true), 11);
        assert_eq!(
            saved_pages_extract(&shared("corpus/html/luatvietnam"), true),
            2
        );
        assert_eq!(
            saved_pages_extract(&shared("corpus/phapdien/html"), false),
            30
        );
    }

    /// Every line of the Bộ Pháp điển dump (62,323 articles). 393 articles
    /// have an empty `text` (19 repealed, the rest with their whole text in
    /// the title).
    #[test]
    fn phapdien_articles_jsonl_every_line() {
        let (lines, empty) = phapdien_jsonl_every_line(&shared("corpus/phapdien/articles.jsonl"));
        assert_eq!((lines, empty), (62_323, 393));
    }
}
