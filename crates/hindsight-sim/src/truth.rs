//! `truth.json`: the effects a simulation planted, machine-readable, so learners can be scored on
//! recall (did they find what is there?) and false discovery (did they find what is not?).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::SimConfig;

/// A named effect on the log-odds scale, at this run's strength.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Effect {
    /// What has the effect (a title, an hour, a phrase…).
    pub name: String,
    /// Log-odds shift in this run (0 when the family's strength is 0).
    pub effect: f64,
}

/// Observed counts: how many had the chance, how many succeeded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    /// Leads, touches or calls in the category.
    pub n: u64,
    /// Of those, how many converted (booked, showed up…).
    pub successes: u64,
}

impl Tally {
    /// Counts one trial.
    pub fn add(&mut self, success: bool) {
        self.n += 1;
        self.successes += u64::from(success);
    }
}

/// Tallies by family, then by category (`"title" → "CEO" → Tally`).
pub type Realized = BTreeMap<String, BTreeMap<String, Tally>>;

/// A planted phrase.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhraseTruth {
    /// Stage whose agent turns carry the phrase.
    pub stage: String,
    /// The words, lowercase.
    pub phrase: String,
    /// Log-odds shift on booking.
    pub effect: f64,
    /// `winning`, `losing` or `confounded` (no effect of its own; said more to better leads).
    pub role: String,
}

/// An objection type and what each response strategy does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectionTruth {
    /// `price`, `timing`, `authority`, `need`, `competitor` or `trust`.
    pub objection_type: String,
    /// The strategy with the largest effect, or `None` when objection effects are off.
    pub best_response: Option<String>,
    /// Every strategy's effect on booking.
    pub responses: Vec<Effect>,
}

/// Structural effects on booking and show-up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StructureTruth {
    /// Per question the agent asks in qualification, up to the cap.
    pub question_effect_per_question: f64,
    /// Questions past this count add nothing.
    pub question_effect_cap: u32,
    /// Per verbosity level (0–2): longer agent monologues, higher agent talk ratio.
    pub verbosity_effect_per_level: f64,
    /// On show-up, per confirmation repetition (0–3).
    pub confirmation_effect_per_repetition: f64,
    /// The sign a learner should find, per structural measure, comparing booked with not booked
    /// (`+`, `-`, or `0` when the family is off).
    pub expected_signs: BTreeMap<String, String>,
}

/// Show-up drivers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShowUpTruth {
    /// Log-odds of showing up with every driver at its reference value.
    pub base_logit: f64,
    /// Shift when the person used strong commitment language.
    pub strong_commitment_effect: f64,
    /// Shift when the person used weak commitment language.
    pub weak_commitment_effect: f64,
    /// Shift per confirmation repetition.
    pub confirmation_effect_per_repetition: f64,
    /// Shift per day between call and appointment (centred on 5 days).
    pub days_to_appointment_effect_per_day: f64,
}

/// The planted week-over-week regression.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeclineTruth {
    /// ISO week of the decline (`2026-W06`).
    pub iso_week: String,
    /// The script version that causes it.
    pub script_version: String,
    /// The stage where calls are lost.
    pub stage: String,
    /// Share of that week's calls running the script.
    pub share_of_calls: f64,
    /// Added chance of dropping in the stage (0 when off).
    pub extra_drop_hazard: f64,
}

/// The planted experiment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExperimentTruth {
    /// Name of the experiment.
    pub name: String,
    /// Control variant.
    pub control: String,
    /// Treatment variant.
    pub treatment: String,
    /// Treatment's booking log-odds lift.
    pub booking_logit_lift: f64,
}

/// Compliance lapses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComplianceTruth {
    /// The rule broken.
    pub rule: String,
    /// Lapse rate for every agent.
    pub base_rate: f64,
    /// The agent with extra lapses.
    pub agent: String,
    /// That agent's extra lapse rate (0 when off).
    pub agent_extra_rate: f64,
}

/// Everything about calls.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallTruth {
    /// Booking log-odds of a completed call before effects.
    pub booking_base_logit: f64,
    /// Planted phrases.
    pub phrases: Vec<PhraseTruth>,
    /// Structural effects.
    pub structure: StructureTruth,
    /// Objection handling.
    pub objections: Vec<ObjectionTruth>,
    /// Per-stage drop hazards (before the decline).
    pub drop_hazards: Vec<Effect>,
    /// Share of calls that fail technically.
    pub technical_failure_rate: f64,
    /// Share of calls escalated.
    pub escalation_rate: f64,
    /// Share of escalations per reason.
    pub escalation_reasons: Vec<Effect>,
    /// Compliance lapses.
    pub compliance: ComplianceTruth,
    /// Show-up drivers.
    pub show_up: ShowUpTruth,
    /// Week-over-week decline.
    pub decline: DeclineTruth,
    /// The experiment.
    pub experiment: ExperimentTruth,
    /// How much of a lead's fit (log-odds) carries over to a call with that lead.
    pub lead_fit_on_calls: f64,
    /// Observed tallies: `status` (share of calls), `booked_by_variant`, `showed_up_by_commitment`…
    pub realized: Realized,
}

/// Lead fit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadTruth {
    /// Effect per title.
    pub titles: Vec<Effect>,
    /// The title with the largest effect (`None` when lead-fit effects are off).
    pub best_title: Option<String>,
    /// Effect per industry.
    pub industries: Vec<Effect>,
    /// The best industry.
    pub best_industry: Option<String>,
    /// Effect per company-size range (`16-30`).
    pub size_ranges: Vec<Effect>,
    /// The best size range.
    pub sweet_spot: Option<String>,
    /// Effect per timing signal (`new_role`, `hiring`, `funded`).
    pub timing_signals: Vec<Effect>,
    /// Log-odds of the voice-AI-fit label (`attributes.voice_ai_fit` of every lead someone
    /// talked to: not new, not bounced) before use case and size.
    pub voice_ai_fit_base: f64,
    /// The effect on that label of each use case the lead's description states.
    pub voice_ai_use_cases: Vec<Effect>,
    /// Voice-AI fit per step up the size ranges.
    pub voice_ai_fit_per_size_step: f64,
    /// Observed conversion tallies by `title`, `industry`, `size_range`, `new_role`, …
    pub realized: Realized,
}

/// Outreach: when, through what, and with which words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutreachTruth {
    /// Per weekday (`Mon`…`Sun`).
    pub days: Vec<Effect>,
    /// Best weekday.
    pub best_day: Option<String>,
    /// Per send hour (`8`…`18`).
    pub hours: Vec<Effect>,
    /// Best hour.
    pub best_hour: Option<u32>,
    /// Per touch position (`1`…`4`).
    pub touch_positions: Vec<Effect>,
    /// Best touch position.
    pub best_touch: Option<u32>,
    /// Per gap in days since the previous touch.
    pub gaps: Vec<Effect>,
    /// Best gap in days.
    pub best_gap_days: Option<i64>,
    /// Per-touch channel effects.
    pub channels: Vec<Effect>,
    /// Per sequence (`email>linkedin>email>sms`): total effect over four touches.
    pub sequences: Vec<Effect>,
    /// Best sequence.
    pub best_sequence: Option<String>,
    /// Extra effect of voice touches on tier-A leads.
    pub voice_tier_a_bonus: f64,
    /// Per subject template.
    pub subjects: Vec<Effect>,
    /// Best subject template.
    pub best_subject: Option<String>,
    /// Per pain point.
    pub pain_points: Vec<Effect>,
    /// Best pain point.
    pub best_pain_point: Option<String>,
    /// Per CTA.
    pub ctas: Vec<Effect>,
    /// Best CTA.
    pub best_cta: Option<String>,
    /// Per angle.
    pub angles: Vec<Effect>,
    /// Best angle.
    pub best_angle: Option<String>,
    /// Optimal word counts per channel: `email` → `50-100`.
    pub length_bands: BTreeMap<String, String>,
    /// Effect inside the band / beyond twice its top.
    pub length_effects: [f64; 2],
    /// Per personalization level.
    pub personalization_effect_per_level: f64,
    /// Observed per-touch tallies by `day`, `hour`, `touch`, `gap`, `sequence` (per lead),
    /// `subject`, `pain_point`, `cta`, `angle`, `booking_channel`.
    pub realized: Realized,
}

/// One piece of personal data said in a call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PiiPlant {
    /// The call.
    pub call_id: String,
    /// Index of the turn in the call.
    pub turn: usize,
    /// `person`, `phone`, `phone_spoken`, `email`, `card`, `ssn`, `street_address`.
    pub kind: String,
    /// The text exactly as it appears in the turn.
    pub value: String,
}

/// The whole truth file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Truth {
    /// Version of this file's layout.
    pub schema_version: u32,
    /// The configuration that produced the data (seed, sizes, strengths).
    pub config: SimConfig,
    /// Calls.
    pub calls: CallTruth,
    /// Lead fit.
    pub leads: LeadTruth,
    /// Outreach.
    pub outreach: OutreachTruth,
    /// Every PII value planted.
    pub pii: Vec<PiiPlant>,
}

/// The name with the largest effect, when any effect is non-zero.
pub fn best_of(effects: &[Effect]) -> Option<String> {
    if effects.iter().all(|effect| effect.effect == 0.0) {
        return None;
    }
    effects.iter().max_by(|a, b| a.effect.total_cmp(&b.effect)).map(|effect| effect.name.clone())
}

/// Scales a `(name, base effect)` table into effects.
pub fn scaled(table: &[(&str, f64)], strength: f64) -> Vec<Effect> {
    table.iter().map(|(name, effect)| Effect { name: (*name).to_string(), effect: effect * strength }).collect()
}
