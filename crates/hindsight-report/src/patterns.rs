//! The conversion-patterns report: the four stored patterns (WHO, WHAT, WHEN, HOW) with the
//! evidence behind every rate — sample, Wilson interval, shrunk rate, lift, Holm-adjusted p-value
//! — the pattern-health warnings, the spec's success metrics and the pattern context campaign
//! generation reads.
//!
//! Every rendering is built from one list of [`Section`]s, so text, Markdown and HTML cannot
//! disagree about what the report says; JSON is the report itself.

use chrono::{DateTime, Utc};
use hindsight_learn::conversion::{
    HealthWarning, PatternContext, PatternSet, RateEvidence, SuccessMetrics, pattern_context,
};
use serde::Serialize;

use crate::format::{percent, thousands};

/// Version of the patterns report's JSON layout. Bump on any incompatible change.
pub const PATTERNS_REPORT_SCHEMA_VERSION: u32 = 1;

/// The report.
#[derive(Debug, Clone, Serialize)]
pub struct PatternsReport {
    /// Layout version ([`PATTERNS_REPORT_SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// Always `conversion_patterns`.
    pub report_type: &'static str,
    /// The tenant.
    pub tenant: String,
    /// When the report was made (given by the caller).
    pub generated_at: DateTime<Utc>,
    /// The stored patterns.
    pub patterns: PatternSet,
    /// Health warnings of the latest run against the one before.
    pub warnings: Vec<HealthWarning>,
    /// The spec's success metrics.
    pub metrics: SuccessMetrics,
    /// The text campaign generation reads.
    pub context: PatternContext,
    /// Stored patterns that could not be read.
    pub problems: Vec<String>,
}

impl PatternsReport {
    /// Wraps stored patterns, their health and metrics.
    pub fn new(
        tenant: &str,
        generated_at: DateTime<Utc>,
        patterns: PatternSet,
        warnings: Vec<HealthWarning>,
        metrics: SuccessMetrics,
        problems: Vec<String>,
    ) -> PatternsReport {
        PatternsReport {
            schema_version: PATTERNS_REPORT_SCHEMA_VERSION,
            report_type: "conversion_patterns",
            tenant: tenant.to_string(),
            generated_at,
            context: pattern_context(&patterns),
            patterns,
            warnings,
            metrics,
            problems,
        }
    }
}

/// One table of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// `WHO · titles`.
    pub title: String,
    /// What the rows are, and the evidence's rules.
    pub note: String,
    /// Column names.
    pub header: Vec<String>,
    /// Rows of cells.
    pub rows: Vec<Vec<String>>,
    /// A chart of the section's first numeric column, when it has one worth drawing:
    /// (labels, values, axis label).
    pub chart: Option<(Vec<String>, Vec<f64>, String)>,
}

const EVIDENCE_HEADER: [&str; 6] = ["rate (95% CI)", "n", "shrunk", "lift", "p (Holm)", "sig"];

fn evidence_cells(evidence: &RateEvidence) -> Vec<String> {
    vec![
        format!(
            "{} ({:.1}–{:.1}%)",
            percent(evidence.conversion_rate),
            evidence.interval.low * 100.0,
            evidence.interval.high * 100.0
        ),
        thousands(evidence.sample),
        percent(evidence.shrunk_rate),
        format!("{:.2}x", evidence.lift),
        format!("{:.3}", evidence.p_adjusted),
        if evidence.significant { "*".into() } else { String::new() },
    ]
}

fn ranked_section<'a>(
    title: &str,
    note: &str,
    key: &str,
    rows: impl Iterator<Item = (String, &'a RateEvidence)>,
) -> Section {
    let rows: Vec<(String, &RateEvidence)> = rows.collect();
    let mut header = vec![key.to_string()];
    header.extend(EVIDENCE_HEADER.iter().map(|h| h.to_string()));
    Section {
        title: title.to_string(),
        note: note.to_string(),
        header,
        chart: (!rows.is_empty()).then(|| {
            (
                rows.iter().map(|(name, _)| name.clone()).collect(),
                rows.iter().map(|(_, evidence)| evidence.shrunk_rate * 100.0).collect(),
                "shrunk rate, %".to_string(),
            )
        }),
        rows: rows
            .into_iter()
            .map(|(name, evidence)| {
                let mut cells = vec![name];
                cells.extend(evidence_cells(evidence));
                cells
            })
            .collect(),
    }
}

fn plain_section(title: &str, note: &str, header: &[&str], rows: Vec<Vec<String>>) -> Section {
    Section {
        title: title.to_string(),
        note: note.to_string(),
        header: header.iter().map(|h| h.to_string()).collect(),
        rows,
        chart: None,
    }
}

const PER_LEAD: &str = "converted leads / leads with a terminal outcome";
const PER_TOUCH: &str = "converting touches / outbound touches";

/// The report's tables, in reading order.
pub fn sections(report: &PatternsReport) -> Vec<Section> {
    let mut out = Vec::new();
    if !report.warnings.is_empty() {
        out.push(plain_section(
            "Health",
            "warnings of the latest run (conversion-intelligence.md §8.3)",
            &["pattern", "check", "finding"],
            report
                .warnings
                .iter()
                .map(|w| vec![w.pattern_type.as_str().to_string(), w.check.clone(), w.message.clone()])
                .collect(),
        ));
    }
    let metrics = &report.metrics;
    let measured = |rate: &Option<hindsight_learn::conversion::MeasuredRate>| match rate {
        Some(rate) => format!(
            "{} ({:.1}–{:.1}%, {}/{})",
            percent(rate.rate),
            rate.interval.low * 100.0,
            rate.interval.high * 100.0,
            thousands(rate.successes),
            thousands(rate.trials)
        ),
        None => "n/a".into(),
    };
    let days = |value: Option<f64>| value.map_or("n/a".into(), |v| format!("{v:.1}"));
    out.push(plain_section(
        "Success metrics",
        "the spec's §8 targets",
        &["metric", "value", "target"],
        vec![
            vec!["booking rate (converted / contacted)".into(), measured(&metrics.booking_rate), "5%+".into()],
            vec!["days from first touch to conversion".into(), days(metrics.avg_days_to_conversion), "< 10".into()],
            vec!["touches per conversion".into(), days(metrics.touches_per_conversion), "< 5".into()],
            vec![
                "conversion of the top 20% by score".into(),
                measured(&metrics.top_quintile_conversion),
                "> 60%".into(),
            ],
            vec!["conversion of all scored leads".into(), measured(&metrics.scored_conversion), String::new()],
            vec![
                "weight convergence (largest std. dev. across runs)".into(),
                metrics
                    .weight_convergence
                    .map_or("n/a (fewer than 2 runs)".into(), |c| format!("{:.3} over {} runs", c.max_std_dev, c.runs)),
                "stable after 100 outcomes".into(),
            ],
        ],
    ));

    if let Some(who) = &report.patterns.who {
        let who = &who.body;
        let note = |what: &str| {
            format!(
                "{what}; {PER_LEAD}; {} leads, {} converted, confidence {:.2}",
                who.sample_size, who.conversions, who.confidence
            )
        };
        out.push(ranked_section(
            "WHO · titles",
            &note("best first by shrunk rate"),
            "title",
            who.title_rankings.iter().map(|r| (r.name.clone(), &r.evidence)),
        ));
        out.push(ranked_section(
            "WHO · industries",
            &note("best first"),
            "industry",
            who.industry_rankings.iter().map(|r| (r.name.clone(), &r.evidence)),
        ));
        let sweet = who.size_analysis.sweet_spot.as_ref().map_or("none".to_string(), |s| s.range.clone());
        out.push(ranked_section(
            "WHO · company size",
            &note(&format!("employees; sweet spot {sweet}")),
            "employees",
            who.size_analysis.distribution.iter().map(|r| (r.range.clone(), &r.evidence)),
        ));
        if let Some(evidence) = &who.timing_signals.evidence {
            let side = |rate: f64, interval: Option<hindsight_stats::Interval>, sample: u64| match interval {
                Some(interval) => format!(
                    "{} ({:.1}–{:.1}%) of {}",
                    percent(rate),
                    interval.low * 100.0,
                    interval.high * 100.0,
                    thousands(sample)
                ),
                None => format!("n/a of {}", thousands(sample)),
            };
            let row = |name: &str, lift: &hindsight_learn::conversion::FlagLift| {
                vec![
                    name.to_string(),
                    format!("{:.2}x", lift.lift),
                    side(lift.with_rate, lift.with_interval, lift.with_sample),
                    side(lift.without_rate, lift.without_interval, lift.without_sample),
                    format!("{:.3}", lift.p_value),
                ]
            };
            out.push(plain_section(
                "WHO · timing signals",
                "rate with the signal over rate without (1.00 when either side has fewer than 5 leads); 95% Wilson intervals; p of the difference",
                &["signal", "lift", "with", "without", "p"],
                vec![
                    row("new role", &evidence.new_role),
                    row("hiring", &evidence.hiring),
                    row("recently funded", &evidence.funded),
                ],
            ));
        }
        let weights = who.recommended_weights;
        let fit = &who.weight_fit;
        let objective = |value: Option<f64>| value.map_or("n/a".into(), |v| format!("{v:.5}"));
        out.push(plain_section(
            "WHO · lead-score weights",
            &format!(
                "{} ({} leads with a score snapshot; SLSQP {}; penalized log-loss {} vs defaults {}){}",
                fit.source,
                fit.rows,
                fit.solver_status.as_deref().unwrap_or("not run"),
                objective(fit.objective),
                objective(fit.default_objective),
                fit.reason.as_ref().map_or(String::new(), |reason| format!("; {reason}"))
            ),
            &["component", "recommended", "default"],
            [
                ("data quality", weights.data_quality, 0.20),
                ("authority", weights.authority, 0.25),
                ("company fit", weights.company_fit, 0.25),
                ("timing", weights.timing, 0.15),
            ]
            .into_iter()
            .map(|(name, value, default)| vec![name.into(), format!("{value:.3}"), format!("{default:.2}")])
            .collect(),
        ));
    }

    if let Some(what) = &report.patterns.what {
        let what = &what.body;
        let note = format!(
            "{PER_TOUCH} with content; {} messages, {} converting",
            thousands(what.messages as u64),
            what.sample_size
        );
        let subjects = what.subject_patterns.winning.iter().chain(&what.subject_patterns.losing);
        out.push(ranked_section(
            "WHAT · email subjects",
            &format!("{note}; winning then losing"),
            "pattern",
            subjects.map(|r| (r.name.clone(), &r.evidence)),
        ));
        let pains = what.pain_points.effective.iter().chain(&what.pain_points.ineffective);
        out.push(ranked_section(
            "WHAT · pain points",
            &note,
            "pain point",
            pains.map(|r| (r.pain_point.clone(), &r.evidence)),
        ));
        let ctas = what.ctas.effective.iter().chain(&what.ctas.ineffective);
        out.push(ranked_section("WHAT · calls to action", &note, "cta", ctas.map(|r| (r.name.clone(), &r.evidence))));
        out.push(ranked_section(
            "WHAT · angles",
            &note,
            "angle",
            what.angles.rankings.iter().map(|r| (r.name.clone(), &r.evidence)),
        ));
        out.push(ranked_section(
            "WHAT · best length",
            "the best word-count band per channel",
            "channel",
            what.optimal_length.iter().map(|(channel, length)| {
                (format!("{channel} {}-{} words", length.range_min, length.range_max), &length.evidence)
            }),
        ));
        if let Some(personalization) = &what.personalization_lift {
            out.push(ranked_section(
                "WHAT · personalization level",
                &format!(
                    "{note}; naming the company: {:.2}x ({} messages), the first name: {:.2}x ({} messages)",
                    personalization.company_mention.lift,
                    thousands(personalization.company_mention.with_sample),
                    personalization.first_name.lift,
                    thousands(personalization.first_name.with_sample)
                ),
                "level",
                personalization.by_level.iter().map(|r| (r.name.clone(), &r.evidence)),
            ));
        }
    }

    if let Some(when) = &report.patterns.when {
        let when = &when.body;
        let note =
            format!("{PER_TOUCH} (UTC); {} touches, {} converting", thousands(when.touches as u64), when.sample_size);
        out.push(ranked_section(
            "WHEN · send day",
            &note,
            "day",
            when.best_days.iter().map(|r| (r.day.clone(), &r.evidence)),
        ));
        out.push(ranked_section(
            "WHEN · send hour",
            &note,
            "hour",
            when.best_hours.iter().map(|r| (format!("{:02}:00", r.hour), &r.evidence)),
        ));
        out.push(ranked_section(
            "WHEN · touch position",
            &note,
            "touch",
            when.touch_rates.iter().map(|r| (r.name.clone(), &r.evidence)),
        ));
        let mut gaps = plain_section(
            "WHEN · gaps and converting touches",
            "best gap (days) before each touch, and the share of conversions on each touch",
            &["step", "best gap", "share of conversions"],
            Vec::new(),
        );
        for (touch, share) in &when.converting_touch_distribution {
            let position: usize = touch.trim_start_matches("touch_").parse().unwrap_or(0);
            let gap = when.optimal_sequence_gaps.get(&format!("touch_{}_to_{position}", position.saturating_sub(1)));
            gaps.rows.push(vec![
                touch.replace('_', " "),
                gap.map_or("—".into(), |g| format!("{g} days")),
                percent(*share),
            ]);
        }
        gaps.chart = Some((
            when.converting_touch_distribution.keys().map(|k| k.replace('_', " ")).collect(),
            when.converting_touch_distribution.values().map(|v| v * 100.0).collect(),
            "share of conversions, %".into(),
        ));
        out.push(gaps);
        if let Some(timing) = &when.conversion_timing {
            out.push(plain_section(
                "WHEN · time to conversion",
                &format!("days from first touch to conversion, {} converted leads", timing.sample),
                &["mean", "median", "p80", "p95"],
                vec![vec![
                    format!("{:.1}", timing.avg_days_to_convert),
                    format!("{:.1}", timing.median_days_to_convert),
                    format!("{:.1}", timing.percentile_80),
                    format!("{:.1}", timing.percentile_95),
                ]],
            ));
        }
    }

    if let Some(how) = &report.patterns.how {
        let how = &how.body;
        out.push(plain_section(
            "HOW · sequences",
            "share converting by the sequence's last touch, estimated step by step (leads leaving a sequence leave its risk set); Greenwood interval, Bonferroni-widened for significance",
            &["sequence", "rate (shrunk)", "raw (CI)", "n", "converted", "sig"],
            how.winning_sequences
                .iter()
                .map(|s| {
                    vec![
                        s.sequence.join(" → "),
                        percent(s.conversion_rate),
                        format!("{} ({:.1}–{:.1}%)", percent(s.raw_conversion_rate), s.interval.low * 100.0, s.interval.high * 100.0),
                        thousands(s.sample_size),
                        thousands(s.conversions),
                        if s.significant { "*".into() } else { String::new() },
                    ]
                })
                .collect(),
        ));
        out.push(plain_section(
            "HOW · booking channel",
            &format!("share of the {} converting touches", how.sample_size),
            &["channel", "share"],
            how.booking_channel_distribution
                .iter()
                .map(|(channel, share)| vec![channel.clone(), percent(*share)])
                .collect(),
        ));
        out.push(ranked_section(
            "HOW · first touch",
            PER_LEAD,
            "first channel",
            how.first_touch_effectiveness.iter().map(|(name, r)| (name.clone(), &r.evidence)),
        ));
        out.push(ranked_section(
            "HOW · channels seen",
            &format!("{PER_TOUCH}, by channels the lead had seen; lift against one channel"),
            "channels",
            how.multi_channel_lift.iter().map(|(name, r)| (name.clone(), &r.evidence)),
        ));
        for (tier, channels) in &how.channel_effectiveness_by_tier {
            out.push(ranked_section(
                &format!("HOW · tier {tier}"),
                PER_TOUCH,
                "channel",
                channels.iter().map(|(name, r)| (name.clone(), &r.evidence)),
            ));
        }
    }
    out
}

fn header_block(report: &PatternsReport) -> Vec<String> {
    let computed = report.patterns.who.as_ref().map(|p| (p.computed_at, p.valid_until));
    let mut lines = vec![format!(
        "tenant {} · generated {}{}",
        report.tenant,
        report.generated_at.format("%Y-%m-%d %H:%M UTC"),
        computed.map_or(" · no patterns stored (run `hindsight learn patterns`)".to_string(), |(at, until)| format!(
            " · patterns computed {} (valid until {})",
            at.format("%Y-%m-%d %H:%M UTC"),
            until.format("%Y-%m-%d")
        ))
    )];
    lines.push("rates: shrunk = beta-binomial posterior mean (what rankings sort by); categories under 5 are not ranked; sig = Holm-adjusted p < 0.05 against the rest of the family".into());
    lines.extend(report.problems.iter().map(|problem| format!("not shown: {problem}")));
    lines
}

/// Plain text.
pub fn render_text(report: &PatternsReport) -> String {
    let rule = "=".repeat(80);
    let mut out = format!("{rule}\nCONVERSION PATTERNS - tenant {}\n{rule}\n", report.tenant);
    for line in header_block(report) {
        out.push_str(&format!("{line}\n"));
    }
    for section in sections(report) {
        out.push_str(&format!("\n{}\n{}\n{}\n", section.title.to_uppercase(), "-".repeat(80), section.note));
        if section.rows.is_empty() {
            out.push_str("(nothing with enough data)\n");
            continue;
        }
        let widths: Vec<usize> = (0..section.header.len())
            .map(|column| {
                section
                    .rows
                    .iter()
                    .map(|row| row[column].chars().count())
                    .chain([section.header[column].chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |cells: &[String]| {
            cells
                .iter()
                .zip(&widths)
                .map(|(cell, width)| format!("{cell:<width$}"))
                .collect::<Vec<_>>()
                .join("  ")
                .trim_end()
                .to_string()
        };
        out.push_str(&format!("{}\n", line(&section.header)));
        for row in &section.rows {
            out.push_str(&format!("{}\n", line(row)));
        }
    }
    out.push_str(&format!("\nPATTERN CONTEXT\n{}\n{}\n", "-".repeat(80), report.context.campaign));
    out
}

/// Markdown.
pub fn render_markdown(report: &PatternsReport) -> String {
    let cell = |text: &str| text.replace('|', "\\|");
    let mut out = format!("# Conversion patterns — {}\n\n", cell(&report.tenant));
    for line in header_block(report) {
        out.push_str(&format!("{}\n\n", cell(&line)));
    }
    for section in sections(report) {
        out.push_str(&format!("## {}\n\n{}\n\n", section.title, cell(&section.note)));
        if section.rows.is_empty() {
            out.push_str("_Nothing with enough data._\n\n");
            continue;
        }
        out.push_str(&format!("| {} |\n", section.header.iter().map(|h| cell(h)).collect::<Vec<_>>().join(" | ")));
        out.push_str(&format!("|{}\n", "---|".repeat(section.header.len())));
        for row in &section.rows {
            out.push_str(&format!("| {} |\n", row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")));
        }
        out.push('\n');
    }
    out.push_str("## Pattern context\n\n```text\n");
    out.push_str(&report.context.campaign);
    out.push_str("\n```\n");
    out
}

/// The report as JSON.
pub fn render_json(report: &PatternsReport) -> serde_json::Result<String> {
    let mut text = serde_json::to_string_pretty(report)?;
    text.push('\n');
    Ok(text)
}

/// A self-contained HTML page: each ranked table with a bar chart of its shrunk rates.
pub fn render_html(report: &PatternsReport) -> String {
    use crate::html::{escape, page};
    let mut body = format!(
        "<h1>Conversion patterns</h1>{}",
        header_block(report).iter().map(|line| format!("<p class=\"meta\">{}</p>", escape(line))).collect::<String>()
    );
    let mut charts = Vec::new();
    for (index, section) in sections(report).into_iter().enumerate() {
        body.push_str(&format!("<h2>{}</h2><p class=\"meta\">{}</p>", escape(&section.title), escape(&section.note)));
        if let Some((labels, values, axis)) = &section.chart {
            body.push_str(&format!(r#"<div class="card"><canvas id="chart{index}"></canvas></div>"#));
            charts.push(
                serde_json::json!({"id": format!("chart{index}"), "labels": labels, "values": values, "axis": axis}),
            );
        }
        if section.rows.is_empty() {
            body.push_str("<p>Nothing with enough data.</p>");
            continue;
        }
        body.push_str(&format!(
            "<table><tr>{}</tr>{}</table>",
            section.header.iter().map(|h| format!("<th>{}</th>", escape(h))).collect::<String>(),
            section
                .rows
                .iter()
                .map(|row| format!(
                    "<tr>{}</tr>",
                    row.iter().map(|c| format!("<td>{}</td>", escape(c))).collect::<String>()
                ))
                .collect::<String>()
        ));
    }
    body.push_str(&format!("<h2>Pattern context</h2><pre>{}</pre>", escape(&report.context.campaign)));
    let script = r#"
for (const chart of DATA.charts) {
  new Chart(document.getElementById(chart.id), {
    type: 'bar',
    data: { labels: chart.labels, datasets: [{ label: chart.axis, data: chart.values, backgroundColor: '#3d6fb6' }] },
    options: { indexAxis: 'y', animation: false, plugins: { legend: { display: false } },
      scales: { x: { title: { display: true, text: chart.axis } } } }
  });
}
"#;
    page("Conversion patterns", &body, &serde_json::json!({ "charts": charts }), script)
}
