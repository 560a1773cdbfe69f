//! Custom resources found through discovery, read as JSON: Flux's objects, KubeVirt's
//! machines and k0smotron's hosted control planes. A field of another shape reads as
//! absent, never as an error.

use super::{at, created};
use crate::backend::kube::model::{AddressPoolCr, Attachment, Flux, FluxKind, Hosted, Vm};
use crate::core::text::SafeText;
use crate::core::time::Timestamp;
use kube::api::DynamicObject;
use serde_json::Value;

fn text(v: &Value, path: &[&str]) -> SafeText {
    SafeText::opt(
        path.iter()
            .try_fold(v, |v, k| v.get(k))
            .and_then(Value::as_str),
    )
}

fn flag(v: &Value, path: &[&str]) -> Option<bool> {
    path.iter()
        .try_fold(v, |v, k| v.get(k))
        .and_then(Value::as_bool)
}

/// The condition of `type_` in `status.conditions`.
fn condition<'a>(v: &'a Value, type_: &str) -> Option<&'a Value> {
    v.get("status")?
        .get("conditions")?
        .as_array()?
        .iter()
        .find(|c| c.get("type").and_then(Value::as_str) == Some(type_))
}

pub fn flux(o: &DynamicObject, kind: FluxKind) -> Flux {
    let d = &o.data;
    let ready = condition(d, "Ready");
    let revision = match kind {
        FluxKind::HelmRelease => {
            let chart = text(d, &["spec", "chart", "spec", "chart"]);
            let applied = text(d, &["status", "lastAppliedRevision"]);
            let history = d
                .pointer("/status/history/0/chartVersion")
                .and_then(Value::as_str);
            match (history, applied.is_empty()) {
                (Some(v), _) => SafeText::new(&format!("{chart}@{v}")),
                (None, false) => applied,
                (None, true) => text(d, &["status", "lastAttemptedRevision"]),
            }
        }
        FluxKind::Kustomization => text(d, &["status", "lastAppliedRevision"]),
        _ => text(d, &["status", "artifact", "revision"]),
    };
    Flux {
        at: at(&o.metadata),
        kind,
        ready: ready
            .and_then(|c| c.get("status"))
            .and_then(Value::as_str)
            .map(|s| s == "True"),
        suspended: flag(d, &["spec", "suspend"]).unwrap_or(false),
        revision,
        message: ready.map(|c| text(c, &["message"])).unwrap_or_default(),
        changed: ready
            .and_then(|c| c.get("lastTransitionTime"))
            .and_then(Value::as_str)
            .and_then(Timestamp::parse_rfc3339),
    }
}

/// A VirtualMachine, or a VirtualMachineInstance (`instance`) whose facts it lacks.
pub fn vm(o: &DynamicObject, instance: bool) -> Vm {
    let d = &o.data;
    let (status, running, ready) = if instance {
        let phase = text(d, &["status", "phase"]);
        let running = phase.as_str() == "Running";
        let ready = condition(d, "Ready")
            .and_then(|c| c.get("status"))
            .and_then(Value::as_str)
            == Some("True");
        (phase, running, ready)
    } else {
        let printable = text(d, &["status", "printableStatus"]);
        let running = printable.as_str() == "Running";
        (
            printable,
            running,
            flag(d, &["status", "ready"]).unwrap_or(false),
        )
    };
    Vm {
        at: at(&o.metadata),
        status,
        running,
        ready,
        node: text(d, &["status", "nodeName"]),
        created: created(&o.metadata),
    }
}

pub fn hosted(o: &DynamicObject) -> Hosted {
    let d = &o.data;
    Hosted {
        at: at(&o.metadata),
        version: text(d, &["spec", "version"]),
        replicas: d
            .pointer("/spec/replicas")
            .and_then(Value::as_u64)
            .unwrap_or(1) as u32,
        ready: flag(d, &["status", "ready"]).unwrap_or(false),
        endpoint: text(d, &["spec", "externalAddress"]),
        created: created(&o.metadata),
    }
}

/// A MetalLB pool's address ranges.
pub fn address_pool(o: &DynamicObject) -> AddressPoolCr {
    AddressPoolCr {
        at: at(&o.metadata),
        addresses: o
            .data
            .pointer("/spec/addresses")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(SafeText::new)
            .collect(),
    }
}

/// A Multus attachment: its CNI config is a JSON document in a string (`spec.config`),
/// a single plugin or a list of them (`plugins`); the first plugin with a link says it.
pub fn attachment(o: &DynamicObject) -> Attachment {
    let config: Value = o
        .data
        .pointer("/spec/config")
        .and_then(Value::as_str)
        .and_then(|c| serde_json::from_str(c).ok())
        .unwrap_or(Value::Null);
    let plugin = config
        .get("plugins")
        .and_then(Value::as_array)
        .and_then(|p| p.first())
        .unwrap_or(&config);
    let word = |k: &str| plugin.get(k).and_then(Value::as_str);
    Attachment {
        at: at(&o.metadata),
        plugin: SafeText::opt(word("type")),
        link: word("bridge").or(word("master")).map(SafeText::new),
        vlan: plugin
            .get("vlan")
            .and_then(Value::as_u64)
            .and_then(|v| u16::try_from(v).ok())
            .filter(|v| (1..=4094).contains(v)),
        subnet: plugin
            .pointer("/ipam/subnet")
            .or_else(|| plugin.pointer("/ipam/ranges/0/0/subnet"))
            .and_then(Value::as_str)
            .map(SafeText::new),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> DynamicObject {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn a_failing_helm_release_says_why_and_what_it_runs() {
        let o = obj(json!({
            "apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease",
            "metadata": {"name": "immich", "namespace": "media"},
            "spec": {"suspend": false, "chart": {"spec": {"chart": "immich"}}},
            "status": {"history": [{"chartVersion": "0.9.3"}],
                "conditions": [{"type": "Ready", "status": "False", "reason": "UpgradeFailed",
                    "message": "Helm upgrade failed: timed out", "lastTransitionTime": "2026-12-05T09:00:00Z"}]}
        }));
        let f = flux(&o, FluxKind::HelmRelease);
        assert_eq!(f.ready, Some(false));
        assert!(!f.suspended);
        assert_eq!(f.revision.as_str(), "immich@0.9.3");
        assert_eq!(f.message.as_str(), "Helm upgrade failed: timed out");
        assert_eq!(f.at.key(), "media/immich");
    }

    #[test]
    fn a_suspended_kustomization_and_a_source_revision() {
        let k = obj(
            json!({"apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
            "metadata": {"name": "apps", "namespace": "flux-system"},
            "spec": {"suspend": true}, "status": {"lastAppliedRevision": "main@sha1:abc"}}),
        );
        let f = flux(&k, FluxKind::Kustomization);
        assert!(f.suspended);
        assert_eq!(f.ready, None);
        assert_eq!(f.revision.as_str(), "main@sha1:abc");
        let g = obj(
            json!({"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
            "metadata": {"name": "flux-system", "namespace": "flux-system"},
            "status": {"artifact": {"revision": "main@sha1:def"}}}),
        );
        assert_eq!(
            flux(&g, FluxKind::GitRepository).revision.as_str(),
            "main@sha1:def"
        );
    }

    #[test]
    fn machines_and_hosted_control_planes() {
        let v = obj(
            json!({"apiVersion": "kubevirt.io/v1", "kind": "VirtualMachine",
            "metadata": {"name": "haos", "namespace": "vms"},
            "status": {"printableStatus": "Running", "ready": true}}),
        );
        let v = vm(&v, false);
        assert!(v.running && v.ready);
        let i = obj(
            json!({"apiVersion": "kubevirt.io/v1", "kind": "VirtualMachineInstance",
            "metadata": {"name": "haos", "namespace": "vms"},
            "status": {"phase": "Running", "nodeName": "n2", "conditions": [{"type": "Ready", "status": "True"}]}}),
        );
        let i = vm(&i, true);
        assert_eq!(i.node.as_str(), "n2");
        assert!(i.ready);
        let c = obj(
            json!({"apiVersion": "k0smotron.io/v1beta1", "kind": "Cluster",
            "metadata": {"name": "cloud", "namespace": "k0smotron"},
            "spec": {"replicas": 3, "version": "v1.33.1-k0s.0", "externalAddress": "10.0.30.20"},
            "status": {"ready": true}}),
        );
        let h = hosted(&c);
        assert_eq!((h.replicas, h.ready), (3, true));
        assert_eq!(h.version.as_str(), "v1.33.1-k0s.0");
    }
}
