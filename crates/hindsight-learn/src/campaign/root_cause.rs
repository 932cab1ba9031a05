//! Root cause: which failure mode explains the lost bookings, and where it concentrates.
//!
//! Bookings lost are counted per mode with the same counterfactual as the leakage (a call that
//! did not reach the close would have booked at the rate completed calls booked at). With a
//! previous period, the *driver* is the mode whose lost bookings grew the most; without one, the
//! largest mode. The driver is then located: the funnel stage whose drop-off hazard rose the most
//! (or is highest), and the script version and agent whose rate of that failure is most elevated
//! against the rest of the period (pooled z-test, Bonferroni-corrected over the slices tested, and
//! a Newcombe interval of the difference that excludes zero).

use serde::Serialize;

use hindsight_stats::{Interval, Rate, newcombe_difference_interval, two_proportion_z_test};

use crate::campaign::issues::IssueThresholds;
use crate::campaign::metrics::{Breakdown, PeriodMetrics};

/// A failure mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureMode {
    /// Calls dropped.
    DropOff,
    /// Calls escalated.
    Escalation,
    /// Compliance violations.
    Compliance,
    /// Completed calls not booking at the target rate.
    Conversion,
    /// Technical failures.
    TechnicalFailure,
}

impl FailureMode {
    /// The mode in words (`drop-off`).
    pub fn label(self) -> &'static str {
        match self {
            FailureMode::DropOff => "drop-off",
            FailureMode::Escalation => "escalation",
            FailureMode::Compliance => "compliance",
            FailureMode::Conversion => "conversion",
            FailureMode::TechnicalFailure => "technical failure",
        }
    }

    fn rate(self, breakdown: &Breakdown) -> Rate {
        match self {
            FailureMode::DropOff => breakdown.drop_off,
            FailureMode::Escalation => breakdown.escalation,
            FailureMode::Compliance => breakdown.compliance_violation,
            FailureMode::TechnicalFailure => breakdown.failure,
            // For conversion the "failure" is not booking.
            FailureMode::Conversion => {
                Rate::new(breakdown.conversion.trials - breakdown.conversion.successes, breakdown.conversion.trials)
            }
        }
    }
}

/// Lost bookings of one mode.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModeShare {
    /// The mode.
    pub mode: FailureMode,
    /// Bookings lost to it this period.
    pub bookings_lost: f64,
    /// Its share of all bookings lost.
    pub share: f64,
    /// Change in bookings lost since the previous period, when there is one.
    pub change: Option<f64>,
}

/// A slice (script version or agent) where the driver concentrates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Concentration {
    /// The script version or agent.
    pub name: String,
    /// Its rate of the driver's failure.
    pub rate: Rate,
    /// The rest of the period's rate.
    pub rest: Rate,
    /// Newcombe interval of (slice − rest).
    pub difference: Interval,
    /// Bonferroni-adjusted p-value of the pooled z-test.
    pub p_value_adjusted: f64,
}

/// The root-cause finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RootCause {
    /// Bookings the target called for minus bookings made (negative: ahead of target).
    pub gap_to_target: f64,
    /// Lost bookings by mode, largest first.
    pub modes: Vec<ModeShare>,
    /// The mode that explains the most (or grew the most since the previous period).
    pub driver: Option<FailureMode>,
    /// For drop-offs: the stage whose hazard rose the most (or is highest without a previous
    /// period), with its hazard now and before.
    pub stage: Option<(String, Rate, Option<Rate>)>,
    /// The script version where the driver concentrates, if one stands out significantly.
    pub script_version: Option<Concentration>,
    /// The agent where the driver concentrates, if one stands out significantly.
    pub agent: Option<Concentration>,
    /// One sentence.
    pub summary: String,
}

fn lost_bookings(metrics: &PeriodMetrics, booking_rate: f64, target: f64) -> Vec<(FailureMode, f64)> {
    let overall = &metrics.overall;
    let completed_bookings_target = (overall.completion.successes as f64) * target;
    vec![
        (FailureMode::DropOff, overall.drop_off.successes as f64 * booking_rate),
        (FailureMode::Escalation, overall.escalation.successes as f64 * booking_rate),
        (FailureMode::TechnicalFailure, overall.failure.successes as f64 * booking_rate),
        (FailureMode::Compliance, overall.compliance_violation.successes as f64 * booking_rate),
        (FailureMode::Conversion, (completed_bookings_target - overall.conversion.successes as f64).max(0.0)),
    ]
}

/// The slice most elevated in `mode` against the rest, if significant after Bonferroni's
/// correction.
fn concentration<'a>(
    slices: impl Iterator<Item = (&'a String, &'a Breakdown)>,
    overall: &Breakdown,
    mode: FailureMode,
    thresholds: &IssueThresholds,
) -> Option<Concentration> {
    let total = mode.rate(overall);
    let mut tested = Vec::new();
    for (name, breakdown) in slices {
        let rate = mode.rate(breakdown);
        let rest = Rate::new(total.successes - rate.successes, total.trials - rate.trials);
        if rate.trials < thresholds.min_calls_per_script_version
            || rest.trials < thresholds.min_calls_per_script_version
        {
            continue;
        }
        let (Ok(test), Ok(difference)) = (
            two_proportion_z_test(rate.successes, rate.trials, rest.successes, rest.trials),
            newcombe_difference_interval(
                rate.successes,
                rate.trials,
                rest.successes,
                rest.trials,
                thresholds.confidence,
            ),
        ) else {
            continue;
        };
        tested.push((name.clone(), rate, rest, difference, test.z, test.p_value));
    }
    let slices_tested = tested.len() as f64;
    tested
        .iter()
        .filter(|t| t.3.low > 0.0)
        .max_by(|a, b| a.4.total_cmp(&b.4))
        .map(|(name, rate, rest, difference, _, p)| Concentration {
            name: name.clone(),
            rate: *rate,
            rest: *rest,
            difference: *difference,
            p_value_adjusted: (p * slices_tested).min(1.0),
        })
        .filter(|concentration| concentration.p_value_adjusted < thresholds.alpha)
}

/// Finds the root cause of a period's lost bookings, against the previous period when given.
pub fn root_cause(
    current: &PeriodMetrics,
    previous: Option<&PeriodMetrics>,
    booking_rate: f64,
    target_conversion: f64,
    thresholds: &IssueThresholds,
) -> RootCause {
    let now = lost_bookings(current, booking_rate, target_conversion);
    let before = previous.map(|previous| lost_bookings(previous, booking_rate, target_conversion));
    let total: f64 = now.iter().map(|(_, lost)| lost).sum();
    let mut modes: Vec<ModeShare> = now
        .iter()
        .enumerate()
        .map(|(index, (mode, lost))| ModeShare {
            mode: *mode,
            bookings_lost: *lost,
            share: if total > 0.0 { lost / total } else { 0.0 },
            change: before.as_ref().map(|before| lost - before[index].1),
        })
        .collect();
    modes.sort_by(|a, b| b.bookings_lost.total_cmp(&a.bookings_lost));
    let driver = match &before {
        Some(_) => modes
            .iter()
            .filter(|m| m.change.unwrap_or(0.0) > 0.0)
            .max_by(|a, b| a.change.unwrap_or(0.0).total_cmp(&b.change.unwrap_or(0.0))),
        None => modes.first().filter(|m| m.bookings_lost > 0.0),
    }
    .map(|m| m.mode);

    let stage = (driver == Some(FailureMode::DropOff))
        .then(|| {
            current
                .drop_off_hazard_by_stage
                .iter()
                .map(|(stage, hazard)| {
                    let earlier = previous.and_then(|p| {
                        p.drop_off_hazard_by_stage.iter().find(|(s, _)| s == stage).map(|(_, rate)| *rate)
                    });
                    let score = match earlier.and_then(|rate| rate.estimate()) {
                        Some(earlier_rate) => hazard.estimate().unwrap_or(0.0) - earlier_rate,
                        None => hazard.estimate().unwrap_or(0.0),
                    };
                    (stage.clone(), *hazard, earlier, score)
                })
                .max_by(|a, b| a.3.total_cmp(&b.3))
                .map(|(stage, hazard, earlier, _)| (stage, hazard, earlier))
        })
        .flatten();
    let (script_version, agent) = match driver {
        Some(mode) => (
            concentration(current.by_script_version.iter(), &current.overall, mode, thresholds),
            concentration(current.by_agent.iter(), &current.overall, mode, thresholds),
        ),
        None => (None, None),
    };
    let gap_to_target = current.overall.calls as f64 * target_conversion - current.overall.conversion.successes as f64;
    let summary = match driver {
        None => "no failure mode stands out".to_string(),
        Some(mode) => {
            let share = modes.iter().find(|m| m.mode == mode).map_or(0.0, |m| m.share);
            let mut text = format!("{} explains {:.0}% of lost bookings", mode.label(), share * 100.0);
            if let Some((stage, hazard, _)) = &stage {
                text.push_str(&format!(
                    ", concentrated in {stage} ({:.1}% of calls reaching it drop there)",
                    hazard.estimate().unwrap_or(0.0) * 100.0
                ));
            }
            if let Some(script) = &script_version {
                text.push_str(&format!(", on script {}", script.name));
            }
            if let Some(agent) = &agent {
                text.push_str(&format!(", with agent {}", agent.name));
            }
            text
        }
    };
    RootCause { gap_to_target, modes, driver, stage, script_version, agent, summary }
}
