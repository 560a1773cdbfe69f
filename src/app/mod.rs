//! The TUI runtime: messages in, `update`, effects out. Only this layer, `ui` and
//! `term` know about the terminal. Panes plug in through `pane::Pane` and `registry`.
pub mod command;
pub mod data_sources;
pub mod describe;
pub mod effect;
pub mod feed;
pub mod handover;
pub mod help;
pub mod input;
pub mod keys;
pub mod kube;
pub mod levels;
pub mod logs;
pub mod modal;
#[cfg(test)]
mod modal_tests;
pub mod msg;
pub mod nodes;
pub mod pane;
pub mod picker;
pub mod registry;
pub mod run;
pub mod shell;
pub mod sources;
pub mod state;
pub mod swarm;
pub mod table;
pub mod task;
pub mod tasks;
pub mod update;
pub mod vlans;
pub mod wizard;
pub mod zfs;
