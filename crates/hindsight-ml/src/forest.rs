//! Bagged trees (a random forest) for a binary outcome, grown by forust-ml, explained exactly.
//!
//! Each tree is fitted on a bootstrap sample of the rows (drawn with replacement, expressed as
//! integer sample weights so the data is binned once per tree and never copied) and sees a random
//! share of the features (`feature_share`, sampled per tree — forust samples columns per tree, not
//! per split as Breiman's forest does). A tree is one Newton step on the log-loss from the training
//! rate's log-odds, so its leaves hold log-odds; the forest's log-odds is the trees' mean.
//!
//! Averaging keeps explanations exact: every tree's Shapley contributions sum to its log-odds, so
//! their means sum to the forest's. Trees are independent, so they grow in parallel (rayon), each
//! from its own seed derived from the forest's: the same data and seed give the same forest
//! whatever the thread count.
//!
//! Leaves as a single Newton step from the base rate are a linearization of the log-odds and
//! overshoot in very pure leaves; the raw forest is therefore less well calibrated than boosting,
//! which is what the calibrators (and the `auto` family choice on calibrated log-loss) are for.

use forust_ml::Matrix;
use forust_ml::gradientbooster::GradientBooster;
use forust_ml::objective::ObjectiveType;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::data::FeatureMatrix;
use crate::ensemble::TreeEnsemble;
use crate::error::{MlError, Result, invalid_data};
use crate::explain::Explanation;

/// Settings of a bagged-trees model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ForestParams {
    /// Trees.
    pub trees: usize,
    /// Deepest split.
    pub max_depth: usize,
    /// Share of the features each tree may split on, in (0, 1].
    pub feature_share: f64,
    /// Smallest hessian sum a leaf may hold (larger = smoother).
    pub min_leaf_weight: f32,
    /// L2 penalty on leaf weights: shrinks small leaves toward the base rate.
    pub l2: f32,
    /// Histogram bins per feature.
    pub nbins: u16,
    /// Seed of the bootstrap samples and feature draws.
    pub seed: u64,
}

impl Default for ForestParams {
    fn default() -> Self {
        ForestParams { trees: 100, max_depth: 8, feature_share: 0.6, min_leaf_weight: 2.0, l2: 1.0, nbins: 64, seed: 0 }
    }
}

impl ForestParams {
    /// Checks every setting; only checked settings can fit.
    pub fn check(self) -> Result<CheckedForestParams> {
        let invalid = |setting, reason: &str| Err(MlError::InvalidParams { setting, reason: reason.to_string() });
        if self.trees == 0 {
            return invalid("trees", "must be at least 1");
        }
        if self.max_depth == 0 {
            return invalid("max_depth", "must be at least 1");
        }
        if !(self.feature_share > 0.0 && self.feature_share <= 1.0) {
            return invalid("feature_share", "must be in (0, 1]");
        }
        if !self.min_leaf_weight.is_finite() || self.min_leaf_weight < 0.0 {
            return invalid("min_leaf_weight", "must be a finite number ≥ 0");
        }
        if !self.l2.is_finite() || self.l2 < 0.0 {
            return invalid("l2", "must be a finite number ≥ 0");
        }
        if self.nbins < 2 {
            return invalid("nbins", "must be at least 2");
        }
        Ok(CheckedForestParams(self))
    }
}

/// Settings that passed [`ForestParams::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedForestParams(ForestParams);

/// A fitted forest.
pub struct FittedForest {
    trees: Vec<GradientBooster>,
    ensemble: TreeEnsemble,
}

impl std::fmt::Debug for FittedForest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FittedForest")
            .field("features", &self.feature_names())
            .field("trees", &self.trees.len())
            .finish()
    }
}

impl CheckedForestParams {
    /// Fits to `features` and `labels` (one per row).
    pub fn fit(&self, features: &FeatureMatrix, labels: &[bool]) -> Result<FittedForest> {
        if features.rows() != labels.len() {
            return Err(invalid_data(format!("{} rows but {} labels", features.rows(), labels.len())));
        }
        if features.rows() == 0 || features.width() == 0 {
            return Err(invalid_data("no rows or no features"));
        }
        let positives = labels.iter().filter(|label| **label).count();
        if positives == 0 || positives == labels.len() {
            return Err(invalid_data("every label is the same: there is nothing to separate"));
        }
        let params = &self.0;
        // Every tree starts from the same base so that averaging their log-odds is meaningful.
        let rate = positives as f64 / labels.len() as f64;
        let base = (rate / (1.0 - rate)).ln();
        let y: Vec<f64> = labels.iter().map(|&label| if label { 1.0 } else { 0.0 }).collect();
        let matrix = Matrix::new(features.values(), features.rows(), features.width());
        let trees = (0..params.trees)
            .into_par_iter()
            .map(|tree| {
                let seed = params.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(tree as u64);
                let mut rng = ChaCha8Rng::seed_from_u64(seed);
                let mut weights = vec![0.0; y.len()];
                for _ in 0..y.len() {
                    weights[rng.random_range(0..y.len())] += 1.0;
                }
                let mut booster = GradientBooster::default()
                    .set_objective_type(ObjectiveType::LogLoss)
                    .set_iterations(1)
                    .set_learning_rate(1.0)
                    .set_max_depth(params.max_depth)
                    .set_l2(params.l2)
                    .set_min_leaf_weight(params.min_leaf_weight)
                    .set_nbins(params.nbins)
                    .set_colsample_bytree(params.feature_share)
                    .set_initialize_base_score(false)
                    .set_base_score(base)
                    .set_seed(seed)
                    .set_parallel(false);
                booster
                    .fit(&matrix, &y, &weights, None)
                    .map_err(|error| invalid_data(format!("growing tree {tree} failed: {error}")))?;
                Ok(booster)
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(FittedForest::new(trees, features.names().to_vec()))
    }
}

impl FittedForest {
    fn new(trees: Vec<GradientBooster>, names: Vec<String>) -> FittedForest {
        // Every tree starts from the same base, so the mean of their log-odds is the base plus
        // the mean of their outputs.
        let ensemble = TreeEnsemble::from_boosters(&trees, 1.0 / trees.len() as f64, names);
        FittedForest { trees, ensemble }
    }

    /// The features the model was fitted on.
    pub fn feature_names(&self) -> &[String] {
        self.ensemble.feature_names()
    }

    /// Log-odds of a positive outcome, per row: the trees' mean.
    pub fn predict_logit(&self, features: &FeatureMatrix) -> Result<Vec<f64>> {
        self.ensemble.predict_logit(features)
    }

    /// Probability of a positive outcome, per row.
    pub fn predict_probability(&self, features: &FeatureMatrix) -> Result<Vec<f64>> {
        self.ensemble.predict_probability(features)
    }

    /// Exact Shapley contributions to every row's log-odds: the trees' mean contributions.
    pub fn explain(&self, features: &FeatureMatrix) -> Result<Vec<Explanation>> {
        self.ensemble.explain(features)
    }

    /// The forest as JSON: its feature names and each tree as forust-ml's JSON.
    pub fn to_json(&self) -> Result<String> {
        let trees = self
            .trees
            .iter()
            .map(|tree| tree.json_dump().map_err(|error| invalid_data(format!("cannot serialize: {error}"))))
            .collect::<Result<Vec<_>>>()?;
        serde_json::to_string(&serde_json::json!({ "features": self.feature_names(), "trees": trees }))
            .map_err(|error| invalid_data(format!("cannot serialize: {error}")))
    }

    /// A forest from [`FittedForest::to_json`].
    pub fn from_json(json: &str) -> Result<FittedForest> {
        #[derive(Deserialize)]
        struct Stored {
            features: Vec<String>,
            trees: Vec<String>,
        }
        let stored: Stored =
            serde_json::from_str(json).map_err(|error| invalid_data(format!("not a forest: {error}")))?;
        let trees = stored
            .trees
            .iter()
            .map(|tree| GradientBooster::from_json(tree).map_err(|error| invalid_data(format!("forest tree: {error}"))))
            .collect::<Result<Vec<_>>>()?;
        if trees.is_empty() {
            return Err(invalid_data("a forest without trees"));
        }
        Ok(FittedForest::new(trees, stored.features))
    }
}

#[cfg(test)]
mod tests {
    use super::ForestParams;
    use crate::data::FeatureMatrix;
    use crate::metrics::roc_auc;

    fn data() -> (FeatureMatrix, Vec<bool>) {
        // y depends on x1 (strongly, non-linearly) and x2 (weakly); x3 is noise.
        let rows: Vec<Vec<f64>> = (0..600)
            .map(|i| {
                let x1 = ((i * 37) % 100) as f64 / 10.0;
                let x2 = ((i * 11) % 7) as f64;
                let x3 = if i % 13 == 0 { f64::NAN } else { ((i * 53) % 17) as f64 };
                vec![x1, x2, x3]
            })
            .collect();
        let labels = rows
            .iter()
            .enumerate()
            .map(|(i, row)| (row[0] - 5.0).abs() > 2.5 || (row[1] > 5.0 && i % 3 == 0))
            .collect();
        (FeatureMatrix::from_rows(vec!["x1".into(), "x2".into(), "x3".into()], &rows).expect("matrix"), labels)
    }

    #[test]
    fn a_forest_ranks_well_and_its_explanations_sum_to_its_log_odds() {
        let (matrix, labels) = data();
        let forest = ForestParams { trees: 40, ..ForestParams::default() }
            .check()
            .expect("valid")
            .fit(&matrix, &labels)
            .expect("fits");
        let probabilities = forest.predict_probability(&matrix).expect("predicts");
        assert!(roc_auc(&labels, &probabilities).expect("auc") > 0.9);
        let explanations = forest.explain(&matrix).expect("explains");
        let logits = forest.predict_logit(&matrix).expect("logits");
        let mut importance = [0.0; 3];
        for (explanation, logit) in explanations.iter().zip(&logits) {
            let sum = explanation.baseline + explanation.contributions.iter().sum::<f64>();
            assert!((sum - logit).abs() < 1e-6, "{sum} vs {logit}");
            for (total, contribution) in importance.iter_mut().zip(&explanation.contributions) {
                *total += contribution.abs();
            }
        }
        assert!(importance[0] > importance[1] && importance[1] > importance[2], "{importance:?}");
    }

    #[test]
    fn the_same_seed_grows_the_same_forest_and_json_round_trips_it() {
        let (matrix, labels) = data();
        let params = ForestParams { trees: 10, seed: 7, ..ForestParams::default() }.check().expect("valid");
        let first = params.fit(&matrix, &labels).expect("fits");
        let second = params.fit(&matrix, &labels).expect("fits");
        assert_eq!(first.predict_logit(&matrix).expect("p"), second.predict_logit(&matrix).expect("p"));
        let restored = super::FittedForest::from_json(&first.to_json().expect("json")).expect("parses");
        assert_eq!(first.predict_logit(&matrix).expect("p"), restored.predict_logit(&matrix).expect("p"));
        let other = ForestParams { trees: 10, seed: 8, ..ForestParams::default() }.check().expect("valid");
        assert_ne!(
            first.predict_logit(&matrix).expect("p"),
            other.fit(&matrix, &labels).expect("fits").predict_logit(&matrix).expect("p")
        );
    }

    #[test]
    fn settings_out_of_range_are_refused_by_name() {
        let refused = |params: ForestParams| params.check().expect_err("refused").to_string();
        assert_eq!(
            refused(ForestParams { trees: 0, ..ForestParams::default() }),
            "invalid setting trees: must be at least 1"
        );
        assert_eq!(
            refused(ForestParams { feature_share: 1.5, ..ForestParams::default() }),
            "invalid setting feature_share: must be in (0, 1]"
        );
    }
}
