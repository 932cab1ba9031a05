//! Turning records into rows: the CPU-heavy half of a write, separated so callers can do it on
//! their own threads while the database executes the previous batch.
//!
//! Every backend stores the same row shape: the id, a few indexed columns (what queries filter
//! and sort on), and the whole record as JSON.

use std::collections::BTreeMap;

use chrono::SecondsFormat;
use hindsight_model::{Record, RecordKind, TenantId};
use serde::Serialize;

use crate::error::{Result, StoreError};

/// One record of one tenant, encoded as a row: see [`EncodedRecord::encode`].
#[derive(Debug, Clone)]
pub struct EncodedRecord {
    tenant: TenantId,
    kind: RecordKind,
    pub(crate) row: EncodedRow,
}

/// The stored form of a record.
#[derive(Debug, Clone)]
pub(crate) struct EncodedRow {
    pub id: String,
    /// Values of the kind's indexed columns, in [`indexed_columns`] order.
    pub columns: Vec<Option<String>>,
    pub body: String,
}

/// A batch of records of one tenant, encoded and checked, ready for [`crate::Store::write_encoded`].
#[derive(Debug, Clone)]
pub struct EncodedBatch {
    pub(crate) tenant: TenantId,
    pub(crate) rows: BTreeMap<RecordKind, Vec<EncodedRow>>,
    len: usize,
}

impl EncodedRecord {
    /// Encodes one record for `tenant`; a record naming another tenant is refused
    /// ([`StoreError::TenantMismatch`]). Pure CPU work, safe to run on any thread.
    pub fn encode(tenant: &TenantId, record: &Record) -> Result<EncodedRecord> {
        if let Some(record_tenant) = record.tenant()
            && record_tenant != tenant
        {
            return Err(StoreError::TenantMismatch {
                kind: record.kind().as_str(),
                id: record.id().to_string(),
                record_tenant: record_tenant.clone(),
                tenant: tenant.clone(),
            });
        }
        let kind = record.kind().as_str();
        let id = record.id().to_string();
        let (columns, body) = match record {
            Record::Call(call) => {
                (vec![Some(call.campaign.clone()), Some(timestamp(&call.started_at))], body_of(kind, &id, call)?)
            }
            Record::Lead(lead) => (vec![], body_of(kind, &id, lead)?),
            Record::Activity(activity) => {
                (vec![Some(activity.lead_id.clone()), Some(timestamp(&activity.at))], body_of(kind, &id, activity)?)
            }
            Record::Outcome(event) => (
                vec![event.call_id.clone(), event.lead_id.clone(), Some(timestamp(&event.at))],
                body_of(kind, &id, event)?,
            ),
            Record::Campaign(campaign) => (vec![], body_of(kind, &id, campaign)?),
        };
        Ok(EncodedRecord { tenant: tenant.clone(), kind: record.kind(), row: EncodedRow { id, columns, body } })
    }

    /// The record's kind.
    pub fn kind(&self) -> RecordKind {
        self.kind
    }

    /// The record's id.
    pub fn id(&self) -> &str {
        &self.row.id
    }
}

/// The indexed columns of each kind's table, besides tenant, id, schema version and body.
pub(crate) fn indexed_columns(kind: RecordKind) -> &'static [&'static str] {
    match kind {
        RecordKind::Call => &["campaign", "started_at"],
        RecordKind::Activity => &["lead_id", "at"],
        RecordKind::Outcome => &["call_id", "lead_id", "at"],
        RecordKind::Lead | RecordKind::Campaign => &[],
    }
}

/// Timestamps are stored in one fixed-width UTC form so text order is time order.
pub(crate) fn timestamp(at: &chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn body_of<T: Serialize>(kind: &'static str, id: &str, record: &T) -> Result<String> {
    serde_json::to_string(record).map_err(|source| StoreError::Serialize { kind, id: id.to_string(), source })
}

impl EncodedBatch {
    /// Encodes `records` for `tenant`. A record naming another tenant fails the whole batch
    /// ([`StoreError::TenantMismatch`]): tenant isolation is checked here, before any SQL.
    pub fn encode(tenant: &TenantId, records: &[Record]) -> Result<EncodedBatch> {
        let encoded = records.iter().map(|record| EncodedRecord::encode(tenant, record)).collect::<Result<Vec<_>>>()?;
        EncodedBatch::from_records(tenant, encoded)
    }

    /// Gathers records encoded one by one (possibly on several threads). They must all have been
    /// encoded for `tenant`.
    pub fn from_records(tenant: &TenantId, records: Vec<EncodedRecord>) -> Result<EncodedBatch> {
        let len = records.len();
        let mut rows: BTreeMap<RecordKind, Vec<EncodedRow>> = BTreeMap::new();
        for record in records {
            if record.tenant != *tenant {
                return Err(StoreError::TenantMismatch {
                    kind: record.kind.as_str(),
                    id: record.row.id,
                    record_tenant: record.tenant,
                    tenant: tenant.clone(),
                });
            }
            rows.entry(record.kind).or_default().push(record.row);
        }
        Ok(EncodedBatch { tenant: tenant.clone(), rows, len })
    }

    /// The tenant the batch is for.
    pub fn tenant(&self) -> &TenantId {
        &self.tenant
    }

    /// Records in the batch.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True for a batch of no records.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}
