//! hindsight's models and the numbers that judge them.
//!
//! Models are written in linfa's shape so an illegal state cannot be expressed: a `…Params`
//! value is `check`ed into a `Checked…Params` (every setting in range), whose `fit` returns a
//! `Fitted…` model, the only type that can `predict` or `explain`. A prediction's explanation is
//! additive: its contributions and baseline sum to the model's output.
//!
//! Built so far:
//! - [`metrics`]: ROC AUC (ties count one half), log-loss, Brier score, reliability curve and
//!   expected calibration error, and the confusion counts with accuracy, precision, recall and F1
//!   at a threshold — each checked against scikit-learn (`tests/oracles.rs`).
//! - [`gbm`]: gradient-boosted trees (forust-ml) with exact Shapley contributions, missing
//!   values learned, JSON model files; on a [`FeatureMatrix`] of named columns.
//! - [`logistic`]: L2-regularized logistic regression fitted by Newton's method (iteratively
//!   reweighted least squares) with a step-halving line search, explained per prediction as
//!   coefficient × (value − training mean).
//!
//! - [`calibration`]: Platt scaling and isotonic regression, the better chosen on held-out halves.
//!
//! - `ensemble` (internal): both tree families' fitted trees copied into a layout for scoring —
//!   blocks of rows walked side by side, exact Shapley values in f64 (per-leaf tables for shallow
//!   trees, the TreeSHAP recursion for deep ones) — checked against forust-ml's own.
//! - [`forest`]: bagged trees (bootstrap rows, a share of the features per tree) grown by
//!   forust-ml; log-odds and Shapley contributions are the trees' means, so still exact.
//! - [`model`]: one interface over the families ([`model::Family`] → [`model::FittedModel`]) and
//!   their versioned JSON form; the linear one standardizes and fills missing values with training
//!   means.
//! - [`validation`]: stratified k-fold and time-ordered splits.
//!
//! Feature matrices from records, model selection and the registry live elsewhere
//! (`hindsight-learn` and `hindsight-store`): this crate knows numbers, not calls.
//!
//! Like the rest of the core, this crate does no I/O, reads no clock and draws no ambient
//! randomness: the same data and settings give the same model.
#![deny(missing_docs)]

pub mod calibration;
mod data;
mod ensemble;
mod error;
mod explain;
pub mod forest;
pub mod gbm;
pub mod logistic;
pub mod metrics;
pub mod model;
pub mod validation;

pub use data::FeatureMatrix;
pub use error::{MlError, Result};
pub use explain::{Explanation, global_importance};
pub use logistic::sigmoid;
