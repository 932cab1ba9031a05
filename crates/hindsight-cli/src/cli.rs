//! Command-line syntax. Names here are a contract: scripts and later checks rely on them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// hindsight learns from the outcomes of sales conversations.
#[derive(Debug, Parser)]
#[command(name = "hindsight", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command accepts.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Database: a SQLite file path (created if missing) [default: hindsight.db]
    #[arg(long, global = true, env = "HINDSIGHT_DB", value_name = "PATH")]
    pub db: Option<String>,
    /// Tenant to read and write [default: default]
    #[arg(long, global = true, env = "HINDSIGHT_TENANT", value_name = "T")]
    pub tenant: Option<String>,
    /// Config file (TOML); ./hindsight.toml is read when present
    #[arg(long, global = true, env = "HINDSIGHT_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// More log output on stderr (-v info, -vv debug); HINDSIGHT_LOG overrides
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Only errors on stderr
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a simulated campaign with planted effects (records + truth.json) to a directory
    Simulate(SimulateArgs),
    /// Import JSONL, CSV or JSON record files into the store
    Ingest(IngestArgs),
    /// Inspect the database
    Db(DbArgs),
    /// Simulate a campaign, ingest it into the embedded store and report on it
    Demo(DemoArgs),
    /// Reports on stored data
    Report(ReportArgs),
    /// Measure performance on this machine
    Bench(BenchArgs),
    /// Show configuration
    Config(ConfigArgs),
    /// Redact personal data from text on stdin (one text per line, or JSONL with a "text" field)
    Redact(RedactArgs),
    /// Train an outcome model on the stored calls and report how it does on calls it did not see
    Train(TrainArgs),
    /// Write a target's feature matrix (the one `train` learns from) for use elsewhere
    Export(ExportArgs),
    /// Score calls (JSON lines in) with a registered model (JSON lines out, with explanations)
    Score(ScoreArgs),
    /// List, show, promote and roll back registered models
    #[command(subcommand)]
    Models(ModelsCommand),
    /// Learn from the stored outcomes and keep what was learned
    #[command(subcommand)]
    Learn(LearnCommand),
    /// Read the stored conversion patterns
    #[command(subcommand)]
    Patterns(PatternsCommand),
    /// Rescore the tenant's open leads (new, contacted) with its learned lead-score weights
    /// (the defaults until `learn patterns` has learned some), storing components and weights
    ScoreLeads(ScoreLeadsArgs),
}

#[derive(Debug, Subcommand)]
pub enum LearnCommand {
    /// Run the WHO / WHAT / WHEN / HOW detectors over the tenant's leads and activities, store
    /// the patterns (and a history row each) and print their health
    Patterns(LearnPatternsArgs),
}

#[derive(Debug, Args)]
pub struct LearnPatternsArgs {
    /// Print the stored patterns and health warnings as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum PatternsCommand {
    /// The natural-language context for campaign generation, the sequence builder and the
    /// messaging generator, from the stored patterns
    Context(PatternsContextArgs),
}

#[derive(Debug, Args)]
pub struct PatternsContextArgs {
    /// Print the three texts as a JSON object
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ScoreLeadsArgs {
    /// Score and print, but do not store the scores
    #[arg(long)]
    pub dry_run: bool,
    /// Print the result as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// The model: NAME (its champion), NAME@VERSION or NAME@ALIAS
    #[arg(long, value_name = "NAME[@VERSION|@ALIAS]")]
    pub model: String,
    /// Records as JSON lines (as for ingest): calls for a call-level model, leads for a lead-level one;
    /// `-` or nothing reads stdin
    #[arg(value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// Write the scores to this file instead of stdout
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Lead-level models: qualification score at or above which a lead goes to an AE
    /// [default: `[qualification] ae_handoff` of hindsight.toml, else 70]
    #[arg(long, value_name = "SCORE")]
    pub handoff_at: Option<f64>,
    /// Lead-level models: score at or above which a lead is nurtured (below: self-service)
    /// [default: `[qualification] nurture`, else 40]
    #[arg(long, value_name = "SCORE")]
    pub nurture_at: Option<f64>,
    /// Progression models: also score each lead with this voice-AI-fit model
    /// (`train --target voice_ai_fit`) for `voice_ai_fit`, the blended score and HIGH_VOICE_AI
    #[arg(long, value_name = "NAME[@VERSION|@ALIAS]")]
    pub fit_model: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ModelsCommand {
    /// Every registered version with its aliases and held-out metrics
    List {
        /// Only this model
        #[arg(value_name = "NAME")]
        name: Option<String>,
        /// Print as JSON
        #[arg(long)]
        json: bool,
    },
    /// One version in full: card, aliases and the alias history
    Show {
        /// NAME (its champion), NAME@VERSION or NAME@ALIAS
        #[arg(value_name = "NAME[@VERSION|@ALIAS]")]
        model: String,
        /// Print as JSON
        #[arg(long)]
        json: bool,
    },
    /// Point an alias (champion unless --alias says otherwise) at a version
    Promote {
        /// NAME@VERSION
        #[arg(value_name = "NAME@VERSION")]
        model: String,
        /// The alias to move
        #[arg(long, default_value = "champion")]
        alias: String,
        /// Print as JSON
        #[arg(long)]
        json: bool,
    },
    /// Undo an alias's latest move: point it back at the version it had before
    Rollback {
        /// The model's name
        #[arg(value_name = "NAME")]
        name: String,
        /// The alias to move back
        #[arg(long, default_value = "champion")]
        alias: String,
        /// Print as JSON
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Comma-separated: call_id, started_at, label, then one column per feature (missing = empty)
    Csv,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// File format
    #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
    pub format: ExportFormat,
    /// Whose feature matrix
    #[arg(long, value_enum)]
    pub target: TrainTarget,
    /// Only calls of this campaign [default: every call of the tenant]
    #[arg(long, value_name = "C")]
    pub campaign: Option<String>,
    /// Write to this file instead of stdout
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TrainTarget {
    /// The booked appointment happened (rows: booked calls with attendance known)
    #[value(name = "showed_up", alias = "showed-up")]
    ShowedUp,
    /// The call booked an appointment
    Booked,
    /// The person became a customer
    Converted,
    /// The lead progressed to a meeting (lead-level: rows are leads that converted or ended without)
    Progressed,
    /// The lead is a strong voice-AI prospect (lead-level: rows are leads whose custom attribute
    /// `voice_ai_fit` is true or false)
    #[value(name = "voice_ai_fit", alias = "voice-ai-fit")]
    VoiceAiFit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TrainFamily {
    /// Logistic regression, boosted trees and bagged trees, keeping the best calibrated log-loss
    Auto,
    /// Gradient-boosted trees (forust-ml)
    Gbm,
    /// L2-regularized logistic regression
    Logistic,
    /// Bagged trees (a random forest grown with forust-ml)
    Forest,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TrainSplit {
    /// Train on the earliest 80% of calls, test on the latest 20%
    Time,
    /// 5 stratified folds, every call predicted out of fold
    Kfold,
}

#[derive(Debug, Args)]
pub struct TrainArgs {
    /// What to predict
    #[arg(long, value_enum)]
    pub target: TrainTarget,
    /// Model family
    #[arg(long, value_enum, default_value_t = TrainFamily::Auto)]
    pub family: TrainFamily,
    /// How calls are held out for evaluation
    #[arg(long, value_enum, default_value_t = TrainSplit::Time)]
    pub split: TrainSplit,
    /// Only calls of this campaign [default: every call of the tenant]
    #[arg(long, value_name = "C")]
    pub campaign: Option<String>,
    /// Features shown, by mean |contribution|
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub top: usize,
    /// Register the model under this name [default: the target's name]
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Evaluate only: do not register the model
    #[arg(long)]
    pub dry_run: bool,
    /// Print the whole report as JSON
    #[arg(long)]
    pub json: bool,
}

/// Simulation size and seed, shared by `simulate`, `demo` and `bench`.
#[derive(Debug, Args, Clone)]
pub struct SimSizeArgs {
    /// Number of calls
    #[arg(long, value_name = "N")]
    pub calls: Option<usize>,
    /// Number of leads
    #[arg(long, value_name = "N")]
    pub leads: Option<usize>,
    /// Weeks simulated (at least 2)
    #[arg(long, value_name = "N")]
    pub weeks: Option<u32>,
    /// Random seed; the same seed gives the same files
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Strength of every planted effect (1 = default, 0 = none, for false-discovery checks)
    #[arg(long, value_name = "X")]
    pub effect_strength: Option<f64>,
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Directory to write into (created if missing)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub size: SimSizeArgs,
    /// Print the summary as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum KindArg {
    Call,
    Lead,
    Activity,
    Outcome,
    Campaign,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    Jsonl,
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Files to import (.jsonl/.ndjson JSON lines, .csv, .json)
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// All-or-nothing per file: any bad record and nothing from that file is stored
    #[arg(long)]
    pub strict: bool,
    /// Record type of records that do not say (no "type" field or column)
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
    /// File layout, when the extension does not tell
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// Print the reports as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DbArgs {
    #[command(subcommand)]
    pub command: DbCommand,
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Record counts by tenant and type
    Info {
        /// Print as JSON
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub size: SimSizeArgs,
    /// Keep the simulated files in this directory instead of a temporary one
    #[arg(long, value_name = "DIR")]
    pub keep_files: Option<PathBuf>,
    /// Print the report as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    #[command(subcommand)]
    pub command: BenchCommand,
}

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Simulated calls (JSONL, ~40 turns) into a fresh SQLite file: calls/s and peak memory
    Ingest {
        /// Calls to simulate and ingest
        #[arg(long, default_value_t = 100_000, value_name = "N")]
        calls: usize,
        /// Ingest this existing calls file instead of simulating one
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
        /// Print the result as JSON
        #[arg(long)]
        json: bool,
    },
    /// Per-call text analysis (PII redaction of every turn, then conversation metrics, questions,
    /// objections and stages) on one core, over simulated calls held in memory
    Text {
        /// Calls to simulate and analyse
        #[arg(long, default_value_t = 20_000, value_name = "N")]
        calls: usize,
        /// Print the result as JSON
        #[arg(long)]
        json: bool,
    },
    /// The excellence analysis (score, cohorts, per-stage differentiators, structure and
    /// behaviour) over simulated calls held in memory, on every core
    Excellence {
        /// Calls to simulate and analyse
        #[arg(long, default_value_t = 50_000, value_name = "N")]
        calls: usize,
        /// Analyse this simulation (a `hindsight simulate --out` directory) instead of a new one
        #[arg(long, value_name = "DIR", conflicts_with = "calls")]
        sim: Option<PathBuf>,
        /// Also write the miner's input (corpus.jsonl: a document per call and stage, redacted and
        /// tokenized, with its cohort) and the phrases found (differentiators.json) to DIR, for
        /// comparison with other implementations (bench/excellence_peers.py)
        #[arg(long, value_name = "DIR")]
        export: Option<PathBuf>,
        /// Print the result as JSON
        #[arg(long)]
        json: bool,
    },
    /// Boosted trees on a feature CSV written by `hindsight export`: training time and held-out
    /// AUC and log-loss (the rows are in time order; the latest are held out), to compare with
    /// LightGBM on the same file (bench/models-peers.sh)
    Gbm {
        /// The CSV (call_id, started_at, label, features…)
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
        /// Share of the latest rows held out
        #[arg(long, default_value_t = 0.2, value_name = "SHARE")]
        holdout: f64,
        /// Print the result as JSON
        #[arg(long)]
        json: bool,
    },
    /// Scoring with a trained show-up model: one row with its explanation (latency), rows in
    /// batches (throughput, with and without explanations), and raw calls (transcript analysis
    /// included)
    Score {
        /// Calls to simulate; the show-up model trains on the booked ones
        #[arg(long, default_value_t = 20_000, value_name = "N")]
        calls: usize,
        /// Model family to score with
        #[arg(long, value_enum, default_value_t = TrainFamily::Gbm)]
        family: TrainFamily,
        /// Rows in the batch measurements
        #[arg(long, default_value_t = 500_000, value_name = "N")]
        batch_rows: usize,
        /// Print the result as JSON
        #[arg(long)]
        json: bool,
    },
    /// The four conversion-pattern detectors (WHO, WHAT, WHEN, HOW) over simulated leads and
    /// activities held in memory
    Patterns {
        /// Leads to simulate (each gets up to four touches: 1,600,000 leads make about six million
        /// activities)
        #[arg(long, default_value_t = 1_600_000, value_name = "N")]
        leads: usize,
        /// Print the result as JSON
        #[arg(long)]
        json: bool,
    },
    /// Campaign analysis (metrics, issues, leakage, root cause, health, alerts, recommendations)
    /// over simulated calls held in memory
    Report {
        /// Calls to simulate and analyse
        #[arg(long, default_value_t = 1_000_000, value_name = "N")]
        calls: usize,
        /// Print the result as JSON
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    #[command(subcommand)]
    pub command: ConfigCommand,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the default configuration as commented TOML
    PrintDefault,
    /// Print the configuration in effect (defaults < file < env < flags)
    Show,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(subcommand)]
    pub command: ReportCommand,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Campaign intelligence: health, metrics, issues, leakage, root cause, alerts, recommendations
    /// (the period against the one before it)
    Campaign(CampaignReportArgs),
    /// Excellence: what the top calls do that the bottom calls don't (phrases per stage, also
    /// within lead-quality strata; call structure; behaviour)
    Excellence(ExcellenceReportArgs),
    /// Conversion patterns: WHO / WHAT / WHEN / HOW as stored by `learn patterns`, their health,
    /// the success metrics and the pattern context
    Patterns(PatternsReportArgs),
}

#[derive(Debug, Args)]
pub struct PatternsReportArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Write to this file instead of stdout
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RedactOutput {
    /// The redacted text, a line per input line
    Text,
    /// A JSON object per line: line, redacted text, spans (type, start, end in characters of the input)
    Json,
}

#[derive(Debug, Args)]
pub struct RedactArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = RedactOutput::Text)]
    pub format: RedactOutput,
    /// Secret for pseudonyms: values become tenant-keyed tags ([PHONE_1a2b3c4d]) instead of bare
    /// placeholders, so the same caller still joins across calls. Prefer the environment variable:
    /// a flag's value is visible to other users of the machine
    #[arg(long, env = "HINDSIGHT_PSEUDONYM_KEY", hide_env_values = true, value_name = "SECRET")]
    pub pseudonym_key: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Md,
    Json,
    Html,
}

#[derive(Debug, Args)]
pub struct CampaignReportArgs {
    /// Campaign id (needed when the tenant has several)
    #[arg(long, value_name = "C")]
    pub campaign: Option<String>,
    /// First day of the period (YYYY-MM-DD); with --to
    #[arg(long, value_name = "DATE", requires = "to", conflicts_with = "week")]
    pub from: Option<chrono::NaiveDate>,
    /// Last day of the period, inclusive (YYYY-MM-DD); with --from
    #[arg(long, value_name = "DATE", requires = "from", conflicts_with = "week")]
    pub to: Option<chrono::NaiveDate>,
    /// An ISO week, e.g. 2026-W07 [default: the week of the campaign's latest call]
    #[arg(long, value_name = "YYYY-Www")]
    pub week: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Write to this file instead of stdout
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExcellenceReportArgs {
    /// Only calls of this campaign [default: every call of the tenant]
    #[arg(long, value_name = "C")]
    pub campaign: Option<String>,
    /// First day of the calls analysed (YYYY-MM-DD); with --to
    #[arg(long, value_name = "DATE", requires = "to")]
    pub from: Option<chrono::NaiveDate>,
    /// Last day, inclusive (YYYY-MM-DD); with --from
    #[arg(long, value_name = "DATE", requires = "from")]
    pub to: Option<chrono::NaiveDate>,
    /// Output format
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Write to this file instead of stdout
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}
