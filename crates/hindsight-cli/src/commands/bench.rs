//! `hindsight bench …`: performance measured on this machine, not asserted in tests.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use hindsight_app::{NoProgress, ingest_files, open_store, simulate_to_directory};
use hindsight_ingest::ImportOptions;
use hindsight_sim::SimConfig;
use serde_json::json;

use crate::cli::{BenchArgs, BenchCommand};
use crate::commands::{print_json, thousands};
use crate::config::Settings;
use crate::progress::TerminalProgress;

pub async fn run(args: BenchArgs, settings: &Settings) -> anyhow::Result<ExitCode> {
    match args.command {
        BenchCommand::Ingest { calls, file, json } => bench_ingest(calls, file, json, settings).await,
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
    let store = open_store(&db_path.display().to_string()).await?;
    let options = ImportOptions {
        tenant: settings.tenant.clone(),
        batch_records: settings.ingest.batch_records,
        ..ImportOptions::default()
    };

    // The simulation above held memory too; reset the high-water mark so the figure is ingest's.
    reset_peak_rss();
    let started = Instant::now();
    let progress: Arc<dyn hindsight_app::Progress> =
        if json { Arc::new(NoProgress) } else { Arc::new(TerminalProgress::new(true)) };
    let summary = ingest_files(store, std::slice::from_ref(&calls_file), &options, progress).await?;
    let seconds = started.elapsed().as_secs_f64();
    let peak_rss_mb = peak_rss_kib().map(|kib| kib as f64 / 1024.0);
    let calls_per_second = summary.accepted() as f64 / seconds;
    let result = json!({
        "benchmark": "ingest",
        "file": calls_file,
        "calls": records,
        "mean_turns_per_call": turns as f64 / records.max(1) as f64,
        "file_megabytes": bytes as f64 / 1e6,
        "accepted": summary.accepted(),
        "rejected": summary.rejected(),
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

/// Linux: writing 5 to clear_refs resets VmHWM (the peak resident set) of this process.
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Linux: the peak resident set size in KiB.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
