//! `hindsight simulate`.

use std::process::ExitCode;

use hindsight_app::simulate_to_directory;
use serde_json::json;

use crate::cli::SimulateArgs;
use crate::commands::{print_json, sim_config, thousands};
use crate::config::Settings;
use crate::progress::TerminalProgress;

pub async fn run(args: SimulateArgs, settings: &Settings) -> anyhow::Result<ExitCode> {
    let config = sim_config(&args.size, settings);
    let progress = TerminalProgress::new(!args.json);
    let out = args.out.clone();
    let output = tokio::task::spawn_blocking(move || simulate_to_directory(&config, &out, &progress)).await??;
    let counts = output.summary.counts;
    if args.json {
        print_json(&json!({
            "directory": output.directory,
            "seed": output.summary.truth.config.seed,
            "counts": counts,
            "files": output.files,
            "truth": output.directory.join("truth.json"),
        }))?;
    } else {
        println!(
            "wrote {} calls, {} leads, {} activities, {} outcome events (seed {}) to {}",
            thousands(counts.calls),
            thousands(counts.leads),
            thousands(counts.activities),
            thousands(counts.outcomes),
            output.summary.truth.config.seed,
            output.directory.display()
        );
        println!("planted effects: {}", output.directory.join("truth.json").display());
        let files: Vec<String> = output.files.iter().map(|file| file.display().to_string()).collect();
        println!("next: hindsight ingest {}", files.join(" "));
    }
    Ok(ExitCode::SUCCESS)
}
