//! The crate-level error, wrapping each stage's own error type.

/// Any error of the vanban library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Extraction failed.
    #[error(transparent)]
    Extract(#[from] crate::extract::Error),
    /// A document number did not parse.
    #[error(transparent)]
    Refs(#[from] crate::refs::Error),
    /// I/O on a path.
    #[error("{path}: {source}")]
    Io {
        /// The path involved.
        path: std::path::PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
