//! Reports: plain data describing an analysis, and pure functions rendering it.
//!
//! A report is built from an analysis and the facts around it (tenant, campaign, period, when it
//! was generated — passed in, never read from a clock), carries a schema version, and renders to
//! text (the spec's layout), Markdown, JSON and self-contained HTML with charts (Chart.js vendored). Renderers never compute findings; they format
//! what the analysis found, with its sample sizes and intervals.
//!
//! Not HTTP, not files: callers write the strings where they need them.
#![deny(missing_docs)]

pub mod campaign;
pub mod excellence;
mod format;
mod html;
pub mod patterns;

pub use format::thousands;
