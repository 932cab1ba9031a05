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
    assert_eq!(store.schema_version().await.expect("version"), 2);
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
async fn calls_stored_before_call_facts_existed_still_report() {
    use hindsight_store::{CallFilter, Store};
    let directory = tempfile::tempdir().expect("temp dir");
    let path = directory.path().join("old.db");
    let tenant = hindsight_model::TenantId::default();
    let store = SqliteStore::open(&path).await.expect("open");
    let call = conformance::sample_call("c1", "camp", "2026-01-05T09:00:00Z", 12.0);
    store.write(&tenant, &[hindsight_model::Record::Call(call.clone())]).await.expect("write");
    // A database from schema version 1 has calls but no facts rows.
    let mut connection = <sqlx::SqliteConnection as sqlx::Connection>::connect(&format!("sqlite://{}", path.display()))
        .await
        .expect("raw connection");
    sqlx::query("DELETE FROM call_facts").execute(&mut connection).await.expect("delete facts");
    let facts = store.call_facts(&tenant, &CallFilter::default()).await.expect("facts");
    assert_eq!(facts, vec![hindsight_model::CallFacts::from(&call)]);
}
