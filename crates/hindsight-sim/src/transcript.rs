//! Turn-by-turn transcript building with realistic timing.
//!
//! Speech rates, pauses and interruptions follow what call-analytics vendors publish for sales
//! calls: agents at ~160 words per minute, callers a little slower and more variable, pauses of
//! about half a second between speakers, and the occasional caller cutting in before the agent has
//! finished (the agent's turn is then cut short and the turns overlap).

use hindsight_model::{Speaker, Stage, Turn};
use rand::Rng;
use rand::seq::IndexedRandom;
use rand_distr::{Distribution, Normal};

use crate::vocab::{AGENT_FILLERS, USER_FILLERS};

/// Builds one call's turns, keeping the clock.
pub struct TranscriptBuilder {
    turns: Vec<Turn>,
    clock_s: f64,
    label_stages: bool,
    agent_words_per_s: f64,
    user_words_per_s: f64,
    pause: Normal<f64>,
}

impl TranscriptBuilder {
    /// A new, empty transcript. `label_stages` says whether the platform tags turns with stages.
    pub fn new(label_stages: bool, rng: &mut impl Rng) -> Self {
        let agent_rate: f64 = Normal::new(2.7, 0.15).expect("valid normal").sample(rng);
        let user_rate: f64 = Normal::new(2.4, 0.35).expect("valid normal").sample(rng);
        TranscriptBuilder {
            turns: Vec::with_capacity(48),
            clock_s: rng.random_range(0.4..2.0),
            label_stages,
            agent_words_per_s: agent_rate.clamp(2.0, 3.4),
            user_words_per_s: user_rate.clamp(1.4, 3.4),
            pause: Normal::new(0.6, 0.3).expect("valid normal"),
        }
    }

    /// Index the next turn will have.
    pub fn next_index(&self) -> usize {
        self.turns.len()
    }

    /// Adds an agent turn.
    pub fn agent(&mut self, stage: &str, text: &str, rng: &mut impl Rng) {
        let text = with_filler(text, AGENT_FILLERS, 0.08, rng);
        self.push(Speaker::Agent, stage, text, rng);
    }

    /// Adds a user turn; people fill their speech more than bots do.
    pub fn user(&mut self, stage: &str, text: &str, rng: &mut impl Rng) {
        let text = with_filler(text, USER_FILLERS, 0.3, rng);
        self.push(Speaker::User, stage, text, rng);
    }

    /// Adds a user turn exactly as given (used when the text carries planted PII whose exact
    /// position the truth file records).
    pub fn user_verbatim(&mut self, stage: &str, text: String, rng: &mut impl Rng) {
        self.push(Speaker::User, stage, text, rng);
    }

    fn push(&mut self, speaker: Speaker, stage: &str, mut text: String, rng: &mut impl Rng) {
        let words = text.split_whitespace().count().max(1) as f64;
        let rate = match speaker {
            Speaker::Agent => self.agent_words_per_s,
            Speaker::User => self.user_words_per_s,
        };
        let mut start = self.clock_s + self.pause.sample(rng).clamp(0.1, 2.5);
        // A caller cutting in: the previous agent turn is cut short and overlaps this one.
        if speaker == Speaker::User
            && rng.random_bool(0.06)
            && let Some(previous) = self.turns.last_mut()
            && previous.speaker == Speaker::Agent
            && previous.end_s - previous.start_s > 2.0
        {
            let overlap = rng.random_range(0.3..1.2);
            start = previous.end_s - overlap;
            let kept_words = ((previous.text.split_whitespace().count() as f64) * 0.8).ceil() as usize;
            let cut: Vec<&str> = previous.text.split_whitespace().take(kept_words.max(1)).collect();
            previous.text = format!("{}—", cut.join(" "));
            if !text.starts_with("Sorry") && rng.random_bool(0.5) {
                text = format!("Sorry, {}{}", text[..1].to_lowercase(), &text[1..]);
            }
        }
        let duration = words / rate * rng.random_range(0.9..1.15);
        let end = start + duration;
        self.turns.push(Turn {
            speaker,
            text,
            start_s: round_centis(start),
            end_s: round_centis(end),
            stage: if self.label_stages { Stage::new(stage).ok() } else { None },
        });
        self.clock_s = self.clock_s.max(end);
    }

    /// Seconds of call so far.
    pub fn elapsed_s(&self) -> f64 {
        self.clock_s
    }

    /// The finished turns.
    pub fn finish(self) -> Vec<Turn> {
        self.turns
    }
}

fn round_centis(seconds: f64) -> f64 {
    (seconds * 100.0).round() / 100.0
}

/// Sometimes prefixes a filler word ("um, yeah that works").
fn with_filler(text: &str, fillers: &[&str], probability: f64, rng: &mut impl Rng) -> String {
    if !rng.random_bool(probability) {
        return text.to_string();
    }
    let filler = fillers.choose(rng).expect("non-empty");
    let mut filled = String::with_capacity(filler.len() + text.len() + 1);
    let mut chars = filler.chars();
    if let Some(first) = chars.next() {
        filled.extend(first.to_uppercase());
        filled.push_str(chars.as_str());
    }
    filled.push(' ');
    let mut rest = text.chars();
    if let Some(first) = rest.next() {
        // Keep "I" capitalised; lowercase anything else that followed the filler.
        if first == 'I' && text[1..].starts_with([' ', '\'']) {
            filled.push(first);
        } else {
            filled.extend(first.to_lowercase());
        }
        filled.push_str(rest.as_str());
    }
    filled
}
