//! The demo: simulate a campaign, ingest it into the store, run every analysis that exists.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Utc};
use hindsight_ingest::ImportOptions;
use hindsight_learn::campaign::CampaignAnalysisConfig;
use hindsight_learn::conversion::ConversionParams;
use hindsight_learn::excellence::ExcellenceParams;
use hindsight_learn::outcomes::{FeatureParams, OutcomeTarget, Score, TrainParams};
use hindsight_model::TenantId;
use hindsight_report::campaign::CampaignReport;
use hindsight_report::excellence::ExcellenceReport;
use hindsight_sim::{RecordCounts, SimConfig};
use hindsight_store::Store;
use serde::Serialize;

use crate::calls::load_calls;
use crate::error::{AppError, Result};
use crate::excellence::excellence_report;
use crate::info::{DatabaseInfo, database_info};
use crate::ingest::ingest_files;
use crate::models::{ModelRef, Selector, load_model};
use crate::overview::{DatasetOverview, dataset_overview};
use crate::patterns::{LeadScoring, LearnedPatterns, learn_and_store_patterns, score_open_leads};
use crate::progress::Progress;
use crate::report::{PeriodChoice, campaign_report};
use crate::simulate::simulate_to_directory;
use crate::train::{Trained, train_model};

/// How to run the demo.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    /// The database location (as for `--db`).
    pub db: String,
    /// The tenant the demo writes to, kept apart from real data.
    pub tenant: TenantId,
    /// What to simulate.
    pub simulation: SimConfig,
    /// Where the simulated files go (the CLI passes a temporary directory).
    pub work_dir: PathBuf,
    /// When the reports are generated (the caller reads the clock; the core never does).
    pub generated_at: DateTime<Utc>,
    /// Campaign intelligence thresholds and weights.
    pub campaign_analysis: CampaignAnalysisConfig,
    /// Excellence analysis settings.
    pub excellence: ExcellenceParams,
    /// Conversion-intelligence settings.
    pub conversion: ConversionParams,
}

/// What the demo did and found.
#[derive(Debug, Clone, Serialize)]
pub struct DemoReport {
    /// The simulator's seed.
    pub seed: u64,
    /// Records simulated per file.
    pub simulated: RecordCounts,
    /// Where the files were written.
    pub work_dir: PathBuf,
    /// Records accepted by ingest.
    pub ingested_accepted: u64,
    /// Records rejected by ingest (zero unless something is broken).
    pub ingested_rejected: u64,
    /// Records new or changed in the store.
    pub ingested_written: u64,
    /// Records already stored identically (a re-run of the demo).
    pub ingested_unchanged: u64,
    /// Seconds spent simulating.
    pub simulate_seconds: f64,
    /// Seconds spent ingesting.
    pub ingest_seconds: f64,
    /// The dataset overview.
    pub overview: DatasetOverview,
    /// What the database holds afterwards.
    pub database: DatabaseInfo,
    /// The campaign report of the last simulated week against the week before.
    pub campaign_report: CampaignReport,
    /// The excellence report over every simulated call.
    pub excellence_report: ExcellenceReport,
    /// A show-up model trained on the earlier calls and judged on the latest ones, registered as
    /// the next version of `showed_up`.
    pub show_up_model: Trained,
    /// The latest booked calls scored by that model, as `hindsight score` would.
    pub show_up_scores: Vec<Score>,
    /// WHO / WHAT / WHEN / HOW, learned and stored.
    pub conversion_patterns: LearnedPatterns,
    /// The open leads rescored with the learned weights.
    pub lead_scoring: LeadScoring,
    /// Analyses that do not exist yet, named so the demo never implies it ran them.
    pub analyses_not_built: Vec<String>,
}

/// Runs the demo end to end.
pub async fn run_demo(options: &DemoOptions, store: Arc<dyn Store>, progress: Arc<dyn Progress>) -> Result<DemoReport> {
    let started = Instant::now();
    let simulation = {
        let config = options.simulation.clone();
        let work_dir = options.work_dir.clone();
        let progress = progress.clone();
        // Simulation is CPU work: keep it off the async runtime's threads.
        tokio::task::spawn_blocking(move || simulate_to_directory(&config, &work_dir, progress.as_ref()))
            .await
            .map_err(|error| AppError::Task(format!("simulation task failed: {error}")))??
    };
    let simulate_seconds = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let import = ImportOptions { tenant: options.tenant.clone(), ..ImportOptions::default() };
    let ingest = ingest_files(store.clone(), &simulation.files, &import, progress).await?;
    let ingest_seconds = started.elapsed().as_secs_f64();

    let overview = dataset_overview(store.as_ref(), &options.tenant).await?;
    let database = database_info(store.as_ref(), &options.db).await?;
    let campaign_report = campaign_report(
        store.as_ref(),
        &options.tenant,
        Some(&simulation.summary.campaign.id),
        PeriodChoice::LatestWeek,
        &options.campaign_analysis,
        options.generated_at,
    )
    .await?;
    let excellence_report = excellence_report(
        store.as_ref(),
        &options.tenant,
        Some(&simulation.summary.campaign.id),
        None,
        &options.excellence,
        options.generated_at,
    )
    .await?;
    let show_up_model = train_model(
        store.as_ref(),
        &options.tenant,
        Some(&simulation.summary.campaign.id),
        OutcomeTarget::ShowedUp,
        &FeatureParams { text: options.excellence.text.clone(), ..FeatureParams::default() },
        &TrainParams::default(),
        Some(OutcomeTarget::ShowedUp.as_str()),
        options.generated_at,
    )
    .await?;
    let registered = show_up_model.registered.as_ref().expect("the demo registers its model");
    let reference = ModelRef { name: registered.name.clone(), selector: Selector::Version(registered.version) };
    let show_up_scores =
        score_latest_booked_calls(store.as_ref(), options, &reference, &simulation.summary.campaign.id, 3).await?;
    let conversion_patterns =
        learn_and_store_patterns(store.as_ref(), &options.tenant, &options.conversion, options.generated_at).await?;
    // A dry run: the demo's leads stay as simulated, so running the demo again changes nothing.
    let lead_scoring = score_open_leads(store.as_ref(), &options.tenant, options.generated_at, true).await?;
    Ok(DemoReport {
        seed: options.simulation.seed,
        simulated: simulation.summary.counts,
        work_dir: simulation.directory,
        ingested_accepted: ingest.accepted(),
        ingested_rejected: ingest.rejected(),
        ingested_written: ingest.written(),
        ingested_unchanged: ingest.unchanged(),
        simulate_seconds,
        ingest_seconds,
        overview,
        database,
        campaign_report,
        excellence_report,
        show_up_model,
        show_up_scores,
        conversion_patterns,
        lead_scoring,
        analyses_not_built: ["experiments and gradual rollouts", "error fingerprints", "live call hints"]
            .map(String::from)
            .to_vec(),
    })
}

/// Scores the campaign's `count` latest booked calls with the model `reference` names.
async fn score_latest_booked_calls(
    store: &dyn Store,
    options: &DemoOptions,
    reference: &ModelRef,
    campaign: &str,
    count: usize,
) -> Result<Vec<Score>> {
    let (_, model) = load_model(store, &options.tenant, reference).await?;
    let calls = load_calls(store, &options.tenant, Some(campaign), None).await?;
    let leads = store.leads(&options.tenant).await?;
    let booked: Vec<_> = calls.iter().rev().filter(|call| call.outcome.booked == Some(true)).take(count).collect();
    let pairs: Vec<_> = booked
        .iter()
        .map(|call| (*call, call.lead_id.as_deref().and_then(|id| leads.iter().find(|lead| lead.id == id))))
        .collect();
    model.score(&pairs).map_err(|error| AppError::Invalid { what: format!("scoring: {error}") })
}
