//! Rows for each Swarm view, built from a snapshot when it arrives (not on every frame).

use super::view::SwarmView;
use crate::app::table::{Cell, Column, Row, Tone};
use crate::backend::swarm::model::*;
use crate::backend::swarm::query::short_id;
use crate::core::text::SafeText;
use crate::core::time::Timestamp;

pub fn columns(view: &SwarmView) -> Vec<Column> {
    use Column as C;
    match view {
        SwarmView::Stacks => vec![
            C::flex("STACK", 16, 0),
            C::fixed("SERVICES", 8, 0),
            C::fixed("REPLICAS", 9, 0),
            C::fixed("FAILING", 7, 1),
        ],
        // At 80 columns the state of things wins: age and image go first, update last.
        SwarmView::Services { .. } => vec![
            C::flex("SERVICE", 16, 0),
            C::fixed("MODE", 10, 4),
            C::fixed("REPLICAS", 9, 0),
            C::fixed("HEALTH", 11, 6),
            C::flex("IMAGE", 14, 2),
            C::fixed("PORTS", 14, 3),
            C::fixed("UPDATE", 10, 5),
            C::fixed("AGE", 4, 1),
            // Where its data is, when on a ZFS dataset: filled by the pane.
            C::flex("DATA", 20, 1).sparse(),
            C::fixed("ID", 12, 1).wide(),
            C::fixed("UPDATED", 7, 1).wide(),
        ],
        // State and error never go; the ID, then the age, then desired go first.
        SwarmView::Tasks { .. } => vec![
            C::fixed("SLOT", 4, 0),
            C::fixed("ID", 12, 1),
            C::fixed("NODE", 12, 4),
            C::fixed("DESIRED", 8, 3),
            C::fixed("STATE", 9, 0),
            C::fixed("HEALTH", 12, 5),
            C::fixed("AGE", 4, 2),
            C::flex("ERROR", 20, 0),
            C::fixed("CONTAINER", 12, 1).wide(),
            C::flex("MESSAGE", 14, 1).wide(),
            C::fixed("EXIT", 4, 1).wide(),
        ],
        SwarmView::NodeTasks { .. } => vec![
            C::flex("TASK", 16, 0),
            C::fixed("ID", 12, 1),
            C::fixed("DESIRED", 8, 3),
            C::fixed("STATE", 9, 0),
            C::fixed("AGE", 4, 2),
            C::flex("ERROR", 20, 0),
        ],
        SwarmView::Nodes => vec![
            C::flex("HOSTNAME", 14, 0),
            C::fixed("ROLE", 7, 2),
            C::fixed("AVAIL", 7, 0),
            C::fixed("STATUS", 7, 0),
            C::fixed("MANAGER", 11, 1),
            C::fixed("ENGINE", 9, 3),
            C::flex("LABELS", 14, 4),
            C::fixed("ID", 12, 1).wide(),
            C::fixed("ADDR", 15, 1).wide(),
        ],
        SwarmView::Networks => vec![
            C::flex("NETWORK", 18, 0),
            C::fixed("DRIVER", 8, 0),
            C::fixed("SCOPE", 6, 1),
            C::fixed("SUBNET", 18, 2),
            C::fixed("ATTACHABLE", 10, 3),
            C::fixed("ID", 12, 1).wide(),
        ],
        SwarmView::Secrets | SwarmView::Configs => vec![
            C::flex("NAME", 18, 0),
            C::flex("LABELS", 14, 3),
            C::fixed("CREATED", 7, 2),
            C::fixed("UPDATED", 7, 1),
            C::flex("USED BY", 16, 0),
            C::fixed("ID", 12, 1).wide(),
        ],
        SwarmView::Projects => vec![
            C::flex("PROJECT", 18, 0),
            C::fixed("CONTAINERS", 10, 0),
            C::fixed("RUNNING", 7, 0),
        ],
        SwarmView::Describe { .. } => vec![C::fixed("FIELD", 12, 0), C::flex("VALUE", 20, 0)],
        SwarmView::Containers { .. } => vec![
            C::flex("CONTAINER", 18, 0),
            C::fixed("SERVICE", 12, 3),
            C::flex("IMAGE", 16, 4),
            C::fixed("STATE", 8, 0),
            C::flex("STATUS", 16, 1),
            C::fixed("AGE", 4, 2),
            C::fixed("ID", 12, 1).wide(),
            // Where a TrueNAS app's data is: filled by the pane from the ZFS sources.
            C::flex("DATA", 20, 1).sparse(),
        ],
    }
}

fn replica_cell(r: Replicas) -> Cell {
    let tone = if r.is_short() { Tone::Err } else { Tone::Ok };
    Cell::own(replicas_text(r), tone)
}

/// `2/3`, or for jobs `0/2 (2/2 completed)`, as `docker service ls` writes them.
pub fn replicas_text(r: Replicas) -> String {
    match r.completed {
        Some((done, total)) => format!("{}/{} ({done}/{total} completed)", r.running, r.desired),
        None => format!("{}/{}", r.running, r.desired),
    }
}

fn join(items: impl IntoIterator<Item = String>) -> SafeText {
    SafeText::trusted(items.into_iter().collect::<Vec<_>>().join(","))
}

fn labels_text(l: &[(SafeText, SafeText)]) -> SafeText {
    join(l.iter().map(|(k, v)| format!("{k}={v}")))
}

fn task_state_tone(t: &Task) -> Tone {
    match t.state.as_str() {
        "running" => Tone::Ok,
        "failed" | "rejected" | "orphaned" => Tone::Err,
        "complete" | "shutdown" | "remove" => Tone::Dim,
        _ => Tone::Warn,
    }
}

/// Containers' health by container id: one engine's, or every configured engine's
/// together (a manager's tasks run on nodes whose own engines know their health).
pub type HealthMap = std::collections::BTreeMap<String, crate::backend::swarm::model::Health>;

/// `healthy`, `starting`, `unhealthy ✗3` (checks failed in a row); empty without a
/// healthcheck, or for a container on a node whose engine labdeck does not read.
fn health_cell(health: &HealthMap, t: &Task) -> Cell {
    let Some(h) = t.container_id.as_ref().and_then(|c| health.get(c)) else {
        return Cell::own("", Tone::Dim);
    };
    let tone = match h.status.as_str() {
        "healthy" if h.failing_streak == 0 => Tone::Ok,
        "unhealthy" => Tone::Err,
        _ => Tone::Warn,
    };
    let text = match h.failing_streak {
        0 => h.status.to_string(),
        n => format!("{} ✗{n}", h.status),
    };
    Cell::own(text, tone)
}

/// A service's tasks' health, worst first: `1 unhealthy`, `2 starting`, `healthy`.
fn service_health_cell(s: &SwarmSnapshot, health: &HealthMap, svc: &Service) -> Cell {
    let (mut unhealthy, mut starting, mut healthy) = (0, 0, 0);
    for t in s.tasks_of_service(&svc.id) {
        if t.desired_state.as_str() != "running" {
            continue;
        }
        match t
            .container_id
            .as_ref()
            .and_then(|c| health.get(c))
            .map(|h| h.status.as_str())
        {
            Some("unhealthy") => unhealthy += 1,
            Some("starting") => starting += 1,
            Some("healthy") => healthy += 1,
            _ => {}
        }
    }
    match (unhealthy, starting, healthy) {
        (0, 0, 0) => Cell::own("", Tone::Dim),
        (0, 0, _) => Cell::own("healthy", Tone::Ok),
        (0, n, _) => Cell::own(format!("{n} starting"), Tone::Warn),
        (n, _, _) => Cell::own(format!("{n} unhealthy"), Tone::Err),
    }
}

fn desired_cell(t: &Task) -> Cell {
    Cell::toned(t.desired_state.clone(), Tone::Dim)
}

fn state_cell(t: &Task) -> Cell {
    Cell::toned(t.state.clone(), task_state_tone(t))
}

/// The engine's error only: its status message ("started") is in describe.
fn error_cell(t: &Task) -> Cell {
    match &t.error {
        Some(e) => Cell::toned(e.clone(), Tone::Err),
        None => Cell::own("", Tone::Dim),
    }
}

/// How the pane asks for its rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Leave out tasks that ended and are not meant to run again (history).
    pub hide_finished: bool,
}

/// Ended and not meant to run: the history `docker service ps` indents.
pub fn is_finished(t: &Task) -> bool {
    let ended = matches!(
        t.state.as_str(),
        "complete" | "shutdown" | "failed" | "rejected" | "remove" | "orphaned"
    );
    ended && t.desired_state.as_str() != "running"
}

pub fn rows(view: &SwarmView, s: &SwarmSnapshot, now: Timestamp) -> Vec<Row> {
    rows_with(view, s, now, Options::default(), &s.health)
}

pub fn rows_with(
    view: &SwarmView,
    s: &SwarmSnapshot,
    now: Timestamp,
    o: Options,
    health: &HealthMap,
) -> Vec<Row> {
    match view {
        SwarmView::Describe { kind, id, .. } => super::describe::rows(*kind, id, s, now),
        SwarmView::Stacks => s
            .stacks()
            .into_iter()
            .map(|st| Row {
                // The raw label: it is what a stack removal filters on.
                key: st.key.clone().unwrap_or_default(),
                cells: vec![
                    match &st.name {
                        Some(n) => Cell::new(n.clone()),
                        None => Cell::own("(no stack)", Tone::Dim),
                    },
                    Cell::own(st.services.to_string(), Tone::Normal),
                    replica_cell(st.replicas),
                    Cell::own(
                        st.failing_tasks.to_string(),
                        if st.failing_tasks > 0 {
                            Tone::Err
                        } else {
                            Tone::Dim
                        },
                    ),
                ],
            })
            .collect(),
        SwarmView::Services { stack } => {
            let list: Vec<&Service> = match stack {
                None => s.services.iter().collect(),
                Some(st) => s.services_in(st.as_deref()),
            };
            list.into_iter()
                .map(|svc| service_row(s, health, svc))
                .collect()
        }
        SwarmView::Tasks { service_id, .. } => s
            .tasks_of(service_id)
            .into_iter()
            .filter(|t| !(o.hide_finished && is_finished(t)))
            .map(|t| Row {
                key: t.id.clone(),
                cells: vec![
                    Cell::own(t.slot.map_or("-".into(), |n| n.to_string()), Tone::Normal),
                    Cell::own(short_id(&t.id), Tone::Dim),
                    Cell::new(s.node_name(t.node_id.as_deref())),
                    desired_cell(t),
                    state_cell(t),
                    health_cell(health, t),
                    Cell::age(t.timestamp, Tone::Dim),
                    error_cell(t),
                    Cell::own(t.container_id.as_deref().map_or("", short_id), Tone::Dim),
                    Cell::toned(t.message.clone(), Tone::Dim),
                    Cell::own(
                        t.exit_code.map_or(String::new(), |c| c.to_string()),
                        Tone::Dim,
                    ),
                ],
            })
            .collect(),
        SwarmView::NodeTasks { node_id, .. } => {
            let mut tasks: Vec<(String, &Task)> = s
                .tasks
                .iter()
                .filter(|t| t.node_id.as_deref() == Some(node_id.as_str()))
                .filter(|t| !(o.hide_finished && is_finished(t)))
                .map(|t| (task_name(s, t), t))
                .collect();
            tasks.sort_by(|a, b| {
                super::super::table::natural_cmp(&a.0, &b.0).then(b.1.timestamp.cmp(&a.1.timestamp))
            });
            tasks
                .into_iter()
                .map(|(name, t)| Row {
                    key: t.id.clone(),
                    cells: vec![
                        Cell::new(SafeText::new(&name)),
                        Cell::own(short_id(&t.id), Tone::Dim),
                        desired_cell(t),
                        state_cell(t),
                        Cell::age(t.timestamp, Tone::Dim),
                        error_cell(t),
                    ],
                })
                .collect()
        }
        SwarmView::Nodes => s
            .nodes
            .iter()
            .map(|n| Row {
                key: n.id.clone(),
                cells: vec![
                    Cell::new(n.hostname.clone()),
                    Cell::new(n.role.clone()),
                    Cell::toned(
                        n.availability.clone(),
                        if n.availability.as_str() == "active" {
                            Tone::Normal
                        } else {
                            Tone::Warn
                        },
                    ),
                    Cell::toned(
                        n.state.clone(),
                        if n.is_down() { Tone::Err } else { Tone::Ok },
                    ),
                    match (&n.reachability, n.leader) {
                        (_, true) => Cell::own("Leader", Tone::Ok),
                        (Some(r), false) => Cell::new(r.clone()),
                        (None, false) => Cell::own("", Tone::Dim),
                    },
                    Cell::new(n.engine_version.clone()),
                    Cell::toned(labels_text(&n.labels), Tone::Dim),
                    Cell::own(short_id(&n.id), Tone::Dim),
                    Cell::new(n.addr.clone()),
                ],
            })
            .collect(),
        SwarmView::Networks => s
            .networks
            .iter()
            .map(|n| Row {
                key: n.id.clone(),
                cells: vec![
                    Cell::new(n.name.clone()),
                    Cell::new(n.driver.clone()),
                    Cell::new(n.scope.clone()),
                    Cell::new(join(n.subnets.iter().map(|x| x.to_string()))),
                    Cell::own(if n.attachable { "yes" } else { "no" }, Tone::Dim),
                    Cell::own(short_id(&n.id), Tone::Dim),
                ],
            })
            .collect(),
        SwarmView::Secrets | SwarmView::Configs => {
            let secrets = matches!(view, SwarmView::Secrets);
            let list = if secrets { &s.secrets } else { &s.configs };
            list.iter()
                .map(|o| {
                    let users = if secrets {
                        s.users_of_secret(&o.id)
                    } else {
                        s.users_of_config(&o.id)
                    };
                    Row {
                        key: o.id.clone(),
                        cells: vec![
                            Cell::new(o.name.clone()),
                            Cell::toned(labels_text(&o.labels), Tone::Dim),
                            Cell::age(o.created, Tone::Dim),
                            Cell::age(o.updated, Tone::Dim),
                            if users.is_empty() {
                                Cell::own("unused", Tone::Warn)
                            } else {
                                Cell::new(join(users.iter().map(|u| u.to_string())))
                            },
                            Cell::own(short_id(&o.id), Tone::Dim),
                        ],
                    }
                })
                .collect()
        }
        SwarmView::Projects => s
            .compose_projects()
            .into_iter()
            .map(|p| Row {
                key: p
                    .name
                    .as_ref()
                    .map_or(String::new(), |n| n.as_str().to_owned()),
                cells: vec![
                    match &p.name {
                        Some(n) => Cell::new(n.clone()),
                        None => Cell::own("(no project)", Tone::Dim),
                    },
                    Cell::own(p.containers.to_string(), Tone::Normal),
                    Cell::own(
                        p.running.to_string(),
                        if p.running < p.containers {
                            Tone::Warn
                        } else {
                            Tone::Ok
                        },
                    ),
                ],
            })
            .collect(),
        SwarmView::Containers { project } => s
            .containers_in(project.as_deref())
            .into_iter()
            .map(|c| Row {
                key: c.id.clone(),
                cells: vec![
                    Cell::new(c.name.clone()),
                    Cell::new(c.compose_service.clone().unwrap_or_default()),
                    Cell::toned(c.image.clone(), Tone::Dim),
                    Cell::toned(
                        c.state.clone(),
                        if c.state.as_str() == "running" {
                            Tone::Ok
                        } else {
                            Tone::Warn
                        },
                    ),
                    Cell::age_between(
                        c.status.clone(),
                        c.status_since,
                        c.status_after.clone(),
                        Tone::Normal,
                    ),
                    Cell::age(c.created, Tone::Dim),
                    Cell::own(short_id(&c.id), Tone::Dim),
                    Cell::own("", Tone::Dim),
                ],
            })
            .collect(),
    }
}

fn service_row(s: &SwarmSnapshot, health: &HealthMap, svc: &Service) -> Row {
    let mode = match svc.mode {
        ServiceMode::Replicated(_) => "replicated",
        ServiceMode::Global => "global",
        ServiceMode::ReplicatedJob { .. } => "rep-job",
        ServiceMode::GlobalJob => "global-job",
    };
    let ports = join(
        svc.ports
            .iter()
            .map(|p| format!("{}:{}/{}", p.published, p.target, p.protocol)),
    );
    let (update, tone) = match svc.update_state.as_ref().map(SafeText::as_str) {
        None => ("".into(), Tone::Dim),
        Some(st @ ("updating" | "rollback_started")) => {
            let (done, of) = update_progress(s, svc);
            // Short, to fit the column at 80 columns: `upd 3/5`, `rollbk 1/2`.
            let verb = if st == "updating" { "upd" } else { "rollbk" };
            (format!("{verb} {done}/{of}"), Tone::Warn)
        }
        Some(st @ ("paused" | "rollback_paused")) => (st.to_string(), Tone::Err),
        Some(st) => (st.to_string(), Tone::Dim),
    };
    Row {
        key: svc.id.clone(),
        cells: vec![
            Cell::new(svc.name.clone()),
            Cell::own(mode, Tone::Dim),
            replica_cell(s.replicas(svc)),
            service_health_cell(s, health, svc),
            Cell::toned(svc.image.clone(), Tone::Dim),
            Cell::new(ports),
            Cell::own(update, tone),
            Cell::age(svc.created, Tone::Dim),
            Cell::own("", Tone::Dim),
            Cell::own(short_id(&svc.id), Tone::Dim),
            Cell::age(svc.updated, Tone::Dim),
        ],
    }
}

/// `media_plex.2`, as `docker service ps` names a task (a global task by its node).
pub fn task_name(s: &SwarmSnapshot, t: &Task) -> String {
    let service = s.service(&t.service_id).map_or_else(
        || short_id(&t.service_id).to_string(),
        |x| x.name.to_string(),
    );
    match t.slot {
        Some(n) => format!("{service}.{n}"),
        None => format!(
            "{service}.{}",
            short_id(t.node_id.as_deref().unwrap_or("-"))
        ),
    }
}

/// A rolling update's progress: tasks running since it began, of the tasks wanted.
/// Each updated task is a new one (the old is shut down), so its running state is
/// younger than the update.
pub fn update_progress(s: &SwarmSnapshot, svc: &Service) -> (u64, u64) {
    let wanted = s.replicas(svc).desired;
    let Some(started) = svc.update_started else {
        return (0, wanted);
    };
    let done = s
        .tasks_of_service(&svc.id)
        .filter(|t| t.desired_state.as_str() == "running" && t.is_running())
        .filter(|t| t.timestamp.is_some_and(|ts| ts >= started))
        .count() as u64;
    (done.min(wanted), wanted)
}

#[cfg(test)]
#[path = "rows_tests.rs"]
mod tests;
