//! One row per machine: the inventory's hosts, the Swarm nodes of every engine and the
//! Kubernetes nodes of every cluster, merged. The rules, in order:
//! 1. each inventory host is a row;
//! 2. a Swarm node joins the host whose `swarm_node` is its hostname, else the host
//!    named as it is, else the host with its address; else it is a row of its own
//!    (nodes seen through two managers of one swarm are one node, by ID);
//! 3. a Kubernetes node joins the host whose `kube_nodes` name it (in its cluster),
//!    else the row named as it is, else the row with its InternalIP; else it is a row of
//!    its own;
//! 4. a row in no orchestrator is "outside" (a Mac mini running native apps).
//!
//! So a name that differs between orchestrators, with nothing to join them, stays two
//! rows: the inventory is where they are said to be one machine.

use crate::backend::kube::model::Node as KubeNode;
use crate::backend::swarm::model::Node as SwarmNode;
use crate::config::inventory::{Host, Inventory};
use std::net::IpAddr;

#[derive(Debug, Clone, PartialEq)]
pub struct Machine {
    pub name: String,
    pub inventory: Option<Host>,
    /// Its Swarm node, with the engine it was read through.
    pub swarm: Option<(String, SwarmNode)>,
    /// Its Kubernetes nodes, with their cluster's name.
    pub kube: Vec<(String, KubeNode)>,
    /// The machine labdeck runs on.
    pub here: bool,
}

impl Machine {
    fn new(name: &str) -> Machine {
        Machine {
            name: name.to_string(),
            inventory: None,
            swarm: None,
            kube: Vec::new(),
            here: false,
        }
    }

    /// In no orchestrator.
    pub fn outside(&self) -> bool {
        self.swarm.is_none() && self.kube.is_empty()
    }

    /// Every address it is known by: the inventory's, its Swarm node's, its
    /// Kubernetes nodes' InternalIPs.
    pub fn addresses(&self) -> Vec<IpAddr> {
        let mut out: Vec<IpAddr> = Vec::new();
        let inv = self
            .inventory
            .iter()
            .flat_map(|h| h.addresses.iter().map(|a| a.ip));
        let swarm = self
            .swarm
            .iter()
            .filter_map(|(_, n)| n.addr.as_str().parse().ok());
        let kube = self
            .kube
            .iter()
            .filter_map(|(_, n)| n.address.as_str().parse().ok());
        for ip in inv.chain(swarm).chain(kube) {
            if !out.contains(&ip) {
                out.push(ip);
            }
        }
        out
    }

    fn named(&self, name: &str) -> bool {
        self.name == name
    }
}

/// What the merge reads.
pub struct Sources<'a> {
    pub inventory: &'a Inventory,
    /// Each engine's name and its snapshot's nodes.
    pub swarm: Vec<(&'a str, &'a [SwarmNode])>,
    /// Each cluster's name and its nodes.
    pub kube: Vec<(&'a str, Vec<&'a KubeNode>)>,
    /// This machine's hostname and addresses.
    pub here: (&'a str, &'a [IpAddr]),
}

pub fn merge(s: &Sources) -> Vec<Machine> {
    let mut rows: Vec<Machine> = s
        .inventory
        .hosts
        .iter()
        .map(|h| Machine {
            inventory: Some(h.clone()),
            ..Machine::new(&h.name)
        })
        .collect();
    let has_ip = |m: &Machine, ip: Option<IpAddr>| ip.is_some_and(|ip| m.addresses().contains(&ip));

    let mut seen = std::collections::HashSet::new();
    for (engine, nodes) in &s.swarm {
        for n in nodes.iter() {
            if !seen.insert(n.id.clone()) {
                continue;
            }
            let host = n.hostname.as_str();
            let ip = n.addr.as_str().parse().ok();
            let said = |m: &Machine| {
                m.inventory
                    .as_ref()
                    .is_some_and(|h| h.swarm_node.as_deref() == Some(host))
            };
            let at = rows
                .iter()
                .position(|m| m.swarm.is_none() && said(m))
                .or_else(|| rows.iter().position(|m| m.swarm.is_none() && m.named(host)))
                .or_else(|| rows.iter().position(|m| m.swarm.is_none() && has_ip(m, ip)));
            let row = match at {
                Some(i) => &mut rows[i],
                None => {
                    rows.push(Machine::new(host));
                    rows.last_mut().expect("just pushed")
                }
            };
            row.swarm = Some((engine.to_string(), n.clone()));
        }
    }

    for (cluster, nodes) in &s.kube {
        for n in nodes {
            let name = n.name.as_str();
            let ip = n.address.as_str().parse().ok();
            let said = |m: &Machine| {
                m.inventory
                    .as_ref()
                    .is_some_and(|h| h.kube_nodes.iter().any(|k| k.matches(cluster, name)))
            };
            let free = |m: &Machine| !m.kube.iter().any(|(c, _)| c == cluster);
            let at = rows
                .iter()
                .position(|m| free(m) && said(m))
                .or_else(|| rows.iter().position(|m| free(m) && m.named(name)))
                .or_else(|| rows.iter().position(|m| free(m) && has_ip(m, ip)));
            let row = match at {
                Some(i) => &mut rows[i],
                None => {
                    rows.push(Machine::new(name));
                    rows.last_mut().expect("just pushed")
                }
            };
            row.kube.push((cluster.to_string(), (*n).clone()));
        }
    }

    // This machine: by its hostname, else by an address of its own.
    let (hostname, mine) = s.here;
    let here = rows
        .iter()
        .position(|m| {
            m.named(hostname)
                || m.swarm
                    .as_ref()
                    .is_some_and(|(_, n)| n.hostname.as_str() == hostname)
        })
        .or_else(|| {
            rows.iter()
                .position(|m| m.addresses().iter().any(|ip| mine.contains(ip)))
        });
    match here {
        Some(i) => rows[i].here = true,
        None => rows.push(Machine {
            here: true,
            ..Machine::new(hostname)
        }),
    }
    rows
}
