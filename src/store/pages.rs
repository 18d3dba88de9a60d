//! Crawled fetches (`pages`) and attachment links (`attachments`). Every
//! HTTP exchange the crawler makes is one row, failures included, so the
//! history of a URL stays in the store even after its document left the
//! index.
use rusqlite::{OptionalExtension, params};

use super::{Error, Store};

/// What a fetch was for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// A page (HTML or text).
    Page,
    /// A robots.txt.
    Robots,
    /// A sitemap.
    Sitemap,
}

impl PageKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            PageKind::Page => "page",
            PageKind::Robots => "robots",
            PageKind::Sitemap => "sitemap",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> PageKind {
        match s {
            "robots" => PageKind::Robots,
            "sitemap" => PageKind::Sitemap,
            _ => PageKind::Page,
        }
    }
}

/// One stored fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRow {
    /// The canonical URL requested.
    pub url: String,
    /// Where the redirects ended, when they did.
    pub final_url: Option<String>,
    /// What it was for.
    pub kind: PageKind,
    /// The HTTP status of the last answer, if any came.
    pub status: Option<u16>,
    /// Selected response headers, one `name: value` per line.
    pub headers: String,
    /// When (unix milliseconds).
    pub fetched_at: i64,
    /// The body, for answers that have one worth keeping.
    pub body: Option<Vec<u8>>,
    /// Content hash of the body.
    pub hash: Option<String>,
    /// Why the fetch failed, if it did.
    pub error: Option<String>,
}

impl PageRow {
    /// The value of header `name` (case-insensitive) in [`PageRow::headers`].
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<PageRow> {
    let kind: String = r.get(2)?;
    Ok(PageRow {
        url: r.get(0)?,
        final_url: r.get(1)?,
        kind: PageKind::parse(&kind),
        status: r.get::<_, Option<i64>>(3)?.map(|s| s.clamp(0, 999) as u16),
        headers: r.get(4)?,
        fetched_at: r.get(5)?,
        body: r.get(6)?,
        hash: r.get(7)?,
        error: r.get(8)?,
    })
}

const COLUMNS: &str = "url, final_url, kind, status, headers, fetched_at, body, hash, error";

impl Store {
    /// Stores a fetch; returns its row id.
    pub fn insert_page(&mut self, p: &PageRow) -> Result<i64, Error> {
        self.conn
            .prepare_cached(
                "INSERT INTO pages (url, final_url, kind, status, headers, fetched_at,
                                    body, hash, error)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    p.url,
                    p.final_url,
                    p.kind.as_str(),
                    p.status.map(i64::from),
                    p.headers,
                    p.fetched_at,
                    p.body,
                    p.hash,
                    p.error
                ])
            })
            .map_err(self.err())?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The fetch with row id `id`.
    pub fn page(&self, id: i64) -> Result<Option<PageRow>, Error> {
        self.conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM pages WHERE id = ?1"))
            .and_then(|mut s| s.query_row([id], row).optional())
            .map_err(self.err())
    }

    /// The latest fetch of `url` of `kind`.
    pub fn latest_page(&self, url: &str, kind: PageKind) -> Result<Option<PageRow>, Error> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM pages WHERE url = ?1 AND kind = ?2
                 ORDER BY id DESC LIMIT 1"
            ))
            .and_then(|mut s| s.query_row(params![url, kind.as_str()], row).optional())
            .map_err(self.err())
    }

    /// Every fetch of `url`, oldest first.
    pub fn page_history(&self, url: &str) -> Result<Vec<PageRow>, Error> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {COLUMNS} FROM pages WHERE url = ?1 ORDER BY id"
            ))
            .map_err(self.err())?;
        let rows = stmt.query_map([url], row).map_err(self.err())?;
        rows.collect::<Result<_, _>>().map_err(self.err())
    }

    /// The URLs of every page fetched with a 2xx answer, sorted.
    pub fn stored_page_urls(&self) -> Result<Vec<String>, Error> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT DISTINCT url FROM pages
                 WHERE kind = 'page' AND status BETWEEN 200 AND 299 AND error IS NULL
                 ORDER BY url",
            )
            .map_err(self.err())?;
        let rows = stmt.query_map([], |r| r.get(0)).map_err(self.err())?;
        rows.collect::<Result<_, _>>().map_err(self.err())
    }

    /// The number of stored fetches.
    pub fn page_count(&self) -> Result<u64, Error> {
        self.conn
            .query_row("SELECT COUNT(*) FROM pages", [], |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(self.err())
    }

    /// Records that `page_url` links the attachment `url`.
    pub fn add_attachment(&mut self, page_url: &str, url: &str, name: &str) -> Result<(), Error> {
        self.conn
            .prepare_cached(
                "INSERT OR IGNORE INTO attachments (page_url, url, name) VALUES (?1, ?2, ?3)",
            )
            .and_then(|mut s| s.execute(params![page_url, url, name]))
            .map(|_| ())
            .map_err(self.err())
    }

    /// The attachments of `page_url`: `(url, name)`, sorted by URL.
    pub fn attachments_of(&self, page_url: &str) -> Result<Vec<(String, String)>, Error> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT url, name FROM attachments WHERE page_url = ?1 ORDER BY url")
            .map_err(self.err())?;
        let rows = stmt
            .query_map([page_url], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(self.err())?;
        rows.collect::<Result<_, _>>().map_err(self.err())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_round_trip_and_history() {
        let tmp = tempfile::tempdir().unwrap();
        let mut s = Store::open(&tmp.path().join("s.sqlite")).unwrap();
        let mut p = PageRow {
            url: "http://x.vn/a".into(),
            final_url: None,
            kind: PageKind::Page,
            status: Some(200),
            headers: "content-type: text/html\netag: \"1\"".into(),
            fetched_at: 5,
            body: Some(b"hi".to_vec()),
            hash: Some("h".into()),
            error: None,
        };
        let id = s.insert_page(&p).unwrap();
        assert_eq!(s.page(id).unwrap().unwrap(), p);
        assert_eq!(p.header("ETag"), Some("\"1\""));
        p.status = Some(500);
        p.error = Some("HTTP 500".into());
        s.insert_page(&p).unwrap();
        assert_eq!(s.page_history("http://x.vn/a").unwrap().len(), 2);
        assert_eq!(
            s.stored_page_urls().unwrap(),
            vec!["http://x.vn/a".to_string()]
        );
        let last = s
            .latest_page("http://x.vn/a", PageKind::Page)
            .unwrap()
            .unwrap();
        assert_eq!(last.status, Some(500));
        s.add_attachment("http://x.vn/a", "http://x.vn/f.pdf", "f.pdf")
            .unwrap();
        s.add_attachment("http://x.vn/a", "http://x.vn/f.pdf", "f.pdf")
            .unwrap();
        assert_eq!(s.attachments_of("http://x.vn/a").unwrap().len(), 1);
    }
}
