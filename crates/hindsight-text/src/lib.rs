//! Text analytics for hindsight's transcripts.
//!
//! Everything here is a pure function of its inputs: no I/O, no clock, no global state. The
//! pipeline, the `hindsight redact` command and the learners call the same code.
//!
//! What exists today:
//!
//! - [`pii`]: finding personal data in free text (emails, phone numbers written as digits or
//!   spoken as words, card numbers, SSNs, IBANs, IP addresses, street addresses, dates of birth,
//!   money amounts, person names) and replacing it with typed placeholders such as `[PHONE]`, or
//!   with tenant-keyed pseudonyms such as `[PHONE_5c1f09a2]` so "the same caller" still joins
//!   across calls without the number being kept. Detection fails closed where the issue asks it
//!   to: any run of 13–19 digits is redacted, whether or not it passes the card checksum.
//!
//! - [`tokens`]: Unicode-aware normalization, words, sentences and n-grams.
//! - [`conversation`]: per-call conversation metrics (talk ratio, monologues, interactivity,
//!   patience, pace, fillers, interruptions), questions and objections typed, objection responses
//!   timed and classified, enthusiasm, personalization, confirmations, commitment language, and
//!   stage segmentation from cue phrases when turns carry no stage label.
#![deny(missing_docs)]

pub mod conversation;
mod lexicon;
pub mod pii;
pub mod tokens;

pub use lexicon::{BantDimension, DEFAULT_STAGE_CUES, ObjectionKind};
