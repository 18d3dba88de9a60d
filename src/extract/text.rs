//! Pages saved as text (`.txt`), as a browser's "save as text" writes
//! them from danvan.vn and provincial NukeViet sites:
//!
//! ```text
//! Thứ Hai, 6/2/2023                      ← date line (may come first …)
//! Chương trình phối hợp số 04-CTr/…      ← title: first substantial line
//! Chủ nhật - 13/03/2022 08:50 424 0      ← … or right after the title
//! …body…
//! File: Chương trình số 04-Ctr           ← kept, and listed as an attachment
//! Gửi cho bạn bè                         ← trailing chrome: cut from here
//! Các tin khác
//! ```
//!
//! The body keeps its lines as written (NFC, trailing whitespace trimmed,
//! runs of blank lines collapsed to one); signature blocks and "Nguồn tin:"
//! lines are content and stay.
use std::sync::LazyLock;

use regex::Regex;

use super::attach::is_file_url;
use super::boilerplate::{chrome_start, is_marker, join_lines};
use super::charset::decode_text;
use super::date::date_line;
use super::{Attachment, Error, ExtractedDoc};

/// "File: Kế hoạch số 1600-KH/BDVTW", "Tệp đính kèm: …", "File đính kèm: …".
static FILE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)^\s*(?:(?:file|tệp|tập tin)(?:\s+đính kèm)?|(?:tài liệu|văn bản)\s+đính kèm)",
        r"\s*:\s*(\S.*?)\s*$"
    ))
    .expect("static regex")
});

/// A line that can be a title: a few letters, not a date line, not chrome,
/// not a breadcrumb ("Trang chủ » Tin tức").
fn is_substantial(line: &str) -> bool {
    let t = line.trim();
    t.chars().filter(|c| c.is_alphabetic()).count() >= 3
        && date_line(t).is_none()
        && !is_marker(t)
        && !t.contains(['»', '›'])
        && !matches!(t.to_lowercase().as_str(), "trang chủ" | "trang nhất")
}

/// Extracts a page saved as text; see the module docs.
pub(crate) fn extract(bytes: &[u8]) -> Result<ExtractedDoc, Error> {
    extract_decoded(&decode_text(bytes))
}

/// [`extract`] on text already decoded (a crawled `text/plain` page,
/// decoded by its `Content-Type`).
pub(crate) fn extract_decoded(text: &str) -> Result<ExtractedDoc, Error> {
    let lines: Vec<&str> = text.lines().collect();
    let nonblank = |from: usize| (from..lines.len()).find(|&i| !lines[i].trim().is_empty());

    let mut published = None;
    let mut title_at = None;
    let mut i = 0;
    // The title is the first substantial line; a date line may precede it.
    while let Some(at) = nonblank(i) {
        let line = lines[at];
        if published.is_none()
            && let Some(d) = date_line(line)
        {
            published = Some(d);
            i = at + 1;
            continue;
        }
        if is_substantial(line) {
            title_at = Some(at);
            break;
        }
        i = at + 1;
    }
    let Some(title_at) = title_at else {
        return Err(Error::Empty("no title line in the text".into()));
    };
    let title = lines[title_at]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");

    // … or follow it.
    let mut body_from = title_at + 1;
    if published.is_none()
        && let Some(at) = nonblank(body_from)
        && let Some(d) = date_line(lines[at])
    {
        published = Some(d);
        body_from = at + 1;
    }
    let rest = &lines[body_from.min(lines.len())..];
    let rest = &rest[..chrome_start(rest)];
    let body = join_lines(rest, false);
    if body.is_empty() {
        return Err(Error::Empty("no body text after the title".into()));
    }
    Ok(ExtractedDoc {
        title,
        attachments: file_lines(rest),
        body,
        published,
        ..Default::default()
    })
}

/// Attachments named by "File: …" lines. A page saved as text has lost
/// the link, so the URL is empty unless the line shows a file name or URL.
fn file_lines(lines: &[&str]) -> Vec<Attachment> {
    lines
        .iter()
        .filter_map(|l| FILE_LINE.captures(l))
        .map(|c| {
            let name = c[1].trim().to_owned();
            let url = if is_file_url(&name) {
                name.clone()
            } else {
                String::new()
            };
            Attachment { url, name }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn date_first_then_title() {
        let doc = extract(
            "Thứ Hai, 6/2/2023\nTiêu đề văn bản\n\nĐoạn một.\n\n\n\nĐoạn hai.  \n\nGửi cho bạn bè\n\nCác tin khác\n"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(doc.title, "Tiêu đề văn bản");
        assert_eq!(doc.published, NaiveDate::from_ymd_opt(2023, 2, 6));
        assert_eq!(doc.body, "Đoạn một.\n\nĐoạn hai.");
    }

    #[test]
    fn title_then_date_and_crlf() {
        let doc = extract(
            "\r\nTiêu đề\r\n\r\nChủ nhật - 13/03/2022 08:50 424 0\r\nNội dung\r\nPhản hồi\r\n"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(doc.title, "Tiêu đề");
        assert_eq!(doc.published, NaiveDate::from_ymd_opt(2022, 3, 13));
        assert_eq!(doc.body, "Nội dung");
    }

    #[test]
    fn file_line_is_kept_and_listed() {
        let doc = extract("Kế hoạch\nNội dung\n\u{a0}File: Kế hoạch số 1600-KH/BDVTW\n".as_bytes())
            .unwrap();
        assert!(doc.body.ends_with("File: Kế hoạch số 1600-KH/BDVTW"));
        assert_eq!(
            doc.attachments,
            vec![Attachment {
                url: String::new(),
                name: "Kế hoạch số 1600-KH/BDVTW".into()
            }]
        );
        let doc = extract("T đề\nx\nTệp đính kèm: /files/kh.pdf".as_bytes()).unwrap();
        assert_eq!(doc.attachments[0].url, "/files/kh.pdf");
    }

    #[test]
    fn breadcrumbs_are_not_titles_and_plain_labels_are_not_files() {
        let doc = extract(
            "Trang nhất\nTrang nhất » Tin tức » Hoạt động\nThứ ba - 15/03/2022 10:20\nTiêu đề bài\nTài liệu: Báo cáo số 5\n"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(doc.title, "Tiêu đề bài");
        assert_eq!(doc.body, "Tài liệu: Báo cáo số 5");
        assert!(doc.attachments.is_empty());
    }

    #[test]
    fn windows_1258_text() {
        let bytes = crate::extract::tests::cp1258("Chỉ thị số 05-CT/TW\nNội dung");
        let doc = extract(&bytes).unwrap();
        assert_eq!(doc.title, "Chỉ thị số 05-CT/TW");
        assert_eq!(doc.body, "Nội dung");
    }

    #[test]
    fn empty_inputs() {
        assert!(matches!(extract(b""), Err(Error::Empty(_))));
        assert!(matches!(extract(b"Thu 6/2/2023\n\n"), Err(Error::Empty(_))));
        assert!(matches!(
            extract("Chỉ có tiêu đề\n".as_bytes()),
            Err(Error::Empty(_))
        ));
    }
}
