//! Structural and behavioural patterns: how top calls differ from the rest in shape (duration,
//! stage durations, talk ratio, questions, confirmations) and behaviour (question types,
//! objection handling time, silence, enthusiasm, personalization).
//!
//! Each measure is summarised per group by its median and quartiles (the spread), and compared by
//! the difference of means with a 95% normal-approximation (Welch) interval; the direction is
//! named only when that interval excludes zero, so a small cohort does not produce a pattern.

use serde::Serialize;

/// One group's values of a measure.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spread {
    /// Calls with a value.
    pub n: usize,
    /// Mean.
    pub mean: f64,
    /// First quartile.
    pub p25: f64,
    /// Median.
    pub median: f64,
    /// Third quartile.
    pub p75: f64,
}

/// Which way the top cohort differs, when the interval says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Higher in top calls (interval above zero).
    Higher,
    /// Lower in top calls (interval below zero).
    Lower,
    /// The interval includes zero.
    NoClearDifference,
}

/// A measure compared between the top cohort and the rest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasureComparison {
    /// What is measured (`duration_s`, `stage_duration_s:qualification`, …).
    pub measure: String,
    /// Top cohort.
    pub top: Spread,
    /// Every other call.
    pub rest: Spread,
    /// Mean of top minus mean of rest.
    pub mean_difference: f64,
    /// 95% interval of the difference (Welch, normal approximation).
    pub interval: (f64, f64),
    /// The reading of the interval.
    pub direction: Direction,
}

/// The spread of `values` (sorted in place); none when empty.
pub fn spread(values: &mut [f64]) -> Option<Spread> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let quantile = |q: f64| {
        // Linear interpolation between order statistics (numpy's default, "type 7").
        let position = q * (values.len() - 1) as f64;
        let (low, high) = (position.floor() as usize, position.ceil() as usize);
        values[low] + (values[high] - values[low]) * (position - low as f64)
    };
    Some(Spread {
        n: values.len(),
        mean: values.iter().sum::<f64>() / values.len() as f64,
        p25: quantile(0.25),
        median: quantile(0.5),
        p75: quantile(0.75),
    })
}

fn variance(values: &[f64], mean: f64) -> f64 {
    if values.len() < 2 {
        return f64::NAN;
    }
    values.iter().map(|value| (value - mean).powi(2)).sum::<f64>() / (values.len() - 1) as f64
}

/// Compares `top` with `rest`; none when either group has fewer than two values.
pub fn compare(measure: &str, mut top: Vec<f64>, mut rest: Vec<f64>) -> Option<MeasureComparison> {
    if top.len() < 2 || rest.len() < 2 {
        return None;
    }
    let top_spread = spread(&mut top)?;
    let rest_spread = spread(&mut rest)?;
    let difference = top_spread.mean - rest_spread.mean;
    let standard_error = (variance(&top, top_spread.mean) / top.len() as f64
        + variance(&rest, rest_spread.mean) / rest.len() as f64)
        .sqrt();
    let interval =
        (difference - 1.959_963_984_540_054 * standard_error, difference + 1.959_963_984_540_054 * standard_error);
    let direction = if interval.0 > 0.0 {
        Direction::Higher
    } else if interval.1 < 0.0 {
        Direction::Lower
    } else {
        Direction::NoClearDifference
    };
    Some(MeasureComparison {
        measure: measure.to_string(),
        top: top_spread,
        rest: rest_spread,
        mean_difference: difference,
        interval,
        direction,
    })
}

#[cfg(test)]
mod tests {
    use super::{Direction, compare, spread};

    /// Reference quartiles are numpy's default (linear, "type 7") for [3,1,4,1,5,9,2,6]:
    /// 1.75, 3.5, 5.25. Welch: `python3 -c "import math; print(3 - 1.959963984540054 *
    /// math.sqrt(2/2 + 1/3))"` → 0.7368285318476566.
    #[test]
    fn spreads_and_welch_intervals_by_hand() {
        let summary = spread(&mut [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0]).expect("values");
        assert_eq!((summary.p25, summary.median, summary.p75, summary.mean), (1.75, 3.5, 5.25, 3.875));
        // top [4, 6]: mean 5, var 2; rest [1, 2, 3]: mean 2, var 1.
        // se = sqrt(2/2 + 1/3) = 1.1547; interval 3 ± 1.96 × 1.1547.
        let comparison = compare("x", vec![4.0, 6.0], vec![1.0, 2.0, 3.0]).expect("comparable");
        assert_eq!(comparison.mean_difference, 3.0);
        assert!((comparison.interval.0 - 0.736_828_531_847_656_6).abs() < 1e-12, "{:?}", comparison.interval);
        assert_eq!(comparison.direction, Direction::Higher);
        assert!(compare("x", vec![1.0], vec![1.0, 2.0]).is_none(), "one value is not a group");
    }
}
