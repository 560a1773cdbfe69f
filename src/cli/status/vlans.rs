//! The VLANs pane's part of `labdeck status`: the VLAN checks on the inventory, this
//! host's links, the engines' macvlan and ipvlan networks, and the clusters'
//! LoadBalancer IPs, MetalLB pools and Multus attachments, read once (the clusters
//! shared with the other parts). Degraded (exit 1): any warning. Without an inventory
//! and with no VLAN on this host's links there is nothing to check and no part.

use super::{Health, Part};
use crate::backend::swarm::connect::Endpoint;
use crate::backend::swarm::engines;
use crate::config::inventory::{FILE, Inventory, load};
use crate::lab::vlans::{DockerNet, Inputs, table};
use futures::future::BoxFuture;

pub fn collect(
    settings: &crate::config::settings::Settings,
    reads: &super::reads::Reads,
) -> BoxFuture<'static, Vec<Part>> {
    let dir = crate::config::paths::Paths::from_env().config_dir;
    let docker: Vec<engines::DockerEntry> = settings.table(engines::CONFIG_KEY).unwrap_or_default();
    let (found, _) = engines::resolve(&docker, &engines::Env::from_process());
    let endpoints: Vec<Endpoint> = found.into_iter().map(Endpoint::from).collect();
    let kube: Vec<crate::backend::kube::config::KubeContext> = settings
        .table(crate::backend::kube::config::CONFIG_KEY)
        .unwrap_or_default();
    let specs = crate::backend::kube::config::clusters(&kube);
    let shared = reads.clone();
    Box::pin(async move {
        let inventory = match load(&dir.join(FILE)) {
            Ok(i) => i.unwrap_or_default(),
            // The Nodes part says what is wrong with the file.
            Err(_) => Inventory::default(),
        };
        let links = crate::backend::net::read_links().await.unwrap_or_default();
        let reads = endpoints.iter().map(|e| async move {
            let snap = e.connect().await.ok()?.list_all().await.ok()?;
            Some((e.name.clone(), snap.networks))
        });
        let networks: Vec<(String, Vec<crate::backend::swarm::model::Network>)> =
            futures::future::join_all(reads)
                .await
                .into_iter()
                .flatten()
                .collect();
        let followed = futures::future::join_all(specs.into_iter().map(|spec| {
            let name = spec.name.clone();
            let read = shared.cluster(spec);
            async move { (name, read.await.1) }
        }))
        .await;
        let clusters = crate::lab::vlans_clusters::cluster_nets(
            followed.iter().map(|(name, d)| (name.as_str(), d.as_ref())),
        );
        let hostname = crate::backend::net::hostname();
        let inputs = Inputs {
            inventory: &inventory,
            here: &hostname,
            links: &links,
            networks: networks
                .iter()
                .flat_map(|(engine, list)| {
                    list.iter().map(move |n| DockerNet {
                        engine,
                        name: n.name.as_str(),
                        driver: n.driver.as_str(),
                        parent: n.parent.as_ref().map(|p| p.as_str()),
                        subnets: n.subnets.iter().map(|s| s.as_str()).collect(),
                    })
                })
                .collect(),
            balancers: clusters.balancers,
            found_pools: clusters.pools,
            attachments: clusters.attachments,
        };
        let (rows, warnings) = table(&inputs);
        if rows.is_empty() && inventory.hosts.is_empty() {
            return Vec::new();
        }
        vec![part(
            rows.len(),
            warnings.iter().map(|w| w.text.clone()).collect(),
        )]
    })
}

pub fn part(vlans: usize, warnings: Vec<String>) -> Part {
    Part {
        key: "vlans".into(),
        health: if warnings.is_empty() {
            Health::Healthy
        } else {
            Health::Degraded
        },
        sources: Vec::new(),
        json: serde_json::json!({ "vlans": vlans, "warnings": warnings }),
        text: format!("vlans: {vlans} VLANs, {} warning(s)\n", warnings.len()),
        reasons: warnings,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_warning_degrades_and_is_a_reason() {
        let p = super::part(4, vec!["link eno1.64 on nas is down".into()]);
        assert_eq!(p.health, super::Health::Degraded);
        assert_eq!(p.reasons, ["link eno1.64 on nas is down"]);
        assert_eq!(super::part(4, Vec::new()).health, super::Health::Healthy);
    }
}
