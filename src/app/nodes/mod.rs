//! The Nodes pane: one row per machine, the inventory's hosts merged with every
//! engine's Swarm nodes and every cluster's Kubernetes nodes (`lab::nodes`), with their
//! roles, health, reachability, capacity and ZFS pools; a host opens on what runs on
//! it. It reads the same sources as the Swarm, Kubernetes and ZFS panes, through the
//! hub: each is watched once.
pub mod msg;
pub mod pane;
pub mod rows;
pub mod view;

#[cfg(test)]
pub(crate) mod tests;

pub use pane::NodesPane;

use super::pane::Pane;
use super::registry::Entry;
use crate::config::settings::Settings;

pub const ENTRY: Entry = Entry { make, config: None };

/// The same engines, clusters and hosts as their own panes, and the inventory.
fn make(settings: &Settings) -> Box<dyn Pane> {
    use crate::backend::swarm::{connect::Endpoint, engines};
    let docker: Vec<engines::DockerEntry> = settings.table(engines::CONFIG_KEY).unwrap_or_default();
    let (found, _) = engines::resolve(&docker, &engines::Env::from_process());
    let mut engines: Vec<Endpoint> = found.into_iter().map(Endpoint::from).collect();
    if engines.is_empty() {
        engines.push(Endpoint::from_value(None));
    }
    let kube: Vec<crate::backend::kube::config::KubeContext> = settings
        .table(crate::backend::kube::config::CONFIG_KEY)
        .unwrap_or_default();
    let mut zfs: Vec<crate::backend::zfs::runner::ZfsHost> = settings
        .table(crate::backend::zfs::runner::CONFIG_KEY)
        .unwrap_or_default();
    if zfs.is_empty() {
        zfs.push(crate::backend::zfs::runner::ZfsHost::local());
    }
    let dir = crate::config::paths::Paths::from_env().config_dir;
    let inventory = crate::config::inventory::load(&dir.join(crate::config::inventory::FILE));
    Box::new(NodesPane::new(
        engines,
        crate::backend::kube::config::clusters(&kube),
        zfs,
        inventory,
    ))
}
