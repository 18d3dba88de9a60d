//! The crawl frontier (`frontier`) and the crawl's dedup map
//! (`crawl_docs`, `crawl_owners`). The frontier lives here, not in
//! memory, so a crawl of a million queued URLs stays small, and a crawl
//! killed at any moment resumes where its last commit left it.
//!
//! A URL is `queued` until its outcome is stored in the same transaction
//! as its fetch: `done` (checked at `checked_at`; due again once that is
//! older than the crawl's `--recrawl-after`), `failed` (permanent,
//! with its reason), `skipped` (not crawlable: robots, content type) or
//! `gone` (a page that now answers 404/410).
use rusqlite::{OptionalExtension, params};

use super::{Error, Store};

/// The state of a frontier URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Waiting to be fetched.
    Queued,
    /// Fetched; due again once `checked_at` is old enough.
    Done,
    /// Failed permanently.
    Failed,
    /// Not crawled (disallowed, unsupported type, too deep, ...).
    Skipped,
    /// Was fetched before, now answers 404/410.
    Gone,
}

impl State {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Queued => "queued",
            State::Done => "done",
            State::Failed => "failed",
            State::Skipped => "skipped",
            State::Gone => "gone",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> State {
        match s {
            "done" => State::Done,
            "failed" => State::Failed,
            "skipped" => State::Skipped,
            "gone" => State::Gone,
            _ => State::Queued,
        }
    }
}

/// A URL of the frontier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The canonical URL.
    pub url: String,
    /// `page` or `sitemap`.
    pub kind: String,
    /// Links from a seed.
    pub depth: u32,
    /// Its state.
    pub state: State,
    /// `ETag` of the last good fetch.
    pub etag: Option<String>,
    /// `Last-Modified` of the last good fetch.
    pub last_modified: Option<String>,
    /// Body hash of the last good fetch.
    pub hash: Option<String>,
    /// The last good fetch (`pages.id`).
    pub page_id: Option<i64>,
    /// Why it failed.
    pub error: Option<String>,
    /// Redirect hops that led here from another host (issue 10: they
    /// count toward the limit).
    pub hops: u32,
}

/// The outcome of a frontier URL, stored with its fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The new state.
    pub state: State,
    /// The fetch that holds the content, when there is new content.
    pub page_id: Option<i64>,
    /// When this outcome was reached (unix ms).
    pub checked_at: i64,
    /// Validators of the content.
    pub etag: Option<String>,
    /// Validators of the content.
    pub last_modified: Option<String>,
    /// Body hash of the content.
    pub hash: Option<String>,
    /// The reason, for `failed`/`skipped`.
    pub error: Option<String>,
    /// The index must look at this URL again (new, changed or gone).
    pub reindex: bool,
}

/// What became of one fetched URL (`vanban export --what pages`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PageOutcome {
    /// The URL as queued.
    pub url: String,
    /// `page`, `sitemap` or `attachment`.
    pub kind: String,
    /// Where its last fetch ended, when redirected.
    pub final_url: Option<String>,
    /// The HTTP status of its last fetch.
    pub http_status: Option<u16>,
    /// `indexed`, `merged`, `not_indexed`, `redirected`, `failed`,
    /// `skipped`, `gone` or `pending`.
    pub outcome: String,
    /// Why (the reason code of `not_indexed`, the error of `failed` …).
    pub reason: Option<String>,
    /// The document that holds it (`indexed`, `merged`).
    pub doc_id: Option<String>,
}

const ENTRY: &str = "url, kind, depth, state, etag, last_modified, hash, page_id, error, hops";

fn entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<Entry> {
    let state: String = r.get(3)?;
    Ok(Entry {
        url: r.get(0)?,
        kind: r.get(1)?,
        depth: r.get::<_, i64>(2)?.clamp(0, u32::MAX as i64) as u32,
        state: State::parse(&state),
        etag: r.get(4)?,
        last_modified: r.get(5)?,
        hash: r.get(6)?,
        page_id: r.get(7)?,
        error: r.get(8)?,
        hops: r.get::<_, i64>(9)?.clamp(0, u32::MAX as i64) as u32,
    })
}

impl Store {
    /// Adds `url` to the frontier unless it is known; returns whether it
    /// was new.
    pub fn enqueue(
        &mut self,
        url: &str,
        host: &str,
        kind: &str,
        depth: u32,
        referrer: Option<&str>,
        now_ms: i64,
    ) -> Result<bool, Error> {
        self.conn
            .prepare_cached(
                "INSERT OR IGNORE INTO frontier (url, host, kind, depth, state, added_at, referrer)
                 VALUES (?1, ?2, ?3, ?4, 'queued', ?5, ?6)",
            )
            .and_then(|mut s| s.execute(params![url, host, kind, depth, now_ms, referrer]))
            .map(|n| n > 0)
            .map_err(self.err())
    }

    /// Up to `limit` queued URLs of `host`, shallowest first, then in the
    /// order they were found.
    pub fn next_queued(&self, host: &str, limit: usize) -> Result<Vec<Entry>, Error> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {ENTRY} FROM frontier WHERE host = ?1 AND state = 'queued'
                 ORDER BY depth, rowid LIMIT ?2"
            ))
            .map_err(self.err())?;
        let rows = stmt
            .query_map(params![host, limit as i64], entry)
            .map_err(self.err())?;
        rows.collect::<Result<_, _>>().map_err(self.err())
    }

    /// Every host (origin) with URLs in the frontier.
    pub fn frontier_hosts(&self) -> Result<Vec<String>, Error> {
        let mut stmt = self
            .conn
            .prepare("SELECT DISTINCT host FROM frontier")
            .map_err(self.err())?;
        let rows = stmt.query_map([], |r| r.get(0)).map_err(self.err())?;
        rows.collect::<Result<_, _>>().map_err(self.err())
    }

    /// The frontier entry of `url`.
    pub fn frontier_entry(&self, url: &str) -> Result<Option<Entry>, Error> {
        self.conn
            .prepare_cached(&format!("SELECT {ENTRY} FROM frontier WHERE url = ?1"))
            .and_then(|mut s| s.query_row([url], entry).optional())
            .map_err(self.err())
    }

    /// The number of queued URLs (of `host`, or all).
    pub fn queued_count(&self, host: Option<&str>) -> Result<u64, Error> {
        let n: i64 = match host {
            Some(h) => self.conn.query_row(
                "SELECT COUNT(*) FROM frontier WHERE host = ?1 AND state = 'queued'",
                [h],
                |r| r.get(0),
            ),
            None => self.conn.query_row(
                "SELECT COUNT(*) FROM frontier WHERE state = 'queued'",
                [],
                |r| r.get(0),
            ),
        }
        .map_err(self.err())?;
        Ok(n as u64)
    }

    /// The number of frontier URLs in `state`.
    pub fn state_count(&self, state: State) -> Result<u64, Error> {
        self.conn
            .query_row(
                "SELECT COUNT(*) FROM frontier WHERE state = ?1",
                [state.as_str()],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n as u64)
            .map_err(self.err())
    }

    /// Stores the outcome of `url`. Validators and the content hash are
    /// kept when the outcome has none (a 304 keeps the old ones).
    pub fn finish(&mut self, url: &str, o: &Outcome) -> Result<(), Error> {
        self.conn
            .prepare_cached(
                "UPDATE frontier SET state = ?2, checked_at = ?3,
                    page_id = COALESCE(?4, page_id),
                    etag = CASE WHEN ?4 IS NULL THEN etag ELSE ?5 END,
                    last_modified = CASE WHEN ?4 IS NULL THEN last_modified ELSE ?6 END,
                    hash = COALESCE(?7, hash), error = ?8,
                    index_state = CASE WHEN ?9 THEN 1 ELSE index_state END
                 WHERE url = ?1",
            )
            .and_then(|mut s| {
                s.execute(params![
                    url,
                    o.state.as_str(),
                    o.checked_at,
                    o.page_id,
                    o.etag,
                    o.last_modified,
                    o.hash,
                    o.error,
                    o.reindex
                ])
            })
            .map(|_| ())
            .map_err(self.err())
    }

    /// Marks `url` (the end of a redirect) as fetched through another URL,
    /// so it is not requested again: inserted as `done`, or a queued entry
    /// turned `done`.
    pub fn mark_alias(
        &mut self,
        url: &str,
        host: &str,
        depth: u32,
        checked_at: i64,
        now_ms: i64,
    ) -> Result<(), Error> {
        self.conn
            .prepare_cached(
                "INSERT INTO frontier (url, host, kind, depth, state, checked_at, added_at,
                                       outcome, outcome_reason)
                 VALUES (?1, ?2, 'page', ?3, 'done', ?4, ?5, 'merged',
                         'redirect target (stored under the URL that redirected)')
                 ON CONFLICT(url) DO UPDATE SET state = 'done', checked_at = excluded.checked_at,
                   outcome = 'merged', outcome_reason = 'redirect target (stored under the URL that redirected)'
                 WHERE frontier.state = 'queued'",
            )
            .and_then(|mut s| s.execute(params![url, host, depth, checked_at, now_ms]))
            .map(|_| ())
            .map_err(self.err())
    }

    /// Queues again the fetched pages of `host` checked at or before
    /// `cutoff_ms` (now minus the recrawl interval).
    pub fn requeue_due(&mut self, host: &str, cutoff_ms: i64) -> Result<u64, Error> {
        self.conn
            .execute(
                "UPDATE frontier SET state = 'queued'
                 WHERE host = ?1 AND state = 'done' AND checked_at <= ?2",
                params![host, cutoff_ms],
            )
            .map(|n| n as u64)
            .map_err(self.err())
    }

    /// Queues a seed again if it failed or was skipped before.
    pub fn requeue_seed(&mut self, url: &str) -> Result<(), Error> {
        self.conn
            .execute(
                "UPDATE frontier SET state = 'queued', depth = 0
                 WHERE url = ?1 AND state IN ('failed', 'skipped')",
                [url],
            )
            .map(|_| ())
            .map_err(self.err())
    }

    /// Sets the redirect hops that led to a queued `url`.
    pub fn set_hops(&mut self, url: &str, hops: u32) -> Result<(), Error> {
        self.conn
            .prepare_cached("UPDATE frontier SET hops = ?2 WHERE url = ?1 AND state = 'queued'")
            .and_then(|mut s| s.execute(params![url, hops]))
            .map(|_| ())
            .map_err(self.err())
    }

    /// Records what became of fetched URL `url`: `outcome` (`indexed`,
    /// `merged`, `not_indexed`, `redirected`, `gone`), why, the document
    /// that holds it, and the extractor version that judged it.
    pub fn set_outcome(
        &mut self,
        url: &str,
        outcome: &str,
        reason: Option<&str>,
        doc_id: Option<&str>,
        extractor: u32,
    ) -> Result<(), Error> {
        self.conn
            .prepare_cached(
                "UPDATE frontier SET outcome = ?2, outcome_reason = ?3, doc_id = ?4,
                    extractor = ?5 WHERE url = ?1",
            )
            .and_then(|mut s| s.execute(params![url, outcome, reason, doc_id, extractor]))
            .map(|_| ())
            .map_err(self.err())
    }

    /// Marks for judging again every stored page judged by another
    /// extractor version than `extractor`; returns how many.
    pub fn rejudge(&mut self, extractor: u32) -> Result<u64, Error> {
        self.conn
            .execute(
                "UPDATE frontier SET index_state = 1
                 WHERE kind = 'page' AND state = 'done' AND page_id IS NOT NULL
                   AND index_state != 1 AND extractor != ?1",
                [extractor],
            )
            .map(|n| n as u64)
            .map_err(self.err())
    }

    /// Every fetched URL (queued ones left out) with what became of it,
    /// in the order they were found.
    pub fn page_outcomes<E: From<Error>>(
        &self,
        mut f: impl FnMut(PageOutcome) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT f.url, f.kind, f.state, f.error, f.outcome, f.outcome_reason, f.doc_id,
                        f.page_id, f.index_state,
                        (SELECT p.status FROM pages p WHERE p.url = f.url ORDER BY p.id DESC LIMIT 1),
                        (SELECT p.final_url FROM pages p WHERE p.url = f.url ORDER BY p.id DESC LIMIT 1)
                 FROM frontier f WHERE f.state != 'queued' ORDER BY f.rowid",
            )
            .map_err(self.err())?;
        let mut rows = stmt.query([]).map_err(self.err())?;
        while let Some(r) = rows.next().map_err(self.err())? {
            let row = (|| -> rusqlite::Result<PageOutcome> {
                let state: String = r.get(2)?;
                let kind: String = r.get(1)?;
                let error: Option<String> = r.get(3)?;
                let stored: Option<String> = r.get(4)?;
                let page_id: Option<i64> = r.get(7)?;
                let pending = r.get::<_, i64>(8)? == 1;
                let (outcome, reason) = match (State::parse(&state), stored) {
                    (State::Skipped, _) => ("skipped".to_string(), error),
                    (State::Failed, _) => ("failed".to_string(), error),
                    (State::Gone, _) => ("gone".to_string(), error),
                    (_, _) if pending => (
                        "pending".to_string(),
                        Some("stored, not judged yet (crawled with --no-index, or an index pass still to run)".into()),
                    ),
                    (_, Some(o)) => (o, r.get(5)?),
                    (_, None) if kind.starts_with("sitemap") => {
                        ("not_indexed".to_string(), Some("sitemap".into()))
                    }
                    (_, None) if kind == "attachment" => {
                        ("not_indexed".to_string(), Some("attachment".into()))
                    }
                    (_, None) if page_id.is_none() => ("redirected".to_string(), None),
                    (_, None) => ("pending".to_string(), None),
                };
                Ok(PageOutcome {
                    url: r.get(0)?,
                    kind,
                    final_url: r.get(10)?,
                    http_status: r.get(9)?,
                    outcome,
                    reason,
                    doc_id: r.get(6)?,
                })
            })()
            .map_err(self.err())?;
            f(row)?;
        }
        Ok(())
    }

    /// URLs whose index entry must be looked at: `(url, state, page_id)`.
    pub fn index_pending(&self, limit: usize) -> Result<Vec<(String, State, Option<i64>)>, Error> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT url, state, page_id FROM frontier WHERE index_state = 1 ORDER BY rowid LIMIT ?1",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([limit as i64], |r| {
                let s: String = r.get(1)?;
                Ok((r.get(0)?, State::parse(&s), r.get(2)?))
            })
            .map_err(self.err())?;
        rows.collect::<Result<_, _>>().map_err(self.err())
    }

    /// Clears the index mark of `url`.
    pub fn set_indexed(&mut self, url: &str) -> Result<(), Error> {
        self.conn
            .prepare_cached("UPDATE frontier SET index_state = 2 WHERE url = ?1")
            .and_then(|mut s| s.execute([url]))
            .map(|_| ())
            .map_err(self.err())
    }

    /// The content hash `url` contributes to the index.
    pub fn crawl_doc(&self, url: &str) -> Result<Option<String>, Error> {
        self.conn
            .prepare_cached("SELECT hash FROM crawl_docs WHERE url = ?1")
            .and_then(|mut s| s.query_row([url], |r| r.get(0)).optional())
            .map_err(self.err())
    }

    /// Sets (or with `None` removes) the content hash of `url`.
    pub fn set_crawl_doc(&mut self, url: &str, hash: Option<&str>) -> Result<(), Error> {
        let r = match hash {
            Some(h) => self.conn.execute(
                "INSERT INTO crawl_docs (url, hash) VALUES (?1, ?2)
                 ON CONFLICT(url) DO UPDATE SET hash = excluded.hash",
                params![url, h],
            ),
            None => self
                .conn
                .execute("DELETE FROM crawl_docs WHERE url = ?1", [url]),
        };
        r.map(|_| ()).map_err(self.err())
    }

    /// URLs with content `hash`, in the order they were mapped.
    pub fn urls_with_hash(&self, hash: &str) -> Result<Vec<String>, Error> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT url FROM crawl_docs WHERE hash = ?1 ORDER BY rowid")
            .map_err(self.err())?;
        let rows = stmt.query_map([hash], |r| r.get(0)).map_err(self.err())?;
        rows.collect::<Result<_, _>>().map_err(self.err())
    }

    /// The URL whose document holds content `hash`.
    pub fn owner_of(&self, hash: &str) -> Result<Option<String>, Error> {
        self.conn
            .prepare_cached("SELECT url FROM crawl_owners WHERE hash = ?1")
            .and_then(|mut s| s.query_row([hash], |r| r.get(0)).optional())
            .map_err(self.err())
    }

    /// Every URL that holds a crawled document, in the order they were
    /// first indexed.
    pub fn crawl_owner_urls(&self) -> Result<Vec<String>, Error> {
        let mut stmt = self
            .conn
            .prepare("SELECT url FROM crawl_owners ORDER BY rowid")
            .map_err(self.err())?;
        let rows = stmt.query_map([], |r| r.get(0)).map_err(self.err())?;
        rows.collect::<Result<_, _>>().map_err(self.err())
    }

    /// Sets (or with `None` removes) the owner of content `hash`.
    pub fn set_owner(&mut self, hash: &str, url: Option<&str>) -> Result<(), Error> {
        let r = match url {
            Some(u) => self.conn.execute(
                "INSERT INTO crawl_owners (hash, url) VALUES (?1, ?2)
                 ON CONFLICT(hash) DO UPDATE SET url = excluded.url",
                params![hash, u],
            ),
            None => self
                .conn
                .execute("DELETE FROM crawl_owners WHERE hash = ?1", [hash]),
        };
        r.map(|_| ()).map_err(self.err())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_finish_requeue() {
        let tmp = tempfile::tempdir().unwrap();
        let mut s = Store::open(&tmp.path().join("s.sqlite")).unwrap();
        assert!(
            s.enqueue("http://x.vn/b", "x.vn", "page", 1, None, 1)
                .unwrap()
        );
        assert!(
            s.enqueue("http://x.vn/a", "x.vn", "page", 0, None, 1)
                .unwrap()
        );
        assert!(
            !s.enqueue("http://x.vn/a", "x.vn", "page", 0, None, 1)
                .unwrap()
        );
        let q = s.next_queued("x.vn", 10).unwrap();
        assert_eq!(
            q.iter().map(|e| e.url.as_str()).collect::<Vec<_>>(),
            ["http://x.vn/a", "http://x.vn/b"]
        );
        let o = Outcome {
            state: State::Done,
            page_id: Some(7),
            checked_at: 100,
            etag: Some("e".into()),
            last_modified: None,
            hash: Some("h".into()),
            error: None,
            reindex: true,
        };
        s.finish("http://x.vn/a", &o).unwrap();
        assert_eq!(s.queued_count(Some("x.vn")).unwrap(), 1);
        assert_eq!(
            s.index_pending(10).unwrap(),
            vec![("http://x.vn/a".to_string(), State::Done, Some(7))]
        );
        s.set_indexed("http://x.vn/a").unwrap();
        assert!(s.index_pending(10).unwrap().is_empty());
        // A 304 keeps the validators.
        let o304 = Outcome {
            page_id: None,
            etag: None,
            hash: None,
            reindex: false,
            checked_at: 200,
            ..o
        };
        s.finish("http://x.vn/a", &o304).unwrap();
        let e = s.frontier_entry("http://x.vn/a").unwrap().unwrap();
        assert_eq!(
            (e.etag.as_deref(), e.hash.as_deref(), e.page_id),
            (Some("e"), Some("h"), Some(7))
        );
        assert_eq!(s.requeue_due("x.vn", 199).unwrap(), 0);
        assert_eq!(s.requeue_due("x.vn", 200).unwrap(), 1);
        s.mark_alias("http://x.vn/b", "x.vn", 1, 5, 1).unwrap();
        assert_eq!(
            s.frontier_entry("http://x.vn/b").unwrap().unwrap().state,
            State::Done
        );
    }

    #[test]
    fn dedup_maps() {
        let tmp = tempfile::tempdir().unwrap();
        let mut s = Store::open(&tmp.path().join("s.sqlite")).unwrap();
        s.set_crawl_doc("u1", Some("h")).unwrap();
        s.set_crawl_doc("u2", Some("h")).unwrap();
        s.set_owner("h", Some("u1")).unwrap();
        assert_eq!(s.urls_with_hash("h").unwrap(), ["u1", "u2"]);
        assert_eq!(s.owner_of("h").unwrap().as_deref(), Some("u1"));
        s.set_crawl_doc("u1", None).unwrap();
        assert_eq!(s.crawl_doc("u1").unwrap(), None);
        s.set_owner("h", None).unwrap();
        assert_eq!(s.owner_of("h").unwrap(), None);
    }
}
