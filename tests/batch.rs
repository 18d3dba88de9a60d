//! Batch jobs (issue 6): reindex with an atomic switch while searches run,
//! crash safety, incremental reindex by version, exports that round-trip.
use std::collections::HashSet;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use vanban::index::{Build, IndexHandle};
use vanban::reindex::{self, Options};
use vanban::search::{Engine, Request};
use vanban::store::{Format, Record};

use crate::util::{Data, fixture, repo};

fn reindex(d: &Data, opts: &Options) -> reindex::Report {
    let lock = d.dd.lock(false, |_| {}).unwrap();
    reindex::reindex(&d.dd, &lock, opts, &mut |_| {}).unwrap()
}

#[test]
fn full_reindex_switches_atomically_under_a_stream_of_searches() {
    let d = Data::new();
    d.ingest(&[repo("fixtures/demo"), fixture("seeds")]);
    let before = d.search("cong tac dan van").total;
    assert!(before > 0);
    let stop = Arc::new(AtomicBool::new(false));
    let seen = Arc::new(Mutex::new(Vec::<u64>::new()));
    let (dd, stop2, seen2) = (d.dd.clone(), Arc::clone(&stop), Arc::clone(&seen));
    let searcher = std::thread::spawn(move || {
        let mut n = 0;
        while !stop2.load(Ordering::Relaxed) || n < 20 {
            // What a server does: open the live generation, search it.
            let h = IndexHandle::open_live(&dd)
                .expect("live index opens")
                .expect("an index");
            let g = h.generation;
            let r = Engine::new(h).unwrap().search(&Request {
                q: "cong tac dan van".into(),
                limit: 5,
                ..Default::default()
            });
            assert_eq!(r.expect("search succeeds").total, before, "generation {g}");
            seen2.lock().unwrap().push(g);
            n += 1;
        }
    });
    let r = reindex(
        &d,
        &Options {
            full: true,
            jobs: 2,
            ..Options::default()
        },
    );
    // Wait for the event, not for a pause: the searcher has searched the
    // new generation (or has failed, which join reports).
    while !searcher.is_finished() && !seen.lock().unwrap().contains(&r.generation) {
        std::thread::yield_now();
    }
    stop.store(true, Ordering::Relaxed);
    searcher.join().expect("no failed search");
    assert!(r.switched);
    assert_eq!((r.records, r.indexed, r.failed), (19, 19, 0), "{r:?}");
    let seen = seen.lock().unwrap();
    assert!(
        seen.windows(2).all(|w| w[0] <= w[1]),
        "generations go forward only: {seen:?}"
    );
    assert_eq!(
        *seen.last().unwrap(),
        r.generation,
        "searches see the new generation after the switch"
    );
    // One previous generation is kept for rollback.
    assert_eq!(d.dd.generations().unwrap(), [1, 2]);
    let lock = d.dd.lock(false, |_| {}).unwrap();
    assert_eq!(reindex::rollback(&d.dd, &lock).unwrap(), 1);
    drop(lock);
    assert_eq!(d.search("cong tac dan van").total, before);
}

fn html_changed(rec: &Record) -> Build {
    let mut b = vanban::ingest::build_of(rec);
    if rec.format == Format::Html {
        b.versions.push_str("+html-extractor-changed");
    }
    b
}

#[test]
fn incremental_reindex_redoes_only_what_changed() {
    let d = Data::new();
    d.ingest(&[repo("fixtures/demo")]);
    let files: Vec<_> = std::fs::read_dir(repo("fixtures/demo"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let html = files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .count() as u64;
    let txt = files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .count() as u64;
    assert!(html > 0 && txt > 0);
    let r = reindex(&d, &Options::default());
    assert_eq!(
        (r.indexed, r.unchanged, r.switched),
        (0, html + txt, false),
        "nothing changed: {r:?}"
    );
    let r = reindex(
        &d,
        &Options {
            build_of: html_changed,
            ..Options::default()
        },
    );
    assert_eq!(
        (r.indexed, r.unchanged),
        (html, txt),
        "only the HTML documents: {r:?}"
    );
    let r = reindex(
        &d,
        &Options {
            build_of: html_changed,
            ..Options::default()
        },
    );
    assert_eq!(r.indexed, 0, "{r:?}");
    assert_eq!(d.engine().num_docs(), html + txt);
}

/// Adds `n` stored records that fail extraction (broken JSON lines under a
/// long path). A full reindex reports each failure on stderr after its
/// pipeline has handed every document to the new generation and before it
/// commits, verifies and switches: with more of them than a pipe holds
/// (64 KiB), a `vanban reindex` whose stderr is not read waits there. That
/// is the event the kill and Ctrl-C tests act on, instead of a guess at
/// timing.
fn add_failing_records(d: &Data, n: usize) {
    let mut conn = rusqlite::Connection::open(d.dd.store_path()).unwrap();
    let tx = conn.transaction().unwrap();
    let path = format!("/broken/{}.jsonl", "x".repeat(200));
    for i in 0..n {
        tx.execute(
            "INSERT INTO records (id, source, path, line, format, raw, hash, ingested_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, 'jsonl', ?5, ?6, 0, 0)",
            rusqlite::params![
                format!("broken-{i}"),
                format!("{path}#{}", i + 1),
                path,
                i as i64 + 1,
                b"{broken".as_slice(),
                format!("hash-{i}"),
            ],
        )
        .unwrap();
    }
    tx.commit().unwrap();
}

/// Starts `vanban reindex --full` and returns once its pipeline is done
/// (its first "failed" line): the child then waits on its stderr.
fn reindex_paused_after_the_pipeline(
    d: &Data,
) -> (
    std::process::Child,
    std::io::Lines<std::io::BufReader<std::process::ChildStderr>>,
) {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_vanban"))
        .env_remove("VANBAN_DATA_DIR")
        .arg("--data-dir")
        .arg(d.dd.root())
        .args(["reindex", "--full", "--jobs", "1"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
    loop {
        let line = lines
            .next()
            .expect("the reindex reports its failed records")
            .unwrap();
        if line.starts_with("vanban: failed /broken/") {
            break;
        }
    }
    (child, lines)
}

/// The files of generation `g` once its document store (`.store`) holds
/// data. The writer is paused (see [`reindex_paused_after_the_pipeline`]),
/// so only its indexing threads move: this waits for their event, not for
/// a time; the limit only turns a hang into a failure.
fn wait_for_stored_documents(d: &Data, g: u64) -> Vec<(String, u64)> {
    let limit = std::time::Instant::now() + std::time::Duration::from_secs(300);
    loop {
        let files = segment_files(d, g);
        if files
            .iter()
            .any(|(name, len)| name.ends_with(".store") && *len > 0)
        {
            return files;
        }
        assert!(
            std::time::Instant::now() < limit,
            "no document written into generation {g}: {files:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// The files of generation `g` that hold index data (not the meta and
/// lock files a new generation starts with), with their sizes.
fn segment_files(d: &Data, g: u64) -> Vec<(String, u64)> {
    let mut out: Vec<(String, u64)> = std::fs::read_dir(d.dd.generation_path(g))
        .map(|rd| {
            rd.flatten()
                .map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    (name, e.metadata().map(|m| m.len()).unwrap_or(0))
                })
                .filter(|(name, _)| !name.starts_with('.') && !name.ends_with(".json"))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

#[test]
fn kill_during_full_reindex_keeps_the_live_generation() {
    let d = Data::new();
    let r = d.ingest(&[fixture("tvpl"), fixture("phapdien/sample.jsonl")]);
    assert_eq!((r.inserted, r.failed), (314, 0), "{r:?}");
    add_failing_records(&d, 1_200);
    let docs = d.engine().num_docs();
    let before = d.search("quyen su dung dat").total;
    assert!(before > 0);
    let live = d.dd.current().unwrap().unwrap();
    let (mut child, _stderr) = reindex_paused_after_the_pipeline(&d);
    // The child stays blocked on its full stderr pipe, before its commit;
    // tantivy's indexing threads go on with the documents queued to them.
    // Kill only once some were written into the new generation: its
    // document store (`.store`) holds data.
    let partial = wait_for_stored_documents(&d, live + 1);
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success(), "killed before it finished: {status:?}");
    assert_eq!(d.dd.current().unwrap(), Some(live), "CURRENT untouched");
    assert_eq!(
        d.search("quyen su dung dat").total,
        before,
        "the live generation still serves"
    );
    // The next full reindex removes the partial generation and builds a
    // complete one in its place.
    let r = reindex(
        &d,
        &Options {
            full: true,
            ..Options::default()
        },
    );
    assert!(r.switched);
    assert_eq!((r.indexed, r.failed), (314, 1_200), "{r:?}");
    assert_eq!(r.generation, live + 1);
    assert_eq!(d.engine().num_docs(), docs);
    assert_eq!(d.dd.generations().unwrap(), [live, live + 1]);
    let now: Vec<String> = segment_files(&d, live + 1)
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    let left: Vec<_> = partial.iter().filter(|(n, _)| now.contains(n)).collect();
    assert!(left.is_empty(), "files of the killed run remain: {left:?}");
}

/// Ctrl-C (SIGINT) during `vanban reindex --full`: exit 130, the partial
/// generation removed, the live one untouched.
#[test]
fn ctrl_c_during_full_reindex_removes_the_partial_generation() {
    let d = Data::new();
    d.ingest(&[repo("fixtures/demo"), fixture("seeds")]);
    add_failing_records(&d, 1_200);
    let live = d.dd.current().unwrap().unwrap();
    let before = d.search("cong tac dan van").total;
    let (mut child, stderr) = reindex_paused_after_the_pipeline(&d);
    assert!(
        d.dd.generation_path(live + 1).is_dir(),
        "the new generation is being built"
    );
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    // SAFETY: kill(2) on the pid of a child this test started and has not
    // reaped.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    let rest: Vec<String> = stderr.map(Result::unwrap).collect();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "{rest:?}");
    assert!(
        rest.iter()
            .any(|l| l == "vanban: reindex interrupted; the live index is unchanged"),
        "{:?}",
        &rest[rest.len().saturating_sub(3)..]
    );
    assert!(
        !d.dd.generation_path(live + 1).exists(),
        "partial generation removed"
    );
    assert_eq!(d.dd.generations().unwrap(), [live]);
    assert_eq!(d.dd.current().unwrap(), Some(live));
    assert_eq!(d.search("cong tac dan van").total, before);
}

/// A generation that does not add up is not switched to: a record stored
/// while the reindex reads the store (after its first record) makes the
/// counts disagree.
#[test]
fn a_generation_that_fails_verification_is_removed_and_not_switched_to() {
    let d = Data::new();
    d.ingest(&[repo("fixtures/demo")]);
    let live = d.dd.current().unwrap().unwrap();
    let before = d.search("cong tac dan van").total;
    let store = d.dd.store_path();
    let mut added = false;
    let lock = d.dd.lock(false, |_| {}).unwrap();
    let r = reindex::reindex(
        &d.dd,
        &lock,
        &Options {
            full: true,
            jobs: 1,
            ..Options::default()
        },
        &mut |e| {
            if matches!(e, reindex::Event::Record) && !added {
                added = true;
                let conn = rusqlite::Connection::open(&store).unwrap();
                conn.execute(
                    "INSERT INTO records (id, source, path, line, format, raw, hash, ingested_at, updated_at)
                     VALUES ('late', '/late.txt', '/late.txt', NULL, 'txt', ?1, 'late', 0, 0)",
                    [b"Thu 2, 1/1/2024\nMuon\nNoi dung".as_slice()],
                )
                .unwrap();
            }
        },
    );
    drop(lock);
    match r {
        Err(reindex::Error::Verify { generation, reason }) => {
            assert_eq!(generation, live + 1);
            assert_eq!(
                reason,
                "16 records in the store, 15 read, 15 indexed, 0 failed"
            );
        }
        other => panic!("expected a verification failure, got {other:?}"),
    }
    assert!(
        !d.dd.generation_path(live + 1).exists(),
        "failed generation removed"
    );
    assert_eq!(d.dd.current().unwrap(), Some(live));
    assert_eq!(d.search("cong tac dan van").total, before);
}

#[test]
fn a_version_mismatch_names_the_fix_and_full_reindex_fixes_it() {
    let d = Data::new();
    d.ingest(&[fixture("seeds")]);
    std::fs::write(
        d.dd.root().join("VERSION"),
        r#"{"index_schema":1,"analyzer":1}"#,
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_vanban"))
        .arg("--data-dir")
        .arg(d.dd.root())
        .args(["search", "dan van"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("vanban reindex --full"));
    let r = reindex(
        &d,
        &Options {
            full: true,
            ..Options::default()
        },
    );
    assert_eq!(r.indexed, 4);
    assert_eq!(d.search("dan van").total, 4);
}

#[test]
fn exports_round_trip() {
    let d = Data::new();
    d.ingest(&[repo("fixtures/demo"), fixture("seeds")]);
    let engine = d.engine();
    let run = |what, format| {
        let mut out = Vec::new();
        let r = vanban::export::export(&engine, what, format, &mut out, &mut |_| {}).unwrap();
        (r, String::from_utf8(out).unwrap())
    };
    use vanban::export::{Format, What};
    // Documents: every indexed document once, with its metadata.
    let (r, jsonl) = run(What::Documents, Format::Jsonl);
    let rows: Vec<serde_json::Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len() as u64, engine.num_docs());
    assert_eq!(r.rows, engine.num_docs());
    let ids: HashSet<&str> = rows.iter().map(|v| v["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), rows.len());
    for id in &ids {
        let doc = engine
            .document(id)
            .unwrap()
            .expect("exported id is indexed");
        let row = rows.iter().find(|v| v["id"] == *id).unwrap();
        assert_eq!(row["body"], doc.body);
        assert_eq!(row["number"].as_str(), doc.number.as_deref());
    }
    let seed3 = rows
        .iter()
        .find(|v| v["number"] == "1600-KH/BDVTW")
        .unwrap();
    assert_eq!(seed3["key"], "1600-kh/bdvtw");
    assert_eq!(seed3["issued"], "2018-02-28");
    assert_eq!(seed3["signers"][0], "Trương Thị Mai");
    // CSV parses with a standard reader and has the same documents.
    let (_, csv_text) = run(What::Documents, Format::Csv);
    let mut rd = csv::Reader::from_reader(csv_text.as_bytes());
    assert_eq!(
        rd.headers().unwrap().iter().collect::<Vec<_>>()[..3],
        ["id", "source", "number"]
    );
    let csv_ids: HashSet<String> = rd.records().map(|r| r.unwrap()[0].to_string()).collect();
    assert_eq!(csv_ids.len(), ids.len());
    // Citations: every edge once; as many as stats counts.
    let stats = vanban::stats::collect(&d.dd, Some(&engine)).unwrap();
    let (_, csv_text) = run(What::Citations, Format::Csv);
    let mut rd = csv::Reader::from_reader(csv_text.as_bytes());
    let edges: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    assert_eq!(edges.len() as u64, stats.citations);
    let spans: HashSet<(String, String)> = edges
        .iter()
        .map(|e| (e[0].to_string(), e[7].to_string()))
        .collect();
    assert_eq!(spans.len(), edges.len(), "each edge once");
    let resolved = edges.iter().filter(|e| !e[4].is_empty()).count() as u64;
    assert_eq!(resolved, stats.resolved_citations);
    // Spans slice the stored body at the number as written.
    for e in edges.iter().take(50) {
        let doc = engine.document(&e[0]).unwrap().unwrap();
        let (s, t): (usize, usize) = (e[7].parse().unwrap(), e[8].parse().unwrap());
        assert_eq!(&doc.body[s..t], &e[9]);
    }
}
