//! What the pattern store keeps: the current conversion pattern per tenant and type, and the
//! history of every computation.
//!
//! As with models, the store does not know what a pattern says: it keeps the learner's JSON with
//! the few facts listings need beside it (type, layout version, sample size, confidence, when it
//! was computed and until when it is valid).

use chrono::{DateTime, Utc};

/// One computed pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPattern {
    /// `who`, `what`, `when` or `how`.
    pub pattern_type: String,
    /// The pattern JSON's layout version (`"1.0"`).
    pub version: String,
    /// Outcomes it rests on.
    pub sample_size: u64,
    /// Its confidence, 0–1.
    pub confidence: f64,
    /// When it was computed.
    pub computed_at: DateTime<Utc>,
    /// When it should be recomputed.
    pub valid_until: DateTime<Utc>,
    /// The pattern itself.
    pub body: serde_json::Value,
}
