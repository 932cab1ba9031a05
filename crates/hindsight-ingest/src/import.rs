//! Streaming a file into the store.
//!
//! A blocking reader task (file I/O and JSON decoding are CPU work that must not stall the async
//! runtime) decodes records and hands batches over a bounded channel to the async writer, which
//! commits each batch in one store transaction. The bounded channel is what keeps memory flat: the
//! reader waits when the writer falls behind.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt;
use std::fs::File;
use std::hash::BuildHasher;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc as mpsc_std;

use hindsight_model::{Problem, RecordKind, TenantId};
use hindsight_store::{EncodedBatch, EncodedRecord, Store, StoreError, WriteSummary};
use rayon::prelude::*;
use serde_json::Value;
use tokio::sync::mpsc;

use crate::csv_row;
use crate::decode::{Decoded, decode_json, decode_value};
use crate::error::{IngestError, Result};
use crate::lines::{LineEvent, LineReader};

/// How a file is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// One JSON object per line (`.jsonl`, `.ndjson`, anything unrecognised).
    JsonLines,
    /// A header row, then one record per row (`.csv`).
    Csv,
    /// One JSON document: an object or an array of objects (`.json`).
    JsonDocument,
}

impl FileFormat {
    /// The format a file name suggests.
    pub fn from_path(path: &Path) -> FileFormat {
        match path.extension().and_then(|extension| extension.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("csv") => FileFormat::Csv,
            Some("json") => FileFormat::JsonDocument,
            _ => FileFormat::JsonLines,
        }
    }
}

/// How to import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The tenant records are written to; a record naming another tenant is rejected.
    pub tenant: TenantId,
    /// The record kind when records do not say (`--kind`).
    pub kind: Option<RecordKind>,
    /// All-or-nothing per file: any problem and nothing from the file is written.
    pub strict: bool,
    /// The layout; guessed from the extension when `None`.
    pub format: Option<FileFormat>,
    /// Records per store transaction.
    pub batch_records: usize,
    /// Longest record accepted, in bytes; longer lines are rejected without being held in memory.
    pub max_record_bytes: usize,
    /// Problems kept per file for the report; the rest are counted.
    pub max_problems_kept: usize,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            tenant: TenantId::default(),
            kind: None,
            strict: false,
            format: None,
            batch_records: 4_000,
            max_record_bytes: 16 * 1024 * 1024,
            max_problems_kept: 1_000,
        }
    }
}

/// A problem with its place in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocatedProblem {
    /// The file as given.
    pub file: String,
    /// 1-based line (for CSV, the line the row starts on).
    pub line: u64,
    /// Field path, `record` for the record as a whole, `file` for the file.
    pub field: String,
    /// Why.
    pub reason: String,
}

impl fmt::Display for LocatedProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}: {}", self.file, self.line, self.field, self.reason)
    }
}

/// What happened to one file.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The file.
    pub path: PathBuf,
    /// How it was read.
    pub format: FileFormat,
    /// Records found (non-blank lines or rows).
    pub records: u64,
    /// Records that passed every check.
    pub accepted: u64,
    /// Records rejected (each has at least one problem).
    pub rejected: u64,
    /// Accepted records that were new or changed in the store.
    pub written: u64,
    /// Accepted records identical to what was stored.
    pub unchanged: u64,
    /// Accepted records per kind.
    pub accepted_by_kind: BTreeMap<RecordKind, u64>,
    /// The first problems, located.
    pub problems: Vec<LocatedProblem>,
    /// Problems beyond `max_problems_kept`, counted but not kept.
    pub problems_not_kept: u64,
    /// Fields outside the record contract kept as custom attributes: name → (first line, records).
    pub custom_fields: BTreeMap<String, (u64, u64)>,
    /// With `strict`, whether the file was written (false when it had any problem).
    pub committed: bool,
}

impl FileReport {
    /// True when nothing was rejected.
    pub fn is_clean(&self) -> bool {
        self.rejected == 0 && self.problems.is_empty() && self.problems_not_kept == 0
    }
}

/// Called with the bytes of the file consumed so far.
pub type ProgressFn = Arc<dyn Fn(u64) + Send + Sync>;

/// A batch on its way from the reader to the writer, already encoded: serialising records is
/// CPU work the reader thread does while the database executes the previous batch.
struct Batch {
    encoded: std::result::Result<EncodedBatch, StoreError>,
    bytes_read: u64,
}

/// Imports one file into `store`.
pub async fn import_file(
    store: Arc<dyn Store>,
    path: &Path,
    options: &ImportOptions,
    progress: ProgressFn,
) -> Result<FileReport> {
    if options.strict {
        // Pass one only validates; nothing is written unless the whole file is clean.
        let checked = validate_file(path, options).await?;
        if !checked.is_clean() {
            tracing::info!(path = %path.display(), rejected = checked.rejected, "strict import: file refused");
            return Ok(FileReport { committed: false, ..checked });
        }
    }
    let (sender, mut receiver) = mpsc::channel::<Batch>(2);
    let reader = {
        let path = path.to_path_buf();
        let options = options.clone();
        tokio::task::spawn_blocking(move || read_records(&path, &options, Some(&sender)))
    };
    let mut summary = WriteSummary::default();
    let mut store_error = None;
    while let Some(batch) = receiver.recv().await {
        let written = match batch.encoded {
            Ok(encoded) => store.write_encoded(encoded).await,
            Err(error) => Err(error),
        };
        match written {
            Ok(written) => summary.add(written),
            Err(source) => {
                store_error = Some(source);
                break;
            }
        }
        progress(batch.bytes_read);
    }
    // Dropping the receiver makes a reader still sending stop at its next batch.
    drop(receiver);
    let report =
        reader.await.map_err(|error| IngestError::Reader { path: path.to_path_buf(), message: error.to_string() })?;
    if let Some(source) = store_error {
        return Err(IngestError::Store {
            path: path.to_path_buf(),
            committed: summary.written + summary.unchanged,
            source: Box::new(source),
        });
    }
    let mut report = report?;
    report.written = summary.written;
    report.unchanged = summary.unchanged;
    report.committed = true;
    tracing::info!(
        path = %path.display(),
        accepted = report.accepted,
        rejected = report.rejected,
        written = report.written,
        unchanged = report.unchanged,
        "file imported"
    );
    Ok(report)
}

/// Reads and checks the whole file without writing anything (the first pass of `strict`).
async fn validate_file(path: &Path, options: &ImportOptions) -> Result<FileReport> {
    let path_owned = path.to_path_buf();
    let options = options.clone();
    tokio::task::spawn_blocking(move || read_records(&path_owned, &options, None))
        .await
        .map_err(|error| IngestError::Reader { path: path.to_path_buf(), message: error.to_string() })?
}

/// Reads and decodes the whole file, sending accepted records in batches when `sender` is given.
fn read_records(path: &Path, options: &ImportOptions, sender: Option<&mpsc::Sender<Batch>>) -> Result<FileReport> {
    let file = File::open(path).map_err(|source| IngestError::Read { path: path.to_path_buf(), source })?;
    let format = options.format.unwrap_or_else(|| FileFormat::from_path(path));
    let mut sink = RecordSink::new(path, format, options, sender);
    let read_error = |source| IngestError::Read { path: path.to_path_buf(), source };
    match format {
        FileFormat::JsonLines => read_json_lines(file, options, &mut sink).map_err(read_error)?,
        FileFormat::Csv => read_csv(file, options, &mut sink).map_err(read_error)?,
        FileFormat::JsonDocument => read_json_document(file, options, &mut sink).map_err(read_error)?,
    }
    Ok(sink.finish())
}

/// Lines decoded together on the rayon pool; big enough to amortise the hand-off, small enough
/// to keep memory flat.
const CHUNK_LINES: usize = 1_024;
const CHUNK_BYTES: usize = 8 * 1024 * 1024;

/// Lines waiting to be decoded, their bytes back to back in one buffer. Buffers travel to the
/// decoders and back, so a file of any length reuses the same few megabytes instead of
/// allocating (and the allocator faulting in fresh pages for) every line.
#[derive(Default)]
struct LineChunk {
    bytes: Vec<u8>,
    lines: Vec<PendingLine>,
}

/// One line of a chunk.
struct PendingLine {
    number: u64,
    /// Where the line is in the chunk's bytes, or why it was not kept.
    span: std::result::Result<std::ops::Range<usize>, Problem>,
    ended_with_newline: bool,
}

impl LineChunk {
    /// The line's text, or the problem that stops it from being decoded.
    fn text(&self, line: &PendingLine) -> std::result::Result<&str, Problem> {
        let range = line.span.as_ref().map_err(Problem::clone)?;
        let bytes = &self.bytes[range.clone()];
        std::str::from_utf8(bytes).map_err(|error| {
            let bad = bytes[error.valid_up_to()];
            Problem::new("record", format!("not valid UTF-8: byte 0x{bad:02x} at column {}", error.valid_up_to() + 1))
        })
    }
}

fn read_json_lines(file: File, options: &ImportOptions, sink: &mut RecordSink<'_>) -> std::io::Result<()> {
    let mut lines = LineReader::new(BufReader::with_capacity(1 << 20, file), options.max_record_bytes);
    let context =
        Arc::new(DecodeContext { kind: options.kind, tenant: options.tenant.clone(), encode: sink.sender.is_some() });
    // Chunks being decoded on the rayon pool, oldest first. Two in flight keep both cores busy:
    // one chunk decodes while this thread reads the next and the sink takes the previous.
    let mut in_flight: VecDeque<InFlightChunk> = VecDeque::new();
    let mut spare_chunks: Vec<LineChunk> = Vec::new();
    let mut pending = LineChunk::default();
    loop {
        let line = match lines.append_next_line(&mut pending.bytes)? {
            LineEvent::End => break,
            LineEvent::Oversized { number, length } => PendingLine {
                number,
                span: Err(Problem::new(
                    "record",
                    format!("line is {length} bytes, over the {}-byte limit; it was skipped", options.max_record_bytes),
                )),
                ended_with_newline: true,
            },
            LineEvent::Line { number, start, ended_with_newline } => {
                if pending.bytes[start..].iter().all(u8::is_ascii_whitespace) {
                    pending.bytes.truncate(start);
                    continue;
                }
                PendingLine { number, span: Ok(start..pending.bytes.len()), ended_with_newline }
            }
        };
        pending.lines.push(line);
        if pending.lines.len() >= CHUNK_LINES || pending.bytes.len() >= CHUNK_BYTES {
            if in_flight.len() >= 2 && !drain_oldest(&mut in_flight, sink, &mut spare_chunks)? {
                return Ok(());
            }
            let chunk = std::mem::replace(&mut pending, spare_chunks.pop().unwrap_or_default());
            in_flight.push_back(InFlightChunk {
                results: submit_chunk(chunk, context.clone()),
                bytes_read: lines.bytes_read(),
            });
        }
    }
    if !pending.lines.is_empty() {
        in_flight.push_back(InFlightChunk { results: submit_chunk(pending, context), bytes_read: lines.bytes_read() });
    }
    while !in_flight.is_empty() {
        if !drain_oldest(&mut in_flight, sink, &mut spare_chunks)? {
            break;
        }
    }
    Ok(())
}

/// A chunk being decoded: its results (in line order, with the emptied chunk for reuse) and how
/// far into the file it reaches.
struct InFlightChunk {
    results: mpsc_std::Receiver<(Vec<(u64, Prepared)>, LineChunk)>,
    bytes_read: u64,
}

/// What decoding a chunk needs, shared with the rayon tasks.
struct DecodeContext {
    kind: Option<RecordKind>,
    tenant: TenantId,
    encode: bool,
}

/// Decodes (and encodes) a chunk of lines in parallel on the rayon pool; the receiver yields the
/// results in line order.
fn submit_chunk(
    mut chunk: LineChunk,
    context: Arc<DecodeContext>,
) -> mpsc_std::Receiver<(Vec<(u64, Prepared)>, LineChunk)> {
    let (sender, receiver) = mpsc_std::sync_channel(1);
    rayon::spawn(move || {
        let prepared: Vec<(u64, Prepared)> = chunk
            .lines
            .par_iter()
            .map(|line| {
                let text = chunk.text(line);
                let decoded = match &text {
                    Err(problem) => Err(vec![problem.clone()]),
                    Ok(text) => decode_json(text, context.kind).map_err(|mut problems| {
                        let incomplete =
                            problems.first().is_some_and(|problem| problem.reason.starts_with("incomplete JSON"));
                        if incomplete && !line.ended_with_newline {
                            problems[0].reason =
                                "truncated: the file ends inside this record (no closing brace, no final newline)"
                                    .to_string();
                        }
                        problems
                    }),
                };
                (line.number, prepare(decoded, text.ok(), &context.tenant, context.encode))
            })
            .collect();
        chunk.bytes.clear();
        chunk.lines.clear();
        // The reader may have stopped (store error); then nobody is listening, which is fine.
        let _ = sender.send((prepared, chunk));
    });
    receiver
}

/// Hands the oldest decoded chunk to the sink in line order, so duplicate detection and problem
/// order never depend on thread timing. Returns false when the sink stopped (writer gone).
fn drain_oldest(
    in_flight: &mut VecDeque<InFlightChunk>,
    sink: &mut RecordSink<'_>,
    spare_chunks: &mut Vec<LineChunk>,
) -> std::io::Result<bool> {
    let Some(InFlightChunk { results, bytes_read }) = in_flight.pop_front() else { return Ok(true) };
    let (prepared, mut emptied_chunk) =
        results.recv().map_err(|_| std::io::Error::other("a decoder task panicked; this is a bug"))?;
    // A chunk that held a huge line gives the memory back rather than pinning it for the file.
    if emptied_chunk.bytes.capacity() > 2 * CHUNK_BYTES {
        emptied_chunk.bytes.shrink_to(CHUNK_BYTES);
    }
    spare_chunks.push(emptied_chunk);
    sink.bytes_read = bytes_read;
    for (number, prepared) in prepared {
        sink.accept(number, prepared);
        if sink.stopped {
            return Ok(false);
        }
    }
    Ok(true)
}

/// A decoded record checked against the import's tenant and, when it will be written, encoded.
enum Prepared {
    Accepted { kind: RecordKind, id: String, custom_fields: Vec<String>, encoded: Option<EncodedRecord> },
    Rejected(Vec<Problem>),
}

/// `source` is the text the record was decoded from, stored as is when it is an exact form of it.
fn prepare(
    decoded: std::result::Result<Decoded, Vec<Problem>>,
    source: Option<&str>,
    tenant: &TenantId,
    encode: bool,
) -> Prepared {
    let Decoded { mut record, custom_fields, input_is_exact } = match decoded {
        Ok(decoded) => decoded,
        Err(problems) => return Prepared::Rejected(problems),
    };
    if let Some(record_tenant) = record.tenant()
        && record_tenant != tenant
    {
        let reason = format!(
            "record is for tenant {:?} but this import writes to {:?} (--tenant)",
            record_tenant.as_str(),
            tenant.as_str()
        );
        return Prepared::Rejected(vec![Problem::new("tenant", reason)]);
    }
    record.set_tenant(tenant.clone());
    let encoded = if encode {
        let encoded = match source.filter(|_| input_is_exact) {
            Some(json) => EncodedRecord::encode_from_json(tenant, &record, json),
            None => EncodedRecord::encode(tenant, &record),
        };
        match encoded {
            Ok(encoded) => Some(encoded),
            Err(error) => return Prepared::Rejected(vec![Problem::new("record", error.to_string())]),
        }
    } else {
        None
    };
    Prepared::Accepted { kind: record.kind(), id: record.id().to_string(), custom_fields, encoded }
}

fn read_csv(file: File, options: &ImportOptions, sink: &mut RecordSink<'_>) -> std::io::Result<()> {
    let mut reader =
        csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(BufReader::with_capacity(1 << 20, file));
    let headers: Vec<String> = match reader.byte_headers() {
        Ok(headers) => headers
            .iter()
            .enumerate()
            .map(|(index, header)| {
                let header = String::from_utf8_lossy(header).trim().trim_start_matches('\u{feff}').to_ascii_lowercase();
                if header.is_empty() { format!("column_{}", index + 1) } else { header }
            })
            .collect(),
        Err(error) => {
            sink.file_problem(format!("cannot read the header row: {error}"));
            return Ok(());
        }
    };
    let type_column = headers.iter().position(|header| header == "type");
    if type_column.is_none() && options.kind.is_none() && !headers.is_empty() {
        sink.file_problem("cannot tell what the rows are: add a `type` column or pass --kind".to_string());
        return Ok(());
    }
    let mut row = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut row) {
            Ok(false) => break,
            Ok(true) => {}
            Err(error) => {
                let line = error.position().map(|position| position.line()).unwrap_or(0);
                sink.rejected(line, vec![Problem::new("record", format!("unreadable CSV row: {error}"))]);
                continue;
            }
        }
        let line = row.position().map(|position| position.line()).unwrap_or(0);
        sink.bytes_read = row.position().map(|position| position.byte()).unwrap_or(sink.bytes_read);
        if row.iter().all(|cell| cell.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        if row.len() != headers.len() {
            sink.rejected(
                line,
                vec![Problem::new("record", format!("has {} cells but the header has {}", row.len(), headers.len()))],
            );
            continue;
        }
        let mut cells = Vec::with_capacity(row.len());
        let mut utf8_problem = None;
        for (index, cell) in row.iter().enumerate() {
            match std::str::from_utf8(cell) {
                Ok(text) => cells.push(text),
                Err(error) => {
                    let reason = format!(
                        "not valid UTF-8: byte 0x{:02x} at position {}",
                        cell[error.valid_up_to()],
                        error.valid_up_to() + 1
                    );
                    utf8_problem = Some(Problem::new(headers[index].clone(), reason));
                    break;
                }
            }
        }
        if let Some(problem) = utf8_problem {
            sink.rejected(line, vec![problem]);
            continue;
        }
        let kind = match type_column.map(|index| cells[index].trim()) {
            Some(name) if !name.is_empty() => match RecordKind::parse(name) {
                Some(kind) => kind,
                None => {
                    let reason = format!("unknown value {name:?}, expected one of call, lead, activity, outcome");
                    sink.rejected(line, vec![Problem::new("type", reason)]);
                    continue;
                }
            },
            _ => match options.kind {
                Some(kind) => kind,
                None => {
                    sink.rejected(line, vec![Problem::new("type", "empty, and no --kind given")]);
                    continue;
                }
            },
        };
        let decoded = csv_row::row_to_object(kind, &headers, &cells)
            .and_then(|object| decode_value(Value::Object(object), Some(kind)));
        sink.decoded(line, decoded);
        if sink.stopped {
            break;
        }
    }
    Ok(())
}

/// `.json` files are read whole; larger than this, JSON lines is the right format.
const MAX_JSON_DOCUMENT_BYTES: u64 = 256 * 1024 * 1024;

fn read_json_document(file: File, options: &ImportOptions, sink: &mut RecordSink<'_>) -> std::io::Result<()> {
    let length = file.metadata()?.len();
    if length > MAX_JSON_DOCUMENT_BYTES {
        sink.file_problem(format!(
            "a .json document is read whole and this one is {length} bytes (limit {MAX_JSON_DOCUMENT_BYTES}); use JSON lines (.jsonl)"
        ));
        return Ok(());
    }
    let mut bytes = Vec::with_capacity(length as usize);
    BufReader::new(file).read_to_end(&mut bytes)?;
    sink.bytes_read = bytes.len() as u64;
    let value: Value = match serde_json::from_slice(&bytes) {
        Ok(value) => value,
        Err(error) if error.is_eof() && bytes.iter().all(u8::is_ascii_whitespace) => return Ok(()),
        Err(error) => {
            let problem = crate::decode::json_syntax_problem(&error);
            sink.rejected(error.line() as u64, vec![problem]);
            return Ok(());
        }
    };
    match value {
        Value::Array(items) => {
            for (index, item) in items.into_iter().enumerate() {
                let decoded = decode_value(item, options.kind).map_err(|problems| {
                    problems.into_iter().map(|problem| problem.under(&format!("[{index}]"))).collect()
                });
                sink.decoded(1, decoded);
                if sink.stopped {
                    break;
                }
            }
        }
        other => sink.decoded(1, decode_value(other, options.kind)),
    }
    Ok(())
}

/// Collects accepted records into batches and problems into the report.
struct RecordSink<'a> {
    file: String,
    options: &'a ImportOptions,
    sender: Option<&'a mpsc::Sender<Batch>>,
    report: FileReport,
    batch: Vec<EncodedRecord>,
    /// First line of each (kind, id) seen, keyed by a 64-bit hash of it so memory stays at ~17
    /// bytes per record on files of millions of records (~36 MB at a million, transiently 54 MB
    /// while the table grows). The hash is keyed at random per run, so two different ids share a
    /// key with probability about n²/2⁶⁵ per file (3·10⁻⁸ at a million records) and never the
    /// same way twice: such a false "duplicate" is reported, never silent, and a re-run clears it.
    first_line_by_id: HashMap<u64, u64>,
    hasher: std::collections::hash_map::RandomState,
    bytes_read: u64,
    /// Set when the writer has gone away (a store error): stop reading.
    stopped: bool,
}

impl<'a> RecordSink<'a> {
    fn new(
        path: &Path,
        format: FileFormat,
        options: &'a ImportOptions,
        sender: Option<&'a mpsc::Sender<Batch>>,
    ) -> Self {
        RecordSink {
            file: path.display().to_string(),
            options,
            sender,
            report: FileReport {
                path: path.to_path_buf(),
                format,
                records: 0,
                accepted: 0,
                rejected: 0,
                written: 0,
                unchanged: 0,
                accepted_by_kind: BTreeMap::new(),
                problems: Vec::new(),
                problems_not_kept: 0,
                custom_fields: BTreeMap::new(),
                committed: false,
            },
            batch: Vec::with_capacity(options.batch_records),
            first_line_by_id: HashMap::new(),
            hasher: Default::default(),
            bytes_read: 0,
            stopped: false,
        }
    }

    fn push_problems(&mut self, line: u64, problems: Vec<Problem>) {
        for problem in problems {
            if self.report.problems.len() < self.options.max_problems_kept {
                self.report.problems.push(LocatedProblem {
                    file: self.file.clone(),
                    line,
                    field: problem.field,
                    reason: problem.reason,
                });
            } else {
                self.report.problems_not_kept += 1;
            }
        }
    }

    fn file_problem(&mut self, reason: String) {
        self.push_problems(1, vec![Problem::new("file", reason)]);
    }

    fn rejected(&mut self, line: u64, problems: Vec<Problem>) {
        self.report.records += 1;
        self.report.rejected += 1;
        self.push_problems(line, problems);
    }

    fn id_key(&self, kind: RecordKind, id: &str) -> u64 {
        self.hasher.hash_one((kind, id))
    }

    /// Decodes-then-accepts on the calling thread (CSV and JSON documents).
    fn decoded(&mut self, line: u64, decoded: std::result::Result<Decoded, Vec<Problem>>) {
        let prepared = prepare(decoded, None, &self.options.tenant, self.sender.is_some());
        self.accept(line, prepared);
    }

    fn accept(&mut self, line: u64, prepared: Prepared) {
        let (kind, id, custom_fields, encoded) = match prepared {
            Prepared::Accepted { kind, id, custom_fields, encoded } => (kind, id, custom_fields, encoded),
            Prepared::Rejected(problems) => return self.rejected(line, problems),
        };
        let key = self.id_key(kind, &id);
        if let Some(first_line) = self.first_line_by_id.get(&key) {
            let reason =
                format!("duplicate {kind} id {id:?} in this file (first on line {first_line}); the first is kept");
            return self.rejected(line, vec![Problem::new("id", reason)]);
        }
        self.first_line_by_id.insert(key, line);
        for field in custom_fields {
            let entry = self.report.custom_fields.entry(field).or_insert((line, 0));
            entry.1 += 1;
        }
        self.report.records += 1;
        self.report.accepted += 1;
        *self.report.accepted_by_kind.entry(kind).or_default() += 1;
        if let Some(encoded) = encoded {
            self.batch.push(encoded);
            if self.batch.len() >= self.options.batch_records {
                self.flush();
            }
        }
    }

    fn flush(&mut self) {
        let Some(sender) = self.sender else { return };
        if self.batch.is_empty() {
            return;
        }
        let records = std::mem::replace(&mut self.batch, Vec::with_capacity(self.options.batch_records));
        let encoded = EncodedBatch::from_records(&self.options.tenant, records);
        if sender.blocking_send(Batch { encoded, bytes_read: self.bytes_read }).is_err() {
            self.stopped = true;
        }
    }

    fn finish(mut self) -> FileReport {
        self.flush();
        if self.report.records == 0 && self.report.problems.is_empty() {
            self.file_problem("empty: no records found".to_string());
        }
        self.report
    }
}
