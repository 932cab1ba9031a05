//! Tenant identifiers: the key that scopes every read and write.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

/// A tenant: one customer's isolated slice of the data.
///
/// Restricted to `[A-Za-z0-9_.-]`, 1–64 bytes, so it can appear in file names, URLs and log fields
/// without escaping.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct TenantId(String);

/// Why a string is not a valid tenant id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid tenant id {value:?}: {reason}")]
pub struct InvalidTenantId {
    /// The refused value.
    pub value: String,
    /// What rule it breaks.
    pub reason: &'static str,
}

impl TenantId {
    /// The tenant used when none is given.
    pub const DEFAULT: &'static str = "default";

    /// Validates and wraps `value`.
    pub fn new(value: impl Into<String>) -> Result<Self, InvalidTenantId> {
        let value = value.into();
        let reason = if value.is_empty() {
            Some("must not be empty")
        } else if value.len() > 64 {
            Some("must be at most 64 bytes")
        } else if !value.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-')) {
            Some("may contain only letters, digits, '_', '.' and '-'")
        } else {
            None
        };
        match reason {
            Some(reason) => Err(InvalidTenantId { value, reason }),
            None => Ok(TenantId(value)),
        }
    }

    /// The tenant id as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for TenantId {
    fn default() -> Self {
        TenantId(Self::DEFAULT.to_string())
    }
}

impl fmt::Display for TenantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for TenantId {
    type Err = InvalidTenantId;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TenantId::new(s)
    }
}

impl<'de> Deserialize<'de> for TenantId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = String::deserialize(deserializer)?;
        TenantId::new(value).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::TenantId;

    #[test]
    fn tenant_ids_refuse_characters_that_would_need_escaping() {
        assert!(TenantId::new("acme-eu.1_a").is_ok());
        assert_eq!(
            TenantId::new("acme/eu").unwrap_err().to_string(),
            "invalid tenant id \"acme/eu\": may contain only letters, digits, '_', '.' and '-'"
        );
        assert!(TenantId::new("").is_err());
        assert!(TenantId::new("x".repeat(65)).is_err());
    }
}
