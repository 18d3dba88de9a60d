//! The command line: clap subcommands, progress bars, exit codes.
//! Orchestration only; the work happens in the library stages.
//!
//! Exit codes: 0 ok, 1 nothing matched or nothing ingested, 2 errors (any
//! failed input, or a fatal error).
mod batch;
mod crawl;
mod doc;
mod ingest;
mod refs;
mod search;
mod serve;
mod term;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::datadir::DataDir;

/// vanban: search Vietnamese Party and state directive documents.
#[derive(Debug, Parser)]
#[command(name = "vanban", version, about, long_about = None)]
pub struct Cli {
    /// The data directory (store, index generations, lock).
    #[arg(long, global = true, env = "VANBAN_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Writers: fail at once instead of waiting when another writer holds
    /// the data directory.
    #[arg(long, global = true)]
    pub no_wait: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Ingest .txt, .html/.htm and .jsonl files and directories (recursive).
    Ingest(ingest::IngestArgs),
    /// Search the index.
    Search(search::SearchArgs),
    /// Crawl sites politely into the store and index their articles.
    Crawl(crawl::CrawlArgs),
    /// Serve the HTTP JSON API and the search page (loopback by default).
    Serve(serve::ServeArgs),
    /// List the document numbers in one file, with what the text says of
    /// each citation (kind, date, issuer, khóa, subject, relation).
    ///
    /// Offsets are bytes into the text as read: a text file decoded
    /// (UTF-8, else windows-1258) and not normalized; for HTML, the text
    /// extraction gives.
    Refs(refs::RefsArgs),
    /// Show one indexed document with its citations both ways.
    Doc(doc::DocArgs),
    /// Build a fresh demo data directory from the bundled fixtures, show
    /// what vanban finds in it, and serve it.
    Demo(ingest::DemoArgs),
    /// Rebuild the index from the store (incrementally, or --full into a
    /// new generation), or --rollback to the previous generation.
    Reindex(batch::ReindexArgs),
    /// Export documents or the citation graph as JSONL or CSV.
    Export(batch::ExportArgs),
    /// What the data directory holds.
    Stats(batch::StatsArgs),
}

/// The default data directory: `index/` at the repository root when run
/// from a checkout, else `./index`.
pub fn default_data_dir() -> PathBuf {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    if repo.join("Cargo.toml").is_file()
        && std::env::current_dir().is_ok_and(|d| d.starts_with(&repo))
    {
        repo.join("index")
    } else {
        PathBuf::from("index")
    }
}

impl Cli {
    fn data_dir(&self) -> anyhow::Result<DataDir> {
        let path = self.data_dir.clone().unwrap_or_else(default_data_dir);
        DataDir::open(&path).with_context(|| format!("opening data directory {}", path.display()))
    }
}

/// Parses the command line, runs it and maps the outcome to an exit code.
pub fn main() -> ExitCode {
    init_tracing();
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Ingest(a) => ingest::run(&cli, a),
        Command::Search(a) => search::run(&cli, a),
        Command::Crawl(a) => crawl::run(&cli, a),
        Command::Serve(a) => serve::run(&cli, a),
        Command::Demo(a) => ingest::demo(&cli, a),
        Command::Reindex(a) => batch::reindex(&cli, a),
        Command::Export(a) => batch::export(&cli, a),
        Command::Stats(a) => batch::stats(&cli, a),
        Command::Refs(a) => refs::run(a),
        Command::Doc(a) => doc::run(&cli, a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            // A closed pipe (`vanban search ... | head`) is not an error.
            if e.chain().any(is_broken_pipe) {
                return ExitCode::SUCCESS;
            }
            eprintln!("vanban: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Whether an error in the chain is a closed pipe. serde_json and csv keep
/// the `io::Error` inside (serde_json's `source()` skips it), so ask them.
fn is_broken_pipe(e: &(dyn std::error::Error + 'static)) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    if let Some(io) = e.downcast_ref::<std::io::Error>() {
        return io.kind() == BrokenPipe;
    }
    if let Some(j) = e.downcast_ref::<serde_json::Error>() {
        return j.io_error_kind() == Some(BrokenPipe);
    }
    if let Some(c) = e.downcast_ref::<csv::Error>()
        && let csv::ErrorKind::Io(io) = c.kind()
    {
        return io.kind() == BrokenPipe;
    }
    false
}

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("VANBAN_LOG")
        .unwrap_or_else(|_| EnvFilter::new("vanban=warn,tantivy=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Takes the write lock, telling the user when it has to wait.
fn lock(cli: &Cli, dd: &DataDir) -> anyhow::Result<crate::datadir::WriteLock> {
    Ok(dd.lock(!cli.no_wait, |holder| {
        eprintln!("vanban: waiting for another writer to finish ({holder}); Ctrl-C to give up, or use --no-wait");
    })?)
}
