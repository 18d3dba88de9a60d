//! The number grammar on single strings: (input, canonical, key) rows
//! taken from the issue, the seeds and the tvpl corpus, and negatives.
use crate::refs::{DocNumber, Shape, scan_numbers};

/// Parses `input` and checks its canonical form and key.
#[track_caller]
fn assert_number(input: &str, canonical: &str, key: &str) {
    let n: DocNumber = match input.parse() {
        Ok(n) => n,
        Err(e) => panic!("{input:?} should parse as {canonical:?}: {e}"),
    };
    assert_eq!(n.as_str(), canonical, "canonical form of {input:?}");
    assert_eq!(n.to_string(), canonical, "Display of {input:?}");
    assert_eq!(n.key(), key, "match key of {input:?}");
    let again: DocNumber = canonical.parse().expect("canonical form parses");
    assert_eq!(
        again, n,
        "canonical form of {input:?} parses back to itself"
    );
}

#[test]
fn canonical_and_key_table() {
    #[rustfmt::skip]
    let rows: &[(&str, &str, &str)] = &[
        // The issue's examples.
        ("25-NQ/TW", "25-NQ/TW", "25-nq/tw"),
        ("25 – NQ/TW", "25-NQ/TW", "25-nq/tw"),
        ("04-CTr/BDVTW-TCCT", "04-CTr/BDVTW-TCCT", "04-ctr/bdvtw-tcct"),
        ("79-CTr/BDVTW-BCSĐCP", "79-CTr/BDVTW-BCSĐCP", "79-ctr/bdvtw-bcsdcp"),
        ("08-QĐi/TW", "08-QĐi/TW", "08-qdi/tw"),
        ("367-QĐ/TWĐTN-VP", "367-QĐ/TWĐTN-VP", "367-qd/twdtn-vp"),
        ("03/2019/NĐ-CP", "03/2019/NĐ-CP", "03/2019/nd-cp"),
        ("03/2019/NĐ - CP", "03/2019/NĐ-CP", "03/2019/nd-cp"),
        ("57/2020/QH14", "57/2020/QH14", "57/2020/qh14"),
        ("55/2005/TTLT-BNV-VPCP", "55/2005/TTLT-BNV-VPCP", "55/2005/ttlt-bnv-vpcp"),
        ("33/CT-TTg", "33/CT-TTg", "33/ct-ttg"),
        ("439/QĐ-TTg", "439/QĐ-TTg", "439/qd-ttg"),
        ("01/HDLB-TC-DV-TW", "01/HDLB-TC-DV-TW", "01/hdlb-tc-dv-tw"),
        // An old state number in the Party layout: no Party kind in it, so
        // the state form (one document, two spellings in the Pháp điển).
        ("89-TC/TCT", "89/TC-TCT", "89/tc-tct"),
        ("89/TC-TCT", "89/TC-TCT", "89/tc-tct"),
        ("Số 60 TC/TCT", "60/TC-TCT", "60/tc-tct"),
        ("47 - CT/TU", "47-CT/TU", "47-ct/tu"),
        ("1206 /QĐ-HVTC", "1206/QĐ-HVTC", "1206/qd-hvtc"),
        ("119- KH/TU", "119-KH/TU", "119-kh/tu"),
        ("số 84 QĐ/TWĐTN", "84-QĐ/TWĐTN", "84-qd/twdtn"),
        // A pasted number needs no "số" before the spaced form.
        ("84 QĐ/TWĐTN", "84-QĐ/TWĐTN", "84-qd/twdtn"),
        ("số31-QĐ/TW", "31-QĐ/TW", "31-qd/tw"),
        ("25-\nNQ/TW", "25-NQ/TW", "25-nq/tw"),
        ("15/2020/nđ-cp", "15/2020/NĐ-CP", "15/2020/nd-cp"),
        ("25-Nq/tw", "25-NQ/TW", "25-nq/tw"),
        ("23-QD/TW", "23-QĐ/TW", "23-qd/tw"),
        ("15/2020/ND-CP", "15/2020/NĐ-CP", "15/2020/nd-cp"),
        ("23 - QĐ/TW", "23-QĐ/TW", "23-qd/tw"),
        ("119/2014/NÐ-CP", "119/2014/NĐ-CP", "119/2014/nd-cp"),
        ("25-NQ/TƯ", "25-NQ/TW", "25-nq/tw"),
        ("25—NQ/TW", "25-NQ/TW", "25-nq/tw"),
        ("Số: 15/2020/NĐ-CP", "15/2020/NĐ-CP", "15/2020/nd-cp"),
        ("  Số:15/2020/NĐ-CP ", "15/2020/NĐ-CP", "15/2020/nd-cp"),
        ("số 23-QĐ/TW", "23-QĐ/TW", "23-qd/tw"),
        ("169-CP", "169-CP", "169-cp"),
        ("15-CT", "15-CT", "15-ct"),
        ("12a/2011/TT-BTC", "12a/2011/TT-BTC", "12a/2011/tt-btc"),
        ("01a-HD/BTGTW", "01a-HD/BTGTW", "01a-hd/btgtw"),
        // Seeds and tvpl.
        ("1600-KH/BDVTW", "1600-KH/BDVTW", "1600-kh/bdvtw"),
        ("1573-KH/BDVTW-BCSĐCP", "1573-KH/BDVTW-BCSĐCP", "1573-kh/bdvtw-bcsdcp"),
        ("01/CT - TTg", "01/CT-TTg", "01/ct-ttg"),
        ("681 - CT/ĐU", "681-CT/ĐU", "681-ct/du"),
        ("148-TB/TW", "148-TB/TW", "148-tb/tw"),
        ("299/TTg", "299/TTg", "299/ttg"),
        ("19046/BTC-TCHQ", "19046/BTC-TCHQ", "19046/btc-tchq"),
        ("2739/VPCP-ĐMDN", "2739/VPCP-ĐMDN", "2739/vpcp-dmdn"),
        ("37-L/CTN", "37-L/CTN", "37-l/ctn"),
        ("69-TC/ĐT", "69/TC-ĐT", "69/tc-dt"),
        ("20/VBHN-VPQH", "20/VBHN-VPQH", "20/vbhn-vpqh"),
        ("31/2004/PL-UBTVQH11", "31/2004/PL-UBTVQH11", "31/2004/pl-ubtvqh11"),
        ("01/2018/TT- BNNPTNT", "01/2018/TT-BNNPTNT", "01/2018/tt-bnnptnt"),
        ("12/2012/TTLT-VKSNDTC-TANDTC-BCA-BTP-BQP-BTC-BNNPTNT",
         "12/2012/TTLT-VKSNDTC-TANDTC-BCA-BTP-BQP-BTC-BNNPTNT",
         "12/2012/ttlt-vksndtc-tandtc-bca-btp-bqp-btc-bnnptnt"),
        ("28/2015/TT-BLĐTBXH", "28/2015/TT-BLĐTBXH", "28/2015/tt-bldtbxh"),
        ("số 04-Ctr", "04-CTr", "04-ctr"),
        ("số 10-HĐBT", "10-HĐBT", "10-hdbt"),
        ("04-TT/TW", "04-TT/TW", "04-tt/tw"),
        ("05-HD/BTGTW", "05-HD/BTGTW", "05-hd/btgtw"),
        ("123/TTr-BNV", "123/TTr-BNV", "123/ttr-bnv"),
        ("1234/QĐ-UBND", "1234/QĐ-UBND", "1234/qd-ubnd"),
        ("02/2016/TTLT-BNV-BTC", "02/2016/TTLT-BNV-BTC", "02/2016/ttlt-bnv-btc"),
        ("Số:01/2021/TT-BTC", "01/2021/TT-BTC", "01/2021/tt-btc"),
        ("SỐ 119-KH/TU", "119-KH/TU", "119-kh/tu"),
        // Bộ Pháp điển article texts.
        ("33/2005/TT-BGD&ĐT", "33/2005/TT-BGD&ĐT", "33/2005/tt-bgd&dt"),
        ("81/2005/TTLT-BNV- BTC", "81/2005/TTLT-BNV-BTC", "81/2005/ttlt-bnv-btc"),
        ("1125/ĐĐBĐ", "1125/ĐĐBĐ", "1125/ddbd"),
        ("75/2006/QH 11", "75/2006/QH11", "75/2006/qh11"),
        ("141/2010/TTLT/BQP-BTP", "141/2010/TTLT-BQP-BTP", "141/2010/ttlt-bqp-btp"),
        ("1249a/CTPH-UBDT-BTP", "1249a/CTPH-UBDT-BTP", "1249a/ctph-ubdt-btp"),
        ("1567/NQ-UBTVQH15", "1567/NQ-UBTVQH15", "1567/nq-ubtvqh15"),
        ("32-L/CTN", "32-L/CTN", "32-l/ctn"),
        ("01/2016/NQ.HĐTP", "01/2016/NQ-HĐTP", "01/2016/nq-hdtp"),
        // NFD input and mixed-case codes in other spellings.
        ("25-NQ/TU\u{31b}", "25-NQ/TW", "25-nq/tw"),
        ("04-CTR/BDVTW", "04-CTr/BDVTW", "04-ctr/bdvtw"),
        ("08-QDI/TW", "08-QĐi/TW", "08-qdi/tw"),
        ("33/ct-ttg", "33/CT-TTg", "33/ct-ttg"),
        ("33/CT-TTG", "33/CT-TTg", "33/ct-ttg"),
    ];
    for (input, canonical, key) in rows {
        assert_number(input, canonical, key);
    }
}

#[test]
fn parts() {
    let n: DocNumber = "04-CTr/BDVTW-TCCT".parse().unwrap();
    assert_eq!(n.serial(), "04");
    assert_eq!(n.year(), None);
    assert_eq!(n.type_code(), Some("CTr"));
    assert_eq!(n.issuers(), ["BDVTW", "TCCT"]);
    assert_eq!(n.shape(), Shape::Party);
    assert_eq!(n.kind_hint(), Some("Chương trình"));

    let n: DocNumber = "57/2020/QH14".parse().unwrap();
    assert_eq!(
        (n.serial(), n.year(), n.type_code()),
        ("57", Some(2020), None)
    );
    assert_eq!(n.issuers(), ["QH14"]);

    let n: DocNumber = "19046/BTC-TCHQ".parse().unwrap();
    assert_eq!(n.type_code(), None);
    assert_eq!(n.issuers(), ["BTC", "TCHQ"]);

    let n: DocNumber = "169-CP".parse().unwrap();
    assert_eq!((n.shape(), n.type_code()), (Shape::Old, None));
    assert_eq!(n.issuers(), ["CP"]);

    let n: DocNumber = "15-CT".parse().unwrap();
    assert_eq!(n.type_code(), Some("CT"));
    assert_eq!(n.kind_hint(), Some("Chỉ thị"));
}

#[test]
fn serde_as_string() {
    let n: DocNumber = "25 – NQ/TW".parse().unwrap();
    let json = serde_json::to_string(&n).unwrap();
    assert_eq!(json, r#""25-NQ/TW""#);
    let back: DocNumber = serde_json::from_str(&json).unwrap();
    assert_eq!(back, n);
}

#[test]
fn not_numbers() {
    #[rustfmt::skip]
    let negatives = [
        "", "số", "Số:", "217", "Điều 5", "khoản 2", "30/7/2021", "15/12",
        "ngày 30/7/2021", "0243.123.456", "0243-123-456", "1.000.000 đồng",
        "Covid - 19", "Covid-19", "2016 – 2021", "2022 - 2026", "quý III/2018",
        "T26", "T26, T78", "II - NỘI DUNG", "1.1.", "m3/s", "3/s",
        "25-NQ/TW extra", "25-NQ/", "NQ/TW", "19/XII", "1- Uỷ ban nhân dân",
        "1- UBND tỉnh", "Điều 13 - Luật", "Mẫu số 03/ĐK", "1,3-Bis",
        "4/5", "24/7", "số 84 qđ", "Nghi-dinh-65-2022-ND-CP",
        "QCVN 01:2018/BYT", "5 ha/năm", "25-NQ/TW 26-NQ/TW",
    ];
    for s in negatives {
        assert!(s.parse::<DocNumber>().is_err(), "{s:?} is not a number");
    }
}

#[test]
fn not_numbers_in_text() {
    #[rustfmt::skip]
    let texts = [
        "ngày 30/7/2021 của Bộ Chính trị", "Điều 5. Hiệu lực", "khoản 2 Điều 3",
        "điện thoại 0243.123.456 hoặc 0243-123-456", "hỗ trợ 1.000.000 đồng/người",
        "phòng, chống dịch Covid - 19 và Covid-19", "giai đoạn 2016 – 2021",
        "trình quý III/2018", "tại T26, T78", "II - NỘI DUNG", "1.1. Tham mưu",
        "Báo cáo năm gửi trước 15/12 hàng năm", "02 m3/s đến 10 m3/s",
        "0,35 triệu đồng/m2/tháng", "1- Uỷ ban nhân dân các cấp", "2- Hộ gia đình",
        "Điều 13 - Luật doanh nghiệp", "theo Mẫu số 03/ĐK ban hành",
        "các mẫu số 24a/QĐC, 24b/QĐC, 25/QĐC và 26/QĐC", "Bảng 11/CLĐ",
        "Phụ lục 02/BVĐ", "1,3-Bis (2-chloroethylthio)", "Lewisit 1: 2-Chlorovinyl",
        "3- O -acetyl", "Nghi-dinh-65-2022-ND-CP", "QCVN 01-1:2018/BYT",
        "Căn hộ số 1306 - Tòa CT1", "Phó Cục trưởng V05, Bộ Công an",
        "Đang truy cập8", "định101/ĐK", "cập8-UBND", "số liệu12/UBND", "gồm 169-cp", "khoảng 3/cp", "hcm bdv001", "1,2 vạn bản/kỳ", "(15/10/1930 - 15/10/2018)",
        "năm 2018 - 2020: “Đổi mới", "1 tháng/1 lần", "Ban Chỉ đạo 68.",
        "24,25-27,5 GHz", "ngày 19/XII/1946", "Chương 2- ĐIỀU KHOẢN", "CHƯƠNG 3-QUY ĐỊNH CHUNG",
        "Điều 2-UBND tỉnh", "QCVN 8-3: 2012/BYT", "QCVN 01-51 : 2011/TTBNNPTNT",
        "theomẫu số 01/TBVMT", "BGD&ĐT/2005", "biển số 29A-123.45", "8h30-11h00", "tăng 20-25%",
        "chi tiết tại Sơ đồ số 02/CLĐ của", "| 01/CT/XĐTXX/GSQL |", "Mã số 06/PYCPT-XDTMS/2015",
        "04/THĐ của Phụ lục III, 07/ONĐ của Phụ lục IV và 05/QTĐ của Phụ lục V",
    ];
    for t in texts {
        let found = scan_numbers(t);
        assert!(found.is_empty(), "no number in {t:?}, found {found:?}");
    }
}

#[test]
fn shared_code() {
    let t = "Quyết định số 217, 218-QĐ/TW, ngày 12/12/2013";
    let found: Vec<_> = scan_numbers(t)
        .into_iter()
        .map(|m| (&t[m.span], m.number.to_string()))
        .collect();
    assert_eq!(
        found,
        [
            ("217", "217-QĐ/TW".to_string()),
            ("218-QĐ/TW", "218-QĐ/TW".to_string())
        ]
    );
    let t = "các Nghị quyết số 10, 11 và 12-NQ/TW";
    let found: Vec<_> = scan_numbers(t)
        .into_iter()
        .map(|m| m.number.to_string())
        .collect();
    assert_eq!(found, ["10-NQ/TW", "11-NQ/TW", "12-NQ/TW"]);
    // Separate numbers are not shared ones.
    let t = "Quyết định số 217-QĐ/TW và Quyết định số 218-QĐ/TW";
    let found: Vec<_> = scan_numbers(t)
        .into_iter()
        .map(|m| m.number.to_string())
        .collect();
    assert_eq!(found, ["217-QĐ/TW", "218-QĐ/TW"]);
}

#[test]
fn glued_and_cut() {
    let cases = [
        ("Thông báo số 70-TB/TWngày 5", "70-TB/TW", "70-TB/TW"),
        ("số31-QĐ/TW", "31-QĐ/TW", "31-QĐ/TW"),
        (
            "tại Nghị định101/2024/NĐ-CP nay",
            "101/2024/NĐ-CP",
            "101/2024/NĐ-CP",
        ),
        ("Quyết định1466/QĐ-TTg", "1466/QĐ-TTg", "1466/QĐ-TTg"),
        ("Nghị quyết 25-NQ/TWvề", "25-NQ/TW", "25-NQ/TW"),
        (
            "Nghị quyết 25-NQ/TW - BAN CHẤP HÀNH",
            "25-NQ/TW",
            "25-NQ/TW",
        ),
        (
            "NGHỊ QUYẾT 25-NQ/TW - VỀ TĂNG CƯỜNG",
            "25-NQ/TW",
            "25-NQ/TW",
        ),
        ("Quyết định 439/QĐ-TTgngày", "439/QĐ-TTg", "439/QĐ-TTg"),
        (
            "Nghị định 03/2019/NĐ-CPngày",
            "03/2019/NĐ-CP",
            "03/2019/NĐ-CP",
        ),
        ("Số:\n299/TTg Hà Nội", "299/TTg", "299/TTg"),
        ("theo nghị định 169-cp về", "169-cp", "169-CP"),
        ("chỉ thị 299/ttg ngày", "299/ttg", "299/TTg"),
        ("Kế hoạch số 119- KH/TU ngày", "119- KH/TU", "119-KH/TU"),
        ("(Nghị quyết số 25-NQ/TW, trình", "25-NQ/TW", "25-NQ/TW"),
    ];
    for (text, raw, canonical) in cases {
        let found = scan_numbers(text);
        assert_eq!(found.len(), 1, "one number in {text:?}: {found:?}");
        assert_eq!(&text[found[0].span.clone()], raw, "span in {text:?}");
        assert_eq!(found[0].number.as_str(), canonical, "number in {text:?}");
    }
}
