//! A prediction's contributions as factors a person can read: "confirmed the appointment twice:
//! +12 points".
//!
//! Columns that encode one thing are read as one factor: the sine and cosine of an hour or a
//! weekday (their contributions add, and the angle gives the hour back), and the one-hot columns
//! of a category (the factor is the level the record has). Grouping only adds contributions, so
//! the factors still sum to the prediction's log-odds minus its baseline.
//!
//! "Points" are percentage points of probability: how much lower (or higher) the model's
//! probability would be with this factor's contribution taken away and everything else kept. They
//! are read on the model's own probability, before calibration, because a calibrator may be flat
//! over a range and would hide a factor that moves the log-odds.

use std::collections::BTreeMap;

use hindsight_ml::sigmoid;
use serde::{Deserialize, Serialize};

/// One readable factor of a prediction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Factor {
    /// What it is about (`confirmation_repetitions`, `appointment_hour`, `lead_industry`).
    pub factor: String,
    /// Its value in this record, as text.
    pub value: String,
    /// Its contribution to the log-odds.
    pub contribution: f64,
    /// Percentage points of probability it adds (negative: takes away).
    pub points: f64,
    /// The sentence: "confirmed the appointment twice: +12 points".
    pub text: String,
}

const WEEKDAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/// The position on a circle of `period` from its sine and cosine.
fn from_circle(sin: f64, cos: f64, period: f64) -> f64 {
    (sin.atan2(cos) / std::f64::consts::TAU * period).rem_euclid(period)
}

/// What one group of columns holds in this row.
enum GroupValue {
    Number(f64),
    Hour(f64),
    Weekday(usize),
    Level(String),
    Missing,
}

/// Groups the columns by what they encode: `(group name, column positions)`.
fn groups(names: &[String]) -> BTreeMap<String, Vec<usize>> {
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (position, name) in names.iter().enumerate() {
        let group = if let Some((feature, _)) = name.split_once('=') {
            feature.to_string()
        } else if let Some(stem) = ["_sin", "_cos"].iter().find_map(|suffix| name.strip_suffix(suffix)) {
            stem.to_string()
        } else {
            name.clone()
        };
        groups.entry(group).or_default().push(position);
    }
    groups
}

fn group_value(group: &str, positions: &[usize], names: &[String], values: &[f64]) -> GroupValue {
    let value_of = |suffix: &str| {
        positions.iter().find(|&&position| names[position].ends_with(suffix)).map(|&position| values[position])
    };
    if names[positions[0]].contains('=') {
        let level = positions
            .iter()
            .find(|&&position| values[position] == 1.0)
            .and_then(|&position| names[position].split_once('=').map(|(_, level)| level.to_string()));
        return level.map_or(GroupValue::Missing, GroupValue::Level);
    }
    if let (Some(sin), Some(cos)) = (value_of("_sin"), value_of("_cos")) {
        if sin.is_nan() || cos.is_nan() {
            return GroupValue::Missing;
        }
        return if group.ends_with("weekday") {
            GroupValue::Weekday(from_circle(sin, cos, 7.0).round() as usize % 7)
        } else {
            GroupValue::Hour(from_circle(sin, cos, 24.0))
        };
    }
    let value = values[positions[0]];
    if value.is_nan() { GroupValue::Missing } else { GroupValue::Number(value) }
}

fn times(count: f64, one: &str, many: &str) -> String {
    match count.round() as i64 {
        1 => one.to_string(),
        2 if one.ends_with(" once") => one.replace(" once", " twice"),
        n => many.replace("{n}", &n.to_string()),
    }
}

fn plural(count: f64, singular: &str, plural: &str) -> String {
    let n = count.round() as i64;
    format!("{n} {}", if n == 1 { singular } else { plural })
}

/// How a keyword family reads when counted: `(family, singular, plural)`.
const SIGNAL_WORDS: &[(&str, &str, &str)] = &[
    ("voice_ai", "voice-AI mention", "voice-AI mentions"),
    ("automation", "automation mention", "automation mentions"),
    ("pricing_request", "pricing request", "pricing requests"),
    ("next_meeting", "next-meeting mention", "next-meeting mentions"),
    ("urgency", "urgency signal", "urgency signals"),
    ("technical_depth", "technical topic", "technical topics"),
];

/// A keyword count, of the description and notes (`text_pricing_request`: "2 pricing requests
/// in description and notes") or of what the prospect said on calls (`calls_said_…`).
fn mentions(group: &str, count: f64) -> Option<String> {
    let (family, place) = match (group.strip_prefix("text_"), group.strip_prefix("calls_said_")) {
        (Some(family), _) => (family, "in description and notes"),
        (_, Some(family)) => (family, "from the prospect on calls"),
        _ => return None,
    };
    let (_, singular, plural_form) = SIGNAL_WORDS.iter().find(|(name, _, _)| *name == family)?;
    if count == 0.0 {
        return Some(format!("no {plural_form} {place}"));
    }
    Some(format!("{} {place}", plural(count, singular, plural_form)))
}

/// How often a BANT dimension came up on a call: "budget came up in 2 turns".
fn came_up(what: &str, turns: f64) -> String {
    if turns == 0.0 {
        return format!("{what} never came up");
    }
    format!("{what} came up in {}", plural(turns, "turn", "turns"))
}

fn clock(hour: f64) -> String {
    let minutes = (hour * 60.0).round() as i64 % (24 * 60);
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The readable value and the phrase of a group.
fn describe(group: &str, value: &GroupValue) -> (String, String) {
    let text = match value {
        GroupValue::Missing => return ("unknown".into(), format!("{} unknown", group.replace('_', " "))),
        GroupValue::Level(level) => level.clone(),
        GroupValue::Hour(hour) => clock(*hour),
        GroupValue::Weekday(day) => WEEKDAYS[*day].to_string(),
        GroupValue::Number(number) => {
            if number.fract() == 0.0 {
                format!("{number:.0}")
            } else {
                format!("{number:.2}")
            }
        }
    };
    let number = match value {
        GroupValue::Number(number) => *number,
        _ => f64::NAN,
    };
    let phrase = match group {
        "confirmation_repetitions" => {
            times(number, "confirmed the appointment once", "confirmed the appointment {n} times")
        }
        "commitment_strong" => plural(number, "strong commitment phrase", "strong commitment phrases"),
        "commitment_weak" => plural(number, "hesitant phrase", "hesitant phrases"),
        "commitment_score" => format!("commitment score {number:.0}"),
        "days_to_appointment" => format!("appointment {number:.0} days out"),
        "agent_talk_ratio" => format!("agent talked {:.0}% of the time", number * 100.0),
        "agent_questions" => format!("agent asked {}", plural(number, "question", "questions")),
        "user_questions" => format!("prospect asked {}", plural(number, "question", "questions")),
        "objections" => format!("{} raised", plural(number, "objection", "objections")),
        "objections_answered" => format!("{} answered", plural(number, "objection", "objections")),
        "duration_s" => format!("call lasted {}:{:02}", number as i64 / 60, number as i64 % 60),
        "personalization_count" => plural(number, "personal reference", "personal references"),
        "enthusiasm_markers" => plural(number, "enthusiasm marker", "enthusiasm markers"),
        "stages_reached" => format!("reached {}", plural(number, "stage", "stages")),
        "bant_covered" => format!("{number:.0} of 4 BANT dimensions covered"),
        "bant_budget" => came_up("budget", number),
        "bant_authority" => came_up("who decides", number),
        "bant_need" => came_up("the need", number),
        "bant_timeline" => came_up("the timeline", number),
        "agent_words_per_minute" => format!("agent spoke {number:.0} words a minute"),
        "agent_interruptions" => times(number, "agent interrupted once", "agent interrupted {n} times"),
        "user_interruptions" => times(number, "prospect interrupted once", "prospect interrupted {n} times"),
        "patience_s" => format!("agent let {number:.1} s pass before answering"),
        "longest_agent_monologue_s" => format!("longest agent monologue {number:.0} s"),
        "lead_score" => format!("lead score {number:.0}"),
        "log_employee_count" => format!("company of {:.0} employees", number.exp_m1()),
        "is_new_role" => (if number == 1.0 { "in a new role" } else { "not in a new role" }).into(),
        "is_hiring" => (if number == 1.0 { "company hiring" } else { "company not hiring" }).into(),
        "recently_funded" => (if number == 1.0 { "recently funded" } else { "not recently funded" }).into(),
        "call_hour" => format!("called at {text}"),
        "call_weekday" => format!("called on a {text}"),
        "appointment_hour" => format!("appointment at {text}"),
        "appointment_weekday" => format!("appointment on a {text}"),
        "agent" => format!("agent {text}"),
        "script_version" => format!("script {text}"),
        "lead_industry" => format!("industry {text}"),
        "lead_funding_stage" => format!("funding stage {text}"),
        "lead_tier" => format!("tier {text}"),
        "title_seniority" => format!("seniority {}", text.replace('_', "-")),
        "title_department" => format!("department {text}"),
        "notes_words" => format!("notes of {}", plural(number, "word", "words")),
        "calls_count" => format!("talked on {}", plural(number, "call", "calls")),
        "calls_commitment_score_mean" => format!("mean commitment score {number:.0} on calls"),
        "calls_commitment_strong" => {
            format!("{} on calls", plural(number, "strong commitment phrase", "strong commitment phrases"))
        }
        "calls_objections" => format!("{} raised on calls", plural(number, "objection", "objections")),
        "calls_user_questions" => format!("prospect asked {} on calls", plural(number, "question", "questions")),
        "calls_stages_reached_max" => format!("calls reached up to {}", plural(number, "stage", "stages")),
        _ if let Some(phrase) = mentions(group, number) => phrase,
        // Custom attributes (`lead.seats`, `call.region`) have no phrase of their own.
        _ => format!("{group} = {text}"),
    };
    (text, phrase)
}

fn render_points(points: f64) -> String {
    match points.abs() {
        magnitude if magnitude < 0.95 => format!("{points:+.1} points"),
        magnitude if magnitude < 1.5 => format!("{points:+.0} point"),
        _ => format!("{points:+.0} points"),
    }
}

/// The factor groups of a model's columns, worked out once per model rather than per row.
#[derive(Debug, Clone, PartialEq)]
pub struct FactorGroups {
    names: Vec<String>,
    groups: Vec<(String, Vec<usize>)>,
}

impl FactorGroups {
    /// Groups `names` (a model's columns, in order).
    pub fn new(names: &[String]) -> FactorGroups {
        FactorGroups { names: names.to_vec(), groups: groups(names).into_iter().collect() }
    }

    /// The `limit` factors of one prediction with the largest effect, largest first: `values`
    /// and `contributions` are the row's, in column order, `logit` its log-odds.
    pub fn factors(&self, values: &[f64], contributions: &[f64], logit: f64, limit: usize) -> Vec<Factor> {
        let mut totals: Vec<(usize, f64)> = self
            .groups
            .iter()
            .enumerate()
            .map(|(group, (_, positions))| (group, positions.iter().map(|&position| contributions[position]).sum()))
            .collect();
        totals
            .sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then_with(|| self.groups[a.0].0.cmp(&self.groups[b.0].0)));
        // Only the factors shown are put into words.
        let probability = sigmoid(logit);
        totals
            .into_iter()
            .take(limit)
            .map(|(group, contribution)| {
                let (name, positions) = &self.groups[group];
                let points = 100.0 * (probability - sigmoid(logit - contribution));
                let (value, phrase) = describe(name, &group_value(name, positions, &self.names, values));
                let text = format!("{phrase}: {}", render_points(points));
                Factor { factor: name.clone(), value, contribution, points, text }
            })
            .collect()
    }
}

/// Every factor of one prediction, largest effect first: `names` and `values` are the row's
/// columns, `contributions` its contributions to the log-odds `logit`.
pub fn factors(names: &[String], values: &[f64], contributions: &[f64], logit: f64) -> Vec<Factor> {
    FactorGroups::new(names).factors(values, contributions, logit, usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::factors;

    fn check(names: &[&str], values: &[f64], contributions: &[f64], expect: expect_test::Expect) {
        let names: Vec<String> = names.iter().map(|name| name.to_string()).collect();
        let logit = 0.2 + contributions.iter().sum::<f64>();
        let rendered: Vec<String> =
            factors(&names, values, contributions, logit).into_iter().map(|factor| factor.text).collect();
        expect.assert_debug_eq(&rendered);
    }

    #[test]
    fn factors_read_as_sentences_with_points() {
        let angle = 14.5 / 24.0 * std::f64::consts::TAU;
        check(
            &[
                "confirmation_repetitions",
                "days_to_appointment",
                "appointment_hour_sin",
                "appointment_hour_cos",
                "lead_industry=saas",
                "lead_industry=other",
                "lead.seats",
                "lead_score",
            ],
            &[2.0, 9.0, angle.sin(), angle.cos(), 0.0, 1.0, 12.0, f64::NAN],
            &[0.6, -0.4, 0.05, 0.05, 0.02, -0.12, 0.01, 0.0],
            expect_test::expect![[r#"
                [
                    "confirmed the appointment twice: +15 points",
                    "appointment 9 days out: -9 points",
                    "appointment at 14:30: +2 points",
                    "industry other: -2 points",
                    "lead.seats = 12: +0.2 points",
                    "lead score unknown: +0.0 points",
                ]
            "#]],
        );
    }

    /// Every keyword family the lead features count has its words here, so none reads as a raw
    /// column name.
    #[test]
    fn every_keyword_family_has_its_wording() {
        for (family, _) in crate::outcomes::lead_features::TEXT_SIGNALS {
            assert!(super::mentions(&format!("text_{family}"), 2.0).is_some(), "{family}");
            assert!(super::mentions(&format!("calls_said_{family}"), 0.0).is_some(), "{family}");
        }
    }

    /// BANT coverage reads as what came up and how much of the four was covered.
    #[test]
    fn bant_signals_read_as_what_came_up() {
        check(
            &["bant_covered", "bant_budget", "bant_timeline"],
            &[3.0, 2.0, 0.0],
            &[0.4, 0.2, -0.1],
            expect_test::expect![[r#"
                [
                    "3 of 4 BANT dimensions covered: +9 points",
                    "budget came up in 2 turns: +5 points",
                    "the timeline never came up: -2 points",
                ]
            "#]],
        );
    }

    /// What a lead's description, notes and calls said reads as counts of where it was said.
    #[test]
    fn lead_words_and_call_history_read_as_counts() {
        check(
            &[
                "text_pricing_request",
                "calls_said_pricing_request",
                "calls_said_urgency",
                "calls_count",
                "calls_user_questions",
                "calls_stages_reached_max",
                "calls_commitment_score_mean",
            ],
            &[2.0, 1.0, 0.0, 3.0, 4.0, 5.0, 62.5],
            &[0.3, 0.5, -0.1, 0.4, 0.2, 0.15, 0.12],
            expect_test::expect![[r#"
                [
                    "1 pricing request from the prospect on calls: +7 points",
                    "talked on 3 calls: +6 points",
                    "2 pricing requests in description and notes: +4 points",
                    "prospect asked 4 questions on calls: +3 points",
                    "calls reached up to 5 stages: +2 points",
                    "mean commitment score 62 on calls: +2 points",
                    "no urgency signals from the prospect on calls: -1 point",
                ]
            "#]],
        );
    }

    #[test]
    fn grouped_factors_still_sum_to_the_log_odds_above_the_baseline() {
        let names: Vec<String> =
            ["call_weekday_sin", "call_weekday_cos", "agent=a", "agent=b", "objections"].map(String::from).into();
        let contributions = [0.1, -0.3, 0.0, 0.25, -0.5];
        let found = factors(&names, &[0.78, 0.62, 0.0, 1.0, 2.0], &contributions, 1.0);
        let total: f64 = found.iter().map(|factor| factor.contribution).sum();
        assert!((total - contributions.iter().sum::<f64>()).abs() < 1e-12);
        let texts: Vec<&str> = found.iter().map(|factor| factor.text.as_str()).collect();
        assert_eq!(texts, ["2 objections raised: -9 points", "agent b: +5 points", "called on a Tuesday: -4 points"]);
    }
}
