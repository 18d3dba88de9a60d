//! Shared helpers for the integration tests.
#![allow(dead_code)]
use std::path::{Path, PathBuf};

pub use vanban::testdata::{fixture, repo};

use vanban::datadir::DataDir;
use vanban::ingest::{self, Options, Report};
use vanban::search::{Engine, Request, SearchResponse};

/// A fresh data directory in a temporary folder.
pub struct Data {
    pub tmp: tempfile::TempDir,
    pub dd: DataDir,
}

impl Data {
    pub fn new() -> Data {
        let tmp = tempfile::tempdir().unwrap();
        let dd = DataDir::open(tmp.path().join("data")).unwrap();
        Data { tmp, dd }
    }

    pub fn ingest(&self, paths: &[PathBuf]) -> Report {
        self.ingest_opts(paths, &Options::default())
    }

    pub fn ingest_opts(&self, paths: &[PathBuf], opts: &Options) -> Report {
        let lock = self.dd.lock(false, |_| {}).unwrap();
        ingest::ingest(&self.dd, &lock, paths, opts, &mut |_| {}).unwrap()
    }

    pub fn engine(&self) -> Engine {
        let h = vanban::index::IndexHandle::open_live(&self.dd)
            .unwrap()
            .expect("an index");
        Engine::new(h).unwrap()
    }

    pub fn search(&self, q: &str) -> SearchResponse {
        self.engine()
            .search(&Request {
                q: q.into(),
                limit: 100,
                ..Default::default()
            })
            .unwrap()
    }
}

/// The file names (without extension) of the hits, in rank order.
pub fn names(resp: &SearchResponse) -> Vec<String> {
    resp.hits
        .iter()
        .map(|h| {
            let p = Path::new(h.source.split('#').next().unwrap_or(&h.source));
            p.file_stem().unwrap().to_string_lossy().into_owned()
        })
        .collect()
}

/// The seed prefixes ("000", "002", ...) of the hits, sorted.
pub fn seed_set(resp: &SearchResponse) -> Vec<String> {
    let mut v: Vec<String> = names(resp).iter().map(|n| n[..3].to_string()).collect();
    v.sort();
    v
}
