//! Pure types shared by every layer: no I/O here.
pub mod access;
pub mod action;
pub mod fault;
pub mod log_line;
pub mod stats;
pub mod status;
pub mod text;
pub mod time;
