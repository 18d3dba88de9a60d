//! The `vanban` binary: parse the command line, install logging, run.
fn main() -> std::process::ExitCode {
    limit_malloc_arenas();
    vanban::cli::main()
}

/// glibc gives threads that allocate at once their own malloc arenas (up
/// to 8 per core) and rarely hands their memory back. In `vanban serve`,
/// whose blocking search threads come and go while index generations
/// switch, the soak test (`scripts/soak.sh`) saw RSS climb 1.14× from
/// minute 2 to minute 10 with the default arenas, and stay flat (1.016×)
/// with two, at the same requests/s and latency. Set before any thread
/// starts; `MALLOC_ARENA_MAX` in the environment still overrides it.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn limit_malloc_arenas() {
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only sets an allocator parameter; it is called
        // before any other thread exists.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limit_malloc_arenas() {}
