//! Turning scores into probabilities that mean what they say.
//!
//! Two calibrators, fitted on out-of-fold predictions (never on the rows the model learned from):
//! Platt scaling, a logistic regression on the model's log-odds (two parameters: smooth, needs
//! little data), and isotonic regression, the best non-decreasing step function (pool adjacent
//! violators; flexible, needs more data). [`choose_calibrator`] scores both by the log-loss of
//! their [`cross_fitted`] predictions (each half calibrated by a calibrator fitted on the other)
//! and keeps the better one, refitted on all of them.

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

/// The two ways to calibrate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CalibrationMethod {
    /// Logistic regression on the model's log-odds.
    Platt,
    /// Pool adjacent violators.
    Isotonic,
}

impl CalibrationMethod {
    /// Fits this method's calibrator on `probabilities` and their outcomes.
    pub fn fit(self, probabilities: &[f64], labels: &[bool]) -> Result<Calibrator> {
        match self {
            CalibrationMethod::Platt => Calibrator::platt(probabilities, labels),
            CalibrationMethod::Isotonic => Calibrator::isotonic(probabilities, labels),
        }
    }
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

    /// How it was fitted.
    pub fn method(&self) -> CalibrationMethod {
        match self {
            Calibrator::Platt { .. } => CalibrationMethod::Platt,
            Calibrator::Isotonic { .. } => CalibrationMethod::Isotonic,
        }
    }

    /// `platt` or `isotonic`.
    pub fn name(&self) -> &'static str {
        match self.method() {
            CalibrationMethod::Platt => "platt",
            CalibrationMethod::Isotonic => "isotonic",
        }
    }
}

/// `probabilities` calibrated by `method` without any row's calibrator having seen that row: the
/// even rows by a calibrator fitted on the odd ones, the odd rows by one fitted on the even ones.
pub fn cross_fitted(probabilities: &[f64], labels: &[bool], method: CalibrationMethod) -> Result<Vec<f64>> {
    if probabilities.len() != labels.len() {
        return Err(invalid_data("calibration: needs one label per probability"));
    }
    let fit_on = |parity: usize| -> Result<Calibrator> {
        let (p, y): (Vec<f64>, Vec<bool>) = probabilities
            .iter()
            .zip(labels)
            .enumerate()
            .filter(|(index, _)| index % 2 == parity)
            .map(|(_, (p, y))| (*p, *y))
            .unzip();
        method.fit(&p, &y)
    };
    // Row i is calibrated by the calibrator fitted on the other parity.
    let by_parity = [fit_on(1)?, fit_on(0)?];
    Ok(probabilities.iter().enumerate().map(|(index, &p)| by_parity[index % 2].apply(p)).collect())
}

/// Why a calibrator was chosen: each method's log-loss on cross-fitted predictions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalibrationChoice {
    /// The chosen calibrator, refitted on every prediction.
    pub calibrator: Calibrator,
    /// Platt's log-loss, cross-fitted.
    pub platt_log_loss: f64,
    /// Isotonic's log-loss, cross-fitted.
    pub isotonic_log_loss: f64,
    /// The uncalibrated probabilities' log-loss on the same rows.
    pub uncalibrated_log_loss: f64,
    /// The chosen method's cross-fitted predictions, row by row: honest calibrated
    /// probabilities for the rows the calibrator was chosen on.
    #[serde(skip)]
    pub cross_fitted: Vec<f64>,
}

/// Scores Platt and isotonic calibration of out-of-fold predictions by the log-loss of their
/// cross-fitted predictions and keeps the better, refitted on all of them.
pub fn choose_calibrator(probabilities: &[f64], labels: &[bool]) -> Result<CalibrationChoice> {
    if probabilities.len() != labels.len() || probabilities.len() < 20 {
        return Err(invalid_data("calibration: needs at least 20 predictions with labels"));
    }
    let platt = cross_fitted(probabilities, labels, CalibrationMethod::Platt)?;
    let isotonic = cross_fitted(probabilities, labels, CalibrationMethod::Isotonic)?;
    let (platt_log_loss, isotonic_log_loss) = (log_loss(labels, &platt)?, log_loss(labels, &isotonic)?);
    let (method, cross_fitted) = if platt_log_loss <= isotonic_log_loss {
        (CalibrationMethod::Platt, platt)
    } else {
        (CalibrationMethod::Isotonic, isotonic)
    };
    Ok(CalibrationChoice {
        calibrator: method.fit(probabilities, labels)?,
        platt_log_loss,
        isotonic_log_loss,
        uncalibrated_log_loss: log_loss(labels, probabilities)?,
        cross_fitted,
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
