//! Fault injection for the terminal tests (`LABDECK_FAULT_PANIC`): a panic at a chosen
//! point, to show the terminal is left right. Unset, nothing happens.

use std::sync::atomic::{AtomicBool, Ordering};

pub const FAULT_PANIC_ENV: &str = "LABDECK_FAULT_PANIC";

/// Is the fault `what` asked for? `first-frame` is any value but the named ones, as the
/// oldest test sets `1`; `handover` and `watcher` are asked for by name.
pub fn asked(what: &str) -> bool {
    let v = std::env::var(FAULT_PANIC_ENV).ok();
    match what {
        "first-frame" => v.is_some_and(|v| v != "handover" && v != "watcher"),
        named => v.as_deref() == Some(named),
    }
}

/// `LABDECK_FAULT_STEP_DELAY_MS`: a pause after each plan step is journalled as
/// started, so a test can kill an apply in the middle of a step. Unset: none.
pub const STEP_DELAY_ENV: &str = "LABDECK_FAULT_STEP_DELAY_MS";

pub fn step_delay() -> Option<std::time::Duration> {
    let ms: u64 = std::env::var(STEP_DELAY_ENV).ok()?.parse().ok()?;
    Some(std::time::Duration::from_millis(ms))
}

/// As [`asked`], but true once only (a restarted task must not panic again).
pub fn once(what: &str) -> bool {
    static FIRED: AtomicBool = AtomicBool::new(false);
    asked(what) && !FIRED.swap(true, Ordering::SeqCst)
}
