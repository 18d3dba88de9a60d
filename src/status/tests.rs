//! `compute` on plain statements: precedence of the page's own statement,
//! later statements, partial ones, dates.
use chrono::NaiveDate;

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn doc(number: Option<&str>, body: &str) -> Document {
    Document {
        number: number.map(str::to_string),
        issued: Some(d(2010, 1, 1)),
        body: body.into(),
        ..Document::default()
    }
}

fn edge(id: &str, relation: Relation, date: NaiveDate, partial: bool) -> StatusEdge {
    StatusEdge {
        id: Some(id.into()),
        number: Some(format!("{id}-CT/TU")),
        relation,
        date: Some(date),
        evidence: format!("{id} {relation}"),
        partial,
    }
}

#[test]
fn states_parse_from_names_and_labels() {
    for st in State::ALL {
        assert_eq!(State::parse(st.as_str()), Some(st));
        assert_eq!(State::parse(st.label()), Some(st), "{}", st.label());
    }
    assert_eq!(State::parse("Hết hiệu lực toàn bộ"), Some(State::Expired));
    assert_eq!(State::parse("CÒN HIỆU LỰC"), Some(State::InForce));
    assert_eq!(State::parse("không biết"), None);
}

#[test]
fn untouched_numbered_documents_are_in_force_and_pages_unknown() {
    let today = d(2024, 1, 1);
    assert_eq!(
        compute(&doc(Some("1-CT/TU"), ""), &[], today).state,
        State::InForce
    );
    assert_eq!(
        compute(&doc(None, "Tin tức"), &[], today).state,
        State::Unknown
    );
}

#[test]
fn the_latest_whole_statement_wins_partial_ones_make_partly_expired() {
    let today = d(2024, 1, 1);
    let x = doc(Some("1-CT/TU"), "");
    let s = [
        edge("b", Relation::Repeals, d(2019, 1, 1), false),
        edge("a", Relation::Replaces, d(2015, 1, 1), false),
        edge("c", Relation::Amends, d(2012, 1, 1), true),
    ];
    let st = compute(&x, &s, today);
    assert_eq!(st.state, State::Repealed);
    assert!(st.conflicting);
    assert_eq!(
        st.by
            .iter()
            .map(|e| e.id.as_deref().unwrap())
            .collect::<Vec<_>>(),
        ["a", "b"]
    );
    assert_eq!(st.amended_by.len(), 1);
    assert_eq!(compute(&x, &s, d(2016, 1, 1)).state, State::Replaced);
    assert_eq!(compute(&x, &s, d(2013, 1, 1)).state, State::InForce);
    let partial = [edge("p", Relation::Repeals, d(2019, 1, 1), true)];
    assert_eq!(compute(&x, &partial, today).state, State::PartlyExpired);
    // The same statement twice (a document citing it twice) is listed once.
    let twice = [
        edge("a", Relation::Replaces, d(2015, 1, 1), false),
        edge("a", Relation::Replaces, d(2015, 1, 1), false),
    ];
    assert_eq!(compute(&x, &twice, today).by.len(), 1);
}

#[test]
fn the_page_statement_wins_and_a_disagreement_is_flagged() {
    let mut x = doc(Some("1-CT/TU"), "");
    x.metadata.insert("validity".into(), "Còn hiệu lực".into());
    x.metadata.insert("effective".into(), "01/02/2010".into());
    let today = today();
    let st = compute(&x, &[], today);
    assert_eq!(
        (st.state, st.effective),
        (State::InForce, Some(d(2010, 2, 1)))
    );
    assert_eq!(st.evidence, ["Tình trạng hiệu lực: Còn hiệu lực"]);
    let s = [edge("b", Relation::Repeals, d(2019, 1, 1), false)];
    let st = compute(&x, &s, today);
    assert_eq!(st.state, State::InForce);
    assert!(st.conflicting);
    // On a past day the page's (present) statement does not apply.
    assert_eq!(compute(&x, &s, d(2020, 1, 1)).state, State::Repealed);
}

#[test]
fn own_dates() {
    let x = doc(
        Some("1-CT/TU"),
        "Chỉ thị này có hiệu lực từ ngày 01/3/2010 và hết hiệu lực kể từ ngày 31/12/2012.",
    );
    assert_eq!(compute(&x, &[], d(2010, 2, 1)).state, State::NotYetInForce);
    assert_eq!(compute(&x, &[], d(2011, 2, 1)).state, State::InForce);
    let st = compute(&x, &[], d(2013, 2, 1));
    assert_eq!(
        (st.state, st.expires),
        (State::Expired, Some(d(2012, 12, 31)))
    );
    assert_eq!(st.evidence.len(), 2);
}
