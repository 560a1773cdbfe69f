//! Made-up clusters for tests and screen snapshots, built from API JSON through the
//! same conversions as live data (not used by the program itself).

use super::config::ClusterSpec;
use super::convert;
use super::data::{ClusterData, flux_key, workload_key};
use super::kinds::{Kind, KindState};
use super::model::FluxKind;
use crate::backend::swarm::sample::NOW;
use crate::core::text::SafeText;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

/// `secs` before the sample's now, as the API writes times.
fn ago(secs: i64) -> String {
    jiff::Timestamp::from_second(NOW.0 - secs)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

fn de<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).expect("sample JSON matches its type")
}

/// A cluster named `name` for the pane (no kubeconfig: never connected).
pub fn spec(name: &str) -> ClusterSpec {
    ClusterSpec {
        name: name.into(),
        context: name.into(),
        kubeconfig: Err("sample".into()),
        read_only: false,
        namespaces: Vec::new(),
        timeout: Duration::from_secs(10),
    }
}

fn node(name: &str, ready: bool, role: Option<&str>) -> Value {
    let mut labels = json!({"kubernetes.io/hostname": name});
    if let Some(r) = role {
        labels[format!("node-role.kubernetes.io/{r}")] = json!("");
    }
    json!({"metadata": {"name": name, "labels": labels, "creationTimestamp": ago(40 * 86_400)},
        "status": {"conditions": [{"type": "Ready", "status": if ready {"True"} else {"Unknown"}}],
            "allocatable": {"cpu": "3800m", "memory": "15Gi", "pods": "110"},
            "nodeInfo": {"kubeletVersion": "v1.33.2", "osImage": "Talos (v1.10.4)", "kernelVersion": "6.12.30-talos",
                "architecture": "amd64", "bootID": "", "containerRuntimeVersion": "", "kubeProxyVersion": "",
                "machineID": "", "operatingSystem": "linux", "systemUUID": ""}}})
}

/// `node`, cordoned for maintenance (`kubectl cordon`): ready, but nothing new lands.
fn cordoned(name: &str) -> Value {
    let mut n = node(name, true, None);
    n["spec"] = json!({"unschedulable": true,
        "taints": [{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}]});
    n
}

fn deployment(ns: &str, name: &str, image: &str, want: i32, ready: i32) -> Value {
    json!({"metadata": {"name": name, "namespace": ns, "creationTimestamp": ago(9 * 86_400)},
        "spec": {"replicas": want, "selector": {}, "template": {"spec": {"containers": [{"name": "app", "image": image}]}}},
        "status": {"readyReplicas": ready, "updatedReplicas": want, "availableReplicas": ready}})
}

fn pod(
    ns: &str,
    name: &str,
    owner: (&str, &str),
    node: &str,
    state: Value,
    ready: bool,
    restarts: i32,
) -> Value {
    json!({"metadata": {"name": name, "namespace": ns, "creationTimestamp": ago(2 * 86_400),
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": owner.0, "name": owner.1, "uid": "u", "controller": true}]},
        "spec": {"nodeName": node, "containers": [{"name": "app", "ports": [{"containerPort": 8080}]}]},
        "status": {"phase": "Running", "podIP": "10.42.1.17",
            "conditions": [{"type": "Ready", "status": if ready {"True"} else {"False"}}],
            "containerStatuses": [{"name": "app", "image": "img", "imageID": "", "ready": ready,
                "restartCount": restarts, "state": state,
                "lastState": if restarts > 0 {json!({"terminated": {"exitCode": 137, "reason": "OOMKilled", "finishedAt": ago(300)}})} else {json!({})}}]}})
}

fn running() -> Value {
    json!({"running": {"startedAt": ago(86_400)}})
}

fn helm(ns: &str, name: &str, chart: &str, version: &str, ready: bool, message: &str) -> Value {
    json!({"apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease",
        "metadata": {"name": name, "namespace": ns},
        "spec": {"chart": {"spec": {"chart": chart}}},
        "status": {"history": [{"chartVersion": version}],
            "conditions": [{"type": "Ready", "status": if ready {"True"} else {"False"},
                "message": message, "lastTransitionTime": ago(1800)}]}})
}

fn all_live(d: &mut ClusterData) {
    for k in Kind::BUILTIN {
        d.kinds.insert(k, KindState::Live);
    }
}

/// The Talos cluster of seed 000: three nodes (one not ready), media apps, Flux.
pub fn homelab() -> ClusterData {
    let mut d = ClusterData {
        version: Some(SafeText::new("v1.33.2")),
        ..Default::default()
    };
    all_live(&mut d);
    for k in [Kind::HelmReleases, Kind::Kustomizations] {
        d.kinds.insert(k, KindState::Live);
    }
    let nodes = [
        node("cp1", true, Some("control-plane")),
        node("w1", true, None),
        node("w2", false, None),
        cordoned("w3"),
    ];
    d.nodes = Arc::new(
        nodes
            .into_iter()
            .map(|n| {
                let n = convert::node(&de(n));
                (n.name.to_string(), n)
            })
            .collect(),
    );
    let deps = [
        deployment("media", "jellyfin", "jellyfin/jellyfin:10.10.7", 1, 1),
        deployment(
            "media",
            "immich-server",
            "ghcr.io/immich-app/immich-server:v1.132.3",
            2,
            1,
        ),
        deployment("infra", "traefik", "traefik:v3.4", 2, 2),
    ];
    let mut w = std::collections::BTreeMap::new();
    for dep in deps {
        let x = convert::deployment(&de(dep));
        w.insert(workload_key(x.kind, &x.at), x);
    }
    let rs = json!({"metadata": {"name": "immich-server-6d8f", "namespace": "media",
        "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "immich-server", "uid": "u", "controller": true}]},
        "spec": {"replicas": 2, "selector": {}}, "status": {"replicas": 2, "readyReplicas": 1}});
    let x = convert::replicaset(&de(rs));
    w.insert(workload_key(x.kind, &x.at), x);
    let sts = json!({"metadata": {"name": "postgres", "namespace": "db", "creationTimestamp": ago(30 * 86_400)},
        "spec": {"replicas": 1, "selector": {}, "serviceName": "pg", "template": {"spec": {"containers": [{"name": "pg", "image": "postgres:16"}]}}},
        "status": {"replicas": 1, "readyReplicas": 1, "updatedReplicas": 1, "availableReplicas": 1}});
    let x = convert::statefulset(&de(sts));
    w.insert(workload_key(x.kind, &x.at), x);
    d.workloads = Arc::new(w);
    let crash = json!({"waiting": {"reason": "CrashLoopBackOff"}});
    let pods = [
        pod(
            "media",
            "jellyfin-7c9d-x2k4p",
            ("ReplicaSet", "jellyfin-7c9d"),
            "w1",
            running(),
            true,
            0,
        ),
        pod(
            "media",
            "immich-server-6d8f-abcde",
            ("ReplicaSet", "immich-server-6d8f"),
            "w1",
            running(),
            true,
            0,
        ),
        pod(
            "media",
            "immich-server-6d8f-fghij",
            ("ReplicaSet", "immich-server-6d8f"),
            "w2",
            crash,
            false,
            12,
        ),
        pod(
            "db",
            "postgres-0",
            ("StatefulSet", "postgres"),
            "w1",
            running(),
            true,
            1,
        ),
    ];
    d.pods = Arc::new(
        pods.into_iter()
            .map(|p| {
                let p = convert::pod(&de(p));
                (p.at.key(), p)
            })
            .collect(),
    );
    let hrs = [
        helm(
            "media",
            "immich",
            "immich",
            "0.9.3",
            false,
            "Helm upgrade failed: context deadline exceeded",
        ),
        helm(
            "media",
            "jellyfin",
            "jellyfin",
            "2.1.0",
            true,
            "Helm install succeeded",
        ),
        helm(
            "infra",
            "traefik",
            "traefik",
            "35.2.0",
            true,
            "Helm upgrade succeeded",
        ),
    ];
    d.flux = Arc::new(
        hrs.into_iter()
            .map(|h| {
                let f = convert::flux(&de(h), FluxKind::HelmRelease);
                (flux_key(f.kind, &f.at), f)
            })
            .collect(),
    );
    let ev = json!({"metadata": {"name": "immich.1", "namespace": "media"},
        "involvedObject": {"kind": "Pod", "namespace": "media", "name": "immich-server-6d8f-fghij"},
        "reason": "BackOff", "message": "Back-off restarting failed container app", "type": "Warning",
        "count": 41, "lastTimestamp": ago(60)});
    let e = convert::event(&de(ev));
    d.events = Arc::new([(e.at.key(), e)].into_iter().collect());
    storage(&mut d);
    d
}

fn claim(ns: &str, name: &str, class: &str, size: &str, volume: Option<&str>) -> Value {
    let status = match volume {
        Some(_) => {
            json!({"phase": "Bound", "capacity": {"storage": size}, "accessModes": ["ReadWriteOnce"]})
        }
        None => json!({"phase": "Pending"}),
    };
    json!({"metadata": {"name": name, "namespace": ns, "creationTimestamp": ago(30 * 86_400)},
        "spec": {"storageClassName": class, "volumeName": volume, "accessModes": ["ReadWriteOnce"],
            "resources": {"requests": {"storage": size}}},
        "status": status})
}

/// A volume bound to `claim` (`ns`, `name`); `source` is the spec's source fields.
fn volume(name: &str, class: &str, size: &str, claim: (&str, &str), source: Value) -> Value {
    let mut spec = json!({"capacity": {"storage": size}, "storageClassName": class,
        "persistentVolumeReclaimPolicy": "Retain", "accessModes": ["ReadWriteOnce"],
        "claimRef": {"namespace": claim.0, "name": claim.1}});
    if let (Some(spec), Some(source)) = (spec.as_object_mut(), source.as_object()) {
        spec.extend(source.clone());
    }
    json!({"metadata": {"name": name, "creationTimestamp": ago(30 * 86_400)},
        "spec": spec, "status": {"phase": "Bound"}})
}

/// OpenEBS ZFS LocalPV on the `tank/k8s` pool of `node`.
fn zfs_source(handle: &str, node: &str) -> Value {
    json!({"csi": {"driver": "zfs.csi.openebs.io", "volumeHandle": handle, "fsType": "zfs",
            "volumeAttributes": {"openebs.io/poolname": "tank/k8s"}},
        "nodeAffinity": {"required": {"nodeSelectorTerms": [{"matchExpressions": [
            {"key": "kubernetes.io/hostname", "operator": "In", "values": [node]}]}]}}})
}

/// Claims on OpenEBS ZFS (pinned to w1) and on the NAS over NFS, and one still pending.
fn storage(d: &mut ClusterData) {
    let zfs = "openebs-zfspv";
    let claims = [
        claim(
            "media",
            "jellyfin-config",
            zfs,
            "20Gi",
            Some("pvc-1f2e9a7c"),
        ),
        claim(
            "media",
            "media-library",
            "nfs-tank",
            "4Ti",
            Some("nfs-media"),
        ),
        claim("db", "data-postgres-0", zfs, "50Gi", Some("pvc-8b3c51d0")),
        claim("media", "immich-ml-cache", zfs, "10Gi", None),
    ];
    d.pvcs = Arc::new(
        claims
            .into_iter()
            .map(|c| {
                let c = convert::pvc(&de(c));
                (c.at.key(), c)
            })
            .collect(),
    );
    let nfs = json!({"nfs": {"server": "10.0.10.5", "path": "/mnt/tank/media"}});
    let volumes = [
        volume(
            "pvc-1f2e9a7c",
            zfs,
            "20Gi",
            ("media", "jellyfin-config"),
            zfs_source("pvc-1f2e9a7c", "w1"),
        ),
        volume(
            "nfs-media",
            "nfs-tank",
            "4Ti",
            ("media", "media-library"),
            nfs,
        ),
        volume(
            "pvc-8b3c51d0",
            zfs,
            "50Gi",
            ("db", "data-postgres-0"),
            zfs_source("pvc-8b3c51d0", "w1"),
        ),
    ];
    d.pvs = Arc::new(
        volumes
            .into_iter()
            .map(|v| {
                let v = convert::pv(&de(v));
                (v.name.to_string(), v)
            })
            .collect(),
    );
    let classes = [
        json!({"metadata": {"name": zfs,
                "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
            "provisioner": "zfs.csi.openebs.io", "reclaimPolicy": "Retain",
            "volumeBindingMode": "WaitForFirstConsumer",
            "parameters": {"poolname": "tank/k8s", "fstype": "zfs", "recordsize": "128k"}}),
        json!({"metadata": {"name": "nfs-tank"}, "provisioner": "kubernetes.io/no-provisioner",
            "volumeBindingMode": "Immediate", "parameters": {"server": "10.0.10.5"}}),
    ];
    d.classes = Arc::new(
        classes
            .into_iter()
            .map(|c| {
                let c = convert::storage_class(&de(c));
                (c.name.to_string(), c)
            })
            .collect(),
    );
}

/// A small cloud cluster whose credentials may not list pods.
pub fn cloud() -> ClusterData {
    let mut d = ClusterData {
        version: Some(SafeText::new("v1.33.1+k0s")),
        ..Default::default()
    };
    all_live(&mut d);
    d.kinds.insert(
        Kind::Pods,
        KindState::Forbidden(SafeText::new(
            "pods is forbidden: User \"viewer\" cannot list resource \"pods\" in API group \"\" at the cluster scope",
        )),
    );
    d.nodes = Arc::new(
        [node("c1", true, Some("control-plane"))]
            .into_iter()
            .map(|n| {
                let n = convert::node(&de(n));
                (n.name.to_string(), n)
            })
            .collect(),
    );
    let x = convert::deployment(&de(deployment("web", "blog", "ghost:5", 1, 1)));
    d.workloads = Arc::new([(workload_key(x.kind, &x.at), x)].into_iter().collect());
    d
}

/// homelab with text an attacker controls: a pod name, an event's message and a Flux
/// message carrying escape sequences (clipboard write, title, hyperlink, screen
/// clear, 8-bit CSI/OSC), a bidi override and a carriage return.
pub fn hostile() -> ClusterData {
    let mut d = homelab();
    let name = "web-\u{1b}]52;c;aGFjaw==\u{7}x\u{1b}[2J\u{202e}fdp.exe";
    let p = convert::pod(&de(pod(
        "media",
        name,
        ("ReplicaSet", "web-5f7b"),
        "w1",
        running(),
        true,
        0,
    )));
    Arc::make_mut(&mut d.pods).insert(p.at.key(), p);
    let ev = json!({"metadata": {"name": "web.1", "namespace": "media"},
        "involvedObject": {"kind": "Pod", "namespace": "media", "name": name},
        "reason": "Pulled", "type": "Warning", "count": 1, "lastTimestamp": ago(30),
        "message": "see \u{1b}]8;;http://example.invalid\u{1b}\\click\u{1b}]8;;\u{1b}\\ ok\rEVIL\u{1b}[6n"});
    let e = convert::event(&de(ev));
    Arc::make_mut(&mut d.events).insert(e.at.key(), e);
    let hr = helm(
        "media",
        "evil",
        "evil",
        "6.6.6",
        false,
        "upgrade \u{1b}]0;pwned\u{7}failed\u{9b}2J \u{9d}0;x\u{9c}\u{1b}c\u{1b}P+q544e\u{1b}\\ done",
    );
    let f = convert::flux(&de(hr), FluxKind::HelmRelease);
    Arc::make_mut(&mut d.flux).insert(flux_key(f.kind, &f.at), f);
    d
}
