//! Scoring a [`Plan`] term by term into one score per document (issue
//! 13). A question of thirty words is a union of about ninety term
//! clauses, and nearly every document matches one of them ("của", "là",
//! "và"): tantivy's union merges the postings document by document, and
//! spent some sixty instructions on each posting. Here each term's postings
//! are read block by block and added to an array of scores, one per
//! document of the segment (a document scored above 0 matched); the
//! other clauses (phrases, number lookups) add their scores through
//! tantivy. The `must` clauses and the `must_not` clauses then narrow the
//! bit set. The scores are those of the query [`Plan::query`] builds (BM25
//! of each term with the same statistics and boosts; only the order of the
//! float additions differs), the count is the number of documents it
//! matches, and a collector (the facets) sees each of them.
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::fieldnorm::FieldNormReader;
use tantivy::query::{Bm25StatisticsProvider, Bm25Weight, EnableScoring, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentReader, Term};

use super::build::Plan;

/// What [`run`] found: the best `k` documents (best first, ties by
/// address), the number of matching documents and the collector's fruit.
pub type Found<F> = (Vec<(Score, DocAddress)>, usize, F);

/// Runs `plan` (a union was asked: `plan.other` is `Some`) over
/// `searcher` with the statistics `stats`, keeping the best `k` and
/// showing every match to `collector`.
pub fn run<C: Collector>(
    searcher: &Searcher,
    stats: &dyn Bm25StatisticsProvider,
    plan: &Plan,
    k: usize,
    collector: &C,
) -> tantivy::Result<Found<C::Fruit>> {
    let total_docs = stats.total_num_docs()?;
    let mut terms: Vec<TermScore> = Vec::with_capacity(plan.terms.len());
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
        let w = Bm25Weight::for_one_term_without_explain(stats.doc_freq(t)?, total_docs, average)
            .boost_by(*boost);
        terms.push(TermScore::new(t, w));
    }
    let scoring = EnableScoring::enabled_from_statistics_provider(stats, searcher);
    let weights = |qs: &[Box<dyn tantivy::query::Query>]| {
        qs.iter()
            .map(|q| q.weight(scoring))
            .collect::<tantivy::Result<Vec<Box<dyn Weight>>>>()
    };
    let other = weights(plan.other.as_deref().unwrap_or_default())?;
    let must = weights(&plan.must)?;
    let must_not = weights(&plan.must_not)?;

    let mut scores: Vec<Score> = Vec::new();
    let mut matched = Bits::default();
    let mut mask = Bits::default();
    let mut best = Best::new(k);
    let mut docs: Vec<DocId> = Vec::new();
    let mut fruits = Vec::new();
    let mut total = 0;
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let ord = ord as u32;
        let max_doc = reader.max_doc() as usize;
        scores.clear();
        scores.resize(max_doc, 0.0);
        matched.reset(max_doc);
        for t in &terms {
            t.add(reader, &mut scores, &mut matched)?;
        }
        for w in &other {
            w.for_each(reader, &mut |d, s| {
                scores[d as usize] += s;
                matched.insert(d);
            })?;
        }
        // A term clause matched where it scored (BM25 is above 0).
        matched.insert_scored(&scores);
        for w in &must {
            mask.reset(max_doc);
            w.for_each(reader, &mut |d, s| {
                scores[d as usize] += s;
                mask.insert(d);
            })?;
            matched.intersect(&mask);
        }
        for w in &must_not {
            mask.reset(max_doc);
            w.for_each_no_score(reader, &mut |ds| ds.iter().for_each(|&d| mask.insert(d)))?;
            matched.subtract(&mask);
        }
        docs.clear();
        let alive = reader.alive_bitset();
        docs.extend(
            matched
                .iter()
                .filter(|&d| alive.is_none_or(|a| a.is_alive(d))),
        );
        total += docs.len();
        let mut child = collector.for_segment(ord, reader)?;
        child.collect_block(&docs);
        fruits.push(child.harvest());
        for &d in &docs {
            best.push(scores[d as usize], DocAddress::new(ord, d));
        }
    }
    let best = best.into_sorted();
    Ok((best, total, collector.merge_fruits(fruits)?))
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
        let marks = !(weight.score(u8::MAX, 1) > 0.0);
        TermScore {
            term,
            weight,
            once,
            marks,
        }
    }

    /// Adds the term's scores to the documents of `reader` that hold it.
    fn add(
        &self,
        reader: &SegmentReader,
        scores: &mut [Score],
        matched: &mut Bits,
    ) -> tantivy::Result<()> {
        let field = self.term.field();
        let index = reader.inverted_index(field)?;
        let Some(mut block) = index.read_block_postings(self.term, IndexRecordOption::WithFreqs)?
        else {
            return Ok(());
        };
        // As tantivy's term scorer: a field without norms counts 1 token
        // per document, one without frequencies 1 occurrence.
        let norms = reader
            .fieldnorms_readers()
            .get_field(field)?
            .unwrap_or_else(|| FieldNormReader::constant(reader.max_doc(), 1));
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

    fn iter(&self) -> impl Iterator<Item = DocId> + '_ {
        self.0.iter().enumerate().flat_map(|(i, &w)| {
            let base = i as DocId * 64;
            std::iter::successors(Some(w).filter(|&w| w != 0), |&w| {
                Some(w & (w - 1)).filter(|&w| w != 0)
            })
            .map(move |w| base + w.trailing_zeros())
        })
    }
}
