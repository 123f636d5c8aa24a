//! Progress bars on stderr, only for a person watching a terminal.
//!
//! CI logs and pipes get nothing: a progress bar there is noise, and stdout
//! must carry only the requested output.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

#[derive(Debug, Clone, Copy)]
pub struct Progress {
    enabled: bool,
}

impl Progress {
    /// Enabled when not `quiet` and stderr is a terminal.
    pub fn new(quiet: bool) -> Progress {
        Progress {
            enabled: !quiet && std::io::stderr().is_terminal(),
        }
    }

    /// Whether bars are drawn at all.
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    pub fn hidden() -> Progress {
        Progress { enabled: false }
    }

    /// A bar for one stage with `len` steps, named after the stage.
    pub fn stage(&self, name: &str, len: u64) -> ProgressBar {
        if !self.enabled {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{prefix:>10} [{bar:30}] {pos}/{len} {msg}")
                .expect("static template")
                .progress_chars("=> "),
        );
        bar.set_prefix(name.to_string());
        bar
    }
}
