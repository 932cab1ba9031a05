//! Custom fields: the user's own CRM properties and platform metadata, kept as they came.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Custom fields by name. A `BTreeMap` so serialization is deterministic (stable hashes, stable diffs).
pub type Attributes = BTreeMap<String, AttributeValue>;

/// One custom field's value: only scalars, because custom fields become model features and table
/// columns; nested objects would have no obvious meaning there.
#[derive(Debug, Clone, PartialEq)]
pub enum AttributeValue {
    /// An explicit null (the field exists but has no value).
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// Any JSON number, held as `f64`.
    Number(f64),
    /// Text.
    String(String),
}

impl AttributeValue {
    /// Reads a CSV cell the way a spreadsheet user means it: empty is null, `true`/`false` are
    /// booleans, anything that parses as a finite number is a number, the rest is text.
    pub fn infer_from_text(text: &str) -> AttributeValue {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return AttributeValue::Null;
        }
        match trimmed.to_ascii_lowercase().as_str() {
            "true" => return AttributeValue::Bool(true),
            "false" => return AttributeValue::Bool(false),
            _ => {}
        }
        match trimmed.parse::<f64>() {
            Ok(number) if number.is_finite() => AttributeValue::Number(number),
            _ => AttributeValue::String(text.to_string()),
        }
    }
}

impl Serialize for AttributeValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            AttributeValue::Null => serializer.serialize_unit(),
            AttributeValue::Bool(value) => serializer.serialize_bool(*value),
            AttributeValue::Number(value) => serializer.serialize_f64(*value),
            AttributeValue::String(value) => serializer.serialize_str(value),
        }
    }
}

impl<'de> Deserialize<'de> for AttributeValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;
        impl<'de> Visitor<'de> for ScalarVisitor {
            type Value = AttributeValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, number, boolean or null")
            }
            fn visit_unit<E: de::Error>(self) -> Result<AttributeValue, E> {
                Ok(AttributeValue::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<AttributeValue, E> {
                Ok(AttributeValue::Null)
            }
            fn visit_bool<E: de::Error>(self, value: bool) -> Result<AttributeValue, E> {
                Ok(AttributeValue::Bool(value))
            }
            fn visit_i64<E: de::Error>(self, value: i64) -> Result<AttributeValue, E> {
                Ok(AttributeValue::Number(value as f64))
            }
            fn visit_u64<E: de::Error>(self, value: u64) -> Result<AttributeValue, E> {
                Ok(AttributeValue::Number(value as f64))
            }
            fn visit_f64<E: de::Error>(self, value: f64) -> Result<AttributeValue, E> {
                Ok(AttributeValue::Number(value))
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<AttributeValue, E> {
                Ok(AttributeValue::String(value.to_string()))
            }
            fn visit_string<E: de::Error>(self, value: String) -> Result<AttributeValue, E> {
                Ok(AttributeValue::String(value))
            }
        }
        deserializer.deserialize_any(ScalarVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::AttributeValue;

    #[test]
    fn csv_cells_are_read_as_the_scalar_they_look_like() {
        assert_eq!(AttributeValue::infer_from_text(""), AttributeValue::Null);
        assert_eq!(AttributeValue::infer_from_text("TRUE"), AttributeValue::Bool(true));
        assert_eq!(AttributeValue::infer_from_text(" 42.5 "), AttributeValue::Number(42.5));
        assert_eq!(AttributeValue::infer_from_text("NaN"), AttributeValue::String("NaN".into()));
        assert_eq!(AttributeValue::infer_from_text("Q3 pilot"), AttributeValue::String("Q3 pilot".into()));
    }

    #[test]
    fn nested_values_are_refused_with_what_is_allowed() {
        let error = serde_json::from_str::<AttributeValue>("[1, 2]").unwrap_err();
        assert!(error.to_string().contains("a string, number, boolean or null"), "{error}");
    }
}
