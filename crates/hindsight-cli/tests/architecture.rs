//! Enforces the invariants in ARCHITECTURE.md that a compiler cannot:
//!
//! - the pure core (model, text, stats, ml, learn, report, sim) depends, even transitively, on no
//!   async runtime, database, HTTP or broker crate, and its source touches no files, network,
//!   environment, wall clock or global random generator;
//! - only hindsight-store depends on sqlx;
//! - only hindsight-cli reads environment variables.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde_json::Value;

/// Crates that must stay pure, when they exist.
const PURE_CRATES: &[&str] = &[
    "hindsight-model",
    "hindsight-text",
    "hindsight-stats",
    "hindsight-ml",
    "hindsight-learn",
    "hindsight-report",
    "hindsight-sim",
];

/// Dependencies that would let I/O or async into the core.
const FORBIDDEN_DEPENDENCIES: &[&str] = &["tokio", "sqlx", "axum", "async-nats", "reqwest", "hyper", "mio"];

/// Source patterns that mean I/O, ambient state or nondeterminism.
const FORBIDDEN_SOURCE: &[&str] = &[
    "std::fs",
    "std::net",
    "std::env",
    "SystemTime::now",
    "Instant::now",
    "Utc::now",
    "Local::now",
    "thread_rng",
    "rand::rng()",
    "OsRng",
    "File::open",
    "File::create",
];

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/<name> is two levels below the root")
        .to_path_buf()
}

/// The host's target triple, so metadata resolves for this platform only (offline, no need to
/// download crates for platforms the build never uses).
fn host_triple() -> String {
    let output = std::process::Command::new("rustc").arg("-vV").output().expect("rustc -vV runs");
    let text = String::from_utf8(output.stdout).expect("utf-8");
    text.lines().find_map(|line| line.strip_prefix("host: ")).expect("rustc prints its host").to_string()
}

fn cargo_metadata() -> Value {
    let output = std::process::Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--offline", "--filter-platform", &host_triple()])
        .current_dir(workspace_root())
        .output()
        .expect("cargo metadata runs");
    assert!(output.status.success(), "cargo metadata failed: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON")
}

/// Names of every package `package` depends on through normal (non-dev, non-build) edges.
fn normal_dependency_closure(metadata: &Value, package: &str) -> BTreeSet<String> {
    let names: HashMap<&str, &str> = metadata["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|p| (p["id"].as_str().expect("id"), p["name"].as_str().expect("name")))
        .collect();
    let nodes: HashMap<&str, &Value> = metadata["resolve"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| (n["id"].as_str().expect("id"), n))
        .collect();
    let start = names.iter().find(|(_, name)| **name == package).map(|(id, _)| *id).expect("package in workspace");
    let mut seen = BTreeSet::new();
    let mut stack = vec![start];
    while let Some(id) = stack.pop() {
        for dep in nodes[id]["deps"].as_array().expect("deps") {
            let normal = dep["dep_kinds"].as_array().expect("dep_kinds").iter().any(|kind| kind["kind"].is_null());
            let dep_id = dep["pkg"].as_str().expect("pkg");
            if normal && seen.insert(names[dep_id].to_string()) {
                stack.push(dep_id);
            }
        }
    }
    seen
}

fn workspace_crates() -> Vec<String> {
    std::fs::read_dir(workspace_root().join("crates"))
        .expect("crates/ exists")
        .map(|entry| entry.expect("dir entry").file_name().to_string_lossy().into_owned())
        .collect()
}

/// Every forbidden pattern used in `source` outside comments, as (line number, pattern).
fn forbidden_uses(source: &str, patterns: &[&str]) -> Vec<(usize, String)> {
    source
        .lines()
        .enumerate()
        .filter_map(|(index, line)| {
            let code = line.split("//").next().unwrap_or("");
            patterns.iter().find(|pattern| code.contains(*pattern)).map(|pattern| (index + 1, (*pattern).to_string()))
        })
        .collect()
}

fn rust_files(directory: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let Ok(entries) = std::fs::read_dir(directory) else { return files };
    for entry in entries {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            files.push(path);
        }
    }
    files
}

#[test]
fn the_pure_core_depends_on_no_io_or_async_crate() {
    let metadata = cargo_metadata();
    let existing = workspace_crates();
    let mut violations = Vec::new();
    for package in PURE_CRATES.iter().filter(|name| existing.iter().any(|crate_name| crate_name == *name)) {
        let closure = normal_dependency_closure(&metadata, package);
        for forbidden in FORBIDDEN_DEPENDENCIES {
            if closure.contains(*forbidden) {
                violations.push(format!("{package} depends on {forbidden}"));
            }
        }
    }
    assert!(violations.is_empty(), "{violations:#?}");
    // The closure must see through crates, or the check above proves nothing.
    let store = normal_dependency_closure(&metadata, "hindsight-store");
    assert!(store.contains("sqlx") && store.contains("tokio"), "dependency closure is broken: {store:?}");
}

#[test]
fn only_the_store_depends_on_sqlx() {
    let metadata = cargo_metadata();
    for package in workspace_crates() {
        if package == "hindsight-store" {
            continue;
        }
        let direct: Vec<String> = metadata["packages"]
            .as_array()
            .expect("packages")
            .iter()
            .find(|p| p["name"] == package.as_str())
            .map(|p| {
                p["dependencies"]
                    .as_array()
                    .expect("deps")
                    .iter()
                    .map(|d| d["name"].as_str().expect("name").to_string())
                    .collect()
            })
            .unwrap_or_default();
        assert!(!direct.contains(&"sqlx".to_string()), "{package} depends on sqlx directly; only hindsight-store may");
    }
}

#[test]
fn the_pure_core_source_does_no_io_and_reads_no_clock_or_ambient_randomness() {
    let root = workspace_root();
    let mut violations = Vec::new();
    for package in PURE_CRATES {
        for file in rust_files(&root.join("crates").join(package).join("src")) {
            let source = std::fs::read_to_string(&file).expect("readable source");
            for (line, pattern) in forbidden_uses(&source, FORBIDDEN_SOURCE) {
                violations.push(format!("{}:{line}: uses {pattern}", file.display()));
            }
        }
    }
    assert!(violations.is_empty(), "{violations:#?}");
}

#[test]
fn only_the_cli_reads_environment_variables() {
    let root = workspace_root();
    let mut violations = Vec::new();
    for package in workspace_crates().into_iter().filter(|name| name != "hindsight-cli") {
        for file in rust_files(&root.join("crates").join(&package).join("src")) {
            let source = std::fs::read_to_string(&file).expect("readable source");
            for (line, pattern) in forbidden_uses(&source, &["std::env::var", "env::var(", "env::vars("]) {
                violations.push(format!("{}:{line}: uses {pattern}", file.display()));
            }
        }
    }
    assert!(violations.is_empty(), "{violations:#?}");
}

/// The scanner itself must catch what it is meant to catch, or the tests above prove nothing.
#[test]
fn the_source_scanner_flags_forbidden_calls_and_ignores_comments() {
    let source = "let now = std::time::SystemTime::now();\n// std::fs::read is fine in a comment\nlet f = std::fs::read(\"x\");\n";
    assert_eq!(
        forbidden_uses(source, FORBIDDEN_SOURCE),
        vec![(1, "SystemTime::now".to_string()), (3, "std::fs".to_string())]
    );
}
