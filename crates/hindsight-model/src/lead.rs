//! Leads: the people and companies outreach and calls are aimed at.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::attributes::Attributes;
use crate::problem::{Problem, Validate, check_id, check_range};
use crate::tag::LeadTag;
use crate::tenant::TenantId;

/// The custom attribute that labels voice-AI fit (`true`/`false`, or `1`/`0`): a column of that
/// name in a leads CSV, or the key in a lead's `attributes`. It says whether someone who talked
/// to the lead judged it a strong voice-AI prospect — the label of the voice-AI-fit model, so no
/// model takes it as a feature.
pub const VOICE_AI_FIT_ATTRIBUTE: &str = "voice_ai_fit";

/// Where a lead is in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeadStatus {
    /// Not yet contacted.
    New,
    /// At least one touch sent.
    Contacted,
    /// Booked a meeting (the conversion conversion-intelligence.md learns from).
    Converted,
    /// Asked not to be contacted.
    Unsubscribed,
    /// The address or number does not work.
    Bounced,
    /// Said no.
    NotInterested,
    /// Gave up on after the sequence ended.
    Dead,
}

impl LeadStatus {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            LeadStatus::New => "new",
            LeadStatus::Contacted => "contacted",
            LeadStatus::Converted => "converted",
            LeadStatus::Unsubscribed => "unsubscribed",
            LeadStatus::Bounced => "bounced",
            LeadStatus::NotInterested => "not_interested",
            LeadStatus::Dead => "dead",
        }
    }
}

/// The lead-score (ALS) components at scoring time, on the spec's scales: data quality 0–20,
/// authority 0–25, company fit 0–25, timing 0–15, and a risk penalty subtracted from the total.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlsComponents {
    /// Completeness and validity of the lead's data, 0–20.
    pub data_quality: f64,
    /// Decision-making power of the title, 0–25.
    pub authority: f64,
    /// Match of the company to the ideal customer profile, 0–25.
    pub company_fit: f64,
    /// Buying-window signals (new role, hiring, funding), 0–15.
    pub timing: f64,
    /// Penalty points subtracted from the score.
    #[serde(default)]
    pub risk: f64,
}

/// The weights the lead score used; the spec's defaults sum to 0.85.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlsWeights {
    /// Weight of data quality.
    pub data_quality: f64,
    /// Weight of authority.
    pub authority: f64,
    /// Weight of company fit.
    pub company_fit: f64,
    /// Weight of timing.
    pub timing: f64,
}

impl AlsWeights {
    /// The spec's defaults (conversion-intelligence.md, `ScorerEngine.DEFAULT_WEIGHTS`).
    pub const DEFAULT: AlsWeights = AlsWeights { data_quality: 0.20, authority: 0.25, company_fit: 0.25, timing: 0.15 };
}

/// What the lead scorer saw and used, stored at scoring time so the weights can be learned later.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeadScoreSnapshot {
    /// Component scores.
    pub components: AlsComponents,
    /// Weights used to combine them.
    pub weights: AlsWeights,
    /// The resulting score, 0–100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// When the lead was scored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scored_at: Option<DateTime<Utc>>,
}

/// A lead: one person at one company.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lead {
    /// `"type": "lead"` on the wire.
    #[serde(rename = "type", default)]
    pub record_type: LeadTag,
    /// Unique within the tenant.
    pub id: String,
    /// The owning tenant; filled in by ingest from `--tenant` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<TenantId>,
    /// The campaign that owns the lead, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<String>,
    /// Job title as given ("VP of Sales").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Industry as given ("Dental").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub industry: Option<String>,
    /// Number of employees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employee_count: Option<u32>,
    /// Company name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// Company web domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// Free-text company description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Free-text notes (from calls or the CRM).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Funding stage ("seed", "series_a", …) as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funding_stage: Option<String>,
    /// Started the current role recently.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_new_role: Option<bool>,
    /// The company is hiring.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_hiring: Option<bool>,
    /// The company raised money recently.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recently_funded: Option<bool>,
    /// Lead tier from the scorer ("A", "B", "C").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
    /// Lifecycle status.
    pub status: LeadStatus,
    /// When the lead entered the system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    /// When the lead converted (booked), if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub converted_at: Option<DateTime<Utc>>,
    /// The lead-score snapshot taken when the lead was last scored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<LeadScoreSnapshot>,
    /// Custom fields.
    #[serde(default, skip_serializing_if = "Attributes::is_empty")]
    pub attributes: Attributes,
}

impl Validate for Lead {
    fn validate(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        check_id("id", &self.id, &mut problems);
        if let Some(score) = &self.score {
            let components = &score.components;
            check_range("score.components.data_quality", components.data_quality, 0.0, 20.0, &mut problems);
            check_range("score.components.authority", components.authority, 0.0, 25.0, &mut problems);
            check_range("score.components.company_fit", components.company_fit, 0.0, 25.0, &mut problems);
            check_range("score.components.timing", components.timing, 0.0, 15.0, &mut problems);
            check_range("score.components.risk", components.risk, 0.0, 100.0, &mut problems);
            let weights = &score.weights;
            for (name, weight) in [
                ("data_quality", weights.data_quality),
                ("authority", weights.authority),
                ("company_fit", weights.company_fit),
                ("timing", weights.timing),
            ] {
                check_range(&format!("score.weights.{name}"), weight, 0.0, 1.0, &mut problems);
            }
            if let Some(total) = score.score {
                check_range("score.score", total, 0.0, 100.0, &mut problems);
            }
        }
        if self.status == LeadStatus::Converted && self.converted_at.is_none() {
            problems.push(Problem::new("converted_at", "required when status is \"converted\""));
        }
        if let (Some(created), Some(converted)) = (self.created_at, self.converted_at)
            && converted < created
        {
            problems.push(Problem::new("converted_at", format!("{converted} is before created_at {created}")));
        }
        problems
    }
}
