//! The planted-truth campaign simulator.
//!
//! hindsight's learners are judged on data whose answers are known. This crate simulates several
//! weeks of a voice-agent appointment-setting campaign and the multi-channel outreach that feeds
//! it, with effects planted on purpose (`plan.rs`): winning and losing phrases per stage, structural
//! habits, objection responses, drop-offs and escalations, compliance lapses concentrated in one
//! agent, lead fit, voice-AI fit (a label on contacted leads, driven by the phone operation the
//! description states and company size), send times, sequences and message content, show-up
//! drivers, a week-over-week regression tied to one script version and stage, and an experiment
//! variant with a known lift.
//! People say personal data out loud (names, phone numbers in digits and in words, emails, card
//! numbers, social security numbers, street addresses), so the privacy filter has something to
//! catch.
//!
//! [`simulate`] streams the records as JSON lines into writers its caller hands it and returns the
//! [`Truth`] (what was planted, plus the realised counts) and the [`Campaign`]. It is seeded and
//! deterministic: the same [`SimConfig`] always yields byte-identical output. Every effect family
//! has a strength ([`Strengths`]); at 0 it vanishes, which is how learners are tested for false
//! discoveries.
//!
//! The simulator does no I/O of its own (the caller opens the files), reads no clock and uses no
//! global random generator.
#![deny(missing_docs)]

mod calls;
mod outreach;
mod pii;
mod plan;
mod records;
mod transcript;
mod truth;
mod vocab;

use std::io::Write;

use chrono::{Datelike, Duration, NaiveDate};
use hindsight_model::{Campaign, CampaignTag, CampaignTargets, Stage};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

pub use plan::Strengths;
pub use records::{SimulatedRecords, simulate_records};
pub use truth::{
    CallTruth, ComplianceTruth, DeclineTruth, Effect, ExperimentTruth, LeadTruth, ObjectionTruth, OutreachTruth,
    PhraseTruth, PiiPlant, Realized, ShowUpTruth, StructureTruth, Tally, Truth,
};

/// What to simulate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SimConfig {
    /// Seed of the random generator; the same config gives the same files.
    pub seed: u64,
    /// Number of calls.
    pub calls: usize,
    /// Number of leads (outreach targets; calls are placed to them).
    pub leads: usize,
    /// Weeks in the window (at least 2, so there is a week-over-week comparison).
    pub weeks: u32,
    /// First day of the window (a Monday keeps ISO weeks aligned).
    pub start_date: NaiveDate,
    /// Campaign id.
    pub campaign: String,
    /// Strength of each family of planted effects.
    pub strengths: Strengths,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            seed: 42,
            calls: 5_000,
            leads: 3_000,
            weeks: 6,
            start_date: NaiveDate::from_ymd_opt(2026, 1, 5).expect("valid date"),
            campaign: "camp-voice-1".to_string(),
            strengths: Strengths::default(),
        }
    }
}

/// Where the records go: one writer per file, JSON lines.
pub struct SimOutputs<'a> {
    /// `calls.jsonl`.
    pub calls: &'a mut dyn Write,
    /// `leads.jsonl`.
    pub leads: &'a mut dyn Write,
    /// `activities.jsonl`.
    pub activities: &'a mut dyn Write,
    /// `outcomes.jsonl`.
    pub outcomes: &'a mut dyn Write,
}

/// Which part of the simulation is running, for progress reporting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimPhase {
    /// Leads and their outreach.
    Leads,
    /// Calls and their outcomes.
    Calls,
}

/// Records written per file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordCounts {
    /// Calls written.
    pub calls: u64,
    /// Leads written.
    pub leads: u64,
    /// Activities written.
    pub activities: u64,
    /// Outcome events written.
    pub outcomes: u64,
}

/// What a run produced besides the record streams.
#[derive(Debug, Clone)]
pub struct SimSummary {
    /// The campaign configuration (`campaign.json`).
    pub campaign: Campaign,
    /// The planted truth (`truth.json`).
    pub truth: Truth,
    /// Records written per stream.
    pub counts: RecordCounts,
}

/// Why a simulation could not run.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The configuration is unusable.
    #[error("invalid simulator config: {0}")]
    InvalidConfig(String),
    /// A writer failed.
    #[error("writing simulated records failed: {0}")]
    Write(#[from] std::io::Error),
    /// A record could not be serialised (a bug, not bad input).
    #[error("serialising a simulated record failed: {0}")]
    Serialize(#[from] serde_json::Error),
}

/// The schema version of `truth.json`.
pub const TRUTH_SCHEMA_VERSION: u32 = 2;

/// Runs the simulation, streaming records into `outputs` and calling `progress(phase, done, total)`
/// now and then.
pub fn simulate(
    config: &SimConfig,
    outputs: SimOutputs<'_>,
    progress: &mut dyn FnMut(SimPhase, usize, usize),
) -> Result<SimSummary, SimError> {
    if config.weeks < 2 || config.weeks > 104 {
        return Err(SimError::InvalidConfig(format!(
            "weeks is {}; use 2 to 104 so there is a week-over-week comparison",
            config.weeks
        )));
    }
    if config.campaign.trim().is_empty() {
        return Err(SimError::InvalidConfig("campaign must not be empty".into()));
    }
    let SimOutputs { calls: calls_out, leads: leads_out, activities: activities_out, outcomes: outcomes_out } = outputs;
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let end = outreach::at_time(config.start_date, i64::from(config.weeks) * 7, 0, 0);
    let mut counts = RecordCounts::default();
    let mut realized_leads = Realized::new();
    let mut realized_touches = Realized::new();
    let mut realized_calls = Realized::new();

    // Leads keep arriving until two weeks before the end, so their sequences have time to play out.
    let outreach_days = (i64::from(config.weeks) - 2).max(1) * 7;
    let mut profiles = Vec::with_capacity(config.leads);
    let mut next_activity_id = 0u64;
    let report_every = 1_000;
    // The voice-AI use case and label draw from a stream of their own, so adding them left every
    // other lead and call as it was.
    let mut voice_ai_rng = ChaCha8Rng::seed_from_u64(config.seed);
    voice_ai_rng.set_stream(2);
    for index in 0..config.leads {
        let generated = outreach::generate_lead(
            index + 1,
            &config.campaign,
            config.start_date,
            end,
            outreach_days,
            &config.strengths,
            &mut next_activity_id,
            &mut realized_leads,
            &mut realized_touches,
            &mut rng,
            &mut voice_ai_rng,
        );
        write_line(leads_out, &generated.lead)?;
        counts.leads += 1;
        for activity in &generated.activities {
            write_line(activities_out, activity)?;
            counts.activities += 1;
        }
        profiles.push(generated.profile);
        if (index + 1) % report_every == 0 {
            progress(SimPhase::Leads, index + 1, config.leads);
        }
    }
    progress(SimPhase::Leads, config.leads, config.leads);

    let mean_fit =
        if profiles.is_empty() { 0.0 } else { profiles.iter().map(|p| p.fit).sum::<f64>() / profiles.len() as f64 };
    let context = calls::CallContext {
        campaign: &config.campaign,
        start: config.start_date,
        weeks: config.weeks,
        end,
        strengths: &config.strengths,
        leads: &profiles,
        mean_fit,
    };
    // Calls are written in the order they happened, as call platforms export them (and as a
    // store's time index likes them).
    // Calls draw from their own stream of the seed, so tuning the outreach (which changes how
    // many numbers the lead loop draws) does not reshuffle every call.
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    rng.set_stream(1);
    let mut starts: Vec<_> = (0..config.calls).map(|_| calls::draw_start(&context, &mut rng)).collect();
    starts.sort_unstable();
    let mut pii = Vec::new();
    for (index, started_at) in starts.into_iter().enumerate() {
        let generated = calls::generate_call(index + 1, started_at, &context, &mut realized_calls, &mut rng);
        write_line(calls_out, &generated.call)?;
        counts.calls += 1;
        for event in &generated.events {
            write_line(outcomes_out, event)?;
            counts.outcomes += 1;
        }
        pii.extend(generated.pii);
        if (index + 1) % report_every == 0 {
            progress(SimPhase::Calls, index + 1, config.calls);
        }
    }
    progress(SimPhase::Calls, config.calls, config.calls);
    for writer in [calls_out, leads_out, activities_out, outcomes_out] {
        writer.flush()?;
    }

    let campaign = campaign_for(config);
    let truth = Truth {
        schema_version: TRUTH_SCHEMA_VERSION,
        config: config.clone(),
        calls: call_truth(config, realized_calls),
        leads: lead_truth(&config.strengths, realized_leads),
        outreach: outreach_truth(&config.strengths, realized_touches),
        pii,
    };
    Ok(SimSummary { campaign, truth, counts })
}

fn write_line<T: Serialize>(writer: &mut dyn Write, record: &T) -> Result<(), SimError> {
    serde_json::to_writer(&mut *writer, record)?;
    writer.write_all(b"\n")?;
    Ok(())
}

/// The campaign the simulated calls belong to, with targets the healthy weeks roughly meet.
fn campaign_for(config: &SimConfig) -> Campaign {
    let working_days = f64::from(config.weeks) * 5.0;
    Campaign {
        record_type: CampaignTag,
        id: config.campaign.clone(),
        tenant: None,
        name: "Simulated appointment setting".to_string(),
        start_date: Some(config.start_date),
        targets: CampaignTargets {
            calls_per_day: (config.calls as f64 / working_days).round(),
            conversion_rate: 0.20,
            revenue_per_call: 60.0,
        },
        avg_deal_value: 1_200.0,
        compliance_rules: vec![plan::COMPLIANCE_RULE.to_string(), "dnc_respect".to_string()],
        script_versions: vec!["v1.1".to_string(), "v1.2".to_string(), plan::DECLINE_SCRIPT.to_string()],
        stages: Stage::default_set(),
    }
}

fn sign(effect: f64) -> String {
    if effect > 0.0 {
        "+".into()
    } else if effect < 0.0 {
        "-".into()
    } else {
        "0".into()
    }
}

fn call_truth(config: &SimConfig, realized: Realized) -> CallTruth {
    let strengths = &config.strengths;
    let mut phrases: Vec<PhraseTruth> = plan::PHRASES
        .iter()
        .map(|(stage, phrase, effect)| PhraseTruth {
            stage: (*stage).to_string(),
            phrase: (*phrase).to_string(),
            effect: effect * strengths.phrases,
            role: if *effect > 0.0 { "winning" } else { "losing" }.to_string(),
        })
        .collect();
    phrases.push(PhraseTruth {
        stage: plan::CONFOUNDED_PHRASE.0.to_string(),
        phrase: plan::CONFOUNDED_PHRASE.1.to_string(),
        effect: 0.0,
        role: "confounded".to_string(),
    });
    let objections = plan::OBJECTIONS
        .iter()
        .map(|(objection_type, _, strategies)| {
            let responses: Vec<Effect> = strategies
                .iter()
                .map(|(name, _, effect)| Effect { name: (*name).to_string(), effect: effect * strengths.objections })
                .collect();
            ObjectionTruth {
                objection_type: (*objection_type).to_string(),
                best_response: truth::best_of(&responses),
                responses,
            }
        })
        .collect();
    let structure_sign = |effect: f64| sign(effect * strengths.structure);
    let expected_signs = [
        ("question_count", structure_sign(plan::QUESTION_EFFECT_PER_QUESTION)),
        ("qualification_duration", structure_sign(plan::QUESTION_EFFECT_PER_QUESTION)),
        ("agent_talk_ratio", structure_sign(plan::VERBOSITY_EFFECT_PER_LEVEL)),
        ("value_presentation_duration", structure_sign(plan::VERBOSITY_EFFECT_PER_LEVEL)),
        ("confirmation_repetitions_on_show_up", sign(plan::CONFIRMATION_EFFECT_PER_REPETITION * strengths.show_up)),
    ]
    .into_iter()
    .map(|(name, sign)| (name.to_string(), sign))
    .collect();
    let decline_week_start = config.start_date + Duration::days(i64::from(config.weeks - 1) * 7);
    let iso = decline_week_start.iso_week();
    CallTruth {
        booking_base_logit: plan::BOOKING_BASE_LOGIT,
        phrases,
        structure: StructureTruth {
            question_effect_per_question: plan::QUESTION_EFFECT_PER_QUESTION * strengths.structure,
            question_effect_cap: plan::QUESTION_EFFECT_CAP,
            verbosity_effect_per_level: plan::VERBOSITY_EFFECT_PER_LEVEL * strengths.structure,
            confirmation_effect_per_repetition: plan::CONFIRMATION_EFFECT_PER_REPETITION * strengths.show_up,
            expected_signs,
        },
        objections,
        drop_hazards: truth::scaled(plan::DROP_HAZARDS, 1.0),
        technical_failure_rate: plan::TECHNICAL_FAILURE_RATE,
        escalation_rate: plan::ESCALATION_RATE,
        escalation_reasons: truth::scaled(plan::ESCALATION_REASONS, 1.0),
        compliance: ComplianceTruth {
            rule: plan::COMPLIANCE_RULE.to_string(),
            base_rate: plan::COMPLIANCE_BASE_RATE * strengths.compliance,
            agent: plan::COMPLIANCE_AGENT.to_string(),
            agent_extra_rate: plan::COMPLIANCE_AGENT_EXTRA_RATE * strengths.compliance,
        },
        show_up: ShowUpTruth {
            base_logit: plan::SHOW_UP_BASE_LOGIT,
            strong_commitment_effect: plan::STRONG_COMMITMENT_EFFECT * strengths.show_up,
            weak_commitment_effect: plan::WEAK_COMMITMENT_EFFECT * strengths.show_up,
            confirmation_effect_per_repetition: plan::CONFIRMATION_EFFECT_PER_REPETITION * strengths.show_up,
            days_to_appointment_effect_per_day: plan::DAYS_TO_APPOINTMENT_EFFECT_PER_DAY * strengths.show_up,
        },
        decline: DeclineTruth {
            iso_week: format!("{}-W{:02}", iso.year(), iso.week()),
            script_version: plan::DECLINE_SCRIPT.to_string(),
            stage: plan::DECLINE_STAGE.to_string(),
            share_of_calls: plan::DECLINE_SHARE_OF_CALLS,
            extra_drop_hazard: plan::DECLINE_EXTRA_DROP_HAZARD * strengths.decline,
        },
        experiment: ExperimentTruth {
            name: "closing-script-test".to_string(),
            control: "A".to_string(),
            treatment: "B".to_string(),
            booking_logit_lift: plan::EXPERIMENT_LIFT * strengths.experiment,
        },
        lead_fit_on_calls: plan::LEAD_FIT_ON_CALLS,
        realized,
    }
}

fn lead_truth(strengths: &Strengths, realized: Realized) -> LeadTruth {
    let titles = truth::scaled(plan::TITLE_EFFECTS, strengths.lead_fit);
    let industries = truth::scaled(plan::INDUSTRY_EFFECTS, strengths.lead_fit);
    let size_ranges: Vec<Effect> = vocab::SIZE_RANGES
        .iter()
        .zip(plan::SIZE_EFFECTS)
        .map(|((label, _, _), effect)| Effect { name: (*label).to_string(), effect: effect * strengths.lead_fit })
        .collect();
    let timing_signals = plan::TIMING_SIGNALS
        .iter()
        .map(|(name, _, effect)| Effect { name: (*name).to_string(), effect: effect * strengths.lead_fit })
        .collect();
    let voice_ai_use_cases = plan::VOICE_AI_USE_CASES
        .iter()
        .map(|(name, _, effect)| Effect { name: (*name).to_string(), effect: effect * strengths.voice_ai_fit })
        .collect();
    LeadTruth {
        voice_ai_fit_base: plan::VOICE_AI_FIT_BASE,
        voice_ai_use_cases,
        voice_ai_fit_per_size_step: plan::VOICE_AI_FIT_PER_SIZE_STEP * strengths.voice_ai_fit,
        best_title: truth::best_of(&titles),
        best_industry: truth::best_of(&industries),
        sweet_spot: truth::best_of(&size_ranges),
        titles,
        industries,
        size_ranges,
        timing_signals,
        realized,
    }
}

fn outreach_truth(strengths: &Strengths, realized: Realized) -> OutreachTruth {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let days: Vec<Effect> = DAYS
        .iter()
        .zip(plan::DAY_EFFECTS)
        .map(|(day, effect)| Effect { name: (*day).to_string(), effect: effect * strengths.timing })
        .collect();
    let hours: Vec<Effect> = plan::HOUR_EFFECTS
        .iter()
        .map(|(hour, effect)| Effect { name: hour.to_string(), effect: effect * strengths.timing })
        .collect();
    let touch_positions: Vec<Effect> = plan::TOUCH_POSITION_EFFECTS
        .iter()
        .enumerate()
        .map(|(index, effect)| Effect { name: (index + 1).to_string(), effect: effect * strengths.timing })
        .collect();
    let gaps: Vec<Effect> = plan::GAP_EFFECTS
        .iter()
        .map(|(gap, effect)| Effect { name: gap.to_string(), effect: effect * strengths.timing })
        .collect();
    let channels = truth::scaled(plan::CHANNEL_EFFECTS, strengths.channels);
    let sequences: Vec<Effect> = vocab::SEQUENCES
        .iter()
        .zip(plan::SEQUENCE_BONUS)
        .map(|(sequence, bonus)| {
            let per_touch: f64 = sequence.iter().map(|channel| plan::effect_of(plan::CHANNEL_EFFECTS, channel)).sum();
            Effect {
                name: sequence.join(">"),
                effect: (per_touch + bonus * sequence.len() as f64) * strengths.channels,
            }
        })
        .collect();
    let subjects: Vec<Effect> = vocab::SUBJECTS
        .iter()
        .zip(plan::SUBJECT_EFFECTS)
        .map(|(subject, effect)| Effect { name: (*subject).to_string(), effect: effect * strengths.content })
        .collect();
    let pain_points = truth::scaled(plan::PAIN_POINT_EFFECTS, strengths.content);
    let ctas = truth::scaled(plan::CTA_EFFECTS, strengths.content);
    let angles = truth::scaled(plan::ANGLE_EFFECTS, strengths.content);
    OutreachTruth {
        best_day: truth::best_of(&days),
        best_hour: truth::best_of(&hours).and_then(|hour| hour.parse().ok()),
        best_touch: truth::best_of(&touch_positions).and_then(|touch| touch.parse().ok()),
        best_gap_days: truth::best_of(&gaps).and_then(|gap| gap.parse().ok()),
        best_sequence: truth::best_of(&sequences),
        best_subject: truth::best_of(&subjects),
        best_pain_point: truth::best_of(&pain_points),
        best_cta: truth::best_of(&ctas),
        best_angle: truth::best_of(&angles),
        days,
        hours,
        touch_positions,
        gaps,
        channels,
        sequences,
        voice_tier_a_bonus: plan::VOICE_TIER_A_BONUS * strengths.channels,
        subjects,
        pain_points,
        ctas,
        angles,
        length_bands: plan::LENGTH_BANDS
            .iter()
            .map(|(channel, min, max)| ((*channel).to_string(), format!("{min}-{max}")))
            .collect(),
        length_effects: [
            plan::LENGTH_INSIDE_EFFECT * strengths.content,
            plan::LENGTH_TOO_LONG_EFFECT * strengths.content,
        ],
        personalization_effect_per_level: plan::PERSONALIZATION_EFFECT_PER_LEVEL * strengths.content,
        realized,
    }
}
