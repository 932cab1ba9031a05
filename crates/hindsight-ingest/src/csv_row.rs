//! Flat CSV rows to records: which column means which field, and how its text is read.
//!
//! Columns named in the record contract go to their field (nested ones too: `subject` goes to
//! `content.subject`, `showed_up` to `outcome.showed_up`). Every other column is the user's own
//! field and lands in `attributes`, read as the scalar it looks like. The column map is documented
//! in docs/records.md; a test keeps the two in step.

use hindsight_model::{AttributeValue, Problem, RecordKind};

use crate::schema::has_attributes;
use serde_json::{Map, Number, Value};

/// How a cell's text is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cell {
    Text,
    Number,
    Bool,
    /// `;`-separated list of texts.
    List,
}

/// One contract column: header, where it goes, how it is read.
pub(crate) struct Column {
    pub header: &'static str,
    pub path: &'static [&'static str],
    pub cell: Cell,
}

const fn column(header: &'static str, path: &'static [&'static str], cell: Cell) -> Column {
    Column { header, path, cell }
}

const OUTCOME_COLUMNS: &[Column] = &[
    column("booked", &["outcome", "booked"], Cell::Bool),
    column("confirmed", &["outcome", "confirmed"], Cell::Bool),
    column("showed_up", &["outcome", "showed_up"], Cell::Bool),
    column("converted", &["outcome", "converted"], Cell::Bool),
    column("revenue", &["outcome", "revenue"], Cell::Number),
    column("appointment_at", &["outcome", "appointment_at"], Cell::Text),
    column("days_to_appointment", &["outcome", "days_to_appointment"], Cell::Number),
    column("referred_others", &["outcome", "referred_others"], Cell::Bool),
    column("feedback_rating", &["outcome", "feedback_rating"], Cell::Number),
];

pub(crate) const LEAD_COLUMNS: &[Column] = &[
    column("id", &["id"], Cell::Text),
    column("tenant", &["tenant"], Cell::Text),
    column("campaign", &["campaign"], Cell::Text),
    column("title", &["title"], Cell::Text),
    column("industry", &["industry"], Cell::Text),
    column("employee_count", &["employee_count"], Cell::Number),
    column("company", &["company"], Cell::Text),
    column("domain", &["domain"], Cell::Text),
    column("description", &["description"], Cell::Text),
    column("notes", &["notes"], Cell::Text),
    column("funding_stage", &["funding_stage"], Cell::Text),
    column("is_new_role", &["is_new_role"], Cell::Bool),
    column("is_hiring", &["is_hiring"], Cell::Bool),
    column("recently_funded", &["recently_funded"], Cell::Bool),
    column("tier", &["tier"], Cell::Text),
    column("status", &["status"], Cell::Text),
    column("created_at", &["created_at"], Cell::Text),
    column("converted_at", &["converted_at"], Cell::Text),
    column("score_data_quality", &["score", "components", "data_quality"], Cell::Number),
    column("score_authority", &["score", "components", "authority"], Cell::Number),
    column("score_company_fit", &["score", "components", "company_fit"], Cell::Number),
    column("score_timing", &["score", "components", "timing"], Cell::Number),
    column("score_risk", &["score", "components", "risk"], Cell::Number),
    column("weight_data_quality", &["score", "weights", "data_quality"], Cell::Number),
    column("weight_authority", &["score", "weights", "authority"], Cell::Number),
    column("weight_company_fit", &["score", "weights", "company_fit"], Cell::Number),
    column("weight_timing", &["score", "weights", "timing"], Cell::Number),
    column("score", &["score", "score"], Cell::Number),
    column("scored_at", &["score", "scored_at"], Cell::Text),
];

pub(crate) const ACTIVITY_COLUMNS: &[Column] = &[
    column("id", &["id"], Cell::Text),
    column("tenant", &["tenant"], Cell::Text),
    column("lead_id", &["lead_id"], Cell::Text),
    column("campaign", &["campaign"], Cell::Text),
    column("channel", &["channel"], Cell::Text),
    column("action", &["action"], Cell::Text),
    column("touch_number", &["touch_number"], Cell::Number),
    column("at", &["at"], Cell::Text),
    column("subject", &["content", "subject"], Cell::Text),
    column("body", &["content", "body"], Cell::Text),
    column("cta", &["content", "cta"], Cell::Text),
    column("pain_points", &["content", "pain_points"], Cell::List),
    column("angle", &["content", "angle"], Cell::Text),
    column("word_count", &["content", "word_count"], Cell::Number),
    column("personalization_level", &["content", "personalization_level"], Cell::Number),
    column("led_to_booking", &["led_to_booking"], Cell::Bool),
];

const OUTCOME_EVENT_HEAD: &[Column] = &[
    column("id", &["id"], Cell::Text),
    column("tenant", &["tenant"], Cell::Text),
    column("call_id", &["call_id"], Cell::Text),
    column("lead_id", &["lead_id"], Cell::Text),
    column("at", &["at"], Cell::Text),
    column("lead_status", &["lead_status"], Cell::Text),
];

const CALL_HEAD: &[Column] = &[
    column("id", &["id"], Cell::Text),
    column("tenant", &["tenant"], Cell::Text),
    column("campaign", &["campaign"], Cell::Text),
    column("lead_id", &["lead_id"], Cell::Text),
    column("agent", &["agent"], Cell::Text),
    column("script_version", &["script_version"], Cell::Text),
    column("variant", &["variant"], Cell::Text),
    column("started_at", &["started_at"], Cell::Text),
    column("duration_s", &["duration_s"], Cell::Number),
    column("status", &["status"], Cell::Text),
    column("drop_off_stage", &["drop_off_stage"], Cell::Text),
    column("escalation_reason", &["escalation_reason"], Cell::Text),
    column("compliance_flags", &["compliance_flags"], Cell::List),
    column("sentiment", &["sentiment"], Cell::Number),
];

/// The contract columns of `kind` in groups, or `None` when the kind cannot come as CSV. Calls
/// from CSV are flat: a transcript (turns) needs JSON.
pub(crate) fn columns_for(kind: RecordKind) -> Option<&'static [&'static [Column]]> {
    match kind {
        RecordKind::Call => Some(&[CALL_HEAD, OUTCOME_COLUMNS]),
        RecordKind::Lead => Some(&[LEAD_COLUMNS]),
        RecordKind::Activity => Some(&[ACTIVITY_COLUMNS]),
        RecordKind::Outcome => Some(&[OUTCOME_EVENT_HEAD, OUTCOME_COLUMNS]),
        RecordKind::Campaign => None,
    }
}

/// Builds the JSON object for one row. `headers` are already trimmed and lowercased.
pub(crate) fn row_to_object(
    kind: RecordKind,
    headers: &[String],
    cells: &[&str],
) -> Result<Map<String, Value>, Vec<Problem>> {
    let columns = columns_for(kind).ok_or_else(|| {
        vec![Problem::new("type", format!("{kind} records cannot come as CSV rows; send them as JSON"))]
    })?;
    let mut object = Map::new();
    let mut attributes = Map::new();
    let mut problems = Vec::new();
    for (header, cell) in headers.iter().zip(cells) {
        if header == "type" {
            continue;
        }
        let Some(column) =
            columns.iter().flat_map(|group| group.iter()).find(|column| column.header == header.as_str())
        else {
            // In a CSV mixing record types, another type's columns are blank on this row.
            if cell.trim().is_empty() && is_contract_column(header) {
                continue;
            }
            if !has_attributes(kind) {
                problems.push(Problem::new(header.clone(), format!("not a column of {kind} records")));
                continue;
            }
            attributes.insert(header.clone(), attribute_json(AttributeValue::infer_from_text(cell)));
            continue;
        };
        let text = cell.trim();
        if text.is_empty() {
            continue;
        }
        let value = match column.cell {
            Cell::Text => Value::String(text.to_string()),
            Cell::List => Value::Array(
                text.split(';')
                    .map(str::trim)
                    .filter(|item| !item.is_empty())
                    .map(|item| Value::String(item.to_string()))
                    .collect(),
            ),
            Cell::Number => {
                match text.parse::<f64>().ok().filter(|number| number.is_finite()).and_then(Number::from_f64) {
                    // Whole numbers stay integers so integer fields (employee_count) accept them.
                    Some(number) if number.as_f64().is_some_and(|n| n.fract() == 0.0 && n.abs() < 9e15) => {
                        Value::from(number.as_f64().expect("checked") as i64)
                    }
                    Some(number) => Value::Number(number),
                    None => {
                        problems.push(Problem::new(column.header, format!("{text:?} is not a number")));
                        continue;
                    }
                }
            }
            Cell::Bool => match text.to_ascii_lowercase().as_str() {
                "true" | "yes" | "y" | "1" => Value::Bool(true),
                "false" | "no" | "n" | "0" => Value::Bool(false),
                _ => {
                    problems.push(Problem::new(column.header, format!("{text:?} is not true or false")));
                    continue;
                }
            },
        };
        insert_at(&mut object, column.path, value);
    }
    if !attributes.is_empty() {
        object.insert("attributes".to_string(), Value::Object(attributes));
    }
    if problems.is_empty() { Ok(object) } else { Err(problems) }
}

/// Whether `header` is a contract column of any record type.
fn is_contract_column(header: &str) -> bool {
    [RecordKind::Call, RecordKind::Lead, RecordKind::Activity, RecordKind::Outcome]
        .into_iter()
        .filter_map(columns_for)
        .flat_map(|groups| groups.iter())
        .flat_map(|group| group.iter())
        .any(|column| column.header == header)
}

fn insert_at(object: &mut Map<String, Value>, path: &[&str], value: Value) {
    let (last, parents) = path.split_last().expect("column paths are never empty");
    let mut target = object;
    for parent in parents {
        let entry = target.entry((*parent).to_string()).or_insert_with(|| Value::Object(Map::new()));
        target = entry.as_object_mut().expect("contract paths never put a scalar where an object goes");
    }
    target.insert((*last).to_string(), value);
}

fn attribute_json(value: AttributeValue) -> Value {
    match value {
        AttributeValue::Null => Value::Null,
        AttributeValue::Bool(flag) => Value::Bool(flag),
        AttributeValue::Number(number) => Number::from_f64(number).map(Value::Number).unwrap_or(Value::Null),
        AttributeValue::String(text) => Value::String(text),
    }
}

/// Every contract column header of every record type that can come as CSV, for documentation
/// checks.
pub fn csv_columns() -> Vec<&'static str> {
    let mut headers: Vec<&'static str> =
        [RecordKind::Call, RecordKind::Lead, RecordKind::Activity, RecordKind::Outcome]
            .into_iter()
            .filter_map(columns_for)
            .flat_map(|groups| groups.iter())
            .flat_map(|group| group.iter())
            .map(|column| column.header)
            .collect();
    headers.sort_unstable();
    headers.dedup();
    headers
}
