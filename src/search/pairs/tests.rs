//! Pair scores checked against tantivy's own phrase queries, and the
//! ranking they are for.
use super::*;
use crate::index::{analyzer, schema};
use crate::search::query;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BoostQuery, PhraseQuery};
use tantivy::{Index, IndexWriter, TantivyDocument};

/// An index of `texts` as title and body (title: the first three words),
/// committed in two segments.
fn index(texts: &[&str]) -> (Index, schema::Fields) {
    let index = Index::create_in_ram(schema::schema());
    analyzer::register_analyzers(&index);
    let f = schema::Fields::new(&index.schema()).unwrap();
    let mut w: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
    for (i, t) in texts.iter().enumerate() {
        let mut d = TantivyDocument::default();
        let title: Vec<&str> = t.split_whitespace().take(3).collect();
        d.add_text(f.body, t);
        d.add_text(f.title_folded, title.join(" "));
        d.add_text(f.body_folded, t);
        w.add_document(d).unwrap();
        if i == texts.len() / 2 {
            w.commit().unwrap();
        }
    }
    w.commit().unwrap();
    (index, f)
}

/// The text of the document at `a`.
fn text(s: &Searcher, f: &schema::Fields, a: DocAddress) -> String {
    let d: TantivyDocument = s.doc(a).unwrap();
    schema::first_str(&d, f.body).unwrap().to_string()
}

/// Every document of the index with score 0.
fn every_doc(s: &Searcher) -> Vec<(f32, DocAddress)> {
    let mut out = Vec::new();
    for (ord, r) in s.segment_readers().iter().enumerate() {
        for d in 0..r.max_doc() {
            out.push((0.0, DocAddress::new(ord as u32, d)));
        }
    }
    out
}

const TEXTS: &[&str] = &[
    "Công tác dân vận của Đảng trong tình hình mới",
    "Vận động người dân tham gia công tác bảo vệ môi trường",
    "dân vận dân vận khéo thì việc gì cũng thành công",
    "Công tác tổ chức cán bộ; công tác dân tộc; công tác vận động",
    "Nghị quyết về công tác dân vận và công tác dân tộc",
    "bán đất nền, rao bán đất",
    "người bạn cũ và mảnh đất",
];

/// The documents holding the phrase `a b` in `field`, by tantivy.
fn phrase_df(s: &Searcher, field: Field, a: &str, b: &str) -> u64 {
    let terms = vec![
        Term::from_field_text(field, a),
        Term::from_field_text(field, b),
    ];
    s.search(&PhraseQuery::new(terms), &Count).unwrap() as u64
}

#[test]
fn sampled_doc_freq_is_exact_up_to_the_sample() {
    let (index, f) = index(TEXTS);
    let s = index.reader().unwrap().searcher();
    let field = f.body_folded;
    for (a, b) in [
        ("cong", "tac"),
        ("tac", "dan"),
        ("dan", "van"),
        ("van", "dan"),
        ("ban", "dat"),
    ] {
        let (ta, tb) = (
            Term::from_field_text(field, a),
            Term::from_field_text(field, b),
        );
        let (da, db) = (s.doc_freq(&ta).unwrap(), s.doc_freq(&tb).unwrap());
        let exact = phrase_df(&s, field, a, b);
        assert_eq!(
            sampled_df(&s, &ta, &tb, da, db, 100).unwrap(),
            exact,
            "{a} {b}"
        );
        // A sample of one document: an estimate between 1 and the rarer
        // word's document frequency.
        let est = sampled_df(&s, &ta, &tb, da, db, 1).unwrap();
        assert!((1..=da.min(db)).contains(&est), "{a} {b}: {est}");
    }
    // Texts 0, 1, 3 and 4.
    assert_eq!(phrase_df(&s, field, "cong", "tac"), 4);
}

#[test]
fn pair_scores_are_bm25_of_the_phrase_frequency() {
    let (index, f) = index(TEXTS);
    let s = index.reader().unwrap().searcher();
    let p = query::parse("công tác dân vận công tác").unwrap();
    let pairs = Pairs::of(&p, 0.6);
    let got = pairs
        .rescore(&s, &s, &[(f.body_folded, 1.0)], every_doc(&s))
        .unwrap();
    // tantivy's phrase query scores with the sum of its words' idf: its
    // score, scaled to the idf of the pair's own document frequency,
    // summed per document.
    let total = s.num_docs();
    let idf = |df: u64| Bm25Weight::for_one_term_without_explain(df, total, 1.0).score(0, 1);
    let mut want: std::collections::HashMap<DocAddress, f32> = Default::default();
    for (a, b, boost) in pairs.list() {
        let df = phrase_df(&s, f.body_folded, a, b).max(1);
        {
            let field = f.body_folded;
            let terms = vec![
                Term::from_field_text(field, a),
                Term::from_field_text(field, b),
            ];
            let (da, db) = (
                s.doc_freq(&terms[0]).unwrap(),
                s.doc_freq(&terms[1]).unwrap(),
            );
            if da == 0 || db == 0 {
                continue;
            }
            let words = idf(da) + idf(db);
            let q = BoostQuery::new(Box::new(PhraseQuery::new(terms)), boost);
            for (score, addr) in s
                .search(&q, &TopDocs::with_limit(100).order_by_score())
                .unwrap()
            {
                *want.entry(addr).or_default() += score * idf(df) / words;
            }
        }
    }
    assert!(want.len() >= 3, "{want:?}");
    for (score, addr) in &got {
        let w = want.get(addr).copied().unwrap_or(0.0);
        assert!(
            (score - w).abs() < 1e-4 * w.max(1.0),
            "{addr:?}: {score} vs {w}"
        );
    }
    // Best first; "công tác" typed twice counts twice.
    assert!(got.windows(2).all(|w| w[0].0 >= w[1].0));
    assert!(got[0].0 > 0.0);
    assert_eq!(pairs.list().next(), Some(("cong", "tac", 1.2)));
}

#[test]
fn words_together_rank_above_the_same_words_apart() {
    // The same words, the same length: only their order differs.
    let (index, f) = index(&["vận tốt dân", "dân vận tốt", "tốt vận dân"]);
    let s = index.reader().unwrap().searcher();
    let pairs = Pairs::of(&query::parse("dân vận").unwrap(), 0.6);
    let got = pairs
        .rescore(&s, &s, &[(f.body_folded, 1.0)], every_doc(&s))
        .unwrap();
    assert_eq!(text(&s, &f, got[0].1), "dân vận tốt");
    assert!(got[0].0 > 0.0);
    // Reversed ("vận dân") is not the pair typed.
    assert_eq!(got[1].0, 0.0);
    assert_eq!(got[2].0, 0.0);
    // Unaccented and accented queries fold to the same pair.
    let bare = Pairs::of(&query::parse("dan van").unwrap(), 0.6);
    assert_eq!(bare, pairs);
}

#[test]
fn pairs_never_add_candidates() {
    let (index, f) = index(TEXTS);
    let s = index.reader().unwrap().searcher();
    let pairs = Pairs::of(&query::parse("bán đất").unwrap(), 0.6);
    // One candidate (say, the only one with "bán"): the folded pair scores
    // it, and the page with "bạn ... đất" never comes in.
    let one: Vec<_> = every_doc(&s)
        .into_iter()
        .filter(|d| text(&s, &f, d.1).starts_with("bán"))
        .collect();
    assert_eq!(one.len(), 1);
    let got = pairs
        .rescore(&s, &s, &[(f.body_folded, 1.0)], one.clone())
        .unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].1, one[0].1);
    assert!(got[0].0 > 0.0, "bán đất is in the body twice");
}

#[test]
fn a_query_of_one_word_or_none_has_no_pairs() {
    assert!(Pairs::of(&query::parse("dân").unwrap(), 1.0).is_empty());
    assert!(Pairs::of(&query::parse("").unwrap(), 1.0).is_empty());
    // A pair typed twice counts twice.
    let p = Pairs::of(&query::parse("dân vận dân vận").unwrap(), 1.0);
    let list: Vec<_> = p.list().collect();
    assert_eq!(list, [("dan", "van", 2.0), ("van", "dan", 1.0)]);
}

#[test]
fn adjacent_counts_successors() {
    assert_eq!(adjacent(&[0, 5, 9], &[1, 6, 7, 10]), 3);
    assert_eq!(adjacent(&[0, 5, 9], &[0, 5, 9]), 0);
    // The same word twice in a row: "dân dân dân" has two.
    assert_eq!(adjacent(&[3, 4, 5], &[3, 4, 5]), 2);
    assert_eq!(adjacent(&[], &[1]), 0);
}
