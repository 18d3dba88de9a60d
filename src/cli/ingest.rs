//! `vanban ingest` and `vanban demo`.
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use super::{Cli, lock};
use crate::datadir::DataDir;
use crate::ingest::{self, Event, Options, Report};

/// Arguments of `vanban ingest`.
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Files and directories to ingest.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Remove documents whose files are gone (and JSONL lines no longer in
    /// a re-ingested file).
    #[arg(long)]
    pub prune: bool,
}

/// Arguments of `vanban demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where the demo fixtures are (default: the repository's
    /// fixtures/demo).
    #[arg(long, value_name = "DIR")]
    pub fixtures: Option<PathBuf>,
    /// Build and search the demo data, then exit instead of serving it.
    #[arg(long)]
    pub no_serve: bool,
    /// Address to serve the demo on (a busy port falls back to a free one).
    #[arg(long, default_value = super::serve::DEFAULT_ADDR, value_name = "HOST:PORT")]
    pub addr: std::net::SocketAddr,
}

fn progress_bar() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new_spinner();
    pb.set_style(
        ProgressStyle::with_template("{spinner} {pos} records  {per_sec}  {elapsed}  {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    pb.enable_steady_tick(Duration::from_millis(200));
    pb
}

/// Ingests `paths` into `dd`, with a progress bar and failure lines on
/// stderr. Returns the report.
pub fn ingest_paths(
    cli: &Cli,
    dd: &DataDir,
    paths: &[PathBuf],
    opts: &Options,
) -> anyhow::Result<(Report, Duration)> {
    let _lock = lock(cli, dd)?;
    let pb = progress_bar();
    let started = Instant::now();
    let mut on_event = |e: Event<'_>| match e {
        Event::Record => pb.inc(1),
        Event::Failure(f) => pb.suspend(|| eprintln!("vanban: skipped {f}")),
    };
    let report = ingest::ingest(dd, &_lock, paths, opts, &mut on_event)
        .with_context(|| format!("ingesting into {}", dd.root().display()))?;
    pb.finish_and_clear();
    Ok((report, started.elapsed()))
}

fn summary(r: &Report, took: Duration) -> String {
    let secs = took.as_secs_f64();
    let rate = if secs > 0.0 {
        r.seen as f64 / secs
    } else {
        0.0
    };
    let mut s = format!(
        "ingested {} records in {:.1}s ({:.0}/s): {} new, {} updated, {} unchanged, {} removed, {} failed",
        r.seen, secs, rate, r.inserted, r.updated, r.unchanged, r.removed, r.failed
    );
    if r.rebuilt > 0 {
        s.push_str(&format!("; rebuilt {} documents from the store", r.rebuilt));
    }
    s
}

/// `vanban ingest`.
pub fn run(cli: &Cli, a: &IngestArgs) -> anyhow::Result<ExitCode> {
    let dd = cli.data_dir()?;
    let (report, took) = ingest_paths(cli, &dd, &a.paths, &Options { prune: a.prune })?;
    eprintln!("vanban: {}", summary(&report, took));
    Ok(if report.failed > 0 {
        ExitCode::from(2)
    } else if report.seen == 0 && report.removed == 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The bundled demo fixtures.
pub fn demo_fixtures() -> PathBuf {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo");
    if repo.is_dir() {
        repo
    } else {
        PathBuf::from("fixtures/demo")
    }
}

/// `vanban demo`: a fresh data dir from the bundled fixtures (through the
/// same ingest as `vanban ingest`), a few searches, then the server over it
/// unless `--no-serve`.
pub fn demo(cli: &Cli, a: &DemoArgs) -> anyhow::Result<ExitCode> {
    let fixtures = a.fixtures.clone().unwrap_or_else(demo_fixtures);
    anyhow::ensure!(
        fixtures.is_dir(),
        "demo fixtures not found at {}",
        fixtures.display()
    );
    let root = match &cli.data_dir {
        Some(d) => d.clone(),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/demo-data"),
    };
    fresh_demo_dir(&root)?;
    let dd = DataDir::open(&root)?;
    let (report, took) = ingest_paths(cli, &dd, &[fixtures], &Options::default())?;
    eprintln!(
        "vanban: demo data in {}: {}",
        root.display(),
        summary(&report, took)
    );
    let engine = super::search::engine(&dd)?;
    for q in [
        "cong tac dan van",
        "Tỉnh uỷ",
        "23-QD/TW",
        "\"dân vận khéo\"",
    ] {
        let req = crate::search::Request {
            q: q.into(),
            limit: 3,
            ..Default::default()
        };
        let resp = engine.search(&req)?;
        println!("\n$ vanban search {q:?}   ({} hits)", resp.total);
        super::search::print_hits(&mut std::io::stdout().lock(), &resp, super::term::colour())?;
    }
    println!(
        "\nSearch it yourself: cargo run --release -- --data-dir {} search 'your query'",
        root.display()
    );
    if !a.no_serve {
        drop(engine);
        println!();
        super::serve::serve_blocking(&dd, a.addr, true)?;
    }
    Ok(if report.failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// Empties `root` for a fresh demo, refusing to touch a directory that is
/// neither empty nor an earlier demo.
fn fresh_demo_dir(root: &std::path::Path) -> anyhow::Result<()> {
    let marker = root.join(".vanban-demo");
    if root.exists() {
        let empty = std::fs::read_dir(root)?.next().is_none();
        anyhow::ensure!(
            empty || marker.exists(),
            "{} is not empty and not a demo data directory; give `demo` an empty --data-dir",
            root.display()
        );
        if !empty {
            std::fs::remove_dir_all(root)
                .with_context(|| format!("clearing {}", root.display()))?;
        }
    }
    std::fs::create_dir_all(root)?;
    std::fs::write(&marker, "made by `vanban demo`; safe to delete\n")?;
    Ok(())
}
