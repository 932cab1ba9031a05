//! Constrained minimization: weights that must stay inside bounds and add up to a fixed total.
//!
//! The lead scorer's weights (conversion-intelligence.md) each lie in [0.05, 0.50] and sum to
//! 0.85. SLSQP (the `slsqp` crate, a translation of NLopt's) takes bounds and inequality
//! constraints; the equality is removed instead of approximated: the last weight is
//! `total − Σ others`, so every point the solver visits sums to the total exactly, and the last
//! weight's bounds become two linear inequalities on the sum of the others. Extra "free"
//! parameters (an intercept) ride along with their own bounds.
//!
//! The solver's answer is checked, not trusted: [`Minimum::feasible`] says whether every bound
//! holds (to 1e-9), and callers compare the objective with a known-good point.

use serde::Serialize;

use crate::error::{Result, invalid};

/// What to minimize over: bounded weights with a fixed sum, plus bounded free parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct FixedSumProblem {
    /// Bounds of each weight; at least two weights.
    pub weight_bounds: Vec<(f64, f64)>,
    /// What the weights must add up to.
    pub total: f64,
    /// Bounds of each free parameter (placed after the weights in the objective's input).
    pub free_bounds: Vec<(f64, f64)>,
    /// Evaluation budget.
    pub max_evaluations: usize,
}

/// The solver's answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Minimum {
    /// The weights, summing to the total.
    pub weights: Vec<f64>,
    /// The free parameters.
    pub free: Vec<f64>,
    /// The objective there.
    pub value: f64,
    /// How SLSQP stopped (`Success`, `FtolReached`, `RoundoffLimited`…).
    pub status: String,
    /// Whether SLSQP reports success.
    pub converged: bool,
}

/// Bound violations up to this are rounding, not infeasibility.
const FEASIBILITY_TOLERANCE: f64 = 1e-9;

impl Minimum {
    /// Whether every weight and free parameter is inside its bounds and the weights add up to the
    /// total, within 1e-9.
    pub fn feasible(&self, problem: &FixedSumProblem) -> bool {
        let inside = |value: f64, (low, high): (f64, f64)| {
            value >= low - FEASIBILITY_TOLERANCE && value <= high + FEASIBILITY_TOLERANCE
        };
        self.weights.iter().zip(&problem.weight_bounds).all(|(value, bounds)| inside(*value, *bounds))
            && self.free.iter().zip(&problem.free_bounds).all(|(value, bounds)| inside(*value, *bounds))
            && (self.weights.iter().sum::<f64>() - problem.total).abs() <= FEASIBILITY_TOLERANCE
    }
}

/// Minimizes `objective(x, gradient)` where `x` is the weights followed by the free parameters
/// and `gradient`, when asked for, receives ∂objective/∂x. Starts from `start` (same layout;
/// its weights are rescaled onto the total if they miss it).
pub fn minimize_fixed_sum(
    objective: impl Fn(&[f64], Option<&mut [f64]>) -> f64,
    start: &[f64],
    problem: &FixedSumProblem,
) -> Result<Minimum> {
    let weights = problem.weight_bounds.len();
    let free = problem.free_bounds.len();
    if weights < 2 {
        return Err(invalid("fixed-sum minimization", "needs at least two weights"));
    }
    if start.len() != weights + free {
        return Err(invalid(
            "fixed-sum minimization",
            format!("start has {} values for {weights} weights and {free} free parameters", start.len()),
        ));
    }
    let lowest: f64 = problem.weight_bounds.iter().map(|bounds| bounds.0).sum();
    let highest: f64 = problem.weight_bounds.iter().map(|bounds| bounds.1).sum();
    let bounds_ordered = problem.weight_bounds.iter().chain(&problem.free_bounds).all(|(low, high)| low <= high);
    let total_reachable = lowest <= problem.total && problem.total <= highest;
    if !(bounds_ordered && total_reachable) {
        return Err(invalid(
            "fixed-sum minimization",
            format!("no weights within their bounds sum to {} (bounds sum to {lowest}..{highest})", problem.total),
        ));
    }

    // Reduced variables: every weight but the last, then the free parameters.
    let last = weights - 1;
    let expand = |reduced: &[f64]| -> Vec<f64> {
        let mut full = Vec::with_capacity(weights + free);
        full.extend_from_slice(&reduced[..last]);
        full.push(problem.total - reduced[..last].iter().sum::<f64>());
        full.extend_from_slice(&reduced[last..]);
        full
    };
    let reduced_objective = |reduced: &[f64], gradient: Option<&mut [f64]>, _: &mut ()| -> f64 {
        let full = expand(reduced);
        match gradient {
            None => objective(&full, None),
            Some(reduced_gradient) => {
                let mut full_gradient = vec![0.0; weights + free];
                let value = objective(&full, Some(&mut full_gradient));
                // Moving weight i moves the last weight the opposite way.
                for i in 0..last {
                    reduced_gradient[i] = full_gradient[i] - full_gradient[last];
                }
                reduced_gradient[last..].copy_from_slice(&full_gradient[weights..]);
                value
            }
        }
    };
    let (last_low, last_high) = problem.weight_bounds[last];
    // Σ others ≤ total − last_low   (the last weight stays above its floor)
    let last_above_floor = |reduced: &[f64], gradient: Option<&mut [f64]>, _: &mut ()| -> f64 {
        if let Some(gradient) = gradient {
            gradient.iter_mut().enumerate().for_each(|(i, g)| *g = if i < last { 1.0 } else { 0.0 });
        }
        reduced[..last].iter().sum::<f64>() - (problem.total - last_low)
    };
    // Σ others ≥ total − last_high  (the last weight stays below its ceiling)
    let last_below_ceiling = |reduced: &[f64], gradient: Option<&mut [f64]>, _: &mut ()| -> f64 {
        if let Some(gradient) = gradient {
            gradient.iter_mut().enumerate().for_each(|(i, g)| *g = if i < last { -1.0 } else { 0.0 });
        }
        (problem.total - last_high) - reduced[..last].iter().sum::<f64>()
    };
    let constraints: Vec<&dyn slsqp::Func<()>> = vec![&last_above_floor, &last_below_ceiling];

    let start_sum: f64 = start[..weights].iter().sum();
    let scale = if start_sum > 0.0 { problem.total / start_sum } else { 1.0 };
    let mut reduced_start: Vec<f64> = start[..last].iter().map(|weight| weight * scale).collect();
    reduced_start.extend_from_slice(&start[weights..]);
    let mut reduced_bounds: Vec<(f64, f64)> = problem.weight_bounds[..last].to_vec();
    reduced_bounds.extend_from_slice(&problem.free_bounds);
    // Start inside the box: SLSQP is happiest starting from a feasible point.
    for (value, (low, high)) in reduced_start.iter_mut().zip(&reduced_bounds) {
        *value = value.clamp(*low, *high);
    }

    let tolerances = slsqp::StopTols { ftol_rel: 1e-12, ..slsqp::StopTols::default() };
    let (status, converged, reduced) = match slsqp::minimize(
        reduced_objective,
        &reduced_start,
        &reduced_bounds,
        &constraints,
        (),
        problem.max_evaluations,
        Some(tolerances),
    ) {
        Ok((status, x, _)) => (format!("{status:?}"), true, x),
        Err((status, x, _)) => (format!("{status:?}"), false, x),
    };
    let full = expand(&reduced);
    let value = objective(&full, None);
    Ok(Minimum { weights: full[..weights].to_vec(), free: full[weights..].to_vec(), value, status, converged })
}

#[cfg(test)]
mod tests {
    use super::{FixedSumProblem, minimize_fixed_sum};

    /// Distance to a target outside the feasible set: the answer is its projection.
    #[test]
    fn projects_onto_the_bounded_simplex() {
        let target = [0.9, 0.1, 0.0];
        let problem = FixedSumProblem {
            weight_bounds: vec![(0.05, 0.5); 3],
            total: 0.85,
            free_bounds: vec![],
            max_evaluations: 200,
        };
        let objective = |x: &[f64], gradient: Option<&mut [f64]>| {
            if let Some(gradient) = gradient {
                for i in 0..3 {
                    gradient[i] = 2.0 * (x[i] - target[i]);
                }
            }
            (0..3).map(|i| (x[i] - target[i]).powi(2)).sum::<f64>()
        };
        let minimum = minimize_fixed_sum(objective, &[0.3, 0.3, 0.25], &problem).unwrap();
        assert!(minimum.converged, "{minimum:?}");
        assert!(minimum.feasible(&problem));
        // First weight at its ceiling; the remaining 0.35 split to stay closest to (0.1, 0.0):
        // (0.2, 0.15) by the projection's equal shift, then the floor 0.05 is not binding.
        let expected = [0.5, 0.225, 0.125];
        for (got, want) in minimum.weights.iter().zip(expected) {
            assert!((got - want).abs() < 1e-6, "{minimum:?}");
        }
    }

    #[test]
    fn infeasible_problems_are_refused() {
        let problem = FixedSumProblem {
            weight_bounds: vec![(0.05, 0.2); 4],
            total: 0.85,
            free_bounds: vec![],
            max_evaluations: 10,
        };
        assert!(minimize_fixed_sum(|_, _| 0.0, &[0.2; 4], &problem).is_err());
    }
}
