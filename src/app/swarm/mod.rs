//! The Swarm pane: stacks, services, tasks, nodes, networks, secrets, configs (and
//! Compose projects on a plain engine), with logs, stats, describe and writes. The app
//! knows it only through `Pane` and its one line in the registry.
pub mod actions;
pub mod describe;
pub mod jobs;
pub mod msg;
pub mod pane;
pub mod rows;
pub mod view;
pub mod writes;

pub use pane::SwarmPane;

use super::pane::Pane;
use super::registry::Entry;
use crate::config::settings::Settings;

/// Its registry entry.
pub const ENTRY: Entry = Entry {
    make,
    status: Some(crate::cli::status::swarm::collect),
};

fn make(_settings: &Settings) -> Box<dyn Pane> {
    Box::new(SwarmPane::new(
        crate::backend::swarm::connect::Endpoint::from_env(),
    ))
}
