//! The cue phrases transcript analytics looks for, compiled into one automaton.
//!
//! Every rule of [`crate::conversation`] that depends on wording (question types, objection
//! types, response strategies, fillers, enthusiasm, commitment, confirmations, BANT
//! qualification, stage cues) is a
//! list of phrases here. All lists are matched in a single pass over each turn (Aho-Corasick,
//! ASCII case-insensitive, whole words only), so adding phrases does not slow analysis down.
//! [`Lexicon::new`] takes the stage cues, which campaigns configure; the rest are the defaults
//! below, written for English sales calls.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

/// What a matched phrase is evidence of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Cue {
    Filler,
    Enthusiasm,
    CommitmentStrong,
    CommitmentWeak,
    Agreement,
    Decline,
    Confirmation,
    QuestionConfirmation,
    QuestionClosing,
    QuestionNeedPayoff,
    QuestionImplication,
    QuestionProblem,
    QuestionSituation,
    QuestionOpen,
    Objection(ObjectionKind),
    ResponseAcknowledge,
    ResponseSocialProof,
    ResponseReframe,
    ResponseDefer,
    Bant(BantDimension),
    /// Index into the stage cue lists.
    Stage(usize),
}

/// What a prospect's objection is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectionKind {
    /// Too expensive, no budget.
    Price,
    /// Not now, bad time, call back later.
    Timing,
    /// Someone else decides.
    Authority,
    /// Does not need it, not interested.
    Need,
    /// Already uses another provider.
    Competitor,
    /// Doubts the caller or the offer.
    Trust,
}

/// A dimension of BANT qualification: what a call must learn about a prospect before a sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BantDimension {
    /// What they can spend.
    Budget,
    /// Who decides.
    Authority,
    /// The problem to solve.
    Need,
    /// When they want it solved.
    Timeline,
}

impl BantDimension {
    /// Every dimension, in the acronym's order.
    pub const ALL: [BantDimension; 4] =
        [BantDimension::Budget, BantDimension::Authority, BantDimension::Need, BantDimension::Timeline];

    /// The dimension's name.
    pub fn as_str(self) -> &'static str {
        match self {
            BantDimension::Budget => "budget",
            BantDimension::Authority => "authority",
            BantDimension::Need => "need",
            BantDimension::Timeline => "timeline",
        }
    }
}

// Words that put a BANT dimension on the table, whoever says them: the agent asking ("what budget
// have you set aside?") and the prospect answering ("it's really just me, I decide") both cover it.
const BANT_BUDGET: &[&str] =
    &["budget", "budgets", "afford", "price", "pricing", "cost", "costs", "spend", "invest", "investment"];
const BANT_AUTHORITY: &[&str] = &[
    "decide",
    "decides",
    "decision",
    "decisions",
    "sign off",
    "approve",
    "approval",
    "in charge",
    "my partner",
    "my boss",
    "my manager",
    "loop in",
];
const BANT_NEED: &[&str] = &[
    "problem",
    "problems",
    "struggle",
    "struggling",
    "challenge",
    "challenges",
    "losing",
    "lost",
    "missed",
    "missing",
    "pain",
    "fix",
    "burned out",
    "stretched",
];
const BANT_TIMELINE: &[&str] = &[
    "timeline",
    "deadline",
    "asap",
    "right away",
    "soon",
    "sooner",
    "this week",
    "next week",
    "this month",
    "next month",
    "this quarter",
    "end of the quarter",
];

const FILLERS: &[&str] = &["um", "uh", "erm", "hmm", "you know", "i mean", "like,", "sort of", "kind of"];
const ENTHUSIASM: &[&str] =
    &["great", "awesome", "fantastic", "excellent", "love", "perfect", "wonderful", "exciting", "amazing", "glad"];
const COMMITMENT_STRONG: &[&str] = &[
    "i'll be there",
    "definitely",
    "absolutely",
    "count me in",
    "let's do it",
    "looking forward",
    "sounds great",
    "i will be there",
    "for sure",
    "see you then",
];
const COMMITMENT_WEAK: &[&str] =
    &["maybe", "i'll try", "probably", "might", "we'll see", "i guess", "not sure", "possibly", "if i can"];
const AGREEMENT: &[&str] = &[
    "that works",
    "let's do it",
    "sounds fine",
    "go ahead",
    "let's set it up",
    "works for me",
    "sign me up",
    "yes please",
    "i'm in",
    "let's book",
];
const DECLINE: &[&str] = &[
    "i'll pass",
    "i think i'll pass",
    "not interested",
    "think about it",
    "get back to you",
    "no thanks",
    "no thank you",
    "not right now",
    "not for us",
];
const CONFIRMATION: &[&str] = &[
    "just to confirm",
    "to confirm",
    "confirming",
    "you're all set",
    "you're booked",
    "we're all set",
    "see you on",
    "i'll send a reminder",
    "i'll send you a reminder",
    "i've got you down",
    "you're confirmed",
];
const QUESTION_CONFIRMATION: &[&str] =
    &["is that right", "is that correct", "does that sound right", "did i get that right", "can you confirm"];
const QUESTION_CLOSING: &[&str] = &[
    "would you like to",
    "can i book",
    "shall we",
    "should we set up",
    "can we schedule",
    "would that work",
    "does that work",
    "are you ready",
    "want to get started",
    "can i put you down",
    "open, would",
    "would you be open to",
    "can we set up",
    "how about we",
    "make sense to book",
    "get something on the calendar",
];
const QUESTION_NEED_PAYOFF: &[&str] = &[
    "how would it help",
    "what would it mean",
    "would it be useful",
    "would it help",
    "how much would",
    "what if you could",
    "would that help",
    "how valuable",
];
const QUESTION_IMPLICATION: &[&str] = &[
    "what happens when",
    "what happens if",
    "how does that affect",
    "what does that cost",
    "what would happen",
    "impact",
    "how much does that",
];
const QUESTION_PROBLEM: &[&str] = &[
    "challenge",
    "problem",
    "struggle",
    "difficult",
    "frustrat",
    "biggest issue",
    "pain",
    "hardest",
    "what's not working",
];
const QUESTION_SITUATION: &[&str] = &[
    "how many",
    "how long",
    "what do you use",
    "currently",
    "tell me about",
    "what kind of",
    "how do you handle",
    "how often",
    "do you have",
];
const QUESTION_OPEN: &[&str] = &["what", "how", "why", "tell me", "describe", "walk me through"];
const OBJECTION_PRICE: &[&str] = &["expensive", "too much", "cost", "price", "budget", "afford", "cheaper", "pricey"];
const OBJECTION_TIMING: &[&str] = &[
    "not right now",
    "bad time",
    "busy",
    "call me back",
    "next quarter",
    "next year",
    "not a priority",
    "later",
    "not a good time",
];
const OBJECTION_AUTHORITY: &[&str] = &[
    "my boss",
    "my manager",
    "my partner",
    "need to check with",
    "talk to my",
    "run it by",
    "not my call",
    "not my decision",
    "the owner",
];
const OBJECTION_NEED: &[&str] =
    &["don't need", "not interested", "we're fine", "happy with what", "no need", "doesn't apply", "we're good"];
const OBJECTION_COMPETITOR: &[&str] = &[
    "already use",
    "already have",
    "another vendor",
    "competitor",
    "signed with",
    "contract with",
    "already working with",
];
const OBJECTION_TRUST: &[&str] =
    &["scam", "never heard of", "how do i know", "too good to be true", "spam", "trust", "legit", "how did you get"];
const RESPONSE_ACKNOWLEDGE: &[&str] = &[
    "i understand",
    "i hear you",
    "that makes sense",
    "totally fair",
    "fair enough",
    "i get that",
    "good question",
    "completely understand",
];
const RESPONSE_SOCIAL_PROOF: &[&str] =
    &["our clients", "our customers", "companies like", "businesses like", "other teams", "most of our"];
const RESPONSE_REFRAME: &[&str] =
    &["actually", "what we've found", "the reason", "the way to think", "in fact", "pays for itself"];
const RESPONSE_DEFER: &[&str] = &["no problem", "i'll call back", "of course", "no worries", "i'll follow up"];

/// Default stage cues: phrases an agent says when a stage begins, for transcripts whose turns
/// carry no stage label. (`objection_handling` begins when the prospect objects.)
pub const DEFAULT_STAGE_CUES: &[(&str, &[&str])] = &[
    ("hook", &[]),
    (
        "qualification",
        &["learn a little about", "tell me about", "how many", "can i ask", "how do you currently", "what do you use"],
    ),
    (
        "value_presentation",
        &["we help", "what we do", "our platform", "our service", "we've helped", "the way it works", "what makes us"],
    ),
    ("objection_handling", &[]),
    ("closing", &["would you like to", "can i book", "let's get you", "set up a time", "open, would", "how about"]),
    ("confirmation", &["just to confirm", "you're all set", "you're booked", "see you on", "reminder"]),
];

/// The compiled cue lists.
#[derive(Debug, Clone)]
pub(crate) struct Lexicon {
    automaton: AhoCorasick,
    cues: Vec<Cue>,
}

/// One cue found in a text: what, and where (bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found {
    pub(crate) cue: Cue,
    pub(crate) start: usize,
}

impl Lexicon {
    /// Compiles the default lists plus `stage_cues` (one list per stage, in stage order).
    pub(crate) fn new(stage_cues: &[Vec<String>]) -> Lexicon {
        let mut phrases: Vec<String> = Vec::new();
        let mut cues = Vec::new();
        let mut add = |list: &[&str], cue: Cue| {
            for phrase in list {
                phrases.push(phrase.to_string());
                cues.push(cue);
            }
        };
        add(FILLERS, Cue::Filler);
        add(ENTHUSIASM, Cue::Enthusiasm);
        add(COMMITMENT_STRONG, Cue::CommitmentStrong);
        add(COMMITMENT_WEAK, Cue::CommitmentWeak);
        add(AGREEMENT, Cue::Agreement);
        add(DECLINE, Cue::Decline);
        add(CONFIRMATION, Cue::Confirmation);
        add(QUESTION_CONFIRMATION, Cue::QuestionConfirmation);
        add(QUESTION_CLOSING, Cue::QuestionClosing);
        add(QUESTION_NEED_PAYOFF, Cue::QuestionNeedPayoff);
        add(QUESTION_IMPLICATION, Cue::QuestionImplication);
        add(QUESTION_PROBLEM, Cue::QuestionProblem);
        add(QUESTION_SITUATION, Cue::QuestionSituation);
        add(QUESTION_OPEN, Cue::QuestionOpen);
        add(OBJECTION_PRICE, Cue::Objection(ObjectionKind::Price));
        add(OBJECTION_TIMING, Cue::Objection(ObjectionKind::Timing));
        add(OBJECTION_AUTHORITY, Cue::Objection(ObjectionKind::Authority));
        add(OBJECTION_NEED, Cue::Objection(ObjectionKind::Need));
        add(OBJECTION_COMPETITOR, Cue::Objection(ObjectionKind::Competitor));
        add(OBJECTION_TRUST, Cue::Objection(ObjectionKind::Trust));
        add(RESPONSE_ACKNOWLEDGE, Cue::ResponseAcknowledge);
        add(RESPONSE_SOCIAL_PROOF, Cue::ResponseSocialProof);
        add(RESPONSE_REFRAME, Cue::ResponseReframe);
        add(RESPONSE_DEFER, Cue::ResponseDefer);
        add(BANT_BUDGET, Cue::Bant(BantDimension::Budget));
        add(BANT_AUTHORITY, Cue::Bant(BantDimension::Authority));
        add(BANT_NEED, Cue::Bant(BantDimension::Need));
        add(BANT_TIMELINE, Cue::Bant(BantDimension::Timeline));
        for (index, list) in stage_cues.iter().enumerate() {
            for phrase in list {
                phrases.push(phrase.to_lowercase());
                cues.push(Cue::Stage(index));
            }
        }
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&phrases)
            .expect("cue phrases are plain strings");
        Lexicon { automaton, cues }
    }

    /// Every cue in `text` that stands as whole words (a phrase ending in a word fragment such
    /// as "frustrat" matches any word it begins), overlapping matches included.
    pub(crate) fn find(&self, text: &str) -> Vec<Found> {
        let bytes = text.as_bytes();
        let is_word_byte = |byte: u8| byte.is_ascii_alphanumeric() || byte == b'\'' || byte >= 0x80;
        self.automaton
            .find_overlapping_iter(text)
            .filter(|found| {
                let starts_word = found.start() == 0 || !is_word_byte(bytes[found.start() - 1]);
                let phrase_end = bytes[found.end() - 1];
                let ends_word = found.end() == bytes.len()
                    || !is_word_byte(bytes[found.end()])
                    || !phrase_end.is_ascii_alphanumeric()
                    || self.cues[found.pattern().as_usize()] == Cue::QuestionProblem;
                starts_word && ends_word
            })
            .map(|found| Found { cue: self.cues[found.pattern().as_usize()], start: found.start() })
            .collect()
    }
}
