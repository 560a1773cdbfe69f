//! The storage map: which dataset holds each workload's data, across orchestrators.
//! A workload's data is a path on a host (a Swarm service's or a container's bind
//! mount, a Kubernetes hostPath or local PV), an NFS export (served by this host when
//! the server is one of its addresses), or an OpenEBS ZFS LocalPV's own dataset. A path
//! belongs to the dataset with the deepest mountpoint above it. TrueNAS apps (Compose
//! projects `ix-<app>`) are mapped to their `<pool>/ix-apps/app_mounts/<app>` datasets
//! by name as well. Each use carries its pool's health, so a workload on a degraded
//! pool is flagged, and so is an SQLite app whose data is on NFS.

use crate::backend::kube::model::{Pv, VolumeSource};
use crate::backend::swarm::model::{Container, Service};
use crate::backend::zfs::model::{Dataset, Pool};
use std::net::IpAddr;

/// Who holds data.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Workload {
    Swarm {
        engine: String,
        service: String,
    },
    /// A plain container; `project` is its Compose project (`ix-plex` for a TrueNAS app).
    Container {
        engine: String,
        name: String,
        project: Option<String>,
    },
    /// A PersistentVolume, with the claim bound to it (`ns/name`).
    Pv {
        cluster: String,
        name: String,
        claim: Option<String>,
    },
}

impl Workload {
    /// As the panes name it: `swarm nas/media_sonarr`, `TrueNAS app plex`,
    /// `pv homelab/pvc-1 (media/config)`.
    pub fn label(&self) -> String {
        match self {
            Workload::Swarm { engine, service } => format!("swarm {engine}/{service}"),
            Workload::Container {
                project: Some(p), ..
            } if truenas_app(p).is_some() => {
                format!("TrueNAS app {}", truenas_app(p).unwrap_or_default())
            }
            Workload::Container { engine, name, .. } => format!("container {engine}/{name}"),
            Workload::Pv {
                cluster,
                name,
                claim: Some(c),
            } => format!("pv {cluster}/{name} ({c})"),
            Workload::Pv { cluster, name, .. } => format!("pv {cluster}/{name}"),
        }
    }
}

/// Where a workload's data is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Data {
    /// A path on the host that runs it.
    Path(String),
    Nfs {
        server: String,
        path: String,
    },
    /// A ZFS dataset by name (OpenEBS ZFS LocalPV: `pool/pvc-…`).
    Dataset(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub workload: Workload,
    pub data: Data,
    /// Its image or name says it keeps an SQLite database (the *arr apps, Plex,
    /// Jellyfin, Home Assistant, ...), which NFS locking corrupts.
    pub sqlite: bool,
}

/// A dataset as the map needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatasetInfo {
    /// The ZFS source it was read from (`local`, `nas`).
    pub host: String,
    pub name: String,
    pub mountpoint: String,
    pub pool_health: String,
}

/// One workload's data in one dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Use {
    pub workload: Workload,
    pub host: String,
    pub dataset: String,
    pub pool_health: String,
    /// How it was found: the path, `nfs server:/path`, `zfs localpv`, `TrueNAS app`.
    pub via: String,
    pub sqlite_on_nfs: bool,
}

impl Use {
    pub fn pool(&self) -> &str {
        self.dataset.split('/').next().unwrap_or(&self.dataset)
    }

    pub fn degraded(&self) -> bool {
        self.pool_health != "ONLINE"
    }

    /// `data: tank/media (pool tank DEGRADED)`, as shown beside the workload.
    pub fn data_line(&self) -> String {
        let mut s = format!("data: {}", self.dataset);
        if self.degraded() {
            s.push_str(&format!(" (pool {} {})", self.pool(), self.pool_health));
        }
        if self.sqlite_on_nfs {
            s.push_str(" · SQLite on NFS");
        }
        s
    }
}

/// `plex` for the Compose project `ix-plex`.
pub fn truenas_app(project: &str) -> Option<&str> {
    project.strip_prefix("ix-").filter(|a| !a.is_empty())
}

/// Images whose apps keep an SQLite database in their data.
pub fn keeps_sqlite(image_or_name: &str) -> bool {
    const APPS: [&str; 14] = [
        "sonarr",
        "radarr",
        "lidarr",
        "readarr",
        "prowlarr",
        "bazarr",
        "jellyfin",
        "plex",
        "home-assistant",
        "homeassistant",
        "vaultwarden",
        "uptime-kuma",
        "overseerr",
        "jellyseerr",
    ];
    let s = image_or_name.to_ascii_lowercase();
    APPS.iter().any(|a| s.contains(a))
}

/// The dataset (of any host) with the deepest mountpoint at or above `path`.
fn under<'a>(datasets: &'a [DatasetInfo], path: &str) -> Option<&'a DatasetInfo> {
    if !path.starts_with('/') {
        return None;
    }
    let path = path.trim_end_matches('/');
    datasets
        .iter()
        .filter(|d| d.mountpoint.starts_with('/'))
        .filter(|d| {
            let mp = d.mountpoint.trim_end_matches('/');
            mp.is_empty() || path == mp || path.strip_prefix(mp).is_some_and(|r| r.starts_with('/'))
        })
        .max_by_key(|d| d.mountpoint.len())
}

/// Every use of a dataset by a workload. `here` are this host's names and addresses:
/// an NFS export is this host's when its server is one of them.
pub fn map(datasets: &[DatasetInfo], holders: &[Holder], here: &[String]) -> Vec<Use> {
    let mut out = Vec::new();
    let local = |server: &str| {
        here.iter().any(|h| h == server)
            || server
                .parse::<IpAddr>()
                .is_ok_and(|ip| here.iter().any(|h| h.parse::<IpAddr>().ok() == Some(ip)))
    };
    for h in holders {
        let found = match &h.data {
            Data::Path(p) => under(datasets, p).map(|d| (d, p.clone())),
            Data::Nfs { server, path } if local(server) => {
                under(datasets, path).map(|d| (d, format!("nfs {server}:{path}")))
            }
            Data::Nfs { .. } => None,
            Data::Dataset(name) => datasets
                .iter()
                .find(|d| &d.name == name)
                .map(|d| (d, "zfs localpv".to_string())),
        };
        if let Some((d, via)) = found {
            out.push(Use {
                workload: h.workload.clone(),
                host: d.host.clone(),
                dataset: d.name.clone(),
                pool_health: d.pool_health.clone(),
                via,
                sqlite_on_nfs: h.sqlite && matches!(h.data, Data::Nfs { .. }),
            });
        }
    }
    // TrueNAS apps by name: their app_mounts datasets, whatever their mounts say.
    let apps: Vec<(&Workload, &str)> = holders
        .iter()
        .filter_map(|h| match &h.workload {
            w @ Workload::Container {
                project: Some(p), ..
            } => truenas_app(p).map(|a| (w, a)),
            _ => None,
        })
        .collect();
    for d in datasets {
        let Some((_, rest)) = d.name.split_once("/ix-apps/app_mounts/") else {
            continue;
        };
        let app = rest.split('/').next().unwrap_or(rest);
        for (w, _) in apps.iter().filter(|(_, a)| *a == app) {
            let known = out.iter().any(|u| &u.workload == *w && u.dataset == d.name);
            if !known {
                out.push(Use {
                    workload: (*w).clone(),
                    host: d.host.clone(),
                    dataset: d.name.clone(),
                    pool_health: d.pool_health.clone(),
                    via: "TrueNAS app".into(),
                    sqlite_on_nfs: false,
                });
            }
        }
    }
    out.sort_by(|a, b| (&a.dataset, &a.workload).cmp(&(&b.dataset, &b.workload)));
    out.dedup_by(|a, b| a.dataset == b.dataset && a.workload == b.workload);
    out
}

/// The workloads flagged: on a pool that is not ONLINE, or SQLite on NFS.
pub fn flagged(uses: &[Use]) -> Vec<String> {
    uses.iter()
        .filter(|u| u.degraded() || u.sqlite_on_nfs)
        .map(|u| format!("{}: {}", u.workload.label(), u.data_line()))
        .collect()
}

/// A ZFS source's datasets, each with its pool's health.
pub fn datasets_of(host: &str, pools: &[Pool], datasets: &[Dataset]) -> Vec<DatasetInfo> {
    datasets
        .iter()
        .map(|d| {
            let name = d.name.as_str();
            let pool = name.split('/').next().unwrap_or(name);
            let health = pools
                .iter()
                .find(|x| x.name.as_str() == pool)
                .map_or("UNKNOWN", |x| x.health.as_str());
            DatasetInfo {
                host: host.to_string(),
                name: name.to_string(),
                mountpoint: d.mountpoint.as_str().to_string(),
                pool_health: health.to_string(),
            }
        })
        .collect()
}

/// An engine's services and plain containers (Compose projects among them), by their
/// host paths; TrueNAS apps by their Compose project as well.
pub fn swarm_holders(engine: &str, services: &[Service], containers: &[Container]) -> Vec<Holder> {
    let mut out = Vec::new();
    for s in services {
        for path in &s.host_paths {
            out.push(Holder {
                workload: Workload::Swarm {
                    engine: engine.to_string(),
                    service: s.name.as_str().to_string(),
                },
                data: Data::Path(path.as_str().to_string()),
                sqlite: keeps_sqlite(s.image.as_str()),
            });
        }
    }
    for c in containers {
        let workload = Workload::Container {
            engine: engine.to_string(),
            name: c.name.as_str().to_string(),
            project: c.project.as_ref().map(|p| p.as_str().to_string()),
        };
        let sqlite = keeps_sqlite(c.image.as_str());
        for path in &c.host_paths {
            out.push(Holder {
                workload: workload.clone(),
                data: Data::Path(path.as_str().to_string()),
                sqlite,
            });
        }
        // A TrueNAS app is found by its Compose project too, mounts or none.
        if c.host_paths.is_empty()
            && c.project
                .as_ref()
                .and_then(|p| truenas_app(p.as_str()))
                .is_some()
        {
            out.push(Holder {
                workload,
                data: Data::Path(String::new()),
                sqlite,
            });
        }
    }
    out
}

/// A cluster's PersistentVolumes whose data is on a host, on NFS or on a ZFS LocalPV.
pub fn pv_holders<'a>(cluster: &str, pvs: impl Iterator<Item = &'a Pv>) -> Vec<Holder> {
    pvs.filter_map(|pv| {
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
            _ => return None,
        };
        Some(Holder {
            sqlite: claim.as_deref().is_some_and(keeps_sqlite),
            workload: Workload::Pv {
                cluster: cluster.to_string(),
                name: pv.name.as_str().to_string(),
                claim,
            },
            data,
        })
    })
    .collect()
}
