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
//! Not built yet: structural and behavioural pattern comparisons with intervals, the confound
//! control within lead-quality strata, and the Excellence report.

mod differentiators;
mod score;

use std::collections::BTreeMap;

use hindsight_model::{Call, CallStatus, Speaker};
use hindsight_text::conversation::{CallContext, TextParams, TranscriptAnalyzer};
use hindsight_text::pii::PiiDetector;
use hindsight_text::tokens::{sentences, words};
use serde::{Deserialize, Serialize};

pub use differentiators::{
    Cohort, Differentiator, DifferentiatorParams, StageDifferentiators, differentiators, log_odds_z,
};
pub use score::{Cohorts, ExcellenceWeights, cohorts, excellence_score};

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
    /// Transcript problems found, as (call id, field, reason), at most 1,000.
    pub transcript_problems: Vec<(String, String, String)>,
}

/// Scores `calls` (outcome events already merged), forms the cohorts and mines differentiators.
pub fn analyze_excellence(calls: &[Call], params: &ExcellenceParams) -> ExcellenceAnalysis {
    let detector = PiiDetector::new();
    let analyzer = TranscriptAnalyzer::new(&TextParams::default());
    let mut scores = Vec::with_capacity(calls.len());
    let mut phrases: Vec<BTreeMap<String, Vec<Vec<String>>>> = Vec::with_capacity(calls.len());
    let mut transcript_problems = Vec::new();
    // Per call, the stages it had a fair chance in (see `stage_cohorts`).
    let mut stage_reach: Vec<Vec<String>> = Vec::with_capacity(calls.len());
    for call in calls {
        let (analysis, problems) = analyzer.analyze(&call.turns, &CallContext::default());
        for problem in problems.into_iter().take(1_000usize.saturating_sub(transcript_problems.len())) {
            transcript_problems.push((call.id.clone(), problem.field, problem.reason));
        }
        scores.push(excellence_score(&call.outcome, analysis.commitment_score, &params.weights));
        let mut by_stage: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();
        // Only what the agent said up to the prospect's decision: lines after a "yes" (the slot,
        // the read-back) or a "no" (the goodbye) follow from the decision and would otherwise
        // be credited for causing it.
        let decided_at = analysis.decision_turn.unwrap_or(call.turns.len());
        for (turn, stage) in call.turns.iter().zip(&analysis.turn_stages).take(decided_at) {
            if turn.speaker != Speaker::Agent {
                continue;
            }
            // Redacted before tokenizing: placeholders become words like "phone", never values.
            // Phrases stay within sentences: an n-gram across a sentence boundary pairs a line
            // with whatever happened to follow it, and its variants crowd the ranking.
            let redacted = detector.redact(&turn.text, None).text;
            let sequences = by_stage.entry(stage.clone()).or_default();
            sequences.extend(sentences(&redacted).into_iter().map(words));
        }
        phrases.push(by_stage);
        // Stages the call went through without hanging up in them (a call that declines in
        // closing counts; one that drops mid-pitch does not) and without a technical failure.
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
        stage_reach.push(passed);
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
