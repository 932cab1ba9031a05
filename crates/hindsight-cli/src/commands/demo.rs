//! `hindsight demo`: the main job on the embedded default.

use std::process::ExitCode;
use std::sync::Arc;

use hindsight_app::{DemoOptions, DemoReport, open_store, run_demo};
use hindsight_model::{CallStatus, TenantId};

use crate::cli::DemoArgs;
use crate::commands::{print_json, sim_config, table, thousands};
use crate::config::Settings;
use crate::progress::TerminalProgress;

/// The demo writes to its own tenant so it never mixes with real data in the same database.
const DEMO_TENANT: &str = "demo";

pub async fn run(args: DemoArgs, settings: &Settings) -> anyhow::Result<ExitCode> {
    // A temporary directory unless the user wants the files; it is removed when dropped.
    let temporary = tempfile::Builder::new().prefix("hindsight-demo-").tempdir()?;
    let work_dir = args.keep_files.clone().unwrap_or_else(|| temporary.path().to_path_buf());
    let tenant = if settings.tenant.as_str() == TenantId::DEFAULT {
        TenantId::new(DEMO_TENANT)?
    } else {
        settings.tenant.clone()
    };
    let options = DemoOptions {
        db: settings.db.clone(),
        tenant,
        simulation: sim_config(&args.size, settings),
        work_dir,
        generated_at: chrono::Utc::now(),
        campaign_analysis: settings.campaign.clone(),
        excellence: settings.excellence.clone(),
        conversion: settings.conversion.clone(),
    };
    let store = open_store(&settings.db).await?;
    let report = run_demo(&options, store, Arc::new(TerminalProgress::new(!args.json))).await?;
    if args.json {
        print_json(&report)?;
    } else {
        print_report(&report, &options);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_report(report: &DemoReport, options: &DemoOptions) {
    let simulated = report.simulated;
    println!("hindsight demo: a simulated campaign, ingested into the embedded store\n");
    println!(
        "simulated  {} calls, {} leads, {} activities, {} outcome events (seed {}) in {:.1}s",
        thousands(simulated.calls),
        thousands(simulated.leads),
        thousands(simulated.activities),
        thousands(simulated.outcomes),
        report.seed,
        report.simulate_seconds
    );
    let total = report.ingested_accepted + report.ingested_rejected;
    println!(
        "ingested   {} records into {} (tenant {}) in {:.1}s: {} new or changed, {} unchanged, {} rejected",
        thousands(total),
        options.db,
        options.tenant,
        report.ingest_seconds,
        thousands(report.ingested_written),
        thousands(report.ingested_unchanged),
        thousands(report.ingested_rejected)
    );
    let overview = &report.overview;
    println!("\ncalls per ISO week (counts)");
    let mut header = vec!["week", "calls"];
    header.extend(CallStatus::ALL.iter().map(|status| status.as_str()));
    header.push("booked");
    let rows = overview
        .weeks
        .iter()
        .map(|week| {
            let mut row = vec![week.week.clone(), thousands(week.calls)];
            row.extend(
                CallStatus::ALL
                    .iter()
                    .map(|status| thousands(week.by_status.get(status.as_str()).copied().unwrap_or(0))),
            );
            row.push(thousands(week.booked));
            row
        })
        .collect();
    println!("{}", table(&header, rows));

    println!("\noutcomes known so far (later facts arrive as outcome events)");
    let rows = ["booked", "confirmed", "showed_up", "converted"]
        .iter()
        .map(|name| {
            let counts = overview.outcomes.get(*name).cloned().unwrap_or_default();
            vec![(*name).to_string(), thousands(counts.known), thousands(counts.positive)]
        })
        .collect();
    println!("{}", table(&["outcome", "calls known", "true"], rows));
    println!("revenue recorded: {:.0} · transcript turns: {}", overview.revenue, thousands(overview.turns));

    println!("\noutreach");
    let lead_rows =
        overview.leads_by_status.iter().map(|(status, count)| vec![status.clone(), thousands(*count)]).collect();
    println!("{}", table(&["lead status", "leads"], lead_rows));
    let touch_rows =
        overview.touches_by_channel.iter().map(|(channel, count)| vec![channel.clone(), thousands(*count)]).collect();
    println!("{}", table(&["channel", "outbound touches"], touch_rows));
    println!("touches credited with a booking: {}", thousands(overview.converting_touches));

    println!("\n{}", hindsight_report::campaign::render_text(&report.campaign_report));
    println!("\n{}", hindsight_report::excellence::render_text(&report.excellence_report));
    println!("\n{}\nSHOW-UP MODEL (hindsight train --target showed_up)\n{}", "=".repeat(80), "=".repeat(80));
    crate::commands::train::print_report(&report.show_up_model, 8);
    println!("\nthe latest booked calls, scored (hindsight score --model showed_up)");
    for score in &report.show_up_scores {
        println!(
            "{}: show-up probability {:.0}% (confidence {:?})",
            score.id,
            score.probability * 100.0,
            score.confidence_level
        );
        for factor in score.key_factors.iter().take(3) {
            println!("    {}", factor.text);
        }
    }
    println!("\n{}\nCONVERSION PATTERNS (hindsight learn patterns)\n{}", "=".repeat(80), "=".repeat(80));
    crate::commands::patterns::print_learned(&report.conversion_patterns);
    let scoring = &report.lead_scoring;
    println!(
        "open leads rescored (hindsight score-leads --dry-run): {} with {:?} weights, mean score {}",
        thousands(scoring.scored as u64),
        scoring.source,
        scoring.mean_score.map_or("n/a".to_string(), |mean| format!("{mean:.1}"))
    );
    println!("not built yet, so not run: {}", report.analyses_not_built.join("; "));
    if options.work_dir.exists() && !options.work_dir.starts_with(std::env::temp_dir()) {
        println!("simulated files and truth.json kept in {}", options.work_dir.display());
    }
}
