//! Pattern health (conversion-intelligence.md §8.3): warnings a weekly run should surface before
//! anyone acts on its patterns — small samples, low confidence, weights at the edge of their
//! bounds, and dramatic shifts since the previous run.

use serde::{Deserialize, Serialize};

use crate::conversion::{Pattern, PatternBody, PatternSet, PatternType};

/// Below this many outcomes a pattern is flagged as resting on a low sample.
const LOW_SAMPLE: usize = 50;
/// Below this confidence a pattern is flagged.
const LOW_CONFIDENCE: f64 = 0.5;
/// Weights outside this range are flagged as extreme (the spec's 0.08 and 0.45).
const WEIGHT_RANGE: (f64, f64) = (0.08, 0.45);
/// A weight moving by more than this since the previous run is a dramatic shift.
const WEIGHT_SHIFT: f64 = 0.10;
/// Confidence falling by more than this is a dramatic shift.
const CONFIDENCE_DROP: f64 = 0.2;

/// One warning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HealthWarning {
    /// Which pattern.
    pub pattern_type: PatternType,
    /// `low_sample`, `low_confidence`, `extreme_weight`, `weight_shift`, `confidence_drop`,
    /// `top_changed` or `insufficient_data`.
    pub check: String,
    /// What was found, with its numbers.
    pub message: String,
}

fn basic_checks<T: PatternBody>(pattern: &Pattern<T>, warnings: &mut Vec<HealthWarning>) {
    let body = &pattern.body;
    let mut warn = |check: &str, message: String| {
        warnings.push(HealthWarning { pattern_type: T::TYPE, check: check.into(), message })
    };
    if body.sample_size() < LOW_SAMPLE {
        warn("low_sample", format!("Low sample size: {} (fewer than {LOW_SAMPLE})", body.sample_size()));
    }
    if body.confidence() < LOW_CONFIDENCE {
        warn("low_confidence", format!("Low confidence: {:.2} (below {LOW_CONFIDENCE})", body.confidence()));
    }
}

fn confidence_drop<T: PatternBody>(current: &Pattern<T>, previous: &Pattern<T>, warnings: &mut Vec<HealthWarning>) {
    let drop = previous.body.confidence() - current.body.confidence();
    if drop > CONFIDENCE_DROP {
        warnings.push(HealthWarning {
            pattern_type: T::TYPE,
            check: "confidence_drop".into(),
            message: format!(
                "Confidence fell from {:.2} to {:.2} since {}",
                previous.body.confidence(),
                current.body.confidence(),
                previous.computed_at.format("%Y-%m-%d")
            ),
        });
    }
}

fn top_changed(
    pattern_type: PatternType,
    what: &str,
    current: Option<&str>,
    previous: Option<&str>,
    warnings: &mut Vec<HealthWarning>,
) {
    if let (Some(current), Some(previous)) = (current, previous)
        && current != previous
    {
        warnings.push(HealthWarning {
            pattern_type,
            check: "top_changed".into(),
            message: format!("Best {what} changed from {previous:?} to {current:?}"),
        });
    }
}

/// Checks `current` patterns, and against `previous` ones (the last stored run) when given.
pub fn check_health(current: &PatternSet, previous: Option<&PatternSet>) -> Vec<HealthWarning> {
    let mut warnings = Vec::new();
    let previous = previous.cloned().unwrap_or_default();
    if let Some(who) = &current.who {
        basic_checks(who, &mut warnings);
        let weights = who.body.recommended_weights;
        let named = [
            ("data_quality", weights.data_quality),
            ("authority", weights.authority),
            ("company_fit", weights.company_fit),
            ("timing", weights.timing),
        ];
        for (name, value) in named {
            if value > WEIGHT_RANGE.1 || value < WEIGHT_RANGE.0 {
                warnings.push(HealthWarning {
                    pattern_type: PatternType::Who,
                    check: "extreme_weight".into(),
                    message: format!("Extreme weight for {name}: {value:.3}"),
                });
            }
        }
        if let Some(before) = &previous.who {
            confidence_drop(who, before, &mut warnings);
            let old = before.body.recommended_weights;
            let old_named = [old.data_quality, old.authority, old.company_fit, old.timing];
            for ((name, value), old_value) in named.into_iter().zip(old_named) {
                if (value - old_value).abs() > WEIGHT_SHIFT {
                    warnings.push(HealthWarning {
                        pattern_type: PatternType::Who,
                        check: "weight_shift".into(),
                        message: format!("Weight for {name} moved from {old_value:.3} to {value:.3} in one run"),
                    });
                }
            }
            let top = |pattern: &Pattern<crate::conversion::WhoPatterns>| {
                pattern.body.title_rankings.first().map(|rank| rank.name.clone())
            };
            top_changed(PatternType::Who, "title", top(who).as_deref(), top(before).as_deref(), &mut warnings);
        }
    }
    if let Some(what) = &current.what {
        basic_checks(what, &mut warnings);
        if let Some(before) = &previous.what {
            confidence_drop(what, before, &mut warnings);
            let top = |pattern: &Pattern<crate::conversion::WhatPatterns>| {
                pattern.body.pain_points.effective.first().map(|rank| rank.pain_point.clone())
            };
            top_changed(PatternType::What, "pain point", top(what).as_deref(), top(before).as_deref(), &mut warnings);
        }
    }
    if let Some(when) = &current.when {
        basic_checks(when, &mut warnings);
        if let Some(before) = &previous.when {
            confidence_drop(when, before, &mut warnings);
            let top = |pattern: &Pattern<crate::conversion::WhenPatterns>| {
                pattern.body.best_days.first().map(|rank| rank.day.clone())
            };
            top_changed(PatternType::When, "day", top(when).as_deref(), top(before).as_deref(), &mut warnings);
        }
    }
    if let Some(how) = &current.how {
        basic_checks(how, &mut warnings);
        if let Some(before) = &previous.how {
            confidence_drop(how, before, &mut warnings);
            let top = |pattern: &Pattern<crate::conversion::HowPatterns>| {
                pattern.body.winning_sequences.first().map(|rank| rank.sequence.join(" → "))
            };
            top_changed(PatternType::How, "sequence", top(how).as_deref(), top(before).as_deref(), &mut warnings);
        }
    }
    warnings
}
