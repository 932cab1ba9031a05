//! One module per subcommand: turn arguments into an app call, render the result.

pub mod bench;
pub mod config;
pub mod db;
pub mod demo;
pub mod ingest;
pub mod models;
pub mod patterns;
pub mod redact;
pub mod report;
pub mod simulate;
pub mod train;

use comfy_table::presets::UTF8_BORDERS_ONLY;
use comfy_table::{Cell, CellAlignment, Table};
use hindsight_sim::{SimConfig, Strengths};

use crate::cli::SimSizeArgs;
use crate::config::Settings;

/// Builds the simulator config: flags over the config file's `[simulate]` over built-in defaults.
pub fn sim_config(size: &SimSizeArgs, settings: &Settings) -> SimConfig {
    SimConfig {
        calls: size.calls.unwrap_or(settings.simulate.calls),
        leads: size.leads.unwrap_or(settings.simulate.leads),
        weeks: size.weeks.unwrap_or(settings.simulate.weeks),
        seed: size.seed.unwrap_or(settings.simulate.seed),
        strengths: size.effect_strength.map(Strengths::all).unwrap_or_default(),
        ..SimConfig::default()
    }
}

/// A plain table with a header row; numeric columns right-aligned.
pub fn table(header: &[&str], rows: Vec<Vec<String>>) -> Table {
    let mut table = Table::new();
    table.load_preset(UTF8_BORDERS_ONLY);
    table.set_header(header.iter().map(Cell::new));
    for row in rows {
        table.add_row(
            row.into_iter()
                .map(|value| {
                    let numeric = value.chars().next().is_some_and(|c| c.is_ascii_digit() || c == '-');
                    let cell = Cell::new(value);
                    if numeric { cell.set_alignment(CellAlignment::Right) } else { cell }
                })
                .collect::<Vec<_>>(),
        );
    }
    table
}

/// Counts are printed with thousands separators, as reports print them.
pub use hindsight_report::thousands;

/// Pretty JSON on stdout.
pub fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}
