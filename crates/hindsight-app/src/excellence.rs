//! The excellence report use case: load a tenant's calls (outcome events merged) and leads,
//! analyse them off the async threads, wrap the findings in a report.

use chrono::{DateTime, Utc};
use hindsight_learn::excellence::{ExcellenceParams, analyze_excellence};
use hindsight_model::TenantId;
use hindsight_report::campaign::Period;
use hindsight_report::excellence::{AnalysisPeriod, ExcellenceReport};
use hindsight_store::Store;

use crate::calls::load_calls;
use crate::error::{AppError, Result};

/// Builds the excellence report over the tenant's calls: of `campaign` when given, of the days
/// of `period` when given (every call otherwise).
pub async fn excellence_report(
    store: &dyn Store,
    tenant: &TenantId,
    campaign: Option<&str>,
    period: Option<Period>,
    params: &ExcellenceParams,
    generated_at: DateTime<Utc>,
) -> Result<ExcellenceReport> {
    let calls = load_calls(store, tenant, campaign, period).await?;
    let leads = store.leads(tenant).await?;
    let analysis_period = AnalysisPeriod {
        first_call: calls.first().map(|call| call.started_at),
        last_call: calls.last().map(|call| call.started_at),
        calls: calls.len(),
    };
    let params = params.clone();
    // Redaction, transcript analysis and phrase mining are CPU work across the cores: keep them
    // off the async runtime's threads.
    let analysis = tokio::task::spawn_blocking(move || analyze_excellence(&calls, &leads, &params))
        .await
        .map_err(|error| AppError::Task(format!("the excellence analysis failed: {error}")))?;
    tracing::info!(tenant = %tenant, calls = analysis.calls, cohort = analysis.cohort_size, "excellence analysed");
    Ok(ExcellenceReport::new(tenant.as_str(), campaign, analysis_period, generated_at, analysis))
}
