//! The spec's success metrics (§8): booking rate, time to conversion, touches per conversion,
//! conversion of the top 20% of leads by score, and how much the learned weights still move
//! between runs.

use hindsight_model::{AlsWeights, Lead};
use hindsight_stats::{Interval, Rate, wilson_interval};
use serde::{Deserialize, Serialize};

use crate::conversion::journeys::Journey;
use crate::conversion::who::lead_outcome;

/// A rate with its sample and interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MeasuredRate {
    /// The rate.
    pub rate: f64,
    /// Successes.
    pub successes: u64,
    /// Trials.
    pub trials: u64,
    /// 95% Wilson interval.
    pub interval: Interval,
}

fn measured(rate: Rate) -> Option<MeasuredRate> {
    Some(MeasuredRate {
        rate: rate.estimate()?,
        successes: rate.successes,
        trials: rate.trials,
        interval: wilson_interval(rate.successes, rate.trials, 0.95).ok()?,
    })
}

/// Spread of the learned weights over past runs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WeightConvergence {
    /// Runs compared.
    pub runs: usize,
    /// Standard deviation of each weight across them (data quality, authority, company fit,
    /// timing).
    pub std_dev: [f64; 4],
    /// The largest of the four: the spec's target is that it settles once 100 outcomes are in.
    pub max_std_dev: f64,
}

/// The spec's §8 metrics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuccessMetrics {
    /// Converted leads over leads contacted (at least one outbound touch).
    pub booking_rate: Option<MeasuredRate>,
    /// Mean days from first touch to conversion.
    pub avg_days_to_conversion: Option<f64>,
    /// Mean outbound touches up to and including the converting one.
    pub touches_per_conversion: Option<f64>,
    /// Conversion of the top 20% of decided leads by stored score (the spec wants > 60%).
    pub top_quintile_conversion: Option<MeasuredRate>,
    /// Conversion of all decided leads with a score, for comparison.
    pub scored_conversion: Option<MeasuredRate>,
    /// Weight convergence across stored runs (absent with fewer than two).
    pub weight_convergence: Option<WeightConvergence>,
}

/// The standard deviations of each weight over `history` (oldest first).
pub fn weight_convergence(history: &[AlsWeights]) -> Option<WeightConvergence> {
    if history.len() < 2 {
        return None;
    }
    let n = history.len() as f64;
    let columns = |weights: &AlsWeights| [weights.data_quality, weights.authority, weights.company_fit, weights.timing];
    let mut std_dev = [0.0; 4];
    for (j, spread) in std_dev.iter_mut().enumerate() {
        let mean = history.iter().map(|weights| columns(weights)[j]).sum::<f64>() / n;
        let variance = history.iter().map(|weights| (columns(weights)[j] - mean).powi(2)).sum::<f64>() / (n - 1.0);
        *spread = variance.sqrt();
    }
    Some(WeightConvergence { runs: history.len(), std_dev, max_std_dev: std_dev.iter().copied().fold(0.0, f64::max) })
}

/// Measures the §8 metrics; `weight_history` is the recommended weights of past WHO runs.
pub fn success_metrics(leads: &[Lead], journeys: &[Journey<'_>], weight_history: &[AlsWeights]) -> SuccessMetrics {
    let mut contacted = Rate::default();
    let (mut days, mut touches) = (Vec::new(), Vec::new());
    for journey in journeys {
        let Some(lead) = journey.lead else { continue };
        contacted.add(lead_outcome(lead) == Some(true));
        if let Some(index) = journey.converting_touch() {
            touches.push((index + 1) as f64);
            if let (Some(first), Some(converted_at)) = (journey.touches.first(), lead.converted_at)
                && converted_at >= first.at
            {
                days.push((converted_at - first.at).num_seconds() as f64 / 86_400.0);
            }
        }
    }
    let mean = |values: &[f64]| (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64);

    let mut scored: Vec<(f64, bool)> =
        leads.iter().filter_map(|lead| Some((lead.score.as_ref()?.score?, lead_outcome(lead)?))).collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let top_count = scored.len() / 5;
    let rate_of = |rows: &[(f64, bool)]| {
        rows.iter().fold(Rate::default(), |mut rate, (_, converted)| {
            rate.add(*converted);
            rate
        })
    };
    SuccessMetrics {
        booking_rate: measured(contacted),
        avg_days_to_conversion: mean(&days),
        touches_per_conversion: mean(&touches),
        top_quintile_conversion: (top_count > 0).then(|| measured(rate_of(&scored[..top_count]))).flatten(),
        scored_conversion: measured(rate_of(&scored)),
        weight_convergence: weight_convergence(weight_history),
    }
}
