//! Document numbers ("23-QĐ/TW", "03/2019/NĐ-CP", "47 - CT/TU"): the
//! grammar, their canonical form and match key, scanning text for them,
//! and a document's own identity (number, kind, date, issuers, signers).
//!
//! Pure: no I/O. Where it stops: `refs` finds and parses numbers and says
//! what a document is; it does not resolve numbers against an index (that
//! is `index`/`search`) and does not normalize running text (`text`).
//!
//! Files:
//! - `number.rs`: [`DocNumber`], its parts, canonical form and match key;
//! - `scan.rs`: the candidate regex, the context rules and
//!   [`scan_numbers`]; `shapes.rs`: the rules of each shape;
//! - `norm.rs`: folding and the canonical spelling of codes;
//! - `identity.rs`: [`identify`], with `signature.rs` (signature blocks),
//!   `bodies.rs` (issuer names) and `date.rs` (written dates);
//! - `citation.rs`: [`citations`], with `tail.rs` (date, issuer, khóa and
//!   subject after a number), `relation.rs` ([`Relation`]) and `short.rs`
//!   (short forms, aliases, unnumbered references);
//! - `validity.rs`: what a document states about its own validity
//!   ([`validity`]) and the evidence sentence of a span;
//! - `patterns/`: the tables (type codes, kind nouns) and a template for
//!   new kinds.
use std::ops::Range;

use chrono::NaiveDate;

mod bodies;
mod citation;
mod date;
mod identity;
mod listed;
mod norm;
mod normalized;
mod number;
mod organ;
pub mod patterns;
mod relation;
mod scan;
mod shapes;
mod short;
mod signature;
mod tail;
mod validity;

pub use citation::{Citation, RefSet, Unnumbered};
pub use listed::{Listed, apply_listed, listed_relation};
pub use number::{DocNumber, Shape};
pub use organ::{assembly_term, from_roman, party_term, roman, signing_organ, stated_term};
pub use relation::Relation;
pub use validity::{Stated, Validity, sentence_around, validity};

/// Errors of the number grammar.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The string is not a document number.
    #[error("not a document number: {0:?}")]
    NotANumber(String),
}

/// One occurrence of a document number in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberMatch {
    /// Byte span into the scanned text; `&text[span]` is the number as
    /// written. For serials sharing a code ("số 217, 218-QĐ/TW") the span
    /// of the first is its serial alone ("217").
    pub span: Range<usize>,
    /// The parsed number.
    pub number: DocNumber,
}

/// Every document number in `text`, in order, with byte spans.
///
/// ```
/// use vanban::refs::scan_numbers;
/// let text = "Chỉ thị 47 - CT/TU và Nghị quyết 25 – NQ/TW";
/// let found: Vec<_> = scan_numbers(text)
///     .into_iter()
///     .map(|m| (&text[m.span], m.number.to_string()))
///     .collect();
/// assert_eq!(found, [("47 - CT/TU", "47-CT/TU".to_string()),
///                    ("25 – NQ/TW", "25-NQ/TW".to_string())]);
/// ```
pub fn scan_numbers(text: &str) -> Vec<NumberMatch> {
    scan::scan(text, false)
}

/// A document's own identity, from its title, "Số:" header and signature.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
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
///
/// The formal header ("Số: 03/2019/NĐ-CP", "Hà Nội, ngày 08 tháng 10
/// năm 2021", issuer and kind lines in capitals) and the signature blocks
/// are looked for in `body`; the title gives the kind, and the number,
/// date and issuers when it is a document title ("Kế hoạch số
/// 1600-KH/BDVTW ngày 28/02/2018 của Ban Dân vận Trung ương về ...").
/// A news title gives nothing.
///
/// ```
/// use vanban::refs::identify;
/// let id = identify(
///     "Kế hoạch số 1600-KH/BDVTW ngày 28/02/2018 của Ban Dân vận Trung ương về Kế hoạch công tác năm 2018",
///     "Căn cứ ...\n\nTRƯỞNG BAN\n\nTrương Thị Mai\n",
/// );
/// assert_eq!(id.number.unwrap().as_str(), "1600-KH/BDVTW");
/// assert_eq!(id.kind.as_deref(), Some("Kế hoạch"));
/// assert_eq!(id.issued.unwrap().to_string(), "2018-02-28");
/// assert_eq!(id.issuers, ["Ban Dân vận Trung ương"]);
/// assert_eq!(id.signers, ["Trương Thị Mai"]);
/// ```
pub fn identify(title: &str, body: &str) -> Identity {
    identity::identify(title, body)
}

/// Every reference in `text`: a [`Citation`] for each number occurrence
/// (with the kind noun before it, the date, issuer, khóa and subject
/// after it, and the relation its clause gives it), short forms resolved
/// to an earlier full citation ("Nghị quyết 25", "(sau đây gọi tắt là
/// ...)"), and references without a number ("Nghị quyết Đại hội XIII").
/// Occurrences of `own` get the relation `self`.
///
/// ```
/// use vanban::refs::{Relation, citations};
/// let text = "Căn cứ Quyết định số 23-QĐ/TW, ngày 30/7/2021 của Bộ Chính trị \
///             (khóa XIII) về việc ban hành Quy chế công tác dân vận; \
///             thực hiện Nghị quyết Đại hội XIII của Đảng.";
/// let set = citations(text, None);
/// let c = &set.refs[0];
/// assert_eq!(c.number.as_str(), "23-QĐ/TW");
/// assert_eq!(c.kind.as_deref(), Some("Quyết định"));
/// assert_eq!(c.date.unwrap().to_string(), "2021-07-30");
/// assert_eq!(c.issuer.as_deref(), Some("Bộ Chính trị"));
/// assert_eq!(c.term.as_deref(), Some("XIII"));
/// assert_eq!(c.subject.as_deref(), Some("việc ban hành Quy chế công tác dân vận"));
/// assert_eq!(c.relation, Relation::Basis);
/// assert_eq!(set.unnumbered[0].raw, "Nghị quyết Đại hội XIII");
/// ```
///
/// Text not in NFC (decomposed diacritics) is read as NFC; spans and
/// `raw` still point into `text` as given.
pub fn citations(text: &str, own: Option<&DocNumber>) -> RefSet {
    let Some(n) = normalized::Normalized::of(text) else {
        return citation::citations(text, own);
    };
    let mut set = citation::citations(&n.text, own);
    let remap = |start: &mut usize, end: &mut usize, raw: &mut String| {
        (*start, *end) = (n.original(*start, false), n.original(*end, true));
        *raw = text.get(*start..*end).unwrap_or_default().to_string();
    };
    for c in &mut set.refs {
        remap(&mut c.start, &mut c.end, &mut c.raw);
    }
    for u in &mut set.unnumbered {
        remap(&mut u.start, &mut u.end, &mut u.raw);
    }
    set
}

/// Version of the number grammar and citation parser: bump it when a change
/// would parse stored text differently, and `vanban reindex` redoes every
/// document.
pub const PARSER_VERSION: u32 = 3;

#[cfg(test)]
mod tests;
