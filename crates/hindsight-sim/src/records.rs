//! A simulation held in memory as records, for tests and benchmarks of the learners that read
//! records rather than files.

use hindsight_model::{Activity, Call, Lead, OutcomeEvent, merge_call_events};
use serde::de::DeserializeOwned;

use crate::{SimConfig, SimError, SimOutputs, SimSummary, simulate};

/// A simulation's records, outcome events already merged into their calls (in `(at, id)` order,
/// as the store merges them).
#[derive(Debug, Clone)]
pub struct SimulatedRecords {
    /// Calls, in the order written.
    pub calls: Vec<Call>,
    /// Leads.
    pub leads: Vec<Lead>,
    /// Outreach activities.
    pub activities: Vec<Activity>,
    /// The outcome events (also merged into `calls`).
    pub events: Vec<OutcomeEvent>,
    /// Campaign, truth and counts.
    pub summary: SimSummary,
}

fn decode<T: DeserializeOwned>(lines: &[u8]) -> Result<Vec<T>, SimError> {
    lines
        .split(|byte| *byte == b'\n')
        .filter(|line| !line.is_empty())
        .map(|line| serde_json::from_slice(line).map_err(SimError::from))
        .collect()
}

/// Runs the simulation into memory and decodes every record it wrote.
pub fn simulate_records(config: &SimConfig) -> Result<SimulatedRecords, SimError> {
    let (mut calls, mut leads, mut activities, mut outcomes) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let outputs =
        SimOutputs { calls: &mut calls, leads: &mut leads, activities: &mut activities, outcomes: &mut outcomes };
    let summary = simulate(config, outputs, &mut |_, _, _| {})?;
    let mut calls: Vec<Call> = decode(&calls)?;
    let events: Vec<OutcomeEvent> = decode(&outcomes)?;
    merge_call_events(&mut calls, &events);
    Ok(SimulatedRecords { calls, leads: decode(&leads)?, activities: decode(&activities)?, events, summary })
}
