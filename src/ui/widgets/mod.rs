//! Reusable drawing pieces.
pub mod table;
