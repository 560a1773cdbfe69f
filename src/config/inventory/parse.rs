//! The inventory as written (spans kept), checked into an [`Inventory`]. Every problem
//! is said, each with its line and field (`line 14: hosts[1].addresses[0]: …`).

use super::{
    AddressPool, AddressRange, Host, HostAddress, Inventory, KubeNodeRef, PoolKind, Probe, Vlan,
};
use crate::config::user_file::{line_of, toml_error};
use ipnet::IpNet;
use serde::Deserialize;
use std::collections::HashSet;
use std::net::IpAddr;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    probe: Option<RawProbe>,
    #[serde(default)]
    hosts: Vec<Spanned<RawHost>>,
    #[serde(default)]
    vlans: Vec<Spanned<RawVlan>>,
    #[serde(default)]
    pools: Vec<Spanned<RawPool>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProbe {
    port: Option<u16>,
    timeout: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHost {
    name: Spanned<String>,
    #[serde(default)]
    addresses: Vec<Spanned<RawAddress>>,
    #[serde(default)]
    role: String,
    #[serde(default)]
    notes: String,
    swarm_node: Option<String>,
    #[serde(default)]
    kube_nodes: Vec<Spanned<String>>,
    zfs: Option<String>,
    probe_port: Option<u16>,
}

/// `"192.168.4.5"`, or `{ address = "192.168.64.5", vlan = 64 }`.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawAddress {
    Plain(String),
    OnVlan { address: String, vlan: u16 },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVlan {
    id: Spanned<u16>,
    #[serde(default)]
    name: String,
    subnet: Spanned<String>,
    gateway: Option<Spanned<String>>,
    #[serde(default)]
    purpose: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPool {
    name: Spanned<String>,
    kind: PoolKind,
    range: Spanned<String>,
    vlan: Option<Spanned<u16>>,
}

/// Check `text` as an inventory: the inventory, or every problem found.
pub fn parse(text: &str) -> Result<Inventory, Vec<String>> {
    let raw: Raw = toml::from_str(text).map_err(|e| vec![toml_error(text, &e)])?;
    let line = |span: std::ops::Range<usize>| line_of(text, span.start);
    let mut errors = Vec::new();
    let mut say = |span: std::ops::Range<usize>, field: String, what: String| {
        errors.push(format!("line {}: {field}: {what}", line(span)));
    };

    let mut probe = Probe::default();
    if let Some(p) = &raw.probe {
        probe.port = p.port.unwrap_or(probe.port);
        if let Some(t) = &p.timeout {
            match duration(t.get_ref()) {
                Ok(d) => probe.timeout = d,
                Err(why) => say(t.span(), "probe.timeout".into(), why),
            }
        }
    }

    let mut vlans = Vec::new();
    let mut ids = HashSet::new();
    for (i, v) in raw.vlans.iter().enumerate() {
        let (span, v) = (v.span(), v.get_ref());
        let field = |f: &str| format!("vlans[{i}].{f}");
        let id = *v.id.get_ref();
        if !(1..=4094).contains(&id) {
            say(
                v.id.span(),
                field("id"),
                format!("{id} is not a VLAN id (1 to 4094)"),
            );
        } else if !ids.insert(id) {
            say(
                v.id.span(),
                field("id"),
                format!("VLAN {id} is written twice"),
            );
        }
        let subnet = match v.subnet.get_ref().parse::<IpNet>() {
            // `192.168.4.5/24` says the subnet 192.168.4.0/24.
            Ok(n) => n.trunc(),
            Err(_) => {
                let s = v.subnet.get_ref();
                say(
                    v.subnet.span(),
                    field("subnet"),
                    format!("{s:?} is not a subnet (say 192.168.4.0/24)"),
                );
                continue;
            }
        };
        let gateway = match &v.gateway {
            None => None,
            Some(g) => match g.get_ref().parse::<IpAddr>() {
                Ok(ip) if subnet.contains(&ip) => Some(ip),
                Ok(ip) => {
                    say(
                        g.span(),
                        field("gateway"),
                        format!("{ip} is outside the subnet {subnet}"),
                    );
                    None
                }
                Err(_) => {
                    say(
                        g.span(),
                        field("gateway"),
                        format!("{:?} is not an address", g.get_ref()),
                    );
                    None
                }
            },
        };
        vlans.push(Vlan {
            id,
            name: v.name.clone(),
            subnet,
            gateway,
            purpose: v.purpose.clone(),
            line: line(span),
        });
    }
    let known = |id: u16| ids.contains(&id);

    let mut hosts = Vec::new();
    let mut names = HashSet::new();
    for (i, h) in raw.hosts.iter().enumerate() {
        let (span, h) = (h.span(), h.get_ref());
        let field = |f: &str| format!("hosts[{i}].{f}");
        let name = h.name.get_ref().trim().to_string();
        if name.is_empty() {
            say(h.name.span(), field("name"), "empty".into());
        } else if !names.insert(name.clone()) {
            say(
                h.name.span(),
                field("name"),
                format!("host {name:?} is written twice"),
            );
        }
        let mut addresses = Vec::new();
        for (j, a) in h.addresses.iter().enumerate() {
            let here = field(&format!("addresses[{j}]"));
            let (text, vlan) = match a.get_ref() {
                RawAddress::Plain(s) => (s, None),
                RawAddress::OnVlan { address, vlan } => (address, Some(*vlan)),
            };
            match text.parse::<IpAddr>() {
                Err(_) => say(a.span(), here, format!("{text:?} is not an address")),
                Ok(_) if vlan.is_some_and(|v| !known(v)) => say(
                    a.span(),
                    here,
                    format!("VLAN {} is not in [[vlans]]", vlan.unwrap_or(0)),
                ),
                Ok(ip) => addresses.push(HostAddress { ip, vlan }),
            }
        }
        let mut kube_nodes = Vec::new();
        for (j, k) in h.kube_nodes.iter().enumerate() {
            match kube_node(k.get_ref()) {
                Some(r) => kube_nodes.push(r),
                None => say(
                    k.span(),
                    field(&format!("kube_nodes[{j}]")),
                    format!(
                        "{:?}: say NODE, or CONTEXT/NODE for one cluster",
                        k.get_ref()
                    ),
                ),
            }
        }
        hosts.push(Host {
            name,
            addresses,
            role: h.role.clone(),
            notes: h.notes.clone(),
            swarm_node: h.swarm_node.clone(),
            kube_nodes,
            zfs: h.zfs.clone(),
            probe_port: h.probe_port,
            line: line(span),
        });
    }

    let mut pools = Vec::new();
    let mut pool_names = HashSet::new();
    for (i, p) in raw.pools.iter().enumerate() {
        let (span, p) = (p.span(), p.get_ref());
        let field = |f: &str| format!("pools[{i}].{f}");
        let name = p.name.get_ref().clone();
        if !pool_names.insert(name.clone()) {
            say(
                p.name.span(),
                field("name"),
                format!("pool {name:?} is written twice"),
            );
        }
        let vlan = p.vlan.as_ref().map(|v| (*v.get_ref(), v.span()));
        if let Some((id, s)) = &vlan
            && !known(*id)
        {
            say(
                s.clone(),
                field("vlan"),
                format!("VLAN {id} is not in [[vlans]]"),
            );
        }
        match p.range.get_ref().parse::<AddressRange>() {
            Ok(range) => pools.push(AddressPool {
                name,
                kind: p.kind,
                range,
                vlan: vlan.map(|(id, _)| id),
                line: line(span),
            }),
            Err(why) => say(p.range.span(), field("range"), why),
        }
    }

    match errors.is_empty() {
        true => Ok(Inventory {
            probe,
            hosts,
            vlans,
            pools,
        }),
        false => Err(errors),
    }
}

/// `n5` (in every cluster) or `homelab/n5` (in the context `homelab` only).
fn kube_node(s: &str) -> Option<KubeNodeRef> {
    let s = s.trim();
    let (context, node) = match s.split_once('/') {
        Some((c, n)) => (Some(c.trim().to_string()), n.trim()),
        None => (None, s),
    };
    let ok =
        !node.is_empty() && !node.contains('/') && context.as_ref().is_none_or(|c| !c.is_empty());
    ok.then(|| KubeNodeRef {
        context,
        node: node.to_string(),
    })
}

/// `800ms`, `2s` (jiff's friendly format): more than nothing, at most a minute.
fn duration(s: &str) -> Result<std::time::Duration, String> {
    let d: jiff::SignedDuration = s
        .parse()
        .map_err(|e| format!("{s:?} is not a duration (say 800ms or 2s): {e}"))?;
    match std::time::Duration::try_from(d) {
        Ok(d) if !d.is_zero() && d <= std::time::Duration::from_secs(60) => Ok(d),
        _ => Err(format!("{s:?}: say more than 0 and at most 60s")),
    }
}
