//! Period metrics: one pass over a period's calls.

use std::collections::{BTreeMap, HashMap};

use hindsight_model::{CallFacts, CallStatus, Campaign};
use hindsight_stats::Rate;
use serde::Serialize;

/// The rates of a slice of calls (a script version, an agent, or the whole period).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Breakdown {
    /// Calls in the slice.
    pub calls: u64,
    /// Calls that booked (the campaign's conversion).
    pub conversion: Rate,
    /// Calls that completed.
    pub completion: Rate,
    /// Calls dropped before the end.
    pub drop_off: Rate,
    /// Calls escalated to a human.
    pub escalation: Rate,
    /// Calls that failed technically.
    pub failure: Rate,
    /// Calls that broke a compliance rule (status or flags).
    pub compliance_violation: Rate,
    /// Revenue recorded on the calls.
    pub revenue: f64,
}

impl Breakdown {
    fn add(&mut self, call: &CallFacts) {
        self.calls += 1;
        self.conversion.add(call.outcome.booked == Some(true));
        self.completion.add(call.status == CallStatus::Completed);
        self.drop_off.add(call.status == CallStatus::Dropped);
        self.escalation.add(call.status == CallStatus::Escalated);
        self.failure.add(call.status == CallStatus::Failed);
        self.compliance_violation
            .add(call.status == CallStatus::ComplianceViolation || !call.compliance_flags.is_empty());
        self.revenue += call.outcome.revenue.unwrap_or(0.0);
    }
}

/// A mean with its sample size.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Mean {
    /// The mean, `None` with no values.
    pub mean: Option<f64>,
    /// Values averaged.
    pub n: u64,
}

#[derive(Debug, Default)]
struct Accumulator {
    sum: f64,
    n: u64,
}

impl Accumulator {
    fn add(&mut self, value: f64) {
        self.sum += value;
        self.n += 1;
    }
    fn mean(&self) -> Mean {
        Mean { mean: (self.n > 0).then(|| self.sum / self.n as f64), n: self.n }
    }
}

/// Everything the campaign analyses read about one period.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PeriodMetrics {
    /// All calls, and their rates.
    pub overall: Breakdown,
    /// Calls by status.
    pub by_status: BTreeMap<CallStatus, u64>,
    /// Revenue the period should have produced: calls × the campaign's revenue-per-call target.
    pub revenue_expected: f64,
    /// Dropped calls by the stage they ended in (`unknown` when the record does not say).
    pub drop_offs_by_stage: BTreeMap<String, u64>,
    /// Per stage of the campaign, in funnel order: the calls that reached it and how many of
    /// those dropped there (a hazard, so an early stage's losses do not hide a later one's).
    pub drop_off_hazard_by_stage: Vec<(String, Rate)>,
    /// Mean sentiment of calls that carry one.
    pub sentiment: Mean,
    /// Mean turns per call (engagement).
    pub turns_per_call: Mean,
    /// Mean duration in seconds.
    pub duration_s: Mean,
    /// Escalations by reason.
    pub escalation_reasons: BTreeMap<String, u64>,
    /// Compliance flags by rule.
    pub compliance_flags: BTreeMap<String, u64>,
    /// Booked calls whose conversion is known (settled): only their revenue says what a booking
    /// is worth, since a recent booking's revenue is not known yet.
    pub settled_bookings: u64,
    /// Revenue recorded on settled bookings.
    pub settled_revenue: f64,
    /// Rates per script version.
    pub by_script_version: BTreeMap<String, Breakdown>,
    /// Rates per agent.
    pub by_agent: BTreeMap<String, Breakdown>,
}

/// Computes the metrics of `calls` for `campaign` in one pass ([`PeriodTally`]).
pub fn period_metrics(calls: &[CallFacts], campaign: &Campaign) -> PeriodMetrics {
    let mut tally = PeriodTally::default();
    for call in calls {
        tally.add(call);
    }
    tally.finish(campaign)
}

/// The running counts of a period, fed one call at a time: what lets a report over millions of
/// stored calls fold them as they are read instead of holding them all. Allocation happens only
/// when a new script version, agent, stage, reason or rule is first seen.
#[derive(Debug, Default)]
pub struct PeriodTally {
    metrics: PeriodMetrics,
    by_script: HashMap<String, Breakdown>,
    by_agent: HashMap<String, Breakdown>,
    drop_offs: HashMap<String, u64>,
    escalation_reasons: HashMap<String, u64>,
    compliance_flags: HashMap<String, u64>,
    sentiment: Accumulator,
    turns: Accumulator,
    duration: Accumulator,
}

/// The entry of `key`, allocating the key only the first time it is seen.
fn entry<'map, V: Default>(map: &'map mut HashMap<String, V>, key: &str) -> &'map mut V {
    if !map.contains_key(key) {
        map.insert(key.to_string(), V::default());
    }
    map.get_mut(key).expect("inserted above")
}

impl PeriodTally {
    /// Calls added so far.
    pub fn calls(&self) -> u64 {
        self.metrics.overall.calls
    }

    /// Counts one call.
    pub fn add(&mut self, call: &CallFacts) {
        let metrics = &mut self.metrics;
        metrics.overall.add(call);
        *metrics.by_status.entry(call.status).or_default() += 1;
        entry(&mut self.by_script, &call.script_version).add(call);
        entry(&mut self.by_agent, &call.agent).add(call);
        if call.status == CallStatus::Dropped {
            let stage = call.drop_off_stage.as_ref().map_or("unknown", |stage| stage.as_str());
            *entry(&mut self.drop_offs, stage) += 1;
        }
        if let Some(reason) = &call.escalation_reason {
            *entry(&mut self.escalation_reasons, reason) += 1;
        }
        for flag in &call.compliance_flags {
            *entry(&mut self.compliance_flags, flag) += 1;
        }
        if let Some(value) = call.sentiment {
            self.sentiment.add(value);
        }
        if call.outcome.booked == Some(true) && call.outcome.converted.is_some() {
            metrics.settled_bookings += 1;
            metrics.settled_revenue += call.outcome.revenue.unwrap_or(0.0);
        }
        self.turns.add(f64::from(call.turn_count));
        self.duration.add(call.duration_s);
    }

    /// The period's metrics for `campaign` (its targets and stage order).
    pub fn finish(self, campaign: &Campaign) -> PeriodMetrics {
        let mut metrics = self.metrics;
        metrics.revenue_expected = metrics.overall.calls as f64 * campaign.targets.revenue_per_call;
        metrics.sentiment = self.sentiment.mean();
        metrics.turns_per_call = self.turns.mean();
        metrics.duration_s = self.duration.mean();
        metrics.drop_offs_by_stage = self.drop_offs.into_iter().collect();
        metrics.escalation_reasons = self.escalation_reasons.into_iter().collect();
        metrics.compliance_flags = self.compliance_flags.into_iter().collect();
        metrics.by_script_version = self.by_script.into_iter().collect();
        metrics.by_agent = self.by_agent.into_iter().collect();

        // Hazard per stage: of the calls still on the line when the stage began, how many dropped in it.
        let mut reached = metrics.overall.calls - metrics.by_status.get(&CallStatus::Failed).copied().unwrap_or(0);
        for stage in &campaign.stages {
            let dropped = metrics.drop_offs_by_stage.get(stage.as_str()).copied().unwrap_or(0);
            metrics.drop_off_hazard_by_stage.push((stage.to_string(), Rate::new(dropped, reached)));
            reached = reached.saturating_sub(dropped);
        }
        metrics
    }
}

#[cfg(test)]
mod tests {
    use crate::campaign::test_campaign;
    use hindsight_model::{Call, CallFacts, Campaign};
    use serde_json::json;

    use super::period_metrics;

    fn campaign() -> Campaign {
        test_campaign(0.25, 50.0)
    }

    fn call(id: &str, status: &str, extra: serde_json::Value) -> CallFacts {
        let mut value = json!({
            "id": id, "campaign": "camp", "agent": "a1", "script_version": "v1",
            "started_at": "2026-01-05T10:00:00Z", "duration_s": 60, "status": status,
        });
        value.as_object_mut().expect("object").extend(extra.as_object().expect("object").clone());
        let call: Call = serde_json::from_value(value).expect("valid call");
        CallFacts::from(&call)
    }

    #[test]
    fn hand_computed_period_metrics() {
        let calls = vec![
            call("c1", "completed", json!({"outcome": {"booked": true, "revenue": 1000}, "sentiment": 0.5})),
            call("c2", "completed", json!({"outcome": {"booked": false}, "sentiment": -0.1})),
            call("c3", "dropped", json!({"drop_off_stage": "hook"})),
            call("c4", "dropped", json!({"drop_off_stage": "value_presentation", "script_version": "v2"})),
            call("c5", "escalated", json!({"escalation_reason": "complaint", "agent": "a2"})),
            call("c6", "failed", json!({})),
            call(
                "c7",
                "compliance_violation",
                json!({"compliance_flags": ["disclosure_required"], "outcome": {"booked": true}}),
            ),
            call("c8", "completed", json!({"outcome": {"booked": true, "revenue": 500}})),
        ];
        let metrics = period_metrics(&calls, &campaign());
        let overall = &metrics.overall;
        assert_eq!(overall.calls, 8);
        assert_eq!((overall.conversion.successes, overall.conversion.trials), (3, 8));
        assert_eq!(overall.completion.successes, 3);
        assert_eq!(overall.drop_off.successes, 2);
        assert_eq!(overall.escalation.successes, 1);
        assert_eq!(overall.failure.successes, 1);
        assert_eq!(overall.compliance_violation.successes, 1);
        assert_eq!(overall.revenue, 1500.0);
        assert_eq!(metrics.revenue_expected, 400.0, "8 calls × 50 target revenue per call");
        assert_eq!(metrics.sentiment.mean, Some(0.2));
        assert_eq!(metrics.sentiment.n, 2);
        // Stage hazards: 7 calls on the line at the hook (the failed one never was), 1 dropped;
        // 6 reach qualification, 0 drop; 6 reach value presentation, 1 drops; 5 remain.
        let hazards: Vec<(String, u64, u64)> = metrics
            .drop_off_hazard_by_stage
            .iter()
            .map(|(stage, rate)| (stage.clone(), rate.successes, rate.trials))
            .collect();
        assert_eq!(hazards[0], ("hook".to_string(), 1, 7));
        assert_eq!(hazards[1], ("qualification".to_string(), 0, 6));
        assert_eq!(hazards[2], ("value_presentation".to_string(), 1, 6));
        assert_eq!(hazards[3], ("objection_handling".to_string(), 0, 5));
        assert_eq!(metrics.by_script_version["v2"].drop_off.successes, 1);
        assert_eq!(metrics.by_script_version["v1"].calls, 7);
        assert_eq!(metrics.by_agent["a2"].escalation.successes, 1);
        assert_eq!(metrics.escalation_reasons["complaint"], 1);
        assert_eq!(metrics.compliance_flags["disclosure_required"], 1);
    }

    #[test]
    fn an_empty_period_has_no_rates_rather_than_zero_rates() {
        let metrics = period_metrics(&[], &campaign());
        assert_eq!(metrics.overall.conversion.estimate(), None);
        assert_eq!(metrics.sentiment.mean, None);
    }
}
