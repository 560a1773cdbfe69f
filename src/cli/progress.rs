//! Progress on the command line: a spinner with the step under way on a terminal
//! (each finished line kept above it), plain lines when piped (a boot unit's journal).

use crate::core::text::SafeText;
use crate::ops::plan::Progress;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Duration;

/// What a command hands its plan, and ends when done.
pub struct Shown {
    bar: Option<ProgressBar>,
}

impl Shown {
    /// Lines start with `prefix` (e.g. `… `).
    pub fn start(prefix: &'static str) -> (Shown, Progress) {
        if !std::io::stdout().is_terminal() {
            let plain: Progress =
                Arc::new(move |line| println!("{prefix}{}", SafeText::new(&line)));
            return (Shown { bar: None }, plain);
        }
        let bar = ProgressBar::new_spinner();
        if let Ok(style) = ProgressStyle::with_template("{spinner} {elapsed} {msg}") {
            bar.set_style(style);
        }
        bar.enable_steady_tick(Duration::from_millis(120));
        let b = bar.clone();
        let progress: Progress = Arc::new(move |line| {
            let line = SafeText::new(&line).to_string();
            b.println(format!("{prefix}{line}"));
            b.set_message(line);
        });
        (Shown { bar: Some(bar) }, progress)
    }

    pub fn finish(self) {
        if let Some(b) = self.bar {
            b.finish_and_clear();
        }
    }
}
