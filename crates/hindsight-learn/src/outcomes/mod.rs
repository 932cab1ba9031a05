//! Outcome models (excellence-replicator.md phase 3, lead-qualification.md): who shows up, which
//! calls book, which convert — learned from the calls whose outcome is known, judged on calls the
//! model did not see.
//!
//! [`call_feature_table`] turns calls and their leads into a feature matrix (with a leakage guard);
//! [`train_and_evaluate`] fits the chosen families ([`hindsight_ml`]), calibrates them and reports
//! held-out metrics, calibration and the features that move predictions.
//!
//! [`OutcomeModel`] is the result kept for use: schema, fitted model, calibrator and a
//! [`ModelCard`]; it scores calls with a confidence and key [`Factor`]s in plain language.
//!
//! Lead-level: [`lead_feature_table`] (`progressed`: leads that converted against those that
//! ended without; `voice_ai_fit`: leads labelled by their [`VOICE_AI_FIT_ATTRIBUTE`](hindsight_model::VOICE_AI_FIT_ATTRIBUTE)) and
//! [`qualify`] (score, voice-AI fit, routing, reasons, priority). Lead rows read the lead's
//! description and notes and, through [`CallsByLead`], what its calls before its conversion said.

mod evaluate;
mod factors;
mod features;
mod lead_features;
mod model;
mod qualification;

pub use evaluate::{
    FamilyChoice, FamilyEvaluation, PredictionMetrics, SplitChoice, TrainError, TrainParams, TrainReport,
    train_and_evaluate,
};
pub use factors::{Factor, FactorGroups, factors};
pub use features::{FeatureParams, FeatureSchema, FeatureTable, OutcomeTarget, call_feature_table};
pub(crate) use lead_features::title_seniority;
pub use lead_features::{CallsByLead, lead_feature_table};
pub use model::{
    ConfidenceLevel, ModelCard, ModelLoadError, OUTCOME_MODEL_FORMAT_VERSION, OutcomeModel, Score, TrainingWindow,
};
pub use qualification::{Priority, Qualification, QualificationParams, Recommendation, qualify};
