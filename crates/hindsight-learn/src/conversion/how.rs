//! HOW: which channels and sequences book — the channel that gets the booking, the first touch
//! that works, what adding channels does, whole sequences, and channels by lead tier.
//!
//! Outreach stops when a lead converts, so a converted lead's path is shorter than a failed
//! lead's. Counting leads by the path they took would credit short paths with every conversion
//! (a two-touch path exists only for leads that converted on touch two) and would make using more
//! channels look harmful (failed leads got every touch). Two measures here avoid that bias:
//!
//! - Multi-channel lift and channel-by-tier are per touch: of the touches sent to a lead that had
//!   seen k channels so far, the share that converted.
//! - A sequence's conversion rate is estimated step by step, as a survival curve: at step j, of
//!   the leads whose first j touches followed the sequence, the share converting on touch j; the
//!   sequence converts `1 − Π(1 − h_j)`. Leads that left the sequence (a different next channel)
//!   or whose outreach stopped leave the risk set instead of counting as failures. Each step's
//!   rate is shrunk toward all leads' rate at that step; the interval is Greenwood's.

use std::collections::BTreeMap;

use foldhash::HashMap;
use hindsight_model::Channel;
use hindsight_stats::{BetaPrior, Interval, Rate};
use serde::{Deserialize, Serialize};

use crate::conversion::ConversionParams;
use crate::conversion::evidence::{RateEvidence, rank_family};
use crate::conversion::journeys::Journey;
use crate::conversion::who::sample_confidence;

/// A channel's or bucket's rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelRate {
    /// Rate and evidence.
    #[serde(flatten)]
    pub evidence: RateEvidence,
}

/// One full sequence's conversion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SequenceRank {
    /// Channels in order.
    pub sequence: Vec<String>,
    /// Estimated share of leads following it that convert by its last touch (shrunk steps).
    pub conversion_rate: f64,
    /// The same from the raw step rates.
    pub raw_conversion_rate: f64,
    /// Greenwood interval of the raw estimate.
    pub interval: Interval,
    /// Leads that followed it to the end or converted along it.
    pub sample_size: u64,
    /// Of those, converted along it.
    pub conversions: u64,
    /// Whether the interval, widened for the number of sequences compared (Bonferroni), lies
    /// wholly above the rate of all leads.
    pub significant: bool,
}

/// The HOW pattern (conversion-intelligence.md §3.2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HowPatterns {
    /// Converting touches the pattern rests on.
    pub sample_size: usize,
    /// Leads with outreach.
    pub leads: usize,
    /// The spec's sigmoid of the sample size (0 with insufficient data).
    pub confidence: f64,
    /// Why there are no rankings, when there are none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insufficient_data: Option<String>,
    /// Share of converting touches per channel.
    pub booking_channel_distribution: BTreeMap<String, f64>,
    /// Leads by the channel of their first touch (`email_first`), decided leads only.
    pub first_touch_effectiveness: BTreeMap<String, ChannelRate>,
    /// Touches by how many channels the lead had seen (`1_channel` … `4_plus_channels`).
    pub multi_channel_lift: BTreeMap<String, ChannelRate>,
    /// Full sequences, best first.
    pub winning_sequences: Vec<SequenceRank>,
    /// Tier → channel → touch rate.
    pub channel_effectiveness_by_tier: BTreeMap<String, BTreeMap<String, ChannelRate>>,
}

fn channel_bucket(channels_seen: usize) -> &'static str {
    match channels_seen {
        1 => "1_channel",
        2 => "2_channels",
        3 => "3_channels",
        _ => "4_plus_channels",
    }
}

fn as_rates(ranked: Vec<(String, RateEvidence)>) -> BTreeMap<String, ChannelRate> {
    ranked.into_iter().map(|(name, evidence)| (name, ChannelRate { evidence })).collect()
}

/// Runs the HOW detector.
pub fn detect_how(journeys: &[Journey<'_>], params: &ConversionParams) -> HowPatterns {
    let conversions = journeys.iter().filter(|journey| journey.converting_touch().is_some()).count();
    let mut patterns = HowPatterns {
        sample_size: conversions,
        leads: journeys.len(),
        confidence: 0.0,
        insufficient_data: None,
        booking_channel_distribution: BTreeMap::new(),
        first_touch_effectiveness: BTreeMap::new(),
        multi_channel_lift: BTreeMap::new(),
        winning_sequences: Vec::new(),
        channel_effectiveness_by_tier: BTreeMap::new(),
    };
    if conversions < params.min_conversions {
        patterns.insufficient_data =
            Some(format!("{conversions} converting touches; at least {} are needed", params.min_conversions));
        return patterns;
    }
    patterns.confidence = sample_confidence(conversions);

    let mut booking_channels: BTreeMap<String, u64> = BTreeMap::new();
    let mut first_touch: BTreeMap<String, Rate> = BTreeMap::new();
    let mut by_channels_seen: BTreeMap<String, Rate> = BTreeMap::new();
    let mut by_tier: BTreeMap<String, BTreeMap<String, Rate>> = BTreeMap::new();
    for journey in journeys {
        if let Some(index) = journey.converting_touch() {
            *booking_channels.entry(journey.touches[index].channel.as_str().to_string()).or_default() += 1;
        }
        if let (Some(first), Some(converted)) = (journey.touches.first(), journey.outcome()) {
            first_touch.entry(format!("{}_first", first.channel.as_str())).or_default().add(converted);
        }
        let tier = journey.lead.and_then(|lead| lead.tier.clone());
        let mut seen: Vec<Channel> = Vec::new();
        for touch in &journey.touches {
            if !seen.contains(&touch.channel) {
                seen.push(touch.channel);
            }
            by_channels_seen.entry(channel_bucket(seen.len()).to_string()).or_default().add(touch.led_to_booking);
            if let Some(tier) = &tier {
                by_tier
                    .entry(tier.clone())
                    .or_default()
                    .entry(touch.channel.as_str().to_string())
                    .or_default()
                    .add(touch.led_to_booking);
            }
        }
    }
    patterns.booking_channel_distribution =
        booking_channels.into_iter().map(|(channel, count)| (channel, count as f64 / conversions as f64)).collect();
    patterns.first_touch_effectiveness = as_rates(rank_family(first_touch, &params.evidence).ranked);
    let mut multi = as_rates(rank_family(by_channels_seen, &params.evidence).ranked);
    // Lift against one channel, as the spec reports it, instead of against all touches.
    if let Some(single) = multi.get("1_channel").map(|rate| rate.evidence.shrunk_rate).filter(|rate| *rate > 0.0) {
        for rate in multi.values_mut() {
            rate.evidence.lift = rate.evidence.shrunk_rate / single;
        }
    }
    patterns.multi_channel_lift = multi;
    patterns.channel_effectiveness_by_tier = by_tier
        .into_iter()
        .map(|(tier, channels)| (tier, as_rates(rank_family(channels, &params.evidence).ranked)))
        .collect();
    patterns.winning_sequences = rank_sequences(journeys, params);
    patterns
}

/// Survival estimates per full sequence; candidates are the paths of leads that got every touch
/// and did not convert (a completed sequence), with at least the minimum sample of such leads.
fn rank_sequences(journeys: &[Journey<'_>], params: &ConversionParams) -> Vec<SequenceRank> {
    let paths: Vec<Vec<Channel>> =
        journeys.iter().map(|journey| journey.touches.iter().map(|touch| touch.channel).collect()).collect();
    let converted_at: Vec<Option<usize>> = journeys.iter().map(|journey| journey.converting_touch()).collect();

    // Risk sets per prefix: leads whose path starts with the prefix, and how many converted on
    // its last touch.
    let mut prefixes: HashMap<Vec<Channel>, Rate> = HashMap::default();
    for (path, converted) in paths.iter().zip(&converted_at) {
        let reach = converted.map(|index| index + 1).unwrap_or(path.len());
        for length in 1..=reach {
            prefixes.entry(path[..length].to_vec()).or_default().add(*converted == Some(length - 1));
        }
    }
    let mut completed: BTreeMap<Vec<Channel>, u64> = BTreeMap::new();
    for (journey, (path, converted)) in journeys.iter().zip(paths.iter().zip(&converted_at)) {
        if converted.is_none() && journey.outcome() == Some(false) && !path.is_empty() {
            *completed.entry(path.clone()).or_default() += 1;
        }
    }
    let candidates: Vec<Vec<Channel>> = completed
        .into_iter()
        .filter(|(_, leads)| *leads >= params.evidence.min_category_sample)
        .map(|(path, _)| path)
        .collect();
    if candidates.is_empty() {
        return Vec::new();
    }
    // One prior per step, fitted to every prefix of that length.
    let longest = candidates.iter().map(Vec::len).max().unwrap_or(0);
    let priors: Vec<Option<BetaPrior>> = (1..=longest)
        .map(|length| {
            let rates: Vec<Rate> =
                prefixes.iter().filter(|(prefix, _)| prefix.len() == length).map(|(_, rate)| *rate).collect();
            BetaPrior::fit_moments(&rates).ok()
        })
        .collect();
    let overall = {
        let decided: Vec<bool> = journeys.iter().filter_map(|journey| journey.outcome()).collect();
        decided.iter().filter(|converted| **converted).count() as f64 / decided.len().max(1) as f64
    };
    // Bonferroni over the sequences compared: z for 1 − α/(2m).
    let z = hindsight_stats::normal_quantile(1.0 - params.evidence.alpha / (2.0 * candidates.len() as f64));

    let mut ranked: Vec<SequenceRank> = candidates
        .into_iter()
        .map(|sequence| {
            let (mut survival, mut raw_survival, mut greenwood) = (1.0, 1.0, 0.0);
            let mut conversions = 0;
            for length in 1..=sequence.len() {
                let step = prefixes.get(&sequence[..length]).copied().unwrap_or_default();
                conversions += step.successes;
                let shrunk = priors[length - 1]
                    .and_then(|prior| prior.posterior(step, params.evidence.confidence).ok())
                    .map(|posterior| posterior.mean)
                    .unwrap_or_else(|| step.estimate().unwrap_or(0.0));
                survival *= 1.0 - shrunk;
                let (d, n) = (step.successes as f64, step.trials as f64);
                if n > 0.0 {
                    raw_survival *= 1.0 - d / n;
                    if n > d {
                        greenwood += d / (n * (n - d));
                    }
                }
            }
            let raw = 1.0 - raw_survival;
            let half_width = z * raw_survival * greenwood.sqrt();
            let interval = Interval { low: (raw - half_width).max(0.0), high: (raw + half_width).min(1.0) };
            let last = prefixes.get(&sequence[..]).copied().unwrap_or_default();
            SequenceRank {
                sequence: sequence.iter().map(|channel| channel.as_str().to_string()).collect(),
                conversion_rate: 1.0 - survival,
                raw_conversion_rate: raw,
                significant: interval.low > overall,
                interval,
                sample_size: last.trials + conversions - last.successes,
                conversions,
            }
        })
        .collect();
    ranked.sort_by(|a, b| b.conversion_rate.total_cmp(&a.conversion_rate).then_with(|| a.sequence.cmp(&b.sequence)));
    ranked
}
