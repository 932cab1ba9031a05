//! Turning scores into probabilities that mean what they say.
//!
//! Two calibrators, fitted on out-of-fold predictions (never on the rows the model learned from):
//! Platt scaling, a logistic regression on the model's log-odds (two parameters: smooth, needs
//! little data), and isotonic regression, the best non-decreasing step function (pool adjacent
//! violators; flexible, needs more data). [`choose_calibrator`] fits both on one half of the
//! predictions, scores each by log-loss on the other half and back, and keeps the better one,
//! refitted on all of them.

use serde::{Deserialize, Serialize};

use crate::error::{Result, invalid_data};
use crate::logistic::LogisticParams;
use crate::metrics::log_loss;

/// A fitted calibrator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Calibrator {
    /// p = σ(a · logit + b).
    Platt {
        /// Slope on the model's log-odds.
        slope: f64,
        /// Offset.
        intercept: f64,
    },
    /// A non-decreasing function of the model's probability: flat over each pooled block of
    /// training scores, linear between blocks, flat beyond the ends (scikit-learn's
    /// `IsotonicRegression(out_of_bounds="clip")`).
    Isotonic {
        /// Lowest training score of each block, increasing.
        lows: Vec<f64>,
        /// Highest training score of each block.
        highs: Vec<f64>,
        /// The calibrated probability of each block, non-decreasing.
        values: Vec<f64>,
    },
}

fn logit(p: f64) -> f64 {
    let p = p.clamp(1e-12, 1.0 - 1e-12);
    (p / (1.0 - p)).ln()
}

impl Calibrator {
    /// Platt scaling fitted on `probabilities` and their outcomes.
    pub fn platt(probabilities: &[f64], labels: &[bool]) -> Result<Calibrator> {
        let rows: Vec<Vec<f64>> = probabilities.iter().map(|&p| vec![logit(p)]).collect();
        // A whisper of a penalty keeps the fit finite when the scores separate the outcomes.
        let fitted = LogisticParams { l2: 1e-6, ..LogisticParams::default() }.check()?.fit(&rows, labels)?;
        Ok(Calibrator::Platt { slope: fitted.coefficients[0], intercept: fitted.intercept })
    }

    /// Isotonic regression fitted on `probabilities` and their outcomes (pool adjacent violators).
    pub fn isotonic(probabilities: &[f64], labels: &[bool]) -> Result<Calibrator> {
        if probabilities.len() != labels.len() || probabilities.is_empty() {
            return Err(invalid_data("isotonic: needs one label per probability, and some"));
        }
        let mut order: Vec<usize> = (0..probabilities.len()).collect();
        order.sort_by(|&a, &b| probabilities[a].total_cmp(&probabilities[b]));
        // Blocks of (lowest score, highest score, sum of outcomes, count), merged while out of order.
        let mut blocks: Vec<(f64, f64, f64, f64)> = Vec::new();
        for index in order {
            let score = probabilities[index];
            blocks.push((score, score, f64::from(u8::from(labels[index])), 1.0));
            while blocks.len() > 1 {
                let (last, previous) = (blocks[blocks.len() - 1], blocks[blocks.len() - 2]);
                // Values must not decrease, and equal scores must share one.
                if previous.2 / previous.3 >= last.2 / last.3 || previous.1 == last.0 {
                    blocks.pop();
                    let merged = blocks.last_mut().expect("a previous block");
                    merged.1 = last.1;
                    merged.2 += last.2;
                    merged.3 += last.3;
                } else {
                    break;
                }
            }
        }
        Ok(Calibrator::Isotonic {
            lows: blocks.iter().map(|block| block.0).collect(),
            highs: blocks.iter().map(|block| block.1).collect(),
            values: blocks.iter().map(|block| block.2 / block.3).collect(),
        })
    }

    /// The calibrated probability of a model's `probability`.
    pub fn apply(&self, probability: f64) -> f64 {
        match self {
            Calibrator::Platt { slope, intercept } => 1.0 / (1.0 + (-(slope * logit(probability) + intercept)).exp()),
            Calibrator::Isotonic { lows, highs, values } => {
                // The first block starting above the probability; the one before it contains it or
                // ends below it.
                let next = lows.partition_point(|low| *low <= probability);
                if next == 0 {
                    return values[0];
                }
                let block = next - 1;
                if probability <= highs[block] || next == lows.len() {
                    return values[block];
                }
                let share = (probability - highs[block]) / (lows[next] - highs[block]);
                values[block] + share * (values[next] - values[block])
            }
        }
    }

    /// `platt` or `isotonic`.
    pub fn name(&self) -> &'static str {
        match self {
            Calibrator::Platt { .. } => "platt",
            Calibrator::Isotonic { .. } => "isotonic",
        }
    }
}

/// Why a calibrator was chosen: each method's log-loss on held-out halves.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalibrationChoice {
    /// The chosen calibrator, refitted on every prediction.
    pub calibrator: Calibrator,
    /// Platt's mean held-out log-loss.
    pub platt_log_loss: f64,
    /// Isotonic's mean held-out log-loss.
    pub isotonic_log_loss: f64,
    /// The uncalibrated probabilities' log-loss on the same rows.
    pub uncalibrated_log_loss: f64,
}

/// Fits Platt and isotonic calibrators on alternating halves of out-of-fold predictions, keeps
/// the one with the lower held-out log-loss, refitted on all of them.
pub fn choose_calibrator(probabilities: &[f64], labels: &[bool]) -> Result<CalibrationChoice> {
    if probabilities.len() != labels.len() || probabilities.len() < 20 {
        return Err(invalid_data("calibration: needs at least 20 predictions with labels"));
    }
    let half = |parity: usize| -> (Vec<f64>, Vec<bool>) {
        probabilities
            .iter()
            .zip(labels)
            .enumerate()
            .filter(|(index, _)| index % 2 == parity)
            .map(|(_, (p, l))| (*p, *l))
            .unzip()
    };
    let (even, odd) = (half(0), half(1));
    let mut scores = [0.0_f64; 2];
    for ((fit_p, fit_l), (test_p, test_l)) in [(&even, &odd), (&odd, &even)] {
        for (slot, calibrator) in
            [Calibrator::platt(fit_p, fit_l)?, Calibrator::isotonic(fit_p, fit_l)?].iter().enumerate()
        {
            let calibrated: Vec<f64> = test_p.iter().map(|&p| calibrator.apply(p)).collect();
            scores[slot] += log_loss(test_l, &calibrated)? / 2.0;
        }
    }
    let calibrator = if scores[0] <= scores[1] {
        Calibrator::platt(probabilities, labels)?
    } else {
        Calibrator::isotonic(probabilities, labels)?
    };
    Ok(CalibrationChoice {
        calibrator,
        platt_log_loss: scores[0],
        isotonic_log_loss: scores[1],
        uncalibrated_log_loss: log_loss(labels, probabilities)?,
    })
}

#[cfg(test)]
mod tests {
    use super::{Calibrator, choose_calibrator};

    /// Pool adjacent violators by hand: outcomes 1, 0, 1, 1 at scores .1 < .2 < .3 < .4 pool the
    /// first two into 0.5 and the last two (equal values need no step of their own) into 1.
    #[test]
    fn isotonic_pools_violators() {
        let calibrator = Calibrator::isotonic(&[0.4, 0.1, 0.3, 0.2], &[true, true, true, false]).expect("fits");
        let Calibrator::Isotonic { lows, highs, values } = &calibrator else { panic!("isotonic") };
        assert_eq!((lows.as_slice(), highs.as_slice()), ([0.1, 0.3].as_slice(), [0.2, 0.4].as_slice()));
        assert_eq!(values, &[0.5, 1.0]);
        assert_eq!(calibrator.apply(0.05), 0.5, "below the first block: its value");
        assert!((calibrator.apply(0.25) - 0.75).abs() < 1e-12, "halfway between blocks");
        assert_eq!(calibrator.apply(0.35), 1.0);
    }

    /// Reference values from scikit-learn 1.9.1:
    /// `IsotonicRegression(out_of_bounds="clip").fit(p, y).predict(q)` and
    /// `LogisticRegression(C=1e6, tol=1e-12).fit(log(p / (1 - p)), y)` for the p and y below.
    #[test]
    fn isotonic_and_platt_match_sklearn() {
        let p = [0.05, 0.1, 0.15, 0.2, 0.3, 0.35, 0.4, 0.5, 0.55, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95];
        let y = [0, 0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1].map(|label| label == 1);
        let isotonic = Calibrator::isotonic(&p, &y).expect("fits");
        let expected = [0.0, 0.1333333333333333, 0.3333333333333333, 0.5833333333333333, 0.6666666666666666, 0.75, 1.0];
        for (query, expected) in [0.05, 0.12, 0.3, 0.45, 0.6, 0.88, 0.99].iter().zip(expected) {
            assert!(
                (isotonic.apply(*query) - expected).abs() < 1e-12,
                "{query}: {} vs {expected}",
                isotonic.apply(*query)
            );
        }
        let Calibrator::Platt { slope, intercept } = Calibrator::platt(&p, &y).expect("fits") else { panic!("platt") };
        assert!((slope - 0.5939317508035658).abs() < 1e-6, "{slope}");
        assert!((intercept - 0.18096477037861297).abs() < 1e-6, "{intercept}");
    }

    /// Scores that are the truth squashed toward 0.5 get stretched back: both calibrators lower
    /// the held-out log-loss, and the lower one is chosen.
    #[test]
    fn a_squashed_score_is_restored() {
        let mut probabilities = Vec::new();
        let mut labels = Vec::new();
        for i in 0..2_000 {
            let truth = (i % 100) as f64 / 100.0 * 0.9 + 0.05;
            let logit = (truth / (1.0 - truth)).ln();
            probabilities.push(1.0 / (1.0 + (-(logit / 3.0)).exp()));
            // A deterministic stand-in for draws: the first truth × 20 of each 20 rows are positive.
            labels.push(((i / 100) % 20) as f64 <= truth * 20.0 - 1.0);
        }
        let choice = choose_calibrator(&probabilities, &labels).expect("chooses");
        assert!(choice.platt_log_loss < choice.uncalibrated_log_loss - 0.05, "{choice:?}");
        assert!(choice.isotonic_log_loss < choice.uncalibrated_log_loss - 0.05, "{choice:?}");
        let better = if choice.platt_log_loss <= choice.isotonic_log_loss { "platt" } else { "isotonic" };
        assert_eq!(choice.calibrator.name(), better);
    }
}
