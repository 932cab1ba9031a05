//! `hindsight report …`.

use std::process::ExitCode;

use anyhow::Context;
use hindsight_app::{PeriodChoice, campaign_report, excellence_report, open_store, patterns_report};
use hindsight_report::campaign::{CampaignReport, Period, render_html, render_json, render_markdown, render_text};
use hindsight_report::excellence::ExcellenceReport;
use hindsight_report::patterns::PatternsReport;

use crate::cli::{
    CampaignReportArgs, ExcellenceReportArgs, PatternsReportArgs, ReportArgs, ReportCommand, ReportFormat,
};
use crate::config::Settings;

pub async fn run(args: ReportArgs, settings: &Settings) -> anyhow::Result<ExitCode> {
    match args.command {
        ReportCommand::Campaign(args) => campaign(args, settings).await,
        ReportCommand::Excellence(args) => excellence(args, settings).await,
        ReportCommand::Patterns(args) => patterns(args, settings).await,
    }
}

/// Parses `2026-W07`.
fn parse_week(text: &str) -> anyhow::Result<PeriodChoice> {
    let parse = || -> Option<PeriodChoice> {
        let (year, week) = text.split_once("-W").or_else(|| text.split_once("-w"))?;
        Some(PeriodChoice::Week { year: year.parse().ok()?, week: week.parse().ok()? })
    };
    parse().with_context(|| format!("--week {text:?}: expected an ISO week such as 2026-W07"))
}

/// Renders a report in the chosen format.
pub fn render(report: &CampaignReport, format: ReportFormat) -> anyhow::Result<String> {
    Ok(match format {
        ReportFormat::Text => render_text(report),
        ReportFormat::Md => render_markdown(report),
        ReportFormat::Json => render_json(report)?,
        ReportFormat::Html => render_html(report),
    })
}

async fn campaign(args: CampaignReportArgs, settings: &Settings) -> anyhow::Result<ExitCode> {
    let choice = match (&args.week, args.from, args.to) {
        (Some(week), _, _) => parse_week(week)?,
        (None, Some(from), Some(to)) => PeriodChoice::Days(Period { from, to }),
        _ => PeriodChoice::LatestWeek,
    };
    let store = open_store(&settings.db).await?;
    let report = campaign_report(
        store.as_ref(),
        &settings.tenant,
        args.campaign.as_deref(),
        choice,
        &settings.campaign,
        chrono::Utc::now(),
    )
    .await?;
    write_out(&render(&report, args.format)?, args.out.as_deref())
}

/// Renders an excellence report in the chosen format.
pub fn render_excellence(report: &ExcellenceReport, format: ReportFormat) -> anyhow::Result<String> {
    use hindsight_report::excellence;
    Ok(match format {
        ReportFormat::Text => excellence::render_text(report),
        ReportFormat::Md => excellence::render_markdown(report),
        ReportFormat::Json => excellence::render_json(report)?,
        ReportFormat::Html => excellence::render_html(report),
    })
}

async fn excellence(args: ExcellenceReportArgs, settings: &Settings) -> anyhow::Result<ExitCode> {
    let period = args.from.zip(args.to).map(|(from, to)| Period { from, to });
    let store = open_store(&settings.db).await?;
    let report = excellence_report(
        store.as_ref(),
        &settings.tenant,
        args.campaign.as_deref(),
        period,
        &settings.excellence,
        chrono::Utc::now(),
    )
    .await?;
    write_out(&render_excellence(&report, args.format)?, args.out.as_deref())
}

/// Renders a patterns report in the chosen format.
pub fn render_patterns(report: &PatternsReport, format: ReportFormat) -> anyhow::Result<String> {
    use hindsight_report::patterns;
    Ok(match format {
        ReportFormat::Text => patterns::render_text(report),
        ReportFormat::Md => patterns::render_markdown(report),
        ReportFormat::Json => patterns::render_json(report)?,
        ReportFormat::Html => patterns::render_html(report),
    })
}

async fn patterns(args: PatternsReportArgs, settings: &Settings) -> anyhow::Result<ExitCode> {
    let store = open_store(&settings.db).await?;
    let report = patterns_report(store.as_ref(), &settings.tenant, chrono::Utc::now()).await?;
    write_out(&render_patterns(&report, args.format)?, args.out.as_deref())
}

fn write_out(rendered: &str, out: Option<&std::path::Path>) -> anyhow::Result<ExitCode> {
    match out {
        Some(path) => std::fs::write(path, rendered).with_context(|| format!("cannot write {}", path.display()))?,
        None => print!("{rendered}"),
    }
    Ok(ExitCode::SUCCESS)
}
