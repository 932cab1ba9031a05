//! `hindsight score` and `hindsight models list|show|promote|rollback`.

use std::io::{BufReader, BufWriter};
use std::process::ExitCode;

use anyhow::Context;
use hindsight_app::{
    ListedVersion, ModelRef, Selector, list_models, open_store, promote_model, rollback_model, score_lines, show_model,
};

use hindsight_learn::outcomes::QualificationParams;

use crate::EXIT_REJECTED;
use crate::cli::{ModelsCommand, ScoreArgs};
use crate::commands::{print_json, table, thousands};
use crate::config::Settings;

fn model_ref(text: &str) -> anyhow::Result<ModelRef> {
    text.parse::<ModelRef>().map_err(|reason| anyhow::anyhow!("--model {reason}"))
}

pub async fn score(args: ScoreArgs, settings: &Settings) -> anyhow::Result<ExitCode> {
    let reference = model_ref(&args.model)?;
    let (input, source): (Box<dyn std::io::BufRead + Send>, String) = match &args.input {
        Some(path) if path.as_os_str() != "-" => {
            let file = std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
            (Box::new(BufReader::new(file)), path.display().to_string())
        }
        _ => (Box::new(BufReader::new(std::io::stdin())), "stdin".to_string()),
    };
    let output: Box<dyn std::io::Write + Send> = match &args.out {
        Some(path) => Box::new(BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?,
        )),
        None => Box::new(BufWriter::new(std::io::stdout())),
    };
    let store = open_store(&settings.db).await?;
    // Flags over the config file's `[qualification]` over the built-in 70 / 40.
    let qualification = QualificationParams {
        ae_handoff: args.handoff_at.unwrap_or(settings.qualification.ae_handoff),
        nurture: args.nurture_at.unwrap_or(settings.qualification.nurture),
        ..settings.qualification
    };
    qualification.check().map_err(|reason| {
        anyhow::anyhow!("--nurture-at / --handoff-at or [qualification] in the config file: {reason}")
    })?;
    let fit_model = args.fit_model.as_deref().map(model_ref).transpose()?;
    let summary =
        score_lines(store.as_ref(), &settings.tenant, &reference, qualification, fit_model.as_ref(), input, output)
            .await?;
    for problem in &summary.problems {
        eprintln!("{source}:{}: {}", problem.line, problem.reason);
    }
    tracing::info!(model = %reference, scored = summary.scored, rejected = summary.problems.len(), "scored");
    Ok(if summary.problems.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(EXIT_REJECTED) })
}

fn metric(card: &serde_json::Value, name: &str) -> String {
    card["held_out"][name].as_f64().map_or_else(|| "-".into(), |value| format!("{value:.3}"))
}

fn version_row(version: &ListedVersion) -> Vec<String> {
    let card = &version.card;
    vec![
        format!("{}@{}", version.name, version.version),
        version.aliases.join(", "),
        version.created_at.format("%Y-%m-%d %H:%M").to_string(),
        card["family"].as_str().unwrap_or("-").to_string(),
        format!(
            "{} ({} +)",
            thousands(card["rows"].as_u64().unwrap_or(0)),
            thousands(card["positives"].as_u64().unwrap_or(0))
        ),
        format!("{} ({} held out)", metric(card, "auc"), thousands(card["held_out"]["rows"].as_u64().unwrap_or(0))),
        metric(card, "log_loss"),
        card["held_out"]["reliability"]["ece"].as_f64().map_or_else(|| "-".into(), |ece| format!("{ece:.3}")),
        card["data_hash"].as_str().map_or_else(|| "-".into(), |hash| hash.chars().take(12).collect()),
    ]
}

const VERSION_HEADER: [&str; 9] =
    ["model", "aliases", "trained", "family", "rows", "held-out AUC", "log-loss", "ECE", "data hash"];

pub async fn run(command: ModelsCommand, settings: &Settings) -> anyhow::Result<ExitCode> {
    let store = open_store(&settings.db).await?;
    let (store, tenant) = (store.as_ref(), &settings.tenant);
    match command {
        ModelsCommand::List { name, json } => {
            let versions = list_models(store, tenant, name.as_deref()).await?;
            if json {
                print_json(&versions)?;
            } else if versions.is_empty() {
                println!("no models registered in tenant {tenant} (`hindsight train --target …` registers one)");
            } else {
                println!("{}", table(&VERSION_HEADER, versions.iter().map(version_row).collect()));
            }
        }
        ModelsCommand::Show { model, json } => {
            let shown = show_model(store, tenant, &model_ref(&model)?).await?;
            if json {
                print_json(&shown)?;
            } else {
                println!("{}", table(&VERSION_HEADER, vec![version_row(&shown.version)]));
                let card = &shown.version.card;
                println!(
                    "target {} · calibration {} · split {} · trained on calls from {} to {}{}",
                    card["target"].as_str().unwrap_or("-"),
                    card["calibration"].as_str().unwrap_or("-"),
                    card["split"].as_str().unwrap_or("-"),
                    card["training_window"]["from"].as_str().unwrap_or("-"),
                    card["training_window"]["to"].as_str().unwrap_or("-"),
                    if card["small_data"].as_bool() == Some(true) { " · small-data fallback" } else { "" }
                );
                println!("data hash {}", card["data_hash"].as_str().unwrap_or("-"));
                let importance: Vec<Vec<String>> = card["importance"]
                    .as_array()
                    .map(|rows| {
                        rows.iter()
                            .map(|row| {
                                vec![
                                    row[0].as_str().unwrap_or("-").to_string(),
                                    format!("{:.4}", row[1].as_f64().unwrap_or(0.0)),
                                ]
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                println!("{}", table(&["feature", "mean |contribution|"], importance));
                let history = shown
                    .alias_history
                    .iter()
                    .map(|change| {
                        vec![
                            change.alias.clone(),
                            change.previous_version.map_or_else(|| "-".into(), |version| version.to_string()),
                            change.version.to_string(),
                            change.at.format("%Y-%m-%d %H:%M:%S").to_string(),
                            change.reason.clone(),
                        ]
                    })
                    .collect();
                println!("alias history of {}", shown.version.name);
                println!("{}", table(&["alias", "from", "to", "at", "reason"], history));
            }
        }
        ModelsCommand::Promote { model, alias, json } => {
            let reference = model_ref(&model)?;
            let Selector::Version(version) = reference.selector else {
                anyhow::bail!("promote needs an explicit version: NAME@VERSION (`hindsight models list` shows them)");
            };
            let change = promote_model(store, tenant, &reference.name, version, &alias, chrono::Utc::now()).await?;
            if json {
                print_json(&change)?;
            } else {
                let from =
                    change.previous_version.map_or_else(|| "nothing".into(), |version| format!("version {version}"));
                println!("{}@{alias} now points at version {version} (was {from})", reference.name);
            }
        }
        ModelsCommand::Rollback { name, alias, json } => {
            let change = rollback_model(store, tenant, &name, &alias, chrono::Utc::now()).await?;
            if json {
                print_json(&change)?;
            } else {
                println!("{name}@{alias} rolled back to version {} ({})", change.version, change.reason);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
