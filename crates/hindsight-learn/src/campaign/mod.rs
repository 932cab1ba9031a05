//! Campaign intelligence: how a voice-agent campaign is doing in a period, and why.
//!
//! [`metrics::period_metrics`] makes one pass over a period's calls and returns every rate the
//! analyses need, each as a [`Rate`](hindsight_stats::Rate) that keeps its sample size so an
//! interval can always be attached.

pub mod alerts;
pub mod health;
pub mod issues;
pub mod leakage;
pub mod metrics;
pub mod root_cause;

pub use alerts::{Alert, AlertKind, AlertThresholds, alert_summary, critical_alerts, week_over_week_alerts};
pub use health::{HealthScore, HealthTrend, HealthWeights, health_insights, health_score, health_trend};
pub use issues::{Issue, IssueKind, IssueThresholds, Severity, detect_issues};
pub use leakage::{LeakageLine, LeakageReason, RevenueLeakage, revenue_leakage};
pub use metrics::{Breakdown, PeriodMetrics, period_metrics};
pub use root_cause::{Concentration, FailureMode, ModeShare, RootCause, root_cause};
