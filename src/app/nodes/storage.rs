//! The storage map's inputs as the Nodes pane holds them: every ZFS source's datasets
//! with their pool's health, every engine's services' host paths, every cluster's PVs;
//! this machine's names and addresses for NFS.

use super::pane::NodesPane;
use crate::backend::kube::model::VolumeSource;
use crate::lab::storage::{Data, DatasetInfo, Holder, Use, Workload, keeps_sqlite, map};
use std::net::IpAddr;

pub fn uses(p: &NodesPane, addrs: &[IpAddr]) -> Vec<Use> {
    let mut datasets = Vec::new();
    for z in &p.zfs {
        let Some(snap) = &z.data else { continue };
        for d in &snap.datasets {
            let name = d.name.as_str();
            let pool = name.split('/').next().unwrap_or(name);
            let health = snap
                .pools
                .iter()
                .find(|x| x.name.as_str() == pool)
                .map_or("UNKNOWN", |x| x.health.as_str());
            datasets.push(DatasetInfo {
                host: z.name.clone(),
                name: name.to_string(),
                mountpoint: d.mountpoint.as_str().to_string(),
                pool_health: health.to_string(),
            });
        }
    }
    let mut holders = Vec::new();
    for e in &p.engines {
        let Some(snap) = &e.data else { continue };
        for s in &snap.services {
            for path in &s.host_paths {
                holders.push(Holder {
                    workload: Workload::Swarm {
                        engine: e.name.clone(),
                        service: s.name.as_str().to_string(),
                    },
                    data: Data::Path(path.as_str().to_string()),
                    sqlite: keeps_sqlite(s.image.as_str()),
                });
            }
        }
        for c in &snap.containers {
            holders.push(Holder {
                workload: Workload::Container {
                    engine: e.name.clone(),
                    name: c.name.as_str().to_string(),
                    project: c.project.as_ref().map(|p| p.as_str().to_string()),
                },
                // Only its Compose project says where a TrueNAS app keeps its data.
                data: Data::Path(String::new()),
                sqlite: keeps_sqlite(c.image.as_str()),
            });
        }
    }
    for c in &p.clusters {
        let Some(d) = &c.data else { continue };
        for pv in d.pvs.values() {
            let claim = pv.claim.as_ref().map(|r| format!("{}/{}", r.ns, r.name));
            let data = match &pv.source {
                VolumeSource::HostPath { path } | VolumeSource::Local { path } => {
                    Data::Path(path.as_str().to_string())
                }
                VolumeSource::Nfs { server, path } => Data::Nfs {
                    server: server.as_str().to_string(),
                    path: path.as_str().to_string(),
                },
                VolumeSource::Zfs { pool, dataset } => Data::Dataset(format!("{pool}/{dataset}")),
                _ => continue,
            };
            holders.push(Holder {
                sqlite: claim.as_deref().is_some_and(keeps_sqlite),
                workload: Workload::Pv {
                    cluster: c.name.clone(),
                    name: pv.name.as_str().to_string(),
                    claim,
                },
                data,
            });
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
