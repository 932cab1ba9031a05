//! Campaign health, 0–100, from five components with the spec's weights: conversion 35%,
//! revenue 25%, compliance 20%, efficiency 12%, quality 8%.
//!
//! Each component maps a measured rate onto 0–100 with a rule stated next to it, so a score can
//! always be traced back to the numbers. Revenue health uses the leakage share rather than
//! recorded revenue, because revenue of a recent week is mostly not known yet (it arrives with
//! later outcome events) and would make every current week look bad.

use hindsight_model::Campaign;
use serde::{Deserialize, Serialize};

use crate::campaign::issues::IssueThresholds;
use crate::campaign::leakage::RevenueLeakage;
use crate::campaign::metrics::PeriodMetrics;

/// Component weights (the spec's defaults; configurable).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HealthWeights {
    /// Conversion against target.
    pub conversion: f64,
    /// Revenue kept (1 − leakage share).
    pub revenue: f64,
    /// Compliance.
    pub compliance: f64,
    /// Drop-off, escalation and failure rates.
    pub efficiency: f64,
    /// Sentiment.
    pub quality: f64,
}

impl Default for HealthWeights {
    fn default() -> Self {
        HealthWeights { conversion: 0.35, revenue: 0.25, compliance: 0.20, efficiency: 0.12, quality: 0.08 }
    }
}

/// The health of one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HealthScore {
    /// Weighted overall score, 0–100.
    pub overall: f64,
    /// Conversion / target, capped at 100.
    pub conversion: f64,
    /// 100 × (1 − leakage share of potential revenue).
    pub revenue: f64,
    /// 100 − 2,000 × violation rate (1% of calls in violation costs 20 points; 5% scores 0).
    pub compliance: f64,
    /// Mean over drop-off, escalation and failure of 100 × (1 − rate / (2 × threshold)): a rate
    /// at its threshold scores 50, at twice it 0.
    pub efficiency: f64,
    /// Mean sentiment mapped from −1..1 onto 0..100 (50 when no call carries sentiment).
    pub quality: f64,
    /// `excellent` (≥ 80), `good` (≥ 65), `fair` (≥ 50), `poor` (≥ 35), `critical`.
    pub status: &'static str,
}

fn clamp_score(value: f64) -> f64 {
    value.clamp(0.0, 100.0)
}

/// Scores a period.
pub fn health_score(
    metrics: &PeriodMetrics,
    leakage: &RevenueLeakage,
    campaign: &Campaign,
    thresholds: &IssueThresholds,
    weights: &HealthWeights,
) -> HealthScore {
    let overall = &metrics.overall;
    let conversion = match (overall.conversion.estimate(), campaign.targets.conversion_rate) {
        (Some(rate), target) if target > 0.0 => clamp_score(100.0 * rate / target),
        (Some(_), _) => 100.0,
        (None, _) => 0.0,
    };
    let revenue = clamp_score(100.0 * (1.0 - leakage.share_of_potential.unwrap_or(0.0)));
    let compliance = clamp_score(100.0 - 2_000.0 * overall.compliance_violation.estimate().unwrap_or(0.0));
    let efficiency_part =
        |rate: Option<f64>, threshold: f64| clamp_score(100.0 * (1.0 - rate.unwrap_or(0.0) / (2.0 * threshold)));
    let efficiency = (efficiency_part(overall.drop_off.estimate(), thresholds.drop_off_rate)
        + efficiency_part(overall.escalation.estimate(), thresholds.escalation_rate)
        + efficiency_part(overall.failure.estimate(), thresholds.failure_rate))
        / 3.0;
    let quality = metrics.sentiment.mean.map_or(50.0, |sentiment| clamp_score((sentiment + 1.0) * 50.0));
    let total_weight = weights.conversion + weights.revenue + weights.compliance + weights.efficiency + weights.quality;
    let weighted = (weights.conversion * conversion
        + weights.revenue * revenue
        + weights.compliance * compliance
        + weights.efficiency * efficiency
        + weights.quality * quality)
        / total_weight;
    let overall_score = if overall.calls == 0 { 0.0 } else { weighted };
    let status = match overall_score {
        s if s >= 80.0 => "excellent",
        s if s >= 65.0 => "good",
        s if s >= 50.0 => "fair",
        s if s >= 35.0 => "poor",
        _ => "critical",
    };
    HealthScore { overall: overall_score, conversion, revenue, compliance, efficiency, quality, status }
}

/// How health moved from the previous period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HealthTrend {
    /// Points gained (negative: lost).
    pub change_points: f64,
    /// Relative change of the overall score, in percent.
    pub change_percent: Option<f64>,
    /// `improving`, `stable` or `declining`: a move of more than 3% either way.
    pub direction: &'static str,
}

/// Compares two periods' health.
pub fn health_trend(current: &HealthScore, previous: &HealthScore) -> HealthTrend {
    let change_points = current.overall - previous.overall;
    let change_percent = (previous.overall > 0.0).then(|| 100.0 * change_points / previous.overall);
    let direction = match change_percent {
        Some(change) if change > 3.0 => "improving",
        Some(change) if change < -3.0 => "declining",
        _ => "stable",
    };
    HealthTrend { change_points, change_percent, direction }
}

/// Plain-language observations about the weakest components, each with its number.
pub fn health_insights(health: &HealthScore, metrics: &PeriodMetrics) -> Vec<String> {
    let mut components = [
        ("conversion", health.conversion),
        ("revenue", health.revenue),
        ("compliance", health.compliance),
        ("efficiency", health.efficiency),
        ("quality", health.quality),
    ];
    components.sort_by(|a, b| a.1.total_cmp(&b.1));
    let overall = &metrics.overall;
    let percent = |rate: Option<f64>| rate.map_or("n/a".to_string(), |rate| format!("{:.1}%", rate * 100.0));
    components
        .iter()
        .filter(|(_, score)| *score < 70.0)
        .map(|(name, score)| match *name {
            "conversion" => format!(
                "conversion health {score:.0}/100: {} of {} calls booked ({})",
                overall.conversion.successes,
                overall.conversion.trials,
                percent(overall.conversion.estimate())
            ),
            "revenue" => {
                format!("revenue health {score:.0}/100: leakage is eating into the period's potential revenue")
            }
            "compliance" => format!(
                "compliance health {score:.0}/100: {} calls broke a rule ({})",
                overall.compliance_violation.successes,
                percent(overall.compliance_violation.estimate())
            ),
            "efficiency" => format!(
                "efficiency health {score:.0}/100: drop-off {}, escalation {}, failures {}",
                percent(overall.drop_off.estimate()),
                percent(overall.escalation.estimate()),
                percent(overall.failure.estimate())
            ),
            _ => format!(
                "quality health {score:.0}/100: mean sentiment {:.2} over {} calls",
                metrics.sentiment.mean.unwrap_or(0.0),
                metrics.sentiment.n
            ),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::campaign::test_campaign;
    use hindsight_stats::Rate;

    use super::{HealthWeights, health_score, health_trend};
    use crate::campaign::issues::IssueThresholds;
    use crate::campaign::leakage::revenue_leakage;
    use crate::campaign::metrics::{Breakdown, Mean, PeriodMetrics};

    #[test]
    fn hand_computed_health() {
        let campaign = test_campaign(0.25, 50.0);
        let overall = Breakdown {
            calls: 200,
            conversion: Rate::new(40, 200), // 20% of a 25% target → 80
            completion: Rate::new(150, 200),
            drop_off: Rate::new(40, 200),            // 20% at a 20% threshold → 50
            escalation: Rate::new(0, 200),           // → 100
            failure: Rate::new(10, 200),             // 5% at a 5% threshold → 50
            compliance_violation: Rate::new(1, 200), // 0.5% → 100 − 10 = 90
            revenue: 0.0,
        };
        let metrics =
            PeriodMetrics { overall, sentiment: Mean { mean: Some(0.2), n: 200 }, ..PeriodMetrics::default() };
        let thresholds = IssueThresholds::default();
        let leakage = revenue_leakage(&metrics, &campaign, &thresholds);
        let health = health_score(&metrics, &leakage, &campaign, &thresholds, &HealthWeights::default());
        assert!((health.conversion - 80.0).abs() < 1e-9);
        assert!((health.compliance - 90.0).abs() < 1e-9);
        assert!((health.efficiency - (50.0 + 100.0 + 50.0) / 3.0).abs() < 1e-9);
        assert!((health.quality - 60.0).abs() < 1e-9);
        let expected_revenue = 100.0 * (1.0 - leakage.share_of_potential.expect("share"));
        assert!((health.revenue - expected_revenue).abs() < 1e-9);
        let expected = 0.35 * 80.0 + 0.25 * expected_revenue + 0.20 * 90.0 + 0.12 * health.efficiency + 0.08 * 60.0;
        assert!((health.overall - expected).abs() < 1e-9, "{} vs {expected}", health.overall);

        let mut previous = health.clone();
        previous.overall = health.overall * 1.10;
        assert_eq!(health_trend(&health, &previous).direction, "declining");
        assert_eq!(health_trend(&health, &health).direction, "stable");
    }
}
