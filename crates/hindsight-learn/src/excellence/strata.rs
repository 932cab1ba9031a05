//! Lead-quality strata: the groups inside which the confound-controlled view forms its cohorts.
//!
//! A call's stratum comes from its lead: the band of the lead score the scorer gave it, or the
//! lead's industry × company-size range. Calls without a lead, or whose lead lacks the fields, form
//! strata of their own ("no lead", "no score") rather than being dropped, so the second view
//! still covers them, compared only with each other.

use std::collections::HashMap;

use hindsight_model::Lead;
use serde::{Deserialize, Serialize};

use crate::excellence::differentiators::Cohort;

/// How calls are grouped by lead quality.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "by")]
pub enum LeadStrata {
    /// Bands of the lead score (0–100), `width` points wide.
    ScoreBand {
        /// Points per band.
        width: f64,
    },
    /// Industry × company-size range (1–10, 11–50, 51–200, 201–1,000, over 1,000 employees).
    IndustryBySize,
}

impl Default for LeadStrata {
    fn default() -> Self {
        LeadStrata::ScoreBand { width: 10.0 }
    }
}

impl LeadStrata {
    /// `score bands of 10 points`, `industry × company size`.
    pub fn describe(&self) -> String {
        match self {
            LeadStrata::ScoreBand { width } => format!("lead-score bands of {width} points"),
            LeadStrata::IndustryBySize => "industry × company size".to_string(),
        }
    }
}

/// The stratum of a call placed to `lead`.
pub fn stratum_of(lead: Option<&Lead>, strata: &LeadStrata) -> String {
    let Some(lead) = lead else {
        return "no lead".to_string();
    };
    match strata {
        LeadStrata::ScoreBand { width } => match lead.score.as_ref().and_then(|snapshot| snapshot.score) {
            Some(score) if width.is_finite() && *width > 0.0 => {
                // A perfect 100 belongs to the top band, not one of its own.
                let low = ((score.clamp(0.0, 100.0) / width).floor() * width).min((100.0 - width).max(0.0));
                format!("score {low:.0}–{:.0}", (low + width).min(100.0))
            }
            _ => "no score".to_string(),
        },
        LeadStrata::IndustryBySize => {
            let size = match lead.employee_count {
                None => "size unknown",
                Some(0..=10) => "1–10",
                Some(11..=50) => "11–50",
                Some(51..=200) => "51–200",
                Some(201..=1000) => "201–1,000",
                Some(_) => "over 1,000",
            };
            format!("{} × {size}", lead.industry.as_deref().unwrap_or("industry unknown"))
        }
    }
}

/// One stratum and its calls.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StratumCount {
    /// Its name (`score 40–50`).
    pub stratum: String,
    /// Calls in it.
    pub calls: usize,
}

/// The strata the confound-controlled view used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StrataSummary {
    /// How calls were grouped.
    pub by: String,
    /// Every stratum, most calls first.
    pub strata: Vec<StratumCount>,
    /// Calls in a top or bottom cohort of some stage in this view (strata too small for cohorts of
    /// their own contribute none).
    pub calls_in_a_cohort: usize,
}

/// Stratum names interned to indexes.
#[derive(Debug, Default)]
pub(crate) struct Strata {
    names: Vec<String>,
    index: HashMap<String, u32>,
}

impl Strata {
    pub(crate) fn intern(&mut self, name: String) -> u32 {
        if let Some(&index) = self.index.get(&name) {
            return index;
        }
        self.names.push(name.clone());
        self.index.insert(name, (self.names.len() - 1) as u32);
        (self.names.len() - 1) as u32
    }

    pub(crate) fn summary(&self, strata: &LeadStrata, call_strata: &[u32], cohorts: &[Vec<Cohort>]) -> StrataSummary {
        let mut calls = vec![0_usize; self.names.len()];
        for &stratum in call_strata {
            calls[stratum as usize] += 1;
        }
        let mut counts: Vec<StratumCount> =
            self.names.iter().zip(calls).map(|(name, calls)| StratumCount { stratum: name.clone(), calls }).collect();
        counts.sort_by(|a, b| b.calls.cmp(&a.calls).then_with(|| a.stratum.cmp(&b.stratum)));
        let calls_in_a_cohort =
            (0..call_strata.len()).filter(|&call| cohorts.iter().any(|stage| stage[call] != Cohort::Middle)).count();
        StrataSummary { by: strata.describe(), strata: counts, calls_in_a_cohort }
    }
}

#[cfg(test)]
mod tests {
    use hindsight_model::{Lead, LeadScoreSnapshot};

    use super::{LeadStrata, stratum_of};

    fn snapshot(score: f64) -> Option<LeadScoreSnapshot> {
        let components =
            serde_json::json!({"data_quality": 10, "authority": 10, "company_fit": 10, "timing": 5, "risk": 0});
        let weights = serde_json::json!({"data_quality": 0.2, "authority": 0.25, "company_fit": 0.25, "timing": 0.15});
        serde_json::from_value(serde_json::json!({"components": components, "weights": weights, "score": score}))
            .expect("snapshot")
    }

    #[test]
    fn calls_fall_into_bands_or_their_own_stratum() {
        let mut lead: Lead =
            serde_json::from_value(serde_json::json!({"type": "lead", "id": "l1", "status": "new"})).expect("lead");
        let bands = LeadStrata::default();
        assert_eq!(stratum_of(None, &bands), "no lead");
        assert_eq!(stratum_of(Some(&lead), &bands), "no score");
        lead.score = snapshot(47.5);
        assert_eq!(stratum_of(Some(&lead), &bands), "score 40–50");
        lead.score = snapshot(100.0);
        assert_eq!(stratum_of(Some(&lead), &bands), "score 90–100");
        lead.industry = Some("dental".into());
        lead.employee_count = Some(42);
        assert_eq!(stratum_of(Some(&lead), &LeadStrata::IndustryBySize), "dental × 11–50");
    }
}
