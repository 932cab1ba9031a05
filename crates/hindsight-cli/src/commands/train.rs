//! `hindsight train`.

use std::process::ExitCode;

use hindsight_app::{open_store, train_model};
use hindsight_learn::outcomes::{FamilyChoice, FeatureParams, OutcomeTarget, SplitChoice, TrainParams, TrainReport};

use crate::cli::{TrainArgs, TrainFamily, TrainSplit, TrainTarget};
use crate::commands::{print_json, table, thousands};
use crate::config::Settings;

pub async fn run(args: TrainArgs, settings: &Settings) -> anyhow::Result<ExitCode> {
    let target = match args.target {
        TrainTarget::ShowedUp => OutcomeTarget::ShowedUp,
        TrainTarget::Booked => OutcomeTarget::Booked,
        TrainTarget::Converted => OutcomeTarget::Converted,
        TrainTarget::Progressed => {
            anyhow::bail!(
                "--target progressed is a lead-level model, which is not built yet (call targets: showed_up, booked, converted)"
            )
        }
    };
    let family = match args.family {
        TrainFamily::Auto => FamilyChoice::Auto,
        TrainFamily::Gbm => FamilyChoice::Gbm,
        TrainFamily::Logistic => FamilyChoice::Logistic,
        TrainFamily::Forest => {
            anyhow::bail!("--family forest (bagged trees) is not built yet; use auto, gbm or logistic")
        }
    };
    let split = match args.split {
        TrainSplit::Time => SplitChoice::Time,
        TrainSplit::Kfold => SplitChoice::Kfold,
    };
    let params = TrainParams { family, split, ..TrainParams::default() };
    let store = open_store(&settings.db).await?;
    let report = train_model(
        store.as_ref(),
        &settings.tenant,
        args.campaign.as_deref(),
        target,
        &FeatureParams { text: settings.excellence.text.clone(), ..FeatureParams::default() },
        &params,
    )
    .await?;
    if args.json {
        print_json(&report)?;
    } else {
        print_report(&report, args.top);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_report(report: &TrainReport, top: usize) {
    println!(
        "{}: {} calls ({} positive), {} features, {} split{}",
        report.target,
        thousands(report.rows as u64),
        thousands(report.positives as u64),
        report.features,
        match report.split {
            SplitChoice::Time => "time (latest 20% held out)",
            SplitChoice::Kfold => "5-fold (every call out of fold)",
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
            &["family", "held-out calls", "AUC", "log-loss raw → calibrated", "Brier", "ECE (10 bins)", "calibration"],
            rows
        )
    );
    if let Some(chosen) = report.evaluations.iter().find(|evaluation| evaluation.family == report.chosen) {
        println!(
            "\nwhat moves {}'s predictions (mean |contribution| to the log-odds of held-out calls)",
            chosen.family
        );
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
    println!("the model is not saved: the model registry is not built yet");
}
