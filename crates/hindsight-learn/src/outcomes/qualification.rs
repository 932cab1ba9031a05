//! Lead qualification from a progression score (lead-qualification.md's scoring output): a 0–100
//! score, a routing recommendation with configurable thresholds, the reasons, a priority.
//!
//! The spec combines a progression model with a voice-AI-fit model. The fit model needs a label
//! saying which leads were good voice-AI prospects, which the record contract does not carry yet,
//! so `voice_ai_fit` is reported as unknown rather than invented, and the score is the
//! progression probability alone.

use serde::{Deserialize, Serialize};

use crate::outcomes::model::{ConfidenceLevel, Score};

/// Where leads go, by qualification score.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RoutingThresholds {
    /// At or above this score, hand the lead to an account executive.
    pub ae_handoff: f64,
    /// At or above this (and below `ae_handoff`), nurture; below it, self-service.
    pub nurture: f64,
}

impl Default for RoutingThresholds {
    fn default() -> Self {
        RoutingThresholds { ae_handoff: 70.0, nurture: 40.0 }
    }
}

/// The routing decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Recommendation {
    /// Hand to an account executive.
    AeHandoff,
    /// Keep warming up.
    NurtureTrack,
    /// Let the product do the selling.
    SelfService,
}

/// How soon to act.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Priority {
    /// A handoff the model is sure of.
    High,
    /// A handoff with less certainty, or a lead to nurture.
    Medium,
    /// Self-service.
    Low,
}

/// One lead's qualification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Qualification {
    /// The lead.
    pub lead_id: String,
    /// 0–100: the calibrated progression probability in percent, rounded.
    pub qualification_score: u8,
    /// Unknown: no fit label to learn from (see the module docs).
    pub voice_ai_fit: Option<u8>,
    /// The calibrated probability the lead progresses.
    pub progression_probability: f64,
    /// Where to route it.
    pub recommendation: Recommendation,
    /// The factors that raised the score most, in words (those that lowered it when none raised it).
    pub reasoning: Vec<String>,
    /// How soon.
    pub priority: Priority,
    /// The score's confidence (see [`Score::confidence`]).
    pub confidence: f64,
    /// In words.
    pub confidence_level: ConfidenceLevel,
}

/// Qualifies a lead from its progression `score`.
pub fn qualify(score: &Score, thresholds: &RoutingThresholds) -> Qualification {
    let qualification_score = (score.probability * 100.0).round().clamp(0.0, 100.0) as u8;
    let value = f64::from(qualification_score);
    let recommendation = if value >= thresholds.ae_handoff {
        Recommendation::AeHandoff
    } else if value >= thresholds.nurture {
        Recommendation::NurtureTrack
    } else {
        Recommendation::SelfService
    };
    let priority = match (recommendation, score.confidence_level) {
        (Recommendation::AeHandoff, ConfidenceLevel::High) => Priority::High,
        (Recommendation::SelfService, _) => Priority::Low,
        _ => Priority::Medium,
    };
    let raising: Vec<String> = score
        .key_factors
        .iter()
        .filter(|factor| factor.points > 0.0)
        .take(3)
        .map(|factor| factor.text.clone())
        .collect();
    let reasoning = if raising.is_empty() {
        score.key_factors.iter().take(3).map(|factor| factor.text.clone()).collect()
    } else {
        raising
    };
    Qualification {
        lead_id: score.id.clone(),
        qualification_score,
        voice_ai_fit: None,
        progression_probability: score.probability,
        recommendation,
        reasoning,
        priority,
        confidence: score.confidence,
        confidence_level: score.confidence_level,
    }
}

#[cfg(test)]
mod tests {
    use super::{Priority, Recommendation, RoutingThresholds, qualify};
    use crate::outcomes::factors::Factor;
    use crate::outcomes::model::{ConfidenceLevel, Score};

    fn score(probability: f64, level: ConfidenceLevel, points: &[f64]) -> Score {
        let key_factors = points
            .iter()
            .enumerate()
            .map(|(index, &points)| Factor {
                factor: format!("f{index}"),
                value: "1".into(),
                contribution: points / 25.0,
                points,
                text: format!("f{index}: {points:+.0} points"),
            })
            .collect();
        Score {
            id: "l1".into(),
            probability,
            confidence: probability.max(1.0 - probability),
            confidence_level: level,
            key_factors,
            baseline: 0.0,
            logit: 0.0,
        }
    }

    #[test]
    fn scores_route_by_the_thresholds_with_their_reasons() {
        let thresholds = RoutingThresholds::default();
        let sure = qualify(&score(0.874, ConfidenceLevel::High, &[12.0, -5.0, 3.0]), &thresholds);
        assert_eq!(
            (sure.qualification_score, sure.recommendation, sure.priority),
            (87, Recommendation::AeHandoff, Priority::High)
        );
        assert_eq!(sure.reasoning, ["f0: +12 points", "f2: +3 points"], "only what raised the score");
        assert_eq!(sure.voice_ai_fit, None);
        let unsure = qualify(&score(0.75, ConfidenceLevel::Low, &[4.0]), &thresholds);
        assert_eq!((unsure.recommendation, unsure.priority), (Recommendation::AeHandoff, Priority::Medium));
        let nurture = qualify(&score(0.40, ConfidenceLevel::Medium, &[-8.0]), &thresholds);
        assert_eq!(
            (nurture.recommendation, nurture.reasoning.len()),
            (Recommendation::NurtureTrack, 1),
            "what lowered it, when nothing raised it"
        );
        let low = qualify(&score(0.39, ConfidenceLevel::Medium, &[]), &thresholds);
        assert_eq!((low.recommendation, low.priority), (Recommendation::SelfService, Priority::Low));
        let strict = RoutingThresholds { ae_handoff: 90.0, nurture: 60.0 };
        assert_eq!(
            qualify(&score(0.874, ConfidenceLevel::High, &[1.0]), &strict).recommendation,
            Recommendation::NurtureTrack
        );
        assert_eq!(serde_json::to_value(Recommendation::AeHandoff).expect("json"), "AE_HANDOFF");
    }
}
