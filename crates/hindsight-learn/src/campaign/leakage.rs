//! Revenue leakage: the revenue a period lost, where, and how much of it is recoverable.
//!
//! The counterfactual is measured, not assumed: a call that dropped, escalated or failed would,
//! had it reached the close, have booked at the rate the period's completed calls booked at, and a
//! booking is worth what the period's settled bookings were worth (recorded revenue per booking
//! whose conversion is known, when there are at least 30 of them; else the value the campaign's
//! targets imply: revenue-per-call target ÷ conversion target). Unsettled bookings are left out
//! because their revenue is not known yet, not zero. "Recoverable" is what bringing each rate back to its threshold (or the
//! conversion back to target) would return — not an arbitrary share.

use std::collections::BTreeMap;

use hindsight_model::{CallStatus, Campaign};
use serde::Serialize;

use crate::campaign::issues::IssueThresholds;
use crate::campaign::metrics::PeriodMetrics;

/// Settled bookings needed before their revenue sets the value of a booking.
pub const MIN_SETTLED_BOOKINGS: u64 = 30;

/// Why revenue leaked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LeakageReason {
    /// Calls dropped before the close.
    DropOffs,
    /// Completed calls that did not book, below the target rate.
    LostConversions,
    /// Calls handed to a human.
    Escalations,
    /// Calls that broke a compliance rule (their bookings cannot be counted on).
    Compliance,
    /// Calls that failed technically.
    TechnicalFailures,
}

impl LeakageReason {
    /// The reason in words (`drop-offs`).
    pub fn label(self) -> &'static str {
        match self {
            LeakageReason::DropOffs => "drop-offs",
            LeakageReason::LostConversions => "lost conversions",
            LeakageReason::Escalations => "escalations",
            LeakageReason::Compliance => "compliance",
            LeakageReason::TechnicalFailures => "technical failures",
        }
    }

    /// How hard this kind of leakage is to win back: a label for planning, by the kind of fix it
    /// takes (infrastructure and rules are quicker than scripts and persuasion).
    pub fn difficulty(self) -> &'static str {
        match self {
            LeakageReason::TechnicalFailures | LeakageReason::Compliance => "low",
            LeakageReason::DropOffs | LeakageReason::Escalations => "medium",
            LeakageReason::LostConversions => "high",
        }
    }
}

/// Leakage of one reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeakageLine {
    /// The reason.
    pub reason: LeakageReason,
    /// Calls concerned.
    pub calls: u64,
    /// Bookings those calls would have produced (the counterfactual).
    pub bookings_lost: f64,
    /// Revenue lost.
    pub amount: f64,
    /// Revenue bringing the rate back to its threshold or target would recover.
    pub recoverable: f64,
    /// `low`, `medium` or `high`.
    pub difficulty: &'static str,
}

/// The period's leakage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RevenueLeakage {
    /// Value of one booking used throughout.
    pub value_per_booking: f64,
    /// Where that value comes from.
    pub value_source: String,
    /// Booking rate of completed calls: the counterfactual rate.
    pub completed_booking_rate: Option<f64>,
    /// Total revenue lost.
    pub total: f64,
    /// Share of the period's potential revenue (booked value + leakage) lost.
    pub share_of_potential: Option<f64>,
    /// By reason, largest first.
    pub by_reason: Vec<LeakageLine>,
    /// Drop-off leakage by the stage the calls dropped in.
    pub by_stage: BTreeMap<String, f64>,
    /// Total recoverable.
    pub recoverable: f64,
    /// Difficulty of the recoverable total: that of its largest part.
    pub recovery_difficulty: &'static str,
}

/// Computes the leakage of a period.
pub fn revenue_leakage(metrics: &PeriodMetrics, campaign: &Campaign, thresholds: &IssueThresholds) -> RevenueLeakage {
    let overall = &metrics.overall;
    let bookings = overall.conversion.successes as f64;
    let (value_per_booking, value_source) = if metrics.settled_bookings >= MIN_SETTLED_BOOKINGS {
        (
            metrics.settled_revenue / metrics.settled_bookings as f64,
            format!("recorded revenue of {} settled bookings", metrics.settled_bookings),
        )
    } else if campaign.targets.conversion_rate > 0.0 {
        (
            campaign.targets.revenue_per_call / campaign.targets.conversion_rate,
            format!(
                "campaign targets ({} settled bookings, fewer than {MIN_SETTLED_BOOKINGS})",
                metrics.settled_bookings
            ),
        )
    } else {
        (campaign.avg_deal_value, "average deal value".to_string())
    };
    // Calls that ran to the end: completed ones, and those filed as compliance violations (a
    // violation does not end the call). Every booking comes from one of them.
    let status_count = |status| metrics.by_status.get(&status).copied().unwrap_or(0);
    let completed = status_count(CallStatus::Completed) + status_count(CallStatus::ComplianceViolation);
    let completed_booking_rate = (completed > 0).then(|| (bookings / completed as f64).min(1.0));
    let rate = completed_booking_rate.unwrap_or(campaign.targets.conversion_rate);
    let calls = overall.calls as f64;

    let line = |reason: LeakageReason, count: u64, threshold_rate: f64| {
        let bookings_lost = count as f64 * rate;
        let excess_calls = (count as f64 - threshold_rate * calls).max(0.0);
        LeakageLine {
            reason,
            calls: count,
            bookings_lost,
            amount: bookings_lost * value_per_booking,
            recoverable: excess_calls * rate * value_per_booking,
            difficulty: reason.difficulty(),
        }
    };
    let mut by_reason = vec![
        line(LeakageReason::DropOffs, overall.drop_off.successes, thresholds.drop_off_rate),
        line(LeakageReason::Escalations, overall.escalation.successes, thresholds.escalation_rate),
        line(LeakageReason::TechnicalFailures, overall.failure.successes, thresholds.failure_rate),
        line(LeakageReason::Compliance, overall.compliance_violation.successes, 0.0),
    ];
    // Lost conversions: completed calls booking below the target rate.
    let target_bookings = completed as f64 * campaign.targets.conversion_rate;
    let missing = (target_bookings - bookings).max(0.0);
    by_reason.push(LeakageLine {
        reason: LeakageReason::LostConversions,
        calls: completed,
        bookings_lost: missing,
        amount: missing * value_per_booking,
        recoverable: missing * value_per_booking,
        difficulty: LeakageReason::LostConversions.difficulty(),
    });
    by_reason.retain(|line| line.amount > 0.0);
    by_reason.sort_by(|a, b| b.amount.total_cmp(&a.amount));

    let by_stage = metrics
        .drop_offs_by_stage
        .iter()
        .map(|(stage, count)| (stage.clone(), *count as f64 * rate * value_per_booking))
        .collect();
    let total: f64 = by_reason.iter().map(|line| line.amount).sum();
    let recoverable: f64 = by_reason.iter().map(|line| line.recoverable).sum();
    let booked_value = bookings * value_per_booking;
    let recovery_difficulty = by_reason
        .iter()
        .max_by(|a, b| a.recoverable.total_cmp(&b.recoverable))
        .filter(|line| line.recoverable > 0.0)
        .map_or("none", |line| line.difficulty);
    RevenueLeakage {
        value_per_booking,
        value_source,
        completed_booking_rate,
        total,
        share_of_potential: (booked_value + total > 0.0).then(|| total / (booked_value + total)),
        by_reason,
        by_stage,
        recoverable,
        recovery_difficulty,
    }
}

#[cfg(test)]
mod tests {
    use crate::campaign::test_campaign;
    use hindsight_model::CallStatus;
    use hindsight_stats::Rate;

    use super::{LeakageReason, revenue_leakage};
    use crate::campaign::issues::IssueThresholds;
    use crate::campaign::metrics::{Breakdown, PeriodMetrics};

    #[test]
    fn hand_computed_leakage() {
        let campaign = test_campaign(0.5, 100.0);
        // 100 calls: 60 completed (24 booked), 30 dropped (20 at hook, 10 at closing), 10 failed.
        let overall = Breakdown {
            calls: 100,
            conversion: Rate::new(24, 100),
            completion: Rate::new(60, 100),
            drop_off: Rate::new(30, 100),
            escalation: Rate::new(0, 100),
            failure: Rate::new(10, 100),
            compliance_violation: Rate::new(0, 100),
            revenue: 0.0,
        };
        let mut metrics = PeriodMetrics { overall, ..PeriodMetrics::default() };
        metrics.by_status.insert(CallStatus::Completed, 60);
        metrics.drop_offs_by_stage.insert("hook".into(), 20);
        metrics.drop_offs_by_stage.insert("closing".into(), 10);
        let leakage = revenue_leakage(&metrics, &campaign, &IssueThresholds::default());
        // No revenue recorded: a booking is worth 100 / 0.5 = 200. Completed calls book 24/60 = 40%.
        assert_eq!(leakage.value_per_booking, 200.0);
        assert_eq!(leakage.completed_booking_rate, Some(0.4));
        let amount = |reason| {
            leakage.by_reason.iter().find(|line| line.reason == reason).map(|line| (line.amount, line.recoverable))
        };
        // Drop-offs: 30 × 0.4 × 200 = 2400; recoverable above the 20% threshold: (30 − 20) × 0.4 × 200 = 800.
        assert_eq!(amount(LeakageReason::DropOffs), Some((2400.0, 800.0)));
        // Failures: 10 × 0.4 × 200 = 800; above the 5% threshold: 5 × 0.4 × 200 = 400.
        assert_eq!(amount(LeakageReason::TechnicalFailures), Some((800.0, 400.0)));
        // Lost conversions: 60 completed × 0.5 target = 30 bookings expected, 24 made: 6 × 200 = 1200.
        assert_eq!(amount(LeakageReason::LostConversions), Some((1200.0, 1200.0)));
        assert_eq!(leakage.total, 4400.0);
        assert_eq!(leakage.recoverable, 2400.0);
        assert_eq!(leakage.by_stage["hook"], 1600.0);
        assert_eq!(leakage.recovery_difficulty, "high");
        // Potential = booked 24 × 200 = 4800 + 4400 lost.
        assert!((leakage.share_of_potential.expect("share") - 4400.0 / 9200.0).abs() < 1e-12);
    }

    #[test]
    fn a_booking_is_worth_what_settled_bookings_earned_once_there_are_enough() {
        let campaign = test_campaign(0.5, 100.0);
        let overall = Breakdown { calls: 200, conversion: Rate::new(100, 200), ..Breakdown::default() };
        let mut metrics =
            PeriodMetrics { overall, settled_bookings: 29, settled_revenue: 8_700.0, ..PeriodMetrics::default() };
        let thresholds = IssueThresholds::default();
        // 29 settled bookings are too few: the targets' 100 / 0.5 = 200 applies.
        assert_eq!(revenue_leakage(&metrics, &campaign, &thresholds).value_per_booking, 200.0);
        // 40 settled bookings earning 12,000: 300 each, however many bookings are still open.
        metrics.settled_bookings = 40;
        metrics.settled_revenue = 12_000.0;
        let leakage = revenue_leakage(&metrics, &campaign, &thresholds);
        assert_eq!(leakage.value_per_booking, 300.0);
        assert_eq!(leakage.value_source, "recorded revenue of 40 settled bookings");
    }
}
