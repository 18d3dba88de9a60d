//! The `vanban` binary: parse the command line, install logging, run.
/// mimalloc instead of glibc's malloc, for the whole binary. Measured on
/// the 2-core machine (issue 13): ingest of Pháp điển 9.5–10.0 s → 8.0–8.3 s
/// (less time in malloc/free and in page faults), and `vanban serve` on
/// the distinct query set 752 → 921 requests/s (p99 67 → 52 ms); peak RSS
/// of that ingest 340 → 450–500 MB, of the server 150 → 250–290 MB.
/// It replaces the glibc arena limit (`mallopt(M_ARENA_MAX, 2)`) the
/// server had: glibc kept per-thread arenas of the blocking search threads
/// and RSS climbed over a soak run. With mimalloc, a 6-minute soak
/// (`SOAK_SECONDS=360 DELAY_MS=150 bash scripts/soak.sh`: wrk, a reindex
/// loop and a crawl loop at once) kept RSS flat: 191 MB at minute 2,
/// 194 MB at the end (1.014×).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    vanban::cli::main()
}
