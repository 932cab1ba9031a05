//! Conversion patterns on SQLite (tables of migration 0006).
//!
//! A run's patterns are saved in one transaction: each replaces its type's current row and is
//! appended to the history, so the current patterns and the history never disagree about the
//! latest run.

use chrono::{DateTime, Utc};
use hindsight_model::TenantId;
use sqlx::sqlite::SqlitePool;

use crate::encode::timestamp;
use crate::error::{Result, StoreError};
use crate::patterns::StoredPattern;

fn query_error(action: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |source| StoreError::Query { action, source }
}

fn corrupt(tenant: &TenantId, pattern_type: &str, reason: String) -> StoreError {
    StoreError::Corrupt { kind: "pattern", id: pattern_type.to_string(), tenant: tenant.clone(), reason }
}

type PatternRow = (String, String, i64, f64, String, String, String);

fn pattern_of(tenant: &TenantId, row: PatternRow) -> Result<StoredPattern> {
    let (pattern_type, version, sample_size, confidence, computed_at, valid_until, body) = row;
    let time = |text: &str| -> Result<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(text)
            .map(|at| at.with_timezone(&Utc))
            .map_err(|error| corrupt(tenant, &pattern_type, format!("timestamp {text:?}: {error}")))
    };
    Ok(StoredPattern {
        computed_at: time(&computed_at)?,
        valid_until: time(&valid_until)?,
        body: serde_json::from_str(&body).map_err(|error| corrupt(tenant, &pattern_type, format!("body: {error}")))?,
        sample_size: u64::try_from(sample_size)
            .map_err(|_| corrupt(tenant, &pattern_type, format!("sample size {sample_size}")))?,
        pattern_type,
        version,
        confidence,
    })
}

const UPSERT_CURRENT: &str = "INSERT INTO conversion_patterns
         (tenant, pattern_type, version, sample_size, confidence, computed_at, valid_until, body)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
     ON CONFLICT (tenant, pattern_type) DO UPDATE SET
         version = excluded.version, sample_size = excluded.sample_size, confidence = excluded.confidence,
         computed_at = excluded.computed_at, valid_until = excluded.valid_until, body = excluded.body";

/// The next `seq` is computed inside the insert, so two runs cannot take the same number.
const APPEND_HISTORY: &str = "INSERT INTO conversion_pattern_history
         (tenant, pattern_type, seq, version, sample_size, confidence, computed_at, valid_until, body)
     SELECT ?1, ?2, COALESCE(MAX(seq), 0) + 1, ?3, ?4, ?5, ?6, ?7, ?8
     FROM conversion_pattern_history WHERE tenant = ?1 AND pattern_type = ?2";

pub(crate) async fn save(pool: &SqlitePool, tenant: &TenantId, patterns: &[StoredPattern]) -> Result<()> {
    let mut transaction = pool.begin().await.map_err(query_error("starting a pattern transaction"))?;
    for pattern in patterns {
        if !(0.0..=1.0).contains(&pattern.confidence) {
            return Err(StoreError::Invalid {
                what: format!("{} pattern", pattern.pattern_type),
                reason: format!("confidence {} is outside 0..=1", pattern.confidence),
            });
        }
        let body = serde_json::to_string(&pattern.body).map_err(|source| StoreError::Serialize {
            kind: "pattern",
            id: pattern.pattern_type.clone(),
            source,
        })?;
        let sample_size = i64::try_from(pattern.sample_size).unwrap_or(i64::MAX);
        let (computed_at, valid_until) = (timestamp(&pattern.computed_at), timestamp(&pattern.valid_until));
        // Both statements take the same parameters in the same order (?1 … ?8).
        for (statement, action) in
            [(UPSERT_CURRENT, "saving a current pattern"), (APPEND_HISTORY, "appending to the pattern history")]
        {
            sqlx::query(statement)
                .bind(tenant.as_str())
                .bind(&pattern.pattern_type)
                .bind(&pattern.version)
                .bind(sample_size)
                .bind(pattern.confidence)
                .bind(&computed_at)
                .bind(&valid_until)
                .bind(&body)
                .execute(&mut *transaction)
                .await
                .map_err(query_error(action))?;
        }
    }
    transaction.commit().await.map_err(query_error("committing patterns"))
}

pub(crate) async fn current(pool: &SqlitePool, tenant: &TenantId) -> Result<Vec<StoredPattern>> {
    let rows: Vec<PatternRow> = sqlx::query_as(
        "SELECT pattern_type, version, sample_size, confidence, computed_at, valid_until, body
         FROM conversion_patterns WHERE tenant = ?1 ORDER BY pattern_type",
    )
    .bind(tenant.as_str())
    .fetch_all(pool)
    .await
    .map_err(query_error("reading current patterns"))?;
    rows.into_iter().map(|row| pattern_of(tenant, row)).collect()
}

pub(crate) async fn history(pool: &SqlitePool, tenant: &TenantId, pattern_type: &str) -> Result<Vec<StoredPattern>> {
    let rows: Vec<PatternRow> = sqlx::query_as(
        "SELECT pattern_type, version, sample_size, confidence, computed_at, valid_until, body
         FROM conversion_pattern_history WHERE tenant = ?1 AND pattern_type = ?2 ORDER BY seq",
    )
    .bind(tenant.as_str())
    .bind(pattern_type)
    .fetch_all(pool)
    .await
    .map_err(query_error("reading the pattern history"))?;
    rows.into_iter().map(|row| pattern_of(tenant, row)).collect()
}
