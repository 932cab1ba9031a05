//! Multiple comparisons: when a detector tests every title, hour or subject line, some will pass
//! at 5% by chance alone. Holm's step-down procedure keeps the family-wise error at `alpha`
//! without assuming the tests are independent (they are not: categories share a tenant).

/// Holm-adjusted p-values, in the order given: the i-th smallest of m is multiplied by (m − i),
/// then made monotone so a smaller raw p-value never gets a larger adjusted one. A hypothesis is
/// rejected at `alpha` exactly when its adjusted p-value is below `alpha` (statsmodels'
/// `multipletests(method="holm")`).
pub fn holm_adjusted(p_values: &[f64]) -> Vec<f64> {
    let m = p_values.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|a, b| p_values[*a].total_cmp(&p_values[*b]));
    let mut adjusted = vec![1.0; m];
    let mut running_max: f64 = 0.0;
    for (rank, index) in order.into_iter().enumerate() {
        running_max = running_max.max(((m - rank) as f64 * p_values[index]).min(1.0));
        adjusted[index] = running_max;
    }
    adjusted
}

#[cfg(test)]
mod tests {
    use super::holm_adjusted;

    #[test]
    fn matches_statsmodels() {
        // statsmodels 0.14: multipletests([0.01, 0.04, 0.03, 0.005, 0.5], method="holm")[1]
        let adjusted = holm_adjusted(&[0.01, 0.04, 0.03, 0.005, 0.5]);
        let expected = [0.04, 0.09, 0.09, 0.025, 0.5];
        for (got, want) in adjusted.iter().zip(expected) {
            assert!((got - want).abs() < 1e-12, "{adjusted:?}");
        }
        assert!(holm_adjusted(&[]).is_empty());
    }
}
