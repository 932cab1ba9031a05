//! Additive explanations: a prediction's log-odds as a baseline plus one contribution per feature.

use serde::Serialize;

/// A prediction's log-odds split into a baseline and one contribution per feature, so that
/// baseline + Σ contributions = logit. For trees the contributions are exact Shapley values and
/// the baseline the expected log-odds; for a linear model they are coefficient × (value − training
/// mean) and the baseline the log-odds at the training means.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// The log-odds before any feature is considered.
    pub baseline: f64,
    /// One per feature, in the model's feature order.
    pub contributions: Vec<f64>,
    /// The log-odds.
    pub logit: f64,
}

/// Mean |contribution| per feature over `explanations`: how much each feature moves predictions.
pub fn global_importance(explanations: &[Explanation]) -> Vec<f64> {
    let Some(first) = explanations.first() else {
        return Vec::new();
    };
    let mut totals = vec![0.0; first.contributions.len()];
    for explanation in explanations {
        for (total, contribution) in totals.iter_mut().zip(&explanation.contributions) {
            *total += contribution.abs();
        }
    }
    totals.iter().map(|total| total / explanations.len() as f64).collect()
}
