//! Reads on demand through a connection: an object's YAML for describe and inspect
//! (managed fields and last-applied annotations dropped, Secret values never shown).

use super::conn::Conn;
use super::follow::reason;
use super::kinds::Kind;
use k8s_openapi::api::{apps::v1 as apps, batch::v1 as batch, core::v1 as core};
use k8s_openapi::api::{networking::v1 as net, storage::v1 as storage};
use kube::api::{Api, ApiResource, DynamicObject};
use serde_json::Value;

/// The API resource of a built-in kind.
pub fn builtin(kind: Kind) -> Option<ApiResource> {
    Some(match kind {
        Kind::Namespaces => ApiResource::erase::<core::Namespace>(&()),
        Kind::Nodes => ApiResource::erase::<core::Node>(&()),
        Kind::Pods => ApiResource::erase::<core::Pod>(&()),
        Kind::Services => ApiResource::erase::<core::Service>(&()),
        Kind::Pvcs => ApiResource::erase::<core::PersistentVolumeClaim>(&()),
        Kind::Pvs => ApiResource::erase::<core::PersistentVolume>(&()),
        Kind::Events => ApiResource::erase::<core::Event>(&()),
        Kind::Deployments => ApiResource::erase::<apps::Deployment>(&()),
        Kind::StatefulSets => ApiResource::erase::<apps::StatefulSet>(&()),
        Kind::DaemonSets => ApiResource::erase::<apps::DaemonSet>(&()),
        Kind::ReplicaSets => ApiResource::erase::<apps::ReplicaSet>(&()),
        Kind::Jobs => ApiResource::erase::<batch::Job>(&()),
        Kind::CronJobs => ApiResource::erase::<batch::CronJob>(&()),
        Kind::Ingresses => ApiResource::erase::<net::Ingress>(&()),
        Kind::StorageClasses => ApiResource::erase::<storage::StorageClass>(&()),
        _ => return None,
    })
}

impl Conn {
    /// The resource of `kind` on this cluster (custom kinds as discovery found them).
    pub(super) fn resource(&self, kind: Kind) -> Option<ApiResource> {
        builtin(kind).or_else(|| {
            self.custom
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get(&kind)
                .cloned()
        })
    }

    /// The object as YAML, cleaned for showing. `ns` is empty for cluster-scoped kinds.
    pub async fn yaml(&self, kind: Kind, ns: &str, name: &str) -> Result<String, String> {
        let ar = self
            .resource(kind)
            .ok_or_else(|| format!("{} are not served here", kind.plural()))?;
        let api: Api<DynamicObject> = if ns.is_empty() {
            Api::all_with(self.client.clone(), &ar)
        } else {
            Api::namespaced_with(self.client.clone(), ns, &ar)
        };
        let obj = api.get(name).await.map_err(|e| match &e {
            kube::Error::Api(s) => s.message.clone(),
            other => reason(other),
        })?;
        let mut v = serde_json::to_value(&obj).map_err(|e| e.to_string())?;
        shown(&mut v);
        serde_saphyr::to_string(&v).map_err(|e| e.to_string())
    }
}

/// What labdeck shows of an object: no managed fields, no last-applied copy, and a
/// Secret's values replaced by their size.
pub fn shown(v: &mut Value) {
    if let Some(m) = v.get_mut("metadata").and_then(Value::as_object_mut) {
        m.remove("managedFields");
        if let Some(a) = m.get_mut("annotations").and_then(Value::as_object_mut) {
            a.remove("kubectl.kubernetes.io/last-applied-configuration");
            if a.is_empty() {
                m.remove("annotations");
            }
        }
    }
    if v.get("kind").and_then(Value::as_str) == Some("Secret") {
        for field in ["data", "stringData"] {
            if let Some(d) = v.get_mut(field).and_then(Value::as_object_mut) {
                for value in d.values_mut() {
                    let len = value.as_str().map_or(0, str::len);
                    *value = Value::String(format!("<hidden, {len} bytes>"));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn managed_fields_last_applied_and_secret_values_never_show() {
        let mut v = json!({"kind": "Secret", "metadata": {"name": "db",
            "managedFields": [{"manager": "kubectl"}],
            "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{\"data\":{\"password\":\"aHVudGVyMg==\"}}"}},
            "data": {"password": "aHVudGVyMg=="}, "stringData": {"token": "s3cret"}});
        shown(&mut v);
        let text = v.to_string();
        assert!(!text.contains("aHVudGVyMg=="), "{text}");
        assert!(!text.contains("s3cret"));
        assert!(!text.contains("managedFields"));
        assert_eq!(v["data"]["password"], "<hidden, 12 bytes>");
    }
}
