//! Dates as Vietnamese pages write them: "Thứ Hai, 6/2/2023",
//! "Chủ nhật - 13/03/2022 08:50 424 0" (NukeViet: weekday, date, time, then
//! view and comment counters), "Cập nhật: 13/03/2022", "Hà Nội, ngày 08
//! tháng 10 năm 2021", and ISO values from `<meta>` tags. Day before month,
//! always. Years outside 1900..=2100 are rejected as noise.
use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use super::charset::nfc_cow;

/// Longest line that can still be a "date line" (a line whose job is to
/// show the date, as opposed to a sentence that mentions one).
const MAX_DATE_LINE_CHARS: usize = 100;
/// How much may follow the date and time on a date line (counters,
/// "(GMT+7)", "| Lượt xem: 1.234").
const MAX_DATE_LINE_TAIL_CHARS: usize = 40;

static NUMERIC_DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)^\s*",
        // A label: "Cập nhật:", "Ngày đăng:", "Đăng ngày", "Posted on" ...
        r"(?:(?:[\p{L}][\p{L} ]{0,24}:)|(?:(?:ngày )?(?:cập nhật|đăng|đăng ngày|",
        r"ban hành|xuất bản|posted|published|updated)(?: on)?))?\s*",
        // A weekday: "Thứ Hai", "Thứ 2", "Chủ nhật", "CN".
        r"(?:(?:thứ\s*(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s*nhật|cn)\b\s*[,\-–|]?\s*)?",
        r"(?:(?:ngày|lúc)\s+)?",
        // A time may come first: "08:50 13/03/2022", "08:50 | 13/03/2022".
        r"(?:\d{1,2}[:h]\d{2}(?::\d{2})?\s*[,\-–|]?\s*(?:ngày\s+)?)?",
        r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\b",
        r"(?:\s*[,\-–|]?\s*(?:lúc\s*)?\d{1,2}[:h]\d{2}(?::\d{2})?(?:\s*(?:am|pm|sa|ch)\b)?)?",
        r"(.*)$",
    ))
    .expect("static regex")
});

static VIET_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})").expect("static regex")
});

static PLACE_DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)^\s*(?:[\p{L}][\p{L}\s.\-]{0,40},\s*)?",
        r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})\s*[.;]?\s*$",
    ))
    .expect("static regex")
});

static ISO_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{4})-(\d{1,2})-(\d{1,2})").expect("static regex"));

static DMY_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\b").expect("static regex")
});

/// The date shown by a line whose job is to show a date ("Thứ Hai,
/// 6/2/2023", "Chủ nhật - 13/03/2022 08:50 424 0", "Hà Nội, ngày 28 tháng
/// 11 năm 2013"). Sentences that merely mention a date give `None`.
pub(crate) fn date_line(line: &str) -> Option<NaiveDate> {
    let line = nfc_cow(line.trim());
    let line = line.as_ref();
    if line.is_empty() || line.chars().count() > MAX_DATE_LINE_CHARS {
        return None;
    }
    if let Some(c) = NUMERIC_DATE_LINE.captures(line) {
        let tail = c.get(4).map_or("", |m| m.as_str());
        if tail.chars().count() <= MAX_DATE_LINE_TAIL_CHARS
            && let Some(d) = dmy(&c[1], &c[2], &c[3])
        {
            return Some(d);
        }
    }
    let c = PLACE_DATE_LINE.captures(line)?;
    dmy(&c[1], &c[2], &c[3])
}

/// The date of a document's place-and-date line ("Hà Nội, ngày 28 tháng 11
/// năm 2013"): the issue date in a directive's header.
pub(crate) fn place_date_line(line: &str) -> Option<NaiveDate> {
    let line = nfc_cow(line.trim());
    let line = line.as_ref();
    if line.chars().count() > MAX_DATE_LINE_CHARS {
        return None;
    }
    let c = PLACE_DATE_LINE.captures(line)?;
    dmy(&c[1], &c[2], &c[3])
}

/// The first date anywhere in `s`: ISO `2022-03-13[T…]` first (meta tags,
/// JSON-LD, `<time datetime>`), then `13/03/2022`, then "ngày 13 tháng 3
/// năm 2022".
pub(crate) fn date_anywhere(s: &str) -> Option<NaiveDate> {
    if let Some(d) = ISO_DATE
        .captures_iter(s)
        .find_map(|c| ymd(&c[1], &c[2], &c[3]))
    {
        return Some(d);
    }
    if let Some(d) = DMY_DATE
        .captures_iter(s)
        .find_map(|c| dmy(&c[1], &c[2], &c[3]))
    {
        return Some(d);
    }
    VIET_DATE
        .captures_iter(s)
        .find_map(|c| dmy(&c[1], &c[2], &c[3]))
}

fn dmy(d: &str, m: &str, y: &str) -> Option<NaiveDate> {
    ymd(y, m, d)
}

fn ymd(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    let y: i32 = y.parse().ok()?;
    if !(1900..=2100).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m.parse().ok()?, d.parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn date_lines_seen_on_real_pages() {
        assert_eq!(date_line("Thứ Hai, 6/2/2023"), d(2023, 2, 6));
        assert_eq!(date_line("Thứ Sáu, 14/6/2024"), d(2024, 6, 14));
        assert_eq!(
            date_line("Chủ nhật - 13/03/2022 08:50 424 0"),
            d(2022, 3, 13)
        );
        assert_eq!(date_line("  Thứ ba - 15/03/2022 10:20  "), d(2022, 3, 15));
        assert_eq!(date_line("THỨ BẢY, 09/05/2026"), d(2026, 5, 9));
        assert_eq!(date_line("13/03/2022 08:50"), d(2022, 3, 13));
        assert_eq!(date_line("08:50 | 13/03/2022"), d(2022, 3, 13));
        assert_eq!(date_line("Cập nhật: 13-03-2022"), d(2022, 3, 13));
        assert_eq!(
            date_line("Ngày cập nhật: Thứ Bảy, 09/05/2026 20:02 (GMT+7)"),
            d(2026, 5, 9)
        );
        assert_eq!(date_line("Đăng ngày 1/1/2020"), d(2020, 1, 1));
        assert_eq!(
            date_line("Hà Nội, ngày 28 tháng 11 năm 2013"),
            d(2013, 11, 28)
        );
        assert_eq!(date_line("ngày 08 tháng 10 năm 2021"), d(2021, 10, 8));
        assert_eq!(
            date_line("Thứ Hai, ngày 06 tháng 02 năm 2023"),
            d(2023, 2, 6)
        );
    }

    #[test]
    fn decomposed_input() {
        use unicode_normalization::UnicodeNormalization;
        let nfd: String = "Chủ nhật - 13/03/2022 08:50".nfd().collect();
        assert_eq!(date_line(&nfd), d(2022, 3, 13));
        let nfd: String = "Cập nhật: 08/10/2021".nfd().collect();
        assert_eq!(date_line(&nfd), d(2021, 10, 8));
    }

    #[test]
    fn sentences_and_titles_are_not_date_lines() {
        for line in [
            "Kế hoạch số 1600-KH/BDVTW ngày 28/02/2018 của Ban Dân vận Trung ương",
            "Chương trình phối hợp số 04-CTr/BDVTW-TCCT, ngày 22/01/2022 về Phối hợp",
            "Căn cứ Quyết định số 23-QĐ/TW, ngày 30/7/2021 của Bộ Chính trị",
            "Thứ Hai, 6/2/2023 Hội nghị tổng kết công tác dân vận năm 2022 của tỉnh",
            "Nghị định này có hiệu lực từ ngày 01 tháng 7 năm 2016 và thay thế",
            "",
            "32/13/2022",
            "29/02/2023",
            "1/1/1800",
        ] {
            assert_eq!(date_line(line), None, "{line:?}");
        }
    }

    #[test]
    fn dates_anywhere() {
        assert_eq!(date_anywhere("2022-03-13T08:50:00+07:00"), d(2022, 3, 13));
        assert_eq!(date_anywhere("2022-03-13EDT08:50:00+07:00"), d(2022, 3, 13));
        assert_eq!(date_anywhere("Ngày: 6/2/2023"), d(2023, 2, 6));
        assert_eq!(
            date_anywhere("Hà Nội, ngày 8 tháng 10 năm 2021"),
            d(2021, 10, 8)
        );
        assert_eq!(date_anywhere("no date"), None);
        assert_eq!(date_anywhere("2022-13-45, 31/02/2020"), None);
    }
}
