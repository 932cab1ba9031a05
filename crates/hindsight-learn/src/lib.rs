//! hindsight's learners, as pure functions over records.
//!
//! Everything a learner needs arrives as arguments — records, a campaign configuration, thresholds
//! — and everything it finds comes back as plain data with its evidence (sample sizes, intervals,
//! the test used). No learner does I/O, reads the clock or draws random numbers of its own.
//!
//! - [`campaign`]: campaign intelligence (voice-bot-intelligence.md) — period metrics with
//!   intervals, broken down by script version and agent.
//! - [`excellence`]: what top calls say and do that bottom calls don't (excellence-replicator.md).
//! - [`conversion`]: WHO / WHAT / WHEN / HOW conversion patterns (conversion-intelligence.md).
//! - [`outcomes`]: outcome models on call features, judged on held-out calls.
#![deny(missing_docs)]

mod call_context;
pub mod campaign;
pub mod conversion;
pub mod excellence;
pub mod outcomes;
