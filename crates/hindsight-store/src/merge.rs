//! Applying stored outcome events to the records they are about. Shared by every backend so they
//! cannot disagree on what a call "is" after its events.

use std::collections::HashMap;

use hindsight_model::{Call, CallFacts, Lead, LeadStatus, OutcomeEvent};

/// Events grouped by the record they name, each group in `(at, id)` order.
pub(crate) struct EventsBySubject {
    by_call: HashMap<String, Vec<OutcomeEvent>>,
    by_lead: HashMap<String, Vec<OutcomeEvent>>,
}

impl EventsBySubject {
    /// Groups `events`, which must already be sorted by `(at, id)`.
    pub(crate) fn new(events: Vec<OutcomeEvent>) -> Self {
        let mut by_call: HashMap<String, Vec<OutcomeEvent>> = HashMap::new();
        let mut by_lead: HashMap<String, Vec<OutcomeEvent>> = HashMap::new();
        for event in events {
            if let Some(call_id) = &event.call_id {
                by_call.entry(call_id.clone()).or_default().push(event);
            } else if let Some(lead_id) = &event.lead_id {
                by_lead.entry(lead_id.clone()).or_default().push(event);
            }
        }
        EventsBySubject { by_call, by_lead }
    }

    /// Merges the call's events into its outcome.
    pub(crate) fn apply_to_call(&self, call: &mut Call) {
        for event in self.by_call.get(&call.id).into_iter().flatten() {
            call.outcome.merge(&event.outcome);
        }
    }

    /// Merges the call's events into its facts' outcome.
    pub(crate) fn apply_to_facts(&self, facts: &mut CallFacts) {
        for event in self.by_call.get(&facts.id).into_iter().flatten() {
            facts.outcome.merge(&event.outcome);
        }
    }

    /// Applies the lead's status events; a conversion without a date takes the event's time.
    pub(crate) fn apply_to_lead(&self, lead: &mut Lead) {
        for event in self.by_lead.get(&lead.id).into_iter().flatten() {
            if let Some(status) = event.lead_status {
                lead.status = status;
                if status == LeadStatus::Converted && lead.converted_at.is_none() {
                    lead.converted_at = Some(event.at);
                }
            }
        }
    }
}
