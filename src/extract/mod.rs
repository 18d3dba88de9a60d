//! Extraction: files and pages → [`ExtractedDoc`] (title, dates, body in
//! NFC, attachments), with the sites' boilerplate removed and legacy
//! charsets decoded. STUB: the real implementation replaces these bodies.
pub mod legacy;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// The link target as written (resolved against the page URL if known).
    pub url: String,
    /// The link text or file name.
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
}

/// Extracts a page saved as text (`.txt`).
pub fn extract_text(bytes: &[u8]) -> Result<ExtractedDoc, Error> {
    let body = String::from_utf8_lossy(bytes).into_owned();
    Ok(ExtractedDoc {
        body,
        ..Default::default()
    })
}

/// Extracts an HTML page; `content_type` is the HTTP header when known.
pub fn extract_html(bytes: &[u8], content_type: Option<&str>) -> Result<ExtractedDoc, Error> {
    let _ = content_type;
    extract_text(bytes)
}

/// Extracts one JSONL line (`title` and `body` or `text` required).
pub fn extract_json_line(line: &str) -> Result<ExtractedDoc, Error> {
    Err(Error::Json(line.chars().take(40).collect()))
}
