//! Describing what a database holds.

use std::collections::BTreeMap;

use hindsight_model::{RecordKind, TenantId};
use hindsight_store::Store;
use serde::Serialize;

use crate::error::Result;

/// Record counts of one tenant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TenantCounts {
    /// The tenant.
    pub tenant: TenantId,
    /// Records by kind.
    pub counts: BTreeMap<RecordKind, u64>,
}

/// What `db info` shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DatabaseInfo {
    /// Where the database is.
    pub location: String,
    /// The newest migration applied.
    pub schema_version: i64,
    /// Every tenant with its counts.
    pub tenants: Vec<TenantCounts>,
}

/// Lists each tenant's record counts by kind.
pub async fn database_info(store: &dyn Store, location: &str) -> Result<DatabaseInfo> {
    let mut tenants = Vec::new();
    for tenant in store.tenants().await? {
        let counts = store.counts(&tenant).await?;
        tenants.push(TenantCounts { tenant, counts });
    }
    Ok(DatabaseInfo { location: location.to_string(), schema_version: store.schema_version().await?, tenants })
}
