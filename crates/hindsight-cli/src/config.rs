//! Configuration: typed defaults, an optional TOML file, environment variables and flags, merged
//! in that order of precedence (defaults < file < env `HINDSIGHT_*` < flags).
//!
//! clap already merges a flag with its environment variable (the flag wins), so a value from clap
//! is used as is, and the file fills only what clap left unset.

use std::path::{Path, PathBuf};

use anyhow::Context;
use hindsight_learn::campaign::CampaignAnalysisConfig;
use hindsight_learn::conversion::ConversionParams;
use hindsight_learn::excellence::{ExcellenceParams, LeadStrata};
use hindsight_learn::outcomes::QualificationParams;
use hindsight_model::TenantId;
use serde::{Deserialize, Serialize};

use crate::cli::GlobalArgs;

/// The config file read when `--config` is not given and the file exists.
pub const DEFAULT_CONFIG_FILE: &str = "hindsight.toml";

/// Everything the config file can set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FileConfig {
    /// Database location.
    pub db: String,
    /// Tenant.
    pub tenant: String,
    /// Import settings.
    pub ingest: IngestSection,
    /// Simulator defaults.
    pub simulate: SimulateSection,
    /// Campaign intelligence thresholds and weights.
    pub campaign: CampaignAnalysisConfig,
    /// The excellence analysis.
    pub excellence: ExcellenceParams,
    /// Conversion intelligence (`learn patterns`).
    pub conversion: ConversionParams,
    /// Lead routing of `score` with lead-level models.
    pub qualification: QualificationParams,
}

/// `[ingest]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IngestSection {
    pub batch_records: usize,
    pub max_record_bytes: usize,
    pub max_problems_shown: usize,
}

/// `[simulate]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SimulateSection {
    pub calls: usize,
    pub leads: usize,
    pub weeks: u32,
    pub seed: u64,
}

impl Default for FileConfig {
    fn default() -> Self {
        FileConfig {
            db: "hindsight.db".to_string(),
            tenant: TenantId::DEFAULT.to_string(),
            ingest: IngestSection::default(),
            simulate: SimulateSection::default(),
            campaign: CampaignAnalysisConfig::default(),
            excellence: ExcellenceParams::default(),
            conversion: ConversionParams::default(),
            qualification: QualificationParams::default(),
        }
    }
}

impl Default for IngestSection {
    fn default() -> Self {
        let import = hindsight_ingest::ImportOptions::default();
        IngestSection {
            batch_records: import.batch_records,
            max_record_bytes: import.max_record_bytes,
            max_problems_shown: 20,
        }
    }
}

impl Default for SimulateSection {
    fn default() -> Self {
        let sim = hindsight_sim::SimConfig::default();
        SimulateSection { calls: sim.calls, leads: sim.leads, weeks: sim.weeks, seed: sim.seed }
    }
}

/// The default configuration as commented TOML; `config print-default` prints it.
pub fn default_toml() -> String {
    let defaults = FileConfig::default();
    format!(
        r#"# hindsight configuration.
# Precedence: built-in defaults < this file < environment (HINDSIGHT_*) < command-line flags.
# hindsight reads ./{DEFAULT_CONFIG_FILE} when present, or the file named by --config / HINDSIGHT_CONFIG.

# Database: a SQLite file path, created if missing. Env: HINDSIGHT_DB. Flag: --db.
db = "{db}"

# Tenant every command reads and writes. Env: HINDSIGHT_TENANT. Flag: --tenant.
tenant = "{tenant}"

[ingest]
# Records per store transaction.
batch_records = {batch_records}
# Longest record accepted, in bytes; longer lines are rejected without being held in memory.
max_record_bytes = {max_record_bytes}
# Problems printed per file (all of them are counted).
max_problems_shown = {max_problems_shown}

[simulate]
# Defaults for `simulate`, `demo` and `bench`; flags override.
calls = {calls}
leads = {leads}
weeks = {weeks}
seed = {seed}

# Campaign intelligence (`report campaign`). An issue fires only when its whole confidence
# interval is past the threshold; alerts also need the change to be more than noise.
[campaign.issues]
confidence = {confidence}
# Conversion may fall this share below the campaign's target before it is an issue (0 = any).
conversion_shortfall = {conversion_shortfall}
# Set to compare with an industry benchmark, e.g. 0.15.
# benchmark_conversion_rate = 0.15
drop_off_rate = {drop_off_rate}
stage_drop_off_hazard = {stage_drop_off_hazard}
escalation_rate = {escalation_rate}
failure_rate = {failure_rate}
# Any violation is an issue; above this rate it is critical.
compliance_critical_rate = {compliance_critical_rate}
# Script versions (and, for root cause, agents) with fewer calls are not tested.
min_calls_per_script_version = {min_calls_per_script_version}
alpha = {alpha}

[campaign.alerts]
# Week-over-week relative changes (health: points).
revenue_drop = {revenue_drop}
conversion_drop = {conversion_drop}
drop_off_increase = {drop_off_increase}
escalation_increase = {escalation_increase}
health_drop_points = {health_drop_points}
confidence = {alert_confidence}

[campaign.health]
# Component weights of the 0-100 health score.
conversion = {w_conversion}
revenue = {w_revenue}
compliance = {w_compliance}
efficiency = {w_efficiency}
quality = {w_quality}

# The excellence analysis (`report excellence`): top and bottom cohorts by excellence score, the
# agent's phrases that set them apart per stage, call structure and behaviour.
[excellence]
# Share of calls in each of the top and bottom cohorts.
cohort_share = {cohort_share:?}

[excellence.weights]
# Points of the 0-100 excellence score.
showed_up = {e_showed_up:?}
confirmed = {e_confirmed:?}
booked = {e_booked:?}
commitment = {e_commitment:?}
within_2_days = {e_within_2_days:?}
within_7_days = {e_within_7_days:?}
within_14_days = {e_within_14_days:?}
converted = {e_converted:?}
referred = {e_referred:?}

[excellence.differentiators]
# Phrases are word n-grams of redacted agent lines, min_words to max_words long.
min_words = {min_words}
max_words = {max_words}
# Privacy floor: a phrase is kept only when at least this many distinct calls say it.
min_calls = {min_calls}
# Calls of the two cohorts together that must say a phrase for it to be ranked.
min_support = {min_support}
# Strength of the corpus prior (prior counts = this x corpus counts).
prior_scale = {prior_scale:?}
# Family-wise error rate per stage (Holm's step-down correction).
alpha = {d_alpha:?}
z_threshold = {z_threshold:?}
top_phrases = {top_phrases}
bootstrap_rounds = {bootstrap_rounds}
seed = {d_seed}

[excellence.strata]
# Lead-quality strata of the confound-controlled view: "score_band" (bands `width` points wide of
# the lead score) or "industry_by_size".
by = "score_band"
width = {strata_width:?}

# Stages of transcripts whose turns carry no stage label are found from cue phrases the agent says.
# To replace the built-in cues, list your stages in funnel order, each with its cues:
# [[excellence.text.stage_cues]]
# stage = "hook"
# cues = ["this is", "calling from", "the reason i'm calling"]
# [[excellence.text.stage_cues]]
# stage = "closing"
# cues = ["does tuesday or thursday work", "shall i book"]

# Lead routing of `score --model M` with a lead-level model (`train --target progressed`):
# AE_HANDOFF at or above ae_handoff, NURTURE_TRACK at or above nurture, SELF_SERVICE below.
# Flags --handoff-at and --nurture-at override.
# With `--fit-model F` (`train --target voice_ai_fit`), the score is
# (1 - fit_weight) x progression + fit_weight x voice-AI fit, and a sure handoff whose fit is at
# or above voice_ai_priority is HIGH_VOICE_AI.
[qualification]
ae_handoff = {q_ae_handoff:?}
nurture = {q_nurture:?}
fit_weight = {q_fit_weight:?}
voice_ai_priority = {q_voice_ai_priority:?}

# Conversion intelligence (`learn patterns`): WHO / WHAT / WHEN / HOW.
[conversion]
# WHO needs this many leads with a terminal outcome, and every detector this many conversions;
# below them the spec's defaults stand, with confidence 0.
min_outcomes = {c_min_outcomes}
min_conversions = {c_min_conversions}
# L2 penalty of the lead-score weight fit.
weight_l2 = {c_weight_l2:?}
# Days a pattern stays valid (the detectors are meant to run weekly).
valid_for_days = {c_valid_for_days}

[conversion.evidence]
# Categories with fewer trials are not ranked.
min_category_sample = {c_min_category_sample}
confidence = {c_confidence}
# Family-wise error rate of each family's tests (Holm).
alpha = {c_alpha}

# Content a snapshot does not label is read from its body by keyword (whole words). To replace a
# list, give it in full:
# [conversion.keywords.pain_points]
# leads = ["leads", "pipeline", "prospects"]
# cost = ["cost", "expensive", "budget"]
# [conversion.keywords]
# ctas = ["open to a quick chat", "worth 15 minutes"]
"#,
        q_ae_handoff = defaults.qualification.ae_handoff,
        q_nurture = defaults.qualification.nurture,
        q_fit_weight = defaults.qualification.fit_weight,
        q_voice_ai_priority = defaults.qualification.voice_ai_priority,
        c_min_outcomes = defaults.conversion.min_outcomes,
        c_min_conversions = defaults.conversion.min_conversions,
        c_weight_l2 = defaults.conversion.weight_l2,
        c_valid_for_days = defaults.conversion.valid_for_days,
        c_min_category_sample = defaults.conversion.evidence.min_category_sample,
        c_confidence = defaults.conversion.evidence.confidence,
        c_alpha = defaults.conversion.evidence.alpha,
        db = defaults.db,
        tenant = defaults.tenant,
        batch_records = defaults.ingest.batch_records,
        max_record_bytes = defaults.ingest.max_record_bytes,
        max_problems_shown = defaults.ingest.max_problems_shown,
        calls = defaults.simulate.calls,
        leads = defaults.simulate.leads,
        weeks = defaults.simulate.weeks,
        seed = defaults.simulate.seed,
        confidence = defaults.campaign.issues.confidence,
        conversion_shortfall = defaults.campaign.issues.conversion_shortfall,
        drop_off_rate = defaults.campaign.issues.drop_off_rate,
        stage_drop_off_hazard = defaults.campaign.issues.stage_drop_off_hazard,
        escalation_rate = defaults.campaign.issues.escalation_rate,
        failure_rate = defaults.campaign.issues.failure_rate,
        compliance_critical_rate = defaults.campaign.issues.compliance_critical_rate,
        min_calls_per_script_version = defaults.campaign.issues.min_calls_per_script_version,
        alpha = defaults.campaign.issues.alpha,
        revenue_drop = defaults.campaign.alerts.revenue_drop,
        conversion_drop = defaults.campaign.alerts.conversion_drop,
        drop_off_increase = defaults.campaign.alerts.drop_off_increase,
        escalation_increase = defaults.campaign.alerts.escalation_increase,
        health_drop_points = defaults.campaign.alerts.health_drop_points,
        alert_confidence = defaults.campaign.alerts.confidence,
        w_conversion = defaults.campaign.health.conversion,
        w_revenue = defaults.campaign.health.revenue,
        w_compliance = defaults.campaign.health.compliance,
        w_efficiency = defaults.campaign.health.efficiency,
        w_quality = defaults.campaign.health.quality,
        cohort_share = defaults.excellence.cohort_share,
        e_showed_up = defaults.excellence.weights.showed_up,
        e_confirmed = defaults.excellence.weights.confirmed,
        e_booked = defaults.excellence.weights.booked,
        e_commitment = defaults.excellence.weights.commitment,
        e_within_2_days = defaults.excellence.weights.within_2_days,
        e_within_7_days = defaults.excellence.weights.within_7_days,
        e_within_14_days = defaults.excellence.weights.within_14_days,
        e_converted = defaults.excellence.weights.converted,
        e_referred = defaults.excellence.weights.referred,
        min_words = defaults.excellence.differentiators.min_words,
        max_words = defaults.excellence.differentiators.max_words,
        min_calls = defaults.excellence.differentiators.min_calls,
        min_support = defaults.excellence.differentiators.min_support,
        prior_scale = defaults.excellence.differentiators.prior_scale,
        d_alpha = defaults.excellence.differentiators.alpha,
        z_threshold = defaults.excellence.differentiators.z_threshold,
        top_phrases = defaults.excellence.differentiators.top_phrases,
        bootstrap_rounds = defaults.excellence.differentiators.bootstrap_rounds,
        d_seed = defaults.excellence.differentiators.seed,
        strata_width = match defaults.excellence.strata {
            LeadStrata::ScoreBand { width } => width,
            LeadStrata::IndustryBySize => unreachable!("the default strata are score bands"),
        },
    )
}

/// The configuration in effect for this run.
#[derive(Debug, Clone, Serialize)]
pub struct Settings {
    /// The config file that was read, if any.
    #[serde(skip)]
    pub config_file: Option<PathBuf>,
    /// Database location.
    pub db: String,
    /// Tenant.
    pub tenant: TenantId,
    /// Import settings.
    pub ingest: IngestSection,
    /// Simulator defaults.
    pub simulate: SimulateSection,
    /// Campaign intelligence thresholds and weights.
    pub campaign: CampaignAnalysisConfig,
    /// The excellence analysis.
    pub excellence: ExcellenceParams,
    /// Conversion intelligence.
    pub conversion: ConversionParams,
    /// Lead routing thresholds.
    pub qualification: QualificationParams,
}

impl Settings {
    /// Merges defaults, the config file, and clap's flags-or-env values.
    pub fn resolve(global: &GlobalArgs) -> anyhow::Result<Settings> {
        let (config_file, file) = match &global.config {
            Some(path) => (Some(path.clone()), read_config(path)?),
            None if Path::new(DEFAULT_CONFIG_FILE).exists() => {
                (Some(PathBuf::from(DEFAULT_CONFIG_FILE)), read_config(Path::new(DEFAULT_CONFIG_FILE))?)
            }
            None => (None, FileConfig::default()),
        };
        let tenant_name = global.tenant.clone().unwrap_or(file.tenant);
        let tenant = TenantId::new(tenant_name).context("--tenant / HINDSIGHT_TENANT / config `tenant`")?;
        Ok(Settings {
            config_file,
            db: global.db.clone().unwrap_or(file.db),
            tenant,
            ingest: file.ingest,
            simulate: file.simulate,
            campaign: file.campaign,
            excellence: file.excellence,
            conversion: file.conversion,
            qualification: file.qualification,
        })
    }
}

fn read_config(path: &Path) -> anyhow::Result<FileConfig> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read config file {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("invalid config file {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::{FileConfig, default_toml};

    #[test]
    fn the_printed_default_config_parses_back_to_the_defaults() {
        let parsed: FileConfig = toml::from_str(&default_toml()).expect("printed config parses");
        assert_eq!(parsed, FileConfig::default());
    }

    #[test]
    fn a_partial_file_keeps_defaults_for_what_it_does_not_set() {
        let parsed: FileConfig = toml::from_str("tenant = \"acme\"\n[simulate]\ncalls = 10\n").expect("parses");
        assert_eq!(parsed.tenant, "acme");
        assert_eq!(parsed.simulate.calls, 10);
        assert_eq!(parsed.db, FileConfig::default().db);
    }

    #[test]
    fn routing_and_conversion_settings_are_read_from_the_file() {
        let parsed: FileConfig = toml::from_str(
            "[qualification]\nae_handoff = 80.0\n[conversion]\nmin_outcomes = 50\n[conversion.evidence]\nmin_category_sample = 20\n[conversion.keywords]\nctas = [\"book a demo\"]\n",
        )
        .expect("parses");
        assert_eq!((parsed.qualification.ae_handoff, parsed.qualification.nurture), (80.0, 40.0));
        assert_eq!(parsed.conversion.min_outcomes, 50);
        assert_eq!(parsed.conversion.evidence.min_category_sample, 20);
        assert_eq!(parsed.conversion.keywords.ctas, vec!["book a demo".to_string()]);
        assert!(!parsed.conversion.keywords.pain_points.is_empty(), "lists not given keep their defaults");
    }

    #[test]
    fn excellence_settings_are_read_from_the_file() {
        use hindsight_learn::excellence::LeadStrata;
        let parsed: FileConfig = toml::from_str(
            "[excellence]\ncohort_share = 0.2\n[excellence.differentiators]\nmin_calls = 8\n[excellence.strata]\nby = \"industry_by_size\"\n",
        )
        .expect("parses");
        assert_eq!(parsed.excellence.cohort_share, 0.2);
        assert_eq!(parsed.excellence.differentiators.min_calls, 8);
        assert_eq!(parsed.excellence.differentiators.max_words, 7, "unset keys keep their defaults");
        assert_eq!(parsed.excellence.strata, LeadStrata::IndustryBySize);
        assert_eq!(parsed.excellence.text, Default::default(), "the built-in stage cues unless replaced");
        let cues: FileConfig = toml::from_str(
            "[[excellence.text.stage_cues]]\nstage = \"greeting\"\ncues = [\"hello\"]\n[[excellence.text.stage_cues]]\nstage = \"ask\"\ncues = [\"shall i book\"]\n",
        )
        .expect("parses");
        let stages: Vec<&str> = cues.excellence.text.stage_cues.iter().map(|stage| stage.stage.as_str()).collect();
        assert_eq!(stages, ["greeting", "ask"]);
        let error = toml::from_str::<FileConfig>("[excellence.differentiators]\nmin_call = 8\n").expect_err("typo");
        assert!(error.to_string().contains("unknown field `min_call`"), "{error}");
    }

    #[test]
    fn unknown_keys_are_refused_so_typos_do_not_pass_silently() {
        let error = toml::from_str::<FileConfig>("tennant = \"acme\"\n").expect_err("typo must fail");
        assert!(error.to_string().contains("unknown field `tennant`"), "{error}");
    }
}
