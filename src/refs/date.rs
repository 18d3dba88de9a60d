//! Dates as Vietnamese documents write them: "ngày 08 tháng 10 năm 2021",
//! "30/7/2021", "01-10-1997", "03.6.2013". Shared by `identity` and
//! `citation`.
use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

/// A date in one of the written forms; groups `d`, `m`, `y`.
const DATE_PATTERN: &str = r"(?i)(?:ngày|ngay)?[ \t\u{a0}]*(?P<d>[0-9]{1,2})[ \t\u{a0}]*(?:(?:tháng|thang)[ \t\u{a0}]*(?P<m>[0-9]{1,2})[ \t\u{a0}]*(?:năm|nam)[ \t\u{a0}]*(?P<y>[0-9]{4})|(?P<sep>[/.\-])[ \t\u{a0}]*(?P<m2>[0-9]{1,2})[ \t\u{a0}]*[/.\-][ \t\u{a0}]*(?P<y2>[0-9]{4}))";

static DATE_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(DATE_PATTERN).expect("the date pattern is valid"));

/// [`DATE_RE`] anchored at the start: a search that cannot run on past
/// the first characters (the text after a number may be long).
static DATE_AT_START_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!("^(?:{DATE_PATTERN})")).expect("the anchored date pattern is valid")
});

/// The date at the very start of `s` (after spaces, commas and an
/// optional "ngày"), with the byte length it takes.
pub(crate) fn date_at_start(s: &str) -> Option<(NaiveDate, usize)> {
    let trimmed = s.trim_start_matches([' ', '\t', '\u{a0}', ',', '\n', '\r']);
    let skipped = s.len() - trimmed.len();
    let caps = DATE_AT_START_RE.captures(trimmed)?;
    let whole = caps.get(0)?;
    let num = |name: &str| caps.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
    let d = num("d")?;
    let (m, y) = match (num("m"), num("y")) {
        (Some(m), Some(y)) => (m, y),
        _ => (num("m2")?, num("y2")?),
    };
    let y = i32::try_from(y).ok()?;
    if !(1900..=2100).contains(&y) {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(y, m, d)?;
    // "12/12/2013" must not continue as a longer number ("12/12/20134").
    let end = skipped + whole.end();
    if s[end..].starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some((date, end))
}

/// The first date written anywhere in `s`, with its byte range.
pub(crate) fn find_date(s: &str) -> Option<(NaiveDate, std::ops::Range<usize>)> {
    for m in DATE_RE.find_iter(s) {
        // A date's day never follows a digit or a slash ("2/30/7/2021").
        if s[..m.start()].ends_with(|c: char| c.is_ascii_digit() || c == '/') {
            continue;
        }
        if let Some((date, len)) = date_at_start(&s[m.start()..]) {
            return Some((date, m.start()..m.start() + len));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn written_forms() {
        let cases = [
            ("ngày 03/6/2013", ymd(2013, 6, 3)),
            (", ngày 22/01/2022 về", ymd(2022, 1, 22)),
            ("ngày 08 tháng 10 năm 2021", ymd(2021, 10, 8)),
            ("01-10-1997", ymd(1997, 10, 1)),
            ("03.6.2013", ymd(2013, 6, 3)),
            ("ngày 5-7-1994", ymd(1994, 7, 5)),
            ("NGÀY 18 THÁNG 12 NĂM 2019", ymd(2019, 12, 18)),
        ];
        for (s, want) in cases {
            assert_eq!(date_at_start(s).map(|(d, _)| d), Some(want), "{s:?}");
        }
        assert_eq!(date_at_start("ngày 31/02/2020"), None);
        assert_eq!(date_at_start("15/12 hàng năm"), None);
        assert_eq!(date_at_start("quý III/2018"), None);
        let (d, r) = find_date("Hà Nội, ngày 10 tháng 11 năm 1980 CHỈ THỊ").unwrap();
        assert_eq!(d, ymd(1980, 11, 10));
        assert_eq!(r.start, "Hà Nội, ".len());
    }
}
