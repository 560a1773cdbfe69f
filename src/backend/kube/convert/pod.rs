//! A pod's status as `kubectl get pods` prints it: the phase, overridden by the first
//! init container still at work, then by the last app container's waiting or
//! terminated reason; Terminating while it is deleted. Users know these words
//! (CrashLoopBackOff, Init:0/2, OOMKilled, Completed), so labdeck says the same.

use super::{at, created, labels, owner, safe, ts};
use crate::backend::kube::model::{Container, Pod, PodHealth};
use crate::core::text::SafeText;
use crate::core::time::Timestamp;
use k8s_openapi::api::core::v1 as core;

pub fn pod(p: &core::Pod) -> Pod {
    let spec = p.spec.as_ref();
    let status = p.status.as_ref();
    let empty = Vec::new();
    let init_specs = spec
        .and_then(|s| s.init_containers.as_ref())
        .unwrap_or(&empty);
    let app_specs = spec.map(|s| &s.containers).unwrap_or(&empty);
    let init_status = status
        .and_then(|s| s.init_container_statuses.as_ref())
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let app_status = status
        .and_then(|s| s.container_statuses.as_ref())
        .map(Vec::as_slice)
        .unwrap_or(&[]);

    let mut reason = status
        .and_then(|s| s.reason.clone())
        .or_else(|| status.and_then(|s| s.phase.clone()))
        .unwrap_or_else(|| "Pending".into());
    if conditions(status)
        .any(|c| c.type_ == "PodScheduled" && c.reason.as_deref() == Some("SchedulingGated"))
    {
        reason = "SchedulingGated".into();
    }

    let mut restarts = 0u32;
    let mut last_restart: Option<Timestamp> = None;
    let mut note_restart = |t: Option<Timestamp>| {
        if t > last_restart {
            last_restart = t;
        }
    };
    // Sidecars (init containers that always restart) count as app containers.
    let sidecar = |name: &str| {
        init_specs
            .iter()
            .any(|c| c.name == name && c.restart_policy.as_deref() == Some("Always"))
    };
    let mut total = app_specs.len() as u16;
    let mut ready = 0u16;
    let mut initializing = false;
    for (i, c) in init_status.iter().enumerate() {
        restarts += c.restart_count.max(0) as u32;
        note_restart(last_finished(c));
        let is_sidecar = sidecar(&c.name);
        if is_sidecar {
            total += 1;
            if c.started == Some(true) && c.ready {
                ready += 1;
            }
        }
        let state = c.state.as_ref();
        let term = state.and_then(|s| s.terminated.as_ref());
        let wait = state.and_then(|s| s.waiting.as_ref());
        if term.is_some_and(|t| t.exit_code == 0) || (is_sidecar && c.started == Some(true)) {
            continue;
        }
        reason = if let Some(t) = term {
            match t.reason.as_deref().filter(|r| !r.is_empty()) {
                Some(r) => format!("Init:{r}"),
                None if t.signal.unwrap_or(0) != 0 => {
                    format!("Init:Signal:{}", t.signal.unwrap_or(0))
                }
                None => format!("Init:ExitCode:{}", t.exit_code),
            }
        } else if let Some(r) = wait
            .and_then(|w| w.reason.as_deref())
            .filter(|r| !r.is_empty() && *r != "PodInitializing")
        {
            format!("Init:{r}")
        } else {
            format!("Init:{i}/{}", init_specs.len())
        };
        initializing = true;
        break;
    }

    let initialized = conditions(status).any(|c| c.type_ == "Initialized" && c.status == "True");
    if !initializing || initialized {
        restarts = init_status
            .iter()
            .filter(|c| sidecar(&c.name))
            .map(|c| c.restart_count.max(0) as u32)
            .sum();
        let mut running = false;
        for c in app_status.iter().rev() {
            restarts += c.restart_count.max(0) as u32;
            note_restart(last_finished(c));
            let state = c.state.as_ref();
            let wait = state.and_then(|s| s.waiting.as_ref());
            let term = state.and_then(|s| s.terminated.as_ref());
            if let Some(r) = wait
                .and_then(|w| w.reason.as_deref())
                .filter(|r| !r.is_empty())
            {
                reason = r.to_string();
            } else if let Some(t) = term {
                reason = match t.reason.as_deref().filter(|r| !r.is_empty()) {
                    Some(r) => r.to_string(),
                    None if t.signal.unwrap_or(0) != 0 => {
                        format!("Signal:{}", t.signal.unwrap_or(0))
                    }
                    None => format!("ExitCode:{}", t.exit_code),
                };
            } else if c.ready && state.is_some_and(|s| s.running.is_some()) {
                running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && running {
            let pod_ready = conditions(status).any(|c| c.type_ == "Ready" && c.status == "True");
            reason = if pod_ready { "Running" } else { "NotReady" }.into();
        }
    }

    let phase = status.and_then(|s| s.phase.as_deref()).unwrap_or("");
    if p.metadata.deletion_timestamp.is_some() {
        if status.and_then(|s| s.reason.as_deref()) == Some("NodeLost") {
            reason = "Unknown".into();
        } else if phase != "Succeeded" && phase != "Failed" {
            reason = "Terminating".into();
        }
    }

    let containers = init_status
        .iter()
        .map(|c| container(c, true, init_specs))
        .chain(app_status.iter().map(|c| container(c, false, app_specs)))
        .collect();
    Pod {
        at: at(&p.metadata),
        health: health(&reason, ready, total),
        status: SafeText::new(&reason),
        ready,
        total,
        restarts,
        last_restart,
        node: safe(spec.and_then(|s| s.node_name.as_ref())),
        ip: safe(status.and_then(|s| s.pod_ip.as_ref())),
        created: created(&p.metadata),
        owner: owner(&p.metadata),
        containers,
        labels: labels(&p.metadata),
        claims: claims(p),
    }
}

/// The PVCs a pod's volumes mount: named, or made for it from an ephemeral volume's
/// template (`<pod>-<volume>`, as the ephemeral volume controller names them).
fn claims(p: &core::Pod) -> Vec<SafeText> {
    let pod = p.metadata.name.as_deref().unwrap_or("");
    p.spec
        .iter()
        .flat_map(|s| s.volumes.iter().flatten())
        .filter_map(|v| {
            if let Some(c) = &v.persistent_volume_claim {
                Some(SafeText::new(&c.claim_name))
            } else {
                v.ephemeral
                    .as_ref()
                    .map(|_| SafeText::new(&format!("{pod}-{}", v.name)))
            }
        })
        .collect()
}

fn conditions(s: Option<&core::PodStatus>) -> impl Iterator<Item = &core::PodCondition> {
    s.and_then(|s| s.conditions.as_ref()).into_iter().flatten()
}

fn last_finished(c: &core::ContainerStatus) -> Option<Timestamp> {
    let t = c.last_state.as_ref()?.terminated.as_ref()?;
    ts(t.finished_at.as_ref())
}

/// Failing, waiting, running or done: for sorting not-ready first and for colour.
fn health(reason: &str, ready: u16, total: u16) -> PodHealth {
    let failing = [
        "CrashLoopBackOff",
        "ImagePullBackOff",
        "ErrImagePull",
        "ErrImageNeverPull",
        "InvalidImageName",
        "CreateContainerConfigError",
        "CreateContainerError",
        "RunContainerError",
        "OOMKilled",
        "Error",
        "Failed",
        "Evicted",
        "Unknown",
        "ContainerStatusUnknown",
        "NodeLost",
    ];
    let r = reason.strip_prefix("Init:").unwrap_or(reason);
    if failing.contains(&r) || r.starts_with("ExitCode:") || r.starts_with("Signal:") {
        PodHealth::Failing
    } else if reason == "Completed" || reason == "Succeeded" {
        PodHealth::Done
    } else if reason == "Running" && ready == total {
        PodHealth::Running
    } else {
        PodHealth::Waiting
    }
}

fn container(c: &core::ContainerStatus, init: bool, specs: &[core::Container]) -> Container {
    let state = c.state.as_ref();
    let text = if let Some(w) = state.and_then(|s| s.waiting.as_ref()) {
        format!("Waiting: {}", w.reason.as_deref().unwrap_or("?"))
    } else if let Some(t) = state.and_then(|s| s.terminated.as_ref()) {
        format!("Terminated: {}", end_reason(t))
    } else if state.is_some_and(|s| s.running.is_some()) {
        "Running".into()
    } else {
        "Waiting".into()
    };
    let last_end = c
        .last_state
        .as_ref()
        .and_then(|s| s.terminated.as_ref())
        .map(|t| SafeText::new(&end_reason(t)));
    let ports = specs
        .iter()
        .find(|s| s.name == c.name)
        .and_then(|s| s.ports.as_ref())
        .map(|ps| {
            ps.iter()
                .filter_map(|p| u16::try_from(p.container_port).ok())
                .collect()
        })
        .unwrap_or_default();
    Container {
        name: SafeText::new(&c.name),
        image: SafeText::new(&c.image),
        init,
        ready: c.ready,
        restarts: c.restart_count.max(0) as u32,
        state: SafeText::new(&text),
        started: state
            .and_then(|s| s.running.as_ref())
            .and_then(|r| ts(r.started_at.as_ref())),
        last_end,
        ports,
    }
}

fn end_reason(t: &core::ContainerStateTerminated) -> String {
    let reason = t.reason.as_deref().unwrap_or("");
    match (reason.is_empty(), t.signal.unwrap_or(0)) {
        (false, _) => format!("{reason} (exit {})", t.exit_code),
        (true, 0) => format!("exit {}", t.exit_code),
        (true, s) => format!("signal {s}"),
    }
}

#[cfg(test)]
#[path = "pod_tests.rs"]
mod tests;
