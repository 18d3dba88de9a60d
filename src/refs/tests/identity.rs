//! identify() on the seeds (title = first substantial line after the date
//! line, body = the rest) and on tvpl files with a formal header.
use chrono::NaiveDate;

use crate::refs::{Identity, identify};

use std::path::Path;

use crate::testdata::fixture;

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// Splits a seed page into (title, body): a first line that is a short
/// date line ("Thứ Hai, 6/2/2023") is skipped.
fn seed_parts(text: &str) -> (&str, &str) {
    let mut rest = text;
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    let is_date_line = first.len() < 40 && first.chars().any(|c| c.is_ascii_digit());
    if is_date_line {
        rest = &text[first.len()..];
    }
    let rest = rest.trim_start();
    let end = rest.find('\n').unwrap_or(rest.len());
    (rest[..end].trim(), &rest[end..])
}

fn seed(name: &str) -> Identity {
    let text = read(&fixture(&format!("seeds/{name}")));
    let (title, body) = seed_parts(&text);
    identify(title, body)
}

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

#[test]
fn seed_000_joint_programme() {
    let id = seed("000_f4a88a29cc140eda.txt");
    assert_eq!(
        id.number.as_ref().map(|n| n.as_str()),
        Some("04-CTr/BDVTW-TCCT")
    );
    assert_eq!(id.kind.as_deref(), Some("Chương trình"));
    assert_eq!(id.issued, date(2022, 1, 22));
    assert_eq!(
        id.issuers,
        [
            "Ban Dân vận Trung ương",
            "Tổng cục Chính trị Quân đội nhân dân Việt Nam"
        ]
    );
    assert_eq!(id.signers, ["Phạm Tất Thắng", "Đỗ Căn"]);
}

#[test]
fn nfd_input_reads_the_same() {
    use unicode_normalization::UnicodeNormalization;
    for name in ["000_f4a88a29cc140eda.txt", "003_3c74891c68df0f2c.txt"] {
        let text = read(&fixture(&format!("seeds/{name}")));
        let (title, body) = seed_parts(&text);
        let nfd = |s: &str| s.nfd().collect::<String>();
        assert_eq!(
            identify(&nfd(title), &nfd(body)),
            identify(title, body),
            "{name}"
        );
    }
}

#[test]
fn seed_003_plan() {
    let id = seed("003_3c74891c68df0f2c.txt");
    assert_eq!(
        id.number.as_ref().map(|n| n.as_str()),
        Some("1600-KH/BDVTW")
    );
    assert_eq!(id.kind.as_deref(), Some("Kế hoạch"));
    assert_eq!(id.issued, date(2018, 2, 28));
    assert_eq!(id.issuers, ["Ban Dân vận Trung ương"]);
    assert_eq!(id.signers, ["Trương Thị Mai"]);
}

#[test]
fn seed_news_reports_have_no_own_number() {
    for name in ["002_b060b9e4aeb61548.txt", "004_77dcfc2677e573d5.txt"] {
        let id = seed(name);
        assert_eq!(id.number, None, "{name}");
        assert_eq!(id.kind, None, "{name}");
        assert_eq!(id.issued, None, "{name}");
        assert!(id.issuers.is_empty(), "{name}: {:?}", id.issuers);
        assert!(id.signers.is_empty(), "{name}: {:?}", id.signers);
    }
}

/// A tvpl file: its first line is the title, the rest the body.
fn tvpl(name: &str) -> Identity {
    tvpl_at(&fixture(&format!("tvpl/{name}")))
}

fn tvpl_at(path: &Path) -> Identity {
    let text = read(path);
    let (title, body) = text.split_once('\n').unwrap_or((&text, ""));
    identify(title, body)
}

#[track_caller]
fn check(
    id: &Identity,
    number: &str,
    kind: &str,
    issued: Option<NaiveDate>,
    issuers: &[&str],
    signers: &[&str],
) {
    assert_eq!(id.number.as_ref().map(|n| n.as_str()), Some(number));
    assert_eq!(id.kind.as_deref(), Some(kind));
    assert_eq!(id.issued, issued);
    assert_eq!(id.issuers, issuers);
    assert_eq!(id.signers, signers);
}

#[test]
fn tvpl_formal_headers() {
    check(
        &tvpl("Chỉ_thị_299_TTg.txt"),
        "299/TTg",
        "Chỉ thị",
        date(1980, 11, 10),
        &["Phủ Thủ tướng"],
        &["Tố Hữu"],
    );
    check(
        &tvpl("Nghị_quyết_01_2019_NQ-HĐTP.txt"),
        "01/2019/NQ-HĐTP",
        "Nghị quyết",
        date(2019, 1, 11),
        &["Hội đồng Thẩm phán Tòa án nhân dân tối cao"],
        &["Nguyễn Hòa Bình"],
    );
    check(
        &tvpl("Công_văn_778_TCHQ-GSQL.txt"),
        "778/TCHQ-GSQL",
        "Công văn",
        date(2017, 2, 13),
        &["Bộ Tài chính", "Tổng cục Hải quan"],
        &["Vũ Ngọc Anh"],
    );
    check(
        &tvpl("Quyết_định_435_QĐ-UBND_năm_2020.txt"),
        "435/QĐ-UBND",
        "Quyết định",
        date(2020, 5, 4),
        &["Ủy ban nhân dân tỉnh Kon Tum"],
        &["Nguyễn Hữu Tháp"],
    );
    let id = tvpl("Luật_Đất_đai_2003.txt");
    assert_eq!(id.number.as_ref().map(|n| n.as_str()), Some("13/2003/QH11"));
    assert_eq!(id.kind.as_deref(), Some("Luật"));
    assert_eq!(id.issued, date(2003, 11, 26));
    assert_eq!(id.issuers, ["Quốc hội"]);
}

/// Across tvpl files, a formal header gives number, kind, date, issuer
/// and signer for nearly every file.
fn identity_coverage(dir: &Path) -> usize {
    let paths = crate::testdata::files_with_extension(dir, "txt");
    let total = paths.len();
    let (mut numbered, mut dated, mut issued_by, mut signed, mut kinded) = (0, 0, 0, 0, 0);
    for path in &paths {
        let id = tvpl_at(path);
        numbered += usize::from(id.number.is_some());
        dated += usize::from(id.issued.is_some());
        issued_by += usize::from(!id.issuers.is_empty());
        signed += usize::from(!id.signers.is_empty());
        kinded += usize::from(id.kind.is_some());
    }
    let at_least = |n: usize, pct: usize, what: &str| {
        assert!(n * 100 >= total * pct, "{what}: {n} of {total}");
    };
    at_least(numbered, 95, "own number");
    at_least(dated, 95, "date of issue");
    at_least(issued_by, 95, "issuer");
    at_least(signed, 90, "signer");
    at_least(kinded, 98, "kind");
    total
}

#[test]
fn tvpl_identity_coverage() {
    assert_eq!(identity_coverage(&fixture("tvpl")), 13);
}

#[cfg(feature = "corpus")]
mod corpus {
    use crate::testdata::shared;

    #[test]
    fn tvpl_identity_coverage() {
        assert_eq!(super::identity_coverage(&shared("corpus/tvpl")), 214);
    }
}

proptest::proptest! {
    #[test]
    fn identify_never_panics(title in "\\PC{0,60}", body in "\\PC{0,200}") {
        let _ = identify(&title, &body);
    }

    #[test]
    fn identify_never_panics_on_header_alphabet(
        body in "[ \n:,.()/\\-0-9SốốTMKTLBỘCHÍNHTRỊngàythángnămĐãkýNguyễnVăn\u{301}\u{323}]{0,120}"
    ) {
        let _ = identify("Nghị quyết số 25-NQ/TW", &body);
    }
}
