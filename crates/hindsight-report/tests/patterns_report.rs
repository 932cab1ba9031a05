//! The conversion-patterns report on simulated outreach: the spec's JSON shapes, every section in
//! every rendering, and an HTML page that draws its charts with no network.

mod support;

use chrono::{TimeZone, Utc};
use hindsight_learn::conversion::{ConversionParams, check_health, journeys, learn_patterns, success_metrics};
use hindsight_report::patterns::{PatternsReport, render_html, render_json, render_markdown, render_text, sections};
use hindsight_sim::{SimConfig, SimulatedRecords, simulate_records};

fn simulated_report() -> PatternsReport {
    let SimulatedRecords { leads, activities, .. } =
        simulate_records(&SimConfig { calls: 0, leads: 1_500, ..SimConfig::default() }).expect("simulation runs");
    let now = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
    let patterns = learn_patterns(&leads, &activities, &ConversionParams::default(), now);
    let warnings = check_health(&patterns, None);
    let metrics = success_metrics(&leads, &journeys(&leads, &activities), &[]);
    PatternsReport::new("acme", now, patterns, warnings, metrics, Vec::new())
}

#[test]
fn the_json_report_has_the_spec_shapes() {
    let json: serde_json::Value = serde_json::from_str(&render_json(&simulated_report()).unwrap()).unwrap();
    assert_eq!(json["schema_version"], 1);
    let patterns = &json["patterns"];
    let who = &patterns["who"];
    assert_eq!(who["type"], "who");
    for key in ["title", "conversion_rate", "sample", "lift", "interval", "shrunk_rate", "p_adjusted", "significant"] {
        assert!(!who["title_rankings"][0][key].is_null(), "title ranking field {key}");
    }
    assert!(who["size_analysis"]["sweet_spot"]["min"].is_number());
    assert!(who["timing_signals"]["funded_lift"].is_number());
    assert!(who["recommended_weights"]["timing"].is_number());
    let what = &patterns["what"];
    assert!(what["subject_patterns"]["winning"][0]["pattern"].is_string());
    assert!(what["pain_points"]["effective"][0]["frequency"].is_number());
    assert!(what["ctas"]["effective"][0]["cta"].is_string());
    assert!(what["angles"]["rankings"][0]["angle"].is_string());
    assert!(what["optimal_length"]["email"]["optimal_words"].is_number());
    let when = &patterns["when"];
    assert!(when["best_days"][0]["day_index"].is_number());
    assert!(when["best_hours"][0]["hour"].is_number());
    assert!(when["converting_touch_distribution"]["touch_1"].is_number());
    assert!(when["optimal_sequence_gaps"]["touch_1_to_2"].is_number());
    assert!(when["conversion_timing"]["percentile_95"].is_number());
    let how = &patterns["how"];
    assert!(how["booking_channel_distribution"]["email"].is_number());
    assert!(how["first_touch_effectiveness"]["email_first"]["sample"].is_number());
    assert!(how["multi_channel_lift"]["1_channel"]["lift"].is_number());
    assert!(how["winning_sequences"][0]["sequence"].is_array());
    assert!(how["channel_effectiveness_by_tier"]["A"]["voice"]["conversion_rate"].is_number());
}

#[test]
fn every_rendering_has_every_section() {
    let report = simulated_report();
    let text = render_text(&report);
    let markdown = render_markdown(&report);
    let html = render_html(&report);
    for section in sections(&report) {
        assert!(text.contains(&section.title.to_uppercase()), "text: {}", section.title);
        assert!(markdown.contains(&format!("## {}", section.title)), "markdown: {}", section.title);
        assert!(html.contains(&section.title.replace('&', "&amp;")), "html: {}", section.title);
    }
    assert!(text.contains("PATTERN CONTEXT") && text.contains("Best performing sequence"));
}

#[test]
fn the_html_report_draws_its_charts_in_a_browser_without_network() {
    let report = simulated_report();
    let expected = sections(&report).iter().filter(|section| section.chart.is_some()).count();
    assert!(expected >= 10, "{expected} charts");
    if let Some(drawn) = support::charts_drawn_offline(&render_html(&report)) {
        assert_eq!(drawn, expected);
    }
}
