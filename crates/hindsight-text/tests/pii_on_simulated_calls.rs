//! PII recall on the simulator's transcripts: every value the simulator planted (and recorded in
//! its truth file, with the turn it was said in) must be gone from the redacted turn.
//!
//! The bar: recall ≥ 99% on emails, phones (digits and spoken), cards and SSNs. Person
//! names and street addresses are measured too, with the bar their rules can promise.

use std::collections::BTreeMap;

use hindsight_model::Call;
use hindsight_sim::{SimConfig, SimOutputs, simulate};
use hindsight_text::pii::PiiDetector;

#[test]
fn planted_pii_is_redacted() {
    let (mut calls, mut leads, mut activities, mut outcomes) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let outputs =
        SimOutputs { calls: &mut calls, leads: &mut leads, activities: &mut activities, outcomes: &mut outcomes };
    let config = SimConfig { calls: 20_000, leads: 2_000, seed: 11, ..SimConfig::default() };
    let summary = simulate(&config, outputs, &mut |_, _, _| {}).expect("simulation runs");
    let calls: BTreeMap<String, Call> = calls
        .split(|byte| *byte == b'\n')
        .filter(|line| !line.is_empty())
        .map(|line| serde_json::from_slice::<Call>(line).expect("call"))
        .map(|call| (call.id.clone(), call))
        .collect();

    let detector = PiiDetector::new();
    // kind → (planted, still readable after redaction)
    let mut tally: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut misses = Vec::new();
    for plant in &summary.truth.pii {
        let turn = &calls[&plant.call_id].turns[plant.turn];
        assert!(turn.text.contains(&plant.value), "truth points at the turn that says {:?}", plant.value);
        let redacted = detector.redact(&turn.text, None).text;
        let entry = tally.entry(plant.kind.clone()).or_default();
        entry.0 += 1;
        // A value counts as leaked when any of its words survive next to each other as said: the
        // whole value, or (for names) the surname alone.
        let leaked = redacted.contains(&plant.value)
            || plant.value.split_whitespace().filter(|word| word.len() > 3).any(|word| redacted.contains(word));
        if leaked {
            entry.1 += 1;
            misses.push(format!("{}: {:?} → {:?}", plant.kind, turn.text, redacted));
        }
    }
    eprintln!("planted and leaked per kind: {tally:?}");
    let recall = |kind: &str| {
        let (planted, leaked) = tally.get(kind).copied().unwrap_or_default();
        assert!(planted >= 20, "the simulation plants enough {kind} values to measure ({planted})");
        1.0 - leaked as f64 / planted as f64
    };
    for kind in ["email", "phone", "phone_spoken", "card", "ssn"] {
        assert!(recall(kind) >= 0.99, "{kind}: recall {:.4} {tally:?}\n{}", recall(kind), misses.join("\n"));
    }
    for kind in ["person", "street_address"] {
        assert!(recall(kind) >= 0.95, "{kind}: recall {:.4} {tally:?}\n{}", recall(kind), misses.join("\n"));
    }
}

/// `tokens::sentences` skips the UAX #29 segmenter when it can tell the answer; over every turn of
/// a simulated campaign, raw and redacted, it must give what the segmenter gives.
#[test]
fn sentence_fast_path_agrees_with_the_segmenter_on_simulated_turns() {
    use hindsight_text::tokens::sentences;
    use unicode_segmentation::UnicodeSegmentation;

    let (mut calls, mut leads, mut activities, mut outcomes) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let outputs =
        SimOutputs { calls: &mut calls, leads: &mut leads, activities: &mut activities, outcomes: &mut outcomes };
    simulate(&SimConfig { calls: 1_000, leads: 200, seed: 5, ..SimConfig::default() }, outputs, &mut |_, _, _| {})
        .expect("simulation runs");
    let detector = PiiDetector::new();
    let mut checked = 0;
    for line in calls.split(|byte| *byte == b'\n').filter(|line| !line.is_empty()) {
        let call: Call = serde_json::from_slice(line).expect("call");
        for turn in &call.turns {
            for text in [turn.text.clone(), detector.redact(&turn.text, None).text] {
                let segmented: Vec<&str> =
                    text.unicode_sentences().map(str::trim).filter(|sentence| !sentence.is_empty()).collect();
                assert_eq!(sentences(&text), segmented, "{text:?}");
                checked += 1;
            }
        }
    }
    assert!(checked > 20_000, "{checked} texts checked");
}
