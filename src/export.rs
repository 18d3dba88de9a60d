//! `vanban export`: the live index's documents or citation graph as JSONL
//! or CSV, streamed (one document at a time from the doc store), so memory
//! does not grow with the corpus.
use std::collections::HashMap;
use std::io::Write;

use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, TantivyDocument};
use tantivy::{Searcher, Term};

use crate::doc::{DocRef, Document};
use crate::index::schema::{self, Fields};
use crate::refs::DocNumber;
use crate::search::Engine;

/// Errors of export.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// tantivy failed.
    #[error("export: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// Writing failed.
    #[error("export: {0}")]
    Io(#[from] std::io::Error),
    /// CSV encoding failed.
    #[error("export: {0}")]
    Csv(#[from] csv::Error),
    /// JSON encoding failed.
    #[error("export: {0}")]
    Json(#[from] serde_json::Error),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] crate::store::Error),
}

const PAGE_COLUMNS: &[&str] = &[
    "url",
    "final_url",
    "http_status",
    "outcome",
    "reason",
    "doc_id",
    "kind",
];

/// Writes every fetched URL of the crawl with what became of it (issue
/// 10): `url, final_url, http_status, outcome, reason, doc_id, kind`.
/// Outcomes: `indexed`, `merged` (same content as another page, or its
/// `rel=canonical`), `not_indexed` (reason `listing`, `too_little_text`,
/// `not_html`, `noindex`, `empty`, `sitemap`, `attachment`),
/// `redirected`, `failed`, `skipped`, `gone`, `pending` (stored, not yet
/// judged).
pub fn export_pages<W: Write>(
    store: &crate::store::Store,
    format: Format,
    out: W,
    progress: &mut dyn FnMut(u64),
) -> Result<Report, Error> {
    let mut sink = match format {
        Format::Jsonl => Sink::Jsonl(std::io::BufWriter::new(out)),
        Format::Csv => {
            let mut w = csv::Writer::from_writer(std::io::BufWriter::new(out));
            w.write_record(PAGE_COLUMNS)?;
            Sink::Csv(Box::new(w))
        }
    };
    let mut report = Report::default();
    store.page_outcomes(|p| -> Result<(), Error> {
        sink.row(&p, || {
            vec![
                p.url.clone(),
                p.final_url.clone().unwrap_or_default(),
                p.http_status.map(|s| s.to_string()).unwrap_or_default(),
                p.outcome.clone(),
                p.reason.clone().unwrap_or_default(),
                p.doc_id.clone().unwrap_or_default(),
                p.kind.clone(),
            ]
        })?;
        report.rows += 1;
        progress(report.rows);
        Ok(())
    })?;
    sink.finish()?;
    Ok(report)
}

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    /// One row per document, with all metadata and the body.
    Documents,
    /// One row per citation edge.
    Citations,
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per line.
    Jsonl,
    /// CSV with a header row.
    Csv,
}

/// One exported document.
#[derive(Debug, Serialize)]
pub struct DocumentRow<'a> {
    /// Document id.
    pub id: &'a str,
    /// Source.
    pub source: &'a str,
    /// Own number, canonical.
    pub number: Option<&'a str>,
    /// Own number's match key.
    pub key: Option<String>,
    /// Kind.
    pub kind: Option<&'a str>,
    /// Issuers.
    pub issuers: &'a [String],
    /// Date of issue.
    pub issued: Option<chrono::NaiveDate>,
    /// Publication date.
    pub published: Option<chrono::NaiveDate>,
    /// Signers.
    pub signers: &'a [String],
    /// Title.
    pub title: &'a str,
    /// Body (NFC source text).
    pub body: &'a str,
}

/// One exported citation edge.
#[derive(Debug, Serialize)]
pub struct CitationRow<'a> {
    /// Citing document.
    pub source_id: &'a str,
    /// Its own number.
    pub source_number: Option<&'a str>,
    /// The cited number, canonical.
    pub target_number: &'a str,
    /// The cited number's match key.
    pub target_key: &'a str,
    /// Indexed documents whose own number it is.
    pub target_ids: Vec<String>,
    /// Relation.
    pub relation: &'a str,
    /// Date stated in the citation.
    pub date: Option<chrono::NaiveDate>,
    /// Span of the number in the citing document's stored body.
    pub start: usize,
    /// End of the span.
    pub end: usize,
    /// The number as written.
    pub raw: &'a str,
}

/// Rows written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Report {
    /// Documents read.
    pub documents: u64,
    /// Rows written.
    pub rows: u64,
}

enum Sink<W: Write> {
    Jsonl(W),
    Csv(Box<csv::Writer<W>>),
}

impl<W: Write> Sink<W> {
    fn row<T: Serialize>(
        &mut self,
        row: &T,
        flat: impl FnOnce() -> Vec<String>,
    ) -> Result<(), Error> {
        match self {
            Sink::Jsonl(w) => {
                serde_json::to_writer(&mut *w, row)?;
                w.write_all(b"\n")?;
            }
            Sink::Csv(w) => w.write_record(flat())?,
        }
        Ok(())
    }

    fn finish(self) -> Result<(), Error> {
        match self {
            Sink::Jsonl(mut w) => w.flush()?,
            Sink::Csv(mut w) => w.flush()?,
        }
        Ok(())
    }
}

const DOCUMENT_COLUMNS: &[&str] = &[
    "id",
    "source",
    "number",
    "key",
    "kind",
    "issuers",
    "issued",
    "published",
    "signers",
    "title",
    "body",
];
const CITATION_COLUMNS: &[&str] = &[
    "source_id",
    "source_number",
    "target_number",
    "target_key",
    "target_ids",
    "relation",
    "date",
    "start",
    "end",
    "raw",
];

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// Resolves cited keys to document ids with a bounded cache.
struct Resolver<'a> {
    searcher: &'a Searcher,
    fields: Fields,
    cache: HashMap<String, Vec<(String, Option<i64>)>>,
}

impl Resolver<'_> {
    fn candidates(&mut self, key: &str) -> Result<&[(String, Option<i64>)], Error> {
        if !self.cache.contains_key(key) {
            if self.cache.len() > 10_000 {
                self.cache.clear();
            }
            let q = TermQuery::new(
                Term::from_field_text(self.fields.number_key, key),
                IndexRecordOption::Basic,
            );
            let mut found = Vec::new();
            for addr in self.searcher.search(&q, &DocSetCollector)? {
                let seg = self.searcher.segment_reader(addr.segment_ord);
                let ff = seg.fast_fields();
                let Some(ids) = ff.str(schema::ID)? else {
                    continue;
                };
                let mut id = String::new();
                if let Some(o) = ids.term_ords(addr.doc_id).next()
                    && ids.ord_to_str(o, &mut id)?
                {
                    let date = ff
                        .column_opt::<i64>(schema::DATE)?
                        .and_then(|c| c.first(addr.doc_id));
                    found.push((id, date));
                }
            }
            found.sort();
            self.cache.insert(key.to_string(), found);
        }
        Ok(self.cache.get(key).map(Vec::as_slice).unwrap_or_default())
    }

    /// The ids a citation resolves to: every document carrying the key;
    /// when there are several and the citation states a date, those of
    /// that date (or year) if any.
    fn resolve(&mut self, source_id: &str, cite: &DocRef, key: &str) -> Result<Vec<String>, Error> {
        let cands: Vec<(String, Option<i64>)> = self
            .candidates(key)?
            .iter()
            .filter(|(id, _)| id != source_id)
            .cloned()
            .collect();
        if cands.len() > 1
            && let Some(d) = cite.date
        {
            let day = schema::date_value(d);
            for same in [
                |c: i64, d: i64| c == d,
                |c: i64, d: i64| c / 10_000 == d / 10_000,
            ] {
                let hits: Vec<String> = cands
                    .iter()
                    .filter(|(_, c)| c.is_some_and(|c| same(c, day)))
                    .map(|(id, _)| id.clone())
                    .collect();
                if !hits.is_empty() {
                    return Ok(hits);
                }
            }
        }
        Ok(cands.into_iter().map(|(id, _)| id).collect())
    }
}

/// Writes `what` of the live index to `out`, calling `progress` after each
/// document.
pub fn export<W: Write>(
    engine: &Engine,
    what: What,
    format: Format,
    out: W,
    progress: &mut dyn FnMut(u64),
) -> Result<Report, Error> {
    let searcher = engine.searcher();
    let fields = engine.handle().fields;
    let mut sink = match format {
        Format::Jsonl => Sink::Jsonl(std::io::BufWriter::new(out)),
        Format::Csv => {
            let mut w = csv::Writer::from_writer(std::io::BufWriter::new(out));
            let header = if what == What::Documents {
                DOCUMENT_COLUMNS
            } else {
                CITATION_COLUMNS
            };
            w.write_record(header)?;
            Sink::Csv(Box::new(w))
        }
    };
    let mut resolver = Resolver {
        searcher: &searcher,
        fields,
        cache: HashMap::new(),
    };
    let mut report = Report::default();
    for seg in searcher.segment_readers() {
        let store = seg.get_store_reader(8)?;
        for doc in store.iter::<TantivyDocument>(seg.alive_bitset()) {
            let doc: Document = schema::from_tantivy(&fields, &doc?);
            report.documents += 1;
            match what {
                What::Documents => {
                    write_document(&mut sink, &doc)?;
                    report.rows += 1;
                }
                What::Citations => {
                    for cite in doc.refs.iter().filter(|r| r.is_edge()) {
                        let Some(key) = cite.key.as_deref() else {
                            continue;
                        };
                        let target_ids = resolver.resolve(&doc.id, cite, key)?;
                        write_citation(&mut sink, &doc, cite, key, target_ids)?;
                        report.rows += 1;
                    }
                }
            }
            progress(report.documents);
        }
    }
    sink.finish()?;
    Ok(report)
}

fn write_document<W: Write>(sink: &mut Sink<W>, doc: &Document) -> Result<(), Error> {
    let key = doc
        .number
        .as_deref()
        .and_then(|n| n.parse::<DocNumber>().ok())
        .map(|n| n.key());
    let row = DocumentRow {
        id: &doc.id,
        source: &doc.source,
        number: doc.number.as_deref(),
        key: key.clone(),
        kind: doc.kind.as_deref(),
        issuers: &doc.issuers,
        issued: doc.issued,
        published: doc.published,
        signers: &doc.signers,
        title: &doc.title,
        body: &doc.body,
    };
    sink.row(&row, || {
        vec![
            doc.id.clone(),
            doc.source.clone(),
            opt(doc.number.as_deref()),
            opt(key),
            opt(doc.kind.as_deref()),
            doc.issuers.join("; "),
            opt(doc.issued),
            opt(doc.published),
            doc.signers.join("; "),
            doc.title.clone(),
            doc.body.clone(),
        ]
    })
}

fn write_citation<W: Write>(
    sink: &mut Sink<W>,
    doc: &Document,
    cite: &DocRef,
    key: &str,
    target_ids: Vec<String>,
) -> Result<(), Error> {
    let joined = target_ids.join("; ");
    let row = CitationRow {
        source_id: &doc.id,
        source_number: doc.number.as_deref(),
        target_number: &cite.number,
        target_key: key,
        target_ids,
        relation: cite.relation.as_str(),
        date: cite.date,
        start: cite.start,
        end: cite.end,
        raw: &cite.raw,
    };
    sink.row(&row, || {
        vec![
            doc.id.clone(),
            opt(doc.number.as_deref()),
            cite.number.clone(),
            key.to_string(),
            joined,
            cite.relation.as_str().to_string(),
            opt(cite.date),
            cite.start.to_string(),
            cite.end.to_string(),
            cite.raw.clone(),
        ]
    })
}
