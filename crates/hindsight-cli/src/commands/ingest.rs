//! `hindsight ingest`.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use hindsight_app::{IngestSummary, ingest_files, open_store};
use hindsight_ingest::{FileFormat, ImportOptions};
use hindsight_model::RecordKind;
use serde_json::json;

use crate::EXIT_REJECTED;
use crate::cli::{FormatArg, IngestArgs, KindArg};
use crate::commands::{print_json, table, thousands};
use crate::config::Settings;
use crate::progress::TerminalProgress;

pub fn record_kind(kind: KindArg) -> RecordKind {
    match kind {
        KindArg::Call => RecordKind::Call,
        KindArg::Lead => RecordKind::Lead,
        KindArg::Activity => RecordKind::Activity,
        KindArg::Outcome => RecordKind::Outcome,
        KindArg::Campaign => RecordKind::Campaign,
    }
}

pub async fn run(args: IngestArgs, settings: &Settings) -> anyhow::Result<ExitCode> {
    let store = open_store(&settings.db).await?;
    let options = ImportOptions {
        tenant: settings.tenant.clone(),
        kind: args.kind.map(record_kind),
        strict: args.strict,
        format: args.format.map(|format| match format {
            FormatArg::Jsonl => FileFormat::JsonLines,
            FormatArg::Csv => FileFormat::Csv,
            FormatArg::Json => FileFormat::JsonDocument,
        }),
        batch_records: settings.ingest.batch_records,
        max_record_bytes: settings.ingest.max_record_bytes,
        ..ImportOptions::default()
    };
    let started = Instant::now();
    let summary = ingest_files(store, &args.files, &options, Arc::new(TerminalProgress::new(!args.json))).await?;
    let seconds = started.elapsed().as_secs_f64();
    if args.json {
        print_json(&summary_json(&summary, seconds))?;
    } else {
        print_summary(&summary, settings, seconds);
    }
    Ok(if summary.has_problems() { ExitCode::from(EXIT_REJECTED) } else { ExitCode::SUCCESS })
}

fn summary_json(summary: &IngestSummary, seconds: f64) -> serde_json::Value {
    let files: Vec<serde_json::Value> = summary
        .files
        .iter()
        .map(|file| {
            json!({
                "file": file.path,
                "records": file.records,
                "accepted": file.accepted,
                "rejected": file.rejected,
                "written": file.written,
                "unchanged": file.unchanged,
                "committed": file.committed,
                "accepted_by_kind": file.accepted_by_kind,
                "problems": file.problems.iter().map(|p| json!({"line": p.line, "field": p.field, "reason": p.reason, "message": p.to_string()})).collect::<Vec<_>>(),
                "problems_not_listed": file.problems_not_kept,
                "custom_fields": file.custom_fields.iter().map(|(name, (line, count))| json!({"field": name, "first_line": line, "records": count})).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "accepted": summary.accepted(),
        "rejected": summary.rejected(),
        "written": summary.written(),
        "unchanged": summary.unchanged(),
        "seconds": seconds,
        "peak_rss_megabytes": crate::commands::bench::peak_rss_megabytes(),
        "files": files,
    })
}

fn print_summary(summary: &IngestSummary, settings: &Settings, seconds: f64) {
    let shown = settings.ingest.max_problems_shown;
    for file in &summary.files {
        for problem in file.problems.iter().take(shown) {
            eprintln!("{problem}");
        }
        let hidden = file.problems.len().saturating_sub(shown) as u64 + file.problems_not_kept;
        if hidden > 0 {
            eprintln!("{}: … and {} more problems (--json lists up to 1,000)", file.path.display(), thousands(hidden));
        }
        for (field, (line, count)) in &file.custom_fields {
            eprintln!(
                "{}:{line}: note: field `{field}` is not in the record contract; kept as a custom attribute ({} records)",
                file.path.display(),
                thousands(*count)
            );
        }
        if !file.committed && file.rejected > 0 {
            eprintln!("{}: --strict: nothing from this file was stored", file.path.display());
        }
    }
    let rows = summary
        .files
        .iter()
        .map(|file| {
            vec![
                file.path.display().to_string(),
                thousands(file.accepted),
                thousands(file.rejected),
                thousands(file.written),
                thousands(file.unchanged),
            ]
        })
        .collect();
    println!("{}", table(&["file", "accepted", "rejected", "new/changed", "unchanged"], rows));
    let accepted = summary.accepted();
    println!(
        "tenant {}: {} records accepted, {} rejected, {} new or changed, {} unchanged in {:.1}s ({} records/s) → {}",
        settings.tenant,
        thousands(accepted),
        thousands(summary.rejected()),
        thousands(summary.written()),
        thousands(summary.unchanged()),
        seconds,
        thousands((accepted as f64 / seconds.max(1e-9)) as u64),
        settings.db
    );
}
