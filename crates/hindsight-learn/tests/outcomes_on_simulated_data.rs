//! Outcome models on simulated campaigns: the show-up drivers the simulator planted (commitment
//! heard on the call, confirmations, days to the appointment) must be what the model leans on,
//! and its calibrated held-out probabilities must mean what they say.

use hindsight_learn::outcomes::{
    CallsByLead, ConfidenceLevel, FamilyChoice, FeatureParams, OutcomeModel, OutcomeTarget, Priority,
    QualificationParams, Recommendation, SplitChoice, TrainError, TrainParams, call_feature_table, factors,
    lead_feature_table, qualify, train_and_evaluate,
};
use hindsight_model::{Call, Lead};
use hindsight_sim::{SimConfig, Strengths, simulate_records};

fn simulated(calls: usize, seed: u64) -> (Vec<Call>, Vec<Lead>) {
    let records = simulate_records(&SimConfig { calls, leads: calls / 4, seed, ..SimConfig::default() })
        .expect("simulation runs");
    (records.calls, records.leads)
}

#[test]
fn show_up_models_lean_on_the_planted_drivers_and_are_calibrated() {
    let (calls, leads) = simulated(12_000, 3);
    let table = call_feature_table(&calls, &leads, OutcomeTarget::ShowedUp, &FeatureParams::default());
    assert!(table.labels.len() > 1_000, "{} booked calls with attendance known", table.labels.len());
    assert!(table.matrix.names().iter().any(|name| name == "call.platform=vapi"), "custom attributes are features");
    assert!(!table.matrix.names().iter().any(|name| name.starts_with("lead.first_name")), "{:?}", table.notes);
    // BANT coverage varies with the qualification questions a call got to (0–4 dimensions).
    let bant = table.matrix.names().iter().position(|name| name == "bant_covered").expect("a BANT column");
    let covered: std::collections::BTreeSet<u32> =
        (0..table.matrix.rows()).map(|row| table.matrix.row(row)[bant] as u32).collect();
    assert!(covered.len() >= 3 && covered.iter().all(|count| *count <= 4), "{covered:?}");

    let (report, model) =
        train_and_evaluate(&table, &TrainParams { split: SplitChoice::Kfold, ..TrainParams::default() })
            .expect("trains");
    assert!(!report.small_data);
    assert_eq!(report.evaluations.len(), 3, "auto evaluates every family");
    assert_eq!(model.card.family, report.chosen, "the chosen family is the model kept");
    for evaluation in &report.evaluations {
        let top: Vec<&str> = evaluation.importance.iter().take(6).map(|(name, _)| name.as_str()).collect();
        assert!(evaluation.raw.auc > 0.62, "{}: AUC {}", evaluation.family, evaluation.raw.auc);
        assert!(
            top[..3].contains(&"commitment_score"),
            "{}: commitment heard drives show-up: {top:?}",
            evaluation.family
        );
        assert!(top.contains(&"days_to_appointment"), "{}: {top:?}", evaluation.family);
        // The bar for calibrated held-out probabilities (out of fold, ~3,700 rows: with
        // fewer, the ECE estimate itself wanders by about a point from one simulation to the next).
        assert!(
            evaluation.calibrated.reliability.ece <= 0.03,
            "{}: ECE {} after {} calibration",
            evaluation.family,
            evaluation.calibrated.reliability.ece,
            evaluation.calibration.calibrator.name()
        );
    }

    let (time, _) = train_and_evaluate(&table, &TrainParams { split: SplitChoice::Time, ..TrainParams::default() })
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
    let (fallback, fallback_model) = train_and_evaluate(&few, &params).expect("trains");
    assert!(fallback.small_data && fallback.chosen == "logistic", "{:?}", fallback.notes);
    assert!(fallback.notes.iter().any(|note| note.contains("strongly penalized")), "{:?}", fallback.notes);
    // Never a confident score from a few dozen outcomes, however extreme the probability.
    let pairs: Vec<_> =
        calls[..250].iter().filter(|call| call.outcome.booked == Some(true)).map(|call| (call, None)).collect();
    let scores = fallback_model.score(&pairs).expect("scores");
    assert!(scores.iter().all(|score| score.confidence_level == ConfidenceLevel::Low), "small data scores low");

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
    let (report, _) = train_and_evaluate(&table, &params).expect("trains");
    let auc = report.evaluations[0].raw.auc;
    assert!(auc > 0.6 && auc < 0.95, "held-out AUC {auc}");
}

/// A kept model is what scoring gets back from storage: the artifact reloads into the same
/// predictions, the schema rebuilds the training columns from raw calls, and every score's
/// factors add up to its log-odds.
#[test]
fn a_stored_model_scores_raw_calls_as_it_was_trained() {
    let (calls, leads) = simulated(6_000, 9);
    let table = call_feature_table(&calls, &leads, OutcomeTarget::ShowedUp, &FeatureParams::default());
    for family in [FamilyChoice::Gbm, FamilyChoice::Logistic, FamilyChoice::Forest] {
        let (_, model) = train_and_evaluate(&table, &TrainParams { family, ..TrainParams::default() }).expect("trains");
        let card = serde_json::to_value(&model.card).expect("card");
        let reloaded = OutcomeModel::load(&card, &model.artifact_json().expect("artifact")).expect("loads");
        let lead_of = |call: &Call| leads.iter().find(|lead| Some(lead.id.as_str()) == call.lead_id.as_deref());
        let scored: Vec<&Call> = calls.iter().filter(|call| table.row_ids[..200].contains(&call.id)).collect();
        let pairs: Vec<_> = scored.iter().map(|call| (*call, lead_of(call))).collect();
        let rebuilt = reloaded.schema.encode_calls(&pairs);
        let positions: Vec<usize> =
            scored.iter().map(|call| table.row_ids.iter().position(|id| *id == call.id).expect("row")).collect();
        assert_eq!(rebuilt.names(), table.matrix.names());
        for (row, &position) in positions.iter().enumerate() {
            let (expected, found) = (table.matrix.row(position), rebuilt.row(row));
            let same = expected.iter().zip(&found).all(|(a, b)| a == b || (a.is_nan() && b.is_nan()));
            assert!(same, "{family:?}: call {} rebuilt differently", scored[row].id);
        }
        let before = model.score(&pairs).expect("scores");
        let after = reloaded.score(&pairs).expect("scores");
        assert_eq!(before, after, "{family:?}: the reloaded model scores the same");
        let explanations = reloaded.model.explain(&rebuilt).expect("explains");
        for (row, explanation) in explanations.iter().enumerate() {
            let all = factors(rebuilt.names(), &rebuilt.row(row), &explanation.contributions, explanation.logit);
            let total: f64 = all.iter().map(|factor| factor.contribution).sum();
            assert!((explanation.baseline + total - after[row].logit).abs() < 1e-9, "{family:?}: factors sum");
            assert!(after[row].key_factors.len() <= 5 && !after[row].key_factors[0].text.is_empty());
        }
    }
}

/// The lead-level model learns progression from who the lead is (the simulator plants lifts by
/// title, industry, size and timing signals), and qualifies open leads with their reasons.
#[test]
fn a_progression_model_learns_from_leads_and_qualifies_open_ones() {
    let records = simulate_records(&SimConfig { calls: 1_000, leads: 6_000, seed: 11, ..SimConfig::default() })
        .expect("simulation runs");
    let calls = CallsByLead::new(&records.calls);
    let table = lead_feature_table(&records.leads, &calls, OutcomeTarget::Progressed, &FeatureParams::default());
    assert!(table.labels.len() > 2_000, "{} leads with progression known", table.labels.len());
    assert!(table.matrix.names().iter().any(|name| name == "calls_said_pricing_request"), "call history joins");
    assert!(table.matrix.names().iter().any(|name| name.starts_with("title_seniority=")), "{:?}", table.matrix.names());
    assert!(!table.matrix.names().iter().any(|name| name.contains("status") || name.contains("converted")));
    assert!(!table.matrix.names().iter().any(|name| name.contains("voice_ai_fit")), "a label is never a feature");
    assert!(table.notes.iter().any(|note| note.starts_with("lead.voice_ai_fit: refused")), "{:?}", table.notes);
    let (report, model) = train_and_evaluate(&table, &TrainParams::default()).expect("trains");
    let chosen = report.evaluations.iter().find(|evaluation| evaluation.family == report.chosen).expect("chosen");
    assert!(chosen.raw.auc > 0.6, "held-out AUC {}", chosen.raw.auc);
    let planted =
        ["title_", "lead_industry", "log_employee_count", "is_new_role", "is_hiring", "recently_funded", "lead_score"];
    let top: Vec<&str> = chosen.importance.iter().take(6).map(|(name, _)| name.as_str()).collect();
    assert!(top.iter().any(|name| planted.iter().any(|prefix| name.starts_with(prefix))), "{top:?}");

    let open: Vec<&Lead> = records
        .leads
        .iter()
        .filter(|lead| matches!(lead.status, hindsight_model::LeadStatus::New | hindsight_model::LeadStatus::Contacted))
        .take(50)
        .collect();
    let scores = model.score_leads(&open, &calls).expect("scores leads");
    assert_eq!(scores.len(), open.len());
    for score in &scores {
        let qualification = qualify(score, None, &QualificationParams::default());
        assert_eq!(qualification.qualification_score, (score.probability * 100.0).round() as u8);
        let expected = match qualification.qualification_score {
            70.. => Recommendation::AeHandoff,
            40..=69 => Recommendation::NurtureTrack,
            _ => Recommendation::SelfService,
        };
        assert_eq!(qualification.recommendation, expected);
        assert!(!qualification.reasoning.is_empty() && qualification.voice_ai_fit.is_none());
    }
    let call = &records.calls[0];
    assert!(model.score(&[(call, None)]).is_err(), "a lead-level model refuses calls");
}

/// What prospects say on calls reaches the lead rows. The simulator plants nothing on a lead's
/// calls, so the test plants it: on calls before their conversion, prospects of leads that
/// progress ask about pricing far more often. The progression model must find that among its top
/// features — and the same data without the planted question must not put any call feature there.
#[test]
fn a_progression_model_hears_what_prospects_said_on_their_calls() {
    let records = simulate_records(&SimConfig { calls: 6_000, leads: 3_000, seed: 13, ..SimConfig::default() })
        .expect("simulation runs");
    let converted: std::collections::HashSet<&str> = records
        .leads
        .iter()
        .filter(|lead| lead.status == hindsight_model::LeadStatus::Converted)
        .map(|lead| lead.id.as_str())
        .collect();
    let mut planted = records.calls.clone();
    for (index, call) in planted.iter_mut().enumerate() {
        let progresses = call.lead_id.as_deref().is_some_and(|id| converted.contains(id));
        // A fixed share per group, spread evenly over the calls: 60% of the calls of leads that
        // progress, 10% of the rest.
        let share = if progresses { 6 } else { 1 };
        if index % 10 >= share {
            continue;
        }
        if let Some(turn) = call.turns.iter_mut().find(|turn| turn.speaker == hindsight_model::Speaker::User) {
            turn.text.push_str(" And what would the pricing look like for a team like ours?");
        }
    }
    let top_features = |calls: &[Call]| -> Vec<String> {
        let table = lead_feature_table(
            &records.leads,
            &CallsByLead::new(calls),
            OutcomeTarget::Progressed,
            &FeatureParams::default(),
        );
        let params = TrainParams { family: FamilyChoice::Gbm, ..TrainParams::default() };
        let (report, _) = train_and_evaluate(&table, &params).expect("trains");
        report.evaluations[0].importance.iter().take(5).map(|(name, _)| name.clone()).collect()
    };
    let with_question = top_features(&planted);
    assert!(with_question[..2].contains(&"calls_said_pricing_request".to_string()), "{with_question:?}");
    let without = top_features(&records.calls);
    // Nor may the length of a history speak: unconverted leads' calls are read over the span a
    // converted lead's are, or "more calls" would read as "less likely to progress".
    assert!(!without.iter().any(|name| name.starts_with("calls_")), "nothing was planted on calls: {without:?}");
}

/// The voice-AI-fit model learns from leads labelled by their `voice_ai_fit` attribute: the
/// simulator plants the fit on the phone operation the description states (words the features
/// count as voice-AI signals) and on company size. Beside the progression model it blends into
/// the qualification score and marks strong-fit handoffs HIGH_VOICE_AI.
#[test]
fn a_voice_ai_fit_model_learns_the_planted_fit_and_joins_the_qualification() {
    let records = simulate_records(&SimConfig { calls: 1_000, leads: 6_000, seed: 11, ..SimConfig::default() })
        .expect("simulation runs");
    let calls = CallsByLead::new(&records.calls);
    let table = lead_feature_table(&records.leads, &calls, OutcomeTarget::VoiceAiFit, &FeatureParams::default());
    let labelled = records.leads.iter().filter(|lead| lead.attributes.contains_key("voice_ai_fit")).count();
    assert!(labelled > 3_000 && table.labels.len() == labelled, "{} of {labelled} labelled leads", table.labels.len());
    assert!(!table.matrix.names().iter().any(|name| name.contains("voice_ai_fit")), "the label is not a feature");
    let (report, fit_model) = train_and_evaluate(&table, &TrainParams::default()).expect("trains");
    for evaluation in &report.evaluations {
        let top: Vec<&str> = evaluation.importance.iter().take(2).map(|(name, _)| name.as_str()).collect();
        assert!(evaluation.raw.auc > 0.75, "{}: held-out AUC {}", evaluation.family, evaluation.raw.auc);
        // Size shows as the employee count or as the annual revenue, which the simulator draws in
        // proportion to it.
        let size = top.iter().any(|name| ["log_employee_count", "lead.annual_revenue_musd"].contains(name));
        assert!(top.contains(&"text_voice_ai") && size, "{}: the planted drivers lead: {top:?}", evaluation.family);
    }

    let progression_table =
        lead_feature_table(&records.leads, &calls, OutcomeTarget::Progressed, &FeatureParams::default());
    let (_, progression) = train_and_evaluate(&progression_table, &TrainParams::default()).expect("trains");
    let open: Vec<&Lead> =
        records.leads.iter().filter(|lead| lead.status == hindsight_model::LeadStatus::Contacted).take(400).collect();
    let scores = progression.score_leads(&open, &calls).expect("scores leads");
    let fits = fit_model.score_leads(&open, &calls).expect("scores leads");
    let params = QualificationParams { ae_handoff: 30.0, nurture: 10.0, ..QualificationParams::default() };
    let mut voice_ai_handoffs = 0;
    for (score, fit) in scores.iter().zip(&fits) {
        let qualification = qualify(score, Some(fit), &params);
        let blended = 0.7 * score.probability + 0.3 * fit.probability;
        assert_eq!(qualification.qualification_score, (blended * 100.0).round() as u8);
        assert_eq!(qualification.voice_ai_fit, Some((fit.probability * 100.0).round() as u8));
        if qualification.priority == Priority::HighVoiceAi {
            voice_ai_handoffs += 1;
            assert!(
                qualification.voice_ai_fit >= Some(70) && qualification.reasoning[0].starts_with("strong voice-AI fit")
            );
            let description = open.iter().find(|lead| lead.id == score.id).and_then(|lead| lead.description.as_deref());
            assert!(
                ["contact center", "call center", "IVR"].iter().any(|words| description.unwrap_or("").contains(words)),
                "a strong fit states a phone operation: {description:?}"
            );
        }
    }
    assert!(voice_ai_handoffs > 0, "some open leads are strong voice-AI handoffs");
}

/// With the voice-AI-fit effects at zero the label is a coin with a fixed bias: no family may rank
/// held-out leads better than chance (about 900 held-out leads: an AUC's standard error is ~0.02,
/// so 0.58 is four of them).
#[test]
fn without_planted_fit_the_voice_ai_model_finds_nothing() {
    let strengths = Strengths { voice_ai_fit: 0.0, ..Strengths::default() };
    let records =
        simulate_records(&SimConfig { calls: 1_000, leads: 6_000, seed: 11, strengths, ..SimConfig::default() })
            .expect("simulation runs");
    let table = lead_feature_table(
        &records.leads,
        &CallsByLead::new(&records.calls),
        OutcomeTarget::VoiceAiFit,
        &FeatureParams::default(),
    );
    assert!(table.labels.len() > 3_000, "{} labelled leads", table.labels.len());
    let (report, _) = train_and_evaluate(&table, &TrainParams::default()).expect("trains");
    for evaluation in &report.evaluations {
        assert!(
            evaluation.raw.auc < 0.58,
            "{}: held-out AUC {} without a planted fit",
            evaluation.family,
            evaluation.raw.auc
        );
    }
}
