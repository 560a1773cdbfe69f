//! Where each workload's data is on this host's ZFS, told wherever a workload is
//! listed: the Storage view's WHERE cell gains the dataset and its pool's health
//! (`nfs 192.168.4.5:/mnt/tank/media → tank/media (pool tank DEGRADED)`), and the
//! workloads and pods views' DATA cell says it, following each pod's claims to their
//! volumes (a deployment's through its replicasets). A workload on a degraded pool has
//! its name flagged. The join is `lab::storage`; the sources are the hub's, shared with
//! the ZFS and Nodes panes.

use super::view::KubeView;
use crate::app::data_sources::{DataSources, tell_rows};
use crate::app::table::{Row, Tone};
use crate::backend::kube::data::ClusterData;
use crate::backend::kube::model::{Pod, WorkloadKind};
use crate::core::text::SafeText;
use crate::lab::storage::{Use, Workload, keeps_sqlite, map, pv_holders};
use std::collections::HashMap;

/// The WHERE column of the Storage view, before a source column is put in front.
const WHERE: usize = 5;

/// The name and DATA columns of the workloads and pods views (see `rows::columns`).
pub const WORKLOAD_NAME: usize = 2;
pub const WORKLOAD_DATA: usize = 8;
pub const POD_NAME: usize = 1;
pub const POD_DATA: usize = 8;

/// Does `view` tell where data is (and so change with the ZFS sources)?
pub fn tells_data(view: &KubeView) -> bool {
    matches!(
        view,
        KubeView::Storage | KubeView::Workloads | KubeView::Pods(_)
    )
}

/// `rows` of `view` of `cluster`, each with its data told where the view lists
/// workloads, pods or claims.
pub fn annotate(
    rows: &mut [Row],
    view: &KubeView,
    cluster: &str,
    d: &ClusterData,
    sources: &DataSources,
) {
    if !tells_data(view) {
        return;
    }
    let uses = uses(cluster, d, sources);
    if uses.is_empty() {
        return;
    }
    let by_claim = by_claim(d, &uses);
    match view {
        KubeView::Storage => where_cells(rows, &by_claim),
        KubeView::Pods(_) => tell_rows(rows, POD_NAME, POD_DATA, |row| {
            d.pods
                .get(&row.key)
                .map(|p| of_pod(p, &by_claim))
                .unwrap_or_default()
        }),
        _ => {
            let by_workload = by_workload(d, &by_claim);
            tell_rows(rows, WORKLOAD_NAME, WORKLOAD_DATA, |row| {
                by_workload
                    .get(row.key.as_str())
                    .cloned()
                    .unwrap_or_default()
            })
        }
    }
}

/// Every use of a dataset by this cluster's volumes. A claim counts as SQLite when its
/// name says so or a pod that mounts it runs an image that keeps one (seed 003's
/// *arr apps on NFS).
fn uses(cluster: &str, d: &ClusterData, sources: &DataSources) -> Vec<Use> {
    let datasets = sources.datasets();
    if datasets.is_empty() {
        return Vec::new();
    }
    let mut holders = pv_holders(cluster, d.pvs.values());
    if holders.is_empty() {
        return Vec::new();
    }
    let sqlite_volumes: Vec<&str> = d
        .pods
        .values()
        .filter(|p| !p.claims.is_empty())
        .filter(|p| p.containers.iter().any(|c| keeps_sqlite(c.image.as_str())))
        .flat_map(|p| p.claims.iter().map(|c| format!("{}/{c}", p.at.ns)))
        .filter_map(|claim| d.pvcs.get(&claim).map(|c| c.volume.as_str()))
        .collect();
    for h in &mut holders {
        if let Workload::Pv { name, .. } = &h.workload {
            h.sqlite |= sqlite_volumes.contains(&name.as_str());
        }
    }
    map(&datasets, &holders, &sources.here())
}

/// The uses by the claim (its key, `ns/name`) bound to their volume, as the claim
/// names its volume.
fn by_claim<'a>(d: &'a ClusterData, uses: &'a [Use]) -> HashMap<&'a str, Vec<&'a Use>> {
    let mut by_volume: HashMap<&str, Vec<&Use>> = HashMap::new();
    for u in uses {
        if let Workload::Pv { name, .. } = &u.workload {
            by_volume.entry(name.as_str()).or_default().push(u);
        }
    }
    d.pvcs
        .iter()
        .filter_map(|(key, c)| Some((key.as_str(), by_volume.get(c.volume.as_str())?.clone())))
        .collect()
}

fn of_pod<'a>(p: &Pod, by_claim: &HashMap<&str, Vec<&'a Use>>) -> Vec<&'a Use> {
    let mut out: Vec<&Use> = Vec::new();
    for c in &p.claims {
        let key = format!("{}/{c}", p.at.ns);
        for u in by_claim.get(key.as_str()).into_iter().flatten() {
            if !out.contains(u) {
                out.push(u);
            }
        }
    }
    out
}

/// The uses of each listed workload (its key in `ClusterData::workloads`), through the
/// pods it owns: one pass over the pods, only those with claims.
fn by_workload<'a>(
    d: &ClusterData,
    by_claim: &HashMap<&str, Vec<&'a Use>>,
) -> HashMap<String, Vec<&'a Use>> {
    let mut out: HashMap<String, Vec<&Use>> = HashMap::new();
    for p in d.pods.values().filter(|p| !p.claims.is_empty()) {
        let Some(owner) = listed_owner(d, p) else {
            continue;
        };
        let mine = out.entry(owner).or_default();
        for u in of_pod(p, by_claim) {
            if !mine.contains(&u) {
                mine.push(u);
            }
        }
    }
    out
}

/// The key of the workload a pod is listed under: its owner, or the owner's owner for
/// a deployment's replicaset and a cronjob's job.
fn listed_owner(d: &ClusterData, p: &Pod) -> Option<String> {
    let o = p.owner.as_ref()?;
    let key = format!("{}/{}/{}", o.kind, p.at.ns, o.name);
    let w = d.workloads.get(&key)?;
    match (&w.kind, &w.owner) {
        (WorkloadKind::ReplicaSet | WorkloadKind::Job, Some(up)) => {
            Some(format!("{}/{}/{}", up.kind, p.at.ns, up.name))
        }
        _ => Some(key),
    }
}

/// The Storage view: each claim's WHERE cell says the dataset too.
fn where_cells(rows: &mut [Row], by_claim: &HashMap<&str, Vec<&Use>>) {
    for row in rows.iter_mut() {
        let Some(u) = by_claim.get(row.key.as_str()).and_then(|u| u.first()) else {
            continue;
        };
        let Some(cell) = row.cells.get_mut(WHERE) else {
            continue;
        };
        let told = u.data_line();
        cell.text = SafeText::new(&format!(
            "{} → {}",
            cell.text,
            told.trim_start_matches("data: ")
        ));
        if u.degraded() {
            cell.tone = Tone::Err;
        } else if u.sqlite_on_nfs {
            cell.tone = Tone::Warn;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::kube::rows;
    use crate::app::kube::view::PodScope;
    use crate::backend::kube::sample::homelab;
    use crate::backend::net::{Link, LinkKind, OperState};
    use crate::backend::zfs::model::Dataset;
    use crate::backend::zfs::runner::ZfsHost;
    use crate::backend::zfs::watch::ZfsFeed;
    use crate::core::status::SourceStatus;
    use std::sync::Arc;

    /// The NAS's ZFS (pool tank DEGRADED, with `tank/k8s/pvc-8b3c51d0` for postgres's
    /// ZFS LocalPV), and this host serving NFS from 10.0.10.5.
    fn sources() -> DataSources {
        let mut st = DataSources::new(vec![ZfsHost::local()]);
        let mut snap = crate::backend::zfs::sample::nas();
        snap.datasets.push(Dataset {
            name: SafeText::new("tank/k8s/pvc-8b3c51d0"),
            mountpoint: SafeText::new("legacy"),
            ..snap.datasets[0].clone()
        });
        st.feed(
            "local",
            ZfsFeed {
                snapshot: Some(Arc::new(snap)),
                status: SourceStatus::Live,
            },
        );
        st.links(Arc::new(vec![Link {
            index: 2,
            name: "eno1".into(),
            kind: LinkKind::Physical,
            parent: None,
            controller: None,
            admin_up: true,
            oper: OperState::Up,
            mtu: 1500,
            addresses: vec!["10.0.10.5/24".parse().unwrap()],
            rx_bytes: 0,
            tx_bytes: 0,
        }]));
        st
    }

    /// homelab, with immich's pods mounting the NFS library and postgres its claim.
    fn cluster() -> ClusterData {
        let mut d = homelab();
        let pods = Arc::make_mut(&mut d.pods);
        for p in pods.values_mut() {
            match p.at.name.as_str() {
                n if n.starts_with("immich-server") => {
                    p.claims = vec![SafeText::new("media-library")];
                }
                "postgres-0" => p.claims = vec![SafeText::new("data-postgres-0")],
                _ => {}
            }
        }
        d
    }

    fn told(view: &KubeView, d: &ClusterData, st: &DataSources) -> Vec<Row> {
        let mut out = rows::rows(view, d, &[]);
        annotate(&mut out, view, "homelab", d, st);
        out
    }

    fn row<'a>(rows: &'a [Row], key: &str) -> &'a Row {
        rows.iter().find(|r| r.key == key).unwrap()
    }

    #[test]
    fn workloads_and_pods_say_where_their_data_is_and_a_degraded_pool_is_flagged() {
        let (d, st) = (cluster(), sources());
        let w = told(&KubeView::Workloads, &d, &st);
        // A deployment's data through its replicaset's pods: NFS from this host.
        let immich = row(&w, "Deployment/media/immich-server");
        assert_eq!(
            immich.cells[WORKLOAD_DATA].text.as_str(),
            "tank/media (pool tank DEGRADED)"
        );
        assert_eq!(immich.cells[WORKLOAD_DATA].tone, Tone::Err);
        assert_eq!(immich.cells[WORKLOAD_NAME].tone, Tone::Err, "flagged");
        // A statefulset's through its own pod: a ZFS LocalPV's dataset.
        let pg = row(&w, "StatefulSet/db/postgres");
        assert_eq!(
            pg.cells[WORKLOAD_DATA].text.as_str(),
            "tank/k8s/pvc-8b3c51d0 (pool tank DEGRADED)"
        );
        // The control: a workload with no claims says nothing and is not flagged.
        let traefik = row(&w, "Deployment/infra/traefik");
        assert_eq!(traefik.cells[WORKLOAD_DATA].text.as_str(), "");
        assert_ne!(traefik.cells[WORKLOAD_NAME].tone, Tone::Err);

        let p = told(&KubeView::Pods(PodScope::All), &d, &st);
        let pod = row(&p, "media/immich-server-6d8f-abcde");
        assert_eq!(
            pod.cells[POD_DATA].text.as_str(),
            "tank/media (pool tank DEGRADED)"
        );
        assert_eq!(pod.cells[POD_NAME].tone, Tone::Err);
        assert_eq!(
            row(&p, "media/jellyfin-7c9d-x2k4p").cells[POD_DATA]
                .text
                .as_str(),
            ""
        );

        // NFS from another server is not this host's: nothing is said.
        let mut elsewhere = sources();
        elsewhere.links(Arc::default());
        let w = told(&KubeView::Workloads, &d, &elsewhere);
        let immich = row(&w, "Deployment/media/immich-server");
        assert_eq!(immich.cells[WORKLOAD_DATA].text.as_str(), "");
    }

    #[test]
    fn an_sqlite_image_on_nfs_is_warned_of_by_its_pod_image() {
        let (mut d, st) = (cluster(), sources());
        let pods = Arc::make_mut(&mut d.pods);
        let pod = pods.get_mut("media/immich-server-6d8f-abcde").unwrap();
        pod.containers[0].image = SafeText::new("lscr.io/linuxserver/sonarr:4");
        let p = told(&KubeView::Pods(PodScope::All), &d, &st);
        let cell = &row(&p, "media/immich-server-6d8f-abcde").cells[POD_DATA];
        assert!(cell.text.as_str().ends_with("· SQLite on NFS"), "{cell:?}");
        let s = told(&KubeView::Storage, &d, &st);
        let claim = row(&s, "media/media-library");
        assert!(
            claim.cells[WHERE]
                .text
                .as_str()
                .starts_with("nfs 10.0.10.5:/mnt/tank/media → tank/media"),
            "{:?}",
            claim.cells[WHERE]
        );
    }
}
