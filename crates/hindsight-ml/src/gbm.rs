//! Gradient-boosted trees for a binary outcome, through forust-ml, with exact Shapley
//! contributions (TreeSHAP) as explanations.
//!
//! forust-ml grows depth-wise histogram trees on the log-loss and handles missing values (NaN) by
//! learning a direction for them; its model serializes to JSON, which is how a fitted model is
//! stored. Predictions and exact Shapley contributions come from the same trees laid out for
//! scoring ([`crate::ensemble`]), so a prediction's contributions plus the baseline equal its
//! log-odds.

use forust_ml::Matrix;
use forust_ml::gradientbooster::GradientBooster;
use forust_ml::objective::ObjectiveType;
use serde::{Deserialize, Serialize};

use crate::data::FeatureMatrix;
use crate::ensemble::TreeEnsemble;
use crate::error::{MlError, Result, invalid_data};
use crate::explain::Explanation;

/// Settings of a boosted-trees model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GbmParams {
    /// Trees.
    pub iterations: usize,
    /// Shrinkage of each tree's contribution.
    pub learning_rate: f32,
    /// Deepest split.
    pub max_depth: usize,
    /// L2 penalty on leaf weights.
    pub l2: f32,
    /// Smallest hessian sum a leaf may hold (larger = smoother).
    pub min_leaf_weight: f32,
    /// Histogram bins per feature.
    pub nbins: u16,
    /// Seed of any sampling.
    pub seed: u64,
    /// Build histograms row by row from a tiled copy of the binned data (forust-ml's faster fill
    /// for many rows), instead of a column at a time.
    pub tiled_histograms: bool,
}

impl Default for GbmParams {
    fn default() -> Self {
        GbmParams {
            iterations: 200,
            learning_rate: 0.05,
            max_depth: 4,
            l2: 1.0,
            min_leaf_weight: 5.0,
            nbins: 256,
            seed: 0,
            tiled_histograms: true,
        }
    }
}

impl GbmParams {
    /// Checks every setting; only checked settings can fit.
    pub fn check(self) -> Result<CheckedGbmParams> {
        let invalid = |setting, reason: &str| Err(MlError::InvalidParams { setting, reason: reason.to_string() });
        if self.iterations == 0 {
            return invalid("iterations", "must be at least 1");
        }
        if !(self.learning_rate > 0.0 && self.learning_rate <= 1.0) {
            return invalid("learning_rate", "must be in (0, 1]");
        }
        if self.max_depth == 0 {
            return invalid("max_depth", "must be at least 1");
        }
        if !self.l2.is_finite() || self.l2 < 0.0 {
            return invalid("l2", "must be a finite number ≥ 0");
        }
        if !self.min_leaf_weight.is_finite() || self.min_leaf_weight < 0.0 {
            return invalid("min_leaf_weight", "must be a finite number ≥ 0");
        }
        if self.nbins < 2 {
            return invalid("nbins", "must be at least 2");
        }
        Ok(CheckedGbmParams(self))
    }
}

/// Settings that passed [`GbmParams::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedGbmParams(GbmParams);

/// A fitted boosted-trees model.
pub struct FittedGbm {
    booster: GradientBooster,
    ensemble: TreeEnsemble,
}

impl std::fmt::Debug for FittedGbm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FittedGbm")
            .field("features", &self.feature_names())
            .field("trees", &self.booster.trees.len())
            .finish()
    }
}

impl CheckedGbmParams {
    /// Fits to `features` and `labels` (one per row).
    pub fn fit(&self, features: &FeatureMatrix, labels: &[bool]) -> Result<FittedGbm> {
        if features.rows() != labels.len() {
            return Err(invalid_data(format!("{} rows but {} labels", features.rows(), labels.len())));
        }
        if features.rows() == 0 || features.width() == 0 {
            return Err(invalid_data("no rows or no features"));
        }
        let params = &self.0;
        let mut booster = GradientBooster::default()
            .set_objective_type(ObjectiveType::LogLoss)
            .set_iterations(params.iterations)
            .set_learning_rate(params.learning_rate)
            .set_max_depth(params.max_depth)
            .set_l2(params.l2)
            .set_min_leaf_weight(params.min_leaf_weight)
            .set_nbins(params.nbins)
            .set_seed(params.seed)
            .set_tiled_histograms(params.tiled_histograms)
            .set_parallel(true);
        let y: Vec<f64> = labels.iter().map(|&label| if label { 1.0 } else { 0.0 }).collect();
        let weights = vec![1.0; y.len()];
        let matrix = Matrix::new(features.values(), features.rows(), features.width());
        booster.fit(&matrix, &y, &weights, None).map_err(|error| invalid_data(format!("boosting failed: {error}")))?;
        Ok(FittedGbm::new(booster, features.names().to_vec()))
    }
}

impl FittedGbm {
    fn new(booster: GradientBooster, names: Vec<String>) -> FittedGbm {
        let ensemble = TreeEnsemble::from_boosters([&booster], 1.0, names);
        FittedGbm { booster, ensemble }
    }

    /// The features the model was fitted on.
    pub fn feature_names(&self) -> &[String] {
        self.ensemble.feature_names()
    }

    /// Log-odds of a positive outcome, per row.
    pub fn predict_logit(&self, features: &FeatureMatrix) -> Result<Vec<f64>> {
        self.ensemble.predict_logit(features)
    }

    /// Probability of a positive outcome, per row.
    pub fn predict_probability(&self, features: &FeatureMatrix) -> Result<Vec<f64>> {
        self.ensemble.predict_probability(features)
    }

    /// Exact Shapley contributions of every feature to every row's log-odds.
    pub fn explain(&self, features: &FeatureMatrix) -> Result<Vec<Explanation>> {
        self.ensemble.explain(features)
    }

    /// The scoring layout, for tests that look inside it.
    #[cfg(test)]
    pub(crate) fn ensemble(&self) -> &TreeEnsemble {
        &self.ensemble
    }

    /// forust-ml's own predictions and contributions (bias last in each row), which the scoring
    /// layout must reproduce.
    #[cfg(test)]
    pub(crate) fn forust_reference(&self, features: &FeatureMatrix) -> (Vec<f64>, Vec<f64>) {
        let matrix = Matrix::new(features.values(), features.rows(), features.width());
        (
            self.booster.predict(&matrix, false),
            self.booster.predict_contributions(
                &matrix,
                forust_ml::gradientbooster::ContributionsMethod::Shapley,
                false,
            ),
        )
    }

    /// The model as forust-ml's JSON (what a registry stores).
    pub fn to_json(&self) -> Result<String> {
        let booster = self.booster.json_dump().map_err(|error| invalid_data(format!("cannot serialize: {error}")))?;
        serde_json::to_string(&serde_json::json!({ "features": self.feature_names(), "booster": booster }))
            .map_err(|error| invalid_data(format!("cannot serialize: {error}")))
    }

    /// A model from [`FittedGbm::to_json`].
    pub fn from_json(json: &str) -> Result<FittedGbm> {
        let value: serde_json::Value =
            serde_json::from_str(json).map_err(|error| invalid_data(format!("not a model: {error}")))?;
        let names: Vec<String> = serde_json::from_value(value["features"].clone())
            .map_err(|error| invalid_data(format!("model features: {error}")))?;
        let booster = GradientBooster::from_json(value["booster"].as_str().unwrap_or_default())
            .map_err(|error| invalid_data(format!("model trees: {error}")))?;
        Ok(FittedGbm::new(booster, names))
    }
}
