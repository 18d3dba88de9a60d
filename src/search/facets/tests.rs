//! Facet counts checked against a count of stored values done one by one.
use super::*;
use tantivy::collector::DocSetCollector;
use tantivy::query::{AllQuery, Query, TermQuery};
use tantivy::schema::{
    FAST, INDEXED, IndexRecordOption, OwnedValue, STORED, STRING, Schema, TantivyDocument, Value,
};
use tantivy::{Index, IndexWriter, Term, doc};

struct Fixture {
    index: Index,
    tag: tantivy::schema::Field,
}

/// An index of `segments` segments; document `i` has a kind unless
/// `i % 5 == 0`, 0 to 2 issuers (one repeated), a year unless
/// `i % 7 == 0`, a status, and the tag "odd" or "even". Every 9th
/// document is deleted.
fn fixture(docs: u64, segments: u64) -> Fixture {
    let mut b = Schema::builder();
    let kind = b.add_text_field(schema::KIND, STRING | STORED | FAST);
    let issuers = b.add_text_field(schema::ISSUERS, STRING | STORED | FAST);
    let year = b.add_u64_field(schema::YEAR, INDEXED | STORED | FAST);
    let status = b.add_text_field(schema::STATUS, STRING | STORED | FAST);
    let tag = b.add_text_field("tag", STRING | STORED);
    let id = b.add_u64_field("id", INDEXED);
    let index = Index::create_in_ram(b.build());
    let mut w: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
    let per = docs.div_ceil(segments);
    for i in 0..docs {
        let mut d = TantivyDocument::default();
        d.add_u64(id, i);
        d.add_text(tag, if i % 2 == 1 { "odd" } else { "even" });
        if i % 5 != 0 {
            d.add_text(
                kind,
                ["Nghị định", "Quyết định", "Chỉ thị"][(i % 3) as usize],
            );
        }
        for j in 0..(i % 3) {
            d.add_text(issuers, format!("Bộ {}", (i + j) % 4));
        }
        if i % 11 == 3 {
            // The same issuer twice: the document counts once for it.
            d.add_text(issuers, format!("Bộ {}", i % 4));
        }
        if i % 7 != 0 {
            d.add_u64(year, 1990 + i % 13);
        }
        d.add_text(status, ["in_force", "replaced"][(i % 2) as usize]);
        w.add_document(d).unwrap();
        if (i + 1) % per == 0 {
            w.commit().unwrap();
        }
    }
    w.commit().unwrap();
    for i in (0..docs).step_by(9) {
        w.delete_term(Term::from_field_u64(id, i));
    }
    w.commit().unwrap();
    Fixture { index, tag }
}

/// The reference: the matching documents' stored values, counted one
/// by one.
fn reference(searcher: &Searcher, q: &dyn Query) -> Facets {
    let schema = searcher.schema();
    let field = |n: &str| schema.get_field(n).unwrap();
    let mut out = Facets::default();
    for addr in searcher.search(q, &DocSetCollector).unwrap() {
        let d: TantivyDocument = searcher.doc(addr).unwrap();
        for facet in FACETS {
            let mut seen = BTreeSet::new();
            for v in d.get_all(field(facet.field())) {
                let label = match OwnedValue::from(v.as_value()) {
                    OwnedValue::Str(s) => s,
                    OwnedValue::U64(n) => n.to_string(),
                    other => panic!("{other:?}"),
                };
                if seen.insert(label.clone()) {
                    *facet.slot(&mut out).entry(label).or_default() += 1;
                }
            }
        }
    }
    out
}

fn counted(searcher: &Searcher, q: &dyn Query) -> Facets {
    let c = FacetCollector::new(searcher, &OrdinalCache::default()).unwrap();
    searcher.search(q, &c).unwrap()
}

fn tag_q(f: &Fixture, tag: &str) -> TermQuery {
    TermQuery::new(Term::from_field_text(f.tag, tag), IndexRecordOption::Basic)
}

#[test]
fn counts_match_a_count_of_the_stored_values() {
    let f = fixture(500, 3);
    let searcher = f.index.reader().unwrap().searcher();
    assert!(searcher.segment_readers().len() >= 3, "several segments");
    assert!(
        searcher
            .segment_readers()
            .iter()
            .any(|r| r.num_deleted_docs() > 0),
        "deleted documents"
    );
    for q in [
        Box::new(AllQuery) as Box<dyn Query>,
        Box::new(tag_q(&f, "odd")),
        Box::new(tag_q(&f, "even")),
    ] {
        let got = counted(&searcher, q.as_ref());
        assert_eq!(got, reference(&searcher, q.as_ref()), "{q:?}");
        assert!(!got.kind.is_empty() && !got.issuer.is_empty() && !got.year.is_empty());
    }
    // Issuers are multi-valued: a document counts once for each.
    let all = counted(&searcher, &AllQuery);
    let issuer_sum: u64 = all.issuer.values().sum();
    let kind_sum: u64 = all.kind.values().sum();
    assert!(issuer_sum > kind_sum, "{issuer_sum} {kind_sum}");
}

#[test]
fn no_match_and_no_columns_count_nothing() {
    let f = fixture(60, 2);
    let searcher = f.index.reader().unwrap().searcher();
    assert_eq!(counted(&searcher, &tag_q(&f, "none")), Facets::default());
    // An index without the facet fields at all.
    let mut b = Schema::builder();
    let t = b.add_text_field("t", STRING);
    let index = Index::create_in_ram(b.build());
    let mut w: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
    w.add_document(doc!(t => "a")).unwrap();
    w.commit().unwrap();
    let s = index.reader().unwrap().searcher();
    assert_eq!(counted(&s, &AllQuery), Facets::default());
}

#[test]
fn one_facet_alone_and_a_stale_segment_list() {
    let f = fixture(200, 2);
    let searcher = f.index.reader().unwrap().searcher();
    let cache = OrdinalCache::default();
    let c = FacetCollector::new(&searcher, &cache)
        .unwrap()
        .only(Facet::Year);
    let got = searcher.search(&tag_q(&f, "odd"), &c).unwrap();
    let want = reference(&searcher, &tag_q(&f, "odd"));
    assert_eq!((got.year, got.kind.len()), (want.year, 0));
    // Ordinals read for another searcher's segments are not used.
    let other = fixture(30, 1);
    let other = other.index.reader().unwrap().searcher();
    let stale = FacetCollector::new(&other, &cache).unwrap();
    assert_eq!(
        searcher.search(&AllQuery, &stale).unwrap(),
        reference(&searcher, &AllQuery)
    );
}

#[test]
fn the_cache_keeps_only_the_segments_searched() {
    let f = fixture(100, 2);
    let reader = f.index.reader().unwrap();
    let cache = OrdinalCache::default();
    let first = cache.for_searcher(&reader.searcher()).unwrap();
    let again = cache.for_searcher(&reader.searcher()).unwrap();
    assert!(first.iter().zip(&again).all(|(a, b)| Arc::ptr_eq(a, b)));
    // Merge everything into one segment: the old ones are dropped.
    let mut w: IndexWriter = f.index.writer_with_num_threads(1, 15_000_000).unwrap();
    let ids = f.index.searchable_segment_ids().unwrap();
    w.merge(&ids).wait().unwrap();
    w.wait_merging_threads().unwrap();
    reader.reload().unwrap();
    let merged = cache.for_searcher(&reader.searcher()).unwrap();
    assert_eq!(merged.len(), 1);
    assert_eq!(cache.segments.lock().unwrap().len(), 1);
    assert_eq!(
        counted(&reader.searcher(), &AllQuery),
        reference(&reader.searcher(), &AllQuery)
    );
}
