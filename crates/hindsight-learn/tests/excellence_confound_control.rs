//! Confound control of the excellence miner, on calls built so the truth is known exactly.
//!
//! Two lead-quality strata: leads scored 80 book 60% of the time, leads scored 20 book 10%. One
//! line ("since you decide on this") is said to 80% of the good leads and 10% of the others and
//! does nothing; another ("which day works better for you") is said to half of everyone and raises
//! the booking odds. Over all calls both look like winners. Within strata only the second may.

use hindsight_learn::excellence::{ExcellenceParams, analyze_excellence};
use hindsight_model::{Call, Lead};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::json;

const CONFOUNDED: &str = "since you decide on this";
const EFFECTIVE: &str = "which day works better for you";
const FILLER: &[&str] = &[
    "thanks for taking my call",
    "we help clinics fill their calendars",
    "our reminders go out by text",
    "most teams start within a week",
    "setup takes about ten minutes",
    "there is no long contract",
    "the dashboard shows every booking",
    "patients can reschedule themselves",
    "we integrate with common calendars",
    "support is available every weekday",
];

fn lead(id: &str, score: f64) -> Lead {
    let components = json!({"data_quality": 10, "authority": 10, "company_fit": 10, "timing": 5, "risk": 0});
    let weights = json!({"data_quality": 0.2, "authority": 0.25, "company_fit": 0.25, "timing": 0.15});
    serde_json::from_value(json!({
        "type": "lead", "id": id, "status": "contacted",
        "score": {"components": components, "weights": weights, "score": score}
    }))
    .expect("lead")
}

fn call(index: usize, good_lead: bool, rng: &mut ChaCha8Rng) -> Call {
    let says_confounded = rng.random_bool(if good_lead { 0.8 } else { 0.1 });
    let says_effective = rng.random_bool(0.5);
    let logit = if good_lead { 0.4_f64 } else { -2.2 } + if says_effective { 1.5 } else { 0.0 };
    let booked = rng.random_bool(1.0 / (1.0 + (-logit).exp()));
    let mut lines: Vec<String> = (0..3).map(|_| FILLER[rng.random_range(0..FILLER.len())].to_string()).collect();
    if says_confounded {
        lines.push(CONFOUNDED.to_string());
    }
    if says_effective {
        lines.push(EFFECTIVE.to_string());
    }
    let mut turns = Vec::new();
    let mut clock = 0.0;
    for line in lines {
        turns.push(json!({"speaker": "agent", "text": format!("{line}."), "start_s": clock, "end_s": clock + 3.0, "stage": "qualification"}));
        turns.push(json!({"speaker": "user", "text": "I see.", "start_s": clock + 3.5, "end_s": clock + 4.5, "stage": "qualification"}));
        clock += 5.0;
    }
    serde_json::from_value(json!({
        "type": "call", "id": format!("call-{index:05}"), "campaign": "c",
        "lead_id": if good_lead { "lead-good" } else { "lead-poor" },
        "agent": "bot", "script_version": "v1", "started_at": "2026-01-05T10:00:00Z",
        "duration_s": clock, "status": "completed", "turns": turns,
        "outcome": {"booked": booked, "showed_up": booked}
    }))
    .expect("call")
}

#[test]
fn a_line_said_to_better_leads_wins_overall_but_not_within_lead_quality_strata() {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let calls: Vec<Call> = (0..4_000).map(|index| call(index, index % 2 == 0, &mut rng)).collect();
    let leads = [lead("lead-good", 80.0), lead("lead-poor", 20.0)];
    let analysis = analyze_excellence(&calls, &leads, &ExcellenceParams::default());
    let stage = &analysis.differentiators["qualification"];
    let find = |phrase: &str| {
        stage
            .winning
            .iter()
            .find(|d| d.phrase == phrase)
            .unwrap_or_else(|| panic!("{phrase:?} in {:#?}", stage.winning))
    };

    let confounded = find(CONFOUNDED);
    assert!(confounded.significant, "over all calls the confounded line looks like a winner: {confounded:?}");
    let within = confounded.within_lead_quality.expect("judged within strata");
    assert!(!within.holds && within.z.abs() < 2.0, "within strata it has no edge: {within:?}");

    let effective = find(EFFECTIVE);
    let within = effective.within_lead_quality.expect("judged within strata");
    assert!(effective.significant && within.holds, "the line that works holds within strata: {effective:?}");

    let stratified = &analysis.differentiators_within_lead_quality["qualification"];
    assert!(
        stratified.winning.iter().chain(&stratified.losing).all(|d| d.phrase != CONFOUNDED || !d.significant),
        "the stratified view does not report it: {stratified:#?}"
    );
    assert_eq!(analysis.strata.strata.len(), 2, "{:?}", analysis.strata);
}
