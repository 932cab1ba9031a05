//! hindsight's use cases: where the pure core meets storage and files.
//!
//! Each public function is one thing a user can ask for — simulate a campaign, ingest files,
//! describe the database, run the demo — written as load → call the core → save. The CLI (and
//! later the server) parse their inputs, call these, and render what they return; nothing here
//! prints, parses flags or knows HTTP.
//!
//! Long operations report progress through a [`Progress`] the caller provides, so the CLI can
//! draw a bar on a terminal and stay quiet in a pipe.
#![deny(missing_docs)]

mod calls;
mod demo;
mod error;
mod excellence;
mod info;
mod ingest;
mod models;
mod overview;
mod patterns;
mod progress;
mod redact;
mod report;
mod simulate;
mod store;
mod train;

pub use demo::{DemoOptions, DemoReport, run_demo};
pub use error::{AppError, Result};
pub use excellence::excellence_report;
pub use info::{DatabaseInfo, TenantCounts, database_info};
pub use ingest::{IngestSummary, ingest_files};
pub use models::{
    AliasChangeView, CHALLENGER, CHAMPION, ListedVersion, ModelRef, Registered, ScoreSummary, Selector, ShownVersion,
    list_models, load_model, promote_model, register_model, rollback_model, score_lines, show_model,
};
pub use overview::{DatasetOverview, OutcomeCounts, WeekRow, dataset_overview};
pub use patterns::{
    LeadScoring, LearnedPatterns, learn_and_store_patterns, pattern_metrics, pattern_set, patterns_report,
    score_open_leads, stored_patterns, weight_history,
};
pub use progress::{NoProgress, Progress};
pub use redact::{LineProblem, RedactFormat, RedactSummary, redact_lines};
pub use report::{PeriodChoice, campaign_report};
pub use simulate::{SimulationOutput, simulate_to_directory};
pub use store::open_store;
pub use train::{Trained, feature_table, train_model};
