//! Statements from an index, and keeping the indexed state current.
//!
//! The state is an indexed fast field (`schema::STATUS`). A document is
//! written with the state it has on its own (its own dates, its passive
//! citations); when documents arrive, [`refresh_states`] recomputes the
//! state of the documents they make statements about (and of the arrived
//! documents others make statements about), and rewrites only those whose
//! state changed. The index is never rewritten as a whole.
use std::collections::BTreeSet;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, TantivyDocument};
use tantivy::{IndexWriter, ReloadPolicy, Searcher, Term};

use super::{StatusEdge, compute, may_name, own_key, passive_statement, statement_of, today};
use crate::doc::Document;
use crate::index::schema::{self, Fields, first_str, from_tantivy};

/// Most documents read per statement lookup.
const MAX_ACTING: usize = 1_000;

fn docs_with(
    searcher: &Searcher,
    f: &Fields,
    term: Term,
    limit: usize,
) -> tantivy::Result<Vec<(TantivyDocument, Document)>> {
    let q = TermQuery::new(term, IndexRecordOption::Basic);
    let top = searcher.search(&q, &TopDocs::with_limit(limit.max(1)).order_by_score())?;
    let mut out = Vec::with_capacity(top.len());
    for (_, addr) in top {
        let t: TantivyDocument = searcher.doc(addr)?;
        let d = from_tantivy(f, &t);
        out.push((t, d));
    }
    Ok(out)
}

/// Every validity statement about `doc` in the index: the citations of
/// its number by documents acting on it (that [may name](may_name) it),
/// and its own passive citations ("được thay thế bởi ...").
pub fn gather(searcher: &Searcher, f: &Fields, doc: &Document) -> tantivy::Result<Vec<StatusEdge>> {
    let mut out = Vec::new();
    if let Some(key) = own_key(doc) {
        let term = Term::from_field_text(f.acts_on, &key);
        for (_, citing) in docs_with(searcher, f, term, MAX_ACTING)? {
            if citing.id == doc.id {
                continue;
            }
            for r in citing
                .refs
                .iter()
                .filter(|r| r.is_edge() && r.key.as_deref() == Some(key.as_str()))
                .filter(|r| may_name(r, doc))
            {
                if let Some(s) = statement_of(&citing, r) {
                    out.push(s);
                }
            }
        }
    }
    for r in doc.refs.iter().filter(|r| r.is_edge()) {
        let active = r.relation.passive();
        if active == r.relation || !super::is_statement(active) {
            continue;
        }
        let target = match &r.key {
            Some(k) => docs_with(searcher, f, Term::from_field_text(f.number_key, k), 16)?
                .into_iter()
                .map(|(_, d)| d)
                .find(|d| d.id != doc.id && may_name(r, d))
                .map(|d| d.id),
            None => None,
        };
        if let Some(s) = passive_statement(doc, r, target) {
            out.push(s);
        }
    }
    Ok(out)
}

/// What the writer records of each document it writes.
#[derive(Debug, Clone)]
pub struct Written {
    /// Its id.
    pub id: String,
    /// Its own number's key.
    pub key: Option<String>,
    /// The keys it makes validity statements about.
    pub acts_on: Vec<String>,
    /// It has passive citations that are statements about itself.
    pub passive: bool,
}

impl Written {
    /// The record of `doc`.
    pub fn of(doc: &Document) -> Written {
        Written {
            id: doc.id.clone(),
            key: own_key(doc),
            acts_on: schema::acts_on(doc)
                .into_iter()
                .map(str::to_string)
                .collect(),
            passive: doc.refs.iter().any(|r| {
                r.is_edge()
                    && r.relation.passive() != r.relation
                    && super::is_statement(r.relation.passive())
            }),
        }
    }
}

/// Recomputes the state of the documents `written` can have changed and
/// rewrites, through `writer`, those whose indexed state differs (the
/// caller commits). Returns how many were rewritten.
pub fn refresh_states(
    index: &tantivy::Index,
    writer: &mut IndexWriter,
    f: &Fields,
    written: &[Written],
) -> tantivy::Result<usize> {
    if written.is_empty() {
        return Ok(0);
    }
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?;
    let searcher = reader.searcher();
    let mut candidates: BTreeSet<String> = BTreeSet::new();
    let mut targets: BTreeSet<&str> = BTreeSet::new();
    for w in written {
        targets.extend(w.acts_on.iter().map(String::as_str));
        let acted_on = match &w.key {
            Some(k) => {
                searcher.search(
                    &TermQuery::new(
                        Term::from_field_text(f.acts_on, k),
                        IndexRecordOption::Basic,
                    ),
                    &Count,
                )? > 0
            }
            None => false,
        };
        if acted_on || w.passive {
            candidates.insert(w.id.clone());
        }
    }
    for key in targets {
        for (_, d) in docs_with(
            &searcher,
            f,
            Term::from_field_text(f.number_key, key),
            MAX_ACTING,
        )? {
            candidates.insert(d.id);
        }
    }
    let as_of = today();
    let mut changed = 0;
    for id in candidates {
        let Some((t, doc)) = docs_with(&searcher, f, Term::from_field_text(f.id, &id), 1)?
            .into_iter()
            .next()
        else {
            continue;
        };
        let statements = gather(&searcher, f, &doc)?;
        let state = compute(&doc, &statements, as_of).state;
        if first_str(&t, f.status).as_deref() == Some(state.as_str()) {
            continue;
        }
        let mentions = crate::index::mention_keys(&doc);
        let mut fresh = schema::to_tantivy(f, &doc, &mentions);
        for field in [f.hash, f.built] {
            if let Some(v) = first_str(&t, field) {
                fresh.add_text(field, v);
            }
        }
        fresh.add_text(f.status, state.as_str());
        writer.delete_term(Term::from_field_text(f.id, &id));
        writer.add_document(fresh)?;
        changed += 1;
    }
    if changed > 0 {
        tracing::info!(changed, "validity states rewritten");
    }
    Ok(changed)
}
