//! The `"type"` key that makes each JSON record self-describing.
//!
//! Every record type accepts (and writes) its own tag, so one JSONL file can mix calls, leads and
//! activities, and so the decoders can use strict, allocation-free serde derives
//! (`deny_unknown_fields`) instead of buffering each record into a generic tree first.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! record_tag {
    ($name:ident, $value:literal) => {
        #[doc = concat!("The tag `\"type\": \"", $value, "\"`; a record without the key is accepted too.")]
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct $name;

        impl $name {
            /// The tag's value on the wire.
            pub const VALUE: &'static str = $value;
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str($value)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
                if value == $value {
                    Ok($name)
                } else {
                    Err(serde::de::Error::custom(format!("expected \"{}\", found {:?}", $value, value)))
                }
            }
        }
    };
}

record_tag!(CallTag, "call");
record_tag!(LeadTag, "lead");
record_tag!(ActivityTag, "activity");
record_tag!(OutcomeTag, "outcome");
record_tag!(CampaignTag, "campaign");
