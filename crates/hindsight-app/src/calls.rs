//! Choosing a tenant's calls for an analysis: one campaign or all, every day or a span of days.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use hindsight_model::{Call, TenantId};
use hindsight_report::campaign::Period;
use hindsight_store::{CallFilter, Store};

use crate::error::{AppError, Result};

fn start_of(day: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight exists"))
}

/// The filter for calls of `campaign` (every campaign when none) started within the days of
/// `period` (every day when none). A period that ends before it starts is refused.
pub(crate) fn call_filter(campaign: Option<&str>, period: Option<Period>) -> Result<CallFilter> {
    if let Some(period) = period
        && period.to < period.from
    {
        return Err(AppError::Invalid {
            what: format!("period ends ({}) before it starts ({})", period.to, period.from),
        });
    }
    Ok(CallFilter {
        campaign: campaign.map(str::to_string),
        from: period.map(|period| start_of(period.from)),
        to: period.map(|period| start_of(period.to + Duration::days(1))),
    })
}

/// The calls `call_filter` selects, outcome events merged; not found when there are none, so no
/// analysis runs on nothing.
pub(crate) async fn load_calls(
    store: &dyn Store,
    tenant: &TenantId,
    campaign: Option<&str>,
    period: Option<Period>,
) -> Result<Vec<Call>> {
    let calls = store.calls(tenant, &call_filter(campaign, period)?).await?;
    if calls.is_empty() {
        let scope =
            campaign.map_or(format!("tenant {tenant}"), |campaign| format!("campaign {campaign:?} of tenant {tenant}"));
        let days = period.map_or(String::new(), |period| format!(" from {} to {}", period.from, period.to));
        return Err(AppError::NotFound { what: format!("calls in {scope}{days}") });
    }
    Ok(calls)
}
