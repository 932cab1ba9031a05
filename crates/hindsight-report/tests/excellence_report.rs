//! The excellence report on a simulated campaign: the spec's shape in JSON (versioned), every
//! section in text, Markdown and HTML, charts that draw offline, and not one value of the personal
//! data the simulator planted in any rendering.

use chrono::{TimeZone, Utc};
use hindsight_learn::excellence::{ExcellenceParams, analyze_excellence};
use hindsight_report::excellence::{
    AnalysisPeriod, EXCELLENCE_REPORT_SCHEMA_VERSION, ExcellenceReport, render_html, render_json, render_markdown,
    render_text,
};
use hindsight_sim::{SimConfig, SimulatedRecords, Truth, simulate_records};

mod support;

fn simulated_report() -> (ExcellenceReport, Truth) {
    let SimulatedRecords { calls, leads, summary, .. } =
        simulate_records(&SimConfig { calls: 4_000, leads: 800, seed: 21, ..SimConfig::default() })
            .expect("simulation");
    let period = AnalysisPeriod {
        first_call: calls.first().map(|c| c.started_at),
        last_call: calls.last().map(|c| c.started_at),
        calls: calls.len(),
    };
    let analysis = analyze_excellence(&calls, &leads, &ExcellenceParams::default());
    let generated_at = Utc.with_ymd_and_hms(2026, 2, 16, 9, 0, 0).single().expect("time");
    (ExcellenceReport::new("acme", Some("camp-1"), period, generated_at, analysis), summary.truth)
}

#[test]
fn the_json_report_has_the_spec_shape_and_a_schema_version() {
    let (report, _) = simulated_report();
    let json: serde_json::Value = serde_json::from_str(&render_json(&report).expect("json")).expect("parses");
    assert_eq!(json["schema_version"], EXCELLENCE_REPORT_SCHEMA_VERSION);
    assert_eq!(json["report_type"], "excellence_analysis");
    assert_eq!(json["top_performers"]["call_count"], 400, "the top 10% of 4,000 calls");
    assert!(json["top_performers"]["avg_excellence_score"].as_f64().expect("score") > 50.0);
    for section in ["language", "structure", "behavioral"] {
        assert!(json["discovered_patterns"][section].is_object(), "{section}");
    }
    let language = &json["discovered_patterns"]["language"];
    assert!(language["by_stage"]["closing"]["winning"].is_array());
    assert!(language["by_stage_within_lead_quality"]["closing"]["winning"].is_array());
    // A headline phrase is significant and holds within lead-quality strata, or it is null.
    for headline in ["winning_opening", "winning_value_phrase", "winning_close", "winning_objection_response"] {
        let value = &language[headline];
        assert!(
            value.is_null() || (value["significant"] == true && value["within_lead_quality"]["holds"] == true),
            "{headline}: {value:#}"
        );
    }
    assert!(json["discovered_patterns"]["structure"]["optimal_duration_seconds"].as_f64().is_some());
    assert!(
        json["not_included"]
            .as_array()
            .expect("list")
            .iter()
            .any(|item| item.as_str().expect("text").starts_with("model_performance"))
    );
}

#[test]
fn every_rendering_has_every_section() {
    let (report, _) = simulated_report();
    let text = render_text(&report);
    for section in [
        "EXCELLENCE REPORT",
        "TOP PERFORMERS",
        "LANGUAGE",
        "STRUCTURE",
        "BEHAVIOUR",
        "Within lead-quality strata",
        "NOTES",
    ] {
        assert!(text.contains(section), "text lacks {section}:\n{text}");
    }
    let markdown = render_markdown(&report);
    for section in
        ["# Excellence report", "## Language", "### closing", "## Structure", "## Behaviour", "## Lead-quality strata"]
    {
        assert!(markdown.contains(section), "markdown lacks {section}");
    }
    let html = render_html(&report);
    assert!(html.starts_with("<!doctype html>") && html.contains("new Chart("));
    assert!(!html.contains("src=\"http") && !html.contains("href=\"http"), "nothing loaded from the network");
}

/// Whether `needle` occurs in `haystack` as whole words (so "Ann" does not match "announce").
fn contains_words(haystack: &str, needle: &str) -> bool {
    haystack.match_indices(needle).any(|(start, _)| {
        let before = haystack[..start].chars().next_back();
        let after = haystack[start + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The page without its first script, the vendored Chart.js (whose option names include words
/// such as "grace" that are also first names).
fn without_vendored_chart_js(html: &str) -> String {
    let (before, rest) = html.split_once("<script>").expect("a script");
    let (_, after) = rest.split_once("</script>").expect("closed");
    format!("{before}{after}")
}

#[test]
fn no_planted_personal_data_appears_in_any_rendering() {
    let (report, truth) = simulated_report();
    assert!(truth.pii.len() > 100, "the simulation planted personal data to look for");
    let renderings = [
        ("text", render_text(&report)),
        ("markdown", render_markdown(&report)),
        ("json", render_json(&report).expect("json")),
        ("html", without_vendored_chart_js(&render_html(&report))),
    ];
    for (format, rendered) in &renderings {
        let rendered = rendered.to_lowercase();
        for plant in &truth.pii {
            let value = plant.value.to_lowercase();
            assert!(
                !contains_words(&rendered, &value),
                "{format} report shows planted {} {:?}",
                plant.kind,
                plant.value
            );
        }
    }
}

#[test]
fn the_html_report_draws_its_charts_in_a_browser_without_network() {
    let (report, _) = simulated_report();
    let stages_with_phrases = report
        .discovered_patterns
        .language
        .by_stage
        .values()
        .filter(|stage| !stage.winning.is_empty() || !stage.losing.is_empty())
        .count();
    assert!(stages_with_phrases >= 3, "{stages_with_phrases}");
    if let Some(drawn) = support::charts_drawn_offline(&render_html(&report)) {
        assert_eq!(drawn, stages_with_phrases + 1, "a chart per stage and the structure chart");
    }
}
