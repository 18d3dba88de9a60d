//! The citation graph: a document's outgoing citations (resolved to the
//! indexed documents whose own number they name) and its incoming ones
//! (the documents citing it), and number lookup.
//!
//! Edges are stored per document (`Document::refs`, with spans into the
//! stored body) and indexed by target key in the `cites` field, so "who
//! cites 25-NQ/TW?" is one term query whether or not 25-NQ/TW itself is
//! indexed. Party numbers restart each khóa, so when several indexed
//! documents carry the cited key, the citation's date (or year) picks
//! among them when it can.
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, TantivyDocument};
use tantivy::{Searcher, Term};

use super::{Engine, Error, Highlighter, SearchHit, hit_of};
use crate::doc::{DocRef, Document};
use crate::index::schema;
use crate::refs::DocNumber;

/// Most documents listed per number or per incoming list.
const MAX_LISTED: usize = 1_000;

/// An outgoing citation, with the ids of the indexed documents it names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OutgoingRef {
    /// The citation as found in the body.
    #[serde(flatten)]
    pub cite: DocRef,
    /// Indexed documents whose own number it is (empty: an external node).
    pub target_ids: Vec<String>,
}

/// A document citing this one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct IncomingRef {
    /// The citing document.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its own number.
    pub number: Option<String>,
    /// Its date (issued, else published).
    pub date: Option<NaiveDate>,
    /// What it does with this document (its first citation of it).
    pub relation: String,
    /// How it wrote the number.
    pub raw: String,
    /// Span of that citation in the citing document's body.
    pub start: usize,
    /// End of the span.
    pub end: usize,
}

/// A document with its citations both ways.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DocumentView {
    /// The document (metadata, body, attachments).
    #[serde(flatten)]
    pub document: Document,
    /// Match key of its own number.
    pub key: Option<String>,
    /// What it cites, in order; occurrences of its own number excluded.
    #[serde(rename = "refs")]
    pub outgoing: Vec<OutgoingRef>,
    /// What cites it, newest first.
    pub cited_by: Vec<IncomingRef>,
    /// How many documents cite it.
    pub cited_by_count: usize,
}

/// The answer to a number lookup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Lookup {
    /// The number, canonical.
    pub number: String,
    /// Its match key.
    pub key: String,
    /// Documents whose own number it is.
    pub documents: Vec<SearchHit>,
    /// How many documents cite it.
    pub cited_by_count: usize,
}

fn docs_with(searcher: &Searcher, term: Term, limit: usize) -> Result<Vec<Document>, Error> {
    let f = schema::Fields::new(&searcher.schema().clone())?;
    let q = TermQuery::new(term, IndexRecordOption::Basic);
    let top = searcher.search(&q, &TopDocs::with_limit(limit.max(1)).order_by_score())?;
    let mut out = Vec::with_capacity(top.len());
    for (_, addr) in top {
        let t: TantivyDocument = searcher.doc(addr)?;
        out.push(schema::from_tantivy(&f, &t));
    }
    Ok(out)
}

fn count_with(searcher: &Searcher, term: Term) -> Result<usize, Error> {
    Ok(searcher.search(&TermQuery::new(term, IndexRecordOption::Basic), &Count)?)
}

/// Among documents carrying the cited number, those the citation means:
/// when it states a date, the ones issued that day (or that year), if any.
fn pick_targets<'a>(cands: &'a [Document], cite: &DocRef) -> Vec<&'a Document> {
    if cands.len() > 1
        && let Some(d) = cite.date
    {
        let same_day: Vec<_> = cands.iter().filter(|c| c.issued == Some(d)).collect();
        if !same_day.is_empty() {
            return same_day;
        }
        let same_year: Vec<_> = cands
            .iter()
            .filter(|c| c.issued.map(|i| i.year()) == Some(d.year()))
            .collect();
        if !same_year.is_empty() {
            return same_year;
        }
    }
    cands.iter().collect()
}

impl Engine {
    /// Documents whose own number has match key `key`.
    pub fn documents_numbered(&self, key: &str) -> Result<Vec<Document>, Error> {
        let searcher = self.reader.searcher();
        let f = &self.handle.fields;
        docs_with(
            &searcher,
            Term::from_field_text(f.number_key, key),
            MAX_LISTED,
        )
    }

    /// Documents citing the number with match key `key`, newest first, and
    /// how many there are.
    pub fn citing(&self, key: &str) -> Result<(Vec<Document>, usize), Error> {
        let searcher = self.reader.searcher();
        let f = &self.handle.fields;
        let term = Term::from_field_text(f.cites, key);
        let total = count_with(&searcher, term.clone())?;
        let mut docs = docs_with(&searcher, term, MAX_LISTED)?;
        docs.sort_by(|a, b| b.date().cmp(&a.date()).then_with(|| a.title.cmp(&b.title)));
        Ok((docs, total))
    }

    /// The document `id` with its citations both ways.
    pub fn document_view(&self, id: &str) -> Result<Option<DocumentView>, Error> {
        let Some(document) = self.document(id)? else {
            return Ok(None);
        };
        let key = document
            .number
            .as_deref()
            .and_then(|n| n.parse::<DocNumber>().ok())
            .map(|n| n.key());
        let mut outgoing = Vec::new();
        for cite in document.refs.iter().filter(|r| r.is_edge()) {
            let target_ids = match &cite.key {
                Some(k) => {
                    let cands = self.documents_numbered(k)?;
                    pick_targets(&cands, cite)
                        .into_iter()
                        .filter(|d| d.id != document.id)
                        .map(|d| d.id.clone())
                        .collect()
                }
                None => Vec::new(),
            };
            outgoing.push(OutgoingRef {
                cite: cite.clone(),
                target_ids,
            });
        }
        let (cited_by, cited_by_count) = match &key {
            Some(k) => {
                let (docs, total) = self.citing(k)?;
                let incoming = docs
                    .into_iter()
                    .filter(|d| d.id != document.id)
                    .filter_map(|d| {
                        let r = d
                            .refs
                            .iter()
                            .find(|r| r.is_edge() && r.key.as_deref() == Some(k))?;
                        // A citation naming another document with the same
                        // number (another khóa) is not about this one.
                        if r.date.is_some_and(|rd| {
                            document.issued.is_some_and(|i| i.year() != rd.year())
                        }) {
                            return None;
                        }
                        Some(IncomingRef {
                            date: d.date(),
                            relation: r.relation.clone(),
                            raw: r.raw.clone(),
                            start: r.start,
                            end: r.end,
                            id: d.id,
                            title: d.title,
                            number: d.number,
                        })
                    })
                    .collect::<Vec<_>>();
                // Past the listing cap, the term count is the best count.
                let count = if total > MAX_LISTED {
                    total
                } else {
                    incoming.len()
                };
                (incoming, count)
            }
            None => (Vec::new(), 0),
        };
        Ok(Some(DocumentView {
            document,
            key,
            outgoing,
            cited_by,
            cited_by_count,
        }))
    }

    /// The documents whose own number is `number`, and how many cite it.
    pub fn lookup(&self, number: &DocNumber) -> Result<Lookup, Error> {
        let key = number.key();
        let docs = self.documents_numbered(&key)?;
        let h = Highlighter::default();
        let documents = docs.into_iter().map(|d| hit_of(d, 0.0, &h)).collect();
        let searcher = self.reader.searcher();
        let cited_by_count = count_with(
            &searcher,
            Term::from_field_text(self.handle.fields.cites, &key),
        )?;
        Ok(Lookup {
            number: number.to_string(),
            key,
            documents,
            cited_by_count,
        })
    }
}
