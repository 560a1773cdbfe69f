//! Docker Engine and Swarm: reads, writes, the live watcher.
pub mod client;
mod conn;
pub mod connect;
pub mod convert;
pub mod create;
mod dial;
pub mod model;
pub mod query;
/// A made-up homelab for tests and benchmarks (not used by the program itself).
#[doc(hidden)]
pub mod sample;
pub mod settle;
pub mod since;

pub use model::SwarmSnapshot;
pub mod engines;
pub mod events;
pub mod exec;
pub mod frames;
pub mod health;
pub mod index;
pub mod inspect;
pub mod lanes;
pub mod logs;
pub mod ops;
pub mod reader;
pub mod stack_deploy;
pub mod stack_rm;
pub mod stack_state;
pub mod stats;
pub mod transport;
pub mod watch;
pub mod writer;
