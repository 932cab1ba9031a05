//! Rates and their intervals.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};

use crate::error::{Result, invalid};

/// A two-sided interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// Lower bound.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
}

impl Interval {
    /// True when `value` lies inside (bounds included).
    pub fn contains(&self, value: f64) -> bool {
        self.low <= value && value <= self.high
    }
}

/// A count of successes out of trials: a rate that never forgets its sample size.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Rate {
    /// Successes.
    pub successes: u64,
    /// Trials.
    pub trials: u64,
}

impl Rate {
    /// `successes` out of `trials`.
    pub fn new(successes: u64, trials: u64) -> Rate {
        Rate { successes, trials }
    }

    /// The point estimate, or `None` with no trials.
    pub fn estimate(&self) -> Option<f64> {
        (self.trials > 0).then(|| self.successes as f64 / self.trials as f64)
    }

    /// The Wilson score interval, or `None` with no trials.
    pub fn wilson(&self, confidence: f64) -> Option<Interval> {
        wilson_interval(self.successes, self.trials, confidence).ok()
    }

    /// Counts one trial.
    pub fn add(&mut self, success: bool) {
        self.trials += 1;
        self.successes += u64::from(success);
    }
}

/// The standard normal quantile: the z with `P(Z ≤ z) = probability` (1.96 for 0.975). Infinite
/// at 0 and 1.
pub fn normal_quantile(probability: f64) -> f64 {
    Normal::new(0.0, 1.0).expect("the standard normal is valid").inverse_cdf(probability)
}

/// The two-sided standard normal quantile for `confidence` (1.96 for 0.95).
pub(crate) fn z_for(statistic: &'static str, confidence: f64) -> Result<f64> {
    if !(confidence > 0.0 && confidence < 1.0) {
        return Err(invalid(statistic, format!("confidence {confidence} is not strictly between 0 and 1")));
    }
    let standard = Normal::new(0.0, 1.0).expect("the standard normal is valid");
    Ok(standard.inverse_cdf(1.0 - (1.0 - confidence) / 2.0))
}

fn check_counts(statistic: &'static str, successes: u64, trials: u64) -> Result<()> {
    if trials == 0 {
        return Err(invalid(statistic, "no trials"));
    }
    if successes > trials {
        return Err(invalid(statistic, format!("{successes} successes out of {trials} trials")));
    }
    Ok(())
}

/// The Wilson score interval for `successes` out of `trials` (Wilson 1927): unlike the normal
/// approximation it stays inside [0, 1] and keeps its coverage for small samples and rates near
/// 0 or 1 — exactly where campaign data lives.
pub fn wilson_interval(successes: u64, trials: u64, confidence: f64) -> Result<Interval> {
    check_counts("wilson interval", successes, trials)?;
    let z = z_for("wilson interval", confidence)?;
    let n = trials as f64;
    let k = successes as f64;
    let z2 = z * z;
    let center = (k + z2 / 2.0) / (n + z2);
    let half_width = z / (n + z2) * (k * (n - k) / n + z2 / 4.0).sqrt();
    Ok(Interval { low: (center - half_width).max(0.0), high: (center + half_width).min(1.0) })
}

/// Newcombe's hybrid score interval for the difference of two rates, `k1/n1 − k2/n2` (Newcombe
/// 1998, method 10), built from the two Wilson intervals.
pub fn newcombe_difference_interval(k1: u64, n1: u64, k2: u64, n2: u64, confidence: f64) -> Result<Interval> {
    check_counts("newcombe interval", k1, n1)?;
    check_counts("newcombe interval", k2, n2)?;
    let first = wilson_interval(k1, n1, confidence)?;
    let second = wilson_interval(k2, n2, confidence)?;
    let p1 = k1 as f64 / n1 as f64;
    let p2 = k2 as f64 / n2 as f64;
    let difference = p1 - p2;
    Ok(Interval {
        low: difference - ((p1 - first.low).powi(2) + (second.high - p2).powi(2)).sqrt(),
        high: difference + ((first.high - p1).powi(2) + (p2 - second.low).powi(2)).sqrt(),
    })
}

#[cfg(test)]
mod tests {
    use super::{Rate, wilson_interval};

    #[test]
    fn hand_computed_wilson_interval() {
        // 8/10 at 95%: center = (8 + 1.92)/(10 + 3.84) = 0.7167; half = 1.96/13.84 * sqrt(1.6 + 0.96) = 0.2266.
        let interval = wilson_interval(8, 10, 0.95).expect("valid");
        assert!((interval.low - 0.4902).abs() < 1e-3 && (interval.high - 0.9433).abs() < 1e-3, "{interval:?}");
    }

    #[test]
    fn rates_refuse_what_is_undefined() {
        assert_eq!(wilson_interval(0, 0, 0.95).unwrap_err().to_string(), "wilson interval: no trials");
        assert_eq!(
            wilson_interval(3, 2, 0.95).unwrap_err().to_string(),
            "wilson interval: 3 successes out of 2 trials"
        );
        assert!(wilson_interval(1, 2, 1.0).is_err());
        assert_eq!(Rate::default().estimate(), None);
        assert_eq!(Rate::default().wilson(0.95), None);
    }
}
