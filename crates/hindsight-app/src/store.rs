//! Choosing and opening the store from a location string.

use std::path::Path;
use std::sync::Arc;

use hindsight_store::{SqliteStore, Store};

use crate::error::{AppError, Result};

/// Opens the store at `location`: a file path means the embedded SQLite store (created if
/// missing). Server URLs are recognised and refused until their backend lands, so a user who
/// points hindsight at PostgreSQL gets a clear answer instead of a file named `postgres:`.
pub async fn open_store(location: &str) -> Result<Arc<dyn Store>> {
    if location.starts_with("postgres://") || location.starts_with("postgresql://") {
        return Err(AppError::UnsupportedStore {
            location: location.to_string(),
            reason: "the PostgreSQL backend is not built yet; use a SQLite file path",
        });
    }
    let path = location.strip_prefix("sqlite://").unwrap_or(location);
    Ok(Arc::new(SqliteStore::open(Path::new(path)).await?))
}
