//! The Swarm pane: stacks, services, tasks, nodes, networks, secrets, configs (and
//! Compose projects on a plain engine), with logs, stats, describe and writes. The app
//! knows it only through `Pane` and its one line in the registry.
pub mod actions;
pub mod after;
pub mod alert;
pub mod describe;
mod engines_picker;
pub mod exec;
mod feeds;
#[cfg(test)]
mod health_tests;
pub mod identity;
pub mod jobs;
pub mod msg;
pub mod pane;
mod rebuild;
pub mod rows;
pub mod spec;
pub mod storage;
pub mod verbs;
pub mod view;
pub mod writes;

pub use pane::SwarmPane;

use super::pane::Pane;
use super::registry::Entry;
use crate::config::settings::Settings;

/// Its registry entry.
pub const ENTRY: Entry = Entry {
    make,
    config: Some(crate::config::settings::Table {
        key: crate::backend::swarm::engines::CONFIG_KEY,
        check: crate::config::settings::check_as::<crate::backend::swarm::engines::DockerTable>,
    }),
};

/// One engine per `[[docker]]` entry, else the environment's (see `engines`).
fn make(settings: &Settings) -> Box<dyn Pane> {
    use crate::backend::swarm::{connect::Endpoint, engines};
    let docker: Vec<engines::DockerEntry> = settings.table(engines::CONFIG_KEY).unwrap_or_default();
    let (found, warnings) = engines::resolve(&docker, &engines::Env::from_process());
    let mut pane = SwarmPane::with_engines(found.into_iter().map(Endpoint::from).collect());
    // The same ZFS hosts as the ZFS pane: where the services' data is.
    pane.storage = storage::Storage::from_settings(settings);
    pane.warnings = warnings
        .iter()
        .map(|w| crate::core::text::SafeText::new(w))
        .collect();
    Box::new(pane)
}
