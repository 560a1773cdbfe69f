//! Reads: list what the engine has, by kind, into the model.

use super::convert;
use super::model::*;
use crate::core::text::SafeText;
use crate::core::time::Timestamp;
use bollard::Docker;
use bollard::errors::Error;
use bollard::query_parameters::{
    ListConfigsOptions, ListContainersOptions, ListNetworksOptions, ListNodesOptions,
    ListSecretsOptions, ListServicesOptions, ListTasksOptions,
};

/// Kinds of objects that can be re-listed on their own when an event names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Services,
    Tasks,
    Nodes,
    Networks,
    Secrets,
    Configs,
    Containers,
    /// Task containers' health (a manager's own node).
    Health,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Services,
        Kind::Tasks,
        Kind::Nodes,
        Kind::Networks,
        Kind::Secrets,
        Kind::Configs,
        Kind::Containers,
        Kind::Health,
    ];
    /// What a manager lists: everything but plain containers.
    pub const MANAGER: [Kind; 7] = [
        Kind::Services,
        Kind::Tasks,
        Kind::Nodes,
        Kind::Networks,
        Kind::Secrets,
        Kind::Configs,
        Kind::Health,
    ];
}

/// Engine facts (version, Swarm state). A manager answers Swarm list calls; others 503.
pub(super) async fn engine_info(docker: &Docker) -> Result<EngineInfo, Error> {
    let (version, info) = futures::try_join!(docker.version(), docker.info())?;
    let swarm = info.swarm.as_ref();
    let state = swarm
        .and_then(|s| s.local_node_state)
        .map(|s| s.to_string());
    Ok(EngineInfo {
        version: SafeText::opt(version.version.as_deref()),
        api_version: SafeText::trusted(docker.client_version().to_string()),
        hostname: SafeText::opt(info.name.as_deref()),
        swarm_manager: state.as_deref() == Some("active")
            && swarm.and_then(|s| s.control_available).unwrap_or(false),
        swarm_state: SafeText::opt(state.as_deref()),
        cpus: info.ncpu.map_or(0, |n| n.max(0) as u64),
        memory: info.mem_total.map_or(0, |n| n.max(0) as u64),
        node_id: swarm
            .and_then(|s| s.node_id.clone())
            .filter(|n| !n.is_empty()),
    })
}

/// Everything, for the first view and after every reconnect.
pub(super) async fn list_all(docker: &Docker) -> Result<SwarmSnapshot, Error> {
    let engine = engine_info(docker).await?;
    let mut snap = SwarmSnapshot {
        engine,
        ..Default::default()
    };
    let kinds: &[Kind] = if snap.engine.swarm_manager {
        &Kind::MANAGER
    } else {
        &[Kind::Networks, Kind::Containers]
    };
    refresh(docker, &mut snap, kinds).await?;
    Ok(snap)
}

/// Re-list only `kinds` into `snap` (the rest stays as it was).
pub(super) async fn refresh(
    docker: &Docker,
    snap: &mut SwarmSnapshot,
    kinds: &[Kind],
) -> Result<(), Error> {
    let want = |k| kinds.contains(&k);
    let swarm = snap.engine.swarm_manager;
    let (services, tasks, nodes, networks, secrets, configs, containers) = futures::try_join!(
        maybe(
            want(Kind::Services) && swarm,
            docker.list_services(None::<ListServicesOptions>)
        ),
        maybe(
            want(Kind::Tasks) && swarm,
            docker.list_tasks(None::<ListTasksOptions>)
        ),
        maybe(
            want(Kind::Nodes) && swarm,
            docker.list_nodes(None::<ListNodesOptions>)
        ),
        maybe(
            want(Kind::Networks),
            docker.list_networks(None::<ListNetworksOptions>)
        ),
        maybe(
            want(Kind::Secrets) && swarm,
            docker.list_secrets(None::<ListSecretsOptions>)
        ),
        maybe(
            want(Kind::Configs) && swarm,
            docker.list_configs(None::<ListConfigsOptions>)
        ),
        maybe(
            want(Kind::Containers) && !swarm,
            docker.list_containers(Some(ListContainersOptions {
                all: true,
                ..Default::default()
            }))
        ),
    )?;
    if let Some(v) = services {
        snap.services = v.iter().map(convert::service).collect();
        snap.services.sort_by(|a, b| a.name.cmp(&b.name));
    }
    if let Some(v) = tasks {
        snap.tasks = v.iter().map(convert::task).collect();
    }
    if let Some(v) = nodes {
        snap.nodes = v.iter().map(convert::node).collect();
        snap.nodes.sort_by(|a, b| a.hostname.cmp(&b.hostname));
    }
    if let Some(v) = networks {
        snap.networks = v.iter().map(convert::network).collect();
        snap.networks.sort_by(|a, b| a.name.cmp(&b.name));
    }
    if let Some(v) = secrets {
        snap.secrets = v.iter().map(convert::secret).collect();
        snap.secrets.sort_by(|a, b| a.name.cmp(&b.name));
    }
    if let Some(v) = configs {
        snap.configs = v.iter().map(convert::config).collect();
        snap.configs.sort_by(|a, b| a.name.cmp(&b.name));
    }
    if let Some(v) = containers {
        let now = Timestamp::now();
        snap.containers = v.iter().map(|c| convert::container(c, now)).collect();
        snap.containers.sort_by(|a, b| a.name.cmp(&b.name));
    }
    if want(Kind::Health) && swarm {
        super::health::refresh_all(docker, snap).await?;
    }
    snap.taken_at = Some(Timestamp::now());
    snap.changed();
    Ok(())
}

/// Re-list only the tasks of `service_ids` (one request, the filter ORs the ids).
pub(super) async fn refresh_tasks_of(
    docker: &Docker,
    snap: &mut SwarmSnapshot,
    service_ids: &[String],
) -> Result<(), Error> {
    if service_ids.is_empty() || !snap.engine.swarm_manager {
        return Ok(());
    }
    let filters = std::collections::HashMap::from([("service".to_string(), service_ids.to_vec())]);
    let listed = docker
        .list_tasks(Some(ListTasksOptions {
            filters: Some(filters),
        }))
        .await;
    let fresh = match listed {
        Ok(f) => f,
        // The engine answers 404 when a service the filter names is gone (an event
        // named it, then it was removed). That is news about the object, not a lost
        // connection: list every task instead, which drops the gone one's.
        Err(Error::DockerResponseServerError {
            status_code: 404, ..
        }) => {
            snap.tasks = docker
                .list_tasks(None::<ListTasksOptions>)
                .await?
                .iter()
                .map(convert::task)
                .collect();
            snap.taken_at = Some(Timestamp::now());
            snap.changed();
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    snap.tasks.retain(|t| !service_ids.contains(&t.service_id));
    snap.tasks.extend(fresh.iter().map(convert::task));
    snap.taken_at = Some(Timestamp::now());
    snap.changed();
    Ok(())
}

async fn maybe<T>(
    wanted: bool,
    fut: impl Future<Output = Result<T, Error>>,
) -> Result<Option<T>, Error> {
    if wanted {
        fut.await.map(Some)
    } else {
        Ok(None)
    }
}
