//! Outcome models on simulated campaigns: the show-up drivers the simulator planted (commitment
//! heard on the call, confirmations, days to the appointment) must be what the model leans on,
//! and its calibrated held-out probabilities must mean what they say.

use hindsight_learn::outcomes::{
    FamilyChoice, FeatureParams, OutcomeTarget, SplitChoice, TrainError, TrainParams, call_feature_table,
    train_and_evaluate,
};
use hindsight_model::{Call, Lead};
use hindsight_sim::{SimConfig, simulate_records};

fn simulated(calls: usize, seed: u64) -> (Vec<Call>, Vec<Lead>) {
    let records = simulate_records(&SimConfig { calls, leads: calls / 4, seed, ..SimConfig::default() })
        .expect("simulation runs");
    (records.calls, records.leads)
}

#[test]
fn show_up_models_lean_on_the_planted_drivers_and_are_calibrated() {
    let (calls, leads) = simulated(8_000, 3);
    let table = call_feature_table(&calls, &leads, OutcomeTarget::ShowedUp, &FeatureParams::default());
    assert!(table.labels.len() > 1_000, "{} booked calls with attendance known", table.labels.len());
    assert!(table.matrix.names().iter().any(|name| name == "call.platform=vapi"), "custom attributes are features");
    assert!(!table.matrix.names().iter().any(|name| name.starts_with("lead.first_name")), "{:?}", table.notes);

    let report = train_and_evaluate(&table, &TrainParams { split: SplitChoice::Kfold, ..TrainParams::default() })
        .expect("trains");
    assert!(!report.small_data);
    assert_eq!(report.evaluations.len(), 2, "auto evaluates both families");
    for evaluation in &report.evaluations {
        let top: Vec<&str> = evaluation.importance.iter().take(6).map(|(name, _)| name.as_str()).collect();
        assert!(evaluation.raw.auc > 0.62, "{}: AUC {}", evaluation.family, evaluation.raw.auc);
        assert!(
            top[..3].contains(&"commitment_score"),
            "{}: commitment heard drives show-up: {top:?}",
            evaluation.family
        );
        assert!(top.contains(&"days_to_appointment"), "{}: {top:?}", evaluation.family);
        // The bar for calibrated held-out probabilities (out of fold, ~2,500 rows).
        assert!(
            evaluation.calibrated.reliability.ece <= 0.03,
            "{}: ECE {} after {} calibration",
            evaluation.family,
            evaluation.calibrated.reliability.ece,
            evaluation.calibration.calibrator.name()
        );
    }

    let time = train_and_evaluate(&table, &TrainParams { split: SplitChoice::Time, ..TrainParams::default() })
        .expect("trains");
    for evaluation in &time.evaluations {
        assert_eq!(evaluation.raw.rows, (table.labels.len() as f64 * 0.2).round() as usize, "the latest fifth");
        assert!(
            evaluation.calibrated.log_loss <= evaluation.raw.log_loss + 0.005,
            "{}: calibration fitted on the training window does not hurt the later calls: {} vs {}",
            evaluation.family,
            evaluation.calibrated.log_loss,
            evaluation.raw.log_loss
        );
    }
}

#[test]
fn few_outcomes_fall_back_or_refuse() {
    let (calls, leads) = simulated(8_000, 5);
    let table = call_feature_table(&calls, &leads, OutcomeTarget::ShowedUp, &FeatureParams::default());
    let params = TrainParams { family: FamilyChoice::Gbm, split: SplitChoice::Kfold, ..TrainParams::default() };

    let few = call_feature_table(&calls[..250], &leads, OutcomeTarget::ShowedUp, &FeatureParams::default());
    let rarer = few.labels.iter().filter(|l| **l).count().min(few.labels.iter().filter(|l| !**l).count());
    assert!((10..50).contains(&rarer), "{rarer} rows of the rarer outcome in the first 250 calls");
    let fallback = train_and_evaluate(&few, &params).expect("trains");
    assert!(fallback.small_data && fallback.chosen == "logistic", "{:?}", fallback.notes);
    assert!(fallback.notes.iter().any(|note| note.contains("strongly penalized")), "{:?}", fallback.notes);

    let tiny = call_feature_table(&calls[..40], &leads, OutcomeTarget::ShowedUp, &FeatureParams::default());
    let refused = train_and_evaluate(&tiny, &params).unwrap_err();
    assert!(matches!(refused, TrainError::TooFewOutcomes { .. }), "{refused}");
    assert!(refused.to_string().starts_with("too few outcomes to train on"), "{refused}");
    assert!(train_and_evaluate(&table, &params).is_ok());
}

/// Regression guard for a leak found by the GBM benchmark: read to the end, a booked call's
/// transcript (the slot read back, the confirmation) gives the booking away (held-out AUC 0.999).
/// Read up to the prospect's decision, it predicts instead of restating.
#[test]
fn booking_features_stop_at_the_decision() {
    let (calls, leads) = simulated(6_000, 7);
    let table = call_feature_table(&calls, &leads, OutcomeTarget::Booked, &FeatureParams::default());
    let params = TrainParams { family: FamilyChoice::Gbm, ..TrainParams::default() };
    let report = train_and_evaluate(&table, &params).expect("trains");
    let auc = report.evaluations[0].raw.auc;
    assert!(auc > 0.6 && auc < 0.95, "held-out AUC {auc}");
}
