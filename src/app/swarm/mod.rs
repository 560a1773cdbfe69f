//! The Swarm pane's state: a stack of views (drill-downs), each with its table.
pub mod describe;
pub mod rows;
pub mod view;
