//! Writing a simulated campaign to a directory.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use hindsight_sim::{SimConfig, SimOutputs, SimPhase, SimSummary, simulate};

use crate::error::{AppError, Result};
use crate::progress::Progress;

/// What a simulation wrote.
#[derive(Debug, Clone)]
pub struct SimulationOutput {
    /// The run's summary (campaign, truth, counts).
    pub summary: SimSummary,
    /// The directory written to.
    pub directory: PathBuf,
    /// The files written, in the order to ingest them.
    pub files: Vec<PathBuf>,
}

/// The record files a simulation writes, in ingest order (campaign first, outcomes last — though
/// the store accepts any order).
pub const RECORD_FILES: [&str; 5] =
    ["campaign.json", "leads.jsonl", "activities.jsonl", "calls.jsonl", "outcomes.jsonl"];

/// Simulates `config` into `directory` (created if missing): the four JSON-lines record files,
/// `campaign.json` and `truth.json`.
pub fn simulate_to_directory(
    config: &SimConfig,
    directory: &Path,
    progress: &dyn Progress,
) -> Result<SimulationOutput> {
    std::fs::create_dir_all(directory).map_err(|source| AppError::Write { path: directory.to_path_buf(), source })?;
    let create = |name: &str| -> Result<BufWriter<File>> {
        let path = directory.join(name);
        let file = File::create(&path).map_err(|source| AppError::Write { path, source })?;
        Ok(BufWriter::with_capacity(1 << 20, file))
    };
    let mut calls = create("calls.jsonl")?;
    let mut leads = create("leads.jsonl")?;
    let mut activities = create("activities.jsonl")?;
    let mut outcomes = create("outcomes.jsonl")?;
    let outputs =
        SimOutputs { calls: &mut calls, leads: &mut leads, activities: &mut activities, outcomes: &mut outcomes };
    let mut current_phase = None;
    let summary = simulate(config, outputs, &mut |phase, done, total| {
        if current_phase != Some(phase) {
            if current_phase.is_some() {
                progress.finish();
            }
            let label = match phase {
                SimPhase::Leads => "simulating leads",
                SimPhase::Calls => "simulating calls",
            };
            progress.start(label, total as u64);
            current_phase = Some(phase);
        }
        progress.set(done as u64);
    })?;
    progress.finish();

    write_json(directory, "campaign.json", &summary.campaign, false)?;
    write_json(directory, "truth.json", &summary.truth, true)?;
    let files = RECORD_FILES.iter().map(|name| directory.join(name)).collect();
    Ok(SimulationOutput { summary, directory: directory.to_path_buf(), files })
}

fn write_json<T: serde::Serialize>(directory: &Path, name: &str, value: &T, pretty: bool) -> Result<()> {
    let path = directory.join(name);
    let write = || -> std::io::Result<()> {
        let mut writer = BufWriter::new(File::create(&path)?);
        if pretty {
            serde_json::to_writer_pretty(&mut writer, value)?;
        } else {
            serde_json::to_writer(&mut writer, value)?;
        }
        writer.write_all(b"\n")?;
        writer.flush()
    };
    write().map_err(|source| AppError::Write { path: path.clone(), source })
}
