//! `vanban crawl`: the crawler's flags, progress line and summary.
use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use super::{Cli, lock};
use crate::crawl::{self, Config, Event, HttpFetcher};

/// Arguments of `vanban crawl`.
#[derive(Debug, Args)]
pub struct CrawlArgs {
    /// Seed URLs (http or https).
    #[arg(required = true, value_name = "URL")]
    pub urls: Vec<String>,
    /// Stop after this many pages fetched in this run.
    #[arg(long, value_name = "N")]
    pub max_pages: Option<u64>,
    /// Do not follow links deeper than this from a seed.
    #[arg(long, value_name = "N")]
    pub max_depth: Option<u32>,
    /// Delay between two requests to one host (robots.txt Crawl-delay may
    /// make it longer).
    #[arg(long, value_name = "MS", default_value_t = 1000)]
    pub delay_ms: u64,
    /// Requests in flight across hosts (one per host, always).
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub concurrency: usize,
    /// Time limit of one whole response, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 20.0)]
    pub timeout: f64,
    /// Also visit this host (repeatable); the seeds' hosts and their www.
    /// twins always are.
    #[arg(long = "allow-host", value_name = "HOST")]
    pub allow_host: Vec<String>,
    /// Only follow URLs matching one of these regexes (repeatable).
    #[arg(long, value_name = "REGEX")]
    pub include: Vec<String>,
    /// Never follow URLs matching any of these regexes (repeatable).
    #[arg(long, value_name = "REGEX")]
    pub exclude: Vec<String>,
    /// The User-Agent header.
    #[arg(long, value_name = "UA")]
    pub user_agent: Option<String>,
    /// Fetch a page again once this old (30s, 15m, 12h, 1d, 2w).
    #[arg(long, value_name = "DURATION", default_value = "1d")]
    pub recrawl_after: String,
    /// Fetch attachment files (.pdf, .doc, ...) too; they are recorded
    /// either way.
    #[arg(long)]
    pub attachments: bool,
    /// Store pages only; do not index them.
    #[arg(long)]
    pub no_index: bool,
}

fn config(a: &CrawlArgs) -> anyhow::Result<Config> {
    let mut seeds = Vec::new();
    for u in &a.urls {
        let url = crawl::url::parse(u).with_context(|| format!("{u:?} is not an http(s) URL"))?;
        seeds.push(url);
    }
    let mut c = Config::new(seeds);
    c.max_pages = a.max_pages;
    c.max_depth = a.max_depth;
    c.delay = Duration::from_millis(a.delay_ms);
    anyhow::ensure!(a.concurrency >= 1, "--concurrency must be at least 1");
    c.concurrency = a.concurrency;
    anyhow::ensure!(
        a.timeout.is_finite() && a.timeout > 0.0 && a.timeout < 86400.0,
        "--timeout must be a number of seconds above 0"
    );
    c.timeout = Duration::from_secs_f64(a.timeout);
    c.allow_hosts = a.allow_host.clone();
    for r in &a.include {
        c.include
            .push(regex::Regex::new(r).with_context(|| format!("--include {r:?}"))?);
    }
    for r in &a.exclude {
        c.exclude
            .push(regex::Regex::new(r).with_context(|| format!("--exclude {r:?}"))?);
    }
    if let Some(ua) = &a.user_agent {
        anyhow::ensure!(!ua.trim().is_empty(), "--user-agent must not be empty");
        c.user_agent = ua.clone();
    }
    c.recrawl_after = crawl::parse_duration(&a.recrawl_after).with_context(|| {
        format!(
            "--recrawl-after {:?}: use e.g. 30s, 15m, 12h, 1d, 2w",
            a.recrawl_after
        )
    })?;
    c.attachments = a.attachments;
    c.no_index = a.no_index;
    Ok(c)
}

/// `vanban crawl`.
pub fn run(cli: &Cli, a: &CrawlArgs) -> anyhow::Result<ExitCode> {
    let config = config(a)?;
    let dd = cli.data_dir()?;
    let lock = lock(cli, &dd)?;
    let fetcher = HttpFetcher::new(&config.user_agent, config.timeout)?;
    let live = std::io::stderr().is_terminal();
    let pb = if live {
        let pb = ProgressBar::new_spinner();
        pb.set_style(
            ProgressStyle::with_template("{spinner} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        pb.enable_steady_tick(Duration::from_millis(200));
        pb
    } else {
        ProgressBar::hidden()
    };
    let mut last_line = std::time::Instant::now();
    let mut on_event = |e: Event<'_>| match e {
        Event::Progress(p) => {
            let line = format!(
                "{} fetched, {} queued, {} errors, {:.1} pages/s",
                p.fetched,
                p.queued,
                p.errors,
                p.rate()
            );
            if live {
                pb.set_message(line);
            } else if last_line.elapsed() >= Duration::from_secs(10) {
                eprintln!("vanban: crawl: {line}");
                last_line = std::time::Instant::now();
            }
        }
        Event::Failed { url, reason } => pb.suspend(|| eprintln!("vanban: failed {url}: {reason}")),
        Event::HostDeferred { origin, reason } => {
            pb.suspend(|| eprintln!("vanban: {origin}: {reason}"))
        }
        Event::Indexing => pb.set_message("indexing"),
    };
    let report = crawl::run(&dd, &lock, &config, fetcher, &mut on_event)
        .with_context(|| format!("crawling into {}", dd.root().display()))?;
    pb.finish_and_clear();
    let secs = report.elapsed.as_secs_f64();
    eprintln!(
        "vanban: crawled {} pages in {:.1}s ({:.1} pages/s): {} new, {} changed, {} unchanged, {} not modified, {} gone, {} skipped, {} failed; {} still queued",
        report.fetched,
        secs,
        if secs > 0.0 {
            report.fetched as f64 / secs
        } else {
            0.0
        },
        report.new,
        report.changed,
        report.unchanged,
        report.not_modified,
        report.gone,
        report.skipped,
        report.failed,
        report.queued,
    );
    if config.no_index {
        eprintln!("vanban: pages stored, not judged (--no-index): `vanban reindex` indexes them");
    } else {
        let p = &report.pages;
        let not_indexed: u64 = p.not_indexed.values().sum();
        let reasons = p
            .not_indexed
            .iter()
            .map(|(k, n)| format!("{n} {}", k.replace('_', " ")))
            .collect::<Vec<_>>()
            .join(", ");
        eprintln!(
            "vanban: pages: {} indexed, {} merged into another document, {} not indexed{}; {} documents removed",
            p.indexed,
            p.merged,
            not_indexed,
            if reasons.is_empty() {
                String::new()
            } else {
                format!(" ({reasons})")
            },
            p.removed
        );
        if not_indexed > 0 {
            eprintln!(
                "vanban: `vanban export --what pages` lists every page with its outcome and reason"
            );
        }
    }
    if report.deferred_hosts > 0 {
        eprintln!(
            "vanban: {} host(s) deferred: robots.txt unavailable; run the crawl again later",
            report.deferred_hosts
        );
    }
    Ok(if report.failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
