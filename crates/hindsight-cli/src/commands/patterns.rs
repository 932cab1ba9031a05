//! `hindsight learn patterns`, `hindsight patterns context` and `hindsight score-leads`.

use std::process::ExitCode;

use hindsight_app::{LearnedPatterns, learn_and_store_patterns, open_store, score_open_leads, stored_patterns};
use hindsight_learn::conversion::{WeightSource, pattern_context};

use crate::cli::{LearnCommand, LearnPatternsArgs, PatternsCommand, PatternsContextArgs, ScoreLeadsArgs};
use crate::commands::{print_json, table, thousands};
use crate::config::Settings;

pub async fn learn(command: LearnCommand, settings: &Settings) -> anyhow::Result<ExitCode> {
    match command {
        LearnCommand::Patterns(args) => learn_patterns(args, settings).await,
    }
}

pub async fn run(command: PatternsCommand, settings: &Settings) -> anyhow::Result<ExitCode> {
    match command {
        PatternsCommand::Context(args) => context(args, settings).await,
    }
}

async fn learn_patterns(args: LearnPatternsArgs, settings: &Settings) -> anyhow::Result<ExitCode> {
    let store = open_store(&settings.db).await?;
    let learned =
        learn_and_store_patterns(store.as_ref(), &settings.tenant, &settings.conversion, chrono::Utc::now()).await?;
    if args.json {
        print_json(&learned)?;
    } else {
        print_learned(&learned);
    }
    Ok(ExitCode::SUCCESS)
}

/// One line per pattern and the health warnings.
pub fn print_learned(learned: &LearnedPatterns) {
    println!(
        "Learned conversion patterns from {} leads and {} activities{}.",
        thousands(learned.leads as u64),
        thousands(learned.activities as u64),
        learned.previous_run.map_or(String::new(), |at| format!(" (previous run {})", at.format("%Y-%m-%d %H:%M UTC")))
    );
    let patterns = &learned.patterns;
    let row = |kind: &str, sample: usize, unit: &str, confidence: f64, missing: Option<&String>, headline: String| {
        vec![
            kind.to_string(),
            format!("{} {unit}", thousands(sample as u64)),
            format!("{confidence:.2}"),
            missing.map_or(headline, |reason| format!("not enough data: {reason}")),
        ]
    };
    let mut rows = Vec::new();
    if let Some(who) = &patterns.who {
        let body = &who.body;
        let headline = format!(
            "best title {}; weights {} (timing {:.2}, company fit {:.2})",
            body.title_rankings.first().map_or("—", |r| r.name.as_str()),
            body.weight_fit.source,
            body.recommended_weights.timing,
            body.recommended_weights.company_fit
        );
        rows.push(row("WHO", body.sample_size, "leads", body.confidence, body.insufficient_data.as_ref(), headline));
    }
    if let Some(what) = &patterns.what {
        let body = &what.body;
        let headline = format!(
            "best pain point {}; best CTA {}",
            body.pain_points.effective.first().map_or("—", |r| r.pain_point.as_str()),
            body.ctas.effective.first().map_or("—", |r| r.name.as_str())
        );
        rows.push(row(
            "WHAT",
            body.sample_size,
            "bookings",
            body.confidence,
            body.insufficient_data.as_ref(),
            headline,
        ));
    }
    if let Some(when) = &patterns.when {
        let body = &when.body;
        let headline = format!(
            "best day {}; best hour {}",
            body.best_days.first().map_or("—", |r| r.day.as_str()),
            body.best_hours.first().map_or("—".to_string(), |r| format!("{:02}:00 UTC", r.hour))
        );
        rows.push(row(
            "WHEN",
            body.sample_size,
            "bookings",
            body.confidence,
            body.insufficient_data.as_ref(),
            headline,
        ));
    }
    if let Some(how) = &patterns.how {
        let body = &how.body;
        let headline = format!(
            "best sequence {}",
            body.winning_sequences.first().map_or("—".to_string(), |r| r.sequence.join(" → "))
        );
        rows.push(row("HOW", body.sample_size, "bookings", body.confidence, body.insufficient_data.as_ref(), headline));
    }
    println!("{}", table(&["pattern", "sample", "confidence", "headline"], rows));
    if learned.warnings.is_empty() {
        println!("No health warnings.");
    } else {
        println!("Health warnings:");
        for warning in &learned.warnings {
            println!("  {} {}: {}", warning.pattern_type.as_str().to_uppercase(), warning.check, warning.message);
        }
    }
    println!("Full report: hindsight report patterns [--format text|md|json|html]");
}

async fn context(args: PatternsContextArgs, settings: &Settings) -> anyhow::Result<ExitCode> {
    let store = open_store(&settings.db).await?;
    let (patterns, problems) = stored_patterns(store.as_ref(), &settings.tenant).await?;
    for problem in &problems {
        eprintln!("warning: {problem}");
    }
    let context = pattern_context(&patterns);
    if args.json {
        print_json(&context)?;
    } else {
        println!("# Campaign generation\n{}\n", context.campaign);
        println!("# Sequence builder\n{}\n", context.sequence_builder);
        println!("# Messaging generator\n{}", context.messaging_generator);
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn score_leads(args: ScoreLeadsArgs, settings: &Settings) -> anyhow::Result<ExitCode> {
    let store = open_store(&settings.db).await?;
    let scoring = score_open_leads(store.as_ref(), &settings.tenant, chrono::Utc::now(), args.dry_run).await?;
    if args.json {
        print_json(&scoring)?;
        return Ok(ExitCode::SUCCESS);
    }
    let weights = scoring.weights;
    println!(
        "Scored {} open leads with {} weights (data quality {:.3}, authority {:.3}, company fit {:.3}, timing {:.3}){}.",
        thousands(scoring.scored as u64),
        match scoring.source {
            WeightSource::Learned => "learned",
            WeightSource::Default => "the default",
        },
        weights.data_quality,
        weights.authority,
        weights.company_fit,
        weights.timing,
        scoring.mean_score.map_or(String::new(), |mean| format!("; mean score {mean:.1}"))
    );
    if args.dry_run {
        println!("Dry run: nothing stored.");
    } else {
        println!("{} leads' stored scores changed.", thousands(scoring.changed));
    }
    Ok(ExitCode::SUCCESS)
}
