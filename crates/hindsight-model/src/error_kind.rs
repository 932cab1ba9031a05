//! The framework-neutral error classification every crate's error maps to.

use serde::Serialize;

/// What kind of failure an error is, independent of transport. The server maps this to HTTP
/// status codes in exactly one place; the CLI maps it to exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The thing asked for does not exist (in this tenant).
    NotFound,
    /// The input is malformed or breaks a rule.
    Invalid,
    /// The request conflicts with the current state.
    Conflict,
    /// A dependency (database, broker, file system) is unreachable or failing.
    Unavailable,
    /// A bug: an invariant did not hold.
    Internal,
}
