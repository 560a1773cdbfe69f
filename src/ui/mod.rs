//! Rendering: turns state into ratatui widgets. Reads state, never changes it.
pub mod theme;
