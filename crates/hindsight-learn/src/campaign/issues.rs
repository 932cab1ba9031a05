//! Issue detection: what is wrong in a period, with the numbers that show it.
//!
//! Every threshold is compared with an interval, not a point estimate: a "high" rate must have its
//! Wilson interval's *lower* bound above the threshold, a "low" rate its *upper* bound below. A
//! campaign of 40 calls with 10 drops (25%, interval 14–40%) does not raise a drop-off issue
//! against a 20% threshold; 400 calls with 100 drops (interval 21–29%) does. Script-version
//! regressions compare each version with the rest of the period by a pooled z-test and the
//! Newcombe interval of the difference, Holm-corrected across versions.

use hindsight_model::Campaign;
use hindsight_stats::{
    Interval, Rate, holm_adjusted, newcombe_difference_interval, two_proportion_z_test, wilson_interval,
};
use serde::{Deserialize, Serialize};

use crate::campaign::metrics::PeriodMetrics;

/// Thresholds and the confidence level issue detection uses. Defaults follow
/// voice-bot-intelligence.md where it gives one (drop-off 20%) and are marked where it does not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IssueThresholds {
    /// Confidence level of every interval.
    pub confidence: f64,
    /// Conversion below the campaign's target by at least this share of the target is an issue.
    pub conversion_shortfall: f64,
    /// An industry benchmark conversion rate to compare with, when the user has one.
    pub benchmark_conversion_rate: Option<f64>,
    /// Overall drop-off rate above this is an issue (spec: 20%).
    pub drop_off_rate: f64,
    /// A stage losing more than this share of the calls that reach it is an issue (not in the
    /// spec; 10%).
    pub stage_drop_off_hazard: f64,
    /// Escalation rate above this is an issue (not in the spec; 15%).
    pub escalation_rate: f64,
    /// Technical failure rate above this is an issue (not in the spec; 5%).
    pub failure_rate: f64,
    /// Compliance violation rate above this is critical; any violation at all is an issue.
    pub compliance_critical_rate: f64,
    /// Script versions with fewer calls than this are not tested for regressions, and neither
    /// script versions nor agents with fewer are tested as the place a root cause concentrates.
    pub min_calls_per_script_version: u64,
    /// Significance level of the regression tests (after Holm correction).
    pub alpha: f64,
}

impl Default for IssueThresholds {
    fn default() -> Self {
        IssueThresholds {
            confidence: 0.95,
            conversion_shortfall: 0.0,
            benchmark_conversion_rate: None,
            drop_off_rate: 0.20,
            stage_drop_off_hazard: 0.10,
            escalation_rate: 0.15,
            failure_rate: 0.05,
            compliance_critical_rate: 0.01,
            min_calls_per_script_version: 100,
            alpha: 0.05,
        }
    }
}

/// How bad an issue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing.
    Low,
    /// Worth fixing this week.
    Medium,
    /// Costing real money now.
    High,
    /// Stop and fix.
    Critical,
}

impl Severity {
    /// The lowercase name (`critical`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

/// What kind of issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueKind {
    /// Conversion below the campaign's target.
    LowConversion,
    /// Conversion below the user's benchmark.
    BelowBenchmark,
    /// Too many calls dropped overall.
    HighDropOff,
    /// One stage loses too many of the calls that reach it.
    StageDropOff,
    /// Too many escalations.
    HighEscalation,
    /// Compliance rules broken.
    ComplianceViolations,
    /// Too many technical failures.
    TechnicalFailures,
    /// A script version converts worse than the rest of the period.
    ScriptRegression,
}

/// The numbers behind an issue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// The rate in question.
    pub rate: Rate,
    /// Its point estimate.
    pub estimate: f64,
    /// Its Wilson interval.
    pub interval: Interval,
    /// The threshold it crossed.
    pub threshold: f64,
    /// The test used, in words.
    pub test: String,
    /// For comparisons: the other group's rate, the difference's interval and the p-value.
    pub comparison: Option<Comparison>,
}

/// A comparison of a group with the rest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// The rest of the period.
    pub rest: Rate,
    /// Newcombe interval of (group − rest).
    pub difference: Interval,
    /// Two-sided p-value of the pooled z-test.
    pub p_value: f64,
    /// The p-value after Holm's correction over the groups tested.
    pub p_value_adjusted: f64,
}

/// One detected issue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Issue {
    /// What kind.
    pub kind: IssueKind,
    /// How bad.
    pub severity: Severity,
    /// What it is about: `overall`, a stage, a script version, a rule.
    pub subject: String,
    /// One sentence with the numbers.
    pub description: String,
    /// Calls affected.
    pub affected_calls: u64,
    /// The evidence.
    pub evidence: Evidence,
}

fn evidence(rate: Rate, threshold: f64, confidence: f64, test: &str) -> Option<Evidence> {
    let interval = wilson_interval(rate.successes, rate.trials, confidence).ok()?;
    Some(Evidence { rate, estimate: rate.estimate()?, interval, threshold, test: test.to_string(), comparison: None })
}

/// Severity from how far a rate is past its threshold, relative to the threshold.
fn severity_by_excess(estimate: f64, threshold: f64) -> Severity {
    let ratio = if threshold > 0.0 { estimate / threshold } else { f64::INFINITY };
    match ratio {
        r if r >= 2.0 => Severity::Critical,
        r if r >= 1.25 => Severity::High,
        r if r >= 1.1 => Severity::Medium,
        _ => Severity::Low,
    }
}

/// Severity from how far a rate falls short of its target, relative to the target.
fn severity_by_shortfall(estimate: f64, target: f64) -> Severity {
    let shortfall = if target > 0.0 { (target - estimate) / target } else { 0.0 };
    match shortfall {
        s if s >= 0.4 => Severity::Critical,
        s if s >= 0.2 => Severity::High,
        s if s >= 0.1 => Severity::Medium,
        _ => Severity::Low,
    }
}

fn percent(value: f64) -> String {
    format!("{:.1}%", value * 100.0)
}

/// Detects the issues of a period.
pub fn detect_issues(metrics: &PeriodMetrics, campaign: &Campaign, thresholds: &IssueThresholds) -> Vec<Issue> {
    let mut issues = Vec::new();
    let confidence = thresholds.confidence;
    let overall = &metrics.overall;
    let ci = |e: &Evidence| format!("{}–{}", percent(e.interval.low), percent(e.interval.high));

    let target = campaign.targets.conversion_rate * (1.0 - thresholds.conversion_shortfall);
    if let Some(e) = evidence(overall.conversion, target, confidence, "Wilson interval upper bound below the target")
        && e.interval.high < target
    {
        issues.push(Issue {
            kind: IssueKind::LowConversion,
            severity: severity_by_shortfall(e.estimate, campaign.targets.conversion_rate),
            subject: "overall".into(),
            description: format!(
                "conversion {} ({} CI {}, n={}) is below the {} target",
                percent(e.estimate),
                percent(confidence),
                ci(&e),
                e.rate.trials,
                percent(campaign.targets.conversion_rate)
            ),
            affected_calls: overall.calls,
            evidence: e,
        });
    }
    if let Some(benchmark) = thresholds.benchmark_conversion_rate
        && let Some(e) =
            evidence(overall.conversion, benchmark, confidence, "Wilson interval upper bound below the benchmark")
        && e.interval.high < benchmark
    {
        issues.push(Issue {
            kind: IssueKind::BelowBenchmark,
            severity: severity_by_shortfall(e.estimate, benchmark),
            subject: "overall".into(),
            description: format!(
                "conversion {} (CI {}) is below the {} benchmark",
                percent(e.estimate),
                ci(&e),
                percent(benchmark)
            ),
            affected_calls: overall.calls,
            evidence: e,
        });
    }

    let high_rates = [
        (IssueKind::HighDropOff, overall.drop_off, thresholds.drop_off_rate, "drop-off"),
        (IssueKind::HighEscalation, overall.escalation, thresholds.escalation_rate, "escalation"),
        (IssueKind::TechnicalFailures, overall.failure, thresholds.failure_rate, "technical failure"),
    ];
    for (kind, rate, threshold, name) in high_rates {
        if let Some(e) = evidence(rate, threshold, confidence, "Wilson interval lower bound above the threshold")
            && e.interval.low > threshold
        {
            issues.push(Issue {
                kind,
                severity: severity_by_excess(e.estimate, threshold),
                subject: "overall".into(),
                description: format!(
                    "{name} rate {} (CI {}, {} of {} calls) is above the {} threshold",
                    percent(e.estimate),
                    ci(&e),
                    rate.successes,
                    rate.trials,
                    percent(threshold)
                ),
                affected_calls: rate.successes,
                evidence: e,
            });
        }
    }

    for (stage, hazard) in &metrics.drop_off_hazard_by_stage {
        let threshold = thresholds.stage_drop_off_hazard;
        if let Some(e) =
            evidence(*hazard, threshold, confidence, "Wilson interval lower bound above the stage threshold")
            && e.interval.low > threshold
        {
            issues.push(Issue {
                kind: IssueKind::StageDropOff,
                severity: severity_by_excess(e.estimate, threshold),
                subject: stage.clone(),
                description: format!(
                    "{stage} loses {} of the calls that reach it (CI {}, {} of {})",
                    percent(e.estimate),
                    ci(&e),
                    hazard.successes,
                    hazard.trials
                ),
                affected_calls: hazard.successes,
                evidence: e,
            });
        }
    }

    // Compliance: any violation is an issue (rules are not statistics); the interval decides
    // whether it is systemic (critical) or isolated.
    let violations = overall.compliance_violation;
    if violations.successes > 0
        && let Some(e) = evidence(
            violations,
            thresholds.compliance_critical_rate,
            confidence,
            "any violation; critical when the Wilson lower bound exceeds the rate",
        )
    {
        let severity =
            if e.interval.low > thresholds.compliance_critical_rate { Severity::Critical } else { Severity::High };
        let rules: Vec<String> =
            metrics.compliance_flags.iter().map(|(rule, count)| format!("{rule} ×{count}")).collect();
        issues.push(Issue {
            kind: IssueKind::ComplianceViolations,
            severity,
            subject: if rules.is_empty() { "unspecified".into() } else { rules.join(", ") },
            description: format!(
                "{} calls broke a compliance rule ({} of {}, CI {})",
                violations.successes,
                percent(e.estimate),
                violations.trials,
                ci(&e)
            ),
            affected_calls: violations.successes,
            evidence: e,
        });
    }

    issues.extend(script_regressions(metrics, thresholds));
    issues.sort_by(|a, b| b.severity.cmp(&a.severity).then(b.affected_calls.cmp(&a.affected_calls)));
    issues
}

/// Script versions converting worse than the rest of the period, Holm-corrected.
fn script_regressions(metrics: &PeriodMetrics, thresholds: &IssueThresholds) -> Vec<Issue> {
    let overall = metrics.overall.conversion;
    let mut tested = Vec::new();
    for (version, breakdown) in &metrics.by_script_version {
        let group = breakdown.conversion;
        let rest = Rate::new(overall.successes - group.successes, overall.trials - group.trials);
        if group.trials < thresholds.min_calls_per_script_version
            || rest.trials < thresholds.min_calls_per_script_version
        {
            continue;
        }
        let Ok(test) = two_proportion_z_test(group.successes, group.trials, rest.successes, rest.trials) else {
            continue;
        };
        let Ok(difference) = newcombe_difference_interval(
            group.successes,
            group.trials,
            rest.successes,
            rest.trials,
            thresholds.confidence,
        ) else {
            continue;
        };
        tested.push((version.clone(), group, rest, difference, test.p_value));
    }
    let adjusted = holm_adjusted(&tested.iter().map(|tested| tested.4).collect::<Vec<_>>());
    let mut issues = Vec::new();
    for ((version, group, rest, difference, p_value), p_adjusted) in tested.into_iter().zip(adjusted) {
        if p_adjusted >= thresholds.alpha || difference.high >= 0.0 {
            continue;
        }
        let (Some(group_rate), Some(rest_rate)) = (group.estimate(), rest.estimate()) else { continue };
        let Ok(interval) = wilson_interval(group.successes, group.trials, thresholds.confidence) else { continue };
        issues.push(Issue {
            kind: IssueKind::ScriptRegression,
            severity: severity_by_shortfall(group_rate, rest_rate),
            subject: version.clone(),
            description: format!(
                "script {version} converts {} vs {} for the rest (difference {:+.1} to {:+.1} points, p={:.2e} Holm-adjusted, n={} vs {})",
                percent(group_rate),
                percent(rest_rate),
                difference.low * 100.0,
                difference.high * 100.0,
                p_adjusted,
                group.trials,
                rest.trials
            ),
            affected_calls: group.trials,
            evidence: Evidence {
                rate: group,
                estimate: group_rate,
                interval,
                threshold: rest_rate,
                test: "pooled two-proportion z-test against the rest of the period, Holm-corrected; Newcombe interval of the difference".into(),
                comparison: Some(Comparison { rest, difference, p_value, p_value_adjusted: p_adjusted }),
            },
        });
    }
    issues
}

#[cfg(test)]
mod tests {
    use crate::campaign::test_campaign;
    use hindsight_model::Campaign;
    use hindsight_stats::Rate;

    use super::{IssueKind, IssueThresholds, Severity, detect_issues};
    use crate::campaign::metrics::{Breakdown, PeriodMetrics};

    fn campaign(target: f64) -> Campaign {
        test_campaign(target, 50.0)
    }

    /// A period of `calls` calls meeting a 25% conversion target, with `dropped` drops.
    fn period(calls: u64, booked: u64, dropped: u64) -> PeriodMetrics {
        let overall = Breakdown {
            calls,
            conversion: Rate::new(booked, calls),
            drop_off: Rate::new(dropped, calls),
            escalation: Rate::new(0, calls),
            failure: Rate::new(0, calls),
            compliance_violation: Rate::new(0, calls),
            completion: Rate::new(calls - dropped, calls),
            revenue: 0.0,
        };
        PeriodMetrics { overall, ..PeriodMetrics::default() }
    }

    fn kinds(metrics: &PeriodMetrics, target: f64) -> Vec<(IssueKind, Severity)> {
        detect_issues(metrics, &campaign(target), &IssueThresholds::default())
            .iter()
            .map(|i| (i.kind, i.severity))
            .collect()
    }

    #[test]
    fn a_small_campaign_does_not_alarm_on_noise() {
        // 10 of 40 dropped = 25%, but the 95% Wilson interval (14.2%–40.2%) reaches below 20%.
        assert_eq!(kinds(&period(40, 12, 10), 0.25), vec![]);
    }

    #[test]
    fn the_same_rate_on_enough_calls_is_an_issue() {
        // 100 of 400 = 25%, interval 21.0%–29.5%: entirely above 20%; 25/20 = 1.25× → high.
        let issues = detect_issues(&period(400, 120, 100), &campaign(0.25), &IssueThresholds::default());
        assert_eq!(issues.len(), 1);
        assert_eq!((issues[0].kind, issues[0].severity), (IssueKind::HighDropOff, Severity::High));
        assert!((issues[0].evidence.interval.low - 0.2102).abs() < 1e-3, "{:?}", issues[0].evidence.interval);
        assert_eq!(
            issues[0].description,
            "drop-off rate 25.0% (CI 21.0%–29.5%, 100 of 400 calls) is above the 20.0% threshold"
        );
    }

    #[test]
    fn low_conversion_needs_the_whole_interval_below_target() {
        // 60/400 = 15% (CI 11.9%–18.8%) against 25%: a 40% shortfall → critical.
        assert_eq!(kinds(&period(400, 60, 40), 0.25), vec![(IssueKind::LowConversion, Severity::Critical)]);
        // 21/100 = 21% (CI 14.2%–29.9%) reaches the target: no issue.
        assert_eq!(kinds(&period(100, 21, 10), 0.25), vec![]);
    }

    #[test]
    fn any_compliance_violation_is_an_issue_and_systemic_ones_are_critical() {
        let mut metrics = period(400, 120, 40);
        metrics.overall.compliance_violation = Rate::new(1, 400);
        assert_eq!(kinds(&metrics, 0.25), vec![(IssueKind::ComplianceViolations, Severity::High)]);
        metrics.overall.compliance_violation = Rate::new(20, 400);
        assert_eq!(kinds(&metrics, 0.25), vec![(IssueKind::ComplianceViolations, Severity::Critical)]);
    }

    #[test]
    fn a_script_version_converting_worse_than_the_rest_is_found_and_an_equal_one_is_not() {
        let mut metrics = period(1_200, 300, 100);
        let breakdown =
            |calls: u64, booked: u64| Breakdown { calls, conversion: Rate::new(booked, calls), ..Breakdown::default() };
        metrics.by_script_version.insert("v1".into(), breakdown(600, 180));
        metrics.by_script_version.insert("v1.1".into(), breakdown(400, 100));
        metrics.by_script_version.insert("v2".into(), breakdown(200, 20));
        let issues = detect_issues(&metrics, &campaign(0.2), &IssueThresholds::default());
        let regressions: Vec<&str> =
            issues.iter().filter(|i| i.kind == IssueKind::ScriptRegression).map(|i| i.subject.as_str()).collect();
        assert_eq!(regressions, vec!["v2"]);
        let comparison =
            issues.iter().find(|i| i.subject == "v2").and_then(|i| i.evidence.comparison.clone()).expect("comparison");
        assert!(comparison.difference.high < 0.0 && comparison.p_value_adjusted < 0.05, "{comparison:?}");
    }
}
