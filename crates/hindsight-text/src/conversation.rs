//! What one call's transcript shows: talk balance, pace, questions, objections and how they
//! were answered, enthusiasm, personalization, confirmations, commitment, and its stages.
//!
//! [`TranscriptAnalyzer`] is built once from [`TextParams`] (compiling the cue phrases) and then
//! analyses transcripts as a pure function. A malformed transcript never fails: times that run
//! backwards, turns that end before they start or carry no text are reported as
//! [`Problem`]s (field `turns[i].…`) and counted as zero-length, and the analysis goes on.
//!
//! Definitions (times in seconds, from the turns' `start_s`/`end_s`):
//! - **talk ratio**: the agent's share of all talk time.
//! - **longest monologue / story**: the longest run of consecutive agent (user) turns, from the
//!   run's first start to its last end.
//! - **interactivity**: speaker switches per minute of call.
//! - **patience**: mean pause between the end of a user turn and the start of the agent turn
//!   answering it (overlaps count as 0).
//! - **interruption**: a turn that starts before the other speaker's previous turn ended.
//! - **pace**: words per minute of the speaker's own talk time.
//! - **questions**: sentences ending in `?`, typed by cue phrases in priority order
//!   confirmation, closing, need-payoff, implication, problem, situation, open; `closed`
//!   otherwise (a yes/no question with no other cue).
//! - **objections**: user turns with an objection cue, typed by the first cue; the agent's next
//!   turn is the response: its delay and its strategy (acknowledge and ask, acknowledge, social
//!   proof, reframe, clarify, defer, other).
//! - **decision point**: the first user turn that agrees ("that works", "let's do it"), commits,
//!   declines ("I'll pass") or objects right after an agent turn asking for the commitment (a
//!   closing question).
//! - **commitment score**: strong commitment phrases as a share of all commitment phrases the
//!   user said, 0–100; none when the user said neither.
//! - **BANT coverage**: turns, of either speaker, that touch each qualification dimension
//!   (budget, authority, need, timeline); a dimension is covered when one turn touches it.

use std::collections::{BTreeMap, BTreeSet};

use hindsight_model::{Problem, Speaker, Stage, Turn};
use serde::{Deserialize, Serialize};

use crate::lexicon::{BantDimension, Cue, DEFAULT_STAGE_CUES, Found, Lexicon, ObjectionKind};
use unicode_segmentation::UnicodeSegmentation;

use crate::tokens::{sentences, words};

/// Settings of transcript analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TextParams {
    /// The campaign's stages in funnel order, each with the phrases that open it (for transcripts
    /// whose turns carry no stage label).
    pub stage_cues: Vec<StageCues>,
}

/// One stage and the phrases that open it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageCues {
    /// The stage's name.
    pub stage: String,
    /// Phrases (case-insensitive) that, said by the agent, start the stage.
    pub cues: Vec<String>,
}

impl Default for TextParams {
    fn default() -> Self {
        TextParams {
            stage_cues: DEFAULT_STAGE_CUES
                .iter()
                .map(|(stage, cues)| StageCues {
                    stage: stage.to_string(),
                    cues: cues.iter().map(|cue| cue.to_string()).collect(),
                })
                .collect(),
        }
    }
}

/// What the analysis knows about the person called, to count personalization.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallContext {
    /// The lead's first name.
    pub first_name: Option<String>,
    /// The lead's company.
    pub company: Option<String>,
    /// Words of the lead's own situation (industry, stated pain points).
    pub situation_terms: Vec<String>,
}

/// The type of a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// Checks an understanding ("is that right?").
    Confirmation,
    /// Asks for the commitment ("would you like to book…?").
    Closing,
    /// Makes the prospect state the value ("how would it help…?").
    NeedPayoff,
    /// Explores consequences ("what happens when…?").
    Implication,
    /// Uncovers a difficulty ("what's your biggest challenge…?").
    Problem,
    /// Gathers facts ("how many…?").
    Situation,
    /// Open-ended ("what…?", "how…?", "tell me…").
    Open,
    /// Yes/no with no other cue.
    Closed,
}

impl QuestionKind {
    /// The snake_case name, as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::Confirmation => "confirmation",
            QuestionKind::Closing => "closing",
            QuestionKind::NeedPayoff => "need_payoff",
            QuestionKind::Implication => "implication",
            QuestionKind::Problem => "problem",
            QuestionKind::Situation => "situation",
            QuestionKind::Open => "open",
            QuestionKind::Closed => "closed",
        }
    }
}

/// How the agent answered an objection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseStrategy {
    /// Acknowledged, then asked a question.
    AcknowledgeAndAsk,
    /// Acknowledged without a question.
    Acknowledge,
    /// Pointed to other customers.
    SocialProof,
    /// Reframed the concern.
    Reframe,
    /// Asked a clarifying question.
    Clarify,
    /// Deferred (call back, no problem).
    Defer,
    /// None of the above.
    Other,
}

/// One question asked.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Question {
    /// Turn index.
    pub turn: usize,
    /// Who asked.
    pub speaker: Speaker,
    /// Its type.
    pub kind: QuestionKind,
}

/// One objection and the agent's answer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Objection {
    /// Turn index of the objection.
    pub turn: usize,
    /// Its type.
    pub kind: ObjectionKind,
    /// Seconds from the end of the objection to the agent's answer; none when the agent never
    /// answered.
    pub response_time_s: Option<f64>,
    /// How the agent answered; none when it never did.
    pub strategy: Option<ResponseStrategy>,
}

/// A run of consecutive turns in one stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageSpan {
    /// The stage.
    pub stage: String,
    /// First turn index.
    pub first_turn: usize,
    /// One past the last turn index.
    pub end_turn: usize,
    /// Start of the first turn.
    pub start_s: f64,
    /// End of the last turn.
    pub end_s: f64,
}

/// Per-speaker figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct SpeakerFigures {
    /// Turns.
    pub turns: u32,
    /// Talk time.
    pub talk_s: f64,
    /// Words said.
    pub words: u32,
    /// Words per minute of own talk time; none without talk time.
    pub words_per_minute: Option<f64>,
    /// Questions asked.
    pub questions: u32,
    /// Questions per minute of call; none for a call without duration.
    pub questions_per_minute: Option<f64>,
    /// Filler words ("um", "you know").
    pub fillers: u32,
    /// Times this speaker started before the other had finished.
    pub interruptions: u32,
    /// Longest run of consecutive turns (the agent's monologue, the user's story).
    pub longest_run_s: f64,
}

/// Turns, of either speaker, that touch each BANT qualification dimension.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct BantCoverage {
    /// Turns about what the prospect can spend.
    pub budget: u32,
    /// Turns about who decides.
    pub authority: u32,
    /// Turns about the problem to solve.
    pub need: u32,
    /// Turns about when it should be solved.
    pub timeline: u32,
}

impl BantCoverage {
    /// The turns touching `dimension`.
    pub fn turns(mut self, dimension: BantDimension) -> u32 {
        *self.turns_mut(dimension)
    }

    /// Dimensions at least one turn touched, 0–4.
    pub fn covered(&self) -> u32 {
        BantDimension::ALL.iter().filter(|dimension| self.turns(**dimension) > 0).count() as u32
    }

    fn turns_mut(&mut self, dimension: BantDimension) -> &mut u32 {
        match dimension {
            BantDimension::Budget => &mut self.budget,
            BantDimension::Authority => &mut self.authority,
            BantDimension::Need => &mut self.need,
            BantDimension::Timeline => &mut self.timeline,
        }
    }
}

/// Everything [`TranscriptAnalyzer::analyze`] measures on one call.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TranscriptAnalysis {
    /// First turn start to last turn end.
    pub duration_s: f64,
    /// The agent's figures.
    pub agent: SpeakerFigures,
    /// The user's figures.
    pub user: SpeakerFigures,
    /// The agent's share of talk time; none when nobody talked.
    pub talk_ratio: Option<f64>,
    /// Speaker switches per minute; none for a call without duration.
    pub interactivity_per_minute: Option<f64>,
    /// Mean pause before the agent answers the user; none when it never did.
    pub patience_s: Option<f64>,
    /// Every question, in order.
    pub questions: Vec<Question>,
    /// Every objection, in order.
    pub objections: Vec<Objection>,
    /// Exclamation marks and enthusiastic words in the agent's turns.
    pub enthusiasm_markers: u32,
    /// Agent mentions of the lead's name, company or situation.
    pub personalization_count: u32,
    /// Agent turns that restate the booking ("just to confirm…").
    pub confirmation_repetitions: u32,
    /// Strong commitment phrases the user said.
    pub commitment_strong: u32,
    /// Hedged commitment phrases the user said.
    pub commitment_weak: u32,
    /// Strong as a share of all commitment phrases, 0–100.
    pub commitment_score: Option<f64>,
    /// Turns touching each BANT dimension.
    pub bant: BantCoverage,
    /// The decision point: the first user turn that agrees, commits, declines or objects right
    /// after the agent asked for the commitment. What the agent says after it (the slot and the
    /// read-back, or the goodbye) follows from the decision rather than leading to it.
    pub decision_turn: Option<usize>,
    /// Stage of each turn, in order.
    pub turn_stages: Vec<String>,
    /// Whether the stages came from the turns' labels (`false`: inferred from cue phrases).
    pub stages_labeled: bool,
    /// Consecutive turns per stage.
    pub stage_spans: Vec<StageSpan>,
    /// Total seconds per stage.
    pub stage_durations_s: BTreeMap<String, f64>,
}

impl TranscriptAnalysis {
    /// Distinct stages the call went through.
    pub fn stages_reached(&self) -> usize {
        self.stage_spans.iter().map(|span| &span.stage).collect::<BTreeSet<_>>().len()
    }
}

/// Analyses transcripts; build once, use for every call.
#[derive(Debug, Clone)]
pub struct TranscriptAnalyzer {
    stages: Vec<String>,
    lexicon: Lexicon,
}

impl TranscriptAnalyzer {
    /// Compiles the cue phrases of `params`.
    pub fn new(params: &TextParams) -> TranscriptAnalyzer {
        let stage_cues: Vec<Vec<String>> = params.stage_cues.iter().map(|stage| stage.cues.clone()).collect();
        TranscriptAnalyzer {
            stages: params.stage_cues.iter().map(|stage| stage.stage.clone()).collect(),
            lexicon: Lexicon::new(&stage_cues),
        }
    }

    /// Analyses `turns`; problems with the transcript come back beside the analysis.
    pub fn analyze(&self, turns: &[Turn], context: &CallContext) -> (TranscriptAnalysis, Vec<Problem>) {
        let (spans, problems) = checked_times(turns);
        let found: Vec<Vec<Found>> = turns.iter().map(|turn| self.lexicon.find(&turn.text)).collect();
        let has = |index: usize, cue: Cue| found[index].iter().any(|found| found.cue == cue);

        let duration_s = match (spans.first(), spans.iter().map(|span| span.1).reduce(f64::max)) {
            (Some(first), Some(last_end)) => (last_end - first.0).max(0.0),
            _ => 0.0,
        };
        let minutes = (duration_s > 0.0).then_some(duration_s / 60.0);
        let mut agent = SpeakerFigures::default();
        let mut user = SpeakerFigures::default();
        let mut switches = 0_u32;
        let mut pauses = Vec::new();
        let mut run_start = 0.0;
        for (index, turn) in turns.iter().enumerate() {
            let (start, end) = spans[index];
            let figures = if turn.speaker == Speaker::Agent { &mut agent } else { &mut user };
            figures.turns += 1;
            figures.talk_s += end - start;
            figures.words += turn.text.unicode_words().count() as u32;
            figures.fillers += found[index].iter().filter(|found| found.cue == Cue::Filler).count() as u32;
            match index.checked_sub(1).map(|previous| (previous, turns[previous].speaker)) {
                Some((previous, speaker)) if speaker != turn.speaker => {
                    switches += 1;
                    if start < spans[previous].1 {
                        figures.interruptions += 1;
                    }
                    if turn.speaker == Speaker::Agent {
                        pauses.push((start - spans[previous].1).max(0.0));
                    }
                    run_start = start;
                }
                Some(_) => {}
                None => run_start = start,
            }
            figures.longest_run_s = figures.longest_run_s.max(end - run_start);
        }
        for figures in [&mut agent, &mut user] {
            figures.words_per_minute =
                (figures.talk_s > 0.0).then(|| f64::from(figures.words) / (figures.talk_s / 60.0));
        }

        let questions = self.questions(turns, &mut agent, &mut user);
        for figures in [&mut agent, &mut user] {
            figures.questions_per_minute = minutes.map(|minutes| f64::from(figures.questions) / minutes);
        }
        let objections = self.objections(turns, &spans, &found);

        let terms = PersonalTerms::new(context);
        let mut enthusiasm_markers = 0;
        let mut personalization_count = 0;
        let mut confirmation_repetitions = 0;
        let (mut commitment_strong, mut commitment_weak) = (0, 0);
        for (index, turn) in turns.iter().enumerate() {
            let count = |cue: Cue| found[index].iter().filter(|found| found.cue == cue).count() as u32;
            if turn.speaker == Speaker::Agent {
                enthusiasm_markers += turn.text.matches('!').count() as u32 + count(Cue::Enthusiasm);
                personalization_count += terms.mentions(&turn.text);
                confirmation_repetitions += u32::from(has(index, Cue::Confirmation));
            } else {
                commitment_strong += count(Cue::CommitmentStrong);
                commitment_weak += count(Cue::CommitmentWeak);
            }
        }
        let mut bant = BantCoverage::default();
        for found_in_turn in &found {
            for dimension in BantDimension::ALL {
                if found_in_turn.iter().any(|found| found.cue == Cue::Bant(dimension)) {
                    *bant.turns_mut(dimension) += 1;
                }
            }
        }
        let commitment_total = commitment_strong + commitment_weak;
        let commitment_score =
            (commitment_total > 0).then(|| 100.0 * f64::from(commitment_strong) / f64::from(commitment_total));

        let decision_turn = (0..turns.len()).find(|&index| {
            turns[index].speaker == Speaker::User
                && (has(index, Cue::Agreement)
                    || has(index, Cue::CommitmentStrong)
                    || has(index, Cue::Decline)
                    || found[index].iter().any(|found| matches!(found.cue, Cue::Objection(_))))
                && (0..index).rev().find(|&previous| turns[previous].speaker == Speaker::Agent).is_some_and(|asked| {
                    let asked_to_commit = |found: &Found| found.cue == Cue::QuestionClosing;
                    found[asked].iter().any(asked_to_commit) && turns[asked].text.contains('?')
                })
        });
        let (turn_stages, stages_labeled) = self.stages_of(turns, &found, &objections);
        let stage_spans = stage_spans(&turn_stages, &spans);
        let mut stage_durations_s = BTreeMap::new();
        for span in &stage_spans {
            *stage_durations_s.entry(span.stage.clone()).or_insert(0.0) += (span.end_s - span.start_s).max(0.0);
        }

        let talk = agent.talk_s + user.talk_s;
        let analysis = TranscriptAnalysis {
            duration_s,
            agent,
            user,
            talk_ratio: (talk > 0.0).then(|| agent.talk_s / talk),
            interactivity_per_minute: minutes.map(|minutes| f64::from(switches) / minutes),
            patience_s: (!pauses.is_empty()).then(|| pauses.iter().sum::<f64>() / pauses.len() as f64),
            questions,
            objections,
            enthusiasm_markers,
            personalization_count,
            confirmation_repetitions,
            commitment_strong,
            commitment_weak,
            commitment_score,
            bant,
            decision_turn,
            turn_stages,
            stages_labeled,
            stage_spans,
            stage_durations_s,
        };
        (analysis, problems)
    }

    fn questions(&self, turns: &[Turn], agent: &mut SpeakerFigures, user: &mut SpeakerFigures) -> Vec<Question> {
        let mut questions = Vec::new();
        // Sentence segmentation is the costliest step; turns without "?" have no questions.
        for (index, turn) in turns.iter().enumerate().filter(|(_, turn)| turn.text.contains('?')) {
            for sentence in sentences(&turn.text) {
                if !sentence.ends_with('?') {
                    continue;
                }
                let found = self.lexicon.find(sentence);
                let cues: Vec<Cue> = found.iter().map(|found| found.cue).collect();
                let opens_with_open_cue = found.iter().any(|found| found.cue == Cue::QuestionOpen && found.start == 0);
                let kind = [
                    (Cue::QuestionConfirmation, QuestionKind::Confirmation),
                    (Cue::QuestionClosing, QuestionKind::Closing),
                    (Cue::QuestionNeedPayoff, QuestionKind::NeedPayoff),
                    (Cue::QuestionImplication, QuestionKind::Implication),
                    (Cue::QuestionProblem, QuestionKind::Problem),
                    (Cue::QuestionSituation, QuestionKind::Situation),
                ]
                .into_iter()
                .find(|(cue, _)| cues.contains(cue))
                .map(|(_, kind)| kind)
                .unwrap_or(if opens_with_open_cue { QuestionKind::Open } else { QuestionKind::Closed });
                let figures = if turn.speaker == Speaker::Agent { &mut *agent } else { &mut *user };
                figures.questions += 1;
                questions.push(Question { turn: index, speaker: turn.speaker, kind });
            }
        }
        questions
    }

    fn objections(&self, turns: &[Turn], spans: &[(f64, f64)], found: &[Vec<Found>]) -> Vec<Objection> {
        let mut objections = Vec::new();
        for index in (0..turns.len()).filter(|&index| turns[index].speaker == Speaker::User) {
            let Some(kind) = found[index].iter().find_map(|found| match found.cue {
                Cue::Objection(kind) => Some(kind),
                _ => None,
            }) else {
                continue;
            };
            let response = (index + 1..turns.len()).find(|&next| turns[next].speaker == Speaker::Agent);
            let (response_time_s, strategy) = match response {
                Some(next) => {
                    let cues: Vec<Cue> = found[next].iter().map(|found| found.cue).collect();
                    let asks = turns[next].text.contains('?');
                    let acknowledges = cues.contains(&Cue::ResponseAcknowledge);
                    let strategy = if acknowledges && asks {
                        ResponseStrategy::AcknowledgeAndAsk
                    } else if acknowledges {
                        ResponseStrategy::Acknowledge
                    } else if cues.contains(&Cue::ResponseSocialProof) {
                        ResponseStrategy::SocialProof
                    } else if cues.contains(&Cue::ResponseReframe) {
                        ResponseStrategy::Reframe
                    } else if asks {
                        ResponseStrategy::Clarify
                    } else if cues.contains(&Cue::ResponseDefer) {
                        ResponseStrategy::Defer
                    } else {
                        ResponseStrategy::Other
                    };
                    (Some((spans[next].0 - spans[index].1).max(0.0)), Some(strategy))
                }
                None => (None, None),
            };
            objections.push(Objection { turn: index, kind, response_time_s, strategy });
        }
        objections
    }

    /// Each turn's stage: the labels when every turn has one; otherwise inferred. Inference
    /// starts in the first stage and only moves forward: to a later stage when the agent says one
    /// of its cue phrases, and to `objection_handling` when the user objects.
    fn stages_of(&self, turns: &[Turn], found: &[Vec<Found>], objections: &[Objection]) -> (Vec<String>, bool) {
        if !turns.is_empty() && turns.iter().all(|turn| turn.stage.is_some()) {
            let labels =
                turns.iter().map(|turn| turn.stage.as_ref().map(Stage::to_string).unwrap_or_default()).collect();
            return (labels, true);
        }
        let objection_stage = self.stages.iter().position(|stage| stage == "objection_handling");
        let mut current = 0;
        let mut stages = Vec::with_capacity(turns.len());
        for (index, turn) in turns.iter().enumerate() {
            if turn.speaker == Speaker::Agent {
                let cued = found[index].iter().filter_map(|found| match found.cue {
                    Cue::Stage(stage) => Some(stage),
                    _ => None,
                });
                if let Some(latest) = cued.max() {
                    current = current.max(latest);
                }
            } else if let Some(objection_stage) = objection_stage
                && objections.iter().any(|objection| objection.turn == index)
            {
                current = current.max(objection_stage);
            }
            stages.push(self.stages.get(current).cloned().unwrap_or_default());
        }
        (stages, false)
    }
}

/// Turn times made usable: `(start, end)` per turn with problems reported for negative, NaN,
/// backwards or reversed times (such turns count as zero-length at the previous turn's start).
fn checked_times(turns: &[Turn]) -> (Vec<(f64, f64)>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut spans = Vec::with_capacity(turns.len());
    let mut previous_start = 0.0_f64;
    for (index, turn) in turns.iter().enumerate() {
        let field = |name: &str| format!("turns[{index}].{name}");
        if turn.text.trim().is_empty() {
            problems.push(Problem::new(field("text"), "empty"));
        }
        let valid = turn.start_s.is_finite() && turn.end_s.is_finite() && turn.start_s >= 0.0;
        if !valid {
            problems.push(Problem::new(field("start_s"), "not a time (negative or not a number)"));
            spans.push((previous_start, previous_start));
            continue;
        }
        if turn.end_s < turn.start_s {
            problems.push(Problem::new(
                field("end_s"),
                format!("ends ({}) before it starts ({})", turn.end_s, turn.start_s),
            ));
            spans.push((turn.start_s, turn.start_s));
        } else {
            spans.push((turn.start_s, turn.end_s));
        }
        if turn.start_s < previous_start {
            problems.push(Problem::new(
                field("start_s"),
                format!("starts ({}) before the turn before it ({previous_start})", turn.start_s),
            ));
        }
        previous_start = previous_start.max(turn.start_s);
    }
    (spans, problems)
}

fn stage_spans(turn_stages: &[String], spans: &[(f64, f64)]) -> Vec<StageSpan> {
    let mut result: Vec<StageSpan> = Vec::new();
    for (index, stage) in turn_stages.iter().enumerate() {
        let (start, end) = spans[index];
        match result.last_mut() {
            Some(last) if last.stage == *stage => {
                last.end_turn = index + 1;
                last.end_s = last.end_s.max(end);
            }
            _ => result.push(StageSpan {
                stage: stage.clone(),
                first_turn: index,
                end_turn: index + 1,
                start_s: start,
                end_s: end,
            }),
        }
    }
    result
}

/// The lead's name, company and situation words, normalized once per call, with a quick test
/// that rules out most turns before they are normalized and segmented into words (that took a
/// quarter of the excellence analysis when done for every agent turn).
struct PersonalTerms {
    /// Normalized words joined by single spaces.
    terms: Vec<String>,
    /// One run of ASCII letters and digits of each term: a turn that mentions a term contains
    /// that run (ignoring ASCII case), since normalizing only lowercases and drops punctuation.
    /// None when some term has no such run (then every turn is checked in full).
    screen: Option<Vec<String>>,
}

impl PersonalTerms {
    fn new(context: &CallContext) -> PersonalTerms {
        let terms: Vec<String> = context
            .first_name
            .iter()
            .chain(context.company.iter())
            .chain(context.situation_terms.iter())
            .map(|term| words(term).join(" "))
            .filter(|term| !term.is_empty())
            .collect();
        let screen: Option<Vec<String>> = terms
            .iter()
            .map(|term| {
                term.split(|c: char| !c.is_ascii_alphanumeric()).find(|run| !run.is_empty()).map(str::to_string)
            })
            .collect();
        PersonalTerms { terms, screen }
    }

    /// Mentions of the terms in `text`, as whole words.
    fn mentions(&self, text: &str) -> u32 {
        if self.terms.is_empty() {
            return 0;
        }
        if let Some(runs) = &self.screen {
            let lowercase = text.to_ascii_lowercase();
            if !runs.iter().any(|run| lowercase.contains(run.as_str())) {
                return 0;
            }
        }
        // The words joined by single spaces, built without a string per word.
        let normalized = crate::tokens::normalize(text);
        let mut said_text = String::with_capacity(normalized.len());
        for word in crate::tokens::normalized_words(&normalized) {
            if !said_text.is_empty() {
                said_text.push(' ');
            }
            said_text.push_str(word);
        }
        let mut mentions = 0;
        for term in &self.terms {
            mentions += said_text
                .match_indices(term.as_str())
                .filter(|(at, matched)| {
                    let before = said_text[..*at].chars().next_back();
                    let after = said_text[at + matched.len()..].chars().next();
                    before.is_none_or(|c| c == ' ') && after.is_none_or(|c| c == ' ')
                })
                .count() as u32;
        }
        mentions
    }
}

#[cfg(test)]
mod tests;
