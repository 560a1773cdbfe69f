//! Nodes, namespaces, services, ingresses and events.

use super::{at, count, created, safe, ts};
use crate::backend::kube::model::{Event, Ingress, Namespace, Node, ObjRef, Service};
use crate::core::text::SafeText;
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::api::networking::v1 as net;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use std::collections::BTreeMap;

fn quantity(m: Option<&BTreeMap<String, Quantity>>, key: &str) -> SafeText {
    SafeText::opt(m.and_then(|m| m.get(key)).map(|q| q.0.as_str()))
}

pub fn node(n: &core::Node) -> Node {
    let status = n.status.as_ref();
    let info = status.and_then(|s| s.node_info.as_ref());
    let conds = status.and_then(|s| s.conditions.as_ref());
    let ready = conds
        .and_then(|c| c.iter().find(|c| c.type_ == "Ready"))
        .map(|c| c.status == "True");
    let pressure = conds
        .into_iter()
        .flatten()
        .filter(|c| c.type_ != "Ready" && c.status == "True")
        .map(|c| SafeText::new(&c.type_))
        .collect();
    let mut roles: Vec<SafeText> = n
        .metadata
        .labels
        .iter()
        .flatten()
        .filter_map(|(k, v)| {
            k.strip_prefix("node-role.kubernetes.io/")
                .filter(|r| !r.is_empty())
                .or_else(|| (k == "kubernetes.io/role").then_some(v.as_str()))
        })
        .map(SafeText::new)
        .collect();
    roles.sort();
    roles.dedup();
    let (cap, alloc) = (
        status.and_then(|s| s.capacity.as_ref()),
        status.and_then(|s| s.allocatable.as_ref()),
    );
    let spec = n.spec.as_ref();
    let taints = spec
        .and_then(|s| s.taints.as_ref())
        .into_iter()
        .flatten()
        .map(|t| {
            let v = t
                .value
                .as_deref()
                .map(|v| format!("={v}"))
                .unwrap_or_default();
            SafeText::new(&format!("{}{v}:{}", t.key, t.effect))
        })
        .collect();
    let address = status
        .and_then(|s| s.addresses.as_ref())
        .and_then(|a| {
            a.iter()
                .find(|a| a.type_ == "InternalIP")
                .or_else(|| a.first())
        })
        .map(|a| SafeText::new(&a.address))
        .unwrap_or_default();
    Node {
        name: safe(n.metadata.name.as_ref()),
        ready,
        roles,
        version: SafeText::opt(info.map(|i| i.kubelet_version.as_str())),
        os: SafeText::opt(info.map(|i| i.os_image.as_str())),
        kernel: SafeText::opt(info.map(|i| i.kernel_version.as_str())),
        arch: SafeText::opt(info.map(|i| i.architecture.as_str())),
        address,
        cpu: (quantity(cap, "cpu"), quantity(alloc, "cpu")),
        memory: (quantity(cap, "memory"), quantity(alloc, "memory")),
        pods: (quantity(cap, "pods"), quantity(alloc, "pods")),
        taints,
        cordoned: spec.and_then(|s| s.unschedulable).unwrap_or(false),
        pressure,
        created: created(&n.metadata),
    }
}

pub fn namespace(n: &core::Namespace) -> Namespace {
    Namespace {
        name: safe(n.metadata.name.as_ref()),
        phase: safe(n.status.as_ref().and_then(|s| s.phase.as_ref())),
        created: created(&n.metadata),
    }
}

pub fn service(s: &core::Service) -> Service {
    let spec = s.spec.as_ref();
    let ports = spec
        .and_then(|s| s.ports.as_ref())
        .into_iter()
        .flatten()
        .map(|p| {
            let proto = p.protocol.as_deref().unwrap_or("TCP");
            let text = match p.node_port {
                Some(n) => format!("{}:{n}/{proto}", p.port),
                None => format!("{}/{proto}", p.port),
            };
            SafeText::new(&text)
        })
        .collect();
    let mut external: Vec<SafeText> = spec
        .and_then(|s| s.external_ips.as_ref())
        .into_iter()
        .flatten()
        .map(|a| SafeText::new(a))
        .collect();
    external.extend(
        s.status
            .as_ref()
            .and_then(|s| s.load_balancer.as_ref())
            .and_then(|l| l.ingress.as_ref())
            .into_iter()
            .flatten()
            .filter_map(|i| i.ip.as_deref().or(i.hostname.as_deref()))
            .map(SafeText::new),
    );
    Service {
        at: at(&s.metadata),
        kind: SafeText::opt(spec.and_then(|s| s.type_.as_deref()).or(Some("ClusterIP"))),
        cluster_ip: safe(spec.and_then(|s| s.cluster_ip.as_ref())),
        external,
        ports,
        selector: spec
            .and_then(|s| s.selector.as_ref())
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default(),
        created: created(&s.metadata),
    }
}

pub fn ingress(i: &net::Ingress) -> Ingress {
    let spec = i.spec.as_ref();
    let mut hosts = Vec::new();
    let mut routes = Vec::new();
    for r in spec.and_then(|s| s.rules.as_ref()).into_iter().flatten() {
        let host = r.host.as_deref().unwrap_or("*");
        hosts.push(SafeText::new(host));
        for p in r.http.iter().flat_map(|h| h.paths.iter()) {
            let to = p
                .backend
                .service
                .as_ref()
                .map(|s| {
                    let port = s.port.as_ref().map_or(String::new(), |p| {
                        p.number
                            .map(|n| n.to_string())
                            .or_else(|| p.name.clone())
                            .unwrap_or_default()
                    });
                    format!("{}:{port}", s.name)
                })
                .unwrap_or_else(|| "?".into());
            let path = p.path.as_deref().unwrap_or("/");
            routes.push(SafeText::new(&format!("{host}{path} -> {to}")));
        }
    }
    let address = i
        .status
        .as_ref()
        .and_then(|s| s.load_balancer.as_ref())
        .and_then(|l| l.ingress.as_ref())
        .into_iter()
        .flatten()
        .filter_map(|i| i.ip.as_deref().or(i.hostname.as_deref()))
        .map(SafeText::new)
        .collect();
    Ingress {
        at: at(&i.metadata),
        class: safe(spec.and_then(|s| s.ingress_class_name.as_ref())),
        hosts,
        address,
        routes,
        created: created(&i.metadata),
    }
}

pub fn event(e: &core::Event) -> Event {
    let o = &e.involved_object;
    let last = ts(e.last_timestamp.as_ref())
        .or_else(|| {
            e.event_time
                .as_ref()
                .map(|t| crate::core::time::Timestamp(t.0.as_second()))
        })
        .or_else(|| ts(e.first_timestamp.as_ref()))
        .or_else(|| created(&e.metadata));
    Event {
        at: at(&e.metadata),
        object: ObjRef::new(o.namespace.as_deref(), o.name.as_deref()),
        object_kind: safe(o.kind.as_ref()),
        warning: e.type_.as_deref() == Some("Warning"),
        reason: safe(e.reason.as_ref()),
        message: safe(e.message.as_ref()),
        count: count(e.count).max(1),
        last,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_node_reads_roles_taints_and_readiness() {
        let n: core::Node = serde_json::from_value(json!({
            "metadata": {"name": "cp1", "labels": {"node-role.kubernetes.io/control-plane": "", "kubernetes.io/arch": "amd64"}},
            "spec": {"unschedulable": true, "taints": [{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]},
            "status": {"conditions": [{"type": "Ready", "status": "False"}, {"type": "DiskPressure", "status": "True"}],
                "capacity": {"cpu": "4", "memory": "16Gi", "pods": "110"},
                "allocatable": {"cpu": "3800m", "memory": "15Gi", "pods": "110"},
                "addresses": [{"type": "Hostname", "address": "cp1"}, {"type": "InternalIP", "address": "10.0.20.11"}],
                "nodeInfo": {"kubeletVersion": "v1.33.2", "osImage": "Talos (v1.10)", "kernelVersion": "6.12.1",
                    "architecture": "amd64", "bootID": "", "containerRuntimeVersion": "", "kubeProxyVersion": "",
                    "machineID": "", "operatingSystem": "linux", "systemUUID": ""}}
        })).unwrap();
        let n = node(&n);
        assert_eq!(n.ready, Some(false));
        assert_eq!(n.roles[0].as_str(), "control-plane");
        assert!(n.cordoned);
        assert_eq!(
            n.taints[0].as_str(),
            "node-role.kubernetes.io/control-plane:NoSchedule"
        );
        assert_eq!(n.cpu.1.as_str(), "3800m");
        assert_eq!(n.address.as_str(), "10.0.20.11");
        assert_eq!(n.pressure[0].as_str(), "DiskPressure");
    }

    #[test]
    fn a_service_and_an_ingress_say_where_they_lead() {
        let s: core::Service = serde_json::from_value(json!({
            "metadata": {"name": "web", "namespace": "m"},
            "spec": {"type": "LoadBalancer", "clusterIP": "10.43.0.10",
                     "ports": [{"port": 443, "nodePort": 30443, "protocol": "TCP"}]},
            "status": {"loadBalancer": {"ingress": [{"ip": "192.168.20.50"}]}}
        }))
        .unwrap();
        let s = service(&s);
        assert_eq!(s.ports[0].as_str(), "443:30443/TCP");
        assert_eq!(s.external[0].as_str(), "192.168.20.50");
        let i: net::Ingress = serde_json::from_value(json!({
            "metadata": {"name": "web", "namespace": "m"},
            "spec": {"ingressClassName": "traefik", "rules": [{"host": "jf.lab", "http": {"paths": [
                {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "jellyfin", "port": {"number": 8096}}}}]}}]}
        })).unwrap();
        assert_eq!(ingress(&i).routes[0].as_str(), "jf.lab/ -> jellyfin:8096");
    }
}
