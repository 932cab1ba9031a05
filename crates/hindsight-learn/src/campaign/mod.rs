//! Campaign intelligence (voice-bot-intelligence.md): how a voice-agent campaign is doing in a
//! period, why, and what to do about it.
//!
//! [`analyze_campaign`] runs everything on a period's calls and, optionally, the previous
//! period's: [`period_metrics`] (one pass), [`detect_issues`] (thresholds against intervals),
//! [`revenue_leakage`] (measured counterfactuals), [`root_cause`], [`recommend`],
//! [`health_score`] and [`week_over_week_alerts`]. Every rate keeps its sample size; every alarm
//! needs its interval, not just its point estimate, past the line.

pub mod alerts;
pub mod analyze;
pub mod health;
pub mod issues;
pub mod leakage;
pub mod metrics;
pub mod recommend;
pub mod root_cause;

pub use alerts::{Alert, AlertKind, AlertThresholds, alert_summary, critical_alerts, week_over_week_alerts};
pub use analyze::{
    CampaignAnalysis, CampaignAnalysisConfig, PreviousPeriod, QuickStatus, analyze_campaign, analyze_campaign_metrics,
    quick_status,
};
pub use health::{HealthScore, HealthTrend, HealthWeights, health_insights, health_score, health_trend};
pub use issues::{Issue, IssueKind, IssueThresholds, Severity, detect_issues};
pub use leakage::{LeakageLine, LeakageReason, RevenueLeakage, revenue_leakage};
pub use metrics::{Breakdown, Mean, PeriodMetrics, PeriodTally, period_metrics};
pub use recommend::{Recommendation, recommend};
pub use root_cause::{Concentration, FailureMode, ModeShare, RootCause, root_cause};

/// The campaign the unit tests of this module use: only the targets matter to the formulas.
#[cfg(test)]
pub(crate) fn test_campaign(conversion_rate: f64, revenue_per_call: f64) -> hindsight_model::Campaign {
    serde_json::from_value(serde_json::json!({
        "id": "camp", "name": "Camp", "avg_deal_value": 1000,
        "targets": {"calls_per_day": 10, "conversion_rate": conversion_rate, "revenue_per_call": revenue_per_call}
    }))
    .expect("valid test campaign")
}
