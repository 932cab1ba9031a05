//! Training and judging an outcome model on a feature table, honestly: every reported number
//! comes from rows the model (and its calibrator) did not learn from.
//!
//! - **Time split** (default): train on the earliest 80% of rows, test on the latest 20%; the
//!   calibrator is fitted on out-of-fold predictions within the training rows (5 folds), then
//!   applied to the test rows.
//! - **k-fold**: 5 stratified folds; every row predicted once out of fold; the calibrator is
//!   cross-fitted on those predictions (fitted on one half, applied to the other).
//!
//! Family `auto` evaluates logistic regression, boosted trees and bagged trees on the same split
//! and keeps the one with the lower calibrated log-loss. Below `min_outcomes` of the rarer class the model is a
//! strongly penalized logistic regression (the report says so), and below `refuse_below` nothing
//! is trained: a score from a dozen outcomes would only look confident.

use hindsight_ml::calibration::{CalibrationChoice, Calibrator, choose_calibrator};
use hindsight_ml::forest::ForestParams;
use hindsight_ml::gbm::GbmParams;
use hindsight_ml::logistic::LogisticParams;
use hindsight_ml::metrics::{Reliability, ThresholdMetrics, at_threshold, brier, log_loss, reliability, roc_auc};
use hindsight_ml::model::{Family, FittedModel};
use hindsight_ml::validation::{self, Split, folds};
use hindsight_ml::{FeatureMatrix, MlError, global_importance};
use serde::{Deserialize, Serialize};

use crate::outcomes::features::{FeatureTable, OutcomeTarget};
use crate::outcomes::model::OutcomeModel;

/// Which family to train.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FamilyChoice {
    /// Every family, keeping the best calibrated log-loss.
    Auto,
    /// Logistic regression.
    Logistic,
    /// Boosted trees.
    Gbm,
    /// Bagged trees (a random forest).
    Forest,
}

/// How to hold rows out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SplitChoice {
    /// Latest 20% of rows held out.
    Time,
    /// 5 stratified folds.
    Kfold,
}

/// Settings of training.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrainParams {
    /// Families to consider.
    pub family: FamilyChoice,
    /// Split.
    pub split: SplitChoice,
    /// Below this many outcomes of the rarer class, fall back to a strongly penalized logistic.
    pub min_outcomes: usize,
    /// Below this many, refuse to train.
    pub refuse_below: usize,
    /// Logistic settings.
    pub logistic: LogisticParams,
    /// Boosted-trees settings.
    pub gbm: GbmParams,
    /// Bagged-trees settings.
    pub forest: ForestParams,
    /// Decision threshold for accuracy, precision, recall and F1.
    pub threshold: f64,
}

impl Default for TrainParams {
    fn default() -> Self {
        TrainParams {
            family: FamilyChoice::Auto,
            split: SplitChoice::Time,
            min_outcomes: 50,
            refuse_below: 10,
            logistic: LogisticParams::default(),
            gbm: GbmParams::default(),
            forest: ForestParams::default(),
            threshold: 0.5,
        }
    }
}

/// Metrics of one set of predictions, with their sample.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PredictionMetrics {
    /// Rows predicted.
    pub rows: usize,
    /// Of them positive.
    pub positives: usize,
    /// ROC AUC.
    pub auc: f64,
    /// Mean log-loss.
    pub log_loss: f64,
    /// Brier score.
    pub brier: f64,
    /// Reliability curve and ECE over 10 bins.
    pub reliability: Reliability,
    /// Decisions at the threshold.
    pub at_threshold: ThresholdMetrics,
}

/// One family's evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FamilyEvaluation {
    /// `logistic`, `gbm` or `forest`.
    pub family: &'static str,
    /// Held-out predictions as the model gives them.
    pub raw: PredictionMetrics,
    /// The same rows after calibration.
    pub calibrated: PredictionMetrics,
    /// The calibrator chosen and why.
    pub calibration: CalibrationChoice,
    /// Features by mean |contribution| to held-out log-odds, largest first.
    pub importance: Vec<(String, f64)>,
}

/// What training found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrainReport {
    /// The target.
    pub target: OutcomeTarget,
    /// Rows with the target known.
    pub rows: usize,
    /// Of them positive.
    pub positives: usize,
    /// Features.
    pub features: usize,
    /// `time` or `kfold`.
    pub split: SplitChoice,
    /// Whether the small-data fallback was used.
    pub small_data: bool,
    /// Every family evaluated.
    pub evaluations: Vec<FamilyEvaluation>,
    /// The family chosen (lowest calibrated log-loss).
    pub chosen: &'static str,
    /// Notes from the features and the fit.
    pub notes: Vec<String>,
}

/// Why training could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TrainError {
    /// Too few outcomes to learn anything trustworthy.
    #[error(
        "too few outcomes to train on: {positives} positive and {negatives} negative rows (at least {needed} of each)"
    )]
    TooFewOutcomes {
        /// Positive rows.
        positives: usize,
        /// Negative rows.
        negatives: usize,
        /// The minimum of each.
        needed: usize,
    },
    /// A model or metric failed.
    #[error(transparent)]
    Model(#[from] MlError),
}

fn metrics(labels: &[bool], probabilities: &[f64], threshold: f64) -> Result<PredictionMetrics, MlError> {
    Ok(PredictionMetrics {
        rows: labels.len(),
        positives: labels.iter().filter(|label| **label).count(),
        auc: roc_auc(labels, probabilities)?,
        log_loss: log_loss(labels, probabilities)?,
        brier: brier(labels, probabilities)?,
        reliability: reliability(labels, probabilities, 10)?,
        at_threshold: at_threshold(labels, probabilities, threshold)?,
    })
}

/// Out-of-fold probabilities of `family` for every row of `matrix` (5 stratified folds).
fn out_of_fold(family: &Family, matrix: &FeatureMatrix, labels: &[bool], seed: u64) -> Result<Vec<f64>, MlError> {
    validation::out_of_fold(matrix, labels, Split::StratifiedKFold { folds: 5, seed }, |train, labels, test| {
        family.fit(train, labels)?.predict_probability(test)
    })
}

/// A model fitted on every row with its calibrator (fitted on every row's out-of-fold
/// prediction): what is kept for scoring, once the evaluation has chosen its family.
type ModelForUse = (FittedModel, Calibrator);

/// Evaluates `family` on `split`; for k-fold, the work also yields the model for use.
fn evaluate_family(
    family: &Family,
    table: &FeatureTable,
    split: SplitChoice,
    threshold: f64,
) -> Result<(FamilyEvaluation, Option<ModelForUse>), MlError> {
    let (matrix, labels) = (&table.matrix, &table.labels);
    let (test_rows, raw, calibration, calibrated, final_model) = match split {
        SplitChoice::Kfold => {
            let raw = out_of_fold(family, matrix, labels, 11)?;
            let calibration = choose_calibrator(&raw, labels)?;
            let calibrated = calibration.cross_fitted.clone();
            let all: Vec<usize> = (0..labels.len()).collect();
            (all, raw, calibration, calibrated, family.fit(matrix, labels)?)
        }
        SplitChoice::Time => {
            let fold = folds(labels, Split::TimeOrdered { holdout_share: 0.2 })?.remove(0);
            let train_matrix = matrix.select(&fold.train);
            let train_labels: Vec<bool> = fold.train.iter().map(|&row| labels[row]).collect();
            let inner = out_of_fold(family, &train_matrix, &train_labels, 11)?;
            let calibration = choose_calibrator(&inner, &train_labels)?;
            let model = family.fit(&train_matrix, &train_labels)?;
            let raw = model.predict_probability(&matrix.select(&fold.test))?;
            let calibrated = raw.iter().map(|&p| calibration.calibrator.apply(p)).collect();
            (fold.test, raw, calibration, calibrated, model)
        }
    };
    let test_labels: Vec<bool> = test_rows.iter().map(|&row| labels[row]).collect();
    let explanations = final_model.explain(&matrix.select(&test_rows))?;
    let mut importance: Vec<(String, f64)> =
        matrix.names().iter().cloned().zip(global_importance(&explanations)).collect();
    importance.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let for_use = (split == SplitChoice::Kfold).then_some((final_model, calibration.calibrator.clone()));
    let evaluation = FamilyEvaluation {
        family: family.name(),
        raw: metrics(&test_labels, &raw, threshold)?,
        calibrated: metrics(&test_labels, &calibrated, threshold)?,
        calibration,
        importance,
    };
    Ok((evaluation, for_use))
}

/// Fits `family` on every row, with a calibrator chosen on every row's out-of-fold prediction.
fn fit_for_use(family: &Family, table: &FeatureTable) -> Result<ModelForUse, MlError> {
    let out_of_fold = out_of_fold(family, &table.matrix, &table.labels, 11)?;
    let calibration = choose_calibrator(&out_of_fold, &table.labels)?;
    Ok((family.fit(&table.matrix, &table.labels)?, calibration.calibrator))
}

/// Trains and evaluates on `table` as `params` say; returns the report and the chosen family's
/// model refitted on every row (with its calibrator), which is what scoring uses.
pub fn train_and_evaluate(
    table: &FeatureTable,
    params: &TrainParams,
) -> Result<(TrainReport, OutcomeModel), TrainError> {
    let positives = table.labels.iter().filter(|label| **label).count();
    let negatives = table.labels.len() - positives;
    let rarer = positives.min(negatives);
    if rarer < params.refuse_below {
        return Err(TrainError::TooFewOutcomes { positives, negatives, needed: params.refuse_below });
    }
    let mut notes = table.notes.clone();
    let small_data = rarer < params.min_outcomes;
    let families: Vec<Family> = if small_data {
        notes.push(format!(
            "only {rarer} rows of the rarer outcome (under {}): a strongly penalized logistic regression instead of the chosen family",
            params.min_outcomes
        ));
        vec![Family::Logistic(LogisticParams { l2: params.logistic.l2.max(10.0), ..params.logistic.clone() })]
    } else {
        match params.family {
            FamilyChoice::Auto => vec![
                Family::Logistic(params.logistic.clone()),
                Family::Gbm(params.gbm.clone()),
                Family::Forest(params.forest.clone()),
            ],
            FamilyChoice::Logistic => vec![Family::Logistic(params.logistic.clone())],
            FamilyChoice::Gbm => vec![Family::Gbm(params.gbm.clone())],
            FamilyChoice::Forest => vec![Family::Forest(params.forest.clone())],
        }
    };
    let (evaluations, mut for_use): (Vec<FamilyEvaluation>, Vec<Option<ModelForUse>>) = families
        .iter()
        .map(|family| evaluate_family(family, table, params.split, params.threshold))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .unzip();
    let best = (0..evaluations.len())
        .min_by(|&a, &b| evaluations[a].calibrated.log_loss.total_cmp(&evaluations[b].calibrated.log_loss))
        .expect("at least one family is evaluated");
    let chosen = evaluations[best].family;
    let (model, calibrator) = match for_use.swap_remove(best) {
        Some(fitted) => fitted,
        None => fit_for_use(&families[best], table)?,
    };
    let report = TrainReport {
        target: table.target,
        rows: table.labels.len(),
        positives,
        features: table.matrix.width(),
        split: params.split,
        small_data,
        evaluations,
        chosen,
        notes,
    };
    let model = OutcomeModel::new(table, &report, model, calibrator);
    Ok((report, model))
}
