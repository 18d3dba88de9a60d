//! The `vanban` binary: global flags, exit codes, JSON shapes, the lock.
use std::process::Command;

use crate::util::{fixture, repo};

fn vanban() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_vanban"));
    c.env_remove("VANBAN_DATA_DIR").env("NO_COLOR", "1");
    c
}

fn run(c: &mut Command) -> (i32, String, String) {
    let out = c.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn ingest_then_search_json_with_data_dir_anywhere() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("d");
    let (code, _, err) = run(vanban()
        .arg("--data-dir")
        .arg(&data)
        .arg("ingest")
        .arg(fixture("seeds")));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("4 new"), "{err}");
    // --data-dir after the subcommand, and the environment variable.
    let (code, out, err) = run(vanban()
        .args(["search", "25-NQ/TW", "--json", "--data-dir"])
        .arg(&data));
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["hits", "query", "took_ms", "total"]);
    assert_eq!(v["total"], 3);
    let hit = v["hits"][0].as_object().unwrap();
    let mut keys: Vec<&str> = hit.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "date",
            "id",
            "issued",
            "issuers",
            "kind",
            "number",
            "published",
            "score",
            "snippet",
            "source",
            "status",
            "title"
        ]
    );
    let (code, out, _) = run(vanban()
        .env("VANBAN_DATA_DIR", &data)
        .args(["search", "xyzzyq qwertzu"]));
    assert_eq!(code, 1, "no hits is exit 1: {out}");
}

#[test]
fn batch_prints_one_json_object_per_query() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("d");
    run(vanban()
        .arg("--data-dir")
        .arg(&data)
        .arg("ingest")
        .arg(fixture("seeds")));
    let queries = tmp.path().join("q.txt");
    std::fs::write(&queries, "cong tac dan van\n\n23-QD/TW\ncites:\n").unwrap();
    let (code, out, err) = run(vanban()
        .arg("--data-dir")
        .arg(&data)
        .args(["search", "--batch"])
        .arg(&queries));
    assert_eq!(code, 2, "the bad query fails the batch: {err}");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["total"], 4);
    assert_eq!(lines[1]["total"], 2);
    assert!(lines[2]["error"].as_str().unwrap().contains("cites:"));
}

#[test]
fn bad_inputs_are_reported_and_fail_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("d");
    let docs = tmp.path().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(
        docs.join("x.jsonl"),
        "{\"title\":\"Tiêu đề\",\"body\":\"Nội dung\"}\n{broken\n",
    )
    .unwrap();
    let (code, _, err) = run(vanban()
        .arg("--data-dir")
        .arg(&data)
        .arg("ingest")
        .arg(&docs)
        .arg(tmp.path().join("missing.txt")));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("x.jsonl:2:"),
        "path and line of the bad line: {err}"
    );
    assert!(err.contains("missing.txt"), "{err}");
    assert!(err.contains("1 new") && err.contains("2 failed"), "{err}");
}

#[test]
fn a_second_writer_is_refused_under_no_wait() {
    let tmp = tempfile::tempdir().unwrap();
    let dd = vanban::datadir::DataDir::open(tmp.path().join("d")).unwrap();
    let _held = dd.lock(false, |_| {}).unwrap();
    let (code, _, err) = run(vanban()
        .arg("--data-dir")
        .arg(dd.root())
        .args(["ingest", "--no-wait"])
        .arg(fixture("seeds")));
    assert_eq!(code, 2);
    assert!(err.contains("another vanban writer"), "{err}");
}

#[test]
fn demo_builds_and_searches_the_bundled_fixtures() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("demo");
    let (code, out, err) = run(vanban()
        .arg("--data-dir")
        .arg(&data)
        .args(["demo", "--no-serve", "--fixtures"])
        .arg(repo("fixtures/demo")));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("vanban search"), "{out}");
    assert!(err.contains("0 failed"), "{err}");
}

/// `vanban export | head -1` and `vanban search ... | head -1`: a reader
/// that goes away is not an error (exit 0, nothing on stderr but the
/// progress lines). The demo's documents export to well over a pipe's
/// 64 KiB buffer, so the writer does meet the closed pipe.
#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("d");
    let (code, _, err) = run(vanban()
        .arg("--data-dir")
        .arg(&data)
        .arg("ingest")
        .arg(repo("fixtures/demo")));
    assert_eq!(code, 0, "{err}");
    for (args, what) in [
        (&["export", "--what", "documents"][..], "export jsonl"),
        (
            &["export", "--what", "documents", "--format", "csv"][..],
            "export csv",
        ),
    ] {
        let mut child = vanban()
            .arg("--data-dir")
            .arg(&data)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert!(!first.is_empty(), "{what}: no output");
        // The reader (and with it the pipe's read end) is gone here.
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{what}: {err}");
        assert!(!err.contains("error"), "{what}: {err}");
    }
}
