//! WHO: which leads book — titles, industries, company sizes, timing signals — and the lead-score
//! weights that best separate converted leads from failed ones.
//!
//! Leads with a terminal outcome are the sample: converted against unsubscribed, bounced, not
//! interested and dead (the spec's `_get_failed_leads`); new and contacted leads are still open.
//! Below 30 such leads or 10 conversions the detector returns the spec's defaults with confidence
//! 0 rather than rankings of noise.
//!
//! The weights: each lead's score snapshot holds its components (data quality /20, authority /25,
//! company fit /25, timing /15); normalized to [0, 1] they are the features of a logistic model
//! whose coefficients are the weights, each in [0.05, 0.50], summing to 0.85, with an L2 penalty
//! of 0.01 — the spec's objective, solved by SLSQP. One change from the spec's sketch: the model
//! has a free intercept. Without it every predicted probability is at least 0.5 (the weighted
//! sum is never negative), so at a 20% booking rate the loss is dominated by pushing every score
//! down, which says nothing about which component predicts booking. The fitted weights are kept
//! only when they satisfy every constraint and their loss is no worse than the default weights'
//! (each with its own best intercept); otherwise the defaults stand and the reason is recorded.

use hindsight_model::{AlsWeights, Lead, LeadStatus};
use hindsight_stats::{FixedSumProblem, Rate, minimize_fixed_sum};
use serde::{Deserialize, Serialize};

use crate::conversion::ConversionParams;
use crate::conversion::evidence::{FlagLift, RateEvidence, flag_lift, rank_family, ranked_category};

ranked_category!(
    /// A title's conversion rate.
    TitleRank,
    "title"
);
ranked_category!(
    /// An industry's conversion rate.
    IndustryRank,
    "industry"
);

/// Company-size ranges (employees), as the spec's `_analyze_company_size`, plus everything larger.
pub const SIZE_RANGES: &[(u32, u32, &str)] = &[
    (1, 5, "1-5"),
    (6, 15, "6-15"),
    (16, 30, "16-30"),
    (31, 50, "31-50"),
    (51, 100, "51-100"),
    (101, 500, "101-500"),
    (501, u32::MAX, "501+"),
];

/// The range label of an employee count.
pub fn size_range_of(employees: u32) -> Option<&'static str> {
    SIZE_RANGES.iter().find(|(min, max, _)| (*min..=*max).contains(&employees)).map(|(_, _, label)| *label)
}

/// One size range's rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SizeRange {
    /// `"16-30"`.
    pub range: String,
    /// Smallest employee count in the range.
    pub min: u32,
    /// Largest (`u32::MAX` for the open-ended top range).
    pub max: u32,
    /// Its rate and evidence.
    #[serde(flatten)]
    pub evidence: RateEvidence,
}

/// Conversion by company size.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SizeAnalysis {
    /// The range with the highest shrunk rate.
    pub sweet_spot: Option<SizeRange>,
    /// Every range with enough leads, smallest first.
    pub distribution: Vec<SizeRange>,
}

/// Lifts of the timing signals: the spec's three numbers, then the evidence behind each.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimingSignals {
    /// Conversion with a new role over without.
    pub new_role_lift: f64,
    /// With the company hiring over without.
    pub hiring_lift: f64,
    /// Recently funded over not.
    pub funded_lift: f64,
    /// Samples, rates and p-values behind each lift (absent with insufficient data).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<TimingEvidence>,
}

/// The evidence behind [`TimingSignals`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TimingEvidence {
    /// New in role.
    pub new_role: FlagLift,
    /// Company hiring.
    pub hiring: FlagLift,
    /// Recently funded.
    pub funded: FlagLift,
}

/// How the recommended weights were obtained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeightFit {
    /// `"learned"` or `"default"`.
    pub source: String,
    /// Why the defaults stand, when they do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Leads with a score snapshot that the fit used.
    pub rows: usize,
    /// SLSQP's stopping status (absent when no fit ran).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub solver_status: Option<String>,
    /// Penalized log-loss at the recommended weights.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objective: Option<f64>,
    /// Penalized log-loss at the default weights.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_objective: Option<f64>,
    /// The fitted intercept (log-odds of a lead with every component at zero).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intercept: Option<f64>,
}

/// The WHO pattern (conversion-intelligence.md §3.2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WhoPatterns {
    /// Leads with a terminal outcome.
    pub sample_size: usize,
    /// Of those, converted.
    pub conversions: usize,
    /// The spec's sigmoid of the sample size (0 with insufficient data).
    pub confidence: f64,
    /// Why there are no rankings, when there are none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insufficient_data: Option<String>,
    /// Titles, best first.
    pub title_rankings: Vec<TitleRank>,
    /// Industries, best first.
    pub industry_rankings: Vec<IndustryRank>,
    /// Company sizes.
    pub size_analysis: SizeAnalysis,
    /// Timing-signal lifts.
    pub timing_signals: TimingSignals,
    /// Lead-score weights to use.
    pub recommended_weights: AlsWeights,
    /// How they were obtained.
    pub weight_fit: WeightFit,
}

/// The spec's confidence: a sigmoid of the sample size centred at 100 leads, rounded to 2 places.
pub fn sample_confidence(sample: usize) -> f64 {
    let confidence = 1.0 / (1.0 + (-(sample as f64 - 100.0) / 30.0).exp());
    (confidence * 100.0).round() / 100.0
}

/// A lead's terminal outcome: converted, failed, or still open (`None`).
pub fn lead_outcome(lead: &Lead) -> Option<bool> {
    match lead.status {
        LeadStatus::Converted => Some(true),
        LeadStatus::Unsubscribed | LeadStatus::Bounced | LeadStatus::NotInterested | LeadStatus::Dead => Some(false),
        LeadStatus::New | LeadStatus::Contacted => None,
    }
}

/// Runs the WHO detector over a tenant's leads.
pub fn detect_who(leads: &[Lead], params: &ConversionParams) -> WhoPatterns {
    let decided: Vec<(&Lead, bool)> =
        leads.iter().filter_map(|lead| lead_outcome(lead).map(|converted| (lead, converted))).collect();
    let conversions = decided.iter().filter(|(_, converted)| *converted).count();
    let sample_size = decided.len();
    if conversions < params.min_conversions || sample_size < params.min_outcomes {
        return insufficient(
            sample_size,
            conversions,
            format!(
                "{sample_size} leads with an outcome and {conversions} conversions; at least {} and {} are needed",
                params.min_outcomes, params.min_conversions
            ),
        );
    }

    let by = |key: &dyn for<'l> Fn(&'l Lead) -> Option<&'l str>| {
        let mut groups: std::collections::BTreeMap<&str, Rate> = std::collections::BTreeMap::new();
        for (lead, converted) in &decided {
            if let Some(value) = key(lead).filter(|value| !value.trim().is_empty()) {
                groups.entry(value).or_default().add(*converted);
            }
        }
        rank_family(groups.into_iter().map(|(name, rate)| (name.to_string(), rate)), &params.evidence)
    };
    let title_rankings = by(&|lead| lead.title.as_deref()).ranked.into_iter().map(TitleRank::from).collect();
    let industry_rankings = by(&|lead| lead.industry.as_deref()).ranked.into_iter().map(IndustryRank::from).collect();
    let sizes = by(&|lead| lead.employee_count.and_then(size_range_of));
    let mut distribution: Vec<SizeRange> = sizes
        .ranked
        .into_iter()
        .filter_map(|(label, evidence)| {
            let (min, max, _) = SIZE_RANGES.iter().find(|(_, _, name)| *name == label)?;
            Some(SizeRange { range: label, min: *min, max: *max, evidence })
        })
        .collect();
    let sweet_spot =
        distribution.iter().max_by(|a, b| a.evidence.shrunk_rate.total_cmp(&b.evidence.shrunk_rate)).cloned();
    distribution.sort_by_key(|range| range.min);

    let flag = |get: fn(&Lead) -> Option<bool>| {
        let (mut with, mut without) = (Rate::default(), Rate::default());
        for (lead, converted) in &decided {
            if get(lead).unwrap_or(false) { with.add(*converted) } else { without.add(*converted) }
        }
        flag_lift(with, without, &params.evidence)
    };
    let evidence = TimingEvidence {
        new_role: flag(|lead| lead.is_new_role),
        hiring: flag(|lead| lead.is_hiring),
        funded: flag(|lead| lead.recently_funded),
    };
    let timing_signals = TimingSignals {
        new_role_lift: evidence.new_role.lift,
        hiring_lift: evidence.hiring.lift,
        funded_lift: evidence.funded.lift,
        evidence: Some(evidence),
    };

    let rows: Vec<([f64; 4], bool)> = decided
        .iter()
        .filter_map(|(lead, converted)| {
            lead.score.as_ref().map(|score| (normalized_components(&score.components), *converted))
        })
        .collect();
    let (recommended_weights, weight_fit) = derive_weights(&rows, params);

    WhoPatterns {
        sample_size,
        conversions,
        confidence: sample_confidence(sample_size),
        insufficient_data: None,
        title_rankings,
        industry_rankings,
        size_analysis: SizeAnalysis { sweet_spot, distribution },
        timing_signals,
        recommended_weights,
        weight_fit,
    }
}

fn insufficient(sample_size: usize, conversions: usize, reason: String) -> WhoPatterns {
    WhoPatterns {
        sample_size,
        conversions,
        confidence: 0.0,
        insufficient_data: Some(reason.clone()),
        title_rankings: Vec::new(),
        industry_rankings: Vec::new(),
        size_analysis: SizeAnalysis::default(),
        timing_signals: TimingSignals { new_role_lift: 1.0, hiring_lift: 1.0, funded_lift: 1.0, evidence: None },
        recommended_weights: AlsWeights::DEFAULT,
        weight_fit: default_fit(0, reason),
    }
}

fn default_fit(rows: usize, reason: String) -> WeightFit {
    WeightFit {
        source: "default".into(),
        reason: Some(reason),
        rows,
        solver_status: None,
        objective: None,
        default_objective: None,
        intercept: None,
    }
}

/// Components on [0, 1]: each over its maximum (the spec's divisors).
pub fn normalized_components(components: &hindsight_model::AlsComponents) -> [f64; 4] {
    [
        components.data_quality / 20.0,
        components.authority / 25.0,
        components.company_fit / 25.0,
        components.timing / 15.0,
    ]
}

fn weights_array(weights: &AlsWeights) -> [f64; 4] {
    [weights.data_quality, weights.authority, weights.company_fit, weights.timing]
}

/// Mean log-loss of `sigmoid(x·w + b)` plus `l2·|w|²`, with its gradient over `(w, b)`.
fn penalized_log_loss(rows: &[([f64; 4], bool)], l2: f64, parameters: &[f64], gradient: Option<&mut [f64]>) -> f64 {
    let (weights, intercept) = (&parameters[..4], parameters[4]);
    let mut loss = 0.0;
    let mut residual_sums = [0.0; 5];
    for (x, converted) in rows {
        let z = intercept + (0..4).map(|j| x[j] * weights[j]).sum::<f64>();
        let y = f64::from(u8::from(*converted));
        // log(1 + e^z) − y·z, computed without overflow for large |z|.
        loss += z.max(0.0) + (-z.abs()).exp().ln_1p() - y * z;
        let residual = hindsight_ml::sigmoid(z) - y;
        for j in 0..4 {
            residual_sums[j] += residual * x[j];
        }
        residual_sums[4] += residual;
    }
    let n = rows.len() as f64;
    let penalty: f64 = weights.iter().map(|w| w * w).sum::<f64>() * l2;
    if let Some(gradient) = gradient {
        for j in 0..4 {
            gradient[j] = residual_sums[j] / n + 2.0 * l2 * weights[j];
        }
        gradient[4] = residual_sums[4] / n;
    }
    loss / n + penalty
}

/// The loss at fixed weights with the intercept that minimizes it (Newton's method in one
/// dimension: the loss is convex in the intercept).
fn loss_with_best_intercept(rows: &[([f64; 4], bool)], l2: f64, weights: [f64; 4]) -> (f64, f64) {
    let mut intercept = 0.0;
    for _ in 0..50 {
        let (mut first, mut second) = (0.0, 0.0);
        for (x, converted) in rows {
            let p = hindsight_ml::sigmoid(intercept + (0..4).map(|j| x[j] * weights[j]).sum::<f64>());
            first += p - f64::from(u8::from(*converted));
            second += p * (1.0 - p);
        }
        if second <= 0.0 {
            break;
        }
        let step = first / second;
        intercept -= step;
        if step.abs() < 1e-12 {
            break;
        }
    }
    let parameters = [weights[0], weights[1], weights[2], weights[3], intercept];
    (penalized_log_loss(rows, l2, &parameters, None), intercept)
}

/// The constrained logistic fit of the lead-score weights; the defaults when there are too few
/// rows, or when the solver's answer breaks a constraint or does worse than the defaults.
pub fn derive_weights(rows: &[([f64; 4], bool)], params: &ConversionParams) -> (AlsWeights, WeightFit) {
    if rows.len() < params.min_outcomes {
        return (
            AlsWeights::DEFAULT,
            default_fit(
                rows.len(),
                format!("{} leads carry a score snapshot; {} are needed", rows.len(), params.min_outcomes),
            ),
        );
    }
    let defaults = weights_array(&AlsWeights::DEFAULT);
    let (default_objective, default_intercept) = loss_with_best_intercept(rows, params.weight_l2, defaults);
    let problem = FixedSumProblem {
        weight_bounds: vec![(0.05, 0.50); 4],
        total: 0.85,
        free_bounds: vec![(-30.0, 30.0)],
        max_evaluations: 500,
    };
    let start = [defaults[0], defaults[1], defaults[2], defaults[3], default_intercept];
    let objective = |parameters: &[f64], gradient: Option<&mut [f64]>| {
        penalized_log_loss(rows, params.weight_l2, parameters, gradient)
    };
    let fallback = |reason: String, status: Option<String>| {
        let mut fit = default_fit(rows.len(), reason);
        fit.solver_status = status;
        fit.objective = Some(default_objective);
        fit.default_objective = Some(default_objective);
        fit.intercept = Some(default_intercept);
        (AlsWeights::DEFAULT, fit)
    };
    let minimum = match minimize_fixed_sum(objective, &start, &problem) {
        Ok(minimum) => minimum,
        Err(error) => return fallback(format!("the solver refused the problem: {error}"), None),
    };
    if !minimum.feasible(&problem) {
        return fallback("the solver's weights break a bound or the sum".into(), Some(minimum.status));
    }
    // A NaN loss is no better than the defaults either.
    if minimum.value.is_nan() || minimum.value > default_objective {
        return fallback(
            format!("the solver's loss {:.6} is worse than the defaults' {default_objective:.6}", minimum.value),
            Some(minimum.status),
        );
    }
    let [data_quality, authority, company_fit, timing] =
        [minimum.weights[0], minimum.weights[1], minimum.weights[2], minimum.weights[3]];
    let fit = WeightFit {
        source: "learned".into(),
        reason: None,
        rows: rows.len(),
        solver_status: Some(minimum.status),
        objective: Some(minimum.value),
        default_objective: Some(default_objective),
        intercept: Some(minimum.free[0]),
    };
    (AlsWeights { data_quality, authority, company_fit, timing }, fit)
}
