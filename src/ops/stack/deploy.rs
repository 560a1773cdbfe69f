//! A stack deploy: what it would change (`review`, read only) and doing it (`deploy`,
//! with the `Writer`): networks, secrets and configs made when missing, then services
//! created or updated, only those whose spec changed, in `depends_on` waves when
//! asked, each wave passing its health gate before the next; `prune` removes the
//! stack's services the files no longer have. The CLI's `stack deploy` and the
//! bootstrap's stack step both run this.

use super::compare::differences;
use super::desired::{Desired, NAMESPACE, ServiceDef};
use super::gate;
use crate::backend::swarm::connect::{Endpoint, describe_error};
use crate::backend::swarm::stack_state::StackState;
use crate::backend::swarm::writer::SwarmWriter;
use crate::core::access::Writer;
use crate::ops::plan::Progress;
use std::time::Duration;

/// One thing a deploy would do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Network(String),
    Secret(String),
    Config(String),
    CreateService(String),
    /// The service, and the fields that differ.
    UpdateService(String, Vec<String>),
    RemoveService(String),
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::Network(n) => write!(f, "+ network {n}"),
            Change::Secret(n) => write!(f, "+ secret {n} (content not shown)"),
            Change::Config(n) => write!(f, "+ config {n}"),
            Change::CreateService(n) => write!(f, "+ service {n}"),
            Change::UpdateService(n, fields) => write!(f, "~ service {n}: {}", fields.join(", ")),
            Change::RemoveService(n) => write!(f, "- service {n}"),
        }
    }
}

/// What a deploy of `d` onto `s` would do, and what stops it (an external network,
/// secret or config that is not there; a config whose content changed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Review {
    pub changes: Vec<Change>,
    pub blocked: Vec<String>,
}

pub fn review(d: &Desired, s: &StackState, prune: bool) -> Review {
    let mut r = Review::default();
    for n in &d.external_networks {
        if !s.networks.contains_key(n) {
            r.blocked
                .push(format!("network {n} is external and does not exist"));
        }
    }
    for n in &d.networks {
        if !s.networks.contains_key(&n.name) {
            r.changes.push(Change::Network(n.name.clone()));
        }
    }
    for (word, external, made, live) in [
        ("secret", &d.external_secrets, &d.secrets, &s.secrets),
        ("config", &d.external_configs, &d.configs, &s.configs),
    ] {
        for n in external {
            if !live.contains_key(n) {
                r.blocked
                    .push(format!("{word} {n} is external and does not exist"));
            }
        }
        for o in made {
            match live.get(&o.name) {
                None if word == "secret" => r.changes.push(Change::Secret(o.name.clone())),
                None => r.changes.push(Change::Config(o.name.clone())),
                Some(l) => {
                    use base64::Engine;
                    let now = base64::engine::general_purpose::STANDARD.encode(&o.data.0);
                    if l.data.as_ref().is_some_and(|d| *d != now) {
                        r.blocked.push(format!(
                            "config {} changed, and Swarm configs cannot change: give it a new name",
                            o.name
                        ));
                    }
                }
            }
        }
    }
    for svc in &d.services {
        r.changes.extend(service_change(svc, s));
    }
    if prune {
        for name in s.services.keys() {
            if !d.services.iter().any(|x| &x.name == name) {
                r.changes.push(Change::RemoveService(name.clone()));
            }
        }
    }
    r
}

fn service_change(svc: &ServiceDef, s: &StackState) -> Option<Change> {
    match s.services.get(&svc.name) {
        None => Some(Change::CreateService(svc.name.clone())),
        Some(live) => {
            let fields = differences(&svc.spec, &live.spec, &s.networks);
            (!fields.is_empty()).then(|| Change::UpdateService(svc.name.clone(), fields))
        }
    }
}

/// How a deploy runs.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub prune: bool,
    /// In `depends_on` waves, each healthy before the next.
    pub waves: bool,
    /// Wait this long for each wave to be healthy (`None`: do not wait, as the CLI).
    pub gate: Option<Duration>,
}

pub async fn read_state(endpoint: &Endpoint, stack: &str) -> Result<StackState, String> {
    let reader = endpoint.connect().await.map_err(|e| describe_error(&e))?;
    reader.stack_state(stack, NAMESPACE).await
}

/// Deploy `d`. `Ok` says what was done; `Err` what failed, after what was done.
pub async fn deploy(
    writer: &Writer,
    endpoint: &Endpoint,
    d: &Desired,
    opts: &Options,
    progress: Progress,
) -> Result<String, String> {
    deploy_noting(writer, endpoint, d, opts, progress, &mut Vec::new()).await
}

/// [`deploy`], noting in `updated` each service it updated (not those it created):
/// what a rollback would take back to the previous spec.
pub async fn deploy_noting(
    writer: &Writer,
    endpoint: &Endpoint,
    d: &Desired,
    opts: &Options,
    progress: Progress,
    updated: &mut Vec<String>,
) -> Result<String, String> {
    let state = read_state(endpoint, &d.stack).await?;
    let r = review(d, &state, opts.prune);
    if !r.blocked.is_empty() {
        return Err(r.blocked.join("; "));
    }
    let waves = match opts.waves {
        true => d.waves()?,
        false => vec![d.services.iter().collect()],
    };
    let w = SwarmWriter::connect(writer, endpoint).await?;
    let mut done: Vec<String> = Vec::new();
    for change in &r.changes {
        let made = match change {
            Change::Network(name) => {
                let n = d
                    .networks
                    .iter()
                    .find(|n| &n.name == name)
                    .expect("reviewed");
                w.create_network_raw(&n.body).await
            }
            Change::Secret(name) | Change::Config(name) => {
                let (kind, list) = match change {
                    Change::Secret(_) => ("secrets", &d.secrets),
                    _ => ("configs", &d.configs),
                };
                let o = list.iter().find(|o| &o.name == name).expect("reviewed");
                w.create_object_raw(kind, name, &o.data.0, &o.labels).await
            }
            _ => continue,
        };
        progress(change.to_string());
        made.map_err(|e| failed(&done, &format!("{change}: {e}")))?;
        done.push(change.to_string());
    }
    // The objects' IDs, now that they all exist.
    let state = read_state(endpoint, &d.stack).await?;
    // A little before now: the manager's clock may be a little behind this one.
    let since = jiff::Timestamp::now() - jiff::SignedDuration::from_secs(2);
    for wave in &waves {
        let mut touched = Vec::new();
        // Updated with a new task template: their tasks are replaced, and until the
        // engine's update has finished the old ones still count as running.
        let mut rolling = Vec::new();
        for svc in wave.iter().copied() {
            let Some(change) = service_change(svc, &state) else {
                continue;
            };
            progress(change.to_string());
            let spec = with_ids(&svc.spec, &state).map_err(|e| failed(&done, &e))?;
            w.put_service(&spec, state.services.get(&svc.name))
                .await
                .map_err(|e| failed(&done, &format!("{change}: {e}")))?;
            done.push(change.to_string());
            if state.services.contains_key(&svc.name) {
                updated.push(svc.name.clone());
            }
            if let Some(live) = state.services.get(&svc.name)
                && !differences(
                    &svc.spec["TaskTemplate"],
                    &live.spec["TaskTemplate"],
                    &state.networks,
                )
                .is_empty()
            {
                rolling.push(svc.name.clone());
            }
            touched.push(svc.name.clone());
        }
        if let Some(timeout) = opts.gate {
            let names: Vec<String> = wave.iter().map(|s| s.name.clone()).collect();
            gate::healthy(
                endpoint, &d.stack, &names, &rolling, since, timeout, &progress,
            )
            .await
            .map_err(|e| {
                let updated: Vec<&String> = touched
                    .iter()
                    .filter(|n| state.services.contains_key(*n))
                    .collect();
                let back = match updated.is_empty() {
                    true => String::new(),
                    false => format!(
                        "; the updated services can be rolled back to their previous spec: {}",
                        updated
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                failed(&done, &format!("{e}{back}"))
            })?;
        }
    }
    for change in &r.changes {
        if let Change::RemoveService(name) = change {
            let Some(live) = state.services.get(name) else {
                continue;
            };
            progress(change.to_string());
            w.remove_service(&live.id)
                .await
                .map_err(|e| failed(&done, &format!("{change}: {e}")))?;
            done.push(change.to_string());
        }
    }
    Ok(match done.len() {
        0 => format!("stack {} is as the files say: nothing to do", d.stack),
        n => format!(
            "stack {}: {n} change{} made",
            d.stack,
            if n == 1 { "" } else { "s" }
        ),
    })
}

/// The engine the environment names (`DOCKER_HOST`, the Docker context, else the
/// local socket): what the command line uses.
pub fn here() -> Endpoint {
    Endpoint::from_env()
}

/// `docker stack rm`: the stack's services, then its networks, secrets and configs.
pub async fn remove(writer: &Writer, endpoint: &Endpoint, stack: &str) -> Result<String, String> {
    let w = SwarmWriter::connect(writer, endpoint).await?;
    let op = crate::backend::swarm::ops::SwarmOp::RemoveStack {
        stack: stack.to_string(),
    };
    w.apply(&op, std::sync::Arc::new(|_| {})).await
}

fn failed(done: &[String], why: &str) -> String {
    match done.len() {
        0 => why.to_string(),
        n => format!(
            "{why} (after {n} change{} made)",
            if n == 1 { "" } else { "s" }
        ),
    }
}

/// `spec` with its secrets' and configs' IDs, looked up by name as the CLI does.
fn with_ids(spec: &serde_json::Value, s: &StackState) -> Result<serde_json::Value, String> {
    let mut spec = spec.clone();
    for (field, name_key, id_key, live, word) in [
        ("Secrets", "SecretName", "SecretID", &s.secrets, "secret"),
        ("Configs", "ConfigName", "ConfigID", &s.configs, "config"),
    ] {
        let Some(list) = spec
            .pointer_mut(&format!("/TaskTemplate/ContainerSpec/{field}"))
            .and_then(serde_json::Value::as_array_mut)
        else {
            continue;
        };
        for r in list {
            let name = r[name_key].as_str().unwrap_or_default().to_string();
            let o = live
                .get(&name)
                .ok_or_else(|| format!("{word} {name} does not exist"))?;
            r[id_key] = serde_json::json!(o.id);
        }
    }
    Ok(spec)
}
