//! The selected row's raw identity (its object's name and ID, from the snapshot, not
//! the cut display cell), for copy.

use super::pane::SwarmPane;
use super::view::SwarmView;
use crate::app::pane::Identity;

pub fn selected(p: &SwarmPane) -> Option<Identity> {
    let (engine, key) = p.selected()?;
    let snap = p.snap(&engine)?;
    let named = |name: &str| Some((name.to_string(), key.clone()));
    let (name, id) = match &p.level().view {
        // Stacks and projects are named by their label: the name is the ID.
        SwarmView::Stacks | SwarmView::Projects => named(&key)?,
        SwarmView::Services { .. } => named(snap.service(&key)?.name.as_str())?,
        SwarmView::Tasks { service, .. } => {
            let t = snap.tasks.iter().find(|t| t.id == key)?;
            let slot = t
                .slot
                .map_or_else(|| t.node_id.clone().unwrap_or_default(), |s| s.to_string());
            named(&format!("{service}.{slot}"))?
        }
        SwarmView::NodeTasks { .. } => {
            let t = snap.tasks.iter().find(|t| t.id == key)?;
            named(&super::rows::task_name(&snap, t))?
        }
        SwarmView::Nodes => named(snap.nodes.iter().find(|n| n.id == key)?.hostname.as_str())?,
        SwarmView::Networks => named(snap.networks.iter().find(|n| n.id == key)?.name.as_str())?,
        SwarmView::Secrets => named(snap.secrets.iter().find(|n| n.id == key)?.name.as_str())?,
        SwarmView::Configs => named(snap.configs.iter().find(|n| n.id == key)?.name.as_str())?,
        SwarmView::Containers { .. } => {
            named(snap.containers.iter().find(|c| c.id == key)?.name.as_str())?
        }
        SwarmView::Describe { id, name, .. } => (name.clone(), id.clone()),
    };
    Some(Identity { name, id })
}
