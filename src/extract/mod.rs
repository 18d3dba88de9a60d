//! Extraction: files and pages → [`ExtractedDoc`] (title, publication
//! date, body in NFC, attachments), with the sites' chrome removed and
//! legacy charsets decoded.
//!
//! Three inputs, one output:
//! - [`extract_text`]: a page saved as text (`.txt`, like the danvan.vn
//!   seeds): date line, title line, body, trailing site chrome cut.
//! - [`extract_html`]: an HTML page: charset ([`decode`]), site profiles for
//!   vbpl.vn, luatvietnam.vn, Bộ Pháp điển and NukeViet, well-known article
//!   selectors, else a readability-style scorer; the same trailing-chrome
//!   cut as text.
//! - [`extract_json_line`]: one JSON Lines record (`title` + `body`/`text`).
//!
//! The body is the source text in NFC and nothing else changed (lines kept,
//! runs of blank lines collapsed): what a researcher reads is the source,
//! and every later offset points into it. This module stops there: document
//! numbers, issuers and citations are `refs`' job.
//!
//! Crawled HTML is untrusted: nothing here panics on any input, the DOM
//! walks are iterative, markup nested deeper than 512 levels is flattened
//! before parsing (html5ever is quadratic on deep `<div>` chains), and
//! script content is never kept.
//!
//! Files: `charset` (decoding, NFC), `date` (Vietnamese date lines),
//! `boilerplate` (trailing chrome, chrome class names), `text` (`.txt`),
//! `html` (titles, dates, orchestration), `profiles` (per-site selectors),
//! `score` (generic main-content scorer), `render` (DOM → lines),
//! `attach` (attachment links), `nesting` (depth guard), `jsonl`,
//! `vbpl` (what a vbpl.vn page states beside its text: properties,
//! status, real title, related documents: [`Stated`]), `merge` (the
//! pages of one document → one [`ExtractedDoc`]).
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

mod attach;
mod boilerplate;
mod charset;
mod date;
mod html;
mod jsonl;
pub mod legacy;
mod merge;
mod nesting;
pub mod page;
mod profiles;
mod render;
mod score;
#[cfg(test)]
mod tests;
mod text;
mod title;
mod vbpl;

pub use charset::decode;
pub use jsonl::{JsonLineOptions, fallback_id};
pub use merge::merge_pages;
pub use page::{ExtractedPage, NotIndexed, PageClass, PageInput, Signals, assess, extract_page};

/// Version of the HTML extractor: part of every document's build record,
/// so `vanban reindex` redoes what an older extractor built (issue 10:
/// content-based titles, regions and page judgement).
pub const HTML_EXTRACTOR_VERSION: u32 = 3;

/// Errors of extraction.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input has no usable title or body.
    #[error("no content: {0}")]
    Empty(String),
    /// A JSON line that does not parse or lacks the required fields.
    #[error("bad JSON line: {0}")]
    Json(String),
}

/// A link to an attached file (.pdf, .doc, .docx ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Attachment {
    /// The link target as written (relative URLs stay relative; the page
    /// URL is not known to extraction). For vbpl.vn's
    /// `javascript:downloadfile('…','/FileData/….pdf')` links, the file
    /// path. Empty when the source names a file without a link: a page
    /// saved as text keeps only "File: Kế hoạch số 1600-KH/BDVTW".
    pub url: String,
    /// The link text, else its `title`, else the file name.
    pub name: String,
}

/// What extraction gives: the text a researcher reads and its metadata.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ExtractedDoc {
    /// Title, NFC, whitespace collapsed.
    pub title: String,
    /// Main text, NFC, otherwise as in the source; no site chrome.
    pub body: String,
    /// The page's publication date, when it shows one.
    pub published: Option<NaiveDate>,
    /// Attachment links.
    pub attachments: Vec<Attachment>,
    /// For JSONL: the line's `id`, else its `url`.
    pub id_hint: Option<String>,
    /// For JSONL: every other field of the line.
    pub metadata: serde_json::Map<String, serde_json::Value>,
    /// What the page states about its document beside the text (a
    /// vbpl.vn page's properties, status and related documents).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stated: Option<Stated>,
}

/// What a page states about its document beside its text (vbpl.vn:
/// `extract/vbpl.rs`), as written: numbers and relation labels are parsed
/// by `refs` when the document is built.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Stated {
    /// The document's key on its site, shared by all its pages
    /// ("vbpl.vn/tw/96122": site and `ItemID`).
    pub key: Option<String>,
    /// The site's id of the document (`ItemID`).
    pub item_id: Option<String>,
    /// The page type ("toanvan", "thuoctinh", "luocdo", "vanbanlienquan",
    /// "lichsu", "thuoctinh-hopnhat" ...).
    pub page: Option<String>,
    /// The breadcrumb's last item ("Bộ luật 100/2015/QH13").
    pub breadcrumb: Option<String>,
    /// The real title ("Bộ luật Hình sự"), when the page states it.
    pub title: Option<String>,
    /// The subject (trích yếu) as written.
    #[serde(skip)]
    pub(crate) subject: Option<String>,
    /// "Số ký hiệu" as written ("100/2015/QH13", "31/VBHN-VPQH", "Không số").
    pub number: Option<String>,
    /// "Loại văn bản" ("Bộ luật"; "Văn bản hợp nhất" for a consolidated text).
    pub kind: Option<String>,
    /// "Cơ quan ban hành" (or "Cơ quan hợp nhất").
    pub issuers: Vec<String>,
    /// "Người ký".
    pub signers: Vec<String>,
    /// "Ngày ban hành" (for a consolidated text, "Ngày xác thực").
    pub issued: Option<NaiveDate>,
    /// "Ngày có hiệu lực".
    pub effective: Option<NaiveDate>,
    /// "Ngày hết hiệu lực".
    pub expires: Option<NaiveDate>,
    /// "Ngày đăng công báo".
    pub gazette: Option<NaiveDate>,
    /// "Tình trạng hiệu lực" as written ("Còn hiệu lực").
    pub validity: Option<String>,
    /// Related documents, in page order.
    pub relations: Vec<StatedRelation>,
}

/// A related document as a page lists it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatedRelation {
    /// The list's label ("Văn bản căn cứ", "Văn bản bị thay thế").
    pub label: String,
    /// Its kind as written ("Luật").
    pub kind: Option<String>,
    /// Its number as written ("54/2014/QH13", "Không số").
    pub number: String,
    /// Its title, when the list gives its subject ("Luật Hải quan").
    pub title: Option<String>,
    /// Its id on the site (`ItemID`).
    pub item_id: String,
}

/// Extracts a page saved as text (`.txt`).
///
/// Decoding: UTF-8 (BOM stripped), else windows-1258; then NFC. A date
/// line ("Thứ Hai, 6/2/2023", "Chủ nhật - 13/03/2022 08:50 424 0") before
/// or right after the title becomes [`ExtractedDoc::published`]; the title
/// is the first substantial line; the body is the rest, cut before the
/// site's trailing chrome ("Gửi cho bạn bè", "Các tin khác", ratings,
/// visitor counters …). "File: …" lines stay in the body and are also
/// listed as attachments (with an empty URL).
///
/// ```
/// let page = "Thứ Hai, 6/2/2023\nKế hoạch công tác năm 2023\n\nNội dung.\n\nGửi cho bạn bè\n";
/// let doc = vanban::extract::extract_text(page.as_bytes()).unwrap();
/// assert_eq!(doc.title, "Kế hoạch công tác năm 2023");
/// assert_eq!(doc.body, "Nội dung.");
/// assert_eq!(doc.published.unwrap().to_string(), "2023-02-06");
/// ```
///
/// # Errors
/// [`Error::Empty`] when there is no title line or no body after it.
pub fn extract_text(bytes: &[u8]) -> Result<ExtractedDoc, Error> {
    text::extract(bytes)
}

/// Extracts an HTML page; `content_type` is the HTTP header when known.
///
/// ```
/// let page = "<html><head><title>Chỉ thị 05 - Ban Dân vận</title></head><body>\
///             <div class='menu'><a href='/'>Trang chủ</a></div>\
///             <div class='news-content'><p>Nội dung của chỉ thị, được ban hành để \
///             thực hiện trong toàn Đảng bộ.</p></div></body></html>";
/// let doc = vanban::extract::extract_html(page.as_bytes(), None).unwrap();
/// assert_eq!(doc.title, "Chỉ thị 05");
/// assert!(doc.body.starts_with("Nội dung của chỉ thị"));
/// ```
///
/// # Errors
/// [`Error::Empty`] when the page has no body text.
pub fn extract_html(bytes: &[u8], content_type: Option<&str>) -> Result<ExtractedDoc, Error> {
    html::extract_with_signals(&charset::decode_raw(bytes, content_type)).map(|(doc, _)| doc)
}

/// Extracts one JSONL line (`title` and `body` or `text` required, both
/// non-blank). `id_hint` is `id` (string or number), else `url`; every
/// field but `title`, `body`, `text` and `id` goes to `metadata`.
///
/// ```
/// let line = r#"{"title": "Điều 1. Phạm vi", "text": "Luật này …", "source_url": "http://vbpl.vn/x"}"#;
/// let doc = vanban::extract::extract_json_line(line).unwrap();
/// assert_eq!(doc.body, "Luật này …");
/// assert!(doc.metadata.contains_key("source_url"));
/// ```
///
/// # Errors
/// [`Error::Json`] with the reason: not JSON, not an object, no or empty
/// `title`, no or empty `body`/`text`, a field of the wrong type.
pub fn extract_json_line(line: &str) -> Result<ExtractedDoc, Error> {
    jsonl::extract(line, JsonLineOptions::default())
}

/// [`extract_json_line`] with options (e.g. accepting a blank body).
///
/// # Errors
/// As [`extract_json_line`].
pub fn extract_json_line_with(line: &str, options: JsonLineOptions) -> Result<ExtractedDoc, Error> {
    jsonl::extract(line, options)
}

/// The first date in a string: ISO (`2022-03-13T…`), `13/03/2022` or
/// "ngày 13 tháng 3 năm 2022". For callers holding a date from elsewhere
/// (HTTP headers, sitemap entries, metadata fields).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    date::date_anywhere(s)
}
