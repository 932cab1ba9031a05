//! The training use cases: load a tenant's calls (outcome events merged) and leads, build the
//! target's feature table, train and evaluate — or hand the table out for comparison elsewhere —
//! with the CPU work off the async threads.

use hindsight_learn::outcomes::{
    FeatureParams, FeatureTable, OutcomeTarget, TrainError, TrainParams, TrainReport, call_feature_table,
    train_and_evaluate,
};
use hindsight_model::TenantId;
use hindsight_store::Store;

use crate::calls::load_calls;
use crate::error::{AppError, Result};

/// The feature table of `target` over the tenant's calls (of `campaign`, when given): what
/// `hindsight export` writes and `hindsight train` learns from.
pub async fn feature_table(
    store: &dyn Store,
    tenant: &TenantId,
    campaign: Option<&str>,
    target: OutcomeTarget,
    features: &FeatureParams,
) -> Result<FeatureTable> {
    let calls = load_calls(store, tenant, campaign, None).await?;
    let leads = store.leads(tenant).await?;
    let features = features.clone();
    // Every transcript is analysed: CPU work across the cores.
    tokio::task::spawn_blocking(move || call_feature_table(&calls, &leads, target, &features))
        .await
        .map_err(|error| AppError::Task(format!("building features failed: {error}")))
}

/// Trains and evaluates a model of `target` on the tenant's calls (of `campaign`, when given).
pub async fn train_model(
    store: &dyn Store,
    tenant: &TenantId,
    campaign: Option<&str>,
    target: OutcomeTarget,
    features: &FeatureParams,
    params: &TrainParams,
) -> Result<TrainReport> {
    let table = feature_table(store, tenant, campaign, target, features).await?;
    let params = params.clone();
    let report = tokio::task::spawn_blocking(move || train_and_evaluate(&table, &params))
        .await
        .map_err(|error| AppError::Task(format!("training failed: {error}")))?;
    match report {
        Ok(report) => {
            tracing::info!(tenant = %tenant, target = target.as_str(), rows = report.rows, chosen = report.chosen, "trained");
            Ok(report)
        }
        Err(error @ TrainError::TooFewOutcomes { .. }) => Err(AppError::Invalid { what: error.to_string() }),
        Err(TrainError::Model(error)) => {
            Err(AppError::Invalid { what: format!("the model could not be fitted: {error}") })
        }
    }
}
