//! The examples of conversion-intelligence.md §7, and the weight fit checked against scipy.

use chrono::{TimeZone, Utc};
use expect_test::{Expect, expect};
use hindsight_learn::conversion::evidence::{EvidenceParams, rank_family};
use hindsight_learn::conversion::{
    ContentKeywords, ConversionParams, KeywordMatcher, LeadScorer, PatternSet, WeightSource, check_health,
    derive_weights, detect_who, learn_patterns, normalize_subject, pattern_context,
};
use hindsight_model::{Activity, AlsWeights, Lead};
use hindsight_stats::Rate;
use serde_json::json;

fn lead(id: &str, status: &str, extra: serde_json::Value) -> Lead {
    let mut value = json!({"type": "lead", "id": id, "status": status});
    if status == "converted" {
        value["converted_at"] = json!("2026-02-01T10:00:00Z");
    }
    for (key, field) in extra.as_object().unwrap() {
        value[key] = field.clone();
    }
    serde_json::from_value(value).expect("lead")
}

fn with_components(data_quality: f64, authority: f64, company_fit: f64, timing: f64) -> serde_json::Value {
    json!({"score": {
        "components": {"data_quality": data_quality, "authority": authority, "company_fit": company_fit, "timing": timing},
        "weights": {"data_quality": 0.2, "authority": 0.25, "company_fit": 0.25, "timing": 0.15}
    }})
}

#[test]
fn insufficient_data_returns_the_defaults_with_confidence_zero() {
    let leads: Vec<Lead> = (0..20)
        .map(|i| lead(&format!("l{i}"), if i < 5 { "converted" } else { "dead" }, json!({"title": "CEO"})))
        .collect();
    let who = detect_who(&leads, &ConversionParams::default());
    assert_eq!(who.confidence, 0.0);
    assert_eq!(who.recommended_weights, AlsWeights::DEFAULT);
    assert!(who.title_rankings.is_empty());
    assert_eq!((who.timing_signals.new_role_lift, who.timing_signals.hiring_lift), (1.0, 1.0));
    assert_eq!(who.weight_fit.source, "default");
    assert!(who.insufficient_data.unwrap().contains("20 leads"), "the reason names the sample");
}

/// CEO 2/3 against Director 1/3: the spec calls `_analyze_field` directly, below its own minimum
/// of 5 per category, so the minimum is lowered here to match.
#[test]
fn conversion_rate_by_field() {
    let groups = [("CEO".to_string(), Rate::new(2, 3)), ("Director".to_string(), Rate::new(1, 3))];
    let params = EvidenceParams { min_category_sample: 1, ..EvidenceParams::default() };
    let ranked = rank_family(groups, &params).ranked;
    assert_eq!(ranked[0].0, "CEO");
    assert!((ranked[0].1.conversion_rate - 0.6667).abs() < 0.001);
    assert!(!ranked[0].1.significant, "2/3 against 1/3 is no evidence");
}

#[test]
fn a_small_perfect_category_never_tops_a_ranking() {
    let groups = [
        ("Owner".to_string(), Rate::new(2, 2)),
        ("CEO".to_string(), Rate::new(60, 200)),
        ("Director".to_string(), Rate::new(30, 200)),
    ];
    let ranked = rank_family(groups, &EvidenceParams::default());
    assert_eq!(ranked.ranked[0].0, "CEO");
    assert_eq!(ranked.too_small, 1);
    assert_eq!(ranked.family_rate, Rate::new(92, 402), "small categories still count toward the family rate");
}

/// The spec's example data: booked leads score timing 15 and authority 10, failed ones timing 5 and
/// authority 20. Reference: `bench/conversion_weights_reference.py` (scipy 1.17.1 SLSQP, same
/// objective): weights [0.14999990257780335, 0.05, 0.1500000974221963, 0.5], intercept
/// -0.36333331729833496, objective 0.6208537702517924.
#[test]
fn weight_optimization_raises_timing_when_timing_predicts_conversion() {
    let mut leads = Vec::new();
    for _ in 0..50 {
        leads.push(([0.0, 10.0 / 25.0, 0.0, 1.0], true));
        leads.push(([0.0, 20.0 / 25.0, 0.0, 5.0 / 15.0], false));
    }
    let (weights, fit) = derive_weights(&leads, &ConversionParams::default());
    assert_eq!(fit.source, "learned", "{fit:?}");
    assert!(weights.timing > 0.15);
    let got = [weights.data_quality, weights.authority, weights.company_fit, weights.timing];
    for (got, want) in got.iter().zip([0.14999990257780335, 0.05, 0.1500000974221963, 0.5]) {
        assert!((got - want).abs() < 1e-4, "{got} vs scipy {want}");
    }
    assert!((got.iter().sum::<f64>() - 0.85).abs() < 1e-12);
    assert!((fit.objective.unwrap() - 0.6208537702517924).abs() < 1e-9);
    assert!((fit.intercept.unwrap() - -0.36333331729833496).abs() < 1e-4);
    assert!(fit.objective.unwrap() <= fit.default_objective.unwrap());
}

/// Reference: `bench/conversion_weights_reference.py`, `mixed_example` (scipy 1.17.1): weights
/// [0.05, 0.05, 0.25, 0.5], intercept -0.6842470938884906, objective 0.6468325879627916.
#[test]
fn weight_fit_matches_scipy_on_mixed_components() {
    let rows: Vec<([f64; 4], bool)> = (0..60u32)
        .map(|i| {
            let (data_quality, authority, fit, timing) = (i * 7 % 21, i * 11 % 26, i * 5 % 26, i * 3 % 16);
            let converts = (i * 13 % 10) < 2 + 3 * u32::from(timing >= 8) + 2 * u32::from(fit >= 13);
            let x = [data_quality as f64 / 20.0, authority as f64 / 25.0, fit as f64 / 25.0, timing as f64 / 15.0];
            (x, converts)
        })
        .collect();
    let (weights, fit) = derive_weights(&rows, &ConversionParams::default());
    let got = [weights.data_quality, weights.authority, weights.company_fit, weights.timing];
    for (got, want) in got.iter().zip([0.05, 0.05, 0.25, 0.5]) {
        assert!((got - want).abs() < 1e-5, "{got:?} vs scipy");
    }
    assert!((fit.objective.unwrap() - 0.6468325879627916).abs() < 1e-9);
}

#[test]
fn too_few_scored_leads_keep_the_defaults() {
    let rows = vec![([0.5, 0.5, 0.5, 0.5], true); 10];
    let (weights, fit) = derive_weights(&rows, &ConversionParams::default());
    assert_eq!(weights, AlsWeights::DEFAULT);
    assert_eq!(fit.source, "default");
}

#[test]
fn keywords_match_whole_words() {
    let matcher = KeywordMatcher::new(&ContentKeywords::default());
    let found = matcher.extract("It costs less than a part-timer and sometimes helps. Open to a quick chat?");
    assert_eq!(found.pain_points, vec!["cost".to_string()], "'sometimes' is not 'time'; 'costs' is 'cost'");
    assert_eq!(found.cta.as_deref(), Some("open to a quick chat"));
    let found = matcher.extract("I noticed your pipeline, and was wondering about an idea. Save 20 percent!");
    assert_eq!(found.pain_points, vec!["cost".to_string(), "leads".to_string()]);
    assert_eq!(found.angle.as_deref(), Some("curiosity"));
}

#[test]
fn subjects_are_normalized() {
    let lead = lead("l1", "new", json!({"company": "Birch Dental", "attributes": {"first_name": "Ana"}}));
    let check = |subject: &str, expect: Expect| {
        expect.assert_eq(&normalize_subject(subject, Some(&lead), &["leads".to_string()]));
    };
    check("Quick question about birch dental", expect!["Quick question about {company}"]);
    check("Ana, idea for Birch Dental", expect!["{first_name}, idea for {company}"]);
    check("Re: your leads goals", expect!["Re: your {pain_point} goals"]);
}

#[test]
fn scorer_uses_learned_weights_and_records_them() {
    let mut leads = Vec::new();
    for i in 0..60 {
        let converted = i % 3 == 0;
        let timing = if converted { 15.0 } else { 3.0 };
        leads.push(lead(
            &format!("l{i}"),
            if converted { "converted" } else { "dead" },
            with_components(10.0, 12.0, 12.0, timing),
        ));
    }
    let who = detect_who(&leads, &ConversionParams::default());
    assert_eq!(who.weight_fit.source, "learned");
    let scorer = LeadScorer::from_patterns(Some(&who));
    assert_eq!(scorer.source(), WeightSource::Learned);
    let open = lead("open", "new", json!({"title": "VP of Sales", "is_hiring": true, "company": "Acme"}));
    let now = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
    let snapshot = scorer.score(&open, now);
    assert_eq!(snapshot.weights, who.recommended_weights, "the weights used are stored with the score");
    assert_eq!(snapshot.scored_at, Some(now));
    assert_eq!((snapshot.components.authority, snapshot.components.timing), (21.0, 4.0));
    assert_eq!(snapshot.components.data_quality, 7.0, "title and company filled in");
    assert_eq!(LeadScorer::from_patterns(None).weights(), AlsWeights::DEFAULT);
}

fn activity(id: &str, lead_id: &str, at: &str, converted: bool) -> Activity {
    serde_json::from_value(json!({
        "type": "activity", "id": id, "lead_id": lead_id, "channel": "email", "action": "email_sent", "at": at,
        "led_to_booking": converted,
        "content": {"subject": "Quick question", "body": "Hi, we help with leads. Worth 15 minutes?", "pain_points": ["leads"], "cta": "worth 15 minutes"}
    }))
    .expect("activity")
}

#[test]
fn small_tenants_get_health_warnings_and_a_context_that_says_so() {
    let leads: Vec<Lead> =
        (0..8).map(|i| lead(&format!("l{i}"), if i < 2 { "converted" } else { "dead" }, json!({}))).collect();
    let activities: Vec<Activity> =
        (0..8).map(|i| activity(&format!("a{i}"), &format!("l{i}"), "2026-01-06T10:00:00Z", i < 2)).collect();
    let now = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
    let patterns = learn_patterns(&leads, &activities, &ConversionParams::default(), now);
    let warnings = check_health(&patterns, None);
    let checks: Vec<String> = warnings.iter().map(|w| format!("{}:{}", w.pattern_type.as_str(), w.check)).collect();
    expect![[r#"
        [
            "who:low_sample",
            "who:low_confidence",
            "what:low_sample",
            "what:low_confidence",
            "when:low_sample",
            "when:low_confidence",
            "how:low_sample",
            "how:low_confidence",
        ]
    "#]]
    .assert_debug_eq(&checks);
    expect![[r#"
        WHAT pattern: not enough data (2 converting messages; at least 10 are needed).
        WHEN pattern: not enough data (2 converting touches; at least 10 are needed).
        HOW pattern: not enough data (2 converting touches; at least 10 are needed).
        WHO pattern: not enough data (8 leads with an outcome and 2 conversions; at least 30 and 10 are needed)."#]]
    .assert_eq(&pattern_context(&patterns).campaign);
    assert!(pattern_context(&PatternSet::default()).campaign.contains("No WHAT pattern has been computed yet."));
}

#[test]
fn weight_shifts_between_runs_are_flagged() {
    let mut leads = Vec::new();
    for i in 0..200 {
        let converted = i % 4 == 0;
        leads.push(lead(
            &format!("l{i}"),
            if converted { "converted" } else { "dead" },
            with_components(10.0, 12.0, 12.0, if converted { 15.0 } else { 2.0 }),
        ));
    }
    let now = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
    let current = learn_patterns(&leads, &[], &ConversionParams::default(), now);
    let mut previous = current.clone();
    previous.who.as_mut().unwrap().body.recommended_weights = AlsWeights::DEFAULT;
    let warnings = check_health(&current, Some(&previous));
    let shifted: Vec<&str> =
        warnings.iter().filter(|w| w.check == "weight_shift").map(|w| w.message.as_str()).collect();
    assert!(shifted.iter().any(|message| message.starts_with("Weight for timing moved from 0.150")), "{warnings:?}");
    assert!(warnings.iter().any(|w| w.check == "extreme_weight"), "timing at the 0.50 bound is extreme: {warnings:?}");
}
