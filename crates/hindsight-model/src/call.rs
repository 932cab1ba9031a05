//! Calls: one conversation between a voice agent and a person, with its turns and outcome.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};

use crate::attributes::Attributes;
use crate::outcome::Outcome;
use crate::problem::{Problem, Validate, check_id, check_range};
use crate::tag::CallTag;
use crate::tenant::TenantId;

/// Who spoke a turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Speaker {
    /// The voice agent (the bot) or the human agent it escalated to.
    Agent,
    /// The person called: the lead, prospect or customer.
    User,
}

/// How a call ended. The five values of voice-bot-intelligence.md's `CallStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallStatus {
    /// The conversation ran to its end.
    Completed,
    /// The person hung up or the line dropped before the end; see `drop_off_stage`.
    Dropped,
    /// Handed to a human; see `escalation_reason`.
    Escalated,
    /// A technical failure (telephony, speech recognition, timeouts).
    Failed,
    /// The call broke a compliance rule; see `compliance_flags`.
    ComplianceViolation,
}

impl CallStatus {
    /// Every status, in declaration order.
    pub const ALL: [CallStatus; 5] = [
        CallStatus::Completed,
        CallStatus::Dropped,
        CallStatus::Escalated,
        CallStatus::Failed,
        CallStatus::ComplianceViolation,
    ];

    /// The wire name (`compliance_violation`).
    pub fn as_str(self) -> &'static str {
        match self {
            CallStatus::Completed => "completed",
            CallStatus::Dropped => "dropped",
            CallStatus::Escalated => "escalated",
            CallStatus::Failed => "failed",
            CallStatus::ComplianceViolation => "compliance_violation",
        }
    }
}

/// A stage of the call funnel (`hook`, `qualification`, …).
///
/// A validated name rather than an enum because campaigns define their own stage sets; the default
/// set is [`Stage::DEFAULT_SET`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Stage(String);

impl Stage {
    /// The stage set used when a campaign names none, in funnel order.
    pub const DEFAULT_SET: [&'static str; 6] =
        ["hook", "qualification", "value_presentation", "objection_handling", "closing", "confirmation"];

    /// Validates a stage name: lowercase ASCII letters, digits and `_`, 1–48 bytes.
    pub fn new(name: impl Into<String>) -> Result<Stage, String> {
        let name = name.into();
        let well_formed = !name.is_empty()
            && name.len() <= 48
            && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if well_formed {
            Ok(Stage(name))
        } else {
            Err(format!(
                "invalid stage name {name:?}: use lowercase letters, digits and '_' (e.g. \"value_presentation\")"
            ))
        }
    }

    /// The default stage set as values.
    pub fn default_set() -> Vec<Stage> {
        Self::DEFAULT_SET.iter().map(|name| Stage((*name).to_string())).collect()
    }

    /// The stage name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Stage {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Stage::new(name).map_err(serde::de::Error::custom)
    }
}

/// One utterance in a call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Turn {
    /// Who spoke.
    pub speaker: Speaker,
    /// What was said (as transcribed; may contain PII until redacted).
    pub text: String,
    /// Seconds from the start of the call when the turn began.
    pub start_s: f64,
    /// Seconds from the start of the call when the turn ended.
    pub end_s: f64,
    /// The funnel stage this turn belongs to, when the platform labels it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<Stage>,
}

/// One voice-agent call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Call {
    /// `"type": "call"` on the wire.
    #[serde(rename = "type", default)]
    pub record_type: CallTag,
    /// Unique within the tenant; re-ingesting the same id replaces the record.
    pub id: String,
    /// The owning tenant; filled in by ingest from `--tenant` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<TenantId>,
    /// The campaign the call belongs to.
    pub campaign: String,
    /// The lead called, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_id: Option<String>,
    /// The voice agent (bot) id.
    pub agent: String,
    /// The script or prompt version the agent ran.
    pub script_version: String,
    /// The experiment variant, when the call was part of an A/B test.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// When the call started (RFC 3339).
    pub started_at: DateTime<Utc>,
    /// Call length in seconds.
    pub duration_s: f64,
    /// How the call ended.
    pub status: CallStatus,
    /// The stage in which a dropped call ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drop_off_stage: Option<Stage>,
    /// Why an escalated call was handed to a human.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalation_reason: Option<String>,
    /// Compliance rules the call broke (e.g. `disclosure_required`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub compliance_flags: Vec<String>,
    /// Overall sentiment in −1..=1, when the platform scores it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentiment: Option<f64>,
    /// The transcript, in order.
    #[serde(default)]
    pub turns: Vec<Turn>,
    /// What came of the call; every field may still be unknown.
    #[serde(default)]
    pub outcome: Outcome,
    /// Custom fields.
    #[serde(default, skip_serializing_if = "Attributes::is_empty")]
    pub attributes: Attributes,
}

impl Validate for Turn {
    fn validate(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        check_range("start_s", self.start_s, 0.0, f64::MAX, &mut problems);
        check_range("end_s", self.end_s, 0.0, f64::MAX, &mut problems);
        if self.end_s < self.start_s {
            problems.push(Problem::new("end_s", format!("{} is before start_s {}", self.end_s, self.start_s)));
        }
        problems
    }
}

impl Validate for Call {
    fn validate(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        check_id("id", &self.id, &mut problems);
        check_id("campaign", &self.campaign, &mut problems);
        check_id("agent", &self.agent, &mut problems);
        check_id("script_version", &self.script_version, &mut problems);
        check_range("duration_s", self.duration_s, 0.0, 86_400.0, &mut problems);
        if let Some(sentiment) = self.sentiment {
            check_range("sentiment", sentiment, -1.0, 1.0, &mut problems);
        }
        if self.status == CallStatus::Dropped && self.drop_off_stage.is_none() {
            // Not fatal for most analyses, but drop-off-by-stage would silently undercount.
            problems.push(Problem::new("drop_off_stage", "required when status is \"dropped\""));
        }
        if self.status == CallStatus::ComplianceViolation && self.compliance_flags.is_empty() {
            problems.push(Problem::new(
                "compliance_flags",
                "must name the broken rule when status is \"compliance_violation\"",
            ));
        }
        for (index, turn) in self.turns.iter().enumerate() {
            let turn_problems = turn.validate();
            // Formatting the path only for a turn that has problems: valid calls are the hot path
            // of ingest, and a `format!` per turn was 4% of it.
            if turn_problems.is_empty() {
                continue;
            }
            let parent = format!("turns[{index}]");
            problems.extend(turn_problems.into_iter().map(|problem| problem.under(&parent)));
        }
        problems.extend(self.outcome.validate().into_iter().map(|problem| problem.under("outcome")));
        problems
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::Call;
    use crate::problem::Validate;

    fn problems_of(json: &str) -> String {
        let call: Call = serde_json::from_str(json).expect("test input must decode");
        call.validate().iter().map(|problem| format!("{problem}\n")).collect()
    }

    #[test]
    fn validation_reports_every_problem_not_just_the_first() {
        let actual = problems_of(
            r#"{"id":"","campaign":"c","agent":"a","script_version":"v1","started_at":"2026-01-05T10:00:00Z",
                "duration_s":-3,"status":"dropped","sentiment":1.5,
                "turns":[{"speaker":"agent","text":"hi","start_s":4,"end_s":2}],
                "outcome":{"feedback_rating":9}}"#,
        );
        expect![[r#"
            id: must not be empty
            duration_s: -3 is outside 0..=86400
            sentiment: 1.5 is outside -1..=1
            drop_off_stage: required when status is "dropped"
            turns[0].end_s: 2 is before start_s 4
            outcome.feedback_rating: 9 is outside 1..=5
        "#]]
        .assert_eq(&actual);
    }

    #[test]
    fn a_valid_call_has_no_problems() {
        let actual = problems_of(
            r#"{"type":"call","id":"c1","campaign":"c","agent":"a","script_version":"v1","started_at":"2026-01-05T10:00:00Z",
                "duration_s":30,"status":"completed","turns":[{"speaker":"user","text":"hello","start_s":0,"end_s":1.2,"stage":"hook"}]}"#,
        );
        assert_eq!(actual, "");
    }
}
