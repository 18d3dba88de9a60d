//! `vanban search`, one query or a batch.
use std::io::{BufRead, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::NaiveDate;
use clap::Args;

use super::Cli;
use super::term::{bold, colour, dim, snippet_text};
use crate::datadir::DataDir;
use crate::index::IndexHandle;
use crate::search::{Engine, Request, SearchResponse, Sort};

/// Arguments of `vanban search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query: words with or without diacritics, "phrases", -exclusions,
    /// document numbers in any spelling, cites:NUMBER.
    #[arg(value_name = "QUERY", required_unless_present = "batch")]
    pub query: Option<String>,
    /// Read one query per line from FILE ("-" for stdin) and print one JSON
    /// object per line.
    #[arg(long, value_name = "FILE", conflicts_with = "query")]
    pub batch: Option<PathBuf>,
    /// Only documents of this kind ("Kế hoạch", "ke hoach").
    #[arg(long)]
    pub kind: Option<String>,
    /// Only documents with an issuer containing these words.
    #[arg(long)]
    pub issuer: Option<String>,
    /// Only documents dated in this year.
    #[arg(long)]
    pub year: Option<i32>,
    /// Only documents dated on or after DATE (YYYY-MM-DD or DD/MM/YYYY).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub from: Option<NaiveDate>,
    /// Only documents dated on or before DATE.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub to: Option<NaiveDate>,
    /// Order of hits.
    #[arg(long, value_enum, default_value = "relevance")]
    pub sort: SortArg,
    /// Hits per page (at most 100).
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Hits to skip.
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Only documents in this validity state: in_force, partly_expired,
    /// expired, replaced, repealed, suspended, not_yet_in_force, unknown.
    #[arg(long, value_name = "STATE", value_parser = parse_state)]
    pub status: Option<crate::status::State>,
}

/// Parses a validity state ("replaced", "in_force", "Còn hiệu lực").
pub fn parse_state(s: &str) -> Result<crate::status::State, String> {
    crate::status::State::parse(s).ok_or_else(|| {
        format!(
            "{s:?} is not a state: in_force, partly_expired, expired, replaced, repealed, \
             suspended, not_yet_in_force, unknown"
        )
    })
}

/// `--sort`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum SortArg {
    /// By relevance.
    Relevance,
    /// Newest first.
    Date,
}

/// Parses `YYYY-MM-DD` or `DD/MM/YYYY`.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .map_err(|_| format!("{s:?} is not a date (YYYY-MM-DD or DD/MM/YYYY)"))
}

/// The engine over the live generation of `dd`.
pub fn engine(dd: &DataDir) -> anyhow::Result<Engine> {
    let handle = IndexHandle::open_live(dd)?.with_context(|| {
        format!(
            "no index in {} yet: run `vanban ingest PATH` first",
            dd.root().display()
        )
    })?;
    Ok(Engine::new(handle)?)
}

fn request(a: &SearchArgs, q: String) -> Request {
    Request {
        q,
        kind: a.kind.clone(),
        issuer: a.issuer.clone(),
        year: a.year,
        from: a.from,
        to: a.to,
        sort: match a.sort {
            SortArg::Relevance => Sort::Relevance,
            SortArg::Date => Sort::Date,
        },
        limit: a.limit,
        offset: a.offset,
        status: a.status,
    }
}

/// `vanban search`.
pub fn run(cli: &Cli, a: &SearchArgs) -> anyhow::Result<ExitCode> {
    let dd = cli.data_dir()?;
    let engine = engine(&dd)?;
    if let Some(batch) = &a.batch {
        return run_batch(&engine, a, batch);
    }
    let q = a.query.clone().unwrap_or_default();
    let resp = engine.search(&request(a, q))?;
    if a.json {
        let mut out = std::io::stdout().lock();
        serde_json::to_writer(&mut out, &resp)?;
        writeln!(out)?;
    } else {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{} documents ({:.1} ms)", resp.total, resp.took_ms)?;
        print_understanding(&mut out, &resp)?;
        print_hits(&mut out, &resp, colour())?;
    }
    Ok(if resp.total == 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn run_batch(engine: &Engine, a: &SearchArgs, path: &PathBuf) -> anyhow::Result<ExitCode> {
    let input: Box<dyn BufRead> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let f = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
        Box::new(std::io::BufReader::new(f))
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut failed = 0u64;
    for (i, line) in input.lines().enumerate() {
        let line = line.with_context(|| format!("reading {}", path.display()))?;
        let q = line.trim();
        if q.is_empty() {
            continue;
        }
        match engine.search(&request(a, q.to_string())) {
            Ok(resp) => serde_json::to_writer(&mut out, &resp)?,
            Err(e) => {
                failed += 1;
                eprintln!("vanban: {}:{}: {e}", path.display(), i + 1);
                let err = serde_json::json!({"query": q, "error": e.to_string()});
                serde_json::to_writer(&mut out, &err)?;
            }
        }
        writeln!(out)?;
    }
    out.flush()?;
    Ok(if failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// Prints what the query was understood as (issue 11): Telex or VNI
/// decoded, the number parts read, a did-you-mean.
pub fn print_understanding(out: &mut impl Write, resp: &SearchResponse) -> std::io::Result<()> {
    if let Some(i) = &resp.interpreted_as {
        writeln!(out, "Interpreted as (đã hiểu là): {i}")?;
    }
    if let Some(u) = &resp.understood {
        writeln!(out, "Looking for (tìm văn bản): {u}")?;
    }
    if let Some(d) = &resp.did_you_mean {
        writeln!(out, "Did you mean (có phải bạn muốn tìm): {d}")?;
    }
    Ok(())
}

/// Prints hits as readable text.
pub fn print_hits(
    out: &mut impl Write,
    resp: &SearchResponse,
    colour: bool,
) -> std::io::Result<()> {
    for (i, h) in resp.hits.iter().enumerate() {
        let mut meta = Vec::new();
        if let Some(n) = &h.number {
            meta.push(n.clone());
        }
        if let Some(k) = &h.kind {
            meta.push(k.clone());
        }
        if let Some(d) = h.date {
            meta.push(d.format("%d/%m/%Y").to_string());
        }
        if !h.issuers.is_empty() {
            meta.push(h.issuers.join("; "));
        }
        // A document no longer (or not yet) in force says so (issue 12).
        if let Some(st) = h.status.filter(|s| {
            !matches!(
                s,
                crate::status::State::InForce | crate::status::State::Unknown
            )
        }) {
            meta.push(format!("[{}]", st.label()));
        }
        writeln!(out, "{:>3}. {}", i + 1, bold(&h.title, colour))?;
        if !meta.is_empty() {
            writeln!(out, "     {}", meta.join(" · "))?;
        }
        writeln!(out, "     {}", snippet_text(&h.snippet, colour))?;
        writeln!(
            out,
            "     {}",
            dim(
                &format!("{}  id={}  score={:.2}", h.source, h.id, h.score),
                colour
            )
        )?;
    }
    Ok(())
}
