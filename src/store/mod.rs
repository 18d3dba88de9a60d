//! The store: `store.sqlite`, the source of truth. Every ingested record
//! keeps its raw bytes, its source, a content hash and its times, so the
//! index can always be rebuilt from the store alone.
//!
//! The schema is versioned with SQLite's `user_version`; [`Store::open`]
//! runs every migration a store of an older version still needs.
mod checkpoint;
pub mod frontier;
pub mod pages;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};

pub use checkpoint::Checkpointer;

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// SQLite failed.
    #[error("store {path}: {source}")]
    Sqlite {
        /// The database file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: rusqlite::Error,
    },
    /// The store was written by a newer vanban.
    #[error(
        "store {path} has schema version {found}, newer than this vanban \
         ({SCHEMA_VERSION}); upgrade vanban"
    )]
    TooNew {
        /// The database file.
        path: PathBuf,
        /// The version found.
        found: i64,
    },
}

/// The store schema version this build writes.
pub const SCHEMA_VERSION: i64 = 3;

/// Migrations, in order: `MIGRATIONS[i]` takes a store from version `i` to
/// `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 0 → 1: ingested records.
    "CREATE TABLE records (
        id          TEXT PRIMARY KEY,
        source      TEXT NOT NULL UNIQUE,
        path        TEXT NOT NULL,
        line        INTEGER,
        format      TEXT NOT NULL,
        raw         BLOB NOT NULL,
        hash        TEXT NOT NULL,
        ingested_at INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL
    );
    CREATE INDEX records_path ON records(path);",
    // 1 → 2: the crawler's fetches, frontier, attachments and dedup map.
    "CREATE TABLE pages (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        url         TEXT NOT NULL,
        final_url   TEXT,
        kind        TEXT NOT NULL,
        status      INTEGER,
        headers     TEXT NOT NULL DEFAULT '',
        fetched_at  INTEGER NOT NULL,
        body        BLOB,
        hash        TEXT,
        error       TEXT
    );
    CREATE INDEX pages_url ON pages(url);
    CREATE TABLE frontier (
        url           TEXT PRIMARY KEY,
        host          TEXT NOT NULL,
        kind          TEXT NOT NULL,
        depth         INTEGER NOT NULL,
        state         TEXT NOT NULL,
        checked_at    INTEGER NOT NULL DEFAULT 0,
        added_at      INTEGER NOT NULL,
        referrer      TEXT,
        page_id       INTEGER,
        etag          TEXT,
        last_modified TEXT,
        hash          TEXT,
        error         TEXT,
        index_state   INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX frontier_next ON frontier(host, state, depth);
    CREATE INDEX frontier_index ON frontier(index_state) WHERE index_state = 1;
    CREATE TABLE attachments (
        page_url TEXT NOT NULL,
        url      TEXT NOT NULL,
        name     TEXT NOT NULL,
        PRIMARY KEY (page_url, url)
    );
    CREATE TABLE crawl_docs (url TEXT PRIMARY KEY, hash TEXT NOT NULL);
    CREATE INDEX crawl_docs_hash ON crawl_docs(hash);
    CREATE TABLE crawl_owners (hash TEXT PRIMARY KEY, url TEXT NOT NULL);",
    // 2 → 3 (issue 10): crawled documents get records like ingested ones
    // (their bytes stay in `pages`, `page_id` points at them, the fetch's
    // content type and date are kept with the source), and every fetched
    // URL gets an outcome: indexed, merged or not indexed with a reason,
    // judged by extractor version `extractor`. Crawled pages are judged
    // again by the next index pass, which writes their records.
    "ALTER TABLE records ADD COLUMN page_id INTEGER;
    ALTER TABLE records ADD COLUMN content_type TEXT;
    ALTER TABLE records ADD COLUMN fetched_at INTEGER;
    ALTER TABLE frontier ADD COLUMN outcome TEXT;
    ALTER TABLE frontier ADD COLUMN outcome_reason TEXT;
    ALTER TABLE frontier ADD COLUMN doc_id TEXT;
    ALTER TABLE frontier ADD COLUMN extractor INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE frontier ADD COLUMN hops INTEGER NOT NULL DEFAULT 0;
    UPDATE frontier SET index_state = 1
        WHERE kind = 'page' AND state = 'done' AND page_id IS NOT NULL;",
];

/// The format of a stored record, which decides how it is extracted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A page saved as text.
    Text,
    /// An HTML page.
    Html,
    /// One line of a JSONL file.
    JsonLine,
    /// A crawled page (its bytes are the stored fetch's, its content type
    /// the fetch's header).
    Page,
    /// The crawled pages of one document (`ingest::bundle`).
    Bundle,
}

impl Format {
    /// The name stored in the `format` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Html => "html",
            Format::JsonLine => "jsonl",
            Format::Page => "page",
            Format::Bundle => "bundle",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "txt" => Some(Format::Text),
            "html" => Some(Format::Html),
            "jsonl" => Some(Format::JsonLine),
            "page" => Some(Format::Page),
            "bundle" => Some(Format::Bundle),
            _ => None,
        }
    }
}

/// One stored source record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The document id.
    pub id: String,
    /// The canonical source (path, or `path#id` for a JSONL line).
    pub source: String,
    /// The file it came from.
    pub path: String,
    /// The line number (1-based) for JSONL.
    pub line: Option<u64>,
    /// How to extract it.
    pub format: Format,
    /// The raw bytes as read.
    pub raw: Vec<u8>,
    /// Content hash of `raw`.
    pub hash: String,
    /// When the record was first stored (unix seconds).
    pub ingested_at: i64,
    /// When it last changed (unix seconds).
    pub updated_at: i64,
    /// For a crawled page: the fetch holding its bytes (`pages.id`), its
    /// `Content-Type` and when it was fetched (unix ms).
    pub fetch: Option<Fetch>,
}

/// Where a crawled record's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetch {
    /// The `pages` row.
    pub page_id: i64,
    /// Its `Content-Type` header.
    pub content_type: Option<String>,
    /// When it was fetched (unix ms).
    pub fetched_at: i64,
}

/// What storing a record did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upsert {
    /// A new record.
    Inserted,
    /// The source was stored before with other content.
    Updated,
    /// The same content was stored before: nothing changed.
    Unchanged,
}

/// The content hash used for records: BLAKE3, hex, 128 bits.
pub fn content_hash(bytes: &[u8]) -> String {
    let h = blake3::hash(bytes);
    h.to_hex()[..32].to_string()
}

/// The page cache of a connection doing bulk writes (KiB; a bound, only
/// the pages used take memory).
pub const BULK_CACHE_KIB: i64 = 32 * 1024;

/// An open store.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating and migrating as needed) the store at `path`.
    pub fn open(path: &Path) -> Result<Store, Error> {
        let err = |source| Error::Sqlite {
            path: path.to_path_buf(),
            source,
        };
        let conn = Connection::open(path).map_err(err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(err)?;
        conn.busy_timeout(std::time::Duration::from_secs(30))
            .map_err(err)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.migrate()?;
        Ok(store)
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> Error + '_ {
        |source| Error::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// The schema version of the open store.
    pub fn schema_version(&self) -> Result<i64, Error> {
        self.conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(self.err())
    }

    fn migrate(&mut self) -> Result<(), Error> {
        let found = self.schema_version()?;
        if found > SCHEMA_VERSION {
            return Err(Error::TooNew {
                path: self.path.clone(),
                found,
            });
        }
        let path = self.path.clone();
        let err = |source| Error::Sqlite {
            path: path.clone(),
            source,
        };
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            let tx = self.conn.transaction().map_err(err)?;
            tx.execute_batch(sql).map_err(err)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)
                .map_err(err)?;
            tx.commit().map_err(err)?;
        }
        Ok(())
    }

    /// Gives this connection a page cache of [`BULK_CACHE_KIB`] for a long
    /// run of writes in one transaction (an ingest commits every 50,000
    /// records): the index pages of the random `id` keys stay in memory
    /// instead of being spilled to the WAL and read back (SQLite's default
    /// cache is 2 MiB).
    pub fn cache_for_bulk_writes(&self) -> Result<(), Error> {
        self.conn
            .pragma_update(None, "cache_size", -BULK_CACHE_KIB)
            .map_err(self.err())
    }

    /// Moves this connection's WAL checkpoints to a background thread (see
    /// [`Checkpointer`]): none runs inside a commit any more, each runs
    /// when [`Checkpointer::request`] asks. `None` when no thread could
    /// be started: the automatic checkpoints then stay.
    pub fn checkpoint_in_background(&self) -> Result<Option<Checkpointer>, Error> {
        let Some(c) = Checkpointer::start(&self.path).map_err(self.err())? else {
            return Ok(None);
        };
        self.conn
            .pragma_update(None, "wal_autocheckpoint", 0)
            .map_err(self.err())?;
        Ok(Some(c))
    }

    /// Starts a transaction; batch writes go through it.
    pub fn begin(&mut self) -> Result<(), Error> {
        self.conn.execute_batch("BEGIN").map_err(self.err())
    }

    /// Commits the transaction started by [`Store::begin`].
    pub fn commit(&mut self) -> Result<(), Error> {
        self.conn.execute_batch("COMMIT").map_err(self.err())
    }

    /// Source → content hash of every record stored from `path`.
    pub fn hashes_for_path(&self, path: &str) -> Result<HashMap<String, String>, Error> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT source, hash FROM records WHERE path = ?1")
            .map_err(self.err())?;
        let rows = stmt
            .query_map([path], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(self.err())?;
        rows.collect::<Result<_, _>>().map_err(self.err())
    }

    /// The content hash stored for `source`, if any.
    pub fn hash_of(&self, source: &str) -> Result<Option<String>, Error> {
        self.conn
            .prepare_cached("SELECT hash FROM records WHERE source = ?1")
            .and_then(|mut s| s.query_row([source], |r| r.get(0)).optional())
            .map_err(self.err())
    }

    /// Stores `rec` (keyed by its source), keeping `ingested_at` of an
    /// existing record. `known_hash` is the hash already stored for the
    /// source when the caller looked it up in bulk.
    pub fn upsert(&mut self, rec: &Record, known_hash: Option<&str>) -> Result<Upsert, Error> {
        let outcome = match known_hash {
            Some(h) if h == rec.hash => return Ok(Upsert::Unchanged),
            Some(_) => Upsert::Updated,
            None => Upsert::Inserted,
        };
        self.conn
            .prepare_cached(
                "INSERT INTO records
                   (id, source, path, line, format, raw, hash, ingested_at,
                    updated_at, page_id, content_type, fetched_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                 ON CONFLICT(source) DO UPDATE SET
                   id = excluded.id, path = excluded.path,
                   line = excluded.line, format = excluded.format,
                   raw = excluded.raw, hash = excluded.hash,
                   updated_at = excluded.updated_at,
                   page_id = excluded.page_id,
                   content_type = excluded.content_type,
                   fetched_at = excluded.fetched_at",
            )
            .and_then(|mut s| {
                s.execute(params![
                    rec.id,
                    rec.source,
                    rec.path,
                    rec.line.map(|l| l as i64),
                    rec.format.as_str(),
                    rec.raw,
                    rec.hash,
                    rec.ingested_at,
                    rec.updated_at,
                    rec.fetch.as_ref().map(|f| f.page_id),
                    rec.fetch.as_ref().and_then(|f| f.content_type.clone()),
                    rec.fetch.as_ref().map(|f| f.fetched_at),
                ])
            })
            .map_err(self.err())?;
        Ok(outcome)
    }

    /// Every distinct file path with stored records.
    pub fn paths(&self) -> Result<Vec<String>, Error> {
        let mut stmt = self
            .conn
            .prepare("SELECT DISTINCT path FROM records WHERE format != 'page'")
            .map_err(self.err())?;
        let rows = stmt.query_map([], |r| r.get(0)).map_err(self.err())?;
        rows.collect::<Result<_, _>>().map_err(self.err())
    }

    /// Removes the record of `source`; returns its id if it existed.
    pub fn remove_source(&mut self, source: &str) -> Result<Option<String>, Error> {
        self.conn
            .query_row(
                "DELETE FROM records WHERE source = ?1 RETURNING id",
                [source],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.err())
    }

    /// Removes every record stored from `path`; returns their ids.
    pub fn remove_path(&mut self, path: &str) -> Result<Vec<String>, Error> {
        let mut stmt = self
            .conn
            .prepare("DELETE FROM records WHERE path = ?1 RETURNING id")
            .map_err(self.err())?;
        let rows = stmt.query_map([path], |r| r.get(0)).map_err(self.err())?;
        rows.collect::<Result<_, _>>().map_err(self.err())
    }

    /// The number of stored records.
    pub fn count(&self) -> Result<u64, Error> {
        self.conn
            .query_row("SELECT COUNT(*) FROM records", [], |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(self.err())
    }

    /// Calls `f` on every stored record, in id order, without holding them
    /// all in memory.
    pub fn for_each_record<E: From<Error>>(
        &self,
        mut f: impl FnMut(Record) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT r.id, r.source, r.path, r.line, r.format,
                        CASE WHEN r.page_id IS NULL THEN r.raw ELSE COALESCE(p.body, r.raw) END,
                        r.hash, r.ingested_at, r.updated_at,
                        r.page_id, r.content_type, r.fetched_at
                 FROM records r LEFT JOIN pages p ON p.id = r.page_id
                 ORDER BY r.rowid",
            )
            .map_err(self.err())?;
        let mut rows = stmt.query([]).map_err(self.err())?;
        while let Some(r) = rows.next().map_err(self.err())? {
            f(row_to_record(r).map_err(self.err())?)?;
        }
        Ok(())
    }

    /// When the last crawl ended (RFC 3339), if the store records crawls.
    pub fn last_crawl(&self) -> Result<Option<String>, Error> {
        let has_crawls: bool = self
            .conn
            .query_row(
                "SELECT EXISTS(SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'crawls')",
                [],
                |r| r.get(0),
            )
            .map_err(self.err())?;
        if !has_crawls {
            return Ok(None);
        }
        self.conn
            .query_row("SELECT MAX(ended_at) FROM crawls", [], |r| r.get(0))
            .map_err(self.err())
    }

    /// The record with document id `id`.
    pub fn get(&self, id: &str) -> Result<Option<Record>, Error> {
        self.conn
            .query_row(
                "SELECT r.id, r.source, r.path, r.line, r.format,
                        CASE WHEN r.page_id IS NULL THEN r.raw ELSE COALESCE(p.body, r.raw) END,
                        r.hash, r.ingested_at, r.updated_at,
                        r.page_id, r.content_type, r.fetched_at
                 FROM records r LEFT JOIN pages p ON p.id = r.page_id
                 WHERE r.id = ?1",
                [id],
                row_to_record,
            )
            .optional()
            .map_err(self.err())
    }
}

fn row_to_record(r: &rusqlite::Row<'_>) -> rusqlite::Result<Record> {
    let format: String = r.get(4)?;
    Ok(Record {
        id: r.get(0)?,
        source: r.get(1)?,
        path: r.get(2)?,
        line: r.get::<_, Option<i64>>(3)?.map(|l| l as u64),
        format: Format::parse(&format).unwrap_or(Format::Text),
        raw: r.get(5)?,
        hash: r.get(6)?,
        ingested_at: r.get(7)?,
        updated_at: r.get(8)?,
        fetch: match r.get::<_, Option<i64>>(9)? {
            Some(page_id) => Some(Fetch {
                page_id,
                content_type: r.get(10)?,
                fetched_at: r.get::<_, Option<i64>>(11)?.unwrap_or(0),
            }),
            None => None,
        },
    })
}

#[cfg(test)]
mod tests;
