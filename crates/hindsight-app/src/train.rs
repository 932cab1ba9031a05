//! The training use case: load a tenant's calls (outcome events merged) and leads, build the
//! target's feature table, train and evaluate off the async threads.

use hindsight_learn::outcomes::{
    FeatureParams, OutcomeTarget, TrainError, TrainParams, TrainReport, call_feature_table, train_and_evaluate,
};
use hindsight_model::TenantId;
use hindsight_store::{CallFilter, Store};

use crate::error::{AppError, Result};

/// Trains and evaluates a model of `target` on the tenant's calls (of `campaign`, when given).
pub async fn train_model(
    store: &dyn Store,
    tenant: &TenantId,
    campaign: Option<&str>,
    target: OutcomeTarget,
    features: &FeatureParams,
    params: &TrainParams,
) -> Result<TrainReport> {
    let filter = CallFilter { campaign: campaign.map(str::to_string), ..CallFilter::default() };
    let calls = store.calls(tenant, &filter).await?;
    if calls.is_empty() {
        let scope =
            campaign.map_or(format!("tenant {tenant}"), |campaign| format!("campaign {campaign:?} of tenant {tenant}"));
        return Err(AppError::NotFound { what: format!("calls in {scope}") });
    }
    let leads = store.leads(tenant).await?;
    let (features, params) = (features.clone(), params.clone());
    // Transcript analysis and model fitting are CPU work across the cores.
    let report = tokio::task::spawn_blocking(move || {
        let table = call_feature_table(&calls, &leads, target, &features);
        train_and_evaluate(&table, &params)
    })
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
