//! `hindsight train` and `hindsight export`.

use std::process::ExitCode;

use anyhow::Context;
use hindsight_app::{Trained, feature_table, open_store, train_model};
use hindsight_learn::outcomes::{FamilyChoice, FeatureParams, OutcomeTarget, SplitChoice, TrainParams};

use crate::cli::{ExportArgs, ExportFormat, TrainArgs, TrainFamily, TrainSplit, TrainTarget};
use crate::commands::{print_json, table, thousands};
use crate::config::Settings;

fn outcome_target(target: TrainTarget) -> anyhow::Result<OutcomeTarget> {
    Ok(match target {
        TrainTarget::ShowedUp => OutcomeTarget::ShowedUp,
        TrainTarget::Booked => OutcomeTarget::Booked,
        TrainTarget::Converted => OutcomeTarget::Converted,
        TrainTarget::Progressed => OutcomeTarget::Progressed,
        TrainTarget::VoiceAiFit => OutcomeTarget::VoiceAiFit,
    })
}

/// The learner's family choice for a `--family` flag.
pub fn family_choice(family: TrainFamily) -> FamilyChoice {
    match family {
        TrainFamily::Auto => FamilyChoice::Auto,
        TrainFamily::Gbm => FamilyChoice::Gbm,
        TrainFamily::Logistic => FamilyChoice::Logistic,
        TrainFamily::Forest => FamilyChoice::Forest,
    }
}

fn feature_params(settings: &Settings) -> FeatureParams {
    FeatureParams { text: settings.excellence.text.clone(), ..FeatureParams::default() }
}

pub async fn run(args: TrainArgs, settings: &Settings) -> anyhow::Result<ExitCode> {
    let target = outcome_target(args.target)?;
    let family = family_choice(args.family);
    let split = match args.split {
        TrainSplit::Time => SplitChoice::Time,
        TrainSplit::Kfold => SplitChoice::Kfold,
    };
    let params = TrainParams { family, split, ..TrainParams::default() };
    let store = open_store(&settings.db).await?;
    let name = args.name.clone().unwrap_or_else(|| target.as_str().to_string());
    let trained = train_model(
        store.as_ref(),
        &settings.tenant,
        args.campaign.as_deref(),
        target,
        &feature_params(settings),
        &params,
        (!args.dry_run).then_some(name.as_str()),
        chrono::Utc::now(),
    )
    .await?;
    if args.json {
        print_json(&trained)?;
    } else {
        print_report(&trained, args.top);
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints a training report for people: the families compared, the chosen one's top features,
/// the notes, and the version registered.
pub fn print_report(trained: &Trained, top: usize) {
    let report = &trained.report;
    let record_kind = if report.target.is_lead_level() { "leads" } else { "calls" };
    println!(
        "{}: {} {record_kind} ({} positive), {} features, {} split{}",
        report.target.as_str(),
        thousands(report.rows as u64),
        thousands(report.positives as u64),
        report.features,
        match report.split {
            SplitChoice::Time => "time (latest 20% held out)",
            SplitChoice::Kfold => "5-fold (every row out of fold)",
        },
        if report.small_data { "; small data: strongly penalized logistic" } else { "" }
    );
    let rows = report
        .evaluations
        .iter()
        .map(|evaluation| {
            vec![
                format!("{}{}", evaluation.family, if evaluation.family == report.chosen { " (chosen)" } else { "" }),
                format!("{} ({} +)", thousands(evaluation.raw.rows as u64), thousands(evaluation.raw.positives as u64)),
                format!("{:.3}", evaluation.raw.auc),
                format!("{:.4} → {:.4}", evaluation.raw.log_loss, evaluation.calibrated.log_loss),
                format!("{:.4} → {:.4}", evaluation.raw.brier, evaluation.calibrated.brier),
                format!("{:.3} → {:.3}", evaluation.raw.reliability.ece, evaluation.calibrated.reliability.ece),
                evaluation.calibration.calibrator.name().to_string(),
            ]
        })
        .collect();
    println!(
        "{}",
        table(
            &["family", "held-out rows", "AUC", "log-loss raw → calibrated", "Brier", "ECE (10 bins)", "calibration"],
            rows
        )
    );
    if let Some(chosen) = report.evaluations.iter().find(|evaluation| evaluation.family == report.chosen) {
        println!("\nwhat moves {}'s predictions (mean |contribution| to the log-odds of held-out rows)", chosen.family);
        let rows = chosen
            .importance
            .iter()
            .take(top)
            .map(|(name, importance)| vec![name.clone(), format!("{importance:.4}")])
            .collect();
        println!("{}", table(&["feature", "mean |contribution|"], rows));
    }
    for note in &report.notes {
        println!("note: {note}");
    }
    match &trained.registered {
        Some(registered) => println!(
            "registered as {}@{} ({}); score with: hindsight score --model {}@{} < {}.jsonl",
            registered.name, registered.version, registered.alias, registered.name, registered.version, record_kind
        ),
        None => println!("dry run: the model was not registered"),
    }
}

pub async fn export(args: ExportArgs, settings: &Settings) -> anyhow::Result<ExitCode> {
    let target = outcome_target(args.target)?;
    let store = open_store(&settings.db).await?;
    let table =
        feature_table(store.as_ref(), &settings.tenant, args.campaign.as_deref(), target, &feature_params(settings))
            .await?;
    let sink: Box<dyn std::io::Write> = match &args.out {
        Some(path) => {
            Box::new(std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?)
        }
        None => Box::new(std::io::stdout().lock()),
    };
    match args.format {
        ExportFormat::Csv => {
            let mut writer = csv::Writer::from_writer(sink);
            let (id, at) =
                if table.target.is_lead_level() { ("lead_id", "created_at") } else { ("call_id", "started_at") };
            let mut header = vec![id.to_string(), at.to_string(), table.target.as_str().to_string()];
            header.extend(table.matrix.names().iter().cloned());
            writer.write_record(&header)?;
            for (row, row_id) in table.row_ids.iter().enumerate() {
                let mut record =
                    vec![row_id.clone(), table.started_at[row].to_rfc3339(), u8::from(table.labels[row]).to_string()];
                record.extend(
                    table
                        .matrix
                        .row(row)
                        .iter()
                        .map(|value| if value.is_nan() { String::new() } else { value.to_string() }),
                );
                writer.write_record(&record)?;
            }
            writer.flush()?;
        }
    }
    for note in &table.notes {
        eprintln!("note: {note}");
    }
    Ok(ExitCode::SUCCESS)
}
