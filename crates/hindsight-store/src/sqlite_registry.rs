//! The model registry on SQLite (tables of migration 0005).
//!
//! Version numbers and alias sequence numbers are computed inside the `INSERT` that uses them,
//! so two writers cannot be handed the same number: SQLite runs each statement atomically, and
//! the primary key would refuse a duplicate anyway.

use chrono::{DateTime, Utc};
use hindsight_model::TenantId;
use sqlx::sqlite::SqlitePool;

use crate::encode::{compress_body, decompress_body, timestamp};
use crate::error::{Result, StoreError};
use crate::registry::{AliasChange, ModelVersion, NewModelVersion};

/// The layout of a version row; bumped if the columns' meaning ever changes.
const REGISTRY_SCHEMA_VERSION: i64 = 1;

fn query_error(action: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |source| StoreError::Query { action, source }
}

fn corrupt(tenant: &TenantId, name: &str, reason: String) -> StoreError {
    StoreError::Corrupt { kind: "model", id: name.to_string(), tenant: tenant.clone(), reason }
}

fn parse_time(tenant: &TenantId, name: &str, text: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|error| corrupt(tenant, name, format!("timestamp {text:?}: {error}")))
}

type VersionRow = (String, i64, String, String);

fn version_of(tenant: &TenantId, (name, version, created_at, card): VersionRow) -> Result<ModelVersion> {
    let card = serde_json::from_str(&card).map_err(|error| corrupt(tenant, &name, format!("card: {error}")))?;
    let version = u32::try_from(version).map_err(|_| corrupt(tenant, &name, format!("version {version}")))?;
    Ok(ModelVersion { created_at: parse_time(tenant, &name, &created_at)?, name, version, card })
}

pub(crate) async fn register(pool: &SqlitePool, tenant: &TenantId, model: &NewModelVersion) -> Result<ModelVersion> {
    let card = serde_json::to_string(&model.card).map_err(|source| StoreError::Serialize {
        kind: "model",
        id: model.name.clone(),
        source,
    })?;
    let version: i64 = sqlx::query_scalar(
        "INSERT INTO model_versions (tenant, name, version, created_at, schema_version, card, artifact)
         SELECT ?1, ?2, COALESCE(MAX(version), 0) + 1, ?3, ?4, ?5, ?6
         FROM model_versions WHERE tenant = ?1 AND name = ?2
         RETURNING version",
    )
    .bind(tenant.as_str())
    .bind(&model.name)
    .bind(timestamp(&model.created_at))
    .bind(REGISTRY_SCHEMA_VERSION)
    .bind(&card)
    .bind(compress_body(model.artifact.as_bytes()))
    .fetch_one(pool)
    .await
    .map_err(query_error("registering a model version"))?;
    version_of(tenant, (model.name.clone(), version, timestamp(&model.created_at), card))
}

pub(crate) async fn versions(pool: &SqlitePool, tenant: &TenantId, name: Option<&str>) -> Result<Vec<ModelVersion>> {
    let rows: Vec<VersionRow> = sqlx::query_as(
        "SELECT name, version, created_at, card FROM model_versions
         WHERE tenant = ?1 AND (?2 IS NULL OR name = ?2) ORDER BY name, version",
    )
    .bind(tenant.as_str())
    .bind(name)
    .fetch_all(pool)
    .await
    .map_err(query_error("listing model versions"))?;
    rows.into_iter().map(|row| version_of(tenant, row)).collect()
}

pub(crate) async fn artifact(
    pool: &SqlitePool,
    tenant: &TenantId,
    name: &str,
    version: u32,
) -> Result<Option<(ModelVersion, String)>> {
    let row: Option<(String, i64, String, String, Vec<u8>)> = sqlx::query_as(
        "SELECT name, version, created_at, card, artifact FROM model_versions
         WHERE tenant = ? AND name = ? AND version = ?",
    )
    .bind(tenant.as_str())
    .bind(name)
    .bind(i64::from(version))
    .fetch_optional(pool)
    .await
    .map_err(query_error("reading a model version"))?;
    let Some((name, version, created_at, card, artifact)) = row else {
        return Ok(None);
    };
    let json = decompress_body(&artifact).map_err(|reason| corrupt(tenant, &name, reason))?;
    let artifact = String::from_utf8(json).map_err(|error| corrupt(tenant, &name, format!("artifact: {error}")))?;
    Ok(Some((version_of(tenant, (name, version, created_at, card))?, artifact)))
}

pub(crate) async fn set_alias(
    pool: &SqlitePool,
    tenant: &TenantId,
    name: &str,
    alias: &str,
    version: u32,
    at: DateTime<Utc>,
    reason: &str,
) -> Result<AliasChange> {
    // One statement: the version must exist, and the sequence number and previous version are
    // read from the alias's newest change.
    let inserted: Option<(Option<i64>,)> = sqlx::query_as(
        "INSERT INTO model_alias_changes (tenant, name, alias, seq, version, previous_version, at, reason)
         SELECT ?1, ?2, ?3,
                (SELECT COALESCE(MAX(seq), 0) + 1 FROM model_alias_changes WHERE tenant = ?1 AND name = ?2 AND alias = ?3),
                ?4,
                (SELECT version FROM model_alias_changes WHERE tenant = ?1 AND name = ?2 AND alias = ?3
                 ORDER BY seq DESC LIMIT 1),
                ?5, ?6
         WHERE EXISTS (SELECT 1 FROM model_versions WHERE tenant = ?1 AND name = ?2 AND version = ?4)
         RETURNING previous_version",
    )
    .bind(tenant.as_str())
    .bind(name)
    .bind(alias)
    .bind(i64::from(version))
    .bind(timestamp(&at))
    .bind(reason)
    .fetch_optional(pool)
    .await
    .map_err(query_error("setting a model alias"))?;
    let Some((previous_version,)) = inserted else {
        return Err(StoreError::NotFound { what: format!("model {name} version {version}"), tenant: tenant.clone() });
    };
    let previous_version = previous_version
        .map(|previous| u32::try_from(previous).map_err(|_| corrupt(tenant, name, format!("version {previous}"))))
        .transpose()?;
    Ok(AliasChange {
        name: name.to_string(),
        alias: alias.to_string(),
        version,
        previous_version,
        at,
        reason: reason.to_string(),
    })
}

pub(crate) async fn alias_history(pool: &SqlitePool, tenant: &TenantId, name: &str) -> Result<Vec<AliasChange>> {
    let rows: Vec<(String, i64, Option<i64>, String, String)> = sqlx::query_as(
        "SELECT alias, version, previous_version, at, reason FROM model_alias_changes
         WHERE tenant = ? AND name = ? ORDER BY alias, seq",
    )
    .bind(tenant.as_str())
    .bind(name)
    .fetch_all(pool)
    .await
    .map_err(query_error("reading model alias history"))?;
    let version = |value: i64| u32::try_from(value).map_err(|_| corrupt(tenant, name, format!("version {value}")));
    rows.into_iter()
        .map(|(alias, to, previous, at, reason)| {
            Ok(AliasChange {
                name: name.to_string(),
                alias,
                version: version(to)?,
                previous_version: previous.map(version).transpose()?,
                at: parse_time(tenant, name, &at)?,
                reason,
            })
        })
        .collect()
}
