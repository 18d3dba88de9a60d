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
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, TantivyDocument};
use tantivy::{Searcher, Term};

use super::{Engine, Error, Highlighter, SearchHit, hit_of};
use crate::doc::{DocRef, Document};
use crate::index::schema;
use crate::refs::{DocNumber, Relation};
use crate::status::{HistoryEntry, Status};

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
    /// What it does with this document: the relation of its first
    /// citation of it that says more than `mentions`, else `mentions`.
    pub relation: String,
    /// Every relation it cites this document with, in text order, once
    /// each.
    #[serde(default)]
    pub relations: Vec<String>,
    /// How many times it cites this document.
    #[serde(default)]
    pub count: usize,
    /// How it wrote the number (in the citation `relation` comes from).
    pub raw: String,
    /// Span of that citation in the citing document's body.
    pub start: usize,
    /// End of the span.
    pub end: usize,
}

/// A document with its citations both ways.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DocumentView {
    /// The document (metadata, body, attachments); its `refs` are moved
    /// to [`DocumentView::outgoing`].
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
    /// Its validity status (issue 12), on the day asked for (today by
    /// default).
    #[serde(default)]
    pub status: Status,
    /// The later documents relating to it, oldest first: the `cited_by`
    /// edges in date order.
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
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

pub use crate::status::may_name;

/// Among documents carrying the cited number, those the citation means:
/// every one it [may name](may_name) (the same directive published on
/// several sites), and when it states a date and some were issued that
/// very day, those.
fn pick_targets<'a>(cands: &'a [Document], cite: &DocRef) -> Vec<&'a Document> {
    let fit: Vec<&Document> = cands.iter().filter(|c| may_name(cite, c)).collect();
    if fit.len() > 1
        && let Some(d) = cite.date
    {
        let same_day: Vec<_> = fit
            .iter()
            .copied()
            .filter(|c| c.issued == Some(d))
            .collect();
        if !same_day.is_empty() {
            return same_day;
        }
    }
    fit
}

/// The incoming entry of `citing` for `key`, if one of its citations of
/// `key` can name `about`.
fn incoming_of(citing: Document, key: &str, about: Option<&Document>) -> Option<IncomingRef> {
    let cites: Vec<&DocRef> = citing
        .refs
        .iter()
        .filter(|r| r.is_edge() && r.key.as_deref() == Some(key))
        .filter(|r| about.is_none_or(|a| may_name(r, a)))
        .collect();
    let first = *cites.first()?;
    let main = cites
        .iter()
        .copied()
        .find(|r| r.relation != Relation::Mentions)
        .unwrap_or(first);
    let mut relations: Vec<String> = Vec::new();
    for r in &cites {
        if !relations.iter().any(|x| x == r.relation.as_str()) {
            relations.push(r.relation.as_str().to_string());
        }
    }
    Some(IncomingRef {
        date: citing.date(),
        relation: main.relation.as_str().to_string(),
        relations,
        count: cites.len(),
        raw: main.raw.clone(),
        start: main.start,
        end: main.end,
        id: citing.id,
        title: citing.title,
        number: citing.number,
    })
}

/// The history of a document: its incoming edges, oldest first (undated
/// ones last), up to `as_of`.
fn history_of(cited_by: &[IncomingRef], as_of: Option<NaiveDate>) -> Vec<HistoryEntry> {
    let mut h: Vec<HistoryEntry> = cited_by
        .iter()
        .filter(|r| as_of.is_none_or(|a| r.date.is_none_or(|d| d <= a)))
        .map(|r| HistoryEntry {
            date: r.date,
            id: r.id.clone(),
            number: r.number.clone(),
            relation: r.relation.clone(),
        })
        .collect();
    h.sort_by(|a, b| {
        (a.date.is_none(), a.date, &a.number).cmp(&(b.date.is_none(), b.date, &b.number))
    });
    h
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

    /// The document `id` with its citations both ways, its status today
    /// and its history.
    pub fn document_view(&self, id: &str) -> Result<Option<DocumentView>, Error> {
        self.document_view_as_of(id, None)
    }

    /// The document `id` with its citations both ways, its status on
    /// `as_of` (today when `None`) and its history up to that day.
    pub fn document_view_as_of(
        &self,
        id: &str,
        as_of: Option<NaiveDate>,
    ) -> Result<Option<DocumentView>, Error> {
        let Some(mut document) = self.document(id)? else {
            return Ok(None);
        };
        let statements = {
            let searcher = self.reader.searcher();
            crate::status::gather(&searcher, &self.handle.fields, &document)?
        };
        let status = crate::status::compute(
            &document,
            &statements,
            as_of.unwrap_or_else(crate::status::today),
        );
        // The view lists the citations itself, with their targets.
        let refs = std::mem::take(&mut document.refs);
        let key = document
            .number
            .as_deref()
            .and_then(|n| n.parse::<DocNumber>().ok())
            .map(|n| n.key());
        let mut outgoing = Vec::new();
        for cite in refs.iter().filter(|r| r.is_edge()) {
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
            Some(k) => self.cited_by(k, Some(&document))?,
            None => (Vec::new(), 0),
        };
        let history = history_of(&cited_by, as_of);
        Ok(Some(DocumentView {
            document,
            key,
            outgoing,
            cited_by,
            cited_by_count,
            status,
            history,
        }))
    }

    /// The documents citing the number with key `key`, newest first, and
    /// how many there are. With `about` (a document carrying that number),
    /// only citations that [may name](may_name) it count, and `about`
    /// itself is left out.
    pub fn cited_by(
        &self,
        key: &str,
        about: Option<&Document>,
    ) -> Result<(Vec<IncomingRef>, usize), Error> {
        let (docs, total) = self.citing(key)?;
        let incoming: Vec<IncomingRef> = docs
            .into_iter()
            .filter(|d| about.is_none_or(|a| a.id != d.id))
            .filter_map(|d| incoming_of(d, key, about))
            .collect();
        // Past the listing cap, the term count is the best count.
        let count = if total > MAX_LISTED {
            total
        } else {
            incoming.len()
        };
        Ok((incoming, count))
    }

    /// The documents whose own number is `number`, and how many cite it.
    pub fn lookup(&self, number: &DocNumber) -> Result<Lookup, Error> {
        let key = number.key();
        let docs = self.documents_numbered(&key)?;
        let h = Highlighter::default();
        let mut documents: Vec<SearchHit> = docs.into_iter().map(|d| hit_of(d, 0.0, &h)).collect();
        for hit in &mut documents {
            hit.status = self.state_of(&hit.id)?;
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_citation_names_the_document_of_its_year_and_khoa() {
        let doc = |y| Document {
            issued: NaiveDate::from_ymd_opt(y, 3, 12),
            ..Document::default()
        };
        let cite = |date: Option<NaiveDate>, term: Option<&str>| DocRef {
            start: 0,
            end: 0,
            raw: String::new(),
            number: "25-NQ/TW".into(),
            key: Some("25-nq/tw".into()),
            kind: None,
            date,
            issuer: None,
            term: term.map(str::to_string),
            subject: None,
            relation: Relation::Mentions,
            resolved_from: None,
            partial: false,
            target: None,
        };
        let d2003 = NaiveDate::from_ymd_opt(2003, 3, 12);
        assert!(may_name(&cite(d2003, None), &doc(2003)));
        assert!(!may_name(&cite(d2003, None), &doc(2013)));
        assert!(may_name(&cite(None, Some("XI")), &doc(2013)));
        assert!(!may_name(&cite(None, Some("XI")), &doc(2003)));
        assert!(may_name(&cite(None, None), &doc(2003)));
        assert!(may_name(&cite(d2003, Some("IX")), &Document::default()));
        // Luật and Nghị quyết of the Quốc hội share "n/yyyy/QHxx".
        let law = Document {
            kind: Some("Luật".into()),
            ..Document::default()
        };
        let mut c = cite(None, None);
        c.number = "18/2008/QH12".into();
        c.kind = Some("Nghị quyết".into());
        assert!(!may_name(&c, &law));
        c.kind = Some("Luật".into());
        assert!(may_name(&c, &law));
        c.kind = Some("Bộ luật".into());
        assert!(may_name(&c, &law));
    }
}
