//! The `hindsight` binary end to end: the command names, flags, exit codes and outputs that
//! scripts rely on.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn hindsight(directory: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hindsight"))
        .args(args)
        .current_dir(directory)
        .env_remove("HINDSIGHT_DB")
        .env_remove("HINDSIGHT_TENANT")
        .env_remove("HINDSIGHT_CONFIG")
        .env_remove("HINDSIGHT_LOG")
        .output()
        .expect("binary runs")
}

/// Runs `hindsight redact ARGS` with `stdin` and `environment`.
fn redact(args: &[&str], stdin: &str, environment: &[(&str, &str)]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_hindsight"))
        .arg("redact")
        .args(args)
        .env_remove("HINDSIGHT_TENANT")
        .env_remove("HINDSIGHT_PSEUDONYM_KEY")
        .envs(environment.iter().copied())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("binary runs");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("stdin written");
    child.wait_with_output().expect("binary finishes")
}

fn stdout_json(output: &Output) -> Value {
    assert!(
        output.status.success() || output.status.code() == Some(3),
        "failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("not JSON ({error}): {}", String::from_utf8_lossy(&output.stdout)))
}

/// Simulates `calls` calls and `leads` leads into `dir/sim` and ingests the `files` named (from
/// that directory) into `db`, nothing rejected.
fn simulate_and_ingest(dir: &Path, db: &str, calls: &str, leads: &str, files: &[&str]) {
    stdout_json(&hindsight(dir, &["simulate", "--out", "sim", "--calls", calls, "--leads", leads, "--json"]));
    let paths: Vec<String> = files.iter().map(|file| format!("sim/{file}")).collect();
    let mut args = vec!["ingest", "--db", db, "--json"];
    args.extend(paths.iter().map(String::as_str));
    let ingest = stdout_json(&hindsight(dir, &args));
    assert_eq!(ingest["rejected"], 0, "{ingest:#}");
}

fn count_lines(path: &Path) -> u64 {
    std::fs::read_to_string(path).expect("readable").lines().filter(|line| !line.trim().is_empty()).count() as u64
}

#[test]
fn simulate_then_ingest_stores_every_record_and_db_info_matches_the_files() {
    let directory = tempfile::tempdir().expect("temp dir");
    let dir = directory.path();
    let output =
        hindsight(dir, &["simulate", "--out", "sim", "--calls", "3000", "--leads", "1200", "--seed", "11", "--json"]);
    let summary = stdout_json(&output);
    assert_eq!(summary["counts"]["calls"], 3000);

    let files =
        ["sim/campaign.json", "sim/leads.jsonl", "sim/activities.jsonl", "sim/calls.jsonl", "sim/outcomes.jsonl"];
    let mut args = vec!["ingest", "--db", "test.db", "--tenant", "acme", "--json"];
    args.extend(files);
    let ingest = stdout_json(&hindsight(dir, &args));
    assert_eq!(ingest["rejected"], 0, "{ingest:#}");

    let info = stdout_json(&hindsight(dir, &["db", "info", "--db", "test.db", "--json"]));
    let counts = &info["tenants"][0]["counts"];
    assert_eq!(info["tenants"][0]["tenant"], "acme");
    assert_eq!(counts["call"], count_lines(&dir.join("sim/calls.jsonl")));
    assert_eq!(counts["lead"], count_lines(&dir.join("sim/leads.jsonl")));
    assert_eq!(counts["activity"], count_lines(&dir.join("sim/activities.jsonl")));
    assert_eq!(counts["outcome"], count_lines(&dir.join("sim/outcomes.jsonl")));
    assert_eq!(counts["campaign"], 1);

    // Re-ingesting changes nothing.
    let again = stdout_json(&hindsight(dir, &args));
    assert_eq!(again["written"], 0);
    assert_eq!(again["unchanged"], ingest["accepted"]);
    let info_again = stdout_json(&hindsight(dir, &["db", "info", "--db", "test.db", "--json"]));
    assert_eq!(info_again, info);
}

#[test]
fn rejected_records_are_listed_as_file_line_field_reason_and_exit_with_3() {
    let directory = tempfile::tempdir().expect("temp dir");
    let dir = directory.path();
    std::fs::write(
        dir.join("leads.jsonl"),
        "{\"type\":\"lead\",\"id\":\"l1\",\"status\":\"new\"}\n{\"type\":\"lead\",\"id\":\"l2\",\"status\":\"warm\"}\n",
    )
    .expect("write");
    let output = hindsight(dir, &["ingest", "--db", "t.db", "leads.jsonl"]);
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("leads.jsonl:2: status: unknown value `warm`, expected one of"), "{stderr}");
    let info = stdout_json(&hindsight(dir, &["db", "info", "--db", "t.db", "--json"]));
    assert_eq!(info["tenants"][0]["counts"]["lead"], 1, "the valid lead is kept");
}

#[test]
fn the_demo_runs_end_to_end_on_the_embedded_store() {
    let directory = tempfile::tempdir().expect("temp dir");
    let output = hindsight(directory.path(), &["demo", "--calls", "600", "--leads", "300"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("hindsight demo") && stdout.contains("calls per ISO week"), "{stdout}");
    assert!(stdout.contains("CAMPAIGN INTELLIGENCE REPORT") && stdout.contains("EXCELLENCE REPORT"), "{stdout}");
    assert!(stdout.contains("SHOW-UP MODEL") && stdout.contains("registered as showed_up@1"), "{stdout}");
    assert!(stdout.contains("show-up probability") && stdout.contains(" points"), "{stdout}");
    assert!(stdout.contains("CONVERSION PATTERNS") && stdout.contains("open leads rescored"), "{stdout}");
    assert!(directory.path().join("hindsight.db").exists(), "the default database is ./hindsight.db");
    let report = stdout_json(&hindsight(directory.path(), &["demo", "--calls", "600", "--leads", "300", "--json"]));
    assert_eq!(report["ingested_rejected"], 0);
    assert_eq!(report["ingested_written"], 0, "a second identical demo changes nothing");
}

/// simulate → ingest → learn patterns → score-leads → report patterns / patterns context, and
/// another tenant sees none of it.
#[test]
fn conversion_patterns_are_learned_stored_reported_and_kept_per_tenant() {
    let directory = tempfile::tempdir().expect("temp dir");
    let dir = directory.path();
    let simulate = hindsight(dir, &["simulate", "--out", "sim", "--calls", "50", "--leads", "1500", "-q"]);
    assert!(simulate.status.success(), "{}", String::from_utf8_lossy(&simulate.stderr));
    let files = ["sim/leads.jsonl", "sim/activities.jsonl"];
    let ingest = hindsight(dir, &[&["ingest", "--db", "t.db", "-q"][..], &files[..]].concat());
    assert!(ingest.status.success(), "{}", String::from_utf8_lossy(&ingest.stderr));

    let learned = stdout_json(&hindsight(dir, &["learn", "patterns", "--db", "t.db", "--json"]));
    assert_eq!(learned["leads"], 1500);
    for kind in ["who", "what", "when", "how"] {
        assert_eq!(learned["patterns"][kind]["type"], kind);
        assert_eq!(learned["patterns"][kind]["version"], "1.0");
        assert!(learned["patterns"][kind]["confidence"].as_f64().unwrap() > 0.5, "{kind}");
    }
    let weights = &learned["patterns"]["who"]["recommended_weights"];
    let sum: f64 =
        ["data_quality", "authority", "company_fit", "timing"].iter().map(|k| weights[k].as_f64().unwrap()).sum();
    assert!((sum - 0.85).abs() < 1e-9, "{weights}");

    let scoring = stdout_json(&hindsight(dir, &["score-leads", "--db", "t.db", "--json"]));
    assert_eq!(scoring["source"], "learned");
    assert_eq!(scoring["weights"], *weights, "the open leads are scored with the learned weights");

    let report = stdout_json(&hindsight(dir, &["report", "patterns", "--db", "t.db", "--format", "json"]));
    assert_eq!(report["report_type"], "conversion_patterns");
    assert!(report["patterns"]["who"]["title_rankings"].as_array().is_some_and(|r| !r.is_empty()));
    for format in ["text", "md", "html"] {
        let output = hindsight(dir, &["report", "patterns", "--db", "t.db", "--format", format]);
        assert!(output.status.success(), "{format}");
        assert!(String::from_utf8_lossy(&output.stdout).contains("WHO"), "{format}");
    }
    let context = stdout_json(&hindsight(dir, &["patterns", "context", "--db", "t.db", "--json"]));
    assert!(context["campaign"].as_str().unwrap().contains("Best performing sequence"), "{context}");

    let other =
        stdout_json(&hindsight(dir, &["report", "patterns", "--db", "t.db", "--tenant", "other", "--format", "json"]));
    assert!(other["patterns"]["who"].is_null(), "another tenant sees no patterns: {}", other["patterns"]);
    let other_context = hindsight(dir, &["patterns", "context", "--db", "t.db", "--tenant", "other"]);
    assert!(String::from_utf8_lossy(&other_context.stdout).contains("No WHO pattern has been computed yet"));
}

#[test]
fn configuration_precedence_is_defaults_then_file_then_env_then_flags() {
    let directory = tempfile::tempdir().expect("temp dir");
    let dir = directory.path();
    let show = |extra_env: Option<(&str, &str)>, args: &[&str]| -> String {
        let mut command = Command::new(env!("CARGO_BIN_EXE_hindsight"));
        command
            .args(args)
            .current_dir(dir)
            .env_remove("HINDSIGHT_TENANT")
            .env_remove("HINDSIGHT_DB")
            .env_remove("HINDSIGHT_CONFIG");
        if let Some((key, value)) = extra_env {
            command.env(key, value);
        }
        let output = command.output().expect("runs");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    assert!(show(None, &["config", "show"]).contains("tenant = \"default\""));
    std::fs::write(dir.join("hindsight.toml"), "tenant = \"from-file\"\n").expect("write");
    assert!(show(None, &["config", "show"]).contains("tenant = \"from-file\""));
    assert!(show(Some(("HINDSIGHT_TENANT", "from-env")), &["config", "show"]).contains("tenant = \"from-env\""));
    assert!(
        show(Some(("HINDSIGHT_TENANT", "from-env")), &["config", "show", "--tenant", "from-flag"])
            .contains("tenant = \"from-flag\"")
    );
    let printed = show(None, &["config", "print-default"]);
    assert!(printed.starts_with("# hindsight configuration."), "{printed}");
}

#[test]
fn every_command_has_help() {
    let directory = tempfile::tempdir().expect("temp dir");
    for args in [
        vec!["--help"],
        vec!["simulate", "--help"],
        vec!["ingest", "--help"],
        vec!["db", "info", "--help"],
        vec!["demo", "--help"],
        vec!["bench", "ingest", "--help"],
        vec!["config", "print-default", "--help"],
        vec!["redact", "--help"],
        vec!["report", "campaign", "--help"],
        vec!["report", "excellence", "--help"],
        vec!["train", "--help"],
        vec!["export", "--help"],
        vec!["score", "--help"],
        vec!["models", "list", "--help"],
        vec!["models", "promote", "--help"],
        vec!["models", "rollback", "--help"],
        vec!["learn", "patterns", "--help"],
        vec!["patterns", "context", "--help"],
        vec!["score-leads", "--help"],
        vec!["report", "patterns", "--help"],
    ] {
        let output = hindsight(directory.path(), &args);
        assert!(output.status.success(), "{args:?}");
        assert!(String::from_utf8_lossy(&output.stdout).contains("Usage:"), "{args:?}");
    }
}

#[test]
fn usage_errors_exit_with_2_and_failures_with_1() {
    let directory = tempfile::tempdir().expect("temp dir");
    assert_eq!(hindsight(directory.path(), &["ingest"]).status.code(), Some(2), "missing FILE");
    let missing = hindsight(directory.path(), &["ingest", "--db", "t.db", "nope.jsonl"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("cannot read nope.jsonl"),
        "{}",
        String::from_utf8_lossy(&missing.stderr)
    );
    let bad_tenant = hindsight(directory.path(), &["db", "info", "--tenant", "a/b"]);
    assert_eq!(bad_tenant.status.code(), Some(1));
    let postgres = hindsight(directory.path(), &["db", "info", "--db", "postgres://localhost/x"]);
    assert!(String::from_utf8_lossy(&postgres.stderr).contains("PostgreSQL backend is not built yet"));
}

#[test]
fn report_campaign_reads_the_latest_week_and_says_what_it_cannot_do() {
    let directory = tempfile::tempdir().expect("temp dir");
    let dir = directory.path();
    let no_campaign = hindsight(dir, &["report", "campaign", "--db", "r.db"]);
    assert_eq!(no_campaign.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&no_campaign.stderr).contains("campaign record in tenant default"),
        "{}",
        String::from_utf8_lossy(&no_campaign.stderr)
    );

    simulate_and_ingest(dir, "r.db", "2000", "300", &["campaign.json", "calls.jsonl", "outcomes.jsonl"]);
    let report = stdout_json(&hindsight(dir, &["report", "campaign", "--db", "r.db", "--format", "json"]));
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["period"]["from"], "2026-02-09", "the simulation's last ISO week");
    assert_eq!(report["previous_period"]["from"], "2026-02-02");

    let kinds = |report: &Value| -> Vec<String> {
        report["analysis"]["issues"]
            .as_array()
            .expect("issues")
            .iter()
            .map(|i| i["kind"].as_str().expect("kind").to_string())
            .collect()
    };
    assert!(kinds(&report).contains(&"high_drop_off".to_string()), "{:?}", kinds(&report));
    // Thresholds come from the config file.
    std::fs::write(dir.join("lenient.toml"), "[campaign.issues]\ndrop_off_rate = 0.9\n").expect("write");
    let lenient = stdout_json(&hindsight(
        dir,
        &["report", "campaign", "--db", "r.db", "--format", "json", "--config", "lenient.toml"],
    ));
    assert!(!kinds(&lenient).contains(&"high_drop_off".to_string()), "{:?}", kinds(&lenient));

    let week = hindsight(dir, &["report", "campaign", "--db", "r.db", "--week", "2026-W07", "--out", "week.txt"]);
    assert!(week.status.success(), "{}", String::from_utf8_lossy(&week.stderr));
    assert!(std::fs::read_to_string(dir.join("week.txt")).expect("written").contains("EXECUTIVE SUMMARY"));

    let html = hindsight(dir, &["report", "campaign", "--db", "r.db", "--format", "html", "--out", "report.html"]);
    assert!(html.status.success(), "{}", String::from_utf8_lossy(&html.stderr));
    let page = std::fs::read_to_string(dir.join("report.html")).expect("written");
    assert!(page.starts_with("<!doctype html>") && page.contains("new Chart("), "a page with charts");
    let bad_week = hindsight(dir, &["report", "campaign", "--db", "r.db", "--week", "2026-W99"]);
    assert!(
        String::from_utf8_lossy(&bad_week.stderr).contains("2026-W99 is not an ISO week"),
        "{}",
        String::from_utf8_lossy(&bad_week.stderr)
    );
}

#[test]
fn report_excellence_analyses_the_stored_calls_and_says_when_there_are_none() {
    let directory = tempfile::tempdir().expect("temp dir");
    let dir = directory.path();
    let empty = hindsight(dir, &["report", "excellence", "--db", "e.db"]);
    assert_eq!(empty.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&empty.stderr).contains("not found: calls in tenant default"),
        "{}",
        String::from_utf8_lossy(&empty.stderr)
    );

    simulate_and_ingest(dir, "e.db", "2000", "400", &["leads.jsonl", "calls.jsonl", "outcomes.jsonl"]);
    let report = stdout_json(&hindsight(dir, &["report", "excellence", "--db", "e.db", "--format", "json"]));
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["report_type"], "excellence_analysis");
    assert_eq!(report["analysis_period"]["calls"], 2000);
    assert_eq!(report["top_performers"]["call_count"], 200);
    assert!(report["strata"]["strata"].as_array().expect("strata").len() > 1, "the leads' score bands");

    // Settings come from the config file.
    std::fs::write(dir.join("fifth.toml"), "[excellence]\ncohort_share = 0.2\n").expect("write");
    let fifth = stdout_json(&hindsight(
        dir,
        &["report", "excellence", "--db", "e.db", "--format", "json", "--config", "fifth.toml"],
    ));
    assert_eq!(fifth["top_performers"]["call_count"], 400);

    let markdown = hindsight(dir, &["report", "excellence", "--db", "e.db", "--format", "md", "--out", "e.md"]);
    assert!(markdown.status.success(), "{}", String::from_utf8_lossy(&markdown.stderr));
    assert!(std::fs::read_to_string(dir.join("e.md")).expect("written").starts_with("# Excellence report"));
    let other = hindsight(dir, &["report", "excellence", "--db", "e.db", "--campaign", "nope"]);
    assert!(
        String::from_utf8_lossy(&other.stderr).contains("calls in campaign \"nope\" of tenant default"),
        "{}",
        String::from_utf8_lossy(&other.stderr)
    );
}

#[test]
fn train_reports_held_out_metrics_and_registers_the_model() {
    let directory = tempfile::tempdir().expect("temp dir");
    let dir = directory.path();
    simulate_and_ingest(dir, "t.db", "3000", "600", &["leads.jsonl", "calls.jsonl", "outcomes.jsonl"]);
    let report =
        stdout_json(&hindsight(dir, &["train", "--db", "t.db", "--target", "showed_up", "--split", "kfold", "--json"]));
    assert_eq!(report["target"], "showed_up");
    assert_eq!(report["evaluations"].as_array().expect("evaluations").len(), 3, "auto tries every family");
    let rows = report["rows"].as_u64().expect("rows");
    assert_eq!(report["evaluations"][0]["raw"]["rows"].as_u64(), Some(rows), "k-fold predicts every row");
    assert!(["logistic", "gbm", "forest"].contains(&report["chosen"].as_str().expect("chosen")));
    assert_eq!(report["registered"]["version"], 1);
    assert_eq!(report["registered"]["alias"], "champion", "a model's first version becomes champion");

    let export =
        hindsight(dir, &["export", "--db", "t.db", "--format", "csv", "--target", "showed_up", "--out", "f.csv"]);
    assert!(export.status.success(), "{}", String::from_utf8_lossy(&export.stderr));
    let csv = std::fs::read_to_string(dir.join("f.csv")).expect("written");
    let header: Vec<&str> = csv.lines().next().expect("header").split(',').collect();
    assert_eq!(header[..3], ["call_id", "started_at", "showed_up"]);
    assert_eq!(header.len() - 3, report["features"].as_u64().expect("features") as usize, "one column per feature");
    assert_eq!(csv.lines().count() as u64 - 1, rows, "one line per row train learned from");

    let text = hindsight(dir, &["train", "--db", "t.db", "--target", "showed_up", "--family", "forest"]);
    assert!(text.status.success(), "{}", String::from_utf8_lossy(&text.stderr));
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(stdout.contains("time (latest 20% held out)"), "{stdout}");
    assert!(stdout.contains("registered as showed_up@2 (challenger)"), "{stdout}");
    let dry = hindsight(dir, &["train", "--db", "t.db", "--target", "booked", "--family", "logistic", "--dry-run"]);
    assert!(String::from_utf8_lossy(&dry.stdout).contains("dry run: the model was not registered"));
}

#[test]
fn a_lead_level_model_qualifies_leads() {
    let directory = tempfile::tempdir().expect("temp dir");
    let dir = directory.path();
    simulate_and_ingest(dir, "t.db", "500", "4000", &["leads.jsonl"]);
    let trained = stdout_json(&hindsight(
        dir,
        &["train", "--db", "t.db", "--target", "progressed", "--family", "logistic", "--json"],
    ));
    assert_eq!((trained["target"].as_str(), trained["registered"]["version"].as_u64()), (Some("progressed"), Some(1)));
    let leads = std::fs::read_to_string(dir.join("sim/leads.jsonl")).expect("leads");
    let calls = std::fs::read_to_string(dir.join("sim/calls.jsonl")).expect("calls");
    let input = format!(
        "{}\n{}\n",
        leads.lines().take(10).collect::<Vec<_>>().join("\n"),
        calls.lines().next().expect("a call")
    );
    std::fs::write(dir.join("in.jsonl"), input).expect("write");
    let scored = hindsight(dir, &["score", "--db", "t.db", "--model", "progressed", "in.jsonl", "--handoff-at", "50"]);
    assert_eq!(scored.status.code(), Some(3), "the call line is rejected");
    assert!(
        String::from_utf8_lossy(&scored.stderr)
            .contains("in.jsonl:11: type: a call record, but a progressed model scores lead records")
    );
    let lines: Vec<Value> =
        String::from_utf8_lossy(&scored.stdout).lines().map(|line| serde_json::from_str(line).expect("JSON")).collect();
    assert_eq!(lines.len(), 10);
    for line in &lines {
        let score = line["qualification_score"].as_u64().expect("score");
        let expected = if score >= 50 {
            "AE_HANDOFF"
        } else if score >= 40 {
            "NURTURE_TRACK"
        } else {
            "SELF_SERVICE"
        };
        assert_eq!(line["recommendation"], expected, "{line}");
        assert!(line["progression_probability"].as_f64().is_some(), "{line}");
        assert!(line["voice_ai_fit"].is_null(), "no fit model, no fit: {line}");
        assert!(!line["reasoning"].as_array().expect("reasoning").is_empty(), "{line}");
        assert!(["HIGH", "MEDIUM", "LOW"].contains(&line["priority"].as_str().expect("priority")), "{line}");
    }
    let bad = hindsight(dir, &["score", "--db", "t.db", "--model", "progressed", "in.jsonl", "--nurture-at", "80"]);
    assert_eq!(bad.status.code(), Some(1), "nurture above handoff is refused");

    // The file sets what the flags leave unset: nurture from [qualification], handoff from the flag.
    std::fs::write(dir.join("hindsight.toml"), "[qualification]\nnurture = 10.0\n").expect("write config");
    let scored = hindsight(dir, &["score", "--db", "t.db", "--model", "progressed", "in.jsonl", "--handoff-at", "50"]);
    for line in
        String::from_utf8_lossy(&scored.stdout).lines().map(|line| serde_json::from_str::<Value>(line).expect("JSON"))
    {
        let score = line["qualification_score"].as_u64().expect("score");
        let expected = if score >= 50 {
            "AE_HANDOFF"
        } else if score >= 10 {
            "NURTURE_TRACK"
        } else {
            "SELF_SERVICE"
        };
        assert_eq!(line["recommendation"], expected, "{line}");
    }

    // A voice-AI-fit model, trained on the leads' `voice_ai_fit` labels, joins the qualification.
    let fit = stdout_json(&hindsight(
        dir,
        &["train", "--db", "t.db", "--target", "voice_ai_fit", "--family", "logistic", "--json"],
    ));
    assert_eq!(fit["registered"]["name"], "voice_ai_fit", "{fit}");
    let leads_only = leads.lines().take(10).collect::<Vec<_>>().join("\n") + "\n";
    std::fs::write(dir.join("leads-in.jsonl"), leads_only).expect("write");
    let both = hindsight(
        dir,
        &["score", "--db", "t.db", "--model", "progressed", "--fit-model", "voice_ai_fit", "leads-in.jsonl"],
    );
    assert!(both.status.success(), "{}", String::from_utf8_lossy(&both.stderr));
    let fits = hindsight(dir, &["score", "--db", "t.db", "--model", "voice_ai_fit", "leads-in.jsonl"]);
    let fit_lines: Vec<Value> =
        String::from_utf8_lossy(&fits.stdout).lines().map(|line| serde_json::from_str(line).expect("JSON")).collect();
    let both_lines: Vec<Value> =
        String::from_utf8_lossy(&both.stdout).lines().map(|line| serde_json::from_str(line).expect("JSON")).collect();
    assert_eq!((both_lines.len(), fit_lines.len()), (10, 10));
    for (line, fit_line) in both_lines.iter().zip(&fit_lines) {
        let fit_probability = fit_line["voice_ai_fit_probability"].as_f64().expect("fit probability");
        assert_eq!(fit_line["lead_id"], line["lead_id"]);
        assert_eq!(line["voice_ai_fit"].as_u64(), Some((fit_probability * 100.0).round() as u64), "{line}");
        // The default blend (fit_weight 0.3 of the config file's [qualification], unset there).
        let progression = line["progression_probability"].as_f64().expect("probability");
        let blended = ((0.7 * progression + 0.3 * fit_probability) * 100.0).round() as u64;
        assert_eq!(line["qualification_score"].as_u64(), Some(blended), "{line}");
        assert!(["HIGH_VOICE_AI", "HIGH", "MEDIUM", "LOW"].contains(&line["priority"].as_str().expect("priority")));
    }
    let swapped = hindsight(
        dir,
        &["score", "--db", "t.db", "--model", "voice_ai_fit", "--fit-model", "progressed", "leads-in.jsonl"],
    );
    assert_eq!(swapped.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&swapped.stderr).contains("want progressed and voice_ai_fit"),
        "{}",
        String::from_utf8_lossy(&swapped.stderr)
    );
}

/// `bench gbm` fits on the earliest rows of an exported CSV and reports the held-out AUC and
/// log-loss, raw and after the calibration `train` would choose.
#[test]
fn bench_gbm_reports_held_out_metrics_raw_and_calibrated() {
    let directory = tempfile::tempdir().expect("temp dir");
    let dir = directory.path();
    // x decides the label through a logistic curve; noise is pure noise.
    let mut csv = String::from("id,at,label,x,noise\n");
    let mut state = 7_u64;
    for row in 0..800 {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let uniform = (state >> 11) as f64 / (1_u64 << 53) as f64;
        let x = (row % 40) as f64 / 4.0 - 5.0;
        let label = uniform < 1.0 / (1.0 + (-x).exp());
        csv.push_str(&format!("r{row},2026-01-01T00:00:00Z,{},{x},{}\n", u8::from(label), (state >> 40) % 100));
    }
    std::fs::write(dir.join("f.csv"), csv).expect("write");
    let result = stdout_json(&hindsight(dir, &["bench", "gbm", "--file", "f.csv", "--holdout", "0.25", "--json"]));
    assert_eq!((result["train_rows"].as_u64(), result["features"].as_u64()), (Some(600), Some(2)));
    assert!(result["auc"].as_f64().expect("auc") > 0.9, "{result}");
    let (raw, calibrated) =
        (result["log_loss"].as_f64().expect("raw"), result["calibrated_log_loss"].as_f64().expect("calibrated"));
    // A constant guess scores 0.69 here; the curve itself about 0.28.
    assert!(calibrated < 0.35 && raw < 0.35, "{result}");
    assert!(["platt", "isotonic"].contains(&result["calibration"].as_str().expect("method")), "{result}");
}

/// Where calls are stored beside the leads, lead rows read them: the exported progression matrix
/// has the call-history columns, and scoring reads each lead's stored calls (a lead scored
/// without them would show zero calls).
#[test]
fn a_lead_level_model_reads_the_leads_stored_calls() {
    let directory = tempfile::tempdir().expect("temp dir");
    let dir = directory.path();
    simulate_and_ingest(dir, "t.db", "3000", "1500", &["leads.jsonl", "calls.jsonl"]);
    let export =
        hindsight(dir, &["export", "--db", "t.db", "--format", "csv", "--target", "progressed", "--out", "f.csv"]);
    assert!(export.status.success(), "{}", String::from_utf8_lossy(&export.stderr));
    let csv = std::fs::read_to_string(dir.join("f.csv")).expect("written");
    let header: Vec<&str> = csv.lines().next().expect("header").split(',').collect();
    assert!(header.contains(&"calls_count") && header.contains(&"calls_said_pricing_request"), "{header:?}");

    let trained = hindsight(dir, &["train", "--db", "t.db", "--target", "progressed", "--family", "logistic"]);
    assert!(trained.status.success(), "{}", String::from_utf8_lossy(&trained.stderr));
    let called: std::collections::HashSet<String> = std::fs::read_to_string(dir.join("sim/calls.jsonl"))
        .expect("calls")
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).expect("JSON")["lead_id"].as_str().map(str::to_string))
        .collect();
    let open_called: Vec<String> = std::fs::read_to_string(dir.join("sim/leads.jsonl"))
        .expect("leads")
        .lines()
        .filter(|line| {
            let lead: Value = serde_json::from_str(line).expect("JSON");
            lead["status"] == "contacted" && called.contains(lead["id"].as_str().expect("id"))
        })
        .take(200)
        .map(str::to_string)
        .collect();
    std::fs::write(dir.join("in.jsonl"), open_called.join("\n") + "\n").expect("write");
    let scored = hindsight(dir, &["score", "--db", "t.db", "--model", "progressed", "in.jsonl"]);
    assert!(scored.status.success(), "{}", String::from_utf8_lossy(&scored.stderr));
    let call_counts: Vec<String> = String::from_utf8_lossy(&scored.stdout)
        .lines()
        .flat_map(|line| serde_json::from_str::<Value>(line).expect("JSON")["key_factors"].as_array().cloned().unwrap())
        .filter(|factor| factor["factor"] == "calls_count")
        .map(|factor| factor["value"].as_str().expect("value").to_string())
        .collect();
    assert!(!call_counts.is_empty(), "the call count moves some of {} leads", open_called.len());
    assert!(call_counts.iter().all(|count| count != "0"), "every scored lead was called: {call_counts:?}");
}

#[test]
fn models_are_listed_promoted_rolled_back_and_score_calls_with_explanations() {
    let directory = tempfile::tempdir().expect("temp dir");
    let dir = directory.path();
    simulate_and_ingest(dir, "t.db", "2500", "500", &["leads.jsonl", "calls.jsonl", "outcomes.jsonl"]);
    for family in ["logistic", "gbm"] {
        let trained = hindsight(dir, &["train", "--db", "t.db", "--target", "showed_up", "--family", family, "--json"]);
        assert!(trained.status.success(), "{}", String::from_utf8_lossy(&trained.stderr));
    }
    let listed = stdout_json(&hindsight(dir, &["models", "list", "--db", "t.db", "--json"]));
    let summary: Vec<(u64, Value, Value)> = listed
        .as_array()
        .expect("versions")
        .iter()
        .map(|version| {
            (version["version"].as_u64().expect("v"), version["aliases"].clone(), version["card"]["family"].clone())
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (1, serde_json::json!(["champion"]), "logistic".into()),
            (2, serde_json::json!(["challenger"]), "gbm".into())
        ]
    );
    assert_eq!(listed[0]["card"]["data_hash"], listed[1]["card"]["data_hash"], "same data, same hash");
    assert!(listed[0]["card"]["held_out"]["auc"].as_f64().expect("auc") > 0.5);

    let promoted = stdout_json(&hindsight(dir, &["models", "promote", "showed_up@2", "--db", "t.db", "--json"]));
    assert_eq!((promoted["version"].as_u64(), promoted["previous_version"].as_u64()), (Some(2), Some(1)));
    let shown = stdout_json(&hindsight(dir, &["models", "show", "showed_up", "--db", "t.db", "--json"]));
    assert_eq!(shown["version"], 2, "NAME alone is the champion");
    assert_eq!(shown["alias_history"].as_array().expect("history").len(), 3, "challenger, champion, promotion");
    let rolled = stdout_json(&hindsight(dir, &["models", "rollback", "showed_up", "--db", "t.db", "--json"]));
    assert_eq!((rolled["version"].as_u64(), rolled["reason"].as_str()), (Some(1), Some("rolled back from version 2")));
    let again = hindsight(dir, &["models", "rollback", "showed_up", "--db", "t.db"]);
    assert_eq!(again.status.code(), Some(1), "nothing earlier than the first version");
    assert!(String::from_utf8_lossy(&again.stderr).contains("no earlier version to roll back to"));
    let text = hindsight(dir, &["models", "show", "showed_up@2", "--db", "t.db"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("alias history of showed_up"));

    // Score: booked calls from the simulated file, one line that is not a call, one broken line.
    let calls = std::fs::read_to_string(dir.join("sim/calls.jsonl")).expect("calls");
    let booked: Vec<&str> = calls.lines().filter(|line| line.contains("\"booked\":true")).take(20).collect();
    let input = format!("{}\n{{\"type\":\"lead\",\"id\":\"x\",\"status\":\"new\"}}\n{{not json\n", booked.join("\n"));
    std::fs::write(dir.join("in.jsonl"), input).expect("write");
    let scored =
        hindsight(dir, &["score", "--db", "t.db", "--model", "showed_up@champion", "in.jsonl", "--out", "out.jsonl"]);
    assert_eq!(scored.status.code(), Some(3), "rejected lines exit 3");
    let stderr = String::from_utf8_lossy(&scored.stderr);
    assert!(stderr.contains("in.jsonl:21: type: a lead record, but a showed_up model scores call records"), "{stderr}");
    assert!(stderr.contains("in.jsonl:22: "), "{stderr}");
    let out = std::fs::read_to_string(dir.join("out.jsonl")).expect("scores written");
    let scores: Vec<Value> = out.lines().map(|line| serde_json::from_str(line).expect("JSON line")).collect();
    assert_eq!(scores.len(), booked.len(), "every valid call scored");
    for score in &scores {
        assert_eq!(score["model"], "showed_up@1");
        let probability = score["show_up_probability"].as_f64().expect("probability");
        assert!((0.0..=1.0).contains(&probability), "{score}");
        let factors = score["key_factors"].as_array().expect("factors");
        assert!(!factors.is_empty() && factors.len() <= 5, "{score}");
        assert!(factors[0]["text"].as_str().expect("text").contains(" points"), "{score}");
    }

    // Another tenant sees none of it.
    let other = hindsight(dir, &["score", "--db", "t.db", "--tenant", "globex", "--model", "showed_up", "in.jsonl"]);
    assert_eq!(other.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&other.stderr).contains("not found"), "{}", String::from_utf8_lossy(&other.stderr));
    let listed = stdout_json(&hindsight(dir, &["models", "list", "--db", "t.db", "--tenant", "globex", "--json"]));
    assert_eq!(listed, serde_json::json!([]));
    let promote = hindsight(dir, &["models", "promote", "showed_up@1", "--db", "t.db", "--tenant", "globex"]);
    assert_eq!(promote.status.code(), Some(1), "no promoting onto another tenant's version");
}

#[test]
fn redact_prints_placeholders_or_spans_and_reports_bad_lines() {
    let input = "Yes, this is Sarah Johnson. It's four one five, double five five, oh one three four.\n{\"text\": \"ssn 123-45-6789\"}\n";
    let text = redact(&[], input, &[]);
    assert!(text.status.success(), "{}", String::from_utf8_lossy(&text.stderr));
    assert_eq!(String::from_utf8_lossy(&text.stdout), "Yes, this is [PERSON]. It's [PHONE].\nssn [SSN]\n");

    let json = redact(&["--format", "json"], "Call 415-555-0134\n", &[]);
    let line: Value = serde_json::from_slice(&json.stdout).expect("one JSON line");
    assert_eq!(line["spans"][0]["type"], "PHONE");
    assert_eq!((line["spans"][0]["start"].as_u64(), line["spans"][0]["end"].as_u64()), (Some(5), Some(17)));

    let key = [("HINDSIGHT_PSEUDONYM_KEY", "a-long-enough-test-secret")];
    let acme = redact(&["--tenant", "acme"], "415-555-0134\n", &key);
    let globex = redact(&["--tenant", "globex"], "415-555-0134\n", &key);
    let acme_again = redact(&["--tenant", "acme"], "four one five five five five oh one three four\n", &key);
    assert!(String::from_utf8_lossy(&acme.stdout).starts_with("[PHONE_"));
    assert_eq!(acme.stdout, acme_again.stdout, "same tenant, same number: same tag");
    assert_ne!(acme.stdout, globex.stdout, "another tenant: another tag");
    let short_key = redact(&[], "x\n", &[("HINDSIGHT_PSEUDONYM_KEY", "short")]);
    assert_eq!(short_key.status.code(), Some(1));

    let bad = redact(&[], "fine\n{\"id\": 1}\n", &[]);
    assert_eq!(bad.status.code(), Some(3));
    assert_eq!(String::from_utf8_lossy(&bad.stdout), "fine\n");
    assert_eq!(
        String::from_utf8_lossy(&bad.stderr).trim(),
        "stdin:2: text: missing (a JSON line needs a \"text\" field)"
    );
}
