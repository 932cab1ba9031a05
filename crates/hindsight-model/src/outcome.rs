//! Outcomes, and the events that report them after the fact.
//!
//! A call's outcome is rarely known when the call is logged: the appointment is booked during the
//! call, confirmed a day later, attended (or not) a week later, converted a month later. Each later
//! fact arrives as an [`OutcomeEvent`] and merges into the outcome it is about. Events are kept on
//! their own, so the order of arrival does not matter: an event for a call not yet seen waits for it.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::call::Call;
use crate::lead::LeadStatus;
use crate::problem::{Problem, Validate, check_id, check_range};
use crate::tag::OutcomeTag;
use crate::tenant::TenantId;

/// What came of a call. `None` means "not known (yet)", which is different from `false`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// An appointment was booked on the call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booked: Option<bool>,
    /// The person confirmed the appointment (on the call or afterwards).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed: Option<bool>,
    /// The appointment actually happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub showed_up: Option<bool>,
    /// The person became a customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub converted: Option<bool>,
    /// Revenue attributed to the call, in the campaign's currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revenue: Option<f64>,
    /// When the booked appointment is (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appointment_at: Option<DateTime<Utc>>,
    /// Days between the call and the appointment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_to_appointment: Option<f64>,
    /// The person referred others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referred_others: Option<bool>,
    /// Post-call rating, 1–5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback_rating: Option<f64>,
}

/// Merges `events` into the calls they name, each call's events in `(at, id)` order — the order
/// the store merges them in, so records held in memory read as stored ones do. Events naming no
/// call in `calls` are ignored.
pub fn merge_call_events(calls: &mut [Call], events: &[OutcomeEvent]) {
    let position: HashMap<&str, usize> =
        calls.iter().enumerate().map(|(index, call)| (call.id.as_str(), index)).collect();
    let mut order: Vec<(usize, &OutcomeEvent)> = events
        .iter()
        .filter_map(|event| event.call_id.as_deref().and_then(|id| position.get(id)).map(|&index| (index, event)))
        .collect();
    order.sort_by(|a, b| (a.1.at, &a.1.id).cmp(&(b.1.at, &b.1.id)));
    for (index, event) in order {
        calls[index].outcome.merge(&event.outcome);
    }
}

impl Outcome {
    /// Applies a later fact: every field `later` knows overrides this one; unknown fields keep
    /// what is already known. Applying the same facts twice gives the same result (idempotent).
    pub fn merge(&mut self, later: &Outcome) {
        fn take<T: Clone>(target: &mut Option<T>, source: &Option<T>) {
            if source.is_some() {
                target.clone_from(source);
            }
        }
        take(&mut self.booked, &later.booked);
        take(&mut self.confirmed, &later.confirmed);
        take(&mut self.showed_up, &later.showed_up);
        take(&mut self.converted, &later.converted);
        take(&mut self.revenue, &later.revenue);
        take(&mut self.appointment_at, &later.appointment_at);
        take(&mut self.days_to_appointment, &later.days_to_appointment);
        take(&mut self.referred_others, &later.referred_others);
        take(&mut self.feedback_rating, &later.feedback_rating);
    }

    /// True when no field is known.
    pub fn is_empty(&self) -> bool {
        *self == Outcome::default()
    }
}

impl Validate for Outcome {
    fn validate(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        if let Some(revenue) = self.revenue {
            check_range("revenue", revenue, 0.0, f64::MAX, &mut problems);
        }
        if let Some(days) = self.days_to_appointment {
            check_range("days_to_appointment", days, 0.0, 3_650.0, &mut problems);
        }
        if let Some(rating) = self.feedback_rating {
            check_range("feedback_rating", rating, 1.0, 5.0, &mut problems);
        }
        if self.showed_up == Some(true) && self.booked == Some(false) {
            problems.push(Problem::new("showed_up", "is true but booked is false"));
        }
        problems
    }
}

/// A later fact about a call (its outcome) or a lead (its status).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeEvent {
    /// `"type": "outcome"` on the wire.
    #[serde(rename = "type", default)]
    pub record_type: OutcomeTag,
    /// Unique within the tenant; re-sending the same event changes nothing.
    pub id: String,
    /// The owning tenant; filled in by ingest from `--tenant` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<TenantId>,
    /// The call this fact is about (exactly one of `call_id` and `lead_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_id: Option<String>,
    /// The lead this fact is about (exactly one of `call_id` and `lead_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_id: Option<String>,
    /// When the fact became true (events apply in this order).
    pub at: DateTime<Utc>,
    /// Outcome fields learned (for a call).
    #[serde(default, skip_serializing_if = "Outcome::is_empty")]
    pub outcome: Outcome,
    /// The lead's new lifecycle status (for a lead).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_status: Option<LeadStatus>,
}

impl Validate for OutcomeEvent {
    fn validate(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        check_id("id", &self.id, &mut problems);
        match (&self.call_id, &self.lead_id) {
            (None, None) => problems.push(Problem::new("call_id", "one of call_id and lead_id is required")),
            (Some(_), Some(_)) => problems.push(Problem::new("lead_id", "give call_id or lead_id, not both")),
            (Some(call_id), None) => {
                check_id("call_id", call_id, &mut problems);
                if self.lead_status.is_some() {
                    problems.push(Problem::new("lead_status", "applies to a lead; this event names a call"));
                }
                if self.outcome.is_empty() {
                    problems.push(Problem::new("outcome", "names no outcome field; the event would change nothing"));
                }
            }
            (None, Some(lead_id)) => {
                check_id("lead_id", lead_id, &mut problems);
                if self.lead_status.is_none() {
                    problems.push(Problem::new("lead_status", "required for an event about a lead"));
                }
            }
        }
        problems.extend(self.outcome.validate().into_iter().map(|problem| problem.under("outcome")));
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::{Outcome, OutcomeEvent, merge_call_events};
    use crate::call::Call;

    /// Events given newest first still merge oldest first: the later "no" wins, as in the store.
    #[test]
    fn call_events_merge_in_time_order_whatever_order_they_come_in() {
        let call: Call = serde_json::from_value(serde_json::json!({
            "type": "call", "id": "c1", "campaign": "k", "agent": "a", "script_version": "v1",
            "started_at": "2026-01-05T10:00:00Z", "duration_s": 60.0, "status": "completed", "turns": []
        }))
        .expect("call");
        let event = |id: &str, call: &str, at: &str, confirmed: bool| -> OutcomeEvent {
            serde_json::from_value(serde_json::json!({
                "type": "outcome", "id": id, "call_id": call, "at": at, "outcome": {"confirmed": confirmed}
            }))
            .expect("event")
        };
        let events = [
            event("e2", "c1", "2026-01-07T10:00:00Z", false),
            event("e1", "c1", "2026-01-06T10:00:00Z", true),
            event("e3", "elsewhere", "2026-01-08T10:00:00Z", true),
        ];
        let mut calls = [call];
        merge_call_events(&mut calls, &events);
        assert_eq!(calls[0].outcome.confirmed, Some(false), "e2 is later than e1; e3 names another call");
    }

    #[test]
    fn merging_keeps_known_facts_and_overrides_with_newer_ones() {
        let mut outcome = Outcome { booked: Some(true), confirmed: Some(false), ..Outcome::default() };
        let later = Outcome { confirmed: Some(true), showed_up: Some(true), ..Outcome::default() };
        outcome.merge(&later);
        assert_eq!(
            outcome,
            Outcome { booked: Some(true), confirmed: Some(true), showed_up: Some(true), ..Outcome::default() }
        );
        let once = outcome.clone();
        outcome.merge(&later);
        assert_eq!(outcome, once, "merging the same fact twice must change nothing");
    }
}
