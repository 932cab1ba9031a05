//! `hindsight redact`: stdin → redacted stdout; problems on stderr.

use std::io::{BufReader, BufWriter};
use std::process::ExitCode;

use anyhow::Context;
use hindsight_app::{RedactFormat, redact_lines};
use hindsight_text::pii::Pseudonymizer;

use crate::EXIT_REJECTED;
use crate::cli::{RedactArgs, RedactOutput};
use crate::config::Settings;

pub fn run(args: RedactArgs, settings: &Settings) -> anyhow::Result<ExitCode> {
    let format = match args.format {
        RedactOutput::Text => RedactFormat::Text,
        RedactOutput::Json => RedactFormat::Json,
    };
    if args.pseudonym_key.as_deref().is_some_and(|key| key.len() < 16) {
        anyhow::bail!(
            "the pseudonym key is shorter than 16 bytes: use a long random secret (e.g. `openssl rand -hex 32`)"
        );
    }
    let pseudonyms = args.pseudonym_key.map(|key| Pseudonymizer::new(key.as_bytes(), settings.tenant.as_str()));
    let stdin = BufReader::new(std::io::stdin().lock());
    let mut stdout = BufWriter::new(std::io::stdout().lock());
    let summary = redact_lines(stdin, &mut stdout, format, pseudonyms.as_ref()).context("redacting stdin")?;
    for problem in &summary.problems {
        eprintln!("stdin:{}: {}", problem.line, problem.reason);
    }
    tracing::info!(lines = summary.lines, spans = summary.spans, rejected = summary.problems.len(), "redacted");
    Ok(if summary.problems.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(EXIT_REJECTED) })
}
