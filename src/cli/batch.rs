//! Batch jobs: `vanban reindex`, `vanban export`, `vanban stats`.
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};

use super::search::engine;
use super::{Cli, lock};
use crate::export::{self, Format, What};
use crate::index::IndexHandle;
use crate::reindex::{self, Event, Options};
use crate::stats;

/// Arguments of `vanban reindex`.
#[derive(Debug, Args)]
pub struct ReindexArgs {
    /// Build a new generation from the store alone and switch to it when it
    /// is complete and verified.
    #[arg(long, conflicts_with = "rollback")]
    pub full: bool,
    /// Extraction threads (default: the number of cores).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Switch back to the previous generation.
    #[arg(long)]
    pub rollback: bool,
}

/// Arguments of `vanban export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// What to export.
    #[arg(long, value_enum)]
    pub what: WhatArg,
    /// Output format.
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: FormatArg,
    /// Write to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// `--what`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum WhatArg {
    /// Documents with all metadata.
    Documents,
    /// The citation graph, one edge per row.
    Citations,
    /// Every fetched URL of the crawl: url, final_url, http_status,
    /// outcome (indexed, merged, not_indexed …), reason, doc_id.
    Pages,
}

/// `--format`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// One JSON object per line.
    Jsonl,
    /// CSV with a header row.
    Csv,
}

/// Arguments of `vanban stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

fn bar(total: Option<u64>, what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let (pb, template) = match total {
        Some(n) => (
            ProgressBar::new(n),
            format!("{{bar:30}} {{pos}}/{{len}} {what}  {{per_sec}}  ETA {{eta}}"),
        ),
        None => (
            ProgressBar::new_spinner(),
            format!("{{spinner}} {{pos}} {what}  {{per_sec}}"),
        ),
    };
    pb.set_style(
        ProgressStyle::with_template(&template).unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    pb.enable_steady_tick(Duration::from_millis(200));
    pb
}

/// A flag set by Ctrl-C, so a batch job can stop cleanly.
fn interrupt_flag() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let f = Arc::clone(&flag);
    let _ = ctrlc::set_handler(move || {
        if f.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
        eprintln!("\nvanban: stopping (Ctrl-C again to quit at once)");
    });
    flag
}

/// `vanban reindex`.
pub fn reindex(cli: &Cli, a: &ReindexArgs) -> anyhow::Result<ExitCode> {
    let dd = cli.data_dir()?;
    let lock = lock(cli, &dd)?;
    if a.rollback {
        let g = reindex::rollback(&dd, &lock)?;
        eprintln!("vanban: rolled back to generation {g}");
        return Ok(ExitCode::SUCCESS);
    }
    let mut opts = Options {
        full: a.full,
        cancel: interrupt_flag(),
        ..Options::default()
    };
    if let Some(j) = a.jobs {
        anyhow::ensure!(j > 0, "--jobs must be at least 1");
        opts.jobs = j;
    }
    let started = Instant::now();
    let mut pb = ProgressBar::hidden();
    let mut on_event = |e: Event<'_>| match e {
        Event::Total(n) => pb = bar(Some(n), "records"),
        Event::Record => pb.inc(1),
        Event::Failure(f) => pb.suspend(|| eprintln!("vanban: failed {f}")),
    };
    let result = reindex::reindex(&dd, &lock, &opts, &mut on_event);
    pb.finish_and_clear();
    let r = match result {
        Err(reindex::Error::Interrupted) => {
            eprintln!("vanban: reindex interrupted; the live index is unchanged");
            return Ok(ExitCode::from(130));
        }
        other => other.with_context(|| format!("reindexing {}", dd.root().display()))?,
    };
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "vanban: reindexed {} records in {:.1}s ({:.0}/s): {} rebuilt, {} crawled pages, {} unchanged, {} removed, {} failed; {} generation {}",
        r.records,
        secs,
        r.records as f64 / secs.max(1e-9),
        r.indexed,
        r.crawled,
        r.unchanged,
        r.removed,
        r.failed,
        if r.switched { "switched to" } else { "live" },
        r.generation
    );
    Ok(if r.failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// `vanban export`.
pub fn export(cli: &Cli, a: &ExportArgs) -> anyhow::Result<ExitCode> {
    let dd = cli.data_dir()?;
    let format = match a.format {
        FormatArg::Jsonl => Format::Jsonl,
        FormatArg::Csv => Format::Csv,
    };
    let what = match a.what {
        WhatArg::Documents => What::Documents,
        WhatArg::Citations => What::Citations,
        WhatArg::Pages => return export_pages(&dd, format, a.out.as_deref()),
    };
    let engine = engine(&dd)?;
    let pb = bar(Some(engine.num_docs()), "documents");
    let mut progress = |n: u64| pb.set_position(n);
    let report = match &a.out {
        Some(path) => {
            let f = std::fs::File::create(path)
                .with_context(|| format!("creating {}", path.display()))?;
            export::export(&engine, what, format, f, &mut progress)?
        }
        None => export::export(
            &engine,
            what,
            format,
            std::io::stdout().lock(),
            &mut progress,
        )?,
    };
    pb.finish_and_clear();
    eprintln!(
        "vanban: exported {} rows from {} documents",
        report.rows, report.documents
    );
    Ok(ExitCode::SUCCESS)
}

/// `vanban export --what pages`: from the store, no index needed.
fn export_pages(
    dd: &crate::datadir::DataDir,
    format: Format,
    out: Option<&std::path::Path>,
) -> anyhow::Result<ExitCode> {
    let store = crate::store::Store::open(&dd.store_path())?;
    let report = match out {
        Some(path) => {
            let f = std::fs::File::create(path)
                .with_context(|| format!("creating {}", path.display()))?;
            export::export_pages(&store, format, f, &mut |_| {})?
        }
        None => export::export_pages(&store, format, std::io::stdout().lock(), &mut |_| {})?,
    };
    eprintln!("vanban: exported {} pages", report.rows);
    Ok(ExitCode::SUCCESS)
}

/// `vanban stats`.
pub fn stats(cli: &Cli, a: &StatsArgs) -> anyhow::Result<ExitCode> {
    let dd = cli.data_dir()?;
    let engine = match IndexHandle::open_live(&dd)? {
        Some(h) => Some(crate::search::Engine::new(h)?),
        None => None,
    };
    let s = stats::collect(&dd, engine.as_ref())?;
    let mut out = std::io::stdout().lock();
    if a.json {
        serde_json::to_writer(&mut out, &s)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "documents           {}", s.documents)?;
    writeln!(out, "stored records      {}", s.pages)?;
    writeln!(
        out,
        "citations           {} ({} resolved)",
        s.citations, s.resolved_citations
    )?;
    writeln!(
        out,
        "live generation     {}",
        s.generation.map_or("none".into(), |g| g.to_string())
    )?;
    writeln!(
        out,
        "store size          {:.1} MB",
        s.store_bytes as f64 / 1e6
    )?;
    writeln!(
        out,
        "last crawl          {}",
        s.last_crawl.as_deref().unwrap_or("never")
    )?;
    let top = |m: &std::collections::BTreeMap<String, u64>| {
        let mut v: Vec<_> = m.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        v.iter()
            .take(12)
            .map(|(k, n)| format!("{k} ({n})"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    writeln!(out, "by kind             {}", top(&s.by_kind))?;
    writeln!(
        out,
        "by year             {}",
        s.by_year
            .iter()
            .map(|(y, n)| format!("{y}: {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    Ok(ExitCode::SUCCESS)
}
