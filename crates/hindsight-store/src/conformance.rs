//! The behaviour every [`Store`] implementation must show, written once.
//!
//! Each backend's test calls [`run_all`] with a factory that returns a fresh, empty store; every
//! check gets its own store, so checks cannot depend on each other. A failed check panics with a
//! message naming the check, like any test assertion.

use std::future::Future;

use hindsight_model::{Activity, Call, CallFacts, Lead, LeadStatus, OutcomeEvent, Record, RecordKind, TenantId};
use serde_json::json;

use crate::patterns::StoredPattern;
use crate::registry::{NewModelVersion, current_aliases};
use crate::{CallFilter, Store, StoreError};

/// Runs every check against stores made by `make_store`.
pub async fn run_all<S, F, Fut>(make_store: F)
where
    S: Store,
    F: Fn() -> Fut,
    Fut: Future<Output = S>,
{
    writes_and_reads_back_every_record_kind(&make_store().await).await;
    rewriting_identical_records_changes_nothing(&make_store().await).await;
    a_changed_record_replaces_the_stored_one(&make_store().await).await;
    tenants_never_see_each_others_records(&make_store().await).await;
    outcome_events_merge_whatever_the_arrival_order(&make_store().await).await;
    call_facts_follow_their_events_through_every_change(&make_store().await).await;
    lead_status_events_update_the_lead(&make_store().await).await;
    a_batch_naming_another_tenant_is_refused_whole(&make_store().await).await;
    call_filters_select_by_campaign_and_time(&make_store().await).await;
    the_schema_version_is_recorded(&make_store().await).await;
    model_versions_are_numbered_by_the_store_and_never_change(&make_store().await).await;
    alias_changes_keep_their_history(&make_store().await).await;
    tenants_never_see_each_others_models(&make_store().await).await;
    the_converting_touch_is_marked_whatever_the_arrival_order(&make_store().await).await;
    a_sender_marked_converting_touch_is_kept(&make_store().await).await;
    patterns_replace_the_current_and_keep_every_run(&make_store().await).await;
    tenants_never_see_each_others_patterns(&make_store().await).await;
    an_invalid_pattern_saves_nothing(&make_store().await).await;
}

fn tenant(name: &str) -> TenantId {
    TenantId::new(name).expect("valid test tenant")
}

/// A minimal valid call.
pub fn sample_call(id: &str, campaign: &str, started_at: &str, duration_s: f64) -> Call {
    serde_json::from_value(json!({
        "type": "call", "id": id, "campaign": campaign, "agent": "bot-a", "script_version": "v1",
        "started_at": started_at, "duration_s": duration_s, "status": "completed",
        "turns": [{"speaker": "agent", "text": "hello", "start_s": 0.0, "end_s": 1.0}],
        "outcome": {"booked": true}
    }))
    .expect("valid sample call")
}

fn sample_lead(id: &str) -> Lead {
    serde_json::from_value(
        json!({"id": id, "title": "CEO", "status": "contacted", "attributes": {"crm_stage": "mql", "seats": 12}}),
    )
    .expect("valid sample lead")
}

fn call_event(id: &str, call_id: &str, at: &str, outcome: serde_json::Value) -> OutcomeEvent {
    serde_json::from_value(json!({"id": id, "call_id": call_id, "at": at, "outcome": outcome}))
        .expect("valid sample event")
}

async fn write(store: &dyn Store, tenant_name: &str, records: Vec<Record>) -> crate::WriteSummary {
    store.write(&tenant(tenant_name), &records).await.expect("write succeeds")
}

async fn writes_and_reads_back_every_record_kind(store: &dyn Store) {
    let campaign = serde_json::from_value(json!({
        "id": "camp", "name": "Camp", "targets": {"calls_per_day": 10, "conversion_rate": 0.2, "revenue_per_call": 50},
        "avg_deal_value": 500
    }))
    .expect("valid campaign");
    let activity = serde_json::from_value(json!({
        "id": "a1", "lead_id": "l1", "channel": "email", "action": "email_sent", "touch_number": 1,
        "at": "2026-01-05T10:00:00Z", "content": {"subject": "Hi", "pain_points": ["leads"]}
    }))
    .expect("valid activity");
    let records = vec![
        Record::Campaign(campaign),
        Record::Lead(sample_lead("l1")),
        Record::Call(sample_call("c1", "camp", "2026-01-05T09:00:00Z", 60.0)),
        Record::Activity(activity),
        Record::Outcome(call_event("e1", "c1", "2026-01-06T09:00:00Z", json!({"confirmed": true}))),
    ];
    let summary = write(store, "t1", records.clone()).await;
    assert_eq!((summary.written, summary.unchanged), (5, 0), "writes_and_reads_back_every_record_kind: summary");
    let counts = store.counts(&tenant("t1")).await.expect("counts");
    for kind in RecordKind::ALL {
        assert_eq!(counts[&kind], 1, "writes_and_reads_back_every_record_kind: count of {kind}");
    }
    let leads = store.leads(&tenant("t1")).await.expect("leads");
    let Record::Lead(mut expected_lead) = records[1].clone() else { unreachable!() };
    expected_lead.tenant = Some(tenant("t1"));
    assert_eq!(leads, vec![expected_lead], "writes_and_reads_back_every_record_kind: lead with attributes");
    let call = store.call(&tenant("t1"), "c1").await.expect("call").expect("call c1 exists");
    assert_eq!(call.outcome.confirmed, Some(true), "writes_and_reads_back_every_record_kind: event merged");
    assert_eq!(call.outcome.booked, Some(true), "writes_and_reads_back_every_record_kind: own outcome kept");
    assert_eq!(store.activities(&tenant("t1")).await.expect("activities").len(), 1);
    assert_eq!(store.campaigns(&tenant("t1")).await.expect("campaigns")[0].id, "camp");
    assert_eq!(store.outcome_events(&tenant("t1")).await.expect("events")[0].id, "e1");
}

async fn rewriting_identical_records_changes_nothing(store: &dyn Store) {
    let calls: Vec<Record> = (0..3)
        .map(|index| Record::Call(sample_call(&format!("c{index}"), "camp", "2026-01-05T09:00:00Z", 30.0)))
        .collect();
    let first = write(store, "t1", calls.clone()).await;
    let second = write(store, "t1", calls).await;
    assert_eq!(
        (first.written, second.written, second.unchanged),
        (3, 0, 3),
        "rewriting_identical_records_changes_nothing"
    );
    assert_eq!(store.counts(&tenant("t1")).await.expect("counts")[&RecordKind::Call], 3);
}

async fn a_changed_record_replaces_the_stored_one(store: &dyn Store) {
    write(store, "t1", vec![Record::Call(sample_call("c1", "camp", "2026-01-05T09:00:00Z", 10.0))]).await;
    let summary = write(store, "t1", vec![Record::Call(sample_call("c1", "camp", "2026-01-05T09:00:00Z", 20.0))]).await;
    assert_eq!(summary.written, 1, "a_changed_record_replaces_the_stored_one: written");
    let calls = store.calls(&tenant("t1"), &CallFilter::default()).await.expect("calls");
    assert_eq!(calls.len(), 1, "a_changed_record_replaces_the_stored_one: still one call");
    assert_eq!(calls[0].duration_s, 20.0, "a_changed_record_replaces_the_stored_one: new version");
}

async fn tenants_never_see_each_others_records(store: &dyn Store) {
    write(store, "acme", vec![Record::Call(sample_call("c1", "camp", "2026-01-05T09:00:00Z", 10.0))]).await;
    write(
        store,
        "globex",
        vec![
            Record::Call(sample_call("c1", "camp", "2026-01-05T09:00:00Z", 99.0)),
            Record::Call(sample_call("c2", "camp", "2026-01-05T09:00:00Z", 99.0)),
            Record::Lead(sample_lead("l1")),
            // An event in globex about "c1" must not touch acme's c1.
            Record::Outcome(call_event("e1", "c1", "2026-01-06T00:00:00Z", json!({"showed_up": true}))),
        ],
    )
    .await;
    let acme_calls = store.calls(&tenant("acme"), &CallFilter::default()).await.expect("calls");
    assert_eq!(acme_calls.len(), 1, "tenants_never_see_each_others_records: acme sees one call");
    assert_eq!(acme_calls[0].duration_s, 10.0, "tenants_never_see_each_others_records: acme's own version");
    assert_eq!(acme_calls[0].outcome.showed_up, None, "tenants_never_see_each_others_records: globex's event");
    assert_eq!(acme_calls[0].tenant, Some(tenant("acme")));
    let acme_c1 = store.call(&tenant("acme"), "c1").await.expect("call").expect("exists");
    assert_eq!(acme_c1.outcome.showed_up, None, "tenants_never_see_each_others_records: single read");
    assert!(store.call(&tenant("acme"), "c2").await.expect("call").is_none(), "acme must not read globex's c2");
    let acme_facts = store.call_facts(&tenant("acme"), &CallFilter::default()).await.expect("facts");
    assert_eq!(acme_facts.len(), 1, "acme sees only its own call facts");
    assert_eq!(acme_facts[0].duration_s, 10.0);
    assert_eq!(acme_facts[0].outcome.showed_up, None, "tenants_never_see_each_others_records: globex's event in facts");
    assert!(store.leads(&tenant("acme")).await.expect("leads").is_empty(), "acme must not read globex's leads");
    assert!(store.outcome_events(&tenant("acme")).await.expect("events").is_empty());
    assert_eq!(store.counts(&tenant("acme")).await.expect("counts")[&RecordKind::Call], 1);
    assert_eq!(store.counts(&tenant("globex")).await.expect("counts")[&RecordKind::Call], 2);
    assert!(store.calls(&tenant("initech"), &CallFilter::default()).await.expect("calls").is_empty());
    assert_eq!(store.tenants().await.expect("tenants"), vec![tenant("acme"), tenant("globex")]);
}

async fn outcome_events_merge_whatever_the_arrival_order(store: &dyn Store) {
    // The later fact (confirmed = true at 12:00) arrives first; the earlier one (false at 08:00)
    // second; the call last. The result must follow event time, not arrival.
    write(
        store,
        "t1",
        vec![Record::Outcome(call_event("e2", "c9", "2026-01-06T12:00:00Z", json!({"confirmed": true})))],
    )
    .await;
    write(
        store,
        "t1",
        vec![Record::Outcome(call_event(
            "e1",
            "c9",
            "2026-01-06T08:00:00Z",
            json!({"confirmed": false, "showed_up": false}),
        ))],
    )
    .await;
    write(store, "t1", vec![Record::Call(sample_call("c9", "camp", "2026-01-05T09:00:00Z", 10.0))]).await;
    let call = store.call(&tenant("t1"), "c9").await.expect("call").expect("exists");
    assert_eq!(call.outcome.confirmed, Some(true), "outcome_events_merge_whatever_the_arrival_order: confirmed");
    assert_eq!(call.outcome.showed_up, Some(false), "outcome_events_merge_whatever_the_arrival_order: showed_up");
    assert_eq!(call.outcome.booked, Some(true), "outcome_events_merge_whatever_the_arrival_order: booked");
    let listed = store.calls(&tenant("t1"), &CallFilter::default()).await.expect("calls");
    assert_eq!(listed[0].outcome, call.outcome, "list and single read agree");
    let facts = store.call_facts(&tenant("t1"), &CallFilter::default()).await.expect("facts");
    assert_eq!(facts, vec![CallFacts::from(&call)], "facts are the call without its transcript, events merged");
}

/// Call facts carry the merge of their events however events and calls arrive, move and
/// change, and always agree with the call read whole.
async fn call_facts_follow_their_events_through_every_change(store: &dyn Store) {
    let check = |step: &'static str| async move {
        let facts = store.call_facts(&tenant("t1"), &CallFilter::default()).await.expect("facts");
        for fact in &facts {
            let call = store.call(&tenant("t1"), &fact.id).await.expect("call").expect("exists");
            assert_eq!(*fact, CallFacts::from(&call), "call_facts_follow_their_events ({step}): {}", fact.id);
        }
        let (chunks, received) = std::sync::mpsc::sync_channel(64);
        let sent = store.scan_call_facts(&tenant("t1"), &CallFilter::default(), chunks).await.expect("scan");
        let mut scanned: Vec<CallFacts> = received.into_iter().flatten().collect();
        scanned.sort_by(|a, b| (a.started_at, &a.id).cmp(&(b.started_at, &b.id)));
        assert_eq!(sent as usize, scanned.len(), "call_facts_follow_their_events ({step}): count returned");
        assert_eq!(scanned, facts, "call_facts_follow_their_events ({step}): scan and list agree");
        facts
    };
    let c1 = sample_call("c1", "camp", "2026-01-05T09:00:00Z", 10.0);
    let c2 = sample_call("c2", "camp", "2026-01-05T10:00:00Z", 10.0);
    write(store, "t1", vec![Record::Call(c1.clone())]).await;
    // An event after its call.
    write(
        store,
        "t1",
        vec![Record::Outcome(call_event("e1", "c1", "2026-01-06T08:00:00Z", json!({"confirmed": true})))],
    )
    .await;
    assert_eq!(check("event after call").await[0].outcome.confirmed, Some(true));
    // The same event re-sent about another call leaves the first one.
    write(
        store,
        "t1",
        vec![Record::Outcome(call_event("e1", "c2", "2026-01-06T08:00:00Z", json!({"confirmed": true})))],
    )
    .await;
    assert_eq!(check("event moved").await[0].outcome.confirmed, None, "c1 lost the moved event");
    // A call after its event, and an earlier event in the same batch as a changed call.
    let mut c1_changed = c1.clone();
    c1_changed.duration_s = 20.0;
    write(
        store,
        "t1",
        vec![
            Record::Call(c2.clone()),
            Record::Call(c1_changed),
            Record::Outcome(call_event(
                "e0",
                "c2",
                "2026-01-06T07:00:00Z",
                json!({"confirmed": false, "showed_up": true}),
            )),
        ],
    )
    .await;
    let facts = check("call after event").await;
    assert_eq!(facts[0].duration_s, 20.0, "c1 changed");
    assert_eq!((facts[1].outcome.confirmed, facts[1].outcome.showed_up), (Some(true), Some(true)), "event time order");
}

async fn lead_status_events_update_the_lead(store: &dyn Store) {
    let event: OutcomeEvent = serde_json::from_value(
        json!({"id": "e1", "lead_id": "l1", "at": "2026-01-07T15:00:00Z", "lead_status": "converted"}),
    )
    .expect("valid event");
    write(store, "t1", vec![Record::Outcome(event), Record::Lead(sample_lead("l1"))]).await;
    let lead = store.leads(&tenant("t1")).await.expect("leads").remove(0);
    assert_eq!(lead.status, LeadStatus::Converted, "lead_status_events_update_the_lead: status");
    assert_eq!(lead.converted_at.map(|at| at.to_rfc3339()), Some("2026-01-07T15:00:00+00:00".to_string()));
}

async fn a_batch_naming_another_tenant_is_refused_whole(store: &dyn Store) {
    let mut foreign = sample_call("c2", "camp", "2026-01-05T09:00:00Z", 10.0);
    foreign.tenant = Some(tenant("globex"));
    let batch = vec![Record::Call(sample_call("c1", "camp", "2026-01-05T09:00:00Z", 10.0)), Record::Call(foreign)];
    let error = store.write(&tenant("acme"), &batch).await.expect_err("a foreign record must be refused");
    assert!(
        matches!(error, StoreError::TenantMismatch { .. }),
        "a_batch_naming_another_tenant_is_refused_whole: {error}"
    );
    assert_eq!(store.counts(&tenant("acme")).await.expect("counts")[&RecordKind::Call], 0, "nothing written to acme");
    assert_eq!(
        store.counts(&tenant("globex")).await.expect("counts")[&RecordKind::Call],
        0,
        "nothing written to globex"
    );
}

async fn call_filters_select_by_campaign_and_time(store: &dyn Store) {
    write(
        store,
        "t1",
        vec![
            Record::Call(sample_call("early", "a", "2026-01-05T09:00:00Z", 10.0)),
            Record::Call(sample_call("late", "a", "2026-01-12T09:00:00Z", 10.0)),
            Record::Call(sample_call("other", "b", "2026-01-12T10:00:00Z", 10.0)),
        ],
    )
    .await;
    let ids = |calls: Vec<Call>| calls.into_iter().map(|call| call.id).collect::<Vec<_>>();
    let fact_ids = |facts: Vec<CallFacts>| facts.into_iter().map(|facts| facts.id).collect::<Vec<_>>();
    let latest = store.latest_call_start(&tenant("t1"), Some("a")).await.expect("latest").map(|at| at.to_rfc3339());
    assert_eq!(latest.as_deref(), Some("2026-01-12T09:00:00+00:00"), "latest call of campaign a");
    let latest_any = store.latest_call_start(&tenant("t1"), None).await.expect("latest").map(|at| at.to_rfc3339());
    assert_eq!(latest_any.as_deref(), Some("2026-01-12T10:00:00+00:00"));
    assert_eq!(store.latest_call_start(&tenant("t2"), None).await.expect("latest"), None, "another tenant has none");
    let all = store.calls(&tenant("t1"), &CallFilter::default()).await.expect("calls");
    assert_eq!(ids(all), ["early", "late", "other"], "ordered by start time");
    let campaign_a = CallFilter { campaign: Some("a".into()), ..CallFilter::default() };
    assert_eq!(ids(store.calls(&tenant("t1"), &campaign_a).await.expect("calls")), ["early", "late"]);
    assert_eq!(fact_ids(store.call_facts(&tenant("t1"), &campaign_a).await.expect("facts")), ["early", "late"]);
    let second_week = CallFilter {
        from: Some("2026-01-12T00:00:00Z".parse().expect("date")),
        to: Some("2026-01-12T10:00:00Z".parse().expect("date")),
        ..CallFilter::default()
    };
    assert_eq!(
        ids(store.calls(&tenant("t1"), &second_week).await.expect("calls")),
        ["late"],
        "from inclusive, to exclusive"
    );
}

async fn the_schema_version_is_recorded(store: &dyn Store) {
    assert!(store.schema_version().await.expect("schema version") >= 2);
}

fn at(text: &str) -> chrono::DateTime<chrono::Utc> {
    text.parse().expect("valid test timestamp")
}

fn new_model(name: &str, auc: f64, artifact: &str) -> NewModelVersion {
    NewModelVersion {
        name: name.to_string(),
        created_at: at("2026-02-01T10:00:00Z"),
        card: json!({"metrics": {"auc": auc}}),
        artifact: artifact.to_string(),
    }
}

async fn model_versions_are_numbered_by_the_store_and_never_change(store: &dyn Store) {
    let t1 = tenant("t1");
    let first = store.register_model_version(&t1, &new_model("showed_up", 0.7, "model one")).await.expect("register");
    let second = store.register_model_version(&t1, &new_model("showed_up", 0.8, "model two")).await.expect("register");
    let other = store.register_model_version(&t1, &new_model("booked", 0.6, "model b")).await.expect("register");
    assert_eq!((first.version, second.version, other.version), (1, 2, 1), "versions: numbered per name");
    let (version, artifact) = store.model_artifact(&t1, "showed_up", 1).await.expect("read").expect("version 1");
    assert_eq!((version.card["metrics"]["auc"].as_f64(), artifact.as_str()), (Some(0.7), "model one"));
    assert_eq!(version.created_at, at("2026-02-01T10:00:00Z"), "versions: creation time kept");
    assert!(store.model_artifact(&t1, "showed_up", 3).await.expect("read").is_none(), "versions: no version 3");
    let listed: Vec<(String, u32)> = store
        .model_versions(&t1, None)
        .await
        .expect("list")
        .into_iter()
        .map(|version| (version.name, version.version))
        .collect();
    assert_eq!(listed, vec![("booked".into(), 1), ("showed_up".into(), 1), ("showed_up".into(), 2)]);
    assert_eq!(store.model_versions(&t1, Some("booked")).await.expect("list").len(), 1, "versions: by name");
    // A large artifact (a few hundred trees) survives the round trip byte for byte.
    let large: String = (0..200_000).map(|index| char::from(b'a' + (index % 26) as u8)).collect();
    let third = store.register_model_version(&t1, &new_model("showed_up", 0.9, &large)).await.expect("register");
    let (_, read_back) = store.model_artifact(&t1, "showed_up", third.version).await.expect("read").expect("v3");
    assert_eq!(read_back, large, "versions: a large artifact reads back unchanged");
}

async fn alias_changes_keep_their_history(store: &dyn Store) {
    let t1 = tenant("t1");
    for auc in [0.7, 0.8] {
        store.register_model_version(&t1, &new_model("showed_up", auc, "m")).await.expect("register");
    }
    let first = store
        .set_model_alias(&t1, "showed_up", "champion", 1, at("2026-02-01T10:00:00Z"), "first version")
        .await
        .expect("alias");
    assert_eq!(first.previous_version, None, "aliases: a new alias has no previous version");
    let second = store
        .set_model_alias(&t1, "showed_up", "champion", 2, at("2026-02-02T10:00:00Z"), "promoted")
        .await
        .expect("alias");
    assert_eq!(second.previous_version, Some(1), "aliases: the change names the version it replaced");
    store
        .set_model_alias(&t1, "showed_up", "challenger", 1, at("2026-02-02T11:00:00Z"), "kept for comparison")
        .await
        .expect("alias");
    let missing = store.set_model_alias(&t1, "showed_up", "champion", 9, at("2026-02-03T10:00:00Z"), "typo").await;
    assert!(
        matches!(missing, Err(StoreError::NotFound { .. })),
        "aliases: pointing at a missing version is refused, got {missing:?}"
    );
    let history = store.model_alias_history(&t1, "showed_up").await.expect("history");
    let summary: Vec<(&str, u32, Option<u32>, &str)> = history
        .iter()
        .map(|change| (change.alias.as_str(), change.version, change.previous_version, change.reason.as_str()))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("challenger", 1, None, "kept for comparison"),
            ("champion", 1, None, "first version"),
            ("champion", 2, Some(1), "promoted"),
        ],
        "aliases: every change kept, the failed one not recorded"
    );
    let current = current_aliases(&history);
    assert_eq!((current["champion"], current["challenger"]), (2, 1), "aliases: current from the newest change");
}

async fn tenants_never_see_each_others_models(store: &dyn Store) {
    let (acme, globex) = (tenant("acme"), tenant("globex"));
    store.register_model_version(&acme, &new_model("showed_up", 0.7, "acme's model")).await.expect("register");
    let globex_first =
        store.register_model_version(&globex, &new_model("showed_up", 0.9, "globex's model")).await.expect("register");
    assert_eq!(globex_first.version, 1, "models: each tenant numbers its own versions");
    let (_, artifact) = store.model_artifact(&acme, "showed_up", 1).await.expect("read").expect("acme v1");
    assert_eq!(artifact, "acme's model", "models: acme reads its own version 1");
    assert!(store.model_versions(&tenant("initech"), None).await.expect("list").is_empty());
    store
        .set_model_alias(&globex, "showed_up", "champion", 1, at("2026-02-01T10:00:00Z"), "promoted")
        .await
        .expect("alias");
    assert!(store.model_alias_history(&acme, "showed_up").await.expect("history").is_empty(), "models: aliases");
    let crossing =
        store.set_model_alias(&tenant("initech"), "showed_up", "champion", 1, at("2026-02-01T10:00:00Z"), "x").await;
    assert!(matches!(crossing, Err(StoreError::NotFound { .. })), "models: no alias onto another tenant's version");
}

fn touch(id: &str, lead_id: &str, action: &str, at: &str, led_to_booking: bool) -> Activity {
    serde_json::from_value(json!({
        "id": id, "lead_id": lead_id, "channel": "email", "action": action, "at": at, "led_to_booking": led_to_booking
    }))
    .expect("valid activity")
}

fn marked(activities: &[Activity]) -> Vec<&str> {
    activities.iter().filter(|activity| activity.led_to_booking).map(|activity| activity.id.as_str()).collect()
}

/// The converting touch is the last outbound touch at or before the conversion — whether the
/// touches came first, the converted lead first, or the conversion later as a status event.
async fn the_converting_touch_is_marked_whatever_the_arrival_order(store: &dyn Store) {
    let touches = || {
        vec![
            Record::Activity(touch("a1", "l1", "email_sent", "2026-01-05T10:00:00Z", false)),
            Record::Activity(touch("a2", "l1", "email_sent", "2026-01-07T10:00:00Z", false)),
            Record::Activity(touch("a3", "l1", "email_replied", "2026-01-07T12:00:00Z", false)),
            Record::Activity(touch("a4", "l1", "email_sent", "2026-01-09T10:00:00Z", false)),
        ]
    };
    write(store, "t1", touches()).await;
    let activities = store.activities(&tenant("t1")).await.expect("activities");
    assert!(marked(&activities).is_empty(), "converting touch: nothing converted yet");
    let event: OutcomeEvent = serde_json::from_value(
        json!({"id": "e1", "lead_id": "l1", "at": "2026-01-08T09:00:00Z", "lead_status": "converted"}),
    )
    .expect("valid event");
    write(store, "t1", vec![Record::Lead(sample_lead("l1")), Record::Outcome(event)]).await;
    let activities = store.activities(&tenant("t1")).await.expect("activities");
    assert_eq!(
        marked(&activities),
        vec!["a2"],
        "converting touch: the last outbound touch before a later status change"
    );

    let mut converted = sample_lead("l9");
    converted.status = LeadStatus::Converted;
    converted.converted_at = Some(at("2026-01-10T00:00:00Z"));
    write(store, "t2", vec![Record::Lead(converted)]).await;
    let later_touches = touches()
        .into_iter()
        .map(|record| match record {
            Record::Activity(mut activity) => {
                activity.lead_id = "l9".into();
                Record::Activity(activity)
            }
            other => other,
        })
        .collect();
    write(store, "t2", later_touches).await;
    let activities = store.activities(&tenant("t2")).await.expect("activities");
    assert_eq!(marked(&activities), vec!["a4"], "converting touch: touches arriving after the converted lead");
}

async fn a_sender_marked_converting_touch_is_kept(store: &dyn Store) {
    let mut converted = sample_lead("l1");
    converted.status = LeadStatus::Converted;
    converted.converted_at = Some(at("2026-01-10T00:00:00Z"));
    write(
        store,
        "t1",
        vec![
            Record::Lead(converted),
            Record::Activity(touch("a1", "l1", "email_sent", "2026-01-05T10:00:00Z", true)),
            Record::Activity(touch("a2", "l1", "email_sent", "2026-01-07T10:00:00Z", false)),
        ],
    )
    .await;
    let activities = store.activities(&tenant("t1")).await.expect("activities");
    assert_eq!(marked(&activities), vec!["a1"], "a_sender_marked_converting_touch_is_kept");
}

fn pattern(pattern_type: &str, sample_size: u64, computed_at: &str) -> StoredPattern {
    StoredPattern {
        pattern_type: pattern_type.to_string(),
        version: "1.0".into(),
        sample_size,
        confidence: 0.5,
        computed_at: at(computed_at),
        valid_until: at(computed_at) + chrono::Duration::days(7),
        body: json!({"type": pattern_type, "sample_size": sample_size}),
    }
}

async fn patterns_replace_the_current_and_keep_every_run(store: &dyn Store) {
    let t1 = tenant("t1");
    let first = vec![pattern("who", 100, "2026-02-01T00:00:00Z"), pattern("how", 40, "2026-02-01T00:00:00Z")];
    store.save_patterns(&t1, &first).await.expect("save");
    let second = vec![pattern("who", 150, "2026-02-08T00:00:00Z")];
    store.save_patterns(&t1, &second).await.expect("save");
    let current = store.current_patterns(&t1).await.expect("current");
    let summary: Vec<(String, u64)> = current.iter().map(|p| (p.pattern_type.clone(), p.sample_size)).collect();
    assert_eq!(summary, vec![("how".to_string(), 40), ("who".to_string(), 150)], "patterns: current per type");
    assert_eq!(current[1], second[0], "patterns: read back as saved");
    let history = store.pattern_history(&t1, "who").await.expect("history");
    assert_eq!(history, vec![first[0].clone(), second[0].clone()], "patterns: every run kept, oldest first");
}

async fn tenants_never_see_each_others_patterns(store: &dyn Store) {
    store.save_patterns(&tenant("t1"), &[pattern("who", 100, "2026-02-01T00:00:00Z")]).await.expect("save");
    assert!(store.current_patterns(&tenant("t2")).await.expect("current").is_empty(), "patterns: tenant isolation");
    assert!(
        store.pattern_history(&tenant("t2"), "who").await.expect("history").is_empty(),
        "history: tenant isolation"
    );
}

async fn an_invalid_pattern_saves_nothing(store: &dyn Store) {
    let mut bad = pattern("what", 10, "2026-02-01T00:00:00Z");
    bad.confidence = 1.5;
    let good = pattern("who", 10, "2026-02-01T00:00:00Z");
    let error = store.save_patterns(&tenant("t1"), &[good, bad]).await.expect_err("confidence 1.5 is refused");
    assert!(matches!(error, StoreError::Invalid { .. }), "{error}");
    assert!(
        store.current_patterns(&tenant("t1")).await.expect("current").is_empty(),
        "an_invalid_pattern_saves_nothing"
    );
}
