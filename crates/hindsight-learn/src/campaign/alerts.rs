//! Week-over-week alerts with the spec's thresholds: revenue −10%, conversion −15%, drop-off
//! +20%, escalation +25%, any compliance increase (critical), health −15 points.
//!
//! A relative change past its threshold is not enough on its own: rate alerts also need the
//! Newcombe interval of the difference to exclude zero, and the revenue alert needs the drop in
//! bookings to be more than Poisson noise (conditional binomial test: of the bookings of the two
//! weeks, the current week's share has a Wilson interval entirely below one half). Compliance
//! follows the spec literally: any increase in violations is critical.

use hindsight_stats::{Interval, Rate, newcombe_difference_interval, wilson_interval};
use serde::{Deserialize, Serialize};

use crate::campaign::health::HealthScore;
use crate::campaign::issues::Severity;
use crate::campaign::metrics::PeriodMetrics;

/// Alert thresholds (the spec's defaults).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AlertThresholds {
    /// Relative drop in booked revenue.
    pub revenue_drop: f64,
    /// Relative drop in conversion rate.
    pub conversion_drop: f64,
    /// Relative rise in drop-off rate.
    pub drop_off_increase: f64,
    /// Relative rise in escalation rate.
    pub escalation_increase: f64,
    /// Health points lost.
    pub health_drop_points: f64,
    /// Confidence of the intervals.
    pub confidence: f64,
}

impl Default for AlertThresholds {
    fn default() -> Self {
        AlertThresholds {
            revenue_drop: 0.10,
            conversion_drop: 0.15,
            drop_off_increase: 0.20,
            escalation_increase: 0.25,
            health_drop_points: 15.0,
            confidence: 0.95,
        }
    }
}

/// What an alert is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// Booked revenue fell.
    RevenueDrop,
    /// Conversion fell.
    ConversionDrop,
    /// Drop-off rose.
    DropOffIncrease,
    /// Escalations rose.
    EscalationIncrease,
    /// Compliance violations rose.
    ComplianceIncrease,
    /// Health fell.
    HealthDrop,
}

/// One alert.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    /// What.
    pub kind: AlertKind,
    /// How bad.
    pub severity: Severity,
    /// This period's value.
    pub current: f64,
    /// The previous period's value.
    pub previous: f64,
    /// Relative change in percent (health: points).
    pub change: f64,
    /// The threshold crossed (relative, or points for health).
    pub threshold: f64,
    /// The interval that makes the change more than noise, when one applies.
    pub difference_interval: Option<Interval>,
    /// One sentence with the numbers.
    pub message: String,
}

impl Alert {
    /// True for critical alerts.
    pub fn is_critical(&self) -> bool {
        self.severity == Severity::Critical
    }
}

fn relative_change(current: f64, previous: f64) -> Option<f64> {
    (previous > 0.0).then(|| (current - previous) / previous)
}

/// Base severity, raised to critical when the change is at least twice its threshold.
fn severity(base: Severity, change: f64, threshold: f64) -> Severity {
    if change.abs() >= 2.0 * threshold { Severity::Critical } else { base }
}

/// Compares a rate across two periods; returns (change, Newcombe interval of current − previous).
fn rate_change(current: Rate, previous: Rate, confidence: f64) -> Option<(f64, f64, f64, Interval)> {
    let (now, before) = (current.estimate()?, previous.estimate()?);
    let change = relative_change(now, before)?;
    let interval = newcombe_difference_interval(
        current.successes,
        current.trials,
        previous.successes,
        previous.trials,
        confidence,
    )
    .ok()?;
    Some((now, before, change, interval))
}

/// Alerts from the previous period to the current one.
pub fn week_over_week_alerts(
    current: &PeriodMetrics,
    previous: &PeriodMetrics,
    current_health: &HealthScore,
    previous_health: &HealthScore,
    value_per_booking: f64,
    thresholds: &AlertThresholds,
) -> Vec<Alert> {
    let mut alerts = Vec::new();
    let confidence = thresholds.confidence;
    let percent = |rate: f64| format!("{:.1}%", rate * 100.0);

    // Booked revenue: bookings × value. Noise check: the current week's share of both weeks'
    // bookings must be credibly below one half.
    let (now, before) = (current.overall.conversion.successes, previous.overall.conversion.successes);
    if let Some(change) = relative_change(now as f64, before as f64)
        && change <= -thresholds.revenue_drop
        && let Ok(share) = wilson_interval(now, now + before, confidence)
        && share.high < 0.5
    {
        let lost = (before - now) as f64 * value_per_booking;
        alerts.push(Alert {
            kind: AlertKind::RevenueDrop,
            severity: severity(Severity::High, change, thresholds.revenue_drop),
            current: now as f64 * value_per_booking,
            previous: before as f64 * value_per_booking,
            change: change * 100.0,
            threshold: thresholds.revenue_drop,
            difference_interval: Some(share),
            message: format!(
                "booked revenue fell {:.1}% week over week ({before} → {now} bookings, about {lost:.0} lost at {value_per_booking:.0} per booking)",
                -change * 100.0
            ),
        });
    }

    let rate_alerts = [
        (
            AlertKind::ConversionDrop,
            current.overall.conversion,
            previous.overall.conversion,
            -thresholds.conversion_drop,
            Severity::High,
            "conversion",
        ),
        (
            AlertKind::DropOffIncrease,
            current.overall.drop_off,
            previous.overall.drop_off,
            thresholds.drop_off_increase,
            Severity::Medium,
            "drop-off",
        ),
        (
            AlertKind::EscalationIncrease,
            current.overall.escalation,
            previous.overall.escalation,
            thresholds.escalation_increase,
            Severity::Medium,
            "escalation",
        ),
    ];
    for (kind, now, before, threshold, base, name) in rate_alerts {
        let Some((now_rate, before_rate, change, interval)) = rate_change(now, before, confidence) else { continue };
        let past_threshold = if threshold < 0.0 { change <= threshold } else { change >= threshold };
        let significant = if threshold < 0.0 { interval.high < 0.0 } else { interval.low > 0.0 };
        if past_threshold && significant {
            alerts.push(Alert {
                kind,
                severity: severity(base, change, threshold.abs()),
                current: now_rate,
                previous: before_rate,
                change: change * 100.0,
                threshold: threshold.abs(),
                difference_interval: Some(interval),
                message: format!(
                    "{name} rate {} from {} to {} ({} of {} calls; difference {:+.1} to {:+.1} points at {:.0}%)",
                    if change < 0.0 { "fell" } else { "rose" },
                    percent(before_rate),
                    percent(now_rate),
                    now.successes,
                    now.trials,
                    interval.low * 100.0,
                    interval.high * 100.0,
                    confidence * 100.0
                ),
            });
        }
    }

    let (violations_now, violations_before) =
        (current.overall.compliance_violation.successes, previous.overall.compliance_violation.successes);
    if violations_now > violations_before {
        alerts.push(Alert {
            kind: AlertKind::ComplianceIncrease,
            severity: Severity::Critical,
            current: violations_now as f64,
            previous: violations_before as f64,
            change: relative_change(violations_now as f64, violations_before as f64)
                .map_or(f64::INFINITY, |c| c * 100.0),
            threshold: 0.0,
            difference_interval: None,
            message: format!(
                "compliance violations rose from {violations_before} to {violations_now} (of {} and {} calls)",
                previous.overall.calls, current.overall.calls
            ),
        });
    }

    let lost_points = previous_health.overall - current_health.overall;
    if lost_points >= thresholds.health_drop_points {
        alerts.push(Alert {
            kind: AlertKind::HealthDrop,
            severity: severity(Severity::High, lost_points, thresholds.health_drop_points),
            current: current_health.overall,
            previous: previous_health.overall,
            change: -lost_points,
            threshold: thresholds.health_drop_points,
            difference_interval: None,
            message: format!(
                "health fell {lost_points:.0} points, from {:.0} to {:.0}",
                previous_health.overall, current_health.overall
            ),
        });
    }
    alerts.sort_by_key(|alert| std::cmp::Reverse(alert.severity));
    alerts
}

/// Only the critical alerts.
pub fn critical_alerts(alerts: &[Alert]) -> Vec<&Alert> {
    alerts.iter().filter(|alert| alert.is_critical()).collect()
}

/// A short summary: counts by severity, then each alert on a line.
pub fn alert_summary(alerts: &[Alert]) -> String {
    if alerts.is_empty() {
        return "no alerts".to_string();
    }
    let count = |severity| alerts.iter().filter(|alert| alert.severity == severity).count();
    let mut summary = format!(
        "{} alerts: {} critical, {} high, {} medium, {} low\n",
        alerts.len(),
        count(Severity::Critical),
        count(Severity::High),
        count(Severity::Medium),
        count(Severity::Low)
    );
    for alert in alerts {
        summary.push_str(&format!("[{}] {}\n", alert.severity.as_str().to_uppercase(), alert.message));
    }
    summary
}

#[cfg(test)]
mod tests {
    use hindsight_stats::Rate;

    use super::{AlertKind, AlertThresholds, alert_summary, week_over_week_alerts};
    use crate::campaign::health::HealthScore;
    use crate::campaign::issues::Severity;
    use crate::campaign::metrics::{Breakdown, PeriodMetrics};

    fn period(calls: u64, booked: u64, dropped: u64, violations: u64) -> PeriodMetrics {
        let overall = Breakdown {
            calls,
            conversion: Rate::new(booked, calls),
            drop_off: Rate::new(dropped, calls),
            escalation: Rate::new(calls / 20, calls),
            failure: Rate::new(0, calls),
            compliance_violation: Rate::new(violations, calls),
            completion: Rate::new(calls - dropped, calls),
            revenue: 0.0,
        };
        PeriodMetrics { overall, ..PeriodMetrics::default() }
    }

    fn health(overall: f64) -> HealthScore {
        HealthScore {
            overall,
            conversion: 0.0,
            revenue: 0.0,
            compliance: 0.0,
            efficiency: 0.0,
            quality: 0.0,
            status: "fair",
        }
    }

    #[test]
    fn a_real_decline_alerts_and_noise_does_not() {
        let previous = period(1_000, 300, 150, 2);
        // Conversion 30% → 22% (−26.7%), drop-off 15% → 25% (+66.7%), one more violation.
        let current = period(1_000, 220, 250, 3);
        let alerts = week_over_week_alerts(
            &current,
            &previous,
            &health(60.0),
            &health(70.0),
            200.0,
            &AlertThresholds::default(),
        );
        let kinds: Vec<(AlertKind, Severity)> = alerts.iter().map(|a| (a.kind, a.severity)).collect();
        assert_eq!(
            kinds,
            vec![
                // −26.7% bookings is more than twice the 10% threshold.
                (AlertKind::RevenueDrop, Severity::Critical),
                // +66.7% is more than twice 20%.
                (AlertKind::DropOffIncrease, Severity::Critical),
                (AlertKind::ComplianceIncrease, Severity::Critical),
                // −26.7% is past 15% but not twice it.
                (AlertKind::ConversionDrop, Severity::High),
            ]
        );
        assert_eq!(super::critical_alerts(&alerts).len(), 3);
        let summary = alert_summary(&alerts);
        assert!(
            summary.starts_with("4 alerts: 3 critical, 1 high, 0 medium, 0 low\n[CRITICAL] booked revenue fell 26.7%"),
            "{summary}"
        );
        // The same relative moves on 40 calls a week are within noise: only the literal
        // compliance rule fires.
        let alerts = week_over_week_alerts(
            &period(40, 9, 6, 0),
            &period(40, 12, 4, 0),
            &health(60.0),
            &health(62.0),
            200.0,
            &AlertThresholds::default(),
        );
        assert!(alerts.is_empty(), "{alerts:#?}");
        assert_eq!(alert_summary(&[]), "no alerts");
    }
}
