//! Attachment links: every `<a href>` in the page whose target is a
//! document file (.pdf, .doc, .docx, .xls, .xlsx, .zip, .rar; any case; a
//! query string or fragment may follow). vbpl.vn hides its files behind
//! `javascript:downloadfile('name.pdf','/FileData/…/name.pdf');`, so for a
//! `javascript:` href the quoted argument that is a file path is the URL.
//! Viewer links whose path is a script (`WopiFrame.aspx?sourcedoc=x.doc`)
//! are not attachments. URLs are kept as written; the page URL is not
//! known here.
use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;
use scraper::Html;

use super::Attachment;
use super::charset::nfc_str;
use super::profiles::sel;
use super::render::inline_text;

const EXTENSIONS: &[&str] = &[".pdf", ".doc", ".docx", ".xls", ".xlsx", ".zip", ".rar"];

static QUOTED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"'([^']*)'|"([^"]*)""#).expect("static regex"));

/// Whether `url`'s path (before `?` and `#`) ends in an attachment extension.
pub(crate) fn is_file_url(url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or("").trim_end();
    let lower = path.to_ascii_lowercase();
    EXTENSIONS
        .iter()
        .any(|ext| lower.ends_with(ext) && lower.len() > ext.len())
}

/// The file URL an href points at, if it is an attachment.
fn file_target(href: &str) -> Option<String> {
    let href = href.trim();
    if href
        .get(..11)
        .is_some_and(|p| p.eq_ignore_ascii_case("javascript:"))
    {
        return QUOTED
            .captures_iter(href)
            .filter_map(|c| c.get(1).or_else(|| c.get(2)))
            .map(|m| m.as_str().trim())
            .filter(|arg| is_file_url(arg))
            .max_by_key(|arg| usize::from(arg.contains('/')))
            .map(str::to_owned);
    }
    is_file_url(href).then(|| href.to_owned())
}

/// The last path segment of a URL, for links without text.
fn file_name(url: &str) -> &str {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// All attachment links of the page, first occurrence of each URL.
pub(crate) fn attachments(doc: &Html) -> Vec<Attachment> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for a in doc.select(sel!("a[href]")) {
        let Some(url) = a.value().attr("href").and_then(file_target) else {
            continue;
        };
        if !seen.insert(url.clone()) {
            continue;
        }
        let mut name = inline_text(a);
        if name.is_empty() {
            name = a
                .value()
                .attr("title")
                .map(str::trim)
                .unwrap_or_default()
                .to_owned();
        }
        if name.is_empty() {
            name = file_name(&url).to_owned();
        }
        out.push(Attachment {
            url,
            name: nfc_str(&name),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_urls() {
        assert!(is_file_url("/files/KH-1600.PDF"));
        assert!(is_file_url("https://x.vn/a/b.docx?v=2#p1"));
        assert!(is_file_url("a.rar"));
        assert!(!is_file_url(
            "/tw/_layouts/15/WopiFrame.aspx?sourcedoc=/a.doc"
        ));
        assert!(!is_file_url("/news/pdf-viewer"));
        assert!(!is_file_url(".pdf"));
    }

    #[test]
    fn links_in_a_page() {
        let html = r#"<body>
            <a href="/Uploads/ct04.pdf">Chương trình số 04-Ctr</a>
            <a href="/Uploads/ct04.pdf">again</a>
            <a href="javascript:downloadfile('VanBanGoc_100.pdf','/FileData/96122/VanBanGoc_100.pdf');"> 100.pdf </a>
            <a href="/x/KeHoach.XLSX?download=1" title="Phụ lục"></a>
            <a href="/news/1.html">tin</a><a href="javascript:void(0)">in</a>
            <a href="/f/bang.zip"></a>
        </body>"#;
        let doc = Html::parse_document(html);
        let got: Vec<(String, String)> = attachments(&doc)
            .into_iter()
            .map(|a| (a.url, a.name))
            .collect();
        let want = [
            ("/Uploads/ct04.pdf", "Chương trình số 04-Ctr"),
            ("/FileData/96122/VanBanGoc_100.pdf", "100.pdf"),
            ("/x/KeHoach.XLSX?download=1", "Phụ lục"),
            ("/f/bang.zip", "bang.zip"),
        ];
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(u, n)| (u.to_string(), n.to_string()))
            .collect();
        assert_eq!(got, want);
    }
}
