//! Voice-agent appointment-setting calls, stage by stage, with their later outcomes.
//!
//! A call walks the default stage set (hook → qualification → value presentation → objection
//! handling → closing → confirmation) and can end early in any stage: a technical failure, a drop,
//! an escalation to a human. Whether a call that reaches closing books is drawn from a logistic
//! model over the planted effects (`plan.rs`); whether a booked appointment is kept is drawn from the
//! show-up model. Facts learned after the call (confirmed, showed up, converted) become outcome
//! events dated when they became known, and only those known by the end of the simulated window
//! are written: the newest calls have open outcomes, as in real data.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc, Weekday};
use hindsight_model::{
    AttributeValue, Attributes, Call, CallStatus, CallTag, Outcome, OutcomeEvent, OutcomeTag, Stage,
};
use rand::Rng;
use rand::distr::Distribution;
use rand::distr::weighted::WeightedIndex;
use rand::seq::{IndexedRandom, SliceRandom};
use rand_distr::Normal;

use crate::outreach::{LeadProfile, at_time};
use crate::pii;
use crate::plan::{self, Strengths, effect_of, sigmoid};
use crate::transcript::TranscriptBuilder;
use crate::truth::{PiiPlant, Realized};
use crate::vocab;

/// What every call needs from the run.
pub struct CallContext<'a> {
    /// Campaign id.
    pub campaign: &'a str,
    /// First day of the window.
    pub start: NaiveDate,
    /// Weeks in the window.
    pub weeks: u32,
    /// End of the window (facts after it are unknown).
    pub end: DateTime<Utc>,
    /// Effect strengths.
    pub strengths: &'a Strengths,
    /// The leads calls are placed to.
    pub leads: &'a [LeadProfile],
    /// Mean lead fit, so lead fit shifts calls around the base rate instead of moving it.
    pub mean_fit: f64,
}

/// A generated call with what was learned about it later and the PII it carries.
pub struct GeneratedCall {
    /// The call as logged right after it ended.
    pub call: Call,
    /// Facts learned later, dated.
    pub events: Vec<OutcomeEvent>,
    /// PII said in the call.
    pub pii: Vec<PiiPlant>,
}

const ESCALATION_STAGES: [&str; 3] = ["qualification", "value_presentation", "objection_handling"];

/// How the call ends, when it ends before closing.
enum Ending {
    Failed,
    Dropped(&'static str),
    Escalated(&'static str),
}

/// Draws when a call starts: a uniform week, mostly weekdays, business hours.
pub fn draw_start(context: &CallContext<'_>, rng: &mut impl Rng) -> DateTime<Utc> {
    let week = rng.random_range(0..context.weeks);
    let day_in_week = WeightedIndex::new([1.0, 1.0, 1.0, 1.0, 1.0, 0.1, 0.05]).expect("weights").sample(rng) as i64;
    at_time(context.start, i64::from(week) * 7 + day_in_week, rng.random_range(9..=17), rng.random_range(0..60))
        + Duration::seconds(rng.random_range(0..60))
}

/// Generates call number `index`, started at `started_at` (from [`draw_start`]).
pub fn generate_call(
    index: usize,
    started_at: DateTime<Utc>,
    context: &CallContext<'_>,
    realized: &mut Realized,
    rng: &mut impl Rng,
) -> GeneratedCall {
    let strengths = context.strengths;
    let id = format!("call-{index:07}");
    let agent = *["bot-alpha", "bot-beta", "bot-gamma"].choose(rng).expect("non-empty");
    let agent_name = match agent {
        "bot-alpha" => "Ava",
        "bot-beta" => "Ben",
        _ => "Grace",
    };
    let platform = ["vapi", "retell", "bland"][WeightedIndex::new([0.45, 0.35, 0.2]).expect("weights").sample(rng)];
    let mut transcript = TranscriptBuilder::new(platform != "retell", rng);

    let lead = context.leads.choose(rng);
    let (first, last, company, fit) = match lead {
        Some(lead) => {
            (lead.first_name.clone(), lead.last_name.clone(), lead.company.clone(), lead.fit - context.mean_fit)
        }
        None => (
            (*vocab::FIRST_NAMES.choose(rng).expect("non-empty")).to_string(),
            (*vocab::LAST_NAMES.choose(rng).expect("non-empty")).to_string(),
            format!(
                "{} {}",
                vocab::COMPANY_STEMS.choose(rng).expect("non-empty"),
                vocab::COMPANY_SUFFIXES.choose(rng).expect("non-empty")
            ),
            0.0,
        ),
    };

    let week = ((started_at.date_naive() - context.start).num_days() / 7) as u32;
    let script_version = if week + 1 == context.weeks && rng.random_bool(plan::DECLINE_SHARE_OF_CALLS) {
        plan::DECLINE_SCRIPT
    } else if week < 2 {
        "v1.1"
    } else {
        "v1.2"
    };
    let variant = if rng.random_bool(0.5) { "A" } else { "B" };

    // Fate decided up front, so each draw is independent of transcript length.
    let failed = rng.random_bool(plan::TECHNICAL_FAILURE_RATE);
    // Compliance lapses are a planted problem like any other: at strength 0 there are none.
    let compliance_rate = strengths.compliance
        * (plan::COMPLIANCE_BASE_RATE
            + if agent == plan::COMPLIANCE_AGENT { plan::COMPLIANCE_AGENT_EXTRA_RATE } else { 0.0 });
    let compliance_lapse = rng.random_bool(compliance_rate);
    let escalation = rng.random_bool(plan::ESCALATION_RATE).then(|| {
        let stage = ESCALATION_STAGES[WeightedIndex::new([0.4, 0.35, 0.25]).expect("weights").sample(rng)];
        let reasons: Vec<f64> = plan::ESCALATION_REASONS.iter().map(|(_, share)| *share).collect();
        let reason_index = WeightedIndex::new(reasons).expect("weights").sample(rng);
        (stage, reason_index)
    });
    let objection = rng
        .random_bool(plan::OBJECTION_RATE)
        .then(|| (rng.random_range(0..plan::OBJECTIONS.len()), rng.random_range(0..3)));
    let question_count = rng.random_range(1..=7u32);
    let verbosity = rng.random_range(0..3u32);
    let confounded_probability = 0.6 * sigmoid(2.0 * fit);
    let says_confounded_phrase = rng.random_bool(confounded_probability);

    let mut booking_logit = plan::BOOKING_BASE_LOGIT + plan::LEAD_FIT_ON_CALLS * fit;
    booking_logit += strengths.structure
        * (plan::QUESTION_EFFECT_PER_QUESTION * (f64::from(question_count.min(plan::QUESTION_EFFECT_CAP)) - 3.0)
            + plan::VERBOSITY_EFFECT_PER_LEVEL * (f64::from(verbosity) - 1.0));
    if variant == "B" {
        booking_logit += strengths.experiment * plan::EXPERIMENT_LIFT;
    }

    let mut pii_plants = Vec::new();
    let drop_hazard = |stage: &str| {
        let mut hazard = effect_of(plan::DROP_HAZARDS, stage);
        if stage == plan::DECLINE_STAGE && script_version == plan::DECLINE_SCRIPT {
            hazard += plan::DECLINE_EXTRA_DROP_HAZARD * strengths.decline;
        }
        hazard
    };
    let fill = |text: &str| {
        text.replace("{first}", &first)
            .replace("{company}", &company)
            .replace("{agent_name}", agent_name)
            .replace("{daypart}", if started_at.hour() < 12 { "morning" } else { "afternoon" })
    };

    // ---- hook ----
    let stage = "hook";
    transcript.agent(stage, &fill(vocab::HOOK_NEUTRAL.choose(rng).expect("non-empty")), rng);
    let mut ending: Option<Ending> = None;
    if failed {
        for line in vocab::FAILED_LINES.choose_multiple(rng, 2) {
            transcript.user(stage, line, rng);
        }
        transcript.agent(stage, "I'm sorry, I'm having trouble hearing you. I'll try you again later.", rng);
        ending = Some(Ending::Failed);
    }
    if ending.is_none() {
        if rng.random_bool(0.35) {
            let (name, line) = if rng.random_bool(0.5) {
                let name = format!("{first} {last}");
                (name.clone(), format!("Yes, this is {name}."))
            } else {
                (first.clone(), format!("Speaking, it's {first}."))
            };
            pii_plants.push(PiiPlant {
                call_id: id.clone(),
                turn: transcript.next_index(),
                kind: "person".into(),
                value: name,
            });
            transcript.user_verbatim(stage, line, rng);
        } else {
            transcript.user(stage, vocab::USER_ACKS.choose(rng).expect("non-empty"), rng);
        }
        if rng.random_bool(0.7) {
            transcript.agent(stage, &fill(vocab::RAPPORT_AGENT.choose(rng).expect("non-empty")), rng);
            transcript.user(stage, vocab::RAPPORT_USER.choose(rng).expect("non-empty"), rng);
        }
        if !compliance_lapse {
            transcript.agent(stage, vocab::COMPLIANCE_DISCLOSURE, rng);
        }
        let (line, effect) =
            agent_line_with_phrase(stage, &fill(vocab::HOOK_FOLLOW.choose(rng).expect("non-empty")), rng);
        booking_logit += strengths.phrases * effect;
        transcript.agent(stage, &line, rng);
        if rng.random_bool(drop_hazard(stage)) {
            transcript.user(stage, vocab::DROP_LINES.choose(rng).expect("non-empty"), rng);
            ending = Some(Ending::Dropped(stage));
        } else {
            transcript.user(stage, vocab::USER_ACKS.choose(rng).expect("non-empty"), rng);
        }
    }

    // ---- qualification ----
    if ending.is_none() {
        let stage = "qualification";
        transcript.agent(stage, &fill("I'd love to learn a little about {company} first."), rng);
        let mut questions: Vec<&(&str, &[&str])> = vocab::QUALIFICATION.iter().collect();
        questions.shuffle(rng);
        // Repeated small talk reads like a generator, not a call: each question and each of the
        // caller's elaborations is used at most once per call.
        let mut elaborations: Vec<&str> = vocab::USER_ELABORATIONS.to_vec();
        elaborations.shuffle(rng);
        for (number, (question, answers)) in questions.iter().take(question_count as usize).enumerate() {
            let question = fill(question);
            let question = if number == 0 && says_confounded_phrase {
                format!("And {}, {}{}", plan::CONFOUNDED_PHRASE.1, question[..1].to_lowercase(), &question[1..])
            } else {
                question
            };
            transcript.agent(stage, &question, rng);
            if number == 1 && rng.random_bool(0.05) {
                let address = pii::street_address(rng);
                pii_plants.push(PiiPlant {
                    call_id: id.clone(),
                    turn: transcript.next_index(),
                    kind: "street_address".into(),
                    value: address.clone(),
                });
                transcript.user_verbatim(stage, format!("We're over at {address}, so mostly local folks."), rng);
            } else if number == 2 && rng.random_bool(0.015) {
                let ssn = pii::ssn(rng);
                pii_plants.push(PiiPlant {
                    call_id: id.clone(),
                    turn: transcript.next_index(),
                    kind: "ssn".into(),
                    value: ssn.clone(),
                });
                transcript.user_verbatim(
                    stage,
                    format!("If you need it for the insurance check, my social is {ssn}."),
                    rng,
                );
            } else {
                transcript.user(stage, answers.choose(rng).expect("non-empty"), rng);
            }
            if rng.random_bool(0.35)
                && let Some(elaboration) = elaborations.pop()
            {
                transcript.user(stage, elaboration, rng);
            }
            if rng.random_bool(0.8) {
                transcript.agent(stage, vocab::AGENT_ACKS.choose(rng).expect("non-empty"), rng);
            }
        }
        ending = stage_exit(stage, escalation, drop_hazard(stage), &mut transcript, rng);
    }

    // ---- value presentation ----
    if ending.is_none() {
        let stage = "value_presentation";
        let mut lines: Vec<&str> = vocab::VALUE_NEUTRAL.to_vec();
        lines.shuffle(rng);
        let (first_line, effect) = agent_line_with_phrase(stage, &fill(lines[0]), rng);
        booking_logit += strengths.phrases * effect;
        transcript.agent(stage, &first_line, rng);
        // Verbosity: a long-winded agent strings more sentences together before letting the
        // person speak, which is what raises its talk ratio.
        let extra_sentences = 1 + 2 * verbosity as usize;
        let monologue: Vec<String> = lines[1..].iter().cycle().take(extra_sentences).map(|line| fill(line)).collect();
        transcript.agent(stage, &monologue.join(" "), rng);
        transcript.user(stage, vocab::USER_ACKS.choose(rng).expect("non-empty"), rng);
        let caller_questions = rng.random_range(0..=2);
        for (question, answer) in vocab::VALUE_QUESTIONS.choose_multiple(rng, caller_questions) {
            transcript.user(stage, question, rng);
            transcript.agent(stage, answer, rng);
        }
        ending = stage_exit(stage, escalation, drop_hazard(stage), &mut transcript, rng);
    }

    // ---- objection handling ----
    if ending.is_none() {
        let stage = "objection_handling";
        if let Some((objection_index, strategy_index)) = objection {
            let (_, user_lines, strategies) = plan::OBJECTIONS[objection_index];
            let (_, response, effect) = strategies[strategy_index];
            booking_logit += strengths.objections * effect;
            transcript.user(stage, user_lines.choose(rng).expect("non-empty"), rng);
            transcript.agent(stage, response, rng);
            transcript.user(stage, vocab::USER_ACKS.choose(rng).expect("non-empty"), rng);
            ending = stage_exit(stage, escalation, drop_hazard(stage), &mut transcript, rng);
        } else if matches!(escalation, Some(("objection_handling", _))) {
            ending = stage_exit(stage, escalation, 0.0, &mut transcript, rng);
        }
    }

    // ---- closing and confirmation ----
    let mut booked = false;
    let mut appointment: Option<(DateTime<Utc>, f64, bool, u32)> = None;
    if ending.is_none() {
        let stage = "closing";
        if rng.random_bool(drop_hazard(stage)) {
            transcript.agent(stage, &fill(vocab::CLOSING_NEUTRAL.choose(rng).expect("non-empty")), rng);
            transcript.user(stage, vocab::DROP_LINES.choose(rng).expect("non-empty"), rng);
            ending = Some(Ending::Dropped(stage));
        } else {
            let (line, effect) =
                agent_line_with_phrase(stage, &fill(vocab::CLOSING_NEUTRAL.choose(rng).expect("non-empty")), rng);
            booking_logit += strengths.phrases * effect;
            transcript.agent(stage, &line, rng);
            booked = rng.random_bool(sigmoid(booking_logit));
            if booked {
                transcript.user(stage, vocab::USER_AGREE.choose(rng).expect("non-empty"), rng);
                appointment =
                    Some(confirmation(&id, started_at, &fill, &mut transcript, &mut pii_plants, (&first, &last), rng));
            } else {
                transcript.user(stage, vocab::USER_DECLINE.choose(rng).expect("non-empty"), rng);
                transcript.agent(stage, &fill(vocab::GOODBYES_AGENT.choose(rng).expect("non-empty")), rng);
                transcript.user(stage, vocab::GOODBYES_USER.choose(rng).expect("non-empty"), rng);
            }
        }
    }

    let duration_s = ((transcript.elapsed_s() + rng.random_range(0.5..3.0)) * 10.0).round() / 10.0;
    let (mut status, drop_off_stage, escalation_reason) = match ending {
        None => (CallStatus::Completed, None, None),
        Some(Ending::Failed) => (CallStatus::Failed, None, None),
        Some(Ending::Dropped(stage)) => (CallStatus::Dropped, Stage::new(stage).ok(), None),
        Some(Ending::Escalated(reason)) => (CallStatus::Escalated, None, Some(reason.to_string())),
    };
    let mut compliance_flags = Vec::new();
    if compliance_lapse && status != CallStatus::Failed {
        compliance_flags.push(plan::COMPLIANCE_RULE.to_string());
        // A compliance violation is what the call is filed under, whatever else happened; a
        // dropped one keeps its drop-off stage out of the record, since status carries one value.
        if status == CallStatus::Completed {
            status = CallStatus::ComplianceViolation;
        }
    }

    let noise: f64 = Normal::new(0.0, 0.2).expect("valid normal").sample(rng);
    let sentiment = (0.1 + if booked { 0.35 } else { 0.0 }
        - if status == CallStatus::Dropped { 0.3 } else { 0.0 }
        - if escalation_reason.as_deref() == Some("complaint") { 0.4 } else { 0.0 }
        + noise)
        .clamp(-1.0, 1.0);

    let mut outcome = Outcome { booked: Some(booked), ..Outcome::default() };
    let mut events = Vec::new();
    if let Some((appointment_at, days, strong_commitment, repetitions)) = appointment {
        outcome.appointment_at = Some(appointment_at);
        outcome.days_to_appointment = Some(days);
        let show_up_logit = plan::SHOW_UP_BASE_LOGIT
            + strengths.show_up
                * (if strong_commitment { plan::STRONG_COMMITMENT_EFFECT } else { plan::WEAK_COMMITMENT_EFFECT }
                    + plan::CONFIRMATION_EFFECT_PER_REPETITION * (f64::from(repetitions) - 1.5)
                    + plan::DAYS_TO_APPOINTMENT_EFFECT_PER_DAY * (days - 5.0));
        let shows_up = rng.random_bool(sigmoid(show_up_logit));
        let confirmed = rng.random_bool(if shows_up { 0.85 } else { 0.35 });
        let converts = shows_up && rng.random_bool(0.45);
        let revenue_factor: f64 = rand_distr::LogNormal::new(0.0, 0.3).expect("valid").sample(rng);
        let revenue = (1_200.0 * revenue_factor).round();
        realized
            .entry("show_up_by_commitment".into())
            .or_default()
            .entry(if strong_commitment { "strong" } else { "weak" }.into())
            .or_default()
            .add(shows_up);
        realized
            .entry("show_up_by_confirmations".into())
            .or_default()
            .entry(repetitions.to_string())
            .or_default()
            .add(shows_up);

        let mut event = |suffix: &str, at: DateTime<Utc>, outcome: Outcome| {
            if at < context.end {
                events.push(OutcomeEvent {
                    record_type: OutcomeTag,
                    id: format!("{id}-{suffix}"),
                    tenant: None,
                    call_id: Some(id.clone()),
                    lead_id: None,
                    at,
                    outcome,
                    lead_status: None,
                });
            }
        };
        event(
            "confirmed",
            started_at + Duration::hours(rng.random_range(18..30)),
            Outcome { confirmed: Some(confirmed), ..Outcome::default() },
        );
        event(
            "attended",
            appointment_at + Duration::hours(1),
            Outcome { showed_up: Some(shows_up), ..Outcome::default() },
        );
        if shows_up {
            let converted_outcome = Outcome {
                converted: Some(converts),
                revenue: Some(if converts { revenue } else { 0.0 }),
                ..Outcome::default()
            };
            event("closed", appointment_at + Duration::days(rng.random_range(3..21)), converted_outcome);
        }
    }
    realized.entry("booked_by_variant".into()).or_default().entry(variant.into()).or_default().add(booked);
    realized
        .entry("booked_by_week_script".into())
        .or_default()
        .entry(format!("week{}/{}", week + 1, script_version))
        .or_default()
        .add(booked);
    realized.entry("status".into()).or_default().entry(status.as_str().into()).or_default().add(booked);

    let mut attributes = Attributes::new();
    attributes.insert("platform".into(), AttributeValue::String(platform.into()));
    attributes.insert(
        "phone_type".into(),
        AttributeValue::String(if rng.random_bool(0.7) { "mobile" } else { "landline" }.into()),
    );

    let call = Call {
        record_type: CallTag,
        id,
        tenant: None,
        campaign: context.campaign.to_string(),
        lead_id: lead.map(|lead| lead.id.clone()),
        agent: agent.to_string(),
        script_version: script_version.to_string(),
        variant: Some(variant.to_string()),
        started_at,
        duration_s,
        status,
        drop_off_stage,
        escalation_reason,
        compliance_flags,
        sentiment: Some((sentiment * 100.0).round() / 100.0),
        turns: transcript.finish(),
        outcome,
        attributes,
    };
    GeneratedCall { call, events, pii: pii_plants }
}

/// Ends the stage with an escalation or a drop when fate says so.
fn stage_exit(
    stage: &'static str,
    escalation: Option<(&'static str, usize)>,
    drop_hazard: f64,
    transcript: &mut TranscriptBuilder,
    rng: &mut impl Rng,
) -> Option<Ending> {
    if let Some((escalation_stage, reason_index)) = escalation
        && escalation_stage == stage
    {
        let (reason, line) = vocab::ESCALATION_USER[reason_index];
        transcript.user(stage, line, rng);
        transcript.agent(stage, vocab::ESCALATION_AGENT.choose(rng).expect("non-empty"), rng);
        return Some(Ending::Escalated(reason));
    }
    if rng.random_bool(drop_hazard.clamp(0.0, 1.0)) {
        transcript.user(stage, vocab::DROP_LINES.choose(rng).expect("non-empty"), rng);
        return Some(Ending::Dropped(stage));
    }
    None
}

/// An agent line that, about two times in five per planted phrase, carries one of the stage's
/// planted phrases; returns the line and the phrase's base effect.
fn agent_line_with_phrase(stage: &str, neutral: &str, rng: &mut impl Rng) -> (String, f64) {
    let planted: Vec<&(&str, &str, f64)> = plan::PHRASES.iter().filter(|(s, _, _)| *s == stage).collect();
    let roll: f64 = rng.random();
    let each = 0.2;
    let chosen = (roll < each * planted.len() as f64).then(|| planted[(roll / each) as usize]);
    match chosen {
        Some((_, phrase, effect)) => (format!("{}. {neutral}", sentence_case(phrase)), *effect),
        None => (neutral.to_string(), 0.0),
    }
}

/// Capitalises the first letter and the pronoun "I" (`i'll`, `i'm`, `i`), as a transcript would.
fn sentence_case(phrase: &str) -> String {
    let words: Vec<String> = phrase
        .split(' ')
        .enumerate()
        .map(|(position, word)| {
            let is_pronoun = word == "i" || word.starts_with("i'");
            if position == 0 || is_pronoun {
                let mut chars = word.chars();
                chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
            } else {
                word.to_string()
            }
        })
        .collect();
    words.join(" ")
}

/// The confirmation stage of a booked call: picks the slot, repeats it 0–3 times, takes contact
/// details, hears the person's commitment. Returns (appointment time, days to it, strong
/// commitment, repetitions).
fn confirmation(
    call_id: &str,
    started_at: DateTime<Utc>,
    fill: &dyn Fn(&str) -> String,
    transcript: &mut TranscriptBuilder,
    pii_plants: &mut Vec<PiiPlant>,
    (first, last): (&str, &str),
    rng: &mut impl Rng,
) -> (DateTime<Utc>, f64, bool, u32) {
    let stage = "confirmation";
    let days = [1i64, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14]
        [WeightedIndex::new([8.0, 10.0, 9.0, 8.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 2.0]).expect("weights").sample(rng)];
    let hour = rng.random_range(9..=16);
    let mut appointment_at = at_time(started_at.date_naive(), days, hour, if rng.random_bool(0.5) { 0 } else { 30 });
    // Appointments fall on weekdays.
    while matches!(appointment_at.weekday(), Weekday::Sat | Weekday::Sun) {
        appointment_at += Duration::days(1);
    }
    let days_to = (appointment_at.date_naive() - started_at.date_naive()).num_days() as f64;
    let day_name = appointment_at.format("%A").to_string();
    let time = appointment_at.format("%-I:%M %p").to_string();
    let with_slot = |text: &str| fill(text).replace("{day}", &day_name).replace("{time}", &time);

    transcript.agent(stage, &with_slot("I have {day} at {time} open, would that work for you?"), rng);
    // Verbatim: a filler in front would lowercase the day's name.
    transcript.user_verbatim(stage, with_slot("{day} at {time} works."), rng);
    let repetitions = rng.random_range(0..=3u32);
    let mut lines: Vec<&str> = vocab::CONFIRMATION_LINES.to_vec();
    lines.shuffle(rng);
    for line in lines.iter().take(repetitions as usize) {
        transcript.agent(stage, &with_slot(line), rng);
        transcript.user(stage, vocab::USER_ACKS.choose(rng).expect("non-empty"), rng);
    }
    if rng.random_bool(0.5) {
        transcript.agent(stage, "What's the best number to send a reminder to?", rng);
        let (kind, value) = if rng.random_bool(0.5) {
            ("phone", pii::phone_digits(rng))
        } else {
            ("phone_spoken", pii::phone_spoken(rng))
        };
        pii_plants.push(PiiPlant {
            call_id: call_id.to_string(),
            turn: transcript.next_index(),
            kind: kind.into(),
            value: value.clone(),
        });
        transcript.user_verbatim(stage, format!("Sure, it's {value}."), rng);
    }
    if rng.random_bool(0.3) {
        transcript.agent(stage, "And what email should the invite go to?", rng);
        let email = pii::email(first, last, rng);
        pii_plants.push(PiiPlant {
            call_id: call_id.to_string(),
            turn: transcript.next_index(),
            kind: "email".into(),
            value: email.clone(),
        });
        transcript.user_verbatim(stage, format!("You can send it to {email}."), rng);
    }
    if rng.random_bool(0.03) {
        transcript.agent(stage, "We hold the slot with a small refundable deposit, is that okay?", rng);
        let card = pii::card_number(rng);
        pii_plants.push(PiiPlant {
            call_id: call_id.to_string(),
            turn: transcript.next_index(),
            kind: "card".into(),
            value: card.clone(),
        });
        transcript.user_verbatim(stage, format!("Okay, my card number is {card}."), rng);
    }
    let strong = rng.random_bool(0.55);
    let commitment = if strong { vocab::COMMITMENT_STRONG } else { vocab::COMMITMENT_WEAK };
    transcript.user(stage, commitment.choose(rng).expect("non-empty"), rng);
    transcript.agent(stage, &fill(vocab::GOODBYES_AGENT.choose(rng).expect("non-empty")), rng);
    transcript.user(stage, vocab::GOODBYES_USER.choose(rng).expect("non-empty"), rng);
    (appointment_at, days_to, strong, repetitions)
}
