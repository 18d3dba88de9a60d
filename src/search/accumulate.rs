//! Scoring a [`Plan`] term by term into one score per document (issue
//! 13). A question of thirty words is a union of about ninety term
//! clauses, and nearly every document matches one of them ("của", "là",
//! "và"): tantivy's union merges the postings document by document, and
//! spent some sixty instructions on each posting. Here each term's postings
//! are read block by block and added to an array of scores, one per
//! document of the segment (a document scored above 0 matched); the
//! other clauses (phrases, number lookups) add their scores through
//! tantivy. The `must` clauses, the `must_not` clauses and deletions narrow
//! the documents allowed. The frequent terms are scored only where they
//! can still change the best `k` ([`run`]). The scores are those of the query [`Plan::query`] builds (BM25
//! of each term with the same statistics and boosts; only the order of the
//! float additions differs), the count is the number of documents it
//! matches, and a collector (the facets) sees each of them.
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::BlockSegmentPostings;
use tantivy::query::{Bm25StatisticsProvider, Bm25Weight, EnableScoring, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentReader, Term};

use super::build::Plan;

/// What [`run`] found: the best `k` documents (best first, ties by
/// address), the number of matching documents and the collector's fruit.
pub type Found<F> = (Vec<(Score, DocAddress)>, usize, F);

/// A term in at least this share of the documents is scored only where it
/// can still lift a document into the best `k` (see [`run`]).
/// (ALQAC questions: 0.125 took 9% less CPU than scoring every term
/// everywhere, 0.0625 and 0.25 less than that.)
const FREQUENT_SHARE: f64 = 0.125;

/// Runs `plan` (a union was asked: `plan.other` is `Some`) over
/// `searcher` with the statistics `stats`, keeping the best `k` and
/// showing every match to `collector`.
///
/// The terms in fewer than [`FREQUENT_SHARE`] of the documents, the other
/// clauses and the `must` clauses are scored first. The `k`-th best score
/// of the documents they matched is then a bar the final `k`-th best
/// reaches (scores only grow). The frequent terms ("của", "là": most of
/// the postings, small idf) follow, heaviest first: each marks every
/// document it holds as matched but scores only those whose score so far
/// plus the most the frequent terms not yet added can give ([`bound`])
/// reaches the bar; the others cannot reach the top. The best `k` and
/// their scores are those of scoring every term everywhere.
pub fn run<C: Collector>(
    searcher: &Searcher,
    stats: &dyn Bm25StatisticsProvider,
    plan: &Plan,
    k: usize,
    collector: &C,
) -> tantivy::Result<Found<C::Fruit>> {
    let total_docs = stats.total_num_docs()?;
    let mut rare: Vec<TermScore> = Vec::with_capacity(plan.terms.len());
    let mut frequent: Vec<TermScore> = Vec::new();
    let mut averages: Vec<(Field, Score)> = Vec::new();
    for (t, boost) in &plan.terms {
        let field = t.field();
        let average = match averages.iter().find(|(f, _)| *f == field) {
            Some(&(_, a)) => a,
            None => {
                let a = stats.total_num_tokens(field)? as Score / total_docs as Score;
                averages.push((field, a));
                a
            }
        };
        let df = stats.doc_freq(t)?;
        let w = Bm25Weight::for_one_term_without_explain(df, total_docs, average).boost_by(*boost);
        if df as f64 >= FREQUENT_SHARE * total_docs as f64 {
            frequent.push(TermScore::new(t, w));
        } else {
            rare.push(TermScore::new(t, w));
        }
    }
    frequent.sort_by(|a, b| bound(&b.weight).total_cmp(&bound(&a.weight)));
    let scoring = EnableScoring::enabled_from_statistics_provider(stats, searcher);
    let weights = |qs: &[Box<dyn tantivy::query::Query>]| {
        qs.iter()
            .map(|q| q.weight(scoring))
            .collect::<tantivy::Result<Vec<Box<dyn Weight>>>>()
    };
    let other = weights(plan.other.as_deref().unwrap_or_default())?;
    let must = weights(&plan.must)?;
    let must_not = weights(&plan.must_not)?;

    let readers = searcher.segment_readers();
    let mut segments = Vec::with_capacity(readers.len());
    let mut mask = Bits::default();
    for reader in readers {
        let max_doc = reader.max_doc() as usize;
        let mut seg = Segment {
            scores: vec![0.0; max_doc],
            matched: Bits::empty(max_doc),
            allowed: None,
        };
        for t in &rare {
            t.add(reader, &mut seg.scores, &mut seg.matched)?;
        }
        for w in &other {
            w.for_each(reader, &mut |d, s| {
                seg.scores[d as usize] += s;
                seg.matched.insert(d);
            })?;
        }
        // A term clause matched where it scored (BM25 is above 0).
        seg.matched.insert_scored(&seg.scores);
        for w in &must {
            mask.reset(max_doc);
            w.for_each(reader, &mut |d, s| {
                seg.scores[d as usize] += s;
                mask.insert(d);
            })?;
            seg.allowed(max_doc).intersect(&mask);
        }
        for w in &must_not {
            mask.reset(max_doc);
            w.for_each_no_score(reader, &mut |ds| ds.iter().for_each(|&d| mask.insert(d)))?;
            seg.allowed(max_doc).subtract(&mask);
        }
        if let Some(alive) = reader.alive_bitset() {
            let allowed = seg.allowed(max_doc);
            mask.reset(max_doc);
            (0..max_doc as DocId)
                .filter(|&d| !alive.is_alive(d))
                .for_each(|d| mask.insert(d));
            allowed.subtract(&mask);
        }
        segments.push(seg);
    }
    if !frequent.is_empty() {
        let bar = kth_best(&segments, k);
        let mut remaining: Score = frequent.iter().map(|t| bound(&t.weight)).sum();
        for t in &frequent {
            // Scored where the score so far plus `remaining` reaches the bar.
            let floor = bar.map_or(Score::NEG_INFINITY, |bar| bar - remaining);
            for (reader, seg) in readers.iter().zip(&mut segments) {
                t.add_above(reader, floor, &mut seg.scores, &mut seg.matched)?;
            }
            remaining -= bound(&t.weight);
        }
    }

    let mut best = Best::new(k);
    let mut docs: Vec<DocId> = Vec::new();
    let mut fruits = Vec::with_capacity(readers.len());
    let mut total = 0;
    for (ord, (reader, seg)) in readers.iter().zip(&segments).enumerate() {
        let ord = ord as u32;
        docs.clear();
        seg.for_each_match(|d| docs.push(d));
        total += docs.len();
        let mut child = collector.for_segment(ord, reader)?;
        child.collect_block(&docs);
        fruits.push(child.harvest());
        for &d in &docs {
            best.push(seg.scores[d as usize], DocAddress::new(ord, d));
        }
    }
    let best = best.into_sorted();
    Ok((best, total, collector.merge_fruits(fruits)?))
}

/// The scores and matches of one segment.
struct Segment {
    scores: Vec<Score>,
    /// Documents the union matched.
    matched: Bits,
    /// Documents the `must`, `must_not` clauses and deletions allow (`None`:
    /// every one).
    allowed: Option<Bits>,
}

impl Segment {
    fn allowed(&mut self, max_doc: usize) -> &mut Bits {
        self.allowed.get_or_insert_with(|| Bits::full(max_doc))
    }

    /// Calls `f` on each document matched and allowed, in order.
    fn for_each_match(&self, mut f: impl FnMut(DocId)) {
        for (i, &w) in self.matched.0.iter().enumerate() {
            let mut w = w & self.allowed.as_ref().map_or(u64::MAX, |a| a.0[i]);
            let base = i as DocId * 64;
            while w != 0 {
                f(base + w.trailing_zeros());
                w &= w - 1;
            }
        }
    }
}

/// The `k`-th best score of the documents `segments` match (`None` when
/// fewer; above every score when `k` is 0).
fn kth_best(segments: &[Segment], k: usize) -> Option<Score> {
    if k == 0 {
        return Some(Score::INFINITY);
    }
    let mut best = Best::new(k);
    for (ord, seg) in segments.iter().enumerate() {
        seg.for_each_match(|d| best.push(seg.scores[d as usize], DocAddress::new(ord as u32, d)));
    }
    best.kth()
}

/// The most a term scored by `w` adds to a document (any length, any
/// frequency), with a margin for rounding.
fn bound(w: &Bm25Weight) -> Score {
    w.score(0, u32::MAX) * 1.0001
}

/// Best first, ties by address (as tantivy's `TopDocs`).
fn by_score(a: &(Score, DocAddress), b: &(Score, DocAddress)) -> std::cmp::Ordering {
    b.0.total_cmp(&a.0).then(a.1.cmp(&b.1))
}

/// The best `k` documents pushed: a buffer of up to `2k`, cut back to
/// the best `k` when full; a document below the `k`-th best of the last
/// cut is not kept.
struct Best {
    k: usize,
    docs: Vec<(Score, DocAddress)>,
    bar: Option<(Score, DocAddress)>,
}

impl Best {
    fn new(k: usize) -> Best {
        Best {
            k,
            docs: Vec::with_capacity(2 * k),
            bar: None,
        }
    }

    fn push(&mut self, score: Score, addr: DocAddress) {
        let doc = (score, addr);
        if self.k == 0 || self.bar.is_some_and(|bar| by_score(&doc, &bar).is_ge()) {
            return;
        }
        self.docs.push(doc);
        if self.docs.len() == 2 * self.k {
            self.cut();
        }
    }

    /// Keeps the best `k`, the worst of them the bar.
    fn cut(&mut self) {
        if self.docs.len() > self.k {
            let (_, kth, _) = self.docs.select_nth_unstable_by(self.k - 1, by_score);
            self.bar = Some(*kth);
            self.docs.truncate(self.k);
        }
    }

    /// The `k`-th best score pushed, `None` when fewer were.
    fn kth(mut self) -> Option<Score> {
        self.cut();
        (self.docs.len() == self.k)
            .then(|| self.docs.iter().map(|d| d.0).min_by(|a, b| a.total_cmp(b)))
            .flatten()
    }

    fn into_sorted(mut self) -> Vec<(Score, DocAddress)> {
        self.cut();
        self.docs.sort_by(by_score);
        self.docs
    }
}

/// One term clause: its BM25 weight, and its scores at frequency 1 by
/// fieldnorm id (most postings), as [`Bm25Weight::score`] gives them.
struct TermScore<'a> {
    term: &'a Term,
    weight: Bm25Weight,
    once: [Score; 256],
    /// Whether a match may score 0 (a huge index, a term in every
    /// document): such a term marks its matches in the bit set.
    marks: bool,
}

impl<'a> TermScore<'a> {
    fn new(term: &'a Term, weight: Bm25Weight) -> TermScore<'a> {
        let once = std::array::from_fn(|id| weight.score(id as u8, 1));
        // The lowest score of a match: frequency 1 in the longest field.
        let marks = weight.score(u8::MAX, 1).partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater);
        TermScore {
            term,
            weight,
            once,
            marks,
        }
    }

    /// The term's postings in `reader` (`None` when no document holds
    /// it) and the field's norms. As tantivy's term scorer: a field
    /// without norms counts 1 token per document, one without frequencies
    /// 1 occurrence.
    fn postings(
        &self,
        reader: &SegmentReader,
    ) -> tantivy::Result<Option<(BlockSegmentPostings, FieldNormReader)>> {
        let field = self.term.field();
        let index = reader.inverted_index(field)?;
        let Some(block) = index.read_block_postings(self.term, IndexRecordOption::WithFreqs)?
        else {
            return Ok(None);
        };
        let norms = reader
            .fieldnorms_readers()
            .get_field(field)?
            .unwrap_or_else(|| FieldNormReader::constant(reader.max_doc(), 1));
        Ok(Some((block, norms)))
    }

    /// Adds the term's scores to the documents of `reader` that hold it.
    fn add(
        &self,
        reader: &SegmentReader,
        scores: &mut [Score],
        matched: &mut Bits,
    ) -> tantivy::Result<()> {
        let Some((mut block, norms)) = self.postings(reader)? else {
            return Ok(());
        };
        while !block.docs().is_empty() {
            let (docs, freqs) = (block.docs(), block.freqs());
            if freqs.len() == docs.len() {
                for (&d, &tf) in docs.iter().zip(freqs) {
                    self.add_one(&norms, d, tf, scores);
                }
            } else {
                docs.iter()
                    .for_each(|&d| self.add_one(&norms, d, 1, scores));
            }
            if self.marks {
                block.docs().iter().for_each(|&d| matched.insert(d));
            }
            block.advance();
        }
        Ok(())
    }

    /// Marks the documents of `reader` that hold the term as matched, and
    /// adds its score to those scored at least `floor` so far.
    fn add_above(
        &self,
        reader: &SegmentReader,
        floor: Score,
        scores: &mut [Score],
        matched: &mut Bits,
    ) -> tantivy::Result<()> {
        let Some((mut block, norms)) = self.postings(reader)? else {
            return Ok(());
        };
        while !block.docs().is_empty() {
            let (docs, freqs) = (block.docs(), block.freqs());
            for (i, &d) in docs.iter().enumerate() {
                matched.insert(d);
                if scores.get(d as usize).is_some_and(|&s| s >= floor) {
                    self.add_one(&norms, d, freqs.get(i).copied().unwrap_or(1), scores);
                }
            }
            block.advance();
        }
        Ok(())
    }

    #[inline]
    fn add_one(&self, norms: &FieldNormReader, d: DocId, tf: u32, scores: &mut [Score]) {
        let id = norms.fieldnorm_id(d);
        let s = if tf == 1 {
            self.once[usize::from(id)]
        } else {
            self.weight.score(id, tf)
        };
        if let Some(x) = scores.get_mut(d as usize) {
            *x += s;
        }
    }
}

/// A set of the documents of one segment.
#[derive(Default)]
struct Bits(Vec<u64>);

impl Bits {
    fn empty(max_doc: usize) -> Bits {
        Bits(vec![0; max_doc.div_ceil(64)])
    }

    /// Every document below `max_doc`.
    fn full(max_doc: usize) -> Bits {
        let mut b = Bits(vec![u64::MAX; max_doc.div_ceil(64)]);
        if let Some(last) = b.0.last_mut()
            && !max_doc.is_multiple_of(64)
        {
            *last = (1u64 << (max_doc % 64)) - 1;
        }
        b
    }

    fn reset(&mut self, max_doc: usize) {
        self.0.clear();
        self.0.resize(max_doc.div_ceil(64), 0);
    }

    fn insert(&mut self, d: DocId) {
        if let Some(w) = self.0.get_mut(d as usize / 64) {
            *w |= 1 << (d % 64);
        }
    }

    fn intersect(&mut self, other: &Bits) {
        self.0.iter_mut().zip(&other.0).for_each(|(a, b)| *a &= b);
    }

    fn subtract(&mut self, other: &Bits) {
        self.0.iter_mut().zip(&other.0).for_each(|(a, b)| *a &= !b);
    }

    /// Adds the documents scored above 0.
    fn insert_scored(&mut self, scores: &[Score]) {
        for (w, chunk) in self.0.iter_mut().zip(scores.chunks(64)) {
            let mut bits = 0u64;
            for (i, &s) in chunk.iter().enumerate() {
                bits |= u64::from(s > 0.0) << i;
            }
            *w |= bits;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Document;
    use crate::index::{analyzer, schema};
    use crate::search::{Request, build, query};
    use tantivy::collector::{Count, TopDocs};
    use tantivy::{Index, IndexWriter};

    /// The Pháp điển sample (fixtures/phapdien) in two segments, every
    /// third article a "Luật" of 2020 and one article deleted.
    fn index() -> (Index, schema::Fields) {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/phapdien/sample.jsonl"
        );
        let lines = std::fs::read_to_string(path).unwrap();
        let index = Index::create_in_ram(schema::schema());
        analyzer::register_analyzers(&index);
        let f = schema::Fields::new(&index.schema()).unwrap();
        let mut w: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for (i, line) in lines.lines().enumerate() {
            let v: serde_json::Value =
                serde_json::from_str(line.trim_start_matches('\u{feff}')).unwrap();
            let doc = Document {
                id: format!("a{i}"),
                title: v["title"].as_str().unwrap().to_string(),
                body: v["text"].as_str().unwrap().to_string(),
                kind: (i % 3 == 0).then(|| "Luật".to_string()),
                issued: chrono::NaiveDate::from_ymd_opt(2019 + (i % 3 == 0) as i32, 1, 1),
                ..Document::default()
            };
            w.add_document(schema::to_tantivy(&f, &doc, &[])).unwrap();
            if i == 150 {
                w.commit().unwrap();
            }
        }
        w.delete_term(Term::from_field_text(f.id, "a7"));
        w.commit().unwrap();
        (index, f)
    }

    #[test]
    fn finds_what_tantivy_finds_with_the_same_scores() {
        let (index, f) = index();
        let s = index.reader().unwrap().searcher();
        let queries = [
            "Thanh niên là công dân Việt Nam từ đủ bao nhiêu tuổi đến bao nhiêu tuổi?",
            "người lao động có quyền và nghĩa vụ gì theo quy định của pháp luật",
            "quyen va nghia vu cua thanh nien",
            "của và các",
            "thanh niên -\"công dân\"",
            "\"thanh niên\" quyền",
            "xyzzy không có",
        ];
        let mut frequent_seen = false;
        for q in queries {
            for (kind, year, k) in [
                (None, None, 200),
                (Some("Luật"), None, 10),
                (None, Some(2019), 3),
                (None, None, 0),
            ] {
                let req = Request {
                    q: q.to_string(),
                    kind: kind.map(str::to_string),
                    year,
                    limit: 10,
                    ..Request::default()
                };
                let p = query::parse(q).unwrap();
                let plan = build::plan(&f, &p, &req, &|_| true);
                let total = Bm25StatisticsProvider::total_num_docs(&s).unwrap() as f64;
                frequent_seen |= plan
                    .terms
                    .iter()
                    .any(|(t, _)| s.doc_freq(t).unwrap() as f64 >= FREQUENT_SHARE * total);
                let (got, n, counted) = run(&s, &s, &plan, k, &Count).unwrap();
                assert_eq!(counted, n, "the collector sees every match");
                let (want, m) = s
                    .search(
                        &plan.query(),
                        &(TopDocs::with_limit(k.max(1)).order_by_score(), Count),
                    )
                    .unwrap();
                let want: Vec<_> = want.into_iter().take(k).collect();
                assert_eq!(n, m, "{q} {kind:?} {year:?}: total");
                assert_eq!(got.len(), want.len(), "{q} {kind:?} {year:?}");
                for (g, w) in got.iter().zip(&want) {
                    assert!(
                        (g.0 - w.0).abs() <= 1e-4 * w.0.abs().max(1.0),
                        "{q}: {g:?} vs {w:?}"
                    );
                }
                // The same documents, but where scores tie.
                let last = want.last().map_or(0.0, |w| w.0) + 1e-3;
                let above = |v: &[(Score, DocAddress)]| {
                    let mut a: Vec<_> = v.iter().filter(|d| d.0 > last).map(|d| d.1).collect();
                    a.sort();
                    a
                };
                assert_eq!(above(&got), above(&want), "{q} {kind:?} {year:?}");
            }
        }
        assert!(frequent_seen, "no query has a frequent term");
    }
}
