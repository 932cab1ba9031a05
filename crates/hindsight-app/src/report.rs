//! The campaign report use case: load a period and the one before it, analyse, wrap.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use hindsight_learn::campaign::{CampaignAnalysisConfig, PeriodTally, analyze_campaign_metrics};
use hindsight_model::{CallFacts, Campaign, TenantId};
use hindsight_report::campaign::{CampaignReport, Period};
use hindsight_store::{CallFilter, Store};

use crate::calls::call_filter;
use crate::error::{AppError, Result};

/// Which period to report on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodChoice {
    /// The ISO week (Monday–Sunday) of the campaign's latest call.
    LatestWeek,
    /// An ISO week.
    Week {
        /// ISO year.
        year: i32,
        /// ISO week number.
        week: u32,
    },
    /// Explicit days, inclusive.
    Days(Period),
}

fn campaign_for(campaigns: Vec<Campaign>, wanted: Option<&str>, tenant: &TenantId) -> Result<Campaign> {
    let ids: Vec<String> = campaigns.iter().map(|campaign| campaign.id.clone()).collect();
    match wanted {
        Some(id) => campaigns.into_iter().find(|campaign| campaign.id == id).ok_or_else(|| AppError::NotFound {
            what: format!(
                "campaign {id:?} in tenant {tenant} (campaigns there: {})",
                if ids.is_empty() { "none".into() } else { ids.join(", ") }
            ),
        }),
        None => match campaigns.len() {
            1 => Ok(campaigns.into_iter().next().expect("one campaign")),
            0 => Err(AppError::NotFound {
                what: format!(
                    "campaign record in tenant {tenant}: ingest one (campaign.json) so the report knows its targets"
                ),
            }),
            _ => Err(AppError::Ambiguous {
                what: format!("tenant {tenant} has several campaigns ({}); pass --campaign", ids.join(", ")),
            }),
        },
    }
}

/// Builds the campaign report of a period against the period of equal length before it.
pub async fn campaign_report(
    store: &dyn Store,
    tenant: &TenantId,
    campaign_id: Option<&str>,
    choice: PeriodChoice,
    config: &CampaignAnalysisConfig,
    generated_at: DateTime<Utc>,
) -> Result<CampaignReport> {
    let campaign = campaign_for(store.campaigns(tenant).await?, campaign_id, tenant)?;
    let period = match choice {
        PeriodChoice::Days(period) => period,
        PeriodChoice::Week { year, week } => {
            let monday = NaiveDate::from_isoywd_opt(year, week, chrono::Weekday::Mon)
                .ok_or_else(|| AppError::Invalid { what: format!("{year}-W{week:02} is not an ISO week") })?;
            Period { from: monday, to: monday + Duration::days(6) }
        }
        PeriodChoice::LatestWeek => {
            let latest = store.latest_call_start(tenant, Some(&campaign.id)).await?.ok_or_else(|| {
                AppError::NotFound { what: format!("calls of campaign {:?} in tenant {tenant}", campaign.id) }
            })?;
            let day = latest.date_naive();
            let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
            Period { from: monday, to: monday + Duration::days(6) }
        }
    };
    let length = period.to - period.from + Duration::days(1);
    let previous = Period { from: period.from - length, to: period.from - Duration::days(1) };
    let current_filter = call_filter(Some(&campaign.id), Some(period))?;
    let current = tally_period(store, tenant, &current_filter).await?.finish(&campaign);
    let previous_tally = tally_period(store, tenant, &call_filter(Some(&campaign.id), Some(previous))?).await?;
    let previous_metrics = (previous_tally.calls() > 0).then(|| previous_tally.finish(&campaign));
    let analysis = analyze_campaign_metrics(current, previous_metrics, &campaign, config);
    let previous_period = analysis.previous.as_ref().map(|_| previous);
    Ok(CampaignReport::new(tenant.as_str(), &campaign, period, previous_period, generated_at, analysis))
}

/// Folds the facts of the calls `filter` selects into a [`PeriodTally`] while the store reads
/// them, on a blocking thread: a million-call period is never held in memory at once (holding it
/// took 900 MB, and faulting in that much fresh memory was half of the report's time).
async fn tally_period(store: &dyn Store, tenant: &TenantId, filter: &CallFilter) -> Result<PeriodTally> {
    let (chunks, received_chunks) = std::sync::mpsc::sync_channel::<Vec<CallFacts>>(2);
    let tally = tokio::task::spawn_blocking(move || {
        let mut tally = PeriodTally::default();
        for chunk in received_chunks {
            for call in &chunk {
                tally.add(call);
            }
        }
        tally
    });
    store.scan_call_facts(tenant, filter, chunks).await?;
    tally.await.map_err(|error| AppError::Task(format!("tallying the period's calls failed: {error}")))
}
