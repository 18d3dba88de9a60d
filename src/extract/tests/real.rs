//! Tests on the real pages and records in `../shared` (read by path; never
//! copied into the repository). Skipped, loudly, where that folder is
//! absent.
use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use unicode_normalization::{IsNormalized, is_nfc, is_nfc_quick};

use crate::extract::{
    Error, ExtractedDoc, JsonLineOptions, extract_html, extract_json_line_with, extract_text,
};

use super::fixtures::NEVER_IN_BODY;
use crate::extract::nesting::limit_nesting;

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared");

fn shared(rel: &str) -> Option<PathBuf> {
    let path = Path::new(SHARED).join(rel);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("SKIPPED: {} not found", path.display());
        None
    }
}

fn nfc(s: &str) -> bool {
    match is_nfc_quick(s.chars()) {
        IsNormalized::Yes => true,
        _ => is_nfc(s),
    }
}

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn assert_clean(what: &str, doc: &ExtractedDoc, extra: &[&str]) {
    assert!(nfc(&doc.body), "{what}: body not NFC");
    assert!(nfc(&doc.title), "{what}: title not NFC");
    for chrome in NEVER_IN_BODY.iter().chain(extra) {
        assert!(!doc.body.contains(chrome), "{what}: body keeps {chrome:?}");
    }
}

fn seed(name: &str) -> Option<ExtractedDoc> {
    let path = shared(&format!("seeds/{name}"))?;
    Some(extract_text(&fs::read(&path).expect("read seed")).expect("seed extracts"))
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
    let Some(doc) = seed("000_f4a88a29cc140eda.txt") else {
        return;
    };
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
    let Some(doc) = seed("002_b060b9e4aeb61548.txt") else {
        return;
    };
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
    let Some(doc) = seed("003_3c74891c68df0f2c.txt") else {
        return;
    };
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
    let Some(doc) = seed("004_77dcfc2677e573d5.txt") else {
        return;
    };
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

fn html(rel: &str) -> Option<ExtractedDoc> {
    let path = shared(rel)?;
    Some(extract_html(&fs::read(&path).expect("read page"), None).expect("page extracts"))
}

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

#[test]
fn vbpl_full_text_pages() {
    let Some(doc) = html("corpus/html/vbpl/vbpl.html") else {
        return;
    };
    assert_eq!(doc.title, "Bộ luật 100/2015/QH13");
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
    assert_clean("vbpl.html", &doc, VBPL_CHROME);
    let urls: Vec<&str> = doc.attachments.iter().map(|a| a.url.as_str()).collect();
    assert!(
        urls.contains(&"/FileData/TW/Lists/vbpq/Attachments/96122/VanBanGoc_100.2015.QH13.P1.pdf")
    );
    assert!(urls.contains(&"/TW/Lists/vbpq/Attachments/96122/100.2015.QH13.doc"));

    let Some(doc) = html("corpus/html/vbpl/vbpl_v1.html") else {
        return;
    };
    assert_eq!(doc.title, "Hiến pháp Không số");
    assert_eq!(doc.published, date(2013, 11, 28));
    assert!(
        doc.body
            .contains("\n\nLỜI NÓI ĐẦU\n\nTrải qua mấy nghìn năm lịch sử")
    );
    assert!(
        doc.body
            .contains("\n\nĐiều 1\n\nNước Cộng hòa xã hội chủ nghĩa Việt Nam là một nước độc lập")
    );
    assert_clean("vbpl_v1.html", &doc, VBPL_CHROME);

    let Some(doc) = html("corpus/html/vbpl/vbpl_v3.html") else {
        return;
    };
    assert_eq!(doc.title, "Bộ luật 101/2015/QH13");
    assert!(doc.body.contains("TỐ TỤNG HÌNH SỰ"));
    assert!(
        doc.body
            .contains("Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;")
    );
    assert_clean("vbpl_v3.html", &doc, VBPL_CHROME);
}

#[test]
fn vbpl_properties_page() {
    let Some(doc) = html("corpus/html/vbpl/vbpl_thuoctinh.html") else {
        return;
    };
    assert_eq!(doc.title, "Bộ luật 101/2015/QH13");
    assert!(
        doc.body
            .starts_with("Tố tụng hình sự\nSố ký hiệu\n101/2015/QH13\nNgày ban hành\n27/11/2015")
    );
    assert!(!doc.body.contains("CSDL quốc gia về VBPL"));
}

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

#[test]
fn luatvietnam_decree_page() {
    let path = "corpus/html/luatvietnam/Nghị_định_147_2026_NĐ-CP__Hướng_dẫn_cơ_chế,_chính_sách_tháo_gỡ_khó_khăn_cho_dự_án_tồn_đọng.html";
    let Some(doc) = html(path) else { return };
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
    let Some(dir) = shared("corpus/phapdien/html") else {
        return;
    };
    let Some(doc) = html("corpus/phapdien/html/e51fdb4d-9c73-44bc-9fae-10c4cde48953.html") else {
        return;
    };
    assert_eq!(doc.title, "Đề mục 39.2 Công an xã");
    assert!(doc.body.starts_with("Chương I\n\nNHỮNG QUY ĐỊNH CHUNG\n\nĐiều 39.2.PL.1. Phạm vi điều chỉnh\n\n(Điều 1 Pháp lệnh số 06/2008/PL-UBTVQH12"));
    assert!(!doc.body.contains("Xem Danh mục văn bản pháp điển"));
    // Every page of the dump: a đề mục title and its articles, or (the
    // few empty đề mục) no body.
    let mut pages = 0;
    for entry in fs::read_dir(dir).expect("read dir").flatten() {
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
            Err(Error::Empty(_)) => assert!(bytes.len() < 1_000, "{:?}", entry.path()),
            Err(e) => panic!("{:?}: {e}", entry.path()),
        }
    }
    assert!(pages >= 20);
}

#[test]
fn every_saved_page_extracts_or_is_empty() {
    for dir in [
        "corpus/html/vbpl",
        "corpus/html/luatvietnam",
        "corpus/phapdien/html",
    ] {
        let Some(dir) = shared(dir) else { return };
        for entry in fs::read_dir(&dir).expect("read dir").flatten() {
            let bytes = fs::read(entry.path()).expect("read page");
            // The nesting guard never touches a real page.
            let text = String::from_utf8_lossy(&bytes);
            assert!(
                matches!(limit_nesting(&text), std::borrow::Cow::Borrowed(_)),
                "{:?}",
                entry.path()
            );
            if dir.ends_with("phapdien/html") {
                continue; // extracted in `phapdien_topic_pages`
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
    }
}

/// Every line of the Bộ Pháp điển dump (62,323 articles; the file starts
/// with a BOM). 393 articles have an empty `text` (19 repealed, the rest
/// with their whole text in the title): the strict contract rejects them
/// with "empty `text`", [`JsonLineOptions::allow_empty_body`] takes them.
#[test]
fn phapdien_articles_jsonl_every_line() {
    let Some(path) = shared("corpus/phapdien/articles.jsonl") else {
        return;
    };
    let text = fs::read_to_string(&path).expect("read jsonl");
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
    assert_eq!(lines, 62_323);
    assert_eq!(strict_ok + empty_text, 62_323, "every line is a document");
    assert_eq!(empty_text, 393);
}
