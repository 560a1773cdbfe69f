//! What an engine holds that a stack deploy compares against: its services as raw
//! spec JSON (bollard's typed spec drops fields, see `writer`), and every network,
//! secret and config by name, for the stack's own and for the external ones.

use super::reader::SwarmReader;
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default)]
pub struct StackState {
    /// The stack's services (by the namespace label), by name.
    pub services: BTreeMap<String, LiveService>,
    /// Every network: name to ID.
    pub networks: BTreeMap<String, String>,
    pub secrets: BTreeMap<String, LiveObject>,
    pub configs: BTreeMap<String, LiveObject>,
}

#[derive(Debug, Clone)]
pub struct LiveService {
    pub id: String,
    pub version: u64,
    pub spec: Value,
    /// `ServiceStatus` (`RunningTasks`, `DesiredTasks`) and `UpdateStatus`, as read.
    pub status: Value,
    pub update_status: Value,
    /// The engine kept the spec before the last update: a rollback can go back to it.
    pub has_previous: bool,
}

#[derive(Debug, Clone)]
pub struct LiveObject {
    pub id: String,
    pub labels: BTreeMap<String, String>,
    /// A config's content (base64, as the engine sends it); a secret's is never sent.
    pub data: Option<String>,
}

impl SwarmReader {
    /// The state a deploy of `stack` meets. `label` is the namespace label's name.
    pub async fn stack_state(&self, stack: &str, label: &str) -> Result<StackState, String> {
        let mut s = StackState::default();
        for svc in self.list_json("services?status=true").await? {
            let spec = &svc["Spec"];
            if spec["Labels"][label].as_str() != Some(stack) {
                continue;
            }
            let name = spec["Name"].as_str().unwrap_or_default().to_string();
            s.services.insert(
                name,
                LiveService {
                    id: svc["ID"].as_str().unwrap_or_default().to_string(),
                    version: svc["Version"]["Index"].as_u64().unwrap_or(0),
                    spec: spec.clone(),
                    status: svc["ServiceStatus"].clone(),
                    update_status: svc["UpdateStatus"].clone(),
                    has_previous: svc["PreviousSpec"].is_object(),
                },
            );
        }
        for n in self.list_json("networks").await? {
            if let (Some(name), Some(id)) = (n["Name"].as_str(), n["Id"].as_str()) {
                s.networks.insert(name.to_string(), id.to_string());
            }
        }
        for (kind, into) in [("secrets", &mut s.secrets), ("configs", &mut s.configs)] {
            for o in self.list_json(kind).await? {
                let spec = &o["Spec"];
                let Some(name) = spec["Name"].as_str() else {
                    continue;
                };
                let labels = serde_json::from_value(spec["Labels"].clone()).unwrap_or_default();
                into.insert(
                    name.to_string(),
                    LiveObject {
                        id: o["ID"].as_str().unwrap_or_default().to_string(),
                        labels,
                        data: spec["Data"].as_str().map(str::to_string),
                    },
                );
            }
        }
        Ok(s)
    }

    /// The tasks of these services (by ID), as raw JSON.
    pub async fn tasks_of(&self, service_ids: &[&str]) -> Result<Vec<Value>, String> {
        Ok(self
            .list_json("tasks")
            .await?
            .into_iter()
            .filter(|t| {
                t["ServiceID"]
                    .as_str()
                    .is_some_and(|id| service_ids.contains(&id))
            })
            .collect())
    }

    async fn list_json(&self, what: &str) -> Result<Vec<Value>, String> {
        let path = format!("/v{}/{what}", self.api_version());
        let r = self.transport.get(&path).await?;
        if !(200..300).contains(&r.status) {
            let why = super::transport::error_message(&r);
            return Err(format!("engine said {}: {why}", r.status));
        }
        serde_json::from_slice(&r.body).map_err(|e| format!("engine sent unreadable JSON: {e}"))
    }
}

impl SwarmReader {
    /// The IDs of every secret and config some service's spec refers to.
    pub async fn objects_in_use(&self) -> Result<std::collections::HashSet<String>, String> {
        let mut out = std::collections::HashSet::new();
        for svc in self.list_json("services").await? {
            // Not the previous spec: once a service has converged on a new version,
            // the old one goes (a rollback to it would need it made again).
            for spec in ["Spec"] {
                let c = &svc[spec]["TaskTemplate"]["ContainerSpec"];
                for (field, id) in [("Secrets", "SecretID"), ("Configs", "ConfigID")] {
                    for r in c[field].as_array().into_iter().flatten() {
                        if let Some(id) = r[id].as_str() {
                            out.insert(id.to_string());
                        }
                    }
                }
            }
        }
        Ok(out)
    }
}
