//! A first look at a tenant's data: what arrived, week by week, and which outcomes are known.
//!
//! Only counts: every number here is its own sample size. Rates, intervals and findings belong to
//! the analyses that will read the same records.

use std::collections::BTreeMap;

use chrono::Datelike;
use hindsight_model::{CallStatus, Channel, TenantId};
use hindsight_store::{CallFilter, Store};
use serde::Serialize;

use crate::error::Result;

/// Calls of one ISO week.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct WeekRow {
    /// ISO week, `2026-W02`.
    pub week: String,
    /// All calls.
    pub calls: u64,
    /// Calls by status.
    pub by_status: BTreeMap<String, u64>,
    /// Calls that booked an appointment.
    pub booked: u64,
}

/// How many calls have each outcome known, and how many of those are positive.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct OutcomeCounts {
    /// Calls with the outcome known.
    pub known: u64,
    /// Of those, how many were true.
    pub positive: u64,
}

/// The overview of one tenant.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DatasetOverview {
    /// The tenant.
    pub tenant: String,
    /// Calls per ISO week, oldest first.
    pub weeks: Vec<WeekRow>,
    /// Outcomes by name (`booked`, `confirmed`, `showed_up`, `converted`).
    pub outcomes: BTreeMap<String, OutcomeCounts>,
    /// Revenue recorded on calls.
    pub revenue: f64,
    /// Turns across all calls.
    pub turns: u64,
    /// Leads by lifecycle status.
    pub leads_by_status: BTreeMap<String, u64>,
    /// Outbound touches by channel.
    pub touches_by_channel: BTreeMap<String, u64>,
    /// Touches marked as the one that led to a booking.
    pub converting_touches: u64,
}

/// Counts a tenant's records for the overview.
pub async fn dataset_overview(store: &dyn Store, tenant: &TenantId) -> Result<DatasetOverview> {
    let calls = store.calls(tenant, &CallFilter::default()).await?;
    let mut weeks: BTreeMap<String, WeekRow> = BTreeMap::new();
    let mut outcomes: BTreeMap<String, OutcomeCounts> = BTreeMap::new();
    let mut overview = DatasetOverview { tenant: tenant.to_string(), ..DatasetOverview::default() };
    for call in &calls {
        let iso = call.started_at.iso_week();
        let week = format!("{}-W{:02}", iso.year(), iso.week());
        let row = weeks.entry(week.clone()).or_insert_with(|| WeekRow { week, ..WeekRow::default() });
        row.calls += 1;
        *row.by_status.entry(call.status.as_str().to_string()).or_default() += 1;
        row.booked += u64::from(call.outcome.booked == Some(true));
        for (name, value) in [
            ("booked", call.outcome.booked),
            ("confirmed", call.outcome.confirmed),
            ("showed_up", call.outcome.showed_up),
            ("converted", call.outcome.converted),
        ] {
            if let Some(value) = value {
                let counts = outcomes.entry(name.to_string()).or_default();
                counts.known += 1;
                counts.positive += u64::from(value);
            }
        }
        overview.revenue += call.outcome.revenue.unwrap_or(0.0);
        overview.turns += call.turns.len() as u64;
    }
    overview.weeks = weeks.into_values().collect();
    overview.outcomes = outcomes;
    for status in CallStatus::ALL {
        for row in &mut overview.weeks {
            row.by_status.entry(status.as_str().to_string()).or_default();
        }
    }
    for lead in store.leads(tenant).await? {
        *overview.leads_by_status.entry(lead.status.as_str().to_string()).or_default() += 1;
    }
    for activity in store.activities(tenant).await? {
        if activity.is_outbound_touch() {
            *overview.touches_by_channel.entry(activity.channel.as_str().to_string()).or_default() += 1;
        }
        overview.converting_touches += u64::from(activity.led_to_booking);
    }
    for channel in Channel::ALL {
        overview.touches_by_channel.entry(channel.as_str().to_string()).or_default();
    }
    Ok(overview)
}
