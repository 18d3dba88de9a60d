//! Search: a [`Request`] → a [`SearchResponse`] of [`SearchHit`]s with
//! snippets. Owns query parsing, ranking and snippets; knows nothing of
//! HTTP or terminals.
//!
//! Ranking: every query syllable matches in either form. A syllable typed
//! with diacritics matches its exact form (weighted most) or a spelling
//! without diacritics (a page typed without accents), never another
//! accented word ("bán" does not match "bạn"). A syllable typed without
//! diacritics matches every accented spelling through the folded fields.
//! Adjacent query syllables add phrase boosts, so multi-syllable words
//! rank as words. Document numbers match as single terms; the document
//! whose own number it is ranks first.
pub mod facets;
pub mod graph;
pub mod query;
pub mod snippet;

use std::ops::Bound;
use std::time::Instant;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, RangeQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, TantivyDocument};
use tantivy::{DocAddress, IndexReader, Order, Term};

pub use facets::Facets;
pub use graph::{DocumentView, IncomingRef, Lookup, OutgoingRef};
pub use query::{ParsedQuery, QueryError, QueryTerm};
pub use snippet::Highlighter;

use crate::doc::Document;
use crate::index::{self, Fields, IndexHandle, schema};

/// Largest page size.
pub const MAX_LIMIT: usize = 100;
/// Largest offset.
pub const MAX_OFFSET: usize = 10_000;

/// Errors of search.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The query is not valid.
    #[error(transparent)]
    Query(#[from] QueryError),
    /// A parameter is out of range.
    #[error("{0}")]
    BadParameter(String),
    /// The index failed.
    #[error(transparent)]
    Index(#[from] index::Error),
    /// tantivy failed.
    #[error("search: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

/// Sort order of hits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// By score.
    #[default]
    Relevance,
    /// Newest first (by [`Document::date`]).
    Date,
}

/// A search request: the query and its filters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Request {
    /// The user's query.
    pub q: String,
    /// Kind filter ("Kế hoạch" or "ke hoach").
    pub kind: Option<String>,
    /// Issuer filter: documents with an issuer containing these words.
    pub issuer: Option<String>,
    /// Year of the document's date.
    pub year: Option<i32>,
    /// Earliest date (inclusive).
    pub from: Option<NaiveDate>,
    /// Latest date (inclusive).
    pub to: Option<NaiveDate>,
    /// Order of hits.
    pub sort: Sort,
    /// Page size (at most [`MAX_LIMIT`]).
    pub limit: usize,
    /// Hits to skip (at most [`MAX_OFFSET`]).
    pub offset: usize,
    /// Validity state filter (issue 12): documents in this state.
    pub status: Option<crate::status::State>,
}

/// One search hit: the one hit type of the project (CLI, API, batch).
/// Fields are added, never renamed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SearchHit {
    /// Document id.
    pub id: String,
    /// Source URL or path.
    pub source: String,
    /// Title (plain text).
    pub title: String,
    /// Own number, canonical.
    pub number: Option<String>,
    /// Kind.
    pub kind: Option<String>,
    /// Issuers.
    pub issuers: Vec<String>,
    /// `issued` when known, else `published`.
    pub date: Option<NaiveDate>,
    /// Date of issue.
    pub issued: Option<NaiveDate>,
    /// Publication date.
    pub published: Option<NaiveDate>,
    /// Relevance score.
    pub score: f32,
    /// HTML: matched words in `<mark>`, everything else escaped.
    pub snippet: String,
    /// Validity state as indexed (issue 12): a replaced or repealed
    /// document stays findable and says so.
    #[serde(default)]
    pub status: Option<crate::status::State>,
}

/// The answer to a [`Request`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SearchResponse {
    /// The query as given.
    pub query: String,
    /// Number of matching documents.
    pub total: usize,
    /// Time to parse, search, count and build snippets, in milliseconds.
    pub took_ms: f64,
    /// The requested page of hits.
    pub hits: Vec<SearchHit>,
}

/// Weights of the ranking; see the module docs.
mod weight {
    pub const EXACT: f32 = 1.0;
    pub const UNACCENTED_SOURCE: f32 = 0.7;
    pub const FOLDED: f32 = 1.0;
    pub const TITLE: f32 = 1.5;
    pub const BIGRAM: f32 = 0.6;
    pub const OWN_NUMBER: f32 = 20.0;
    pub const MENTION: f32 = 3.0;
}

/// Searches one index generation.
pub struct Engine {
    handle: IndexHandle,
    reader: IndexReader,
}

impl Engine {
    /// An engine over `handle`.
    pub fn new(handle: IndexHandle) -> Result<Engine, Error> {
        let reader = handle.reader()?;
        Ok(Engine { handle, reader })
    }

    /// The generation searched.
    pub fn generation(&self) -> u64 {
        self.handle.generation
    }

    /// The index handle.
    pub fn handle(&self) -> &IndexHandle {
        &self.handle
    }

    /// Runs `req`.
    pub fn search(&self, req: &Request) -> Result<SearchResponse, Error> {
        let started = Instant::now();
        if req.limit > MAX_LIMIT {
            return Err(Error::BadParameter(format!(
                "limit must be at most {MAX_LIMIT}"
            )));
        }
        if req.offset > MAX_OFFSET {
            return Err(Error::BadParameter(format!(
                "offset must be at most {MAX_OFFSET}"
            )));
        }
        let parsed = query::parse(&req.q)?;
        let f = &self.handle.fields;
        let q = build_query(f, &parsed, req);
        let searcher = self.reader.searcher();
        let top = TopDocs::with_limit(req.limit.max(1)).and_offset(req.offset);
        // Nothing to rank by (only cites: and filters): newest first.
        let by_date = req.sort == Sort::Date
            || (parsed.numbers.is_empty() && parsed.terms.is_empty() && parsed.phrases.is_empty());
        let sort = if by_date { Sort::Date } else { Sort::Relevance };
        let (scored, total): (Vec<(f32, DocAddress)>, usize) = match sort {
            Sort::Relevance => searcher.search(&q, &(top.order_by_score(), Count))?,
            Sort::Date => {
                let (docs, total) = searcher.search(
                    &q,
                    &(
                        top.order_by_fast_field::<i64>(schema::DATE, Order::Desc),
                        Count,
                    ),
                )?;
                (docs.into_iter().map(|(_, a)| (0.0, a)).collect(), total)
            }
        };
        let highlighter = Highlighter::new(&parsed);
        let mut hits = Vec::with_capacity(scored.len());
        if req.limit > 0 {
            for (score, addr) in scored {
                let t: TantivyDocument = searcher.doc(addr)?;
                let doc = schema::from_tantivy(f, &t);
                let mut hit = hit_of(doc, score, &highlighter);
                hit.status = stored_state(f, &t);
                hits.push(hit);
            }
        }
        Ok(SearchResponse {
            query: req.q.clone(),
            total,
            took_ms: started.elapsed().as_secs_f64() * 1e3,
            hits,
        })
    }

    /// The stored document with `id`.
    pub fn document(&self, id: &str) -> Result<Option<Document>, Error> {
        let searcher = self.reader.searcher();
        let q = TermQuery::new(
            Term::from_field_text(self.handle.fields.id, id),
            IndexRecordOption::Basic,
        );
        let top = searcher.search(&q, &TopDocs::with_limit(1).order_by_score())?;
        match top.first() {
            Some((_, addr)) => {
                let t: TantivyDocument = searcher.doc(*addr)?;
                Ok(Some(schema::from_tantivy(&self.handle.fields, &t)))
            }
            None => Ok(None),
        }
    }

    /// The indexed validity state of the document `id` (issue 12).
    pub fn state_of(&self, id: &str) -> Result<Option<crate::status::State>, Error> {
        let searcher = self.reader.searcher();
        let f = &self.handle.fields;
        let q = TermQuery::new(Term::from_field_text(f.id, id), IndexRecordOption::Basic);
        let top = searcher.search(&q, &TopDocs::with_limit(1).order_by_score())?;
        match top.first() {
            Some((_, addr)) => {
                let t: TantivyDocument = searcher.doc(*addr)?;
                Ok(stored_state(f, &t))
            }
            None => Ok(None),
        }
    }

    /// A searcher over the generation as last reloaded.
    pub fn searcher(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }

    /// Number of searchable documents.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }
}

/// The validity state stored with a tantivy document (issue 12).
pub fn stored_state(f: &Fields, t: &TantivyDocument) -> Option<crate::status::State> {
    schema::first_str(t, f.status).and_then(|s| crate::status::State::parse(&s))
}

/// The hit for `doc` (its `status` is for the caller to fill in).
pub fn hit_of(doc: Document, score: f32, h: &Highlighter) -> SearchHit {
    let snippet = h.snippet(&doc.body);
    SearchHit {
        date: doc.date(),
        id: doc.id,
        source: doc.source,
        title: doc.title,
        number: doc.number,
        kind: doc.kind,
        issuers: doc.issuers,
        issued: doc.issued,
        published: doc.published,
        score,
        snippet,
        status: None,
    }
}

fn term(field: Field, text: &str) -> Term {
    Term::from_field_text(field, text)
}

fn term_q(field: Field, text: &str, boost: f32) -> Box<dyn Query> {
    let q = TermQuery::new(term(field, text), IndexRecordOption::WithFreqs);
    Box::new(BoostQuery::new(Box::new(q), boost))
}

/// A phrase (or a single term) in one field.
fn phrase_q(field: Field, words: &[&str], boost: f32) -> Box<dyn Query> {
    match words {
        [] => Box::new(BooleanQuery::new(vec![])),
        [w] => term_q(field, w, boost),
        _ => {
            let terms = words.iter().map(|w| term(field, w)).collect();
            Box::new(BoostQuery::new(Box::new(PhraseQuery::new(terms)), boost))
        }
    }
}

fn any(clauses: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        clauses.into_iter().map(|c| (Occur::Should, c)).collect(),
    ))
}

/// One syllable in both forms, as described in the module docs.
fn word_query(f: &Fields, t: &QueryTerm) -> Box<dyn Query> {
    use weight::*;
    if t.accented() {
        any(vec![
            term_q(f.body_exact, &t.exact, EXACT),
            term_q(f.title_exact, &t.exact, EXACT * TITLE),
            term_q(f.body_exact, &t.folded, UNACCENTED_SOURCE),
            term_q(f.title_exact, &t.folded, UNACCENTED_SOURCE * TITLE),
        ])
    } else {
        any(vec![
            term_q(f.body_folded, &t.folded, FOLDED),
            term_q(f.title_folded, &t.folded, FOLDED * TITLE),
        ])
    }
}

/// A sequence of syllables as a phrase in title or body: in the exact
/// fields when every syllable carries diacritics (also matching text
/// typed without them), else in the folded fields.
fn phrase_query(f: &Fields, terms: &[QueryTerm], boost: f32) -> Box<dyn Query> {
    if terms.iter().all(QueryTerm::accented) {
        let exact: Vec<&str> = terms.iter().map(|t| t.exact.as_str()).collect();
        let bare: Vec<&str> = terms.iter().map(|t| t.folded.as_str()).collect();
        any(vec![
            phrase_q(f.body_exact, &exact, boost),
            phrase_q(f.title_exact, &exact, boost * weight::TITLE),
            phrase_q(f.body_exact, &bare, boost * weight::UNACCENTED_SOURCE),
            phrase_q(f.title_exact, &bare, boost * weight::UNACCENTED_SOURCE),
        ])
    } else {
        let folded: Vec<&str> = terms.iter().map(|t| t.folded.as_str()).collect();
        any(vec![
            phrase_q(f.body_folded, &folded, boost),
            phrase_q(f.title_folded, &folded, boost * weight::TITLE),
        ])
    }
}

fn number_query(f: &Fields, key: &str) -> Box<dyn Query> {
    any(vec![
        term_q(f.number_key, key, weight::OWN_NUMBER),
        term_q(f.mentions, key, weight::MENTION),
    ])
}

fn filter(q: Box<dyn Query>) -> (Occur, Box<dyn Query>) {
    (Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0)))
}

/// The tantivy query for a parsed query and the request's filters.
pub fn build_query(f: &Fields, p: &ParsedQuery, req: &Request) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    // Positive part: any number, word or phrase may match; quoted phrases
    // and cites: must.
    let mut should: Vec<Box<dyn Query>> = Vec::new();
    for n in &p.numbers {
        should.push(number_query(f, &n.key()));
    }
    for t in &p.terms {
        should.push(word_query(f, t));
    }
    for pair in p.terms.windows(2) {
        let pair = crate::index::bigram::bigram(&pair[0].folded, &pair[1].folded);
        should.push(term_q(f.bigrams, &pair, weight::BIGRAM));
    }
    if !should.is_empty() {
        clauses.push((Occur::Must, any(should)));
    }
    for ph in &p.phrases {
        clauses.push((Occur::Must, phrase_query(f, ph, 1.0)));
    }
    for n in &p.cites {
        clauses.push(filter(term_q(f.cites, &n.key(), 1.0)));
    }
    // Exclusions.
    for n in &p.excluded_numbers {
        clauses.push((Occur::MustNot, number_query(f, &n.key())));
    }
    for ex in &p.excluded {
        clauses.push((Occur::MustNot, phrase_query(f, ex, 1.0)));
    }
    // Filters.
    if let Some(k) = req.kind.as_deref().filter(|k| !k.trim().is_empty()) {
        clauses.push(filter(term_q(f.kind_key, &schema::kind_key(k), 1.0)));
    }
    if let Some(i) = req.issuer.as_deref() {
        let words = query::analyze(i);
        if !words.is_empty() {
            let folded: Vec<&str> = words.iter().map(|w| w.folded.as_str()).collect();
            clauses.push(filter(phrase_q(f.issuers_folded, &folded, 1.0)));
        }
    }
    if let Some(y) = req.year {
        let y = u64::try_from(y).unwrap_or(0);
        clauses.push(filter(Box::new(TermQuery::new(
            Term::from_field_u64(f.year, y),
            IndexRecordOption::Basic,
        ))));
    }
    if req.from.is_some() || req.to.is_some() {
        let bound = |d: Option<NaiveDate>| match d {
            Some(d) => Bound::Included(Term::from_field_i64(f.date, schema::date_value(d))),
            None => Bound::Unbounded,
        };
        clauses.push(filter(Box::new(RangeQuery::new(
            bound(req.from),
            bound(req.to),
        ))));
    }
    // Validity state (issue 12).
    if let Some(st) = req.status {
        clauses.push(filter(Box::new(TermQuery::new(
            Term::from_field_text(f.status, st.as_str()),
            IndexRecordOption::Basic,
        ))));
    }
    let positive = clauses.iter().any(|(o, _)| *o == Occur::Must);
    if !positive {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    Box::new(BooleanQuery::new(clauses))
}
