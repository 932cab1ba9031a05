//! Journeys: each lead with its outbound touches in time order — the shape the WHAT, WHEN and HOW
//! detectors read.
//!
//! Only outbound touches count (`email_sent`, `sms_sent`, `linkedin_sent`, `voice_completed`):
//! replies and `meeting_booked` events are outcomes, not touches. A touch converted when it is the
//! converting touch (`led_to_booking`). Touch positions are counted here, 1-based in time order,
//! rather than taken from `touch_number`, so a sender that numbers touches per campaign or per
//! channel still lines up.

use chrono::{DateTime, Utc};
use foldhash::HashMap;
use hindsight_model::{Activity, Lead};

use crate::conversion::who::lead_outcome;

/// One lead's outreach.
#[derive(Debug, Clone)]
pub struct Journey<'a> {
    /// The lead, when its record is known.
    pub lead: Option<&'a Lead>,
    /// Outbound touches, oldest first.
    pub touches: Vec<&'a Activity>,
}

impl Journey<'_> {
    /// The lead's terminal outcome (`None` while open or when the lead record is missing).
    pub fn outcome(&self) -> Option<bool> {
        self.lead.and_then(lead_outcome)
    }

    /// When the lead converted, if it did.
    pub fn converted_at(&self) -> Option<DateTime<Utc>> {
        self.lead.and_then(|lead| lead.converted_at)
    }

    /// Index of the converting touch, if any.
    pub fn converting_touch(&self) -> Option<usize> {
        self.touches.iter().position(|touch| touch.led_to_booking)
    }
}

/// Groups outbound touches by lead. Leads without touches are left out; touches whose lead record
/// is missing form journeys without a lead (touch-level rates still use them).
pub fn journeys<'a>(leads: &'a [Lead], activities: &'a [Activity]) -> Vec<Journey<'a>> {
    let lead_by_id: HashMap<&str, &Lead> = leads.iter().map(|lead| (lead.id.as_str(), lead)).collect();
    let mut index_of: HashMap<&str, usize> = HashMap::default();
    let mut journeys: Vec<Journey<'a>> = Vec::new();
    for activity in activities.iter().filter(|activity| activity.is_outbound_touch()) {
        let index = *index_of.entry(activity.lead_id.as_str()).or_insert_with(|| {
            journeys.push(Journey { lead: lead_by_id.get(activity.lead_id.as_str()).copied(), touches: Vec::new() });
            journeys.len() - 1
        });
        journeys[index].touches.push(activity);
    }
    for journey in &mut journeys {
        // Stores hand activities back sorted; callers holding them in another order still get
        // time order.
        if !journey.touches.is_sorted_by(|a, b| (a.at, &a.id) <= (b.at, &b.id)) {
            journey.touches.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
        }
    }
    journeys
}
