//! The capability to change things.
//!
//! Every mutating backend function takes `&Writer`. The process decides once, at
//! start-up, whether it may write ([`decide`]); a read-only decision can never be
//! turned into a `Writer` later, by any code, and a second decision gets nothing. So a
//! forgotten check in the UI cannot turn into a write: it does not compile, and no
//! path can mint the value it needs.
//!
//! A `Writer` cannot be built by hand:
//! ```compile_fail
//! let w = labdeck::core::access::Writer { _private: () };
//! ```
//! nor asked for without deciding the process's mode (there is no `grant` any more):
//! ```compile_fail
//! use labdeck::core::access::{grant, AccessMode};
//! let w = grant(AccessMode::ReadWrite);
//! ```
//! The one way, taken once by `main` (and by each test binary that writes):
//! ```
//! use labdeck::core::access::{decide, AccessMode};
//! let w: Option<labdeck::core::access::Writer> = decide(AccessMode::ReadWrite);
//! assert!(w.is_some());
//! assert!(decide(AccessMode::ReadWrite).is_none(), "a second decision gets nothing");
//! ```

use std::sync::OnceLock;

/// Whether this process may change anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessMode {
    ReadOnly,
    ReadWrite,
}

impl AccessMode {
    pub fn is_read_only(self) -> bool {
        self == AccessMode::ReadOnly
    }
}

/// Proof that writes are allowed. Cannot be built outside this module.
#[derive(Debug, Clone)]
pub struct Writer {
    _private: (),
}

/// Why a write was refused.
pub const READ_ONLY_REASON: &str =
    "read-only mode: labdeck was started with --read-only, LABDECK_READ_ONLY=1 or read_only = true";

/// The process's one decision; set by the first [`decide`].
static DECIDED: OnceLock<AccessMode> = OnceLock::new();

/// Decide, once per process, whether it may write. The first call fixes the mode and,
/// in read-write mode, returns the process's `Writer` (clone it to hand it on). Every
/// later call returns `None`, whatever it asks: once read-only is decided, nothing in
/// the process can obtain write power, and nobody can decide a second time.
pub fn decide(mode: AccessMode) -> Option<Writer> {
    let mut first = false;
    DECIDED.get_or_init(|| {
        first = true;
        mode
    });
    (first && mode == AccessMode::ReadWrite).then_some(Writer { _private: () })
}

/// The mode [`decide`] fixed, if it has run.
pub fn decided() -> Option<AccessMode> {
    DECIDED.get().copied()
}

/// A writer for this crate's own unit tests, which share one process and do not go
/// through start-up. Not compiled into the program or the library others link.
#[cfg(test)]
pub(crate) fn test_writer() -> Writer {
    Writer { _private: () }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_decision_holds_and_a_second_gets_nothing() {
        // The only test in this binary that decides: read-only first.
        assert!(decide(AccessMode::ReadOnly).is_none());
        assert_eq!(decided(), Some(AccessMode::ReadOnly));
        assert!(
            decide(AccessMode::ReadWrite).is_none(),
            "read-only, once decided, never becomes a writer"
        );
        assert_eq!(decided(), Some(AccessMode::ReadOnly));
    }
}
