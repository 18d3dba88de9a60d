//! The seeds against golden files written by reading them
//! (`fixtures/refs/<seed>.expected.json`), compared field by field, and
//! `vanban refs` on standard input (HTML, table output).
use std::collections::{HashMap, HashSet};
use std::process::Stdio;

use serde_json::Value;
use vanban::testdata::{fixture, repo};

use super::{refs_json, vanban};

/// Compares two JSON objects field by field; returns one line per
/// difference, prefixed with `at`.
fn diff_fields(at: &str, want: &Value, got: &Value, out: &mut Vec<String>) {
    let (Some(w), Some(g)) = (want.as_object(), got.as_object()) else {
        if want != got {
            out.push(format!("{at}: expected {want}, got {got}"));
        }
        return;
    };
    for (k, wv) in w {
        let gv = g.get(k).unwrap_or(&Value::Null);
        if wv != gv {
            out.push(format!("{at}: {k}: expected {wv}, got {gv}"));
        }
    }
    for k in g.keys().filter(|k| !w.contains_key(*k)) {
        out.push(format!("{at}: unexpected field {k} = {}", g[k]));
    }
}

/// Matches expected and found entries by span, then compares the matched
/// ones field by field.
fn diff_list(name: &str, want: &Value, got: &Value, out: &mut Vec<String>) {
    let empty = Vec::new();
    let want = want.as_array().unwrap_or(&empty);
    let got = got.as_array().unwrap_or(&empty);
    let span = |v: &Value| (v["start"].as_u64(), v["end"].as_u64());
    let got_at: HashMap<_, (usize, &Value)> = got
        .iter()
        .enumerate()
        .map(|(i, v)| (span(v), (i, v)))
        .collect();
    let want_spans: HashSet<_> = want.iter().map(span).collect();
    for (i, w) in want.iter().enumerate() {
        let at = format!("{name}[{i}] {} at {}", w["raw"], w["start"]);
        match got_at.get(&span(w)) {
            None => out.push(format!("{at}: missing")),
            Some((j, g)) => {
                if *j != i {
                    out.push(format!("{at}: found at index {j}"));
                }
                diff_fields(&at, w, g, out);
            }
        }
    }
    for (j, g) in got.iter().enumerate() {
        if !want_spans.contains(&span(g)) {
            out.push(format!(
                "{name}[{j}] {} at {}: not expected (number {}, relation {})",
                g["raw"], g["start"], g["number"], g["relation"]
            ));
        }
    }
}

fn golden(stem: &str) {
    let expected_path = repo(&format!("fixtures/refs/{stem}.expected.json"));
    let want: Value = serde_json::from_str(
        &std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display())),
    )
    .expect("golden JSON");
    let seed = fixture(&format!("seeds/{stem}.txt"));
    let got = refs_json(&[seed.to_str().expect("UTF-8 path")], None);
    // The spans slice the file as read.
    let text = std::fs::read_to_string(&seed).expect("seed is UTF-8");
    for r in got["refs"].as_array().into_iter().flatten() {
        let (s, e) = (
            r["start"].as_u64().unwrap() as usize,
            r["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(text.get(s..e), r["raw"].as_str(), "{stem}: span of {r}");
    }
    let mut diffs = Vec::new();
    diff_fields("document", &want["document"], &got["document"], &mut diffs);
    diff_list("refs", &want["refs"], &got["refs"], &mut diffs);
    diff_list(
        "unnumbered",
        &want["unnumbered"],
        &got["unnumbered"],
        &mut diffs,
    );
    assert!(
        diffs.is_empty(),
        "{stem}: {} difference(s) between `vanban refs --json` and {}:\n  {}",
        diffs.len(),
        expected_path.display(),
        diffs.join("\n  ")
    );
}

#[test]
fn golden_seed_000_joint_programme() {
    golden("000_f4a88a29cc140eda");
}

#[test]
fn golden_seed_002_news_report() {
    golden("002_b060b9e4aeb61548");
}

#[test]
fn golden_seed_003_plan() {
    golden("003_3c74891c68df0f2c");
}

#[test]
fn golden_seed_004_spaced_numbers() {
    golden("004_77dcfc2677e573d5");
}

#[test]
fn stdin_html_and_table_output() {
    // stdin ("-" and no FILE) reads text.
    let text = "Kế hoạch số 15-KH/TU ngày 2/3/2021\n\nCăn cứ Nghị quyết số 25 – NQ/TW; \
                thực hiện Nghị quyết 25 và Nghị quyết 26.\n";
    for args in [&["-"][..], &[]] {
        let v = refs_json(args, Some(text.as_bytes()));
        let got: Vec<(&str, &str, Option<&str>, Option<u64>)> = v["refs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["raw"].as_str().unwrap(),
                    r["number"].as_str().unwrap(),
                    r["key"].as_str(),
                    r["resolved_from"].as_u64(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("15-KH/TU", "15-KH/TU", Some("15-kh/tu"), None),
                ("25 – NQ/TW", "25-NQ/TW", Some("25-nq/tw"), None),
                ("Nghị quyết 25", "25-NQ/TW", Some("25-nq/tw"), Some(1)),
                ("Nghị quyết 26", "26", None, None),
            ]
        );
        assert_eq!(v["refs"][0]["relation"], "self");
        assert_eq!(v["document"]["number"], "15-KH/TU");
    }
    // HTML: offsets into the extracted text; the own number from the page.
    let page = repo("fixtures/demo/qd-128-tu-2017.html");
    let v = refs_json(&[page.to_str().unwrap()], None);
    assert_eq!(v["document"]["number"], "128-QĐ/TU");
    let raws: Vec<&str> = v["refs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["raw"].as_str().unwrap())
        .collect();
    assert!(raws.contains(&"25 – NQ/TW"), "{raws:?}");
    // The readable table.
    let out = vanban()
        .args(["refs"])
        .arg(fixture("seeds/004_77dcfc2677e573d5.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("\"25 – NQ/TW\""), "{table}");
    assert!(table.contains("6 references"), "{table}");
    // Nothing found: exit 1.
    let mut c = vanban();
    let status = c
        .args(["refs", "-"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1));
}
