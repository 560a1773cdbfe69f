//! The TUI runtime: messages in, `update`, effects out. Only this layer, `ui` and
//! `term` know about the terminal.
pub mod action;
pub mod swarm;
pub mod table;
