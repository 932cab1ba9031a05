//! The closed set of record types, for code that handles any of them.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::activity::Activity;
use crate::call::Call;
use crate::campaign::Campaign;
use crate::lead::Lead;
use crate::outcome::OutcomeEvent;
use crate::problem::{Problem, Validate};
use crate::tenant::TenantId;

/// The schema version of every persisted record. Bump it, and add a migration, when a stored
/// record's meaning changes.
pub const SCHEMA_VERSION: u32 = 1;

/// Which record type a line or row holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// [`Call`].
    Call,
    /// [`Lead`].
    Lead,
    /// [`Activity`].
    Activity,
    /// [`OutcomeEvent`].
    Outcome,
    /// [`Campaign`].
    Campaign,
}

impl RecordKind {
    /// Every kind, in the order reports list them.
    pub const ALL: [RecordKind; 5] =
        [RecordKind::Campaign, RecordKind::Lead, RecordKind::Call, RecordKind::Activity, RecordKind::Outcome];

    /// The wire name (the value of `"type"`).
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Call => "call",
            RecordKind::Lead => "lead",
            RecordKind::Activity => "activity",
            RecordKind::Outcome => "outcome",
            RecordKind::Campaign => "campaign",
        }
    }

    /// Parses a wire name (exactly as [`RecordKind::as_str`] writes it).
    pub fn parse(name: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|kind| kind.as_str() == name)
    }
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Any one record.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// A call.
    Call(Call),
    /// A lead.
    Lead(Lead),
    /// An activity.
    Activity(Activity),
    /// An outcome event.
    Outcome(OutcomeEvent),
    /// A campaign.
    Campaign(Campaign),
}

impl Record {
    /// The record's kind.
    pub fn kind(&self) -> RecordKind {
        match self {
            Record::Call(_) => RecordKind::Call,
            Record::Lead(_) => RecordKind::Lead,
            Record::Activity(_) => RecordKind::Activity,
            Record::Outcome(_) => RecordKind::Outcome,
            Record::Campaign(_) => RecordKind::Campaign,
        }
    }

    /// The record's id.
    pub fn id(&self) -> &str {
        match self {
            Record::Call(call) => &call.id,
            Record::Lead(lead) => &lead.id,
            Record::Activity(activity) => &activity.id,
            Record::Outcome(event) => &event.id,
            Record::Campaign(campaign) => &campaign.id,
        }
    }

    /// The tenant the record names, if it names one.
    pub fn tenant(&self) -> Option<&TenantId> {
        match self {
            Record::Call(call) => call.tenant.as_ref(),
            Record::Lead(lead) => lead.tenant.as_ref(),
            Record::Activity(activity) => activity.tenant.as_ref(),
            Record::Outcome(event) => event.tenant.as_ref(),
            Record::Campaign(campaign) => campaign.tenant.as_ref(),
        }
    }

    /// Sets the record's tenant.
    pub fn set_tenant(&mut self, tenant: TenantId) {
        let slot = match self {
            Record::Call(call) => &mut call.tenant,
            Record::Lead(lead) => &mut lead.tenant,
            Record::Activity(activity) => &mut activity.tenant,
            Record::Outcome(event) => &mut event.tenant,
            Record::Campaign(campaign) => &mut campaign.tenant,
        };
        *slot = Some(tenant);
    }
}

impl Validate for Record {
    fn validate(&self) -> Vec<Problem> {
        match self {
            Record::Call(call) => call.validate(),
            Record::Lead(lead) => lead.validate(),
            Record::Activity(activity) => activity.validate(),
            Record::Outcome(event) => event.validate(),
            Record::Campaign(campaign) => campaign.validate(),
        }
    }
}
