//! The embedded SQLite store: one file, WAL, migrations on open.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hindsight_model::{Activity, Call, CallFacts, Campaign, Lead, OutcomeEvent, RecordKind, SCHEMA_VERSION, TenantId};
use rayon::prelude::*;
use serde::de::DeserializeOwned;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{AssertSqlSafe, ConnectOptions, SqlSafeStr, Sqlite, Transaction};

use crate::encode::{EncodedBatch, EncodedFacts, EncodedRow, decompress_body, indexed_columns, timestamp};
use crate::error::{Result, StoreError};
use crate::merge::EventsBySubject;
use crate::{CallFilter, Store, WriteSummary};

/// Rows per multi-row `INSERT`: large enough to amortise statement overhead, small enough to stay
/// far below SQLite's bound-parameter limit (7 columns × 200 rows = 1,400 parameters).
const ROWS_PER_STATEMENT: usize = 200;

/// The SQLite store.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    location: PathBuf,
}

fn migrator() -> Migrator {
    Migrator::with_migrations(vec![
        Migration::new(
            1,
            "records".into(),
            MigrationType::Simple,
            include_str!("../migrations/sqlite/0001_records.sql").into_sql_str(),
            false,
        ),
        Migration::new(
            2,
            "call facts".into(),
            MigrationType::Simple,
            include_str!("../migrations/sqlite/0002_call_facts.sql").into_sql_str(),
            false,
        ),
    ])
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
        migrator()
            .run(&pool)
            .await
            .map_err(|source| StoreError::Migrate { location: location.display().to_string(), source })?;
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

    /// Reads `(id, body)` rows and decodes each body, giving it the tenant of the row (stored
    /// bodies may omit it).
    async fn fetch_bodies<T: OwnedByTenant>(
        &self,
        kind: &'static str,
        tenant: &TenantId,
        sql: impl SqlSafeStr,
        binds: Vec<String>,
    ) -> Result<Vec<T>> {
        let mut query = sqlx::query_as::<Sqlite, (String, Vec<u8>)>(sql).bind(tenant.as_str().to_string());
        for bind in binds {
            query = query.bind(bind);
        }
        let rows = query
            .fetch_all(&self.pool)
            .await
            .map_err(|source| StoreError::Query { action: "reading records", source })?;
        // Decompressing and decoding is CPU work: off the async threads, across the cores.
        let tenant = tenant.clone();
        tokio::task::spawn_blocking(move || {
            rows.into_par_iter()
                .map(|(id, body)| {
                    let corrupt =
                        |reason: String| StoreError::Corrupt { kind, id: id.clone(), tenant: tenant.clone(), reason };
                    let json = decompress_body(&body).map_err(corrupt)?;
                    let mut record: T = serde_json::from_slice(&json).map_err(|error| corrupt(error.to_string()))?;
                    record.set_owner(&tenant);
                    Ok(record)
                })
                .collect()
        })
        .await
        .map_err(|error| StoreError::Corrupt {
            kind,
            id: "-".into(),
            tenant: TenantId::default(),
            reason: format!("the decoding task failed: {error}"),
        })?
    }

    async fn events_by_subject(&self, tenant: &TenantId) -> Result<EventsBySubject> {
        Ok(EventsBySubject::new(self.outcome_events(tenant).await?))
    }
}

/// `select` (which yields `id` and a blob) filtered by tenant and `filter`, in time order.
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
    sql.push_str(" ORDER BY started_at, id");
    (sql, binds)
}

/// A record type whose tenant comes from the row it is read from.
trait OwnedByTenant: DeserializeOwned + Send + 'static {
    fn set_owner(&mut self, tenant: &TenantId);
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
    format!(
        "INSERT INTO {table} ({columns}) VALUES {values} ON CONFLICT (tenant, id) DO UPDATE SET {updates} \
         WHERE {table}.body IS NOT excluded.body",
        columns = column_list.join(", "),
        updates = updates.join(", "),
    )
}

async fn upsert_rows(
    tx: &mut Transaction<'_, Sqlite>,
    tenant: &TenantId,
    kind: RecordKind,
    rows: Vec<EncodedRow>,
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
        let result =
            query.execute(&mut **tx).await.map_err(|source| StoreError::Query { action: "writing records", source })?;
        written += result.rows_affected();
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

#[async_trait]
impl Store for SqliteStore {
    async fn write_encoded(&self, batch: EncodedBatch) -> Result<WriteSummary> {
        let total = batch.len() as u64;
        let EncodedBatch { tenant, rows, .. } = batch;
        let mut tx =
            self.pool.begin().await.map_err(|source| StoreError::Query { action: "starting a write", source })?;
        let mut written = 0;
        for (kind, rows) in rows {
            written += upsert_rows(&mut tx, &tenant, kind, rows).await?;
        }
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
        // Only valid ids are ever written, so a stored name that fails validation is corruption.
        names
            .into_iter()
            .map(|name| {
                TenantId::new(name.clone()).map_err(|error| StoreError::Corrupt {
                    kind: "tenant",
                    id: name,
                    tenant: TenantId::default(),
                    reason: error.to_string(),
                })
            })
            .collect()
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
        let mut calls: Vec<Call> = self.fetch_bodies("call", tenant, AssertSqlSafe(sql), binds).await?;
        let events = self.events_by_subject(tenant).await?;
        for call in &mut calls {
            events.apply_to_call(call);
        }
        Ok(calls)
    }

    async fn call_facts(&self, tenant: &TenantId, filter: &CallFilter) -> Result<Vec<CallFacts>> {
        let (sql, binds) = filtered_select("SELECT id, facts FROM call_facts", filter);
        let mut facts: Vec<CallFacts> = self.fetch_bodies("call", tenant, AssertSqlSafe(sql), binds).await?;
        if facts.is_empty() {
            // Calls written before schema version 2 have no facts row: derive them from the calls.
            return Ok(self.calls(tenant, filter).await?.iter().map(CallFacts::from).collect());
        }
        let events = self.events_by_subject(tenant).await?;
        for call in &mut facts {
            events.apply_to_facts(call);
        }
        Ok(facts)
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
        let mut calls: Vec<Call> = self
            .fetch_bodies(
                "call",
                tenant,
                "SELECT id, body FROM calls WHERE tenant = ? AND id = ?",
                vec![id.to_string()],
            )
            .await?;
        let Some(mut call) = calls.pop() else { return Ok(None) };
        let events: Vec<OutcomeEvent> = self
            .fetch_bodies(
                "outcome",
                tenant,
                "SELECT id, body FROM outcome_events WHERE tenant = ? AND call_id = ? ORDER BY at, id",
                vec![id.to_string()],
            )
            .await?;
        EventsBySubject::new(events).apply_to_call(&mut call);
        Ok(Some(call))
    }

    async fn leads(&self, tenant: &TenantId) -> Result<Vec<Lead>> {
        let mut leads: Vec<Lead> = self
            .fetch_bodies("lead", tenant, "SELECT id, body FROM leads WHERE tenant = ? ORDER BY id", vec![])
            .await?;
        let events = self.events_by_subject(tenant).await?;
        for lead in &mut leads {
            events.apply_to_lead(lead);
        }
        Ok(leads)
    }

    async fn activities(&self, tenant: &TenantId) -> Result<Vec<Activity>> {
        self.fetch_bodies(
            "activity",
            tenant,
            "SELECT id, body FROM activities WHERE tenant = ? ORDER BY lead_id, at, id",
            vec![],
        )
        .await
    }

    async fn outcome_events(&self, tenant: &TenantId) -> Result<Vec<OutcomeEvent>> {
        self.fetch_bodies(
            "outcome",
            tenant,
            "SELECT id, body FROM outcome_events WHERE tenant = ? ORDER BY at, id",
            vec![],
        )
        .await
    }

    async fn campaigns(&self, tenant: &TenantId) -> Result<Vec<Campaign>> {
        self.fetch_bodies("campaign", tenant, "SELECT id, body FROM campaigns WHERE tenant = ? ORDER BY id", vec![])
            .await
    }

    async fn schema_version(&self) -> Result<i64> {
        sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success")
            .fetch_one(&self.pool)
            .await
            .map_err(|source| StoreError::Query { action: "reading the schema version", source })
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
