//! Getting records into hindsight: decoders and the streaming file importer.
//!
//! - [`decode_json`] / [`decode_value`]: pure functions from one JSON record to a
//!   [`Record`](hindsight_model::Record) or every [`Problem`](hindsight_model::Problem) in it;
//! - [`import_file`]: streams a JSON-lines, CSV or JSON file into a [`Store`](hindsight_store::Store)
//!   in batches, in constant memory whatever the file size, and returns a [`FileReport`] with each
//!   rejected record located as `file:line: field: reason`.
//!
//! The importer's promises: a bad record never stops the file and never costs the valid records
//! beside it; nothing panics on any input (truncated lines, non-UTF-8 bytes, 50 MB lines, empty
//! files); ingest is idempotent on record id; with `strict`, a file is all-or-nothing: any problem
//! and nothing from it is written.
//!
//! This crate moves data; it holds no business logic.
#![deny(missing_docs)]

mod csv_row;
mod decode;
mod error;
mod import;
mod lines;
mod schema;

pub use csv_row::csv_columns;
pub use decode::{Decoded, decode_json, decode_value, json_syntax_problem};
pub use error::{IngestError, Result};
pub use import::{FileFormat, FileReport, ImportOptions, LocatedProblem, ProgressFn, import_file};
