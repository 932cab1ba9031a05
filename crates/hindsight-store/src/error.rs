//! Storage errors.

use hindsight_model::{ErrorKind, TenantId};

/// Why a storage operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be opened (missing directory, permissions, not a database).
    #[error("cannot open database {location}: {source}")]
    Open {
        /// The path or URL.
        location: String,
        /// The driver's error.
        source: sqlx::Error,
    },
    /// Applying migrations failed.
    #[error("cannot migrate database {location}: {source}")]
    Migrate {
        /// The path or URL.
        location: String,
        /// The migrator's error.
        source: sqlx::migrate::MigrateError,
    },
    /// A query failed.
    #[error("database error while {action}: {source}")]
    Query {
        /// What was being done ("writing calls").
        action: &'static str,
        /// The driver's error.
        source: sqlx::Error,
    },
    /// A bulk read failed.
    #[error("database error while {action}: {source}")]
    Read {
        /// What was being done ("reading records").
        action: &'static str,
        /// The driver's error.
        source: rusqlite::Error,
    },
    /// A record in a batch names a tenant other than the one written to.
    #[error("record {kind} {id:?} belongs to tenant {record_tenant}, not {tenant}; nothing from the batch was written")]
    TenantMismatch {
        /// The record kind.
        kind: &'static str,
        /// The record id.
        id: String,
        /// The tenant the record names.
        record_tenant: TenantId,
        /// The tenant written to.
        tenant: TenantId,
    },
    /// A stored row no longer decodes as its record type.
    #[error("stored {kind} {id:?} of tenant {tenant} does not decode: {reason}")]
    Corrupt {
        /// The record kind.
        kind: &'static str,
        /// The record id.
        id: String,
        /// The tenant.
        tenant: TenantId,
        /// What is wrong with it.
        reason: String,
    },
    /// What was asked for does not exist in the tenant.
    #[error("{what} not found in tenant {tenant}")]
    NotFound {
        /// What was looked for (`model showed_up version 3`).
        what: String,
        /// The tenant.
        tenant: TenantId,
    },
    /// A value the store was asked to keep breaks one of its rules.
    #[error("invalid {what}: {reason}")]
    Invalid {
        /// What was refused (`who pattern`).
        what: String,
        /// Why.
        reason: String,
    },
    /// A record could not be serialised (a bug).
    #[error("cannot serialise {kind} {id:?}: {source}")]
    Serialize {
        /// The record kind.
        kind: &'static str,
        /// The record id.
        id: String,
        /// The serialisation error.
        source: serde_json::Error,
    },
}

impl StoreError {
    /// The transport-neutral classification.
    pub fn kind(&self) -> ErrorKind {
        match self {
            StoreError::Open { .. }
            | StoreError::Migrate { .. }
            | StoreError::Query { .. }
            | StoreError::Read { .. } => ErrorKind::Unavailable,
            StoreError::TenantMismatch { .. } | StoreError::Invalid { .. } => ErrorKind::Invalid,
            StoreError::NotFound { .. } => ErrorKind::NotFound,
            StoreError::Corrupt { .. } | StoreError::Serialize { .. } => ErrorKind::Internal,
        }
    }
}

/// Result alias for storage operations.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
