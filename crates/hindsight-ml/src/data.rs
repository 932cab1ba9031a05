//! A feature matrix: named columns of numbers, missing values as NaN.

use serde::Serialize;

use crate::error::{Result, invalid_data};

/// Rows × named features, stored column by column (what tree learners scan). A missing value is
/// NaN; infinities are refused.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeatureMatrix {
    names: Vec<String>,
    rows: usize,
    /// Column-major: feature j of row i is `values[j * rows + i]`.
    values: Vec<f64>,
}

impl FeatureMatrix {
    /// Builds a matrix from rows (each as long as `names`).
    pub fn from_rows(names: Vec<String>, rows: &[Vec<f64>]) -> Result<FeatureMatrix> {
        let width = names.len();
        let mut values = vec![0.0; width * rows.len()];
        for (index, row) in rows.iter().enumerate() {
            if row.len() != width {
                return Err(invalid_data(format!("row {index} has {} features, expected {width}", row.len())));
            }
            for (feature, &value) in row.iter().enumerate() {
                if value.is_infinite() {
                    return Err(invalid_data(format!("row {index}, feature {}: infinite", names[feature])));
                }
                values[feature * rows.len() + index] = value;
            }
        }
        Ok(FeatureMatrix { names, rows: rows.len(), values })
    }

    /// Feature names, in column order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Features.
    pub fn width(&self) -> usize {
        self.names.len()
    }

    /// Column-major values.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// One row's values, in column order.
    pub fn row(&self, index: usize) -> Vec<f64> {
        (0..self.width()).map(|feature| self.values[feature * self.rows + index]).collect()
    }

    /// Copies row `index` into `row` (as wide as the matrix), without allocating.
    pub fn copy_row(&self, index: usize, row: &mut [f64]) {
        for (feature, value) in row.iter_mut().enumerate() {
            *value = self.values[feature * self.rows + index];
        }
    }

    /// Fails unless the columns are `expected`, in that order: a model fitted on one feature
    /// list must not score another.
    pub fn check_names(&self, expected: &[String]) -> Result<()> {
        if self.names != expected {
            return Err(invalid_data(format!(
                "the model was fitted on features {expected:?}, these are {:?}",
                self.names
            )));
        }
        Ok(())
    }

    /// The rows at `indexes`, in that order.
    pub fn select(&self, indexes: &[usize]) -> FeatureMatrix {
        let mut values = Vec::with_capacity(indexes.len() * self.width());
        for feature in 0..self.width() {
            let column = &self.values[feature * self.rows..(feature + 1) * self.rows];
            values.extend(indexes.iter().map(|&index| column[index]));
        }
        FeatureMatrix { names: self.names.clone(), rows: indexes.len(), values }
    }
}

#[cfg(test)]
mod tests {
    use super::FeatureMatrix;

    #[test]
    fn rows_go_in_and_come_out_the_same() {
        let matrix =
            FeatureMatrix::from_rows(vec!["a".into(), "b".into()], &[vec![1.0, 2.0], vec![3.0, f64::NAN]]).expect("ok");
        assert_eq!(matrix.values()[..3], [1.0, 3.0, 2.0]);
        assert_eq!(matrix.row(0), [1.0, 2.0]);
        assert!(matrix.row(1)[1].is_nan(), "missing stays missing");
        assert_eq!(matrix.select(&[1, 0]).row(1), [1.0, 2.0]);
        let error = FeatureMatrix::from_rows(vec!["a".into()], &[vec![f64::INFINITY]]).unwrap_err();
        assert!(error.to_string().contains("row 0, feature a: infinite"));
    }
}
