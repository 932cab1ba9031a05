//! `hindsight db …`.

use std::process::ExitCode;

use hindsight_app::{database_info, open_store};
use hindsight_model::RecordKind;

use crate::cli::{DbArgs, DbCommand};
use crate::commands::{print_json, table, thousands};
use crate::config::Settings;

pub async fn run(args: DbArgs, settings: &Settings) -> anyhow::Result<ExitCode> {
    match args.command {
        DbCommand::Info { json } => {
            let store = open_store(&settings.db).await?;
            let info = database_info(store.as_ref(), &settings.db).await?;
            if json {
                print_json(&info)?;
                return Ok(ExitCode::SUCCESS);
            }
            println!("database {} (schema version {})", info.location, info.schema_version);
            if info.tenants.is_empty() {
                println!("no records yet: try `hindsight demo` or `hindsight ingest FILE…`");
                return Ok(ExitCode::SUCCESS);
            }
            let mut header = vec!["tenant"];
            header.extend(RecordKind::ALL.iter().map(|kind| kind.as_str()));
            let rows = info
                .tenants
                .iter()
                .map(|tenant| {
                    let mut row = vec![tenant.tenant.to_string()];
                    row.extend(
                        RecordKind::ALL.iter().map(|kind| thousands(tenant.counts.get(kind).copied().unwrap_or(0))),
                    );
                    row
                })
                .collect();
            println!("{}", table(&header, rows));
            Ok(ExitCode::SUCCESS)
        }
    }
}
