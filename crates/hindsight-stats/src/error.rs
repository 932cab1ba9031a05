//! Errors: inputs a statistic is not defined for.

/// Why a statistic cannot be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StatsError {
    /// The inputs are outside the statistic's domain.
    #[error("{statistic}: {reason}")]
    Invalid {
        /// Which statistic.
        statistic: &'static str,
        /// What is wrong with the inputs.
        reason: String,
    },
}

/// Result alias for statistics.
pub type Result<T, E = StatsError> = std::result::Result<T, E>;

pub(crate) fn invalid(statistic: &'static str, reason: impl Into<String>) -> StatsError {
    StatsError::Invalid { statistic, reason: reason.into() }
}
