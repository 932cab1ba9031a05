//! Outcome models (excellence-replicator.md phase 3, lead-qualification.md): who shows up, which
//! calls book, which convert — learned from the calls whose outcome is known, judged on calls the
//! model did not see.
//!
//! [`call_feature_table`] turns calls and their leads into a feature matrix (with a leakage guard);
//! [`train_and_evaluate`] fits the chosen families ([`hindsight_ml`]), calibrates them and reports
//! held-out metrics, calibration and the features that move predictions.
//!
//! Not built yet: lead-level targets (progression, voice-AI fit) and the qualification score with
//! routing, the show-up probability per call with its key factors in plain language, bagged trees,
//! and the model registry.

mod evaluate;
mod features;

pub use evaluate::{
    FamilyChoice, FamilyEvaluation, PredictionMetrics, SplitChoice, TrainError, TrainParams, TrainReport,
    train_and_evaluate,
};
pub use features::{FeatureParams, FeatureTable, OutcomeTarget, call_feature_table};
