//! Conversion intelligence (conversion-intelligence.md): which leads, content, times and channel
//! sequences book meetings — learned per tenant from leads, activities and outcomes, by counting
//! and testing rather than by a model.
//!
//! Four detectors share one ranking rule ([`evidence`]): every rate carries its sample, Wilson
//! interval, beta-binomial shrunk rate, lift and a Holm-corrected test against the rest of its
//! family, and categories below the minimum sample are not ranked.
//!
//! - [`detect_who`]: titles, industries, company sizes, timing signals; lead-score weights by
//!   constrained logistic fit (SLSQP).
//! - [`detect_what`]: subject patterns, pain points, calls to action, angles, length,
//!   personalization.
//! - [`detect_when`]: send days and hours, converting touch, gaps, time to conversion.
//! - [`detect_how`]: booking channel, first touch, multi-channel lift, sequences, channel by tier.
//!
//! [`learn_patterns`] runs all four and wraps each in a [`Pattern`] envelope (the spec's JSON,
//! versioned, with `computed_at` and `valid_until`). Around them: [`LeadScorer`] applies learned
//! weights (defaults until there are enough outcomes), [`check_health`] flags weak or shifting
//! patterns, [`pattern_context`] renders the text campaign generation reads, and
//! [`success_metrics`] measures the spec's §8 targets.

mod context;
pub mod evidence;
mod health;
mod how;
mod journeys;
mod metrics;
mod scorer;
mod what;
mod when;
mod who;

use chrono::{DateTime, Duration, Utc};
use hindsight_model::{Activity, Lead};
use serde::{Deserialize, Serialize};

pub use context::{PatternContext, pattern_context};
pub use evidence::{EvidenceParams, FlagLift, RateEvidence};
pub use health::{HealthWarning, check_health};
pub use how::{ChannelRate, HowPatterns, SequenceRank, detect_how};
pub use journeys::{Journey, journeys};
pub use metrics::{MeasuredRate, SuccessMetrics, WeightConvergence, success_metrics, weight_convergence};
pub use scorer::{LeadScorer, WeightSource};
pub use what::{
    AngleRank, Angles, ContentKeywords, CtaRank, Ctas, ExtractedContent, KeywordMatcher, LengthOptimum, PainPointRank,
    PainPoints, Personalization, PersonalizationRank, SubjectPatterns, SubjectRank, WhatPatterns, detect_what,
    normalize_subject,
};
pub use when::{ConversionTiming, DayRank, GapRank, HourRank, TouchRank, WhenPatterns, detect_when};
pub use who::{
    IndustryRank, SIZE_RANGES, SizeAnalysis, SizeRange, TimingEvidence, TimingSignals, TitleRank, WeightFit,
    WhoPatterns, derive_weights, detect_who, lead_outcome, normalized_components, sample_confidence, size_range_of,
};

/// Version of the pattern JSON layout; stored with every pattern.
pub const PATTERN_SCHEMA_VERSION: &str = "1.0";

/// Settings of the detectors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConversionParams {
    /// Minimum sample, confidence and error rate of every ranking.
    pub evidence: EvidenceParams,
    /// WHO needs at least this many leads with an outcome (the spec's `MIN_SAMPLES_TOTAL`).
    pub min_outcomes: usize,
    /// Every detector needs at least this many conversions.
    pub min_conversions: usize,
    /// L2 penalty of the weight fit.
    pub weight_l2: f64,
    /// Days a computed pattern stays valid (the detectors run weekly).
    pub valid_for_days: i64,
    /// Keyword lists for content that is not labelled.
    pub keywords: ContentKeywords,
}

impl Default for ConversionParams {
    fn default() -> Self {
        ConversionParams {
            evidence: EvidenceParams::default(),
            min_outcomes: 30,
            min_conversions: 10,
            weight_l2: 0.01,
            valid_for_days: 7,
            keywords: ContentKeywords::default(),
        }
    }
}

/// The four kinds of pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PatternType {
    /// Lead attributes.
    Who,
    /// Content.
    What,
    /// Timing.
    When,
    /// Channels.
    How,
}

impl PatternType {
    /// All four, in the spec's order.
    pub const ALL: [PatternType; 4] = [PatternType::Who, PatternType::What, PatternType::When, PatternType::How];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            PatternType::Who => "who",
            PatternType::What => "what",
            PatternType::When => "when",
            PatternType::How => "how",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<PatternType> {
        PatternType::ALL.into_iter().find(|kind| kind.as_str() == name)
    }
}

/// What every pattern body reports about itself.
pub trait PatternBody {
    /// Which pattern this is.
    const TYPE: PatternType;
    /// The outcomes it rests on.
    fn sample_size(&self) -> usize;
    /// The spec's confidence, 0–1.
    fn confidence(&self) -> f64;
}

macro_rules! pattern_body {
    ($body:ty, $kind:expr) => {
        impl PatternBody for $body {
            const TYPE: PatternType = $kind;
            fn sample_size(&self) -> usize {
                self.sample_size
            }
            fn confidence(&self) -> f64 {
                self.confidence
            }
        }
    };
}
pattern_body!(WhoPatterns, PatternType::Who);
pattern_body!(WhatPatterns, PatternType::What);
pattern_body!(WhenPatterns, PatternType::When);
pattern_body!(HowPatterns, PatternType::How);

/// A pattern as stored and served: the spec's envelope around a detector's body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pattern<T> {
    /// `who`, `what`, `when` or `how`.
    #[serde(rename = "type")]
    pub pattern_type: PatternType,
    /// [`PATTERN_SCHEMA_VERSION`] when computed.
    pub version: String,
    /// When the detector ran.
    pub computed_at: DateTime<Utc>,
    /// When it should be recomputed.
    pub valid_until: DateTime<Utc>,
    /// The detector's findings.
    #[serde(flatten)]
    pub body: T,
}

impl<T: PatternBody> Pattern<T> {
    fn wrap(body: T, now: DateTime<Utc>, params: &ConversionParams) -> Pattern<T> {
        Pattern {
            pattern_type: T::TYPE,
            version: PATTERN_SCHEMA_VERSION.to_string(),
            computed_at: now,
            valid_until: now + Duration::days(params.valid_for_days),
            body,
        }
    }
}

/// Patterns of a tenant; any may be missing (never computed, or not readable).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PatternSet {
    /// Lead attributes.
    pub who: Option<Pattern<WhoPatterns>>,
    /// Content.
    pub what: Option<Pattern<WhatPatterns>>,
    /// Timing.
    pub when: Option<Pattern<WhenPatterns>>,
    /// Channels.
    pub how: Option<Pattern<HowPatterns>>,
}

/// Runs the four detectors over a tenant's leads and activities (activities carrying
/// `led_to_booking` as the store derives it); `now` stamps `computed_at`.
pub fn learn_patterns(
    leads: &[Lead],
    activities: &[Activity],
    params: &ConversionParams,
    now: DateTime<Utc>,
) -> PatternSet {
    let journeys = journeys(leads, activities);
    let ((who, what), (when, how)) = rayon::join(
        || (detect_who(leads, params), detect_what(&journeys, params)),
        || (detect_when(&journeys, params), detect_how(&journeys, params)),
    );
    PatternSet {
        who: Some(Pattern::wrap(who, now, params)),
        what: Some(Pattern::wrap(what, now, params)),
        when: Some(Pattern::wrap(when, now, params)),
        how: Some(Pattern::wrap(how, now, params)),
    }
}
