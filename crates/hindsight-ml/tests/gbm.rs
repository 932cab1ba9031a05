//! Boosted trees on data with planted drivers: they rank, they explain additively, and a model
//! saved as JSON predicts the same after loading.

use hindsight_ml::FeatureMatrix;
use hindsight_ml::gbm::{FittedGbm, GbmParams};
use hindsight_ml::metrics::roc_auc;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// `strong` raises the odds, `against` lowers them, `noise` does nothing, `sometimes` matters but
/// is missing for a third of the rows.
fn planted(rows: usize, seed: u64) -> (FeatureMatrix, Vec<bool>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut data = Vec::with_capacity(rows);
    let mut labels = Vec::with_capacity(rows);
    for _ in 0..rows {
        let strong: f64 = rng.random_range(-2.0..2.0);
        let against: f64 = rng.random_range(-2.0..2.0);
        let noise: f64 = rng.random_range(-2.0..2.0);
        let sometimes: f64 = rng.random_range(-2.0..2.0);
        let missing = rng.random_bool(1.0 / 3.0);
        let logit = 1.2 * strong - 0.8 * against + if missing { 0.0 } else { 0.6 * sometimes };
        labels.push(rng.random_bool(1.0 / (1.0 + (-logit).exp())));
        data.push(vec![strong, against, noise, if missing { f64::NAN } else { sometimes }]);
    }
    let names = ["strong", "against", "noise", "sometimes"].map(String::from).to_vec();
    (FeatureMatrix::from_rows(names, &data).expect("matrix"), labels)
}

#[test]
fn boosted_trees_rank_explain_and_round_trip() {
    let (train, train_labels) = planted(4_000, 1);
    let (test, test_labels) = planted(2_000, 2);
    let model = GbmParams::default().check().expect("valid").fit(&train, &train_labels).expect("fits");

    let probabilities = model.predict_probability(&test).expect("predicts");
    let auc = roc_auc(&test_labels, &probabilities).expect("auc");
    // The planted logit's own AUC on this data is about 0.82; a fitted model comes close.
    assert!(auc > 0.78, "held-out AUC {auc}");

    let logits = model.predict_logit(&test).expect("predicts");
    let explanations = model.explain(&test).expect("explains");
    // The outcome-models issue's bar: contributions sum to the model's output within 1e-9.
    let worst = explanations
        .iter()
        .zip(&logits)
        .map(|(e, logit)| (e.baseline + e.contributions.iter().sum::<f64>() - logit).abs())
        .fold(0.0, f64::max);
    assert!(worst < 1e-9, "contributions sum to the log-odds within {worst}");
    let importance: Vec<f64> = (0..test.width())
        .map(|feature| {
            explanations.iter().map(|e| e.contributions[feature].abs()).sum::<f64>() / explanations.len() as f64
        })
        .collect();
    assert!(importance[0] > importance[1] && importance[1] > importance[2], "{importance:?}");
    assert!(importance[3] > importance[2], "the partly missing driver still beats noise: {importance:?}");

    let loaded = FittedGbm::from_json(&model.to_json().expect("json")).expect("loads");
    assert_eq!(loaded.predict_logit(&test).expect("predicts"), logits);
    let renamed = FeatureMatrix::from_rows(vec!["a".into(), "b".into(), "c".into(), "d".into()], &[vec![0.0; 4]])
        .expect("matrix");
    assert!(model.predict_logit(&renamed).unwrap_err().to_string().contains("the model was fitted on features"));
}

#[test]
fn settings_are_checked() {
    let error = GbmParams { learning_rate: 0.0, ..GbmParams::default() }.check().unwrap_err();
    assert!(error.to_string().contains("invalid setting learning_rate"));
}
