//! The excellence report: excellence-replicator.md's "Output: The Excellence Report" (top
//! performers; discovered language, structure and behavioural patterns), with the evidence behind
//! every pattern: cohort sizes, z-scores and Holm-corrected significance, bootstrap stability, the
//! confound-controlled view within lead-quality strata, medians with quartiles and Welch intervals.
//!
//! The spec's headline fields (`winning_opening`, `optimal_duration_seconds`, …) are filled only
//! from findings that clear the bar: a headline phrase must be significant overall *and* hold
//! within lead-quality strata, so neither noise nor a phrase that merely reaches better leads
//! becomes "the winning opening". When nothing clears it the field is null and the report says so.
//! The spec's `model_performance` and `active_optimizations` come from analyses this report does
//! not run (outcome models, experiments); they are listed under `not_included` instead.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use hindsight_learn::excellence::{
    Differentiator, Direction, ExcellenceAnalysis, MeasureComparison, StageDifferentiators, StrataSummary,
    TopPerformers,
};
use serde::Serialize;

use crate::format::{percent, rate_with_interval, thousands};

/// Version of the excellence report's JSON layout. Bump on any incompatible change.
pub const EXCELLENCE_REPORT_SCHEMA_VERSION: u32 = 1;

/// Phrases shown per stage and direction in the text, Markdown and HTML renderings (JSON has all
/// the analysis ranked).
const PHRASES_SHOWN: usize = 8;

/// The calls the report covers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnalysisPeriod {
    /// Start of the first call analysed.
    pub first_call: Option<DateTime<Utc>>,
    /// Start of the last call analysed.
    pub last_call: Option<DateTime<Utc>>,
    /// Calls analysed.
    pub calls: usize,
}

/// How the cohorts were cut.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CohortSummary {
    /// Calls in each of the top and bottom cohorts.
    pub cohort_size: usize,
    /// Lowest excellence score in the top cohort.
    pub top_threshold: f64,
    /// Highest excellence score in the bottom cohort.
    pub bottom_threshold: f64,
    /// Mean excellence score of all calls.
    pub mean_score: f64,
}

/// Language patterns: the spec's headline phrases and every stage's ranking in both views.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LanguagePatterns {
    /// Best opening line (stage `hook`), when one clears the bar.
    pub winning_opening: Option<Differentiator>,
    /// Best value line (stage `value_presentation`).
    pub winning_value_phrase: Option<Differentiator>,
    /// Best closing line (stage `closing`).
    pub winning_close: Option<Differentiator>,
    /// Best objection response (stage `objection_handling`).
    pub winning_objection_response: Option<Differentiator>,
    /// Every stage's phrases, cohorts over all calls of the stage.
    pub by_stage: BTreeMap<String, StageDifferentiators>,
    /// Every stage's phrases, cohorts within lead-quality strata.
    pub by_stage_within_lead_quality: BTreeMap<String, StageDifferentiators>,
}

/// Structure patterns: the top cohort's medians, and every comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StructurePatterns {
    /// Median call duration of top calls.
    pub optimal_duration_seconds: Option<f64>,
    /// Median agent share of talk time in top calls.
    pub optimal_agent_ratio: Option<f64>,
    /// Median number of agent questions in top calls.
    pub optimal_question_count: Option<f64>,
    /// Top cohort against the rest, per measure.
    pub measures: Vec<MeasureComparison>,
}

/// Behavioural patterns: the top cohort's means, and every comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BehavioralPatterns {
    /// Mean personalization count of top calls.
    pub personalization_count: Option<f64>,
    /// Mean enthusiasm markers of top calls.
    pub enthusiasm_markers: Option<f64>,
    /// Mean seconds from an objection to the agent's answer in top calls that had one.
    pub objection_response_time_seconds: Option<f64>,
    /// Top cohort against the rest, per measure.
    pub measures: Vec<MeasureComparison>,
}

/// What was discovered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiscoveredPatterns {
    /// Phrases.
    pub language: LanguagePatterns,
    /// Call shape.
    pub structure: StructurePatterns,
    /// Behaviour.
    pub behavioral: BehavioralPatterns,
}

/// The excellence report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExcellenceReport {
    /// Layout version ([`EXCELLENCE_REPORT_SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// Always `excellence_analysis` (the spec's name).
    pub report_type: &'static str,
    /// The tenant.
    pub tenant: String,
    /// The campaign analysed; none for all of the tenant's calls.
    pub campaign_id: Option<String>,
    /// When the report was made (given by the caller).
    pub generated_at: DateTime<Utc>,
    /// The calls covered.
    pub analysis_period: AnalysisPeriod,
    /// The top cohort.
    pub top_performers: TopPerformers,
    /// How the cohorts were cut.
    pub cohorts: CohortSummary,
    /// Patterns.
    pub discovered_patterns: DiscoveredPatterns,
    /// The lead-quality strata of the confound-controlled view.
    pub strata: StrataSummary,
    /// Transcript problems met (each one's call, field and reason are in the analysis).
    pub transcript_problems: usize,
    /// Parts of the spec's report that other analyses produce, named so nobody reads their absence
    /// as a finding.
    pub not_included: Vec<String>,
}

/// The first phrase of a stage that is significant and holds within lead-quality strata.
fn headline(stages: &BTreeMap<String, StageDifferentiators>, stage: &str) -> Option<Differentiator> {
    stages.get(stage)?.winning.iter().find(|d| d.significant && d.within_lead_quality.is_some_and(|w| w.holds)).cloned()
}

fn top_median(measures: &[MeasureComparison], name: &str) -> Option<f64> {
    measures.iter().find(|m| m.measure == name).map(|m| m.top.median)
}

fn top_mean(measures: &[MeasureComparison], name: &str) -> Option<f64> {
    measures.iter().find(|m| m.measure == name).map(|m| m.top.mean)
}

impl ExcellenceReport {
    /// Wraps an analysis with its context.
    pub fn new(
        tenant: &str,
        campaign_id: Option<&str>,
        analysis_period: AnalysisPeriod,
        generated_at: DateTime<Utc>,
        analysis: ExcellenceAnalysis,
    ) -> ExcellenceReport {
        let language = LanguagePatterns {
            winning_opening: headline(&analysis.differentiators, HEADLINES[0].1),
            winning_value_phrase: headline(&analysis.differentiators, HEADLINES[1].1),
            winning_close: headline(&analysis.differentiators, HEADLINES[2].1),
            winning_objection_response: headline(&analysis.differentiators, HEADLINES[3].1),
            by_stage: analysis.differentiators,
            by_stage_within_lead_quality: analysis.differentiators_within_lead_quality,
        };
        let structure = StructurePatterns {
            optimal_duration_seconds: top_median(&analysis.structure, "duration_s"),
            optimal_agent_ratio: top_median(&analysis.structure, "agent_talk_ratio"),
            optimal_question_count: top_median(&analysis.structure, "agent_questions"),
            measures: analysis.structure,
        };
        let behavioral = BehavioralPatterns {
            personalization_count: top_mean(&analysis.behavior, "personalization_count"),
            enthusiasm_markers: top_mean(&analysis.behavior, "enthusiasm_markers"),
            objection_response_time_seconds: top_mean(&analysis.behavior, "objection_response_time_s"),
            measures: analysis.behavior,
        };
        ExcellenceReport {
            schema_version: EXCELLENCE_REPORT_SCHEMA_VERSION,
            report_type: "excellence_analysis",
            tenant: tenant.to_string(),
            campaign_id: campaign_id.map(str::to_string),
            generated_at,
            analysis_period,
            top_performers: analysis.top_performers,
            cohorts: CohortSummary {
                cohort_size: analysis.cohort_size,
                top_threshold: analysis.top_threshold,
                bottom_threshold: analysis.bottom_threshold,
                mean_score: analysis.mean_score,
            },
            discovered_patterns: DiscoveredPatterns { language, structure, behavioral },
            strata: analysis.strata,
            transcript_problems: analysis.transcript_problems.len(),
            not_included: vec![
                "model_performance: from the outcome models (hindsight train), not this analysis".to_string(),
                "active_optimizations: from A/B tests of prompt variants, not this analysis".to_string(),
            ],
        }
    }

    /// One paragraph: what the top calls are and the strongest findings.
    pub fn summary(&self) -> String {
        let top = &self.top_performers;
        let language = &self.discovered_patterns.language;
        let significant: usize = language.by_stage.values().map(significant_count).sum();
        let holding: usize = language
            .by_stage
            .values()
            .flat_map(|stage| stage.winning.iter().chain(&stage.losing))
            .filter(|d| d.significant && d.within_lead_quality.is_some_and(|w| w.holds))
            .count();
        format!(
            "{} calls analysed; the top {} (score ≥ {:.0}) showed up {} and booked {}. {} phrase(s) set top \
             calls apart at the 5% family-wise level, {} of them also within lead-quality strata.",
            thousands(self.analysis_period.calls as u64),
            thousands(top.call_count as u64),
            self.cohorts.top_threshold,
            rate_with_interval(top.show_up, 0.95),
            rate_with_interval(top.booked, 0.95),
            significant,
            holding
        )
    }
}

fn significant_count(stage: &StageDifferentiators) -> usize {
    stage.winning.iter().chain(&stage.losing).filter(|d| d.significant).count()
}

/// The columns of a phrase row, shared by the renderers.
fn phrase_cells(d: &Differentiator) -> [String; 6] {
    [
        d.phrase.clone(),
        format!("{:+.2}", d.z),
        format!("{}{}", format_p(d.p_value), if d.significant { " *" } else { "" }),
        format!("{} / {}", d.top_calls, d.bottom_calls),
        d.stability.map_or("n/a".to_string(), percent),
        match d.within_lead_quality {
            Some(within) => format!("{:+.2}{}", within.z, if within.holds { " holds" } else { " does not hold" }),
            None => "—".to_string(),
        },
    ]
}

const PHRASE_HEADER: [&str; 6] =
    ["phrase", "z", "p (Holm *)", "top / bottom calls", "bootstrap stability", "within lead quality z"];

fn format_p(p: f64) -> String {
    if p < 1e-4 { format!("{p:.1e}") } else { format!("{p:.4}") }
}

fn measure_cells(m: &MeasureComparison) -> [String; 5] {
    let spread =
        |s: &hindsight_learn::excellence::Spread| format!("{:.2} [{:.2}–{:.2}] n={}", s.median, s.p25, s.p75, s.n);
    [
        m.measure.clone(),
        spread(&m.top),
        spread(&m.rest),
        format!("{:+.2} (95% CI {:+.2} to {:+.2})", m.mean_difference, m.interval.0, m.interval.1),
        match m.direction {
            Direction::Higher => "higher in top calls",
            Direction::Lower => "lower in top calls",
            Direction::NoClearDifference => "no clear difference",
        }
        .to_string(),
    ]
}

const MEASURE_HEADER: [&str; 5] =
    ["measure", "top: median [IQR]", "rest: median [IQR]", "difference of means", "reading"];

/// The spec's headline phrases: what each is called and the stage it comes from.
const HEADLINES: [(&str, &str); 4] = [
    ("winning opening", "hook"),
    ("winning value phrase", "value_presentation"),
    ("winning close", "closing"),
    ("winning objection response", "objection_handling"),
];

/// Each headline with its evidence: z, and how many of the stage's top and bottom calls say it.
fn headlines(report: &ExcellenceReport) -> Vec<String> {
    let language = &report.discovered_patterns.language;
    let findings = [
        &language.winning_opening,
        &language.winning_value_phrase,
        &language.winning_close,
        &language.winning_objection_response,
    ];
    HEADLINES
        .iter()
        .zip(findings)
        .map(|((name, stage), finding)| match (finding, language.by_stage.get(*stage)) {
            (Some(d), Some(cohorts)) => format!(
                "{name}: \"{}\" (z {:+.2}; said in {} of {} top and {} of {} bottom calls)",
                d.phrase, d.z, d.top_calls, cohorts.top_cohort, d.bottom_calls, cohorts.bottom_cohort
            ),
            _ => format!("{name}: none significant and holding within lead-quality strata"),
        })
        .collect()
}

fn optional(value: Option<f64>, decimals: usize) -> String {
    value.map_or("n/a".to_string(), |value| format!("{value:.decimals$}"))
}

/// Plain text, for a terminal.
pub fn render_text(report: &ExcellenceReport) -> String {
    let rule = "=".repeat(80);
    let mut out = format!("{rule}\nEXCELLENCE REPORT - tenant {}{}\n{rule}\n", report.tenant, campaign_suffix(report));
    out.push_str(&format!("{}\n", report.summary()));
    out.push_str(&format!("generated {}\n", report.generated_at.format("%Y-%m-%d %H:%M UTC")));
    let section = |out: &mut String, title: &str| out.push_str(&format!("\n{title}\n{}\n", "-".repeat(80)));

    section(&mut out, "TOP PERFORMERS");
    let top = &report.top_performers;
    out.push_str(&format!(
        "calls {} (each cohort {}, top score ≥ {:.1}, bottom ≤ {:.1}, mean of all {:.1})\navg excellence score {:.1}\n\
         show-up {}\nbooked {}\navg commitment score {} ({} calls with one)\n",
        top.call_count,
        report.cohorts.cohort_size,
        report.cohorts.top_threshold,
        report.cohorts.bottom_threshold,
        report.cohorts.mean_score,
        top.avg_excellence_score,
        rate_with_interval(top.show_up, 0.95),
        rate_with_interval(top.booked, 0.95),
        optional(top.avg_commitment_score, 1),
        top.calls_with_commitment
    ));

    section(&mut out, "LANGUAGE");
    for line in headlines(report) {
        out.push_str(&format!("{line}\n"));
    }
    let language = &report.discovered_patterns.language;
    for (stage, found) in &language.by_stage {
        out.push_str(&format!(
            "\n[{stage}] top {} vs bottom {} calls, {} phrases tested (log-odds z, informative Dirichlet prior)\n",
            found.top_cohort, found.bottom_cohort, found.phrases_tested
        ));
        for (direction, list) in [("winning", &found.winning), ("losing", &found.losing)] {
            for d in list.iter().take(PHRASES_SHOWN) {
                let [phrase, z, p, calls, stability, within] = phrase_cells(d);
                out.push_str(&format!(
                    "  {direction:<7} {z:>6}  p {p:<10} calls {calls:<9} stable {stability:<6} within {within:<18} \"{phrase}\"\n"
                ));
            }
        }
    }
    out.push_str(&format!(
        "\nWithin lead-quality strata ({}; {} calls in a stratified cohort):\n",
        report.strata.by, report.strata.calls_in_a_cohort
    ));
    for (stage, found) in &language.by_stage_within_lead_quality {
        let significant: Vec<String> = found
            .winning
            .iter()
            .chain(&found.losing)
            .filter(|d| d.significant)
            .map(|d| format!("\"{}\" (z {:+.2})", d.phrase, d.z))
            .collect();
        out.push_str(&format!(
            "  [{stage}] {}\n",
            if significant.is_empty() { "no significant phrase".to_string() } else { significant.join(", ") }
        ));
    }

    section(&mut out, "STRUCTURE (top cohort vs the rest)");
    let structure = &report.discovered_patterns.structure;
    out.push_str(&format!(
        "top-call medians: duration {} s, agent talk ratio {}, agent questions {}\n",
        optional(structure.optimal_duration_seconds, 0),
        optional(structure.optimal_agent_ratio, 2),
        optional(structure.optimal_question_count, 0)
    ));
    for m in &structure.measures {
        let [name, top, rest, difference, reading] = measure_cells(m);
        out.push_str(&format!("  {name:<36} top {top:<28} rest {rest:<28} {difference}  {reading}\n"));
    }

    section(&mut out, "BEHAVIOUR (top cohort vs the rest)");
    let behavioral = &report.discovered_patterns.behavioral;
    out.push_str(&format!(
        "top-call means: personalization {}, enthusiasm markers {}, objection response {} s\n",
        optional(behavioral.personalization_count, 1),
        optional(behavioral.enthusiasm_markers, 1),
        optional(behavioral.objection_response_time_seconds, 1)
    ));
    for m in &behavioral.measures {
        let [name, top, rest, difference, reading] = measure_cells(m);
        out.push_str(&format!("  {name:<36} top {top:<28} rest {rest:<28} {difference}  {reading}\n"));
    }

    section(&mut out, "NOTES");
    out.push_str(&format!(
        "Phrases come from redacted agent lines up to the prospect's decision, kept only when enough distinct \
         calls say them. {} transcript problem(s) met.\nNot in this report: {}\n",
        report.transcript_problems,
        report.not_included.join("; ")
    ));
    out
}

fn campaign_suffix(report: &ExcellenceReport) -> String {
    report.campaign_id.as_ref().map_or(String::new(), |campaign| format!(", campaign {campaign}"))
}

fn markdown_table<const N: usize>(header: [&str; N], rows: impl Iterator<Item = [String; N]>) -> String {
    let escape = |cell: &str| cell.replace('|', "\\|");
    let mut out = format!("| {} |\n|{}\n", header.join(" | "), "---|".repeat(N));
    for row in rows {
        out.push_str(&format!("| {} |\n", row.iter().map(|cell| escape(cell)).collect::<Vec<_>>().join(" | ")));
    }
    out
}

/// Markdown.
pub fn render_markdown(report: &ExcellenceReport) -> String {
    let mut out = format!("# Excellence report — tenant `{}`{}\n\n", report.tenant, campaign_suffix(report));
    out.push_str(&format!(
        "> {}\n\nGenerated {}.\n\n",
        report.summary(),
        report.generated_at.format("%Y-%m-%d %H:%M UTC")
    ));
    out.push_str("## Language\n\n");
    for line in headlines(report) {
        out.push_str(&format!("- {line}\n"));
    }
    let language = &report.discovered_patterns.language;
    for (stage, found) in &language.by_stage {
        out.push_str(&format!(
            "\n### {stage}\n\nTop {} vs bottom {} calls; {} phrases tested; * = significant after Holm's correction.\n\n",
            found.top_cohort, found.bottom_cohort, found.phrases_tested
        ));
        let rows =
            found.winning.iter().take(PHRASES_SHOWN).chain(found.losing.iter().take(PHRASES_SHOWN)).map(phrase_cells);
        out.push_str(&markdown_table(PHRASE_HEADER, rows));
    }
    out.push_str(&format!(
        "\n## Structure\n\n{}",
        markdown_table(MEASURE_HEADER, report.discovered_patterns.structure.measures.iter().map(measure_cells))
    ));
    out.push_str(&format!(
        "\n## Behaviour\n\n{}",
        markdown_table(MEASURE_HEADER, report.discovered_patterns.behavioral.measures.iter().map(measure_cells))
    ));
    out.push_str(&format!(
        "\n## Lead-quality strata\n\n{}; {} calls in a stratified cohort.\n\n",
        report.strata.by, report.strata.calls_in_a_cohort
    ));
    out.push_str(&markdown_table(
        ["stratum", "calls"],
        report.strata.strata.iter().map(|s| [s.stratum.clone(), thousands(s.calls as u64)]),
    ));
    out.push_str(&format!("\nNot in this report: {}.\n", report.not_included.join("; ")));
    out
}

/// JSON with the schema version at the top.
pub fn render_json(report: &ExcellenceReport) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(report)
}

fn html_table<const N: usize>(header: [&str; N], rows: impl Iterator<Item = [String; N]>) -> String {
    use crate::html::escape;
    let mut out =
        format!("<table><tr>{}</tr>", header.iter().map(|h| format!("<th>{}</th>", escape(h))).collect::<String>());
    for row in rows {
        out.push_str(&format!(
            "<tr>{}</tr>",
            row.iter().map(|cell| format!("<td>{}</td>", escape(cell))).collect::<String>()
        ));
    }
    out.push_str("</table>");
    out
}

/// A self-contained HTML page: per stage a chart of the phrases' z-scores (winning and losing) and
/// their table, and a chart of how the top calls' shape differs from the rest.
pub fn render_html(report: &ExcellenceReport) -> String {
    use crate::html::{escape, page};
    let language = &report.discovered_patterns.language;
    let mut body = format!(
        r#"<h1>Excellence report</h1>
<p class="meta">tenant {}{} · generated {}</p>
<p class="summary">{}</p>
<h2>Language</h2><ul>{}</ul>
"#,
        escape(&report.tenant),
        escape(&campaign_suffix(report)),
        report.generated_at.format("%Y-%m-%d %H:%M UTC"),
        escape(&report.summary()),
        headlines(report).iter().map(|line| format!("<li>{}</li>", escape(line))).collect::<String>()
    );
    let mut charts = Vec::new();
    body.push_str(r#"<div class="grid">"#);
    for (index, (stage, found)) in language.by_stage.iter().enumerate() {
        let shown: Vec<&Differentiator> =
            found.winning.iter().take(PHRASES_SHOWN).chain(found.losing.iter().take(PHRASES_SHOWN)).collect();
        if shown.is_empty() {
            continue;
        }
        body.push_str(&format!(
            r#"<div class="card"><h3>{}</h3><p class="meta">log-odds z, top {} vs bottom {} calls; green: said more in top calls</p><canvas id="stage{index}"></canvas></div>"#,
            escape(stage),
            found.top_cohort,
            found.bottom_cohort
        ));
        charts.push(serde_json::json!({
            "id": format!("stage{index}"),
            "labels": shown.iter().map(|d| d.phrase.clone()).collect::<Vec<_>>(),
            "z": shown.iter().map(|d| d.z).collect::<Vec<_>>(),
        }));
    }
    let structure = &report.discovered_patterns.structure.measures;
    body.push_str(r#"<div class="card"><h3>Shape of top calls</h3><p class="meta">difference of means as % of the rest's mean</p><canvas id="structure"></canvas></div></div>"#);
    for (stage, found) in &language.by_stage {
        body.push_str(&format!(
            "<h2>{}</h2><p class=\"meta\">{} phrases tested; * = significant after Holm's correction</p>{}",
            escape(stage),
            found.phrases_tested,
            html_table(
                PHRASE_HEADER,
                found
                    .winning
                    .iter()
                    .take(PHRASES_SHOWN)
                    .chain(found.losing.iter().take(PHRASES_SHOWN))
                    .map(phrase_cells)
            )
        ));
    }
    body.push_str(&format!("<h2>Structure</h2>{}", html_table(MEASURE_HEADER, structure.iter().map(measure_cells))));
    body.push_str(&format!(
        "<h2>Behaviour</h2>{}",
        html_table(MEASURE_HEADER, report.discovered_patterns.behavioral.measures.iter().map(measure_cells))
    ));
    body.push_str(&format!(
        "<h2>Lead-quality strata</h2><p class=\"meta\">{}; {} calls in a stratified cohort</p>{}",
        escape(&report.strata.by),
        report.strata.calls_in_a_cohort,
        html_table(
            ["stratum", "calls"],
            report.strata.strata.iter().map(|s| [s.stratum.clone(), thousands(s.calls as u64)])
        )
    ));
    body.push_str(&format!("<p class=\"meta\">Not in this report: {}.</p>", escape(&report.not_included.join("; "))));
    let data = serde_json::json!({
        "stages": charts,
        "structure": {
            "labels": structure.iter().map(|m| m.measure.clone()).collect::<Vec<_>>(),
            "percent": structure.iter().map(|m| if m.rest.mean != 0.0 { 100.0 * m.mean_difference / m.rest.mean } else { 0.0 }).collect::<Vec<_>>(),
        },
    });
    let script = r#"
for (const stage of DATA.stages) {
  new Chart(document.getElementById(stage.id), {
    type: 'bar',
    data: { labels: stage.labels, datasets: [{ label: 'z', data: stage.z,
      backgroundColor: stage.z.map(z => z > 0 ? '#2e7d4f' : '#b3261e') }] },
    options: { indexAxis: 'y', animation: false, plugins: { legend: { display: false } },
      scales: { x: { title: { display: true, text: 'z' } } } }
  });
}
new Chart(document.getElementById('structure'), {
  type: 'bar',
  data: { labels: DATA.structure.labels, datasets: [{ label: '% difference', data: DATA.structure.percent, backgroundColor: '#3d6fb6' }] },
  options: { indexAxis: 'y', animation: false, plugins: { legend: { display: false } } }
});
"#;
    page("Excellence report", &body, &data, script)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use hindsight_learn::excellence::{Differentiator, StageDifferentiators, WithinStrata};

    use super::headline;

    fn finding(phrase: &str, significant: bool, holds: Option<bool>) -> Differentiator {
        Differentiator {
            phrase: phrase.to_string(),
            log_odds: 1.0,
            z: 3.0,
            p_value: 0.003,
            significant,
            top_calls: 30,
            bottom_calls: 10,
            top_share: 0.3,
            bottom_share: 0.1,
            lift: Some(3.0),
            corpus_calls: 200,
            stability: Some(0.9),
            within_lead_quality: holds.map(|holds| WithinStrata { z: 2.5, holds, top_calls: 28, bottom_calls: 11 }),
        }
    }

    /// A headline is the best phrase that is significant and holds within lead-quality strata;
    /// one that is only significant, or not judged within strata, is passed over.
    #[test]
    fn a_headline_must_be_significant_and_hold_within_strata() {
        let winning = vec![
            finding("noise", false, Some(true)),
            finding("reaches better leads", true, Some(false)),
            finding("not judged", true, None),
            finding("the real one", true, Some(true)),
        ];
        let stages = BTreeMap::from([("hook".to_string(), StageDifferentiators { winning, ..Default::default() })]);
        assert_eq!(headline(&stages, "hook").map(|d| d.phrase), Some("the real one".to_string()));
        assert_eq!(headline(&stages, "closing"), None, "a stage without phrases has no headline");
        let unproven = BTreeMap::from([(
            "hook".to_string(),
            StageDifferentiators { winning: vec![finding("x", true, Some(false))], ..Default::default() },
        )]);
        assert_eq!(headline(&unproven, "hook"), None);
    }
}
