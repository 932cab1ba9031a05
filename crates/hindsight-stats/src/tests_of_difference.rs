//! Tests of whether two rates differ.

use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF, Normal};
use statrs::function::factorial::ln_binomial;

use crate::error::{Result, invalid};

/// A two-proportion z-test result.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ZTest {
    /// The z statistic (positive when the first rate is higher).
    pub z: f64,
    /// Two-sided p-value.
    pub p_value: f64,
}

/// The pooled two-proportion z-test of `k1/n1` against `k2/n2` (statsmodels' `proportions_ztest`).
pub fn two_proportion_z_test(k1: u64, n1: u64, k2: u64, n2: u64) -> Result<ZTest> {
    if n1 == 0 || n2 == 0 || k1 > n1 || k2 > n2 {
        return Err(invalid("two-proportion z-test", format!("counts {k1}/{n1} and {k2}/{n2} are not two samples")));
    }
    let pooled = (k1 + k2) as f64 / (n1 + n2) as f64;
    let standard_error = (pooled * (1.0 - pooled) * (1.0 / n1 as f64 + 1.0 / n2 as f64)).sqrt();
    if standard_error == 0.0 {
        return Err(invalid("two-proportion z-test", "both samples are all successes or all failures: no variance"));
    }
    let z = (k1 as f64 / n1 as f64 - k2 as f64 / n2 as f64) / standard_error;
    let standard = Normal::new(0.0, 1.0).expect("the standard normal is valid");
    Ok(ZTest { z, p_value: 2.0 * standard.sf(z.abs()) })
}

/// A chi-square test of independence on a 2×2 table.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ChiSquare {
    /// The statistic.
    pub chi2: f64,
    /// Its p-value (1 degree of freedom).
    pub p_value: f64,
}

/// Pearson's chi-square test on `[[a, b], [c, d]]`, with Yates' continuity correction when asked
/// (scipy's `chi2_contingency`, which caps the correction at |observed − expected|).
pub fn chi_square_2x2(table: [[u64; 2]; 2], yates: bool) -> Result<ChiSquare> {
    let total: u64 = table.iter().flatten().sum();
    let rows = [table[0][0] + table[0][1], table[1][0] + table[1][1]];
    let columns = [table[0][0] + table[1][0], table[0][1] + table[1][1]];
    if rows.contains(&0) || columns.contains(&0) {
        return Err(invalid("chi-square test", format!("table {table:?} has an empty row or column")));
    }
    let mut chi2 = 0.0;
    for (i, row) in table.iter().enumerate() {
        for (j, observed) in row.iter().enumerate() {
            let expected = rows[i] as f64 * columns[j] as f64 / total as f64;
            let mut deviation = (*observed as f64 - expected).abs();
            if yates {
                deviation -= deviation.min(0.5);
            }
            chi2 += deviation * deviation / expected;
        }
    }
    let distribution = ChiSquared::new(1.0).expect("one degree of freedom is valid");
    Ok(ChiSquare { chi2, p_value: distribution.sf(chi2) })
}

/// Fisher's exact test result.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FisherExact {
    /// The sample odds ratio `a·d / (b·c)` (infinite when `b·c = 0`).
    pub odds_ratio: f64,
    /// Two-sided p-value.
    pub p_value: f64,
}

/// Fisher's exact test on `[[a, b], [c, d]]`, two-sided as in scipy: the probability of every
/// table with the same margins that is no more likely than the observed one. For the small
/// samples where the chi-square approximation fails.
pub fn fisher_exact(table: [[u64; 2]; 2]) -> Result<FisherExact> {
    let [[a, b], [c, d]] = table;
    let row1 = a + b;
    let row2 = c + d;
    let column1 = a + c;
    let total = row1 + row2;
    if total == 0 {
        return Err(invalid("fisher exact test", "empty table"));
    }
    // Probability of a table with `x` in the top-left cell, margins fixed (hypergeometric).
    let ln_denominator = ln_binomial(total, column1);
    let probability = |x: u64| (ln_binomial(row1, x) + ln_binomial(row2, column1 - x) - ln_denominator).exp();
    let low = column1.saturating_sub(row2);
    let high = column1.min(row1);
    let observed = probability(a);
    // scipy's tolerance for "as extreme": relative 1e-7, so ties in floating point count.
    let threshold = observed * (1.0 + 1e-7);
    let p_value: f64 = (low..=high).map(probability).filter(|p| *p <= threshold).sum();
    let odds_ratio =
        if b * c == 0 { if a * d == 0 { f64::NAN } else { f64::INFINITY } } else { (a * d) as f64 / (b * c) as f64 };
    Ok(FisherExact { odds_ratio, p_value: p_value.min(1.0) })
}

/// The two-sided p-value of a standard-normal statistic `z`.
pub fn two_sided_normal_p(z: f64) -> f64 {
    let standard = Normal::new(0.0, 1.0).expect("the standard normal is valid");
    (2.0 * standard.sf(z.abs())).clamp(0.0, 1.0)
}

#[cfg(test)]
mod normal_p_tests {
    use super::two_sided_normal_p;

    /// `python3 -c "import math; print(math.erfc(1.96 / math.sqrt(2)), math.erfc(3.4538907506712877 / math.sqrt(2)))"`
    /// → 0.04999579029644087 0.0005525611698758091
    #[test]
    fn matches_the_normal_tail() {
        assert!((two_sided_normal_p(1.96) - 0.04999579029644087).abs() < 1e-10);
        assert!((two_sided_normal_p(-3.4538907506712877) - 0.0005525611698758091).abs() < 1e-12);
    }
}
