//! Turning records into rows: the CPU-heavy half of a write, separated so callers can do it on
//! their own threads while the database executes the previous batch.
//!
//! Every backend stores the same row shape: the id, a few indexed columns (what queries filter
//! and sort on), and the whole record as JSON, LZ4-compressed behind a one-byte format tag.
//!
//! Why compress: a transcript-heavy call is ~4 KB of JSON, and SQLite's single writer thread is
//! the bottleneck of ingest; LZ4 halves the bytes it writes for a few hundred MB/s of CPU on the
//! encoding threads, and halves the database file. The tag lets a later format coexist with this
//! one row by row.

use std::collections::BTreeMap;

use chrono::SecondsFormat;
use hindsight_model::{Call, CallFacts, Record, RecordKind, TenantId};
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
    pub body: Vec<u8>,
    /// For calls: the row of the `call_facts` table (boxed: most rows of most kinds have none).
    pub facts: Option<Box<EncodedFacts>>,
}

/// A `call_facts` row: the columns it is filtered on and the compressed [`CallFacts`].
#[derive(Debug, Clone)]
pub(crate) struct EncodedFacts {
    pub campaign: String,
    pub started_at: String,
    pub blob: Vec<u8>,
}

/// The facts row of a call; `None` for other records.
fn facts_of(record: &Record) -> Result<Option<Box<EncodedFacts>>> {
    let Record::Call(call) = record else { return Ok(None) };
    encode_facts(call).map(|facts| Some(Box::new(facts)))
}

/// The `call_facts` row of `call`.
pub(crate) fn encode_facts(call: &Call) -> Result<EncodedFacts> {
    let json = serde_json::to_vec(&CallFacts::from(call)).map_err(|source| StoreError::Serialize {
        kind: "call",
        id: call.id.clone(),
        source,
    })?;
    Ok(EncodedFacts {
        campaign: call.campaign.clone(),
        started_at: timestamp(&call.started_at),
        blob: compress_body(&json),
    })
}

/// Debug check for [`EncodedRecord::encode_from_json`]: the JSON decodes to the same record (the
/// tenant aside: it is a column, and the line may omit it).
fn json_matches(record: &Record, json: &str) -> bool {
    let decoded = match record.kind() {
        RecordKind::Call => serde_json::from_str(json).map(Record::Call),
        RecordKind::Lead => serde_json::from_str(json).map(Record::Lead),
        RecordKind::Activity => serde_json::from_str(json).map(Record::Activity),
        RecordKind::Outcome => serde_json::from_str(json).map(Record::Outcome),
        RecordKind::Campaign => serde_json::from_str(json).map(Record::Campaign),
    };
    let Ok(mut decoded) = decoded else { return false };
    if let Some(tenant) = record.tenant() {
        decoded.set_tenant(tenant.clone());
    }
    decoded == *record
}

/// Format tag of a stored body: LZ4 block (size-prefixed) of the record's JSON.
const BODY_LZ4_JSON: u8 = 1;

/// Compresses a record's JSON into a stored body.
pub(crate) fn compress_body(json: &[u8]) -> Vec<u8> {
    let compressed = lz4_flex::compress_prepend_size(json);
    let mut body = Vec::with_capacity(compressed.len() + 1);
    body.push(BODY_LZ4_JSON);
    body.extend_from_slice(&compressed);
    body
}

/// The JSON of a stored body.
pub(crate) fn decompress_body(body: &[u8]) -> Result<Vec<u8>, String> {
    match body.split_first() {
        Some((&BODY_LZ4_JSON, compressed)) => {
            lz4_flex::decompress_size_prepended(compressed).map_err(|error| format!("corrupt LZ4 body: {error}"))
        }
        Some((tag, _)) => Err(format!("unknown body format tag {tag}")),
        None => Err("empty body".to_string()),
    }
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
        let columns = Self::check_and_index(tenant, record)?;
        let kind = record.kind().as_str();
        let id = record.id();
        let body = match record {
            Record::Call(call) => body_of(kind, id, call)?,
            Record::Lead(lead) => body_of(kind, id, lead)?,
            Record::Activity(activity) => body_of(kind, id, activity)?,
            Record::Outcome(event) => body_of(kind, id, event)?,
            Record::Campaign(campaign) => body_of(kind, id, campaign)?,
        };
        Ok(EncodedRecord {
            tenant: tenant.clone(),
            kind: record.kind(),
            row: EncodedRow { id: id.to_string(), columns, body, facts: facts_of(record)? },
        })
    }

    /// Encodes one record whose JSON form the caller already holds — typically the line it was
    /// decoded from — so the record is not serialised again (the most expensive part of
    /// encoding). `json` must decode to `record` exactly; it may name no tenant other than
    /// `tenant`.
    pub fn encode_from_json(tenant: &TenantId, record: &Record, json: &str) -> Result<EncodedRecord> {
        let columns = Self::check_and_index(tenant, record)?;
        debug_assert!(json_matches(record, json), "encode_from_json: the JSON does not decode to the record");
        let row = EncodedRow {
            id: record.id().to_string(),
            columns,
            body: compress_body(json.as_bytes()),
            facts: facts_of(record)?,
        };
        Ok(EncodedRecord { tenant: tenant.clone(), kind: record.kind(), row })
    }

    /// The tenant check and the indexed column values shared by both encoders.
    fn check_and_index(tenant: &TenantId, record: &Record) -> Result<Vec<Option<String>>> {
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
        Ok(match record {
            Record::Call(call) => vec![Some(call.campaign.clone()), Some(timestamp(&call.started_at))],
            Record::Activity(activity) => vec![Some(activity.lead_id.clone()), Some(timestamp(&activity.at))],
            Record::Outcome(event) => vec![event.call_id.clone(), event.lead_id.clone(), Some(timestamp(&event.at))],
            Record::Lead(_) | Record::Campaign(_) => vec![],
        })
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

fn body_of<T: Serialize>(kind: &'static str, id: &str, record: &T) -> Result<Vec<u8>> {
    let json =
        serde_json::to_vec(record).map_err(|source| StoreError::Serialize { kind, id: id.to_string(), source })?;
    Ok(compress_body(&json))
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

#[cfg(test)]
mod tests {
    use super::{compress_body, decompress_body};

    #[test]
    fn bodies_round_trip_and_damage_is_reported_not_panicked_on() {
        let json = br#"{"id":"c1","turns":[{"text":"hello hello hello hello"}]}"#;
        let body = compress_body(json);
        assert_eq!(decompress_body(&body).expect("round trip"), json.to_vec());
        assert_eq!(decompress_body(&[]).unwrap_err(), "empty body");
        assert_eq!(decompress_body(&[9, 1, 2]).unwrap_err(), "unknown body format tag 9");
        let mut damaged = body.clone();
        damaged.truncate(body.len() / 2);
        assert!(decompress_body(&damaged).unwrap_err().starts_with("corrupt LZ4 body"));
    }
}
