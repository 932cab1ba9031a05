//! The planted effects: what drives outcomes in the simulated world.
//!
//! Every effect is a shift on the log-odds scale of the outcome it drives, multiplied by the
//! strength of its family in [`Strengths`]. At strength 0 the effect is exactly zero: the feature
//! still varies (phrases are still said, emails still go out on Fridays) but outcomes ignore it, so a
//! learner that reports it is inventing a finding. The same numbers are written to `truth.json`.

use serde::{Deserialize, Serialize};

/// How strongly each family of planted effects acts; 1.0 is the default, 0.0 turns a family off.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Strengths {
    /// Winning and losing agent phrases per stage.
    pub phrases: f64,
    /// Question count, agent verbosity (talk ratio), confirmation repetitions.
    pub structure: f64,
    /// Objection-response strategies.
    pub objections: f64,
    /// Lead titles, industries, company size, timing signals (on outreach and on calls).
    pub lead_fit: f64,
    /// Send day, hour, touch position, gaps between touches.
    pub timing: f64,
    /// Channels and sequences.
    pub channels: f64,
    /// Subject lines, pain points, CTAs, angles, length, personalization.
    pub content: f64,
    /// Commitment language, confirmations and days to appointment on show-up.
    pub show_up: f64,
    /// The last week's script-version regression.
    pub decline: f64,
    /// The experiment variant's lift.
    pub experiment: f64,
    /// The compliance-lapse concentration in one agent.
    pub compliance: f64,
    /// What makes a lead a strong voice-AI prospect: its phone operation, its size.
    pub voice_ai_fit: f64,
}

impl Default for Strengths {
    fn default() -> Self {
        Strengths::all(1.0)
    }
}

impl Strengths {
    /// Every family at `strength`.
    pub fn all(strength: f64) -> Self {
        Strengths {
            phrases: strength,
            structure: strength,
            objections: strength,
            lead_fit: strength,
            timing: strength,
            channels: strength,
            content: strength,
            show_up: strength,
            decline: strength,
            experiment: strength,
            compliance: strength,
            voice_ai_fit: strength,
        }
    }
}

/// Base (strength-1) phrase effects. Each is said in about a fifth of the calls reaching its stage.
pub const PHRASES: &[(&str, &str, f64)] = &[
    ("hook", "the reason i'm calling is simple", 0.55),
    ("hook", "i'll be brief because i know you're busy", 0.45),
    ("hook", "sorry to bother you", -0.5),
    ("value_presentation", "clients in your area booked twenty percent more appointments", 0.6),
    ("value_presentation", "you only pay for appointments that actually happen", 0.5),
    ("value_presentation", "our revolutionary industry leading platform", -0.55),
    ("closing", "which works better for you tuesday or thursday", 0.6),
    ("closing", "i'll send the calendar invite while we're on the phone", 0.45),
    ("closing", "no pressure at all whenever you get around to it", -0.5),
];

/// Said more often to high-fit leads, with no effect of its own: a phrase a naive miner would
/// credit for what the lead brought.
pub const CONFOUNDED_PHRASE: (&str, &str) = ("qualification", "since you're the one who makes the call on this");

/// A response strategy: (name, the agent's line, base effect on booking).
pub type ResponseStrategy = (&'static str, &'static str, f64);

/// An objection type: (name, what callers say, the three response strategies).
pub type Objection = (&'static str, &'static [&'static str], [ResponseStrategy; 3]);

/// Objection types and the three response strategies for each.
pub const OBJECTIONS: &[Objection] = &[
    (
        "price",
        &[
            "That sounds expensive, what does it cost?",
            "Honestly we don't have the budget for another tool.",
            "How much is this going to run me?",
        ],
        [
            (
                "acknowledge_and_reframe",
                "That's fair. Most clients find it pays for itself with two extra appointments a month.",
                0.7,
            ),
            ("offer_discount", "I can check whether there's a discount available for you.", 0.0),
            ("dismiss", "It's really not that expensive compared to everything else.", -0.6),
        ],
    ),
    (
        "timing",
        &[
            "Now's really not a good time for us.",
            "Can you call me back in a few months?",
            "We're slammed this quarter.",
        ],
        [
            ("small_next_step", "Totally understand. How about we hold a short slot next week, no commitment?", 0.7),
            ("follow_up_later", "No problem, I can follow up with you in a few weeks.", 0.0),
            ("pressure", "This offer really ends this week, so it's best to decide now.", -0.6),
        ],
    ),
    (
        "authority",
        &[
            "I'd need to run this by my partner first.",
            "I'm not the one who decides on this.",
            "My boss handles these decisions.",
        ],
        [
            ("include_decision_maker", "Makes sense. Would it help to invite them to the call as well?", 0.7),
            ("send_information", "I can email you some information to pass along.", 0.0),
            ("bypass", "You could probably just go ahead and decide this yourself, right?", -0.6),
        ],
    ),
    (
        "need",
        &["I don't think we really need this.", "We're doing fine with what we have.", "I'm not sure this is for us."],
        [
            ("impact_question", "Fair enough. Out of curiosity, how many calls go unanswered in a typical week?", 0.7),
            ("restate_value", "Well, we help businesses get more appointments booked.", 0.0),
            ("argue", "Every business needs this, you're leaving money on the table.", -0.6),
        ],
    ),
    (
        "competitor",
        &[
            "We already use another service for this.",
            "We're working with one of your competitors.",
            "We signed with someone else last year.",
        ],
        [
            (
                "differentiate",
                "Good to hear. A lot of our clients switched because we answer within a minute, around the clock.",
                0.7,
            ),
            ("match_features", "We have all the same features they do.", 0.0),
            ("disparage", "Honestly they're not very good, people complain about them all the time.", -0.6),
        ],
    ),
    (
        "trust",
        &[
            "How do I know this actually works?",
            "I've never heard of your company.",
            "This sounds too good to be true.",
        ],
        [
            (
                "social_proof",
                "I get it. We work with over two hundred businesses nearby and I'm happy to share references.",
                0.7,
            ),
            ("guarantee_claim", "It works, I promise.", 0.0),
            ("insist", "Trust me, you really should just try it.", -0.6),
        ],
    ),
];

/// Lead-fit effects on booking, per category: (category, base effect).
pub const TITLE_EFFECTS: &[(&str, f64)] = &[
    ("CEO", 0.3),
    ("Owner", 0.2),
    ("Marketing Director", 0.6),
    ("VP of Sales", 0.1),
    ("Office Manager", -0.2),
    ("Operations Manager", 0.0),
    ("Practice Administrator", -0.1),
    ("Marketing Coordinator", -0.5),
];
pub const INDUSTRY_EFFECTS: &[(&str, f64)] = &[
    ("Dental", 0.7),
    ("Legal", 0.2),
    ("Real Estate", 0.0),
    ("Insurance", -0.2),
    ("Home Services", 0.1),
    ("Healthcare", 0.2),
    ("Accounting", -0.1),
    ("SaaS", -0.45),
];
/// How a company talks to its customers, as its description says: (use case, the description's
/// sentence, effect on the log-odds that the lead is labelled a strong voice-AI prospect). Each is
/// equally likely. The phone-heavy sentences carry words the lead features count as voice-AI
/// signals ("contact center", "call center", "IVR"); the others carry none.
pub const VOICE_AI_USE_CASES: &[(&str, &str, f64)] = &[
    ("contact_center", "Its contact center answers thousands of calls a week.", 2.2),
    ("call_center", "It runs a small call center for bookings and reminders.", 1.6),
    ("ivr", "Callers reach it through an old IVR menu.", 1.2),
    ("web_chat", "It serves customers by email and web chat.", -0.6),
    ("field_sales", "Its sales team meets customers in person.", -1.0),
    ("unstated", "", 0.0),
];
/// Log-odds of a voice-AI-fit label before the use case and size.
pub const VOICE_AI_FIT_BASE: f64 = -1.0;
/// Voice-AI fit per step up `vocab::SIZE_RANGES` (larger companies answer more calls).
pub const VOICE_AI_FIT_PER_SIZE_STEP: f64 = 0.35;
/// By index into `vocab::SIZE_RANGES`.
pub const SIZE_EFFECTS: &[f64] = &[-0.4, 0.0, 0.55, 0.1, -0.2, -0.4];
/// (signal, prevalence, base effect).
pub const TIMING_SIGNALS: &[(&str, f64, f64)] =
    &[("new_role", 0.15, 0.5), ("hiring", 0.30, 0.3), ("funded", 0.10, 0.6)];

/// Send-time effects on a touch converting. Monday = index 0.
pub const DAY_EFFECTS: [f64; 7] = [0.0, 0.45, 0.1, 0.05, -0.25, -0.5, -0.5];
/// Share of sends on each weekday (teams rarely send at weekends).
pub const DAY_SEND_WEIGHTS: [f64; 7] = [1.0, 1.0, 1.0, 1.0, 1.0, 0.15, 0.1];
/// Hours 8..=18 local.
pub const HOUR_EFFECTS: [(u32, f64); 11] = [
    (8, -0.1),
    (9, 0.1),
    (10, 0.5),
    (11, 0.05),
    (12, -0.15),
    (13, -0.05),
    (14, 0.1),
    (15, 0.1),
    (16, 0.0),
    (17, -0.2),
    (18, -0.3),
];
/// Touch position 1..=4 (a lead's sequence has four touches).
pub const TOUCH_POSITION_EFFECTS: [f64; 4] = [-0.25, 0.1, 0.35, 0.05];
/// (gap in days since the previous touch, base effect).
pub const GAP_EFFECTS: &[(i64, f64)] = &[(1, -0.25), (2, 0.0), (3, 0.3), (4, 0.25), (5, 0.0), (7, -0.1)];
/// Per-touch effect of the channel used.
pub const CHANNEL_EFFECTS: &[(&str, f64)] = &[("email", 0.0), ("linkedin", 0.15), ("sms", -0.1), ("voice", 0.35)];
/// Extra per-touch effect of each sequence in `vocab::SEQUENCES`, for what the order adds.
pub const SEQUENCE_BONUS: [f64; 5] = [-0.1, 0.05, 0.45, 0.0, -0.1];
/// Voice touches work better on tier-A leads.
pub const VOICE_TIER_A_BONUS: f64 = 0.35;

/// Content effects (email subjects by index into `vocab::SUBJECTS`; the rest by name). Per family,
/// the best sits about 0.4 on the log-odds scale above the runner-up: with ~1,500 touches per
/// category at the default size, that is about three standard errors, so the best is recoverable
/// (timing and lead-fit tables follow the same rule).
pub const SUBJECT_EFFECTS: [f64; 7] = [0.4, 0.25, 0.1, -0.45, -0.3, 0.0, 0.05];
pub const PAIN_POINT_EFFECTS: &[(&str, f64)] = &[
    ("leads", 0.5),
    ("revenue", 0.1),
    ("time", 0.05),
    ("scaling", 0.0),
    ("competition", -0.1),
    ("cost", -0.25),
    ("quality", 0.0),
];
pub const CTA_EFFECTS: &[(&str, f64)] = &[
    ("open to a quick chat", 0.05),
    ("worth 15 minutes", 0.45),
    ("free audit", 0.0),
    ("schedule a call", -0.1),
    ("let me know", -0.35),
    ("happy to share", 0.0),
];
pub const ANGLE_EFFECTS: &[(&str, f64)] =
    &[("roi_focused", 0.15), ("social_proof", 0.1), ("curiosity", 0.25), ("fear_based", -0.3), ("value_add", 0.0)];
/// Optimal body length per channel (min, max words); inside: +0.25, more than double the max: −0.3.
pub const LENGTH_BANDS: &[(&str, u32, u32)] = &[("email", 50, 100), ("linkedin", 20, 50), ("sms", 10, 30)];
pub const LENGTH_INSIDE_EFFECT: f64 = 0.25;
pub const LENGTH_TOO_LONG_EFFECT: f64 = -0.3;
/// Per level of personalization (0–5).
pub const PERSONALIZATION_EFFECT_PER_LEVEL: f64 = 0.08;

/// Structure effects on booking.
pub const QUESTION_EFFECT_PER_QUESTION: f64 = 0.18;
/// Questions past this count add nothing.
pub const QUESTION_EFFECT_CAP: u32 = 5;
/// Per verbosity level (0 terse, 1 normal, 2 long-winded): more agent talk, fewer bookings.
pub const VERBOSITY_EFFECT_PER_LEVEL: f64 = -0.35;

/// Show-up effects.
pub const SHOW_UP_BASE_LOGIT: f64 = 0.5;
pub const STRONG_COMMITMENT_EFFECT: f64 = 0.9;
pub const WEAK_COMMITMENT_EFFECT: f64 = -0.6;
pub const CONFIRMATION_EFFECT_PER_REPETITION: f64 = 0.45;
pub const DAYS_TO_APPOINTMENT_EFFECT_PER_DAY: f64 = -0.12;

/// Experiment: variant B's booking lift.
pub const EXPERIMENT_LIFT: f64 = 0.3;

/// Decline: in the last week a new script version takes most calls and loses people in one stage.
pub const DECLINE_SCRIPT: &str = "v2.0";
pub const DECLINE_STAGE: &str = "value_presentation";
pub const DECLINE_SHARE_OF_CALLS: f64 = 0.7;
pub const DECLINE_EXTRA_DROP_HAZARD: f64 = 0.4;

/// Compliance: a base lapse rate everywhere plus a concentration in one agent (both scaled by the
/// compliance strength).
pub const COMPLIANCE_BASE_RATE: f64 = 0.005;
pub const COMPLIANCE_AGENT: &str = "bot-gamma";
pub const COMPLIANCE_AGENT_EXTRA_RATE: f64 = 0.03;
pub const COMPLIANCE_RULE: &str = "disclosure_required";

/// Per-stage drop hazards (the chance a call that reaches the stage ends in it). Together about
/// 16% of calls drop in a healthy week: under the spec's 20% drop-off threshold, as a campaign
/// with nothing wrong should be.
pub const DROP_HAZARDS: &[(&str, f64)] = &[
    ("hook", 0.06),
    ("qualification", 0.04),
    ("value_presentation", 0.04),
    ("objection_handling", 0.05),
    ("closing", 0.02),
];
pub const TECHNICAL_FAILURE_RATE: f64 = 0.03;
pub const ESCALATION_RATE: f64 = 0.06;
/// (reason, share of escalations).
pub const ESCALATION_REASONS: &[(&str, f64)] =
    &[("requested_human", 0.4), ("pricing_question", 0.25), ("complaint", 0.15), ("technical_question", 0.2)];
pub const OBJECTION_RATE: f64 = 0.45;

/// Booking base log-odds for a completed call, before any effect.
pub const BOOKING_BASE_LOGIT: f64 = -0.8;
/// Base per-touch log-odds of an outreach touch converting the lead.
pub const TOUCH_BASE_LOGIT: f64 = -3.9;
/// How much of a lead's fit carries over to calls with that lead.
pub const LEAD_FIT_ON_CALLS: f64 = 0.5;

/// Looks up a named effect; the tables are small, a linear scan is the clearest.
pub fn effect_of(table: &[(&str, f64)], name: &str) -> f64 {
    table.iter().find(|(key, _)| *key == name).map(|(_, effect)| *effect).unwrap_or(0.0)
}

/// The logistic function.
pub fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}
