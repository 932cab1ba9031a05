//! Conversion intelligence on simulated outreach: at the default size the best title, industry,
//! size range, send day, hour, sequence, pain point and CTA match what the simulator planted
//! (truth.json); with every effect at zero, no category is a significant winner in more than 5%
//! of seeds.

use std::collections::BTreeMap;

use chrono::{TimeZone, Utc};
use hindsight_learn::conversion::{ConversionParams, PatternSet, RateEvidence, learn_patterns};
use hindsight_sim::{SimConfig, SimulatedRecords, Strengths, Truth, simulate_records};
use rayon::prelude::*;

fn learn(config: &SimConfig) -> (PatternSet, Truth) {
    let SimulatedRecords { leads, activities, summary, .. } = simulate_records(config).expect("simulation runs");
    let now = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
    (learn_patterns(&leads, &activities, &ConversionParams::default(), now), summary.truth)
}

/// A family, its best category as found, and as planted.
type Best = (&'static str, Option<String>, Option<String>);

/// The best category per family, as found and as planted.
fn best_found_and_planted(patterns: &PatternSet, truth: &Truth) -> Vec<Best> {
    let who = &patterns.who.as_ref().unwrap().body;
    let what = &patterns.what.as_ref().unwrap().body;
    let when = &patterns.when.as_ref().unwrap().body;
    let how = &patterns.how.as_ref().unwrap().body;
    vec![
        ("title", who.title_rankings.first().map(|r| r.name.clone()), truth.leads.best_title.clone()),
        ("industry", who.industry_rankings.first().map(|r| r.name.clone()), truth.leads.best_industry.clone()),
        ("size", who.size_analysis.sweet_spot.as_ref().map(|r| r.range.clone()), truth.leads.sweet_spot.clone()),
        ("day", when.best_days.first().map(|r| r.day[..3].to_string()), truth.outreach.best_day.clone()),
        ("hour", when.best_hours.first().map(|r| r.hour.to_string()), truth.outreach.best_hour.map(|h| h.to_string())),
        ("sequence", how.winning_sequences.first().map(|r| r.sequence.join(">")), truth.outreach.best_sequence.clone()),
        (
            "pain_point",
            what.pain_points.effective.first().map(|r| r.pain_point.clone()),
            truth.outreach.best_pain_point.clone(),
        ),
        ("cta", what.ctas.effective.first().map(|r| r.name.clone()), truth.outreach.best_cta.clone()),
    ]
}

/// At the default size and seed every family's best is the planted one; over eleven more seeds
/// each family finds it at least ten times in twelve (sampling noise can swap the best and the
/// runner-up now and then, which is why the simulator plants them about three standard errors
/// apart).
#[test]
fn finds_what_the_simulator_planted() {
    let seeds: Vec<u64> = std::iter::once(SimConfig::default().seed).chain(1..=11).collect();
    let per_seed: Vec<Vec<Best>> = seeds
        .par_iter()
        .map(|seed| {
            let (patterns, truth) = learn(&SimConfig { calls: 0, seed: *seed, ..SimConfig::default() });
            best_found_and_planted(&patterns, &truth)
        })
        .collect();
    for (family, found, planted) in &per_seed[0] {
        assert_eq!(found, planted, "best {family} at the default seed");
    }
    let mut hits: BTreeMap<&str, usize> = BTreeMap::new();
    for (seed, found) in seeds.iter().zip(&per_seed) {
        for (family, got, want) in found {
            *hits.entry(family).or_default() += usize::from(got == want);
            if got != want {
                println!("seed {seed}: best {family} found {got:?}, planted {want:?}");
            }
        }
    }
    println!("{hits:?}");
    assert!(hits.values().all(|hits| *hits >= 10), "families found in fewer than 10 of 12 seeds: {hits:?}");
}

/// Every category a report could call a significant winner, as `family/category`.
fn significant_winners(patterns: &PatternSet) -> Vec<String> {
    let mut winners = Vec::new();
    let mut add = |family: &str, name: &str, evidence: &RateEvidence| {
        if evidence.is_significant_winner() {
            winners.push(format!("{family}/{name}"));
        }
    };
    let who = &patterns.who.as_ref().unwrap().body;
    who.title_rankings.iter().for_each(|r| add("title", &r.name, &r.evidence));
    who.industry_rankings.iter().for_each(|r| add("industry", &r.name, &r.evidence));
    who.size_analysis.distribution.iter().for_each(|r| add("size", &r.range, &r.evidence));
    let what = &patterns.what.as_ref().unwrap().body;
    let subjects = what.subject_patterns.winning.iter().chain(&what.subject_patterns.losing);
    subjects.for_each(|r| add("subject", &r.name, &r.evidence));
    let pains = what.pain_points.effective.iter().chain(&what.pain_points.ineffective);
    pains.for_each(|r| add("pain_point", &r.pain_point, &r.evidence));
    what.ctas.effective.iter().chain(&what.ctas.ineffective).for_each(|r| add("cta", &r.name, &r.evidence));
    what.angles.rankings.iter().for_each(|r| add("angle", &r.name, &r.evidence));
    if let Some(personalization) = &what.personalization_lift {
        personalization.by_level.iter().for_each(|r| add("personalization", &r.name, &r.evidence));
    }
    let when = &patterns.when.as_ref().unwrap().body;
    when.best_days.iter().for_each(|r| add("day", &r.day, &r.evidence));
    when.best_hours.iter().for_each(|r| add("hour", &r.hour.to_string(), &r.evidence));
    when.touch_rates.iter().for_each(|r| add("touch", &r.name, &r.evidence));
    for (step, gaps) in &when.gap_evidence {
        gaps.iter().for_each(|r| add(&format!("gap {step}"), &r.name, &r.evidence));
    }
    let how = &patterns.how.as_ref().unwrap().body;
    how.first_touch_effectiveness.iter().for_each(|(name, r)| add("first_touch", name, &r.evidence));
    how.multi_channel_lift.iter().for_each(|(name, r)| add("multi_channel", name, &r.evidence));
    for (tier, channels) in &how.channel_effectiveness_by_tier {
        channels.iter().for_each(|(name, r)| add(&format!("tier {tier}"), name, &r.evidence));
    }
    for sequence in &how.winning_sequences {
        if sequence.significant {
            winners.push(format!("sequence/{}", sequence.sequence.join(">")));
        }
    }
    winners
}

#[test]
fn nothing_planted_nothing_found() {
    const SEEDS: u64 = 20;
    let per_seed: Vec<Vec<String>> = (1..=SEEDS)
        .into_par_iter()
        .map(|seed| {
            let config = SimConfig { calls: 0, seed, strengths: Strengths::all(0.0), ..SimConfig::default() };
            let (patterns, truth) = learn(&config);
            assert_eq!(truth.leads.best_title, None, "nothing is planted");
            significant_winners(&patterns)
        })
        .collect();
    let mut seeds_per_category: BTreeMap<String, u64> = BTreeMap::new();
    for winners in &per_seed {
        for winner in winners {
            *seeds_per_category.entry(winner.clone()).or_default() += 1;
        }
    }
    println!("{seeds_per_category:?}");
    let too_often: Vec<_> = seeds_per_category.iter().filter(|(_, seeds)| **seeds * 20 > SEEDS).collect();
    assert!(too_often.is_empty(), "significant winners in more than 5% of {SEEDS} seeds: {too_often:?}");
}
