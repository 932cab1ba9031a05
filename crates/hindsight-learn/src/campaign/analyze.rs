//! The whole campaign analysis of a period, against the period before it.

use hindsight_model::{CallFacts, Campaign};
use serde::{Deserialize, Serialize};

use crate::campaign::alerts::{Alert, AlertThresholds, week_over_week_alerts};
use crate::campaign::health::{HealthScore, HealthTrend, HealthWeights, health_insights, health_score, health_trend};
use crate::campaign::issues::{Issue, IssueThresholds, detect_issues};
use crate::campaign::leakage::{RevenueLeakage, revenue_leakage};
use crate::campaign::metrics::{PeriodMetrics, period_metrics};
use crate::campaign::recommend::{Recommendation, recommend};
use crate::campaign::root_cause::{RootCause, root_cause};

/// Everything campaign intelligence can be configured with; defaults are the spec's.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CampaignAnalysisConfig {
    /// Issue thresholds.
    pub issues: IssueThresholds,
    /// Alert thresholds.
    pub alerts: AlertThresholds,
    /// Health component weights.
    pub health: HealthWeights,
}

/// The previous period's side of the comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PreviousPeriod {
    /// Its metrics.
    pub metrics: PeriodMetrics,
    /// Its health.
    pub health: HealthScore,
}

/// The analysis of one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CampaignAnalysis {
    /// This period's metrics.
    pub metrics: PeriodMetrics,
    /// Issues, most severe first.
    pub issues: Vec<Issue>,
    /// Revenue leakage.
    pub leakage: RevenueLeakage,
    /// Root cause of lost bookings.
    pub root_cause: RootCause,
    /// Recommendations, most urgent first.
    pub recommendations: Vec<Recommendation>,
    /// Health.
    pub health: HealthScore,
    /// Observations about the weakest health components.
    pub insights: Vec<String>,
    /// The previous period, when one was given.
    pub previous: Option<PreviousPeriod>,
    /// Health trend against the previous period.
    pub trend: Option<HealthTrend>,
    /// Week-over-week alerts (empty without a previous period).
    pub alerts: Vec<Alert>,
}

/// Analyses `current` calls, comparing with `previous` when given.
pub fn analyze_campaign(
    current: &[CallFacts],
    previous: Option<&[CallFacts]>,
    campaign: &Campaign,
    config: &CampaignAnalysisConfig,
) -> CampaignAnalysis {
    analyze_campaign_metrics(
        period_metrics(current, campaign),
        previous.map(|calls| period_metrics(calls, campaign)),
        campaign,
        config,
    )
}

/// Analyses a period from its metrics (see [`PeriodTally`](crate::campaign::PeriodTally) for
/// computing them while reading), comparing with the previous period's when given.
pub fn analyze_campaign_metrics(
    metrics: PeriodMetrics,
    previous: Option<PeriodMetrics>,
    campaign: &Campaign,
    config: &CampaignAnalysisConfig,
) -> CampaignAnalysis {
    let leakage = revenue_leakage(&metrics, campaign, &config.issues);
    let health = health_score(&metrics, &leakage, campaign, &config.issues, &config.health);
    let issues = detect_issues(&metrics, campaign, &config.issues);
    let recommendations = recommend(&issues, &leakage, metrics.overall.calls);
    let insights = health_insights(&health, &metrics);
    let previous = previous.map(|metrics| {
        let previous_leakage = revenue_leakage(&metrics, campaign, &config.issues);
        let health = health_score(&metrics, &previous_leakage, campaign, &config.issues, &config.health);
        PreviousPeriod { metrics, health }
    });
    let booking_rate = leakage.completed_booking_rate.unwrap_or(campaign.targets.conversion_rate);
    let root_cause = root_cause(
        &metrics,
        previous.as_ref().map(|previous| &previous.metrics),
        booking_rate,
        campaign.targets.conversion_rate,
        &config.issues,
    );
    let (trend, alerts) = match &previous {
        Some(previous) => (
            Some(health_trend(&health, &previous.health)),
            week_over_week_alerts(
                &metrics,
                &previous.metrics,
                &health,
                &previous.health,
                leakage.value_per_booking,
                &config.alerts,
            ),
        ),
        None => (None, Vec::new()),
    };
    CampaignAnalysis {
        metrics,
        issues,
        leakage,
        root_cause,
        recommendations,
        health,
        insights,
        previous,
        trend,
        alerts,
    }
}

/// A quick look at a period without history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuickStatus {
    /// Calls.
    pub calls: u64,
    /// Health score.
    pub health: f64,
    /// Health status label.
    pub status: &'static str,
    /// Conversion rate, if any calls.
    pub conversion_rate: Option<f64>,
    /// Revenue recorded.
    pub revenue: f64,
    /// Revenue leakage.
    pub leakage: f64,
    /// Issues of high or critical severity.
    pub serious_issues: usize,
}

/// The quick status of a period (spec: `get_quick_status`).
pub fn quick_status(calls: &[CallFacts], campaign: &Campaign, config: &CampaignAnalysisConfig) -> QuickStatus {
    let metrics = period_metrics(calls, campaign);
    let leakage = revenue_leakage(&metrics, campaign, &config.issues);
    let health = health_score(&metrics, &leakage, campaign, &config.issues, &config.health);
    let serious_issues = detect_issues(&metrics, campaign, &config.issues)
        .iter()
        .filter(|issue| issue.severity >= crate::campaign::issues::Severity::High)
        .count();
    QuickStatus {
        calls: metrics.overall.calls,
        health: health.overall,
        status: health.status,
        conversion_rate: metrics.overall.conversion.estimate(),
        revenue: metrics.overall.revenue,
        leakage: leakage.total,
        serious_issues,
    }
}
