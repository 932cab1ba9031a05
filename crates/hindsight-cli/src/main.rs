//! `hindsight`: the command-line front end.
//!
//! This binary parses flags and the config file, sets up logging and progress bars, calls
//! `hindsight-app`, and renders what comes back. It holds no logic of its own; it is the only
//! place that reads environment variables and config files.
//!
//! Exit codes: 0 success; 1 the command failed; 2 bad usage; 3 the command finished but rejected
//! some input records (the valid ones were stored).

mod cli;
mod commands;
mod config;
mod progress;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};

// Ingest allocates and frees millions of short strings on several threads at once; glibc's
// allocator spends ~11% of ingest CPU on that (perf), mimalloc a fraction of it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit status when a command finished but rejected some records.
pub const EXIT_REJECTED: u8 = 3;

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(cli.global.verbose, cli.global.quiet);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let settings = config::Settings::resolve(&cli.global)?;
    match cli.command {
        Command::Simulate(args) => commands::simulate::run(args, &settings).await,
        Command::Ingest(args) => commands::ingest::run(args, &settings).await,
        Command::Db(args) => commands::db::run(args, &settings).await,
        Command::Demo(args) => commands::demo::run(args, &settings).await,
        Command::Bench(args) => commands::bench::run(args, &settings).await,
        Command::Report(args) => commands::report::run(args, &settings).await,
        Command::Config(args) => commands::config::run(args, &settings),
        Command::Redact(args) => commands::redact::run(args, &settings),
        Command::Train(args) => commands::train::run(args, &settings).await,
        Command::Export(args) => commands::train::export(args, &settings).await,
        Command::Score(args) => commands::models::score(args, &settings).await,
        Command::Models(command) => commands::models::run(command, &settings).await,
        Command::Learn(command) => commands::patterns::learn(command, &settings).await,
        Command::Patterns(command) => commands::patterns::run(command, &settings).await,
        Command::ScoreLeads(args) => commands::patterns::score_leads(args, &settings).await,
    }
}

/// Logs go to stderr, filtered by `HINDSIGHT_LOG` (tracing's env-filter syntax), else by -v/-q.
fn init_tracing(verbose: u8, quiet: bool) {
    let default_level = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        (false, 2) => "debug",
        (false, _) => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("HINDSIGHT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_level));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_target(false).init();
}
