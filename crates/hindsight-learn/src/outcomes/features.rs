//! Call features for outcome models: what the call and its lead tell before the outcome is known.
//!
//! Rows are the calls whose target is known (for show-up: booked calls whose attendance is
//! known), in time order. Features come from the transcript analysis (talk balance, questions,
//! objections, commitment heard, confirmations, personalization, stages reached), the call's time
//! (hour and weekday on the circle, so 23:00 sits beside 00:00), what is fixed at booking (days to
//! the appointment and its hour and weekday, for show-up), the lead (score, size, timing flags,
//! industry, funding stage, tier) and every custom attribute of the call and the lead: numbers and
//! booleans as they are, strings one-hot per value when they have few values, dropped with a note
//! when they have many. Categories seen in fewer than `min_category_rows` rows pool into `other`.
//!
//! Leakage guard: nothing recorded after the outcome (confirmed, showed up, converted, revenue,
//! referrals, feedback) is a feature; for `booked`, the transcript is read only up to the
//! prospect's decision (the read-back of a booked slot would otherwise give it away); a custom
//! attribute whose name says it is an outcome is refused with a note; any feature that alone
//! separates the outcome almost perfectly (AUC > 0.95) is named in a warning.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Datelike, Timelike, Utc};
use hindsight_ml::FeatureMatrix;
use hindsight_ml::metrics::roc_auc;
use hindsight_model::{AttributeValue, Attributes, Call, Lead, Outcome, Turn, VOICE_AI_FIT_ATTRIBUTE};
use hindsight_text::BantDimension;
use hindsight_text::conversation::{CallContext, TextParams, TranscriptAnalysis, TranscriptAnalyzer};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::call_context::call_context;
use crate::outcomes::lead_features::{CALLS_COUNT_COLUMN, CallsByLead, raw_lead_row};

/// What a model predicts about a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeTarget {
    /// A booked appointment happened (rows: booked calls).
    ShowedUp,
    /// The call booked an appointment (rows: every call with booking known).
    Booked,
    /// The person became a customer (rows: calls whose conversion is known).
    Converted,
    /// The lead progressed to a meeting (lead-level; rows: leads that converted, or ended dead,
    /// not interested or unsubscribed — not bounced ones, which never had the chance).
    Progressed,
    /// The lead is a strong voice-AI prospect (lead-level; rows: leads whose custom attribute
    /// [`VOICE_AI_FIT_ATTRIBUTE`](hindsight_model::VOICE_AI_FIT_ATTRIBUTE) says yes or no — the judgment of whoever talked to them).
    VoiceAiFit,
}

impl OutcomeTarget {
    /// `showed_up`, `booked`, `converted`, `progressed`, `voice_ai_fit`.
    pub fn as_str(self) -> &'static str {
        match self {
            OutcomeTarget::ShowedUp => "showed_up",
            OutcomeTarget::Booked => "booked",
            OutcomeTarget::Converted => "converted",
            OutcomeTarget::Progressed => "progressed",
            OutcomeTarget::VoiceAiFit => "voice_ai_fit",
        }
    }

    /// Whether rows are leads rather than calls.
    pub fn is_lead_level(self) -> bool {
        matches!(self, OutcomeTarget::Progressed | OutcomeTarget::VoiceAiFit)
    }

    /// The label of a call, when it belongs to the target's rows.
    pub fn label(self, outcome: &Outcome) -> Option<bool> {
        match self {
            OutcomeTarget::ShowedUp => (outcome.booked == Some(true)).then_some(outcome.showed_up).flatten(),
            OutcomeTarget::Booked => outcome.booked,
            OutcomeTarget::Converted => outcome.converted,
            OutcomeTarget::Progressed | OutcomeTarget::VoiceAiFit => None,
        }
    }
}

/// Settings of the feature builder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FeatureParams {
    /// Rows a category needs to get its own column; rarer ones pool into `other`.
    pub min_category_rows: usize,
    /// Most distinct values a string attribute may have to be one-hot encoded.
    pub max_categories: usize,
    /// Transcript analysis settings.
    pub text: TextParams,
}

impl Default for FeatureParams {
    fn default() -> Self {
        FeatureParams { min_category_rows: 20, max_categories: 20, text: TextParams::default() }
    }
}

/// A target's rows as a feature matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureTable {
    /// The target.
    pub target: OutcomeTarget,
    /// How the columns were made: what a model keeps to build the same columns when scoring.
    pub schema: FeatureSchema,
    /// One row per call, in time order.
    pub matrix: FeatureMatrix,
    /// The outcome of each row.
    pub labels: Vec<bool>,
    /// The record (call, or lead for lead-level targets) of each row.
    pub row_ids: Vec<String>,
    /// When each row's record happened (a call's start, a lead's creation): the time order.
    pub started_at: Vec<DateTime<Utc>>,
    /// What was dropped or looks suspicious, for the user.
    pub notes: Vec<String>,
}

/// Attribute names that would state the outcome itself.
/// ("revenue" is not among them: a company's annual revenue is a firmographic, not an outcome.)
const OUTCOME_WORDS: &[&str] = &[
    "showed_up",
    "show_up",
    "no_show",
    "attended",
    "confirmed",
    "converted",
    "booked",
    "outcome",
    VOICE_AI_FIT_ATTRIBUTE,
];

fn circle(value: f64, period: f64) -> (f64, f64) {
    let angle = value / period * std::f64::consts::TAU;
    (angle.sin(), angle.cos())
}

fn flag(value: Option<bool>) -> f64 {
    value.map_or(f64::NAN, |value| f64::from(u8::from(value)))
}

/// One row before categories are encoded: numbers by name, and categorical values by name.
#[derive(Default)]
pub(crate) struct RawRow {
    pub(crate) numbers: Vec<(String, f64)>,
    pub(crate) categories: Vec<(String, String)>,
}

fn add_time(row: &mut RawRow, prefix: &str, at: &DateTime<Utc>) {
    let (hour_sin, hour_cos) = circle(f64::from(at.hour()) + f64::from(at.minute()) / 60.0, 24.0);
    let (day_sin, day_cos) = circle(f64::from(at.weekday().num_days_from_monday()), 7.0);
    for (name, value) in
        [("hour_sin", hour_sin), ("hour_cos", hour_cos), ("weekday_sin", day_sin), ("weekday_cos", day_cos)]
    {
        row.numbers.push((format!("{prefix}_{name}"), value));
    }
}

pub(crate) fn add_attributes(row: &mut RawRow, prefix: &str, attributes: &Attributes) {
    for (name, value) in attributes {
        let column = format!("{prefix}.{name}");
        match value {
            AttributeValue::Number(number) if number.is_finite() => row.numbers.push((column, *number)),
            AttributeValue::Bool(value) => row.numbers.push((column, f64::from(u8::from(*value)))),
            AttributeValue::String(text) => row.categories.push((column, text.clone())),
            _ => {}
        }
    }
}

/// The analysis of `turns` up to the prospect's decision, and how many turns that is. Whether a
/// call books is decided at the prospect's answer; what follows it (the slot, the read-back, the
/// goodbye) is the outcome talking, so features that predict the outcome stop there.
pub(crate) fn analyze_to_decision(
    analyzer: &TranscriptAnalyzer,
    turns: &[Turn],
    context: &CallContext,
) -> (TranscriptAnalysis, usize) {
    let (analysis, _) = analyzer.analyze(turns, context);
    match analysis.decision_turn {
        Some(decision) => (analyzer.analyze(&turns[..decision], context).0, decision),
        None => (analysis, turns.len()),
    }
}

fn raw_row(call: &Call, lead: Option<&Lead>, target: OutcomeTarget, analyzer: &TranscriptAnalyzer) -> RawRow {
    let context = call_context(lead);
    let analysis = match target {
        OutcomeTarget::Booked => analyze_to_decision(analyzer, &call.turns, &context).0,
        _ => analyzer.analyze(&call.turns, &context).0,
    };
    let mut row = RawRow::default();
    let answered = analysis.objections.iter().filter(|objection| objection.response_time_s.is_some()).count();
    for (name, value) in [
        ("duration_s", analysis.duration_s),
        ("agent_talk_ratio", analysis.talk_ratio.unwrap_or(f64::NAN)),
        ("agent_questions", f64::from(analysis.agent.questions)),
        ("user_questions", f64::from(analysis.user.questions)),
        ("agent_words_per_minute", analysis.agent.words_per_minute.unwrap_or(f64::NAN)),
        ("agent_interruptions", f64::from(analysis.agent.interruptions)),
        ("user_interruptions", f64::from(analysis.user.interruptions)),
        ("patience_s", analysis.patience_s.unwrap_or(f64::NAN)),
        ("longest_agent_monologue_s", analysis.agent.longest_run_s),
        ("objections", analysis.objections.len() as f64),
        ("objections_answered", answered as f64),
        ("enthusiasm_markers", f64::from(analysis.enthusiasm_markers)),
        ("personalization_count", f64::from(analysis.personalization_count)),
        ("confirmation_repetitions", f64::from(analysis.confirmation_repetitions)),
        ("commitment_strong", f64::from(analysis.commitment_strong)),
        ("commitment_weak", f64::from(analysis.commitment_weak)),
        ("commitment_score", analysis.commitment_score.unwrap_or(f64::NAN)),
        ("stages_reached", analysis.stages_reached() as f64),
        ("bant_covered", f64::from(analysis.bant.covered())),
    ] {
        row.numbers.push((name.to_string(), value));
    }
    for dimension in BantDimension::ALL {
        row.numbers.push((format!("bant_{}", dimension.as_str()), f64::from(analysis.bant.turns(dimension))));
    }
    add_time(&mut row, "call", &call.started_at);
    if target == OutcomeTarget::ShowedUp {
        // Fixed when the appointment was booked, so known before anyone shows up.
        row.numbers.push(("days_to_appointment".into(), call.outcome.days_to_appointment.unwrap_or(f64::NAN)));
        if let Some(at) = &call.outcome.appointment_at {
            add_time(&mut row, "appointment", at);
        }
    }
    row.categories.push(("agent".into(), call.agent.clone()));
    row.categories.push(("script_version".into(), call.script_version.clone()));
    if let Some(lead) = lead {
        add_lead(&mut row, lead);
    }
    add_attributes(&mut row, "call", &call.attributes);
    row
}

/// How records become columns: the numeric features and the category levels seen in training,
/// in column order. Kept with a model, so scoring builds exactly the columns it was trained on: a
/// level unseen in training counts as `other` (or as no level, when training had no `other`), and
/// a number missing from a record is missing to the model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureSchema {
    /// The target the rows were built for (it decides where the transcript is cut).
    pub target: OutcomeTarget,
    /// The builder's settings.
    pub params: FeatureParams,
    /// Numeric columns, first.
    pub numeric: Vec<String>,
    /// One-hot columns as (feature, level), after the numeric ones.
    pub categories: Vec<(String, String)>,
}

impl FeatureSchema {
    /// Column names: numeric ones, then `feature=level`.
    pub fn names(&self) -> Vec<String> {
        self.numeric
            .iter()
            .cloned()
            .chain(self.categories.iter().map(|(name, value)| format!("{name}={value}")))
            .collect()
    }

    /// Whether rows in this schema read their leads' calls (a lead-level model trained where
    /// leads had calls): without it, scoring need not load any call.
    pub fn reads_lead_calls(&self) -> bool {
        self.numeric.iter().any(|name| name == CALLS_COUNT_COLUMN)
    }

    /// The columns of `leads` (for a lead-level target), with what their `calls` said, as a
    /// matrix in this schema.
    pub fn encode_leads(&self, leads: &[&Lead], calls: &CallsByLead<'_>) -> FeatureMatrix {
        let analyzer = TranscriptAnalyzer::new(&self.params.text);
        let encoder = Encoder::new(self);
        let rows: Vec<Vec<f64>> = leads
            .par_iter()
            .map(|lead| encoder.encode(&raw_lead_row(lead, calls, lead.converted_at, &analyzer)))
            .collect();
        FeatureMatrix::from_rows(self.names(), &rows).expect("every row is as wide as the names and finite or NaN")
    }

    /// The columns of `calls`, each with its lead when known, as a matrix in this schema.
    pub fn encode_calls(&self, calls: &[(&Call, Option<&Lead>)]) -> FeatureMatrix {
        let analyzer = TranscriptAnalyzer::new(&self.params.text);
        let encoder = Encoder::new(self);
        let rows: Vec<Vec<f64>> = calls
            .par_iter()
            .map(|(call, lead)| encoder.encode(&raw_row(call, *lead, self.target, &analyzer)))
            .collect();
        FeatureMatrix::from_rows(self.names(), &rows).expect("every row is as wide as the names and finite or NaN")
    }

    /// Learns the columns from the training rows, with notes on what was refused or dropped.
    fn learn(target: OutcomeTarget, params: &FeatureParams, raw: &[RawRow]) -> (FeatureSchema, Vec<String>) {
        let mut notes = Vec::new();
        // Columns: every numeric name seen, then each category level common enough.
        let mut numeric: BTreeSet<String> = BTreeSet::new();
        let mut levels: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        for row in raw {
            numeric.extend(row.numbers.iter().map(|(name, _)| name.clone()));
            for (name, value) in &row.categories {
                *levels.entry(name.clone()).or_default().entry(value.clone()).or_default() += 1;
            }
        }
        let refused = |name: &str| {
            let lower = name.to_lowercase();
            (name.starts_with("lead.") || name.starts_with("call."))
                && OUTCOME_WORDS.iter().any(|word| lower.contains(word))
        };
        for name in numeric.iter().chain(levels.keys()).filter(|name| refused(name)) {
            notes.push(format!("{name}: refused, its name says it records an outcome (leakage guard)"));
        }
        numeric.retain(|name| !refused(name));
        levels.retain(|name, _| !refused(name));
        let mut categories: Vec<(String, String)> = Vec::new();
        for (name, counts) in &levels {
            if counts.len() > params.max_categories && (name.starts_with("lead.") || name.starts_with("call.")) {
                notes.push(format!(
                    "{name}: dropped, {} distinct values (more than {})",
                    counts.len(),
                    params.max_categories
                ));
                continue;
            }
            let mut pooled = false;
            for (value, &count) in counts {
                if count >= params.min_category_rows {
                    categories.push((name.clone(), value.clone()));
                } else {
                    pooled = true;
                }
            }
            if pooled {
                categories.push((name.clone(), "other".into()));
            }
        }
        let schema =
            FeatureSchema { target, params: params.clone(), numeric: numeric.into_iter().collect(), categories };
        (schema, notes)
    }
}

/// A schema's column positions, looked up once per matrix instead of once per value.
struct Encoder<'a> {
    width: usize,
    numeric_columns: usize,
    numeric_position: HashMap<&'a str, usize>,
    category_position: HashMap<(&'a str, &'a str), usize>,
}

impl<'a> Encoder<'a> {
    fn new(schema: &'a FeatureSchema) -> Encoder<'a> {
        let numeric_columns = schema.numeric.len();
        Encoder {
            width: numeric_columns + schema.categories.len(),
            numeric_columns,
            numeric_position: schema.numeric.iter().enumerate().map(|(at, name)| (name.as_str(), at)).collect(),
            category_position: schema
                .categories
                .iter()
                .enumerate()
                .map(|(at, (name, value))| ((name.as_str(), value.as_str()), numeric_columns + at))
                .collect(),
        }
    }

    fn encode(&self, row: &RawRow) -> Vec<f64> {
        let mut values = vec![f64::NAN; self.numeric_columns];
        values.resize(self.width, 0.0);
        for (name, value) in &row.numbers {
            if let Some(&position) = self.numeric_position.get(name.as_str()) {
                // An infinite value (a ratio over zero time) is as good as unknown.
                values[position] = if value.is_finite() { *value } else { f64::NAN };
            }
        }
        for (name, value) in &row.categories {
            let position = self
                .category_position
                .get(&(name.as_str(), value.as_str()))
                .or_else(|| self.category_position.get(&(name.as_str(), "other")));
            if let Some(&position) = position {
                values[position] = 1.0;
            }
        }
        values
    }
}

/// What a lead record tells: its score, size, timing flags, firmographic categories, custom
/// attributes.
pub(crate) fn add_lead(row: &mut RawRow, lead: &Lead) {
    row.numbers.push(("lead_score".into(), lead.score.as_ref().and_then(|score| score.score).unwrap_or(f64::NAN)));
    row.numbers
        .push(("log_employee_count".into(), lead.employee_count.map_or(f64::NAN, |count| f64::from(count).ln_1p())));
    row.numbers.push(("is_new_role".into(), flag(lead.is_new_role)));
    row.numbers.push(("is_hiring".into(), flag(lead.is_hiring)));
    row.numbers.push(("recently_funded".into(), flag(lead.recently_funded)));
    for (name, value) in [("industry", &lead.industry), ("funding_stage", &lead.funding_stage), ("tier", &lead.tier)] {
        if let Some(value) = value {
            row.categories.push((format!("lead_{name}"), value.clone()));
        }
    }
    add_attributes(row, "lead", &lead.attributes);
}

/// Builds the feature table of `target` from `calls` (outcome events merged) and their `leads`.
pub fn call_feature_table(
    calls: &[Call],
    leads: &[Lead],
    target: OutcomeTarget,
    params: &FeatureParams,
) -> FeatureTable {
    let lead_by_id: HashMap<&str, &Lead> = leads.iter().map(|lead| (lead.id.as_str(), lead)).collect();
    let mut selected: Vec<(&Call, bool)> =
        calls.iter().filter_map(|call| target.label(&call.outcome).map(|label| (call, label))).collect();
    selected.sort_by(|a, b| a.0.started_at.cmp(&b.0.started_at).then_with(|| a.0.id.cmp(&b.0.id)));
    let analyzer = TranscriptAnalyzer::new(&params.text);
    let raw: Vec<RawRow> = selected
        .par_iter()
        .map(|(call, _)| {
            let lead = call.lead_id.as_deref().and_then(|id| lead_by_id.get(id).copied());
            raw_row(call, lead, target, &analyzer)
        })
        .collect();

    FeatureTable::from_raw(
        target,
        params,
        &raw,
        selected.iter().map(|(_, label)| *label).collect(),
        selected.iter().map(|(call, _)| call.id.clone()).collect(),
        selected.iter().map(|(call, _)| call.started_at).collect(),
    )
}

impl FeatureTable {
    /// The table of raw rows (each with its label, record id and time): learns the columns,
    /// encodes the rows, and adds the leakage warnings to the schema's notes.
    pub(crate) fn from_raw(
        target: OutcomeTarget,
        params: &FeatureParams,
        raw: &[RawRow],
        labels: Vec<bool>,
        row_ids: Vec<String>,
        started_at: Vec<DateTime<Utc>>,
    ) -> FeatureTable {
        let (schema, mut notes) = FeatureSchema::learn(target, params, raw);
        let rows: Vec<Vec<f64>> = {
            let encoder = Encoder::new(&schema);
            raw.iter().map(|row| encoder.encode(row)).collect()
        };
        let matrix = FeatureMatrix::from_rows(schema.names(), &rows)
            .expect("every row is as wide as the names and finite or NaN");
        notes.extend(leakage_warnings(&matrix, &labels));
        FeatureTable { target, schema, row_ids, started_at, matrix, labels, notes }
    }
}

/// Features that alone rank the outcome almost perfectly: likely recorded after it.
fn leakage_warnings(matrix: &FeatureMatrix, labels: &[bool]) -> Vec<String> {
    let mut warnings = Vec::new();
    for (feature, name) in matrix.names().iter().enumerate() {
        let column = &matrix.values()[feature * matrix.rows()..(feature + 1) * matrix.rows()];
        let (values, outcomes): (Vec<f64>, Vec<bool>) =
            column.iter().zip(labels).filter(|(value, _)| !value.is_nan()).map(|(v, l)| (*v, *l)).unzip();
        if let Ok(auc) = roc_auc(&outcomes, &values) {
            let separation = auc.max(1.0 - auc);
            if separation > 0.95 {
                warnings.push(format!(
                    "{name}: alone separates the outcome with AUC {separation:.3} - is it known before the outcome?"
                ));
            }
        }
    }
    warnings
}
