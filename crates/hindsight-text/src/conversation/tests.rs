use expect_test::{Expect, expect};
use hindsight_model::Turn;
use serde_json::json;

use crate::conversation::{BantCoverage, CallContext, TextParams, TranscriptAnalyzer};

fn turn(speaker: &str, text: &str, start_s: f64, end_s: f64) -> Turn {
    serde_json::from_value(json!({"speaker": speaker, "text": text, "start_s": start_s, "end_s": end_s}))
        .expect("valid turn")
}

/// Analyses `turns` and compares a compact rendering: the metrics, then each question,
/// objection, stage span and problem on its own line.
fn check(turns: &[Turn], context: &CallContext, expected: Expect) {
    let (analysis, problems) = TranscriptAnalyzer::new(&TextParams::default()).analyze(turns, context);
    let round = |value: Option<f64>| value.map(|value| (value * 1000.0).round() / 1000.0);
    let mut lines = vec![format!(
        "duration {} talk_ratio {:?} interactivity {:?} patience {:?}",
        analysis.duration_s,
        round(analysis.talk_ratio),
        round(analysis.interactivity_per_minute),
        round(analysis.patience_s)
    )];
    for (name, figures) in [("agent", analysis.agent), ("user", analysis.user)] {
        lines.push(format!(
            "{name}: turns {} talk {} words {} wpm {:?} questions {} q/min {:?} fillers {} interruptions {} longest {}",
            figures.turns,
            figures.talk_s,
            figures.words,
            round(figures.words_per_minute),
            figures.questions,
            round(figures.questions_per_minute),
            figures.fillers,
            figures.interruptions,
            figures.longest_run_s
        ));
    }
    lines.push(format!(
        "enthusiasm {} personalization {} confirmations {} commitment {}/{} score {:?}",
        analysis.enthusiasm_markers,
        analysis.personalization_count,
        analysis.confirmation_repetitions,
        analysis.commitment_strong,
        analysis.commitment_weak,
        round(analysis.commitment_score)
    ));
    let bant = analysis.bant;
    lines.push(format!(
        "bant budget {} authority {} need {} timeline {} covered {}",
        bant.budget,
        bant.authority,
        bant.need,
        bant.timeline,
        bant.covered()
    ));
    lines.extend(analysis.questions.iter().map(|q| format!("question turn {} {:?} {:?}", q.turn, q.speaker, q.kind)));
    lines.extend(
        analysis.objections.iter().map(|o| {
            format!("objection turn {} {:?} response {:?} {:?}", o.turn, o.kind, o.response_time_s, o.strategy)
        }),
    );
    lines.push(format!("stages labeled {}", analysis.stages_labeled));
    lines.extend(analysis.stage_spans.iter().map(|span| {
        format!("stage {} turns {}..{} {}s..{}s", span.stage, span.first_turn, span.end_turn, span.start_s, span.end_s)
    }));
    lines.extend(problems.iter().map(|problem| format!("problem {}: {}", problem.field, problem.reason)));
    expected.assert_eq(&lines.join("\n"));
}

#[test]
fn a_small_call_measured_by_hand() {
    // By hand: agent talk 4+6+5+4+3 = 22 s, user 2+5+1+2 = 10 s → ratio 22/32 = 0.6875.
    // Duration 0..35 s; 8 speaker switches / (35/60) min = 13.714/min. Pauses before agent
    // turns: 6-6, 19-17, 27-25, 32-32 → mean 1.0 s. Agent words 13+10+17+9+5 = 54 → 54/(22/60)
    // = 147.27 wpm; user 2+10+2+4 = 18 → 108 wpm. Longest agent turn 6 s (6..12), user 5 s.
    // The user's "Definitely, I'll be there" starts at 30, before the agent's turn ends at 31:
    // one interruption. Fillers "Um", "you know". Enthusiasm: 2 "!" + "Great" + "Perfect" = 4.
    // Personalization: "Sarah", "Acme Dental", "scheduling" = 3 ("Acme" alone is not the
    // company's name). Confirmations: "Just to confirm", "see you on" = 2 turns. Commitment:
    // strong "Definitely", "I'll be there"; weak "Maybe" → 2/3 = 66.667. The price objection
    // ends at 17; the agent answers at 19 (2 s) acknowledging and asking. The first agent turn
    // already asks "How many…", a qualification cue, so inference starts there.
    let turns = [
        turn("agent", "Hi Sarah, this is Alex from Acme! How many locations do you run?", 0.0, 4.0),
        turn("user", "Um, two.", 4.0, 6.0),
        turn("agent", "Great. What's your biggest challenge with scheduling at Acme Dental?", 6.0, 12.0),
        turn("user", "Honestly it's too expensive to hire, you know, more staff.", 12.0, 17.0),
        turn(
            "agent",
            "I understand. Our clients usually save ten hours a week. Would you like to book a demo?",
            19.0,
            24.0,
        ),
        turn("user", "Maybe. Sure.", 24.0, 25.0),
        turn("agent", "Just to confirm, Tuesday at ten. Does that work?", 27.0, 31.0),
        turn("user", "Definitely, I'll be there.", 30.0, 32.0),
        turn("agent", "Perfect, see you on Tuesday!", 32.0, 35.0),
    ];
    let context = CallContext {
        first_name: Some("Sarah".into()),
        company: Some("Acme Dental".into()),
        situation_terms: vec!["scheduling".into()],
    };
    check(
        &turns,
        &context,
        expect![[r#"
            duration 35 talk_ratio Some(0.688) interactivity Some(13.714) patience Some(1.0)
            agent: turns 5 talk 22 words 54 wpm Some(147.273) questions 4 q/min Some(6.857) fillers 0 interruptions 0 longest 6
            user: turns 4 talk 10 words 18 wpm Some(108.0) questions 0 q/min Some(0.0) fillers 2 interruptions 1 longest 5
            enthusiasm 4 personalization 3 confirmations 2 commitment 2/1 score Some(66.667)
            bant budget 0 authority 0 need 1 timeline 0 covered 1
            question turn 0 Agent Situation
            question turn 2 Agent Problem
            question turn 4 Agent Closing
            question turn 6 Agent Closing
            objection turn 3 Price response Some(2.0) Some(AcknowledgeAndAsk)
            stages labeled false
            stage qualification turns 0..3 0s..12s
            stage objection_handling turns 3..4 12s..17s
            stage closing turns 4..6 19s..25s
            stage confirmation turns 6..9 27s..35s"#]],
    );
}

#[test]
fn malformed_times_are_problems_not_failures() {
    let mut turns = [
        turn("agent", "Hello?", 0.0, 2.0),
        turn("user", "", 3.0, 2.5),
        turn("agent", "Are you there?", 1.0, 1.5),
        turn("user", "Yes.", 3.0, 4.0),
    ];
    turns[3].start_s = f64::NAN; // JSON cannot carry NaN; a hand-built record can
    check(
        &turns,
        &CallContext::default(),
        expect![[r#"
            duration 3 talk_ratio Some(1.0) interactivity Some(60.0) patience Some(0.0)
            agent: turns 2 talk 2.5 words 4 wpm Some(96.0) questions 2 q/min Some(40.0) fillers 0 interruptions 1 longest 2
            user: turns 2 talk 0 words 1 wpm None questions 0 q/min Some(0.0) fillers 0 interruptions 0 longest 0
            enthusiasm 0 personalization 0 confirmations 0 commitment 0/0 score None
            bant budget 0 authority 0 need 0 timeline 0 covered 0
            question turn 0 Agent Closed
            question turn 2 Agent Closed
            stages labeled false
            stage hook turns 0..4 0s..3s
            problem turns[1].text: empty
            problem turns[1].end_s: ends (2.5) before it starts (3)
            problem turns[2].start_s: starts (1) before the turn before it (3)
            problem turns[3].start_s: not a time (negative or not a number)"#]],
    );
}

#[test]
fn labeled_stages_are_used_as_given() {
    let mut first = turn("agent", "Hi there.", 0.0, 2.0);
    first.stage = Some(hindsight_model::Stage::new("hook").expect("stage"));
    let mut second = turn("user", "Hello.", 2.0, 3.0);
    second.stage = Some(hindsight_model::Stage::new("qualification").expect("stage"));
    let (analysis, problems) =
        TranscriptAnalyzer::new(&TextParams::default()).analyze(&[first, second], &CallContext::default());
    assert!(problems.is_empty());
    assert!(analysis.stages_labeled);
    assert_eq!(analysis.turn_stages, ["hook", "qualification"]);
    assert_eq!(analysis.stage_durations_s["qualification"], 1.0);
    assert_eq!(analysis.user.turns, 1);
    assert_eq!(analysis.questions.len(), 0);
}

#[test]
fn question_types_follow_their_cues() {
    let analyzer = TranscriptAnalyzer::new(&TextParams::default());
    let kinds: Vec<String> = [
        "Is that right?",
        "Would you like to book a call?",
        "How would it help your team to save ten hours?",
        "What happens when a patient no-shows?",
        "What's the hardest part of your week?",
        "How long have you been open?",
        "Why did you start the practice?",
        "Do they use it?",
    ]
    .iter()
    .map(|text| {
        let (analysis, _) = analyzer.analyze(&[turn("agent", text, 0.0, 1.0)], &CallContext::default());
        format!("{:?}", analysis.questions[0].kind)
    })
    .collect();
    assert_eq!(
        kinds,
        ["Confirmation", "Closing", "NeedPayoff", "Implication", "Problem", "Situation", "Open", "Closed"]
    );
}

#[test]
fn stages_come_from_the_configured_cue_phrases() {
    use crate::conversation::StageCues;
    let params = TextParams {
        stage_cues: vec![
            StageCues { stage: "greeting".into(), cues: vec!["good morning".into()] },
            StageCues { stage: "ask".into(), cues: vec!["shall i book".into()] },
        ],
    };
    let turns = [
        turn("agent", "Good morning, it's Ava from Clearpath.", 0.0, 2.0),
        turn("user", "Morning.", 2.5, 3.0),
        turn("agent", "Shall I book you in for Tuesday?", 3.5, 5.0),
        turn("user", "Sure.", 5.5, 6.0),
    ];
    let (analysis, _) = TranscriptAnalyzer::new(&params).analyze(&turns, &CallContext::default());
    assert_eq!(analysis.turn_stages, ["greeting", "greeting", "ask", "ask"]);
    let (defaults, _) = TranscriptAnalyzer::new(&TextParams::default()).analyze(&turns, &CallContext::default());
    assert!(!defaults.turn_stages.contains(&"greeting".to_string()), "{:?}", defaults.turn_stages);
}

/// The quick screen of personal terms never hides a mention the full check would count.
#[test]
fn personal_terms_are_found_whatever_the_case_and_script() {
    use crate::conversation::PersonalTerms;
    let context = CallContext {
        first_name: Some("Zoë".into()),
        company: Some("Horizon Health".into()),
        situation_terms: vec!["dental".into()],
    };
    let terms = PersonalTerms::new(&context);
    assert!(terms.screen.is_some(), "every term has an ASCII run to screen with");
    assert_eq!(terms.mentions("We help HORIZON   health and other Dental practices."), 2);
    assert_eq!(terms.mentions("Hi ZOË, how are you?"), 1, "non-ASCII letters are matched in full");
    assert_eq!(terms.mentions("Horizons healthy"), 0, "whole words only");
    assert_eq!(terms.mentions("nothing here"), 0);
    let script_only =
        PersonalTerms::new(&CallContext { first_name: Some("Юлия".into()), ..CallContext::default() });
    assert!(script_only.screen.is_none(), "no ASCII run: every turn is checked in full");
    assert_eq!(script_only.mentions("Привет, ЮЛИЯ!"), 1);
}

/// A turn counts once per BANT dimension it touches, whoever speaks; need was never raised here.
#[test]
fn bant_coverage_counts_the_turns_touching_each_dimension() {
    let turns = [
        turn("agent", "Roughly what budget have you set aside for this?", 0.0, 3.0),
        turn("user", "A few hundred a month, but the price has to be right.", 3.0, 6.0),
        turn("agent", "Who else is involved in decisions like this?", 6.0, 9.0),
        turn("user", "It's really just me, I decide.", 9.0, 11.0),
        turn("agent", "Is there a timeline you're working toward?", 11.0, 14.0),
        turn("user", "Sooner is better.", 14.0, 15.0),
    ];
    let (analysis, _) = TranscriptAnalyzer::new(&TextParams::default()).analyze(&turns, &CallContext::default());
    assert_eq!(analysis.bant, BantCoverage { budget: 2, authority: 2, need: 0, timeline: 2 });
    assert_eq!(analysis.bant.covered(), 3);
}
