//! Call facts: a call without its transcript.
//!
//! Campaign analyses read what happened on a call, not what was said: status, outcome, script,
//! agent, stage, sentiment, and how many turns there were. Stores keep these facts beside the full
//! record so a report over a million calls never decodes a million transcripts.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::call::{Call, CallStatus, Stage};
use crate::outcome::Outcome;

/// The facts of one call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallFacts {
    /// The call's id.
    pub id: String,
    /// Campaign.
    pub campaign: String,
    /// Lead called.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_id: Option<String>,
    /// Voice agent.
    pub agent: String,
    /// Script version.
    pub script_version: String,
    /// Experiment variant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// Start.
    pub started_at: DateTime<Utc>,
    /// Length in seconds.
    pub duration_s: f64,
    /// How it ended.
    pub status: CallStatus,
    /// Stage of a drop.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drop_off_stage: Option<Stage>,
    /// Why it was escalated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalation_reason: Option<String>,
    /// Compliance rules broken.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub compliance_flags: Vec<String>,
    /// Sentiment, −1..=1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentiment: Option<f64>,
    /// Turns in the transcript.
    pub turn_count: u32,
    /// Outcome.
    #[serde(default)]
    pub outcome: Outcome,
}

impl From<&Call> for CallFacts {
    fn from(call: &Call) -> CallFacts {
        CallFacts {
            id: call.id.clone(),
            campaign: call.campaign.clone(),
            lead_id: call.lead_id.clone(),
            agent: call.agent.clone(),
            script_version: call.script_version.clone(),
            variant: call.variant.clone(),
            started_at: call.started_at,
            duration_s: call.duration_s,
            status: call.status,
            drop_off_stage: call.drop_off_stage.clone(),
            escalation_reason: call.escalation_reason.clone(),
            compliance_flags: call.compliance_flags.clone(),
            sentiment: call.sentiment,
            turn_count: u32::try_from(call.turns.len()).unwrap_or(u32::MAX),
            outcome: call.outcome.clone(),
        }
    }
}
