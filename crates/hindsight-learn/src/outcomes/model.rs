//! A trained outcome model as it is kept and used: the feature schema, the fitted model, its
//! calibrator and a card that says what it is and how well it did on rows it did not see.
//!
//! The card and the artifact are two JSON documents, each with a format version: the card is what
//! a registry lists and shows, the artifact what scoring loads. Scoring rebuilds each call's
//! columns with the schema the model was trained with, predicts, calibrates and explains; every
//! score carries its confidence and the factors behind it in plain language.

use chrono::{DateTime, Utc};
use hindsight_ml::calibration::Calibrator;
use hindsight_ml::model::FittedModel;
use hindsight_ml::{FeatureMatrix, MlError, sigmoid};
use hindsight_model::{Call, Lead};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::outcomes::evaluate::{PredictionMetrics, SplitChoice, TrainReport};
use crate::outcomes::factors::{Factor, FactorGroups};
use crate::outcomes::features::{FeatureSchema, FeatureTable, OutcomeTarget};
use crate::outcomes::lead_features::CallsByLead;

/// The format of [`ModelCard`] and of the artifact; bumped when either changes incompatibly.
pub const OUTCOME_MODEL_FORMAT_VERSION: u32 = 1;

/// Key factors a score lists.
const KEY_FACTORS: usize = 5;

/// When the rows a model learned from happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingWindow {
    /// The earliest row's call start.
    pub from: DateTime<Utc>,
    /// The latest row's call start.
    pub to: DateTime<Utc>,
}

/// What a model is and how it did: the registry's description of a version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelCard {
    /// [`OUTCOME_MODEL_FORMAT_VERSION`].
    pub format_version: u32,
    /// What it predicts.
    pub target: OutcomeTarget,
    /// `logistic`, `gbm` or `forest`.
    pub family: String,
    /// `platt` or `isotonic`.
    pub calibration: String,
    /// Trained with the small-data fallback.
    pub small_data: bool,
    /// Rows it learned from.
    pub rows: usize,
    /// Of them positive.
    pub positives: usize,
    /// How held-out rows were chosen.
    pub split: SplitChoice,
    /// The chosen family's calibrated predictions on held-out rows.
    pub held_out: PredictionMetrics,
    /// The feature columns, in order.
    pub features: Vec<String>,
    /// When the training rows happened.
    pub training_window: TrainingWindow,
    /// SHA-256 of the training rows (call ids, labels and every feature value): two versions
    /// with the same hash learned from the same data.
    pub data_hash: String,
    /// The most important features by mean |contribution| on held-out rows.
    pub importance: Vec<(String, f64)>,
    /// Notes from features and training.
    pub notes: Vec<String>,
}

/// How sure a score is, in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConfidenceLevel {
    /// The model learned from few outcomes or barely ranks held-out rows: treat as a hint.
    Low,
    /// A usable model, a probability not far from even.
    Medium,
    /// A usable model and a clear-cut probability.
    High,
}

/// One call's (or, for a lead-level model, one lead's) score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    /// The call or lead.
    pub id: String,
    /// Calibrated probability of the target.
    pub probability: f64,
    /// The calibrated probability of the more likely outcome: how often, on held-out calls,
    /// predictions like this one came true.
    pub confidence: f64,
    /// [`ConfidenceLevel`]: low whenever the model's evidence is thin, whatever the probability.
    pub confidence_level: ConfidenceLevel,
    /// The factors that moved this prediction most.
    pub key_factors: Vec<Factor>,
    /// The model's log-odds before any feature.
    pub baseline: f64,
    /// The model's log-odds (baseline + every contribution).
    pub logit: f64,
}

/// A trained model, ready to score.
#[derive(Debug)]
pub struct OutcomeModel {
    /// Its description.
    pub card: ModelCard,
    /// How it builds columns from records.
    pub schema: FeatureSchema,
    /// The fitted model.
    pub model: FittedModel,
    /// Maps the model's probability to a calibrated one.
    pub calibrator: Calibrator,
    /// How the columns read as factors.
    groups: FactorGroups,
}

#[derive(Serialize, Deserialize)]
struct StoredArtifact {
    format_version: u32,
    schema: FeatureSchema,
    model: String,
    calibrator: Calibrator,
}

/// Why a stored model cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ModelLoadError {
    /// Not JSON of the expected shape.
    #[error("stored model does not decode: {0}")]
    Decode(String),
    /// Written by a format this build does not read.
    #[error("stored model format {found}, this build reads format {expected}")]
    Format {
        /// The stored format.
        found: u32,
        /// The format this build reads.
        expected: u32,
    },
    /// The fitted model inside does not load.
    #[error(transparent)]
    Model(#[from] MlError),
}

/// The SHA-256 of the rows a model learns from, in hex.
fn data_hash(table: &FeatureTable) -> String {
    let mut hasher = Sha256::new();
    for name in table.matrix.names() {
        hasher.update(name.as_bytes());
        hasher.update([0]);
    }
    for (id, label) in table.row_ids.iter().zip(&table.labels) {
        hasher.update(id.as_bytes());
        hasher.update([0, u8::from(*label)]);
    }
    for value in table.matrix.values() {
        hasher.update(value.to_bits().to_le_bytes());
    }
    hasher.finalize().iter().map(|byte| format!("{byte:02x}")).collect()
}

impl OutcomeModel {
    /// Puts a model trained on `table` together with its description.
    pub(crate) fn new(
        table: &FeatureTable,
        report: &TrainReport,
        model: FittedModel,
        calibrator: Calibrator,
    ) -> OutcomeModel {
        let chosen = report
            .evaluations
            .iter()
            .find(|evaluation| evaluation.family == report.chosen)
            .expect("the chosen family was evaluated");
        let card = ModelCard {
            format_version: OUTCOME_MODEL_FORMAT_VERSION,
            target: report.target,
            family: report.chosen.to_string(),
            calibration: calibrator.name().to_string(),
            small_data: report.small_data,
            rows: report.rows,
            positives: report.positives,
            split: report.split,
            held_out: chosen.calibrated.clone(),
            features: table.matrix.names().to_vec(),
            training_window: TrainingWindow {
                from: table.started_at.first().copied().unwrap_or_default(),
                to: table.started_at.last().copied().unwrap_or_default(),
            },
            data_hash: data_hash(table),
            importance: chosen.importance.iter().take(15).cloned().collect(),
            notes: report.notes.clone(),
        };
        let groups = FactorGroups::new(table.matrix.names());
        OutcomeModel { card, schema: table.schema.clone(), model, calibrator, groups }
    }

    /// The artifact: schema, fitted model and calibrator as JSON.
    pub fn artifact_json(&self) -> Result<String, MlError> {
        let stored = StoredArtifact {
            format_version: OUTCOME_MODEL_FORMAT_VERSION,
            schema: self.schema.clone(),
            model: self.model.to_json()?,
            calibrator: self.calibrator.clone(),
        };
        serde_json::to_string(&stored).map_err(|error| MlError::InvalidData(format!("cannot serialize: {error}")))
    }

    /// A model from its card and artifact, as [`OutcomeModel::artifact_json`] wrote them.
    pub fn load(card: &serde_json::Value, artifact: &str) -> Result<OutcomeModel, ModelLoadError> {
        let card: ModelCard =
            serde_json::from_value(card.clone()).map_err(|error| ModelLoadError::Decode(format!("card: {error}")))?;
        let stored: StoredArtifact =
            serde_json::from_str(artifact).map_err(|error| ModelLoadError::Decode(format!("artifact: {error}")))?;
        for found in [card.format_version, stored.format_version] {
            if found != OUTCOME_MODEL_FORMAT_VERSION {
                return Err(ModelLoadError::Format { found, expected: OUTCOME_MODEL_FORMAT_VERSION });
            }
        }
        let model = FittedModel::from_json(&stored.model)?;
        let groups = FactorGroups::new(model.feature_names());
        Ok(OutcomeModel { card, schema: stored.schema, model, calibrator: stored.calibrator, groups })
    }

    /// Scores `calls`, each with its lead when known (a call-level model).
    pub fn score(&self, calls: &[(&Call, Option<&Lead>)]) -> Result<Vec<Score>, MlError> {
        if self.card.target.is_lead_level() {
            return Err(MlError::InvalidData(format!("a {} model scores leads, not calls", self.card.target.as_str())));
        }
        let matrix = self.schema.encode_calls(calls);
        self.score_matrix(&matrix, calls.iter().map(|(call, _)| call.id.clone()).collect())
    }

    /// Scores `leads` (a lead-level model), each with what its `calls` said.
    pub fn score_leads(&self, leads: &[&Lead], calls: &CallsByLead<'_>) -> Result<Vec<Score>, MlError> {
        if !self.card.target.is_lead_level() {
            return Err(MlError::InvalidData(format!("a {} model scores calls, not leads", self.card.target.as_str())));
        }
        let matrix = self.schema.encode_leads(leads, calls);
        self.score_matrix(&matrix, leads.iter().map(|lead| lead.id.clone()).collect())
    }

    /// Scores rows already in the model's columns (`ids` names each row).
    pub fn score_matrix(&self, matrix: &FeatureMatrix, ids: Vec<String>) -> Result<Vec<Score>, MlError> {
        let explanations = self.model.explain(matrix)?;
        let thin_evidence = self.card.small_data || self.card.held_out.auc < 0.6;
        let mut values = vec![0.0; matrix.width()];
        Ok(ids
            .into_iter()
            .zip(explanations)
            .enumerate()
            .map(|(row, (id, explanation))| {
                matrix.copy_row(row, &mut values);
                let probability = self.calibrator.apply(sigmoid(explanation.logit));
                let confidence = probability.max(1.0 - probability);
                let confidence_level = if thin_evidence {
                    ConfidenceLevel::Low
                } else if confidence >= 0.7 {
                    ConfidenceLevel::High
                } else {
                    ConfidenceLevel::Medium
                };
                let key_factors =
                    self.groups.factors(&values, &explanation.contributions, explanation.logit, KEY_FACTORS);
                Score {
                    id,
                    probability,
                    confidence,
                    confidence_level,
                    key_factors,
                    baseline: explanation.baseline,
                    logit: explanation.logit,
                }
            })
            .collect())
    }
}
