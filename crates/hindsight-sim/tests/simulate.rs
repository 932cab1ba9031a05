//! The simulator's contract: deterministic, valid records, planted effects present at strength 1
//! and absent at strength 0.

use hindsight_model::{Activity, Call, Lead, OutcomeEvent, Validate};
use hindsight_sim::{SimConfig, SimOutputs, Strengths, Truth, simulate};

struct Files {
    calls: Vec<u8>,
    leads: Vec<u8>,
    activities: Vec<u8>,
    outcomes: Vec<u8>,
}

fn run(config: &SimConfig) -> (Files, Truth) {
    let mut files = Files { calls: Vec::new(), leads: Vec::new(), activities: Vec::new(), outcomes: Vec::new() };
    let outputs = SimOutputs {
        calls: &mut files.calls,
        leads: &mut files.leads,
        activities: &mut files.activities,
        outcomes: &mut files.outcomes,
    };
    let summary = simulate(config, outputs, &mut |_, _, _| {}).expect("simulation runs");
    (files, summary.truth)
}

fn lines<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Vec<T> {
    bytes
        .split(|b| *b == b'\n')
        .filter(|line| !line.is_empty())
        .map(|line| serde_json::from_slice(line).expect("simulated record decodes"))
        .collect()
}

fn small() -> SimConfig {
    SimConfig { calls: 1_500, leads: 800, ..SimConfig::default() }
}

#[test]
fn the_same_seed_gives_byte_identical_files_and_another_seed_does_not() {
    let (first, first_truth) = run(&small());
    let (second, second_truth) = run(&small());
    assert!(first.calls == second.calls && first.leads == second.leads && first.activities == second.activities);
    assert!(first.outcomes == second.outcomes);
    assert_eq!(first_truth, second_truth);
    let (other, _) = run(&SimConfig { seed: 7, ..small() });
    assert!(first.calls != other.calls);
}

#[test]
fn every_simulated_record_is_valid() {
    let (files, _) = run(&small());
    let calls: Vec<Call> = lines(&files.calls);
    let leads: Vec<Lead> = lines(&files.leads);
    let activities: Vec<Activity> = lines(&files.activities);
    let outcomes: Vec<OutcomeEvent> = lines(&files.outcomes);
    assert_eq!((calls.len(), leads.len()), (1_500, 800));
    assert!(activities.len() > leads.len(), "every lead gets touches");
    assert!(!outcomes.is_empty());
    for call in &calls {
        assert_eq!(call.validate(), vec![], "{}", call.id);
    }
    for lead in &leads {
        assert_eq!(lead.validate(), vec![], "{}", lead.id);
    }
    for activity in &activities {
        assert_eq!(activity.validate(), vec![], "{}", activity.id);
    }
    for event in &outcomes {
        assert_eq!(event.validate(), vec![], "{}", event.id);
    }
    let completed_turns: Vec<usize> =
        calls.iter().filter(|c| c.outcome.booked == Some(true)).map(|c| c.turns.len()).collect();
    let mean_turns = completed_turns.iter().sum::<usize>() as f64 / completed_turns.len() as f64;
    assert!((25.0..=60.0).contains(&mean_turns), "booked calls should run ~40 turns, got {mean_turns}");
}

#[test]
fn transcripts_vary_and_carry_fillers_and_interruptions() {
    let (files, _) = run(&small());
    let calls: Vec<Call> = lines(&files.calls);
    let openings: std::collections::HashSet<&str> = calls.iter().map(|c| c.turns[0].text.as_str()).collect();
    assert!(openings.len() > 100, "openings should vary, got {} distinct", openings.len());
    let all_text: Vec<&str> = calls.iter().flat_map(|c| c.turns.iter().map(|t| t.text.as_str())).collect();
    assert!(all_text.iter().any(|t| t.starts_with("Um, ") || t.starts_with("Uh, ")), "fillers");
    let interruptions =
        calls.iter().flat_map(|c| c.turns.windows(2)).filter(|pair| pair[1].start_s < pair[0].end_s).count();
    assert!(interruptions > 50, "overlapping turns, got {interruptions}");
}

#[test]
fn planted_pii_appears_verbatim_in_the_turn_the_truth_names() {
    let (files, truth) = run(&small());
    let calls: Vec<Call> = lines(&files.calls);
    let by_id: std::collections::HashMap<&str, &Call> = calls.iter().map(|c| (c.id.as_str(), c)).collect();
    let kinds: std::collections::BTreeSet<&str> = truth.pii.iter().map(|p| p.kind.as_str()).collect();
    for kind in ["person", "phone", "phone_spoken", "email", "street_address"] {
        assert!(kinds.contains(kind), "no {kind} planted");
    }
    for plant in &truth.pii {
        let call = by_id[plant.call_id.as_str()];
        assert!(
            call.turns[plant.turn].text.contains(&plant.value),
            "{plant:?} not in {:?}",
            call.turns[plant.turn].text
        );
    }
}

fn booking_rate(truth: &Truth, family: &str, key: &str) -> f64 {
    let tally = truth.calls.realized[family][key];
    tally.successes as f64 / tally.n as f64
}

#[test]
fn the_experiment_lift_is_there_at_strength_one_and_gone_at_zero() {
    let config = SimConfig { calls: 6_000, leads: 500, ..SimConfig::default() };
    let (_, truth) = run(&config);
    let lift = booking_rate(&truth, "booked_by_variant", "B") - booking_rate(&truth, "booked_by_variant", "A");
    assert!(lift > 0.02, "planted lift should show, got {lift}");
    let (_, null_truth) = run(&SimConfig { strengths: Strengths::all(0.0), ..config });
    let null_lift =
        booking_rate(&null_truth, "booked_by_variant", "B") - booking_rate(&null_truth, "booked_by_variant", "A");
    assert!(null_lift.abs() < 0.03, "no lift planted, got {null_lift}");
    assert_eq!(null_truth.leads.best_title, None);
    assert_eq!(truth.leads.best_title.as_deref(), Some("Marketing Director"));
}

#[test]
fn the_last_week_declines_on_the_new_script() {
    let config = SimConfig { calls: 6_000, leads: 500, ..SimConfig::default() };
    let (files, truth) = run(&config);
    let calls: Vec<Call> = lines(&files.calls);
    let drop_share = |script: &str| {
        let of_script: Vec<&Call> = calls.iter().filter(|c| c.script_version == script).collect();
        let dropped_in_stage = of_script
            .iter()
            .filter(|c| c.drop_off_stage.as_ref().map(|s| s.as_str()) == Some(truth.calls.decline.stage.as_str()))
            .count();
        dropped_in_stage as f64 / of_script.len() as f64
    };
    assert!(
        drop_share("v2.0") > drop_share("v1.2") + 0.1,
        "v2.0 {} vs v1.2 {}",
        drop_share("v2.0"),
        drop_share("v1.2")
    );
    assert_eq!(truth.calls.decline.iso_week, "2026-W07");
}

#[test]
fn too_few_weeks_is_refused_with_the_reason() {
    let mut sink = Vec::new();
    let (mut a, mut b, mut c) = (Vec::new(), Vec::new(), Vec::new());
    let outputs = SimOutputs { calls: &mut sink, leads: &mut a, activities: &mut b, outcomes: &mut c };
    let error = simulate(&SimConfig { weeks: 1, ..SimConfig::default() }, outputs, &mut |_, _, _| {}).unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid simulator config: weeks is 1; use 2 to 104 so there is a week-over-week comparison"
    );
}

fn conversion_rate(realized: &hindsight_sim::Realized, family: &str, key: &str) -> f64 {
    let tally = realized[family][key];
    tally.successes as f64 / tally.n as f64
}

#[test]
fn planted_lead_and_timing_effects_show_in_the_data_and_vanish_at_zero_strength() {
    let config = SimConfig { calls: 200, leads: 6_000, ..SimConfig::default() };
    let (_, truth) = run(&config);
    let leads = &truth.leads.realized;
    let touches = &truth.outreach.realized;
    // Largest against smallest planted effect: the gaps are wide enough that 6,000 leads show them.
    assert!(
        conversion_rate(leads, "title", "Marketing Director")
            > conversion_rate(leads, "title", "Marketing Coordinator") + 0.05
    );
    assert!(conversion_rate(leads, "industry", "Dental") > conversion_rate(leads, "industry", "SaaS") + 0.05);
    assert!(conversion_rate(touches, "day", "Tue") > conversion_rate(touches, "day", "Fri"));
    assert!(conversion_rate(touches, "cta", "worth 15 minutes") > conversion_rate(touches, "cta", "let me know"));

    let (_, null_truth) = run(&SimConfig { strengths: Strengths::all(0.0), ..config });
    let null_leads = &null_truth.leads.realized;
    let spread = conversion_rate(null_leads, "title", "Marketing Director")
        - conversion_rate(null_leads, "title", "Marketing Coordinator");
    assert!(spread.abs() < 0.05, "no title effect planted, got a spread of {spread}");
    assert_eq!(null_truth.outreach.best_day, None);
    assert_eq!(truth.outreach.best_day.as_deref(), Some("Tue"));
}
