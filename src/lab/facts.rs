//! What the sources say about addresses and links, in the terms the joins and checks
//! use: who claims an address, which networks sit on which VLAN, which links are down.

use crate::config::inventory::{AddressPool, Inventory};
use ipnet::IpNet;
use std::fmt;
use std::net::IpAddr;

/// Who holds an address.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Owner {
    /// A machine: an inventory host, or this machine's links (named as its inventory
    /// host when one has its addresses).
    Host(String),
    /// A Kubernetes LoadBalancer service's IP.
    LoadBalancer {
        context: String,
        namespace: String,
        name: String,
    },
}

impl fmt::Display for Owner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Owner::Host(h) => write!(f, "host {h}"),
            Owner::LoadBalancer {
                context,
                namespace,
                name,
            } => write!(f, "LoadBalancer {context}/{namespace}/{name}"),
        }
    }
}

/// An address someone holds, and the VLAN it is meant to be on when that is known (a
/// host address written with its VLAN, a link that is a VLAN's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub ip: IpAddr,
    pub owner: Owner,
    pub vlan: Option<u16>,
}

/// A network whose subnet is meant to be a VLAN's: a Docker macvlan or ipvlan network
/// on `eno1.64`, a Multus attachment on a VLAN's bridge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VlanNetwork {
    /// `docker network iot (macvlan on eno1.64)`.
    pub what: String,
    pub subnet: IpNet,
    pub vlan: u16,
}

/// A kernel link, as far as the checks care.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkState {
    pub host: String,
    pub name: String,
    /// Set up by its owner (`ip link set up`).
    pub admin_up: bool,
    /// Carrying traffic (`operstate` UP, or UNKNOWN for links without carrier
    /// detection, such as loopback and some bridges).
    pub oper_up: bool,
    /// The VLAN it is, when it is a VLAN link or sits on one.
    pub vlan: Option<u16>,
}

impl LinkState {
    /// The kernel links of `host` whose state matters to its VLANs, with the VLAN each
    /// is on: those on a VLAN, bridge ports, and bridges with ports. A bridge with
    /// nothing on it (`docker0` with no container) has no carrier by design and is left
    /// out.
    pub fn of_links(host: &str, links: &[crate::backend::net::Link]) -> Vec<LinkState> {
        use crate::backend::net::LinkKind;
        let has_ports = |l: &crate::backend::net::Link| {
            links
                .iter()
                .any(|p| p.controller.as_deref() == Some(&l.name))
        };
        links
            .iter()
            .filter(|l| {
                crate::backend::net::vlan_of(links, l).is_some()
                    || l.controller.is_some()
                    || (l.kind == LinkKind::Bridge && has_ports(l))
            })
            .map(|l| LinkState {
                host: host.to_string(),
                name: l.name.clone(),
                admin_up: l.admin_up,
                oper_up: l.carries(),
                vlan: crate::backend::net::vlan_of(links, l),
            })
            .collect()
    }
}

/// Everything the VLAN checks read: the inventory (may be empty) and what was found.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub inventory: Inventory,
    pub claims: Vec<Claim>,
    /// Pools found in the lab (MetalLB `IPAddressPool`s), beside the inventory's.
    pub found_pools: Vec<AddressPool>,
    pub networks: Vec<VlanNetwork>,
    pub links: Vec<LinkState>,
}

impl Facts {
    /// The inventory's hosts' addresses as claims.
    pub fn with_inventory_claims(mut self) -> Facts {
        let claims = self.inventory.hosts.iter().flat_map(|h| {
            h.addresses.iter().map(|a| Claim {
                ip: a.ip,
                owner: Owner::Host(h.name.clone()),
                vlan: a.vlan,
            })
        });
        self.claims.extend(claims.collect::<Vec<_>>());
        self
    }

    /// Every pool: the inventory's, then those found. A found pool whose range and
    /// kind the inventory already names is that pool (the plan written down and the
    /// cluster's MetalLB pool agree): counted once, not as two that overlap.
    pub fn pools(&self) -> impl Iterator<Item = &AddressPool> {
        let planned = &self.inventory.pools;
        planned.iter().chain(self.found_pools.iter().filter(|f| {
            !planned
                .iter()
                .any(|p| p.kind == f.kind && p.range == f.range)
        }))
    }
}
