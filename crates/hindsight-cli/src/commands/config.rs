//! `hindsight config …`.

use std::process::ExitCode;

use crate::cli::{ConfigArgs, ConfigCommand};
use crate::config::{Settings, default_toml};

pub fn run(args: ConfigArgs, settings: &Settings) -> anyhow::Result<ExitCode> {
    match args.command {
        ConfigCommand::PrintDefault => print!("{}", default_toml()),
        ConfigCommand::Show => {
            if let Some(file) = &settings.config_file {
                println!("# read from {}", file.display());
            } else {
                println!("# no config file read; defaults, environment and flags");
            }
            print!("{}", toml::to_string(settings)?);
        }
    }
    Ok(ExitCode::SUCCESS)
}
