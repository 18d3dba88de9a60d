//! Adjacent query words, scored from the positions of the folded fields
//! (issue 13): "công tác dân vận" adds, to each candidate, the scores of
//! `cong tac`, `tac dan` and `dan van` as two-word phrases in its body
//! (the field [`Pairs::rescore`] is given), so that multi-syllable words
//! rank as words.
//!
//! Pairs score, they never match: they run over the top candidates of the
//! rest of the query (see [`Pairs::rescore`]), so a word typed with
//! diacritics never lets a pair bring in a document with a different
//! accented word. A pair counts where the second word's folded form
//! follows the first's (slop 0), and scores BM25 of its frequency in the
//! field, as a term would with the pair's own document frequency. That
//! frequency is what the bigrams field held (ALQAC MRR@10 drops from 0.858
//! to 0.846 with `PhraseQuery`'s idf, the sum of its words' idf, at the
//! best weight): it is estimated from a sample of the documents that hold
//! the rarer word ([`sampled_df`]), once per pair and generation.
//!
//! tantivy's phrase scorer is not used: seeking it to a candidate checks
//! the positions of every document between the last candidate and this
//! one that holds both words. Here each word's postings seek from
//! candidate to candidate, and positions are read only where both words
//! of a pair are.
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{Bm25StatisticsProvider, Bm25Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocSet, Searcher, Term};

use super::query::ParsedQuery;

/// Documents sampled per pair to estimate its document frequency.
const SAMPLE: u64 = 128;

/// BM25 statistics, and a memory of the pairs' document frequencies.
pub trait PairStats: Bm25StatisticsProvider {
    /// The document frequency of the pair `a` `b`: remembered, or
    /// `compute`d (and remembered).
    fn pair_doc_freq(
        &self,
        a: &Term,
        b: &Term,
        compute: &mut dyn FnMut() -> tantivy::Result<u64>,
    ) -> tantivy::Result<u64>;
}

/// The searcher's own statistics, with no memory.
impl PairStats for Searcher {
    fn pair_doc_freq(
        &self,
        _: &Term,
        _: &Term,
        compute: &mut dyn FnMut() -> tantivy::Result<u64>,
    ) -> tantivy::Result<u64> {
        compute()
    }
}

/// The adjacent folded word pairs of a query.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Pairs {
    /// The distinct folded words that are part of a pair.
    words: Vec<String>,
    /// Pairs as indices into `words`, with their boost (a pair typed twice
    /// once, its boost summed).
    pairs: Vec<(usize, usize, f32)>,
}

impl Pairs {
    /// The adjacent pairs of `p`'s free words, each with `boost`.
    pub fn of(p: &ParsedQuery, boost: f32) -> Pairs {
        let mut out = Pairs::default();
        for w in p.terms.windows(2) {
            let a = out.word(&w[0].folded);
            let b = out.word(&w[1].folded);
            match out.pairs.iter_mut().find(|(x, y, _)| (*x, *y) == (a, b)) {
                Some((_, _, s)) => *s += boost,
                None => out.pairs.push((a, b, boost)),
            }
        }
        out
    }

    fn word(&mut self, w: &str) -> usize {
        match self.words.iter().position(|x| x == w) {
            Some(i) => i,
            None => {
                self.words.push(w.to_string());
                self.words.len() - 1
            }
        }
    }

    /// Whether there is no pair.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The pairs as folded words with their boosts.
    pub fn list(&self) -> impl Iterator<Item = (&str, &str, f32)> {
        self.pairs
            .iter()
            .map(|&(a, b, s)| (self.words[a].as_str(), self.words[b].as_str(), s))
    }

    /// Adds to each candidate's score the scores of the pairs in `field`
    /// (folded, with positions), then orders the candidates best first
    /// (ties by address, as tantivy's `TopDocs`). Each pair's document
    /// frequency is estimated in `field` ([`sampled_df`]).
    pub fn rescore(
        &self,
        searcher: &Searcher,
        stats: &dyn PairStats,
        fields: &[(Field, f32)],
        mut docs: Vec<(f32, DocAddress)>,
    ) -> tantivy::Result<Vec<(f32, DocAddress)>> {
        if let (false, Some(&(first, _))) = (self.is_empty(), fields.first()) {
            let dfs = self.doc_freqs(searcher, stats, first)?;
            docs.sort_by_key(|(_, a)| *a);
            for &(field, boost) in fields {
                self.score_field(searcher, stats, field, boost, &dfs, &mut docs)?;
            }
        }
        docs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        Ok(docs)
    }

    /// Each pair's document frequency in `field` as [`sampled_df`]
    /// estimates it (remembered by `stats`), at least 1; `None` when one
    /// of its words is in no document.
    fn doc_freqs(
        &self,
        searcher: &Searcher,
        stats: &dyn PairStats,
        field: Field,
    ) -> tantivy::Result<Vec<Option<u64>>> {
        let terms = self.terms(field);
        let mut out = Vec::with_capacity(self.pairs.len());
        for &(a, b, _) in &self.pairs {
            let (ta, tb) = (&terms[a], &terms[b]);
            let (da, db) = (stats.doc_freq(ta)?, stats.doc_freq(tb)?);
            if da == 0 || db == 0 {
                out.push(None);
                continue;
            }
            let df = stats
                .pair_doc_freq(ta, tb, &mut || sampled_df(searcher, ta, tb, da, db, SAMPLE))?;
            out.push(Some(df.max(1)));
        }
        Ok(out)
    }

    fn terms(&self, field: Field) -> Vec<Term> {
        self.words
            .iter()
            .map(|w| Term::from_field_text(field, w))
            .collect()
    }

    /// Adds the pairs' scores in `field` to `docs` (sorted by address):
    /// BM25 of each pair's frequency, as a term in `dfs` documents.
    fn score_field(
        &self,
        searcher: &Searcher,
        stats: &dyn PairStats,
        field: Field,
        boost: f32,
        dfs: &[Option<u64>],
        docs: &mut [(f32, DocAddress)],
    ) -> tantivy::Result<()> {
        let terms = self.terms(field);
        let total = stats.total_num_docs()?;
        let average = stats.total_num_tokens(field)? as f32 / total.max(1) as f32;
        let mut weights = Vec::with_capacity(self.pairs.len());
        for (&(a, b, s), df) in self.pairs.iter().zip(dfs) {
            // A word no document holds in this field: the pair is nowhere.
            let Some(df) = *df else { continue };
            let w = Bm25Weight::for_one_term_without_explain(df.min(total), total, average);
            weights.push((a, b, w.boost_by(s * boost)));
        }
        if weights.is_empty() {
            return Ok(());
        }
        let mut used = vec![false; self.words.len()];
        for (a, b, _) in &weights {
            used[*a] = true;
            used[*b] = true;
        }
        let mut positions: Vec<Vec<u32>> = vec![Vec::new(); self.words.len()];
        // Per word: whether the candidate holds it, and whether its
        // positions there are read (only for a pair whose words it holds).
        let mut held = vec![false; self.words.len()];
        let mut read = vec![false; self.words.len()];
        for segment_docs in docs.chunk_by_mut(|x, y| x.1.segment_ord == y.1.segment_ord) {
            let reader = searcher.segment_reader(segment_docs[0].1.segment_ord);
            let index = reader.inverted_index(field)?;
            let norms = reader.get_fieldnorms_reader(field)?;
            let mut postings: Vec<Option<SegmentPostings>> = Vec::with_capacity(terms.len());
            for (t, &u) in terms.iter().zip(&used) {
                postings.push(if u {
                    index.read_postings(t, IndexRecordOption::WithFreqsAndPositions)?
                } else {
                    None
                });
            }
            for (score, addr) in segment_docs.iter_mut() {
                let doc = addr.doc_id;
                for (p, h) in postings.iter_mut().zip(held.iter_mut()) {
                    *h = match p {
                        Some(p) => {
                            if p.doc() < doc {
                                p.seek(doc);
                            }
                            p.doc() == doc
                        }
                        None => false,
                    };
                }
                read.fill(false);
                let mut norm = None;
                for &(a, b, ref w) in &weights {
                    if !(held[a] && held[b]) {
                        continue;
                    }
                    for i in [a, b] {
                        if !read[i]
                            && let Some(p) = &mut postings[i]
                        {
                            positions[i].clear();
                            p.positions(&mut positions[i]);
                            read[i] = true;
                        }
                    }
                    let n = adjacent(&positions[a], &positions[b]);
                    if n > 0 {
                        let id = *norm.get_or_insert_with(|| norms.fieldnorm_id(doc));
                        *score += w.score(id, n);
                    }
                }
            }
        }
        Ok(())
    }
}

/// The number of documents estimated to hold `a` followed by `b` (their
/// document frequencies `df_a`, `df_b`): of the first `k` documents that
/// hold the rarer of the two, the share that holds the pair, times its
/// document frequency; exact when it is in at most `k` documents. A pair
/// not seen in the sample counts as half a document of it.
fn sampled_df(
    searcher: &Searcher,
    a: &Term,
    b: &Term,
    df_a: u64,
    df_b: u64,
    k: u64,
) -> tantivy::Result<u64> {
    let a_rarer = df_a <= df_b;
    let (rare, other, df) = if a_rarer { (a, b, df_a) } else { (b, a, df_b) };
    let (mut seen, mut hits) = (0u64, 0u64);
    let (mut pr, mut po) = (Vec::new(), Vec::new());
    for reader in searcher.segment_readers() {
        if seen >= k {
            break;
        }
        let index = reader.inverted_index(rare.field())?;
        let Some(mut r) = index.read_postings(rare, IndexRecordOption::WithFreqsAndPositions)?
        else {
            continue;
        };
        let mut o = index.read_postings(other, IndexRecordOption::WithFreqsAndPositions)?;
        while r.doc() != tantivy::TERMINATED && seen < k {
            let d = r.doc();
            seen += 1;
            if let Some(o) = &mut o {
                if o.doc() < d {
                    o.seek(d);
                }
                if o.doc() == d {
                    pr.clear();
                    po.clear();
                    r.positions(&mut pr);
                    o.positions(&mut po);
                    let n = if a_rarer {
                        adjacent(&pr, &po)
                    } else {
                        adjacent(&po, &pr)
                    };
                    hits += u64::from(n > 0);
                }
            }
            r.advance();
        }
    }
    if seen == 0 {
        return Ok(0);
    }
    if seen >= df {
        return Ok(hits);
    }
    let share = (hits as f64).max(0.5) / seen as f64;
    Ok(((share * df as f64).round() as u64).clamp(1, df))
}

/// How many positions in `a` (sorted) have their successor in `b` (sorted).
fn adjacent(a: &[u32], b: &[u32]) -> u32 {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        let want = a[i] + 1;
        match b[j].cmp(&want) {
            std::cmp::Ordering::Less => j += 1,
            std::cmp::Ordering::Greater => i += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

#[cfg(test)]
mod tests;
