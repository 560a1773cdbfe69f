//! Changes as data: a plan is a list of steps that can say what they will do and
//! then do it with a `Writer`. A write from a pane is a plan of one step; the
//! bootstrap and cutover wizards run plans of many.
pub mod bootstrap;
pub mod journal;
pub mod plan;
#[cfg(test)]
mod reconcile_tests;
pub mod stack;
