//! The one engine client that can write. It is built only from a `&Writer`, which
//! read-only start-up never has, so nothing that lacks one can reach a write:
//!
//! ```compile_fail
//! # async fn f(e: &labdeck::backend::swarm::connect::Endpoint) {
//! let w = labdeck::backend::swarm::writer::SwarmWriter::connect(e).await;
//! # }
//! ```
//! ```compile_fail
//! let w = labdeck::core::access::Writer { _private: () };
//! ```
//! With one, it compiles:
//! ```
//! # async fn f(w: &labdeck::core::access::Writer, e: &labdeck::backend::swarm::connect::Endpoint) {
//! let w = labdeck::backend::swarm::writer::SwarmWriter::connect(w, e).await;
//! # }
//! ```
//! The engine's client underneath cannot be had from outside this backend: not built,
//! ```compile_fail
//! let t = labdeck::backend::swarm::transport::Transport::new("unix:///run/docker.sock", None);
//! ```
//! (an engine is reached through its `Endpoint`, for reading:)
//! ```
//! # async fn f() {
//! let e = labdeck::backend::swarm::connect::Endpoint::from_value(Some("unix:///run/docker.sock"));
//! let r: Result<labdeck::backend::swarm::reader::SwarmReader, _> = e.connect().await;
//! # }
//! ```
//! nor turned into bollard's client (which can write anything),
//! ```compile_fail
//! # async fn f(t: &labdeck::backend::swarm::transport::Transport) {
//! let _ = t.docker().delete_service("web").await;
//! # }
//! ```
//! nor asked for a raw request of any method, with or without a `Writer`:
//! ```compile_fail
//! # async fn f(t: &labdeck::backend::swarm::transport::Transport) {
//! let _ = t.raw("DELETE", "/v1.41/services/web", None).await;
//! # }
//! ```
//! ```compile_fail
//! # async fn f(w: &labdeck::core::access::Writer, t: &labdeck::backend::swarm::transport::Transport) {
//! let _ = t.send(w, "DELETE", "/v1.41/services/web", None).await;
//! # }
//! ```
//! Writes go through the writer, which takes the plan's op:
//! ```
//! # async fn f(w: &labdeck::core::access::Writer, e: &labdeck::backend::swarm::connect::Endpoint) {
//! use labdeck::backend::swarm::ops::SwarmOp;
//! let op = SwarmOp::RemoveService { service_id: "x".into(), service: "web".into() };
//! if let Ok(sw) = labdeck::backend::swarm::writer::SwarmWriter::connect(w, e).await {
//!     let _ = sw.apply(&op, std::sync::Arc::new(|_| {})).await;
//! }
//! # }
//! ```

use super::connect::{Endpoint, describe_error};
use super::ops::{SwarmOp, bump_force_update, set_node_field, set_replicas};
use super::transport::{self, RawResponse, Transport};
use crate::core::access::Writer;
use crate::ops::plan::Progress;
use bollard::Docker;
use serde_json::Value;

pub struct SwarmWriter {
    pub(super) writer: Writer,
    docker: Docker,
    /// The same client bollard uses, for the raw-JSON spec read-modify-write.
    pub(super) transport: Transport,
    /// `/v1.41`: the negotiated API version, for raw requests.
    pub(super) api: String,
}

impl SwarmWriter {
    pub async fn connect(w: &Writer, endpoint: &Endpoint) -> Result<SwarmWriter, String> {
        let transport = endpoint.transport().map_err(|e| describe_error(&e))?;
        let docker = endpoint
            .negotiate(&transport)
            .await
            .map_err(|e| describe_error(&e))?;
        let api = format!("/v{}", docker.client_version());
        Ok(SwarmWriter {
            writer: w.clone(),
            docker,
            transport,
            api,
        })
    }

    /// Run `op`. Errors are one line for the status bar.
    pub async fn apply(&self, op: &SwarmOp, progress: Progress) -> Result<String, String> {
        match op {
            SwarmOp::Scale {
                service_id,
                service,
                replicas,
            } => {
                progress(format!("scaling {service} to {replicas}"));
                self.update_spec(service_id, None, |spec| set_replicas(spec, *replicas))
                    .await?;
                Ok(format!("scaled {service} to {replicas}"))
            }
            SwarmOp::Redeploy {
                service_id,
                service,
            } => {
                progress(format!("redeploying {service}"));
                self.update_spec(service_id, None, bump_force_update)
                    .await?;
                Ok(format!("redeploying {service}"))
            }
            SwarmOp::Rollback {
                service_id,
                service,
            } => {
                progress(format!("rolling back {service}"));
                self.update_spec(service_id, Some("previous"), |_| Ok(()))
                    .await?;
                Ok(format!("rolling back {service}"))
            }
            SwarmOp::RemoveService {
                service_id,
                service,
            } => {
                progress(format!("removing {service}"));
                self.docker
                    .delete_service(service_id)
                    .await
                    .map_err(|e| describe_error(&e))?;
                Ok(format!("removed {service}"))
            }
            SwarmOp::RemoveStack { stack } => {
                progress(format!("removing stack {stack}"));
                super::stack_rm::remove_stack(&self.writer, &self.docker, stack).await
            }
            SwarmOp::NodeAvailability {
                node_id,
                node,
                availability,
                ..
            } => {
                progress(format!("setting {node} to {availability}"));
                self.update_node(node_id, |spec| {
                    set_node_field(spec, "Availability", availability)
                })
                .await?;
                Ok(format!("{node} is now {availability}"))
            }
            SwarmOp::NodeRole {
                node_id,
                node,
                role,
            } => {
                progress(format!("making {node} a {role}"));
                self.update_node(node_id, |spec| set_node_field(spec, "Role", role))
                    .await?;
                Ok(format!("{node} is now a {role}"))
            }
            SwarmOp::InitSwarm {
                advertise_addr,
                listen_addr,
            } => {
                progress("initialising the swarm".into());
                let listen = listen_addr.as_deref().unwrap_or("0.0.0.0:2377");
                super::create::swarm(&self.writer, &self.docker, advertise_addr, listen).await
            }
            SwarmOp::CreateNetwork(n) => {
                progress(format!("creating network {}", n.name));
                super::create::network(&self.writer, &self.docker, n).await
            }
            SwarmOp::CreateObject {
                kind,
                name,
                data,
                labels,
                ..
            } => {
                progress(format!("creating {} {name}", kind.word()));
                super::create::object(&self.writer, &self.docker, *kind, name, data, labels).await
            }
        }
    }

    /// A node's spec, read, changed and sent back at the version read (the engine
    /// answers with an empty body).
    async fn update_node(
        &self,
        id: &str,
        change: impl FnOnce(&mut Value) -> Result<(), String>,
    ) -> Result<(), String> {
        let r = self.update_object("nodes", id, "", change).await?;
        ok_status(&r)
    }

    async fn update_spec(
        &self,
        id: &str,
        rollback: Option<&str>,
        change: impl FnOnce(&mut Value) -> Result<(), String>,
    ) -> Result<(), String> {
        let extra = rollback.map_or(String::new(), |r| format!("&rollback={r}"));
        let r = self.update_object("services", id, &extra, change).await?;
        ok_json::<Value>(&r).map(|_| ())
    }

    /// Read a service's or node's raw spec, change it, send it back with the version
    /// it was read at (the engine refuses the write if someone else changed the object
    /// in between). Untyped on purpose: bollard's typed `ServiceSpec` names the
    /// healthcheck `HealthCheck` where the engine sends `Healthcheck`, so a typed round
    /// trip would silently delete the service's healthcheck. As JSON, every field
    /// survives.
    async fn update_object(
        &self,
        kind: &str,
        id: &str,
        extra_query: &str,
        change: impl FnOnce(&mut Value) -> Result<(), String>,
    ) -> Result<RawResponse, String> {
        let api = &self.api;
        let r = self.transport.get(&format!("{api}/{kind}/{id}")).await?;
        let mut object: Value = ok_json(&r)?;
        let version = object
            .pointer("/Version/Index")
            .and_then(Value::as_u64)
            .ok_or("engine sent an object without a version")?;
        let mut spec = object
            .get_mut("Spec")
            .map(Value::take)
            .ok_or("engine sent an object without a spec")?;
        change(&mut spec)?;
        let path = format!("{api}/{kind}/{id}/update?version={version}{extra_query}");
        let body = serde_json::to_vec(&spec).map_err(|e| e.to_string())?;
        self.transport
            .send(&self.writer, "POST", &path, Some(&body))
            .await
    }
}

fn ok_status(r: &RawResponse) -> Result<(), String> {
    if !(200..300).contains(&r.status) {
        return Err(format!(
            "engine said {}: {}",
            r.status,
            transport::error_message(r)
        ));
    }
    Ok(())
}

fn ok_json<T: serde::de::DeserializeOwned>(r: &RawResponse) -> Result<T, String> {
    ok_status(r)?;
    serde_json::from_slice(&r.body).map_err(|e| format!("engine sent unreadable JSON: {e}"))
}
