//! Recommendations: for each issue, an action with the revenue it should recover.
//!
//! The words (action, steps, resources, effort) come from a playbook per kind of issue; every
//! number comes from the period's data: the recovery is what bringing the failing rate back to
//! its threshold (or a regressed script back to the rest of the period) returns, at the period's
//! booking rate and value per booking. Confidence says whether the issue still holds at 99%
//! instead of 95% (or, for comparisons, whether p < 0.001): evidence, not optimism.

use hindsight_stats::wilson_interval;
use serde::Serialize;

use crate::campaign::issues::{Issue, IssueKind};
use crate::campaign::leakage::{LeakageReason, RevenueLeakage};

/// One recommended action.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    /// 1 is most urgent.
    pub priority: usize,
    /// The issue it answers.
    pub issue: IssueKind,
    /// The issue's subject (stage, script version, …).
    pub subject: String,
    /// What to do.
    pub action: String,
    /// How, step by step.
    pub steps: Vec<String>,
    /// Who or what it takes.
    pub resources: Vec<String>,
    /// `low`, `medium` or `high`.
    pub effort: &'static str,
    /// Rough calendar time.
    pub estimated_time: &'static str,
    /// Revenue the fix should recover per period like this one.
    pub expected_revenue_recovery: f64,
    /// Bookings per 100 calls the fix should add.
    pub conversion_lift_points: f64,
    /// `high` or `medium` (see the module documentation).
    pub confidence: &'static str,
    /// How the numbers were derived.
    pub basis: String,
}

struct Play {
    action: String,
    steps: Vec<String>,
    resources: Vec<&'static str>,
    effort: &'static str,
    time: &'static str,
}

fn play(issue: &Issue) -> Play {
    let subject = &issue.subject;
    match issue.kind {
        IssueKind::StageDropOff | IssueKind::HighDropOff => Play {
            action: if issue.kind == IssueKind::StageDropOff {
                format!("Rework the {subject} stage, where calls are lost")
            } else {
                "Find and fix the stage where calls are dropped".to_string()
            },
            steps: vec![
                if issue.kind == IssueKind::StageDropOff {
                    format!(
                        "Listen to 20 calls that ended in {subject} and note the last agent line before each hang-up"
                    )
                } else {
                    "Listen to 20 dropped calls and note the stage and the last agent line before each hang-up"
                        .to_string()
                },
                "Shorten the agent's turns there and ask a question before presenting".to_string(),
                "Run the rewrite as an A/B variant against the current script".to_string(),
                "Ship the variant only if its drop-off interval beats the current one".to_string(),
            ],
            resources: vec!["script writer", "call reviewer"],
            effort: "medium",
            time: "3-5 days",
        },
        IssueKind::ScriptRegression => Play {
            action: format!("Stop the rollout of script {subject} and route calls back to the previous version"),
            steps: vec![
                format!("Set script {subject}'s traffic share to zero"),
                format!("Compare {subject} with the previous version stage by stage, starting where its calls drop"),
                "Fix the regressed stage and re-release it as a gradual rollout with a rollback threshold".to_string(),
            ],
            resources: vec!["prompt engineer"],
            effort: "low",
            time: "1 day",
        },
        IssueKind::LowConversion | IssueKind::BelowBenchmark => Play {
            action: "Strengthen the close and the value presentation".to_string(),
            steps: vec![
                "Compare the closing lines of booked and unbooked completed calls".to_string(),
                "Offer two concrete time slots instead of an open question".to_string(),
                "A/B test the new close against the current one".to_string(),
            ],
            resources: vec!["script writer", "sales lead"],
            effort: "medium",
            time: "4-6 days",
        },
        IssueKind::HighEscalation => Play {
            action: "Handle the top escalation reasons in the script".to_string(),
            steps: vec![
                "Rank escalation reasons and take the top two".to_string(),
                "Add answers for them (pricing ranges, integration facts) to the agent's knowledge".to_string(),
                "Keep the human hand-off for complaints".to_string(),
            ],
            resources: vec!["support lead", "prompt engineer"],
            effort: "medium",
            time: "2-4 days",
        },
        IssueKind::TechnicalFailures => Play {
            action: "Fix the telephony and speech-recognition failures".to_string(),
            steps: vec![
                "Group failed calls by carrier, region and time of day".to_string(),
                "Check provider status and latency for the worst group".to_string(),
                "Add a retry for calls that fail in the first seconds".to_string(),
            ],
            resources: vec!["platform engineer"],
            effort: "low",
            time: "1-2 days",
        },
        IssueKind::ComplianceViolations => Play {
            action: format!("Make the broken rules ({subject}) impossible to skip"),
            steps: vec![
                "Move the required disclosure to a fixed, non-generated line at the start of the call".to_string(),
                "Add an automatic check that flags calls missing it within the first 30 seconds".to_string(),
                "Review every flagged call this week".to_string(),
            ],
            resources: vec!["compliance officer", "prompt engineer"],
            effort: "low",
            time: "1 day",
        },
    }
}

fn leakage_reason(kind: IssueKind) -> Option<LeakageReason> {
    match kind {
        IssueKind::HighDropOff => Some(LeakageReason::DropOffs),
        IssueKind::HighEscalation => Some(LeakageReason::Escalations),
        IssueKind::TechnicalFailures => Some(LeakageReason::TechnicalFailures),
        IssueKind::ComplianceViolations => Some(LeakageReason::Compliance),
        IssueKind::LowConversion | IssueKind::BelowBenchmark => Some(LeakageReason::LostConversions),
        IssueKind::StageDropOff | IssueKind::ScriptRegression => None,
    }
}

/// Turns issues into prioritised recommendations.
pub fn recommend(issues: &[Issue], leakage: &RevenueLeakage, calls: u64) -> Vec<Recommendation> {
    let booking_rate = leakage.completed_booking_rate.unwrap_or(0.0);
    let value = leakage.value_per_booking;
    let mut recommendations: Vec<Recommendation> = issues
        .iter()
        .map(|issue| {
            let evidence = &issue.evidence;
            let (bookings, basis) = match (issue.kind, leakage_reason(issue.kind)) {
                (IssueKind::ScriptRegression, _) => {
                    let gap = (evidence.threshold - evidence.estimate).max(0.0);
                    (
                        gap * evidence.rate.trials as f64,
                        format!("{} calls on the script × {:.1}-point gap to the rest of the period", evidence.rate.trials, gap * 100.0),
                    )
                }
                (IssueKind::StageDropOff, _) => {
                    let excess = (evidence.estimate - evidence.threshold).max(0.0) * evidence.rate.trials as f64;
                    (
                        excess * booking_rate,
                        format!(
                            "{excess:.0} calls above the {:.0}% stage threshold × {:.1}% booking rate of completed calls",
                            evidence.threshold * 100.0,
                            booking_rate * 100.0
                        ),
                    )
                }
                (_, Some(reason)) => {
                    let recoverable = leakage.by_reason.iter().find(|line| line.reason == reason).map_or(0.0, |line| line.recoverable);
                    (recoverable / value.max(f64::MIN_POSITIVE), format!("recoverable {} leakage, back to threshold or target", reason.label()))
                }
                (_, None) => (0.0, "no measured recovery".to_string()),
            };
            let strong = match &evidence.comparison {
                Some(comparison) => comparison.p_value_adjusted < 0.001,
                None => wilson_interval(evidence.rate.successes, evidence.rate.trials, 0.99).is_ok_and(|interval| {
                    if evidence.estimate > evidence.threshold { interval.low > evidence.threshold } else { interval.high < evidence.threshold }
                }),
            };
            let play = play(issue);
            Recommendation {
                priority: 0,
                issue: issue.kind,
                subject: issue.subject.clone(),
                action: play.action,
                steps: play.steps,
                resources: play.resources.into_iter().map(String::from).collect(),
                effort: play.effort,
                estimated_time: play.time,
                expected_revenue_recovery: bookings * value,
                conversion_lift_points: if calls > 0 { 100.0 * bookings / calls as f64 } else { 0.0 },
                confidence: if strong { "high" } else { "medium" },
                basis: format!("{basis}; {:.0} per booking ({})", value, leakage.value_source),
            }
        })
        // An action with no measured recovery is not recommended (compliance aside: a rule broken is
        // a rule to fix whatever it costs); its issue is still reported, and the shortfall shows up
        // under the failure mode that causes it.
        .filter(|recommendation: &Recommendation| {
            recommendation.expected_revenue_recovery > 0.0 || recommendation.issue == IssueKind::ComplianceViolations
        })
        .collect();
    // Compliance first (legal exposure is not traded against revenue), then by recovery.
    recommendations.sort_by(|a, b| {
        let legal = |r: &Recommendation| r.issue == IssueKind::ComplianceViolations;
        legal(b).cmp(&legal(a)).then(b.expected_revenue_recovery.total_cmp(&a.expected_revenue_recovery))
    });
    for (index, recommendation) in recommendations.iter_mut().enumerate() {
        recommendation.priority = index + 1;
    }
    recommendations
}
