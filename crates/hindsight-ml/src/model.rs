//! One interface over the model families, on a [`FeatureMatrix`]: fit, predict, explain.
//!
//! The linear family needs complete, comparably scaled inputs, so it learns each feature's mean
//! and spread on the training rows, fills a missing value with the mean and standardizes; its
//! coefficients and contributions are then per standard deviation. Trees take the matrix as it is
//! (missing values included).
//!
//! A fitted model of any family turns into JSON and back ([`FittedModel::to_json`]), which is what
//! the model registry stores; the JSON carries its own format version.

use serde::{Deserialize, Serialize};

use crate::data::FeatureMatrix;
use crate::error::{Result, invalid_data};
use crate::explain::Explanation;
use crate::forest::{FittedForest, ForestParams};
use crate::gbm::{FittedGbm, GbmParams};
use crate::logistic::{FittedLogistic, LogisticParams};

/// A model family and its settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "family", rename_all = "snake_case")]
pub enum Family {
    /// L2-regularized logistic regression on standardized features.
    Logistic(LogisticParams),
    /// Gradient-boosted trees.
    Gbm(GbmParams),
    /// Bagged trees (a random forest).
    Forest(ForestParams),
}

impl Family {
    /// `logistic`, `gbm` or `forest`.
    pub fn name(&self) -> &'static str {
        match self {
            Family::Logistic(_) => "logistic",
            Family::Gbm(_) => "gbm",
            Family::Forest(_) => "forest",
        }
    }

    /// Checks the settings and fits.
    pub fn fit(&self, features: &FeatureMatrix, labels: &[bool]) -> Result<FittedModel> {
        match self {
            Family::Logistic(params) => {
                let scaler = Scaler::fit(features);
                let rows: Vec<Vec<f64>> =
                    (0..features.rows()).map(|row| scaler.transform(&features.row(row))).collect();
                let model = params.clone().check()?.fit(&rows, labels)?;
                Ok(FittedModel::Logistic { model, scaler, names: features.names().to_vec() })
            }
            Family::Gbm(params) => Ok(FittedModel::Gbm(Box::new(params.clone().check()?.fit(features, labels)?))),
            Family::Forest(params) => Ok(FittedModel::Forest(params.clone().check()?.fit(features, labels)?)),
        }
    }
}

/// Each feature's training mean and standard deviation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scaler {
    /// Means of the non-missing values (0 when all are missing).
    pub means: Vec<f64>,
    /// Standard deviations (1 when a feature does not vary).
    pub spreads: Vec<f64>,
}

impl Scaler {
    fn fit(features: &FeatureMatrix) -> Scaler {
        let (mut means, mut spreads) = (Vec::new(), Vec::new());
        for feature in 0..features.width() {
            let column = &features.values()[feature * features.rows()..(feature + 1) * features.rows()];
            let present: Vec<f64> = column.iter().copied().filter(|value| !value.is_nan()).collect();
            let mean = if present.is_empty() { 0.0 } else { present.iter().sum::<f64>() / present.len() as f64 };
            let variance = if present.len() < 2 {
                0.0
            } else {
                present.iter().map(|value| (value - mean).powi(2)).sum::<f64>() / (present.len() - 1) as f64
            };
            means.push(mean);
            spreads.push(if variance > 0.0 { variance.sqrt() } else { 1.0 });
        }
        Scaler { means, spreads }
    }

    fn transform(&self, row: &[f64]) -> Vec<f64> {
        row.iter()
            .zip(self.means.iter().zip(&self.spreads))
            .map(|(&value, (mean, spread))| if value.is_nan() { 0.0 } else { (value - mean) / spread })
            .collect()
    }
}

/// A fitted model of either family.
#[derive(Debug)]
pub enum FittedModel {
    /// Logistic regression with its scaler.
    Logistic {
        /// The regression on standardized features.
        model: FittedLogistic,
        /// How inputs were standardized.
        scaler: Scaler,
        /// Feature names.
        names: Vec<String>,
    },
    /// Boosted trees (boxed: the booster is large beside a coefficient vector).
    Gbm(Box<FittedGbm>),
    /// Bagged trees.
    Forest(FittedForest),
}

/// The format of [`FittedModel::to_json`]; bumped when it changes incompatibly.
pub const MODEL_FORMAT_VERSION: u32 = 1;

/// How a fitted model is stored: the family's own form inside a versioned envelope.
#[derive(Serialize, Deserialize)]
#[serde(tag = "family", rename_all = "snake_case")]
enum StoredModel {
    Logistic { format_version: u32, model: FittedLogistic, scaler: Scaler, names: Vec<String> },
    Gbm { format_version: u32, model: String },
    Forest { format_version: u32, model: String },
}

impl FittedModel {
    /// `logistic`, `gbm` or `forest`.
    pub fn family_name(&self) -> &'static str {
        match self {
            FittedModel::Logistic { .. } => "logistic",
            FittedModel::Gbm(_) => "gbm",
            FittedModel::Forest(_) => "forest",
        }
    }

    /// The features the model expects, in order.
    pub fn feature_names(&self) -> &[String] {
        match self {
            FittedModel::Logistic { names, .. } => names,
            FittedModel::Gbm(model) => model.feature_names(),
            FittedModel::Forest(model) => model.feature_names(),
        }
    }

    /// The model as JSON, tagged with its family and [`MODEL_FORMAT_VERSION`].
    pub fn to_json(&self) -> Result<String> {
        let format_version = MODEL_FORMAT_VERSION;
        let stored = match self {
            FittedModel::Logistic { model, scaler, names } => StoredModel::Logistic {
                format_version,
                model: model.clone(),
                scaler: scaler.clone(),
                names: names.clone(),
            },
            FittedModel::Gbm(model) => StoredModel::Gbm { format_version, model: model.to_json()? },
            FittedModel::Forest(model) => StoredModel::Forest { format_version, model: model.to_json()? },
        };
        serde_json::to_string(&stored).map_err(|error| invalid_data(format!("cannot serialize: {error}")))
    }

    /// A model from [`FittedModel::to_json`]; refuses a format this build does not know.
    pub fn from_json(json: &str) -> Result<FittedModel> {
        let stored: StoredModel =
            serde_json::from_str(json).map_err(|error| invalid_data(format!("not a stored model: {error}")))?;
        let format_version = match &stored {
            StoredModel::Logistic { format_version, .. }
            | StoredModel::Gbm { format_version, .. }
            | StoredModel::Forest { format_version, .. } => *format_version,
        };
        if format_version != MODEL_FORMAT_VERSION {
            return Err(invalid_data(format!(
                "stored model format {format_version}, this build reads format {MODEL_FORMAT_VERSION}"
            )));
        }
        Ok(match stored {
            StoredModel::Logistic { model, scaler, names, .. } => FittedModel::Logistic { model, scaler, names },
            StoredModel::Gbm { model, .. } => FittedModel::Gbm(Box::new(FittedGbm::from_json(&model)?)),
            StoredModel::Forest { model, .. } => FittedModel::Forest(FittedForest::from_json(&model)?),
        })
    }

    /// Probability of a positive outcome, per row.
    pub fn predict_probability(&self, features: &FeatureMatrix) -> Result<Vec<f64>> {
        match self {
            FittedModel::Logistic { model, scaler, names } => {
                features.check_names(names)?;
                (0..features.rows())
                    .map(|row| model.predict_probability(&scaler.transform(&features.row(row))))
                    .collect()
            }
            FittedModel::Gbm(model) => model.predict_probability(features),
            FittedModel::Forest(model) => model.predict_probability(features),
        }
    }

    /// Every row's log-odds as a baseline plus one contribution per feature.
    pub fn explain(&self, features: &FeatureMatrix) -> Result<Vec<Explanation>> {
        match self {
            FittedModel::Logistic { model, scaler, names } => {
                features.check_names(names)?;
                (0..features.rows()).map(|row| model.explain(&scaler.transform(&features.row(row)))).collect()
            }
            FittedModel::Gbm(model) => model.explain(features),
            FittedModel::Forest(model) => model.explain(features),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Family, FittedModel};
    use crate::data::FeatureMatrix;
    use crate::forest::ForestParams;
    use crate::gbm::GbmParams;
    use crate::logistic::LogisticParams;

    /// Every family learns that `x` predicts the outcome, take missing values, and explain
    /// additively.
    #[test]
    fn both_families_fit_predict_and_explain_through_one_interface() {
        let rows: Vec<Vec<f64>> =
            (0..200).map(|i| vec![(i % 20) as f64, if i % 7 == 0 { f64::NAN } else { (i % 3) as f64 }]).collect();
        let labels: Vec<bool> = (0..200).map(|i| (i % 20) >= 10 || i % 11 == 0).collect();
        let matrix = FeatureMatrix::from_rows(vec!["x".into(), "sometimes".into()], &rows).expect("matrix");
        for family in [
            Family::Logistic(LogisticParams::default()),
            Family::Gbm(GbmParams { iterations: 50, min_leaf_weight: 1.0, ..GbmParams::default() }),
            Family::Forest(ForestParams { trees: 20, ..ForestParams::default() }),
        ] {
            let model = family.fit(&matrix, &labels).expect("fits");
            let probabilities = model.predict_probability(&matrix).expect("predicts");
            let restored = FittedModel::from_json(&model.to_json().expect("serializes")).expect("reads back");
            assert_eq!(restored.family_name(), family.name());
            assert_eq!(restored.predict_probability(&matrix).expect("predicts"), probabilities, "{}", family.name());
            assert!(probabilities[15] > probabilities[1], "{}: higher x, higher probability", family.name());
            for explanation in model.explain(&matrix).expect("explains") {
                let sum = explanation.baseline + explanation.contributions.iter().sum::<f64>();
                assert!((sum - explanation.logit).abs() < 1e-9, "{}: {explanation:?}", family.name());
            }
        }
    }
}

#[cfg(test)]
mod format_tests {
    use super::FittedModel;

    #[test]
    fn a_stored_model_of_an_unknown_format_is_refused_by_version() {
        let json = r#"{"family":"gbm","format_version":99,"model":"{}"}"#;
        let error = FittedModel::from_json(json).expect_err("refused");
        assert_eq!(error.to_string(), "invalid data: stored model format 99, this build reads format 1");
    }
}
