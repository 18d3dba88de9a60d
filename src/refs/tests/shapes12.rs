//! The citation shapes of issue 12, one sentence each: forward short
//! forms, lists sharing a code, joint and suffixed codes with spaced
//! dashes, issuers before the kind, between kind and number, without
//! "của" and in capitals, and khóa from "Hội nghị lần thứ N Ban Chấp
//! hành Trung ương khóa XI".
use crate::refs::{Citation, citations};

fn cites(text: &str) -> Vec<Citation> {
    citations(text, None).refs
}

fn numbers(text: &str) -> Vec<String> {
    cites(text).into_iter().map(|c| c.number).collect()
}

#[test]
fn forward_short_forms_resolve() {
    let text = "Quán triệt Chỉ thị 03 của Bộ Chính trị. Sáng nay, hội nghị quán \
                triệt Chỉ thị số 03-CT/TW, ngày 14/5/2011 của Bộ Chính trị.";
    let c = cites(text);
    assert_eq!(c[0].raw, "Chỉ thị 03");
    assert_eq!(c[0].number, "03-CT/TW");
    assert_eq!(c[0].resolved_from, Some(1));
    assert_eq!(c[1].number, "03-CT/TW");
    // A count is not a short form, before or after.
    let text = "Kế hoạch 5 năm của tỉnh; Kế hoạch số 5-KH/TU ngày 2/3/2020.";
    assert_eq!(numbers(text), ["5-KH/TU"]);
    // Another kind does not resolve to it.
    let text = "Nghị quyết 03 của Tỉnh ủy; Chỉ thị số 03-CT/TW.";
    let c = cites(text);
    assert_eq!(c[0].key, None);
    assert_eq!(c[1].number, "03-CT/TW");
}

#[test]
fn lists_sharing_a_code() {
    assert_eq!(
        numbers("thực hiện Quyết định 217, 218-QĐ/TW của Bộ Chính trị"),
        ["217-QĐ/TW", "218-QĐ/TW"]
    );
    assert_eq!(
        numbers("Nghị quyết số 18, 19-NQ/TW ngày 25/10/2017"),
        ["18-NQ/TW", "19-NQ/TW"]
    );
    let c = cites("triển khai các Chỉ thị 05, 06-CT/TW của Ban Bí thư");
    assert_eq!(
        c.iter().map(|c| c.number.as_str()).collect::<Vec<_>>(),
        ["05-CT/TW", "06-CT/TW"]
    );
    assert_eq!(c[0].kind.as_deref(), Some("Chỉ thị"));
    assert_eq!(c[0].issuer.as_deref(), Some("Ban Bí thư"));
    // Not a list: a count before a number.
    assert_eq!(numbers("Điều 5, 6-QĐ/TW"), ["6-QĐ/TW"]);
}

#[test]
fn joint_and_suffixed_codes_with_spaced_dashes() {
    assert_eq!(
        numbers("Chương trình phối hợp số 79-Ctr/BDVTW – BCSĐCP, ngày 10/5/2014"),
        ["79-CTr/BDVTW-BCSĐCP"]
    );
    assert_eq!(
        numbers("Quyết định số 367 - QĐ/TWĐTN-VP ngày 5/3/2019"),
        ["367-QĐ/TWĐTN-VP"]
    );
    // A heading in capitals after a spaced dash is not a code.
    assert_eq!(numbers("CHỈ THỊ SỐ 05-CT/TW - BAN BÍ THƯ"), ["05-CT/TW"]);
    assert_eq!(numbers("Nghị quyết 25-NQ/TW - Tăng cường"), ["25-NQ/TW"]);
}

#[test]
fn issuers_before_between_without_cua_and_in_capitals() {
    let c = cites("Bộ Chính trị vừa ban hành Chỉ thị 05-CT/TW về đẩy mạnh học tập");
    assert_eq!(c[0].issuer.as_deref(), Some("Bộ Chính trị"));
    let c = cites("Ngày 15/5, Ban Bí thư đã ban hành Quy định số 124-QĐ/TW về giám sát");
    assert_eq!(c[0].issuer.as_deref(), Some("Ban Bí thư"));
    let c = cites("Quyết định của Bộ Chính trị số 31-QĐ/TW ngày 2/3/2021");
    assert_eq!(c[0].issuer.as_deref(), Some("Bộ Chính trị"));
    assert_eq!(c[0].kind.as_deref(), Some("Quyết định"));
    let c = cites(
        "Nghị quyết số 24-NQ/TW ngày 3/6/2013 Hội nghị lần thứ bảy Ban Chấp hành \
         Trung ương khóa XI về chủ động ứng phó với biến đổi khí hậu",
    );
    assert_eq!(c[0].issuer.as_deref(), Some("Ban Chấp hành Trung ương"));
    assert_eq!(c[0].term.as_deref(), Some("XI"));
    assert_eq!(
        c[0].subject.as_deref(),
        Some("chủ động ứng phó với biến đổi khí hậu")
    );
    let c = cites(
        "Nghị quyết số 24-NQ/TW ngày 3/6/2013 của Hội nghị lần thứ bảy Ban Chấp hành \
         Trung ương Đảng khóa XI",
    );
    assert_eq!(
        c[0].issuer.as_deref(),
        Some("Ban Chấp hành Trung ương Đảng")
    );
    assert_eq!(c[0].term.as_deref(), Some("XI"));
    let c = cites(
        "CHỈ THỊ SỐ 37-CT/TW NGÀY 03 THÁNG 9 NĂM 2019 CỦA BAN BÍ THƯ TRUNG ƯƠNG ĐẢNG VỀ TĂNG CƯỜNG",
    );
    assert_eq!(c[0].issuer.as_deref(), Some("Ban Bí thư Trung ương Đảng"));
    // Not issuers: "Ban hành" after a number, a verb's object.
    let c = cites("Quyết định số 23-QĐ/TW Ban hành Quy chế công tác dân vận");
    assert_eq!(c[0].issuer, None);
    let c = cites("Tỉnh ủy yêu cầu các cấp ủy ban hành Chỉ thị 05-CT/TU");
    assert_eq!(c[0].issuer, None);
}

#[test]
fn khoa_from_the_meeting() {
    let c = cites(
        "thực hiện Nghị quyết số 18-NQ/TW, ngày 25/10/2017 Hội nghị lần thứ sáu \
         Ban Chấp hành Trung ương khóa XII",
    );
    assert_eq!(c[0].term.as_deref(), Some("XII"));
    assert_eq!(
        c[0].date.map(|d| d.to_string()).as_deref(),
        Some("2017-10-25")
    );
}

proptest::proptest! {
    #[test]
    fn no_panic_on_the_issue_12_alphabet(
        s in "[ ,;.:()“”\u{a0}0-9/\\-–―NQĐTWCTrBDVBCSĐCPkhóaXIvềcủaCỦABANBÍTHƯBộChínhtrịvừabanhànhHộinghịlầnthứbảyĐiềukhoảnhếthiệulựcnàyngàysố\\u{301}\\u{323}]{0,160}"
    ) {
        let set = citations(&s, None);
        for c in &set.refs {
            proptest::prop_assert!(c.start <= c.end && c.end <= s.len());
        }
        let _ = crate::refs::validity(&s, None);
        if !s.is_empty() {
            let _ = crate::refs::sentence_around(&s, s.len() / 2, s.len());
        }
    }
}
