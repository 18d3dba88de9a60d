//! The `vanban` binary: parse the command line, install logging, run.
fn main() -> std::process::ExitCode {
    vanban::cli::main()
}
