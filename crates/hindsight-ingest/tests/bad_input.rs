//! The bad-input corpus: every malformed case the importer must survive, each with the exact
//! message a user sees, and proof that the valid records beside it were stored.

use std::path::Path;
use std::sync::Arc;

use expect_test::{Expect, expect};
use hindsight_ingest::{FileReport, ImportOptions, import_file};
use hindsight_model::{RecordKind, TenantId};
use hindsight_store::{SqliteStore, Store};

const CALL_1: &str = r#"{"type":"call","id":"c1","campaign":"camp","agent":"a","script_version":"v1","started_at":"2026-01-05T10:00:00Z","duration_s":42,"status":"completed"}"#;
const CALL_2: &str = r#"{"type":"call","id":"c2","campaign":"camp","agent":"a","script_version":"v1","started_at":"2026-01-05T11:00:00Z","duration_s":30,"status":"dropped","drop_off_stage":"hook"}"#;

struct Fixture {
    directory: tempfile::TempDir,
    store: Arc<SqliteStore>,
}

impl Fixture {
    async fn new() -> Fixture {
        let directory = tempfile::tempdir().expect("temp dir");
        let store = Arc::new(SqliteStore::open(&directory.path().join("test.db")).await.expect("open store"));
        Fixture { directory, store }
    }

    async fn import(&self, name: &str, contents: &[u8], options: &ImportOptions) -> FileReport {
        let path = self.directory.path().join(name);
        std::fs::write(&path, contents).expect("write input");
        import_file(self.store.clone(), &path, options, Arc::new(|_| {})).await.expect("import runs")
    }

    async fn stored(&self, tenant: &str) -> String {
        let counts = self.store.counts(&TenantId::new(tenant).expect("tenant")).await.expect("counts");
        counts
            .iter()
            .filter(|(_, count)| **count > 0)
            .map(|(kind, count)| format!("{kind}={count}"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Renders a report as the user would read it: problems, then the tallies, then what is stored.
fn render(report: &FileReport, directory: &Path, stored: String) -> String {
    let prefix = format!("{}/", directory.display());
    let mut out: String =
        report.problems.iter().map(|problem| format!("{}\n", problem.to_string().replace(&prefix, ""))).collect();
    out.push_str(&format!(
        "records={} accepted={} rejected={} written={} unchanged={} | stored: {}\n",
        report.records, report.accepted, report.rejected, report.written, report.unchanged, stored
    ));
    out
}

async fn check(name: &str, contents: &[u8], options: ImportOptions, expected: Expect) {
    let fixture = Fixture::new().await;
    let report = fixture.import(name, contents, &options).await;
    let stored = fixture.stored(options.tenant.as_str()).await;
    expected.assert_eq(&render(&report, fixture.directory.path(), stored));
}

fn lines(lines: &[&str]) -> Vec<u8> {
    let mut out = lines.join("\n").into_bytes();
    out.push(b'\n');
    out
}

#[tokio::test]
async fn a_truncated_last_line_is_reported_and_the_lines_before_it_are_kept() {
    let mut contents = lines(&[CALL_1]);
    contents.extend_from_slice(br#"{"type":"call","id":"c2","campaign":"ca"#);
    check(
        "calls.jsonl",
        &contents,
        ImportOptions::default(),
        expect![[r#"
        calls.jsonl:2: record: truncated: the file ends inside this record (no closing brace, no final newline)
        records=2 accepted=1 rejected=1 written=1 unchanged=0 | stored: call=1
    "#]],
    )
    .await;
}

#[tokio::test]
async fn a_field_of_the_wrong_type_is_named() {
    let bad = CALL_2.replace(r#""duration_s":30"#, r#""duration_s":"thirty""#);
    check(
        "calls.jsonl",
        &lines(&[CALL_1, &bad]),
        ImportOptions::default(),
        expect![[r#"
        calls.jsonl:2: duration_s: invalid type: string "thirty", expected f64
        records=2 accepted=1 rejected=1 written=1 unchanged=0 | stored: call=1
    "#]],
    )
    .await;
}

#[tokio::test]
async fn an_unknown_enum_value_lists_the_allowed_ones() {
    let bad = CALL_2.replace(r#""status":"dropped""#, r#""status":"hung_up""#);
    check("calls.jsonl", &lines(&[&bad, CALL_1]), ImportOptions::default(), expect![[r#"
        calls.jsonl:1: status: unknown value `hung_up`, expected one of `completed`, `dropped`, `escalated`, `failed`, `compliance_violation`
        records=2 accepted=1 rejected=1 written=1 unchanged=0 | stored: call=1
    "#]])
    .await;
}

#[tokio::test]
async fn a_missing_id_is_reported_with_every_other_problem_of_the_record() {
    let bad = CALL_2.replace(r#""id":"c2","#, "").replace(r#""agent":"a","#, "");
    check(
        "calls.jsonl",
        &lines(&[CALL_1, &bad]),
        ImportOptions::default(),
        expect![[r#"
        calls.jsonl:2: id: missing required field
        calls.jsonl:2: agent: missing required field
        records=2 accepted=1 rejected=1 written=1 unchanged=0 | stored: call=1
    "#]],
    )
    .await;
}

#[tokio::test]
async fn a_duplicate_id_within_a_file_keeps_the_first() {
    check(
        "calls.jsonl",
        &lines(&[CALL_1, CALL_2, CALL_1]),
        ImportOptions::default(),
        expect![[r#"
        calls.jsonl:3: id: duplicate call id "c1" in this file (first on line 1); the first is kept
        records=3 accepted=2 rejected=1 written=2 unchanged=0 | stored: call=2
    "#]],
    )
    .await;
}

#[tokio::test]
async fn a_record_for_another_tenant_is_refused() {
    let foreign = CALL_2.replace(r#""id":"c2","#, r#""id":"c2","tenant":"globex","#);
    let options = ImportOptions { tenant: TenantId::new("acme").expect("tenant"), ..ImportOptions::default() };
    check(
        "calls.jsonl",
        &lines(&[CALL_1, &foreign]),
        options,
        expect![[r#"
        calls.jsonl:2: tenant: record is for tenant "globex" but this import writes to "acme" (--tenant)
        records=2 accepted=1 rejected=1 written=1 unchanged=0 | stored: call=1
    "#]],
    )
    .await;
}

#[tokio::test]
async fn non_utf8_bytes_are_located_to_the_byte() {
    let mut contents = lines(&[CALL_1]);
    contents.extend_from_slice(b"{\"type\":\"call\",\"id\":\"c\xff2\"}\n");
    contents.extend_from_slice(&lines(&[CALL_2]));
    check(
        "calls.jsonl",
        &contents,
        ImportOptions::default(),
        expect![[r#"
        calls.jsonl:2: record: not valid UTF-8: byte 0xff at column 23
        records=3 accepted=2 rejected=1 written=2 unchanged=0 | stored: call=2
    "#]],
    )
    .await;
}

#[tokio::test]
async fn an_empty_file_is_a_problem_not_a_silent_success() {
    check(
        "calls.jsonl",
        b"",
        ImportOptions::default(),
        expect![[r#"
        calls.jsonl:1: file: empty: no records found
        records=0 accepted=0 rejected=0 written=0 unchanged=0 | stored: 
    "#]],
    )
    .await;
    check(
        "blank.jsonl",
        b"\n  \n\n",
        ImportOptions::default(),
        expect![[r#"
        blank.jsonl:1: file: empty: no records found
        records=0 accepted=0 rejected=0 written=0 unchanged=0 | stored: 
    "#]],
    )
    .await;
}

#[tokio::test]
async fn a_50_mb_single_line_is_skipped_without_being_held_in_memory() {
    let mut contents = Vec::with_capacity(50 * 1024 * 1024 + 1024);
    contents.extend_from_slice(br#"{"type":"call","id":"huge","notes":""#);
    contents.resize(50 * 1024 * 1024 - 2, b'x');
    contents.extend_from_slice(b"\"}\n");
    contents.extend_from_slice(&lines(&[CALL_1]));
    check(
        "calls.jsonl",
        &contents,
        ImportOptions::default(),
        expect![[r#"
        calls.jsonl:1: record: line is 52428800 bytes, over the 16777216-byte limit; it was skipped
        records=2 accepted=1 rejected=1 written=1 unchanged=0 | stored: call=1
    "#]],
    )
    .await;
}

#[tokio::test]
async fn strict_mode_writes_nothing_from_a_file_with_any_problem() {
    let bad = CALL_2.replace(r#""status":"dropped""#, r#""status":"hung_up""#);
    let strict = ImportOptions { strict: true, ..ImportOptions::default() };
    check("calls.jsonl", &lines(&[CALL_1, &bad]), strict.clone(), expect![[r#"
        calls.jsonl:2: status: unknown value `hung_up`, expected one of `completed`, `dropped`, `escalated`, `failed`, `compliance_violation`
        records=2 accepted=1 rejected=1 written=0 unchanged=0 | stored: 
    "#]])
    .await;
    check(
        "calls.jsonl",
        &lines(&[CALL_1, CALL_2]),
        strict,
        expect![[r#"
        records=2 accepted=2 rejected=0 written=2 unchanged=0 | stored: call=2
    "#]],
    )
    .await;
}

#[tokio::test]
async fn reimporting_the_same_file_changes_nothing() {
    let fixture = Fixture::new().await;
    let contents = lines(&[CALL_1, CALL_2]);
    let first = fixture.import("calls.jsonl", &contents, &ImportOptions::default()).await;
    let second = fixture.import("calls.jsonl", &contents, &ImportOptions::default()).await;
    assert_eq!((first.written, second.written, second.unchanged), (2, 0, 2));
    assert_eq!(fixture.stored("default").await, "call=2");
}

#[tokio::test]
async fn csv_rows_map_contract_columns_and_keep_the_rest_as_attributes() {
    let csv = "id,title,industry,employee_count,is_hiring,status,score_data_quality,score_authority,score_company_fit,score_timing,weight_data_quality,weight_authority,weight_company_fit,weight_timing,hubspot_owner,arr_usd,renewal\n\
               l1,CEO,Dental,12,yes,contacted,15,22,18,9,0.2,0.25,0.25,0.15,dana,125000,false\n\
               l2,Owner,Legal,many,maybe,new,,,,,,,,,,,\n\
               l3,,,,,converted,,,,,,,,,,,\n";
    let options = ImportOptions { kind: Some(RecordKind::Lead), ..ImportOptions::default() };
    let fixture = Fixture::new().await;
    let report = fixture.import("leads.csv", csv.as_bytes(), &options).await;
    expect![[r#"
        leads.csv:3: employee_count: "many" is not a number
        leads.csv:3: is_hiring: "maybe" is not true or false
        leads.csv:4: converted_at: required when status is "converted"
        records=3 accepted=1 rejected=2 written=1 unchanged=0 | stored: lead=1
    "#]]
    .assert_eq(&render(&report, fixture.directory.path(), fixture.stored("default").await));
    let lead = fixture.store.leads(&TenantId::default()).await.expect("leads").remove(0);
    let attributes = serde_json::to_string(&lead.attributes).expect("json");
    assert_eq!(attributes, r#"{"arr_usd":125000.0,"hubspot_owner":"dana","renewal":false}"#);
    assert_eq!(lead.score.expect("score").components.authority, 22.0);
}

#[tokio::test]
async fn csv_without_a_type_column_or_kind_is_refused_with_the_fix() {
    check(
        "leads.csv",
        b"id,status\nl1,new\n",
        ImportOptions::default(),
        expect![[r#"
        leads.csv:1: file: cannot tell what the rows are: add a `type` column or pass --kind
        records=0 accepted=0 rejected=0 written=0 unchanged=0 | stored: 
    "#]],
    )
    .await;
    check("mixed.csv", b"type,id,status,lead_id,at,lead_status\nlead,l1,new,,,\noutcome,o1,,l1,2026-01-09T10:00:00Z,converted\nwidget,w1,,,,\n", ImportOptions::default(), expect![[r#"
        mixed.csv:4: type: unknown value "widget", expected one of call, lead, activity, outcome
        records=3 accepted=2 rejected=1 written=2 unchanged=0 | stored: lead=1 outcome=1
    "#]])
    .await;
}

#[tokio::test]
async fn csv_rows_with_the_wrong_number_of_cells_or_bad_bytes_are_located() {
    let mut csv = b"id,status\nl1,new\nl2,new,extra\nl\xfe3,new\nl4,contacted\n".to_vec();
    csv.extend_from_slice(b"");
    let options = ImportOptions { kind: Some(RecordKind::Lead), ..ImportOptions::default() };
    check(
        "leads.csv",
        &csv,
        options,
        expect![[r#"
        leads.csv:3: record: has 3 cells but the header has 2
        leads.csv:4: id: not valid UTF-8: byte 0xfe at position 2
        records=4 accepted=2 rejected=2 written=2 unchanged=0 | stored: lead=2
    "#]],
    )
    .await;
}

#[tokio::test]
async fn a_json_document_may_hold_one_record_or_an_array() {
    let campaign = r#"{"type":"campaign","id":"camp","name":"Spring","targets":{"calls_per_day":100,"conversion_rate":0.2,"revenue_per_call":40},"avg_deal_value":900}"#;
    check(
        "campaign.json",
        campaign.as_bytes(),
        ImportOptions::default(),
        expect![[r#"
        records=1 accepted=1 rejected=0 written=1 unchanged=0 | stored: campaign=1
    "#]],
    )
    .await;
    let array = format!("[{CALL_1}, {{\"type\":\"call\",\"id\":\"c9\"}}]");
    check(
        "calls.json",
        array.as_bytes(),
        ImportOptions::default(),
        expect![[r#"
        calls.json:1: [1].campaign: missing required field
        calls.json:1: [1].agent: missing required field
        calls.json:1: [1].script_version: missing required field
        calls.json:1: [1].started_at: missing required field
        calls.json:1: [1].duration_s: missing required field
        calls.json:1: [1].status: missing required field
        records=2 accepted=1 rejected=1 written=1 unchanged=0 | stored: call=1
    "#]],
    )
    .await;
}

#[tokio::test]
async fn an_outcome_that_arrives_before_its_call_is_applied_when_the_call_comes() {
    let fixture = Fixture::new().await;
    let event =
        r#"{"type":"outcome","id":"o1","call_id":"c1","at":"2026-01-09T10:00:00Z","outcome":{"showed_up":true}}"#;
    fixture.import("outcomes.jsonl", &lines(&[event]), &ImportOptions::default()).await;
    fixture.import("calls.jsonl", &lines(&[CALL_1]), &ImportOptions::default()).await;
    let call = fixture.store.call(&TenantId::default(), "c1").await.expect("read").expect("stored");
    assert_eq!(call.outcome.showed_up, Some(true));
}

#[tokio::test]
async fn a_missing_file_is_an_error_that_names_it() {
    let fixture = Fixture::new().await;
    let path = fixture.directory.path().join("nope.jsonl");
    let error = import_file(fixture.store.clone(), &path, &ImportOptions::default(), Arc::new(|_| {}))
        .await
        .expect_err("must fail");
    assert!(error.to_string().starts_with("cannot read ") && error.to_string().contains("nope.jsonl"), "{error}");
}
