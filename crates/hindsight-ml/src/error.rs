//! Errors: settings out of range, data a model or metric is not defined for, a fit that failed.

/// Why a model or metric could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MlError {
    /// A setting is out of range.
    #[error("invalid setting {setting}: {reason}")]
    InvalidParams {
        /// The setting.
        setting: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The data does not fit what is asked of it.
    #[error("invalid data: {0}")]
    InvalidData(String),
    /// The optimizer stopped before converging.
    #[error("did not converge in {iterations} iterations (last step {last_step:e}); try a stronger penalty")]
    NotConverged {
        /// Iterations run.
        iterations: usize,
        /// Largest coefficient change of the last step.
        last_step: f64,
    },
}

/// Result alias for models and metrics.
pub type Result<T, E = MlError> = std::result::Result<T, E>;

pub(crate) fn invalid_data(reason: impl Into<String>) -> MlError {
    MlError::InvalidData(reason.into())
}
