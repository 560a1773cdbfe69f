//! Generated clusters for benchmarks and larger tests: namespaces, nodes,
//! deployments with their ReplicaSets and Running pods, services, events.

use serde_json::json;

use crate::controller;
use crate::resources;
use crate::store::Store;

#[derive(Clone, Debug)]
pub struct Scenario {
    pub namespaces: usize,
    pub nodes: usize,
    pub deployments: usize,
    /// Pods in all, spread over the deployments.
    pub pods: usize,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            namespaces: 3,
            nodes: 3,
            deployments: 10,
            pods: 30,
        }
    }
}

const IMAGES: &[&str] = &[
    "nginx:1.27",
    "redis:7.4",
    "postgres:16",
    "ghcr.io/home-assistant/home-assistant:2025.5",
    "grafana/grafana:11.6.0",
    "prom/prometheus:v3.3.0",
];

impl Scenario {
    pub fn load(&self, s: &mut Store) {
        let def = |n: &str| resources::by_name(n).expect("kind in table");
        for i in 0..self.nodes {
            let name = format!("node-{i}");
            let mut labels = json!({"kubernetes.io/hostname": name, "kubernetes.io/os": "linux"});
            if i == 0 {
                labels["node-role.kubernetes.io/control-plane"] = json!("");
            }
            let _ = s.create(
                def("nodes"),
                "",
                json!({
                    "metadata": {"name": name, "labels": labels},
                    "spec": {"podCIDR": format!("10.244.{i}.0/24")},
                    "status": {
                        "capacity": {"cpu": "8", "memory": "32Gi", "pods": "110"},
                        "allocatable": {"cpu": "8", "memory": "31Gi", "pods": "110"},
                        "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status"}],
                        "addresses": [{"type": "InternalIP", "address": format!("10.0.0.{}", 10 + i)}, {"type": "Hostname", "address": name}],
                        "nodeInfo": {"kubeletVersion": "v1.33.1", "containerRuntimeVersion": "containerd://2.0.5", "osImage": "Debian GNU/Linux 13", "architecture": "amd64", "operatingSystem": "linux", "kernelVersion": "6.12.0"}
                    }
                }),
            );
        }
        let namespaces: Vec<String> = (0..self.namespaces.max(1))
            .map(|i| format!("apps-{i}"))
            .collect();
        for ns in &namespaces {
            let _ = s.create(def("namespaces"), "", json!({"metadata": {"name": ns}}));
        }
        let deployments = self.deployments.max(1);
        for i in 0..deployments {
            let ns = &namespaces[i % namespaces.len()];
            let name = format!("app-{i}");
            // Spread pods evenly; the first deployments take the remainder.
            let replicas = self.pods / deployments + usize::from(i < self.pods % deployments);
            let image = IMAGES[i % IMAGES.len()];
            let labels = json!({"app.kubernetes.io/name": name});
            let _ = s.create(
                def("deployments"),
                ns,
                json!({
                    "metadata": {"name": name, "labels": labels},
                    "spec": {
                        "replicas": replicas,
                        "selector": {"matchLabels": labels},
                        "template": {
                            "metadata": {"labels": labels},
                            "spec": {"containers": [{"name": "main", "image": image, "ports": [{"containerPort": 8080, "protocol": "TCP"}]}]}
                        }
                    }
                }),
            );
            let _ = s.create(
                def("services"),
                ns,
                json!({
                    "metadata": {"name": name},
                    "spec": {"type": "ClusterIP", "clusterIP": format!("10.96.{}.{}", i / 250, 1 + i % 250), "selector": labels, "ports": [{"port": 80, "targetPort": 8080, "protocol": "TCP"}]}
                }),
            );
        }
        // Two passes: deployments → ReplicaSets → pods, then statuses.
        controller::reconcile(s);
        controller::reconcile(s);
    }
}
