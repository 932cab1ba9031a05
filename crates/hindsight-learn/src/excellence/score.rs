//! The excellence score of a call (excellence-replicator.md, phase 1) and the cohorts it defines.

use hindsight_model::Outcome;
use serde::{Deserialize, Serialize};

/// Points per factor of the excellence score; the spec's values by default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExcellenceWeights {
    /// The appointment happened.
    pub showed_up: f64,
    /// Confirmed but not (yet) attended.
    pub confirmed: f64,
    /// Booked only.
    pub booked: f64,
    /// Full commitment score (scaled by the call's 0–100 commitment score).
    pub commitment: f64,
    /// Appointment within 2 days.
    pub within_2_days: f64,
    /// Within 7 days.
    pub within_7_days: f64,
    /// Within 14 days.
    pub within_14_days: f64,
    /// The lead became a customer.
    pub converted: f64,
    /// The lead referred others.
    pub referred: f64,
}

impl Default for ExcellenceWeights {
    fn default() -> Self {
        ExcellenceWeights {
            showed_up: 50.0,
            confirmed: 30.0,
            booked: 15.0,
            commitment: 20.0,
            within_2_days: 10.0,
            within_7_days: 7.0,
            within_14_days: 4.0,
            converted: 10.0,
            referred: 10.0,
        }
    }
}

/// The score, 0–100. Unknown outcome fields score nothing; the spec's "high engagement after the
/// appointment" factor has no field in the record contract and is not scored.
pub fn excellence_score(outcome: &Outcome, commitment_score: Option<f64>, weights: &ExcellenceWeights) -> f64 {
    let mut score = if outcome.showed_up == Some(true) {
        weights.showed_up
    } else if outcome.confirmed == Some(true) {
        weights.confirmed
    } else if outcome.booked == Some(true) {
        weights.booked
    } else {
        0.0
    };
    score += commitment_score.unwrap_or(0.0).clamp(0.0, 100.0) / 100.0 * weights.commitment;
    if outcome.booked == Some(true) {
        score += match outcome.days_to_appointment {
            Some(days) if days <= 2.0 => weights.within_2_days,
            Some(days) if days <= 7.0 => weights.within_7_days,
            Some(days) if days <= 14.0 => weights.within_14_days,
            _ => 0.0,
        };
    }
    if outcome.converted == Some(true) {
        score += weights.converted;
    }
    if outcome.referred_others == Some(true) {
        score += weights.referred;
    }
    score.min(100.0)
}

/// The top and bottom cohorts of a set of scored calls.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cohorts {
    /// Calls scored.
    pub total: usize,
    /// Indexes (into the scored slice) of the top cohort.
    pub top: Vec<usize>,
    /// Indexes of the bottom cohort.
    pub bottom: Vec<usize>,
    /// Lowest score in the top cohort.
    pub top_threshold: f64,
    /// Highest score in the bottom cohort.
    pub bottom_threshold: f64,
}

/// The top and bottom `share` (0.1 = 10%) of `scores`. Ties at a boundary are broken by index
/// so the cohorts have exactly `ceil(share × n)` calls each and never overlap.
pub fn cohorts(scores: &[f64], share: f64) -> Cohorts {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    let size = ((scores.len() as f64 * share).ceil() as usize).min(scores.len() / 2);
    let top: Vec<usize> = order[..size].to_vec();
    let bottom: Vec<usize> = order[order.len() - size..].to_vec();
    Cohorts {
        total: scores.len(),
        top_threshold: top.last().map_or(f64::NAN, |&index| scores[index]),
        bottom_threshold: bottom.first().map_or(f64::NAN, |&index| scores[index]),
        top,
        bottom,
    }
}

#[cfg(test)]
mod tests {
    use hindsight_model::Outcome;

    use super::{ExcellenceWeights, cohorts, excellence_score};

    #[test]
    fn the_spec_factors_add_up() {
        let weights = ExcellenceWeights::default();
        let attended = Outcome {
            booked: Some(true),
            showed_up: Some(true),
            days_to_appointment: Some(2.0),
            converted: Some(true),
            referred_others: Some(true),
            ..Outcome::default()
        };
        // 50 + 20 × 0.5 + 10 + 10 + 10 = 90.
        assert_eq!(excellence_score(&attended, Some(50.0), &weights), 90.0);
        let booked_late = Outcome { booked: Some(true), days_to_appointment: Some(10.0), ..Outcome::default() };
        assert_eq!(excellence_score(&booked_late, None, &weights), 15.0 + 4.0);
        assert_eq!(excellence_score(&Outcome::default(), Some(100.0), &weights), 20.0);
        let everything = Outcome { referred_others: Some(true), ..attended };
        assert_eq!(excellence_score(&everything, Some(100.0), &weights), 100.0, "capped at 100");
    }

    #[test]
    fn cohorts_take_the_top_and_bottom_tenth() {
        let scores: Vec<f64> = (0..20).map(f64::from).collect();
        let cohorts = cohorts(&scores, 0.1);
        assert_eq!(cohorts.top, [19, 18]);
        assert_eq!(cohorts.bottom, [1, 0]);
        assert_eq!((cohorts.top_threshold, cohorts.bottom_threshold), (18.0, 1.0));
    }
}
