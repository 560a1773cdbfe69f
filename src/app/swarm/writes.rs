//! Write actions: a dialog that says exactly what will happen, then a plan of one step
//! for the shell to run. (Read-only refusal is the shell's, before this is reached.)

use super::after::{After, Marks};
use super::pane::SwarmPane;
use super::verbs::SwarmVerb;
use super::view::SwarmView;
use crate::app::effect::Effect;
use crate::app::shell::{FlashLevel, InputKind, Shell};
use crate::app::sources::KEY_SEP;
use crate::backend::swarm::model::ServiceMode;
use crate::backend::swarm::ops::{SwarmOp, SwarmStep};
use crate::core::action::Action;
use crate::core::text::SafeText;
use crate::ops::plan::Plan;

/// The prompt's purpose for a scale count: `scale`, the engine's name, the service id,
/// its current count and its name, apart by `KEY_SEP` (which no name has).
const SCALE: &str = "scale";

pub fn start(p: &mut SwarmPane, shell: &mut Shell, action: Action) {
    let Some(action) = (match action {
        Action::Verb(v) => SwarmVerb::of(v),
        _ => None,
    }) else {
        return;
    };
    if p.logs.is_some() {
        return;
    }
    let Some((engine, key)) = p.selected() else {
        return;
    };
    let Some(snap) = p.snap(&engine) else {
        return;
    };
    let level = p.level();
    let marked = level.table.marked();
    if !marked.is_empty() {
        let only = p.engines[0].endpoint.name.as_str();
        let marks = Marks {
            view: level.view.clone(),
            source: level.source.clone(),
            keys: marked.iter().map(|k| k.to_string()).collect(),
        };
        let marked: Vec<(String, String)> = marked
            .into_iter()
            .map(|k| crate::app::sources::split_key(level.source.as_deref(), k, only))
            .collect();
        on_marked(p, shell, action, marked, marks);
        return;
    }
    if let SwarmView::Nodes = &level.view {
        node_write(p, shell, &engine, &key, action);
        return;
    }
    if let (SwarmView::Stacks, SwarmVerb::Remove) = (&level.view, action) {
        if key.is_empty() {
            shell.flash(
                FlashLevel::Info,
                "services outside a stack are removed one by one",
            );
            return;
        }
        confirm(p, shell, &engine, SwarmOp::RemoveStack { stack: key });
        return;
    }
    let Some(svc) = (if level.view.lists_services() {
        snap.service(&key)
    } else {
        None
    }) else {
        shell.flash(
            FlashLevel::Info,
            format!("{}: select a service", action.verb().name),
        );
        return;
    };
    let (service_id, service) = (svc.id.clone(), svc.name.to_string());
    match action {
        SwarmVerb::Scale => match svc.mode {
            ServiceMode::Replicated(current) => {
                let purpose = [SCALE, &engine, &service_id, &current.to_string(), &service]
                    .join(&KEY_SEP.to_string());
                let prompt = SafeText::trusted(format!("scale {} (now {current}) to: ", svc.name));
                shell.prompt(InputKind::Prompt { purpose, prompt }, &current.to_string());
            }
            _ => shell.flash(
                FlashLevel::Info,
                format!("{service} is not replicated: it cannot be scaled"),
            ),
        },
        SwarmVerb::Redeploy => confirm(
            p,
            shell,
            &engine,
            SwarmOp::Redeploy {
                service_id,
                service,
            },
        ),
        SwarmVerb::Rollback if !svc.has_previous_spec => shell.flash(
            FlashLevel::Info,
            format!("{service} has no previous spec to roll back to (it was never updated)"),
        ),
        SwarmVerb::Rollback => confirm(
            p,
            shell,
            &engine,
            SwarmOp::Rollback {
                service_id,
                service,
            },
        ),
        SwarmVerb::Remove => confirm(
            p,
            shell,
            &engine,
            SwarmOp::RemoveService {
                service_id,
                service,
            },
        ),
        _ => {}
    }
}

/// Drain, pause, activate, promote or demote the selected node, when that changes it.
fn node_write(p: &mut SwarmPane, shell: &mut Shell, engine: &str, key: &str, action: SwarmVerb) {
    let Some(snap) = p.snap(engine) else {
        return;
    };
    let Some(n) = snap.nodes.iter().find(|n| n.id == key) else {
        return;
    };
    let (node_id, node) = (n.id.clone(), n.hostname.to_string());
    let managers = snap
        .nodes
        .iter()
        .filter(|n| n.role.as_str() == "manager")
        .count();
    let op = match action {
        SwarmVerb::Drain | SwarmVerb::Pause | SwarmVerb::Activate => {
            let availability = match action {
                SwarmVerb::Drain => "drain",
                SwarmVerb::Pause => "pause",
                _ => "active",
            };
            if n.availability.as_str() == availability {
                shell.flash(
                    FlashLevel::Info,
                    format!("{node} is already {availability}"),
                );
                return;
            }
            let elsewhere = snap
                .nodes
                .iter()
                .filter(|o| {
                    o.id != n.id
                        && o.availability.as_str() == "active"
                        && o.state.as_str() == "ready"
                })
                .count();
            SwarmOp::NodeAvailability {
                node_id,
                node,
                availability,
                elsewhere,
            }
        }
        SwarmVerb::Promote | SwarmVerb::Demote => {
            let role = if action == SwarmVerb::Promote {
                "manager"
            } else {
                "worker"
            };
            if n.role.as_str() == role {
                shell.flash(FlashLevel::Info, format!("{node} is already a {role}"));
                return;
            }
            if role == "worker" && managers <= 1 {
                shell.flash(
                    FlashLevel::Warn,
                    format!("{node} is the only manager: the swarm would have none"),
                );
                return;
            }
            SwarmOp::NodeRole {
                node_id,
                node,
                role,
            }
        }
        _ => {
            shell.flash(
                FlashLevel::Info,
                format!("{}: select a service", action.verb().name),
            );
            return;
        }
    };
    confirm(p, shell, engine, op);
}

/// Redeploy or remove every marked row, one step each, in one confirmation that
/// lists them all. Other writes act on one service: marks do not apply.
fn on_marked(
    p: &mut SwarmPane,
    shell: &mut Shell,
    action: SwarmVerb,
    marked: Vec<(String, String)>,
    marks: Marks,
) {
    let view = p.level().view.clone();
    let mut steps: Vec<std::sync::Arc<dyn crate::ops::plan::Step>> = Vec::new();
    for (engine, key) in marked {
        let (Some(snap), Some(e)) = (p.snap(&engine), p.engine(&engine)) else {
            continue;
        };
        let op = match (&view, action) {
            (SwarmView::Stacks, SwarmVerb::Remove) if !key.is_empty() => {
                SwarmOp::RemoveStack { stack: key }
            }
            (v, SwarmVerb::Redeploy | SwarmVerb::Remove) if v.lists_services() => {
                let Some(svc) = snap.service(&key) else {
                    continue;
                };
                let (service_id, service) = (svc.id.clone(), svc.name.to_string());
                if action == SwarmVerb::Redeploy {
                    SwarmOp::Redeploy {
                        service_id,
                        service,
                    }
                } else {
                    SwarmOp::RemoveService {
                        service_id,
                        service,
                    }
                }
            }
            _ => {
                shell.flash(
                    FlashLevel::Info,
                    format!(
                        "{} acts on one row: marks are for redeploy and remove (esc unmarks)",
                        action.verb().name
                    ),
                );
                return;
            }
        };
        steps.push(std::sync::Arc::new(SwarmStep {
            endpoint: e.endpoint.clone(),
            op,
        }));
    }
    if steps.is_empty() {
        shell.flash(FlashLevel::Info, "the marked rows are gone");
        return;
    }
    let after = After {
        follow: None,
        marks: Some(marks),
    };
    p.offer(shell, Plan::of(steps), after);
}

fn confirm(p: &mut SwarmPane, shell: &mut Shell, engine: &str, op: SwarmOp) {
    // A redeploy or rollback starts a rolling update: remember it, to follow it.
    let follow = match &op {
        SwarmOp::Redeploy {
            service_id,
            service,
        }
        | SwarmOp::Rollback {
            service_id,
            service,
        } => Some(super::pane::Follow {
            engine: engine.to_string(),
            service_id: service_id.clone(),
            service: service.clone(),
            verb: if matches!(op, SwarmOp::Redeploy { .. }) {
                "redeploying"
            } else {
                "rolling back"
            },
            version_before: p
                .snap(engine)
                .and_then(|s| s.service(service_id).map(|x| x.version))
                .unwrap_or(0),
        }),
        _ => None,
    };
    let Some(e) = p.engine(engine) else {
        return;
    };
    let step = SwarmStep {
        endpoint: e.endpoint.clone(),
        op,
    };
    let after = After {
        follow,
        marks: None,
    };
    p.offer(shell, Plan::one(step), after);
}

/// A prompt this pane opened was answered. `Err` keeps the prompt open.
pub fn submit(
    p: &mut SwarmPane,
    shell: &mut Shell,
    purpose: &str,
    value: &str,
) -> Result<Vec<Effect>, String> {
    let mut parts = purpose.splitn(5, KEY_SEP);
    if parts.next() != Some(SCALE) {
        return Ok(vec![]);
    }
    let (Some(engine), Some(service_id), Some(current), Some(service)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Ok(vec![]);
    };
    let current: u64 = current.parse().unwrap_or(0);
    match value.trim().parse::<u64>() {
        Ok(n) if n == current => {
            shell.flash(
                FlashLevel::Info,
                format!("{service} already has {n} replicas"),
            );
            Ok(vec![])
        }
        Ok(n) if n <= 1000 => {
            let op = SwarmOp::Scale {
                service_id: service_id.to_string(),
                service: service.to_string(),
                replicas: n,
            };
            confirm(p, shell, engine, op);
            Ok(vec![])
        }
        _ => Err(format!("not a replica count (0-1000): {value:?}")),
    }
}
