//! The conformance suite on the embedded SQLite store.

use hindsight_store::{SqliteStore, conformance};

#[tokio::test]
async fn sqlite_passes_the_store_conformance_suite() {
    let directory = tempfile::tempdir().expect("temp dir");
    let counter = std::sync::atomic::AtomicUsize::new(0);
    conformance::run_all(|| {
        let path =
            directory.path().join(format!("store-{}.db", counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst)));
        async move { SqliteStore::open(&path).await.expect("open store") }
    })
    .await;
}

#[tokio::test]
async fn reopening_a_database_keeps_its_records_and_does_not_rerun_migrations() {
    let directory = tempfile::tempdir().expect("temp dir");
    let path = directory.path().join("hindsight.db");
    let tenant = hindsight_model::TenantId::default();
    {
        let store = SqliteStore::open(&path).await.expect("open");
        let call = conformance::sample_call("c1", "camp", "2026-01-05T09:00:00Z", 12.0);
        use hindsight_store::Store;
        store.write(&tenant, &[hindsight_model::Record::Call(call)]).await.expect("write");
        store.close().await;
    }
    use hindsight_store::Store;
    let store = SqliteStore::open(&path).await.expect("reopen");
    assert_eq!(store.counts(&tenant).await.expect("counts")[&hindsight_model::RecordKind::Call], 1);
    assert_eq!(store.schema_version().await.expect("version"), 6);
}

#[tokio::test]
async fn opening_a_path_in_a_missing_directory_says_where() {
    let directory = tempfile::tempdir().expect("temp dir");
    let path = directory.path().join("no-such-dir").join("hindsight.db");
    let error = SqliteStore::open(&path).await.expect_err("must fail");
    let message = error.to_string();
    assert!(message.starts_with("cannot open database ") && message.contains("no-such-dir"), "{message}");
}

#[tokio::test]
async fn opening_a_schema_1_database_backfills_the_facts_of_its_calls() {
    use hindsight_store::{CallFilter, Store};
    let directory = tempfile::tempdir().expect("temp dir");
    let path = directory.path().join("old.db");
    let tenant = hindsight_model::TenantId::default();
    let other = hindsight_model::TenantId::new("other").expect("tenant");
    let calls = [
        conformance::sample_call("c1", "camp", "2026-01-05T09:00:00Z", 12.0),
        conformance::sample_call("c2", "camp", "2026-01-06T09:00:00Z", 30.0),
    ];
    {
        let store = SqliteStore::open(&path).await.expect("open");
        let event: hindsight_model::OutcomeEvent = serde_json::from_value(serde_json::json!(
            {"id": "e1", "call_id": "c1", "at": "2026-01-06T08:00:00Z", "outcome": {"showed_up": true}}
        ))
        .expect("event");
        let records = [hindsight_model::Record::Call(calls[0].clone()), hindsight_model::Record::Outcome(event)];
        store.write(&tenant, &records).await.expect("write");
        store.write(&other, &[hindsight_model::Record::Call(calls[1].clone())]).await.expect("write");
        store.close().await;
    }
    // Turn the file back into schema version 1: calls, no facts table, no registry, later
    // migrations not applied.
    {
        let mut connection =
            <sqlx::SqliteConnection as sqlx::Connection>::connect(&format!("sqlite://{}", path.display()))
                .await
                .expect("raw connection");
        for statement in [
            "DROP TABLE call_facts",
            "DROP TABLE model_versions",
            "DROP TABLE model_alias_changes",
            "DROP TABLE conversion_patterns",
            "DROP TABLE conversion_pattern_history",
            "DELETE FROM _sqlx_migrations WHERE version >= 2",
        ] {
            sqlx::query(statement).execute(&mut connection).await.expect(statement);
        }
    }
    let store = SqliteStore::open(&path).await.expect("reopen migrates");
    assert_eq!(store.schema_version().await.expect("version"), 6);
    let facts = store.call_facts(&tenant, &CallFilter::default()).await.expect("facts");
    let mut attended = calls[0].clone();
    attended.outcome.showed_up = Some(true);
    assert_eq!(facts, vec![hindsight_model::CallFacts::from(&attended)], "facts and the merged event backfilled");
    let facts = store.call_facts(&other, &CallFilter::default()).await.expect("facts");
    assert_eq!(facts, vec![hindsight_model::CallFacts::from(&calls[1])]);
}
