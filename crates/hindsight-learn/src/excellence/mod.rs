//! The Excellence Replicator (excellence-replicator.md, phases 1 and 2): what the best calls do
//! that the worst do not.
//!
//! [`analyze_excellence`] scores every call ([`excellence_score`]: outcome, commitment heard in
//! the call, time to the appointment, conversion, referrals), splits off the top and bottom
//! cohorts ([`cohorts`]), and mines the agent's phrases that differ between them per stage
//! ([`differentiators`]). Every line is redacted ([`hindsight_text::pii`]) before a word of it
//! is counted, and a phrase is kept only when at least `min_calls` distinct calls say it, so no
//! name, number or address can become a "pattern".
//!
//! Confound control: better leads book more, and may be spoken to differently, so a phrase can
//! "win" only because it is said to better leads. The phrases are therefore mined twice from the
//! same counts: once with cohorts over all calls, once with cohorts formed inside each stratum of
//! lead quality ([`LeadStrata`]: the lead's score band, or industry × company size) and pooled,
//! so the top and bottom cohorts hold the same mix of leads. Every overall finding says whether
//! it holds within strata ([`WithinStrata`]); the report shows both views.
//!
//! Structure and behaviour ([`compare`]): each measure's median and quartiles in the top cohort
//! and in the rest, and the difference of means with a 95% interval.
//!
//! The calls are read twice, both times across the cores: first analysed and scored (the cohorts
//! need every score), then redacted and counted with their cohorts known. Nothing per word is held
//! between the two passes, so memory stays with the calls themselves.

mod differentiators;
mod score;
mod strata;
mod structure;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use hindsight_model::{Call, CallStatus, Lead, Speaker};
use hindsight_stats::Rate;
use hindsight_text::conversation::{Question, QuestionKind, TextParams, TranscriptAnalysis, TranscriptAnalyzer};
use hindsight_text::pii::PiiDetector;
use hindsight_text::tokens::{sentences, words};
use rayon::prelude::*;

use crate::call_context::call_context;
use serde::{Deserialize, Serialize};

pub use differentiators::{
    CallLines, Cohort, Differentiator, DifferentiatorParams, MinedPhrases, MiningInput, StageDifferentiators, View,
    WithinStrata, differentiators, log_odds_z,
};
pub use score::{Cohorts, ExcellenceWeights, cohorts, excellence_score};
pub use strata::{LeadStrata, StrataSummary, StratumCount, stratum_of};
pub use structure::{Direction, MeasureComparison, Spread, compare, spread};

/// Settings of the excellence analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExcellenceParams {
    /// Points of the excellence score.
    pub weights: ExcellenceWeights,
    /// Share of calls in each of the top and bottom cohorts (0.1 = 10%).
    pub cohort_share: f64,
    /// Phrase mining.
    pub differentiators: DifferentiatorParams,
    /// How calls are grouped by lead quality for the confound-controlled view.
    pub strata: LeadStrata,
    /// Transcript analysis: the stage cue phrases for turns without a stage label.
    pub text: TextParams,
}

impl Default for ExcellenceParams {
    fn default() -> Self {
        ExcellenceParams {
            weights: ExcellenceWeights::default(),
            cohort_share: 0.1,
            differentiators: DifferentiatorParams::default(),
            strata: LeadStrata::default(),
            text: TextParams::default(),
        }
    }
}

/// The top cohort in the spec's terms (`top_performers`), each figure with its sample.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopPerformers {
    /// Calls in the top cohort.
    pub call_count: usize,
    /// Their mean excellence score.
    pub avg_excellence_score: f64,
    /// Showed up, among top calls whose attendance is known.
    pub show_up: Rate,
    /// Booked, among top calls whose booking is known.
    pub booked: Rate,
    /// Mean commitment score (0–100) of the top calls that have one, and how many do.
    pub avg_commitment_score: Option<f64>,
    /// Top calls with a commitment score.
    pub calls_with_commitment: usize,
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
    /// The top cohort summarised.
    pub top_performers: TopPerformers,
    /// Ids of the top cohort's calls, best first.
    pub top_call_ids: Vec<String>,
    /// Phrases per stage, cohorts over all calls of the stage.
    pub differentiators: BTreeMap<String, StageDifferentiators>,
    /// Phrases per stage, cohorts formed within each lead-quality stratum.
    pub differentiators_within_lead_quality: BTreeMap<String, StageDifferentiators>,
    /// The strata the second view used.
    pub strata: StrataSummary,
    /// Shape of the call, top cohort against every other call: duration, stage durations, agent
    /// talk ratio, agent questions, longest agent monologue, confirmation repetitions.
    pub structure: Vec<MeasureComparison>,
    /// Behaviour, top cohort against the rest: question types (share of the agent's questions),
    /// objection response time, silence before the agent answers, enthusiasm, personalization.
    pub behavior: Vec<MeasureComparison>,
    /// Transcript problems found, as (call id, field, reason), at most 1,000.
    pub transcript_problems: Vec<(String, String, String)>,
}

/// Scores `calls` (outcome events already merged), forms the cohorts and mines differentiators;
/// `leads` (any order, any superset of the calls' leads) give the lead-quality strata.
pub fn analyze_excellence(calls: &[Call], leads: &[Lead], params: &ExcellenceParams) -> ExcellenceAnalysis {
    let prepared = prepare(calls, leads, params);
    let detector = PiiDetector::new();
    let call_lines: Vec<CallLines<'_>> =
        calls.iter().zip(&prepared.lines).map(|(call, lines)| CallLines { turns: &call.turns, lines }).collect();
    // Placeholders become words like "phone", never values.
    let redact = |text: &str| detector.redact(text, None).text;
    let input = MiningInput {
        stage_names: &prepared.stage_names,
        cohorts: [&prepared.overall_by_stage, &prepared.within_by_stage],
        redact: &redact,
    };
    // Pass 2: redact and count.
    let mined = differentiators(&call_lines, &input, &params.differentiators);

    let Prepared {
        overall,
        scores,
        measures,
        commitment,
        call_strata,
        strata,
        within_by_stage,
        transcript_problems,
        ..
    } = prepared;
    ExcellenceAnalysis {
        calls: calls.len(),
        cohort_size: overall.top.len(),
        top_threshold: overall.top_threshold,
        bottom_threshold: overall.bottom_threshold,
        mean_score: scores.iter().sum::<f64>() / scores.len().max(1) as f64,
        top_performers: top_performers(calls, &overall.top, &scores, &commitment),
        top_call_ids: overall.top.iter().map(|&index| calls[index].id.clone()).collect(),
        differentiators: mined.overall,
        differentiators_within_lead_quality: mined.within_lead_quality,
        strata: strata.summary(&params.strata, &call_strata, &within_by_stage),
        structure: measures.compare(&overall.top, calls.len(), &measures.structure_names()),
        behavior: measures.compare(
            &overall.top,
            calls.len(),
            &BEHAVIOR.iter().map(|name| name.to_string()).collect::<Vec<_>>(),
        ),
        transcript_problems,
    }
}

/// One call's agent lines of one stage exactly as the miner reads them (redacted, split into
/// sentences of normalized words), with the call's cohort in that stage over all calls: what an
/// independent implementation needs to reproduce the overall view (`bench/`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CorpusDocument {
    /// The call.
    pub call_id: String,
    /// The stage.
    pub stage: String,
    /// `top`, `bottom` or `middle` (counts toward the prior only).
    pub cohort: &'static str,
    /// Sentences of words.
    pub sentences: Vec<Vec<String>>,
}

/// The miner's input as documents, one per call and stage, in call order.
pub fn mining_corpus(calls: &[Call], leads: &[Lead], params: &ExcellenceParams) -> Vec<CorpusDocument> {
    let prepared = prepare(calls, leads, params);
    let detector = PiiDetector::new();
    let documents: Vec<Vec<CorpusDocument>> = calls
        .par_iter()
        .zip(&prepared.lines)
        .enumerate()
        .map(|(index, (call, lines))| {
            let mut by_stage: BTreeMap<u16, Vec<Vec<String>>> = BTreeMap::new();
            for &(turn, stage) in lines {
                let redacted = detector.redact(&call.turns[turn as usize].text, None).text;
                by_stage.entry(stage).or_default().extend(sentences(&redacted).into_iter().map(words));
            }
            by_stage
                .into_iter()
                .map(|(stage, sentences)| CorpusDocument {
                    call_id: call.id.clone(),
                    stage: prepared.stage_names[stage as usize].clone(),
                    cohort: match prepared.overall_by_stage[stage as usize][index] {
                        Cohort::Top => "top",
                        Cohort::Bottom => "bottom",
                        Cohort::Middle => "middle",
                    },
                    sentences,
                })
                .collect()
        })
        .collect();
    documents.into_iter().flatten().collect()
}

/// What the first pass learns about every call, and the cohorts it defines.
struct Prepared {
    stage_names: Vec<String>,
    /// Per call, the agent lines to mine: (turn index, stage index).
    lines: Vec<Vec<(u32, u16)>>,
    scores: Vec<f64>,
    commitment: Vec<Option<f64>>,
    measures: MeasureColumns,
    strata: strata::Strata,
    call_strata: Vec<u32>,
    transcript_problems: Vec<(String, String, String)>,
    overall: Cohorts,
    /// `[stage][call]`, cohorts over all calls of the stage.
    overall_by_stage: Vec<Vec<Cohort>>,
    /// `[stage][call]`, cohorts within lead-quality strata.
    within_by_stage: Vec<Vec<Cohort>>,
}

/// Pass 1, across the cores (rayon keeps the order): analyse and score every call, then cut the
/// cohorts.
fn prepare(calls: &[Call], leads: &[Lead], params: &ExcellenceParams) -> Prepared {
    let analyzer = TranscriptAnalyzer::new(&params.text);
    let lead_by_id: HashMap<&str, &Lead> = leads.iter().map(|lead| (lead.id.as_str(), lead)).collect();
    let readings: Vec<CallReading> = calls
        .par_iter()
        .map(|call| {
            let lead = call.lead_id.as_deref().and_then(|id| lead_by_id.get(id).copied());
            read_call(call, lead, &analyzer, params)
        })
        .collect();

    let mut stage_names: Vec<String> = Vec::new();
    let mut stage_index: HashMap<String, u16> = HashMap::new();
    let mut strata = strata::Strata::default();
    let mut scores = Vec::with_capacity(calls.len());
    let mut measures = MeasureColumns::default();
    let mut lines: Vec<Vec<(u32, u16)>> = Vec::with_capacity(calls.len());
    let mut stage_reach: Vec<Vec<u16>> = Vec::with_capacity(calls.len());
    let mut call_strata = Vec::with_capacity(calls.len());
    let mut commitment = Vec::with_capacity(calls.len());
    let mut transcript_problems = Vec::new();
    for (call, reading) in calls.iter().zip(readings) {
        for problem in reading.problems.into_iter().take(1_000usize.saturating_sub(transcript_problems.len())) {
            transcript_problems.push((call.id.clone(), problem.field, problem.reason));
        }
        // Stage names interned in call order, so indexes are the same on every run.
        let global: Vec<u16> = reading
            .stages
            .into_iter()
            .map(|name| {
                *stage_index.entry(name.clone()).or_insert_with(|| {
                    stage_names.push(name);
                    (stage_names.len() - 1) as u16
                })
            })
            .collect();
        lines.push(reading.lines.into_iter().map(|(turn, stage)| (turn, global[stage as usize])).collect());
        stage_reach.push(reading.passed.into_iter().map(|stage| global[stage as usize]).collect());
        call_strata.push(strata.intern(reading.stratum));
        scores.push(reading.score);
        measures.add(scores.len() - 1, reading.measures);
        commitment.push(reading.commitment);
    }

    let overall = cohorts(&scores, params.cohort_share);
    let overall_by_stage = stage_cohorts(&stage_reach, stage_names.len(), &scores, None, params.cohort_share);
    let within_by_stage =
        stage_cohorts(&stage_reach, stage_names.len(), &scores, Some(&call_strata), params.cohort_share);
    Prepared {
        stage_names,
        lines,
        scores,
        commitment,
        measures,
        strata,
        call_strata,
        transcript_problems,
        overall,
        overall_by_stage,
        within_by_stage,
    }
}

fn top_performers(calls: &[Call], top: &[usize], scores: &[f64], commitment: &[Option<f64>]) -> TopPerformers {
    let mut show_up = Rate::default();
    let mut booked = Rate::default();
    let commitments: Vec<f64> = top.iter().filter_map(|&index| commitment[index]).collect();
    for &index in top {
        if let Some(showed_up) = calls[index].outcome.showed_up {
            show_up.add(showed_up);
        }
        if let Some(was_booked) = calls[index].outcome.booked {
            booked.add(was_booked);
        }
    }
    TopPerformers {
        call_count: top.len(),
        avg_excellence_score: top.iter().map(|&index| scores[index]).sum::<f64>() / top.len().max(1) as f64,
        show_up,
        booked,
        avg_commitment_score: (!commitments.is_empty())
            .then(|| commitments.iter().sum::<f64>() / commitments.len() as f64),
        calls_with_commitment: commitments.len(),
    }
}

/// Per stage, the cohorts among the calls that went through it without hanging up in it: a phrase
/// is judged against calls that had the same chance to say it and to go on. Comparing every call
/// instead credits a stage's later lines for the calls that simply did not hang up before them.
///
/// With `strata`, the cohorts are formed within each stratum of the stage's calls and pooled; a
/// stratum too small to have a top and a bottom of its own (under 2 / `share` calls) is left out.
fn stage_cohorts(
    stage_reach: &[Vec<u16>],
    stages: usize,
    scores: &[f64],
    strata: Option<&[u32]>,
    share: f64,
) -> Vec<Vec<Cohort>> {
    let mut groups: BTreeMap<(u16, u32), Vec<usize>> = BTreeMap::new();
    for (index, passed) in stage_reach.iter().enumerate() {
        for &stage in passed {
            let stratum = strata.map_or(0, |strata| strata[index]);
            groups.entry((stage, stratum)).or_default().push(index);
        }
    }
    let smallest = if strata.is_some() { (2.0 / share).ceil() as usize } else { 0 };
    let mut membership = vec![vec![Cohort::Middle; scores.len()]; stages];
    for ((stage, _), indexes) in groups {
        if indexes.len() < smallest {
            continue;
        }
        let group_scores: Vec<f64> = indexes.iter().map(|&index| scores[index]).collect();
        let split = cohorts(&group_scores, share);
        for &position in &split.top {
            membership[stage as usize][indexes[position]] = Cohort::Top;
        }
        for &position in &split.bottom {
            membership[stage as usize][indexes[position]] = Cohort::Bottom;
        }
    }
    membership
}

/// What one call contributes to the analysis.
struct CallReading {
    score: f64,
    commitment: Option<f64>,
    /// Stage names this call uses; `lines` and `passed` index into it.
    stages: Vec<String>,
    /// The agent's lines up to the decision: (turn index, stage).
    lines: Vec<(u32, u16)>,
    measures: Vec<(Cow<'static, str>, f64)>,
    /// Stages it went through without hanging up in them (see `stage_cohorts`).
    passed: Vec<u16>,
    /// Its lead's quality stratum.
    stratum: String,
    problems: Vec<hindsight_model::Problem>,
}

fn read_call(
    call: &Call,
    lead: Option<&Lead>,
    analyzer: &TranscriptAnalyzer,
    params: &ExcellenceParams,
) -> CallReading {
    let (analysis, problems) = analyzer.analyze(&call.turns, &call_context(lead));
    let mut stages: Vec<String> = Vec::new();
    let mut local = |stage: &str| -> u16 {
        match stages.iter().position(|known| known == stage) {
            Some(position) => position as u16,
            None => {
                stages.push(stage.to_string());
                (stages.len() - 1) as u16
            }
        }
    };
    // Only what the agent said up to the prospect's decision: lines after a "yes" (the slot,
    // the read-back) or a "no" (the goodbye) follow from the decision and would otherwise be
    // credited for causing it.
    let decided_at = analysis.decision_turn.unwrap_or(call.turns.len());
    let mut lines = Vec::new();
    for (index, (turn, stage)) in call.turns.iter().zip(&analysis.turn_stages).enumerate().take(decided_at) {
        if turn.speaker == Speaker::Agent {
            lines.push((index as u32, local(stage)));
        }
    }
    // Stages the call went through without hanging up in them (a call that declines in closing
    // counts; one that drops mid-pitch does not) and without a technical failure.
    let mut passed: Vec<u16> = Vec::new();
    if call.status != CallStatus::Failed {
        for span in &analysis.stage_spans {
            let dropped_here = call.status == CallStatus::Dropped
                && call.drop_off_stage.as_ref().is_some_and(|stage| stage.as_str() == span.stage);
            let stage = local(&span.stage);
            if !dropped_here && !passed.contains(&stage) {
                passed.push(stage);
            }
        }
    }
    CallReading {
        score: excellence_score(&call.outcome, analysis.commitment_score, &params.weights),
        commitment: analysis.commitment_score,
        measures: call_measures(&analysis),
        lines,
        passed,
        stratum: stratum_of(lead, &params.strata),
        stages,
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
fn call_measures(analysis: &TranscriptAnalysis) -> Vec<(Cow<'static, str>, f64)> {
    let mut measures: Vec<(Cow<'static, str>, f64)> = Vec::with_capacity(24);
    let mut fixed = |name: &'static str, value: f64| measures.push((Cow::Borrowed(name), value));
    fixed("duration_s", analysis.duration_s);
    if let Some(ratio) = analysis.talk_ratio {
        fixed("agent_talk_ratio", ratio);
    }
    fixed("agent_questions", f64::from(analysis.agent.questions));
    fixed("longest_agent_monologue_s", analysis.agent.longest_run_s);
    fixed("confirmation_repetitions", f64::from(analysis.confirmation_repetitions));
    let response_times: Vec<f64> =
        analysis.objections.iter().filter_map(|objection| objection.response_time_s).collect();
    if !response_times.is_empty() {
        fixed("objection_response_time_s", response_times.iter().sum::<f64>() / response_times.len() as f64);
    }
    if let Some(patience) = analysis.patience_s {
        fixed("patience_s", patience);
    }
    fixed("enthusiasm_markers", f64::from(analysis.enthusiasm_markers));
    fixed("personalization_count", f64::from(analysis.personalization_count));
    let agent_questions: Vec<&Question> =
        analysis.questions.iter().filter(|question| question.speaker == Speaker::Agent).collect();
    if !agent_questions.is_empty() {
        for (kind, name) in QUESTION_SHARES {
            let share = agent_questions.iter().filter(|question| question.kind == kind).count() as f64
                / agent_questions.len() as f64;
            fixed(name, share);
        }
    }
    for (stage, seconds) in &analysis.stage_durations_s {
        measures.push((Cow::Owned(format!("{STAGE_DURATION}{stage}")), *seconds));
    }
    measures
}

/// Prefix of the per-stage duration measures.
const STAGE_DURATION: &str = "stage_duration_s:";

/// Question types and the names of their share measures.
const QUESTION_SHARES: [(QuestionKind, &str); 7] = [
    (QuestionKind::Open, "question_share:open"),
    (QuestionKind::Situation, "question_share:situation"),
    (QuestionKind::Problem, "question_share:problem"),
    (QuestionKind::Implication, "question_share:implication"),
    (QuestionKind::NeedPayoff, "question_share:need_payoff"),
    (QuestionKind::Closing, "question_share:closing"),
    (QuestionKind::Confirmation, "question_share:confirmation"),
];

/// Every call's measures as one column per measure: (call index, value).
#[derive(Default)]
struct MeasureColumns {
    columns: HashMap<Cow<'static, str>, Vec<(usize, f64)>>,
}

impl MeasureColumns {
    fn add(&mut self, call: usize, measures: Vec<(Cow<'static, str>, f64)>) {
        for (name, value) in measures {
            self.columns.entry(name).or_default().push((call, value));
        }
    }

    /// The structural measures: the fixed ones, then the duration of every stage any call has.
    fn structure_names(&self) -> Vec<String> {
        let mut stages: Vec<String> =
            self.columns.keys().filter(|name| name.starts_with(STAGE_DURATION)).map(|name| name.to_string()).collect();
        stages.sort();
        STRUCTURE.iter().map(|name| name.to_string()).chain(stages).collect()
    }

    /// Compares each of `names` between the `top` calls and the rest.
    fn compare(&self, top: &[usize], calls: usize, names: &[String]) -> Vec<MeasureComparison> {
        let mut in_top = vec![false; calls];
        for &index in top {
            in_top[index] = true;
        }
        names
            .iter()
            .filter_map(|name| {
                let column = self.columns.get(name.as_str())?;
                let (mut top_values, mut rest_values) = (Vec::new(), Vec::new());
                for &(index, value) in column {
                    if in_top[index] { top_values.push(value) } else { rest_values.push(value) }
                }
                compare(name, top_values, rest_values)
            })
            .collect()
    }
}
