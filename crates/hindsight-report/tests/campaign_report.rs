//! The campaign report renders every section of the spec's layout, and its JSON carries the
//! schema version and parses back.

use chrono::{NaiveDate, TimeZone, Utc};
use hindsight_learn::campaign::{CampaignAnalysisConfig, analyze_campaign};
use hindsight_model::{Call, CallFacts};
use hindsight_report::campaign::{
    CAMPAIGN_REPORT_SCHEMA_VERSION, CampaignReport, Period, render_html, render_json, render_markdown, render_text,
};
use hindsight_sim::{SimConfig, SimOutputs, simulate};

mod support;

fn report() -> CampaignReport {
    let (mut calls, mut leads, mut activities, mut outcomes) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let config = SimConfig { calls: 3_000, leads: 300, ..SimConfig::default() };
    let outputs =
        SimOutputs { calls: &mut calls, leads: &mut leads, activities: &mut activities, outcomes: &mut outcomes };
    let summary = simulate(&config, outputs, &mut |_, _, _| {}).expect("simulation");
    let calls: Vec<Call> = calls
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).expect("call"))
        .collect();
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 2, d).expect("date");
    let (current, previous): (Vec<CallFacts>, Vec<CallFacts>) = calls
        .iter()
        .filter(|c| c.started_at.date_naive() >= day(2))
        .map(CallFacts::from)
        .partition(|c| c.started_at.date_naive() >= day(9));
    let analysis = analyze_campaign(&current, Some(&previous), &summary.campaign, &CampaignAnalysisConfig::default());
    CampaignReport::new(
        "acme",
        &summary.campaign,
        Period { from: day(9), to: day(15) },
        Some(Period { from: day(2), to: day(8) }),
        Utc.with_ymd_and_hms(2026, 2, 16, 9, 0, 0).single().expect("time"),
        analysis,
    )
}

#[test]
fn the_text_report_has_every_section_of_the_spec() {
    let text = render_text(&report());
    for section in [
        "EXECUTIVE SUMMARY",
        "HEALTH SCORE",
        "KEY METRICS",
        "ACTIVE ALERTS",
        "DETECTED ISSUES",
        "REVENUE LEAKAGE",
        "ROOT CAUSE",
        "URGENT ACTIONS REQUIRED",
        "TOP RECOMMENDATIONS",
    ] {
        assert!(text.contains(section), "missing {section}:\n{text}");
    }
    assert!(text.contains("Period: 2026-02-09 to 2026-02-15 (compared with 2026-02-02 to 2026-02-08)"));
    assert!(text.contains("95% CI"), "rates are printed with their intervals");
}

#[test]
fn the_json_report_is_versioned_and_round_trips_as_json() {
    let json = render_json(&report()).expect("serialises");
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(value["schema_version"], CAMPAIGN_REPORT_SCHEMA_VERSION);
    assert_eq!(value["report"], "campaign");
    assert_eq!(value["tenant"], "acme");
    assert!(value["analysis"]["metrics"]["overall"]["conversion"]["trials"].as_u64().expect("trials") > 0);
    let markdown = render_markdown(&report());
    assert!(markdown.starts_with("# Campaign intelligence"));
}

#[test]
fn the_html_report_is_self_contained_with_its_four_charts() {
    let html = render_html(&report());
    for canvas in ["id=\"health\"", "id=\"stages\"", "id=\"leakage\"", "id=\"wow\""] {
        assert!(html.contains(canvas), "missing chart {canvas}");
    }
    assert!(html.contains("Chart.js v4.6.1"), "Chart.js is inlined");
    for external in ["src=\"http", "href=\"http", "src='http", "@import", "sourceMappingURL"] {
        assert!(!html.contains(external), "the page must not load anything: found {external}");
    }
    // The embedded data parses as JSON and carries the stage intervals.
    let data = html.split("const DATA = ").nth(1).and_then(|rest| rest.split(";\n").next()).expect("data");
    let data: serde_json::Value = serde_json::from_str(data).expect("data is JSON");
    assert!(data["stages"][0]["low"].as_f64().is_some() && data["stages"][0]["high"].as_f64().is_some());
    assert_eq!(data["health"].as_array().map(Vec::len), Some(5));
}

/// The HTML report opened in headless Chromium with every host unresolvable: all four charts
/// draw, so the vendored Chart.js works offline.
#[test]
fn the_html_report_draws_its_charts_in_a_browser_without_network() {
    if let Some(drawn) = support::charts_drawn_offline(&render_html(&report())) {
        assert_eq!(drawn, 4, "every chart draws");
    }
}
