//! Writes to the engine. Every function takes `&Writer`: read-only mode never has one.

use super::connect::Endpoint;
use super::raw::{self, RawResponse};
use crate::core::access::Writer;
use bollard::Docker;
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
        }
    }
}

/// Run `op`. Errors are one line for the status bar.
pub async fn apply(
    _w: &Writer,
    endpoint: &Endpoint,
    docker: &Docker,
    op: &SwarmOp,
) -> Result<String, String> {
    let api = format!("/v{}", docker.client_version());
    match op {
        SwarmOp::Scale {
            service_id,
            service,
            replicas,
        } => {
            update_spec(endpoint, &api, service_id, None, |spec| {
                set_replicas(spec, *replicas)
            })
            .await?;
            Ok(format!("scaled {service} to {replicas}"))
        }
        SwarmOp::Redeploy {
            service_id,
            service,
        } => {
            update_spec(endpoint, &api, service_id, None, bump_force_update).await?;
            Ok(format!("redeploying {service}"))
        }
        SwarmOp::Rollback {
            service_id,
            service,
        } => {
            update_spec(endpoint, &api, service_id, Some("previous"), |_| Ok(())).await?;
            Ok(format!("rolling back {service}"))
        }
        SwarmOp::RemoveService {
            service_id,
            service,
        } => {
            docker
                .delete_service(service_id)
                .await
                .map_err(|e| super::connect::describe_error(&e))?;
            Ok(format!("removed {service}"))
        }
        SwarmOp::RemoveStack { stack } => super::stack_rm::remove_stack(docker, stack).await,
    }
}

/// Read the raw spec, change it, send it back with the version it was read at (the
/// engine refuses the write if someone else changed the service in between).
async fn update_spec(
    endpoint: &Endpoint,
    api: &str,
    id: &str,
    rollback: Option<&str>,
    change: impl FnOnce(&mut Value) -> Result<(), String>,
) -> Result<(), String> {
    let r = raw::request(&endpoint.0, "GET", &format!("{api}/services/{id}"), None).await?;
    let mut service: Value = ok_json(&r)?;
    let version = service
        .pointer("/Version/Index")
        .and_then(Value::as_u64)
        .ok_or("engine sent a service without a version")?;
    let mut spec = service
        .get_mut("Spec")
        .map(Value::take)
        .ok_or("engine sent a service without a spec")?;
    change(&mut spec)?;
    let mut path = format!("{api}/services/{id}/update?version={version}");
    if let Some(r) = rollback {
        path.push_str(&format!("&rollback={r}"));
    }
    let body = serde_json::to_vec(&spec).map_err(|e| e.to_string())?;
    let r = raw::request(&endpoint.0, "POST", &path, Some(&body)).await?;
    ok_json::<Value>(&r).map(|_| ())
}

fn ok_json<T: serde::de::DeserializeOwned>(r: &RawResponse) -> Result<T, String> {
    if !(200..300).contains(&r.status) {
        return Err(format!(
            "engine said {}: {}",
            r.status,
            raw::error_message(r)
        ));
    }
    serde_json::from_slice(&r.body).map_err(|e| format!("engine sent unreadable JSON: {e}"))
}

pub fn set_replicas(spec: &mut Value, replicas: u64) -> Result<(), String> {
    let slot = spec
        .pointer_mut("/Mode/Replicated")
        .ok_or("only replicated services can be scaled")?;
    slot["Replicas"] = Value::from(replicas);
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
