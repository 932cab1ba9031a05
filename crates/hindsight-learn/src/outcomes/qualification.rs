//! Lead qualification (lead-qualification.md's scoring output): a 0–100 score, the voice-AI fit,
//! a routing recommendation with configurable thresholds, the reasons, a priority.
//!
//! Two models feed it: the progression model (`--target progressed`: does the lead go on to a
//! meeting) and, when one is given, the voice-AI-fit model (`--target voice_ai_fit`: is it a strong
//! voice-AI prospect, learned from leads someone labelled). Without a fit model the score is the
//! calibrated progression probability in percent and `voice_ai_fit` is unknown. With one, the
//! score blends the two probabilities by [`QualificationParams::fit_weight`] — a routing choice
//! the user makes, not something learned, so the blended score is no longer a probability — and a
//! handoff whose fit reaches [`QualificationParams::voice_ai_priority`] gets the spec's
//! `HIGH_VOICE_AI` priority.

use serde::{Deserialize, Serialize};

use crate::outcomes::model::{ConfidenceLevel, Score};

/// How leads are scored and routed (`[qualification]` in hindsight.toml).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct QualificationParams {
    /// At or above this score, hand the lead to an account executive.
    pub ae_handoff: f64,
    /// At or above this (and below `ae_handoff`), nurture; below it, self-service.
    pub nurture: f64,
    /// Share of the voice-AI-fit probability in the score when a fit model is given (0: the
    /// score stays the progression probability; 1: fit alone).
    pub fit_weight: f64,
    /// A handoff whose voice-AI fit is at or above this (0–100) is `HIGH_VOICE_AI`.
    pub voice_ai_priority: f64,
}

impl Default for QualificationParams {
    fn default() -> Self {
        QualificationParams { ae_handoff: 70.0, nurture: 40.0, fit_weight: 0.3, voice_ai_priority: 70.0 }
    }
}

impl QualificationParams {
    /// The settings, or what is wrong with them.
    pub fn check(&self) -> Result<(), String> {
        if !((0.0..=100.0).contains(&self.nurture) && self.nurture <= self.ae_handoff && self.ae_handoff <= 100.0) {
            return Err(format!(
                "nurture and ae_handoff must satisfy 0 <= nurture <= ae_handoff <= 100, got {} and {}",
                self.nurture, self.ae_handoff
            ));
        }
        if !(0.0..=1.0).contains(&self.fit_weight) {
            return Err(format!("fit_weight must be between 0 and 1, got {}", self.fit_weight));
        }
        if !(0.0..=100.0).contains(&self.voice_ai_priority) {
            return Err(format!("voice_ai_priority must be between 0 and 100, got {}", self.voice_ai_priority));
        }
        Ok(())
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
    /// A sure handoff that is also a strong voice-AI prospect.
    HighVoiceAi,
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
    /// 0–100: the progression probability in percent, blended with the voice-AI fit when a fit
    /// model is given (see the module docs).
    pub qualification_score: u8,
    /// 0–100: the calibrated voice-AI-fit probability in percent; unknown without a fit model.
    pub voice_ai_fit: Option<u8>,
    /// The calibrated probability the lead progresses.
    pub progression_probability: f64,
    /// Where to route it.
    pub recommendation: Recommendation,
    /// The factors that raised the score most, in words (those that lowered it when none raised it).
    pub reasoning: Vec<String>,
    /// How soon.
    pub priority: Priority,
    /// The progression score's confidence (see [`Score::confidence`]).
    pub confidence: f64,
    /// In words.
    pub confidence_level: ConfidenceLevel,
}

fn percent(probability: f64) -> u8 {
    (probability * 100.0).round().clamp(0.0, 100.0) as u8
}

/// The texts of the factors that raised a score, at most `limit`.
fn raising_texts(score: &Score, limit: usize) -> impl Iterator<Item = String> + '_ {
    score.key_factors.iter().filter(|factor| factor.points > 0.0).take(limit).map(|factor| factor.text.clone())
}

/// Qualifies a lead from its progression `score` and, when a fit model scored it too, its
/// voice-AI-fit score (`fit`, of the same lead).
pub fn qualify(score: &Score, fit: Option<&Score>, params: &QualificationParams) -> Qualification {
    let blended = match fit {
        Some(fit) => (1.0 - params.fit_weight) * score.probability + params.fit_weight * fit.probability,
        None => score.probability,
    };
    let qualification_score = percent(blended);
    let voice_ai_fit = fit.map(|fit| percent(fit.probability));
    let value = f64::from(qualification_score);
    let recommendation = if value >= params.ae_handoff {
        Recommendation::AeHandoff
    } else if value >= params.nurture {
        Recommendation::NurtureTrack
    } else {
        Recommendation::SelfService
    };
    let strong_fit = voice_ai_fit.is_some_and(|fit| f64::from(fit) >= params.voice_ai_priority);
    let priority = match (recommendation, score.confidence_level) {
        (Recommendation::AeHandoff, ConfidenceLevel::High) if strong_fit => Priority::HighVoiceAi,
        (Recommendation::AeHandoff, ConfidenceLevel::High) => Priority::High,
        (Recommendation::SelfService, _) => Priority::Low,
        _ => Priority::Medium,
    };
    let mut reasoning: Vec<String> = Vec::new();
    if let (Some(fit_score), Some(fit_value)) = (fit.filter(|_| strong_fit), voice_ai_fit) {
        // Why the fit is strong comes first: it is what makes the lead a voice-AI handoff.
        reasoning.push(format!("strong voice-AI fit: {fit_value} of 100"));
        reasoning.extend(raising_texts(fit_score, 1).map(|text| format!("voice-AI fit: {text}")));
    }
    reasoning.extend(raising_texts(score, 3));
    if reasoning.is_empty() {
        reasoning = score.key_factors.iter().take(3).map(|factor| factor.text.clone()).collect();
    }
    Qualification {
        lead_id: score.id.clone(),
        qualification_score,
        voice_ai_fit,
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
    use super::{Priority, QualificationParams, Recommendation, qualify};
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
        let thresholds = QualificationParams::default();
        let sure = qualify(&score(0.874, ConfidenceLevel::High, &[12.0, -5.0, 3.0]), None, &thresholds);
        assert_eq!(
            (sure.qualification_score, sure.recommendation, sure.priority),
            (87, Recommendation::AeHandoff, Priority::High)
        );
        assert_eq!(sure.reasoning, ["f0: +12 points", "f2: +3 points"], "only what raised the score");
        assert_eq!(sure.voice_ai_fit, None);
        let unsure = qualify(&score(0.75, ConfidenceLevel::Low, &[4.0]), None, &thresholds);
        assert_eq!((unsure.recommendation, unsure.priority), (Recommendation::AeHandoff, Priority::Medium));
        let nurture = qualify(&score(0.40, ConfidenceLevel::Medium, &[-8.0]), None, &thresholds);
        assert_eq!(
            (nurture.recommendation, nurture.reasoning.len()),
            (Recommendation::NurtureTrack, 1),
            "what lowered it, when nothing raised it"
        );
        let low = qualify(&score(0.39, ConfidenceLevel::Medium, &[]), None, &thresholds);
        assert_eq!((low.recommendation, low.priority), (Recommendation::SelfService, Priority::Low));
        let strict = QualificationParams { ae_handoff: 90.0, nurture: 60.0, ..QualificationParams::default() };
        assert_eq!(
            qualify(&score(0.874, ConfidenceLevel::High, &[1.0]), None, &strict).recommendation,
            Recommendation::NurtureTrack
        );
        assert_eq!(serde_json::to_value(Recommendation::AeHandoff).expect("json"), "AE_HANDOFF");
    }

    /// A fit model blends into the score by `fit_weight`, and a sure handoff with a strong fit is
    /// the spec's HIGH_VOICE_AI, its fit reason first.
    #[test]
    fn a_fit_score_blends_in_and_marks_voice_ai_handoffs() {
        let params = QualificationParams::default();
        let progression = score(0.80, ConfidenceLevel::High, &[9.0, 2.0]);
        let mut fit = score(0.92, ConfidenceLevel::High, &[14.0]);
        fit.key_factors[0].text = "2 voice-AI mentions in description and notes: +14 points".into();
        let strong = qualify(&progression, Some(&fit), &params);
        // 0.7 × 0.80 + 0.3 × 0.92 = 0.836.
        assert_eq!((strong.qualification_score, strong.voice_ai_fit), (84, Some(92)));
        assert_eq!((strong.recommendation, strong.priority), (Recommendation::AeHandoff, Priority::HighVoiceAi));
        assert_eq!(
            strong.reasoning,
            [
                "strong voice-AI fit: 92 of 100",
                "voice-AI fit: 2 voice-AI mentions in description and notes: +14 points",
                "f0: +9 points",
                "f1: +2 points"
            ]
        );
        assert_eq!(strong.progression_probability, 0.80, "the progression probability is reported unblended");
        let weak_fit = qualify(&progression, Some(&score(0.30, ConfidenceLevel::High, &[])), &params);
        // 0.7 × 0.80 + 0.3 × 0.30 = 0.65: a weak fit can pull a lead under the handoff line.
        assert_eq!((weak_fit.qualification_score, weak_fit.recommendation), (65, Recommendation::NurtureTrack));
        let unweighted = QualificationParams { fit_weight: 0.0, ..params };
        let kept = qualify(&progression, Some(&fit), &unweighted);
        assert_eq!((kept.qualification_score, kept.priority), (80, Priority::HighVoiceAi));
        assert_eq!(serde_json::to_value(Priority::HighVoiceAi).expect("json"), "HIGH_VOICE_AI");
        assert!(QualificationParams { fit_weight: 1.5, ..params }.check().is_err());
        assert!(QualificationParams { nurture: 80.0, ..params }.check().is_err());
        assert!(params.check().is_ok());
    }
}
