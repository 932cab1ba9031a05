//! Bulk reads of stored bodies from one consistent snapshot of the SQLite file.
//!
//! sqlx hands each row from its worker thread to the async caller through a channel, copying every
//! value on the way: about 2 µs per row, two seconds for the million call-facts rows a campaign
//! report reads — the whole report budget. Reads of bodies therefore go through a plain SQLite
//! connection (rusqlite, linked against the same bundled SQLite as sqlx) on a blocking thread:
//! the same million rows scan in about 0.25 s. sqlx keeps migrations, writes and small queries.
//!
//! A [`ReadSnapshot`] is one read transaction: everything read through it (calls and the outcome
//! events merged into them, say) comes from the same committed state, even while an ingest writes.
//! Rows are decompressed and decoded on rayon while the connection reads the next chunk, so the
//! scan and the decoding overlap.

use std::ops::ControlFlow;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use hindsight_model::TenantId;
use rayon::prelude::*;
use rusqlite::{Connection, OpenFlags};
use serde::de::DeserializeOwned;

use crate::encode::decompress_body;
use crate::error::{Result, StoreError};

/// Rows handed to the decoders at a time: enough to keep both cores busy, few enough that the
/// raw bodies in flight stay a few megabytes.
const ROWS_PER_CHUNK: usize = 8192;

/// A record type whose tenant comes from the row it is read from.
pub(crate) trait OwnedByTenant: DeserializeOwned + Send + 'static {
    /// Sets the record's tenant (stored bodies may omit it: the row's column is authoritative).
    fn set_owner(&mut self, tenant: &TenantId);
}

/// One read transaction on the database file.
pub(crate) struct ReadSnapshot {
    connection: Connection,
}

fn read_error(action: &'static str) -> impl FnOnce(rusqlite::Error) -> StoreError {
    move |source| StoreError::Read { action, source }
}

impl ReadSnapshot {
    /// Opens a read-only connection to `path` and starts a read transaction on it.
    pub(crate) fn open(path: &Path) -> Result<ReadSnapshot> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
        let connection = Connection::open_with_flags(path, flags).map_err(read_error("opening a reader"))?;
        // A checkpoint may hold the WAL briefly; wait as the writers do instead of failing.
        connection.busy_timeout(Duration::from_secs(10)).map_err(read_error("opening a reader"))?;
        // BEGIN alone takes no snapshot; the first read does, and every later read sees the same.
        connection.execute_batch("BEGIN").map_err(read_error("starting a read"))?;
        Ok(ReadSnapshot { connection })
    }

    /// Runs `sql`, which selects `(id, body)` and takes the tenant as its first parameter and
    /// `binds` after it, and decodes every body as a `T` owned by `tenant`, in row order.
    pub(crate) fn bodies<T: OwnedByTenant>(
        &self,
        kind: &'static str,
        tenant: &TenantId,
        sql: &str,
        binds: &[String],
    ) -> Result<Vec<T>> {
        let mut chunks = Vec::new();
        let decode = |row: StoredRow| decode_record(kind, tenant, &row.id, &row.body);
        self.for_each_chunk(kind, tenant, sql, binds, decode, |chunk| {
            chunks.push(chunk);
            ControlFlow::Continue(())
        })?;
        // One move into a vector of the exact size: growing it chunk by chunk copied a million
        // records several times over, and fresh memory is slow to fault in on a virtual machine.
        let mut records = Vec::with_capacity(chunks.iter().map(Vec::len).sum());
        for chunk in chunks {
            records.extend(chunk);
        }
        Ok(records)
    }

    /// Runs `sql` (which selects `id`, `body` and optionally a third blob, and takes the tenant
    /// as its first parameter and `binds` after it), decodes each row with `decode` on rayon, and
    /// hands the results to `on_chunk` a few thousand at a time, in row order, while the next rows
    /// are read; `on_chunk` stops the scan by returning `Break`. Memory stays at a few chunks
    /// whatever the number of rows.
    pub(crate) fn for_each_chunk<T: Send>(
        &self,
        kind: &'static str,
        tenant: &TenantId,
        sql: &str,
        binds: &[String],
        decode: impl Fn(StoredRow) -> Result<T> + Sync,
        mut on_chunk: impl FnMut(Vec<T>) -> ControlFlow<()> + Send,
    ) -> Result<()> {
        let mut statement = self.connection.prepare(sql).map_err(read_error("reading records"))?;
        let parameters: Vec<&str> = std::iter::once(tenant.as_str()).chain(binds.iter().map(String::as_str)).collect();
        let mut rows =
            statement.query(rusqlite::params_from_iter(parameters)).map_err(read_error("reading records"))?;

        std::thread::scope(|scope| {
            let (chunks, received_chunks) = mpsc::sync_channel::<Vec<StoredRow>>(2);
            let decode = &decode;
            let decoder = scope.spawn(move || -> Result<()> {
                for chunk in received_chunks {
                    let decoded: Result<Vec<T>> = chunk.into_par_iter().map(decode).collect();
                    if on_chunk(decoded?).is_break() {
                        break;
                    }
                }
                Ok(())
            });

            let mut chunk = Vec::with_capacity(ROWS_PER_CHUNK);
            let mut scan = Ok(());
            loop {
                let row = match rows.next() {
                    Ok(Some(row)) => row,
                    Ok(None) => break,
                    Err(source) => {
                        scan = Err(StoreError::Read { action: "reading records", source });
                        break;
                    }
                };
                match StoredRow::read(row) {
                    Ok(stored) => chunk.push(stored),
                    Err(source) => {
                        scan = Err(StoreError::Read { action: "reading records", source });
                        break;
                    }
                }
                if chunk.len() == ROWS_PER_CHUNK {
                    // A send fails only when the decoder stopped (an error it returns below, or
                    // `on_chunk` asked to stop).
                    if chunks.send(std::mem::replace(&mut chunk, Vec::with_capacity(ROWS_PER_CHUNK))).is_err() {
                        break;
                    }
                }
            }
            if scan.is_ok() && !chunk.is_empty() {
                let _ = chunks.send(chunk);
            }
            drop(chunks);
            let decoded = decoder.join().map_err(|_| StoreError::Corrupt {
                kind,
                id: "-".into(),
                tenant: tenant.clone(),
                reason: "a decoding thread panicked".into(),
            })?;
            scan?;
            decoded
        })
    }
}

/// A row as read: its id, its body, and the third blob column some queries select.
pub(crate) struct StoredRow {
    pub(crate) id: String,
    pub(crate) body: Vec<u8>,
    pub(crate) extra: Option<Vec<u8>>,
}

impl StoredRow {
    fn read(row: &rusqlite::Row<'_>) -> rusqlite::Result<StoredRow> {
        let id = row.get_ref(0)?.as_str()?.to_string();
        let body = row.get_ref(1)?.as_blob()?.to_vec();
        let extra = match row.as_ref().column_count() {
            3 => row.get_ref(2)?.as_blob_or_null()?.map(<[u8]>::to_vec),
            _ => None,
        };
        Ok(StoredRow { id, body, extra })
    }
}

/// Decompresses and parses a stored body (or any blob in the body format).
pub(crate) fn decode_blob<T: DeserializeOwned>(
    kind: &'static str,
    tenant: &TenantId,
    id: &str,
    blob: &[u8],
) -> Result<T> {
    let corrupt = |reason: String| StoreError::Corrupt { kind, id: id.to_string(), tenant: tenant.clone(), reason };
    let json = decompress_body(blob).map_err(corrupt)?;
    serde_json::from_slice(&json).map_err(|error| corrupt(error.to_string()))
}

/// Decodes a stored body as a record owned by `tenant`.
pub(crate) fn decode_record<T: OwnedByTenant>(
    kind: &'static str,
    tenant: &TenantId,
    id: &str,
    body: &[u8],
) -> Result<T> {
    let mut record: T = decode_blob(kind, tenant, id, body)?;
    record.set_owner(tenant);
    Ok(record)
}
