//! Ingest: files and directories → store records → documents in the live
//! index. Orchestrates `store`, `extract` and `index`; the CLI adds the
//! progress bar and the summary.
//!
//! Crawled pages come in through [`pages`]: the crawler stores fetches,
//! and an index pass judges each new page (article, listing …), writes a
//! record for each document and indexes it the same way (issue 10).
//!
//! Every source record (a `.txt`/`.html` file, or one line of a `.jsonl`
//! file) is stored with its raw bytes and content hash, so the index can be
//! rebuilt from the store alone. A record whose hash is unchanged is
//! skipped; a bad file or line is reported, counted and skipped.
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::datadir::{DataDir, WriteLock};
use crate::doc::{Document, doc_id};
use crate::extract::{self, ExtractedDoc};
use crate::index::{self, IndexHandle, Indexer};
use crate::store::{self, Format, Record, Store, Upsert};

pub mod bundle;
mod lines;
pub mod pages;

use lines::Line;

/// Largest `.txt`/`.html` file ingested.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Largest JSONL line ingested.
pub const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;
/// Records between intermediate commits on long runs.
const COMMIT_EVERY: u64 = 50_000;

/// Errors that stop an ingest (bad inputs do not: they become
/// [`Failure`]s).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] store::Error),
    /// The index failed.
    #[error(transparent)]
    Index(#[from] index::Error),
    /// The data directory failed.
    #[error(transparent)]
    DataDir(#[from] crate::datadir::Error),
}

/// A bad input that was skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The file.
    pub path: PathBuf,
    /// The line, for JSONL.
    pub line: Option<u64>,
    /// Why it was skipped.
    pub reason: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: {}", self.path.display(), l, self.reason),
            None => write!(f, "{}: {}", self.path.display(), self.reason),
        }
    }
}

/// Options of an ingest run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Remove documents whose files are gone (and JSONL lines no longer in
    /// a re-ingested file).
    pub prune: bool,
}

/// What an ingest run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Records read.
    pub seen: u64,
    /// New records.
    pub inserted: u64,
    /// Changed records.
    pub updated: u64,
    /// Records whose content had not changed.
    pub unchanged: u64,
    /// Documents removed by `--prune`.
    pub removed: u64,
    /// Records rebuilt from the store because the index was missing.
    pub rebuilt: u64,
    /// Number of failures.
    pub failed: u64,
}

/// Progress events, for a progress bar.
#[derive(Debug)]
pub enum Event<'a> {
    /// One more record processed.
    Record,
    /// A bad input was skipped.
    Failure(&'a Failure),
}

/// Version of each extractor: bump one when a change would extract records
/// of that format differently, and `vanban reindex` redoes just those.
pub fn extractor_version(format: Format) -> u32 {
    match format {
        Format::Text => 1,
        Format::Html => extract::HTML_EXTRACTOR_VERSION,
        Format::JsonLine => 1,
        Format::Page | Format::Bundle => extract::HTML_EXTRACTOR_VERSION,
    }
}

/// What a document built from `rec` now records: its hash and the
/// extractor and parser versions (see [`index::Build`]).
pub fn build_of(rec: &Record) -> index::Build {
    index::Build {
        hash: rec.hash.clone(),
        versions: format!(
            "{}:{}+refs:{}",
            rec.format.as_str(),
            extractor_version(rec.format),
            crate::refs::PARSER_VERSION
        ),
    }
}

/// Extracts a stored record into a [`Document`]: one function for files,
/// JSONL lines and crawled pages.
pub fn document_of(rec: &Record) -> Result<Document, extract::Error> {
    let content_type = rec.fetch.as_ref().and_then(|f| f.content_type.as_deref());
    let mut extracted = extract_record(rec.format, &rec.raw, content_type)?;
    if matches!(rec.format, Format::Page | Format::Bundle)
        && let Ok(base) = url::Url::parse(&rec.source)
    {
        // Attachment links of a page are kept absolute.
        for a in &mut extracted.attachments {
            if let Ok(u) = base.join(a.url.trim())
                && matches!(u.scheme(), "http" | "https")
            {
                a.url = u.to_string();
            }
        }
    }
    Ok(Document::from_extracted(rec.source.clone(), extracted))
}

fn extract_record(
    format: Format,
    raw: &[u8],
    content_type: Option<&str>,
) -> Result<ExtractedDoc, extract::Error> {
    match format {
        Format::Text => extract::extract_text(raw),
        Format::Html => extract::extract_html(raw, None),
        // A crawled page that was judged an article: its document whatever
        // a later extractor thinks of it (`pages` judges again).
        Format::Page => {
            let page = extract::extract_page(extract::PageInput {
                bytes: raw,
                content_type,
            });
            if page.doc.body.is_empty() && page.doc.title.is_empty() {
                return Err(extract::Error::Empty(format!(
                    "crawled page: {}",
                    page.not_indexed.map_or("empty", |r| r.as_str())
                )));
            }
            Ok(page.doc)
        }
        Format::JsonLine => {
            let line = String::from_utf8_lossy(raw);
            extract_json_line(&line)
        }
        Format::Bundle => bundle::extract(raw),
    }
}

/// A JSONL line: `title` and `body` or `text` must be there, but the body
/// may be empty (the Pháp điển dump has articles whose whole text is the
/// title, and repealed ones).
fn extract_json_line(line: &str) -> Result<ExtractedDoc, extract::Error> {
    let opts = extract::JsonLineOptions {
        allow_empty_body: true,
    };
    extract::extract_json_line_with(line, opts)
}

fn format_of(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "txt" => Some(Format::Text),
        "html" | "htm" => Some(Format::Html),
        "jsonl" => Some(Format::JsonLine),
        _ => None,
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

struct Run<'a> {
    store: Store,
    /// The store's WAL checkpoints, off this thread.
    checkpoints: Option<store::Checkpointer>,
    indexer: Indexer,
    report: Report,
    on_event: &'a mut dyn FnMut(Event<'_>),
    since_commit: u64,
    prune: bool,
}

impl Run<'_> {
    fn fail(&mut self, path: &Path, line: Option<u64>, reason: impl Into<String>) {
        let f = Failure {
            path: path.to_path_buf(),
            line,
            reason: reason.into(),
        };
        self.report.failed += 1;
        (self.on_event)(Event::Failure(&f));
    }

    fn checkpoint(&mut self) -> Result<(), Error> {
        self.since_commit += 1;
        if self.since_commit >= COMMIT_EVERY {
            // Index first: a crash between the two commits leaves records
            // the store does not know yet, which the next run redoes.
            self.indexer.commit()?;
            self.store.commit()?;
            if let Some(c) = &self.checkpoints {
                c.request();
            }
            self.store.begin()?;
            self.since_commit = 0;
        }
        Ok(())
    }

    /// Stores and indexes one record whose extraction is `extracted`.
    fn put(
        &mut self,
        mut rec: Record,
        known_hash: Option<&str>,
        extracted: Result<ExtractedDoc, extract::Error>,
    ) -> Result<(), Error> {
        self.report.seen += 1;
        (self.on_event)(Event::Record);
        if known_hash == Some(rec.hash.as_str()) {
            self.report.unchanged += 1;
            return Ok(());
        }
        let extracted = match extracted {
            Ok(e) => e,
            Err(e) => {
                let path = PathBuf::from(&rec.path);
                self.fail(&path, rec.line, e.to_string());
                return Ok(());
            }
        };
        rec.id = doc_id(&rec.source);
        let doc = Document::from_extracted(rec.source.clone(), extracted);
        let build = build_of(&rec);
        match self.store.upsert(&rec, known_hash)? {
            Upsert::Inserted => {
                self.report.inserted += 1;
                self.indexer.upsert_built(&doc, &build)?;
            }
            Upsert::Updated => {
                self.report.updated += 1;
                self.indexer.upsert_built(&doc, &build)?;
            }
            Upsert::Unchanged => self.report.unchanged += 1,
        }
        self.checkpoint()
    }

    fn file(&mut self, path: &Path, format: Format) -> Result<(), Error> {
        let canonical = match path.canonicalize() {
            Ok(p) => p,
            Err(e) => {
                self.fail(path, None, e.to_string());
                return Ok(());
            }
        };
        let key = canonical.to_string_lossy().into_owned();
        match format {
            Format::JsonLine => self.jsonl(&canonical, &key),
            _ => {
                let raw = match read_capped(&canonical) {
                    Ok(raw) => raw,
                    Err(reason) => {
                        self.fail(path, None, reason);
                        return Ok(());
                    }
                };
                let known = self.store.hash_of(&key)?;
                let hash = store::content_hash(&raw);
                let extracted = if known.as_deref() == Some(hash.as_str()) {
                    Ok(ExtractedDoc::default())
                } else {
                    extract_record(format, &raw, None)
                };
                let t = now();
                let rec = Record {
                    id: String::new(),
                    source: key.clone(),
                    path: key,
                    line: None,
                    format,
                    raw,
                    hash,
                    ingested_at: t,
                    updated_at: t,
                    fetch: None,
                };
                self.put(rec, known.as_deref(), extracted)
            }
        }
    }

    /// Stores and indexes one record whose document, when its content
    /// changed, is `prepared` (`None`: unchanged).
    fn put_prepared(
        &mut self,
        rec: Record,
        known_hash: Option<&str>,
        prepared: Option<index::Prepared>,
    ) -> Result<(), Error> {
        self.report.seen += 1;
        (self.on_event)(Event::Record);
        let Some(prepared) = prepared else {
            self.report.unchanged += 1;
            return Ok(());
        };
        match self.store.upsert(&rec, known_hash)? {
            Upsert::Inserted => {
                self.report.inserted += 1;
                self.indexer.upsert_prepared(prepared)?;
            }
            Upsert::Updated => {
                self.report.updated += 1;
                self.indexer.upsert_prepared(prepared)?;
            }
            Upsert::Unchanged => self.report.unchanged += 1,
        }
        self.checkpoint()
    }

    fn jsonl(&mut self, path: &Path, key: &str) -> Result<(), Error> {
        let file = match File::open(path) {
            Ok(f) => f,
            Err(e) => {
                self.fail(path, None, e.to_string());
                return Ok(());
            }
        };
        let known: HashMap<String, String> = self.store.hashes_for_path(key)?;
        let mut seen: HashSet<String> = HashSet::new();
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let file_name = file_name.unwrap_or_default();
        let fields = self.indexer.fields();
        lines::for_each_line(file, key, &file_name, &known, fields, |line| {
            match line {
                Line::Failed { line, reason } => self.fail(path, Some(line), reason),
                Line::Ready(ready) => {
                    let lines::Ready {
                        local_id,
                        rec,
                        known_hash,
                        prepared,
                    } = *ready;
                    if !seen.insert(rec.source.clone()) {
                        self.fail(path, rec.line, format!("duplicate id {local_id:?}: an earlier line of this file has it; this line is skipped"));
                        return Ok(());
                    }
                    self.put_prepared(rec, known_hash.as_deref(), prepared)?;
                }
            }
            Ok::<(), Error>(())
        })?;
        if self.prune {
            for source in known.keys().filter(|s| !seen.contains(*s)) {
                if let Some(id) = self.store.remove_source(source)? {
                    self.indexer.delete(&id);
                    self.report.removed += 1;
                }
            }
        }
        Ok(())
    }
}

fn read_capped(path: &Path) -> Result<Vec<u8>, String> {
    let file = File::open(path).map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut raw)
        .map_err(|e| e.to_string())?;
    if raw.len() as u64 > MAX_FILE_BYTES {
        return Err(format!("larger than {MAX_FILE_BYTES} bytes"));
    }
    Ok(raw)
}

/// Every ingestible file under `paths`, in a stable order, plus failures
/// for named paths that cannot be ingested.
fn collect_files(paths: &[PathBuf]) -> (Vec<(PathBuf, Format)>, Vec<Failure>) {
    let mut files = Vec::new();
    let mut failures = Vec::new();
    for p in paths {
        if p.is_dir() {
            let walker = walkdir::WalkDir::new(p).sort_by_file_name();
            for entry in walker {
                match entry {
                    Ok(e) if e.file_type().is_file() => {
                        if let Some(f) = format_of(e.path()) {
                            files.push((e.into_path(), f));
                        }
                    }
                    Ok(_) => {}
                    Err(e) => failures.push(Failure {
                        path: e.path().map(Path::to_path_buf).unwrap_or_else(|| p.clone()),
                        line: None,
                        reason: e.to_string(),
                    }),
                }
            }
        } else if !p.exists() {
            failures.push(Failure {
                path: p.clone(),
                line: None,
                reason: "no such file or directory".into(),
            });
        } else {
            match format_of(p) {
                Some(f) => files.push((p.clone(), f)),
                None => failures.push(Failure {
                    path: p.clone(),
                    line: None,
                    reason: "unsupported file type (expected .txt, .html, .htm or .jsonl)".into(),
                }),
            }
        }
    }
    (files, failures)
}

/// Opens the live index for writing, creating generation 1 (and rebuilding
/// from the store, if it holds records) when there is none.
pub(crate) fn open_for_writing(
    dd: &DataDir,
    store: &Store,
    report: &mut Report,
) -> Result<(IndexHandle, Indexer), Error> {
    if let Some(h) = IndexHandle::open_live(dd)? {
        let w = h.writer()?;
        return Ok((h, w));
    }
    let n = dd.generations()?.last().copied().unwrap_or(0) + 1;
    let h = IndexHandle::create_generation(dd, n)?;
    let mut w = h.writer()?;
    store.for_each_record(|rec| -> Result<(), Error> {
        if let Ok(doc) = document_of(&rec) {
            w.add_built(&doc, Some(&build_of(&rec)))?;
            report.rebuilt += 1;
        }
        Ok(())
    })?;
    w.commit()?;
    h.make_live(dd)?;
    Ok((h, w))
}

/// Ingests `paths` (files and directories, recursively) into `dd`. The
/// caller holds the write lock.
pub fn ingest(
    dd: &DataDir,
    _lock: &WriteLock,
    paths: &[PathBuf],
    opts: &Options,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<Report, Error> {
    let store = Store::open(&dd.store_path())?;
    store.cache_for_bulk_writes()?;
    let mut report = Report::default();
    let (_handle, indexer) = open_for_writing(dd, &store, &mut report)?;
    let checkpoints = store.checkpoint_in_background()?;
    let mut run = Run {
        store,
        checkpoints,
        indexer,
        report,
        on_event,
        since_commit: 0,
        prune: opts.prune,
    };
    let (files, failures) = collect_files(paths);
    for f in &failures {
        run.fail(&f.path, f.line, f.reason.clone());
    }
    run.store.begin()?;
    for (path, format) in &files {
        run.file(path, *format)?;
    }
    if opts.prune {
        for path in run.store.paths()? {
            if !Path::new(&path).exists() {
                for id in run.store.remove_path(&path)? {
                    run.indexer.delete(&id);
                    run.report.removed += 1;
                }
            }
        }
    }
    run.indexer.commit()?;
    run.store.commit()?;
    let Run {
        indexer, report, ..
    } = run;
    indexer.finish()?;
    Ok(report)
}
