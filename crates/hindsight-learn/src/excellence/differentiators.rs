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
//! agent's turns, built by the caller from redacted text; a phrase is kept only when it occurs in
//! at least `min_calls` distinct calls of the corpus (the privacy floor k), and ranked only when
//! the two cohorts together have `min_support` calls with it. A phrase that only ever occurs inside
//! one longer kept phrase (same calls) is dropped in favour of the longer one, so one winning
//! sentence does not fill the ranking with its fragments. Each ranked phrase's stability is the
//! share of bootstrap resamples of the cohorts (calls drawn with replacement) in which its z keeps
//! its sign and stays past `z_threshold`.

use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};

use hindsight_stats::two_sided_normal_p;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// Settings of differentiator mining.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
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
    /// Top-cohort calls that say it, and the cohort's size.
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
}

/// The ranked phrases of one stage.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StageDifferentiators {
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

#[derive(Default)]
struct PhraseCounts {
    text: String,
    words: usize,
    corpus: usize,
    top: usize,
    bottom: usize,
    redundant: bool,
}

fn hash_words(words: &[String]) -> u64 {
    let mut hasher = DefaultHasher::new();
    words.hash(&mut hasher);
    hasher.finish()
}

/// Mines differentiators: `calls[i]` maps each stage to the word sequences (agent turns,
/// redacted, tokenized) the call said in it; `cohorts[stage][i]` says where call i stands in that
/// stage's comparison (a call absent from a stage's list counts toward the prior only).
pub fn differentiators(
    calls: &[BTreeMap<String, Vec<Vec<String>>>],
    cohorts: &BTreeMap<String, Vec<Cohort>>,
    params: &DifferentiatorParams,
) -> BTreeMap<String, StageDifferentiators> {
    let cohort_of = |stage: &str, index: usize| {
        cohorts.get(stage).and_then(|list| list.get(index)).copied().unwrap_or(Cohort::Middle)
    };
    let mut stages: BTreeMap<String, HashMap<u64, PhraseCounts>> = BTreeMap::new();
    // Per call and stage, the distinct phrase hashes (kept for the bootstrap of cohort calls).
    let mut cohort_call_phrases: Vec<(usize, String, Vec<u64>)> = Vec::new();
    for (index, stages_said) in calls.iter().enumerate() {
        for (stage, turns) in stages_said {
            let counts = stages.entry(stage.clone()).or_default();
            let mut seen: HashMap<u64, ()> = HashMap::new();
            for words in turns {
                for length in 1..=params.max_words.min(words.len()) {
                    for window in words.windows(length) {
                        let key = hash_words(window);
                        if seen.insert(key, ()).is_some() {
                            continue;
                        }
                        let entry = counts.entry(key).or_insert_with(|| PhraseCounts {
                            text: window.join(" "),
                            words: length,
                            ..PhraseCounts::default()
                        });
                        entry.corpus += 1;
                        match cohort_of(stage, index) {
                            Cohort::Top => entry.top += 1,
                            Cohort::Bottom => entry.bottom += 1,
                            Cohort::Middle => {}
                        }
                    }
                }
            }
            if cohort_of(stage, index) != Cohort::Middle {
                cohort_call_phrases.push((index, stage.clone(), seen.into_keys().collect()));
            }
        }
    }

    let mut result = BTreeMap::new();
    for (stage, mut counts) in stages {
        let members = cohorts.get(&stage).map(Vec::as_slice).unwrap_or_default();
        let top_size = members.iter().filter(|c| **c == Cohort::Top).count();
        let bottom_size = members.iter().filter(|c| **c == Cohort::Bottom).count();
        counts.retain(|_, phrase| phrase.corpus >= params.min_calls);
        mark_fragments(&mut counts, params.max_words);
        join_longest(&mut counts, params.max_words);
        let corpus_total: usize = counts.values().map(|phrase| phrase.corpus).sum();
        let top_total: usize = counts.values().map(|phrase| phrase.top).sum();
        let bottom_total: usize = counts.values().map(|phrase| phrase.bottom).sum();
        let prior = |corpus: usize| params.prior_scale * corpus as f64;
        let prior_total = prior(corpus_total);
        let mut scored: Vec<(u64, Differentiator)> = counts
            .iter()
            .filter(|(_, phrase)| {
                !phrase.redundant
                    && phrase.words >= params.min_words
                    && phrase.top + phrase.bottom >= params.min_support
            })
            .map(|(key, phrase)| {
                let (log_odds, z) = log_odds_z(
                    phrase.top as f64,
                    top_total as f64,
                    phrase.bottom as f64,
                    bottom_total as f64,
                    prior(phrase.corpus),
                    prior_total,
                );
                let top_share = phrase.top as f64 / top_size.max(1) as f64;
                let bottom_share = phrase.bottom as f64 / bottom_size.max(1) as f64;
                let differentiator = Differentiator {
                    phrase: phrase.text.clone(),
                    log_odds,
                    z,
                    p_value: two_sided_normal_p(z),
                    significant: false,
                    top_calls: phrase.top,
                    bottom_calls: phrase.bottom,
                    top_share,
                    bottom_share,
                    lift: (bottom_share > 0.0).then(|| top_share / bottom_share),
                    corpus_calls: phrase.corpus,
                    stability: None,
                };
                (*key, differentiator)
            })
            .collect();
        let phrases_tested = scored.len();
        let holm_cutoff = holm_cutoff(scored.iter().map(|(_, d)| d.p_value).collect(), params.alpha);
        for (_, differentiator) in &mut scored {
            differentiator.significant = holm_cutoff.is_some_and(|cutoff| differentiator.p_value <= cutoff);
        }
        scored.sort_by(|a, b| b.1.z.total_cmp(&a.1.z).then_with(|| a.1.phrase.cmp(&b.1.phrase)));
        let take = params.top_phrases.min(scored.len());
        let mut winning: Vec<(u64, Differentiator)> =
            scored.iter().take(take).filter(|(_, d)| d.z > 0.0).cloned().collect();
        let mut losing: Vec<(u64, Differentiator)> =
            scored.iter().rev().take(take).filter(|(_, d)| d.z < 0.0).cloned().collect();
        if params.bootstrap_rounds > 0 {
            let calls_of_stage: Vec<&(usize, String, Vec<u64>)> =
                cohort_call_phrases.iter().filter(|(_, call_stage, _)| *call_stage == stage).collect();
            for list in [&mut winning, &mut losing] {
                bootstrap(list, &calls_of_stage, members, &counts, params, prior_total);
            }
        }
        result.insert(
            stage,
            StageDifferentiators {
                winning: winning.into_iter().map(|(_, d)| d).collect(),
                losing: losing.into_iter().map(|(_, d)| d).collect(),
                phrases_tested,
            },
        );
    }
    result
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

/// Marks phrases that only occur inside one longer kept phrase: an (n−1)-word phrase whose
/// corpus count equals that of an n-word phrase it begins or ends.
fn mark_fragments(counts: &mut HashMap<u64, PhraseCounts>, max_words: usize) {
    for length in (2..=max_words).rev() {
        let mut fragments = Vec::new();
        for phrase in counts.values().filter(|phrase| phrase.words == length) {
            let words: Vec<String> = phrase.text.split(' ').map(str::to_string).collect();
            for part in [&words[1..], &words[..words.len() - 1]] {
                let key = hash_words(part);
                if counts.get(&key).is_some_and(|fragment| fragment.corpus == phrase.corpus) {
                    fragments.push(key);
                }
            }
        }
        for key in fragments {
            if let Some(fragment) = counts.get_mut(&key) {
                fragment.redundant = true;
            }
        }
    }
}

/// Rebuilds sentences longer than `max_words`: two longest phrases that overlap in all but one
/// word and are said by the same number of calls are windows of one longer phrase, so they are
/// joined into it (the first window keeps the counts; the others are marked redundant). Without
/// this, one long sentence fills the ranking with its overlapping windows.
fn join_longest(counts: &mut HashMap<u64, PhraseCounts>, max_words: usize) {
    if max_words < 2 {
        return;
    }
    let longest: Vec<(u64, Vec<String>, usize)> = counts
        .iter()
        .filter(|(_, phrase)| phrase.words == max_words && !phrase.redundant)
        .map(|(key, phrase)| (*key, phrase.text.split(' ').map(str::to_string).collect(), phrase.corpus))
        .collect();
    let mut by_prefix: HashMap<(u64, usize), Vec<usize>> = HashMap::new();
    for (position, (_, words, corpus)) in longest.iter().enumerate() {
        by_prefix.entry((hash_words(&words[..max_words - 1]), *corpus)).or_default().push(position);
    }
    // next[i] = the window that continues window i, when exactly one does.
    let next: Vec<Option<usize>> = longest
        .iter()
        .map(|(_, words, corpus)| match by_prefix.get(&(hash_words(&words[1..]), *corpus)) {
            Some(followers) if followers.len() == 1 => Some(followers[0]),
            _ => None,
        })
        .collect();
    let mut has_previous = vec![false; longest.len()];
    for follower in next.iter().flatten() {
        has_previous[*follower] = true;
    }
    for start in (0..longest.len()).filter(|&position| !has_previous[position]) {
        let mut words = longest[start].1.clone();
        let mut position = start;
        let mut steps = 0;
        while let Some(follower) = next[position] {
            if steps > longest.len() {
                break; // a cycle (a repeated sentence pattern); stop rather than loop
            }
            words.push(longest[follower].1[max_words - 1].clone());
            if let Some(phrase) = counts.get_mut(&longest[follower].0) {
                phrase.redundant = true;
            }
            position = follower;
            steps += 1;
        }
        if steps > 0
            && let Some(phrase) = counts.get_mut(&longest[start].0)
        {
            phrase.words = words.len();
            phrase.text = words.join(" ");
        }
    }
}

fn bootstrap(
    list: &mut [(u64, Differentiator)],
    calls: &[&(usize, String, Vec<u64>)],
    cohort: &[Cohort],
    counts: &HashMap<u64, PhraseCounts>,
    params: &DifferentiatorParams,
    prior_total: f64,
) {
    if list.is_empty() {
        return;
    }
    let top_calls: Vec<&(usize, String, Vec<u64>)> =
        calls.iter().copied().filter(|c| cohort[c.0] == Cohort::Top).collect();
    let bottom_calls: Vec<&(usize, String, Vec<u64>)> =
        calls.iter().copied().filter(|c| cohort[c.0] == Cohort::Bottom).collect();
    if top_calls.is_empty() || bottom_calls.is_empty() {
        return;
    }
    let kept = |key: &u64| counts.contains_key(key);
    let position: HashMap<u64, usize> = list.iter().enumerate().map(|(position, (key, _))| (*key, position)).collect();
    let mut held = vec![0_usize; list.len()];
    let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
    for _ in 0..params.bootstrap_rounds {
        let mut top = vec![0.0; list.len()];
        let mut bottom = vec![0.0; list.len()];
        let (mut top_total, mut bottom_total) = (0.0, 0.0);
        for (sample, counts_into, total) in
            [(&top_calls, &mut top, &mut top_total), (&bottom_calls, &mut bottom, &mut bottom_total)]
        {
            for _ in 0..sample.len() {
                let call = sample[rng.random_range(0..sample.len())];
                for key in call.2.iter().filter(|key| kept(key)) {
                    *total += 1.0;
                    if let Some(&index) = position.get(key) {
                        counts_into[index] += 1.0;
                    }
                }
            }
        }
        for (index, (key, differentiator)) in list.iter().enumerate() {
            let alpha = params.prior_scale * counts[key].corpus as f64;
            let (_, z) = log_odds_z(top[index], top_total, bottom[index], bottom_total, alpha, prior_total);
            if z.signum() == differentiator.z.signum() && z.abs() >= params.z_threshold {
                held[index] += 1;
            }
        }
    }
    for (index, (_, differentiator)) in list.iter_mut().enumerate() {
        differentiator.stability = Some(held[index] as f64 / params.bootstrap_rounds as f64);
    }
}

#[cfg(test)]
mod tests {
    use super::{holm_cutoff, log_odds_z};

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
}
