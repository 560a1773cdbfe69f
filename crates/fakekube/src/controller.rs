//! A small stand-in for the controller manager and kubelets, so the fake
//! behaves like a cluster: deployments get a ReplicaSet, ReplicaSets and
//! StatefulSets get Running, Ready pods, workload statuses follow, orphans
//! are garbage-collected, disruption budgets get their status. Every pass
//! writes only what differs, so it settles.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde_json::{Value, json};

use crate::resources::{self, ResourceDef};
use crate::store::{Part, Store, name_of, name_suffix, namespace_of, now_rfc3339};
use crate::{Shared, lock};

pub async fn run(shared: Arc<Shared>) {
    let mut changes = lock(&shared.store).subscribe();
    loop {
        if changes.changed().await.is_err() {
            return;
        }
        tokio::time::sleep(shared.opts.controller_delay).await;
        changes.borrow_and_update();
        reconcile(&mut lock(&shared.store));
    }
}

fn def(name: &str) -> &'static ResourceDef {
    resources::by_name(name).expect("kind in table")
}

fn uid(v: &Value) -> String {
    v.pointer("/metadata/uid")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn owner_uid(v: &Value) -> Option<String> {
    v.pointer("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .and_then(|o| o.iter().find(|r| r["controller"] == true).or(o.first()))
        .and_then(|r| r["uid"].as_str())
        .map(String::from)
}

fn owner_ref(owner: &Value, d: &ResourceDef) -> Value {
    json!([{
        "apiVersion": d.api_version(),
        "kind": d.kind,
        "name": name_of(owner),
        "uid": uid(owner),
        "controller": true,
        "blockOwnerDeletion": true
    }])
}

fn replicas(v: &Value) -> i64 {
    v.pointer("/spec/replicas")
        .and_then(Value::as_i64)
        .unwrap_or(1)
}

/// A short stable hash of the pod template, as `pod-template-hash`.
fn template_hash(template: &Value) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in template.to_string().bytes() {
        h = (h ^ b as u64).wrapping_mul(0x100000001b3);
    }
    const ALPHA: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    (0..10)
        .map(|i| ALPHA[((h >> (i * 6)) % ALPHA.len() as u64) as usize] as char)
        .collect()
}

fn is_ready(pod: &Value) -> bool {
    pod.pointer("/status/phase").and_then(Value::as_str) == Some("Running")
        && pod
            .pointer("/status/conditions")
            .and_then(Value::as_array)
            .is_some_and(|cs| {
                cs.iter()
                    .any(|c| c["type"] == "Ready" && c["status"] == "True")
            })
}

/// A pod as a kubelet reports it once its containers run.
pub fn running_pod(
    name: &str,
    ns: &str,
    template: &Value,
    owner: Value,
    node: Option<&str>,
) -> Value {
    let mut pod = json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": name,
            "namespace": ns,
            "labels": template.pointer("/metadata/labels").cloned().unwrap_or(json!({})),
            "ownerReferences": owner,
        },
        "spec": template.get("spec").cloned().unwrap_or(json!({"containers": []})),
    });
    if let Some(a) = template.pointer("/metadata/annotations") {
        pod["metadata"]["annotations"] = a.clone();
    }
    if let Some(n) = node {
        pod["spec"]["nodeName"] = json!(n);
    }
    let now = now_rfc3339();
    let statuses: Vec<Value> = pod
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .map(|cs| {
            cs.iter()
                .map(|c| {
                    json!({
                        "name": c["name"],
                        "image": c["image"],
                        "imageID": format!("{}@sha256:{}", c["image"].as_str().unwrap_or("image"), "0".repeat(64)),
                        "containerID": format!("containerd://{}", name_suffix(32)),
                        "ready": true,
                        "started": true,
                        "restartCount": 0,
                        "state": {"running": {"startedAt": now}}
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let cond = |t: &str| json!({"type": t, "status": "True", "lastTransitionTime": now, "lastProbeTime": null});
    pod["status"] = json!({
        "phase": "Running",
        "conditions": [cond("PodReadyToStartContainers"), cond("Initialized"), cond("Ready"), cond("ContainersReady"), cond("PodScheduled")],
        "hostIP": "10.0.0.10",
        "podIP": format!("10.244.{}.{}", fastrand::u8(0..=255), fastrand::u8(1..=254)),
        "startTime": now,
        "qosClass": "BestEffort",
        "containerStatuses": statuses,
    });
    pod
}

fn set_status(s: &mut Store, d: &'static ResourceDef, obj: &Value, status: Value) {
    let mut merged = obj.get("status").cloned().unwrap_or(json!({}));
    json_patch::merge(&mut merged, &status);
    if obj.get("status") != Some(&merged) {
        let mut next = obj.clone();
        next["status"] = merged;
        let _ = s.update(d, namespace_of(obj), name_of(obj), next, Part::Whole);
    }
}

/// One pass over the workloads.
pub fn reconcile(s: &mut Store) {
    let (deps, rss, stss, pods_d, pdbs) = (
        def("deployments"),
        def("replicasets"),
        def("statefulsets"),
        def("pods"),
        def("poddisruptionbudgets"),
    );
    let nodes: Vec<String> = s
        .iter(def("nodes"), None)
        .map(|n| name_of(n).to_string())
        .collect();
    let mut next_node = 0usize;
    let mut pick_node = || {
        if nodes.is_empty() {
            None
        } else {
            next_node += 1;
            Some(nodes[next_node % nodes.len()].clone())
        }
    };

    // Deployments own one ReplicaSet per template; older ones scale to 0.
    for d in s.iter(deps, None).cloned().collect::<Vec<_>>() {
        let template = d.pointer("/spec/template").cloned().unwrap_or(json!({}));
        let hash = template_hash(&template);
        let ns = namespace_of(&d).to_string();
        let rs_name = format!("{}-{hash}", name_of(&d));
        let owned: Vec<Value> = s
            .iter(rss, Some(&ns))
            .filter(|r| owner_uid(r) == Some(uid(&d)))
            .cloned()
            .collect();
        for old in owned
            .iter()
            .filter(|r| name_of(r) != rs_name && replicas(r) != 0)
        {
            let mut o = old.clone();
            o["spec"]["replicas"] = json!(0);
            let _ = s.update(rss, &ns, name_of(old), o, Part::Main);
        }
        match owned.iter().find(|r| name_of(r) == rs_name) {
            Some(rs) if replicas(rs) != replicas(&d) => {
                let mut r = rs.clone();
                r["spec"]["replicas"] = json!(replicas(&d));
                let _ = s.update(rss, &ns, &rs_name, r, Part::Main);
            }
            Some(_) => {}
            None => {
                let mut t = template.clone();
                t["metadata"]["labels"]["pod-template-hash"] = json!(hash);
                let mut sel = d.pointer("/spec/selector").cloned().unwrap_or(json!({}));
                sel["matchLabels"]["pod-template-hash"] = json!(hash);
                let _ = s.create(
                    rss,
                    &ns,
                    json!({
                        "metadata": {"name": rs_name, "labels": t["metadata"]["labels"], "ownerReferences": owner_ref(&d, deps)},
                        "spec": {"replicas": replicas(&d), "selector": sel, "template": t},
                    }),
                );
            }
        }
    }

    // ReplicaSets own pods with random suffixes.
    let mut by_owner: HashMap<String, Vec<Value>> = HashMap::new();
    for p in s.iter(pods_d, None) {
        if let Some(o) = owner_uid(p) {
            by_owner.entry(o).or_default().push(p.clone());
        }
    }
    for rs in s.iter(rss, None).cloned().collect::<Vec<_>>() {
        let ns = namespace_of(&rs).to_string();
        let have = by_owner.remove(&uid(&rs)).unwrap_or_default();
        let want = replicas(&rs).max(0) as usize;
        let template = rs.pointer("/spec/template").cloned().unwrap_or(json!({}));
        for _ in have.len()..want {
            let name = format!("{}-{}", name_of(&rs), name_suffix(5));
            let node = pick_node();
            let _ = s.create(
                pods_d,
                &ns,
                running_pod(&name, &ns, &template, owner_ref(&rs, rss), node.as_deref()),
            );
        }
        for extra in have.iter().skip(want) {
            let _ = s.delete(pods_d, &ns, name_of(extra));
        }
        let count = want;
        let ready = have.iter().take(want).filter(|p| is_ready(p)).count()
            + want.saturating_sub(have.len());
        let generation = rs
            .pointer("/metadata/generation")
            .cloned()
            .unwrap_or(json!(1));
        let rs_now = s.get(rss, &ns, name_of(&rs)).cloned().unwrap_or(rs);
        set_status(
            s,
            rss,
            &rs_now,
            json!({"replicas": count, "fullyLabeledReplicas": count, "readyReplicas": ready, "availableReplicas": ready, "observedGeneration": generation}),
        );
    }

    // Deployment status sums its ReplicaSets.
    for d in s.iter(deps, None).cloned().collect::<Vec<_>>() {
        let ns = namespace_of(&d).to_string();
        let rs_name = format!(
            "{}-{}",
            name_of(&d),
            template_hash(&d.pointer("/spec/template").cloned().unwrap_or(json!({})))
        );
        let owned: Vec<&Value> = s
            .iter(rss, Some(&ns))
            .filter(|r| owner_uid(r) == Some(uid(&d)))
            .collect();
        let sum = |f: &str| {
            owned
                .iter()
                .map(|r| r.pointer(f).and_then(Value::as_i64).unwrap_or(0))
                .sum::<i64>()
        };
        let (total, ready) = (sum("/status/replicas"), sum("/status/readyReplicas"));
        let updated = owned
            .iter()
            .find(|r| name_of(r) == rs_name)
            .and_then(|r| r.pointer("/status/replicas").and_then(Value::as_i64))
            .unwrap_or(0);
        let available = ready >= replicas(&d);
        let now = now_rfc3339();
        let cond_time = d
            .pointer("/status/conditions/0/lastTransitionTime")
            .cloned()
            .unwrap_or(json!(now));
        let status = json!({
            "observedGeneration": d.pointer("/metadata/generation").cloned().unwrap_or(json!(1)),
            "replicas": total,
            "updatedReplicas": updated,
            "readyReplicas": ready,
            "availableReplicas": ready,
            "unavailableReplicas": if total > ready { json!(total - ready) } else { Value::Null },
            "conditions": [{
                "type": "Available",
                "status": if available { "True" } else { "False" },
                "reason": if available { "MinimumReplicasAvailable" } else { "MinimumReplicasUnavailable" },
                "message": if available { "Deployment has minimum availability." } else { "Deployment does not have minimum availability." },
                "lastUpdateTime": cond_time,
                "lastTransitionTime": cond_time,
            }],
        });
        set_status(s, deps, &d, status);
    }

    // StatefulSets own NAME-0 … NAME-(n-1).
    for st in s.iter(stss, None).cloned().collect::<Vec<_>>() {
        let ns = namespace_of(&st).to_string();
        let want = replicas(&st).max(0) as usize;
        let template = st.pointer("/spec/template").cloned().unwrap_or(json!({}));
        let owned: Vec<Value> = s
            .iter(pods_d, Some(&ns))
            .filter(|p| owner_uid(p) == Some(uid(&st)))
            .cloned()
            .collect();
        for i in 0..want {
            let name = format!("{}-{i}", name_of(&st));
            if s.get(pods_d, &ns, &name).is_none() {
                let node = pick_node();
                let mut pod =
                    running_pod(&name, &ns, &template, owner_ref(&st, stss), node.as_deref());
                pod["metadata"]["labels"]["statefulset.kubernetes.io/pod-name"] = json!(name);
                let _ = s.create(pods_d, &ns, pod);
            }
        }
        for p in &owned {
            let idx = name_of(p)
                .rsplit('-')
                .next()
                .and_then(|i| i.parse::<usize>().ok());
            if idx.is_none_or(|i| i >= want) {
                let _ = s.delete(pods_d, &ns, name_of(p));
            }
        }
        let pods: Vec<&Value> = s
            .iter(pods_d, Some(&ns))
            .filter(|p| owner_uid(p) == Some(uid(&st)))
            .collect();
        let ready = pods.iter().filter(|p| is_ready(p)).count();
        let n = pods.len();
        set_status(
            s,
            stss,
            &st,
            json!({"observedGeneration": st.pointer("/metadata/generation").cloned().unwrap_or(json!(1)), "replicas": n, "readyReplicas": ready, "currentReplicas": n, "updatedReplicas": n, "availableReplicas": ready}),
        );
    }

    garbage_collect(s);

    for pdb in s.iter(pdbs, None).cloned().collect::<Vec<_>>() {
        if let Some((desired, healthy, expected)) = crate::eviction::budget(s, &pdb) {
            set_status(
                s,
                pdbs,
                &pdb,
                json!({
                    "observedGeneration": pdb.pointer("/metadata/generation").cloned().unwrap_or(json!(1)),
                    "currentHealthy": healthy,
                    "desiredHealthy": desired,
                    "expectedPods": expected,
                    "disruptionsAllowed": healthy.saturating_sub(desired),
                }),
            );
        }
    }
}

/// Deletes pods and ReplicaSets whose controlling owner is gone, as the
/// garbage collector does with background propagation.
fn garbage_collect(s: &mut Store) {
    let owners: HashSet<String> = [
        "deployments",
        "replicasets",
        "statefulsets",
        "daemonsets",
        "jobs",
        "cronjobs",
    ]
    .iter()
    .flat_map(|k| s.iter(def(k), None).map(uid).collect::<Vec<_>>())
    .collect();
    for kind in ["replicasets", "pods", "jobs"] {
        let d = def(kind);
        let orphans: Vec<(String, String)> = s
            .iter(d, None)
            .filter(|o| {
                let kind = o
                    .pointer("/metadata/ownerReferences/0/kind")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                matches!(
                    kind,
                    "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet" | "Job" | "CronJob"
                ) && owner_uid(o).is_some_and(|u| !owners.contains(&u))
            })
            .map(|o| (namespace_of(o).to_string(), name_of(o).to_string()))
            .collect();
        for (ns, n) in orphans {
            let _ = s.delete(d, &ns, &n);
        }
    }
}
