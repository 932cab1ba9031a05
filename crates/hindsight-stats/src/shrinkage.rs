//! Beta-binomial shrinkage: small categories pulled toward the tenant's rate.
//!
//! A ranking of raw rates is a ranking of sample sizes: the title seen twice and booked twice tops
//! every list at 100%. Empirical Bayes fixes that by treating each category's true rate as drawn
//! from a Beta prior fitted to all categories of the family: its mean is the pooled rate, its
//! strength (how many pseudo-trials it is worth) comes from how much the categories really differ
//! beyond binomial noise. A category's shrunk rate is its posterior mean,
//! `(successes + strength·mean) / (trials + strength)`: large categories keep their own rate,
//! small ones move most of the way to the tenant's.

use serde::Serialize;
use statrs::distribution::{Beta, ContinuousCDF};

use crate::error::{Result, invalid};
use crate::proportion::{Interval, Rate};

/// Prior strengths are kept inside this range: below 2 a 2/2 category would still look certain,
/// above it the prior would drown categories with tens of thousands of trials.
const STRENGTH_RANGE: (f64, f64) = (2.0, 10_000.0);

/// A Beta prior written as its mean and strength (`alpha + beta`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BetaPrior {
    /// Prior mean: the pooled rate of the family.
    pub mean: f64,
    /// Pseudo-trials the prior is worth.
    pub strength: f64,
}

/// A category's rate after shrinkage.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Posterior {
    /// Posterior mean.
    pub mean: f64,
    /// Equal-tailed credible interval.
    pub interval: Interval,
}

impl BetaPrior {
    /// Fits the prior to a family of categories by the method of moments (Kleinman 1973): the
    /// between-category variance is the weighted spread of the rates minus what binomial noise
    /// alone would produce. No excess spread means the categories look alike, so the prior is as
    /// strong as allowed. Errors when the family has no trials, or no successes or no failures at
    /// all (there is then no rate to shrink toward that is not 0 or 1).
    pub fn fit_moments(groups: &[Rate]) -> Result<BetaPrior> {
        let total_trials: u64 = groups.iter().map(|group| group.trials).sum();
        let total_successes: u64 = groups.iter().map(|group| group.successes).sum();
        if total_trials == 0 {
            return Err(invalid("beta-binomial prior", "no trials"));
        }
        let mean = total_successes as f64 / total_trials as f64;
        if mean <= 0.0 || mean >= 1.0 {
            return Err(invalid("beta-binomial prior", format!("pooled rate {mean} leaves nothing to shrink toward")));
        }
        let populated: Vec<&Rate> = groups.iter().filter(|group| group.trials > 0).collect();
        let n = total_trials as f64;
        let weighted_spread: f64 = populated
            .iter()
            .map(|group| {
                let rate = group.successes as f64 / group.trials as f64;
                group.trials as f64 * (rate - mean).powi(2)
            })
            .sum();
        let noise = mean * (1.0 - mean) * (populated.len() as f64 - 1.0);
        let denominator = n - populated.iter().map(|group| (group.trials as f64).powi(2)).sum::<f64>() / n;
        let between_variance = if denominator > 0.0 { (weighted_spread - noise) / denominator } else { 0.0 };
        let strength = if between_variance > 0.0 {
            (mean * (1.0 - mean) / between_variance - 1.0).clamp(STRENGTH_RANGE.0, STRENGTH_RANGE.1)
        } else {
            STRENGTH_RANGE.1
        };
        Ok(BetaPrior { mean, strength })
    }

    /// The posterior of one category under this prior, with a `confidence` credible interval.
    pub fn posterior(&self, rate: Rate, confidence: f64) -> Result<Posterior> {
        if !(confidence > 0.0 && confidence < 1.0) {
            return Err(invalid("beta posterior", format!("confidence {confidence} is not strictly between 0 and 1")));
        }
        if rate.successes > rate.trials {
            return Err(invalid(
                "beta posterior",
                format!("{} successes out of {} trials", rate.successes, rate.trials),
            ));
        }
        let alpha = rate.successes as f64 + self.strength * self.mean;
        let beta = (rate.trials - rate.successes) as f64 + self.strength * (1.0 - self.mean);
        let distribution = Beta::new(alpha, beta).map_err(|error| invalid("beta posterior", error.to_string()))?;
        let tail = (1.0 - confidence) / 2.0;
        Ok(Posterior {
            mean: alpha / (alpha + beta),
            interval: Interval { low: distribution.inverse_cdf(tail), high: distribution.inverse_cdf(1.0 - tail) },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{BetaPrior, Rate};

    /// Reference: the same moments in numpy and `scipy.stats.beta.ppf(0.025 | 0.975, a, b)`
    /// (scipy 1.17.1) with a = k + m·mean, b = n − k + m·(1 − mean):
    /// mean 0.2026578073089701, strength 35.32890826119818; 2/2 → 0.2453776311576538
    /// [0.12327736291674182, 0.39326753256997576]; 50/200 → 0.24289272195743605
    /// [0.19036692830946983, 0.2995568624170156].
    #[test]
    fn matches_numpy_and_scipy() {
        let groups = [Rate::new(2, 2), Rate::new(50, 200), Rate::new(30, 200), Rate::new(40, 200)];
        let prior = BetaPrior::fit_moments(&groups).unwrap();
        assert!((prior.mean - 0.2026578073089701).abs() < 1e-14);
        assert!((prior.strength - 35.32890826119818).abs() < 1e-9);
        let tiny = prior.posterior(groups[0], 0.95).unwrap();
        assert!((tiny.mean - 0.2453776311576538).abs() < 1e-12);
        assert!((tiny.interval.low - 0.12327736291674182).abs() < 1e-9);
        assert!((tiny.interval.high - 0.39326753256997576).abs() < 1e-9);
        let large = prior.posterior(groups[1], 0.95).unwrap();
        assert!((large.mean - 0.24289272195743605).abs() < 1e-12);
        assert!((large.interval.low - 0.19036692830946983).abs() < 1e-9);
        assert!((large.interval.high - 0.2995568624170156).abs() < 1e-9);
        // 2/2 is pulled from 100% to within a point of the 200-trial category: shrinkage alone
        // does not keep it off the top of a ranking, which is why rankings also need a minimum
        // sample per category.
        assert!(tiny.mean - large.mean < 0.01);
    }

    #[test]
    fn alike_categories_get_the_strongest_prior() {
        let groups = [Rate::new(10, 100), Rate::new(10, 100), Rate::new(11, 100)];
        let prior = BetaPrior::fit_moments(&groups).unwrap();
        assert_eq!(prior.strength, 10_000.0);
        assert!((prior.mean - 31.0 / 300.0).abs() < 1e-15);
    }

    #[test]
    fn degenerate_families_are_refused() {
        assert!(BetaPrior::fit_moments(&[]).is_err());
        assert!(BetaPrior::fit_moments(&[Rate::new(0, 10), Rate::new(0, 5)]).is_err());
        assert!(BetaPrior::fit_moments(&[Rate::new(10, 10)]).is_err());
    }
}
