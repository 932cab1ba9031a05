//! The lead scorer (conversion-intelligence.md §5.1): component scores from the lead record,
//! combined with the tenant's learned weights, or the spec's defaults until WHO has learned some.
//! Every score keeps its components and the weights used, so the next WHO run can learn from what
//! the scorer saw.
//!
//! Components: data quality (0–20) is the share of the record filled in; authority (0–25) the
//! title's seniority; company fit (0–25) how the lead's industry and company size convert for this
//! tenant (their WHO lifts; neutral before there are any); timing (0–15) the new-role, hiring and
//! funded flags. The record contract has no risk signal of its own, so a lead's risk is the one its
//! previous snapshot carried (a sender's own deduction), else 0.

use chrono::{DateTime, Utc};
use hindsight_model::{AlsComponents, AlsWeights, Lead, LeadScoreSnapshot};
use serde::{Deserialize, Serialize};

use crate::conversion::who::{WhoPatterns, size_range_of};
use crate::outcomes::title_seniority;

/// Where a scorer's weights came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WeightSource {
    /// Learned by WHO from this tenant's outcomes.
    Learned,
    /// The spec's defaults (no WHO pattern, or too few outcomes).
    Default,
}

/// Scores leads with a tenant's weights and company-fit lifts.
#[derive(Debug, Clone, PartialEq)]
pub struct LeadScorer {
    weights: AlsWeights,
    source: WeightSource,
    industry_lifts: Vec<(String, f64)>,
    size_lifts: Vec<(String, f64)>,
}

/// Points for each field present, adding up to data quality's 20.
const DATA_QUALITY_POINTS: [(&str, f64); 7] = [
    ("title", 4.0),
    ("company", 3.0),
    ("domain", 3.0),
    ("industry", 3.0),
    ("employee_count", 3.0),
    ("description", 2.0),
    ("funding_stage", 2.0),
];

impl LeadScorer {
    /// A scorer from a tenant's WHO pattern: its weights when they were learned, the defaults
    /// otherwise; its industry and size lifts for company fit.
    pub fn from_patterns(who: Option<&WhoPatterns>) -> LeadScorer {
        let learned = who.filter(|who| who.weight_fit.source == "learned" && who.confidence > 0.0);
        let Some(who) = who else {
            return LeadScorer::with_defaults();
        };
        LeadScorer {
            weights: learned.map(|who| who.recommended_weights).unwrap_or(AlsWeights::DEFAULT),
            source: if learned.is_some() { WeightSource::Learned } else { WeightSource::Default },
            industry_lifts: who.industry_rankings.iter().map(|rank| (rank.name.clone(), rank.evidence.lift)).collect(),
            size_lifts: who
                .size_analysis
                .distribution
                .iter()
                .map(|range| (range.range.clone(), range.evidence.lift))
                .collect(),
        }
    }

    /// The spec's default weights and neutral company fit.
    pub fn with_defaults() -> LeadScorer {
        LeadScorer {
            weights: AlsWeights::DEFAULT,
            source: WeightSource::Default,
            industry_lifts: Vec::new(),
            size_lifts: Vec::new(),
        }
    }

    /// The weights this scorer applies.
    pub fn weights(&self) -> AlsWeights {
        self.weights
    }

    /// Where they came from.
    pub fn source(&self) -> WeightSource {
        self.source
    }

    /// The lead's components.
    pub fn components(&self, lead: &Lead) -> AlsComponents {
        let present = |field: &str| match field {
            "title" => lead.title.as_deref().is_some_and(|value| !value.trim().is_empty()),
            "company" => lead.company.as_deref().is_some_and(|value| !value.trim().is_empty()),
            "domain" => lead.domain.as_deref().is_some_and(|value| !value.trim().is_empty()),
            "industry" => lead.industry.as_deref().is_some_and(|value| !value.trim().is_empty()),
            "employee_count" => lead.employee_count.is_some(),
            "description" => lead.description.as_deref().is_some_and(|value| !value.trim().is_empty()),
            _ => lead.funding_stage.as_deref().is_some_and(|value| !value.trim().is_empty()),
        };
        let data_quality =
            DATA_QUALITY_POINTS.iter().filter(|(field, _)| present(field)).map(|(_, points)| points).sum();
        let authority = match lead.title.as_deref().map(title_seniority) {
            None => 0.0,
            Some("c_level") => 25.0,
            Some("vp") => 21.0,
            Some("director") => 18.0,
            Some("manager") => 12.0,
            Some(_) => 6.0,
        };
        // Each of industry and size gives up to 12.5 points: 6.25 at the tenant's average (lift
        // 1, or not yet learned), 12.5 at twice it, 0 for nothing known.
        let part = |lifts: &[(String, f64)], value: Option<&str>| match value {
            None => 0.0,
            Some(value) => {
                let lift = lifts.iter().find(|(name, _)| name == value).map(|(_, lift)| *lift).unwrap_or(1.0);
                12.5 * (lift / 2.0).clamp(0.0, 1.0)
            }
        };
        let company_fit = part(&self.industry_lifts, lead.industry.as_deref())
            + part(&self.size_lifts, lead.employee_count.and_then(size_range_of));
        let flag = |value: Option<bool>, points: f64| if value.unwrap_or(false) { points } else { 0.0 };
        let timing = flag(lead.is_new_role, 5.0) + flag(lead.is_hiring, 4.0) + flag(lead.recently_funded, 6.0);
        let risk = lead.score.as_ref().map(|score| score.components.risk).unwrap_or(0.0);
        AlsComponents { data_quality, authority, company_fit, timing, risk }
    }

    /// The score of `components` under this scorer's weights, 0–100 (the spec's formula).
    pub fn combine(&self, components: &AlsComponents) -> f64 {
        let weights = &self.weights;
        (components.data_quality / 20.0 * weights.data_quality * 100.0
            + components.authority / 25.0 * weights.authority * 100.0
            + components.company_fit / 25.0 * weights.company_fit * 100.0
            + components.timing / 15.0 * weights.timing * 100.0
            - components.risk)
            .clamp(0.0, 100.0)
            .round()
    }

    /// Scores a lead: the snapshot to store on it, with components, weights and time.
    pub fn score(&self, lead: &Lead, now: DateTime<Utc>) -> LeadScoreSnapshot {
        let components = self.components(lead);
        LeadScoreSnapshot {
            score: Some(self.combine(&components)),
            components,
            weights: self.weights,
            scored_at: Some(now),
        }
    }
}
