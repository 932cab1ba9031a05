//! How a model is judged on rows it did not learn from: stratified k-fold (every row predicted
//! once, out of fold) and a time-ordered split (train on the past, test on the most recent rows —
//! the default, because campaigns drift and k-fold would let the future inform the past).

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::data::FeatureMatrix;
use crate::error::{Result, invalid_data};

/// How to hold rows out.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "split", rename_all = "snake_case")]
pub enum Split {
    /// Rows in time order; the last `holdout_share` of them are the test set.
    TimeOrdered {
        /// Share of rows held out, (0, 1).
        holdout_share: f64,
    },
    /// `folds` folds with the same share of positives in each; rows shuffled with `seed`.
    StratifiedKFold {
        /// Folds, at least 2.
        folds: usize,
        /// Seed of the shuffle.
        seed: u64,
    },
}

/// One train/test partition, as row indexes.
#[derive(Debug, Clone, PartialEq)]
pub struct Fold {
    /// Rows to learn from.
    pub train: Vec<usize>,
    /// Rows to predict.
    pub test: Vec<usize>,
}

/// The partitions `split` makes of `labels` (rows already in time order for a time split).
pub fn folds(labels: &[bool], split: Split) -> Result<Vec<Fold>> {
    let rows = labels.len();
    match split {
        Split::TimeOrdered { holdout_share } => {
            if !(holdout_share > 0.0 && holdout_share < 1.0) {
                return Err(invalid_data(format!("holdout share {holdout_share} is not in (0, 1)")));
            }
            let test_rows = ((rows as f64) * holdout_share).round() as usize;
            if test_rows == 0 || test_rows == rows {
                return Err(invalid_data(format!("{rows} rows are too few to hold {holdout_share} out")));
            }
            let cut = rows - test_rows;
            Ok(vec![Fold { train: (0..cut).collect(), test: (cut..rows).collect() }])
        }
        Split::StratifiedKFold { folds, seed } => {
            if folds < 2 {
                return Err(invalid_data("k-fold needs at least 2 folds"));
            }
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let mut fold_of = vec![0; rows];
            // Each class shuffled and dealt round-robin, so every fold gets its share of both.
            let mut next = 0;
            for class in [true, false] {
                let mut members: Vec<usize> = (0..rows).filter(|&row| labels[row] == class).collect();
                if !members.is_empty() && members.len() < folds {
                    return Err(invalid_data(format!(
                        "only {} rows are {class}: too few for {folds} stratified folds",
                        members.len()
                    )));
                }
                members.shuffle(&mut rng);
                for row in members {
                    fold_of[row] = next % folds;
                    next += 1;
                }
            }
            Ok((0..folds)
                .map(|fold| Fold {
                    train: (0..rows).filter(|&row| fold_of[row] != fold).collect(),
                    test: (0..rows).filter(|&row| fold_of[row] == fold).collect(),
                })
                .collect())
        }
    }
}

/// Every row's probability from a model that did not see it: `fit_predict` learns from each
/// stratified fold's training rows (matrix and labels) and predicts its test rows, `folds` times.
/// What a calibrator is fitted on.
pub fn out_of_fold(
    matrix: &FeatureMatrix,
    labels: &[bool],
    split: Split,
    mut fit_predict: impl FnMut(&FeatureMatrix, &[bool], &FeatureMatrix) -> Result<Vec<f64>>,
) -> Result<Vec<f64>> {
    let mut predictions = vec![f64::NAN; labels.len()];
    for fold in folds(labels, split)? {
        let train_labels: Vec<bool> = fold.train.iter().map(|&row| labels[row]).collect();
        let predicted = fit_predict(&matrix.select(&fold.train), &train_labels, &matrix.select(&fold.test))?;
        for (row, probability) in fold.test.iter().zip(predicted) {
            predictions[*row] = probability;
        }
    }
    Ok(predictions)
}

#[cfg(test)]
mod tests {
    use super::{Split, folds};

    #[test]
    fn time_split_holds_out_the_latest_rows() {
        let split = folds(&[true, false, true, false, true], Split::TimeOrdered { holdout_share: 0.4 }).expect("split");
        assert_eq!(split.len(), 1);
        assert_eq!((split[0].train.as_slice(), split[0].test.as_slice()), ([0, 1, 2].as_slice(), [3, 4].as_slice()));
        assert!(folds(&[true], Split::TimeOrdered { holdout_share: 0.5 }).is_err(), "one row cannot be split");
    }

    #[test]
    fn stratified_folds_cover_every_row_once_with_both_classes() {
        let labels: Vec<bool> = (0..103).map(|row| row % 4 == 0).collect();
        let split = folds(&labels, Split::StratifiedKFold { folds: 5, seed: 1 }).expect("split");
        let mut seen = vec![0; labels.len()];
        for fold in &split {
            let positives = fold.test.iter().filter(|&&row| labels[row]).count();
            assert!((5..=6).contains(&positives), "26 positives over 5 folds: {positives}");
            for &row in &fold.test {
                seen[row] += 1;
            }
            assert_eq!(fold.train.len() + fold.test.len(), labels.len());
        }
        assert!(seen.iter().all(|&count| count == 1), "each row tested once");
        assert_eq!(split, folds(&labels, Split::StratifiedKFold { folds: 5, seed: 1 }).expect("again"), "seeded");
        let rare = folds(&[true, false, false], Split::StratifiedKFold { folds: 2, seed: 1 });
        assert!(rare.unwrap_err().to_string().contains("only 1 rows are true"));
    }
}
