//! Progress reporting for long operations, independent of how it is drawn.

/// Receives progress of a long operation. Implementations must be cheap: `set` is called often.
pub trait Progress: Send + Sync {
    /// A new phase begins, with `total` units of work (bytes, records).
    fn start(&self, label: &str, total: u64);
    /// `done` of the phase's units are complete.
    fn set(&self, done: u64);
    /// The phase is over.
    fn finish(&self);
}

/// Progress that goes nowhere (tests, `--json` output, library callers).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _label: &str, _total: u64) {}
    fn set(&self, _done: u64) {}
    fn finish(&self) {}
}
