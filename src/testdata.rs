//! Where the tests and benchmarks find their data: one helper instead of a
//! path constant per test file.
//!
//! - [`fixture`]: small real samples committed under `fixtures/` (source
//!   noted beside them). The default test suite reads only these, so it
//!   passes on a clone of the repository alone.
//! - [`shared`]: the full shared corpus (`../shared` beside the repository,
//!   or the folder named by `VANBAN_SHARED`). Only benchmarks and the
//!   corpus suite (`scripts/test.sh --corpus`, i.e. `--features corpus`)
//!   read it; a missing file there is a failure that says what is missing,
//!   never a silent skip.
//!
//! Paths are resolved against the crate's source folder at compile time
//! (`CARGO_MANIFEST_DIR`), not the working directory, so every test binary,
//! bench and doctest finds the same files.
use std::path::{Path, PathBuf};

/// The environment variable that names the shared corpus folder.
pub const SHARED_ENV: &str = "VANBAN_SHARED";

/// The repository root (the crate's manifest folder).
pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A path under the repository (`fixtures/...`, `tests/...`).
pub fn repo(rel: &str) -> PathBuf {
    repo_root().join(rel)
}

/// A committed fixture: `fixture("seeds/000_x.txt")` is
/// `fixtures/seeds/000_x.txt`.
///
/// # Panics
/// When the file or folder is missing: fixtures are part of the repository,
/// so that is a broken checkout, not an optional input.
pub fn fixture(rel: &str) -> PathBuf {
    let p = repo_root().join("fixtures").join(rel);
    assert!(
        p.exists(),
        "fixture {} is missing from the repository (fixtures/ is committed; \
         a broken checkout?)",
        p.display()
    );
    p
}

/// The files of `dir` whose extension is `ext` (no dot), sorted by path.
///
/// # Panics
/// When `dir` cannot be read: tests and benchmarks name folders that must
/// be there.
pub fn files_with_extension(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    files.sort();
    files
}

/// The shared corpus folder, when it is there: `VANBAN_SHARED` if set,
/// else `../shared` beside the repository.
pub fn shared_dir() -> Option<PathBuf> {
    let p = std::env::var_os(SHARED_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared"));
    p.is_dir().then_some(p)
}

/// A file or folder of the shared corpus: `shared("corpus/tvpl")`.
///
/// # Panics
/// With a message naming the missing path and how to provide it: the
/// corpus suite and the benchmarks need the shared folder and never skip.
pub fn shared(rel: &str) -> PathBuf {
    let Some(dir) = shared_dir() else {
        panic!(
            "the shared corpus is missing: expected ../shared beside the \
             repository ({}) or {SHARED_ENV}=DIR; it is needed for `{rel}` \
             (the corpus suite and benchmarks only; the default tests read \
             fixtures/)",
            repo_root().join("../shared").display()
        );
    };
    let p = dir.join(rel);
    assert!(
        p.exists(),
        "{} is missing from the shared corpus at {}",
        rel,
        dir.display()
    );
    p
}
