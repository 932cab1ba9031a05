//! Progress bars on a terminal, nothing in a pipe.

use hindsight_app::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::sync::Mutex;

/// Draws an indicatif bar on stderr; indicatif hides it when stderr is not a terminal, so logs
/// and CI output stay clean.
pub struct TerminalProgress {
    bar: Mutex<Option<ProgressBar>>,
    enabled: bool,
}

impl TerminalProgress {
    /// A progress reporter; `enabled = false` draws nothing (for `--json` and `--quiet`).
    pub fn new(enabled: bool) -> Self {
        TerminalProgress { bar: Mutex::new(None), enabled }
    }
}

impl Progress for TerminalProgress {
    fn start(&self, label: &str, total: u64) {
        if !self.enabled {
            return;
        }
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        let template = if label == "ingesting" {
            "{msg:>18} [{bar:40}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta})"
        } else {
            "{msg:>18} [{bar:40}] {human_pos}/{human_len} ({per_sec}, {eta})"
        };
        bar.set_style(ProgressStyle::with_template(template).expect("valid template").progress_chars("=> "));
        bar.set_message(label.to_string());
        if let Ok(mut slot) = self.bar.lock() {
            *slot = Some(bar);
        }
    }

    fn set(&self, done: u64) {
        if let Ok(slot) = self.bar.lock()
            && let Some(bar) = slot.as_ref()
        {
            bar.set_position(done);
        }
    }

    fn finish(&self) {
        if let Ok(mut slot) = self.bar.lock()
            && let Some(bar) = slot.take()
        {
            bar.finish_and_clear();
        }
    }
}
