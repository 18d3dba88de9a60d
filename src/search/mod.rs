//! Search: a [`Request`] → a [`SearchResponse`] of [`SearchHit`]s with
//! snippets. Owns query parsing, ranking and snippets; knows nothing of
//! HTTP or terminals.
//!
//! Ranking: every query syllable matches in either form. A syllable typed
//! with diacritics matches its exact form (weighted most) or a spelling
//! without diacritics (a page typed without accents), never another
//! accented word ("bán" does not match "bạn"). A syllable typed without
//! diacritics matches every accented spelling through the folded fields.
//! Adjacent query syllables add the scores of their pairs as two-word
//! phrases of the folded body ([`pairs`]), so multi-syllable
//! words rank as words; a pair scores but never matches by itself.
//! Document numbers match as single terms; the document whose own number
//! it is ranks first.
//!
//! How a query runs (issue 13): every term clause in one flat union,
//! a term typed twice merged into one clause; terms no document holds
//! left out; document frequencies remembered per generation. The union is
//! scored term by term into one score per document ([`accumulate`]), the
//! frequent terms only where they can still lift a document into the top;
//! the total and the facets count every match. The pairs then score the
//! top `RESCORE_WINDOW` of that ranking from the positions of their
//! words, candidate by candidate.
mod accumulate;
mod build;
pub mod facets;
pub mod graph;
pub mod pairs;
pub mod query;
pub mod snippet;
mod stats;
pub mod understand;

use std::ops::Bound;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::Bm25StatisticsProvider;
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
pub use understand::{NumberLookup, Vocabulary};

use crate::doc::Document;
use crate::index::lookup::Facts;
use crate::index::{self, Fields, IndexHandle, schema};
pub use build::build_query;
use build::*;

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
    /// The query as searched when it was typed in Telex or VNI with the
    /// input method off ("nghij quyeets" → "nghị quyết").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interpreted_as: Option<String>,
    /// The document number parts understood ("Nghị định · số 1 · năm
    /// 2021"), when the query names some.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub understood: Option<String>,
    /// A spelling with more hits, for a query with fewer than 3 (never
    /// applied by itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub did_you_mean: Option<String>,
}

/// Weights of the ranking; see the module docs.
mod weight {
    pub const EXACT: f32 = 1.0;
    pub const UNACCENTED_SOURCE: f32 = 0.7;
    pub const FOLDED: f32 = 1.0;
    pub const TITLE: f32 = 1.5;
    /// Two adjacent query words as a phrase (body; title × `TITLE`).
    pub const PAIR: f32 = 1.0;
    pub const OWN_NUMBER: f32 = 20.0;
    pub const MENTION: f32 = 3.0;
    /// A document whose own number fits the parts the query names.
    pub const FIT: f32 = 1000.0;
    /// ... and its issuer and khóa too.
    pub const FIT_STRICT: f32 = 500.0;
    /// ... of the kind named (not only its type code).
    pub const FIT_KIND: f32 = 100.0;
    /// ... a central one.
    pub const FIT_CENTRAL: f32 = 50.0;
    /// Kind with year, khóa or issuer, without a serial.
    pub const SOFT_LOOKUP: f32 = 3.0;
    /// An abbreviation or full form of the words typed.
    pub const EXPANSION: f32 = 0.5;
    /// Words that are a signer's name.
    pub const SIGNER: f32 = 2.0;
}

/// Candidates the second phase (adjacent words) scores: the page and
/// more, so that a document the pairs lift still reaches the page.
const RESCORE_WINDOW: usize = 200;
/// Hits read beyond the page when ranking documents whose own number fits.
const FIT_WINDOW: usize = 30;
/// Fewer hits than this earn a did-you-mean.
const SUGGEST_BELOW: usize = 3;

/// Searches one index generation.
pub struct Engine {
    handle: IndexHandle,
    reader: IndexReader,
    /// The vocabulary for did-you-mean, with the searcher generation it
    /// was read from.
    vocabulary: Mutex<Option<(u64, Arc<Vocabulary>)>>,
    /// The facet columns of the segments searched, as ordinal arrays.
    ordinals: facets::OrdinalCache,
    /// Document frequencies of the terms queried, per generation.
    stats: stats::StatsCache,
}

impl Engine {
    /// An engine over `handle`.
    pub fn new(handle: IndexHandle) -> Result<Engine, Error> {
        let reader = handle.reader()?;
        Ok(Engine {
            handle,
            reader,
            vocabulary: Mutex::new(None),
            ordinals: facets::OrdinalCache::default(),
            stats: stats::StatsCache::default(),
        })
    }

    /// Reads the commits made in this generation since the last reload
    /// (tantivy's watcher does it too, but on its own schedule).
    pub fn reload(&self) -> Result<(), Error> {
        Ok(self.reader.reload()?)
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
        Ok(self.search_counting(req, false)?.0)
    }

    /// Runs `req` and, when no facet filter is set, counts its facets in
    /// the same pass over the matching documents (issue 13: a second pass
    /// for [`Engine::facets`] cost about as much as the search). `None`:
    /// a facet filter is set, so each facet needs its own query.
    pub fn search_with_facets(
        &self,
        req: &Request,
    ) -> Result<(SearchResponse, Option<Facets>), Error> {
        self.search_counting(req, facets::single_pass(req))
    }

    fn search_counting(
        &self,
        req: &Request,
        count_facets: bool,
    ) -> Result<(SearchResponse, Option<Facets>), Error> {
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
        let searcher = self.reader.searcher();
        let stats = self.stats.for_searcher(&searcher);
        // Terms no document holds are left out (remembered frequencies).
        let held = |t: &Term| stats.doc_freq(t).map_or(true, |n| n > 0);
        let number = parsed.lookup.as_ref().filter(|l| l.is_number());
        // Nothing to rank by (only cites: and filters): newest first.
        let by_date = req.sort == Sort::Date
            || (parsed.numbers.is_empty() && parsed.terms.is_empty() && parsed.phrases.is_empty());
        let sort = if by_date { Sort::Date } else { Sort::Relevance };
        // Adjacent words score in a second phase over the top candidates
        // of the rest (from positions: see `pairs`).
        let ranked = sort == Sort::Relevance && req.limit > 0;
        let plan = plan(f, &parsed, req, &held);
        // Documents whose own number fits are ordered among themselves
        // (kind named, central, most cited, newest): read a window from the
        // top and order it.
        let rerank = sort == Sort::Relevance && number.is_some() && req.limit > 0;
        let pairs =
            Some(pairs::Pairs::of(&parsed, weight::PAIR)).filter(|p| ranked && !p.is_empty());
        let wanted = req.offset + req.limit + if rerank { FIT_WINDOW } else { 0 };
        // The first phase ranks `k` documents from the top; the page is cut
        // from them after the pairs and the fit order.
        let k = match (rerank, &pairs) {
            (_, Some(_)) => wanted.max(RESCORE_WINDOW),
            (true, None) => wanted,
            (false, None) => req.offset + req.limit.max(1),
        };
        // Facets count every matching document, as `Count` does.
        let counter = if count_facets {
            Some(facets::FacetCollector::new(&searcher, &self.ordinals)?)
        } else {
            None
        };
        let (scored, total, counted): (Vec<(f32, DocAddress)>, usize, _) = match sort {
            Sort::Relevance => {
                let (first, total, counted) = if plan.other.is_some() {
                    accumulate::run(&searcher, &stats, &plan, k, &counter)?
                } else {
                    searcher.search_with_statistics_provider(
                        &plan.query(),
                        &(TopDocs::with_limit(k).order_by_score(), Count, counter),
                        &stats,
                    )?
                };
                let ranked = match &pairs {
                    // Title pairs too: without them a title asked for with
                    // its year ("luật hải quan sửa đổi 2005") found the
                    // law it amends (query understanding, title + year:
                    // 0.92 → 1.00), for ~6% of the ALQAC p50.
                    Some(pairs) => {
                        let fields = [(f.body_folded, 1.0), (f.title_folded, weight::TITLE)];
                        pairs.rescore(&searcher, &stats, &fields, first)?
                    }
                    None => first,
                };
                let skip = if rerank { 0 } else { req.offset };
                let take = if rerank { wanted } else { req.limit };
                (
                    ranked.into_iter().skip(skip).take(take).collect(),
                    total,
                    counted,
                )
            }
            Sort::Date => {
                let top = TopDocs::with_limit(req.limit.max(1)).and_offset(req.offset);
                let (docs, total, counted) = searcher.search(
                    &plan.query(),
                    &(
                        top.order_by_fast_field::<i64>(schema::DATE, Order::Desc),
                        Count,
                        counter,
                    ),
                )?;
                (
                    docs.into_iter().map(|(_, a)| (0.0, a)).collect(),
                    total,
                    counted,
                )
            }
        };
        let highlighter = Highlighter::new(&parsed);
        let mut docs: Vec<(f32, TantivyDocument)> = Vec::with_capacity(scored.len());
        if req.limit > 0 {
            for (score, addr) in scored {
                docs.push((score, searcher.doc(addr)?));
            }
        }
        if let (true, Some(l)) = (rerank, number) {
            docs = order_fits(&searcher, f, l, docs);
            docs = docs.into_iter().skip(req.offset).take(req.limit).collect();
        }
        let hits = docs
            .into_iter()
            .map(|(score, t)| {
                let mut hit = hit_of(schema::from_tantivy(f, &t), score, &highlighter);
                hit.status = stored_state(f, &t);
                hit
            })
            .collect();
        let did_you_mean = if total < SUGGEST_BELOW && req.offset == 0 && !parsed.is_empty() {
            self.did_you_mean(
                &searcher,
                parsed.interpreted_as.as_deref().unwrap_or(&req.q),
                total,
                req,
            )
        } else {
            None
        };
        let resp = SearchResponse {
            query: req.q.clone(),
            total,
            took_ms: started.elapsed().as_secs_f64() * 1e3,
            hits,
            interpreted_as: parsed.interpreted_as.clone(),
            understood: parsed
                .lookup
                .as_ref()
                .filter(|l| l.is_number())
                .map(NumberLookup::describe),
            did_you_mean,
        };
        Ok((resp, counted))
    }

    /// The vocabulary of the generation `searcher` reads (read once per
    /// generation).
    pub fn vocabulary(&self, searcher: &tantivy::Searcher) -> Arc<Vocabulary> {
        let id = searcher.generation().generation_id();
        let mut cache = self.vocabulary.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((g, v)) = cache.as_ref()
            && *g == id
        {
            return Arc::clone(v);
        }
        let v = Arc::new(Vocabulary::read(searcher, self.handle.fields.body_exact));
        *cache = Some((id, Arc::clone(&v)));
        v
    }

    /// A spelling of `q` from the index's vocabulary that finds more than
    /// `total` documents.
    fn did_you_mean(
        &self,
        searcher: &tantivy::Searcher,
        q: &str,
        total: usize,
        req: &Request,
    ) -> Option<String> {
        let suggestion = self.vocabulary(searcher).suggest(q)?;
        let parsed = query::parse(&suggestion).ok()?;
        let sq = build_query(&self.handle.fields, &parsed, req);
        let n = searcher.search(&sq, &Count).ok()?;
        (n > total).then_some(suggestion)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(q: &str) -> NumberLookup {
        query::parse(q).unwrap().lookup.expect("a lookup")
    }

    fn facts(serial: &str, year: u64, code: &str, issuers: &[&str], term: &str) -> Facts {
        Facts {
            serials: vec![serial.into()],
            years: vec![year],
            type_code: Some(code.into()),
            issuers: issuers.iter().map(|s| s.to_string()).collect(),
            term: Some(term.into()),
            central: issuers.contains(&"tw"),
            organ: None,
        }
    }

    #[test]
    fn a_type_code_is_not_a_kind() {
        // Quy định 205-QĐ/TW and Quyết định 23-QĐ/TW share "QĐ".
        let quy_dinh = facts("205", 2019, "qd", &["tw"], "XII");
        let l = lookup("quy định 205");
        assert_eq!(fit(&l, &quy_dinh, Some("quy dinh")), Some((true, true)));
        let l = lookup("quyết định 205");
        assert_eq!(fit(&l, &quy_dinh, Some("quy dinh")), Some((true, false)));
        let l = lookup("chỉ thị 205");
        assert_eq!(fit(&l, &quy_dinh, Some("quy dinh")), None);
    }

    #[test]
    fn year_issuer_and_term_narrow_the_fit() {
        let ct05 = facts("5", 2016, "ct", &["bo chinh tri", "tw"], "XII");
        assert_eq!(
            fit(&lookup("chỉ thị 05"), &ct05, Some("chi thi")),
            Some((true, true))
        );
        assert_eq!(
            fit(&lookup("chỉ thị 05/2016"), &ct05, None),
            Some((true, false))
        );
        assert_eq!(fit(&lookup("chỉ thị 05/2017"), &ct05, None), None);
        let l = lookup("chỉ thị 05 bộ chính trị");
        assert_eq!(fit(&l, &ct05, Some("chi thi")), Some((true, true)));
        let l = lookup("chỉ thị 05 ban bí thư");
        assert_eq!(fit(&l, &ct05, Some("chi thi")), Some((false, true)));
        let l = lookup("chỉ thị 5 khóa XI");
        assert_eq!(fit(&l, &ct05, Some("chi thi")), Some((false, true)));
        assert_eq!(fit(&lookup("chỉ thị 50"), &ct05, Some("chi thi")), None);
    }
}
