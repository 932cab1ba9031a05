//! Conversion patterns: learn them from the stored leads and activities, keep them, score leads
//! with them, report on them.
//!
//! The learners know nothing of storage and the store nothing of patterns: this module turns a
//! [`Pattern`] into the store's [`StoredPattern`] (its JSON with type, version, sample size,
//! confidence and validity beside it) and back.

use chrono::{DateTime, Utc};
use hindsight_learn::conversion::{
    ConversionParams, HealthWarning, LeadScorer, Pattern, PatternBody, PatternSet, PatternType, SuccessMetrics,
    WeightSource, check_health, journeys, learn_patterns, success_metrics,
};
use hindsight_model::{AlsWeights, LeadStatus, Record, TenantId};
use hindsight_store::{Store, StoredPattern};
use serde::Serialize;

use crate::error::{AppError, Result};

/// What a learning run found and kept.
#[derive(Debug, Clone, Serialize)]
pub struct LearnedPatterns {
    /// The four patterns, as stored.
    pub patterns: PatternSet,
    /// Health warnings against the previous run.
    pub warnings: Vec<HealthWarning>,
    /// When the previous run was, if there was one.
    pub previous_run: Option<DateTime<Utc>>,
    /// Leads read.
    pub leads: usize,
    /// Activities read.
    pub activities: usize,
}

fn stored<T: PatternBody + Serialize>(pattern: &Pattern<T>) -> Result<StoredPattern> {
    let body = serde_json::to_value(pattern)
        .map_err(|error| AppError::Task(format!("a {} pattern does not serialise: {error}", T::TYPE.as_str())))?;
    Ok(StoredPattern {
        pattern_type: T::TYPE.as_str().to_string(),
        version: pattern.version.clone(),
        sample_size: pattern.body.sample_size() as u64,
        confidence: pattern.body.confidence(),
        computed_at: pattern.computed_at,
        valid_until: pattern.valid_until,
        body,
    })
}

/// Reads stored patterns into a set; a body that no longer parses (an older layout) is left out
/// and named in the returned problems rather than failing the whole read.
pub fn pattern_set(stored: &[StoredPattern]) -> (PatternSet, Vec<String>) {
    let mut set = PatternSet::default();
    let mut problems = Vec::new();
    for pattern in stored {
        let parsed = match PatternType::parse(&pattern.pattern_type) {
            Some(PatternType::Who) => serde_json::from_value(pattern.body.clone()).map(|p| set.who = Some(p)),
            Some(PatternType::What) => serde_json::from_value(pattern.body.clone()).map(|p| set.what = Some(p)),
            Some(PatternType::When) => serde_json::from_value(pattern.body.clone()).map(|p| set.when = Some(p)),
            Some(PatternType::How) => serde_json::from_value(pattern.body.clone()).map(|p| set.how = Some(p)),
            None => {
                problems.push(format!("unknown pattern type {:?}", pattern.pattern_type));
                continue;
            }
        };
        if let Err(error) = parsed {
            problems.push(format!(
                "{} pattern (version {}, computed {}) does not read: {error}",
                pattern.pattern_type, pattern.version, pattern.computed_at
            ));
        }
    }
    (set, problems)
}

/// The tenant's current patterns, with problems reading any of them.
pub async fn stored_patterns(store: &dyn Store, tenant: &TenantId) -> Result<(PatternSet, Vec<String>)> {
    Ok(pattern_set(&store.current_patterns(tenant).await?))
}

/// Runs the four detectors over the tenant's leads and activities, checks the result against the
/// previous run and stores it (current patterns replaced, a history row per type).
pub async fn learn_and_store_patterns(
    store: &dyn Store,
    tenant: &TenantId,
    params: &ConversionParams,
    now: DateTime<Utc>,
) -> Result<LearnedPatterns> {
    let leads = store.leads(tenant).await?;
    let activities = store.activities(tenant).await?;
    let (previous, _) = stored_patterns(store, tenant).await?;
    let previous_run = [
        previous.who.as_ref().map(|p| p.computed_at),
        previous.what.as_ref().map(|p| p.computed_at),
        previous.when.as_ref().map(|p| p.computed_at),
        previous.how.as_ref().map(|p| p.computed_at),
    ]
    .into_iter()
    .flatten()
    .max();
    let (lead_count, activity_count) = (leads.len(), activities.len());
    let params = params.clone();
    // Counting over a million leads is CPU work: off the async threads.
    let patterns = tokio::task::spawn_blocking(move || learn_patterns(&leads, &activities, &params, now))
        .await
        .map_err(|error| AppError::Task(format!("pattern learning failed: {error}")))?;
    let warnings = check_health(&patterns, previous_run.map(|_| &previous));
    let mut rows = Vec::new();
    if let Some(pattern) = &patterns.who {
        rows.push(stored(pattern)?);
    }
    if let Some(pattern) = &patterns.what {
        rows.push(stored(pattern)?);
    }
    if let Some(pattern) = &patterns.when {
        rows.push(stored(pattern)?);
    }
    if let Some(pattern) = &patterns.how {
        rows.push(stored(pattern)?);
    }
    store.save_patterns(tenant, &rows).await?;
    tracing::info!(tenant = %tenant, leads = lead_count, activities = activity_count, warnings = warnings.len(), "patterns learned");
    Ok(LearnedPatterns { patterns, warnings, previous_run, leads: lead_count, activities: activity_count })
}

/// The recommended weights of every stored WHO run, oldest first.
pub async fn weight_history(store: &dyn Store, tenant: &TenantId) -> Result<Vec<AlsWeights>> {
    let history = store.pattern_history(tenant, PatternType::Who.as_str()).await?;
    Ok(history
        .iter()
        .filter_map(|pattern| pattern.body.get("recommended_weights"))
        .filter_map(|weights| serde_json::from_value(weights.clone()).ok())
        .collect())
}

/// The spec's success metrics over the tenant's data and its stored weight history.
pub async fn pattern_metrics(store: &dyn Store, tenant: &TenantId) -> Result<SuccessMetrics> {
    let leads = store.leads(tenant).await?;
    let activities = store.activities(tenant).await?;
    let history = weight_history(store, tenant).await?;
    tokio::task::spawn_blocking(move || success_metrics(&leads, &journeys(&leads, &activities), &history))
        .await
        .map_err(|error| AppError::Task(format!("measuring the success metrics failed: {error}")))
}

/// What rescoring did.
#[derive(Debug, Clone, Serialize)]
pub struct LeadScoring {
    /// Open leads (new or contacted) scored.
    pub scored: usize,
    /// Of those, leads whose stored score changed.
    pub changed: u64,
    /// The weights applied.
    pub weights: AlsWeights,
    /// Learned or default.
    pub source: WeightSource,
    /// Mean score of the leads scored.
    pub mean_score: Option<f64>,
    /// Whether the scores were written (not with `dry_run`).
    pub written: bool,
}

/// Rescores the tenant's open leads with its WHO pattern (the defaults without one) and stores
/// each lead's components, weights and time with its new score — unless `dry_run`.
pub async fn score_open_leads(
    store: &dyn Store,
    tenant: &TenantId,
    now: DateTime<Utc>,
    dry_run: bool,
) -> Result<LeadScoring> {
    let (patterns, _) = stored_patterns(store, tenant).await?;
    let scorer = LeadScorer::from_patterns(patterns.who.as_ref().map(|pattern| &pattern.body));
    let mut open: Vec<_> = store
        .leads(tenant)
        .await?
        .into_iter()
        .filter(|lead| matches!(lead.status, LeadStatus::New | LeadStatus::Contacted))
        .collect();
    let mut total = 0.0;
    for lead in &mut open {
        let snapshot = scorer.score(lead, now);
        total += snapshot.score.unwrap_or(0.0);
        lead.score = Some(snapshot);
    }
    let scored = open.len();
    let changed = if dry_run || open.is_empty() {
        0
    } else {
        let records: Vec<Record> = open.into_iter().map(Record::Lead).collect();
        store.write(tenant, &records).await?.written
    };
    Ok(LeadScoring {
        scored,
        changed,
        weights: scorer.weights(),
        source: scorer.source(),
        mean_score: (scored > 0).then(|| total / scored as f64),
        written: !dry_run,
    })
}

/// The patterns report: the stored patterns, their health against the run before (from the
/// history), and the success metrics.
pub async fn patterns_report(
    store: &dyn Store,
    tenant: &TenantId,
    generated_at: DateTime<Utc>,
) -> Result<hindsight_report::patterns::PatternsReport> {
    let (current, mut problems) = stored_patterns(store, tenant).await?;
    let mut before = Vec::new();
    for kind in PatternType::ALL {
        let history = store.pattern_history(tenant, kind.as_str()).await?;
        if history.len() >= 2 {
            before.push(history[history.len() - 2].clone());
        }
    }
    let (previous, previous_problems) = pattern_set(&before);
    problems.extend(previous_problems.into_iter().map(|problem| format!("previous run: {problem}")));
    let warnings = check_health(&current, (!before.is_empty()).then_some(&previous));
    let metrics = pattern_metrics(store, tenant).await?;
    Ok(hindsight_report::patterns::PatternsReport::new(
        tenant.as_str(),
        generated_at,
        current,
        warnings,
        metrics,
        problems,
    ))
}
