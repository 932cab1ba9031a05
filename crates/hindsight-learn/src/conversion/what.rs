//! WHAT: which content books — subject lines, pain points, calls to action, angles, message
//! length, personalization.
//!
//! Rates are per touch with content: of the messages using a subject pattern, the share that was
//! the converting touch. What a message used comes from its content snapshot when the sender
//! recorded it (`pain_points`, `cta`, `angle`); otherwise from the body, by the spec's keyword
//! lists (configurable), matched as whole words so "time" is not found in "sometimes". Subjects
//! are normalized before counting: the lead's company and first name and the message's pain
//! points become `{company}`, `{first_name}` and `{pain_point}`, so "Quick question about Acme"
//! and "Quick question about Birch" are one pattern.

use std::collections::BTreeMap;

use aho_corasick::{AhoCorasick, MatchKind};
use hindsight_model::{Activity, AttributeValue, Channel, Lead};
use hindsight_stats::Rate;
use serde::{Deserialize, Serialize};

use crate::conversion::ConversionParams;
use crate::conversion::evidence::{FlagLift, RateEvidence, flag_lift, rank_family, rank_overlapping, ranked_category};
use crate::conversion::journeys::Journey;
use crate::conversion::who::sample_confidence;

/// Keyword lists for content the snapshot does not label (conversion-intelligence.md §4.2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ContentKeywords {
    /// Pain point → words that signal it.
    pub pain_points: BTreeMap<String, Vec<String>>,
    /// Angle → words that signal it.
    pub angles: BTreeMap<String, Vec<String>>,
    /// Calls to action, as phrases.
    pub ctas: Vec<String>,
}

impl Default for ContentKeywords {
    fn default() -> Self {
        let table = |rows: &[(&str, &[&str])]| {
            rows.iter()
                .map(|(name, words)| (name.to_string(), words.iter().map(|word| word.to_string()).collect()))
                .collect()
        };
        ContentKeywords {
            pain_points: table(&[
                ("leads", &["leads", "pipeline", "prospects", "opportunities", "qualified"]),
                ("revenue", &["revenue", "sales", "growth", "roi", "profit", "income"]),
                ("time", &["time", "hours", "manual", "automate", "efficiency", "busy"]),
                ("scaling", &["scale", "growth", "capacity", "bandwidth", "hire", "team"]),
                ("competition", &["competitors", "market share", "behind", "catching up"]),
                ("cost", &["cost", "expensive", "budget", "waste", "spending", "save"]),
                ("quality", &["quality", "results", "performance", "outcomes", "better"]),
            ]),
            angles: table(&[
                ("roi_focused", &["roi", "return", "revenue", "profit", "save", "$", "percent"]),
                ("social_proof", &["clients", "companies like", "others in", "case study", "results"]),
                ("curiosity", &["noticed", "wondering", "quick question", "curious", "idea"]),
                ("fear_based", &["missing", "losing", "behind", "risk", "problem"]),
                ("value_add", &["free", "complimentary", "audit", "analysis", "assessment"]),
            ]),
            ctas: [
                "open to a quick chat",
                "worth 15 minutes",
                "free audit",
                "quick call",
                "interested in learning",
                "schedule a call",
                "book a time",
                "happy to share",
                "let me know",
            ]
            .iter()
            .map(|cta| cta.to_string())
            .collect(),
        }
    }
}

/// What a keyword means.
#[derive(Debug, Clone, Copy, PartialEq)]
enum KeywordRole {
    PainPoint(usize),
    Angle(usize),
    Cta(usize),
}

/// The keyword lists compiled into one automaton, so a body is scanned once whatever the lists.
pub struct KeywordMatcher {
    automaton: AhoCorasick,
    roles: Vec<KeywordRole>,
    pain_points: Vec<String>,
    angles: Vec<String>,
    ctas: Vec<String>,
}

/// What a body says, by keyword.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExtractedContent {
    /// Pain points named.
    pub pain_points: Vec<String>,
    /// The angle with the most keyword hits (ties: the first listed).
    pub angle: Option<String>,
    /// The first call to action found.
    pub cta: Option<String>,
}

impl KeywordMatcher {
    /// Compiles `keywords`.
    pub fn new(keywords: &ContentKeywords) -> KeywordMatcher {
        let mut patterns = Vec::new();
        let mut roles = Vec::new();
        for (index, words) in keywords.pain_points.values().enumerate() {
            for word in words {
                patterns.push(word.to_lowercase());
                roles.push(KeywordRole::PainPoint(index));
            }
        }
        for (index, words) in keywords.angles.values().enumerate() {
            for word in words {
                patterns.push(word.to_lowercase());
                roles.push(KeywordRole::Angle(index));
            }
        }
        for (index, cta) in keywords.ctas.iter().enumerate() {
            patterns.push(cta.to_lowercase());
            roles.push(KeywordRole::Cta(index));
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .expect("keyword lists are plain strings");
        KeywordMatcher {
            automaton,
            roles,
            pain_points: keywords.pain_points.keys().cloned().collect(),
            angles: keywords.angles.keys().cloned().collect(),
            ctas: keywords.ctas.clone(),
        }
    }

    /// Finds the pain points, angle and call to action in `text`, by whole-word keyword matches
    /// (a trailing "s" allowed, so "costs" is "cost").
    pub fn extract(&self, text: &str) -> ExtractedContent {
        let lower = text.to_lowercase();
        let bytes = lower.as_bytes();
        let is_word = |byte: u8| byte.is_ascii_alphanumeric();
        let mut pain_hits = vec![false; self.pain_points.len()];
        let mut angle_hits = vec![0usize; self.angles.len()];
        let mut cta = None;
        for found in self.automaton.find_overlapping_iter(&lower) {
            let (start, end) = (found.start(), found.end());
            // A side that is itself punctuation ("$") needs no boundary there.
            let starts_word = !is_word(bytes[start]) || start == 0 || !is_word(bytes[start - 1]);
            let boundary_at = |index: usize| index >= bytes.len() || !is_word(bytes[index]);
            let ends_word =
                !is_word(bytes[end - 1]) || boundary_at(end) || (bytes[end] == b's' && boundary_at(end + 1));
            if !starts_word || !ends_word {
                continue;
            }
            match self.roles[found.pattern().as_usize()] {
                KeywordRole::PainPoint(index) => pain_hits[index] = true,
                KeywordRole::Angle(index) => angle_hits[index] += 1,
                KeywordRole::Cta(index) => {
                    cta.get_or_insert(index);
                }
            }
        }
        let best_angle = angle_hits
            .iter()
            .enumerate()
            .filter(|(_, hits)| **hits > 0)
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(&a.0)))
            .map(|(index, _)| self.angles[index].clone());
        ExtractedContent {
            pain_points: pain_hits
                .iter()
                .zip(&self.pain_points)
                .filter(|(hit, _)| **hit)
                .map(|(_, name)| name.clone())
                .collect(),
            angle: best_angle,
            cta: cta.map(|index| self.ctas[index].clone()),
        }
    }
}

ranked_category!(
    /// A normalized subject line's rate.
    SubjectRank,
    "pattern"
);
ranked_category!(
    /// A call to action's rate.
    CtaRank,
    "cta"
);
ranked_category!(
    /// An angle's rate.
    AngleRank,
    "angle"
);
ranked_category!(
    /// A personalization level's rate.
    PersonalizationRank,
    "level"
);

/// A pain point: how often converting messages use it, and the rate of messages that do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PainPointRank {
    /// The pain point.
    pub pain_point: String,
    /// Share of converting messages that name it.
    pub frequency: f64,
    /// Rate and evidence of messages naming it.
    #[serde(flatten)]
    pub evidence: RateEvidence,
}

/// Winning and losing subject patterns.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SubjectPatterns {
    /// Shrunk rate above the email family's, best first.
    pub winning: Vec<SubjectRank>,
    /// Below it, worst first.
    pub losing: Vec<SubjectRank>,
}

/// Effective and ineffective pain points.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PainPoints {
    /// Lift at least 1, best first.
    pub effective: Vec<PainPointRank>,
    /// Lift below 1, worst first.
    pub ineffective: Vec<PainPointRank>,
}

/// Effective and ineffective calls to action.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Ctas {
    /// Lift at least 1, best first.
    pub effective: Vec<CtaRank>,
    /// Lift below 1, worst first.
    pub ineffective: Vec<CtaRank>,
}

/// Angles ranked.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Angles {
    /// Best first.
    pub rankings: Vec<AngleRank>,
}

/// The best length band of one channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LengthOptimum {
    /// Middle of the best band, in words.
    pub optimal_words: u32,
    /// Smallest word count of the band.
    pub range_min: u32,
    /// Largest word count of the band.
    pub range_max: u32,
    /// The band's rate and evidence.
    #[serde(flatten)]
    pub evidence: RateEvidence,
}

/// Personalization: mentions of the company and first name, and the sender's level (0–5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Personalization {
    /// Messages naming the lead's company against those that do not.
    pub company_mention: FlagLift,
    /// Messages naming the lead's first name against those that do not.
    pub first_name: FlagLift,
    /// Rate by `personalization_level`, best first.
    pub by_level: Vec<PersonalizationRank>,
}

/// The WHAT pattern (conversion-intelligence.md §3.2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WhatPatterns {
    /// Converting messages the pattern rests on.
    pub sample_size: usize,
    /// Messages with content analysed.
    pub messages: usize,
    /// The spec's sigmoid of the sample size (0 with insufficient data).
    pub confidence: f64,
    /// Why there are no rankings, when there are none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insufficient_data: Option<String>,
    /// Email subject patterns.
    pub subject_patterns: SubjectPatterns,
    /// Pain points.
    pub pain_points: PainPoints,
    /// Calls to action.
    pub ctas: Ctas,
    /// Angles.
    pub angles: Angles,
    /// Best length per channel (`email`, `linkedin`, `sms`).
    pub optimal_length: BTreeMap<String, LengthOptimum>,
    /// Personalization lifts (absent with insufficient data).
    pub personalization_lift: Option<Personalization>,
}

/// Word-count bands per channel: (channel, band width).
const LENGTH_BANDS: &[(Channel, u32)] = &[(Channel::Email, 25), (Channel::Linkedin, 10), (Channel::Sms, 10)];

/// The lead's first name, from the custom attributes CRMs use for it.
fn first_name_of(lead: &Lead) -> Option<&str> {
    ["first_name", "firstname", "firstName", "contact_first_name"].iter().find_map(|key| {
        match lead.attributes.get(*key) {
            Some(AttributeValue::String(name)) if !name.is_empty() => Some(name.as_str()),
            _ => None,
        }
    })
}

/// Replaces every case-insensitive occurrence of `needle` in `text` with `placeholder`.
fn replace_ignoring_case(text: &str, needle: &str, placeholder: &str) -> String {
    if needle.is_empty() {
        return text.to_string();
    }
    let lower_text = text.to_lowercase();
    let lower_needle = needle.to_lowercase();
    // Lowercasing can change byte lengths outside ASCII; then only exact-case matches are safe.
    if lower_text.len() != text.len() || lower_needle.len() != needle.len() {
        return text.replace(needle, placeholder);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = 0;
    for (start, _) in lower_text.match_indices(&lower_needle) {
        if start < rest {
            continue;
        }
        out.push_str(&text[rest..start]);
        out.push_str(placeholder);
        rest = start + needle.len();
    }
    out.push_str(&text[rest..]);
    out
}

/// A subject with the lead's company, first name and the message's pain points templated out.
pub fn normalize_subject(subject: &str, lead: Option<&Lead>, pain_points: &[String]) -> String {
    let mut normalized = subject.trim().to_string();
    if let Some(lead) = lead {
        if let Some(company) = lead.company.as_deref() {
            normalized = replace_ignoring_case(&normalized, company, "{company}");
        }
        if let Some(first_name) = first_name_of(lead) {
            normalized = replace_ignoring_case(&normalized, first_name, "{first_name}");
        }
    }
    for pain_point in pain_points {
        normalized = replace_ignoring_case(&normalized, pain_point, "{pain_point}");
    }
    normalized
}

/// Runs the WHAT detector.
pub fn detect_what(journeys: &[Journey<'_>], params: &ConversionParams) -> WhatPatterns {
    let matcher = KeywordMatcher::new(&params.keywords);
    let mut subjects: BTreeMap<String, Rate> = BTreeMap::new();
    let mut pains: BTreeMap<String, Rate> = BTreeMap::new();
    let mut ctas: BTreeMap<String, Rate> = BTreeMap::new();
    let mut angles: BTreeMap<String, Rate> = BTreeMap::new();
    let mut lengths: BTreeMap<(Channel, u32), Rate> = BTreeMap::new();
    let mut levels: BTreeMap<i64, Rate> = BTreeMap::new();
    let (mut company_with, mut company_without) = (Rate::default(), Rate::default());
    let (mut name_with, mut name_without) = (Rate::default(), Rate::default());
    let mut messages = Rate::default();
    for journey in journeys {
        for touch in &journey.touches {
            let Some(content) = &touch.content else { continue };
            let converted = touch.led_to_booking;
            messages.add(converted);
            let extracted = needs_extraction(touch).then(|| matcher.extract(content.body.as_deref().unwrap_or("")));
            let pain_points: &[String] = match &extracted {
                Some(found) if content.pain_points.is_empty() => &found.pain_points,
                _ => &content.pain_points,
            };
            for pain_point in pain_points {
                tally(&mut pains, pain_point, converted);
            }
            let cta = content.cta.as_deref().or_else(|| extracted.as_ref().and_then(|found| found.cta.as_deref()));
            if let Some(cta) = cta {
                tally(&mut ctas, cta, converted);
            }
            let angle =
                content.angle.as_deref().or_else(|| extracted.as_ref().and_then(|found| found.angle.as_deref()));
            if let Some(angle) = angle {
                tally(&mut angles, angle, converted);
            }
            if touch.channel == Channel::Email
                && let Some(subject) = content.subject.as_deref().filter(|subject| !subject.trim().is_empty())
            {
                subjects.entry(normalize_subject(subject, journey.lead, pain_points)).or_default().add(converted);
            }
            let body = content.body.as_deref().unwrap_or("");
            let words = content.word_count.unwrap_or_else(|| body.split_whitespace().count() as u32);
            if let Some((_, width)) = LENGTH_BANDS.iter().find(|(channel, _)| *channel == touch.channel) {
                lengths.entry((touch.channel, words / width)).or_default().add(converted);
            }
            if let Some(level) = content.personalization_level {
                // Levels are small numbers (0–5, maybe halves): tenths keep them apart as keys.
                levels.entry((level * 10.0).round() as i64).or_default().add(converted);
            }
            if let Some(lead) = journey.lead
                && !body.is_empty()
            {
                let lower_body = body.to_lowercase();
                let mentions = |name: &str| !name.is_empty() && lower_body.contains(&name.to_lowercase());
                if lead.company.as_deref().is_some_and(mentions) {
                    company_with.add(converted)
                } else {
                    company_without.add(converted)
                }
                if first_name_of(lead).is_some_and(mentions) {
                    name_with.add(converted)
                } else {
                    name_without.add(converted)
                }
            }
        }
    }
    let conversions = messages.successes as usize;
    let mut patterns = WhatPatterns {
        sample_size: conversions,
        messages: messages.trials as usize,
        confidence: 0.0,
        insufficient_data: None,
        subject_patterns: SubjectPatterns::default(),
        pain_points: PainPoints::default(),
        ctas: Ctas::default(),
        angles: Angles::default(),
        optimal_length: BTreeMap::new(),
        personalization_lift: None,
    };
    if conversions < params.min_conversions {
        patterns.insufficient_data =
            Some(format!("{conversions} converting messages; at least {} are needed", params.min_conversions));
        return patterns;
    }
    patterns.confidence = sample_confidence(conversions);

    let (winning, losing) = split_by_lift(rank_family(subjects, &params.evidence).ranked);
    patterns.subject_patterns = SubjectPatterns {
        winning: winning.into_iter().map(SubjectRank::from).collect(),
        losing: losing.into_iter().map(SubjectRank::from).collect(),
    };
    let (effective, ineffective) = split_by_lift(rank_overlapping(pains, messages, &params.evidence).ranked);
    let with_frequency = |(pain_point, evidence): (String, RateEvidence)| PainPointRank {
        frequency: evidence.conversions as f64 / conversions as f64,
        pain_point,
        evidence,
    };
    patterns.pain_points = PainPoints {
        effective: effective.into_iter().map(with_frequency).collect(),
        ineffective: ineffective.into_iter().map(with_frequency).collect(),
    };
    let (effective, ineffective) = split_by_lift(rank_family(ctas, &params.evidence).ranked);
    patterns.ctas = Ctas {
        effective: effective.into_iter().map(CtaRank::from).collect(),
        ineffective: ineffective.into_iter().map(CtaRank::from).collect(),
    };
    patterns.angles =
        Angles { rankings: rank_family(angles, &params.evidence).ranked.into_iter().map(AngleRank::from).collect() };
    for (channel, width) in LENGTH_BANDS {
        let bands = lengths.iter().filter(|((band_channel, _), _)| band_channel == channel);
        let ranked = rank_family(bands.map(|((_, band), rate)| (band.to_string(), *rate)), &params.evidence).ranked;
        if let Some((band, evidence)) = ranked.into_iter().next() {
            let band: u32 = band.parse().unwrap_or(0);
            patterns.optimal_length.insert(
                channel.as_str().to_string(),
                LengthOptimum {
                    optimal_words: band * width + width / 2,
                    range_min: band * width,
                    range_max: band * width + width - 1,
                    evidence,
                },
            );
        }
    }
    patterns.personalization_lift = Some(Personalization {
        company_mention: flag_lift(company_with, company_without, &params.evidence),
        first_name: flag_lift(name_with, name_without, &params.evidence),
        by_level: rank_family(
            levels.into_iter().map(|(tenths, rate)| (format!("{}", tenths as f64 / 10.0), rate)),
            &params.evidence,
        )
        .ranked
        .into_iter()
        .map(PersonalizationRank::from)
        .collect(),
    });
    patterns
}

/// Counts one trial of `key`, allocating its name only the first time it is seen.
fn tally(groups: &mut BTreeMap<String, Rate>, key: &str, converted: bool) {
    match groups.get_mut(key) {
        Some(rate) => rate.add(converted),
        None => {
            let mut rate = Rate::default();
            rate.add(converted);
            groups.insert(key.to_string(), rate);
        }
    }
}

/// Whether a touch's snapshot leaves anything for the keyword lists to find.
fn needs_extraction(touch: &Activity) -> bool {
    touch.content.as_ref().is_some_and(|content| {
        content.body.is_some() && (content.pain_points.is_empty() || content.cta.is_none() || content.angle.is_none())
    })
}

/// A category with its evidence.
type Ranked = (String, RateEvidence);

/// Ranked categories split at lift 1: above, best first; below, worst first.
fn split_by_lift(ranked: Vec<Ranked>) -> (Vec<Ranked>, Vec<Ranked>) {
    let (above, mut below): (Vec<_>, Vec<_>) = ranked.into_iter().partition(|(_, evidence)| evidence.lift >= 1.0);
    below.reverse();
    (above, below)
}
