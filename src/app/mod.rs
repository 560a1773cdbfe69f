//! The TUI runtime: messages in, `update`, effects out. Only this layer, `ui` and
//! `term` know about the terminal.
pub mod action;
pub mod command;
pub mod effect;
pub mod input;
pub mod keys;
pub mod logs;
pub mod msg;
pub mod run;
pub mod state;
pub mod streams;
pub mod swarm;
pub mod tab;
pub mod table;
pub mod update;
