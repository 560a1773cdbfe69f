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

/// As [`asked`], but true once only (a restarted task must not panic again).
pub fn once(what: &str) -> bool {
    static FIRED: AtomicBool = AtomicBool::new(false);
    asked(what) && !FIRED.swap(true, Ordering::SeqCst)
}
