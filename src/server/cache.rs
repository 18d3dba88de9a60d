//! Small caches of what a search computes, per reader state.
//!
//! [`FacetCache`]: facet counts. Facets depend on the query and the
//! filters, not on the page or the sort, and counting them walks every
//! matching document (on a 60,000-document index a broad query costs more
//! in facets than in the search itself). Paging through results, changing
//! the sort, or many people running the same query reuse them.
//!
//! [`PageCache`]: whole answers of `GET /api/search` (hits with their
//! snippets, total, facets), for the same request asked again (many
//! people running the same query, a page reloaded): answered without a
//! search, and without waiting in line for one (issue 13).
//!
//! Entries are keyed by the index generation *and* the reader's searcher
//! generation, so a commit (which tantivy's reader picks up on its own) or
//! a new generation never serves old results.
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;

use super::api::SearchResult;
use crate::search::{Engine, Error, Facets, Request, Sort};

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
    status: Option<crate::status::State>,
    /// The page, for a page of hits (by date, offset, limit); none for
    /// facets.
    page: Option<(bool, usize, usize)>,
}

impl Key {
    fn new(engine: &Engine, req: &Request, page: bool) -> Key {
        Key {
            index_generation: engine.generation(),
            // Read before searching: if the reader reloads in between, the
            // entry is filed under the older state, which no later request
            // asks for.
            searcher_generation: engine.searcher().generation().generation_id(),
            q: req.q.clone(),
            kind: req.kind.clone(),
            issuer: req.issuer.clone(),
            year: req.year,
            from: req.from,
            to: req.to,
            status: req.status,
            page: page.then_some((req.sort == Sort::Date, req.offset, req.limit)),
        }
    }
}

/// What [`Cache::lookup`] found.
pub enum Lookup<V> {
    /// The value, computed earlier.
    Hit(V),
    /// Not there: compute it, then [`Cache::file`] it with this.
    Miss(Ticket),
}

/// Where a computed value goes in the cache (the reader state it was
/// computed on, the request).
pub struct Ticket(Option<Key>);

struct Entry<V> {
    value: V,
    used: u64,
}

/// Values of recent requests, at most `capacity` of them.
pub struct Cache<V> {
    capacity: usize,
    /// Whether entries are per page of hits (else per query and filters).
    paged: bool,
    inner: Mutex<(HashMap<Key, Entry<V>>, u64)>,
}

/// Facet counts of recent queries and filters.
pub type FacetCache = Cache<Facets>;

/// Answers of recent searches, per page.
pub type PageCache = Cache<Arc<SearchResult>>;

impl FacetCache {
    /// A cache of at most `capacity` entries (0 turns it off).
    pub fn new(capacity: usize) -> FacetCache {
        Cache::with(capacity, false)
    }

    /// The facets of `req` on `engine`, computed at most once per reader
    /// state.
    pub fn facets(&self, engine: &Engine, req: &Request) -> Result<Facets, Error> {
        match self.lookup(engine, req) {
            Lookup::Hit(f) => Ok(f),
            Lookup::Miss(ticket) => {
                let facets = engine.facets(req)?;
                self.file(ticket, facets.clone());
                Ok(facets)
            }
        }
    }
}

impl PageCache {
    /// A cache of at most `capacity` pages (0 turns it off).
    pub fn new(capacity: usize) -> PageCache {
        Cache::with(capacity, true)
    }
}

impl<V: Clone> Cache<V> {
    fn with(capacity: usize, paged: bool) -> Cache<V> {
        Cache {
            capacity,
            paged,
            inner: Mutex::new((HashMap::new(), 0)),
        }
    }

    /// The cached value of `req`, or the ticket to [`file`](Self::file)
    /// it under once computed (the search can count facets in its own
    /// pass: [`Engine::search_with_facets`]).
    pub fn lookup(&self, engine: &Engine, req: &Request) -> Lookup<V> {
        if self.capacity == 0 {
            return Lookup::Miss(Ticket(None));
        }
        let key = Key::new(engine, req, self.paged);
        let mut guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let (map, clock) = &mut *guard;
        *clock += 1;
        match map.get_mut(&key) {
            Some(e) => {
                e.used = *clock;
                Lookup::Hit(e.value.clone())
            }
            None => Lookup::Miss(Ticket(Some(key))),
        }
    }

    /// Keeps `value`, computed after `ticket` was handed out.
    pub fn file(&self, ticket: Ticket, value: V) {
        let Some(key) = ticket.0 else { return };
        let mut guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let (map, clock) = &mut *guard;
        file(map, self.capacity, key, value, *clock);
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

/// Files `value` under `key`. Entries of another reader state (an older
/// index generation or commit) can never be asked for again: they go as
/// soon as a new state shows up, not when the cache is full (the soak
/// test of issue 9 saw the server's memory grow with every generation
/// switch until then). A full cache then drops its least recently used
/// half.
fn file<V>(map: &mut HashMap<Key, Entry<V>>, capacity: usize, key: Key, value: V, used: u64) {
    let state = |k: &Key| (k.index_generation, k.searcher_generation);
    if map.keys().any(|k| state(k) != state(&key)) {
        map.retain(|k, _| state(k) == state(&key));
    }
    if map.len() >= capacity {
        let mut used: Vec<u64> = map.values().map(|e| e.used).collect();
        used.sort_unstable();
        let cut = used[used.len() / 2];
        map.retain(|_, e| e.used > cut);
    }
    map.insert(key, Entry { value, used });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(index_generation: u64, searcher_generation: u64, q: &str) -> Key {
        Key {
            index_generation,
            searcher_generation,
            q: q.into(),
            kind: None,
            issuer: None,
            year: None,
            from: None,
            to: None,
            status: None,
            page: None,
        }
    }

    /// Issue 9 (soak): each generation switch left the previous
    /// generation's entries in place until the cache filled up.
    #[test]
    fn a_new_reader_state_drops_the_older_entries() {
        let mut map = HashMap::new();
        for (i, q) in ["dan van", "quyet dinh", "tinh uy"].iter().enumerate() {
            file(&mut map, 1024, key(1, 0, q), Facets::default(), i as u64);
        }
        assert_eq!(map.len(), 3);
        file(&mut map, 1024, key(2, 0, "dan van"), Facets::default(), 4);
        assert_eq!(map.len(), 1, "generation 1 entries are gone");
        file(&mut map, 1024, key(2, 1, "dan van"), Facets::default(), 5);
        assert_eq!(map.len(), 1, "a commit (new searcher generation) too");
        assert!(map.contains_key(&key(2, 1, "dan van")));
    }

    #[test]
    fn a_full_cache_keeps_the_recently_used_half() {
        let mut map = HashMap::new();
        for i in 0..4 {
            file(&mut map, 4, key(1, 0, &i.to_string()), Facets::default(), i);
        }
        file(&mut map, 4, key(1, 0, "new"), Facets::default(), 10);
        assert!(map.len() <= 4);
        assert!(map.contains_key(&key(1, 0, "new")) && map.contains_key(&key(1, 0, "3")));
        assert!(!map.contains_key(&key(1, 0, "0")));
    }
}
