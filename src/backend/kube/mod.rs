//! Kubernetes: every context of the kubeconfig at once, followed through watches and
//! converted at the door into a compact model of what the views show.
pub mod access;
pub mod config;
pub mod conn;
pub mod convert;
pub mod crds;
pub mod data;
pub mod exec;
pub mod follow;
pub mod forward;
pub mod kinds;
pub mod logs;
pub mod model;
pub mod ops;
pub mod quantity;
pub mod read;
/// Made-up clusters for tests and snapshots (not used by the program itself).
#[doc(hidden)]
pub mod sample;
pub mod watch;
pub mod writer;
