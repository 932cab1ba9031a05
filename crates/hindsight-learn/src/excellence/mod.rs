//! The Excellence Replicator (excellence-replicator.md, phases 1 and 2): what the best calls do
//! that the worst do not.
//!
//! [`analyze_excellence`] scores every call ([`excellence_score`]: outcome, commitment heard in
//! the call, time to the appointment, conversion, referrals), splits off the top and bottom
//! cohorts ([`cohorts`]), and mines the agent's phrases that differ between them per stage
//! ([`differentiators`]). Every transcript is redacted ([`hindsight_text::pii`]) before a word of it
//! is counted, and a phrase is kept only when at least `min_calls` distinct calls say it, so no
//! name, number or address can become a "pattern".
//!
//! Structure and behaviour ([`compare`]): each measure's median and quartiles in the top cohort
//! and in the rest, and the difference of means with a 95% interval.
//!
//! Not built yet: the confound control within lead-quality strata, and the Excellence report.

mod differentiators;
mod score;
mod structure;

use std::collections::BTreeMap;

use hindsight_model::{Call, CallStatus, Speaker};
use hindsight_text::conversation::{
    CallContext, Question, QuestionKind, TextParams, TranscriptAnalysis, TranscriptAnalyzer,
};
use hindsight_text::pii::PiiDetector;
use hindsight_text::tokens::{sentences, words};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

pub use differentiators::{
    Cohort, Differentiator, DifferentiatorParams, StageDifferentiators, differentiators, log_odds_z,
};
pub use score::{Cohorts, ExcellenceWeights, cohorts, excellence_score};
pub use structure::{Direction, MeasureComparison, Spread, compare, spread};

/// Settings of the excellence analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExcellenceParams {
    /// Points of the excellence score.
    pub weights: ExcellenceWeights,
    /// Share of calls in each of the top and bottom cohorts (0.1 = 10%).
    pub cohort_share: f64,
    /// Phrase mining.
    pub differentiators: DifferentiatorParams,
}

impl Default for ExcellenceParams {
    fn default() -> Self {
        ExcellenceParams {
            weights: ExcellenceWeights::default(),
            cohort_share: 0.1,
            differentiators: DifferentiatorParams::default(),
        }
    }
}

/// What the analysis found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExcellenceAnalysis {
    /// Calls analysed.
    pub calls: usize,
    /// Calls in each cohort.
    pub cohort_size: usize,
    /// Lowest score of the top cohort.
    pub top_threshold: f64,
    /// Highest score of the bottom cohort.
    pub bottom_threshold: f64,
    /// Mean score of all calls.
    pub mean_score: f64,
    /// Ids of the top cohort's calls, best first.
    pub top_call_ids: Vec<String>,
    /// Phrases per stage.
    pub differentiators: BTreeMap<String, StageDifferentiators>,
    /// Shape of the call, top cohort against every other call: duration, stage durations, agent
    /// talk ratio, agent questions, longest agent monologue, confirmation repetitions.
    pub structure: Vec<MeasureComparison>,
    /// Behaviour, top cohort against the rest: question types (share of the agent's questions),
    /// objection response time, silence before the agent answers, enthusiasm, personalization.
    pub behavior: Vec<MeasureComparison>,
    /// Transcript problems found, as (call id, field, reason), at most 1,000.
    pub transcript_problems: Vec<(String, String, String)>,
}

/// Scores `calls` (outcome events already merged), forms the cohorts and mines differentiators.
pub fn analyze_excellence(calls: &[Call], params: &ExcellenceParams) -> ExcellenceAnalysis {
    let detector = PiiDetector::new();
    let analyzer = TranscriptAnalyzer::new(&TextParams::default());
    // Calls are read independently, so across the cores; rayon keeps their order.
    let readings: Vec<CallReading> =
        calls.par_iter().map(|call| read_call(call, &detector, &analyzer, &params.weights)).collect();
    let mut scores = Vec::with_capacity(calls.len());
    let mut phrases = Vec::with_capacity(calls.len());
    let mut measures = Vec::with_capacity(calls.len());
    let mut stage_reach = Vec::with_capacity(calls.len());
    let mut transcript_problems = Vec::new();
    for (call, reading) in calls.iter().zip(readings) {
        for problem in reading.problems.into_iter().take(1_000usize.saturating_sub(transcript_problems.len())) {
            transcript_problems.push((call.id.clone(), problem.field, problem.reason));
        }
        scores.push(reading.score);
        phrases.push(reading.phrases);
        measures.push(reading.measures);
        stage_reach.push(reading.passed);
    }
    let overall = cohorts(&scores, params.cohort_share);
    let stage_cohorts = stage_cohorts(&stage_reach, &scores, params.cohort_share);
    ExcellenceAnalysis {
        calls: calls.len(),
        cohort_size: overall.top.len(),
        top_threshold: overall.top_threshold,
        bottom_threshold: overall.bottom_threshold,
        mean_score: scores.iter().sum::<f64>() / scores.len().max(1) as f64,
        top_call_ids: overall.top.iter().map(|&index| calls[index].id.clone()).collect(),
        differentiators: differentiators(&phrases, &stage_cohorts, &params.differentiators),
        structure: comparisons(&measures, &overall.top, &structure_measures(&measures)),
        behavior: comparisons(
            &measures,
            &overall.top,
            &BEHAVIOR.iter().map(|name| name.to_string()).collect::<Vec<_>>(),
        ),
        transcript_problems,
    }
}

/// Per stage, the cohorts among the calls that went through it without hanging up in it: a phrase
/// is judged against calls that had the same chance to say it and to go on. Comparing every call
/// instead credits a stage's later lines for the calls that simply did not hang up before them.
fn stage_cohorts(stage_reach: &[Vec<String>], scores: &[f64], share: f64) -> BTreeMap<String, Vec<Cohort>> {
    let mut eligible: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, passed) in stage_reach.iter().enumerate() {
        for stage in passed {
            eligible.entry(stage.as_str()).or_default().push(index);
        }
    }
    eligible
        .into_iter()
        .map(|(stage, indexes)| {
            let stage_scores: Vec<f64> = indexes.iter().map(|&index| scores[index]).collect();
            let split = cohorts(&stage_scores, share);
            let mut membership = vec![Cohort::Middle; scores.len()];
            for &position in &split.top {
                membership[indexes[position]] = Cohort::Top;
            }
            for &position in &split.bottom {
                membership[indexes[position]] = Cohort::Bottom;
            }
            (stage.to_string(), membership)
        })
        .collect()
}

/// What one call contributes to the analysis.
struct CallReading {
    score: f64,
    /// Per stage, the agent's sentences up to the decision, redacted and tokenized.
    phrases: BTreeMap<String, Vec<Vec<String>>>,
    measures: BTreeMap<String, f64>,
    /// Stages it went through without hanging up in them (see `stage_cohorts`).
    passed: Vec<String>,
    problems: Vec<hindsight_model::Problem>,
}

fn read_call(
    call: &Call,
    detector: &PiiDetector,
    analyzer: &TranscriptAnalyzer,
    weights: &ExcellenceWeights,
) -> CallReading {
    let (analysis, problems) = analyzer.analyze(&call.turns, &CallContext::default());
    let mut phrases: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();
    // Only what the agent said up to the prospect's decision: lines after a "yes" (the slot,
    // the read-back) or a "no" (the goodbye) follow from the decision and would otherwise be
    // credited for causing it.
    let decided_at = analysis.decision_turn.unwrap_or(call.turns.len());
    for (turn, stage) in call.turns.iter().zip(&analysis.turn_stages).take(decided_at) {
        if turn.speaker != Speaker::Agent {
            continue;
        }
        // Redacted before tokenizing: placeholders become words like "phone", never values.
        // Phrases stay within sentences: an n-gram across a sentence boundary pairs a line with
        // whatever happened to follow it, and its variants crowd the ranking.
        let redacted = detector.redact(&turn.text, None).text;
        let sequences = phrases.entry(stage.clone()).or_default();
        sequences.extend(sentences(&redacted).into_iter().map(words));
    }
    // Stages the call went through without hanging up in them (a call that declines in closing
    // counts; one that drops mid-pitch does not) and without a technical failure.
    let mut passed: Vec<String> = Vec::new();
    if call.status != CallStatus::Failed {
        for span in &analysis.stage_spans {
            let dropped_here = call.status == CallStatus::Dropped
                && call.drop_off_stage.as_ref().is_some_and(|stage| stage.as_str() == span.stage);
            if !dropped_here && !passed.contains(&span.stage) {
                passed.push(span.stage.clone());
            }
        }
    }
    CallReading {
        score: excellence_score(&call.outcome, analysis.commitment_score, weights),
        measures: call_measures(&analysis),
        phrases,
        passed,
        problems,
    }
}

/// Structural measures, by name (`stage_duration_s:` measures are added per stage seen).
const STRUCTURE: &[&str] =
    &["duration_s", "agent_talk_ratio", "agent_questions", "longest_agent_monologue_s", "confirmation_repetitions"];
/// Behavioural measures.
const BEHAVIOR: &[&str] = &[
    "objection_response_time_s",
    "patience_s",
    "enthusiasm_markers",
    "personalization_count",
    "question_share:open",
    "question_share:situation",
    "question_share:problem",
    "question_share:implication",
    "question_share:need_payoff",
    "question_share:closing",
    "question_share:confirmation",
];

/// The measures of one call (absent when the call has no value for one, e.g. no objection).
fn call_measures(analysis: &TranscriptAnalysis) -> BTreeMap<String, f64> {
    let mut measures = BTreeMap::new();
    measures.insert("duration_s".to_string(), analysis.duration_s);
    if let Some(ratio) = analysis.talk_ratio {
        measures.insert("agent_talk_ratio".to_string(), ratio);
    }
    measures.insert("agent_questions".to_string(), f64::from(analysis.agent.questions));
    measures.insert("longest_agent_monologue_s".to_string(), analysis.agent.longest_run_s);
    measures.insert("confirmation_repetitions".to_string(), f64::from(analysis.confirmation_repetitions));
    for (stage, seconds) in &analysis.stage_durations_s {
        measures.insert(format!("stage_duration_s:{stage}"), *seconds);
    }
    let response_times: Vec<f64> =
        analysis.objections.iter().filter_map(|objection| objection.response_time_s).collect();
    if !response_times.is_empty() {
        measures.insert(
            "objection_response_time_s".to_string(),
            response_times.iter().sum::<f64>() / response_times.len() as f64,
        );
    }
    if let Some(patience) = analysis.patience_s {
        measures.insert("patience_s".to_string(), patience);
    }
    measures.insert("enthusiasm_markers".to_string(), f64::from(analysis.enthusiasm_markers));
    measures.insert("personalization_count".to_string(), f64::from(analysis.personalization_count));
    let agent_questions: Vec<&Question> =
        analysis.questions.iter().filter(|question| question.speaker == Speaker::Agent).collect();
    if !agent_questions.is_empty() {
        for kind in [
            QuestionKind::Open,
            QuestionKind::Situation,
            QuestionKind::Problem,
            QuestionKind::Implication,
            QuestionKind::NeedPayoff,
            QuestionKind::Closing,
            QuestionKind::Confirmation,
        ] {
            let share = agent_questions.iter().filter(|question| question.kind == kind).count() as f64
                / agent_questions.len() as f64;
            measures.insert(format!("question_share:{}", kind.as_str()), share);
        }
    }
    measures
}

/// The structural measures: the fixed ones, then the duration of every stage any call has.
fn structure_measures(measures: &[BTreeMap<String, f64>]) -> Vec<String> {
    let stages: std::collections::BTreeSet<&String> =
        measures.iter().flat_map(|call| call.keys()).filter(|name| name.starts_with("stage_duration_s:")).collect();
    STRUCTURE.iter().map(|name| name.to_string()).chain(stages.into_iter().cloned()).collect()
}

/// Compares each of `names` between the `top` calls and the rest.
fn comparisons(measures: &[BTreeMap<String, f64>], top: &[usize], names: &[String]) -> Vec<MeasureComparison> {
    let mut in_top = vec![false; measures.len()];
    for &index in top {
        in_top[index] = true;
    }
    names
        .iter()
        .filter_map(|name| {
            let (mut top_values, mut rest_values) = (Vec::new(), Vec::new());
            for (index, call) in measures.iter().enumerate() {
                if let Some(&value) = call.get(name) {
                    if in_top[index] { top_values.push(value) } else { rest_values.push(value) }
                }
            }
            compare(name, top_values, rest_values)
        })
        .collect()
}
