//! Wizards: guided changes in the modal slot, opened from the `:` line. Each is a
//! `Flow` (its fields and how they make a plan) in the shared `frame`, which shows the
//! plan's diff, asks, applies through the shell's plans (with a journal), and shows
//! how it ended. The bootstrap is the first.
pub mod bootstrap;
pub mod frame;

use super::shell::Shell;

/// Opens a wizard in the modal slot.
pub type Open = fn(&mut Shell);

/// The `:` words that open a wizard, and how.
pub const WORDS: &[(&str, Open)] = &[("bootstrap", bootstrap::open)];

#[cfg(test)]
mod tests;
