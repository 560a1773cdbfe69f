//! labdeck: one terminal console for the hybrid homelab.
//!
//! Layers (see ARCHITECTURE.md): `core` (pure types), `config`, `backend` (talks to
//! engines, knows nothing of terminals), `cli` (headless), `app` (TUI runtime) and
//! `ui` (rendering).
pub mod app;
pub mod backend;
pub mod cli;
pub mod config;
pub mod core;
pub mod lab;
pub mod ops;
pub mod term;
pub mod ui;

#[cfg(test)]
mod boundary_tests;
