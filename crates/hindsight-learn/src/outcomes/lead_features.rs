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
//! The second lead-level target, `voice_ai_fit`, takes its rows from the leads whose
//! [`VOICE_AI_FIT_ATTRIBUTE`] says yes or no, with the same features: the spec's voice-AI model
//! learns which companies are strong voice-AI prospects from the same firmographics and words.

use chrono::{DateTime, Utc};
use hindsight_model::{AttributeValue, Lead, LeadStatus, VOICE_AI_FIT_ATTRIBUTE};

use crate::outcomes::features::{FeatureParams, FeatureTable, OutcomeTarget, RawRow, add_lead};

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
const TEXT_SIGNALS: &[(&str, &[&str])] = &[
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

/// One lead's raw features.
pub(crate) fn raw_lead_row(lead: &Lead) -> RawRow {
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
    for (signal, words) in TEXT_SIGNALS {
        let count: usize = words.iter().map(|word| text.matches(word).count()).sum();
        row.numbers.push((format!("text_{signal}"), count as f64));
    }
    row.numbers
        .push(("notes_words".into(), lead.notes.as_deref().map_or(0, |notes| notes.split_whitespace().count()) as f64));
    row
}

/// When a lead happened, for the time order (its creation; the epoch when unknown).
fn lead_time(lead: &Lead) -> DateTime<Utc> {
    lead.created_at.unwrap_or_default()
}

/// The feature table of a lead-level `target` (`progressed`, `voice_ai_fit`) from `leads`; a
/// call-level target has no lead rows, so its table is empty.
pub fn lead_feature_table(leads: &[Lead], target: OutcomeTarget, params: &FeatureParams) -> FeatureTable {
    let mut selected: Vec<(&Lead, bool)> =
        leads.iter().filter_map(|lead| lead_label(lead, target).map(|label| (lead, label))).collect();
    selected.sort_by(|a, b| lead_time(a.0).cmp(&lead_time(b.0)).then_with(|| a.0.id.cmp(&b.0.id)));
    let raw: Vec<RawRow> = selected.iter().map(|(lead, _)| raw_lead_row(lead)).collect();
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
    use super::{DEPARTMENTS, SENIORITY, family_of, raw_lead_row, words_of};

    /// Call notes and the company description become counts per signal family.
    #[test]
    fn notes_and_description_are_counted_by_signal() {
        let lead: hindsight_model::Lead = serde_json::from_value(serde_json::json!({
            "id": "l1", "status": "contacted", "title": "VP Engineering",
            "description": "Contact center software; AI-powered automation for support teams.",
            "notes": "Asked for pricing and a quote. Wants a demo next week, needs API integration ASAP."
        }))
        .expect("valid lead");
        let row = raw_lead_row(&lead);
        let count = |name: &str| row.numbers.iter().find(|(column, _)| column == name).map(|(_, value)| *value);
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
