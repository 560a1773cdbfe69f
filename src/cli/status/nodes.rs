//! The Nodes pane's part of `labdeck status`: the inventory's hosts probed once (a TCP
//! connect to each address, on its port), and the storage map's workloads whose data
//! is on a pool that is not ONLINE. Degraded (exit 1): a host none of whose addresses
//! answers, a workload on a degraded pool. The engines and clusters are read for the
//! storage map only when a pool is not ONLINE. With no inventory and no such workload
//! there is no part; Swarm and Kubernetes nodes that are down are in their own parts.

use super::{Health, Part};
use crate::backend::probe::{Reach, probe};
use crate::config::inventory::{FILE, Inventory, load};
use futures::future::BoxFuture;
use serde::Serialize;
use std::net::SocketAddr;

#[derive(Debug, Serialize)]
struct HostReport {
    host: String,
    /// `address:port` and `up` or why not.
    probes: Vec<(String, String)>,
    reachable: bool,
}

pub fn collect(
    settings: &crate::config::settings::Settings,
    reads: &super::reads::Reads,
) -> BoxFuture<'static, Vec<Part>> {
    let dir = crate::config::paths::Paths::from_env().config_dir;
    let storage = on_degraded_pools(settings, reads);
    Box::pin(async move {
        let (probed, storage) = futures::join!(
            async {
                match load(&dir.join(FILE)) {
                    Ok(Some(inv)) => Some(Ok(part(&inv).await)),
                    Ok(None) => None,
                    Err(errors) => Some(Err(errors)),
                }
            },
            storage
        );
        match (probed, storage.is_empty()) {
            (None, true) => Vec::new(),
            (None, false) => vec![with_storage(part(&Inventory::default()).await, storage)],
            (Some(Ok(p)), _) => vec![with_storage(p, storage)],
            (Some(Err(errors)), _) => vec![Part {
                key: "nodes".into(),
                health: Health::Degraded,
                sources: Vec::new(),
                json: serde_json::json!({ "inventory_errors": errors }),
                text: format!("inventory: {}\n", errors.join("; ")),
                reasons: errors,
            }],
        }
    })
}

/// `p` with the workloads on degraded pools as reasons (and in its JSON).
fn with_storage(mut p: Part, storage: Vec<String>) -> Part {
    if !storage.is_empty() {
        p.health = p.health.max(Health::Degraded);
        p.text.push_str(&format!(
            "storage: {} workload(s) on degraded pools\n",
            storage.len()
        ));
        p.json["on_degraded_pools"] = serde_json::json!(storage);
        p.reasons.extend(storage);
    }
    p
}

/// The workloads whose data is on a pool that is not ONLINE, each as
/// `swarm nas/media_sonarr: data: tank/media (pool tank DEGRADED)`.
fn on_degraded_pools(
    settings: &crate::config::settings::Settings,
    reads: &super::reads::Reads,
) -> BoxFuture<'static, Vec<String>> {
    use crate::backend::zfs::reader::ZfsReader;
    use crate::backend::zfs::runner::{Runner, ZfsHost};
    use crate::lab::storage::{datasets_of, flagged, map, pv_holders, swarm_holders};
    let mut hosts: Vec<ZfsHost> = settings
        .table(crate::backend::zfs::runner::CONFIG_KEY)
        .unwrap_or_default();
    if hosts.is_empty() {
        hosts.push(ZfsHost::local());
    }
    let docker: Vec<crate::backend::swarm::engines::DockerEntry> = settings
        .table(crate::backend::swarm::engines::CONFIG_KEY)
        .unwrap_or_default();
    let env = crate::backend::swarm::engines::Env::from_process();
    let (found, _) = crate::backend::swarm::engines::resolve(&docker, &env);
    let engines: Vec<crate::backend::swarm::connect::Endpoint> =
        found.into_iter().map(Into::into).collect();
    let kube: Vec<crate::backend::kube::config::KubeContext> = settings
        .table(crate::backend::kube::config::CONFIG_KEY)
        .unwrap_or_default();
    let clusters = crate::backend::kube::config::clusters(&kube);
    let reads = reads.clone();
    Box::pin(async move {
        let mut datasets = Vec::new();
        for h in hosts {
            let name = h.name.clone();
            let mut reader = ZfsReader::new(Runner::new(h));
            let Ok(pools) = reader.pools().await else {
                continue;
            };
            if pools.iter().all(|p| p.health.as_str() == "ONLINE") {
                continue;
            }
            if let Ok(ds) = reader.datasets().await {
                datasets.extend(datasets_of(&name, &pools, &ds));
            }
        }
        if datasets.is_empty() {
            return Vec::new();
        }
        let swarm = futures::future::join_all(engines.iter().map(|e| async move {
            let snap = e.connect().await.ok()?.list_all().await.ok()?;
            Some(swarm_holders(&e.name, &snap.services, &snap.containers))
        }));
        let kube = futures::future::join_all(clusters.into_iter().map(|c| {
            let reads = reads.clone();
            async move {
                let name = c.name.clone();
                let (_, data) = reads.cluster(c).await;
                pv_holders(&name, data.pvs.values())
            }
        }));
        let (swarm, kube) = futures::join!(swarm, kube);
        let holders: Vec<_> = swarm
            .into_iter()
            .flatten()
            .flatten()
            .chain(kube.into_iter().flatten())
            .collect();
        let mut here: Vec<String> = crate::backend::net::read_links()
            .await
            .unwrap_or_default()
            .iter()
            .flat_map(|l| l.addresses.iter().map(|a| a.addr().to_string()))
            .collect();
        if let Ok(h) = std::fs::read_to_string("/proc/sys/kernel/hostname") {
            here.push(h.trim().to_string());
        }
        let uses = map(&datasets, &holders, &here);
        flagged(
            &uses
                .into_iter()
                .filter(|u| u.degraded())
                .collect::<Vec<_>>(),
        )
    })
}

pub async fn part(inv: &Inventory) -> Part {
    let hosts = inv
        .hosts
        .iter()
        .filter_map(|h| Some((h, inv.probe_port(h)?)));
    let reads = hosts.map(|(h, port)| async move {
        let probes = futures::future::join_all(h.addresses.iter().map(|a| {
            let at = SocketAddr::new(a.ip, port);
            async move { (at, probe(at, inv.probe.timeout).await) }
        }))
        .await;
        HostReport {
            host: h.name.clone(),
            reachable: probes.is_empty() || probes.iter().any(|(_, r)| *r == Reach::Up),
            probes: probes
                .into_iter()
                .map(|(at, r)| {
                    let said = match r {
                        Reach::Up => "up".to_string(),
                        Reach::Down(why) => why,
                        Reach::Unknown => "not probed".into(),
                    };
                    (at.to_string(), said)
                })
                .collect(),
        }
    });
    let hosts: Vec<HostReport> = futures::future::join_all(reads).await;
    let reasons: Vec<String> = hosts
        .iter()
        .filter(|h| !h.reachable)
        .map(|h| {
            let why: Vec<String> = h.probes.iter().map(|(a, w)| format!("{a} {w}")).collect();
            format!("host {} unreachable: {}", h.host, why.join(", "))
        })
        .collect();
    let up = hosts.iter().filter(|h| h.reachable).count();
    Part {
        key: "nodes".into(),
        health: if reasons.is_empty() {
            Health::Healthy
        } else {
            Health::Degraded
        },
        sources: Vec::new(),
        json: serde_json::json!({ "hosts": hosts }),
        text: format!("nodes: {up}/{} hosts reachable\n", hosts.len()),
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_host_none_of_whose_addresses_answers_is_degraded_and_named() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let open = listener.local_addr().unwrap().port();
        let text = format!(
            "[probe]\nport = {open}\ntimeout = \"2s\"\n\
             [[hosts]]\nname = \"up\"\naddresses = [\"127.0.0.1\"]\n\
             [[hosts]]\nname = \"mac\"\naddresses = [\"127.0.0.2\"]\nprobe_port = 0\n"
        );
        let inv = crate::config::inventory::parse(&text).unwrap();
        let p = part(&inv).await;
        assert_eq!(p.health, Health::Healthy, "{:?}", p.reasons);
        assert_eq!(p.text, "nodes: 1/1 hosts reachable\n", "mac is not probed");
        drop(listener);
        let p = part(&inv).await;
        assert_eq!(p.health, Health::Degraded);
        assert!(
            p.reasons[0].starts_with("host up unreachable: 127.0.0.1:"),
            "{:?}",
            p.reasons
        );
    }
}
