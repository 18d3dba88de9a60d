//! The document model shared by every stage after extraction: what the
//! index stores, what `search` returns and the API serves.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::extract::{Attachment, ExtractedDoc};
use crate::refs;

mod stated;

pub use stated::DOC_KEY;

/// A searchable document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Document {
    /// Opaque, URL-safe id, stable across re-ingests and reindexes: a hash
    /// of [`Document::source`].
    pub id: String,
    /// Where it came from: a URL, a canonical file path, or `path#id` for a
    /// JSONL line.
    pub source: String,
    /// The title.
    pub title: String,
    /// The source text in NFC; nothing else changed.
    pub body: String,
    /// The document's own number in canonical form ("04-CTr/BDVTW-TCCT").
    pub number: Option<String>,
    /// The kind noun ("Nghị quyết", "Kế hoạch").
    pub kind: Option<String>,
    /// Issuing bodies.
    pub issuers: Vec<String>,
    /// Date of issue, from the document itself.
    pub issued: Option<NaiveDate>,
    /// The page's publication date.
    pub published: Option<NaiveDate>,
    /// Signers.
    pub signers: Vec<String>,
    /// Attached files.
    pub attachments: Vec<Attachment>,
    /// Other fields of the source (JSONL), kept as they were.
    #[schema(value_type = Object)]
    pub metadata: serde_json::Map<String, serde_json::Value>,
    /// Every document number the body cites, in order, with spans into
    /// [`Document::body`]; occurrences of the own number have relation
    /// `self` and are not citation edges. Not serialized when empty, so
    /// that a view which lists them itself (`search::DocumentView`, with
    /// resolved targets) carries one `refs` key.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refs: Vec<DocRef>,
}

/// One citation in a document's body, as stored in the index and
/// exported (`vanban refs --json` prints the same fields): the citation
/// type of `refs`, one type from the parser to the API.
pub type DocRef = refs::Citation;

impl Document {
    /// `issued` when known, else `published`: the date filters, sorting and
    /// facets use.
    pub fn date(&self) -> Option<NaiveDate> {
        self.issued.or(self.published)
    }

    /// Builds the document from an extraction: identity (own number, kind,
    /// issue date, issuers, signers) comes from `refs::identify`, except
    /// what the page states beside the text ([`ExtractedDoc::stated`]: a
    /// vbpl.vn page's properties), which wins; the page's statement of its
    /// validity goes to the metadata keys `status::SELF_STATED`, and the
    /// related documents it lists give their citations a relation.
    pub fn from_extracted(source: String, doc: ExtractedDoc) -> Document {
        let mut ident = refs::identify(&doc.title, &doc.body);
        let mut metadata = doc.metadata;
        if let Some(st) = &doc.stated {
            stated::apply(st, &mut ident, &mut metadata);
        }
        let mut cites = refs::citations(&doc.body, ident.number.as_ref());
        if let Some(st) = &doc.stated {
            let listed: Vec<refs::Listed<'_>> = st
                .relations
                .iter()
                .map(|r| refs::Listed {
                    label: &r.label,
                    number: &r.number,
                    kind: r.kind.as_deref(),
                })
                .collect();
            refs::apply_listed(&mut cites.refs, &listed);
        }
        Document {
            refs: cites.refs,
            id: doc_id(&source),
            source,
            number: ident.number.map(|n| n.to_string()),
            kind: ident.kind,
            issuers: ident.issuers,
            issued: ident.issued,
            published: doc.published,
            signers: ident.signers,
            title: doc.title,
            body: doc.body,
            attachments: doc.attachments,
            metadata,
        }
    }
}

/// The id of the document stored from `source`: 96 bits of BLAKE3 as
/// lowercase hex, URL-safe and opaque.
pub fn doc_id(source: &str) -> String {
    blake3::hash(source.as_bytes()).to_hex()[..24].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_url_safe_and_distinct() {
        let a = doc_id("/data/a.txt");
        assert_eq!(a, doc_id("/data/a.txt"));
        assert_ne!(a, doc_id("/data/b.txt"));
        assert_eq!(a.len(), 24);
        assert!(a.bytes().all(|b| b.is_ascii_hexdigit()));
    }
}
