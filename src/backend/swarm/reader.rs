//! The read-only engine client. Everything that only looks (the watcher, log and stats
//! streams, `labdeck status`) holds a `SwarmReader`: it has read methods and nothing
//! else, and the `bollard::Docker` inside cannot be reached from outside this backend.
//!
//! ```
//! # async fn f(r: &labdeck::backend::swarm::reader::SwarmReader) {
//! let _ = r.list_all().await; // reads are there
//! # }
//! ```
//! It has no way to write:
//! ```compile_fail
//! # async fn f(r: &labdeck::backend::swarm::reader::SwarmReader) {
//! let _ = r.docker().delete_service("web").await;
//! # }
//! ```
//! ```compile_fail
//! # async fn f(r: labdeck::backend::swarm::reader::SwarmReader) {
//! let _ = r.docker.delete_service("web").await;
//! # }
//! ```

use super::client::{self, Kind};
use super::logs::{self, LogLine, LogTarget};
use super::model::SwarmSnapshot;
use super::stats::{self, ContainerStats};
use super::transport::Transport;
use bollard::Docker;
use bollard::errors::Error;
use bollard::models::EventMessage;
use bollard::query_parameters::EventsOptions;
use futures::Stream;

pub struct SwarmReader {
    docker: Docker,
    /// The same client's streams lane, for what stays open: events, logs, stats.
    streams: Docker,
    /// The same client, for what bollard's types drop (services' `PreviousSpec`).
    pub(super) transport: Transport,
}

impl SwarmReader {
    /// `docker` has its API version negotiated; the streams speak the same.
    pub(super) fn new(docker: Docker, transport: Transport) -> SwarmReader {
        let streams = transport.streaming_docker(&docker.client_version());
        SwarmReader {
            docker,
            streams,
            transport,
        }
    }

    /// Which services have a previous spec (can roll back). bollard's typed `Service`
    /// has no `PreviousSpec`, so the list is read again as JSON when services changed.
    async fn mark_previous_specs(&self, snap: &mut SwarmSnapshot) -> Result<(), Error> {
        if !snap.engine.swarm_manager {
            return Ok(());
        }
        let path = format!("/v{}/services", self.api_version());
        let r = self
            .transport
            .get(&path)
            .await
            .map_err(|e| Error::IOError {
                err: std::io::Error::other(e),
            })?;
        let list: Vec<serde_json::Value> = serde_json::from_slice(&r.body).unwrap_or_default();
        let with: std::collections::HashSet<&str> = list
            .iter()
            .filter(|s| s.get("PreviousSpec").is_some_and(|p| !p.is_null()))
            .filter_map(|s| s.get("ID").and_then(|i| i.as_str()))
            .collect();
        for s in &mut snap.services {
            s.has_previous_spec = with.contains(s.id.as_str());
        }
        Ok(())
    }

    /// One object as the engine has it, redacted (see `inspect`). Errors are one line.
    pub async fn inspect(
        &self,
        object: super::inspect::Object,
        id: &str,
    ) -> Result<serde_json::Value, String> {
        let path = format!("/v{}{}", self.api_version(), object.path(id));
        let r = self.transport.get(&path).await?;
        if r.status == 404 {
            return Err("it is gone (the engine no longer has it)".into());
        }
        if !(200..300).contains(&r.status) {
            let why = super::transport::error_message(&r);
            return Err(format!("engine said {}: {why}", r.status));
        }
        let mut v: serde_json::Value = serde_json::from_slice(&r.body)
            .map_err(|e| format!("engine sent unreadable JSON: {e}"))?;
        super::inspect::redact(&mut v);
        Ok(v)
    }

    /// The API version negotiated with the engine.
    pub fn api_version(&self) -> String {
        self.docker.client_version().to_string()
    }

    pub async fn list_all(&self) -> Result<SwarmSnapshot, Error> {
        let mut snap = client::list_all(&self.docker).await?;
        self.mark_previous_specs(&mut snap).await?;
        Ok(snap)
    }

    pub async fn refresh(&self, snap: &mut SwarmSnapshot, kinds: &[Kind]) -> Result<(), Error> {
        client::refresh(&self.docker, snap, kinds).await?;
        if kinds.contains(&Kind::Services) {
            self.mark_previous_specs(snap).await?;
        }
        Ok(())
    }

    pub async fn refresh_tasks_of(
        &self,
        snap: &mut SwarmSnapshot,
        service_ids: &[String],
    ) -> Result<(), Error> {
        client::refresh_tasks_of(&self.docker, snap, service_ids).await
    }

    pub async fn refresh_health_of(
        &self,
        snap: &mut SwarmSnapshot,
        containers: &[String],
    ) -> Result<(), Error> {
        if containers.is_empty() || !snap.engine.swarm_manager {
            return Ok(());
        }
        super::health::refresh_of(&self.docker, snap, containers).await?;
        snap.changed();
        Ok(())
    }

    pub async fn ping(&self) -> Result<(), Error> {
        self.docker.ping().await.map(|_| ())
    }

    pub fn events(
        &self,
        opts: EventsOptions,
    ) -> impl Stream<Item = Result<EventMessage, Error>> + use<> {
        self.streams.events(Some(opts))
    }

    /// Follow a service's or a task's log (see [`logs::follow`]).
    pub fn logs(
        &self,
        target: &LogTarget,
    ) -> futures::stream::BoxStream<'static, Result<Vec<LogLine>, String>> {
        use futures::StreamExt;
        match target {
            LogTarget::Service { id, .. } => {
                logs::follow_service(self.transport.clone(), self.api_version(), id.clone()).boxed()
            }
            LogTarget::Task { .. } => logs::follow(&self.streams, target).boxed(),
        }
    }

    /// Follow one container's stats (see [`stats::follow`]).
    pub fn stats(
        &self,
        container_id: &str,
    ) -> impl Stream<Item = Result<ContainerStats, String>> + use<> {
        stats::follow(&self.streams, container_id)
    }
}
