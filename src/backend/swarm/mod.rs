//! Docker Engine and Swarm: reads, writes, the live watcher.
pub mod model;
pub mod query;
#[cfg(test)]
pub mod sample;

pub use model::SwarmSnapshot;
