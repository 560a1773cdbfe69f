//! The VLANs pane: one row per VLAN, the inventory's plan joined with this host's
//! links, the engines' macvlan and ipvlan networks and the clusters' LoadBalancer IPs
//! (`lab::vlans`), each with the checks' warnings; a VLAN opens on what is on it, with
//! its links' rates. It reads the engines and clusters through the hub, as their own
//! panes do, and this host's links from the hub's one link watcher.
pub mod pane;
pub mod rows;

#[cfg(test)]
pub(crate) mod tests;

pub use pane::VlansPane;

use super::pane::Pane;
use super::registry::Entry;
use crate::config::settings::Settings;

pub const ENTRY: Entry = Entry { make, config: None };

fn make(settings: &Settings) -> Box<dyn Pane> {
    let (engines, clusters, inventory) = super::nodes::sources_of(settings);
    Box::new(VlansPane::new(engines, clusters, inventory))
}
