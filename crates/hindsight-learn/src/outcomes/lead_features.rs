//! Lead features for lead-level models (lead-qualification.md): who the lead is and what its
//! company and notes say, known before the lead progresses.
//!
//! Rows are the leads whose progression is known, in creation order: converted (progressed) or
//! ended dead, not interested or unsubscribed (did not). New and contacted leads are still open
//! (they are what a model scores); bounced ones never heard the pitch. Features: everything
//! [`call_feature_table`](crate::outcomes::call_feature_table) takes from a lead (score, size,
//! timing flags, industry, funding stage, tier, custom attributes), the title normalized to a
//! seniority and a department, and keyword counts in the description and notes: products and
//! use cases (voice AI, automation), pricing requests, next meetings, urgency, technical depth.
//! The lead's status and conversion time are the label, never features.
//!
//! A lead's calls add what was heard on them ([`CallsByLead`]): how many calls, the commitment
//! and objections the transcript analysis found, the questions the prospect asked, the furthest
//! stage reached, and the same keyword families counted in what the prospect said. Two cuts keep
//! the outcome out: only calls that started before the lead converted are read (a converted
//! lead's later calls are onboarding, not the road to conversion), and each transcript only up
//! to the prospect's decision, as the `booked` model reads it — the "yes" and the read-back of a
//! booked slot are the progression itself talking.
//!
//! The first cut alone would plant a driver of its own: a lead that never converted has no such
//! moment, so its history would run to the end of the data while a converted lead's stops early,
//! and "more calls" would read as "less likely to progress". So when training `progressed`,
//! each unconverted lead's history stops at its creation plus a time to conversion drawn from
//! the converted leads' own (picked by a hash of the lead's id, so every run draws the same):
//! both classes' histories then span the same lengths, as case-control studies sample their
//! controls at the cases' event times. A scored open lead reads every call it had so far.
//!
//! The second lead-level target, `voice_ai_fit`, takes its rows from the leads whose
//! [`VOICE_AI_FIT_ATTRIBUTE`] says yes or no, with the same features: the spec's voice-AI model
//! learns which companies are strong voice-AI prospects from the same firmographics and words.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};
use hindsight_model::{AttributeValue, Call, Lead, LeadStatus, Speaker, VOICE_AI_FIT_ATTRIBUTE};
use hindsight_text::conversation::TranscriptAnalyzer;
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::call_context::call_context;
use crate::outcomes::features::{FeatureParams, FeatureTable, OutcomeTarget, RawRow, add_lead, analyze_to_decision};

/// The column counting a lead's calls: present in every lead row a model was trained on with
/// call history, so a model's schema says whether scoring needs the leads' calls.
pub(crate) const CALLS_COUNT_COLUMN: &str = "calls_count";

/// Each lead's calls, found by the lead's id: what lead rows read their call history from.
#[derive(Debug, Default)]
pub struct CallsByLead<'a> {
    calls: HashMap<&'a str, Vec<&'a Call>>,
}

impl<'a> CallsByLead<'a> {
    /// Groups `calls` by their `lead_id`; a call without one belongs to no lead.
    pub fn new(calls: &'a [Call]) -> CallsByLead<'a> {
        let mut by_lead: HashMap<&'a str, Vec<&'a Call>> = HashMap::new();
        for call in calls {
            if let Some(lead_id) = call.lead_id.as_deref() {
                by_lead.entry(lead_id).or_default().push(call);
            }
        }
        CallsByLead { calls: by_lead }
    }

    /// The calls of the lead `lead_id`, in no particular order.
    pub fn of(&self, lead_id: &str) -> &[&'a Call] {
        self.calls.get(lead_id).map_or(&[], Vec::as_slice)
    }
}

/// Title words by seniority, most senior first: the first family with a match wins.
const SENIORITY: &[(&str, &[&str])] = &[
    ("c_level", &["ceo", "cto", "cfo", "coo", "cmo", "cro", "chief", "founder", "owner", "president"]),
    ("vp", &["vp", "vice president", "svp", "evp"]),
    ("director", &["director", "head of"]),
    ("manager", &["manager", "lead", "supervisor"]),
];

/// Title words by department, matched as whole words (so "director" is not "directory"): each
/// word form a title uses is listed.
const DEPARTMENTS: &[(&str, &[&str])] = &[
    ("executive", &["ceo", "founder", "owner", "president", "chief executive"]),
    ("sales", &["sales", "revenue", "cro", "business development", "account"]),
    ("marketing", &["marketing", "growth", "demand", "cmo", "brand"]),
    ("engineering", &["engineer", "engineering", "cto", "technology", "developer", "it", "technical", "product"]),
    ("operations", &["operations", "coo", "ops", "customer success", "support"]),
    ("finance", &["cfo", "finance", "controller", "accounting"]),
];

/// Keyword families counted in a lead's description and notes (the spec's call-note signals).
pub(crate) const TEXT_SIGNALS: &[(&str, &[&str])] = &[
    ("voice_ai", &["voice ai", "voice agent", "voicebot", "ivr", "call center", "contact center", "speech"]),
    ("automation", &["automation", "automate", "ai-powered", "artificial intelligence", "machine learning"]),
    ("pricing_request", &["pricing", "price", "quote", "cost", "budget"]),
    ("next_meeting", &["next meeting", "follow-up", "follow up", "demo", "schedule a call", "next step"]),
    ("urgency", &["asap", "urgent", "this quarter", "this month", "immediately", "deadline"]),
    ("technical_depth", &["api", "integration", "sdk", "webhook", "technical", "architecture"]),
];

fn words_of(title: &str) -> String {
    format!(" {} ", title.to_lowercase().replace(['.', ',', '/', '-', '&'], " "))
}

/// The first family whose words occur in `text` (padded with spaces, so "cto" does not match
/// "director").
fn family_of<'a>(text: &str, families: &[(&'a str, &[&str])]) -> Option<&'a str> {
    families
        .iter()
        .find(|(_, words)| words.iter().any(|word| text.contains(&format!(" {word} "))))
        .map(|(family, _)| *family)
}

/// A title's seniority: `c_level`, `vp`, `director`, `manager` or `individual`.
pub(crate) fn title_seniority(title: &str) -> &'static str {
    family_of(&words_of(title), SENIORITY).unwrap_or("individual")
}

/// The label of a lead, when its progression is known.
fn progressed(lead: &Lead) -> Option<bool> {
    match lead.status {
        LeadStatus::Converted => Some(true),
        LeadStatus::Dead | LeadStatus::NotInterested | LeadStatus::Unsubscribed => Some(false),
        LeadStatus::New | LeadStatus::Contacted | LeadStatus::Bounced => None,
    }
}

/// The voice-AI-fit label of a lead, when someone gave one: a boolean, or a number 0 or 1.
fn voice_ai_fit(lead: &Lead) -> Option<bool> {
    match lead.attributes.get(VOICE_AI_FIT_ATTRIBUTE)? {
        AttributeValue::Bool(fit) => Some(*fit),
        AttributeValue::Number(number) if *number == 0.0 || *number == 1.0 => Some(*number == 1.0),
        _ => None,
    }
}

/// The label of a lead for a lead-level `target`.
fn lead_label(lead: &Lead, target: OutcomeTarget) -> Option<bool> {
    match target {
        OutcomeTarget::Progressed => progressed(lead),
        OutcomeTarget::VoiceAiFit => voice_ai_fit(lead),
        OutcomeTarget::ShowedUp | OutcomeTarget::Booked | OutcomeTarget::Converted => None,
    }
}

/// How often each keyword family occurs in `text` (lower case, padded with spaces).
fn signal_counts(text: &str) -> impl Iterator<Item = (&'static str, f64)> + '_ {
    TEXT_SIGNALS.iter().map(move |(signal, words)| {
        let count: usize = words.iter().map(|word| text.matches(word).count()).sum();
        (*signal, count as f64)
    })
}

/// What the lead's calls that started before `history_end` said, each read up to the prospect's
/// decision. With no such call only the count (zero) is known; the rest stays missing.
fn add_call_history(
    row: &mut RawRow,
    lead: &Lead,
    calls: &[&Call],
    history_end: Option<DateTime<Utc>>,
    analyzer: &TranscriptAnalyzer,
) {
    let before: Vec<&Call> =
        calls.iter().filter(|call| history_end.is_none_or(|end| call.started_at < end)).copied().collect();
    row.numbers.push((CALLS_COUNT_COLUMN.into(), before.len() as f64));
    if before.is_empty() {
        return;
    }
    let context = call_context(Some(lead));
    let (mut strong, mut objections, mut user_questions, mut stages_max) = (0_u32, 0_usize, 0_u32, 0_usize);
    let mut commitment_scores = Vec::new();
    let mut prospect_said = String::from(" ");
    for call in before.iter().copied() {
        let (analysis, heard) = analyze_to_decision(analyzer, &call.turns, &context);
        strong += analysis.commitment_strong;
        objections += analysis.objections.len();
        user_questions += analysis.user.questions;
        stages_max = stages_max.max(analysis.stages_reached());
        commitment_scores.extend(analysis.commitment_score);
        for turn in call.turns[..heard].iter().filter(|turn| turn.speaker == Speaker::User) {
            prospect_said.push_str(&turn.text.to_lowercase());
            prospect_said.push(' ');
        }
    }
    let mean_commitment = if commitment_scores.is_empty() {
        f64::NAN
    } else {
        commitment_scores.iter().sum::<f64>() / commitment_scores.len() as f64
    };
    for (name, value) in [
        ("calls_commitment_score_mean", mean_commitment),
        ("calls_commitment_strong", f64::from(strong)),
        ("calls_objections", objections as f64),
        ("calls_user_questions", f64::from(user_questions)),
        ("calls_stages_reached_max", stages_max as f64),
    ] {
        row.numbers.push((name.into(), value));
    }
    for (signal, count) in signal_counts(&prospect_said) {
        row.numbers.push((format!("calls_said_{signal}"), count));
    }
}

/// One lead's raw features, with what its calls that started before `history_end` said.
pub(crate) fn raw_lead_row(
    lead: &Lead,
    calls: &CallsByLead<'_>,
    history_end: Option<DateTime<Utc>>,
    analyzer: &TranscriptAnalyzer,
) -> RawRow {
    let mut row = RawRow::default();
    add_lead(&mut row, lead);
    if let Some(title) = &lead.title {
        let words = words_of(title);
        row.categories.push(("title_seniority".into(), title_seniority(title).into()));
        row.categories.push(("title_department".into(), family_of(&words, DEPARTMENTS).unwrap_or("other").into()));
    }
    let text = format!(
        " {} {} ",
        lead.description.as_deref().unwrap_or_default().to_lowercase(),
        lead.notes.as_deref().unwrap_or_default().to_lowercase()
    );
    for (signal, count) in signal_counts(&text) {
        row.numbers.push((format!("text_{signal}"), count));
    }
    row.numbers
        .push(("notes_words".into(), lead.notes.as_deref().map_or(0, |notes| notes.split_whitespace().count()) as f64));
    add_call_history(&mut row, lead, calls.of(&lead.id), history_end, analyzer);
    row
}

/// When a lead happened, for the time order (its creation; the epoch when unknown).
fn lead_time(lead: &Lead) -> DateTime<Utc> {
    lead.created_at.unwrap_or_default()
}

/// Where each of `leads` (labelled for `progressed`) stops reading its calls: a converted lead at
/// its conversion, an unconverted one at its creation plus a converted lead's time to conversion
/// (see the module overview). Without a converted lead to match, or a creation time, nothing is
/// cut but the conversion.
fn matched_history_ends(leads: &[&Lead]) -> Vec<Option<DateTime<Utc>>> {
    let times_to_conversion: Vec<TimeDelta> = leads
        .iter()
        .filter_map(|lead| Some(lead.converted_at? - lead.created_at?))
        .filter(|time| *time >= TimeDelta::zero())
        .collect();
    leads
        .iter()
        .map(|lead| {
            if lead.converted_at.is_some() || times_to_conversion.is_empty() {
                return lead.converted_at;
            }
            let digest = Sha256::digest(lead.id.as_bytes());
            let draw = u64::from_le_bytes(digest[..8].try_into().expect("a digest has 8 bytes"));
            let time_to_conversion = times_to_conversion[(draw % times_to_conversion.len() as u64) as usize];
            lead.created_at.map(|created_at| created_at + time_to_conversion)
        })
        .collect()
}

/// The feature table of a lead-level `target` (`progressed`, `voice_ai_fit`) from `leads` and
/// their `calls`; a call-level target has no lead rows, so its table is empty.
pub fn lead_feature_table(
    leads: &[Lead],
    calls: &CallsByLead<'_>,
    target: OutcomeTarget,
    params: &FeatureParams,
) -> FeatureTable {
    let mut selected: Vec<(&Lead, bool)> =
        leads.iter().filter_map(|lead| lead_label(lead, target).map(|label| (lead, label))).collect();
    selected.sort_by(|a, b| lead_time(a.0).cmp(&lead_time(b.0)).then_with(|| a.0.id.cmp(&b.0.id)));
    let selected_leads: Vec<&Lead> = selected.iter().map(|(lead, _)| *lead).collect();
    let history_ends = match target {
        OutcomeTarget::Progressed => matched_history_ends(&selected_leads),
        _ => selected_leads.iter().map(|lead| lead.converted_at).collect(),
    };
    let analyzer = TranscriptAnalyzer::new(&params.text);
    // Transcripts are analysed: CPU work across the cores.
    let raw: Vec<RawRow> = selected_leads
        .par_iter()
        .zip(&history_ends)
        .map(|(lead, history_end)| raw_lead_row(lead, calls, *history_end, &analyzer))
        .collect();
    FeatureTable::from_raw(
        target,
        params,
        &raw,
        selected.iter().map(|(_, label)| *label).collect(),
        selected.iter().map(|(lead, _)| lead.id.clone()).collect(),
        selected.iter().map(|(lead, _)| lead_time(lead)).collect(),
    )
}

#[cfg(test)]
mod tests {
    use hindsight_model::{Call, Lead};
    use hindsight_text::conversation::TranscriptAnalyzer;
    use serde_json::json;

    use super::{CallsByLead, DEPARTMENTS, SENIORITY, family_of, matched_history_ends, raw_lead_row, words_of};
    use crate::outcomes::features::{FeatureParams, RawRow};

    fn row_of(lead: &Lead, calls: &[Call]) -> RawRow {
        let analyzer = TranscriptAnalyzer::new(&FeatureParams::default().text);
        raw_lead_row(lead, &CallsByLead::new(calls), lead.converted_at, &analyzer)
    }

    fn number(row: &RawRow, name: &str) -> Option<f64> {
        row.numbers.iter().find(|(column, _)| column == name).map(|(_, value)| *value)
    }

    /// A call of `lead_id` at `started_at` whose turns alternate agent, user, agent, …
    fn call(id: &str, lead_id: &str, started_at: &str, turns: &[&str]) -> Call {
        let turns: Vec<serde_json::Value> = turns
            .iter()
            .enumerate()
            .map(|(index, text)| {
                let speaker = if index % 2 == 0 { "agent" } else { "user" };
                json!({"speaker": speaker, "text": text, "start_s": index * 5, "end_s": index * 5 + 4})
            })
            .collect();
        serde_json::from_value(json!({
            "id": id, "campaign": "camp", "lead_id": lead_id, "agent": "a1", "script_version": "v1",
            "started_at": started_at, "duration_s": 60, "status": "completed", "turns": turns,
        }))
        .expect("valid call")
    }

    /// Call notes and the company description become counts per signal family.
    #[test]
    fn notes_and_description_are_counted_by_signal() {
        let lead: hindsight_model::Lead = serde_json::from_value(serde_json::json!({
            "id": "l1", "status": "contacted", "title": "VP Engineering",
            "description": "Contact center software; AI-powered automation for support teams.",
            "notes": "Asked for pricing and a quote. Wants a demo next week, needs API integration ASAP."
        }))
        .expect("valid lead");
        let row = row_of(&lead, &[]);
        let count = |name: &str| number(&row, name);
        assert_eq!(count("text_voice_ai"), Some(1.0));
        assert_eq!(count("text_automation"), Some(2.0));
        assert_eq!(count("text_pricing_request"), Some(2.0));
        assert_eq!(count("text_next_meeting"), Some(1.0));
        assert_eq!(count("text_urgency"), Some(1.0));
        assert_eq!(count("text_technical_depth"), Some(2.0));
        assert_eq!(count("notes_words"), Some(15.0));
        assert!(row.categories.contains(&("title_seniority".into(), "vp".into())));
        assert!(row.categories.contains(&("title_department".into(), "engineering".into())));
    }

    /// Only what the prospect said on calls before the lead converted, and on each call only up
    /// to their decision, becomes a call-history feature.
    #[test]
    fn call_history_reads_the_prospect_before_the_decision_and_the_conversion() {
        let lead: Lead = serde_json::from_value(json!({
            "id": "l1", "status": "converted", "converted_at": "2026-01-10T12:00:00Z"
        }))
        .expect("valid lead");
        let calls = [
            call(
                "before",
                "l1",
                "2026-01-05T10:00:00Z",
                &[
                    "Hi, this is Sam. Our pricing is simple, and a demo is quick.",
                    "What does it cost for a team of ten?",
                    "About forty a seat. Would you like to book a demo on Tuesday?",
                    "That works, definitely.",
                    "Great, Tuesday at ten then.",
                    "Send me the price sheet and a quote too.",
                ],
            ),
            call("after", "l1", "2026-01-12T10:00:00Z", &["Welcome aboard.", "What is the price of the API plan?"]),
            call("other", "l2", "2026-01-05T10:00:00Z", &["Hello.", "What does it cost?"]),
        ];
        let row = row_of(&lead, &calls);
        let read = |name: &str| number(&row, name);
        assert_eq!(read("calls_count"), Some(1.0), "the call after the conversion and l2's call are not l1's history");
        // "cost" in the prospect's question; the agent's "pricing" and the price sheet asked for
        // after the decision are not counted.
        assert_eq!(read("calls_said_pricing_request"), Some(1.0));
        assert_eq!(read("calls_said_next_meeting"), Some(0.0), "only the agent said demo");
        assert_eq!(read("calls_said_technical_depth"), Some(0.0), "the API was asked about after converting");
        assert_eq!(read("calls_user_questions"), Some(1.0));
        assert_eq!(read("calls_commitment_strong"), Some(0.0), "\"definitely\" is the decision itself");
        assert_eq!(read("calls_objections"), Some(1.0), "asking what it costs reads as a price objection");
        assert!(read("calls_stages_reached_max").is_some_and(|stages| stages >= 1.0));
    }

    /// An unconverted lead's history lasts as long as some converted lead's road to conversion;
    /// a converted lead's ends at its conversion; without a creation time nothing can be matched.
    #[test]
    fn unconverted_histories_span_a_converted_leads_time_to_conversion() {
        let lead = |id: &str, created_at: Option<&str>, converted_at: Option<&str>| -> Lead {
            serde_json::from_value(json!({
                "id": id, "status": if converted_at.is_some() { "converted" } else { "dead" },
                "created_at": created_at, "converted_at": converted_at,
            }))
            .expect("valid lead")
        };
        let leads = [
            lead("won-2d", Some("2026-01-01T00:00:00Z"), Some("2026-01-03T00:00:00Z")),
            lead("won-5d", Some("2026-01-01T00:00:00Z"), Some("2026-01-06T00:00:00Z")),
            lead("lost-a", Some("2026-02-01T00:00:00Z"), None),
            lead("lost-b", Some("2026-02-01T00:00:00Z"), None),
            lead("lost-c", Some("2026-02-01T00:00:00Z"), None),
            lead("lost-undated", None, None),
        ];
        let selected: Vec<&Lead> = leads.iter().collect();
        let ends = matched_history_ends(&selected);
        assert_eq!(ends[0], leads[0].converted_at);
        assert_eq!(ends[1], leads[1].converted_at);
        let february = "2026-02-01T00:00:00Z".parse::<chrono::DateTime<chrono::Utc>>().expect("time");
        for end in &ends[2..5] {
            let days = end.map(|end| (end - february).num_days());
            assert!(matches!(days, Some(2 | 5)), "{end:?}");
        }
        assert_eq!(ends[5], None);
        assert_eq!(ends, matched_history_ends(&selected), "the same draw every run");
    }

    /// A lead nobody has called yet has a call count of zero and no other call column, so the
    /// model learns from the count alone and treats the rest as missing.
    #[test]
    fn a_lead_without_calls_has_only_a_zero_count() {
        let lead: Lead = serde_json::from_value(json!({"id": "l1", "status": "contacted"})).expect("valid lead");
        let row = row_of(&lead, &[call("other", "l2", "2026-01-05T10:00:00Z", &["Hello.", "What does it cost?"])]);
        let call_columns: Vec<(&str, f64)> = row
            .numbers
            .iter()
            .filter(|(column, _)| column.starts_with("calls_"))
            .map(|(column, value)| (column.as_str(), *value))
            .collect();
        assert_eq!(call_columns, [("calls_count", 0.0)]);
    }

    #[test]
    fn titles_normalize_to_a_seniority_and_a_department() {
        let normalized: Vec<(Option<&str>, Option<&str>)> = [
            "CEO",
            "VP of Sales",
            "Director, Marketing",
            "Head of Growth",
            "Sales Manager",
            "Software Engineer",
            "Directory clerk",
        ]
        .iter()
        .map(|title| (family_of(&words_of(title), SENIORITY), family_of(&words_of(title), DEPARTMENTS)))
        .collect();
        assert_eq!(
            normalized,
            [
                (Some("c_level"), Some("executive")),
                (Some("vp"), Some("sales")),
                (Some("director"), Some("marketing")),
                (Some("director"), Some("marketing")),
                (Some("manager"), Some("sales")),
                (None, Some("engineering")),
                (None, None),
            ]
        );
    }
}
