//! Statistics for hindsight: every rate with its interval, every comparison with its test.
//!
//! hindsight never prints a bare rate. [`Rate`] carries its sample; [`wilson_interval`] gives the
//! interval a rate is reported with (and that alarms are raised on, so a small campaign does not
//! alarm on noise); [`newcombe_difference_interval`] gives the interval of a difference between two
//! rates; [`two_proportion_z_test`], [`chi_square_2x2`] and [`fisher_exact`] test whether two rates
//! differ, and [`holm_adjusted`] keeps a family of such tests honest. [`BetaPrior`] shrinks small
//! categories toward their family's rate; [`minimize_fixed_sum`] fits weights that must stay in
//! bounds and add up to a total (SLSQP). Distribution functions come from `statrs`; the formulas here are checked against
//! statsmodels and scipy (`tests/oracles.rs`, cases from the workspace's `testdata/oracles.json`).
//!
//! Pure functions: no I/O, no state.
#![deny(missing_docs)]

mod constrained;
mod error;
mod multiple;
mod proportion;
mod shrinkage;
mod tests_of_difference;

pub use constrained::{FixedSumProblem, Minimum, minimize_fixed_sum};
pub use error::{Result, StatsError};
pub use multiple::holm_adjusted;
pub use proportion::{Interval, Rate, newcombe_difference_interval, normal_quantile, wilson_interval};
pub use shrinkage::{BetaPrior, Posterior};
pub use tests_of_difference::{
    ChiSquare, FisherExact, ZTest, chi_square_2x2, fisher_exact, two_proportion_z_test, two_sided_normal_p,
};

/// The confidence level used when a caller does not choose one.
pub const DEFAULT_CONFIDENCE: f64 = 0.95;
