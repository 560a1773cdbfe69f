//! Reusable drawing pieces.
pub mod columns;
pub mod table;
