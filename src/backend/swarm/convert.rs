//! bollard's API types -> labdeck's model. Pure: every string is cleaned here, at the door.

use super::model::*;
use crate::core::text::SafeText;
use crate::core::time::Timestamp;
use bollard::models as api;
use std::collections::HashMap;

fn text(s: Option<&String>) -> SafeText {
    SafeText::opt(s.map(String::as_str))
}

fn ts(s: Option<&String>) -> Option<Timestamp> {
    s.and_then(|s| Timestamp::parse_rfc3339(s))
}

fn labels(l: Option<&HashMap<String, String>>) -> Vec<(SafeText, SafeText)> {
    let mut v: Vec<(SafeText, SafeText)> = l
        .into_iter()
        .flatten()
        .map(|(k, v)| (SafeText::new(k), SafeText::new(v)))
        .collect();
    v.sort();
    v
}

fn label<'a>(l: Option<&'a HashMap<String, String>>, key: &str) -> Option<&'a String> {
    l.and_then(|l| l.get(key))
}

/// `repo:tag@sha256:...` -> `repo:tag`: the digest is noise in a table.
pub fn image_without_digest(image: &str) -> &str {
    image.split_once('@').map_or(image, |(name, _)| name)
}

pub fn service(s: &api::Service) -> Service {
    let spec = s.spec.as_ref();
    let container = spec
        .and_then(|s| s.task_template.as_ref())
        .and_then(|t| t.container_spec.as_ref());
    let spec_labels = spec.and_then(|s| s.labels.as_ref());
    let mode = match spec.and_then(|s| s.mode.as_ref()) {
        Some(m) if m.global.is_some() => ServiceMode::Global,
        Some(m) if m.replicated_job.is_some() => ServiceMode::ReplicatedJob {
            total: m
                .replicated_job
                .as_ref()
                .and_then(|j| j.total_completions.or(j.max_concurrent))
                .unwrap_or(1)
                .max(0) as u64,
        },
        Some(m) if m.global_job.is_some() => ServiceMode::GlobalJob,
        Some(m) => ServiceMode::Replicated(
            m.replicated
                .as_ref()
                .and_then(|r| r.replicas)
                .unwrap_or(1)
                .max(0) as u64,
        ),
        None => ServiceMode::Replicated(1),
    };
    let ports = s
        .endpoint
        .as_ref()
        .and_then(|e| e.ports.as_ref())
        .into_iter()
        .flatten()
        .map(|p| Port {
            published: p.published_port.unwrap_or(0).clamp(0, 65535) as u16,
            target: p.target_port.unwrap_or(0).clamp(0, 65535) as u16,
            protocol: SafeText::opt(p.protocol.map(|x| x.to_string()).as_deref()),
            mode: SafeText::opt(p.publish_mode.map(|x| x.to_string()).as_deref()),
        })
        .collect();
    let update = s.update_status.as_ref();
    Service {
        id: s.id.clone().unwrap_or_default(),
        name: text(spec.and_then(|s| s.name.as_ref())),
        stack: label(spec_labels, STACK_LABEL).map(|v| SafeText::new(v)),
        stack_key: label(spec_labels, STACK_LABEL).map(|v| v.to_string()),
        mode,
        image: SafeText::new(image_without_digest(
            container.and_then(|c| c.image.as_deref()).unwrap_or(""),
        )),
        ports,
        update_state: update
            .and_then(|u| u.state)
            .map(|st| SafeText::new(st.as_ref())),
        update_message: update
            .and_then(|u| u.message.as_ref())
            .map(|m| SafeText::new(m)),
        update_started: update.and_then(|u| ts(u.started_at.as_ref())),
        labels: labels(spec_labels),
        secret_ids: container
            .and_then(|c| c.secrets.as_ref())
            .into_iter()
            .flatten()
            .filter_map(|x| x.secret_id.clone())
            .collect(),
        config_ids: container
            .and_then(|c| c.configs.as_ref())
            .into_iter()
            .flatten()
            .filter_map(|x| x.config_id.clone())
            .collect(),
        created: ts(s.created_at.as_ref()),
        updated: ts(s.updated_at.as_ref()),
        version: s.version.as_ref().and_then(|v| v.index).unwrap_or(0),
        // bollard's typed service drops `PreviousSpec`; the reader fills this in.
        has_previous_spec: false,
        host_paths: container
            .and_then(|c| c.mounts.as_ref())
            .into_iter()
            .flatten()
            .filter_map(host_path)
            .map(|p| SafeText::new(&p))
            .collect(),
    }
}

/// A mount's folder on the host: a bind's source, a local volume's bound device.
fn host_path(m: &api::Mount) -> Option<String> {
    use api::MountType;
    match m.typ {
        Some(MountType::BIND) => m.source.clone(),
        Some(MountType::VOLUME) => m
            .volume_options
            .as_ref()
            .and_then(|v| v.driver_config.as_ref())
            .and_then(|d| d.options.as_ref())
            .and_then(|o| o.get("device"))
            .filter(|d| d.starts_with('/'))
            .cloned(),
        _ => None,
    }
}

pub fn task(t: &api::Task) -> Task {
    let status = t.status.as_ref();
    let cs = status.and_then(|s| s.container_status.as_ref());
    Task {
        id: t.id.clone().unwrap_or_default(),
        service_id: t.service_id.clone().unwrap_or_default(),
        slot: t.slot.and_then(|s| u64::try_from(s).ok()),
        node_id: t.node_id.clone().filter(|n| !n.is_empty()),
        desired_state: SafeText::opt(t.desired_state.map(|s| s.to_string()).as_deref()),
        state: SafeText::opt(
            status
                .and_then(|s| s.state)
                .map(|s| s.to_string())
                .as_deref(),
        ),
        message: text(status.and_then(|s| s.message.as_ref())),
        error: status
            .and_then(|s| s.err.as_ref())
            .filter(|e| !e.is_empty())
            .map(|e| SafeText::new(e)),
        container_id: cs
            .and_then(|c| c.container_id.clone())
            .filter(|c| !c.is_empty()),
        exit_code: cs.and_then(|c| c.exit_code),
        timestamp: ts(status.and_then(|s| s.timestamp.as_ref())),
    }
}

pub fn node(n: &api::Node) -> Node {
    let spec = n.spec.as_ref();
    let desc = n.description.as_ref();
    let status = n.status.as_ref();
    let mgr = n.manager_status.as_ref();
    Node {
        id: n.id.clone().unwrap_or_default(),
        hostname: text(desc.and_then(|d| d.hostname.as_ref())),
        role: SafeText::opt(spec.and_then(|s| s.role).map(|r| r.to_string()).as_deref()),
        availability: SafeText::opt(
            spec.and_then(|s| s.availability)
                .map(|a| a.to_string())
                .as_deref(),
        ),
        state: SafeText::opt(
            status
                .and_then(|s| s.state)
                .map(|s| s.to_string())
                .as_deref(),
        ),
        addr: text(status.and_then(|s| s.addr.as_ref())),
        leader: mgr.and_then(|m| m.leader).unwrap_or(false),
        reachability: mgr
            .and_then(|m| m.reachability)
            .map(|r| SafeText::new(&r.to_string())),
        engine_version: text(
            desc.and_then(|d| d.engine.as_ref())
                .and_then(|e| e.engine_version.as_ref()),
        ),
        labels: labels(spec.and_then(|s| s.labels.as_ref())),
        cpus: desc
            .and_then(|d| d.resources.as_ref())
            .and_then(|r| r.nano_cpus)
            .map_or(0, |n| (n.max(0) as u64) / 1_000_000_000),
        memory: desc
            .and_then(|d| d.resources.as_ref())
            .and_then(|r| r.memory_bytes)
            .map_or(0, |n| n.max(0) as u64),
    }
}

pub fn network(n: &api::Network) -> Network {
    Network {
        id: n.id.clone().unwrap_or_default(),
        name: text(n.name.as_ref()),
        driver: text(n.driver.as_ref()),
        scope: text(n.scope.as_ref()),
        subnets: n
            .ipam
            .as_ref()
            .and_then(|i| i.config.as_ref())
            .into_iter()
            .flatten()
            .filter_map(|c| c.subnet.as_ref())
            .map(|s| SafeText::new(s))
            .collect(),
        attachable: n.attachable.unwrap_or(false),
        encrypted: n
            .options
            .as_ref()
            .is_some_and(|o| o.contains_key("encrypted")),
        internal: n.internal.unwrap_or(false),
        ingress: n.ingress.unwrap_or(false),
        stack: label(n.labels.as_ref(), STACK_LABEL).map(|v| SafeText::new(v)),
        parent: n
            .options
            .as_ref()
            .and_then(|o| o.get("parent"))
            .map(|p| SafeText::new(p)),
    }
}

pub fn secret(s: &api::Secret) -> SwarmObject {
    let spec = s.spec.as_ref();
    SwarmObject {
        id: s.id.clone().unwrap_or_default(),
        name: text(spec.and_then(|s| s.name.as_ref())),
        labels: labels(spec.and_then(|s| s.labels.as_ref())),
        created: ts(s.created_at.as_ref()),
        updated: ts(s.updated_at.as_ref()),
    }
}

pub fn config(c: &api::Config) -> SwarmObject {
    let spec = c.spec.as_ref();
    SwarmObject {
        id: c.id.clone().unwrap_or_default(),
        name: text(spec.and_then(|s| s.name.as_ref())),
        labels: labels(spec.and_then(|s| s.labels.as_ref())),
        created: ts(c.created_at.as_ref()),
        updated: ts(c.updated_at.as_ref()),
    }
}

/// A listed container, read at `now` (its status's duration counts from then).
pub fn container(c: &api::ContainerSummary, now: Timestamp) -> Container {
    let l = c.labels.as_ref();
    let name = c
        .names
        .as_ref()
        .and_then(|n| n.first())
        .map(|n| n.trim_start_matches('/'))
        .unwrap_or("");
    let status = c.status.as_deref().unwrap_or("");
    let split = super::since::split(status, now);
    Container {
        id: c.id.clone().unwrap_or_default(),
        name: SafeText::new(name),
        project: label(l, COMPOSE_PROJECT_LABEL).map(|v| SafeText::new(v)),
        compose_service: label(l, COMPOSE_SERVICE_LABEL).map(|v| SafeText::new(v)),
        image: SafeText::new(image_without_digest(c.image.as_deref().unwrap_or(""))),
        state: SafeText::opt(c.state.map(|s| s.to_string()).as_deref()),
        status: SafeText::new(split.as_ref().map_or(status, |s| s.before.as_str())),
        status_after: SafeText::new(split.as_ref().map_or("", |s| s.after.as_str())),
        status_since: split.as_ref().map(|s| s.since),
        created: c.created.map(Timestamp::from_unix),
        host_paths: c
            .mounts
            .iter()
            .flatten()
            .filter(|m| matches!(m.typ.as_deref(), Some("bind" | "volume")))
            .filter_map(|m| m.source.as_deref().filter(|s| s.starts_with('/')))
            .map(SafeText::new)
            .collect(),
    }
}

#[cfg(test)]
mod tests;
