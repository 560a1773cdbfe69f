//! The capability to change things.
//!
//! Every mutating backend function takes `&Writer`. Only [`grant`] makes one, and it
//! refuses in read-only mode, so read-only startup never holds a `Writer` and a
//! forgotten check in the UI cannot turn into a write: it does not compile.

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

/// The one way to obtain a [`Writer`]: only in read-write mode.
pub fn grant(mode: AccessMode) -> Option<Writer> {
    match mode {
        AccessMode::ReadWrite => Some(Writer { _private: () }),
        AccessMode::ReadOnly => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_only_never_grants_a_writer() {
        assert!(grant(AccessMode::ReadOnly).is_none());
        assert!(grant(AccessMode::ReadWrite).is_some());
    }
}
