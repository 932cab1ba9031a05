//! How good a probability is: ranking (ROC AUC), fit (log-loss, Brier), calibration (reliability
//! curve, ECE), and decisions at a threshold (accuracy, precision, recall, F1).
//!
//! Each follows scikit-learn's definition, so numbers can be compared with a Python notebook:
//! AUC counts tied scores one half; log-loss clips probabilities to [ε, 1 − ε] with ε the f64
//! machine epsilon; precision, recall and F1 are undefined (none) where sklearn would divide by
//! zero; reliability bins are numpy's `digitize` over equal-width edges `i / bins`.

use serde::{Deserialize, Serialize};

use crate::error::{Result, invalid_data};

fn check_pairs(labels: &[bool], probabilities: &[f64], metric: &str) -> Result<()> {
    if labels.len() != probabilities.len() {
        return Err(invalid_data(format!("{metric}: {} labels but {} predictions", labels.len(), probabilities.len())));
    }
    if labels.is_empty() {
        return Err(invalid_data(format!("{metric}: no predictions")));
    }
    if let Some(position) = probabilities.iter().position(|p| !(0.0..=1.0).contains(p)) {
        return Err(invalid_data(format!(
            "{metric}: prediction {position} is {}, not a probability",
            probabilities[position]
        )));
    }
    Ok(())
}

/// Area under the ROC curve: the chance that a random positive scores above a random negative,
/// ties counting one half (Mann–Whitney with average ranks). Needs both classes.
pub fn roc_auc(labels: &[bool], scores: &[f64]) -> Result<f64> {
    if labels.len() != scores.len() || labels.is_empty() {
        return Err(invalid_data(format!("roc_auc: {} labels but {} scores", labels.len(), scores.len())));
    }
    if scores.iter().any(|score| !score.is_finite()) {
        return Err(invalid_data("roc_auc: a score is not a finite number"));
    }
    let positives = labels.iter().filter(|label| **label).count();
    let negatives = labels.len() - positives;
    if positives == 0 || negatives == 0 {
        return Err(invalid_data("roc_auc: needs both classes"));
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let mut positive_rank_sum = 0.0;
    let mut start = 0;
    while start < order.len() {
        let mut end = start;
        while end + 1 < order.len() && scores[order[end + 1]] == scores[order[start]] {
            end += 1;
        }
        // Ranks start + 1 ..= end + 1 share their mean.
        let mean_rank = (start + end + 2) as f64 / 2.0;
        positive_rank_sum += mean_rank * order[start..=end].iter().filter(|&&index| labels[index]).count() as f64;
        start = end + 1;
    }
    let positives = positives as f64;
    Ok((positive_rank_sum - positives * (positives + 1.0) / 2.0) / (positives * negatives as f64))
}

/// Mean negative log-likelihood of the labels.
pub fn log_loss(labels: &[bool], probabilities: &[f64]) -> Result<f64> {
    check_pairs(labels, probabilities, "log_loss")?;
    let epsilon = f64::EPSILON;
    let total: f64 = labels
        .iter()
        .zip(probabilities)
        .map(|(&label, &p)| {
            let p = p.clamp(epsilon, 1.0 - epsilon);
            -(if label { p.ln() } else { (1.0 - p).ln() })
        })
        .sum();
    Ok(total / labels.len() as f64)
}

/// Mean squared difference between probability and outcome.
pub fn brier(labels: &[bool], probabilities: &[f64]) -> Result<f64> {
    check_pairs(labels, probabilities, "brier")?;
    let total: f64 =
        labels.iter().zip(probabilities).map(|(&label, &p)| (p - if label { 1.0 } else { 0.0 }).powi(2)).sum();
    Ok(total / labels.len() as f64)
}

/// One bin of a reliability curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ReliabilityBin {
    /// Lowest probability of the bin.
    pub low: f64,
    /// Highest (exclusive, except for the last bin).
    pub high: f64,
    /// Predictions in it.
    pub count: usize,
    /// Their mean probability.
    pub mean_predicted: f64,
    /// The share of them that were positive.
    pub observed_rate: f64,
}

/// Predicted against observed, bin by bin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reliability {
    /// Non-empty bins, lowest first.
    pub bins: Vec<ReliabilityBin>,
    /// Expected calibration error: Σ over bins of (share of predictions) × |observed − predicted|.
    pub ece: f64,
}

/// The reliability curve over `bins` equal-width bins and its expected calibration error.
pub fn reliability(labels: &[bool], probabilities: &[f64], bins: usize) -> Result<Reliability> {
    check_pairs(labels, probabilities, "reliability")?;
    if bins == 0 {
        return Err(invalid_data("reliability: needs at least one bin"));
    }
    // numpy: edges = linspace(0, 1, bins + 1), i.e. i × (1 / bins); a probability falls in the bin
    // of the last inner edge at or below it.
    let step = 1.0 / bins as f64;
    let inner_edges: Vec<f64> = (1..bins).map(|edge| edge as f64 * step).collect();
    let mut sums = vec![(0_usize, 0.0_f64, 0_usize); bins];
    for (&label, &p) in labels.iter().zip(probabilities) {
        let bin = inner_edges.iter().filter(|edge| **edge <= p).count();
        let entry = &mut sums[bin];
        entry.0 += 1;
        entry.1 += p;
        entry.2 += usize::from(label);
    }
    let total = labels.len() as f64;
    let mut curve = Vec::new();
    let mut ece = 0.0;
    for (bin, &(count, predicted, positives)) in sums.iter().enumerate() {
        if count == 0 {
            continue;
        }
        let mean_predicted = predicted / count as f64;
        let observed_rate = positives as f64 / count as f64;
        ece += count as f64 / total * (observed_rate - mean_predicted).abs();
        curve.push(ReliabilityBin {
            low: bin as f64 * step,
            high: if bin + 1 == bins { 1.0 } else { (bin + 1) as f64 * step },
            count,
            mean_predicted,
            observed_rate,
        });
    }
    Ok(Reliability { bins: curve, ece })
}

/// Decisions at a threshold: predicted positive when the probability is at or above it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ThresholdMetrics {
    /// The threshold.
    pub threshold: f64,
    /// Positives predicted positive.
    pub true_positives: usize,
    /// Negatives predicted positive.
    pub false_positives: usize,
    /// Negatives predicted negative.
    pub true_negatives: usize,
    /// Positives predicted negative.
    pub false_negatives: usize,
    /// Share predicted right.
    pub accuracy: f64,
    /// Of the predicted positives, the share that were; none when nothing was predicted positive.
    pub precision: Option<f64>,
    /// Of the positives, the share predicted; none without positives.
    pub recall: Option<f64>,
    /// Harmonic mean of precision and recall; none when either is undefined or both are 0.
    pub f1: Option<f64>,
}

/// Confusion counts and the rates built on them at `threshold`.
pub fn at_threshold(labels: &[bool], probabilities: &[f64], threshold: f64) -> Result<ThresholdMetrics> {
    check_pairs(labels, probabilities, "at_threshold")?;
    let (mut true_positives, mut false_positives, mut true_negatives, mut false_negatives) = (0, 0, 0, 0);
    for (&label, &p) in labels.iter().zip(probabilities) {
        match (label, p >= threshold) {
            (true, true) => true_positives += 1,
            (false, true) => false_positives += 1,
            (false, false) => true_negatives += 1,
            (true, false) => false_negatives += 1,
        }
    }
    let ratio = |numerator: usize, denominator: usize| (denominator > 0).then(|| numerator as f64 / denominator as f64);
    let precision = ratio(true_positives, true_positives + false_positives);
    let recall = ratio(true_positives, true_positives + false_negatives);
    let f1 = match (precision, recall) {
        (Some(precision), Some(recall)) if precision + recall > 0.0 => {
            Some(2.0 * precision * recall / (precision + recall))
        }
        _ => None,
    };
    Ok(ThresholdMetrics {
        threshold,
        true_positives,
        false_positives,
        true_negatives,
        false_negatives,
        accuracy: (true_positives + true_negatives) as f64 / labels.len() as f64,
        precision,
        recall,
        f1,
    })
}

#[cfg(test)]
mod tests {
    use super::{at_threshold, brier, log_loss, reliability, roc_auc};

    #[test]
    fn small_cases_by_hand() {
        // Positives 0.8 and 0.4, negatives 0.4 and 0.1: pairs (0.8>0.4, 0.8>0.1, tie, 0.4>0.1) = 3.5/4.
        let labels = [true, true, false, false];
        let scores = [0.8, 0.4, 0.4, 0.1];
        assert_eq!(roc_auc(&labels, &scores).expect("auc"), 0.875);
        // −(ln .8 + ln .4 + ln .6 + ln .9) / 4.
        let expected = -(0.8_f64.ln() + 0.4_f64.ln() + 0.6_f64.ln() + 0.9_f64.ln()) / 4.0;
        assert!((log_loss(&labels, &scores).expect("log-loss") - expected).abs() < 1e-15);
        assert!((brier(&labels, &scores).expect("brier") - (0.04 + 0.36 + 0.16 + 0.01) / 4.0).abs() < 1e-15);
        let at = at_threshold(&labels, &scores, 0.5).expect("threshold");
        assert_eq!((at.true_positives, at.false_positives, at.true_negatives, at.false_negatives), (1, 0, 2, 1));
        assert_eq!((at.precision, at.recall), (Some(1.0), Some(0.5)));
        // Two bins: [0, .5) holds .4, .4, .1 (one positive), [.5, 1] holds .8 (positive).
        let curve = reliability(&labels, &scores, 2).expect("curve");
        assert_eq!(curve.bins.len(), 2);
        assert!((curve.ece - (0.75 * (1.0_f64 / 3.0 - 0.3).abs() + 0.25 * 0.2)).abs() < 1e-15);
    }

    #[test]
    fn undefined_inputs_are_errors_and_undefined_rates_are_none() {
        assert!(roc_auc(&[true, true], &[0.2, 0.3]).unwrap_err().to_string().contains("needs both classes"));
        assert!(log_loss(&[true], &[1.5]).unwrap_err().to_string().contains("not a probability"));
        assert!(brier(&[true, false], &[0.5]).unwrap_err().to_string().contains("2 labels but 1 predictions"));
        let nothing_predicted = at_threshold(&[true, false], &[0.1, 0.2], 0.5).expect("counts");
        assert_eq!((nothing_predicted.precision, nothing_predicted.f1), (None, None));
        assert!(log_loss(&[true], &[0.0]).expect("clipped").is_finite(), "p = 0 is clipped, as in sklearn");
    }
}
