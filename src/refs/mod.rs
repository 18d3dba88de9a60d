//! Document numbers ("23-QĐ/TW", "03/2019/NĐ-CP", "47 - CT/TU"): the
//! grammar, their canonical form and match key, scanning text for them,
//! and a document's own identity (number, kind, date, issuers, signers).
//!
//! Pure: no I/O. STUB: the real implementation replaces these bodies.
use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use chrono::NaiveDate;

/// Errors of the number grammar.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The string is not a document number.
    #[error("not a document number: {0:?}")]
    NotANumber(String),
}

/// A document number in canonical form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DocNumber {
    canonical: String,
}

impl DocNumber {
    /// The match key: the canonical form lowercased, diacritics removed,
    /// đ → d ("23-qd/tw").
    pub fn key(&self) -> String {
        crate::text::fold(&self.canonical).into_owned()
    }
    /// The canonical display form ("23-QĐ/TW").
    pub fn as_str(&self) -> &str {
        &self.canonical
    }
}

impl fmt::Display for DocNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical)
    }
}

impl FromStr for DocNumber {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Err(Error::NotANumber(s.to_string()))
    }
}

/// One occurrence of a document number in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberMatch {
    /// Byte span into the scanned text; `&text[span]` is the number as
    /// written.
    pub span: Range<usize>,
    /// The parsed number.
    pub number: DocNumber,
}

/// Every document number in `text`, in order, with byte spans.
pub fn scan_numbers(text: &str) -> Vec<NumberMatch> {
    let _ = text;
    Vec::new()
}

/// A document's own identity, from its title, "Số:" header and signature.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    /// The document's own number.
    pub number: Option<DocNumber>,
    /// The kind noun in sentence case ("Chương trình", "Kế hoạch").
    pub kind: Option<String>,
    /// Date of issue.
    pub issued: Option<NaiveDate>,
    /// Issuing bodies as written.
    pub issuers: Vec<String>,
    /// Signers' names.
    pub signers: Vec<String>,
}

/// The identity of a document from its title and body.
pub fn identify(title: &str, body: &str) -> Identity {
    let _ = (title, body);
    Identity::default()
}
