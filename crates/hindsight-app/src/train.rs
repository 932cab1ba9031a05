//! The training use cases: load a tenant's calls (outcome events merged) and leads, build the
//! target's feature table, train and evaluate, and register the model — or hand the table out for
//! comparison elsewhere — with the CPU work off the async threads.

use chrono::{DateTime, Utc};
use hindsight_learn::outcomes::{
    CallsByLead, FeatureParams, FeatureTable, OutcomeTarget, TrainError, TrainParams, TrainReport, call_feature_table,
    lead_feature_table, train_and_evaluate,
};
use hindsight_model::TenantId;
use hindsight_store::Store;
use serde::Serialize;

use crate::calls::{call_filter, load_calls};
use crate::error::{AppError, Result};
use crate::models::{Registered, register_model};

/// The feature table of `target` over the tenant's calls (of `campaign`, when given) — or its
/// leads, for a lead-level target: what `hindsight export` writes and `hindsight train` learns
/// from.
pub async fn feature_table(
    store: &dyn Store,
    tenant: &TenantId,
    campaign: Option<&str>,
    target: OutcomeTarget,
    features: &FeatureParams,
) -> Result<FeatureTable> {
    let mut leads = store.leads(tenant).await?;
    if target.is_lead_level() {
        leads.retain(|lead| campaign.is_none_or(|campaign| lead.campaign.as_deref() == Some(campaign)));
        // A tenant may keep leads and no calls: lead rows then read no call history.
        let calls = store.calls(tenant, &call_filter(campaign, None)?).await?;
        let features = features.clone();
        return tokio::task::spawn_blocking(move || {
            lead_feature_table(&leads, &CallsByLead::new(&calls), target, &features)
        })
        .await
        .map_err(|error| AppError::Task(format!("building features failed: {error}")));
    }
    let calls = load_calls(store, tenant, campaign, None).await?;
    let features = features.clone();
    // Every transcript is analysed: CPU work across the cores.
    tokio::task::spawn_blocking(move || call_feature_table(&calls, &leads, target, &features))
        .await
        .map_err(|error| AppError::Task(format!("building features failed: {error}")))
}

/// What training did: the evaluation, and the version it registered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trained {
    /// How the families did on calls they did not see.
    #[serde(flatten)]
    pub report: TrainReport,
    /// The registered version, unless training was a dry run.
    pub registered: Option<Registered>,
}

/// Trains and evaluates a model of `target` on the tenant's calls (of `campaign`, when given)
/// and, unless `register_as` is `None`, stores it as the next version of that model name.
#[allow(clippy::too_many_arguments)] // one use case, each argument a choice the caller makes
pub async fn train_model(
    store: &dyn Store,
    tenant: &TenantId,
    campaign: Option<&str>,
    target: OutcomeTarget,
    features: &FeatureParams,
    params: &TrainParams,
    register_as: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Trained> {
    let table = feature_table(store, tenant, campaign, target, features).await?;
    let params = params.clone();
    let trained = tokio::task::spawn_blocking(move || train_and_evaluate(&table, &params))
        .await
        .map_err(|error| AppError::Task(format!("training failed: {error}")))?;
    let (report, model) = match trained {
        Ok(trained) => trained,
        Err(error @ TrainError::TooFewOutcomes { .. }) => return Err(AppError::Invalid { what: error.to_string() }),
        Err(TrainError::Model(error)) => {
            return Err(AppError::Invalid { what: format!("the model could not be fitted: {error}") });
        }
    };
    tracing::info!(tenant = %tenant, target = target.as_str(), rows = report.rows, chosen = report.chosen, "trained");
    let registered = match register_as {
        Some(name) => Some(register_model(store, tenant, name, &model, now).await?),
        None => None,
    };
    Ok(Trained { report, registered })
}
