//! Sources of truth. Nothing here knows about terminals: the TUI and the CLI share it.
pub mod hub;
pub mod kube;
pub mod net;
pub mod probe;
pub mod shell;
pub mod supervise;
pub mod swarm;
pub mod zfs;
