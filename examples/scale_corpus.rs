//! The scale corpus (issue 13, item 4): N copies of a realistic corpus, one
//! JSONL file per copy, for `scripts/bench-scale.sh`.
//!
//! ```sh
//! cargo run --release --example scale_corpus -- --copies 10 --out target/scale
//! ```
//!
//! One copy is the 62,323 Bộ Pháp điển articles of
//! `corpus/phapdien/articles.jsonl` with the 214 long full texts of
//! `corpus/tvpl` mixed in (one every ~291 articles, as JSONL records with
//! the title and body `vanban ingest` would extract from the `.txt`):
//! ~174 MB of JSONL, so 10 copies are ~620k documents and ~1.7 GB.
//! Copy 0 is the source as it is (the articles' lines byte for byte);
//! copy k > 0 is perturbed so that it neither deduplicates against the
//! others nor distorts term statistics:
//!
//! - **ids**: every record gets an `id` of its own ("pd:LINE:k",
//!   "tvpl:FILE:k"), the article's `anchor` gets the suffix ".k", and
//!   its `vbpl_itemid` and the `ItemID` of its `source_url` are shifted
//!   by k × 10^8.
//! - **document numbers**: every number `refs::scan_numbers` finds (the
//!   document's own number and every citation) gets its serial shifted by
//!   k × M, M the power of ten above the largest serial in the source, so
//!   no number of copy k equals a number of another copy; within a copy
//!   the mapping is one function, so a copy's citation graph has the shape
//!   of the source's (a copy's articles cite the copy's laws). Years, type
//!   codes and dates are kept: the year facets stay as they are.
//! - **words**: a per-copy bijection of word forms. The vocabulary (word
//!   forms lowercased, ranked by frequency over the whole source) is cut
//!   into neighbouring pairs of ranks, and copy k swaps each pair with
//!   probability 1/2 (from a hash of k and the pair). The 300 most frequent
//!   forms are kept: they are the function words and the legal vocabulary
//!   ("điều", "khoản", "nghị", "định", "luật") that the structure, the
//!   citation parser and the query understanding lean on, and they would be
//!   shared by any larger real corpus. A word keeps its case pattern
//!   ("Thanh" → "Xanh" style). Every substituted form is a real syllable of
//!   the corpus with (nearly) the frequency of the one it replaces, so each
//!   copy has the same vocabulary, the same Zipf curve, the same document
//!   lengths and the same burstiness (a form that is frequent in one
//!   document stays frequent there, under another name), which per-token
//!   noise would destroy; what changes is which forms co-occur, so bigrams
//!   and phrases differ between copies as they do between real documents.
//!   Vietnamese syllables are a closed set (~7k in use), so a real corpus
//!   ten times larger has about the same syllable vocabulary and a larger
//!   number vocabulary: this is what the copies do. Random new tokens would
//!   instead grow the term dictionary linearly, and verbatim copies would
//!   deduplicate (and leave every phrase with exactly N× its postings).
//!   A record that these rules would leave unchanged (only kept words, no
//!   number) gets its rarest word swapped with its rank neighbour anyway.
//!
//! Deterministic (`--seed`, default 13), streamed (one copy is written at a
//! time, line by line; only the tvpl texts and the vocabulary are held),
//! and files already present are reused (`copy-v1-KK.jsonl`; the version
//! changes when the rules do).
use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Parser;
use serde_json::{Map, Value, json};
use vanban::refs::scan_numbers;

/// Bumped when the rules change, so stale copies are not reused.
const VERSION: u32 = 1;
/// The most frequent forms, never substituted.
const KEEP_TOP: usize = 300;
/// Syllables kept whatever their rank: the kind nouns, relation words,
/// header and issuer names that `refs` (identity, citations, relations)
/// and the query understanding read. Most are in the top ranks anyway.
const KEEP_WORDS: &[&str] = &[
    "nghị", "quyết", "chỉ", "thị", "định", "quy", "kết", "luận", "kế", "hoạch", "hướng", "dẫn",
    "thông", "báo", "chương", "trình", "công", "văn", "tư", "liên", "tịch", "luật", "bộ", "pháp",
    "lệnh", "bản", "hợp", "nhất", "hiến", "căn", "cứ", "thực", "hiện", "sửa", "đổi", "bổ", "sung",
    "thay", "thế", "bãi", "bỏ", "hết", "hiệu", "lực", "đình", "hành", "thi", "cộng", "hòa", "xã",
    "hội", "chủ", "nghĩa", "việt", "nam", "độc", "lập", "tự", "do", "hạnh", "phúc", "hà", "nội",
    "ngày", "tháng", "năm", "số", "khóa", "chính", "phủ", "quốc", "thủ", "tướng", "trung", "ương",
    "ủy", "ban", "nhân", "dân", "tỉnh", "thành", "phố", "bí", "thư", "điều", "khoản", "điểm",
    "mục",
];
/// Offset of ids and vbpl ItemIDs per copy.
const ID_SHIFT: u64 = 100_000_000;

#[derive(Parser)]
#[command(about = "Writes N perturbed copies of Pháp điển + tvpl as JSONL")]
struct Args {
    /// Copies to have (copy 0 .. N-1); existing files are reused.
    #[arg(long, default_value_t = 1)]
    copies: u32,
    /// Output directory.
    #[arg(long, default_value = "target/scale")]
    out: PathBuf,
    /// The shared corpus (holds corpus/phapdien and corpus/tvpl).
    #[arg(long, env = "VANBAN_SHARED", default_value = "../shared")]
    shared: PathBuf,
    /// Seed of the word substitutions.
    #[arg(long, default_value_t = 13)]
    seed: u64,
}

fn main() -> Result<()> {
    let args = Args::parse();
    fs::create_dir_all(&args.out)?;
    let articles = args.shared.join("corpus/phapdien/articles.jsonl");
    let missing: Vec<u32> = (0..args.copies)
        .filter(|k| !copy_path(&args.out, *k).is_file())
        .collect();
    if missing.is_empty() {
        eprintln!(
            "scale_corpus: {} copies present in {}",
            args.copies,
            args.out.display()
        );
        return Ok(());
    }
    let t0 = std::time::Instant::now();
    let long = read_tvpl(&args.shared.join("corpus/tvpl"))?;
    let source = Source::scan(&articles, &long)?;
    eprintln!(
        "scale_corpus: {} word forms, serial shift {} ({:.1}s)",
        source.vocab.len(),
        source.serial_shift,
        t0.elapsed().as_secs_f64()
    );
    for k in missing {
        let t = std::time::Instant::now();
        let stats = write_copy(&args, &articles, &long, &source, k)?;
        eprintln!(
            "scale_corpus: copy {k}: {} records, {} MB, {:.1}% of words substituted, {} numbers shifted ({:.1}s)",
            stats.records,
            stats.bytes / 1_000_000,
            100.0 * stats.words_changed as f64 / stats.words.max(1) as f64,
            stats.numbers,
            t.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

fn copy_path(out: &Path, k: u32) -> PathBuf {
    out.join(format!("copy-v{VERSION}-{k:02}.jsonl"))
}

/// A long full text: file stem, title and body as `vanban ingest` extracts
/// them from the `.txt`.
struct LongText {
    stem: String,
    title: String,
    body: String,
}

fn read_tvpl(dir: &Path) -> Result<Vec<LongText>> {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    let mut out = Vec::with_capacity(paths.len());
    for p in paths {
        let bytes = fs::read(&p)?;
        let doc = vanban::extract::extract_text(&bytes)
            .with_context(|| format!("extracting {}", p.display()))?;
        let stem = p
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        out.push(LongText {
            stem,
            title: doc.title,
            body: doc.body,
        });
    }
    if out.is_empty() {
        bail!("no .txt in {}", dir.display());
    }
    Ok(out)
}

/// What one pass over the source gives: the vocabulary ranked by
/// frequency and the serial shift.
struct Source {
    /// Lowercased form → rank (0 = most frequent).
    vocab: HashMap<String, u32>,
    /// Forms by rank.
    forms: Vec<String>,
    serial_shift: u64,
}

impl Source {
    fn scan(articles: &Path, long: &[LongText]) -> Result<Source> {
        let mut counts: HashMap<String, u64> = HashMap::new();
        let mut max_serial = 0u64;
        let mut count_text = |s: &str, counts: &mut HashMap<String, u64>| {
            for (_, w) in words(s) {
                *counts.entry(w.to_lowercase()).or_default() += 1;
            }
            for m in scan_numbers(s) {
                if let Some(n) = first_digits(&s[m.span.clone()]) {
                    max_serial = max_serial.max(n.1);
                }
            }
        };
        for line in BufReader::new(File::open(articles)?).lines() {
            let line = line?;
            let Ok(Value::Object(map)) = serde_json::from_str::<Value>(strip_bom(&line)) else {
                continue;
            };
            for key in TEXT_FIELDS {
                if let Some(Value::String(s)) = map.get(*key) {
                    count_text(s, &mut counts);
                }
            }
        }
        for t in long {
            count_text(&t.title, &mut counts);
            count_text(&t.body, &mut counts);
        }
        let mut ranked: Vec<(String, u64)> = counts.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let forms: Vec<String> = ranked.into_iter().map(|(w, _)| w).collect();
        let vocab = forms
            .iter()
            .enumerate()
            .map(|(i, w)| (w.clone(), i as u32))
            .collect();
        let serial_shift = 10u64.pow(max_serial.max(1).ilog10() + 1);
        Ok(Source {
            vocab,
            forms,
            serial_shift,
        })
    }

    /// Copy k's substitution: rank → rank, a product of swaps of
    /// neighbouring ranks past [`KEEP_TOP`].
    fn permutation(&self, seed: u64, k: u32) -> Vec<u32> {
        let n = self.forms.len();
        let mut perm: Vec<u32> = (0..n as u32).collect();
        if k == 0 {
            return perm;
        }
        // Copies pair ranks from two different offsets, so two copies do
        // not share their pairs.
        let free: Vec<usize> = (KEEP_TOP..n)
            .filter(|&r| !KEEP_WORDS.contains(&self.forms[r].as_str()))
            .collect();
        let mut i = k as usize % 2;
        while i + 1 < free.len() {
            if splitmix(seed ^ ((k as u64) << 32) ^ i as u64) & 1 == 1 {
                perm.swap(free[i], free[i + 1]);
            }
            i += 2;
        }
        perm
    }
}

/// The string fields of an article that are text.
const TEXT_FIELDS: &[&str] = &["title", "text", "demuc", "source_citation"];

fn strip_bom(s: &str) -> &str {
    s.strip_prefix('\u{feff}').unwrap_or(s)
}

/// Words of `s`: runs of letters and combining marks, with byte offsets.
fn words(s: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut chars = s.char_indices().peekable();
    std::iter::from_fn(move || {
        loop {
            let (start, c) = chars.next()?;
            if !is_word_char(c) {
                continue;
            }
            let mut end = start + c.len_utf8();
            while let Some(&(i, c)) = chars.peek() {
                if !is_word_char(c) {
                    break;
                }
                end = i + c.len_utf8();
                chars.next();
            }
            return Some((start, &s[start..end]));
        }
    })
}

fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || ('\u{300}'..='\u{36f}').contains(&c)
}

/// The first run of ASCII digits in `s`: its byte range and value.
fn first_digits(s: &str) -> Option<(std::ops::Range<usize>, u64)> {
    let start = s.find(|c: char| c.is_ascii_digit())?;
    let len = s[start..]
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(s.len() - start);
    let n = s[start..start + len].parse().ok()?;
    Some((start..start + len, n))
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Counts of one copy.
#[derive(Default)]
struct Stats {
    records: u64,
    bytes: u64,
    words: u64,
    words_changed: u64,
    numbers: u64,
}

/// Copy k's rewriting of text.
struct Perturb<'a> {
    source: &'a Source,
    perm: Vec<u32>,
    k: u64,
}

impl Perturb<'_> {
    /// `s` with its numbers' serials shifted and its words substituted.
    fn text(&self, s: &str, stats: &mut Stats) -> String {
        let numbers = scan_numbers(s);
        let mut out = String::with_capacity(s.len() + 16);
        let mut at = 0;
        for m in &numbers {
            if m.span.start < at {
                continue;
            }
            self.words_into(&s[at..m.span.start], &mut out, stats);
            let raw = &s[m.span.clone()];
            match first_digits(raw) {
                Some((r, n)) => {
                    out.push_str(&raw[..r.start]);
                    out.push_str(&(n + self.k * self.source.serial_shift).to_string());
                    out.push_str(&raw[r.end..]);
                    stats.numbers += 1;
                }
                None => out.push_str(raw),
            }
            at = m.span.end;
        }
        self.words_into(&s[at..], &mut out, stats);
        out
    }

    fn words_into(&self, s: &str, out: &mut String, stats: &mut Stats) {
        let mut at = 0;
        for (i, w) in words(s) {
            out.push_str(&s[at..i]);
            at = i + w.len();
            stats.words += 1;
            let lower = w.to_lowercase();
            let Some(&rank) = self.source.vocab.get(&lower) else {
                out.push_str(w);
                continue;
            };
            let to = self.perm[rank as usize];
            if to == rank {
                out.push_str(w);
            } else {
                stats.words_changed += 1;
                push_cased(out, w, &self.source.forms[to as usize]);
            }
        }
        out.push_str(&s[at..]);
    }

    /// The record's rarest word swapped with its rank neighbour: for a
    /// record the rules left unchanged.
    fn force(&self, s: &str) -> Option<String> {
        let (i, w, rank) = words(s)
            .filter_map(|(i, w)| Some((i, w, *self.source.vocab.get(&w.to_lowercase())?)))
            .max_by_key(|t| t.2)?;
        let to = if rank as usize + 1 < self.source.forms.len() {
            rank + 1
        } else {
            rank.checked_sub(1)?
        };
        let mut out = String::with_capacity(s.len() + 8);
        out.push_str(&s[..i]);
        push_cased(&mut out, w, &self.source.forms[to as usize]);
        out.push_str(&s[i + w.len()..]);
        Some(out)
    }
}

/// `to` (lowercase) written with the case pattern of `like`.
fn push_cased(out: &mut String, like: &str, to: &str) {
    let mut lc = like.chars();
    let first_upper = lc.next().is_some_and(char::is_uppercase);
    let rest_upper = first_upper && like.chars().count() > 1 && lc.all(|c| !c.is_lowercase());
    if rest_upper {
        out.push_str(&to.to_uppercase());
    } else if first_upper {
        let mut tc = to.chars();
        if let Some(c) = tc.next() {
            out.extend(c.to_uppercase());
            out.push_str(tc.as_str());
        }
    } else {
        out.push_str(to);
    }
}

fn write_copy(
    args: &Args,
    articles: &Path,
    long: &[LongText],
    source: &Source,
    k: u32,
) -> Result<Stats> {
    let path = copy_path(&args.out, k);
    let tmp = path.with_extension("jsonl.tmp");
    let mut out = BufWriter::with_capacity(1 << 20, File::create(&tmp)?);
    let p = Perturb {
        source,
        perm: source.permutation(args.seed, k),
        k: k as u64,
    };
    let mut stats = Stats::default();
    let total = 62_323usize; // the articles; only spaces the long texts
    let every = (total / long.len()).max(1);
    let mut next_long = 0usize;
    let mut buf = String::new();
    for (i, line) in BufReader::with_capacity(1 << 20, File::open(articles)?)
        .lines()
        .enumerate()
    {
        let line = line?;
        buf.clear();
        if k == 0 {
            buf.push_str(&line);
        } else {
            let Ok(Value::Object(map)) = serde_json::from_str::<Value>(strip_bom(&line)) else {
                continue;
            };
            buf.push_str(&serde_json::to_string(&perturb_article(
                &p,
                map,
                i + 1,
                &mut stats,
            ))?);
        }
        buf.push('\n');
        out.write_all(buf.as_bytes())?;
        stats.records += 1;
        stats.bytes += buf.len() as u64;
        if (i + 1) % every == 0 && next_long < long.len() {
            write_long(&mut out, &p, &long[next_long], &mut stats)?;
            next_long += 1;
        }
    }
    for t in &long[next_long..] {
        write_long(&mut out, &p, t, &mut stats)?;
    }
    out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    fs::rename(&tmp, &path)?;
    Ok(stats)
}

fn perturb_article(
    p: &Perturb,
    mut map: Map<String, Value>,
    line_no: usize,
    stats: &mut Stats,
) -> Map<String, Value> {
    let shift = p.k * ID_SHIFT;
    let (before_words, before_numbers) = (stats.words_changed, stats.numbers);
    for key in TEXT_FIELDS {
        if let Some(Value::String(s)) = map.get(*key) {
            let new = p.text(s, stats);
            map.insert((*key).to_string(), Value::String(new));
        }
    }
    if stats.words_changed == before_words && stats.numbers == before_numbers {
        for key in ["text", "title"] {
            if let Some(Value::String(s)) = map.get(key)
                && let Some(new) = p.force(s)
            {
                map.insert(key.to_string(), Value::String(new));
                stats.words_changed += 1;
                break;
            }
        }
    }
    if let Some(Value::String(a)) = map.get("anchor") {
        map.insert("anchor".into(), Value::String(format!("{a}.{}", p.k)));
    }
    if let Some(Value::String(item)) = map.get("vbpl_itemid").cloned()
        && let Ok(n) = item.parse::<u64>()
    {
        let shifted = (n + shift).to_string();
        map.insert("vbpl_itemid".into(), Value::String(shifted.clone()));
        if let Some(Value::String(u)) = map.get("source_url") {
            let u = u.replace(&format!("ItemID={item}"), &format!("ItemID={shifted}"));
            map.insert("source_url".into(), Value::String(u));
        }
    }
    map.insert("id".into(), Value::String(format!("pd:{line_no}:{}", p.k)));
    map
}

fn write_long(out: &mut impl Write, p: &Perturb, t: &LongText, stats: &mut Stats) -> Result<()> {
    let (title, body) = if p.k == 0 {
        (t.title.clone(), t.body.clone())
    } else {
        (p.text(&t.title, stats), p.text(&t.body, stats))
    };
    let line =
        json!({"id": format!("tvpl:{}:{}", t.stem, p.k), "title": title, "body": body}).to_string();
    out.write_all(line.as_bytes())?;
    out.write_all(b"\n")?;
    stats.records += 1;
    stats.bytes += line.len() as u64 + 1;
    Ok(())
}
