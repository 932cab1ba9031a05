//! Phrases that set top calls apart from bottom calls, stage by stage: the log-odds ratio with an
//! informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin' Words", eq. 16–22).
//!
//! For a phrase w in one stage, with y_t and y_b the top and bottom cohorts' counts, n_t and n_b
//! their totals, and the tenant's whole corpus (every call, not only the cohorts) as the prior —
//! α_w = s · c_w for the phrase's corpus count c_w, α_0 = s · c for the corpus total c, with
//! prior scale s:
//!
//! ```text
//! δ_w = ln((y_t + α_w) / (n_t + α_0 − y_t − α_w)) − ln((y_b + α_w) / (n_b + α_0 − y_b − α_w))
//! σ²_w ≈ 1 / (y_t + α_w) + 1 / (y_b + α_w)          z_w = δ_w / σ_w
//! ```
//!
//! Counts are calls, not occurrences: a phrase said three times in one call counts once, so one
//! repetitive call cannot make a phrase. Phrases are word n-grams (1 to `max_words`) of the
//! agent's lines, redacted by the caller's redactor before a word is seen, and never crossing a
//! sentence boundary; a phrase is kept only when at least `min_calls` distinct calls of the corpus
//! say it (the privacy floor k), and ranked only when the two cohorts together have `min_support`
//! calls with it. A phrase that only ever occurs inside one longer kept phrase (same calls) is
//! dropped in favour of the longer one, so one winning sentence does not fill the ranking with its
//! fragments. Each ranked phrase's stability is the share of bootstrap resamples of the cohorts
//! (calls drawn with replacement) in which its z keeps its sign and stays past `z_threshold`.
//!
//! **Two views at once.** The same counts are kept for two cohort assignments: over all calls of
//! a stage ([`View::Overall`]) and within strata of lead quality ([`View::WithinLeadQuality`]),
//! where each stratum contributes its own top and bottom calls, so both cohorts hold the same mix
//! of leads. A phrase that wins overall only because good leads hear it more loses its edge in the
//! second view; each overall finding carries its second-view z for that reason.
//!
//! **How it scales.** Counting is the cost: every call contributes up to 7 windows per word. Words
//! are hashed once and window keys are extended word by word (a window of n words is its first
//! n − 1 words' key extended by the last), calls are counted on every core into per-thread maps that
//! are merged, and no phrase's text is built while counting: each phrase remembers where it was
//! first said and its text is rebuilt only for the phrases reported. Keys are 64-bit: two different
//! phrases of a stage share one with probability ~n²/2⁶⁵ (10⁻⁴ for 10⁸ distinct phrases).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::BuildHasher;
use std::sync::Arc;

use foldhash::fast::FixedState;
use hindsight_model::Turn;
use hindsight_stats::two_sided_normal_p;
use hindsight_text::tokens::{normalize, normalized_words, sentences};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Settings of differentiator mining.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DifferentiatorParams {
    /// Shortest phrase ranked, in words (single words mostly name the lead's business, not the
    /// agent's language).
    pub min_words: usize,
    /// Longest phrase, in words.
    pub max_words: usize,
    /// Privacy floor: a phrase is kept only when at least this many distinct calls say it.
    pub min_calls: usize,
    /// Calls of the two cohorts together that must say a phrase for it to be ranked.
    pub min_support: usize,
    /// Prior strength s: the prior counts are s × the corpus counts.
    pub prior_scale: f64,
    /// Family-wise error rate: a phrase is significant when its two-sided p-value passes Holm's
    /// step-down correction at this level over every phrase tested in its stage.
    pub alpha: f64,
    /// |z| a bootstrap resample must reach for the finding to count as held (1.96: nominal 5%).
    pub z_threshold: f64,
    /// Phrases reported per stage and direction.
    pub top_phrases: usize,
    /// Bootstrap resamples for stability (0 skips it).
    pub bootstrap_rounds: usize,
    /// Seed of the bootstrap.
    pub seed: u64,
}

impl Default for DifferentiatorParams {
    fn default() -> Self {
        DifferentiatorParams {
            min_words: 2,
            max_words: 7,
            min_calls: 5,
            min_support: 10,
            prior_scale: 0.01,
            alpha: 0.05,
            z_threshold: 1.96,
            top_phrases: 20,
            bootstrap_rounds: 50,
            seed: 7,
        }
    }
}

/// One phrase and the evidence for it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Differentiator {
    /// The phrase (lowercase words, from redacted text).
    pub phrase: String,
    /// The log-odds ratio δ (positive: more typical of top calls).
    pub log_odds: f64,
    /// δ / σ.
    pub z: f64,
    /// Two-sided p-value of z (normal approximation).
    pub p_value: f64,
    /// Whether it survives Holm's correction over the stage's phrases at `alpha`.
    pub significant: bool,
    /// Top-cohort calls that say it.
    pub top_calls: usize,
    /// Bottom-cohort calls that say it.
    pub bottom_calls: usize,
    /// Share of top calls that say it.
    pub top_share: f64,
    /// Share of bottom calls that say it.
    pub bottom_share: f64,
    /// top_share / bottom_share; none when no bottom call says it.
    pub lift: Option<f64>,
    /// Calls of the whole corpus that say it.
    pub corpus_calls: usize,
    /// Share of bootstrap resamples where the finding held (sign kept, |z| past the threshold).
    pub stability: Option<f64>,
    /// The same phrase judged within lead-quality strata (set on overall findings only): whether
    /// it still sets top calls apart when both cohorts hold the same mix of leads.
    pub within_lead_quality: Option<WithinStrata>,
}

/// An overall finding seen within lead-quality strata.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct WithinStrata {
    /// δ / σ in the stratified cohorts.
    pub z: f64,
    /// Whether it passes the stratified view's Holm cutoff with the overall sign.
    pub holds: bool,
    /// Stratified top-cohort calls that say it.
    pub top_calls: usize,
    /// Stratified bottom-cohort calls that say it.
    pub bottom_calls: usize,
}

/// The ranked phrases of one stage.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StageDifferentiators {
    /// Calls in the stage's top cohort.
    pub top_cohort: usize,
    /// Calls in the stage's bottom cohort.
    pub bottom_cohort: usize,
    /// Highest z first: phrases of top calls.
    pub winning: Vec<Differentiator>,
    /// Lowest z first: phrases of bottom calls.
    pub losing: Vec<Differentiator>,
    /// Phrases that passed the privacy floor and the support minimum (the comparisons made).
    pub phrases_tested: usize,
}

/// Which cohort a call is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cohort {
    /// Top cohort.
    Top,
    /// Bottom cohort.
    Bottom,
    /// Neither: counts only toward the corpus prior.
    Middle,
}

/// The two cohort assignments mined together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Top and bottom among all calls of the stage.
    Overall = 0,
    /// Top and bottom within each lead-quality stratum, pooled.
    WithinLeadQuality = 1,
}

const VIEWS: usize = 2;

/// What the miner reads of one call: its turns, and which of them to mine with their stage (an
/// index into the stage names).
#[derive(Debug, Clone, Copy)]
pub struct CallLines<'a> {
    /// The call's turns.
    pub turns: &'a [Turn],
    /// (turn index, stage index) of each line to mine.
    pub lines: &'a [(u32, u16)],
}

/// Everything mining needs besides the calls.
pub struct MiningInput<'a> {
    /// Stage names, indexed by the stage indexes of [`CallLines::lines`].
    pub stage_names: &'a [String],
    /// `cohorts[view][stage][call]`: where each call stands in each view's comparison of a stage.
    pub cohorts: [&'a [Vec<Cohort>]; VIEWS],
    /// Redacts a line before any word of it is counted.
    pub redact: &'a (dyn Fn(&str) -> String + Sync),
}

/// Differentiators of both views.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MinedPhrases {
    /// Over all calls of each stage, by stage name.
    pub overall: BTreeMap<String, StageDifferentiators>,
    /// Within lead-quality strata, by stage name.
    pub within_lead_quality: BTreeMap<String, StageDifferentiators>,
}

/// Where a phrase was first said: enough to rebuild its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Location {
    call: u32,
    line: u32,
    sentence: u32,
    start: u32,
}

/// One phrase's counts while counting.
#[derive(Debug, Clone, Copy)]
struct Tally {
    corpus: u32,
    top: [u32; VIEWS],
    bottom: [u32; VIEWS],
    words: u32,
    /// Key of the phrase without its last word (0 for one word).
    prefix: u64,
    /// Key of the phrase without its first word (0 for one word).
    suffix: u64,
    first_said: Location,
    /// The last call counted, so a phrase said twice in a call counts once without a set of the
    /// call's phrases (one hash lookup per window instead of two).
    last_call: u32,
}

/// A kept phrase of one stage.
#[derive(Debug, Clone)]
struct Phrase {
    tally: Tally,
    redundant: bool,
    /// Set when the phrase was rebuilt as a sentence longer than `max_words` (see `join_longest`).
    joined_text: Option<String>,
}

type Tallies = HashMap<(u16, u64), Tally, FixedState>;

const WINDOW_SEED: u64 = 0x243F_6A88_85A3_08D3;

fn word_key(word: &str) -> u64 {
    FixedState::default().hash_one(word)
}

/// The key of a window extended by one word: a bijection in `key` for a fixed word, so windows
/// that differ anywhere get unrelated keys.
fn extend_key(key: u64, word: u64) -> u64 {
    let mixed = (key ^ word).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    mixed ^ (mixed >> 29)
}

/// Calls `visit(start, words, key, prefix, suffix)` for every window of 1..=`max_words` of the
/// word keys `words`. `rows` are scratch buffers, reused across calls.
fn for_each_window(
    words: &[u64],
    max_words: usize,
    rows: &mut (Vec<u64>, Vec<u64>),
    mut visit: impl FnMut(usize, usize, u64, u64, u64),
) {
    let (row, next_row) = rows;
    next_row.clear();
    // From the last start to the first, so the windows starting one word later (the suffixes)
    // are at hand in `next_row`.
    for start in (0..words.len()).rev() {
        row.clear();
        let mut key = WINDOW_SEED;
        for length in 1..=max_words.min(words.len() - start) {
            let prefix = if length > 1 { key } else { 0 };
            key = extend_key(key, words[start + length - 1]);
            let suffix = if length > 1 { next_row[length - 2] } else { 0 };
            row.push(key);
            visit(start, length, key, prefix, suffix);
        }
        std::mem::swap(row, next_row);
    }
}

/// The words of a phrase, rebuilt from where it was first said.
fn words_at(calls: &[CallLines<'_>], input: &MiningInput<'_>, at: Location, length: usize) -> Vec<String> {
    let call = calls[at.call as usize];
    let (turn, _) = call.lines[at.line as usize];
    let redacted = (input.redact)(&call.turns[turn as usize].text);
    let Some(sentence) = sentences(&redacted).into_iter().nth(at.sentence as usize) else {
        return Vec::new();
    };
    normalized_words(&normalize(sentence)).skip(at.start as usize).take(length).map(str::to_string).collect()
}

/// The lines a cohort call said in the stages where it is in a cohort, kept from the count for
/// the bootstrap (reading them again cost a fifth of the mining time).
struct CohortLines {
    call: usize,
    lines: Vec<(u16, Arc<ReadLine>)>,
}

/// A line read once: the word keys of each sentence of its redacted text.
struct ReadLine {
    sentences: Vec<Vec<u64>>,
}

/// Lines already read in this chunk, by their text. Voice agents say their script's lines over
/// and over, so most lines are read once per chunk instead of once per call (redaction was half
/// of the counting time). Cleared when full, to bound memory.
struct LineCache<'a> {
    lines: HashMap<&'a str, Arc<ReadLine>, FixedState>,
}

impl<'a> LineCache<'a> {
    const CAPACITY: usize = 50_000;

    fn read(&mut self, text: &'a str, redact: &(dyn Fn(&str) -> String + Sync)) -> Arc<ReadLine> {
        if let Some(line) = self.lines.get(text) {
            return line.clone();
        }
        if self.lines.len() >= Self::CAPACITY {
            self.lines.clear();
        }
        let sentences = sentences(&redact(text))
            .into_iter()
            .map(|sentence| normalized_words(&normalize(sentence)).map(word_key).collect())
            .collect();
        let line = Arc::new(ReadLine { sentences });
        self.lines.insert(text, line.clone());
        line
    }
}

/// Counts every phrase of `calls[range]` in every stage, per call.
fn count<'a>(
    calls: &[CallLines<'a>],
    range: std::ops::Range<usize>,
    input: &MiningInput<'_>,
    params: &DifferentiatorParams,
) -> (Tallies, Vec<CohortLines>) {
    let mut tallies = Tallies::default();
    let mut cohort_lines = Vec::new();
    let mut cache = LineCache { lines: HashMap::default() };
    let mut rows = (Vec::new(), Vec::new());
    for index in range {
        let call = calls[index];
        let mut kept_lines = Vec::new();
        for (line_index, &(turn, stage)) in call.lines.iter().enumerate() {
            let members: [Cohort; VIEWS] = std::array::from_fn(|view| input.cohorts[view][stage as usize][index]);
            let line = cache.read(&call.turns[turn as usize].text, input.redact);
            for (sentence, words) in line.sentences.iter().enumerate() {
                for_each_window(words, params.max_words, &mut rows, |start, length, key, prefix, suffix| {
                    let tally = tallies.entry((stage, key)).or_insert(Tally {
                        corpus: 0,
                        top: [0; VIEWS],
                        bottom: [0; VIEWS],
                        words: length as u32,
                        prefix,
                        suffix,
                        first_said: Location {
                            call: index as u32,
                            line: line_index as u32,
                            sentence: sentence as u32,
                            start: start as u32,
                        },
                        last_call: u32::MAX,
                    });
                    if tally.last_call == index as u32 {
                        return;
                    }
                    tally.last_call = index as u32;
                    tally.corpus += 1;
                    for (view, member) in members.iter().enumerate() {
                        match member {
                            Cohort::Top => tally.top[view] += 1,
                            Cohort::Bottom => tally.bottom[view] += 1,
                            Cohort::Middle => {}
                        }
                    }
                });
            }
            if members.iter().any(|member| *member != Cohort::Middle) {
                kept_lines.push((stage, line));
            }
        }
        if !kept_lines.is_empty() {
            cohort_lines.push(CohortLines { call: index, lines: kept_lines });
        }
    }
    (tallies, cohort_lines)
}

fn merge(mut into: Tallies, from: Tallies) -> Tallies {
    if into.len() < from.len() {
        return merge(from, into);
    }
    for (key, tally) in from {
        into.entry(key)
            .and_modify(|kept| {
                kept.corpus += tally.corpus;
                for view in 0..VIEWS {
                    kept.top[view] += tally.top[view];
                    kept.bottom[view] += tally.bottom[view];
                }
                // The earliest call wins, whichever thread counted it: the rebuilt text never
                // depends on scheduling.
                kept.first_said = kept.first_said.min(tally.first_said);
            })
            .or_insert(tally);
    }
    into
}

/// Mines the differentiators of every stage in both views.
pub fn differentiators(
    calls: &[CallLines<'_>],
    input: &MiningInput<'_>,
    params: &DifferentiatorParams,
) -> MinedPhrases {
    // A few chunks per core: enough to balance the load, few enough that merging is cheap.
    let chunk = calls.len().div_ceil(rayon::current_num_threads() * 4).max(256);
    let ranges: Vec<std::ops::Range<usize>> =
        (0..calls.len()).step_by(chunk).map(|start| start..(start + chunk).min(calls.len())).collect();
    // `reduce` combines neighbours in order, so the cohort calls stay in call order.
    let (tallies, cohort_lines) = ranges.into_par_iter().map(|range| count(calls, range, input, params)).reduce(
        || (Tallies::default(), Vec::new()),
        |(tallies, mut lines), (more_tallies, more_lines)| {
            lines.extend(more_lines);
            (merge(tallies, more_tallies), lines)
        },
    );

    let mut stages: Vec<HashMap<u64, Phrase, FixedState>> =
        (0..input.stage_names.len()).map(|_| HashMap::default()).collect();
    for ((stage, key), tally) in tallies {
        if tally.corpus as usize >= params.min_calls {
            stages[stage as usize].insert(key, Phrase { tally, redundant: false, joined_text: None });
        }
    }
    for phrases in &mut stages {
        mark_fragments(phrases);
        join_longest(phrases, params.max_words, |at, length| words_at(calls, input, at, length));
    }

    let mut ranked: Vec<[Ranking; VIEWS]> = stages
        .iter()
        .enumerate()
        .map(|(stage, phrases)| {
            std::array::from_fn(|view| rank(phrases, input.cohorts[view][stage].as_slice(), view, params))
        })
        .collect();
    if params.bootstrap_rounds > 0 {
        let said = ranked_phrases_said(&cohort_lines, &stages, &ranked, params);
        // Each (stage, view) has its own seeded generator, so running them on several cores
        // changes nothing.
        ranked.par_iter_mut().enumerate().for_each(|(stage, views)| {
            for (view, ranking) in views.iter_mut().enumerate() {
                bootstrap(ranking, &said[stage], input.cohorts[view][stage].as_slice(), &stages[stage], params);
            }
        });
    }

    let mut mined = MinedPhrases::default();
    for (stage, [overall, within]) in ranked.into_iter().enumerate() {
        let phrases = &stages[stage];
        let name = &input.stage_names[stage];
        if phrases.is_empty() && overall.top_cohort == 0 {
            continue;
        }
        let text = |key: u64| -> String {
            let phrase = &phrases[&key];
            phrase.joined_text.clone().unwrap_or_else(|| {
                words_at(calls, input, phrase.tally.first_said, phrase.tally.words as usize).join(" ")
            })
        };
        let within_of = |key: u64, z: f64| {
            let tally = &phrases[&key].tally;
            let view = View::WithinLeadQuality as usize;
            let within_z = within.z_of(tally, view, params);
            WithinStrata {
                z: within_z,
                holds: within_z.signum() == z.signum()
                    && within.cutoff.is_some_and(|cutoff| two_sided_normal_p(within_z) <= cutoff),
                top_calls: tally.top[view] as usize,
                bottom_calls: tally.bottom[view] as usize,
            }
        };
        let overall_result = overall.finish(&text, Some(&within_of));
        mined.overall.insert(name.clone(), overall_result);
        mined.within_lead_quality.insert(name.clone(), within.finish(&text, None));
    }
    mined
}

/// One view's ranking of one stage, before the texts are rebuilt.
struct Ranking {
    top_cohort: usize,
    bottom_cohort: usize,
    top_total: f64,
    bottom_total: f64,
    prior_total: f64,
    phrases_tested: usize,
    /// Holm's cutoff over the view's tested phrases.
    cutoff: Option<f64>,
    winning: Vec<(u64, Differentiator)>,
    losing: Vec<(u64, Differentiator)>,
}

impl Ranking {
    fn z_of(&self, tally: &Tally, view: usize, params: &DifferentiatorParams) -> f64 {
        log_odds_z(
            f64::from(tally.top[view]),
            self.top_total,
            f64::from(tally.bottom[view]),
            self.bottom_total,
            params.prior_scale * f64::from(tally.corpus),
            self.prior_total,
        )
        .1
    }

    fn finish(
        self,
        text: &dyn Fn(u64) -> String,
        within: Option<&dyn Fn(u64, f64) -> WithinStrata>,
    ) -> StageDifferentiators {
        let finish = |list: Vec<(u64, Differentiator)>| -> Vec<Differentiator> {
            list.into_iter()
                .map(|(key, mut differentiator)| {
                    differentiator.phrase = text(key);
                    differentiator.within_lead_quality = within.map(|within| within(key, differentiator.z));
                    differentiator
                })
                .collect()
        };
        StageDifferentiators {
            top_cohort: self.top_cohort,
            bottom_cohort: self.bottom_cohort,
            winning: finish(self.winning),
            losing: finish(self.losing),
            phrases_tested: self.phrases_tested,
        }
    }
}

fn rank(
    phrases: &HashMap<u64, Phrase, FixedState>,
    members: &[Cohort],
    view: usize,
    params: &DifferentiatorParams,
) -> Ranking {
    let top_cohort = members.iter().filter(|member| **member == Cohort::Top).count();
    let bottom_cohort = members.iter().filter(|member| **member == Cohort::Bottom).count();
    let corpus_total: f64 = phrases.values().map(|phrase| f64::from(phrase.tally.corpus)).sum();
    let top_total: f64 = phrases.values().map(|phrase| f64::from(phrase.tally.top[view])).sum();
    let bottom_total: f64 = phrases.values().map(|phrase| f64::from(phrase.tally.bottom[view])).sum();
    let prior_total = params.prior_scale * corpus_total;
    let mut scored: Vec<(u64, Differentiator)> = phrases
        .iter()
        .filter(|(_, phrase)| {
            let tally = &phrase.tally;
            !phrase.redundant
                && tally.words as usize >= params.min_words
                && (tally.top[view] + tally.bottom[view]) as usize >= params.min_support
        })
        .map(|(key, phrase)| {
            let tally = &phrase.tally;
            let (log_odds, z) = log_odds_z(
                f64::from(tally.top[view]),
                top_total,
                f64::from(tally.bottom[view]),
                bottom_total,
                params.prior_scale * f64::from(tally.corpus),
                prior_total,
            );
            let top_share = f64::from(tally.top[view]) / top_cohort.max(1) as f64;
            let bottom_share = f64::from(tally.bottom[view]) / bottom_cohort.max(1) as f64;
            let differentiator = Differentiator {
                phrase: String::new(),
                log_odds,
                z,
                p_value: two_sided_normal_p(z),
                significant: false,
                top_calls: tally.top[view] as usize,
                bottom_calls: tally.bottom[view] as usize,
                top_share,
                bottom_share,
                lift: (bottom_share > 0.0).then(|| top_share / bottom_share),
                corpus_calls: tally.corpus as usize,
                stability: None,
                within_lead_quality: None,
            };
            (*key, differentiator)
        })
        .collect();
    let phrases_tested = scored.len();
    let cutoff = holm_cutoff(scored.iter().map(|(_, d)| d.p_value).collect(), params.alpha);
    for (_, differentiator) in &mut scored {
        differentiator.significant = cutoff.is_some_and(|cutoff| differentiator.p_value <= cutoff);
    }
    // Ties broken by key: arbitrary but the same on every run.
    scored.sort_by(|a, b| b.1.z.total_cmp(&a.1.z).then_with(|| a.0.cmp(&b.0)));
    let take = params.top_phrases.min(scored.len());
    let winning = scored.iter().take(take).filter(|(_, d)| d.z > 0.0).cloned().collect();
    let losing = scored.iter().rev().take(take).filter(|(_, d)| d.z < 0.0).cloned().collect();
    Ranking { top_cohort, bottom_cohort, top_total, bottom_total, prior_total, phrases_tested, cutoff, winning, losing }
}

/// The largest p-value Holm's step-down procedure rejects at `alpha` (none when it rejects none).
fn holm_cutoff(mut p_values: Vec<f64>, alpha: f64) -> Option<f64> {
    p_values.sort_by(f64::total_cmp);
    let tests = p_values.len();
    let mut cutoff = None;
    for (rank, p_value) in p_values.into_iter().enumerate() {
        if p_value > alpha / (tests - rank) as f64 {
            break;
        }
        cutoff = Some(p_value);
    }
    cutoff
}

/// δ and z of Monroe et al. for counts `top` of `top_total` and `bottom` of `bottom_total` with
/// prior count `alpha` of `alpha_total`.
pub fn log_odds_z(
    top: f64,
    top_total: f64,
    bottom: f64,
    bottom_total: f64,
    alpha: f64,
    alpha_total: f64,
) -> (f64, f64) {
    let log_odds = ((top + alpha) / (top_total + alpha_total - top - alpha)).ln()
        - ((bottom + alpha) / (bottom_total + alpha_total - bottom - alpha)).ln();
    let variance = 1.0 / (top + alpha) + 1.0 / (bottom + alpha);
    (log_odds, log_odds / variance.sqrt())
}

/// Marks phrases that only occur inside one longer kept phrase: an (n−1)-word phrase said by as
/// many calls as an n-word phrase it begins or ends.
fn mark_fragments(phrases: &mut HashMap<u64, Phrase, FixedState>) {
    let mut fragments = Vec::new();
    for phrase in phrases.values().filter(|phrase| phrase.tally.words >= 2) {
        for part in [phrase.tally.prefix, phrase.tally.suffix] {
            if phrases.get(&part).is_some_and(|fragment| fragment.tally.corpus == phrase.tally.corpus) {
                fragments.push(part);
            }
        }
    }
    for key in fragments {
        if let Some(fragment) = phrases.get_mut(&key) {
            fragment.redundant = true;
        }
    }
}

/// Rebuilds sentences longer than `max_words`: two longest phrases that overlap in all but one
/// word and are said by the same number of calls are windows of one longer phrase, so they are
/// joined into it (the first window keeps the counts; the others are marked redundant). Without
/// this, one long sentence fills the ranking with its overlapping windows.
fn join_longest(
    phrases: &mut HashMap<u64, Phrase, FixedState>,
    max_words: usize,
    words_at: impl Fn(Location, usize) -> Vec<String>,
) {
    if max_words < 2 {
        return;
    }
    let mut longest: Vec<(u64, Tally)> = phrases
        .iter()
        .filter(|(_, phrase)| phrase.tally.words as usize == max_words && !phrase.redundant)
        .map(|(key, phrase)| (*key, phrase.tally))
        .collect();
    longest.sort_by_key(|(key, _)| *key);
    let mut by_prefix: HashMap<(u64, u32), Vec<usize>> = HashMap::new();
    for (position, (_, tally)) in longest.iter().enumerate() {
        by_prefix.entry((tally.prefix, tally.corpus)).or_default().push(position);
    }
    // next[i] = the window that continues window i, when exactly one does.
    let next: Vec<Option<usize>> = longest
        .iter()
        .map(|(_, tally)| match by_prefix.get(&(tally.suffix, tally.corpus)) {
            Some(followers) if followers.len() == 1 => Some(followers[0]),
            _ => None,
        })
        .collect();
    let mut has_previous = vec![false; longest.len()];
    for follower in next.iter().flatten() {
        has_previous[*follower] = true;
    }
    for start in (0..longest.len()).filter(|&position| !has_previous[position] && next[position].is_some()) {
        let mut words = words_at(longest[start].1.first_said, max_words);
        let mut position = start;
        let mut steps = 0;
        while let Some(follower) = next[position] {
            if steps > longest.len() {
                break; // a cycle (a repeated sentence pattern); stop rather than loop
            }
            let (key, tally) = longest[follower];
            words.extend(words_at(tally.first_said, max_words).pop());
            if let Some(phrase) = phrases.get_mut(&key) {
                phrase.redundant = true;
            }
            position = follower;
            steps += 1;
        }
        if let Some(phrase) = phrases.get_mut(&longest[start].0) {
            phrase.tally.words = words.len() as u32;
            phrase.joined_text = Some(words.join(" "));
        }
    }
}

/// What one cohort call said in one stage, for the bootstrap: how many kept phrases, and which
/// of the ranked ones.
struct CohortCall {
    call: usize,
    kept_phrases: u32,
    ranked_said: Vec<u64>,
}

/// For every call in a cohort of some stage, the kept and ranked phrases it said there.
fn ranked_phrases_said(
    cohort_lines: &[CohortLines],
    stages: &[HashMap<u64, Phrase, FixedState>],
    ranked: &[[Ranking; VIEWS]],
    params: &DifferentiatorParams,
) -> Vec<Vec<CohortCall>> {
    let ranked_keys: Vec<HashSet<u64>> = ranked
        .iter()
        .map(|views| {
            views
                .iter()
                .flat_map(|ranking| ranking.winning.iter().chain(&ranking.losing))
                .map(|(key, _)| *key)
                .collect()
        })
        .collect();
    let per_call: Vec<Vec<(u16, CohortCall)>> = cohort_lines
        .par_iter()
        .map(|cohort_call| {
            let mut said: BTreeMap<u16, (HashSet<u64, FixedState>, CohortCall)> = BTreeMap::new();
            let mut rows = (Vec::new(), Vec::new());
            for (stage, line) in &cohort_call.lines {
                let stage = *stage as usize;
                if ranked_keys[stage].is_empty() {
                    continue;
                }
                let (seen, reading) = said.entry(stage as u16).or_insert_with(|| {
                    (
                        HashSet::default(),
                        CohortCall { call: cohort_call.call, kept_phrases: 0, ranked_said: Vec::new() },
                    )
                });
                for words in &line.sentences {
                    for_each_window(words, params.max_words, &mut rows, |_, _, key, _, _| {
                        if !stages[stage].contains_key(&key) || !seen.insert(key) {
                            return;
                        }
                        reading.kept_phrases += 1;
                        if ranked_keys[stage].contains(&key) {
                            reading.ranked_said.push(key);
                        }
                    });
                }
            }
            said.into_iter().map(|(stage, (_, reading))| (stage, reading)).collect()
        })
        .collect();
    let mut by_stage: Vec<Vec<CohortCall>> = (0..stages.len()).map(|_| Vec::new()).collect();
    for (stage, reading) in per_call.into_iter().flatten() {
        by_stage[stage as usize].push(reading);
    }
    by_stage
}

fn bootstrap(
    ranking: &mut Ranking,
    said: &[CohortCall],
    members: &[Cohort],
    phrases: &HashMap<u64, Phrase, FixedState>,
    params: &DifferentiatorParams,
) {
    let listed: Vec<u64> = ranking.winning.iter().chain(&ranking.losing).map(|(key, _)| *key).collect();
    if listed.is_empty() {
        return;
    }
    let position: HashMap<u64, usize> = listed.iter().enumerate().map(|(position, key)| (*key, position)).collect();
    // Each cohort call as (kept phrases, positions of the listed phrases it said): the rounds
    // below then only add up small arrays.
    let sample_of = |cohort: Cohort| -> Vec<(f64, Vec<usize>)> {
        said.iter()
            .filter(|reading| members[reading.call] == cohort)
            .map(|reading| {
                let listed_said = reading.ranked_said.iter().filter_map(|key| position.get(key).copied()).collect();
                (f64::from(reading.kept_phrases), listed_said)
            })
            .collect()
    };
    let (top_calls, bottom_calls) = (sample_of(Cohort::Top), sample_of(Cohort::Bottom));
    if top_calls.is_empty() || bottom_calls.is_empty() {
        return;
    }
    let observed_z: Vec<f64> = ranking.winning.iter().chain(&ranking.losing).map(|(_, d)| d.z).collect();
    let mut held = vec![0_usize; listed.len()];
    let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
    for _ in 0..params.bootstrap_rounds {
        let mut top = vec![0.0; listed.len()];
        let mut bottom = vec![0.0; listed.len()];
        let (mut top_total, mut bottom_total) = (0.0, 0.0);
        for (sample, counts_into, total) in
            [(&top_calls, &mut top, &mut top_total), (&bottom_calls, &mut bottom, &mut bottom_total)]
        {
            for _ in 0..sample.len() {
                let (kept_phrases, listed_said) = &sample[rng.random_range(0..sample.len())];
                *total += kept_phrases;
                for &index in listed_said {
                    counts_into[index] += 1.0;
                }
            }
        }
        for (index, key) in listed.iter().enumerate() {
            let alpha = params.prior_scale * f64::from(phrases[key].tally.corpus);
            let (_, z) = log_odds_z(top[index], top_total, bottom[index], bottom_total, alpha, ranking.prior_total);
            if z.signum() == observed_z[index].signum() && z.abs() >= params.z_threshold {
                held[index] += 1;
            }
        }
    }
    for (index, (_, differentiator)) in ranking.winning.iter_mut().chain(ranking.losing.iter_mut()).enumerate() {
        differentiator.stability = Some(held[index] as f64 / params.bootstrap_rounds as f64);
    }
}

#[cfg(test)]
mod tests {
    use super::{extend_key, for_each_window, holm_cutoff, log_odds_z};

    #[test]
    fn holm_steps_down_until_a_p_value_fails() {
        // m = 4: thresholds .0125, .0167, .025, .05.
        assert_eq!(holm_cutoff(vec![0.03, 0.001, 0.012, 0.2], 0.05), Some(0.012), "0.03 > 0.025 stops it");
        assert_eq!(holm_cutoff(vec![0.02, 0.5], 0.05), Some(0.02), "0.02 ≤ 0.025, then 0.5 > 0.05");
        assert_eq!(holm_cutoff(vec![0.03, 0.04], 0.05), None, "0.03 > 0.025: nothing rejected");
        assert_eq!(holm_cutoff(Vec::new(), 0.05), None);
    }

    /// Reference values from an independent computation of Monroe et al.'s eq. 16 and 18:
    /// `python3 -c "import math; yt,nt,yb,nb,a,a0=30,1000,10,1200,2.5,60;
    /// d=math.log((yt+a)/(nt+a0-yt-a))-math.log((yb+a)/(nb+a0-yb-a)); print(d, d/math.sqrt(1/(yt+a)+1/(yb+a)))"`
    /// → 1.1495243262827204 3.4538907506712877
    #[test]
    fn log_odds_match_an_independent_computation() {
        let (log_odds, z) = log_odds_z(30.0, 1000.0, 10.0, 1200.0, 2.5, 60.0);
        assert!((log_odds - 1.1495243262827204).abs() < 1e-12, "{log_odds}");
        assert!((z - 3.4538907506712877).abs() < 1e-12, "{z}");
        let (symmetric, _) = log_odds_z(10.0, 1200.0, 30.0, 1000.0, 2.5, 60.0);
        assert!((symmetric + log_odds).abs() < 1e-12, "swapping the groups flips the sign");
    }

    /// The `log_odds_informative_dirichlet` case of shared/oracles/oracles.json (numpy, Monroe et
    /// al. eq. 16–22, generated with numpy 2.4.6 by shared/oracles/generate.py), copied here:
    /// α_w = α0 · background_w / Σ background, totals are the column sums.
    #[test]
    fn log_odds_match_the_shared_oracle() {
        let top = [40.0, 25.0, 5.0, 3.0, 30.0, 12.0, 2.0, 4.0];
        let bottom = [8.0, 22.0, 30.0, 20.0, 9.0, 10.0, 15.0, 18.0];
        let background = [400.0, 600.0, 500.0, 350.0, 300.0, 280.0, 250.0, 330.0];
        let alpha0 = 100.0;
        let delta = [
            1.1457837035174139,
            0.14561077084505802,
            -0.8414282644505802,
            -0.8006134351322876,
            0.9081272165073866,
            0.1616578574290024,
            -0.8255414124111122,
            -0.6750915314878594,
        ];
        let z = [
            4.468831708137252,
            0.678159803866852,
            -3.2332477267581954,
            -2.5320135840251856,
            3.2569546552032795,
            0.5144311449910633,
            -2.2068076241116943,
            -2.1205008905183806,
        ];
        let (top_total, bottom_total): (f64, f64) = (top.iter().sum(), bottom.iter().sum());
        let background_total: f64 = background.iter().sum();
        for word in 0..top.len() {
            let alpha = alpha0 * background[word] / background_total;
            let (log_odds, score) = log_odds_z(top[word], top_total, bottom[word], bottom_total, alpha, alpha0);
            assert!((log_odds - delta[word]).abs() < 1e-12, "word {word}: δ {log_odds} vs {}", delta[word]);
            assert!((score - z[word]).abs() < 1e-12, "word {word}: z {score} vs {}", z[word]);
        }
    }

    /// A window's key is the same wherever it occurs, and its prefix and suffix keys are the keys
    /// of the windows one word shorter: what fragment marking and sentence joining rely on.
    #[test]
    fn window_keys_agree_with_their_prefixes_and_suffixes() {
        let words = [11_u64, 22, 33, 22, 33];
        let mut windows = std::collections::HashMap::new();
        let mut rows = (Vec::new(), Vec::new());
        let mut seen = Vec::new();
        for_each_window(&words, 3, &mut rows, |start, length, key, prefix, suffix| {
            windows.insert((start, length), key);
            seen.push((start, length, key, prefix, suffix));
        });
        assert_eq!(seen.len(), 3 + 3 + 3 + 2 + 1, "every window of 1..=3 words");
        for (start, length, key, prefix, suffix) in seen {
            if length > 1 {
                assert_eq!(prefix, windows[&(start, length - 1)]);
                assert_eq!(suffix, windows[&(start + 1, length - 1)]);
            }
            let expected =
                words[start..start + length].iter().fold(super::WINDOW_SEED, |key, word| extend_key(key, *word));
            assert_eq!(key, expected);
        }
        assert_eq!(windows[&(1, 2)], windows[&(3, 2)], "\"22 33\" twice, one key");
        assert_ne!(windows[&(0, 2)], windows[&(1, 2)]);
    }
}
