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
    d
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
