//! Rows for the workload views (workloads, pods, containers), built from a cluster's
//! data when it arrives. The infrastructure views are in `rows_infra`.

use super::view::{KubeView, PodScope};
use crate::app::table::{Cell, Column, Row, Tone};
use crate::backend::kube::data::ClusterData;
use crate::backend::kube::model::*;
use crate::core::text::SafeText;

/// Which namespaces are shown (all when empty).
pub type Namespaces<'a> = &'a [String];

pub fn columns(view: &KubeView) -> Vec<Column> {
    use Column as C;
    match view {
        KubeView::Workloads => vec![
            C::fixed("NAMESPACE", 12, 3),
            C::fixed("KIND", 11, 4),
            C::flex("NAME", 20, 0),
            C::fixed("READY", 7, 0),
            // What runs (the image's tag) says more than the rollout counts, which
            // READY sums up.
            C::fixed("UP-TO-DATE", 10, 1),
            C::fixed("AVAILABLE", 9, 1),
            C::flex("IMAGES", 20, 2),
            C::fixed("AGE", 4, 5),
            // Where its data is, when on a ZFS dataset (`storage::annotate`).
            C::flex("DATA", 20, 1).sparse(),
        ],
        KubeView::Pods(_) => vec![
            C::fixed("NAMESPACE", 12, 3),
            C::flex("NAME", 24, 0),
            C::fixed("READY", 5, 0),
            C::fixed("STATUS", 16, 0),
            C::fixed("RESTARTS", 12, 4),
            C::fixed("NODE", 10, 2),
            C::fixed("IP", 15, 1),
            C::fixed("AGE", 4, 5),
            C::flex("DATA", 20, 1).sparse(),
        ],
        KubeView::Containers { .. } => vec![
            C::flex("CONTAINER", 14, 0),
            C::flex("IMAGE", 20, 2),
            C::fixed("READY", 5, 0),
            C::fixed("STATE", 24, 0),
            C::fixed("RESTARTS", 8, 3),
            C::fixed("LAST END", 18, 1),
            C::fixed("PORTS", 10, 1),
        ],
        KubeView::Forwards => super::forwards::columns(),
        other => super::rows_infra::columns(other),
    }
}

pub fn rows(view: &KubeView, d: &ClusterData, ns: Namespaces) -> Vec<Row> {
    match view {
        KubeView::Workloads => workloads(d, ns),
        KubeView::Pods(scope) => pods(d, ns, scope),
        KubeView::Containers { pod } => containers(d, pod),
        other => super::rows_infra::rows(other, d, ns),
    }
}

/// Shown under the namespace choice: an empty choice shows all.
pub fn in_ns(ns: Namespaces, at: &ObjRef) -> bool {
    ns.is_empty() || at.ns.is_empty() || ns.iter().any(|n| n == at.ns.as_str())
}

fn text(s: &SafeText) -> Cell {
    Cell::new(s.clone())
}

fn dim(s: &SafeText) -> Cell {
    Cell::toned(s.clone(), Tone::Dim)
}

/// `x/y`, sorted by how many are missing (most first), toned by how bad.
fn ready_cell(ready: u32, desired: u32, paused: bool) -> Cell {
    let missing = desired.saturating_sub(ready);
    let tone = match (paused, missing, ready) {
        (true, _, _) => Tone::Dim,
        (_, 0, _) => Tone::Ok,
        (_, _, 0) => Tone::Err,
        _ => Tone::Warn,
    };
    Cell::own(format!("{ready}/{desired}"), tone).ordered(u64::from(missing))
}

fn workloads(d: &ClusterData, ns: Namespaces) -> Vec<Row> {
    d.workloads
        .iter()
        // A deployment's replicasets are its history: shown under it, not beside it.
        .filter(|(_, w)| !(w.kind == WorkloadKind::ReplicaSet && w.owner.is_some()))
        .filter(|(_, w)| in_ns(ns, &w.at))
        .map(|(key, w)| {
            let jobish = matches!(w.kind, WorkloadKind::Job | WorkloadKind::CronJob);
            let ready = if w.kind == WorkloadKind::CronJob {
                let word = if w.paused { "suspended" } else { "scheduled" };
                Cell::own(word, Tone::Dim)
            } else if jobish {
                let tone = if w.message.is_some() {
                    Tone::Err
                } else {
                    Tone::Ok
                };
                Cell::own(format!("{}/{}", w.ready, w.desired), tone)
            } else {
                ready_cell(w.ready, w.desired, w.paused)
            };
            let images: Vec<&str> = w.images.iter().map(SafeText::as_str).collect();
            Row {
                key: key.clone(),
                cells: vec![
                    dim(&w.at.ns),
                    Cell::own(w.kind.name(), Tone::Dim),
                    text(&w.at.name),
                    ready,
                    Cell::own(w.updated.to_string(), Tone::Normal).ordered(w.updated.into()),
                    Cell::own(w.available.to_string(), Tone::Normal).ordered(w.available.into()),
                    Cell::toned(SafeText::new(&images.join(",")), Tone::Dim),
                    Cell::age(w.created, Tone::Dim),
                    Cell::own("", Tone::Dim),
                ],
            }
        })
        .collect()
}

/// Is `p` one of the pods `scope` narrows to?
pub fn in_scope(d: &ClusterData, scope: &PodScope, p: &Pod) -> bool {
    match scope {
        PodScope::All => true,
        PodScope::Node(n) => p.node.as_str() == n,
        PodScope::Workload { kind, at } => {
            let Some(o) = &p.owner else { return false };
            let same_ns = |name: &str| format!("{}/{name}", p.at.ns) == *at;
            match (kind.as_str(), o.kind.as_str()) {
                ("Deployment", "ReplicaSet") => {
                    owned_by(d, "ReplicaSet", &p.at.ns, o.name.as_str(), "Deployment", at)
                }
                ("CronJob", "Job") => owned_by(d, "Job", &p.at.ns, o.name.as_str(), "CronJob", at),
                (k, ok) => k == ok && same_ns(o.name.as_str()),
            }
        }
    }
}

/// Is the `kind` object `ns/name` owned by the `owner_kind` at `owner_at`?
fn owned_by(
    d: &ClusterData,
    kind: &str,
    ns: &SafeText,
    name: &str,
    owner_kind: &str,
    owner_at: &str,
) -> bool {
    let key = format!("{kind}/{ns}/{name}");
    d.workloads
        .get(&key)
        .and_then(|w| w.owner.as_ref())
        .is_some_and(|o| o.kind.as_str() == owner_kind && format!("{ns}/{}", o.name) == owner_at)
}

fn pods(d: &ClusterData, ns: Namespaces, scope: &PodScope) -> Vec<Row> {
    d.pods
        .iter()
        .filter(|(_, p)| in_ns(ns, &p.at) && in_scope(d, scope, p))
        .map(|(key, p)| Row {
            key: key.clone(),
            cells: pod_cells(p),
        })
        .collect()
}

pub fn health_tone(h: PodHealth) -> Tone {
    match h {
        PodHealth::Failing => Tone::Err,
        PodHealth::Waiting => Tone::Warn,
        PodHealth::Running => Tone::Ok,
        PodHealth::Done => Tone::Dim,
    }
}

fn pod_cells(p: &Pod) -> Vec<Cell> {
    let rank = match p.health {
        PodHealth::Failing => 3,
        PodHealth::Waiting => 2,
        PodHealth::Running => 1,
        PodHealth::Done => 0,
    };
    let tone = health_tone(p.health);
    let ready_tone = if p.ready == p.total || p.health == PodHealth::Done {
        Tone::Normal
    } else {
        Tone::Warn
    };
    let restarts_tone = if p.restarts > 0 {
        Tone::Warn
    } else {
        Tone::Dim
    };
    let restarts = if p.restarts > 0 {
        Cell::age_between(
            SafeText::trusted(format!("{} (", p.restarts)),
            p.last_restart,
            SafeText::trusted(" ago)"),
            restarts_tone,
        )
    } else {
        Cell::own("0", restarts_tone)
    };
    vec![
        dim(&p.at.ns),
        text(&p.at.name),
        Cell::own(format!("{}/{}", p.ready, p.total), ready_tone),
        Cell::toned(p.status.clone(), tone).ordered(rank),
        restarts.ordered(u64::from(p.restarts)),
        dim(&p.node),
        dim(&p.ip),
        Cell::age(p.created, Tone::Dim),
        Cell::own("", Tone::Dim),
    ]
}

fn containers(d: &ClusterData, pod: &str) -> Vec<Row> {
    let Some(p) = d.pods.get(pod) else {
        return Vec::new();
    };
    p.containers
        .iter()
        .map(|c| {
            let tone = if c.state.as_str() == "Running" && c.ready {
                Tone::Ok
            } else if c.state.as_str().starts_with("Terminated: Completed") {
                Tone::Dim
            } else if c.state.as_str().starts_with("Running") {
                Tone::Warn
            } else {
                Tone::Err
            };
            let name = if c.init {
                SafeText::new(&format!("{} (init)", c.name))
            } else {
                c.name.clone()
            };
            let ports: Vec<String> = c.ports.iter().map(u16::to_string).collect();
            Row {
                key: c.name.to_string(),
                cells: vec![
                    Cell::new(name),
                    dim(&c.image),
                    Cell::own(if c.ready { "yes" } else { "no" }, tone),
                    Cell::toned(c.state.clone(), tone),
                    Cell::own(c.restarts.to_string(), Tone::Normal).ordered(c.restarts.into()),
                    Cell::toned(c.last_end.clone().unwrap_or_default(), Tone::Dim),
                    Cell::own(ports.join(","), Tone::Dim),
                ],
            }
        })
        .collect()
}
