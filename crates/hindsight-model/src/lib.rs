//! The record vocabulary of hindsight.
//!
//! Everything hindsight learns from arrives as one of five record types:
//!
//! - [`Call`]: one voice-agent conversation with its [`Turn`]s, its [`CallStatus`] and its [`Outcome`];
//! - [`Lead`]: a person at a company, with firmographics, timing signals, a lifecycle [`LeadStatus`]
//!   and the lead-score snapshot ([`LeadScoreSnapshot`]) that was in force when it was scored;
//! - [`Activity`]: one outreach touch (email, LinkedIn, SMS, voice) with the content that was sent;
//! - [`OutcomeEvent`]: a fact learned later ("showed up on the 12th") that merges into a call's outcome
//!   or a lead's status, whether it arrives before or after the record it is about;
//! - [`Campaign`]: targets, deal value, compliance rules, script versions and the stage set.
//!
//! Leads, calls and activities carry [`Attributes`]: the user's own custom fields, kept as they came.
//!
//! Every type here is plain data with serde derives. Validation ([`Validate`]) returns *every*
//! [`Problem`] it finds, never just the first, so a user fixing a file sees all that is wrong at once.
//!
//! This crate must not know JSON wire quirks beyond serde derives, SQL or HTTP: the decoders that
//! turn messy input into these types, with located problems, live in `hindsight-ingest`.
#![deny(missing_docs)]

mod activity;
mod attributes;
mod call;
mod campaign;
mod error_kind;
mod facts;
mod lead;
mod outcome;
mod problem;
mod record;
mod tag;
mod tenant;

pub use activity::{Activity, Channel, ContentSnapshot, mark_converting_touches};
pub use attributes::{AttributeValue, Attributes};
pub use call::{Call, CallStatus, Speaker, Stage, Turn};
pub use campaign::{Campaign, CampaignTargets};
pub use error_kind::ErrorKind;
pub use facts::CallFacts;
pub use lead::{AlsComponents, AlsWeights, Lead, LeadScoreSnapshot, LeadStatus, VOICE_AI_FIT_ATTRIBUTE};
pub use outcome::{Outcome, OutcomeEvent, merge_call_events};
pub use problem::{Problem, Validate};
pub use record::{Record, RecordKind, SCHEMA_VERSION};
pub use tag::{ActivityTag, CallTag, CampaignTag, LeadTag, OutcomeTag};
pub use tenant::{InvalidTenantId, TenantId};
