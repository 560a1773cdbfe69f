//! `inventory.toml`: what the user says about the lab that no source can discover: which
//! machine is which (its addresses, role, and its Swarm and Kubernetes node names where
//! they differ from its own), the VLANs and their subnets, and the address pools (VIPs,
//! DHCP). Optional: labdeck runs without it, from what it discovers. A wrong file is a
//! warning naming each problem's line and field, and is then left out whole.

mod parse;
mod range;

pub use parse::parse;
pub use range::AddressRange;

use ipnet::IpNet;
use std::net::IpAddr;
use std::path::Path;

/// The inventory's file name in the config dir.
pub const FILE: &str = "inventory.toml";

/// The TCP port a host's reachability is probed on when neither it nor `[probe]` says.
pub const DEFAULT_PROBE_PORT: u16 = 22;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inventory {
    pub probe: Probe,
    pub hosts: Vec<Host>,
    pub vlans: Vec<Vlan>,
    pub pools: Vec<AddressPool>,
}

/// How hosts' reachability is probed: a TCP connect, only to addresses named here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Probe {
    pub port: u16,
    pub timeout: std::time::Duration,
}

impl Default for Probe {
    fn default() -> Probe {
        Probe {
            port: DEFAULT_PROBE_PORT,
            timeout: std::time::Duration::from_millis(800),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Host {
    pub name: String,
    pub addresses: Vec<HostAddress>,
    pub role: String,
    pub notes: String,
    /// Its Swarm node's hostname, when not its name.
    pub swarm_node: Option<String>,
    /// The Kubernetes nodes it is, when their names are not its name.
    pub kube_nodes: Vec<KubeNodeRef>,
    /// The `[[zfs]]` source in config.toml (by name) whose ZFS pools are its pools.
    pub zfs: Option<String>,
    /// Its reachability port, when not `[probe]`'s; 0: not probed.
    pub probe_port: Option<u16>,
    /// Where it is written, for checks that point at it.
    pub line: usize,
}

/// One of a host's addresses, and the VLAN it is meant to be on when said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostAddress {
    pub ip: IpAddr,
    pub vlan: Option<u16>,
}

/// A Kubernetes node: `node` in every cluster, or only in the context `context`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubeNodeRef {
    pub context: Option<String>,
    pub node: String,
}

impl KubeNodeRef {
    pub fn matches(&self, context: &str, node: &str) -> bool {
        self.node == node && self.context.as_deref().is_none_or(|c| c == context)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Vlan {
    pub id: u16,
    pub name: String,
    pub subnet: IpNet,
    pub gateway: Option<IpAddr>,
    pub purpose: String,
    pub line: usize,
}

/// What a pool of addresses is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PoolKind {
    /// Virtual IPs handed to LoadBalancer services (MetalLB, kube-vip).
    Vip,
    /// Leased by a DHCP server.
    Dhcp,
    /// Set aside for static addresses.
    Static,
}

impl PoolKind {
    pub fn word(self) -> &'static str {
        match self {
            PoolKind::Vip => "vip",
            PoolKind::Dhcp => "dhcp",
            PoolKind::Static => "static",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct AddressPool {
    pub name: String,
    pub kind: PoolKind,
    pub range: AddressRange,
    pub vlan: Option<u16>,
    pub line: usize,
}

impl Inventory {
    /// The VLAN whose subnet holds `ip`, the narrowest if several do.
    pub fn vlan_of(&self, ip: IpAddr) -> Option<&Vlan> {
        self.vlans
            .iter()
            .filter(|v| v.subnet.contains(&ip))
            .max_by_key(|v| v.subnet.prefix_len())
    }

    pub fn vlan(&self, id: u16) -> Option<&Vlan> {
        self.vlans.iter().find(|v| v.id == id)
    }

    /// The port `host` is probed on, `None` when it is not probed.
    pub fn probe_port(&self, host: &Host) -> Option<u16> {
        match host.probe_port.unwrap_or(self.probe.port) {
            0 => None,
            p => Some(p),
        }
    }
}

/// The inventory at `path`: `Ok(None)` when there is none, `Err` with every problem
/// (`inventory.toml: line 12: hosts[2].addresses: …`) when it is wrong.
pub fn load(path: &Path) -> Result<Option<Inventory>, Vec<String>> {
    let name = path.display();
    match super::user_file::read_optional(path) {
        Ok(None) => Ok(None),
        Ok(Some(text)) => parse(&text)
            .map(Some)
            .map_err(|errors| errors.into_iter().map(|e| format!("{name}: {e}")).collect()),
        Err(e) => Err(vec![format!("{name}: cannot read: {e}")]),
    }
}

#[cfg(test)]
mod tests;
