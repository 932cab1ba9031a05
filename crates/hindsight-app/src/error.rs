//! Errors of the use cases: the adapters' errors, plus file-system failures.

use std::path::PathBuf;

use hindsight_ingest::IngestError;
use hindsight_model::ErrorKind;
use hindsight_sim::SimError;
use hindsight_store::StoreError;

/// Why a use case failed.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// An import could not run.
    #[error(transparent)]
    Ingest(#[from] IngestError),
    /// The simulator refused or failed.
    #[error(transparent)]
    Simulate(#[from] SimError),
    /// A file or directory could not be created or written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The path.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// Something asked for does not exist.
    #[error("not found: {what}")]
    NotFound {
        /// What, and where it was looked for.
        what: String,
    },
    /// The request needs a choice the caller did not make.
    #[error("ambiguous: {what}")]
    Ambiguous {
        /// What to choose between.
        what: String,
    },
    /// The request is malformed.
    #[error("invalid request: {what}")]
    Invalid {
        /// What is wrong.
        what: String,
    },
    /// A background task died (a bug).
    #[error("internal error: {0}")]
    Task(String),
    /// The database location names a backend this build does not have.
    #[error("unsupported database location {location:?}: {reason}")]
    UnsupportedStore {
        /// What was given.
        location: String,
        /// Why it cannot be used.
        reason: &'static str,
    },
}

impl AppError {
    /// The transport-neutral classification.
    pub fn kind(&self) -> ErrorKind {
        match self {
            AppError::Store(error) => error.kind(),
            AppError::Ingest(error) => error.kind(),
            AppError::Simulate(SimError::InvalidConfig(_)) => ErrorKind::Invalid,
            AppError::Simulate(_) => ErrorKind::Unavailable,
            AppError::Write { .. } => ErrorKind::Unavailable,
            AppError::UnsupportedStore { .. } => ErrorKind::Invalid,
            AppError::Task(_) => ErrorKind::Internal,
            AppError::NotFound { .. } => ErrorKind::NotFound,
            AppError::Ambiguous { .. } => ErrorKind::Conflict,
            AppError::Invalid { .. } => ErrorKind::Invalid,
        }
    }
}

/// Result alias for use cases.
pub type Result<T, E = AppError> = std::result::Result<T, E>;
