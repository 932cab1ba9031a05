//! The excellence report use case: load a tenant's calls (outcome events merged) and leads,
//! analyse them off the async threads, wrap the findings in a report.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use hindsight_learn::excellence::{ExcellenceParams, analyze_excellence};
use hindsight_model::TenantId;
use hindsight_report::campaign::Period;
use hindsight_report::excellence::{AnalysisPeriod, ExcellenceReport};
use hindsight_store::{CallFilter, Store};

use crate::error::{AppError, Result};

fn start_of(day: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight exists"))
}

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
    if let Some(period) = period
        && period.to < period.from
    {
        return Err(AppError::Invalid {
            what: format!("period ends ({}) before it starts ({})", period.to, period.from),
        });
    }
    let filter = CallFilter {
        campaign: campaign.map(str::to_string),
        from: period.map(|period| start_of(period.from)),
        to: period.map(|period| start_of(period.to + Duration::days(1))),
    };
    let calls = store.calls(tenant, &filter).await?;
    if calls.is_empty() {
        let scope =
            campaign.map_or(format!("tenant {tenant}"), |campaign| format!("campaign {campaign:?} of tenant {tenant}"));
        let days = period.map_or(String::new(), |period| format!(" from {} to {}", period.from, period.to));
        return Err(AppError::NotFound { what: format!("calls in {scope}{days}") });
    }
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
