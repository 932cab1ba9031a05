//! The embedded SQLite store: one file, WAL, migrations on open.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hindsight_model::{
    Activity, Call, CallFacts, Campaign, Lead, Outcome, OutcomeEvent, RecordKind, SCHEMA_VERSION, TenantId,
    mark_converting_touches,
};
use rayon::prelude::*;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{AssertSqlSafe, ConnectOptions, Row, SqlSafeStr, Sqlite, Transaction};

use crate::encode::{
    EncodedBatch, EncodedFacts, EncodedRow, compress_body, decompress_body, encode_facts, indexed_columns, timestamp,
};
use crate::error::{Result, StoreError};
use crate::merge::EventsBySubject;
use crate::patterns::StoredPattern;
use crate::registry::{AliasChange, ModelVersion, NewModelVersion};
use crate::snapshot::{OwnedByTenant, ReadSnapshot, StoredRow, decode_blob, decode_record};
use crate::{CallFilter, Store, WriteSummary};
use crate::{sqlite_patterns, sqlite_registry};

/// Rows per multi-row `INSERT`: large enough to amortise statement overhead, small enough to stay
/// far below SQLite's bound-parameter limit (7 columns × 200 rows = 1,400 parameters).
const ROWS_PER_STATEMENT: usize = 200;

/// The SQLite store.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    location: PathBuf,
}

/// The schema's migrations in order: (version, description, SQL). Append only; an applied
/// migration is never edited.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "records", include_str!("../migrations/sqlite/0001_records.sql")),
    (2, "call facts", include_str!("../migrations/sqlite/0002_call_facts.sql")),
    (3, "call facts by time", include_str!("../migrations/sqlite/0003_call_facts_by_time.sql")),
    (4, "call facts events outcome", include_str!("../migrations/sqlite/0004_call_facts_events_outcome.sql")),
    (5, "model registry", include_str!("../migrations/sqlite/0005_model_registry.sql")),
    (6, "conversion patterns", include_str!("../migrations/sqlite/0006_conversion_patterns.sql")),
];

fn migrator() -> Migrator {
    Migrator::with_migrations(
        MIGRATIONS
            .iter()
            .map(|&(version, description, sql)| {
                Migration::new(version, description.into(), MigrationType::Simple, sql.into_sql_str(), false)
            })
            .collect(),
    )
}

impl SqliteStore {
    /// Opens (creating if needed) the database file at `path` and applies pending migrations.
    pub async fn open(path: &Path) -> Result<SqliteStore> {
        let location = path.to_path_buf();
        let options = SqliteConnectOptions::from_str("sqlite://")
            .map_err(|source| StoreError::Open { location: location.display().to_string(), source })?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // NORMAL is durable across application crashes in WAL mode; only a power loss can
            // roll back the last transactions, which re-running ingest (idempotent) restores.
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .pragma("page_size", "16384")
            .pragma("cache_size", "-16384")
            .pragma("wal_autocheckpoint", "8192")
            .pragma("temp_store", "memory")
            // sqlx logs every statement, and slow ones at WARN, through `log`; a full-table count on
            // a million calls is legitimately slow and must not print warnings into reports.
            .disable_statement_logging();
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|source| StoreError::Open { location: location.display().to_string(), source })?;
        let version_before = applied_schema_version(&pool).await?;
        migrator()
            .run(&pool)
            .await
            .map_err(|source| StoreError::Migrate { location: location.display().to_string(), source })?;
        if version_before == 1 {
            backfill_call_facts(&pool).await?;
        }
        if (1..4).contains(&version_before) {
            backfill_events_outcomes(&pool).await?;
        }
        tracing::debug!(path = %location.display(), "sqlite store open");
        Ok(SqliteStore { pool, location })
    }

    /// The database file.
    pub fn location(&self) -> &Path {
        &self.location
    }

    /// Closes the pool, checkpointing the WAL.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Runs `read` on a [`ReadSnapshot`] of the database, on a blocking thread: bulk reads are
    /// CPU work (decompressing and decoding) and must not stall the async threads.
    async fn read<R: Send + 'static>(
        &self,
        read: impl FnOnce(&ReadSnapshot) -> Result<R> + Send + 'static,
    ) -> Result<R> {
        let location = self.location.clone();
        tokio::task::spawn_blocking(move || read(&ReadSnapshot::open(&location)?)).await.map_err(|error| {
            StoreError::Corrupt {
                kind: "read",
                id: "-".into(),
                tenant: TenantId::default(),
                reason: format!("the reading task failed: {error}"),
            }
        })?
    }
}

/// A tenant name read from a row. Only valid ids are ever written, so one that fails validation
/// is corruption.
fn stored_tenant(name: String) -> Result<TenantId> {
    TenantId::new(name.clone()).map_err(|error| StoreError::Corrupt {
        kind: "tenant",
        id: name,
        tenant: TenantId::default(),
        reason: error.to_string(),
    })
}

/// The highest migration applied to the database; 0 for a new file.
async fn applied_schema_version(pool: &SqlitePool) -> Result<i64> {
    let has_migrations: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = '_sqlx_migrations')")
            .fetch_one(pool)
            .await
            .map_err(|source| StoreError::Query { action: "reading the schema version", source })?;
    if !has_migrations {
        return Ok(0);
    }
    sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success")
        .fetch_one(pool)
        .await
        .map_err(|source| StoreError::Query { action: "reading the schema version", source })
}

/// Writes the facts row of every call stored before schema version 2 (which introduced them), so
/// readers of facts never have to fall back to decoding transcripts. Runs once, right after
/// migration 2, a page of calls per transaction.
async fn backfill_call_facts(pool: &SqlitePool) -> Result<()> {
    const CALLS_PER_PAGE: i64 = 4000;
    let mut after_rowid = 0_i64;
    let mut backfilled = 0_usize;
    loop {
        let page: Vec<(i64, String, String, Vec<u8>)> =
            sqlx::query_as("SELECT rowid, tenant, id, body FROM calls WHERE rowid > ? ORDER BY rowid LIMIT ?")
                .bind(after_rowid)
                .bind(CALLS_PER_PAGE)
                .fetch_all(pool)
                .await
                .map_err(|source| StoreError::Query { action: "reading calls to backfill their facts", source })?;
        let Some(&(last_rowid, ..)) = page.last() else { break };
        after_rowid = last_rowid;
        let mut by_tenant: BTreeMap<String, Vec<(String, EncodedFacts)>> = BTreeMap::new();
        for (_, tenant, id, body) in page {
            let corrupt = |reason: String| StoreError::Corrupt {
                kind: "call",
                id: id.clone(),
                tenant: TenantId::new(tenant.clone()).unwrap_or_default(),
                reason,
            };
            let json = decompress_body(&body).map_err(corrupt)?;
            let call: Call = serde_json::from_slice(&json).map_err(|error| corrupt(error.to_string()))?;
            by_tenant.entry(tenant).or_default().push((id, encode_facts(&call)?));
        }
        let mut tx = pool.begin().await.map_err(|source| StoreError::Query { action: "starting a write", source })?;
        for (tenant, facts) in by_tenant {
            backfilled += facts.len();
            let tenant = stored_tenant(tenant)?;
            for chunk in facts.chunks(ROWS_PER_STATEMENT) {
                upsert_facts(&mut tx, &tenant, chunk.to_vec()).await?;
            }
        }
        tx.commit().await.map_err(|source| StoreError::Query { action: "committing a write", source })?;
    }
    tracing::info!(calls = backfilled, "backfilled call facts for calls stored before schema version 2");
    Ok(())
}

/// Computes `call_facts.events_outcome` for every call with events in a database from before
/// schema version 4, which introduced it. Runs once, right after that migration.
async fn backfill_events_outcomes(pool: &SqlitePool) -> Result<()> {
    const CALLS_PER_TRANSACTION: usize = 4000;
    let subjects: Vec<(String, String)> = sqlx::query_as(
        "SELECT DISTINCT tenant, call_id FROM outcome_events WHERE call_id IS NOT NULL ORDER BY tenant, call_id",
    )
    .fetch_all(pool)
    .await
    .map_err(|source| StoreError::Query { action: "listing calls with outcome events", source })?;
    let mut by_tenant: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (tenant, call_id) in subjects {
        by_tenant.entry(tenant).or_default().push(call_id);
    }
    for (tenant, call_ids) in by_tenant {
        let tenant = stored_tenant(tenant)?;
        for page in call_ids.chunks(CALLS_PER_TRANSACTION) {
            let mut tx =
                pool.begin().await.map_err(|source| StoreError::Query { action: "starting a write", source })?;
            refresh_events_outcomes(&mut tx, &tenant, page.iter().cloned().collect()).await?;
            tx.commit().await.map_err(|source| StoreError::Query { action: "committing a write", source })?;
        }
        tracing::info!(%tenant, calls = call_ids.len(), "merged outcome events onto call facts");
    }
    Ok(())
}

/// The tenant's leads with their status events applied, by id.
fn leads_as_they_stand(snapshot: &ReadSnapshot, tenant: &TenantId) -> Result<Vec<Lead>> {
    let mut leads: Vec<Lead> =
        snapshot.bodies("lead", tenant, "SELECT id, body FROM leads WHERE tenant = ? ORDER BY id", &[])?;
    let events = events_by_subject(snapshot, tenant, false)?;
    leads.par_iter_mut().for_each(|lead| events.apply_to_lead(lead));
    Ok(leads)
}

/// The tenant's outcome events grouped by subject. `calls_only` leaves out events about leads
/// (call facts never need them). Unordered in SQL: no index covers `(at, id)`, and SQLite's sort
/// of 750,000 rows cost as much as reading them; [`EventsBySubject::new`] orders them.
fn events_by_subject(snapshot: &ReadSnapshot, tenant: &TenantId, calls_only: bool) -> Result<EventsBySubject> {
    let sql = if calls_only {
        "SELECT id, body FROM outcome_events WHERE tenant = ? AND call_id IS NOT NULL"
    } else {
        "SELECT id, body FROM outcome_events WHERE tenant = ?"
    };
    let events: Vec<OutcomeEvent> = snapshot.bodies("outcome", tenant, sql, &[])?;
    Ok(EventsBySubject::new(&events))
}

/// `select` (which yields `id` and a blob) filtered by tenant and `filter`. Unordered: callers
/// sort the decoded records by `(started_at, id)`, which is cheaper than SQLite's sort.
fn filtered_select(select: &str, filter: &CallFilter) -> (String, Vec<String>) {
    let mut sql = format!("{select} WHERE tenant = ?");
    let mut binds = Vec::new();
    if let Some(campaign) = &filter.campaign {
        sql.push_str(" AND campaign = ?");
        binds.push(campaign.clone());
    }
    if let Some(from) = &filter.from {
        sql.push_str(" AND started_at >= ?");
        binds.push(timestamp(from));
    }
    if let Some(to) = &filter.to {
        sql.push_str(" AND started_at < ?");
        binds.push(timestamp(to));
    }
    (sql, binds)
}

macro_rules! owned_by_tenant {
    ($($record:ty),*) => {$(
        impl OwnedByTenant for $record {
            fn set_owner(&mut self, tenant: &TenantId) {
                self.tenant = Some(tenant.clone());
            }
        }
    )*};
}

owned_by_tenant!(Call, Lead, Activity, OutcomeEvent, Campaign);

/// Facts carry no tenant: the row's tenant is the only one they can belong to.
impl OwnedByTenant for CallFacts {
    fn set_owner(&mut self, _tenant: &TenantId) {}
}

fn table_name(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Call => "calls",
        RecordKind::Lead => "leads",
        RecordKind::Activity => "activities",
        RecordKind::Outcome => "outcome_events",
        RecordKind::Campaign => "campaigns",
    }
}

/// The multi-row upsert for `rows` rows of `table`. Rows whose body is unchanged are left alone
/// (the `WHERE` on the update), which is what makes re-ingesting a file change nothing.
fn upsert_sql(kind: RecordKind, rows: usize) -> String {
    let table = table_name(kind);
    let indexed = indexed_columns(kind);
    let column_list: Vec<&str> =
        ["tenant", "id"].into_iter().chain(indexed.iter().copied()).chain(["schema_version", "body"]).collect();
    let placeholders = format!("({})", vec!["?"; column_list.len()].join(", "));
    let values = vec![placeholders.as_str(); rows].join(", ");
    let updates: Vec<String> = indexed
        .iter()
        .chain(&["schema_version", "body"])
        .map(|column| format!("{column} = excluded.{column}"))
        .collect();
    // Outcome events report which rows changed: the calls whose merged outcome must follow.
    let returning = if kind == RecordKind::Outcome { " RETURNING id, call_id" } else { "" };
    format!(
        "INSERT INTO {table} ({columns}) VALUES {values} ON CONFLICT (tenant, id) DO UPDATE SET {updates} \
         WHERE {table}.body IS NOT excluded.body{returning}",
        columns = column_list.join(", "),
        updates = updates.join(", "),
    )
}

async fn upsert_rows(
    tx: &mut Transaction<'_, Sqlite>,
    tenant: &TenantId,
    kind: RecordKind,
    rows: Vec<EncodedRow>,
    changed_events: &mut Vec<(String, Option<String>)>,
) -> Result<u64> {
    let mut written = 0;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<EncodedRow> = rows.by_ref().take(ROWS_PER_STATEMENT).collect();
        let sql = upsert_sql(kind, chunk.len());
        let mut query = sqlx::query::<Sqlite>(AssertSqlSafe(sql));
        let mut facts = Vec::new();
        for row in chunk {
            if let Some(row_facts) = row.facts {
                facts.push((row.id.clone(), *row_facts));
            }
            query = query.bind(tenant.as_str().to_string()).bind(row.id);
            for column in row.columns {
                query = query.bind(column);
            }
            query = query.bind(i64::from(SCHEMA_VERSION)).bind(row.body);
        }
        if kind == RecordKind::Outcome {
            // RETURNING lists only the events inserted or changed (unchanged ones hit the upsert's
            // WHERE): the calls whose merged outcome needs refreshing.
            let changed: Vec<(String, Option<String>)> = query
                .try_map(|row: sqlx::sqlite::SqliteRow| Ok((row.try_get(0)?, row.try_get(1)?)))
                .fetch_all(&mut **tx)
                .await
                .map_err(|source| StoreError::Query { action: "writing records", source })?;
            written += changed.len() as u64;
            changed_events.extend(changed);
        } else {
            let result = query
                .execute(&mut **tx)
                .await
                .map_err(|source| StoreError::Query { action: "writing records", source })?;
            written += result.rows_affected();
        }
        if !facts.is_empty() {
            upsert_facts(tx, tenant, facts).await?;
        }
    }
    Ok(written)
}

/// Writes call facts beside their calls (same transaction, same idempotence).
async fn upsert_facts(
    tx: &mut Transaction<'_, Sqlite>,
    tenant: &TenantId,
    facts: Vec<(String, EncodedFacts)>,
) -> Result<()> {
    let placeholders = vec!["(?, ?, ?, ?, ?, ?)"; facts.len()].join(", ");
    let sql = format!(
        "INSERT INTO call_facts (tenant, id, campaign, started_at, schema_version, facts) VALUES {placeholders} \
         ON CONFLICT (tenant, id) DO UPDATE SET campaign = excluded.campaign, started_at = excluded.started_at, \
         schema_version = excluded.schema_version, facts = excluded.facts WHERE call_facts.facts IS NOT excluded.facts"
    );
    let mut query = sqlx::query::<Sqlite>(AssertSqlSafe(sql));
    for (id, EncodedFacts { campaign, started_at, blob }) in facts {
        query = query
            .bind(tenant.as_str().to_string())
            .bind(id)
            .bind(campaign)
            .bind(started_at)
            .bind(i64::from(SCHEMA_VERSION))
            .bind(blob);
    }
    query.execute(&mut **tx).await.map_err(|source| StoreError::Query { action: "writing call facts", source })?;
    Ok(())
}

/// `?, ?, …` for `count` parameters.
fn placeholders(count: usize) -> String {
    vec!["?"; count].join(", ")
}

/// The call each already-stored event of `events` names, by event id. Read before the events are
/// written: an event re-sent about another call leaves the call it named before, which only the
/// stored version says.
async fn stored_event_subjects(
    tx: &mut Transaction<'_, Sqlite>,
    tenant: &TenantId,
    events: &[EncodedRow],
) -> Result<HashMap<String, Option<String>>> {
    let mut subjects = HashMap::new();
    for chunk in events.chunks(ROWS_PER_STATEMENT) {
        // No `call_id IS NOT NULL` here: with it SQLite walks the call-id index over every event
        // of the tenant instead of looking up these ids, which made event ingest quadratic.
        let sql = format!(
            "SELECT id, call_id FROM outcome_events WHERE tenant = ? AND id IN ({})",
            placeholders(chunk.len())
        );
        let mut query =
            sqlx::query_as::<Sqlite, (String, Option<String>)>(AssertSqlSafe(sql)).bind(tenant.as_str().to_string());
        for row in chunk {
            query = query.bind(row.id.clone());
        }
        subjects.extend(
            query
                .fetch_all(&mut **tx)
                .await
                .map_err(|source| StoreError::Query { action: "reading stored outcome events", source })?,
        );
    }
    Ok(subjects)
}

/// Calls of a batch that must get their events' outcome: all of them when the tenant has call
/// events (a call may arrive after its events), none otherwise — calls usually come first, and
/// then one probe spares a lookup per call.
async fn calls_with_possible_events(
    tx: &mut Transaction<'_, Sqlite>,
    tenant: &TenantId,
    calls: &[EncodedRow],
) -> Result<Vec<String>> {
    if calls.is_empty() {
        return Ok(Vec::new());
    }
    let tenant_has_call_events: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM outcome_events WHERE tenant = ? AND call_id IS NOT NULL)")
            .bind(tenant.as_str().to_string())
            .fetch_one(&mut **tx)
            .await
            .map_err(|source| StoreError::Query { action: "looking for outcome events", source })?;
    Ok(if tenant_has_call_events { calls.iter().map(|row| row.id.clone()).collect() } else { Vec::new() })
}

/// Recomputes `call_facts.events_outcome` of `call_ids` from their stored events: each call's
/// events merged in `(at, id)` order, or NULL when it has none.
async fn refresh_events_outcomes(
    tx: &mut Transaction<'_, Sqlite>,
    tenant: &TenantId,
    call_ids: BTreeSet<String>,
) -> Result<()> {
    let call_ids: Vec<String> = call_ids.into_iter().collect();
    for chunk in call_ids.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "SELECT call_id, at, id, body FROM outcome_events WHERE tenant = ? AND call_id IN ({})",
            placeholders(chunk.len())
        );
        let mut query = sqlx::query_as::<Sqlite, (String, String, String, Vec<u8>)>(AssertSqlSafe(sql))
            .bind(tenant.as_str().to_string());
        for id in chunk {
            query = query.bind(id.clone());
        }
        let events = query
            .fetch_all(&mut **tx)
            .await
            .map_err(|source| StoreError::Query { action: "reading outcome events", source })?;
        let merged = {
            let tenant = tenant.clone();
            let chunk = chunk.to_vec();
            tokio::task::spawn_blocking(move || merged_events_outcomes(&tenant, chunk, events)).await.map_err(
                |error| StoreError::Corrupt {
                    kind: "outcome",
                    id: "-".into(),
                    tenant: TenantId::default(),
                    reason: format!("the merging task failed: {error}"),
                },
            )??
        };
        let sql = format!(
            "UPDATE call_facts SET events_outcome = updated.column2 FROM (VALUES {}) AS updated \
             WHERE call_facts.tenant = ? AND call_facts.id = updated.column1",
            vec!["(?, ?)"; merged.len()].join(", ")
        );
        let mut query = sqlx::query::<Sqlite>(AssertSqlSafe(sql));
        for (id, outcome) in merged {
            query = query.bind(id).bind(outcome);
        }
        query
            .bind(tenant.as_str().to_string())
            .execute(&mut **tx)
            .await
            .map_err(|source| StoreError::Query { action: "writing merged outcomes", source })?;
    }
    Ok(())
}

/// For each of `call_ids`, the compressed merge of its `events` (`(call_id, at, id, body)` rows
/// in any order), or `None` when it has none.
fn merged_events_outcomes(
    tenant: &TenantId,
    call_ids: Vec<String>,
    mut events: Vec<(String, String, String, Vec<u8>)>,
) -> Result<Vec<(String, Option<Vec<u8>>)>> {
    // `at` is stored fixed-width, so text order is time order.
    events.sort_unstable_by(|a, b| (&a.0, &a.1, &a.2).cmp(&(&b.0, &b.1, &b.2)));
    let mut merged: HashMap<String, Outcome> = HashMap::new();
    for (call_id, _, id, body) in events {
        let corrupt =
            |reason: String| StoreError::Corrupt { kind: "outcome", id: id.clone(), tenant: tenant.clone(), reason };
        let json = decompress_body(&body).map_err(corrupt)?;
        let event: OutcomeEvent = serde_json::from_slice(&json).map_err(|error| corrupt(error.to_string()))?;
        merged.entry(call_id).or_default().merge(&event.outcome);
    }
    call_ids
        .into_iter()
        .map(|call_id| {
            let outcome = match merged.get(&call_id) {
                Some(outcome) => {
                    Some(compress_body(&serde_json::to_vec(outcome).map_err(|source| StoreError::Serialize {
                        kind: "outcome",
                        id: call_id.clone(),
                        source,
                    })?))
                }
                None => None,
            };
            Ok((call_id, outcome))
        })
        .collect()
}

#[async_trait]
impl Store for SqliteStore {
    async fn write_encoded(&self, batch: EncodedBatch) -> Result<WriteSummary> {
        let total = batch.len() as u64;
        let EncodedBatch { tenant, rows, .. } = batch;
        let mut tx =
            self.pool.begin().await.map_err(|source| StoreError::Query { action: "starting a write", source })?;
        let no_rows = Vec::new();
        let events = rows.get(&RecordKind::Outcome).unwrap_or(&no_rows);
        let stored_subjects = stored_event_subjects(&mut tx, &tenant, events).await?;
        let calls = rows.get(&RecordKind::Call).unwrap_or(&no_rows);
        let mut touched: BTreeSet<String> =
            calls_with_possible_events(&mut tx, &tenant, calls).await?.into_iter().collect();
        let mut written = 0;
        let mut changed_events = Vec::new();
        for (kind, rows) in rows {
            written += upsert_rows(&mut tx, &tenant, kind, rows, &mut changed_events).await?;
        }
        for (event_id, call_id) in changed_events {
            touched.extend(call_id);
            touched.extend(stored_subjects.get(&event_id).cloned().flatten());
        }
        refresh_events_outcomes(&mut tx, &tenant, touched).await?;
        tx.commit().await.map_err(|source| StoreError::Query { action: "committing a write", source })?;
        Ok(WriteSummary { written, unchanged: total - written })
    }

    async fn tenants(&self) -> Result<Vec<TenantId>> {
        let names: Vec<String> = sqlx::query_scalar(
            "SELECT tenant FROM calls UNION SELECT tenant FROM leads UNION SELECT tenant FROM activities \
             UNION SELECT tenant FROM outcome_events UNION SELECT tenant FROM campaigns ORDER BY 1",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(|source| StoreError::Query { action: "listing tenants", source })?;
        names.into_iter().map(stored_tenant).collect()
    }

    async fn counts(&self, tenant: &TenantId) -> Result<BTreeMap<RecordKind, u64>> {
        let mut counts = BTreeMap::new();
        for kind in RecordKind::ALL {
            let sql = AssertSqlSafe(format!("SELECT count(*) FROM {} WHERE tenant = ?", table_name(kind)));
            let count: i64 = sqlx::query_scalar(sql)
                .bind(tenant.as_str().to_string())
                .fetch_one(&self.pool)
                .await
                .map_err(|source| StoreError::Query { action: "counting records", source })?;
            counts.insert(kind, count as u64);
        }
        Ok(counts)
    }

    async fn calls(&self, tenant: &TenantId, filter: &CallFilter) -> Result<Vec<Call>> {
        let (sql, binds) = filtered_select("SELECT id, body FROM calls", filter);
        let tenant = tenant.clone();
        self.read(move |snapshot| {
            let mut calls: Vec<Call> = snapshot.bodies("call", &tenant, &sql, &binds)?;
            let events = events_by_subject(snapshot, &tenant, true)?;
            calls.par_iter_mut().for_each(|call| events.apply_to_call(call));
            calls.par_sort_unstable_by(|a, b| (a.started_at, &a.id).cmp(&(b.started_at, &b.id)));
            Ok(calls)
        })
        .await
    }

    async fn call_facts(&self, tenant: &TenantId, filter: &CallFilter) -> Result<Vec<CallFacts>> {
        let (chunks, received_chunks) = std::sync::mpsc::sync_channel(2);
        let collected = tokio::task::spawn_blocking(move || received_chunks.into_iter().flatten().collect::<Vec<_>>());
        self.scan_call_facts(tenant, filter, chunks).await?;
        let mut facts: Vec<CallFacts> = collected.await.map_err(|error| StoreError::Corrupt {
            kind: "call",
            id: "-".into(),
            tenant: tenant.clone(),
            reason: format!("the collecting task failed: {error}"),
        })?;
        facts.par_sort_unstable_by(|a, b| (a.started_at, &a.id).cmp(&(b.started_at, &b.id)));
        Ok(facts)
    }

    async fn scan_call_facts(
        &self,
        tenant: &TenantId,
        filter: &CallFilter,
        chunks: std::sync::mpsc::SyncSender<Vec<CallFacts>>,
    ) -> Result<u64> {
        let (sql, binds) = filtered_select("SELECT id, facts, events_outcome FROM call_facts", filter);
        let tenant = tenant.clone();
        self.read(move |snapshot| {
            let started = std::time::Instant::now();
            let decode = |row: StoredRow| -> Result<CallFacts> {
                let mut facts: CallFacts = decode_record("call", &tenant, &row.id, &row.body)?;
                if let Some(events_outcome) = &row.extra {
                    facts.outcome.merge(&decode_blob::<Outcome>("call", &tenant, &row.id, events_outcome)?);
                }
                Ok(facts)
            };
            let mut sent = 0_u64;
            snapshot.for_each_chunk("call", &tenant, &sql, &binds, decode, |facts: Vec<CallFacts>| {
                let count = facts.len() as u64;
                if chunks.send(facts).is_err() {
                    return ControlFlow::Break(());
                }
                sent += count;
                ControlFlow::Continue(())
            })?;
            tracing::debug!(calls = sent, elapsed_ms = started.elapsed().as_millis() as u64, "call facts scanned");
            Ok(sent)
        })
        .await
    }

    async fn latest_call_start(&self, tenant: &TenantId, campaign: Option<&str>) -> Result<Option<DateTime<Utc>>> {
        let latest: Option<String> = match campaign {
            Some(campaign) => {
                sqlx::query_scalar("SELECT MAX(started_at) FROM calls WHERE tenant = ? AND campaign = ?")
                    .bind(tenant.as_str().to_string())
                    .bind(campaign.to_string())
                    .fetch_one(&self.pool)
                    .await
            }
            None => {
                sqlx::query_scalar("SELECT MAX(started_at) FROM calls WHERE tenant = ?")
                    .bind(tenant.as_str().to_string())
                    .fetch_one(&self.pool)
                    .await
            }
        }
        .map_err(|source| StoreError::Query { action: "finding the latest call", source })?;
        latest
            .map(|text| {
                DateTime::parse_from_rfc3339(&text).map(|at| at.with_timezone(&Utc)).map_err(|error| {
                    StoreError::Corrupt {
                        kind: "call",
                        id: "started_at".into(),
                        tenant: tenant.clone(),
                        reason: error.to_string(),
                    }
                })
            })
            .transpose()
    }

    async fn call(&self, tenant: &TenantId, id: &str) -> Result<Option<Call>> {
        let tenant = tenant.clone();
        let id = id.to_string();
        self.read(move |snapshot| {
            let binds = [id];
            let mut calls: Vec<Call> =
                snapshot.bodies("call", &tenant, "SELECT id, body FROM calls WHERE tenant = ? AND id = ?", &binds)?;
            let Some(mut call) = calls.pop() else { return Ok(None) };
            let events: Vec<OutcomeEvent> = snapshot.bodies(
                "outcome",
                &tenant,
                "SELECT id, body FROM outcome_events WHERE tenant = ? AND call_id = ?",
                &binds,
            )?;
            EventsBySubject::new(&events).apply_to_call(&mut call);
            Ok(Some(call))
        })
        .await
    }

    async fn leads(&self, tenant: &TenantId) -> Result<Vec<Lead>> {
        let tenant = tenant.clone();
        self.read(move |snapshot| leads_as_they_stand(snapshot, &tenant)).await
    }

    async fn activities(&self, tenant: &TenantId) -> Result<Vec<Activity>> {
        let tenant = tenant.clone();
        self.read(move |snapshot| {
            let mut activities: Vec<Activity> = snapshot.bodies(
                "activity",
                &tenant,
                "SELECT id, body FROM activities WHERE tenant = ? ORDER BY lead_id, at, id",
                &[],
            )?;
            // The converting touch is derived from the leads as they stand in the same snapshot, so
            // it is right whichever arrived first and after any later status change.
            mark_converting_touches(&leads_as_they_stand(snapshot, &tenant)?, &mut activities);
            Ok(activities)
        })
        .await
    }

    async fn outcome_events(&self, tenant: &TenantId) -> Result<Vec<OutcomeEvent>> {
        let tenant = tenant.clone();
        self.read(move |snapshot| {
            let mut events: Vec<OutcomeEvent> =
                snapshot.bodies("outcome", &tenant, "SELECT id, body FROM outcome_events WHERE tenant = ?", &[])?;
            events.par_sort_unstable_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
            Ok(events)
        })
        .await
    }

    async fn campaigns(&self, tenant: &TenantId) -> Result<Vec<Campaign>> {
        let tenant = tenant.clone();
        self.read(move |snapshot| {
            snapshot.bodies("campaign", &tenant, "SELECT id, body FROM campaigns WHERE tenant = ? ORDER BY id", &[])
        })
        .await
    }

    async fn register_model_version(&self, tenant: &TenantId, model: &NewModelVersion) -> Result<ModelVersion> {
        sqlite_registry::register(&self.pool, tenant, model).await
    }

    async fn model_versions(&self, tenant: &TenantId, name: Option<&str>) -> Result<Vec<ModelVersion>> {
        sqlite_registry::versions(&self.pool, tenant, name).await
    }

    async fn model_artifact(
        &self,
        tenant: &TenantId,
        name: &str,
        version: u32,
    ) -> Result<Option<(ModelVersion, String)>> {
        sqlite_registry::artifact(&self.pool, tenant, name, version).await
    }

    async fn set_model_alias(
        &self,
        tenant: &TenantId,
        name: &str,
        alias: &str,
        version: u32,
        at: DateTime<Utc>,
        reason: &str,
    ) -> Result<AliasChange> {
        sqlite_registry::set_alias(&self.pool, tenant, name, alias, version, at, reason).await
    }

    async fn model_alias_history(&self, tenant: &TenantId, name: &str) -> Result<Vec<AliasChange>> {
        sqlite_registry::alias_history(&self.pool, tenant, name).await
    }

    async fn save_patterns(&self, tenant: &TenantId, patterns: &[StoredPattern]) -> Result<()> {
        sqlite_patterns::save(&self.pool, tenant, patterns).await
    }

    async fn current_patterns(&self, tenant: &TenantId) -> Result<Vec<StoredPattern>> {
        sqlite_patterns::current(&self.pool, tenant).await
    }

    async fn pattern_history(&self, tenant: &TenantId, pattern_type: &str) -> Result<Vec<StoredPattern>> {
        sqlite_patterns::history(&self.pool, tenant, pattern_type).await
    }

    async fn schema_version(&self) -> Result<i64> {
        applied_schema_version(&self.pool).await
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use hindsight_model::RecordKind;

    use super::upsert_sql;

    #[test]
    fn the_upsert_leaves_unchanged_rows_alone() {
        expect![[r#"INSERT INTO calls (tenant, id, campaign, started_at, schema_version, body) VALUES (?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, id) DO UPDATE SET campaign = excluded.campaign, started_at = excluded.started_at, schema_version = excluded.schema_version, body = excluded.body WHERE calls.body IS NOT excluded.body"#]]
        .assert_eq(&upsert_sql(RecordKind::Call, 2));
    }
}
