//! Retrieval quality on the ALQAC 2024 legal retrieval corpus (issue 2).
//!
//! Each `law.json` article becomes one document (title `<law id> Điều <article
//! id>`, the article text as body), ingested through the same path a user
//! takes (a JSONL file and `ingest`). The 430 questions of
//! `unverified_train.json` are the queries, as written and with every
//! diacritic stripped (đ → d). Reports Recall@1, Recall@10 and MRR@10 for
//! all questions, for 1–300 (the tuning set) and for 301–430 (held out).
//!
//! Run: `cargo bench --bench alqac` (set VANBAN_SHARED to move the data).
use std::collections::HashSet;
use std::io::Write;

use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;
use vanban::datadir::DataDir;
use vanban::ingest::{self, Options};
use vanban::search::{Engine, Request};

#[derive(Deserialize)]
struct Law {
    id: String,
    articles: Vec<Article>,
}

#[derive(Deserialize)]
struct Article {
    id: String,
    text: String,
}

#[derive(Deserialize)]
struct Question {
    text: String,
    relevant_articles: Vec<Relevant>,
}

#[derive(Deserialize)]
struct Relevant {
    law_id: String,
    article_id: String,
}

/// Every diacritic removed, đ → d, case kept.
fn strip(s: &str) -> String {
    s.nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' | 'Ð' => 'D',
            c => c,
        })
        .collect()
}

#[derive(Default, Clone, Copy)]
struct Scores {
    n: usize,
    r1: f64,
    r10: f64,
    mrr10: f64,
}

impl Scores {
    fn add(&mut self, ranked: &[String], relevant: &HashSet<String>) {
        self.n += 1;
        let found = |k: usize| {
            ranked
                .iter()
                .take(k)
                .filter(|t| relevant.contains(*t))
                .count()
        };
        self.r1 += found(1) as f64 / relevant.len() as f64;
        self.r10 += found(10) as f64 / relevant.len() as f64;
        if let Some(p) = ranked.iter().take(10).position(|t| relevant.contains(t)) {
            self.mrr10 += 1.0 / (p + 1) as f64;
        }
    }

    fn line(&self, label: &str) -> String {
        let n = self.n.max(1) as f64;
        format!(
            "{label:<28} n={:<4} R@1 {:.3}  R@10 {:.3}  MRR@10 {:.3}",
            self.n,
            self.r1 / n,
            self.r10 / n,
            self.mrr10 / n
        )
    }
}

fn main() {
    let dir = vanban::testdata::shared("corpus/alqac2024");
    let laws: Vec<Law> =
        serde_json::from_slice(&std::fs::read(dir.join("law.json")).unwrap()).unwrap();
    let questions: Vec<Question> =
        serde_json::from_slice(&std::fs::read(dir.join("unverified_train.json")).unwrap()).unwrap();
    assert_eq!(questions.len(), 430);

    let tmp = tempfile::tempdir().unwrap();
    let jsonl = tmp.path().join("alqac.jsonl");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&jsonl).unwrap());
    let mut articles = 0;
    for law in &laws {
        for a in &law.articles {
            let title = format!("{} Điều {}", law.id, a.id);
            let line = serde_json::json!({"id": title, "title": title, "body": a.text});
            writeln!(out, "{line}").unwrap();
            articles += 1;
        }
    }
    out.flush().unwrap();
    drop(out);
    assert_eq!(articles, 2249);

    let dd = DataDir::open(tmp.path().join("data")).unwrap();
    let lock = dd.lock(false, |_| {}).unwrap();
    let report = ingest::ingest(&dd, &lock, &[jsonl], &Options::default(), &mut |_| {}).unwrap();
    assert_eq!(report.inserted, 2249);
    let engine = Engine::new(vanban::index::IndexHandle::open_live(&dd).unwrap().unwrap()).unwrap();

    for (label, transform) in [("accented", false), ("stripped", true)] {
        let (mut all, mut tune, mut held) =
            (Scores::default(), Scores::default(), Scores::default());
        for (i, q) in questions.iter().enumerate() {
            let text = if transform {
                strip(&q.text)
            } else {
                q.text.clone()
            };
            let req = Request {
                q: text,
                limit: 10,
                ..Default::default()
            };
            let resp = engine.search(&req).unwrap();
            let ranked: Vec<String> = resp.hits.iter().map(|h| h.title.clone()).collect();
            let relevant: HashSet<String> = q
                .relevant_articles
                .iter()
                .map(|r| format!("{} Điều {}", r.law_id, r.article_id))
                .collect();
            all.add(&ranked, &relevant);
            if i < 300 {
                tune.add(&ranked, &relevant)
            } else {
                held.add(&ranked, &relevant)
            }
        }
        println!("{}", all.line(&format!("{label} 1-430")));
        println!("{}", tune.line(&format!("{label} 1-300 (tuning)")));
        println!("{}", held.line(&format!("{label} 301-430 (held out)")));
    }
}
