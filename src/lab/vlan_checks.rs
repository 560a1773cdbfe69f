//! The VLAN checks: what a homelab's address plan gets wrong. Each finding is a warning
//! on the VLAN's row (or on no VLAN's) and a line of `labdeck status`:
//! - the same address claimed twice;
//! - an address outside the subnet of the VLAN it is meant to be on;
//! - a VIP pool overlapping another pool or a host's address;
//! - a LoadBalancer IP outside every VIP pool;
//! - a link that is set up but down.

use super::facts::{Facts, Owner};
use crate::config::inventory::PoolKind;
use std::collections::BTreeMap;
use std::net::IpAddr;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    /// The VLAN it is about, when it is about one.
    pub vlan: Option<u16>,
    pub text: String,
}

pub fn check(f: &Facts) -> Vec<Warning> {
    let inv = &f.inventory;
    let vlan_of = |ip: IpAddr| inv.vlan_of(ip).map(|v| v.id);
    let mut out = Vec::new();

    // The same address, two owners.
    let mut owners: BTreeMap<IpAddr, Vec<&Owner>> = BTreeMap::new();
    for c in &f.claims {
        let list = owners.entry(c.ip).or_default();
        if !list.contains(&&c.owner) {
            list.push(&c.owner);
        }
    }
    for (ip, list) in &owners {
        if list.len() > 1 {
            let who: Vec<String> = list.iter().map(ToString::to_string).collect();
            out.push(Warning {
                vlan: vlan_of(*ip),
                text: format!("{ip} is claimed {} times: {}", list.len(), who.join(", ")),
            });
        }
    }

    // Outside the VLAN it is meant for.
    for c in &f.claims {
        if let Some(id) = c.vlan
            && let Some(v) = inv.vlan(id)
            && !v.subnet.contains(&c.ip)
        {
            out.push(Warning {
                vlan: Some(id),
                text: format!(
                    "{}'s {} is outside VLAN {id}'s subnet {}",
                    c.owner, c.ip, v.subnet
                ),
            });
        }
    }
    for p in f.pools() {
        if let Some(id) = p.vlan
            && let Some(v) = inv.vlan(id)
            && !p.range.within(&v.subnet)
        {
            out.push(Warning {
                vlan: Some(id),
                text: format!(
                    "pool {} ({}) is outside VLAN {id}'s subnet {}",
                    p.name, p.range, v.subnet
                ),
            });
        }
    }
    for n in &f.networks {
        if let Some(v) = inv.vlan(n.vlan)
            && !(v.subnet.contains(&n.subnet.network()) && v.subnet.contains(&n.subnet.broadcast()))
        {
            out.push(Warning {
                vlan: Some(n.vlan),
                text: format!(
                    "{} has subnet {}, outside VLAN {}'s {}",
                    n.what, n.subnet, n.vlan, v.subnet
                ),
            });
        }
    }

    // VIP pools overlapping another pool, or a host's address.
    let pools: Vec<_> = f.pools().collect();
    for (i, a) in pools.iter().enumerate() {
        for b in &pools[i + 1..] {
            if (a.kind == PoolKind::Vip || b.kind == PoolKind::Vip) && a.range.overlaps(&b.range) {
                out.push(Warning {
                    vlan: a.vlan.or_else(|| vlan_of(a.range.start)),
                    text: format!(
                        "pool {} ({}) overlaps pool {} ({})",
                        a.name, a.range, b.name, b.range
                    ),
                });
            }
        }
        if a.kind != PoolKind::Vip {
            continue;
        }
        for c in f
            .claims
            .iter()
            .filter(|c| matches!(c.owner, Owner::Host(_)))
        {
            if a.range.contains(c.ip) {
                out.push(Warning {
                    vlan: a.vlan.or_else(|| vlan_of(c.ip)),
                    text: format!(
                        "VIP pool {} ({}) holds {}'s address {}",
                        a.name, a.range, c.owner, c.ip
                    ),
                });
            }
        }
    }

    // LoadBalancer IPs no VIP pool holds.
    let vips: Vec<_> = pools.iter().filter(|p| p.kind == PoolKind::Vip).collect();
    for c in &f.claims {
        if matches!(c.owner, Owner::LoadBalancer { .. })
            && !vips.iter().any(|p| p.range.contains(c.ip))
        {
            out.push(Warning {
                vlan: vlan_of(c.ip),
                text: format!("{}'s IP {} is in no VIP pool", c.owner, c.ip),
            });
        }
    }

    // Set up, yet down: no carrier, or its lower link down.
    for l in &f.links {
        if l.admin_up && !l.oper_up {
            out.push(Warning {
                vlan: l.vlan,
                text: format!("link {} on {} is down", l.name, l.host),
            });
        }
    }
    out.sort();
    out.dedup();
    out
}
