//! A small cache of facet counts. Facets depend on the query and the
//! filters, not on the page or the sort, and counting them walks every
//! matching document (on a 60,000-document index a broad query costs more
//! in facets than in the search itself). Paging through results, changing
//! the sort, or many people running the same query reuse them.
//!
//! Entries are keyed by the index generation *and* the reader's searcher
//! generation, so a commit (which tantivy's reader picks up on its own) or
//! a new generation never serves old counts.
use std::collections::HashMap;
use std::sync::Mutex;

use chrono::NaiveDate;

use crate::search::{Engine, Error, Facets, Request};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    index_generation: u64,
    searcher_generation: u64,
    q: String,
    kind: Option<String>,
    issuer: Option<String>,
    year: Option<i32>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
}

struct Entry {
    facets: Facets,
    used: u64,
}

/// Facet counts of recent requests, at most `capacity` of them.
pub struct FacetCache {
    capacity: usize,
    inner: Mutex<(HashMap<Key, Entry>, u64)>,
}

impl FacetCache {
    /// A cache of at most `capacity` entries (0 turns it off).
    pub fn new(capacity: usize) -> FacetCache {
        FacetCache {
            capacity,
            inner: Mutex::new((HashMap::new(), 0)),
        }
    }

    /// The facets of `req` on `engine`, computed at most once per reader
    /// state.
    pub fn facets(&self, engine: &Engine, req: &Request) -> Result<Facets, Error> {
        if self.capacity == 0 {
            return engine.facets(req);
        }
        let key = Key {
            index_generation: engine.generation(),
            // Read before counting: if the reader reloads in between, the
            // entry is filed under the older state, which no later request
            // asks for.
            searcher_generation: engine.searcher().generation().generation_id(),
            q: req.q.clone(),
            kind: req.kind.clone(),
            issuer: req.issuer.clone(),
            year: req.year,
            from: req.from,
            to: req.to,
        };
        {
            let mut guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
            let (map, clock) = &mut *guard;
            *clock += 1;
            if let Some(e) = map.get_mut(&key) {
                e.used = *clock;
                return Ok(e.facets.clone());
            }
        }
        let facets = engine.facets(req)?;
        let mut guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let (map, clock) = &mut *guard;
        if map.len() >= self.capacity {
            // Drop entries of older reader states first, then the least
            // recently used half.
            map.retain(|k, _| {
                k.index_generation == key.index_generation
                    && k.searcher_generation == key.searcher_generation
            });
            if map.len() >= self.capacity {
                let mut used: Vec<u64> = map.values().map(|e| e.used).collect();
                used.sort_unstable();
                let cut = used[used.len() / 2];
                map.retain(|_, e| e.used > cut);
            }
        }
        map.insert(
            key,
            Entry {
                facets: facets.clone(),
                used: *clock,
            },
        );
        Ok(facets)
    }

    /// Entries held now.
    pub fn len(&self) -> usize {
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).0.len()
    }

    /// Whether it holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
