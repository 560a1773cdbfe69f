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
use bollard::Docker;
use bollard::errors::Error;
use bollard::models::EventMessage;
use bollard::query_parameters::EventsOptions;
use futures::Stream;

pub struct SwarmReader {
    docker: Docker,
}

impl SwarmReader {
    pub(super) fn new(docker: Docker) -> SwarmReader {
        SwarmReader { docker }
    }

    /// The API version negotiated with the engine.
    pub fn api_version(&self) -> String {
        self.docker.client_version().to_string()
    }

    pub async fn list_all(&self) -> Result<SwarmSnapshot, Error> {
        client::list_all(&self.docker).await
    }

    pub async fn refresh(&self, snap: &mut SwarmSnapshot, kinds: &[Kind]) -> Result<(), Error> {
        client::refresh(&self.docker, snap, kinds).await
    }

    pub async fn refresh_tasks_of(
        &self,
        snap: &mut SwarmSnapshot,
        service_ids: &[String],
    ) -> Result<(), Error> {
        client::refresh_tasks_of(&self.docker, snap, service_ids).await
    }

    pub async fn ping(&self) -> Result<(), Error> {
        self.docker.ping().await.map(|_| ())
    }

    pub fn events(
        &self,
        opts: EventsOptions,
    ) -> impl Stream<Item = Result<EventMessage, Error>> + use<> {
        self.docker.events(Some(opts))
    }

    /// Follow a service's or a task's log (see [`logs::follow`]).
    pub fn logs(
        &self,
        target: &LogTarget,
    ) -> impl Stream<Item = Result<Vec<LogLine>, String>> + use<> {
        logs::follow(&self.docker, target)
    }

    /// Follow one container's stats (see [`stats::follow`]).
    pub fn stats(
        &self,
        container_id: &str,
    ) -> impl Stream<Item = Result<ContainerStats, String>> + use<> {
        stats::follow(&self.docker, container_id)
    }
}
