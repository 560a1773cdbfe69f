//! The storage map's inputs as the Nodes pane holds them: every ZFS source's datasets,
//! every engine's services and containers, every cluster's PVs, and this machine's
//! names and addresses for NFS. The join itself is `lab::storage`.

use super::pane::NodesPane;
use crate::lab::storage::{Use, datasets_of, map, pv_holders, swarm_holders};
use std::net::IpAddr;

pub fn uses(p: &NodesPane, addrs: &[IpAddr]) -> Vec<Use> {
    let datasets: Vec<_> = p
        .zfs
        .iter()
        .filter_map(|z| Some((z.name.as_str(), z.data.as_ref()?)))
        .flat_map(|(host, s)| datasets_of(host, &s.pools, &s.datasets))
        .collect();
    let mut holders = Vec::new();
    for e in &p.engines {
        if let Some(s) = &e.data {
            holders.extend(swarm_holders(&e.name, &s.services, &s.containers));
        }
    }
    for c in &p.clusters {
        if let Some(d) = &c.data {
            holders.extend(pv_holders(&c.name, d.pvs.values()));
        }
    }
    let mut here: Vec<String> = addrs.iter().map(ToString::to_string).collect();
    here.push(p.hostname.clone());
    if let Some(m) = p.machines.iter().find(|m| m.here) {
        here.push(m.name.clone());
        here.extend(m.addresses().iter().map(ToString::to_string));
    }
    map(&datasets, &holders, &here)
}
