//! The bootstrap: what a NAS's infrastructure tier needs to come up by itself, in
//! order (a swarm, its overlay networks, secrets and configs from files, stacks each
//! healthy before the next), read from `bootstrap.toml` and run as one plan.
pub mod file;
pub mod steps;
