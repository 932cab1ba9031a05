//! Import errors: failures that stop a file (as opposed to bad records, which are reported and
//! skipped).

use std::path::PathBuf;

use hindsight_model::ErrorKind;
use hindsight_store::StoreError;

/// Why a file could not be imported at all.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The file could not be opened or read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// Writing to the store failed; the records of earlier batches are committed (re-running the
    /// import is safe: it is idempotent).
    #[error("storing records from {path} failed after {committed} were committed: {source}")]
    Store {
        /// The file.
        path: PathBuf,
        /// Records committed before the failure.
        committed: u64,
        /// The store's error (boxed: it is large and rare).
        source: Box<StoreError>,
    },
    /// The background reader task died (a bug).
    #[error("the reader of {path} stopped unexpectedly: {message}")]
    Reader {
        /// The file.
        path: PathBuf,
        /// What happened.
        message: String,
    },
}

impl IngestError {
    /// The transport-neutral classification.
    pub fn kind(&self) -> ErrorKind {
        match self {
            IngestError::Read { source, .. } if source.kind() == std::io::ErrorKind::NotFound => ErrorKind::NotFound,
            IngestError::Read { .. } => ErrorKind::Invalid,
            IngestError::Store { source, .. } => source.kind(),
            IngestError::Reader { .. } => ErrorKind::Internal,
        }
    }
}

/// Result alias for imports.
pub type Result<T, E = IngestError> = std::result::Result<T, E>;
