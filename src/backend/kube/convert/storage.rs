//! Claims, volumes and storage classes: enough to follow a PVC to where its data lives.

use super::{at, created, safe};
use crate::backend::kube::model::{ObjRef, Pv, Pvc, StorageClass, VolumeSource};
use crate::core::text::SafeText;
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::api::storage::v1 as storage;

/// OpenEBS ZFS LocalPV's CSI driver: its volumes are datasets on a named pool.
pub const OPENEBS_ZFS: &str = "zfs.csi.openebs.io";
const OPENEBS_POOL: &str = "openebs.io/poolname";

pub fn pvc(c: &core::PersistentVolumeClaim) -> Pvc {
    let spec = c.spec.as_ref();
    let status = c.status.as_ref();
    Pvc {
        at: at(&c.metadata),
        phase: safe(status.and_then(|s| s.phase.as_ref())),
        volume: safe(spec.and_then(|s| s.volume_name.as_ref())),
        class: safe(spec.and_then(|s| s.storage_class_name.as_ref())),
        capacity: SafeText::opt(
            status
                .and_then(|s| s.capacity.as_ref())
                .and_then(|c| c.get("storage"))
                .map(|q| q.0.as_str()),
        ),
        modes: status
            .and_then(|s| s.access_modes.as_ref())
            .or(spec.and_then(|s| s.access_modes.as_ref()))
            .into_iter()
            .flatten()
            .map(|m| SafeText::new(m))
            .collect(),
        created: created(&c.metadata),
    }
}

pub fn pv(v: &core::PersistentVolume) -> Pv {
    let spec = v.spec.as_ref();
    let source = spec.map_or(VolumeSource::Other(SafeText::trusted("?")), source);
    let node = spec
        .and_then(|s| s.node_affinity.as_ref())
        .and_then(|a| a.required.as_ref())
        .and_then(|r| {
            r.node_selector_terms.iter().find_map(|t| {
                t.match_expressions.iter().flatten().find_map(|e| {
                    (e.key == "kubernetes.io/hostname" && e.operator == "In")
                        .then(|| e.values.as_ref()?.first().map(|v| SafeText::new(v)))
                        .flatten()
                })
            })
        });
    Pv {
        name: safe(v.metadata.name.as_ref()),
        phase: safe(v.status.as_ref().and_then(|s| s.phase.as_ref())),
        capacity: SafeText::opt(
            spec.and_then(|s| s.capacity.as_ref())
                .and_then(|c| c.get("storage"))
                .map(|q| q.0.as_str()),
        ),
        class: safe(spec.and_then(|s| s.storage_class_name.as_ref())),
        reclaim: safe(spec.and_then(|s| s.persistent_volume_reclaim_policy.as_ref())),
        claim: spec
            .and_then(|s| s.claim_ref.as_ref())
            .map(|c| ObjRef::new(c.namespace.as_deref(), c.name.as_deref())),
        source,
        node,
        created: created(&v.metadata),
    }
}

fn source(s: &core::PersistentVolumeSpec) -> VolumeSource {
    if let Some(h) = &s.host_path {
        return VolumeSource::HostPath {
            path: SafeText::new(&h.path),
        };
    }
    if let Some(l) = &s.local {
        return VolumeSource::Local {
            path: SafeText::new(&l.path),
        };
    }
    if let Some(n) = &s.nfs {
        return VolumeSource::Nfs {
            server: SafeText::new(&n.server),
            path: SafeText::new(&n.path),
        };
    }
    if let Some(c) = &s.csi {
        let pool = c
            .volume_attributes
            .as_ref()
            .and_then(|a| a.get(OPENEBS_POOL));
        return match pool {
            Some(pool) if c.driver == OPENEBS_ZFS => VolumeSource::Zfs {
                pool: SafeText::new(pool),
                dataset: SafeText::new(&c.volume_handle),
            },
            _ => VolumeSource::Csi {
                driver: SafeText::new(&c.driver),
                handle: SafeText::new(&c.volume_handle),
            },
        };
    }
    let kind = [
        (s.iscsi.is_some(), "iscsi"),
        (s.rbd.is_some(), "rbd"),
        (s.cephfs.is_some(), "cephfs"),
        (s.fc.is_some(), "fc"),
    ]
    .into_iter()
    .find_map(|(has, k)| has.then_some(k))
    .unwrap_or("other");
    VolumeSource::Other(SafeText::trusted(kind))
}

pub fn storage_class(c: &storage::StorageClass) -> StorageClass {
    let default = c
        .metadata
        .annotations
        .iter()
        .flatten()
        .any(|(k, v)| k == "storageclass.kubernetes.io/is-default-class" && v == "true");
    let shown = [
        "poolname",
        "fstype",
        "server",
        "share",
        "recordsize",
        "compression",
    ];
    StorageClass {
        name: safe(c.metadata.name.as_ref()),
        provisioner: SafeText::new(&c.provisioner),
        default,
        reclaim: SafeText::opt(c.reclaim_policy.as_deref().or(Some("Delete"))),
        binding: SafeText::opt(c.volume_binding_mode.as_deref().or(Some("Immediate"))),
        params: c
            .parameters
            .iter()
            .flatten()
            .filter(|(k, _)| shown.contains(&k.as_str()))
            .map(|(k, v)| (SafeText::new(k), SafeText::new(v)))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_openebs_zfs_volume_names_its_pool_and_dataset() {
        let v: core::PersistentVolume = serde_json::from_value(json!({
            "metadata": {"name": "pvc-1f2e"},
            "spec": {"capacity": {"storage": "20Gi"}, "storageClassName": "openebs-zfspv",
                "claimRef": {"namespace": "media", "name": "jellyfin-config"},
                "csi": {"driver": "zfs.csi.openebs.io", "volumeHandle": "pvc-1f2e",
                        "volumeAttributes": {"openebs.io/poolname": "tank/k8s"}},
                "nodeAffinity": {"required": {"nodeSelectorTerms": [{"matchExpressions": [
                    {"key": "kubernetes.io/hostname", "operator": "In", "values": ["nas"]}]}]}}},
            "status": {"phase": "Bound"}
        }))
        .unwrap();
        let v = pv(&v);
        assert_eq!(v.source.describe(), "zfs tank/k8s/pvc-1f2e");
        assert_eq!(v.node.unwrap().as_str(), "nas");
        assert_eq!(v.claim.unwrap().key(), "media/jellyfin-config");
    }

    #[test]
    fn nfs_hostpath_and_other_csi_sources() {
        let mk = |spec: serde_json::Value| {
            pv(&serde_json::from_value(json!({"metadata": {"name": "v"}, "spec": spec})).unwrap())
        };
        let nfs = mk(json!({"nfs": {"server": "10.0.10.5", "path": "/mnt/tank/media"}}));
        assert_eq!(nfs.source.describe(), "nfs 10.0.10.5:/mnt/tank/media");
        let hp = mk(json!({"hostPath": {"path": "/var/lib/data"}}));
        assert_eq!(hp.source.describe(), "hostPath /var/lib/data");
        let csi = mk(json!({"csi": {"driver": "driver.longhorn.io", "volumeHandle": "h1"}}));
        assert_eq!(csi.source.describe(), "csi driver.longhorn.io h1");
        assert_eq!(mk(json!({})).source.describe(), "other");
    }
}
