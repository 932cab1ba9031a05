//! WHEN: which send days and hours convert, which touch converts, the gaps between touches that
//! work, and how long conversion takes.
//!
//! Rates are per touch: of the touches sent on a Tuesday, the share that was the converting touch.
//! Times are read in UTC, as stored; a tenant whose leads span time zones sees the sender's clock,
//! not the lead's. Gaps are whole calendar days between a touch and the one before it. Time to
//! conversion runs from a lead's first touch to its conversion.

use std::collections::BTreeMap;

use chrono::{Datelike, Timelike};
use hindsight_stats::Rate;
use serde::{Deserialize, Serialize};

use crate::conversion::ConversionParams;
use crate::conversion::evidence::{RateEvidence, rank_family, ranked_category};
use crate::conversion::journeys::Journey;
use crate::conversion::who::sample_confidence;

const DAY_NAMES: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/// A weekday's touch conversion rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayRank {
    /// `"Tuesday"`.
    pub day: String,
    /// ISO weekday: Monday 1 … Sunday 7.
    pub day_index: u32,
    /// Rate and evidence.
    #[serde(flatten)]
    pub evidence: RateEvidence,
}

/// An hour's touch conversion rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HourRank {
    /// Hour of day, 0–23 (UTC).
    pub hour: u32,
    /// Rate and evidence.
    #[serde(flatten)]
    pub evidence: RateEvidence,
}

ranked_category!(
    /// A touch position's rate: of the touches sent as touch k, the share that converted.
    TouchRank,
    "touch"
);
ranked_category!(
    /// A gap's rate: of the touches sent this many days after the previous one, the share that
    /// converted.
    GapRank,
    "gap_days"
);

/// Days from first touch to conversion.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ConversionTiming {
    /// Converted leads with a known first touch and conversion time.
    pub sample: usize,
    /// Mean days.
    pub avg_days_to_convert: f64,
    /// Median days.
    pub median_days_to_convert: f64,
    /// 50th percentile (the median, as the spec lists both).
    pub percentile_50: f64,
    /// 80th percentile.
    pub percentile_80: f64,
    /// 95th percentile.
    pub percentile_95: f64,
}

/// The WHEN pattern (conversion-intelligence.md §3.2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WhenPatterns {
    /// Converting touches the pattern rests on.
    pub sample_size: usize,
    /// Outbound touches analysed.
    pub touches: usize,
    /// The spec's sigmoid of the sample size (0 with insufficient data).
    pub confidence: f64,
    /// Why there are no rankings, when there are none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insufficient_data: Option<String>,
    /// Weekdays, best first.
    pub best_days: Vec<DayRank>,
    /// Hours, best first.
    pub best_hours: Vec<HourRank>,
    /// Share of conversions on each touch position (`touch_1` → 0.08).
    pub converting_touch_distribution: BTreeMap<String, f64>,
    /// Each touch position's own rate, best first.
    pub touch_rates: Vec<TouchRank>,
    /// The best gap before each touch (`touch_1_to_2` → 2 days).
    pub optimal_sequence_gaps: BTreeMap<String, i64>,
    /// Every gap's evidence, per transition.
    pub gap_evidence: BTreeMap<String, Vec<GapRank>>,
    /// Time to conversion (absent when no lead converted with a known time).
    pub conversion_timing: Option<ConversionTiming>,
}

/// Runs the WHEN detector.
pub fn detect_when(journeys: &[Journey<'_>], params: &ConversionParams) -> WhenPatterns {
    let touches: usize = journeys.iter().map(|journey| journey.touches.len()).sum();
    let conversions = journeys.iter().filter(|journey| journey.converting_touch().is_some()).count();
    let empty = |reason: Option<String>| WhenPatterns {
        sample_size: conversions,
        touches,
        confidence: 0.0,
        insufficient_data: reason,
        best_days: Vec::new(),
        best_hours: Vec::new(),
        converting_touch_distribution: BTreeMap::new(),
        touch_rates: Vec::new(),
        optimal_sequence_gaps: BTreeMap::new(),
        gap_evidence: BTreeMap::new(),
        conversion_timing: None,
    };
    if conversions < params.min_conversions {
        return empty(Some(format!(
            "{conversions} converting touches; at least {} are needed",
            params.min_conversions
        )));
    }

    let mut days = [Rate::default(); 7];
    let mut hours = [Rate::default(); 24];
    let mut positions: BTreeMap<usize, Rate> = BTreeMap::new();
    let mut gaps: BTreeMap<usize, BTreeMap<i64, Rate>> = BTreeMap::new();
    let mut days_to_convert = Vec::new();
    for journey in journeys {
        let mut previous: Option<chrono::NaiveDate> = None;
        for (position, touch) in journey.touches.iter().enumerate() {
            let converted = touch.led_to_booking;
            days[touch.at.weekday().num_days_from_monday() as usize].add(converted);
            hours[touch.at.hour() as usize].add(converted);
            positions.entry(position + 1).or_default().add(converted);
            if let Some(previous) = previous {
                let gap = (touch.at.date_naive() - previous).num_days();
                gaps.entry(position + 1).or_default().entry(gap).or_default().add(converted);
            }
            previous = Some(touch.at.date_naive());
        }
        if let (Some(first), Some(converted_at)) = (journey.touches.first(), journey.converted_at())
            && journey.converting_touch().is_some()
            && converted_at >= first.at
        {
            days_to_convert.push((converted_at - first.at).num_seconds() as f64 / 86_400.0);
        }
    }

    let best_days = rank_family((0..7).map(|day| (DAY_NAMES[day].to_string(), days[day])), &params.evidence)
        .ranked
        .into_iter()
        .map(|(day, evidence)| {
            let day_index = DAY_NAMES.iter().position(|name| *name == day).map(|index| index as u32 + 1).unwrap_or(0);
            DayRank { day, day_index, evidence }
        })
        .collect();
    let best_hours = rank_family((0..24).map(|hour| (hour.to_string(), hours[hour])), &params.evidence)
        .ranked
        .into_iter()
        .map(|(hour, evidence)| HourRank { hour: hour.parse().unwrap_or(0), evidence })
        .collect();
    let converting_touch_distribution = positions
        .iter()
        .filter(|(_, rate)| rate.successes > 0)
        .map(|(position, rate)| (format!("touch_{position}"), rate.successes as f64 / conversions as f64))
        .collect();
    let touch_rates =
        rank_family(positions.iter().map(|(position, rate)| (position.to_string(), *rate)), &params.evidence)
            .ranked
            .into_iter()
            .map(TouchRank::from)
            .collect();
    let mut optimal_sequence_gaps = BTreeMap::new();
    let mut gap_evidence = BTreeMap::new();
    for (position, by_gap) in &gaps {
        let key = format!("touch_{}_to_{}", position - 1, position);
        let ranked = rank_family(by_gap.iter().map(|(gap, rate)| (gap.to_string(), *rate)), &params.evidence).ranked;
        let Some((best, _)) = ranked.first() else { continue };
        optimal_sequence_gaps.insert(key.clone(), best.parse().unwrap_or(0));
        gap_evidence.insert(key, ranked.into_iter().map(GapRank::from).collect());
    }

    WhenPatterns {
        confidence: sample_confidence(conversions),
        best_days,
        best_hours,
        converting_touch_distribution,
        touch_rates,
        optimal_sequence_gaps,
        gap_evidence,
        conversion_timing: timing(days_to_convert),
        ..empty(None)
    }
}

fn timing(mut days: Vec<f64>) -> Option<ConversionTiming> {
    if days.is_empty() {
        return None;
    }
    days.sort_by(f64::total_cmp);
    let median = percentile(&days, 0.5);
    Some(ConversionTiming {
        sample: days.len(),
        avg_days_to_convert: days.iter().sum::<f64>() / days.len() as f64,
        median_days_to_convert: median,
        percentile_50: median,
        percentile_80: percentile(&days, 0.8),
        percentile_95: percentile(&days, 0.95),
    })
}

/// Linear interpolation between closest ranks (numpy's default `percentile`).
pub fn percentile(sorted: &[f64], quantile: f64) -> f64 {
    let position = quantile * (sorted.len() - 1) as f64;
    let below = position.floor() as usize;
    let above = position.ceil() as usize;
    sorted[below] + (sorted[above] - sorted[below]) * (position - below as f64)
}
