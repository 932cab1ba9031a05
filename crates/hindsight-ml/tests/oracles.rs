//! hindsight-ml against scikit-learn: the `classification_metrics` and `logistic_regression_l2`
//! cases of ../shared/oracles/generate.py (copied to testdata/oracles.json at the workspace root;
//! versions in `generated_with`), and threshold metrics computed once with scikit-learn 1.9.1:
//! `accuracy_score, precision_score, recall_score, f1_score` of `y_true` against `y_prob >= t`.

use hindsight_ml::logistic::LogisticParams;
use hindsight_ml::metrics::{at_threshold, brier, log_loss, reliability, roc_auc};
use serde_json::Value;

fn oracles() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/oracles.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("oracle file")).expect("oracle JSON")
}

fn labels(value: &Value) -> Vec<bool> {
    value.as_array().expect("labels").iter().map(|label| label.as_i64() == Some(1)).collect()
}

fn numbers(value: &Value) -> Vec<f64> {
    value.as_array().expect("numbers").iter().map(|number| number.as_f64().expect("number")).collect()
}

fn close(actual: f64, expected: f64, tolerance: f64, what: &str) {
    assert!((actual - expected).abs() <= tolerance, "{what}: {actual} vs oracle {expected}");
}

#[test]
fn classification_metrics_match_sklearn() {
    let case = &oracles()["classification_metrics"];
    let (y, p) = (labels(&case["y_true"]), numbers(&case["y_prob"]));
    close(roc_auc(&y, &p).expect("auc"), case["roc_auc"]["value"].as_f64().expect("v"), 1e-12, "roc_auc");
    close(log_loss(&y, &p).expect("ll"), case["log_loss"]["value"].as_f64().expect("v"), 1e-12, "log_loss");
    close(brier(&y, &p).expect("brier"), case["brier"]["value"].as_f64().expect("v"), 1e-12, "brier");
    let ece = reliability(&y, &p, 10).expect("curve").ece;
    close(ece, case["ece_10_equal_width_bins"]["value"].as_f64().expect("v"), 1e-12, "ece");
    let ties = &case["roc_auc_with_ties"];
    let auc = roc_auc(&labels(&ties["y_true"]), &numbers(&ties["y_prob"])).expect("auc");
    close(auc, ties["value"].as_f64().expect("v"), 1e-12, "roc_auc with ties");

    for (threshold, accuracy, precision, recall, f1) in [
        (0.5, 0.845, 0.9166666666666666, 0.7927927927927928, 0.8502415458937198),
        (0.7, 0.655, 0.9375, 0.40540540540540543, 0.5660377358490566),
    ] {
        let at = at_threshold(&y, &p, threshold).expect("counts");
        close(at.accuracy, accuracy, 1e-12, "accuracy");
        close(at.precision.expect("defined"), precision, 1e-12, "precision");
        close(at.recall.expect("defined"), recall, 1e-12, "recall");
        close(at.f1.expect("defined"), f1, 1e-12, "f1");
    }
}

#[test]
fn logistic_regression_matches_sklearn() {
    let case = &oracles()["logistic_regression_l2"];
    let rows: Vec<Vec<f64>> = case["X"].as_array().expect("rows").iter().map(numbers).collect();
    let y = labels(&case["y"]);
    // sklearn's C = 1.0: the penalty is ½‖w‖², λ = 1. The two optimizers agree to ~4e-9 (lbfgs
    // and Newton stop at different tolerances), so 1e-7 is the bar.
    let model =
        LogisticParams { l2: 1.0, ..LogisticParams::default() }.check().expect("valid").fit(&rows, &y).expect("fits");
    for (coefficient, expected) in model.coefficients.iter().zip(numbers(&case["coef"])) {
        close(*coefficient, expected, 1e-7, "coefficient");
    }
    close(model.intercept, case["intercept"].as_f64().expect("intercept"), 1e-7, "intercept");
    assert!(model.iterations < 20, "Newton converges in a few steps, took {}", model.iterations);
}
