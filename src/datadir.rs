//! The data directory: where the store, the index generations, the live
//! generation pointer, the version record and the write lock live.
//!
//! ```text
//! index/
//!   store.sqlite          raw records and pages (source of truth)
//!   generations/N/        tantivy index generation N
//!   CURRENT               name of the live generation (switched atomically)
//!   VERSION               schema and analyzer version of the index
//!   write.lock            held by the one writer (ingest, crawl, reindex)
//! ```
//!
//! Readers never take the lock: they read `CURRENT` and open that
//! generation. Writers (ingest, crawl, reindex) hold [`WriteLock`] for as
//! long as they write.
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Version of the index schema; bump when fields change.
pub const INDEX_SCHEMA_VERSION: u32 = 10;
/// Version of the analyzers (normalization, tokenization, number grammar);
/// bump whenever a change would tokenize stored text differently.
pub const ANALYZER_VERSION: u32 = 2;

/// Errors about the data directory.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// I/O on a path of the data directory.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        #[source]
        source: io::Error,
    },
    /// The index was built by another version of vanban.
    #[error(
        "the index in {dir} was built with index schema {found_schema} / \
         analyzer {found_analyzer}, this vanban uses {INDEX_SCHEMA_VERSION} / \
         {ANALYZER_VERSION}: run `vanban reindex --full` to rebuild it from \
         the store"
    )]
    VersionMismatch {
        /// The data directory.
        dir: PathBuf,
        /// Schema version found on disk.
        found_schema: u32,
        /// Analyzer version found on disk.
        found_analyzer: u32,
    },
    /// The version record does not parse.
    #[error(
        "{path}: unreadable version record ({reason}); run `vanban reindex \
         --full` to rebuild the index"
    )]
    BadVersion {
        /// The VERSION file.
        path: PathBuf,
        /// Why it does not parse.
        reason: String,
    },
    /// Another writer holds the lock and `--no-wait` was given.
    #[error(
        "another vanban writer ({holder}) is using {dir}; wait for it to \
         finish, or run without --no-wait to queue behind it"
    )]
    Locked {
        /// The data directory.
        dir: PathBuf,
        /// What the lock file says about its holder.
        holder: String,
    },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// File in each generation directory recording its version.
const GENERATION_VERSION_FILE: &str = "vanban-version.json";

/// The version record stored in `VERSION`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Version {
    /// Index schema version.
    pub index_schema: u32,
    /// Analyzer version.
    pub analyzer: u32,
}

impl Version {
    /// The version this build of vanban writes.
    pub const CURRENT: Version = Version {
        index_schema: INDEX_SCHEMA_VERSION,
        analyzer: ANALYZER_VERSION,
    };
}

/// A data directory on disk.
#[derive(Debug, Clone)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    /// Opens (creating if needed) the data directory at `root`.
    pub fn open(root: impl Into<PathBuf>) -> Result<Self, Error> {
        let root = root.into();
        fs::create_dir_all(&root).map_err(io_err(&root))?;
        Ok(DataDir { root })
    }

    /// The directory itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `store.sqlite`.
    pub fn store_path(&self) -> PathBuf {
        self.root.join("store.sqlite")
    }

    /// `generations/`.
    pub fn generations_dir(&self) -> PathBuf {
        self.root.join("generations")
    }

    /// `generations/N/`.
    pub fn generation_path(&self, n: u64) -> PathBuf {
        self.generations_dir().join(n.to_string())
    }

    /// The live generation named by `CURRENT`, if any.
    pub fn current(&self) -> Result<Option<u64>, Error> {
        let path = self.root.join("CURRENT");
        match fs::read_to_string(&path) {
            Ok(s) => s.trim().parse().map(Some).map_err(|_| Error::BadVersion {
                path,
                reason: format!("CURRENT holds {:?}", s.trim()),
            }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::Io { path, source: e }),
        }
    }

    /// The version generation `n` was built with (recorded in its
    /// directory when it was created).
    pub fn generation_version(&self, n: u64) -> Result<Option<Version>, Error> {
        let path = self.generation_path(n).join(GENERATION_VERSION_FILE);
        match fs::read_to_string(&path) {
            Ok(s) => serde_json::from_str(&s)
                .map(Some)
                .map_err(|e| Error::BadVersion {
                    path,
                    reason: e.to_string(),
                }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::Io { path, source: e }),
        }
    }

    /// Records in generation `n`'s directory the version it is built with.
    pub fn write_generation_version(&self, n: u64, v: Version) -> Result<(), Error> {
        let json = serde_json::to_string(&v).unwrap_or_default();
        write_atomic(
            &self.generation_path(n).join(GENERATION_VERSION_FILE),
            json.as_bytes(),
        )
    }

    /// Makes generation `n` live, atomically (write a temporary file, then
    /// rename it over `CURRENT`), and records its version in `VERSION`.
    pub fn set_current(&self, n: u64, version: Version) -> Result<(), Error> {
        let json = serde_json::to_string(&version).unwrap_or_default();
        write_atomic(&self.root.join("VERSION"), json.as_bytes())?;
        write_atomic(&self.root.join("CURRENT"), format!("{n}\n").as_bytes())
    }

    /// The numbers of every generation directory on disk, ascending.
    pub fn generations(&self) -> Result<Vec<u64>, Error> {
        let dir = self.generations_dir();
        let mut out = Vec::new();
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(out),
            Err(e) => {
                return Err(Error::Io {
                    path: dir,
                    source: e,
                });
            }
        };
        for entry in entries.flatten() {
            if let Some(n) = entry.file_name().to_str().and_then(|s| s.parse().ok()) {
                out.push(n);
            }
        }
        out.sort_unstable();
        Ok(out)
    }

    /// The recorded version of the live index, if there is one.
    pub fn version(&self) -> Result<Option<Version>, Error> {
        let path = self.root.join("VERSION");
        match fs::read_to_string(&path) {
            Ok(s) => serde_json::from_str(&s)
                .map(Some)
                .map_err(|e| Error::BadVersion {
                    path,
                    reason: e.to_string(),
                }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::Io { path, source: e }),
        }
    }

    /// Fails with a clear error when the live index was built by another
    /// schema or analyzer version.
    pub fn check_version(&self) -> Result<(), Error> {
        match self.version()? {
            Some(v) if v != Version::CURRENT => Err(Error::VersionMismatch {
                dir: self.root.clone(),
                found_schema: v.index_schema,
                found_analyzer: v.analyzer,
            }),
            _ => Ok(()),
        }
    }

    /// Takes the write lock. When another writer holds it, either waits
    /// (calling `on_wait` once with a description of the holder) or, with
    /// `wait == false`, fails with [`Error::Locked`].
    pub fn lock(&self, wait: bool, on_wait: impl FnOnce(&str)) -> Result<WriteLock, Error> {
        let path = self.root.join("write.lock");
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io_err(&path))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = match holder.trim() {
                    "" => "unknown process".to_string(),
                    h => h.to_string(),
                };
                if !wait {
                    return Err(Error::Locked {
                        dir: self.root.clone(),
                        holder,
                    });
                }
                on_wait(&holder);
                file.lock().map_err(io_err(&path))?;
            }
            Err(fs::TryLockError::Error(e)) => {
                return Err(Error::Io { path, source: e });
            }
        }
        // Say who holds it, for the message a waiting writer prints.
        let note = format!("pid {} ({})", std::process::id(), command_line());
        let _ = file.set_len(0);
        let _ = file.rewind();
        let _ = file.write_all(note.as_bytes());
        let _ = file.flush();
        Ok(WriteLock { _file: file })
    }
}

fn command_line() -> String {
    let args: Vec<String> = std::env::args().skip(1).take(3).collect();
    format!("vanban {}", args.join(" "))
}

/// Writes `bytes` to `path` atomically: a temporary file, fsync, rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let tmp = path.with_extension("tmp");
    let mut f = File::create(&tmp).map_err(io_err(&tmp))?;
    f.write_all(bytes).map_err(io_err(&tmp))?;
    f.sync_all().map_err(io_err(&tmp))?;
    drop(f);
    fs::rename(&tmp, path).map_err(io_err(path))
}

/// The held write lock; released when dropped (or when the process dies).
#[derive(Debug)]
pub struct WriteLock {
    _file: File,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn current_round_trips_and_version_is_checked() {
        let tmp = tempfile::tempdir().unwrap();
        let dd = DataDir::open(tmp.path()).unwrap();
        assert_eq!(dd.current().unwrap(), None);
        dd.set_current(3, Version::CURRENT).unwrap();
        assert_eq!(dd.current().unwrap(), Some(3));
        dd.check_version().unwrap();
        let old = Version {
            index_schema: 0,
            analyzer: ANALYZER_VERSION,
        };
        dd.set_current(3, old).unwrap();
        let err = dd.check_version().unwrap_err().to_string();
        assert!(err.contains("vanban reindex --full"), "{err}");
    }

    #[test]
    fn second_writer_is_refused_without_wait() {
        let tmp = tempfile::tempdir().unwrap();
        let dd = DataDir::open(tmp.path()).unwrap();
        let held = dd.lock(false, |_| {}).unwrap();
        let err = dd.lock(false, |_| {}).unwrap_err();
        assert!(matches!(err, Error::Locked { .. }), "{err}");
        assert!(err.to_string().contains("pid"), "{err}");
        drop(held);
        dd.lock(false, |_| {}).unwrap();
    }
}
