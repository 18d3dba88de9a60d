//! The validity status of a document and its history, computed from the
//! citation graph (issue 12).
//!
//! A document's state comes from statements: what it says of itself
//! (its own "có hiệu lực ..." sentence, read by [`refs::validity`], and a
//! page's own property "Tình trạng hiệu lực", given by an extractor in
//! the document's metadata: see [`SELF_STATED`]), and what later documents
//! in the corpus say of it (their citations with the relations
//! `replaces`, `repeals`, `suspends`, `terminates`, `amends`, `corrects`,
//! `consolidates`), plus its own citations with a passive relation
//! ("được thay thế bởi ..."). A page's own statement wins over inference;
//! a later statement wins over an earlier one; conflicting statements are
//! all listed in `by` and flagged.
//!
//! Pure: [`compute`] takes plain statements. Gathering them from an index
//! is [`gather`]'s job (one term query per document), used by the
//! document view (`search::graph`) and by the index writer, which keeps
//! the state as an indexed fast field and rewrites only the documents
//! whose state changed (`index::Indexer::finish`).
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::doc::{DocRef, Document};
use crate::refs::{self, DocNumber, Relation};

mod naming;
pub mod refresh;

pub use naming::may_name;
pub use refresh::{gather, refresh_states};

/// Metadata keys through which an extractor gives a page's own statement
/// of its status (a vbpl.vn property page: "Tình trạng hiệu lực: Còn hiệu
/// lực", "Ngày có hiệu lực", "Ngày hết hiệu lực"): the state as written,
/// and the dates as ISO or dd/mm/yyyy. The vbpl.vn reader of the
/// extractor (`extract/vbpl.rs`) fills them, through `doc/stated.rs`.
pub const SELF_STATED: [&str; 3] = ["validity", "effective", "expires"];

/// The state of a document.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Còn hiệu lực.
    InForce,
    /// Hết hiệu lực một phần: part of it replaced, repealed or ended.
    PartlyExpired,
    /// Hết hiệu lực (its own end date passed, or a later document says it
    /// has ended).
    Expired,
    /// Đã bị thay thế.
    Replaced,
    /// Đã bãi bỏ, hủy bỏ.
    Repealed,
    /// Ngưng hiệu lực, đình chỉ thi hành.
    Suspended,
    /// Chưa có hiệu lực.
    NotYetInForce,
    /// Nothing is known (a news page, a text without a number).
    Unknown,
}

impl State {
    /// Every state, in the order of the facet.
    pub const ALL: [State; 8] = [
        State::InForce,
        State::PartlyExpired,
        State::Expired,
        State::Replaced,
        State::Repealed,
        State::Suspended,
        State::NotYetInForce,
        State::Unknown,
    ];

    /// The name as serialized ("in_force").
    pub fn as_str(self) -> &'static str {
        match self {
            State::InForce => "in_force",
            State::PartlyExpired => "partly_expired",
            State::Expired => "expired",
            State::Replaced => "replaced",
            State::Repealed => "repealed",
            State::Suspended => "suspended",
            State::NotYetInForce => "not_yet_in_force",
            State::Unknown => "unknown",
        }
    }

    /// The Vietnamese label the page shows.
    pub fn label(self) -> &'static str {
        match self {
            State::InForce => "Còn hiệu lực",
            State::PartlyExpired => "Hết hiệu lực một phần",
            State::Expired => "Hết hiệu lực",
            State::Replaced => "Đã bị thay thế",
            State::Repealed => "Đã bãi bỏ",
            State::Suspended => "Ngưng hiệu lực",
            State::NotYetInForce => "Chưa có hiệu lực",
            State::Unknown => "Chưa rõ",
        }
    }

    /// The state named `s` ("in_force", or a Vietnamese label as a page
    /// states it: "Còn hiệu lực", "Hết hiệu lực toàn bộ" ...).
    pub fn parse(s: &str) -> Option<State> {
        let f = crate::text::fold(s.trim()).replace(['-', ' '], "_");
        let by_name = State::ALL.into_iter().find(|st| st.as_str() == f);
        by_name.or_else(|| {
            let f = f.replace('_', " ");
            Some(match f.as_str() {
                "con hieu luc" | "dang co hieu luc" | "con hieu luc thi hanh" => State::InForce,
                "het hieu luc mot phan" => State::PartlyExpired,
                "het hieu luc" | "het hieu luc toan bo" => State::Expired,
                "da bi thay the" | "bi thay the" => State::Replaced,
                "da bai bo" | "bi bai bo" | "da huy bo" | "bi huy bo" => State::Repealed,
                "ngung hieu luc" | "tam ngung hieu luc" | "ngung hieu luc toan bo" => {
                    State::Suspended
                }
                "chua co hieu luc" => State::NotYetInForce,
                "chua ro" | "khong xac dinh" => State::Unknown,
                _ => return None,
            })
        })
    }
}

impl std::fmt::Display for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One statement about a document's validity by another document (or by
/// itself, through a passive citation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StatusEdge {
    /// The indexed document that makes it (or that the document names as
    /// acting on it); `None` when that document is not indexed.
    pub id: Option<String>,
    /// Its number.
    pub number: Option<String>,
    /// What it does, in the active form: `replaces`, `repeals`,
    /// `suspends`, `terminates`, `amends`, `corrects`, `consolidates`.
    pub relation: Relation,
    /// When: the acting document's date of effect, else of issue.
    pub date: Option<NaiveDate>,
    /// The sentence that states it.
    pub evidence: String,
    /// Only part of the document is concerned ("bãi bỏ Điều 5 ...").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
}

/// A document's status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Status {
    /// The state.
    pub state: State,
    /// When it took effect, when known.
    pub effective: Option<NaiveDate>,
    /// When it ends or ended, when known.
    pub expires: Option<NaiveDate>,
    /// The documents that replaced, repealed, suspended or ended it (all
    /// of them or part of it), oldest first.
    pub by: Vec<StatusEdge>,
    /// The documents that amended, corrected or consolidated it, oldest
    /// first.
    pub amended_by: Vec<StatusEdge>,
    /// The sentences that state `effective` and `expires`, and the page's
    /// own statement, when there are.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    /// The statements in `by` disagree (say replaced and repealed, or a
    /// page's own statement against a later document): the latest wins,
    /// all are listed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub conflicting: bool,
}

impl Default for Status {
    fn default() -> Status {
        Status {
            state: State::Unknown,
            effective: None,
            expires: None,
            by: Vec::new(),
            amended_by: Vec::new(),
            evidence: Vec::new(),
            conflicting: false,
        }
    }
}

/// One entry of a document's history: a later document relating to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct HistoryEntry {
    /// Its date (issued, else published).
    pub date: Option<NaiveDate>,
    /// Its id.
    pub id: String,
    /// Its number.
    pub number: Option<String>,
    /// What it does with the document.
    pub relation: String,
}

/// Which list a relation's statement goes to.
fn ends(r: Relation) -> Option<State> {
    Some(match r {
        Relation::Replaces => State::Replaced,
        Relation::Repeals => State::Repealed,
        Relation::Suspends => State::Suspended,
        Relation::Terminates => State::Expired,
        _ => return None,
    })
}

fn amends(r: Relation) -> bool {
    matches!(
        r,
        Relation::Amends | Relation::Corrects | Relation::Consolidates
    )
}

/// Whether a relation (in the active form) is a statement about validity.
pub fn is_statement(r: Relation) -> bool {
    ends(r).is_some() || amends(r)
}

/// A date as a page writes it: ISO or dd/mm/yyyy.
fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    s.parse()
        .ok()
        .or_else(|| NaiveDate::parse_from_str(s, "%d/%m/%Y").ok())
}

/// The status of `doc` on `as_of`, from `statements` (in any order; the
/// ones dated after `as_of` are left out).
pub fn compute(doc: &Document, statements: &[StatusEdge], as_of: NaiveDate) -> Status {
    let own = refs::validity(&doc.body, doc.issued);
    let meta = |k: &str| doc.metadata.get(k).and_then(|v| v.as_str());
    let stated_state = meta(SELF_STATED[0]).and_then(State::parse);
    let mut evidence = Vec::new();
    if let Some(s) = meta(SELF_STATED[0]) {
        evidence.push(format!("Tình trạng hiệu lực: {s}"));
    }
    let effective = meta(SELF_STATED[1]).and_then(parse_date).or_else(|| {
        own.effective.as_ref().map(|s| {
            evidence.push(s.evidence.clone());
            s.date
        })
    });
    let expires = meta(SELF_STATED[2]).and_then(parse_date).or_else(|| {
        own.expires.as_ref().map(|s| {
            evidence.push(s.evidence.clone());
            s.date
        })
    });
    let mut by: Vec<StatusEdge> = Vec::new();
    let mut amended_by: Vec<StatusEdge> = Vec::new();
    for s in statements {
        if s.date.is_some_and(|d| d > as_of) {
            continue;
        }
        let list = if ends(s.relation).is_some() {
            &mut by
        } else if amends(s.relation) {
            &mut amended_by
        } else {
            continue;
        };
        // One entry per acting document and relation.
        if !list
            .iter()
            .any(|e| e.relation == s.relation && e.partial == s.partial && same_actor(e, s))
        {
            list.push(s.clone());
        }
    }
    // Oldest first; undated ones first (they are the least known).
    let order = |e: &StatusEdge| (e.date, e.number.clone());
    by.sort_by_key(order);
    amended_by.sort_by_key(order);
    let whole: Vec<&StatusEdge> = by.iter().filter(|e| !e.partial).collect();
    let inferred = whole
        .last()
        .and_then(|e| ends(e.relation))
        .or_else(|| (!by.is_empty()).then_some(State::PartlyExpired));
    let mut kinds: Vec<State> = whole.iter().filter_map(|e| ends(e.relation)).collect();
    kinds.dedup();
    let mut conflicting = kinds.len() > 1;
    let today_view = as_of >= crate::status::today();
    let state = match (stated_state.filter(|_| today_view), inferred) {
        (Some(page), Some(graph)) => {
            conflicting |= page != graph && page != State::PartlyExpired;
            page
        }
        (Some(page), None) => page,
        (None, Some(graph)) => graph,
        (None, None) => {
            if expires.is_some_and(|d| d < as_of) {
                State::Expired
            } else if effective.or(doc.issued).is_some_and(|d| d > as_of) {
                State::NotYetInForce
            } else if doc.number.is_some() || effective.is_some() {
                State::InForce
            } else {
                State::Unknown
            }
        }
    };
    Status {
        state,
        effective,
        expires,
        by,
        amended_by,
        evidence,
        conflicting,
    }
}

fn same_actor(a: &StatusEdge, b: &StatusEdge) -> bool {
    match (&a.id, &b.id) {
        (Some(x), Some(y)) => x == y,
        _ => a.number.is_some() && a.number == b.number,
    }
}

/// The statement a citation in `citing` makes about the document it
/// cites (relation in the active form), if it is one.
pub fn statement_of(citing: &Document, cite: &DocRef) -> Option<StatusEdge> {
    if !is_statement(cite.relation) {
        return None;
    }
    Some(StatusEdge {
        id: Some(citing.id.clone()),
        number: citing.number.clone(),
        relation: cite.relation,
        date: date_of_effect(citing),
        evidence: refs::sentence_around(&citing.body, cite.start, cite.end),
        partial: cite.partial,
    })
}

/// The statement a document makes about itself through a passive
/// citation ("được thay thế bởi Quyết định số ..."): the acting
/// document is the cited one (`target_id` when indexed).
pub fn passive_statement(
    doc: &Document,
    cite: &DocRef,
    target_id: Option<String>,
) -> Option<StatusEdge> {
    let active = cite.relation.passive();
    if cite.relation == active || !is_statement(active) {
        return None;
    }
    Some(StatusEdge {
        id: target_id,
        number: Some(cite.number.clone()),
        relation: active,
        date: cite.date,
        evidence: refs::sentence_around(&doc.body, cite.start, cite.end),
        partial: cite.partial,
    })
}

/// When a document took effect: its own statement, else its date.
pub fn date_of_effect(doc: &Document) -> Option<NaiveDate> {
    refs::validity(&doc.body, doc.issued)
        .effective
        .map(|s| s.date)
        .or_else(|| doc.date())
}

/// Today, in UTC.
pub fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

/// The match key of a document's own number.
pub fn own_key(doc: &Document) -> Option<String> {
    doc.number
        .as_deref()
        .and_then(|n| n.parse::<DocNumber>().ok())
        .map(|n| n.key())
}

#[cfg(test)]
mod tests;
