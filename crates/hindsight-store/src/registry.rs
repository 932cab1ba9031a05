//! What the model registry stores: immutable model versions and the history of their aliases.
//!
//! The store does not know what a model is: a version is a name, a number the store assigns
//! (1, 2, … per tenant and name, never reused), a creation time, a JSON *card* describing it and
//! an opaque *artifact* (the fitted model as text). Aliases (`champion`, `challenger`, any name)
//! point at versions; every change is appended to a history, never overwritten, so who pointed
//! where and why can always be read back.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

/// A model version to register.
#[derive(Debug, Clone, PartialEq)]
pub struct NewModelVersion {
    /// The model's name (`showed_up`, `booked`, …).
    pub name: String,
    /// When it was trained.
    pub created_at: DateTime<Utc>,
    /// What lists and `show` print: metrics, features, training window, data hash.
    pub card: serde_json::Value,
    /// The fitted model, as its own serialized form.
    pub artifact: String,
}

/// A registered model version (without its artifact).
#[derive(Debug, Clone, PartialEq)]
pub struct ModelVersion {
    /// The model's name.
    pub name: String,
    /// Assigned at registration: one more than the name's newest version.
    pub version: u32,
    /// When it was trained.
    pub created_at: DateTime<Utc>,
    /// Its card.
    pub card: serde_json::Value,
}

/// One change of an alias.
#[derive(Debug, Clone, PartialEq)]
pub struct AliasChange {
    /// The model's name.
    pub name: String,
    /// The alias (`champion`, `challenger`, …).
    pub alias: String,
    /// The version it points at from this change on.
    pub version: u32,
    /// The version it pointed at before, if any.
    pub previous_version: Option<u32>,
    /// When.
    pub at: DateTime<Utc>,
    /// Why (`promoted`, `rolled back`, …).
    pub reason: String,
}

/// Where each alias of a model points now, from its history (each alias's changes oldest first,
/// as [`crate::Store::model_alias_history`] returns them).
pub fn current_aliases(history: &[AliasChange]) -> BTreeMap<String, u32> {
    history.iter().map(|change| (change.alias.clone(), change.version)).collect()
}
