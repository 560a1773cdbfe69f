//! What the Docker engine told us, cleaned and flattened. Immutable once built.

use crate::core::text::SafeText;
use crate::core::time::Timestamp;
use serde::Serialize;

/// Label Docker puts on everything `docker stack deploy` creates.
pub const STACK_LABEL: &str = "com.docker.stack.namespace";
/// Label Compose puts on containers.
pub const COMPOSE_PROJECT_LABEL: &str = "com.docker.compose.project";
pub const COMPOSE_SERVICE_LABEL: &str = "com.docker.compose.service";

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SwarmSnapshot {
    pub engine: EngineInfo,
    pub services: Vec<Service>,
    pub tasks: Vec<Task>,
    pub nodes: Vec<Node>,
    pub networks: Vec<Network>,
    pub secrets: Vec<SwarmObject>,
    pub configs: Vec<SwarmObject>,
    /// Only filled when the engine is not a Swarm manager (plain Docker / Compose host).
    pub containers: Vec<Container>,
    /// Health of this engine's task containers that have a healthcheck, by container ID.
    pub health: std::collections::BTreeMap<String, Health>,
    pub taken_at: Option<Timestamp>,
    /// Lookups built once per snapshot, on first use (see `query`).
    #[serde(skip)]
    pub index: super::index::Index,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct EngineInfo {
    pub version: SafeText,
    pub api_version: SafeText,
    pub hostname: SafeText,
    /// True when this engine is an active Swarm manager (stacks, services, tasks exist).
    pub swarm_manager: bool,
    /// `inactive`, `active`, `pending`, `error`, `locked`.
    pub swarm_state: SafeText,
    /// This engine's host: CPUs and memory in bytes (`docker info`).
    pub cpus: u64,
    pub memory: u64,
    /// This engine's own Swarm node id (`Info.Swarm.NodeID`): which tasks run here.
    pub node_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ServiceMode {
    Replicated(u64),
    Global,
    /// A job that runs to `total` completions (`TotalCompletions`).
    ReplicatedJob {
        total: u64,
    },
    GlobalJob,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Port {
    pub published: u16,
    pub target: u16,
    pub protocol: SafeText,
    pub mode: SafeText,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Service {
    pub id: String,
    pub name: SafeText,
    pub stack: Option<SafeText>,
    /// The stack's namespace label as the engine has it: what identifies the stack for
    /// a write (removal filters on it). `stack` is its text for the screen.
    pub stack_key: Option<String>,
    pub mode: ServiceMode,
    pub image: SafeText,
    pub ports: Vec<Port>,
    /// `updating`, `paused`, `completed`, `rollback_started`, ... with the engine's message.
    pub update_state: Option<SafeText>,
    pub update_message: Option<SafeText>,
    /// When the last update began: tasks running since then are updated ones.
    pub update_started: Option<Timestamp>,
    pub labels: Vec<(SafeText, SafeText)>,
    pub secret_ids: Vec<String>,
    pub config_ids: Vec<String>,
    pub created: Option<Timestamp>,
    pub updated: Option<Timestamp>,
    /// Swarm object version, needed to update the spec.
    pub version: u64,
    /// The engine keeps the spec before the last update: only then can it roll back.
    pub has_previous_spec: bool,
    /// Where its data is on the host: each bind mount's source, and each local volume
    /// bound to a host folder (`device=/mnt/tank/x`). Named volumes in Docker's own
    /// folder are not listed.
    pub host_paths: Vec<SafeText>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Task {
    pub id: String,
    pub service_id: String,
    pub slot: Option<u64>,
    pub node_id: Option<String>,
    pub desired_state: SafeText,
    pub state: SafeText,
    pub message: SafeText,
    pub error: Option<SafeText>,
    pub container_id: Option<String>,
    pub exit_code: Option<i64>,
    pub timestamp: Option<Timestamp>,
}

impl Task {
    pub fn is_running(&self) -> bool {
        self.state.as_str() == "running"
    }
    /// Meant to run (desired `running`) but not: what `docker service ps` flags.
    pub fn is_failing(&self) -> bool {
        matches!(self.state.as_str(), "failed" | "rejected" | "orphaned")
            || (self.error.is_some() && self.desired_state.as_str() == "running")
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Node {
    pub id: String,
    pub hostname: SafeText,
    pub role: SafeText,
    pub availability: SafeText,
    pub state: SafeText,
    pub addr: SafeText,
    pub leader: bool,
    pub reachability: Option<SafeText>,
    pub engine_version: SafeText,
    pub labels: Vec<(SafeText, SafeText)>,
    /// What the node offers the swarm: whole CPUs and memory in bytes.
    pub cpus: u64,
    pub memory: u64,
}

impl Node {
    pub fn is_down(&self) -> bool {
        self.state.as_str() != "ready"
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Network {
    pub id: String,
    pub name: SafeText,
    pub driver: SafeText,
    pub scope: SafeText,
    pub subnets: Vec<SafeText>,
    pub attachable: bool,
    /// Overlay traffic encrypted between nodes (the `encrypted` driver option).
    pub encrypted: bool,
    pub internal: bool,
    pub ingress: bool,
    pub stack: Option<SafeText>,
    /// A macvlan or ipvlan network's host link (`eno1.64`): its `parent` option.
    pub parent: Option<SafeText>,
}

/// A secret or a config: metadata only. Contents are never fetched.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SwarmObject {
    pub id: String,
    pub name: SafeText,
    pub labels: Vec<(SafeText, SafeText)>,
    pub created: Option<Timestamp>,
    pub updated: Option<Timestamp>,
}

/// A container's healthcheck state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Health {
    /// `starting`, `healthy`, `unhealthy`.
    pub status: SafeText,
    /// Checks failed in a row (the engine turns it unhealthy after `retries`).
    pub failing_streak: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Container {
    pub id: String,
    pub name: SafeText,
    pub project: Option<SafeText>,
    pub compose_service: Option<SafeText>,
    pub image: SafeText,
    /// `running`, `exited`, ...
    pub state: SafeText,
    /// `Up 3 minutes (healthy)` without its duration: `Up ` and ` (healthy)`, with the
    /// moment the duration counts from (`status_since`). A status without a duration
    /// (`Created`) is all in `status`.
    pub status: SafeText,
    pub status_after: SafeText,
    pub status_since: Option<Timestamp>,
    pub created: Option<Timestamp>,
    /// Host folders its data is in: bind sources, and named volumes' folders (under
    /// the engine's data root, on a dataset on TrueNAS).
    pub host_paths: Vec<SafeText>,
}

impl SwarmSnapshot {
    /// Same objects, whenever each was read: a re-list that found nothing new.
    pub fn same_content(&self, other: &SwarmSnapshot) -> bool {
        let SwarmSnapshot {
            taken_at: _,
            index: _,
            engine,
            services,
            tasks,
            nodes,
            networks,
            secrets,
            configs,
            containers,
            health,
        } = self;
        *engine == other.engine
            && *services == other.services
            && *tasks == other.tasks
            && *nodes == other.nodes
            && *networks == other.networks
            && *secrets == other.secrets
            && *configs == other.configs
            && *containers == other.containers
            && *health == other.health
    }
}

/// Replica counts as `docker service ls` shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Replicas {
    pub running: u64,
    pub desired: u64,
    /// Jobs: (completed tasks, completions wanted), as `docker service ls` shows them.
    pub completed: Option<(u64, u64)>,
}

impl Replicas {
    pub fn is_short(&self) -> bool {
        // A job is not short of running tasks: it runs until it is done.
        self.completed.is_none() && self.running < self.desired
    }
}

/// A stack: the services sharing a namespace label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackSummary {
    /// `None` for services outside any stack.
    pub name: Option<SafeText>,
    /// The raw namespace label (see `Service::stack_key`).
    pub key: Option<String>,
    pub services: usize,
    pub replicas: Replicas,
    pub failing_tasks: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposeProject {
    /// `None` for containers outside any Compose project.
    pub name: Option<SafeText>,
    pub containers: usize,
    pub running: usize,
}
