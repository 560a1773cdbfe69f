//! One row per VLAN: the inventory's plan joined with what is found on this host's
//! links, the engines' macvlan and ipvlan networks, and the clusters' LoadBalancer
//! IPs; and the checks' warnings, each on its VLAN. The VLANs pane and `labdeck status`
//! both read this.

use super::facts::{Claim, Facts, LinkState, Owner, VlanNetwork};
use super::vlan_checks::{Warning, check};
use crate::backend::net::{Link, vlan_from_name, vlan_of};
use crate::config::inventory::Inventory;
use ipnet::IpNet;
use std::collections::BTreeSet;
use std::net::IpAddr;

/// A Docker network as the VLAN join needs it.
pub struct DockerNet<'a> {
    pub engine: &'a str,
    pub name: &'a str,
    pub driver: &'a str,
    pub parent: Option<&'a str>,
    pub subnets: Vec<&'a str>,
}

/// A Kubernetes LoadBalancer service's IPs.
pub struct LoadBalancer<'a> {
    pub cluster: &'a str,
    pub namespace: &'a str,
    pub name: &'a str,
    pub ips: Vec<IpAddr>,
}

/// A Multus network attachment as the VLAN join needs it.
pub struct AttachNet<'a> {
    pub cluster: &'a str,
    pub namespace: &'a str,
    pub name: &'a str,
    pub plugin: &'a str,
    /// The host link: a bridge's name or a macvlan's master.
    pub link: Option<&'a str>,
    pub vlan: Option<u16>,
    pub subnet: Option<&'a str>,
}

impl AttachNet<'_> {
    fn what(&self) -> String {
        format!(
            "attachment {}/{}/{} ({} on {})",
            self.cluster,
            self.namespace,
            self.name,
            self.plugin,
            self.link.unwrap_or("?")
        )
    }
}

pub struct Inputs<'a> {
    pub inventory: &'a Inventory,
    /// This machine's name: its inventory host's, else its hostname.
    pub here: &'a str,
    pub links: &'a [Link],
    pub networks: Vec<DockerNet<'a>>,
    pub balancers: Vec<LoadBalancer<'a>>,
    /// Pools found in the clusters (MetalLB's), beside the inventory's.
    pub found_pools: Vec<crate::config::inventory::AddressPool>,
    pub attachments: Vec<AttachNet<'a>>,
}

/// The VLAN of a host link by name: the kernel's word for a link here, else the
/// `eno1.64` convention.
fn link_vlan(i: &Inputs, name: &str) -> Option<u16> {
    i.links
        .iter()
        .find(|l| l.name == name)
        .and_then(|l| vlan_of(i.links, l))
        .or_else(|| vlan_from_name(name))
}

/// The VLAN an attachment is on: the one it tags, else its link's.
fn attachment_vlan(i: &Inputs, a: &AttachNet) -> Option<u16> {
    a.vlan.or_else(|| a.link.and_then(|l| link_vlan(i, l)))
}

#[derive(Debug, Clone, PartialEq)]
pub struct VlanRow {
    pub id: u16,
    pub name: String,
    pub subnet: Option<IpNet>,
    pub gateway: Option<IpAddr>,
    pub purpose: String,
    /// In the inventory's plan (else only found).
    pub planned: bool,
    /// This host's links on it (names).
    pub links: Vec<String>,
    /// Docker networks on it: `engine/name (macvlan on eno1.64)`.
    pub networks: Vec<String>,
    /// Inventory hosts with an address in it: `name address`.
    pub hosts: Vec<String>,
    /// LoadBalancer IPs in it: `cluster/ns/name address`.
    pub vips: Vec<String>,
    /// Pools on it: `name kind range`.
    pub pools: Vec<String>,
    pub warnings: Vec<String>,
}

fn usable(ip: &IpAddr) -> bool {
    !ip.is_loopback() && !matches!(ip, IpAddr::V6(v6) if v6.segments()[0] & 0xffc0 == 0xfe80)
}

/// The facts the checks read, from the inputs.
pub fn facts(i: &Inputs) -> Facts {
    let mut f = Facts {
        inventory: i.inventory.clone(),
        ..Facts::default()
    }
    .with_inventory_claims();
    for l in i.links {
        let vlan = vlan_of(i.links, l);
        for a in l.addresses.iter().filter(|a| usable(&a.addr())) {
            f.claims.push(Claim {
                ip: a.addr(),
                owner: Owner::Host(i.here.to_string()),
                vlan,
            });
        }
    }
    f.links = LinkState::of_links(i.here, i.links);
    for lb in &i.balancers {
        for ip in &lb.ips {
            f.claims.push(Claim {
                ip: *ip,
                owner: Owner::LoadBalancer {
                    context: lb.cluster.to_string(),
                    namespace: lb.namespace.to_string(),
                    name: lb.name.to_string(),
                },
                vlan: None,
            });
        }
    }
    f.found_pools = i.found_pools.clone();
    for a in &i.attachments {
        let subnet = a.subnet.and_then(|s| s.parse::<IpNet>().ok());
        if let (Some(vlan), Some(subnet)) = (attachment_vlan(i, a), subnet) {
            f.networks.push(VlanNetwork {
                what: a.what(),
                subnet,
                vlan,
            });
        }
    }
    for n in &i.networks {
        let (Some(parent), Some(subnet)) = (
            n.parent,
            n.subnets.first().and_then(|s| s.parse::<IpNet>().ok()),
        ) else {
            continue;
        };
        let vlan = link_vlan(i, parent);
        if let Some(vlan) = vlan {
            f.networks.push(VlanNetwork {
                what: format!(
                    "docker network {}/{} ({} on {parent})",
                    n.engine, n.name, n.driver
                ),
                subnet,
                vlan,
            });
        }
    }
    f
}

/// Every VLAN, planned or found, in id order, with what is on it and its warnings.
pub fn rows(i: &Inputs, f: &Facts, warnings: &[Warning]) -> Vec<VlanRow> {
    let inv = i.inventory;
    let mut ids: BTreeSet<u16> = inv.vlans.iter().map(|v| v.id).collect();
    ids.extend(i.links.iter().filter_map(|l| vlan_of(i.links, l)));
    ids.extend(f.networks.iter().map(|n| n.vlan));
    ids.extend(i.attachments.iter().filter_map(|a| attachment_vlan(i, a)));
    ids.into_iter()
        .map(|id| {
            let plan = inv.vlan(id);
            // A VLAN's own links (and those on them), and an untagged link with an
            // address in its planned subnet (the native VLAN of a port).
            let on: Vec<&Link> = i
                .links
                .iter()
                .filter(|l| match vlan_of(i.links, l) {
                    Some(v) => v == id,
                    None => plan.is_some_and(|p| {
                        l.addresses
                            .iter()
                            .any(|a| usable(&a.addr()) && p.subnet.contains(&a.addr()))
                    }),
                })
                .collect();
            // Found only: the subnet of an address on its links.
            let subnet = plan.map(|v| v.subnet).or_else(|| {
                on.iter()
                    .flat_map(|l| l.addresses.iter())
                    .find(|a| usable(&a.addr()))
                    .map(|a| a.trunc())
            });
            let inside = |ip: &IpAddr| subnet.is_some_and(|s| s.contains(ip));
            VlanRow {
                id,
                name: plan.map_or_else(String::new, |v| v.name.clone()),
                subnet,
                gateway: plan.and_then(|v| v.gateway),
                purpose: plan.map_or_else(String::new, |v| v.purpose.clone()),
                planned: plan.is_some(),
                links: on.iter().map(|l| l.name.clone()).collect(),
                networks: f
                    .networks
                    .iter()
                    .filter(|n| n.vlan == id)
                    .map(|n| n.what.clone())
                    // Other Docker networks (overlays, bridges) whose subnet is inside.
                    .chain(
                        i.networks
                            .iter()
                            .filter(|n| n.parent.is_none())
                            .filter(|n| {
                                let net = n.subnets.first().and_then(|s| s.parse::<IpNet>().ok());
                                matches!((net, subnet), (Some(n), Some(s)) if s.contains(&n.network()) && s.contains(&n.broadcast()))
                            })
                            .map(|n| format!("docker network {}/{} ({})", n.engine, n.name, n.driver)),
                    )
                    // Attachments that say no subnet are on the VLAN all the same.
                    .chain(
                        i.attachments
                            .iter()
                            .filter(|a| a.subnet.and_then(|s| s.parse::<IpNet>().ok()).is_none())
                            .filter(|a| attachment_vlan(i, a) == Some(id))
                            .map(AttachNet::what),
                    )
                    .collect(),
                hosts: f
                    .claims
                    .iter()
                    .filter(|c| {
                        matches!(c.owner, Owner::Host(_)) && (c.vlan == Some(id) || inside(&c.ip))
                    })
                    .map(|c| match &c.owner {
                        Owner::Host(h) => format!("{h} {}", c.ip),
                        o => format!("{o} {}", c.ip),
                    })
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect(),
                vips: f
                    .claims
                    .iter()
                    .filter(|c| matches!(c.owner, Owner::LoadBalancer { .. }) && inside(&c.ip))
                    .map(|c| match &c.owner {
                        Owner::LoadBalancer {
                            context,
                            namespace,
                            name,
                        } => format!("{context}/{namespace}/{name} {}", c.ip),
                        o => o.to_string(),
                    })
                    .collect(),
                pools: f
                    .pools()
                    .filter(|p| p.vlan == Some(id) || subnet.is_some_and(|s| p.range.within(&s)))
                    .map(|p| format!("{} {} {}", p.name, p.kind.word(), p.range))
                    .collect(),
                warnings: warnings
                    .iter()
                    .filter(|w| w.vlan == Some(id))
                    .map(|w| w.text.clone())
                    .collect(),
            }
        })
        .collect()
}

/// The facts, the checks and the rows in one go.
pub fn table(i: &Inputs) -> (Vec<VlanRow>, Vec<Warning>) {
    let f = facts(i);
    let warnings = check(&f);
    (rows(i, &f, &warnings), warnings)
}
