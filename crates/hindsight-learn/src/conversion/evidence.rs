//! The evidence every conversion rate is reported with, and the ranking rule all four detectors
//! share.
//!
//! A family (titles, send hours, subject lines…) is ranked by shrunk rate: each category's
//! beta-binomial posterior mean under a prior fitted to the family, so a small category is pulled
//! toward the family's rate. Categories below the minimum sample are left out of rankings
//! altogether (the spec's 5), so neither 2/2 nor a lucky 3/3 can top one. Each category is tested
//! against the rest of its family (pooled two-proportion z-test, Fisher's exact test when an
//! expected count is under 5) and the family's p-values are Holm-adjusted: with thirty send hours
//! tested, one would pass at 5% by chance alone.

use hindsight_stats::{BetaPrior, Interval, Rate, fisher_exact, holm_adjusted, two_proportion_z_test, wilson_interval};
use serde::{Deserialize, Serialize};

/// How rates are judged.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EvidenceParams {
    /// Categories with fewer trials are not ranked (the spec's `MIN_SAMPLES_CATEGORY`).
    pub min_category_sample: u64,
    /// Confidence of Wilson and credible intervals.
    pub confidence: f64,
    /// Family-wise error rate of a family's tests (Holm).
    pub alpha: f64,
}

impl Default for EvidenceParams {
    fn default() -> Self {
        EvidenceParams { min_category_sample: 5, confidence: 0.95, alpha: 0.05 }
    }
}

/// One category's rate with its evidence.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RateEvidence {
    /// The raw rate, successes / sample.
    pub conversion_rate: f64,
    /// Trials (leads or touches) in the category.
    pub sample: u64,
    /// Of those, how many converted.
    pub conversions: u64,
    /// Wilson interval of the raw rate.
    pub interval: Interval,
    /// Beta-binomial posterior mean: what rankings sort by.
    pub shrunk_rate: f64,
    /// Shrunk rate over the family's rate.
    pub lift: f64,
    /// Two-sided p-value against the rest of the family.
    pub p_value: f64,
    /// The p-value after Holm's correction over the family.
    pub p_adjusted: f64,
    /// Whether the difference from the rest survives the correction at `alpha`.
    pub significant: bool,
}

impl RateEvidence {
    /// A significant difference upward: a winner a report may name.
    pub fn is_significant_winner(&self) -> bool {
        self.significant && self.lift > 1.0
    }
}

/// A family ranked by shrunk rate, best first, with what it was compared to.
#[derive(Debug, Clone, PartialEq)]
pub struct RankedFamily {
    /// Ranked categories (at least the minimum sample each).
    pub ranked: Vec<(String, RateEvidence)>,
    /// The family's pooled rate (every category, small ones included).
    pub family_rate: Rate,
    /// Categories left out for being below the minimum sample.
    pub too_small: usize,
}

/// Ranks `groups` (category name, rate): categories that partition their trials, such as titles
/// or send hours. Groups with no trials are ignored.
pub fn rank_family(groups: impl IntoIterator<Item = (String, Rate)>, params: &EvidenceParams) -> RankedFamily {
    let groups: Vec<(String, Rate)> = groups.into_iter().filter(|(_, rate)| rate.trials > 0).collect();
    let family_rate = groups.iter().fold(Rate::default(), |total, (_, rate)| {
        Rate::new(total.successes + rate.successes, total.trials + rate.trials)
    });
    rank_within(groups, family_rate, params)
}

/// Ranks categories that overlap (a message can name two pain points): each is compared with the
/// trials of `universe` outside it, and lift is against the universe's rate.
pub fn rank_overlapping(
    groups: impl IntoIterator<Item = (String, Rate)>,
    universe: Rate,
    params: &EvidenceParams,
) -> RankedFamily {
    let groups: Vec<(String, Rate)> = groups.into_iter().filter(|(_, rate)| rate.trials > 0).collect();
    rank_within(groups, universe, params)
}

fn rank_within(groups: Vec<(String, Rate)>, family_rate: Rate, params: &EvidenceParams) -> RankedFamily {
    let rates: Vec<Rate> = groups.iter().map(|(_, rate)| *rate).collect();
    let prior = BetaPrior::fit_moments(&rates).ok();
    let (eligible, small): (Vec<_>, Vec<_>) =
        groups.into_iter().partition(|(_, rate)| rate.trials >= params.min_category_sample);
    let p_values: Vec<f64> = eligible.iter().map(|(_, rate)| p_against_rest(*rate, family_rate)).collect();
    let adjusted = holm_adjusted(&p_values);
    let family = family_rate.estimate().unwrap_or(0.0);
    let mut ranked: Vec<(String, RateEvidence)> = eligible
        .into_iter()
        .zip(p_values.into_iter().zip(adjusted))
        .map(|((name, rate), (p_value, p_adjusted))| {
            let shrunk_rate = prior
                .and_then(|prior| prior.posterior(rate, params.confidence).ok())
                .map(|posterior| posterior.mean)
                // No prior (every trial in the family succeeded, or none did): nothing to shrink.
                .unwrap_or(family);
            let evidence = RateEvidence {
                conversion_rate: rate.estimate().unwrap_or(0.0),
                sample: rate.trials,
                conversions: rate.successes,
                interval: wilson_interval(rate.successes, rate.trials, params.confidence)
                    .unwrap_or(Interval { low: 0.0, high: 1.0 }),
                shrunk_rate,
                lift: if family > 0.0 { shrunk_rate / family } else { 1.0 },
                p_value,
                p_adjusted,
                significant: p_adjusted < params.alpha,
            };
            (name, evidence)
        })
        .collect();
    ranked.sort_by(|a, b| b.1.shrunk_rate.total_cmp(&a.1.shrunk_rate).then_with(|| a.0.cmp(&b.0)));
    RankedFamily { ranked, family_rate, too_small: small.len() }
}

/// Two-sided p-value of a category against the rest of its family: the z-test, or Fisher's exact
/// test when an expected cell count is under 5 (where the normal approximation fails). 1 when
/// there is no rest or no variance to test.
pub fn p_against_rest(group: Rate, family: Rate) -> f64 {
    let rest = Rate::new(family.successes.saturating_sub(group.successes), family.trials.saturating_sub(group.trials));
    p_between(group, rest)
}

/// Two-sided p-value of the difference between two rates (see [`p_against_rest`]).
pub fn p_between(first: Rate, second: Rate) -> f64 {
    if first.trials == 0 || second.trials == 0 {
        return 1.0;
    }
    let total = (first.trials + second.trials) as f64;
    let successes = (first.successes + second.successes) as f64;
    let failures = total - successes;
    let smallest_expected = [first.trials as f64, second.trials as f64]
        .into_iter()
        .flat_map(|row| [row * successes / total, row * failures / total])
        .fold(f64::INFINITY, f64::min);
    if smallest_expected < 5.0 {
        let table =
            [[first.successes, first.trials - first.successes], [second.successes, second.trials - second.successes]];
        return fisher_exact(table).map(|test| test.p_value).unwrap_or(1.0);
    }
    two_proportion_z_test(first.successes, first.trials, second.successes, second.trials)
        .map(|test| test.p_value)
        .unwrap_or(1.0)
}

/// A yes/no signal's lift: the rate with it over the rate without it, with both samples.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FlagLift {
    /// Rate with the flag over rate without (1 when either side is below the minimum sample).
    pub lift: f64,
    /// Leads (or touches) with the flag.
    pub with_sample: u64,
    /// Rate with the flag.
    pub with_rate: f64,
    /// Wilson interval of the rate with the flag (absent with no trials).
    pub with_interval: Option<Interval>,
    /// Leads (or touches) without it.
    pub without_sample: u64,
    /// Rate without it.
    pub without_rate: f64,
    /// Wilson interval of the rate without the flag.
    pub without_interval: Option<Interval>,
    /// Two-sided p-value of the difference.
    pub p_value: f64,
}

/// The lift of a flag from the two rates, or a lift of 1 when either side is too small to say
/// (as the spec's `_calculate_lift`).
pub fn flag_lift(with: Rate, without: Rate, params: &EvidenceParams) -> FlagLift {
    let with_rate = with.estimate().unwrap_or(0.0);
    let without_rate = without.estimate().unwrap_or(0.0);
    let enough = with.trials >= params.min_category_sample && without.trials >= params.min_category_sample;
    FlagLift {
        lift: if enough && without_rate > 0.0 { with_rate / without_rate } else { 1.0 },
        with_sample: with.trials,
        with_rate,
        with_interval: with.wilson(params.confidence),
        without_sample: without.trials,
        without_rate,
        without_interval: without.wilson(params.confidence),
        p_value: p_between(with, without),
    }
}

/// Declares a ranked-category type whose name field carries the spec's key (`"title"`,
/// `"pattern"`, `"cta"`…) with the evidence beside it, flattened as in the spec's JSON.
macro_rules! ranked_category {
    ($(#[$doc:meta])* $type_name:ident, $key:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct $type_name {
            /// The category.
            #[serde(rename = $key)]
            pub name: String,
            /// Its rate and evidence.
            #[serde(flatten)]
            pub evidence: $crate::conversion::evidence::RateEvidence,
        }

        impl From<(String, $crate::conversion::evidence::RateEvidence)> for $type_name {
            fn from((name, evidence): (String, $crate::conversion::evidence::RateEvidence)) -> Self {
                $type_name { name, evidence }
            }
        }
    };
}
pub(crate) use ranked_category;
