//! Pattern context (conversion-intelligence.md §5.2–5.4): the plain-language inputs campaign
//! generation, the sequence builder and the messaging generator read, rendered from stored
//! patterns. Each line carries its sample; a finding that did not survive its family's test is
//! said to be a lean, not a fact, and a pattern without enough data says so instead of advising.

use serde::{Deserialize, Serialize};

use crate::conversion::evidence::RateEvidence;
use crate::conversion::{PatternSet, PatternType};

/// The three texts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PatternContext {
    /// For campaign generation (§5.2).
    pub campaign: String,
    /// For the sequence builder (§5.3).
    pub sequence_builder: String,
    /// For the messaging generator (§5.4).
    pub messaging_generator: String,
}

fn percent(value: f64) -> String {
    format!("{:.1}%", value * 100.0)
}

/// "(n=412, significant)" or "(n=38, not significant yet)".
fn evidence_note(evidence: &RateEvidence) -> String {
    let verdict = if evidence.significant { "significant" } else { "not significant yet" };
    format!("n={}, {verdict}", evidence.sample)
}

fn missing(set: &PatternSet, kind: PatternType) -> Option<String> {
    let reason = match kind {
        PatternType::Who => set.who.as_ref().map(|p| p.body.insufficient_data.clone()),
        PatternType::What => set.what.as_ref().map(|p| p.body.insufficient_data.clone()),
        PatternType::When => set.when.as_ref().map(|p| p.body.insufficient_data.clone()),
        PatternType::How => set.how.as_ref().map(|p| p.body.insufficient_data.clone()),
    };
    match reason {
        None => Some(format!("No {} pattern has been computed yet.", kind.as_str().to_uppercase())),
        Some(Some(reason)) => Some(format!("{} pattern: not enough data ({reason}).", kind.as_str().to_uppercase())),
        Some(None) => None,
    }
}

/// Renders the context texts from `patterns`.
pub fn pattern_context(patterns: &PatternSet) -> PatternContext {
    let mut campaign = Vec::new();
    let mut sequence = Vec::new();
    let mut messaging = Vec::new();

    match (&patterns.what, missing(patterns, PatternType::What)) {
        (Some(what), None) => {
            let what = &what.body;
            if let Some(top) = what.pain_points.effective.first() {
                campaign.push(format!(
                    "Most effective pain point: '{}' (used in {:.0}% of converting messages; {} conversion, lift {:.2}x; {})",
                    top.pain_point,
                    top.frequency * 100.0,
                    percent(top.evidence.conversion_rate),
                    top.evidence.lift,
                    evidence_note(&top.evidence)
                ));
            }
            if let Some(top) = what.ctas.effective.first() {
                campaign.push(format!(
                    "Best performing CTA: '{}' ({} conversion rate; {})",
                    top.name,
                    percent(top.evidence.conversion_rate),
                    evidence_note(&top.evidence)
                ));
            }
            if let Some(email) = what.optimal_length.get("email") {
                campaign.push(format!(
                    "Optimal email length: {} words ({}-{}; {})",
                    email.optimal_words,
                    email.range_min,
                    email.range_max,
                    evidence_note(&email.evidence)
                ));
            }
            if !what.pain_points.effective.is_empty() {
                messaging.push("EFFECTIVE PAIN POINTS (use these):".to_string());
                for pain in what.pain_points.effective.iter().take(3) {
                    messaging.push(format!(
                        "- {} (lift: {:.2}x; {})",
                        pain.pain_point,
                        pain.evidence.lift,
                        evidence_note(&pain.evidence)
                    ));
                }
            }
            if !what.pain_points.ineffective.is_empty() {
                messaging.push("INEFFECTIVE PAIN POINTS (avoid these):".to_string());
                for pain in &what.pain_points.ineffective {
                    messaging.push(format!(
                        "- {} (lift: {:.2}x; {})",
                        pain.pain_point,
                        pain.evidence.lift,
                        evidence_note(&pain.evidence)
                    ));
                }
            }
            if !what.ctas.effective.is_empty() {
                messaging.push("EFFECTIVE CTAs:".to_string());
                for cta in what.ctas.effective.iter().take(3) {
                    messaging.push(format!("- \"{}\" ({})", cta.name, evidence_note(&cta.evidence)));
                }
            }
            if !what.optimal_length.is_empty() {
                messaging.push("OPTIMAL LENGTH:".to_string());
                for (channel, length) in &what.optimal_length {
                    messaging.push(format!(
                        "- {channel}: {} words ({}-{})",
                        length.optimal_words, length.range_min, length.range_max
                    ));
                }
            }
        }
        (_, Some(reason)) => {
            campaign.push(reason.clone());
            messaging.push(reason);
        }
        (None, None) => {}
    }

    match (&patterns.when, missing(patterns, PatternType::When)) {
        (Some(when), None) => {
            let when = &when.body;
            if let Some((touch, share)) = when.converting_touch_distribution.iter().max_by(|a, b| a.1.total_cmp(b.1)) {
                campaign.push(format!(
                    "Most conversions happen on {} ({:.0}% of bookings; {} bookings)",
                    touch.replace('_', " "),
                    share * 100.0,
                    when.sample_size
                ));
            }
            if !when.optimal_sequence_gaps.is_empty() {
                let gaps: Vec<String> =
                    when.optimal_sequence_gaps.iter().map(|(step, days)| format!("{step}: {days} days")).collect();
                campaign.push(format!("Optimal sequence gaps: {}", gaps.join(", ")));
                sequence.push(format!("Optimal gaps between touches: {}", gaps.join(", ")));
            }
            if let Some(day) = when.best_days.first() {
                sequence.push(format!(
                    "Best send day: {} ({} of touches convert; {})",
                    day.day,
                    percent(day.evidence.conversion_rate),
                    evidence_note(&day.evidence)
                ));
            }
            if let Some(hour) = when.best_hours.first() {
                sequence.push(format!(
                    "Best send hour: {:02}:00 UTC ({}; {})",
                    hour.hour,
                    percent(hour.evidence.conversion_rate),
                    evidence_note(&hour.evidence)
                ));
            }
        }
        (_, Some(reason)) => {
            campaign.push(reason.clone());
            sequence.push(reason);
        }
        (None, None) => {}
    }

    match (&patterns.how, missing(patterns, PatternType::How)) {
        (Some(how), None) => {
            let how = &how.body;
            if let Some(top) = how.winning_sequences.first() {
                campaign.push(format!(
                    "Best performing sequence: {} ({} conversion; n={}{})",
                    top.sequence.join(" → "),
                    percent(top.conversion_rate),
                    top.sample_size,
                    if top.significant { ", significant" } else { ", not significant yet" }
                ));
            }
            if !how.winning_sequences.is_empty() {
                sequence.push("Historical winning sequences:".to_string());
                for top in how.winning_sequences.iter().take(3) {
                    sequence.push(format!(
                        "- {} ({} conv; n={})",
                        top.sequence.join(" → "),
                        percent(top.conversion_rate),
                        top.sample_size
                    ));
                }
            }
        }
        (_, Some(reason)) => {
            campaign.push(reason.clone());
            sequence.push(reason);
        }
        (None, None) => {}
    }

    if let (Some(who), None) = (&patterns.who, missing(patterns, PatternType::Who)) {
        let who = &who.body;
        if let Some(title) = who.title_rankings.first() {
            campaign.push(format!(
                "Best converting title: {} ({}; {})",
                title.name,
                percent(title.evidence.conversion_rate),
                evidence_note(&title.evidence)
            ));
        }
        if let Some(industry) = who.industry_rankings.first() {
            campaign.push(format!(
                "Best converting industry: {} ({}; {})",
                industry.name,
                percent(industry.evidence.conversion_rate),
                evidence_note(&industry.evidence)
            ));
        }
    } else if let Some(reason) = missing(patterns, PatternType::Who) {
        campaign.push(reason);
    }

    PatternContext {
        campaign: campaign.join("\n"),
        sequence_builder: sequence.join("\n"),
        messaging_generator: messaging.join("\n"),
    }
}
