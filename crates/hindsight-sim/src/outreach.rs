//! Leads and their multi-channel outreach: who converts, after which touch, with which content.
//!
//! Each lead gets one of the channel sequences in `vocab::SEQUENCES` and up to four touches. Each
//! touch converts the lead with a probability whose log-odds add the lead's fit, the send time, the
//! touch position and gap, the channel and sequence, and the content sent (see `plan.rs`). The first
//! touch that converts is the converting touch (`led_to_booking`); outreach stops there.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Timelike, Utc};
use hindsight_model::{
    Activity, ActivityTag, AlsComponents, AlsWeights, AttributeValue, Attributes, Channel, ContentSnapshot, Lead,
    LeadScoreSnapshot, LeadStatus, LeadTag, VOICE_AI_FIT_ATTRIBUTE,
};
use rand::Rng;
use rand::distr::Distribution;
use rand::distr::weighted::WeightedIndex;
use rand::seq::IndexedRandom;
use rand_distr::Normal;

use crate::plan::{self, Strengths, effect_of, sigmoid};
use crate::truth::Realized;
use crate::vocab;

/// What the call simulator needs to know about a lead.
#[derive(Debug, Clone)]
pub struct LeadProfile {
    /// The lead's id.
    pub id: String,
    /// The person's first name (said on calls).
    pub first_name: String,
    /// The person's last name.
    pub last_name: String,
    /// Company name.
    pub company: String,
    /// Log-odds fit at this run's strength (title + industry + size + timing).
    pub fit: f64,
}

/// A generated lead with its activities.
pub struct GeneratedLead {
    /// The lead record.
    pub lead: Lead,
    /// Its touches and events, in time order.
    pub activities: Vec<Activity>,
    /// What calls need.
    pub profile: LeadProfile,
}

const WEEKDAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Generates lead number `index` and its outreach, counting what happened into `realized`.
#[allow(clippy::too_many_arguments)]
pub fn generate_lead(
    index: usize,
    campaign: &str,
    start: NaiveDate,
    end: DateTime<Utc>,
    outreach_days: i64,
    strengths: &Strengths,
    next_activity_id: &mut u64,
    realized_leads: &mut Realized,
    realized_touches: &mut Realized,
    rng: &mut impl Rng,
    voice_ai_rng: &mut impl Rng,
) -> GeneratedLead {
    let id = format!("lead-{index:06}");
    let first_name = (*vocab::FIRST_NAMES.choose(rng).expect("non-empty")).to_string();
    let last_name = (*vocab::LAST_NAMES.choose(rng).expect("non-empty")).to_string();
    let company = format!(
        "{} {}",
        vocab::COMPANY_STEMS.choose(rng).expect("non-empty"),
        vocab::COMPANY_SUFFIXES.choose(rng).expect("non-empty")
    );
    let domain = format!("{}.com", company.to_lowercase().replace(' ', ""));
    let title = *vocab::TITLES.choose(rng).expect("non-empty");
    let industry = *vocab::INDUSTRIES.choose(rng).expect("non-empty");
    let size_index = WeightedIndex::new([0.2, 0.25, 0.2, 0.15, 0.12, 0.08]).expect("valid weights").sample(rng);
    let (size_label, size_min, size_max) = vocab::SIZE_RANGES[size_index];
    let employee_count = rng.random_range(size_min..=size_max);
    let flags: Vec<bool> = plan::TIMING_SIGNALS.iter().map(|(_, prevalence, _)| rng.random_bool(*prevalence)).collect();
    let (is_new_role, is_hiring, recently_funded) = (flags[0], flags[1], flags[2]);
    let funding_stage = if recently_funded {
        ["seed", "series_a", "series_b"][rng.random_range(0..3)]
    } else {
        *vocab::FUNDING_STAGES.choose(rng).expect("non-empty")
    };

    let base_fit = effect_of(plan::TITLE_EFFECTS, title)
        + effect_of(plan::INDUSTRY_EFFECTS, industry)
        + plan::SIZE_EFFECTS[size_index]
        + plan::TIMING_SIGNALS.iter().zip(&flags).filter(|(_, on)| **on).map(|((_, _, effect), _)| effect).sum::<f64>();
    let fit = base_fit * strengths.lead_fit;

    // The lead scorer's view: a heuristic over the same firmographics, noisy, independent of the
    // planted strengths (a real scorer does not know the truth either).
    let noise = Normal::new(0.0, 2.0).expect("valid normal");
    let authority_base = match title {
        "CEO" | "Owner" => 23.0,
        "VP of Sales" => 20.0,
        "Marketing Director" => 18.0,
        "Operations Manager" | "Practice Administrator" => 12.0,
        "Office Manager" => 10.0,
        _ => 6.0,
    };
    let components = AlsComponents {
        data_quality: rng.random_range(8..=20) as f64,
        authority: clamp_round(authority_base + noise.sample(rng), 0.0, 25.0),
        company_fit: clamp_round(
            12.5 + 10.0 * (effect_of(plan::INDUSTRY_EFFECTS, industry) + plan::SIZE_EFFECTS[size_index])
                + noise.sample(rng),
            0.0,
            25.0,
        ),
        timing: clamp_round(
            5.0 * f64::from(u8::from(is_new_role))
                + 4.0 * f64::from(u8::from(is_hiring))
                + 6.0 * f64::from(u8::from(recently_funded))
                + noise.sample(rng).abs() * 0.5,
            0.0,
            15.0,
        ),
        risk: if rng.random_bool(0.1) { 5.0 } else { 0.0 },
    };
    let weights = AlsWeights::DEFAULT;
    let score = (components.data_quality / 20.0 * weights.data_quality * 100.0
        + components.authority / 25.0 * weights.authority * 100.0
        + components.company_fit / 25.0 * weights.company_fit * 100.0
        + components.timing / 15.0 * weights.timing * 100.0
        - components.risk)
        .clamp(0.0, 100.0)
        .round();
    let tier = if score >= 60.0 {
        "A"
    } else if score >= 45.0 {
        "B"
    } else {
        "C"
    };

    let created_at =
        at_time(start, rng.random_range(0..outreach_days.max(1)), rng.random_range(8..18), rng.random_range(0..60));
    let sequence_index = rng.random_range(0..vocab::SEQUENCES.len());
    let sequence = vocab::SEQUENCES[sequence_index];

    let mut activities = Vec::new();
    let mut converted_at = None;
    let mut touch_time = created_at + Duration::hours(rng.random_range(1..30));
    let mut previous_touch: Option<DateTime<Utc>> = None;
    for (position, channel_name) in sequence.iter().enumerate() {
        if let Some(previous) = previous_touch {
            let gap = plan::GAP_EFFECTS.choose(rng).expect("non-empty").0;
            touch_time = previous + Duration::days(gap);
        }
        let hour = rng.random_range(8..=18);
        touch_time =
            touch_time.with_hour(hour).and_then(|t| t.with_minute(rng.random_range(0..60))).expect("valid time");
        // Setting the hour can move a touch before the lead existed or before the previous touch.
        let floor = previous_touch.unwrap_or(created_at);
        if touch_time <= floor {
            touch_time += Duration::days(1);
        }
        // Teams rarely send at weekends: move most weekend sends to Monday.
        let weekday = touch_time.weekday().num_days_from_monday() as usize;
        if !rng.random_bool(plan::DAY_SEND_WEIGHTS[weekday]) {
            touch_time += Duration::days(7 - weekday as i64);
        }
        if touch_time >= end {
            break;
        }
        let gap_days = previous_touch.map(|previous| (touch_time.date_naive() - previous.date_naive()).num_days());
        previous_touch = Some(touch_time);

        let channel = parse_channel(channel_name);
        let content =
            if channel == Channel::Voice { None } else { Some(generate_content(channel, &first_name, &company, rng)) };
        let weekday = touch_time.weekday().num_days_from_monday() as usize;
        let mut logit = plan::TOUCH_BASE_LOGIT + fit;
        logit += strengths.timing
            * (plan::DAY_EFFECTS[weekday]
                + hour_effect(hour)
                + plan::TOUCH_POSITION_EFFECTS[position]
                + gap_days.map(gap_effect).unwrap_or(0.0));
        logit += strengths.channels
            * (effect_of(plan::CHANNEL_EFFECTS, channel_name)
                + plan::SEQUENCE_BONUS[sequence_index]
                + if channel == Channel::Voice && tier == "A" { plan::VOICE_TIER_A_BONUS } else { 0.0 });
        if let Some((content, subject_index)) = &content {
            logit += strengths.content * content_effect(channel, content, *subject_index);
        }
        let converts = rng.random_bool(sigmoid(logit));

        let touch_tally = |family: &str, key: String, realized: &mut Realized| {
            realized.entry(family.to_string()).or_default().entry(key).or_default().add(converts);
        };
        touch_tally("day", WEEKDAY_NAMES[weekday].to_string(), realized_touches);
        touch_tally("hour", hour.to_string(), realized_touches);
        touch_tally("touch", (position + 1).to_string(), realized_touches);
        touch_tally("channel", channel_name.to_string(), realized_touches);
        if let Some(gap) = gap_days {
            touch_tally("gap", gap.to_string(), realized_touches);
        }
        if let Some((content, subject_index)) = &content {
            if let Some(subject_index) = subject_index {
                touch_tally("subject", vocab::SUBJECTS[*subject_index].to_string(), realized_touches);
            }
            for pain_point in &content.pain_points {
                touch_tally("pain_point", pain_point.clone(), realized_touches);
            }
            if let Some(cta) = &content.cta {
                touch_tally("cta", cta.clone(), realized_touches);
            }
            if let Some(angle) = &content.angle {
                touch_tally("angle", angle.clone(), realized_touches);
            }
        }

        *next_activity_id += 1;
        activities.push(Activity {
            record_type: ActivityTag,
            id: format!("act-{:07}", *next_activity_id),
            tenant: None,
            lead_id: id.clone(),
            campaign: Some(campaign.to_string()),
            channel,
            action: action_for(channel).to_string(),
            touch_number: Some(position as u32 + 1),
            at: touch_time,
            content: content.map(|(content, _)| content),
            led_to_booking: converts,
            attributes: Attributes::new(),
        });
        if converts {
            let booked_at = touch_time + Duration::minutes(rng.random_range(20..48 * 60));
            if booked_at < end {
                converted_at = Some(booked_at);
                *next_activity_id += 1;
                activities.push(Activity {
                    record_type: ActivityTag,
                    id: format!("act-{:07}", *next_activity_id),
                    tenant: None,
                    lead_id: id.clone(),
                    campaign: Some(campaign.to_string()),
                    channel,
                    action: "meeting_booked".to_string(),
                    touch_number: None,
                    at: booked_at,
                    content: None,
                    led_to_booking: false,
                    attributes: Attributes::new(),
                });
                realized_touches
                    .entry("booking_channel".into())
                    .or_default()
                    .entry(channel_name.to_string())
                    .or_default()
                    .add(true);
            } else {
                // The reply would land after the observation window: to the data, it never happened.
                if let Some(last) = activities.last_mut() {
                    last.led_to_booking = false;
                }
            }
            break;
        }
    }

    let converted = converted_at.is_some();
    let sequence_name = sequence.join(">");
    for (family, key) in [
        ("title", title.to_string()),
        ("industry", industry.to_string()),
        ("size_range", size_label.to_string()),
        ("new_role", is_new_role.to_string()),
        ("hiring", is_hiring.to_string()),
        ("funded", recently_funded.to_string()),
        ("tier", tier.to_string()),
        ("sequence", sequence_name),
    ] {
        realized_leads.entry(family.to_string()).or_default().entry(key).or_default().add(converted);
    }

    let touches = activities.iter().filter(|activity| activity.is_outbound_touch()).count();
    let status = if converted {
        LeadStatus::Converted
    } else if touches == 0 {
        LeadStatus::New
    } else if touches < sequence.len() {
        LeadStatus::Contacted
    } else {
        [LeadStatus::Dead, LeadStatus::NotInterested, LeadStatus::Unsubscribed, LeadStatus::Bounced]
            [WeightedIndex::new([0.7, 0.2, 0.07, 0.03]).expect("valid weights").sample(rng)]
    };

    let mut attributes = Attributes::new();
    attributes.insert("first_name".into(), AttributeValue::String(first_name.clone()));
    attributes.insert(
        "lead_source".into(),
        AttributeValue::String(["web_form", "list_purchase", "referral", "event"][rng.random_range(0..4)].into()),
    );
    attributes.insert(
        "annual_revenue_musd".into(),
        AttributeValue::Number((f64::from(employee_count) * rng.random_range(0.08..0.2) * 100.0).round() / 100.0),
    );

    // How the company handles its customers (the description says so) and, for leads someone
    // talked to, whether they judged it a strong voice-AI prospect.
    let (_, use_case_sentence, use_case_effect) =
        plan::VOICE_AI_USE_CASES[voice_ai_rng.random_range(0..plan::VOICE_AI_USE_CASES.len())];
    let voice_ai_logit = plan::VOICE_AI_FIT_BASE
        + strengths.voice_ai_fit * (use_case_effect + plan::VOICE_AI_FIT_PER_SIZE_STEP * size_index as f64);
    let voice_ai_fit = voice_ai_rng.random_bool(sigmoid(voice_ai_logit));
    if !matches!(status, LeadStatus::New | LeadStatus::Bounced) {
        attributes.insert(VOICE_AI_FIT_ATTRIBUTE.into(), AttributeValue::Bool(voice_ai_fit));
    }
    let mut description =
        format!("{company} is a {} business with about {employee_count} people.", industry.to_lowercase());
    if !use_case_sentence.is_empty() {
        description.push(' ');
        description.push_str(use_case_sentence);
    }

    let lead = Lead {
        record_type: LeadTag,
        id: id.clone(),
        tenant: None,
        campaign: Some(campaign.to_string()),
        title: Some(title.to_string()),
        industry: Some(industry.to_string()),
        employee_count: Some(employee_count),
        company: Some(company.clone()),
        domain: Some(domain),
        description: Some(description),
        notes: None,
        funding_stage: Some(funding_stage.to_string()),
        is_new_role: Some(is_new_role),
        is_hiring: Some(is_hiring),
        recently_funded: Some(recently_funded),
        tier: Some(tier.to_string()),
        status,
        created_at: Some(created_at),
        converted_at,
        score: Some(LeadScoreSnapshot { components, weights, score: Some(score), scored_at: Some(created_at) }),
        attributes,
    };
    let profile = LeadProfile { id, first_name, last_name, company, fit };
    GeneratedLead { lead, activities, profile }
}

fn clamp_round(value: f64, min: f64, max: f64) -> f64 {
    value.clamp(min, max).round()
}

/// A UTC timestamp `day` days after `start` at `hour:minute`.
pub fn at_time(start: NaiveDate, day: i64, hour: u32, minute: u32) -> DateTime<Utc> {
    let date = start + Duration::days(day);
    Utc.from_utc_datetime(&date.and_hms_opt(hour, minute, 0).expect("valid time"))
}

fn parse_channel(name: &str) -> Channel {
    match name {
        "linkedin" => Channel::Linkedin,
        "sms" => Channel::Sms,
        "voice" => Channel::Voice,
        _ => Channel::Email,
    }
}

fn action_for(channel: Channel) -> &'static str {
    match channel {
        Channel::Email => "email_sent",
        Channel::Linkedin => "linkedin_sent",
        Channel::Sms => "sms_sent",
        Channel::Voice => "voice_completed",
    }
}

fn hour_effect(hour: u32) -> f64 {
    plan::HOUR_EFFECTS.iter().find(|(h, _)| *h == hour).map(|(_, effect)| *effect).unwrap_or(0.0)
}

fn gap_effect(gap: i64) -> f64 {
    plan::GAP_EFFECTS.iter().find(|(g, _)| *g == gap).map(|(_, effect)| *effect).unwrap_or(0.0)
}

/// Log-odds effect of a message's content at strength 1.
fn content_effect(channel: Channel, content: &ContentSnapshot, subject_index: Option<usize>) -> f64 {
    let mut effect = subject_index.map(|index| plan::SUBJECT_EFFECTS[index]).unwrap_or(0.0);
    effect += content.pain_points.iter().map(|pain| effect_of(plan::PAIN_POINT_EFFECTS, pain)).sum::<f64>();
    effect += content.cta.as_deref().map(|cta| effect_of(plan::CTA_EFFECTS, cta)).unwrap_or(0.0);
    effect += content.angle.as_deref().map(|angle| effect_of(plan::ANGLE_EFFECTS, angle)).unwrap_or(0.0);
    if let (Some(words), Some((_, min, max))) =
        (content.word_count, plan::LENGTH_BANDS.iter().find(|(name, _, _)| *name == channel.as_str()))
    {
        if (*min..=*max).contains(&words) {
            effect += plan::LENGTH_INSIDE_EFFECT;
        } else if words > 2 * max {
            effect += plan::LENGTH_TOO_LONG_EFFECT;
        }
    }
    effect += content.personalization_level.unwrap_or(0.0) * plan::PERSONALIZATION_EFFECT_PER_LEVEL;
    effect
}

/// Opening sentences per angle; each carries its angle's keywords and none of a pain point's.
const ANGLE_OPENERS: &[(&str, &str)] = &[
    ("roi_focused", "Our clients typically see a strong return within the first quarter."),
    ("social_proof", "Companies like {company} have been working with us for a while now."),
    ("curiosity", "I noticed something about {company} and was wondering about an idea."),
    ("fear_based", "Most firms are missing calls without knowing it, and that is a real risk."),
    ("value_add", "I put together a complimentary assessment for {company}."),
];

/// A sentence per pain point, built around that pain point's keywords.
const PAIN_SENTENCES: &[(&str, &str)] = &[
    ("leads", "We help you turn more inquiries into qualified leads and a fuller pipeline."),
    ("revenue", "The goal is simple: more revenue and steady sales without extra effort."),
    ("time", "It takes the manual follow-up off your plate and gives you hours back."),
    ("scaling", "It lets you scale up without having to hire a bigger team."),
    ("competition", "Firms nearby are already doing this, and nobody wants to fall behind competitors."),
    ("cost", "It usually costs less than one part-time person and cuts waste in spending."),
    ("quality", "Clients tell us the quality of their appointments goes up."),
];

/// How each CTA is put in a message.
const CTA_SENTENCES: &[(&str, &str)] = &[
    ("open to a quick chat", "Would you be open to a quick chat?"),
    ("worth 15 minutes", "Is this worth 15 minutes on your calendar?"),
    ("free audit", "Want me to run a free audit for you?"),
    ("schedule a call", "Can we schedule a call this week?"),
    ("let me know", "Let me know if this is interesting."),
    ("happy to share", "Happy to share how it works."),
];

/// Neutral padding: carries no pain-point, angle or CTA keyword.
const FILLER_SENTENCES: &[&str] = &[
    "I work with owners in your area.",
    "It plugs into the calendar you already use.",
    "Setup is quick and our people handle it.",
    "Nothing about your current process has to change on day one.",
    "Everything runs in the background.",
    "Your staff can see every conversation in one place.",
    "We answer around the clock, including weekends.",
    "There are no long contracts involved.",
];

/// A message for `channel`, returned with the index of its subject template (email only).
fn generate_content(
    channel: Channel,
    first_name: &str,
    company: &str,
    rng: &mut impl Rng,
) -> (ContentSnapshot, Option<usize>) {
    let pain_point = *vocab::PAIN_POINTS.choose(rng).expect("non-empty");
    let cta = *vocab::CTAS.choose(rng).expect("non-empty");
    let (angle, opener) = *ANGLE_OPENERS.choose(rng).expect("non-empty");
    let personalization = rng.random_range(0..=5);
    let target_words = match channel {
        Channel::Email => rng.random_range(30..=220),
        Channel::Linkedin => rng.random_range(12..=120),
        _ => rng.random_range(8..=70),
    };
    let pain_sentence =
        PAIN_SENTENCES.iter().find(|(name, _)| *name == pain_point).map(|(_, s)| *s).unwrap_or_default();
    let greeting = if personalization >= 2 { format!("Hi {first_name},") } else { "Hi there,".to_string() };
    let mut sentences = vec![greeting, opener.replace("{company}", company), pain_sentence.to_string()];
    let cta_sentence =
        CTA_SENTENCES.iter().find(|(name, _)| *name == cta).map(|(_, s)| (*s).to_string()).unwrap_or_default();
    let word_count = |sentences: &[String]| {
        sentences.iter().map(|s| s.split_whitespace().count()).sum::<usize>() + cta_sentence.split_whitespace().count()
    };
    while word_count(&sentences) < target_words {
        sentences.push((*FILLER_SENTENCES.choose(rng).expect("non-empty")).to_string());
    }
    sentences.push(cta_sentence.clone());
    let body = sentences.join(" ");
    let words = body.split_whitespace().count() as u32;
    let subject_index = (channel == Channel::Email).then(|| rng.random_range(0..vocab::SUBJECTS.len()));
    let subject = subject_index.map(|index| {
        vocab::SUBJECTS[index]
            .replace("{company}", company)
            .replace("{first_name}", first_name)
            .replace("{pain_point}", pain_point)
    });
    let content = ContentSnapshot {
        subject,
        body: Some(body),
        cta: Some(cta.to_string()),
        pain_points: vec![pain_point.to_string()],
        angle: Some(angle.to_string()),
        word_count: Some(words),
        personalization_level: Some(f64::from(personalization)),
    };
    (content, subject_index)
}
