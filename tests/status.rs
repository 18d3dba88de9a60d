//! Validity status and history (issue 12) on `fixtures/status/`: one
//! small document per relation kind, expectations checked by hand against
//! the texts (see `fixtures/status/README.md`).
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use chrono::NaiveDate;
use vanban::doc::{Document, doc_id};
use vanban::refs::Relation;
use vanban::search::{DocumentView, Engine, Request};
use vanban::status::State;

use crate::util::{Data, repo};

struct Fixture {
    data: Data,
    /// File stem → document id.
    ids: BTreeMap<String, String>,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let data = Data::new();
        let r = data.ingest(&[repo("fixtures/status")]);
        assert!(r.inserted >= 15 && r.failed == 0, "{r:?}");
        let engine = data.engine();
        let mut ids = BTreeMap::new();
        for hit in engine
            .search(&Request {
                limit: 100,
                ..Default::default()
            })
            .unwrap()
            .hits
        {
            let stem = PathBuf::from(&hit.source)
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .to_string();
            ids.insert(stem, hit.id);
        }
        Fixture { data, ids }
    })
}

impl Fixture {
    fn id(&self, stem: &str) -> &str {
        self.ids
            .get(stem)
            .unwrap_or_else(|| panic!("{stem} not indexed: {:?}", self.ids.keys()))
    }
    fn view(&self, engine: &Engine, stem: &str, as_of: Option<NaiveDate>) -> DocumentView {
        engine
            .document_view_as_of(self.id(stem), as_of)
            .unwrap()
            .expect("a document")
    }
    fn stem_of(&self, id: &str) -> &str {
        self.ids
            .iter()
            .find(|(_, v)| v.as_str() == id)
            .map(|(k, _)| k.as_str())
            .unwrap_or("?")
    }
}

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// (state, [(acting file, relation, partial)] of `by`, of `amended_by`).
type Expected = (
    State,
    &'static [(&'static str, Relation, bool)],
    &'static [(&'static str, Relation, bool)],
);

#[test]
fn each_relation_kind_gives_its_state() {
    let f = fixture();
    let engine = f.data.engine();
    use Relation::*;
    let cases: &[(&str, Expected)] = &[
        (
            "ct-01-tu-2010",
            (State::Replaced, &[("ct-09-tu-2018", Replaces, false)], &[]),
        ),
        ("ct-09-tu-2018", (State::InForce, &[], &[])),
        (
            "qd-12-tu-2012",
            (
                State::PartlyExpired,
                &[("qd-44-tu-2020", Repeals, true)],
                &[("qd-30-tu-2016", Amends, true)],
            ),
        ),
        (
            "kh-05-ubnd-2015",
            (
                State::Repealed,
                &[
                    ("kh-11-ubnd-2016", Replaces, false),
                    ("qd-77-ubnd-2017", Repeals, false),
                ],
                &[],
            ),
        ),
        (
            "qd-60-ubnd-2021",
            (
                State::Suspended,
                &[("qd-88-ubnd-2021", Suspends, false)],
                &[("qd-61-ubnd-2021", Corrects, false)],
            ),
        ),
        (
            "ct-02-tu-2011",
            (State::Expired, &[("kl-15-tu-2019", Terminates, false)], &[]),
        ),
        ("hd-03-bdvtu-2019", (State::Expired, &[], &[])),
        ("qd-90-ubnd-2026", (State::NotYetInForce, &[], &[])),
        ("qd-77-ubnd-2017", (State::InForce, &[], &[])),
    ];
    for (stem, (state, by, amended)) in cases {
        let v = f.view(&engine, stem, None);
        let got = |list: &[vanban::status::StatusEdge]| -> Vec<(String, Relation, bool)> {
            list.iter()
                .map(|e| {
                    let who = e.id.as_deref().map_or("?", |id| f.stem_of(id)).to_string();
                    (who, e.relation, e.partial)
                })
                .collect()
        };
        let want = |list: &[(&str, Relation, bool)]| -> Vec<(String, Relation, bool)> {
            list.iter()
                .map(|(s, r, p)| (s.to_string(), *r, *p))
                .collect()
        };
        assert_eq!(v.status.state, *state, "{stem}: {:#?}", v.status);
        assert_eq!(got(&v.status.by), want(by), "{stem}: by");
        assert_eq!(
            got(&v.status.amended_by),
            want(amended),
            "{stem}: amended_by"
        );
        // Every statement carries its sentence, naming the document.
        for e in v.status.by.iter().chain(&v.status.amended_by) {
            let number = v.document.number.as_deref().unwrap();
            assert!(
                e.evidence.contains(number),
                "{stem}: evidence {:?}",
                e.evidence
            );
        }
        // The indexed state (hits, filters, facets) is the view's.
        assert_eq!(
            engine.state_of(f.id(stem)).unwrap(),
            Some(*state),
            "{stem}: indexed state"
        );
    }
}

#[test]
fn dates_of_effect_and_end() {
    let f = fixture();
    let engine = f.data.engine();
    let v = f.view(&engine, "ct-09-tu-2018", None);
    assert_eq!(
        v.status.effective,
        date(2018, 4, 10),
        "có hiệu lực kể từ ngày ký"
    );
    let v = f.view(&engine, "hd-03-bdvtu-2019", None);
    assert_eq!(
        (v.status.effective, v.status.expires),
        (date(2019, 3, 4), date(2020, 12, 31))
    );
    assert!(
        v.status
            .evidence
            .iter()
            .any(|e| e.contains("hết hiệu lực kể từ ngày 31/12/2020"))
    );
    let v = f.view(&engine, "qd-90-ubnd-2026", None);
    assert_eq!(v.status.effective, date(2099, 1, 1));
    // The replacing statement is dated by the replacing document's effect.
    let v = f.view(&engine, "ct-01-tu-2010", None);
    assert_eq!(v.status.by[0].date, date(2018, 4, 10));
    assert_eq!(v.status.by[0].number.as_deref(), Some("09-CT/TU"));
}

#[test]
fn a_later_statement_wins_and_conflicts_are_shown() {
    let f = fixture();
    let engine = f.data.engine();
    let v = f.view(&engine, "kh-05-ubnd-2015", None);
    assert!(v.status.conflicting, "{:#?}", v.status);
    // On past days: before anything, in force; after the replacement and
    // before the repeal, replaced; the hearing history stops there too.
    let at = |d| f.view(&engine, "kh-05-ubnd-2015", d);
    assert_eq!(at(date(2015, 12, 31)).status.state, State::InForce);
    let mid = at(date(2016, 6, 1));
    assert_eq!(mid.status.state, State::Replaced);
    assert!(!mid.status.conflicting);
    assert_eq!(mid.history.len(), 1);
    assert_eq!(at(date(2018, 1, 1)).status.state, State::Repealed);
    // Suspended after 10/5/2021, corrected before.
    let v = f.view(&engine, "qd-60-ubnd-2021", date(2021, 4, 1));
    assert_eq!(v.status.state, State::InForce);
    assert_eq!(v.status.amended_by.len(), 1);
    // hd-03 was in force on its last day, expired the day after.
    let h = |d| f.view(&engine, "hd-03-bdvtu-2019", d).status.state;
    assert_eq!(h(date(2020, 12, 31)), State::InForce);
    assert_eq!(h(date(2021, 1, 1)), State::Expired);
}

#[test]
fn history_oldest_first_from_the_cited_by_edges() {
    let f = fixture();
    let engine = f.data.engine();
    let v = f.view(&engine, "kh-05-ubnd-2015", None);
    let h: Vec<(Option<NaiveDate>, &str, &str)> = v
        .history
        .iter()
        .map(|e| (e.date, f.stem_of(&e.id), e.relation.as_str()))
        .collect();
    assert_eq!(
        h,
        [
            (date(2016, 2, 3), "kh-11-ubnd-2016", "replaces"),
            (date(2017, 9, 8), "qd-77-ubnd-2017", "repeals"),
        ]
    );
    // The same edges as cited_by, in the other order.
    let mut ids: Vec<&str> = v.cited_by.iter().map(|r| r.id.as_str()).collect();
    ids.reverse();
    assert_eq!(
        ids,
        v.history.iter().map(|e| e.id.as_str()).collect::<Vec<_>>()
    );
    let v = f.view(&engine, "qd-12-tu-2012", None);
    let rels: Vec<&str> = v.history.iter().map(|e| e.relation.as_str()).collect();
    assert_eq!(rels, ["amends", "repeals"]);
    let v = f.view(&engine, "ct-09-tu-2018", None);
    assert_eq!(v.history.len(), 1);
    assert_eq!(f.stem_of(&v.history[0].id), "hd-03-bdvtu-2019");
    assert_eq!(v.history[0].relation, "implements");
}

#[test]
fn status_filters_facets_and_hits() {
    let f = fixture();
    let engine = f.data.engine();
    let stems = |st: State| -> Vec<String> {
        let mut v: Vec<String> = engine
            .search(&Request {
                status: Some(st),
                limit: 100,
                ..Default::default()
            })
            .unwrap()
            .hits
            .iter()
            .map(|h| {
                assert_eq!(h.status, Some(st));
                f.stem_of(&h.id).to_string()
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(stems(State::Replaced), ["ct-01-tu-2010"]);
    assert_eq!(stems(State::Repealed), ["kh-05-ubnd-2015"]);
    assert_eq!(stems(State::Expired), ["ct-02-tu-2011", "hd-03-bdvtu-2019"]);
    assert_eq!(stems(State::Suspended), ["qd-60-ubnd-2021"]);
    assert_eq!(stems(State::PartlyExpired), ["qd-12-tu-2012"]);
    assert_eq!(stems(State::NotYetInForce), ["qd-90-ubnd-2026"]);
    let facets = engine.facets(&Request::default()).unwrap();
    assert_eq!(facets.status.get("replaced"), Some(&1));
    assert_eq!(
        facets.status.get("in_force"),
        Some(&8),
        "{:?}",
        facets.status
    );
    // A replaced document stays findable, and its hit says so.
    let r = engine
        .search(&Request {
            q: "tăng cường công tác dân vận ở cơ sở".into(),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    let hit = r
        .hits
        .iter()
        .find(|h| f.stem_of(&h.id) == "ct-01-tu-2010")
        .expect("found");
    assert_eq!(hit.status, Some(State::Replaced));
}

/// A document arriving later changes the state of the one it acts on;
/// only that one is rewritten.
#[test]
fn only_documents_whose_state_changed_are_rewritten() {
    let data = Data::new();
    let dir = data.tmp.path().join("first");
    std::fs::create_dir_all(&dir).unwrap();
    for stem in ["ct-02-tu-2011", "ct-01-tu-2010", "qd-60-ubnd-2021"] {
        std::fs::copy(
            repo(&format!("fixtures/status/{stem}.txt")),
            dir.join(format!("{stem}.txt")),
        )
        .unwrap();
    }
    data.ingest(std::slice::from_ref(&dir));
    let engine = data.engine();
    let ct02 = engine
        .documents_numbered("02-ct/tu")
        .unwrap()
        .pop()
        .expect("ct-02");
    assert_eq!(engine.state_of(&ct02.id).unwrap(), Some(State::InForce));
    // kl-15 arrives: it ends ct-02.
    let body = std::fs::read_to_string(repo("fixtures/status/kl-15-tu-2019.txt")).unwrap();
    let title = body.lines().nth(1).unwrap().to_string();
    let ident = vanban::refs::identify(&title, &body);
    let doc = Document {
        id: doc_id("kl-15"),
        source: "kl-15".into(),
        refs: vanban::refs::citations(&body, ident.number.as_ref()).refs,
        number: ident.number.map(|n| n.to_string()),
        kind: ident.kind,
        issued: ident.issued,
        title,
        body,
        ..Document::default()
    };
    let handle = vanban::index::IndexHandle::open_live(&data.dd)
        .unwrap()
        .unwrap();
    let mut w = handle.writer().unwrap();
    w.upsert(&doc).unwrap();
    assert_eq!(w.refresh_states().unwrap(), 1, "ct-02 alone is rewritten");
    // Nothing new: nothing rewritten.
    assert_eq!(w.refresh_states().unwrap(), 0);
    w.finish().unwrap();
    let engine = data.engine();
    assert_eq!(engine.state_of(&ct02.id).unwrap(), Some(State::Expired));
    assert_eq!(engine.state_of(&doc.id).unwrap(), Some(State::InForce));
    let n = engine.num_docs();
    assert_eq!(n, 4, "a rewrite replaces, never duplicates");
}
