//! The JSONL side of ingest as a pipeline (issue 13): a reader thread
//! splits the file into lines, extraction threads turn each line into a
//! record and, when its content is new, a document ready for the index
//! (extraction, refs, the tantivy document), and the caller's thread gets
//! the lines back in file order to store and index them. The store and
//! the index writer stay on the caller's thread, so commits and
//! "nothing lost" work as before; the tantivy writer indexes on its own
//! threads meanwhile.
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::sync::mpsc::{Receiver, sync_channel};
use std::sync::{Arc, Mutex};

use super::{MAX_LINE_BYTES, build_of, extract_json_line, now};
use crate::doc::{Document, doc_id};
use crate::index::{self, Fields, Prepared};
use crate::store::{self, Format, Record};

/// Chunks in flight between two stages (per channel).
const IN_FLIGHT: usize = 8;
/// Most lines per chunk: the stages hand each other chunks, not lines, so
/// that the threads wake each other once per chunk (on 2 cores, per-line
/// hand-offs cost ~4 context switches a line).
const CHUNK_LINES: usize = 32;
/// Most bytes per chunk (a chunk ends after the line that reaches it).
const CHUNK_BYTES: usize = 256 * 1024;

/// A line as read: its line number, and its bytes or why it cannot be
/// used.
type RawLine = (u64, Result<Vec<u8>, String>);

/// Consecutive lines, numbered among the chunks sent.
type Chunk<T> = (u64, Vec<T>);

/// One line of a JSONL file, as the caller's thread gets it.
pub(crate) enum Line {
    /// A bad line, skipped for `reason`.
    Failed {
        /// 1-based line number.
        line: u64,
        /// Why.
        reason: String,
    },
    /// A line to store (boxed: a record and a tantivy document are large
    /// beside a failure).
    Ready(Box<Ready>),
}

/// A line to store: its record, and its document when the stored hash for
/// its source differs (`None`: unchanged).
pub(crate) struct Ready {
    /// Its id within the file (`id`, `url` or file:line).
    pub local_id: String,
    /// The record (id, source, hash and raw bytes set).
    pub rec: Record,
    /// The hash stored for its source before this run.
    pub known_hash: Option<String>,
    /// The document, when the content is new.
    pub prepared: Option<Prepared>,
}

/// What every extraction thread needs to know of the file.
struct Context<'a> {
    key: &'a str,
    file_name: &'a str,
    known: &'a HashMap<String, String>,
    fields: Fields,
}

/// The number of extraction threads: the cores but one, which the
/// caller's thread and the index writer's threads share.
fn workers() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .saturating_sub(1)
        .clamp(1, 8)
}

/// Reads `file` (stored as `key`) and calls `on_line` with every non-blank
/// line in order. `known` is source → stored hash for the file's records.
/// Stops at the first error `on_line` returns.
pub(crate) fn for_each_line<E>(
    file: File,
    key: &str,
    file_name: &str,
    known: &HashMap<String, String>,
    fields: Fields,
    mut on_line: impl FnMut(Line) -> Result<(), E>,
) -> Result<(), E> {
    let ctx = Context {
        key,
        file_name,
        known,
        fields,
    };
    let jobs = workers();
    std::thread::scope(|s| {
        let (line_tx, line_rx) = sync_channel::<Chunk<RawLine>>(IN_FLIGHT);
        let line_rx = Arc::new(Mutex::new(line_rx));
        let (out_tx, out_rx) = sync_channel::<Chunk<Line>>(IN_FLIGHT);
        s.spawn(move || read_lines(file, &line_tx));
        for _ in 0..jobs {
            let rx: Arc<Mutex<Receiver<_>>> = Arc::clone(&line_rx);
            let tx = out_tx.clone();
            let ctx = &ctx;
            s.spawn(move || {
                loop {
                    let next = match rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    let Ok((seq, raws)) = next else {
                        return;
                    };
                    let out = raws
                        .into_iter()
                        .filter_map(|(line_no, raw)| match raw {
                            Ok(buf) => prepare_line(ctx, line_no, buf),
                            Err(reason) => Some(Line::Failed {
                                line: line_no,
                                reason,
                            }),
                        })
                        .collect();
                    if tx.send((seq, out)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(out_tx);
        // Back in file order: the extraction threads finish chunks out of
        // order; at most the chunks in flight wait here.
        let mut pending: BTreeMap<u64, Vec<Line>> = BTreeMap::new();
        let mut next = 0u64;
        for (seq, out) in out_rx {
            pending.insert(seq, out);
            while let Some(out) = pending.remove(&next) {
                next += 1;
                for line in out {
                    // An error drops the receiver: the threads stop.
                    on_line(line)?;
                }
            }
        }
        Ok(())
    })
}

/// The reader thread: every line that is not blank, numbered, in order,
/// in chunks; a read error ends the file.
fn read_lines(file: File, tx: &std::sync::mpsc::SyncSender<Chunk<RawLine>>) {
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut line_no = 0u64;
    let mut seq = 0u64;
    let mut chunk: Vec<RawLine> = Vec::with_capacity(CHUNK_LINES);
    let mut chunk_bytes = 0usize;
    loop {
        let mut buf = Vec::new();
        let item = match reader.read_until(b'\n', &mut buf) {
            Ok(0) => break,
            Ok(_) => {
                line_no += 1;
                while matches!(buf.last(), Some(b'\n' | b'\r')) {
                    buf.pop();
                }
                if buf.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                if buf.len() > MAX_LINE_BYTES {
                    Err(format!("line longer than {MAX_LINE_BYTES} bytes"))
                } else {
                    Ok(buf)
                }
            }
            Err(e) => {
                chunk.push((line_no + 1, Err(e.to_string())));
                break;
            }
        };
        chunk_bytes += item.as_ref().map_or(0, Vec::len);
        chunk.push((line_no, item));
        if chunk.len() >= CHUNK_LINES || chunk_bytes >= CHUNK_BYTES {
            let full = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK_LINES));
            chunk_bytes = 0;
            if tx.send((seq, full)).is_err() {
                return;
            }
            seq += 1;
        }
    }
    if !chunk.is_empty() {
        let _ = tx.send((seq, chunk));
    }
}

/// An extraction thread's work on one line.
fn prepare_line(ctx: &Context<'_>, line_no: u64, buf: Vec<u8>) -> Option<Line> {
    let failed = |reason: String| {
        Some(Line::Failed {
            line: line_no,
            reason,
        })
    };
    let line = match simdutf8::compat::from_utf8(&buf) {
        Ok(l) => l,
        Err(e) => return failed(format!("not UTF-8: {e}")),
    };
    let extracted = match extract_json_line(line) {
        Ok(e) => e,
        Err(e) => return failed(e.to_string()),
    };
    let local_id = extracted
        .id_hint
        .clone()
        .unwrap_or_else(|| format!("{}:{line_no}", ctx.file_name));
    let source = format!("{}#{local_id}", ctx.key);
    let t = now();
    let rec = Record {
        id: doc_id(&source),
        hash: store::content_hash(&buf),
        source,
        path: ctx.key.to_string(),
        line: Some(line_no),
        format: Format::JsonLine,
        raw: buf,
        ingested_at: t,
        updated_at: t,
        fetch: None,
    };
    let known_hash = ctx.known.get(&rec.source).cloned();
    let prepared = (known_hash.as_deref() != Some(rec.hash.as_str())).then(|| {
        let doc = Document::from_extracted(rec.source.clone(), extracted);
        index::prepare(&ctx.fields, &doc, Some(&build_of(&rec)))
    });
    Some(Line::Ready(Box::new(Ready {
        local_id,
        rec,
        known_hash,
        prepared,
    })))
}
