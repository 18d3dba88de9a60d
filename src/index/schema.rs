//! The index schema: field names, the [`Fields`] handles, and the mapping
//! between [`Document`] and tantivy documents.
use chrono::{Datelike, NaiveDate};
use tantivy::schema::{
    FAST, INDEXED, IndexRecordOption, STORED, STRING, Schema, TantivyDocument, TextFieldIndexing,
    TextOptions, Value,
};

use super::analyzer::{VI_EXACT, VI_FOLDED};
use crate::doc::Document;
use crate::text;

/// Document id (raw, stored).
pub const ID: &str = "id";
/// Source (stored; not indexed: no query looks a document up by it).
pub const SOURCE: &str = "source";
/// Title as stored for display.
pub const TITLE: &str = "title";
/// Title, exact form (frequencies, no positions: phrases use the folded
/// field's, see `search::build::phrase_query`).
pub const TITLE_EXACT: &str = "title_exact";
/// Title, folded form.
pub const TITLE_FOLDED: &str = "title_folded";
/// Body as stored for display and snippets.
pub const BODY: &str = "body";
/// Body, exact form (frequencies, no positions, as [`TITLE_EXACT`]).
pub const BODY_EXACT: &str = "body_exact";
/// Body, folded form.
pub const BODY_FOLDED: &str = "body_folded";
/// The own number, canonical (stored).
pub const NUMBER: &str = "number";
/// The own number's match key.
pub const NUMBER_KEY: &str = "number_key";
/// Match keys of every number the document mentions (title and body).
pub const MENTIONS: &str = "mentions";
/// Match keys of the numbers the document cites (citation edges: not its
/// own number).
pub const CITES: &str = "cites";
/// Kind as written (stored, fast, for facets).
pub const KIND: &str = "kind";
/// Kind, folded, for filters.
pub const KIND_KEY: &str = "kind_key";
/// Issuers as written (stored, fast, multi-valued, for facets).
pub const ISSUERS: &str = "issuers";
/// Issuers, folded text, for filters by any part of the name.
pub const ISSUERS_FOLDED: &str = "issuers_folded";
/// Year of [`Document::date`].
pub const YEAR: &str = "year";
/// [`Document::date`] as `yyyymmdd`.
pub const DATE: &str = "date";
/// Date of issue, ISO (stored).
pub const ISSUED: &str = "issued";
/// Publication date, ISO (stored).
pub const PUBLISHED: &str = "published";
/// Content hash of the stored record the document was built from (stored,
/// fast; not indexed: reindex reads it from the fast field, and a term
/// dictionary of random hex strings cost ~3% of an ingest, issue 13).
pub const HASH: &str = "hash";
/// Extractor and parser versions that built the document.
pub const BUILT: &str = "built";
/// Everything else of the document as JSON (stored): signers,
/// attachments, metadata.
pub const EXTRA: &str = "extra";

// --- Validity status (issue 12) ---
/// The document's validity state (`status::State` name: "in_force",
/// "replaced" ...): stored, fast (facets), raw-indexed (filters). Kept
/// up to date by `Indexer::finish`.
pub const STATUS: &str = "status";
/// Match keys of the numbers the document makes a validity statement
/// about (replaces, repeals, suspends, ends, amends, corrects,
/// consolidates): who acts on 25-NQ/TW is one term query.
pub const ACTS_ON: &str = "acts_on";

/// Handles of every field.
#[derive(Debug, Clone, Copy)]
#[allow(missing_docs)]
pub struct Fields {
    pub id: tantivy::schema::Field,
    pub source: tantivy::schema::Field,
    pub title: tantivy::schema::Field,
    pub title_exact: tantivy::schema::Field,
    pub title_folded: tantivy::schema::Field,
    pub body: tantivy::schema::Field,
    pub body_exact: tantivy::schema::Field,
    pub body_folded: tantivy::schema::Field,
    pub number: tantivy::schema::Field,
    pub number_key: tantivy::schema::Field,
    pub mentions: tantivy::schema::Field,
    pub cites: tantivy::schema::Field,
    pub kind: tantivy::schema::Field,
    pub kind_key: tantivy::schema::Field,
    pub issuers: tantivy::schema::Field,
    pub issuers_folded: tantivy::schema::Field,
    pub year: tantivy::schema::Field,
    pub date: tantivy::schema::Field,
    pub issued: tantivy::schema::Field,
    pub published: tantivy::schema::Field,
    pub extra: tantivy::schema::Field,
    pub hash: tantivy::schema::Field,
    pub built: tantivy::schema::Field,
    /// Number parts, khóa, organ and signers (issue 11).
    pub lookup: super::lookup::LookupFields,
    // Validity status (issue 12).
    pub status: tantivy::schema::Field,
    pub acts_on: tantivy::schema::Field,
}

/// A text field analyzed by `tokenizer`, with positions.
fn analyzed(tokenizer: &str) -> TextOptions {
    analyzed_with(tokenizer, IndexRecordOption::WithFreqsAndPositions)
}

/// A text field analyzed by `tokenizer`, recording `record`.
fn analyzed_with(tokenizer: &str, record: IndexRecordOption) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(record),
    )
}

/// The schema of every generation.
pub fn schema() -> Schema {
    let mut b = Schema::builder();
    b.add_text_field(ID, STRING | STORED | FAST);
    b.add_text_field(SOURCE, STORED);
    b.add_text_field(TITLE, STORED);
    b.add_text_field(
        TITLE_EXACT,
        analyzed_with(VI_EXACT, IndexRecordOption::WithFreqs),
    );
    b.add_text_field(TITLE_FOLDED, analyzed(VI_FOLDED));
    b.add_text_field(BODY, STORED);
    b.add_text_field(
        BODY_EXACT,
        analyzed_with(VI_EXACT, IndexRecordOption::WithFreqs),
    );
    b.add_text_field(BODY_FOLDED, analyzed(VI_FOLDED));
    b.add_text_field(NUMBER, STRING | STORED);
    b.add_text_field(NUMBER_KEY, STRING);
    b.add_text_field(MENTIONS, STRING);
    // One value per citation occurrence, with frequencies, so that counts
    // of edges come from the postings.
    b.add_text_field(
        CITES,
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("raw")
                .set_index_option(IndexRecordOption::WithFreqs),
        ),
    );
    b.add_text_field(KIND, STRING | STORED | FAST);
    b.add_text_field(KIND_KEY, STRING);
    b.add_text_field(ISSUERS, STRING | STORED | FAST);
    b.add_text_field(ISSUERS_FOLDED, analyzed(VI_FOLDED));
    b.add_u64_field(YEAR, INDEXED | FAST);
    b.add_i64_field(DATE, INDEXED | FAST);
    b.add_text_field(ISSUED, STORED);
    b.add_text_field(PUBLISHED, STORED);
    b.add_text_field(EXTRA, STORED);
    b.add_text_field(HASH, STORED | FAST);
    b.add_text_field(BUILT, STRING | STORED | FAST);
    super::lookup::add_fields(&mut b);
    // Validity status (issue 12).
    b.add_text_field(STATUS, STRING | STORED | FAST);
    b.add_text_field(ACTS_ON, STRING);
    b.build()
}

impl Fields {
    /// Resolves the handles in `schema` (built by [`schema`]).
    pub fn new(schema: &Schema) -> Result<Fields, tantivy::TantivyError> {
        let f = |name: &str| schema.get_field(name);
        Ok(Fields {
            id: f(ID)?,
            source: f(SOURCE)?,
            title: f(TITLE)?,
            title_exact: f(TITLE_EXACT)?,
            title_folded: f(TITLE_FOLDED)?,
            body: f(BODY)?,
            body_exact: f(BODY_EXACT)?,
            body_folded: f(BODY_FOLDED)?,
            number: f(NUMBER)?,
            number_key: f(NUMBER_KEY)?,
            mentions: f(MENTIONS)?,
            cites: f(CITES)?,
            kind: f(KIND)?,
            kind_key: f(KIND_KEY)?,
            issuers: f(ISSUERS)?,
            issuers_folded: f(ISSUERS_FOLDED)?,
            year: f(YEAR)?,
            date: f(DATE)?,
            issued: f(ISSUED)?,
            published: f(PUBLISHED)?,
            extra: f(EXTRA)?,
            hash: f(HASH)?,
            built: f(BUILT)?,
            lookup: super::lookup::LookupFields::new(schema)?,
            status: f(STATUS)?,
            acts_on: f(ACTS_ON)?,
        })
    }
}

/// `yyyymmdd` as an integer: sortable and readable in range queries.
pub fn date_value(d: NaiveDate) -> i64 {
    i64::from(d.year()) * 10_000 + i64::from(d.month()) * 100 + i64::from(d.day())
}

/// The folded key used for kind filters ("Kế hoạch" → "ke hoach").
pub fn kind_key(kind: &str) -> String {
    text::fold(kind.trim())
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(serde::Serialize, serde::Deserialize, Default)]
struct Extra {
    #[serde(default)]
    signers: Vec<String>,
    #[serde(default)]
    attachments: Vec<crate::extract::Attachment>,
    #[serde(default)]
    metadata: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    refs: Vec<crate::doc::DocRef>,
}

/// [`Extra`] borrowed from a document, to write it without copies (the
/// same fields in the same order).
#[derive(serde::Serialize)]
struct ExtraOf<'a> {
    signers: &'a [String],
    attachments: &'a [crate::extract::Attachment],
    metadata: &'a serde_json::Map<String, serde_json::Value>,
    refs: &'a [crate::doc::DocRef],
}

/// The tantivy document for `doc`; `mentions` are the match keys of the
/// numbers it mentions.
pub fn to_tantivy(f: &Fields, doc: &Document, mentions: &[String]) -> TantivyDocument {
    // The texts are copied into one buffer, the title and body once per
    // field that indexes them: reserved at once rather than grown by
    // doubling (fewer reallocations and page faults on ingest).
    let texts = doc.title.len() + doc.body.len();
    let mut t = TantivyDocument::with_capacity(4 * texts + 1024);
    t.add_text(f.id, &doc.id);
    t.add_text(f.source, &doc.source);
    t.add_text(f.title, &doc.title);
    t.add_text(f.title_exact, &doc.title);
    t.add_text(f.title_folded, &doc.title);
    t.add_text(f.body, &doc.body);
    t.add_text(f.body_exact, &doc.body);
    t.add_text(f.body_folded, &doc.body);
    if let Some(n) = &doc.number {
        t.add_text(f.number, n);
        if let Ok(parsed) = n.parse::<crate::refs::DocNumber>() {
            t.add_text(f.number_key, parsed.key());
        }
    }
    for m in mentions {
        t.add_text(f.mentions, m);
    }
    for k in doc
        .refs
        .iter()
        .filter(|r| r.is_edge())
        .filter_map(|r| r.key.as_deref())
    {
        t.add_text(f.cites, k);
    }
    if let Some(k) = &doc.kind {
        t.add_text(f.kind, k);
        t.add_text(f.kind_key, kind_key(k));
    }
    for i in &doc.issuers {
        t.add_text(f.issuers, i);
        t.add_text(f.issuers_folded, i);
    }
    if let Some(d) = doc.date() {
        t.add_u64(f.year, d.year().max(0) as u64);
        t.add_i64(f.date, date_value(d));
    }
    if let Some(d) = doc.issued {
        t.add_text(f.issued, d.to_string());
    }
    if let Some(d) = doc.published {
        t.add_text(f.published, d.to_string());
    }
    let extra = ExtraOf {
        signers: &doc.signers,
        attachments: &doc.attachments,
        metadata: &doc.metadata,
        refs: &doc.refs,
    };
    t.add_text(f.extra, serde_json::to_string(&extra).unwrap_or_default());
    super::lookup::Facts::of(doc).write(&f.lookup, doc, &mut t);
    for k in acts_on(doc) {
        t.add_text(f.acts_on, k);
    }
    t
}

/// The match keys `doc` makes a validity statement about (issue 12).
pub fn acts_on(doc: &Document) -> Vec<&str> {
    let mut keys: Vec<&str> = doc
        .refs
        .iter()
        .filter(|r| r.is_edge() && crate::status::is_statement(r.relation))
        .filter_map(|r| r.key.as_deref())
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// The first string value of `field` in `t`.
pub fn first_str(t: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    t.get_first(field)
        .and_then(|v| v.as_str().map(str::to_string))
}

/// The [`Document`] stored in a tantivy document.
pub fn from_tantivy(f: &Fields, t: &TantivyDocument) -> Document {
    let extra: Extra = first_str(t, f.extra)
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default();
    let date = |field| first_str(t, field).and_then(|s| s.parse().ok());
    Document {
        id: first_str(t, f.id).unwrap_or_default(),
        source: first_str(t, f.source).unwrap_or_default(),
        title: first_str(t, f.title).unwrap_or_default(),
        body: first_str(t, f.body).unwrap_or_default(),
        number: first_str(t, f.number),
        kind: first_str(t, f.kind),
        issuers: t
            .get_all(f.issuers)
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        issued: date(f.issued),
        published: date(f.published),
        signers: extra.signers,
        attachments: extra.attachments,
        metadata: extra.metadata,
        refs: extra.refs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{Attachment, ExtractedDoc};

    #[test]
    fn extra_is_written_borrowed_as_it_reads_back() {
        let path = crate::testdata::fixture("tvpl/Chỉ_thị_299_TTg.txt");
        let body = std::fs::read_to_string(path).unwrap();
        let mut metadata = serde_json::Map::new();
        metadata.insert("demuc".into(), "Đề mục 36.3".into());
        let extracted = ExtractedDoc {
            title: "Chỉ thị 299/TTg".into(),
            body,
            attachments: vec![Attachment {
                url: "/FileData/a.pdf".into(),
                name: "a.pdf".into(),
            }],
            metadata,
            ..Default::default()
        };
        let doc = Document::from_extracted("tvpl/299".into(), extracted);
        assert!(!doc.refs.is_empty() && !doc.signers.is_empty(), "{doc:?}");
        let owned = Extra {
            signers: doc.signers.clone(),
            attachments: doc.attachments.clone(),
            metadata: doc.metadata.clone(),
            refs: doc.refs.clone(),
        };
        let borrowed = ExtraOf {
            signers: &doc.signers,
            attachments: &doc.attachments,
            metadata: &doc.metadata,
            refs: &doc.refs,
        };
        let written = serde_json::to_string(&borrowed).unwrap();
        assert_eq!(written, serde_json::to_string(&owned).unwrap());
        let f = Fields::new(&schema()).unwrap();
        let back = from_tantivy(&f, &to_tantivy(&f, &doc, &[]));
        // As written: a citation's parsed target is not serialized.
        let json = |r: &[crate::doc::DocRef]| serde_json::to_string(r).unwrap();
        assert_eq!(json(&back.refs), json(&doc.refs));
        assert_eq!(back.signers, doc.signers);
        assert_eq!(back.attachments, doc.attachments);
        assert_eq!(back.metadata, doc.metadata);
    }
}
