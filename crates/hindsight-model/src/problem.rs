//! Problems found in a record: where (a field path) and why.

use std::fmt;

/// One thing wrong with a record: the field (a dotted path such as `turns[3].speaker`) and the reason.
///
/// Problems carry no file or line: the decoder that knows where the record came from adds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Dotted path of the offending field; `-` when the problem is about the record as a whole.
    pub field: String,
    /// Why the value is refused, lowercase, concise.
    pub reason: String,
}

impl Problem {
    /// A problem with `field` for `reason`.
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Problem { field: field.into(), reason: reason.into() }
    }

    /// The same problem, with its field placed under `parent` (`turns[2]` + `speaker`).
    pub fn under(mut self, parent: &str) -> Self {
        self.field = if self.field == "-" { parent.to_string() } else { format!("{parent}.{}", self.field) };
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

/// Semantic checks that serde cannot express (ranges, orderings, cross-field rules).
pub trait Validate {
    /// Every problem found; empty when the record is valid.
    fn validate(&self) -> Vec<Problem>;
}

/// Pushes a problem when an identifier is empty or absurdly long; shared by every record type.
pub(crate) fn check_id(field: &str, value: &str, problems: &mut Vec<Problem>) {
    if value.trim().is_empty() {
        problems.push(Problem::new(field, "must not be empty"));
    } else if value.len() > 256 {
        problems.push(Problem::new(field, format!("is {} bytes long, the limit is 256", value.len())));
    }
}

/// Pushes a problem when a number is NaN, infinite or outside `[min, max]`.
pub(crate) fn check_range(field: &str, value: f64, min: f64, max: f64, problems: &mut Vec<Problem>) {
    if !value.is_finite() {
        problems.push(Problem::new(field, "must be a finite number"));
    } else if value < min || value > max {
        problems.push(Problem::new(field, format!("{value} is outside {min}..={max}")));
    }
}
