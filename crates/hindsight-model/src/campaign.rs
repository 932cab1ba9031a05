//! Campaign configuration: targets and rules the analyses compare against.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::call::Stage;
use crate::problem::{Problem, Validate, check_id, check_range};
use crate::tag::CampaignTag;
use crate::tenant::TenantId;

/// The targets a campaign is judged against (voice-bot-intelligence.md's `CampaignConfig`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignTargets {
    /// Calls per day the campaign should place.
    pub calls_per_day: f64,
    /// Share of calls that should convert (book), 0–1.
    pub conversion_rate: f64,
    /// Expected revenue per call.
    pub revenue_per_call: f64,
}

/// One campaign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Campaign {
    /// `"type": "campaign"` on the wire.
    #[serde(rename = "type", default)]
    pub record_type: CampaignTag,
    /// Unique within the tenant; calls refer to it by this id.
    pub id: String,
    /// The owning tenant; filled in by ingest from `--tenant` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<TenantId>,
    /// Human-readable name.
    pub name: String,
    /// First day of the campaign.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<NaiveDate>,
    /// Targets.
    pub targets: CampaignTargets,
    /// Average deal value (revenue of one conversion).
    pub avg_deal_value: f64,
    /// Compliance rules calls must respect.
    #[serde(default)]
    pub compliance_rules: Vec<String>,
    /// Script versions in use.
    #[serde(default)]
    pub script_versions: Vec<String>,
    /// Funnel stages in order; the default set when empty.
    #[serde(default = "Stage::default_set")]
    pub stages: Vec<Stage>,
}

impl Validate for Campaign {
    fn validate(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        check_id("id", &self.id, &mut problems);
        check_range("targets.calls_per_day", self.targets.calls_per_day, 0.0, 1e9, &mut problems);
        check_range("targets.conversion_rate", self.targets.conversion_rate, 0.0, 1.0, &mut problems);
        check_range("targets.revenue_per_call", self.targets.revenue_per_call, 0.0, 1e12, &mut problems);
        check_range("avg_deal_value", self.avg_deal_value, 0.0, 1e12, &mut problems);
        if self.stages.is_empty() {
            problems.push(Problem::new("stages", "must name at least one stage"));
        }
        problems
    }
}
