//! Writes to the engine. Every function takes `&Writer`: read-only mode never has one.

use super::connect::Endpoint;
use super::writer::SwarmWriter;
use crate::core::access::Writer;
use crate::ops::plan::{Danger, Outcome, Progress, Step, StepError, Target, TargetKind};
use futures::future::BoxFuture;
use serde_json::Value;

/// A write the user asked for, described exactly as the confirmation dialog says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SwarmOp {
    Scale {
        service_id: String,
        service: String,
        replicas: u64,
    },
    Redeploy {
        service_id: String,
        service: String,
    },
    Rollback {
        service_id: String,
        service: String,
    },
    RemoveService {
        service_id: String,
        service: String,
    },
    /// Remove every service, network, secret and config labelled with the stack.
    RemoveStack {
        stack: String,
    },
    /// Set a node's availability: `active`, `pause` or `drain`.
    NodeAvailability {
        node_id: String,
        node: String,
        availability: &'static str,
        /// Other nodes that are ready and active, which can take its tasks.
        elsewhere: usize,
    },
    /// Set a node's role: `manager` (promote) or `worker` (demote).
    NodeRole {
        node_id: String,
        node: String,
        role: &'static str,
    },
    /// Make this engine the first manager of a new swarm.
    InitSwarm {
        advertise_addr: String,
        /// `0.0.0.0:2377` when `None`.
        listen_addr: Option<String>,
    },
    CreateNetwork(super::create::NewNetwork),
    /// A secret or a config; its content is never shown.
    CreateObject {
        kind: super::create::ObjectKind,
        name: String,
        /// Where it comes from, for the description.
        from: String,
        data: super::create::Hidden,
        labels: Vec<(String, String)>,
    },
}

impl SwarmOp {
    /// One sentence: what will happen.
    pub fn describe(&self) -> String {
        match self {
            SwarmOp::Scale {
                service, replicas, ..
            } => format!("Scale service {service} to {replicas} replicas."),
            SwarmOp::Redeploy { service, .. } => {
                format!(
                    "Force an update of {service}: every task is replaced, one by one per its update policy."
                )
            }
            SwarmOp::Rollback { service, .. } => {
                format!("Roll {service} back to its previous spec.")
            }
            SwarmOp::RemoveService { service, .. } => {
                format!("Remove service {service} and stop all its tasks. This cannot be undone.")
            }
            SwarmOp::RemoveStack { stack } => format!(
                "Remove stack {stack}: all its services, then its networks, secrets and configs. This cannot be undone."
            ),
            SwarmOp::NodeAvailability {
                node,
                availability,
                elsewhere,
                ..
            } => match *availability {
                "drain" if *elsewhere == 0 => format!(
                    "Drain node {node}: its tasks are stopped and, with no other active node to take them, every service it runs stays down (global ones too) until a node is active again. Activate it to start them again."
                ),
                "drain" => format!(
                    "Drain node {node}: its tasks are stopped and started on the {elsewhere} other active node(s); it gets no new ones."
                ),
                "pause" => {
                    format!("Pause node {node}: its tasks keep running; it gets no new ones.")
                }
                _ => format!("Activate node {node}: it takes new tasks again."),
            },
            SwarmOp::InitSwarm {
                advertise_addr,
                listen_addr,
            } => {
                let listen = listen_addr
                    .as_ref()
                    .map(|l| format!(" and listening on {l}"))
                    .unwrap_or_default();
                format!(
                    "Initialise a swarm on this engine, advertising {advertise_addr}{listen}: it becomes its first manager."
                )
            }
            SwarmOp::CreateNetwork(n) => {
                let mut how = Vec::new();
                if n.attachable {
                    how.push("attachable".to_string());
                }
                if n.encrypted {
                    how.push("encrypted".to_string());
                }
                if let Some(s) = &n.subnet {
                    how.push(format!("subnet {s}"));
                }
                let how = if how.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", how.join(", "))
                };
                format!("Create {} network {}{how}.", n.driver, n.name)
            }
            SwarmOp::CreateObject {
                kind, name, from, ..
            } => format!(
                "Create {} {name} from {from} (its content is not shown).",
                kind.word()
            ),
            SwarmOp::NodeRole { node, role, .. } => match *role {
                "manager" => {
                    format!("Promote node {node} to manager: it joins the managers' Raft quorum.")
                }
                _ => format!("Demote node {node} to worker: it leaves the managers' quorum."),
            },
        }
    }
}

/// A Swarm write as a plan step: which engine, and what to do there. Built and shown
/// without write power; `apply` connects a `SwarmWriter`, which needs the `Writer`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SwarmStep {
    pub endpoint: Endpoint,
    pub op: SwarmOp,
}

impl Step for SwarmStep {
    fn describe(&self) -> String {
        self.op.describe()
    }

    fn danger(&self) -> Danger {
        match self.op {
            SwarmOp::RemoveService { .. } | SwarmOp::RemoveStack { .. } => Danger::Irreversible,
            // Each stops or replaces running tasks.
            SwarmOp::Redeploy { .. }
            | SwarmOp::Rollback { .. }
            | SwarmOp::NodeAvailability {
                availability: "drain",
                ..
            }
            | SwarmOp::NodeRole { role: "worker", .. } => Danger::Disruptive,
            SwarmOp::Scale { replicas: 0, .. } => Danger::Disruptive,
            _ => Danger::Reversible,
        }
    }

    fn target(&self) -> Target {
        Target {
            kind: TargetKind::Engine,
            name: self.endpoint.name.clone(),
            address: self.endpoint.host.clone(),
        }
    }

    fn apply<'a>(&'a self, writer: &'a Writer, progress: Progress) -> BoxFuture<'a, Outcome> {
        Box::pin(async move {
            let w = SwarmWriter::connect(writer, &self.endpoint).await?;
            let done = w.apply(&self.op, progress).await.map_err(StepError::from);
            tracing::info!(op = ?self.op, result = ?done, "swarm write");
            done
        })
    }
}

pub fn set_replicas(spec: &mut Value, replicas: u64) -> Result<(), String> {
    let slot = spec
        .pointer_mut("/Mode/Replicated")
        .ok_or("only replicated services can be scaled")?;
    slot["Replicas"] = Value::from(replicas);
    Ok(())
}

/// Set one field of a node's spec (`Availability`, `Role`), keeping its labels and name.
pub fn set_node_field(spec: &mut Value, field: &str, value: &str) -> Result<(), String> {
    let spec = spec
        .as_object_mut()
        .ok_or("engine sent a node spec that is not an object")?;
    spec.insert(field.into(), Value::from(value));
    Ok(())
}

pub fn bump_force_update(spec: &mut Value) -> Result<(), String> {
    let tt = spec
        .get_mut("TaskTemplate")
        .and_then(Value::as_object_mut)
        .ok_or("service spec has no task template")?;
    let n = tt.get("ForceUpdate").and_then(Value::as_u64).unwrap_or(0);
    tt.insert("ForceUpdate".into(), Value::from(n + 1));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scaling_changes_only_the_replica_count() {
        let mut spec = json!({"Name": "web", "Mode": {"Replicated": {"Replicas": 2}},
            "TaskTemplate": {"ContainerSpec": {"Healthcheck": {"Test": ["CMD", "true"]}}}});
        set_replicas(&mut spec, 5).unwrap();
        assert_eq!(spec["Mode"]["Replicated"]["Replicas"], 5);
        assert_eq!(
            spec["TaskTemplate"]["ContainerSpec"]["Healthcheck"]["Test"][1],
            "true"
        );
    }

    #[test]
    fn global_services_cannot_be_scaled() {
        let mut spec = json!({"Mode": {"Global": {}}});
        assert!(set_replicas(&mut spec, 3).is_err());
    }

    #[test]
    fn a_node_change_keeps_the_rest_of_its_spec() {
        let mut spec = json!({"Name": "", "Labels": {"zfs": "tank"}, "Role": "manager",
            "Availability": "active"});
        set_node_field(&mut spec, "Availability", "drain").unwrap();
        assert_eq!(
            spec,
            json!({"Name": "", "Labels": {"zfs": "tank"}, "Role": "manager",
                "Availability": "drain"})
        );
        assert!(set_node_field(&mut json!([]), "Role", "worker").is_err());
    }

    #[test]
    fn redeploy_increments_force_update() {
        let mut spec = json!({"TaskTemplate": {"ContainerSpec": {}}});
        bump_force_update(&mut spec).unwrap();
        assert_eq!(spec["TaskTemplate"]["ForceUpdate"], 1);
        bump_force_update(&mut spec).unwrap();
        assert_eq!(spec["TaskTemplate"]["ForceUpdate"], 2);
    }

    #[test]
    fn descriptions_name_the_target() {
        let op = SwarmOp::Scale {
            service_id: "x".into(),
            service: "media_sonarr".into(),
            replicas: 3,
        };
        assert_eq!(op.describe(), "Scale service media_sonarr to 3 replicas.");
        assert!(
            SwarmOp::RemoveStack {
                stack: "media".into()
            }
            .describe()
            .contains("cannot be undone")
        );
    }
}
