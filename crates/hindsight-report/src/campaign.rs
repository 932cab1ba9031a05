//! The campaign report: voice-bot-intelligence.md's weekly report, with evidence.

use chrono::{DateTime, NaiveDate, Utc};
use hindsight_learn::campaign::{CampaignAnalysis, Severity};
use hindsight_model::Campaign;
use serde::Serialize;

use crate::format::{money, percent, rate_with_interval};

/// Version of the campaign report's JSON layout. Bump on any incompatible change.
pub const CAMPAIGN_REPORT_SCHEMA_VERSION: u32 = 1;

/// A period, first and last day inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
}

/// The campaign report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CampaignReport {
    /// Layout version ([`CAMPAIGN_REPORT_SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// Always `campaign`.
    pub report: &'static str,
    /// The tenant.
    pub tenant: String,
    /// The campaign's id.
    pub campaign_id: String,
    /// The campaign's name.
    pub campaign_name: String,
    /// Conversion target.
    pub target_conversion_rate: f64,
    /// The period analysed.
    pub period: Period,
    /// The period compared with.
    pub previous_period: Option<Period>,
    /// When the report was made (given by the caller).
    pub generated_at: DateTime<Utc>,
    /// The findings.
    pub analysis: CampaignAnalysis,
}

impl CampaignReport {
    /// Wraps an analysis with its context.
    pub fn new(
        tenant: &str,
        campaign: &Campaign,
        period: Period,
        previous_period: Option<Period>,
        generated_at: DateTime<Utc>,
        analysis: CampaignAnalysis,
    ) -> CampaignReport {
        CampaignReport {
            schema_version: CAMPAIGN_REPORT_SCHEMA_VERSION,
            report: "campaign",
            tenant: tenant.to_string(),
            campaign_id: campaign.id.clone(),
            campaign_name: campaign.name.clone(),
            target_conversion_rate: campaign.targets.conversion_rate,
            period,
            previous_period,
            generated_at,
            analysis,
        }
    }

    /// The executive summary: one paragraph with the headline numbers.
    pub fn executive_summary(&self) -> String {
        let a = &self.analysis;
        let overall = &a.metrics.overall;
        let critical = a.issues.iter().filter(|issue| issue.severity == Severity::Critical).count();
        let mut parts = vec![
            format!("Campaign '{}' health {:.0}/100 ({})", self.campaign_name, a.health.overall, a.health.status),
            format!(
                "booked value {} with {} in leakage ({})",
                money(overall.conversion.successes as f64 * a.leakage.value_per_booking),
                money(a.leakage.total),
                a.leakage.share_of_potential.map_or("n/a".into(), percent)
            ),
            format!(
                "conversion {} (target {}) from {} calls",
                overall.conversion.estimate().map_or("n/a".into(), percent),
                percent(self.target_conversion_rate),
                overall.calls
            ),
        ];
        if critical > 0 {
            parts.push(format!("{critical} CRITICAL issue(s) need immediate attention"));
        }
        if a.leakage.recoverable > 0.0 {
            parts.push(format!(
                "recovery opportunity {} ({} difficulty)",
                money(a.leakage.recoverable),
                a.leakage.recovery_difficulty
            ));
        }
        parts.join(" | ")
    }
}

fn section(out: &mut String, title: &str) {
    out.push_str(&format!("\n{title}\n{}\n", "-".repeat(80)));
}

/// The spec's text report.
pub fn render_text(report: &CampaignReport) -> String {
    let a = &report.analysis;
    let m = &a.metrics;
    let confidence = 0.95;
    let mut out = String::new();
    out.push_str(&format!(
        "{}\nCAMPAIGN INTELLIGENCE REPORT - {}\n{}\n",
        "=".repeat(80),
        report.campaign_name,
        "=".repeat(80)
    ));
    out.push_str(&format!("Report date: {}\n", report.generated_at.format("%Y-%m-%d %H:%M UTC")));
    out.push_str(&format!("Period: {} to {}", report.period.from, report.period.to));
    if let Some(previous) = report.previous_period {
        out.push_str(&format!(" (compared with {} to {})", previous.from, previous.to));
    }
    out.push_str(&format!("\nTenant: {} · campaign {}\n", report.tenant, report.campaign_id));

    section(&mut out, "EXECUTIVE SUMMARY");
    out.push_str(&report.executive_summary());
    out.push('\n');

    section(&mut out, "HEALTH SCORE");
    let h = &a.health;
    out.push_str(&format!("Overall: {:.0}/100 ({})\n", h.overall, h.status));
    for (name, value) in [
        ("Conversion", h.conversion),
        ("Revenue", h.revenue),
        ("Compliance", h.compliance),
        ("Efficiency", h.efficiency),
        ("Quality", h.quality),
    ] {
        out.push_str(&format!("  {name} health: {value:.0}/100\n"));
    }
    if let Some(trend) = &a.trend {
        out.push_str(&format!(
            "Trend: {} ({:+.1} points, {} week over week)\n",
            trend.direction.to_uppercase(),
            trend.change_points,
            trend.change_percent.map_or("n/a".into(), |change| format!("{change:+.1}%"))
        ));
    }
    for insight in &a.insights {
        out.push_str(&format!("  • {insight}\n"));
    }

    section(&mut out, "KEY METRICS (95% Wilson intervals; n = calls)");
    let o = &m.overall;
    out.push_str(&format!("Total calls: {}\n", o.calls));
    out.push_str(&format!(
        "Conversion: {} (target {})\n",
        rate_with_interval(o.conversion, confidence),
        percent(report.target_conversion_rate)
    ));
    out.push_str(&format!("Completion: {}\n", rate_with_interval(o.completion, confidence)));
    out.push_str(&format!("Drop-off: {}\n", rate_with_interval(o.drop_off, confidence)));
    out.push_str(&format!("Escalation: {}\n", rate_with_interval(o.escalation, confidence)));
    out.push_str(&format!("Technical failures: {}\n", rate_with_interval(o.failure, confidence)));
    out.push_str(&format!("Compliance violations: {}\n", rate_with_interval(o.compliance_violation, confidence)));
    out.push_str(&format!(
        "Revenue recorded: {} (expected at target revenue per call: {}; recent weeks' revenue arrives with later outcomes)\n",
        money(o.revenue),
        money(m.revenue_expected)
    ));
    out.push_str(&format!(
        "Revenue leakage: {} ({} of potential; {} per booking from {})\n",
        money(a.leakage.total),
        a.leakage.share_of_potential.map_or("n/a".into(), percent),
        money(a.leakage.value_per_booking),
        a.leakage.value_source
    ));
    if let Some(sentiment) = m.sentiment.mean {
        out.push_str(&format!("Mean sentiment: {sentiment:.2} (n={})\n", m.sentiment.n));
    }
    out.push_str("Drop-off by stage (of calls reaching the stage):\n");
    for (stage, hazard) in &m.drop_off_hazard_by_stage {
        out.push_str(&format!("  {stage}: {}\n", rate_with_interval(*hazard, confidence)));
    }

    section(&mut out, "ACTIVE ALERTS");
    if report.previous_period.is_none() {
        out.push_str("No previous period: week-over-week alerts need one.\n");
    } else if a.alerts.is_empty() {
        out.push_str("None.\n");
    }
    for alert in &a.alerts {
        out.push_str(&format!("[{}] {:?}\n  {}\n", alert.severity.as_str().to_uppercase(), alert.kind, alert.message));
    }

    section(&mut out, "DETECTED ISSUES");
    if a.issues.is_empty() {
        out.push_str("None: no rate is past its threshold with 95% confidence.\n");
    }
    for issue in &a.issues {
        out.push_str(&format!(
            "[{}] {:?} — {}\n  {}\n  Affected calls: {} · test: {}\n",
            issue.severity.as_str().to_uppercase(),
            issue.kind,
            issue.subject,
            issue.description,
            issue.affected_calls,
            issue.evidence.test
        ));
    }

    section(&mut out, "REVENUE LEAKAGE");
    for line in &a.leakage.by_reason {
        out.push_str(&format!(
            "{}: {} lost ({:.1} bookings from {} calls), {} recoverable ({} difficulty)\n",
            line.reason.label(),
            money(line.amount),
            line.bookings_lost,
            line.calls,
            money(line.recoverable),
            line.difficulty
        ));
    }

    section(&mut out, "ROOT CAUSE");
    out.push_str(&format!("{}\n", a.root_cause.summary));
    for mode in &a.root_cause.modes {
        out.push_str(&format!(
            "  {}: {:.1} bookings lost ({:.0}%){}\n",
            mode.mode.label(),
            mode.bookings_lost,
            mode.share * 100.0,
            mode.change.map_or(String::new(), |change| format!(", {change:+.1} vs previous period"))
        ));
    }
    if let Some(script) = &a.root_cause.script_version {
        out.push_str(&format!(
            "  Script {}: {} vs rest {} (difference {:+.1} to {:+.1} points, p={:.1e} Bonferroni)\n",
            script.name,
            rate_with_interval(script.rate, confidence),
            rate_with_interval(script.rest, confidence),
            script.difference.low * 100.0,
            script.difference.high * 100.0,
            script.p_value_adjusted
        ));
    }

    let urgent: Vec<_> = a
        .recommendations
        .iter()
        .filter(|r| {
            a.issues.iter().any(|i| i.kind == r.issue && i.subject == r.subject && i.severity >= Severity::High)
        })
        .collect();
    section(&mut out, "URGENT ACTIONS REQUIRED");
    if urgent.is_empty() {
        out.push_str("None.\n");
    }
    for (index, recommendation) in urgent.iter().enumerate() {
        out.push_str(&format!(
            "{}. Priority {}: {} ({} recovery, {})\n",
            index + 1,
            recommendation.priority,
            recommendation.action,
            money(recommendation.expected_revenue_recovery),
            recommendation.estimated_time
        ));
    }

    section(&mut out, "TOP RECOMMENDATIONS");
    if a.recommendations.is_empty() {
        out.push_str("None.\n");
    }
    for recommendation in a.recommendations.iter().take(5) {
        out.push_str(&format!(
            "Priority {}: {}\n  Expected impact: {} recovered, +{:.1} bookings per 100 calls ({} confidence)\n  Basis: {}\n  Effort: {}, time: {}; resources: {}\n",
            recommendation.priority,
            recommendation.action,
            money(recommendation.expected_revenue_recovery),
            recommendation.conversion_lift_points,
            recommendation.confidence,
            recommendation.basis,
            recommendation.effort,
            recommendation.estimated_time,
            recommendation.resources.join(", ")
        ));
        for (step, text) in recommendation.steps.iter().enumerate() {
            out.push_str(&format!("    {}. {text}\n", step + 1));
        }
    }
    out.push_str(&format!("{}\n", "=".repeat(80)));
    out
}

/// Markdown: the same content with headings and tables.
pub fn render_markdown(report: &CampaignReport) -> String {
    let a = &report.analysis;
    let o = &a.metrics.overall;
    let confidence = 0.95;
    let mut out = format!("# Campaign intelligence — {}\n\n", report.campaign_name);
    out.push_str(&format!(
        "Period **{} to {}**{} · tenant `{}` · generated {}\n\n",
        report.period.from,
        report.period.to,
        report.previous_period.map_or(String::new(), |p| format!(" vs {} to {}", p.from, p.to)),
        report.tenant,
        report.generated_at.format("%Y-%m-%d %H:%M UTC")
    ));
    out.push_str(&format!("> {}\n\n## Health\n\n| component | score |\n|---|---|\n", report.executive_summary()));
    let h = &a.health;
    for (name, value) in [
        ("overall", h.overall),
        ("conversion", h.conversion),
        ("revenue", h.revenue),
        ("compliance", h.compliance),
        ("efficiency", h.efficiency),
        ("quality", h.quality),
    ] {
        out.push_str(&format!("| {name} | {value:.0} |\n"));
    }
    out.push_str("\n## Key metrics (95% Wilson intervals)\n\n| metric | value |\n|---|---|\n");
    for (name, rate) in [
        ("conversion", o.conversion),
        ("completion", o.completion),
        ("drop-off", o.drop_off),
        ("escalation", o.escalation),
        ("technical failures", o.failure),
        ("compliance violations", o.compliance_violation),
    ] {
        out.push_str(&format!("| {name} | {} |\n", rate_with_interval(rate, confidence)));
    }
    out.push_str("\n## Alerts\n\n");
    if a.alerts.is_empty() {
        out.push_str("None.\n");
    }
    for alert in &a.alerts {
        out.push_str(&format!("- **{}** {:?}: {}\n", alert.severity.as_str(), alert.kind, alert.message));
    }
    out.push_str("\n## Issues\n\n");
    if a.issues.is_empty() {
        out.push_str("None.\n");
    }
    for issue in &a.issues {
        out.push_str(&format!(
            "- **{}** {:?} ({}): {}\n",
            issue.severity.as_str(),
            issue.kind,
            issue.subject,
            issue.description
        ));
    }
    out.push_str(&format!("\n## Root cause\n\n{}\n\n## Recommendations\n\n", a.root_cause.summary));
    for recommendation in &a.recommendations {
        out.push_str(&format!(
            "{}. **{}** — {} recovered, +{:.1} bookings/100 calls ({} confidence; {})\n",
            recommendation.priority,
            recommendation.action,
            money(recommendation.expected_revenue_recovery),
            recommendation.conversion_lift_points,
            recommendation.confidence,
            recommendation.basis
        ));
    }
    out
}

/// JSON with the schema version at the top.
pub fn render_json(report: &CampaignReport) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(report)
}

/// A self-contained HTML page with charts: health components, drop-off by stage (with intervals),
/// leakage by reason, and week-over-week changes.
pub fn render_html(report: &CampaignReport) -> String {
    use crate::html::{escape, page};
    let a = &report.analysis;
    let o = &a.metrics.overall;
    let confidence = 0.95;
    let severity = |s: Severity| format!(r#"<span class="sev-{0}">{0}</span>"#, s.as_str());

    let mut body = format!(
        r#"<h1>Campaign intelligence — {}</h1>
<p class="meta">Period {} to {}{} · tenant {} · campaign {} · generated {}</p>
<p class="summary">{}</p>
<div class="grid">
<div class="card"><div class="score">{:.0}/100</div><div>health: {}{}</div><canvas id="health"></canvas></div>
<div class="card"><h3>Drop-off by stage</h3><p class="meta">share of the calls reaching each stage that drop there, with 95% Wilson intervals</p><canvas id="stages"></canvas></div>
<div class="card"><h3>Revenue leakage by reason</h3><canvas id="leakage"></canvas></div>
<div class="card"><h3>Week over week</h3><p class="meta">relative change against the previous period</p><canvas id="wow"></canvas></div>
</div>
"#,
        escape(&report.campaign_name),
        report.period.from,
        report.period.to,
        report.previous_period.map_or(String::new(), |p| format!(" (compared with {} to {})", p.from, p.to)),
        escape(&report.tenant),
        escape(&report.campaign_id),
        report.generated_at.format("%Y-%m-%d %H:%M UTC"),
        escape(&report.executive_summary()),
        a.health.overall,
        a.health.status,
        a.trend.as_ref().map_or(String::new(), |t| format!(", {} ({:+.1} points)", t.direction, t.change_points)),
    );

    body.push_str(
        "<h2>Key metrics</h2><table><tr><th>metric</th><th>value (95% Wilson interval, successes/calls)</th></tr>",
    );
    for (name, rate) in [
        ("conversion", o.conversion),
        ("completion", o.completion),
        ("drop-off", o.drop_off),
        ("escalation", o.escalation),
        ("technical failures", o.failure),
        ("compliance violations", o.compliance_violation),
    ] {
        body.push_str(&format!("<tr><td>{name}</td><td>{}</td></tr>", escape(&rate_with_interval(rate, confidence))));
    }
    body.push_str("</table>");

    body.push_str("<h2>Alerts</h2>");
    if a.alerts.is_empty() {
        body.push_str("<p>None.</p>");
    } else {
        body.push_str("<table><tr><th>severity</th><th>alert</th></tr>");
        for alert in &a.alerts {
            body.push_str(&format!(
                "<tr><td>{}</td><td>{}</td></tr>",
                severity(alert.severity),
                escape(&alert.message)
            ));
        }
        body.push_str("</table>");
    }

    body.push_str("<h2>Issues</h2>");
    if a.issues.is_empty() {
        body.push_str("<p>None: no rate is past its threshold with 95% confidence.</p>");
    } else {
        body.push_str("<table><tr><th>severity</th><th>issue</th><th>evidence</th></tr>");
        for issue in &a.issues {
            body.push_str(&format!(
                "<tr><td>{}</td><td>{:?} — {}</td><td>{}<br><small>{}</small></td></tr>",
                severity(issue.severity),
                issue.kind,
                escape(&issue.subject),
                escape(&issue.description),
                escape(&issue.evidence.test)
            ));
        }
        body.push_str("</table>");
    }

    body.push_str(&format!("<h2>Root cause</h2><p>{}</p>", escape(&a.root_cause.summary)));

    body.push_str("<h2>Recommendations</h2>");
    if a.recommendations.is_empty() {
        body.push_str("<p>None.</p>");
    }
    for recommendation in &a.recommendations {
        body.push_str(&format!(
            "<div class=\"card\"><strong>{}. {}</strong><p>{} recovered, +{:.1} bookings per 100 calls ({} confidence) · effort {}, {}</p><p class=\"meta\">{}</p><ol>",
            recommendation.priority,
            escape(&recommendation.action),
            money(recommendation.expected_revenue_recovery),
            recommendation.conversion_lift_points,
            recommendation.confidence,
            recommendation.effort,
            recommendation.estimated_time,
            escape(&recommendation.basis)
        ));
        for step in &recommendation.steps {
            body.push_str(&format!("<li>{}</li>", escape(step)));
        }
        body.push_str("</ol></div>");
    }

    let stages: Vec<serde_json::Value> = a
        .metrics
        .drop_off_hazard_by_stage
        .iter()
        .map(|(stage, rate)| {
            let interval = rate.wilson(confidence);
            serde_json::json!({
                "stage": stage,
                "rate": rate.estimate(),
                "low": interval.map(|i| i.low),
                "high": interval.map(|i| i.high),
                "dropped": rate.successes,
                "reached": rate.trials,
            })
        })
        .collect();
    let wow: Vec<serde_json::Value> = match &a.previous {
        Some(previous) => {
            let p = &previous.metrics.overall;
            let change = |now: Option<f64>, before: Option<f64>| match (now, before) {
                (Some(now), Some(before)) if before > 0.0 => Some(100.0 * (now - before) / before),
                _ => None,
            };
            vec![
                serde_json::json!({"metric": "bookings", "change": change(Some(o.conversion.successes as f64), Some(p.conversion.successes as f64))}),
                serde_json::json!({"metric": "conversion", "change": change(o.conversion.estimate(), p.conversion.estimate())}),
                serde_json::json!({"metric": "drop-off", "change": change(o.drop_off.estimate(), p.drop_off.estimate())}),
                serde_json::json!({"metric": "escalation", "change": change(o.escalation.estimate(), p.escalation.estimate())}),
                serde_json::json!({"metric": "health", "change": change(Some(a.health.overall), Some(previous.health.overall))}),
            ]
        }
        None => Vec::new(),
    };
    let data = serde_json::json!({
        "health": [
            {"component": "conversion", "score": a.health.conversion},
            {"component": "revenue", "score": a.health.revenue},
            {"component": "compliance", "score": a.health.compliance},
            {"component": "efficiency", "score": a.health.efficiency},
            {"component": "quality", "score": a.health.quality},
        ],
        "stages": stages,
        "leakage": a.leakage.by_reason.iter().map(|line| serde_json::json!({"reason": line.reason.label(), "amount": line.amount})).collect::<Vec<_>>(),
        "wow": wow,
    });
    let charts = r#"
const pct = v => v == null ? 'n/a' : (v * 100).toFixed(1) + '%';
new Chart(document.getElementById('health'), {
  type: 'bar',
  data: { labels: DATA.health.map(h => h.component), datasets: [{ label: 'score (0-100)', data: DATA.health.map(h => h.score), backgroundColor: '#3d6fb6' }] },
  options: { indexAxis: 'y', scales: { x: { min: 0, max: 100 } }, plugins: { legend: { display: false } } }
});
new Chart(document.getElementById('stages'), {
  type: 'bar',
  data: { labels: DATA.stages.map(s => s.stage), datasets: [
    { label: 'drop-off hazard', data: DATA.stages.map(s => s.rate == null ? null : s.rate * 100), backgroundColor: '#d9731a' },
    { label: '95% CI low', type: 'line', data: DATA.stages.map(s => s.low == null ? null : s.low * 100), borderColor: '#5b6576', pointStyle: 'line', showLine: false },
    { label: '95% CI high', type: 'line', data: DATA.stages.map(s => s.high == null ? null : s.high * 100), borderColor: '#5b6576', pointStyle: 'line', showLine: false }
  ] },
  options: { scales: { y: { beginAtZero: true, title: { display: true, text: '% of calls reaching the stage' } } },
    plugins: { tooltip: { callbacks: { afterLabel: c => { const s = DATA.stages[c.dataIndex]; return s.dropped + ' of ' + s.reached + ' calls, CI ' + pct(s.low) + '–' + pct(s.high); } } } } }
});
new Chart(document.getElementById('leakage'), {
  type: 'bar',
  data: { labels: DATA.leakage.map(l => l.reason), datasets: [{ label: 'revenue lost', data: DATA.leakage.map(l => l.amount), backgroundColor: '#b3261e' }] },
  options: { plugins: { legend: { display: false } } }
});
new Chart(document.getElementById('wow'), {
  type: 'bar',
  data: { labels: DATA.wow.map(w => w.metric), datasets: [{ label: '% change', data: DATA.wow.map(w => w.change),
    backgroundColor: DATA.wow.map(w => (w.metric === 'drop-off' || w.metric === 'escalation') === (w.change > 0) ? '#b3261e' : '#2e7d32') }] },
  options: { plugins: { legend: { display: false } } }
});
"#;
    page(&format!("Campaign intelligence — {}", report.campaign_name), &body, &data, charts)
}
