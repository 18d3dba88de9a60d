//! `vanban serve`: the HTTP API and the researcher page over a data
//! directory, until Ctrl-C or SIGTERM.
use std::net::SocketAddr;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use super::Cli;
use crate::datadir::DataDir;
use crate::server::{self, AppState, Limits};

/// The default address: loopback only.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";

/// Arguments of `vanban serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (loopback by default; 0.0.0.0:8080 for every
    /// interface).
    #[arg(long, default_value = DEFAULT_ADDR, value_name = "HOST:PORT")]
    pub addr: SocketAddr,
    /// Searches running at once; more requests wait in line (default:
    /// twice the number of cores).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub max_searches: Option<u16>,
    /// Answers of `/api/search` kept for the same request asked again
    /// (0 turns the page cache off; default 256).
    #[arg(long, value_name = "N")]
    pub page_cache: Option<usize>,
}

/// `vanban serve`.
pub fn run(cli: &Cli, a: &ServeArgs) -> anyhow::Result<ExitCode> {
    let dd = cli.data_dir()?;
    let mut limits = Limits::default();
    if let Some(n) = a.max_searches {
        limits.max_searches = usize::from(n);
    }
    if let Some(n) = a.page_cache {
        limits.page_cache_entries = n;
    }
    serve_with(&dd, a.addr, false, limits)?;
    Ok(ExitCode::SUCCESS)
}

/// Serves `dd` on `addr` until Ctrl-C or SIGTERM. With `fallback`, a busy
/// port falls back to any free loopback port (for `vanban demo`).
pub fn serve_blocking(dd: &DataDir, addr: SocketAddr, fallback: bool) -> anyhow::Result<()> {
    serve_with(dd, addr, fallback, Limits::default())
}

/// [`serve_blocking`] under `limits`.
pub fn serve_with(
    dd: &DataDir,
    addr: SocketAddr,
    fallback: bool,
    limits: Limits,
) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    rt.block_on(async {
        let listener = match tokio::net::TcpListener::bind(addr).await {
            Ok(l) => l,
            Err(e) if fallback && e.kind() == std::io::ErrorKind::AddrInUse => {
                eprintln!("vanban: {addr} is in use; picking a free port");
                tokio::net::TcpListener::bind((addr.ip(), 0))
                    .await
                    .with_context(|| format!("listening on {}", addr.ip()))?
            }
            Err(e) => return Err(e).with_context(|| format!("listening on {addr}")),
        };
        let local = listener.local_addr()?;
        let generation = dd.current().ok().flatten();
        // stdout, so that a script starting the server can read the URL.
        println!(
            "vanban: serving {} ({}) at http://{local}/  (Ctrl-C to stop)",
            dd.root().display(),
            match generation {
                Some(g) => format!("index generation {g}"),
                None => "no index yet: it is picked up as soon as one exists".into(),
            }
        );
        use std::io::Write;
        let _ = std::io::stdout().flush();
        let state = AppState::new(dd.clone(), limits);
        server::serve(listener, state, server::shutdown_signal())
            .await
            .context("serving")?;
        eprintln!("vanban: stopped");
        Ok(())
    })
}
