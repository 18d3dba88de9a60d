use super::*;

fn rec(source: &str, raw: &[u8]) -> Record {
    Record {
        id: format!("id-{source}"),
        source: source.into(),
        path: "/x/a.txt".into(),
        line: None,
        format: Format::Text,
        raw: raw.to_vec(),
        hash: content_hash(raw),
        ingested_at: 1,
        updated_at: 1,
        fetch: None,
    }
}

#[test]
fn upsert_reports_insert_update_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let mut s = Store::open(&tmp.path().join("s.sqlite")).unwrap();
    assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
    let a = rec("/x/a.txt", b"one");
    assert_eq!(s.upsert(&a, None).unwrap(), Upsert::Inserted);
    let h = s.hash_of("/x/a.txt").unwrap();
    assert_eq!(s.upsert(&a, h.as_deref()).unwrap(), Upsert::Unchanged);
    let b = rec("/x/a.txt", b"two");
    let h = s.hash_of("/x/a.txt").unwrap();
    assert_eq!(s.upsert(&b, h.as_deref()).unwrap(), Upsert::Updated);
    assert_eq!(s.count().unwrap(), 1);
    assert_eq!(s.get("id-/x/a.txt").unwrap().unwrap().raw, b"two");
    assert_eq!(s.remove_path("/x/a.txt").unwrap().len(), 1);
    assert_eq!(s.count().unwrap(), 0);
}

/// The bulk-write cache is set on this connection only; the records
/// written through it read back the same from a fresh connection.
#[test]
fn bulk_write_cache_is_this_connections() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("s.sqlite");
    let mut s = Store::open(&p).unwrap();
    let cache = |s: &Store| -> i64 {
        s.conn
            .pragma_query_value(None, "cache_size", |r| r.get(0))
            .unwrap()
    };
    let default = cache(&s);
    s.cache_for_bulk_writes().unwrap();
    assert_eq!(cache(&s), -BULK_CACHE_KIB);
    s.begin().unwrap();
    for i in 0..200 {
        let raw = format!("{i:>10}").repeat(500);
        s.upsert(&rec(&format!("/x/{i}.txt"), raw.as_bytes()), None)
            .unwrap();
    }
    s.commit().unwrap();
    let other = Store::open(&p).unwrap();
    assert_eq!(cache(&other), default);
    assert_eq!(other.count().unwrap(), 200);
}

/// With checkpoints in the background, a commit leaves the records in
/// the log; the requested checkpoint copies them into the database
/// file, and nothing is lost on the way.
#[test]
fn background_checkpoints_copy_commits_into_the_database_file() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("s.sqlite");
    let mut s = Store::open(&p).unwrap();
    let file_len = || std::fs::metadata(&p).unwrap().len();
    let c = s.checkpoint_in_background().unwrap().expect("a thread");
    let auto: i64 = s
        .conn
        .pragma_query_value(None, "wal_autocheckpoint", |r| r.get(0))
        .unwrap();
    assert_eq!(auto, 0, "no checkpoint inside a commit");
    let before = file_len();
    // About 6 MB of records: past the 1,000 pages (4 MB) at which a
    // commit would have checkpointed by itself.
    s.begin().unwrap();
    for i in 0..600 {
        let raw = format!("{i:>10}").repeat(1_000);
        s.upsert(&rec(&format!("/x/{i}.txt"), raw.as_bytes()), None)
            .unwrap();
    }
    s.commit().unwrap();
    assert_eq!(file_len(), before, "the commit stays in the log");
    c.request();
    drop(c); // waits for the requested checkpoint
    assert!(file_len() > before + 3_000_000, "{} bytes", file_len());
    drop(s);
    let s = Store::open(&p).unwrap();
    assert_eq!(s.count().unwrap(), 600);
    let raw = s.get("id-/x/599.txt").unwrap().unwrap().raw;
    assert_eq!(raw, format!("{:>10}", 599).repeat(1_000).into_bytes());
}

#[test]
fn reopening_keeps_records_and_version() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("s.sqlite");
    {
        let mut s = Store::open(&p).unwrap();
        s.upsert(&rec("/x/a.txt", b"one"), None).unwrap();
    }
    let s = Store::open(&p).unwrap();
    assert_eq!(s.count().unwrap(), 1);
    assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
}
