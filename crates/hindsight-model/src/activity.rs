//! Activities: outreach touches (and replies) on a lead, with the content that was sent.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::attributes::Attributes;
use crate::lead::{Lead, LeadStatus};
use crate::problem::{Problem, Validate, check_id, check_range};
use crate::tag::ActivityTag;
use crate::tenant::TenantId;

/// The channel a touch went through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Email.
    Email,
    /// LinkedIn message or connection request.
    Linkedin,
    /// Text message.
    Sms,
    /// Phone call (by a voice agent or a person).
    Voice,
}

impl Channel {
    /// Every channel.
    pub const ALL: [Channel; 4] = [Channel::Email, Channel::Linkedin, Channel::Sms, Channel::Voice];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Linkedin => "linkedin",
            Channel::Sms => "sms",
            Channel::Voice => "voice",
        }
    }
}

/// What was sent, captured when the touch was created so later learning sees the real content.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentSnapshot {
    /// Subject line (email), possibly templated (`Quick question about {company}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Message body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// The call to action ("worth 15 minutes?").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cta: Option<String>,
    /// Pain points the message addresses ("leads", "scaling").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pain_points: Vec<String>,
    /// The message's angle (`roi_focused`, `social_proof`, `curiosity`, …) when the sender labels it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub angle: Option<String>,
    /// Words in the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub word_count: Option<u32>,
    /// How personalised the message is, 0 (generic) to 5 (fully bespoke).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personalization_level: Option<f64>,
}

/// One touch or event on a lead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    /// `"type": "activity"` on the wire.
    #[serde(rename = "type", default)]
    pub record_type: ActivityTag,
    /// Unique within the tenant.
    pub id: String,
    /// The owning tenant; filled in by ingest from `--tenant` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<TenantId>,
    /// The lead touched.
    pub lead_id: String,
    /// The campaign or sequence, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<String>,
    /// The channel.
    pub channel: Channel,
    /// What happened: `email_sent`, `linkedin_sent`, `sms_sent`, `voice_completed` are outbound
    /// touches; anything else (`email_replied`, `meeting_booked`, …) is an event on the lead.
    pub action: String,
    /// Position of this touch in the lead's sequence, 1-based.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub touch_number: Option<u32>,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// What was sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<ContentSnapshot>,
    /// This was the last outbound touch before the lead converted (derived; see docs/records.md).
    #[serde(default)]
    pub led_to_booking: bool,
    /// Custom fields.
    #[serde(default, skip_serializing_if = "Attributes::is_empty")]
    pub attributes: Attributes,
}

impl Activity {
    /// The actions that count as an outbound touch (the spec's `mark_converting_touch` list).
    pub const OUTBOUND_ACTIONS: [&'static str; 4] = ["email_sent", "sms_sent", "linkedin_sent", "voice_completed"];

    /// True for an outbound touch, the kind that can be credited with a booking.
    pub fn is_outbound_touch(&self) -> bool {
        Self::OUTBOUND_ACTIONS.contains(&self.action.as_str())
    }
}

/// Marks each converted lead's converting touch: its last outbound touch at or before the
/// conversion (`led_to_booking`, conversion-intelligence.md §3.1). Derived from the records as
/// they stand, so it holds whichever arrived first — the touches, the lead, or a later status
/// change that converted it. A lead whose sender already marked a touch keeps the sender's mark:
/// the sender may know which reply booked. Returns how many touches were marked.
pub fn mark_converting_touches(leads: &[Lead], activities: &mut [Activity]) -> usize {
    let converted_at: std::collections::HashMap<&str, chrono::DateTime<Utc>> = leads
        .iter()
        .filter(|lead| lead.status == LeadStatus::Converted)
        .filter_map(|lead| Some((lead.id.as_str(), lead.converted_at?)))
        .collect();
    if converted_at.is_empty() {
        return 0;
    }
    // Per lead: whether the sender marked a touch, and the index of the latest eligible touch.
    // Positions, not ids, so a million touches cost no string copies.
    let mut by_lead: std::collections::HashMap<&str, (bool, Option<usize>)> = std::collections::HashMap::new();
    for (index, activity) in activities.iter().enumerate() {
        let Some((&lead_id, conversion)) = converted_at.get_key_value(activity.lead_id.as_str()) else { continue };
        let entry = by_lead.entry(lead_id).or_insert((false, None));
        entry.0 |= activity.led_to_booking;
        if activity.is_outbound_touch() && activity.at <= *conversion {
            let later =
                entry.1.is_none_or(|best| (activity.at, &activity.id) > (activities[best].at, &activities[best].id));
            if later {
                entry.1 = Some(index);
            }
        }
    }
    let to_mark: Vec<usize> =
        by_lead.into_values().filter_map(|(sender_marked, latest)| if sender_marked { None } else { latest }).collect();
    for index in &to_mark {
        activities[*index].led_to_booking = true;
    }
    to_mark.len()
}

impl Validate for Activity {
    fn validate(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        check_id("id", &self.id, &mut problems);
        check_id("lead_id", &self.lead_id, &mut problems);
        let action_well_formed = !self.action.is_empty()
            && self.action.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !action_well_formed {
            problems.push(Problem::new(
                "action",
                format!("{:?} is not a snake_case action name such as \"email_sent\"", self.action),
            ));
        }
        if self.touch_number == Some(0) {
            problems.push(Problem::new("touch_number", "is 1-based; 0 is not a touch"));
        }
        if let Some(level) = self.content.as_ref().and_then(|content| content.personalization_level) {
            check_range("content.personalization_level", level, 0.0, 5.0, &mut problems);
        }
        problems
    }
}
