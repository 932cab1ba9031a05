//! The model registry's use cases: register what training produced, list and show versions, move
//! aliases (promote, roll back), load a model by version or alias, and score calls with it.
//!
//! Versions are immutable and numbered by the store. Aliases point at versions and every move is
//! kept: a new model's first version becomes `champion`; later versions become `challenger`
//! until someone promotes them. A rollback undoes the alias's latest move that was not itself
//! undone, so rolling back twice walks two promotions back instead of flip-flopping.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, Write};
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use hindsight_ingest::{Decoded, decode_value, json_syntax_problem};
use hindsight_learn::outcomes::{CallsByLead, OutcomeModel, OutcomeTarget, QualificationParams, Score, qualify};
use hindsight_model::{Lead, Record, RecordKind, TenantId};
use hindsight_store::registry::current_aliases;
use hindsight_store::{AliasChange, CallFilter, ModelVersion, NewModelVersion, Store};
use serde::Serialize;

use crate::error::{AppError, Result};
use crate::redact::LineProblem;

/// The alias that scoring uses when none is named.
pub const CHAMPION: &str = "champion";
/// The alias a newly trained version gets when a champion exists.
pub const CHALLENGER: &str = "challenger";
/// How a rollback's change is marked in the alias history.
const ROLLED_BACK: &str = "rolled back";

/// Which version of a model: `NAME`, `NAME@VERSION` or `NAME@ALIAS`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelRef {
    /// The model's name.
    pub name: String,
    /// The version or alias.
    pub selector: Selector,
}

/// A version number or an alias.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    /// This version.
    Version(u32),
    /// Where this alias points.
    Alias(String),
}

impl std::str::FromStr for ModelRef {
    type Err = String;

    /// `showed_up` (its champion), `showed_up@3`, `showed_up@challenger`.
    fn from_str(text: &str) -> std::result::Result<ModelRef, String> {
        let (name, selector) = match text.split_once('@') {
            Some((name, selector)) => (name, selector),
            None => (text, CHAMPION),
        };
        if name.is_empty() || selector.is_empty() {
            return Err(format!("{text:?}: expected NAME, NAME@VERSION or NAME@ALIAS"));
        }
        let selector = match selector.parse::<u32>() {
            Ok(version) => Selector::Version(version),
            Err(_) => Selector::Alias(selector.to_string()),
        };
        Ok(ModelRef { name: name.to_string(), selector })
    }
}

impl std::fmt::Display for ModelRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.selector {
            Selector::Version(version) => write!(f, "{}@{version}", self.name),
            Selector::Alias(alias) => write!(f, "{}@{alias}", self.name),
        }
    }
}

/// A version with the aliases pointing at it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListedVersion {
    /// The model's name.
    pub name: String,
    /// The version.
    pub version: u32,
    /// When it was trained.
    pub created_at: DateTime<Utc>,
    /// Aliases pointing at it now.
    pub aliases: Vec<String>,
    /// Its card.
    pub card: serde_json::Value,
}

/// One version in full: the listing plus the model's alias history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShownVersion {
    /// The version and its aliases.
    #[serde(flatten)]
    pub version: ListedVersion,
    /// Every alias change of the model, by alias, oldest first.
    pub alias_history: Vec<AliasChangeView>,
}

/// An alias change as printed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AliasChangeView {
    /// The alias.
    pub alias: String,
    /// The version it points at from then on.
    pub version: u32,
    /// The version before.
    pub previous_version: Option<u32>,
    /// When.
    pub at: DateTime<Utc>,
    /// Why.
    pub reason: String,
}

impl From<AliasChange> for AliasChangeView {
    fn from(change: AliasChange) -> AliasChangeView {
        AliasChangeView {
            alias: change.alias,
            version: change.version,
            previous_version: change.previous_version,
            at: change.at,
            reason: change.reason,
        }
    }
}

/// What registering a trained model did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Registered {
    /// The new version.
    pub name: String,
    /// Its number.
    pub version: u32,
    /// The alias it was given (`champion` for a model's first version, else `challenger`).
    pub alias: String,
}

/// Stores `model` as the next version of `name` and gives it an alias.
pub async fn register_model(
    store: &dyn Store,
    tenant: &TenantId,
    name: &str,
    model: &OutcomeModel,
    now: DateTime<Utc>,
) -> Result<Registered> {
    let card = serde_json::to_value(&model.card)
        .map_err(|error| AppError::Task(format!("cannot serialize the model card: {error}")))?;
    let artifact =
        model.artifact_json().map_err(|error| AppError::Task(format!("cannot serialize the model: {error}")))?;
    let new = NewModelVersion { name: name.to_string(), created_at: now, card, artifact };
    let version = store.register_model_version(tenant, &new).await?;
    let has_champion = current_aliases(&store.model_alias_history(tenant, name).await?).contains_key(CHAMPION);
    let (alias, reason) =
        if has_champion { (CHALLENGER, "newly trained") } else { (CHAMPION, "first version of the model") };
    store.set_model_alias(tenant, name, alias, version.version, now, reason).await?;
    tracing::info!(tenant = %tenant, model = name, version = version.version, alias, "registered model version");
    Ok(Registered { name: name.to_string(), version: version.version, alias: alias.to_string() })
}

fn listed(version: ModelVersion, aliases: &BTreeMap<String, u32>) -> ListedVersion {
    let pointing = aliases.iter().filter(|(_, at)| **at == version.version).map(|(alias, _)| alias.clone()).collect();
    ListedVersion {
        name: version.name,
        version: version.version,
        created_at: version.created_at,
        aliases: pointing,
        card: version.card,
    }
}

/// Every version of the tenant's models (of `name`, when given), with their aliases.
pub async fn list_models(store: &dyn Store, tenant: &TenantId, name: Option<&str>) -> Result<Vec<ListedVersion>> {
    let versions = store.model_versions(tenant, name).await?;
    let mut aliases_by_name: HashMap<String, BTreeMap<String, u32>> = HashMap::new();
    let mut listing = Vec::with_capacity(versions.len());
    for version in versions {
        if !aliases_by_name.contains_key(&version.name) {
            let history = store.model_alias_history(tenant, &version.name).await?;
            aliases_by_name.insert(version.name.clone(), current_aliases(&history));
        }
        let aliases = &aliases_by_name[&version.name];
        listing.push(listed(version, aliases));
    }
    Ok(listing)
}

/// The version `reference` names, given the model's alias `history`.
fn resolve(history: &[AliasChange], tenant: &TenantId, reference: &ModelRef) -> Result<u32> {
    match &reference.selector {
        Selector::Version(version) => Ok(*version),
        Selector::Alias(alias) => current_aliases(history).get(alias).copied().ok_or_else(|| AppError::NotFound {
            what: format!(
                "model {reference} in tenant {tenant} (no alias {alias:?}; `hindsight models list` shows what exists)"
            ),
        }),
    }
}

/// The version `reference` names, in full.
pub async fn show_model(store: &dyn Store, tenant: &TenantId, reference: &ModelRef) -> Result<ShownVersion> {
    let history = store.model_alias_history(tenant, &reference.name).await?;
    let version = resolve(&history, tenant, reference)?;
    let found = store.model_versions(tenant, Some(&reference.name)).await?.into_iter().find(|v| v.version == version);
    let Some(found) = found else {
        return Err(AppError::NotFound { what: format!("model {reference} in tenant {tenant}") });
    };
    Ok(ShownVersion {
        version: listed(found, &current_aliases(&history)),
        alias_history: history.into_iter().map(AliasChangeView::from).collect(),
    })
}

/// Points `alias` of `name` at `version`.
pub async fn promote_model(
    store: &dyn Store,
    tenant: &TenantId,
    name: &str,
    version: u32,
    alias: &str,
    now: DateTime<Utc>,
) -> Result<AliasChangeView> {
    let change = store.set_model_alias(tenant, name, alias, version, now, "promoted").await?;
    tracing::info!(tenant = %tenant, model = name, version, alias, "promoted model version");
    Ok(change.into())
}

/// Undoes the latest move of `alias` that was not itself undone.
pub async fn rollback_model(
    store: &dyn Store,
    tenant: &TenantId,
    name: &str,
    alias: &str,
    now: DateTime<Utc>,
) -> Result<AliasChangeView> {
    let history = store.model_alias_history(tenant, name).await?;
    // Replaying the alias's moves: each promotion pushes a version, each rollback pops one.
    let mut stack: Vec<u32> = Vec::new();
    for change in history.iter().filter(|change| change.alias == alias) {
        if change.reason.starts_with(ROLLED_BACK) {
            stack.pop();
        } else {
            stack.push(change.version);
        }
    }
    let (Some(&current), Some(&previous)) = (stack.last(), stack.len().checked_sub(2).and_then(|at| stack.get(at)))
    else {
        return Err(AppError::Invalid {
            what: format!("model {name}@{alias} in tenant {tenant} has no earlier version to roll back to"),
        });
    };
    let reason = format!("{ROLLED_BACK} from version {current}");
    let change = store.set_model_alias(tenant, name, alias, previous, now, &reason).await?;
    tracing::info!(tenant = %tenant, model = name, from = current, to = previous, alias, "rolled back model alias");
    Ok(change.into())
}

/// Loads the model `reference` names.
pub async fn load_model(
    store: &dyn Store,
    tenant: &TenantId,
    reference: &ModelRef,
) -> Result<(ModelVersion, OutcomeModel)> {
    let history = store.model_alias_history(tenant, &reference.name).await?;
    let version = resolve(&history, tenant, reference)?;
    let Some((stored, artifact)) = store.model_artifact(tenant, &reference.name, version).await? else {
        return Err(AppError::NotFound { what: format!("model {}@{version} in tenant {tenant}", reference.name) });
    };
    let model = OutcomeModel::load(&stored.card, &artifact)
        .map_err(|error| AppError::Invalid { what: format!("model {}@{version}: {error}", reference.name) })?;
    Ok((stored, model))
}

/// What `score_lines` did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ScoreSummary {
    /// Calls scored and written.
    pub scored: u64,
    /// Lines left out, with the reason.
    pub problems: Vec<LineProblem>,
}

/// Calls scored per batch: enough to score in parallel, few enough to stream any input.
const SCORE_BATCH: usize = 1_000;

/// The JSON name of a target's probability, as the specs name it.
fn probability_field(target: OutcomeTarget) -> &'static str {
    match target {
        OutcomeTarget::ShowedUp => "show_up_probability",
        OutcomeTarget::Booked => "booking_probability",
        OutcomeTarget::Converted => "conversion_probability",
        OutcomeTarget::Progressed => "progression_probability",
        OutcomeTarget::VoiceAiFit => "voice_ai_fit_probability",
    }
}

fn score_json(score: &Score, line: u64, model: &str, target: OutcomeTarget) -> serde_json::Value {
    let id_field = if target.is_lead_level() { "lead_id" } else { "call_id" };
    serde_json::json!({
        "line": line,
        id_field: score.id,
        "model": model,
        "target": target.as_str(),
        probability_field(target): score.probability,
        "confidence": score.confidence,
        "confidence_level": score.confidence_level,
        "key_factors": score.key_factors,
        "explanation": {"baseline": score.baseline, "logit": score.logit},
    })
}

/// Scores records read from `input` (JSON lines, as for ingest) with the model `reference` names,
/// writing one JSON line per record to `output`. A call-level model reads calls (each call's lead
/// is the tenant's stored lead of its `lead_id`) and writes the probability, its confidence, the
/// five key factors, and the baseline and log-odds that all factors together add up to. A
/// progression model reads leads and writes their qualification (score, voice-AI fit from
/// `fit_model` when one is named, routing and priority by `qualification`, reasons) beside the
/// same evidence; a voice-AI-fit model alone writes its probability like a call model. A line
/// that is not a record of the model's kind is left out and reported; the rest go on.
pub async fn score_lines(
    store: &dyn Store,
    tenant: &TenantId,
    reference: &ModelRef,
    qualification: QualificationParams,
    fit_model: Option<&ModelRef>,
    input: Box<dyn BufRead + Send>,
    output: Box<dyn Write + Send>,
) -> Result<ScoreSummary> {
    let (version, model) = load_model(store, tenant, reference).await?;
    let fit = match fit_model {
        None => None,
        Some(fit_reference) => {
            let (_, fit) = load_model(store, tenant, fit_reference).await?;
            if model.card.target != OutcomeTarget::Progressed || fit.card.target != OutcomeTarget::VoiceAiFit {
                return Err(AppError::Invalid {
                    what: format!(
                        "a fit model qualifies leads beside a progressed model: {reference} predicts {}, {fit_reference} predicts {} (want progressed and voice_ai_fit)",
                        model.card.target.as_str(),
                        fit.card.target.as_str()
                    ),
                });
            }
            Some(fit)
        }
    };
    let leads: HashMap<String, Lead> = if model.card.target.is_lead_level() {
        HashMap::new()
    } else {
        store.leads(tenant).await?.into_iter().map(|lead| (lead.id.clone(), lead)).collect()
    };
    // A lead model trained on call history reads each scored lead's stored calls.
    let reads_lead_calls = model.card.target.is_lead_level()
        && (model.schema.reads_lead_calls() || fit.as_ref().is_some_and(|fit| fit.schema.reads_lead_calls()));
    let lead_calls = if reads_lead_calls { store.calls(tenant, &CallFilter::default()).await? } else { Vec::new() };
    let label = format!("{}@{}", version.name, version.version);
    let tenant = tenant.clone();
    // Reading, scoring and writing are blocking CPU and I/O work: off the async threads.
    let scorers = Scorers { model, fit, qualification };
    tokio::task::spawn_blocking(move || {
        let records = ScoringRecords { leads: &leads, lead_calls: CallsByLead::new(&lead_calls) };
        score_stream(&scorers, &records, &label, &tenant, input, output)
    })
    .await
    .map_err(|error| AppError::Task(format!("scoring failed: {error}")))?
}

/// A line as a record: of `kind` unless its `type` says otherwise (which is then reported).
fn decode_line(text: &str, kind: RecordKind) -> std::result::Result<Decoded, Vec<hindsight_model::Problem>> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|error| vec![json_syntax_problem(&error)])?;
    let hint = if value.get("type").is_some() { None } else { Some(kind) };
    decode_value(value, hint)
}

/// A record to score, with its input line.
enum Scored {
    Call(hindsight_model::Call),
    Lead(Lead),
}

/// The models a scoring run uses, and how lead scores become qualifications.
struct Scorers {
    model: OutcomeModel,
    /// The voice-AI-fit model beside a progression model.
    fit: Option<OutcomeModel>,
    qualification: QualificationParams,
}

fn qualification_json(
    score: &Score,
    fit: Option<&Score>,
    line: u64,
    model: &str,
    params: &QualificationParams,
) -> serde_json::Value {
    let mut json = serde_json::to_value(qualify(score, fit, params)).expect("a qualification serializes");
    json["line"] = line.into();
    json["model"] = model.into();
    json["key_factors"] = serde_json::to_value(&score.key_factors).expect("factors serialize");
    json["explanation"] = serde_json::json!({"baseline": score.baseline, "logit": score.logit});
    json
}

/// The stored records scoring reads beside its input.
struct ScoringRecords<'a> {
    /// Each scored call's lead, by id (call-level models).
    leads: &'a HashMap<String, Lead>,
    /// Each scored lead's calls (lead-level models trained on call history).
    lead_calls: CallsByLead<'a>,
}

fn score_stream(
    scorers: &Scorers,
    stored: &ScoringRecords<'_>,
    label: &str,
    tenant: &TenantId,
    input: Box<dyn BufRead + Send>,
    mut output: Box<dyn Write + Send>,
) -> Result<ScoreSummary> {
    let model = &scorers.model;
    let write_error = |source| AppError::Write { path: PathBuf::from("<output>"), source };
    let target = model.card.target;
    let kind = if target.is_lead_level() { RecordKind::Lead } else { RecordKind::Call };
    let mut summary = ScoreSummary::default();
    let mut batch: Vec<(u64, Scored)> = Vec::with_capacity(SCORE_BATCH);
    let mut flush = |batch: &mut Vec<(u64, Scored)>, summary: &mut ScoreSummary| -> Result<()> {
        let scoring_error = |error| AppError::Invalid { what: format!("scoring: {error}") };
        let mut fit_scores: Option<Vec<Score>> = None;
        let scored = if target.is_lead_level() {
            let records: Vec<&Lead> = batch
                .iter()
                .filter_map(|(_, record)| if let Scored::Lead(lead) = record { Some(lead) } else { None })
                .collect();
            if let Some(fit) = &scorers.fit {
                fit_scores = Some(fit.score_leads(&records, &stored.lead_calls).map_err(scoring_error)?);
            }
            model.score_leads(&records, &stored.lead_calls)
        } else {
            let pairs: Vec<_> = batch
                .iter()
                .filter_map(|(_, record)| if let Scored::Call(call) = record { Some(call) } else { None })
                .map(|call| (call, call.lead_id.as_deref().and_then(|id| stored.leads.get(id))))
                .collect();
            model.score(&pairs)
        };
        let scores = scored.map_err(scoring_error)?;
        for (row, ((line, _), score)) in batch.iter().zip(&scores).enumerate() {
            let json = if target == OutcomeTarget::Progressed {
                let fit = fit_scores.as_ref().map(|fits| &fits[row]);
                qualification_json(score, fit, *line, label, &scorers.qualification)
            } else {
                score_json(score, *line, label, target)
            };
            serde_json::to_writer(&mut output, &json).map_err(|error| write_error(error.into()))?;
            writeln!(output).map_err(write_error)?;
        }
        summary.scored += scores.len() as u64;
        batch.clear();
        Ok(())
    };
    for (index, line) in input.split(b'\n').enumerate() {
        let number = index as u64 + 1;
        let line = line.map_err(|source| AppError::Invalid { what: format!("cannot read input: {source}") })?;
        let text = match std::str::from_utf8(line.strip_suffix(b"\r").unwrap_or(&line)) {
            Ok(text) if text.trim().is_empty() => continue,
            Ok(text) => text.to_string(),
            Err(error) => {
                let reason = format!("not UTF-8 (invalid byte at column {})", error.valid_up_to() + 1);
                summary.problems.push(LineProblem { line: number, reason });
                continue;
            }
        };
        match decode_line(&text, kind) {
            Ok(decoded) => {
                let owner = match &decoded.record {
                    Record::Call(call) => call.tenant.clone(),
                    Record::Lead(lead) => lead.tenant.clone(),
                    _ => None,
                };
                match decoded.record {
                    _ if owner.as_ref().is_some_and(|owner| owner != tenant) => {
                        let owner = owner.map(|owner| owner.as_str().to_string()).unwrap_or_default();
                        let reason = format!("tenant: the record names tenant {owner:?}, not {tenant}");
                        summary.problems.push(LineProblem { line: number, reason });
                    }
                    Record::Call(call) if kind == RecordKind::Call => batch.push((number, Scored::Call(call))),
                    Record::Lead(lead) if kind == RecordKind::Lead => batch.push((number, Scored::Lead(lead))),
                    other => {
                        let reason = format!(
                            "type: a {} record, but a {} model scores {kind} records",
                            other.kind(),
                            target.as_str()
                        );
                        summary.problems.push(LineProblem { line: number, reason });
                    }
                }
            }
            Err(problems) => {
                let reasons: Vec<String> = problems.iter().map(ToString::to_string).collect();
                summary.problems.push(LineProblem { line: number, reason: reasons.join("; ") });
            }
        }
        if batch.len() == SCORE_BATCH {
            flush(&mut batch, &mut summary)?;
        }
    }
    flush(&mut batch, &mut summary)?;
    output.flush().map_err(write_error)?;
    Ok(summary)
}
