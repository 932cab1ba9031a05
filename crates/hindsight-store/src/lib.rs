//! Storage for hindsight: the [`Store`] port and its SQLite implementation.
//!
//! The rest of the system talks to storage only through [`Store`]. Every method takes a
//! [`TenantId`], and every query an implementation runs is scoped by it: there is no method that
//! reads across tenants except [`Store::tenants`], which lists tenant names for `db info`.
//!
//! Records are upserted by `(tenant, id)`: writing the same record twice changes nothing (the
//! [`WriteSummary`] says how many rows were new or changed), and writing a changed record replaces
//! the old one. Outcome events are stored on their own and merged into calls and leads when those
//! are read ([`Outcome::merge`](hindsight_model::Outcome::merge), in `(at, id)` order), so an event
//! that arrives before its call waits for it rather than being lost.
//!
//! [`SqliteStore`] is the embedded default: one file, WAL journal, migrations applied on open,
//! one transaction per write batch. [`conformance`] holds the behaviour every backend must show,
//! written once and run against each implementation.
//!
//! The model registry ([`registry`]) lives here too: versions are immutable and numbered by the
//! store, alias changes are appended to a history, and both are scoped by tenant like records.
//!
//! Conversion patterns ([`patterns`]) too: one current pattern per tenant and type, replaced by
//! each run, and a history row per run that is never changed.
//!
//! This crate knows SQL and nothing about analytics: it contains no business logic.
#![deny(missing_docs)]

pub mod conformance;
mod encode;
mod error;
mod merge;
pub mod patterns;
pub mod registry;
mod snapshot;
mod sqlite;
mod sqlite_patterns;
mod sqlite_registry;

use std::collections::BTreeMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hindsight_model::{Activity, Call, CallFacts, Campaign, Lead, OutcomeEvent, Record, RecordKind, TenantId};

pub use encode::{EncodedBatch, EncodedRecord};
pub use error::{Result, StoreError};
pub use patterns::StoredPattern;
pub use registry::{AliasChange, ModelVersion, NewModelVersion};
pub use sqlite::SqliteStore;

/// Which calls to read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallFilter {
    /// Only this campaign.
    pub campaign: Option<String>,
    /// Only calls started at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Only calls started before this instant.
    pub to: Option<DateTime<Utc>>,
}

/// What one write did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteSummary {
    /// Records that were new, or differed from the stored version and replaced it.
    pub written: u64,
    /// Records identical to what was already stored (nothing changed).
    pub unchanged: u64,
}

impl WriteSummary {
    /// Adds another summary's counts to this one.
    pub fn add(&mut self, other: WriteSummary) {
        self.written += other.written;
        self.unchanged += other.unchanged;
    }
}

/// The storage port. Implementations must pass [`conformance::run_all`].
#[async_trait]
pub trait Store: Send + Sync {
    /// Upserts `records` into `tenant` in one transaction: all of them are stored, or none.
    ///
    /// A record naming another tenant is refused ([`StoreError::TenantMismatch`]) and nothing from
    /// the batch is written.
    async fn write(&self, tenant: &TenantId, records: &[Record]) -> Result<WriteSummary> {
        self.write_encoded(EncodedBatch::encode(tenant, records)?).await
    }

    /// Writes a batch encoded beforehand ([`EncodedBatch::encode`]), so the caller can encode the
    /// next batch on its own thread while this one executes. Same guarantees as [`Store::write`].
    async fn write_encoded(&self, batch: EncodedBatch) -> Result<WriteSummary>;

    /// Every tenant that has at least one record.
    async fn tenants(&self) -> Result<Vec<TenantId>>;

    /// Record counts of one tenant by kind (every kind present, zero when empty).
    async fn counts(&self, tenant: &TenantId) -> Result<BTreeMap<RecordKind, u64>>;

    /// The tenant's calls matching `filter`, ordered by start time then id, with outcome events
    /// merged in.
    async fn calls(&self, tenant: &TenantId, filter: &CallFilter) -> Result<Vec<Call>>;

    /// When the tenant's most recent call (of `campaign`, when given) started.
    async fn latest_call_start(&self, tenant: &TenantId, campaign: Option<&str>) -> Result<Option<DateTime<Utc>>>;

    /// The facts (everything but the transcript) of the tenant's calls matching `filter`, in the
    /// order of [`Store::calls`], with outcome events merged in. What campaign reports read.
    async fn call_facts(&self, tenant: &TenantId, filter: &CallFilter) -> Result<Vec<CallFacts>>;

    /// The same facts as [`Store::call_facts`], sent to `chunks` a few thousand at a time and in
    /// no particular order while the rest are read: for analyses that fold over millions of
    /// calls without holding them all. Returns how many were sent; stops early, without an
    /// error, when the receiver hangs up. Runs on a blocking thread, so a receiver that blocks
    /// (tallying each chunk) only slows the scan down.
    async fn scan_call_facts(
        &self,
        tenant: &TenantId,
        filter: &CallFilter,
        chunks: std::sync::mpsc::SyncSender<Vec<CallFacts>>,
    ) -> Result<u64>;

    /// One call by id, with outcome events merged in.
    async fn call(&self, tenant: &TenantId, id: &str) -> Result<Option<Call>>;

    /// The tenant's leads ordered by id, with lead-status events applied.
    async fn leads(&self, tenant: &TenantId) -> Result<Vec<Lead>>;

    /// The tenant's activities ordered by lead, time and id.
    async fn activities(&self, tenant: &TenantId) -> Result<Vec<Activity>>;

    /// The tenant's outcome events ordered by time and id.
    async fn outcome_events(&self, tenant: &TenantId) -> Result<Vec<OutcomeEvent>>;

    /// The tenant's campaigns ordered by id.
    async fn campaigns(&self, tenant: &TenantId) -> Result<Vec<Campaign>>;

    /// Registers a model version in `tenant`: the store numbers it one past the name's newest
    /// version (1 for a new name). Versions are immutable; there is no way to change one.
    async fn register_model_version(&self, tenant: &TenantId, model: &NewModelVersion) -> Result<ModelVersion>;

    /// The tenant's model versions (of `name`, when given), ordered by name then version.
    async fn model_versions(&self, tenant: &TenantId, name: Option<&str>) -> Result<Vec<ModelVersion>>;

    /// One version with its artifact.
    async fn model_artifact(
        &self,
        tenant: &TenantId,
        name: &str,
        version: u32,
    ) -> Result<Option<(ModelVersion, String)>>;

    /// Points `alias` of model `name` at `version`, appending the change to the alias's history.
    /// [`StoreError::NotFound`] when the tenant has no such version.
    async fn set_model_alias(
        &self,
        tenant: &TenantId,
        name: &str,
        alias: &str,
        version: u32,
        at: DateTime<Utc>,
        reason: &str,
    ) -> Result<AliasChange>;

    /// Every alias change of model `name`, by alias and oldest first within each
    /// ([`registry::current_aliases`] reads where each alias points now).
    async fn model_alias_history(&self, tenant: &TenantId, name: &str) -> Result<Vec<AliasChange>>;

    /// Saves one run's patterns in one transaction: each replaces the tenant's current pattern of
    /// its type and is appended to that type's history. [`StoreError::Invalid`] for a confidence
    /// outside 0..=1 (nothing is saved).
    async fn save_patterns(&self, tenant: &TenantId, patterns: &[StoredPattern]) -> Result<()>;

    /// The tenant's current patterns, by type.
    async fn current_patterns(&self, tenant: &TenantId) -> Result<Vec<StoredPattern>>;

    /// Every computation of one pattern type, oldest first.
    async fn pattern_history(&self, tenant: &TenantId, pattern_type: &str) -> Result<Vec<StoredPattern>>;

    /// The newest schema migration applied to the database.
    async fn schema_version(&self) -> Result<i64>;
}
