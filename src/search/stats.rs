//! BM25 statistics with the document frequencies remembered per index
//! generation. tantivy looks every query term up in the term dictionary of
//! every segment twice: once for its statistics (BM25's idf) and once for
//! its postings. A long question has a hundred or more terms (each word in
//! title and body, exact and folded), and the same common words come back
//! query after query; remembering their document frequencies skips the
//! first lookup. The numbers are the searcher's own, so scores do not
//! change. The estimated document frequencies of adjacent word pairs
//! ([`super::pairs`]) are remembered the same way.
use std::collections::HashMap;
use std::sync::Mutex;

use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

/// Terms remembered at most; the memory is then cleared (a few MB).
const MAX_TERMS: usize = 1 << 16;

/// Document frequencies of one searcher generation.
#[derive(Debug, Default)]
pub struct StatsCache {
    inner: Mutex<Option<Remembered>>,
}

#[derive(Debug)]
struct Remembered {
    generation: u64,
    doc_freq: HashMap<Term, u64>,
    tokens: HashMap<Field, u64>,
    /// Estimated document frequencies of adjacent word pairs.
    pairs: HashMap<(Term, Term), u64>,
}

/// The statistics of `searcher`, through `cache`.
pub struct Stats<'a> {
    searcher: &'a Searcher,
    cache: &'a StatsCache,
    generation: u64,
}

impl StatsCache {
    /// The statistics provider for `searcher`.
    pub fn for_searcher<'a>(&'a self, searcher: &'a Searcher) -> Stats<'a> {
        Stats {
            searcher,
            cache: self,
            generation: searcher.generation().generation_id(),
        }
    }
}

impl Stats<'_> {
    /// `f` on the remembered numbers of this generation (cleared when the
    /// generation changed or they grew too many).
    fn with<T>(&self, f: impl FnOnce(&mut Remembered) -> T) -> T {
        let mut guard = self.cache.inner.lock().unwrap_or_else(|e| e.into_inner());
        let fresh = || Remembered {
            generation: self.generation,
            doc_freq: HashMap::new(),
            tokens: HashMap::new(),
            pairs: HashMap::new(),
        };
        let r = guard.get_or_insert_with(fresh);
        if r.generation != self.generation
            || r.doc_freq.len() >= MAX_TERMS
            || r.pairs.len() >= MAX_TERMS
        {
            *r = fresh();
        }
        f(r)
    }
}

impl Bm25StatisticsProvider for Stats<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        if let Some(n) = self.with(|r| r.tokens.get(&field).copied()) {
            return Ok(n);
        }
        let n = Bm25StatisticsProvider::total_num_tokens(self.searcher, field)?;
        self.with(|r| r.tokens.insert(field, n));
        Ok(n)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Bm25StatisticsProvider::total_num_docs(self.searcher)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        if let Some(n) = self.with(|r| r.doc_freq.get(term).copied()) {
            return Ok(n);
        }
        let n = self.searcher.doc_freq(term)?;
        self.with(|r| r.doc_freq.insert(term.clone(), n));
        Ok(n)
    }
}

impl super::pairs::PairStats for Stats<'_> {
    fn pair_doc_freq(
        &self,
        a: &Term,
        b: &Term,
        compute: &mut dyn FnMut() -> tantivy::Result<u64>,
    ) -> tantivy::Result<u64> {
        let key = (a.clone(), b.clone());
        if let Some(n) = self.with(|r| r.pairs.get(&key).copied()) {
            return Ok(n);
        }
        let n = compute()?;
        self.with(|r| r.pairs.insert(key, n));
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{STRING, Schema};
    use tantivy::{Index, doc};

    #[test]
    fn remembers_per_generation_and_matches_the_searcher() {
        let mut b = Schema::builder();
        let f = b.add_text_field("f", STRING);
        let index = Index::create_in_ram(b.build());
        let mut w: tantivy::IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        w.add_document(doc!(f => "a")).unwrap();
        w.add_document(doc!(f => "a")).unwrap();
        w.add_document(doc!(f => "b")).unwrap();
        w.commit().unwrap();
        let reader = index.reader().unwrap();
        let cache = StatsCache::default();
        let a = Term::from_field_text(f, "a");
        let s1 = reader.searcher();
        let stats = cache.for_searcher(&s1);
        assert_eq!(stats.doc_freq(&a).unwrap(), 2);
        assert_eq!(stats.doc_freq(&a).unwrap(), 2, "remembered");
        assert_eq!(
            stats.total_num_tokens(f).unwrap(),
            Bm25StatisticsProvider::total_num_tokens(&s1, f).unwrap()
        );
        // A new generation is counted afresh.
        w.add_document(doc!(f => "a")).unwrap();
        w.commit().unwrap();
        reader.reload().unwrap();
        let s2 = reader.searcher();
        assert_eq!(cache.for_searcher(&s2).doc_freq(&a).unwrap(), 3);
        assert_eq!(cache.for_searcher(&s1).doc_freq(&a).unwrap(), 2);
    }
}
