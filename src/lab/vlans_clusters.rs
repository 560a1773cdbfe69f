//! What the clusters add to the VLAN join: their LoadBalancer services' IPs, their
//! MetalLB address pools and their Multus attachments. One home for the VLANs pane and
//! `labdeck status`.

use super::vlans::{AttachNet, LoadBalancer};
use crate::backend::kube::data::ClusterData;
use crate::config::inventory::{AddressPool, PoolKind};

#[derive(Default)]
pub struct ClusterNets<'a> {
    pub balancers: Vec<LoadBalancer<'a>>,
    /// MetalLB's pools, as VIP pools (`metallb homelab/metallb-system/lan`).
    pub pools: Vec<AddressPool>,
    pub attachments: Vec<AttachNet<'a>>,
}

/// The clusters' part, each cluster by its name.
pub fn cluster_nets<'a>(
    clusters: impl IntoIterator<Item = (&'a str, &'a ClusterData)>,
) -> ClusterNets<'a> {
    let mut out = ClusterNets::default();
    for (cluster, d) in clusters {
        out.balancers.extend(
            d.services
                .values()
                .filter(|s| s.kind.as_str() == "LoadBalancer")
                .map(move |s| LoadBalancer {
                    cluster,
                    namespace: s.at.ns.as_str(),
                    name: s.at.name.as_str(),
                    ips: s
                        .external
                        .iter()
                        .filter_map(|ip| ip.as_str().parse().ok())
                        .collect(),
                }),
        );
        for p in d.address_pools.values() {
            for a in &p.addresses {
                if let Ok(range) = a.as_str().parse() {
                    out.pools.push(AddressPool {
                        name: format!("metallb {cluster}/{}/{}", p.at.ns, p.at.name),
                        kind: PoolKind::Vip,
                        range,
                        vlan: None,
                        line: 0,
                    });
                }
            }
        }
        out.attachments
            .extend(d.attachments.values().map(|a| AttachNet {
                cluster,
                namespace: a.at.ns.as_str(),
                name: a.at.name.as_str(),
                plugin: a.plugin.as_str(),
                link: a.link.as_ref().map(|l| l.as_str()),
                vlan: a.vlan,
                subnet: a.subnet.as_ref().map(|s| s.as_str()),
            }));
    }
    out
}
