//! Headless commands. They call the same backend code as the TUI.
pub mod bootstrap;
pub mod progress;
pub mod stack;
pub mod status;
