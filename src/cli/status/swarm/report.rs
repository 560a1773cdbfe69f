//! The Swarm part of the status report as data: built from a snapshot (pure), printed as text or JSON.

use crate::backend::swarm::SwarmSnapshot;
use crate::backend::swarm::model::ServiceMode;
use crate::core::text::SafeText;
use serde::Serialize;

pub use crate::cli::status::{Health, SourceReport};

#[derive(Debug, Serialize)]
pub struct StatusReport {
    pub health: Health,
    pub sources: Vec<SourceReport>,
    pub swarm: Option<SwarmReport>,
}

#[derive(Debug, Serialize)]
pub struct SwarmReport {
    pub engine_version: SafeText,
    pub api_version: SafeText,
    pub swarm_active: bool,
    pub nodes: Vec<NodeReport>,
    pub stacks: Vec<StackReport>,
}

#[derive(Debug, Serialize)]
pub struct NodeReport {
    pub hostname: SafeText,
    pub role: SafeText,
    pub state: SafeText,
    pub availability: SafeText,
    pub down: bool,
}

#[derive(Debug, Serialize)]
pub struct StackReport {
    /// `null` for services outside any stack.
    pub name: Option<SafeText>,
    pub services: Vec<ServiceReport>,
}

#[derive(Debug, Serialize)]
pub struct ServiceReport {
    pub name: SafeText,
    pub mode: &'static str,
    pub running: u64,
    pub desired: u64,
    /// Jobs only: tasks completed and completions wanted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completed: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completions: Option<u64>,
    pub under_replicated: bool,
    pub failing_tasks: Vec<FailingTask>,
}

#[derive(Debug, Serialize)]
pub struct FailingTask {
    pub id: String,
    pub slot: Option<u64>,
    pub node: SafeText,
    pub state: SafeText,
    pub error: SafeText,
}

fn mode_name(m: &ServiceMode) -> &'static str {
    match m {
        ServiceMode::Replicated(_) => "replicated",
        ServiceMode::Global => "global",
        ServiceMode::ReplicatedJob { .. } => "replicated-job",
        ServiceMode::GlobalJob => "global-job",
    }
}

/// Why the engine is not healthy, one reason each: what `status: DEGRADED` says.
pub fn reasons(r: &StatusReport) -> Vec<String> {
    let Some(sw) = &r.swarm else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for n in sw.nodes.iter().filter(|n| n.down) {
        out.push(format!(
            "swarm: node {} is {} ({})",
            n.hostname, n.state, n.availability
        ));
    }
    for s in sw.stacks.iter().flat_map(|st| &st.services) {
        if !s.under_replicated {
            continue;
        }
        let why = match s.failing_tasks.as_slice() {
            [] => String::new(),
            [t, rest @ ..] => {
                let slot = t.slot.map(|s| format!(".{s}")).unwrap_or_default();
                let more = if rest.is_empty() {
                    String::new()
                } else {
                    format!(" (and {} more)", rest.len())
                };
                format!(": task{slot} on {} {}: {}{more}", t.node, t.state, t.error)
            }
        };
        out.push(format!(
            "swarm: service {} {}/{}{why}",
            s.name, s.running, s.desired
        ));
    }
    out
}

/// Build the report from what the Swarm source gave (or why it gave nothing).
pub fn build(swarm: Result<&SwarmSnapshot, &str>) -> StatusReport {
    let snap = match swarm {
        Err(e) => {
            return StatusReport {
                health: Health::Unreachable,
                sources: vec![SourceReport {
                    name: "swarm".into(),
                    reachable: false,
                    error: Some(SafeText::new(e)),
                }],
                swarm: None,
            };
        }
        Ok(s) => s,
    };
    let nodes: Vec<NodeReport> = snap
        .nodes
        .iter()
        .map(|n| NodeReport {
            hostname: n.hostname.clone(),
            role: n.role.clone(),
            state: n.state.clone(),
            availability: n.availability.clone(),
            down: n.is_down(),
        })
        .collect();
    let stacks: Vec<StackReport> = snap
        .stacks()
        .into_iter()
        .map(|st| StackReport {
            services: snap
                .services_in(st.key.as_deref())
                .into_iter()
                .map(|s| {
                    let r = snap.replicas(s);
                    ServiceReport {
                        name: s.name.clone(),
                        mode: mode_name(&s.mode),
                        running: r.running,
                        desired: r.desired,
                        completed: r.completed.map(|c| c.0),
                        completions: r.completed.map(|c| c.1),
                        under_replicated: r.is_short(),
                        failing_tasks: snap
                            .failing_tasks(&s.id)
                            .into_iter()
                            .map(|t| FailingTask {
                                id: t.id.clone(),
                                slot: t.slot,
                                node: snap.node_name(t.node_id.as_deref()),
                                state: t.state.clone(),
                                error: t.error.clone().unwrap_or_else(|| t.message.clone()),
                            })
                            .collect(),
                    }
                })
                .collect(),
            name: st.name,
        })
        .collect();
    let degraded = nodes.iter().any(|n| n.down)
        || stacks
            .iter()
            .flat_map(|s| &s.services)
            .any(|s| s.under_replicated);
    StatusReport {
        health: if degraded {
            Health::Degraded
        } else {
            Health::Healthy
        },
        sources: vec![SourceReport {
            name: "swarm".into(),
            reachable: true,
            error: None,
        }],
        swarm: Some(SwarmReport {
            engine_version: snap.engine.version.clone(),
            api_version: snap.engine.api_version.clone(),
            swarm_active: snap.engine.swarm_manager,
            nodes,
            stacks,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::swarm::sample::lab;

    #[test]
    fn an_under_replicated_service_degrades() {
        let s = lab();
        let r = build(Ok(&s));
        assert_eq!(r.health, Health::Degraded);
        assert_eq!(r.health.exit_code(), 1);
        let media = &r.swarm.as_ref().unwrap().stacks[1];
        let sonarr = media
            .services
            .iter()
            .find(|s| s.name.as_str() == "media_sonarr")
            .unwrap();
        assert!(sonarr.under_replicated);
    }

    #[test]
    fn a_fully_replicated_swarm_is_healthy() {
        let mut s = lab();
        s.services.retain(|s| s.id != "svc-sonarr");
        let r = build(Ok(&s));
        assert_eq!(r.health, Health::Healthy);
        assert_eq!(r.health.exit_code(), 0);
    }

    #[test]
    fn a_down_node_degrades() {
        let mut s = lab();
        s.services.retain(|s| s.id != "svc-sonarr");
        s.nodes[0].state = SafeText::new("down");
        assert_eq!(build(Ok(&s)).health, Health::Degraded);
    }

    #[test]
    fn an_unreachable_engine_is_exit_2_with_its_reason() {
        let r = build(Err("cannot reach engine: No such file"));
        assert_eq!(r.health.exit_code(), 2);
        let j = serde_json::to_value(&r).unwrap();
        assert_eq!(j["health"], "unreachable");
        assert_eq!(j["sources"][0]["reachable"], false);
        assert_eq!(
            j["sources"][0]["error"],
            "cannot reach engine: No such file"
        );
    }

    #[test]
    fn failing_tasks_carry_their_error() {
        let mut s = lab();
        s.tasks[0].timestamp = Some(crate::backend::swarm::sample::NOW);
        let r = build(Ok(&s));
        let j = serde_json::to_value(&r).unwrap();
        let services = j["swarm"]["stacks"][1]["services"].as_array().unwrap();
        let sonarr = services
            .iter()
            .find(|s| s["name"] == "media_sonarr")
            .unwrap();
        assert_eq!(
            sonarr["failing_tasks"][0]["error"],
            "task: non-zero exit (1)"
        );
        assert_eq!(sonarr["failing_tasks"][0]["node"], "nas");
    }
}
