//! Decoding one record from JSON: a pure function from text to a record or its problems.
//!
//! Valid records take the fast path: one strict serde pass straight into the typed struct (no
//! intermediate tree). Anything that fails it takes the slow path, which parses into a
//! `serde_json::Value` and checks field by field against [`crate::schema`], so the user hears about
//! every problem in the record at once. Unknown top-level fields of calls, leads and activities are
//! not errors: they are the user's own fields and move into `attributes`, reported back as
//! [`Decoded::custom_fields`] so the import can mention them once.

use std::borrow::Cow;

use hindsight_model::{Activity, Call, Campaign, Lead, OutcomeEvent, Problem, Record, RecordKind, Validate};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::schema::{self, Check, Field};

/// A decoded record.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The record.
    pub record: Record,
    /// Top-level fields outside the record contract that were kept as custom attributes.
    pub custom_fields: Vec<String>,
    /// True when the input text is itself a faithful JSON form of `record` (it decoded in one
    /// strict pass, with no field moved or defaulted away), so it can be stored as is instead of
    /// serialising the record again.
    pub input_is_exact: bool,
}

/// Just enough of a record to know what it is, read without decoding the rest.
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(rename = "type", borrow, default)]
    kind: Option<Cow<'a, str>>,
}

/// Decodes one JSON object. `kind_hint` is the `--kind` the user gave, if any.
pub fn decode_json(text: &str, kind_hint: Option<RecordKind>) -> Result<Decoded, Vec<Problem>> {
    let first_byte = text.bytes().find(|b| !b.is_ascii_whitespace());
    if first_byte != Some(b'{') {
        return Err(vec![not_an_object(text)]);
    }
    // Most writers (hindsight's own included) put "type" first: then the kind is known without
    // scanning the line twice. A wrong guess only costs the scan it tried to save, because the
    // typed decode checks the tag and falls through to the envelope below.
    if let Some(kind) = leading_type(text).filter(|kind| kind_hint.is_none_or(|hint| hint == *kind))
        && let Ok(record) = decode_typed(text, kind)
    {
        return finish(record, Vec::new(), true);
    }
    let envelope: Envelope<'_> = match serde_json::from_str(text) {
        Ok(envelope) => envelope,
        // Valid JSON whose `type` is not a string: the slow path explains.
        Err(error) if error.is_data() => return slow_path(text, kind_hint),
        Err(error) => return Err(vec![json_syntax_problem(&error)]),
    };
    let kind =
        resolve_kind(envelope.kind.as_deref().map(Value::from).as_ref(), kind_hint).map_err(|problem| vec![problem])?;
    match decode_typed(text, kind) {
        Ok(record) => finish(record, Vec::new(), true),
        Err(_) => slow_path(text, kind_hint),
    }
}

/// The strict, single-pass decode into the typed struct.
fn decode_typed(text: &str, kind: RecordKind) -> serde_json::Result<Record> {
    match kind {
        RecordKind::Call => serde_json::from_str::<Call>(text).map(Record::Call),
        RecordKind::Lead => serde_json::from_str::<Lead>(text).map(Record::Lead),
        RecordKind::Activity => serde_json::from_str::<Activity>(text).map(Record::Activity),
        RecordKind::Outcome => serde_json::from_str::<OutcomeEvent>(text).map(Record::Outcome),
        RecordKind::Campaign => serde_json::from_str::<Campaign>(text).map(Record::Campaign),
    }
}

/// The kind named by a `"type"` that is the object's first key, read without parsing the line.
fn leading_type(text: &str) -> Option<RecordKind> {
    let rest = text.trim_start().strip_prefix("{\"type\":\"")?;
    let name = &rest[..rest.find('"')?];
    RecordKind::parse(name)
}

fn slow_path(text: &str, kind_hint: Option<RecordKind>) -> Result<Decoded, Vec<Problem>> {
    let value: Value = serde_json::from_str(text).map_err(|error| vec![json_syntax_problem(&error)])?;
    decode_value(value, kind_hint)
}

/// Decodes a record already parsed into a JSON value (the slow path; also used for CSV rows and
/// whole-document `.json` files).
pub fn decode_value(value: Value, kind_hint: Option<RecordKind>) -> Result<Decoded, Vec<Problem>> {
    let Value::Object(mut object) = value else {
        return Err(vec![Problem::new("record", format!("expected a JSON object, found {}", describe(&value)))]);
    };
    let kind = resolve_kind(object.get("type"), kind_hint).map_err(|problem| vec![problem])?;
    let mut problems = Vec::new();
    let custom_fields =
        if schema::has_attributes(kind) { move_custom_fields(&mut object, kind, &mut problems) } else { Vec::new() };
    check_fields(schema::fields_of(kind), &object, "", &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    let value = Value::Object(object);
    let decoded = match kind {
        RecordKind::Call => serde_json::from_value::<Call>(value).map(Record::Call),
        RecordKind::Lead => serde_json::from_value::<Lead>(value).map(Record::Lead),
        RecordKind::Activity => serde_json::from_value::<Activity>(value).map(Record::Activity),
        RecordKind::Outcome => serde_json::from_value::<OutcomeEvent>(value).map(Record::Outcome),
        RecordKind::Campaign => serde_json::from_value::<Campaign>(value).map(Record::Campaign),
    };
    match decoded {
        Ok(record) => finish(record, custom_fields, false),
        // Every field passed its own check, so this is a rule serde enforces across fields.
        Err(error) => Err(vec![Problem::new("record", schema::tidy_serde_message(&error.to_string()))]),
    }
}

fn finish(record: Record, custom_fields: Vec<String>, input_is_exact: bool) -> Result<Decoded, Vec<Problem>> {
    let problems = record.validate();
    if problems.is_empty() { Ok(Decoded { record, custom_fields, input_is_exact }) } else { Err(problems) }
}

/// Works out the record kind from the `type` field and `--kind`.
fn resolve_kind(type_field: Option<&Value>, kind_hint: Option<RecordKind>) -> Result<RecordKind, Problem> {
    const KINDS: &str = "call, lead, activity, outcome, campaign";
    match (type_field, kind_hint) {
        (None | Some(Value::Null), Some(hint)) => Ok(hint),
        (None | Some(Value::Null), None) => {
            Err(Problem::new("type", format!("missing: say what the record is with \"type\" ({KINDS}) or pass --kind")))
        }
        (Some(Value::String(name)), hint) => {
            let Some(kind) = RecordKind::parse(name) else {
                return Err(Problem::new("type", format!("unknown value {name:?}, expected one of {KINDS}")));
            };
            match hint {
                Some(hint) if hint != kind => Err(Problem::new("type", format!("is {name:?} but --kind is {hint}"))),
                _ => Ok(kind),
            }
        }
        (Some(other), _) => {
            Err(Problem::new("type", format!("must be a string such as \"call\", found {}", describe(other))))
        }
    }
}

/// Moves top-level fields outside the contract into `attributes`; returns their names.
fn move_custom_fields(object: &mut Map<String, Value>, kind: RecordKind, problems: &mut Vec<Problem>) -> Vec<String> {
    let known = schema::fields_of(kind);
    let custom: Vec<String> =
        object.keys().filter(|key| !known.iter().any(|field| field.name == key.as_str())).cloned().collect();
    if custom.is_empty() {
        return custom;
    }
    let mut attributes = match object.remove("attributes") {
        Some(Value::Object(attributes)) => attributes,
        Some(Value::Null) | None => Map::new(),
        Some(other) => {
            problems.push(Problem::new(
                "attributes",
                format!("must be an object of custom fields, found {}", describe(&other)),
            ));
            Map::new()
        }
    };
    for key in &custom {
        let value = object.remove(key).expect("key listed from this object");
        if attributes.contains_key(key) {
            problems.push(Problem::new(key.clone(), "given both as a top-level field and inside attributes"));
        } else {
            attributes.insert(key.clone(), value);
        }
    }
    object.insert("attributes".to_string(), Value::Object(attributes));
    custom
}

/// Checks every field of `object` against `fields`, pushing a problem for each violation.
fn check_fields(fields: &[Field], object: &Map<String, Value>, path: &str, problems: &mut Vec<Problem>) {
    let at = |name: &str| if path.is_empty() { name.to_string() } else { format!("{path}.{name}") };
    for field in fields {
        match object.get(field.name) {
            None | Some(Value::Null) if field.required => {
                problems.push(Problem::new(at(field.name), "missing required field"))
            }
            None => {}
            Some(value) => check_value(&field.check, value, &at(field.name), problems),
        }
    }
    for key in object.keys() {
        if !fields.iter().any(|field| field.name == key.as_str()) {
            let expected: Vec<&str> = fields.iter().map(|field| field.name).collect();
            problems.push(Problem::new(at(key), format!("unknown field; expected one of {}", expected.join(", "))));
        }
    }
}

fn check_value(check: &Check, value: &Value, path: &str, problems: &mut Vec<Problem>) {
    match check {
        Check::Value(check) => {
            if let Err(reason) = check(value) {
                problems.push(Problem::new(path, reason));
            }
        }
        Check::Object(fields) => match value {
            Value::Object(object) => check_fields(fields, object, path, problems),
            Value::Null => {}
            other => problems.push(Problem::new(path, format!("must be an object, found {}", describe(other)))),
        },
        Check::ArrayOf(fields) => match value {
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    let item_path = format!("{path}[{index}]");
                    match item {
                        Value::Object(object) => check_fields(fields, object, &item_path, problems),
                        other => problems
                            .push(Problem::new(item_path, format!("must be an object, found {}", describe(other)))),
                    }
                }
            }
            other => problems.push(Problem::new(path, format!("must be an array, found {}", describe(other)))),
        },
        Check::Attributes => match value {
            Value::Object(attributes) => {
                for (name, attribute) in attributes {
                    if let Err(reason) = schema::check_attribute(attribute) {
                        problems.push(Problem::new(format!("{path}.{name}"), reason));
                    }
                }
            }
            Value::Null => {}
            other => problems
                .push(Problem::new(path, format!("must be an object of custom fields, found {}", describe(other)))),
        },
    }
}

/// A JSON syntax error as a problem, without serde_json's "at line 1 column N" (the importer
/// knows the real line) but keeping the column.
pub fn json_syntax_problem(error: &serde_json::Error) -> Problem {
    let message = error.to_string();
    let message = message.split(" at line ").next().unwrap_or(&message);
    if error.is_eof() {
        return Problem::new("record", format!("incomplete JSON: the value is not closed (column {})", error.column()));
    }
    Problem::new("record", format!("invalid JSON at column {}: {message}", error.column()))
}

fn not_an_object(text: &str) -> Problem {
    match serde_json::from_str::<Value>(text) {
        Ok(value) => Problem::new("record", format!("expected a JSON object, found {}", describe(&value))),
        Err(error) => json_syntax_problem(&error),
    }
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};
    use hindsight_model::RecordKind;

    use super::decode_json;

    /// Decodes `input` and renders the result: the kind and id, or one problem per line.
    fn check(input: &str, kind_hint: Option<RecordKind>, expected: Expect) {
        let rendered = match decode_json(input, kind_hint) {
            Ok(decoded) => {
                let custom = if decoded.custom_fields.is_empty() {
                    String::new()
                } else {
                    format!(" custom={}", decoded.custom_fields.join(","))
                };
                format!("ok {} {}{custom}\n", decoded.record.kind(), decoded.record.id())
            }
            Err(problems) => problems.iter().map(|problem| format!("{problem}\n")).collect(),
        };
        expected.assert_eq(&rendered);
    }

    const CALL: &str = r#"{"type":"call","id":"c1","campaign":"camp","agent":"a","script_version":"v1","started_at":"2026-01-05T10:00:00Z","duration_s":42,"status":"completed"}"#;

    #[test]
    fn a_valid_record_takes_the_fast_path() {
        check(
            CALL,
            None,
            expect![[r#"
            ok call c1
        "#]],
        );
    }

    #[test]
    fn every_field_problem_is_reported_not_just_the_first() {
        check(
            r#"{"type":"call","id":"c1","campaign":"camp","agent":"a","started_at":"last tuesday","duration_s":"long","status":"finished","turns":[{"speaker":"bot","text":"hi","start_s":0,"end_s":1},{"speaker":"user","start_s":1,"end_s":2,"tone":"warm"}],"outcome":{"showed_up":"yes"}}"#,
            None,
            expect![[r#"
                script_version: missing required field
                started_at: input contains invalid characters
                duration_s: invalid type: string "long", expected f64
                status: unknown value `finished`, expected one of `completed`, `dropped`, `escalated`, `failed`, `compliance_violation`
                turns[0].speaker: unknown value `bot`, expected `agent` or `user`
                turns[1].text: missing required field
                turns[1].tone: unknown field; expected one of speaker, text, start_s, end_s, stage
                outcome.showed_up: invalid type: string "yes", expected a boolean
            "#]],
        );
    }

    #[test]
    fn unknown_top_level_fields_become_custom_attributes() {
        let input =
            CALL.replace(r#""status":"completed""#, r#""status":"completed","crm_owner":"dana","deal_size":1200"#);
        check(
            &input,
            None,
            expect![[r#"
            ok call c1 custom=crm_owner,deal_size
        "#]],
        );
        let nested = CALL.replace(r#""status":"completed""#, r#""status":"completed","crm":{"owner":"dana"}"#);
        check(
            &nested,
            None,
            expect![[r#"
            attributes.crm: invalid type: map, expected a string, number, boolean or null
        "#]],
        );
    }

    #[test]
    fn the_record_type_comes_from_the_type_field_or_the_kind_flag() {
        let untyped = CALL.replace(r#""type":"call","#, "");
        check(
            &untyped,
            None,
            expect![[r#"
            type: missing: say what the record is with "type" (call, lead, activity, outcome, campaign) or pass --kind
        "#]],
        );
        check(
            &untyped,
            Some(RecordKind::Call),
            expect![[r#"
            ok call c1
        "#]],
        );
        check(
            CALL,
            Some(RecordKind::Lead),
            expect![[r#"
            type: is "call" but --kind is lead
        "#]],
        );
        check(
            &CALL.replace(r#""type":"call""#, r#""type":"calls_v2""#),
            None,
            expect![[r#"
            type: unknown value "calls_v2", expected one of call, lead, activity, outcome, campaign
        "#]],
        );
        check(
            &CALL.replace(r#""type":"call""#, r#""type":7"#),
            None,
            expect![[r#"
            type: must be a string such as "call", found a number
        "#]],
        );
    }

    #[test]
    fn malformed_json_says_where() {
        check(
            r#"{"type":"call","id":"c1","#,
            None,
            expect![[r#"
            record: incomplete JSON: the value is not closed (column 25)
        "#]],
        );
        check(
            r#"{"type":"call" "id":"c1"}"#,
            None,
            expect![[r#"
            record: invalid JSON at column 16: expected `,` or `}`
        "#]],
        );
        check(
            "[1, 2]",
            None,
            expect![[r#"
            record: expected a JSON object, found an array
        "#]],
        );
    }

    #[test]
    fn semantic_rules_run_after_types_are_right() {
        let input = CALL.replace(r#""duration_s":42"#, r#""duration_s":-1"#).replace(r#""id":"c1""#, r#""id":"  ""#);
        check(
            &input,
            None,
            expect![[r#"
            id: must not be empty
            duration_s: -1 is outside 0..=86400
        "#]],
        );
    }
}
