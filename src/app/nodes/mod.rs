//! The Nodes pane: one row per machine, the inventory's hosts merged with every
//! engine's Swarm nodes and every cluster's Kubernetes nodes (`lab::nodes`), with their
//! roles, health, reachability, capacity and ZFS pools; a host opens on what runs on
//! it. It reads the same sources as the Swarm, Kubernetes and ZFS panes, through the
//! hub: each is watched once.
pub mod msg;
pub mod pane;
pub mod rows;
pub mod storage;
pub mod view;

#[cfg(test)]
pub(crate) mod tests;

pub use pane::NodesPane;

use super::pane::Pane;
use super::registry::Entry;
use crate::config::settings::Settings;

pub const ENTRY: Entry = Entry { make, config: None };

/// The engines and clusters their own panes read, and the inventory: what the
/// panes of the lab as one (Nodes, VLANs) read too.
pub type LabSources = (
    Vec<crate::backend::swarm::connect::Endpoint>,
    Vec<crate::backend::kube::config::ClusterSpec>,
    Result<Option<crate::config::inventory::Inventory>, Vec<String>>,
);

pub fn sources_of(settings: &Settings) -> LabSources {
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
    let dir = crate::config::paths::Paths::from_env().config_dir;
    let inventory = crate::config::inventory::load(&dir.join(crate::config::inventory::FILE));
    (
        engines,
        crate::backend::kube::config::clusters(&kube),
        inventory,
    )
}

/// The same engines, clusters and ZFS hosts as their own panes, and the inventory.
fn make(settings: &Settings) -> Box<dyn Pane> {
    let (engines, clusters, inventory) = sources_of(settings);
    let mut zfs: Vec<crate::backend::zfs::runner::ZfsHost> = settings
        .table(crate::backend::zfs::runner::CONFIG_KEY)
        .unwrap_or_default();
    if zfs.is_empty() {
        zfs.push(crate::backend::zfs::runner::ZfsHost::local());
    }
    Box::new(NodesPane::new(engines, clusters, zfs, inventory))
}
