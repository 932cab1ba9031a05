//! `hindsight bench …`: performance measured on this machine, not asserted in tests.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use hindsight_app::simulate_to_directory;
use hindsight_sim::SimConfig;
use serde_json::json;

use crate::cli::{BenchArgs, BenchCommand};
use crate::commands::{print_json, thousands};
use crate::config::Settings;
use crate::progress::TerminalProgress;

pub async fn run(args: BenchArgs, settings: &Settings) -> anyhow::Result<ExitCode> {
    match args.command {
        BenchCommand::Ingest { calls, file, json } => bench_ingest(calls, file, json, settings).await,
        BenchCommand::Report { calls, json } => bench_report(calls, json).await,
        BenchCommand::Text { calls, json } => bench_text(calls, json).await,
        BenchCommand::Excellence { calls, sim, export, json } => bench_excellence(calls, sim, export, json).await,
        BenchCommand::Gbm { file, holdout, json } => bench_gbm(&file, holdout, json),
        BenchCommand::Patterns { leads, json } => {
            tokio::task::spawn_blocking(move || bench_patterns(leads, json)).await?
        }
        BenchCommand::Score { calls, family, batch_rows, json } => {
            tokio::task::spawn_blocking(move || bench_score(calls, family, batch_rows, json)).await?
        }
    }
}

async fn bench_ingest(
    calls: usize,
    file: Option<PathBuf>,
    json: bool,
    settings: &Settings,
) -> anyhow::Result<ExitCode> {
    let work = tempfile::Builder::new().prefix("hindsight-bench-").tempdir()?;
    let calls_file = match file {
        Some(file) => file,
        None => {
            // Few leads: the benchmark is about call records; leads only give calls a target.
            let config = SimConfig { calls, leads: (calls / 20).clamp(100, 50_000), ..SimConfig::default() };
            let directory = work.path().join("sim");
            let progress = TerminalProgress::new(!json);
            let output =
                tokio::task::spawn_blocking(move || simulate_to_directory(&config, &directory, &progress)).await??;
            output.directory.join("calls.jsonl")
        }
    };
    let bytes = std::fs::metadata(&calls_file)?.len();
    let (records, turns) = count_calls_and_turns(&calls_file)?;
    let db_path = work.path().join("bench.db");

    // The import runs as its own process, exactly as a user runs it, so its peak memory is its
    // own and not the simulator's.
    let mut command = std::process::Command::new(std::env::current_exe()?);
    command.args(["ingest", "--quiet", "--json", "--db"]).arg(&db_path).args(["--tenant", settings.tenant.as_str()]);
    if let Some(config) = &settings.config_file {
        command.arg("--config").arg(config);
    }
    let output = command.arg(&calls_file).stdin(std::process::Stdio::null()).output()?;
    anyhow::ensure!(output.status.success(), "the ingest process failed: {}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)?;
    let seconds = report["seconds"].as_f64().unwrap_or(f64::NAN);
    let accepted = report["accepted"].as_u64().unwrap_or(0);
    let peak_rss_mb = report["peak_rss_megabytes"].as_f64();
    let calls_per_second = accepted as f64 / seconds;
    let result = json!({
        "benchmark": "ingest",
        "file": calls_file,
        "calls": records,
        "mean_turns_per_call": turns as f64 / records.max(1) as f64,
        "file_megabytes": bytes as f64 / 1e6,
        "database_megabytes": std::fs::metadata(&db_path).map(|m| m.len() as f64 / 1e6).ok(),
        "accepted": accepted,
        "rejected": report["rejected"],
        "seconds": seconds,
        "calls_per_second": calls_per_second,
        "megabytes_per_second": bytes as f64 / 1e6 / seconds,
        "peak_rss_megabytes": peak_rss_mb,
        "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
    });
    if json {
        print_json(&result)?;
    } else {
        println!(
            "ingest: {} calls ({:.1} turns each, {:.0} MB JSONL) → SQLite in {:.2}s = {} calls/s ({:.0} MB/s); peak RSS {}",
            thousands(records),
            turns as f64 / records.max(1) as f64,
            bytes as f64 / 1e6,
            seconds,
            thousands(calls_per_second as u64),
            bytes as f64 / 1e6 / seconds,
            peak_rss_mb.map(|mb| format!("{mb:.0} MB")).unwrap_or_else(|| "unknown (no /proc)".into())
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Times the campaign analysis on `calls` simulated calls in memory: once over all of them as one
/// period, once as the last half against the first half (with alerts and trend). The analysis reads
/// call facts (a call without its transcript), as the report does from the store.
async fn bench_report(calls: usize, json: bool) -> anyhow::Result<ExitCode> {
    use hindsight_learn::campaign::{CampaignAnalysisConfig, analyze_campaign};
    use hindsight_model::{Call, CallFacts};

    let (_work, output) = simulate_for_bench(calls, json).await?;
    let campaign = output.summary.campaign.clone();
    let path = output.directory.join("calls.jsonl");
    let (records, analysis_seconds, comparison_seconds) =
        tokio::task::spawn_blocking(move || -> anyhow::Result<(usize, f64, f64)> {
            let records: Vec<CallFacts> = read_jsonl::<Call>(&path)?.iter().map(CallFacts::from).collect();
            let analysis_config = CampaignAnalysisConfig::default();
            let started = Instant::now();
            let analysis = analyze_campaign(&records, None, &campaign, &analysis_config);
            let analysis_seconds = started.elapsed().as_secs_f64();
            std::hint::black_box(&analysis);
            let (previous, current) = records.split_at(records.len() / 2);
            let started = Instant::now();
            let comparison = analyze_campaign(current, Some(previous), &campaign, &analysis_config);
            let comparison_seconds = started.elapsed().as_secs_f64();
            std::hint::black_box(&comparison);
            Ok((records.len(), analysis_seconds, comparison_seconds))
        })
        .await??;
    let result = json!({
        "benchmark": "report",
        "calls": records,
        "analysis_seconds": analysis_seconds,
        "week_over_week_seconds": comparison_seconds,
        "calls_per_second": records as f64 / analysis_seconds,
        "note": "in-memory records; loading them from the store is not included",
    });
    if json {
        print_json(&result)?;
    } else {
        println!(
            "campaign analysis: {} calls in {:.3}s ({} calls/s); as two periods with alerts and trend: {:.3}s (in memory, store loading not included)",
            thousands(records as u64),
            analysis_seconds,
            thousands((records as f64 / analysis_seconds) as u64),
            comparison_seconds
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Counts calls and turns with a cheap scan, so the report says what was measured.
fn count_calls_and_turns(path: &std::path::Path) -> anyhow::Result<(u64, u64)> {
    use std::io::BufRead;
    let reader = std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(path)?);
    let (mut calls, mut turns) = (0u64, 0u64);
    for line in reader.split(b'\n') {
        let line = line?;
        if line.is_empty() {
            continue;
        }
        calls += 1;
        turns += line.windows(10).filter(|window| window == b"\"speaker\":").count() as u64;
    }
    Ok((calls, turns))
}

/// Linux: the peak resident set size of this process in MiB (`None` elsewhere).
pub fn peak_rss_megabytes() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// Times per-call text analysis on one thread: every turn redacted (as the pipeline does before
/// anything is mined), then the transcript analysed. The budget (issue 4) is per core.
async fn bench_text(calls: usize, json: bool) -> anyhow::Result<ExitCode> {
    use hindsight_model::Call;
    use hindsight_text::conversation::{CallContext, TextParams, TranscriptAnalyzer};
    use hindsight_text::pii::PiiDetector;

    let (_work, output) = simulate_for_bench(calls, json).await?;
    let path = output.directory.join("calls.jsonl");
    let (records, turns, redaction_seconds, analysis_seconds) =
        tokio::task::spawn_blocking(move || -> anyhow::Result<(usize, usize, f64, f64)> {
            let mut records: Vec<Call> = read_jsonl(&path)?;
            let detector = PiiDetector::new();
            let analyzer = TranscriptAnalyzer::new(&TextParams::default());
            let context = CallContext::default();
            let turns: usize = records.iter().map(|call| call.turns.len()).sum();
            let started = Instant::now();
            for call in &mut records {
                for turn in &mut call.turns {
                    turn.text = detector.redact(&turn.text, None).text;
                }
            }
            let redaction_seconds = started.elapsed().as_secs_f64();
            let started = Instant::now();
            for call in &records {
                std::hint::black_box(analyzer.analyze(&call.turns, &context));
            }
            Ok((records.len(), turns, redaction_seconds, started.elapsed().as_secs_f64()))
        })
        .await??;
    let seconds = redaction_seconds + analysis_seconds;
    let result = json!({
        "benchmark": "text",
        "calls": records,
        "turns": turns,
        "redaction_seconds": redaction_seconds,
        "analysis_seconds": analysis_seconds,
        "analysis_calls_per_second_per_core": records as f64 / analysis_seconds,
        "redaction_calls_per_second_per_core": records as f64 / redaction_seconds,
        "calls_per_second_per_core": records as f64 / seconds,
    });
    if json {
        print_json(&result)?;
    } else {
        println!(
            "text: {} calls ({} turns) on one core: analysis {analysis_seconds:.3} s ({} calls/s), PII redaction {redaction_seconds:.3} s ({} calls/s); both {} calls/s",
            thousands(records as u64),
            thousands(turns as u64),
            thousands((records as f64 / analysis_seconds) as u64),
            thousands((records as f64 / redaction_seconds) as u64),
            thousands((records as f64 / seconds) as u64)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Times `analyze_excellence` over `calls` simulated calls (outcome events merged) in memory, or
/// over the simulation in `sim`; with `export`, writes the miner's input and findings there.
async fn bench_excellence(
    calls: usize,
    sim: Option<PathBuf>,
    export: Option<PathBuf>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    use hindsight_learn::excellence::{ExcellenceParams, analyze_excellence, mining_corpus};
    use hindsight_model::{Call, Lead, OutcomeEvent, merge_call_events};

    let (_work, directory) = match sim {
        Some(directory) => (None, directory),
        None => {
            let (work, output) = simulate_for_bench(calls, json).await?;
            (Some(work), output.directory)
        }
    };
    let (records, seconds, phrases_tested) =
        tokio::task::spawn_blocking(move || -> anyhow::Result<(usize, f64, usize)> {
            let mut records: Vec<Call> = read_jsonl(&directory.join("calls.jsonl"))?;
            merge_call_events(&mut records, &read_jsonl::<OutcomeEvent>(&directory.join("outcomes.jsonl"))?);
            let leads: Vec<Lead> = read_jsonl(&directory.join("leads.jsonl"))?;
            let params = ExcellenceParams::default();
            let started = Instant::now();
            let analysis = analyze_excellence(&records, &leads, &params);
            let seconds = started.elapsed().as_secs_f64();
            let phrases_tested = analysis.differentiators.values().map(|stage| stage.phrases_tested).sum();
            if let Some(export) = export {
                use std::io::Write;
                std::fs::create_dir_all(&export).with_context(|| format!("cannot create {}", export.display()))?;
                let mut corpus = std::io::BufWriter::new(std::fs::File::create(export.join("corpus.jsonl"))?);
                for document in mining_corpus(&records, &leads, &params) {
                    serde_json::to_writer(&mut corpus, &document)?;
                    corpus.write_all(b"\n")?;
                }
                corpus.flush()?;
                let found =
                    json!({ "params": params.differentiators, "seconds": seconds, "stages": analysis.differentiators });
                std::fs::write(export.join("differentiators.json"), serde_json::to_string_pretty(&found)?)?;
            }
            Ok((records.len(), seconds, phrases_tested))
        })
        .await??;
    let result = json!({
        "benchmark": "excellence",
        "calls": records,
        "seconds": seconds,
        "calls_per_second": records as f64 / seconds,
        "phrases_tested": phrases_tested,
        "threads": rayon::current_num_threads(),
    });
    if json {
        print_json(&result)?;
    } else {
        println!(
            "excellence: {} calls analysed in {seconds:.2} s on {} threads ({} calls/s); {} phrases tested",
            thousands(records as u64),
            rayon::current_num_threads(),
            thousands((records as f64 / seconds) as u64),
            thousands(phrases_tested as u64)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Simulates `leads` leads with their outreach, then times the four detectors over them, the way
/// `learn patterns` runs them (both cores), and each detector alone.
fn bench_patterns(leads: usize, json: bool) -> anyhow::Result<ExitCode> {
    use hindsight_learn::conversion::{
        ConversionParams, detect_how, detect_what, detect_when, detect_who, journeys, learn_patterns,
    };

    if !json {
        eprintln!("simulating {} leads…", thousands(leads as u64));
    }
    let records = hindsight_sim::simulate_records(&SimConfig { calls: 0, leads, ..SimConfig::default() })?;
    let (leads, activities) = (records.leads, records.activities);
    let params = ConversionParams::default();
    let now = chrono::Utc::now();
    let timed = |work: &dyn Fn()| {
        let started = Instant::now();
        work();
        started.elapsed().as_secs_f64()
    };
    let total = timed(&|| {
        std::hint::black_box(learn_patterns(&leads, &activities, &params, now));
    });
    let grouped = journeys(&leads, &activities);
    let parts = [
        (
            "journeys",
            timed(&|| {
                std::hint::black_box(journeys(&leads, &activities));
            }),
        ),
        (
            "who",
            timed(&|| {
                std::hint::black_box(detect_who(&leads, &params));
            }),
        ),
        (
            "what",
            timed(&|| {
                std::hint::black_box(detect_what(&grouped, &params));
            }),
        ),
        (
            "when",
            timed(&|| {
                std::hint::black_box(detect_when(&grouped, &params));
            }),
        ),
        (
            "how",
            timed(&|| {
                std::hint::black_box(detect_how(&grouped, &params));
            }),
        ),
    ];
    let result = json!({
        "benchmark": "patterns",
        "leads": leads.len(),
        "activities": activities.len(),
        "seconds": total,
        "seconds_alone": parts.iter().map(|(name, seconds)| (name.to_string(), json!(seconds))).collect::<serde_json::Map<_, _>>(),
        "threads": rayon::current_num_threads(),
    });
    if json {
        print_json(&result)?;
    } else {
        println!(
            "patterns: {} leads and {} activities through all four detectors in {total:.2} s on {} threads",
            thousands(leads.len() as u64),
            thousands(activities.len() as u64),
            rayon::current_num_threads()
        );
        for (name, seconds) in parts {
            println!("  {name:<9} {seconds:.2} s alone");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Fits boosted trees (default settings) on the earlier rows of an exported feature CSV and
/// scores the latest ones.
fn bench_gbm(file: &std::path::Path, holdout: f64, json: bool) -> anyhow::Result<ExitCode> {
    use hindsight_ml::FeatureMatrix;
    use hindsight_ml::calibration::choose_calibrator;
    use hindsight_ml::gbm::GbmParams;
    use hindsight_ml::metrics::{log_loss, roc_auc};
    use hindsight_ml::validation::{Split, out_of_fold};

    let mut reader = csv::Reader::from_path(file).with_context(|| format!("cannot read {}", file.display()))?;
    let names: Vec<String> = reader.headers()?.iter().skip(3).map(str::to_string).collect();
    let (mut rows, mut labels) = (Vec::new(), Vec::new());
    for (line, record) in reader.records().enumerate() {
        let record = record?;
        labels.push(&record[2] == "1");
        let row = record
            .iter()
            .skip(3)
            .map(|cell| if cell.is_empty() { Ok(f64::NAN) } else { cell.parse::<f64>() })
            .collect::<Result<Vec<f64>, _>>()
            .with_context(|| format!("{}:{}: a feature is not a number", file.display(), line + 2))?;
        rows.push(row);
    }
    anyhow::ensure!(holdout > 0.0 && holdout < 1.0, "--holdout must be in (0, 1)");
    let cut = rows.len() - ((rows.len() as f64) * holdout).round() as usize;
    let train = FeatureMatrix::from_rows(names.clone(), &rows[..cut])?;
    let test = FeatureMatrix::from_rows(names, &rows[cut..])?;
    let params = GbmParams::default().check()?;
    let started = Instant::now();
    let model = params.fit(&train, &labels[..cut])?;
    let fit_seconds = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let probabilities = model.predict_probability(&test)?;
    let predict_seconds = started.elapsed().as_secs_f64();
    let auc = roc_auc(&labels[cut..], &probabilities)?;
    let loss = log_loss(&labels[cut..], &probabilities)?;
    // Calibrated as `hindsight train` calibrates on a time split: a calibrator chosen on
    // out-of-fold predictions within the training rows, applied to the held-out rows (untimed).
    let inner =
        out_of_fold(&train, &labels[..cut], Split::StratifiedKFold { folds: 5, seed: 11 }, |fold, labels, rest| {
            params.fit(fold, labels)?.predict_probability(rest)
        })?;
    let calibration = choose_calibrator(&inner, &labels[..cut])?;
    let calibrated: Vec<f64> = probabilities.iter().map(|&p| calibration.calibrator.apply(p)).collect();
    let calibrated_loss = log_loss(&labels[cut..], &calibrated)?;
    let result = json!({
        "benchmark": "gbm",
        "train_rows": cut,
        "test_rows": rows.len() - cut,
        "features": train.width(),
        "params": GbmParams::default(),
        "fit_seconds": fit_seconds,
        "predict_rows_per_second": (rows.len() - cut) as f64 / predict_seconds,
        "auc": auc,
        "log_loss": loss,
        "calibration": calibration.calibrator.name(),
        "calibrated_log_loss": calibrated_loss,
        "threads": rayon::current_num_threads(),
    });
    if json {
        print_json(&result)?;
    } else {
        println!(
            "gbm: {} rows x {} features fitted in {fit_seconds:.2} s; {} held-out rows: AUC {auc:.4}, log-loss {loss:.4} ({calibrated_loss:.4} after {} calibration)",
            thousands(cut as u64),
            train.width(),
            thousands((rows.len() - cut) as u64),
            calibration.calibrator.name()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Trains a show-up model on simulated calls, then times scoring: one feature row at a time with
/// its explanation (what a live API call costs), batches of rows with and without explanations,
/// and raw calls whose transcripts must be analysed first.
fn bench_score(
    calls: usize,
    family: crate::cli::TrainFamily,
    batch_rows: usize,
    json: bool,
) -> anyhow::Result<ExitCode> {
    use hindsight_learn::outcomes::{
        FamilyChoice, FeatureParams, OutcomeTarget, SplitChoice, TrainParams, call_feature_table, train_and_evaluate,
    };

    // One family is timed: `auto` would train them all and keep any one of them.
    let family = match crate::commands::train::family_choice(family) {
        FamilyChoice::Auto => FamilyChoice::Gbm,
        chosen => chosen,
    };
    let records =
        hindsight_sim::simulate_records(&SimConfig { calls, leads: (calls / 4).max(100), ..SimConfig::default() })?;
    let table = call_feature_table(&records.calls, &records.leads, OutcomeTarget::ShowedUp, &FeatureParams::default());
    let params = TrainParams { family, split: SplitChoice::Time, ..TrainParams::default() };
    let (_, model) = train_and_evaluate(&table, &params)?;
    let rows = table.labels.len();

    // One row at a time, each its own matrix, as a request would arrive.
    let single_rows: Vec<hindsight_ml::FeatureMatrix> =
        (0..rows.min(2_000)).map(|row| table.matrix.select(&[row])).collect();
    // The rows through the model's explanation alone (Shapley values, no factors), to show where the time goes.
    let started = Instant::now();
    for round in 0..20_000 {
        std::hint::black_box(model.model.explain(&single_rows[round % single_rows.len()])?);
    }
    let explain_only_us = started.elapsed().as_secs_f64() * 1e6 / 20_000.0;

    let mut latencies = Vec::with_capacity(20_000);
    for round in 0..20_000 {
        let row = &single_rows[round % single_rows.len()];
        let started = Instant::now();
        let score = model.score_matrix(row, vec![String::new()])?;
        latencies.push(started.elapsed().as_secs_f64() * 1e6);
        std::hint::black_box(score);
    }
    latencies.sort_by(f64::total_cmp);
    let quantile = |share: f64| latencies[((latencies.len() - 1) as f64 * share).round() as usize];
    let mean = latencies.iter().sum::<f64>() / latencies.len() as f64;
    let batch_positions: Vec<usize> = (0..batch_rows).map(|index| index % rows).collect();
    let batch = table.matrix.select(&batch_positions);
    let started = Instant::now();
    let probabilities: Vec<f64> = model
        .model
        .predict_probability(&batch)?
        .into_iter()
        .map(|probability| model.calibrator.apply(probability))
        .collect();
    let predict_seconds = started.elapsed().as_secs_f64();
    std::hint::black_box(probabilities);
    let explained_rows = batch_rows.min(100_000);
    let explained = table.matrix.select(&batch_positions[..explained_rows]);
    let started = Instant::now();
    let scores = model.score_matrix(&explained, vec![String::new(); explained_rows])?;
    let explain_seconds = started.elapsed().as_secs_f64();
    std::hint::black_box(scores);

    let lead_by_id: std::collections::HashMap<&str, &hindsight_model::Lead> =
        records.leads.iter().map(|lead| (lead.id.as_str(), lead)).collect();
    let raw: Vec<_> = records
        .calls
        .iter()
        .filter(|call| call.outcome.booked == Some(true))
        .take(5_000)
        .map(|call| (call, call.lead_id.as_deref().and_then(|id| lead_by_id.get(id).copied())))
        .collect();
    let started = Instant::now();
    let raw_scores = model.score(&raw)?;
    let raw_seconds = started.elapsed().as_secs_f64();
    std::hint::black_box(raw_scores);

    let result = json!({
        "benchmark": "score",
        "family": model.card.family,
        "training_rows": rows,
        "features": table.matrix.width(),
        "single_row_with_explanation_us": {"mean": mean, "p50": quantile(0.5), "p99": quantile(0.99), "rounds": latencies.len()},
        "single_row_shapley_only_us": explain_only_us,
        "batch_rows": batch_rows,
        "batch_predict_rows_per_second": batch_rows as f64 / predict_seconds,
        "batch_explained_rows": explained_rows,
        "batch_explained_rows_per_second": explained_rows as f64 / explain_seconds,
        "raw_calls": raw.len(),
        "raw_calls_per_second": raw.len() as f64 / raw_seconds,
        "threads": rayon::current_num_threads(),
    });
    if json {
        print_json(&result)?;
    } else {
        println!(
            "score ({}, {} features, trained on {} rows): one row with explanation p50 {:.1} µs, p99 {:.1} µs, mean {mean:.1} µs over {} rounds (Shapley values alone {explain_only_us:.1} µs)",
            model.card.family,
            table.matrix.width(),
            thousands(rows as u64),
            quantile(0.5),
            quantile(0.99),
            thousands(latencies.len() as u64)
        );
        println!(
            "batch: {} rows/s predicted and calibrated ({} rows); {} rows/s with explanations and factors ({} rows); raw calls with transcript analysis: {} calls/s ({} calls)",
            thousands((batch_rows as f64 / predict_seconds) as u64),
            thousands(batch_rows as u64),
            thousands((explained_rows as f64 / explain_seconds) as u64),
            thousands(explained_rows as u64),
            thousands((raw.len() as f64 / raw_seconds) as u64),
            thousands(raw.len() as u64)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Every record of a JSONL file the simulator wrote.
fn read_jsonl<T: serde::de::DeserializeOwned>(path: &std::path::Path) -> anyhow::Result<Vec<T>> {
    use std::io::BufRead;
    let reader = std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(path)?);
    reader.lines().map(|line| Ok(serde_json::from_str(&line?)?)).collect()
}

/// Simulates `calls` calls into a temporary directory (deleted when the returned guard drops).
async fn simulate_for_bench(
    calls: usize,
    json: bool,
) -> anyhow::Result<(tempfile::TempDir, hindsight_app::SimulationOutput)> {
    let work = tempfile::Builder::new().prefix("hindsight-bench-").tempdir()?;
    let config = SimConfig { calls, leads: (calls / 20).clamp(100, 50_000), ..SimConfig::default() };
    let directory = work.path().join("sim");
    let progress = TerminalProgress::new(!json);
    let output = tokio::task::spawn_blocking(move || simulate_to_directory(&config, &directory, &progress)).await??;
    Ok((work, output))
}
