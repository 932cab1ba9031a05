//! Field-by-field descriptions of each record type, used to report *every* problem in a record.
//!
//! serde stops at the first error. When a record fails the fast, strict decode, the decoder walks
//! these tables instead: each known field is checked on its own with the same serde type the
//! record uses, so a record with a bad `status` *and* a bad `started_at` gets both problems. A test
//! keeps these tables in step with the record structs' serde field lists.

use hindsight_model::{AttributeValue, CallStatus, Channel, LeadStatus, RecordKind, Speaker, Stage, TenantId};
use serde::Deserialize;
use serde_json::Value;

/// How one field is checked.
pub(crate) enum Check {
    /// Deserialize the value alone with the field's serde type.
    Value(fn(&Value) -> Result<(), String>),
    /// A nested object with its own fields.
    Object(&'static [Field]),
    /// An array whose elements are objects with their own fields.
    ArrayOf(&'static [Field]),
    /// An object of custom attributes (scalars only).
    Attributes,
}

/// One field of a record.
pub(crate) struct Field {
    pub name: &'static str,
    pub required: bool,
    pub check: Check,
}

const fn required(name: &'static str, check: Check) -> Field {
    Field { name, required: true, check }
}

const fn optional(name: &'static str, check: Check) -> Field {
    Field { name, required: false, check }
}

/// Checks that `value` decodes as `T`, returning serde's message tidied for people.
fn check_as<T: for<'de> Deserialize<'de>>(value: &Value) -> Result<(), String> {
    T::deserialize(value).map(|_| ()).map_err(|error| tidy_serde_message(&error.to_string()))
}

/// serde says "unknown variant `x`, expected one of …"; users think in values, not variants.
pub(crate) fn tidy_serde_message(message: &str) -> String {
    message.replace("unknown variant", "unknown value")
}

const TEXT: Check = Check::Value(check_as::<String>);
const OPTIONAL_TEXT: Check = Check::Value(check_as::<Option<String>>);
const NUMBER: Check = Check::Value(check_as::<f64>);
const OPTIONAL_NUMBER: Check = Check::Value(check_as::<Option<f64>>);
const OPTIONAL_COUNT: Check = Check::Value(check_as::<Option<u32>>);
const OPTIONAL_BOOL: Check = Check::Value(check_as::<Option<bool>>);
const BOOL: Check = Check::Value(check_as::<bool>);
const TIMESTAMP: Check = Check::Value(check_as::<chrono::DateTime<chrono::Utc>>);
const OPTIONAL_TIMESTAMP: Check = Check::Value(check_as::<Option<chrono::DateTime<chrono::Utc>>>);
const TEXT_LIST: Check = Check::Value(check_as::<Vec<String>>);
const TENANT: Check = Check::Value(check_as::<Option<TenantId>>);
const OPTIONAL_STAGE: Check = Check::Value(check_as::<Option<Stage>>);
const TYPE_TAG: Check = Check::Value(check_as::<String>);

pub(crate) const TURN: &[Field] = &[
    required("speaker", Check::Value(check_as::<Speaker>)),
    required("text", TEXT),
    required("start_s", NUMBER),
    required("end_s", NUMBER),
    optional("stage", OPTIONAL_STAGE),
];

pub(crate) const OUTCOME: &[Field] = &[
    optional("booked", OPTIONAL_BOOL),
    optional("confirmed", OPTIONAL_BOOL),
    optional("showed_up", OPTIONAL_BOOL),
    optional("converted", OPTIONAL_BOOL),
    optional("revenue", OPTIONAL_NUMBER),
    optional("appointment_at", OPTIONAL_TIMESTAMP),
    optional("days_to_appointment", OPTIONAL_NUMBER),
    optional("referred_others", OPTIONAL_BOOL),
    optional("feedback_rating", OPTIONAL_NUMBER),
];

pub(crate) const CALL: &[Field] = &[
    optional("type", TYPE_TAG),
    required("id", TEXT),
    optional("tenant", TENANT),
    required("campaign", TEXT),
    optional("lead_id", OPTIONAL_TEXT),
    required("agent", TEXT),
    required("script_version", TEXT),
    optional("variant", OPTIONAL_TEXT),
    required("started_at", TIMESTAMP),
    required("duration_s", NUMBER),
    required("status", Check::Value(check_as::<CallStatus>)),
    optional("drop_off_stage", OPTIONAL_STAGE),
    optional("escalation_reason", OPTIONAL_TEXT),
    optional("compliance_flags", TEXT_LIST),
    optional("sentiment", OPTIONAL_NUMBER),
    optional("turns", Check::ArrayOf(TURN)),
    optional("outcome", Check::Object(OUTCOME)),
    optional("attributes", Check::Attributes),
];

pub(crate) const ALS_COMPONENTS: &[Field] = &[
    required("data_quality", NUMBER),
    required("authority", NUMBER),
    required("company_fit", NUMBER),
    required("timing", NUMBER),
    optional("risk", NUMBER),
];

pub(crate) const ALS_WEIGHTS: &[Field] = &[
    required("data_quality", NUMBER),
    required("authority", NUMBER),
    required("company_fit", NUMBER),
    required("timing", NUMBER),
];

pub(crate) const LEAD_SCORE: &[Field] = &[
    required("components", Check::Object(ALS_COMPONENTS)),
    required("weights", Check::Object(ALS_WEIGHTS)),
    optional("score", OPTIONAL_NUMBER),
    optional("scored_at", OPTIONAL_TIMESTAMP),
];

pub(crate) const LEAD: &[Field] = &[
    optional("type", TYPE_TAG),
    required("id", TEXT),
    optional("tenant", TENANT),
    optional("campaign", OPTIONAL_TEXT),
    optional("title", OPTIONAL_TEXT),
    optional("industry", OPTIONAL_TEXT),
    optional("employee_count", OPTIONAL_COUNT),
    optional("company", OPTIONAL_TEXT),
    optional("domain", OPTIONAL_TEXT),
    optional("description", OPTIONAL_TEXT),
    optional("notes", OPTIONAL_TEXT),
    optional("funding_stage", OPTIONAL_TEXT),
    optional("is_new_role", OPTIONAL_BOOL),
    optional("is_hiring", OPTIONAL_BOOL),
    optional("recently_funded", OPTIONAL_BOOL),
    optional("tier", OPTIONAL_TEXT),
    required("status", Check::Value(check_as::<LeadStatus>)),
    optional("created_at", OPTIONAL_TIMESTAMP),
    optional("converted_at", OPTIONAL_TIMESTAMP),
    optional("score", Check::Object(LEAD_SCORE)),
    optional("attributes", Check::Attributes),
];

pub(crate) const CONTENT: &[Field] = &[
    optional("subject", OPTIONAL_TEXT),
    optional("body", OPTIONAL_TEXT),
    optional("cta", OPTIONAL_TEXT),
    optional("pain_points", TEXT_LIST),
    optional("angle", OPTIONAL_TEXT),
    optional("word_count", OPTIONAL_COUNT),
    optional("personalization_level", OPTIONAL_NUMBER),
];

pub(crate) const ACTIVITY: &[Field] = &[
    optional("type", TYPE_TAG),
    required("id", TEXT),
    optional("tenant", TENANT),
    required("lead_id", TEXT),
    optional("campaign", OPTIONAL_TEXT),
    required("channel", Check::Value(check_as::<Channel>)),
    required("action", TEXT),
    optional("touch_number", OPTIONAL_COUNT),
    required("at", TIMESTAMP),
    optional("content", Check::Object(CONTENT)),
    optional("led_to_booking", BOOL),
    optional("attributes", Check::Attributes),
];

pub(crate) const OUTCOME_EVENT: &[Field] = &[
    optional("type", TYPE_TAG),
    required("id", TEXT),
    optional("tenant", TENANT),
    optional("call_id", OPTIONAL_TEXT),
    optional("lead_id", OPTIONAL_TEXT),
    required("at", TIMESTAMP),
    optional("outcome", Check::Object(OUTCOME)),
    optional("lead_status", Check::Value(check_as::<Option<LeadStatus>>)),
];

pub(crate) const CAMPAIGN_TARGETS: &[Field] =
    &[required("calls_per_day", NUMBER), required("conversion_rate", NUMBER), required("revenue_per_call", NUMBER)];

pub(crate) const CAMPAIGN: &[Field] = &[
    optional("type", TYPE_TAG),
    required("id", TEXT),
    optional("tenant", TENANT),
    required("name", TEXT),
    optional("start_date", Check::Value(check_as::<Option<chrono::NaiveDate>>)),
    required("targets", Check::Object(CAMPAIGN_TARGETS)),
    required("avg_deal_value", NUMBER),
    optional("compliance_rules", TEXT_LIST),
    optional("script_versions", TEXT_LIST),
    optional("stages", Check::Value(check_as::<Vec<Stage>>)),
];

/// The top-level fields of a record kind.
pub(crate) fn fields_of(kind: RecordKind) -> &'static [Field] {
    match kind {
        RecordKind::Call => CALL,
        RecordKind::Lead => LEAD,
        RecordKind::Activity => ACTIVITY,
        RecordKind::Outcome => OUTCOME_EVENT,
        RecordKind::Campaign => CAMPAIGN,
    }
}

/// Whether a kind carries custom `attributes` (so unknown top-level fields can land there).
pub(crate) fn has_attributes(kind: RecordKind) -> bool {
    matches!(kind, RecordKind::Call | RecordKind::Lead | RecordKind::Activity)
}

/// Checks one attribute value.
pub(crate) fn check_attribute(value: &Value) -> Result<(), String> {
    check_as::<AttributeValue>(value)
}

#[cfg(test)]
mod tests {
    //! Keeps the tables above in step with the record structs: if a field is added to a struct and
    //! not here, the slow path would treat it as unknown and the error reports would drift.

    use std::cell::RefCell;

    use hindsight_model::{
        Activity, AlsComponents, AlsWeights, Call, Campaign, CampaignTargets, ContentSnapshot, Lead, LeadScoreSnapshot,
        Outcome, OutcomeEvent, Turn,
    };
    use serde::de::{self, Deserialize, Deserializer, Visitor};

    use super::Field;

    thread_local! {
        static CAPTURED: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
    }

    /// A deserializer that records the field list serde's derive passes to `deserialize_struct`
    /// and then stops.
    struct FieldCapture;

    #[derive(Debug)]
    struct Stop;
    impl std::fmt::Display for Stop {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("stop")
        }
    }
    impl std::error::Error for Stop {}
    impl de::Error for Stop {
        fn custom<T: std::fmt::Display>(_: T) -> Self {
            Stop
        }
    }

    impl<'de> Deserializer<'de> for FieldCapture {
        type Error = Stop;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
            Err(Stop)
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Stop> {
            CAPTURED.with(|captured| *captured.borrow_mut() = fields.to_vec());
            Err(Stop)
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
            unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
        }
    }

    fn serde_fields<T: for<'de> Deserialize<'de>>() -> Vec<&'static str> {
        let _ = T::deserialize(FieldCapture);
        CAPTURED.with(|captured| captured.borrow().clone())
    }

    fn table_fields(table: &[Field]) -> Vec<&'static str> {
        table.iter().map(|field| field.name).collect()
    }

    #[test]
    fn schema_tables_match_the_record_structs() {
        assert_eq!(table_fields(super::CALL), serde_fields::<Call>());
        assert_eq!(table_fields(super::TURN), serde_fields::<Turn>());
        assert_eq!(table_fields(super::OUTCOME), serde_fields::<Outcome>());
        assert_eq!(table_fields(super::LEAD), serde_fields::<Lead>());
        assert_eq!(table_fields(super::LEAD_SCORE), serde_fields::<LeadScoreSnapshot>());
        assert_eq!(table_fields(super::ALS_COMPONENTS), serde_fields::<AlsComponents>());
        assert_eq!(table_fields(super::ALS_WEIGHTS), serde_fields::<AlsWeights>());
        assert_eq!(table_fields(super::ACTIVITY), serde_fields::<Activity>());
        assert_eq!(table_fields(super::CONTENT), serde_fields::<ContentSnapshot>());
        assert_eq!(table_fields(super::OUTCOME_EVENT), serde_fields::<OutcomeEvent>());
        assert_eq!(table_fields(super::CAMPAIGN), serde_fields::<Campaign>());
        assert_eq!(table_fields(super::CAMPAIGN_TARGETS), serde_fields::<CampaignTargets>());
    }
}
