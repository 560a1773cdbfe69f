//! The Nodes pane's rows: a machine each (roles, health, address, capacity, versions,
//! pools), and what runs on one machine (Swarm tasks, Kubernetes pods, its links).

use super::pane::NodesPane;
use super::view::NodesView;
use crate::app::table::{Cell, Column, Row, Tone};
use crate::backend::kube::model::Node as KubeNode;
use crate::backend::kube::quantity;
use crate::backend::probe::Reach;
use crate::core::text::SafeText;
use crate::lab::nodes::Machine;
use std::net::SocketAddr;

pub fn columns(view: &NodesView) -> Vec<Column> {
    use Column as C;
    match view {
        NodesView::Hosts => vec![
            C::flex("HOST", 12, 0),
            C::flex("ROLES", 18, 0),
            C::flex("HEALTH", 12, 0),
            C::fixed("ADDRESS", 15, 2),
            C::fixed("CPU", 4, 3),
            C::fixed("MEM", 9, 3),
            C::flex("POOLS", 14, 1),
            C::flex("VERSION", 12, 4),
            C::flex("ALLOCATABLE", 16, 5).wide(),
            C::flex("ROLE", 20, 5).wide(),
        ],
        NodesView::Storage => vec![
            C::flex("DATASET", 20, 0),
            C::fixed("POOL", 14, 0),
            C::flex("WORKLOAD", 24, 0),
            C::flex("VIA", 20, 1),
            C::fixed("HOST", 8, 2),
        ],
        NodesView::Host { .. } => vec![
            C::fixed("KIND", 5, 0),
            C::fixed("WHERE", 10, 0),
            C::flex("NAME", 24, 0),
            C::flex("STATE", 14, 0),
            C::flex("DETAIL", 20, 1),
        ],
    }
}

pub fn rows(p: &NodesPane, view: &NodesView) -> Vec<Row> {
    match view {
        NodesView::Hosts => p.machines.iter().map(|m| machine_row(p, m)).collect(),
        NodesView::Host { name } => p
            .machines
            .iter()
            .find(|m| &m.name == name)
            .map(|m| on_machine(p, m))
            .unwrap_or_default(),
        NodesView::Storage => p
            .storage
            .iter()
            .enumerate()
            .map(|(i, u)| storage_row(i, u))
            .collect(),
    }
}

/// A dataset and a workload whose data is in it; a degraded pool and SQLite on NFS said.
fn storage_row(i: usize, u: &crate::lab::storage::Use) -> Row {
    let (pool, tone) = match u.degraded() {
        true => (format!("{} {}", u.pool(), u.pool_health), Tone::Err),
        false => (u.pool().to_string(), Tone::Dim),
    };
    let via = match u.sqlite_on_nfs {
        true => format!("{} · SQLite on NFS", u.via),
        false => u.via.clone(),
    };
    Row {
        key: format!("{i}/{}", u.dataset),
        cells: vec![
            Cell::new(text(&u.dataset)),
            Cell::toned(text(&pool), tone),
            Cell::new(text(&u.workload.label())),
            Cell::toned(
                text(&via),
                if u.sqlite_on_nfs {
                    Tone::Warn
                } else {
                    Tone::Dim
                },
            ),
            Cell::toned(text(&u.host), Tone::Dim),
        ],
    }
}

fn text(s: &str) -> SafeText {
    SafeText::new(s)
}

/// `swarm:manager★ homelab:control-plane`, or `outside`.
pub fn roles(m: &Machine) -> String {
    let mut out = Vec::new();
    if let Some((_, n)) = &m.swarm {
        let star = if n.leader { "★" } else { "" };
        out.push(format!("swarm:{}{star}", n.role));
    }
    for (cluster, n) in &m.kube {
        let role = if n.roles.iter().any(|r| {
            let r = r.as_str();
            r == "control-plane" || r == "master"
        }) {
            "control-plane"
        } else {
            "worker"
        };
        out.push(format!("{cluster}:{role}"));
    }
    if out.is_empty() {
        out.push("outside".into());
    }
    out.join(" ")
}

/// The machine's worst news, and its tone: down, drained, not ready, cordoned,
/// under pressure, unreachable; else `ok`.
pub fn health(p: &NodesPane, m: &Machine) -> (String, Tone) {
    let mut worst: Vec<(String, Tone)> = Vec::new();
    if let Some((_, n)) = &m.swarm {
        if n.is_down() {
            worst.push((format!("swarm {}", n.state), Tone::Err));
        } else if n.availability.as_str() != "active" {
            worst.push((format!("swarm {}", n.availability), Tone::Warn));
        }
    }
    for (cluster, n) in &m.kube {
        match n.ready {
            Some(true) => {}
            Some(false) => worst.push((format!("{cluster} NotReady"), Tone::Err)),
            None => worst.push((format!("{cluster} Unknown"), Tone::Warn)),
        }
        if n.cordoned {
            worst.push((format!("{cluster} cordoned"), Tone::Warn));
        }
        for c in &n.pressure {
            worst.push((format!("{cluster} {c}"), Tone::Warn));
        }
    }
    let reach = reach_of(p, m);
    if !reach.is_empty() && reach.iter().all(|r| matches!(r, Reach::Down(_))) {
        worst.push(("unreachable".into(), Tone::Err));
    }
    for pool in pools_of(p, m) {
        if pool.1 != "ONLINE" {
            worst.push((format!("pool {} {}", pool.0, pool.1), Tone::Err));
        }
    }
    worst.sort_by_key(|(_, t)| match t {
        Tone::Err => 0,
        Tone::Warn => 1,
        _ => 2,
    });
    match worst.first() {
        None => ("ok".into(), Tone::Ok),
        Some((w, t)) if worst.len() == 1 => (w.clone(), *t),
        Some((w, t)) => (format!("{w} +{}", worst.len() - 1), *t),
    }
}

/// The probes of the machine's inventory addresses.
fn reach_of(p: &NodesPane, m: &Machine) -> Vec<Reach> {
    let Some(h) = &m.inventory else {
        return Vec::new();
    };
    let Some(port) = p.inventory.probe_port(h) else {
        return Vec::new();
    };
    h.addresses
        .iter()
        .filter_map(|a| p.reach.get(&SocketAddr::new(a.ip, port)).cloned())
        .filter(|r| *r != Reach::Unknown)
        .collect()
}

/// Its pools (name, health): from the ZFS source the inventory names, or this
/// machine's own (a source with no command prefix).
fn pools_of(p: &NodesPane, m: &Machine) -> Vec<(String, String)> {
    let named = m.inventory.as_ref().and_then(|h| h.zfs.as_deref());
    p.zfs
        .iter()
        .filter(|z| match named {
            Some(n) => z.name == n,
            None => m.here && z.spec.prefix.is_empty(),
        })
        .filter_map(|z| z.data.as_ref())
        .flat_map(|s| s.pools.iter())
        .map(|pool| {
            (
                pool.name.as_str().to_string(),
                pool.health.as_str().to_string(),
            )
        })
        .collect()
}

fn machine_row(p: &NodesPane, m: &Machine) -> Row {
    let (health, tone) = health(p, m);
    let addrs = m.addresses();
    let address = match addrs.len() {
        0 => "-".to_string(),
        1 => addrs[0].to_string(),
        n => format!("{} +{}", addrs[0], n - 1),
    };
    // Capacity: this machine's own, else what Kubernetes or Swarm says of it.
    let kube = m.kube.first().map(|(_, n)| n);
    let swarm = m.swarm.as_ref().map(|(_, n)| n);
    let (cpu, mem) = if m.here && p.here.cpus > 0 {
        (
            p.here.cpus.to_string(),
            Cell::bytes(p.here.memory, Tone::Normal),
        )
    } else if let Some(n) = kube {
        (cores(&n.cpu.0), memory(&n.memory.0))
    } else if let Some(n) = swarm {
        (n.cpus.to_string(), Cell::bytes(n.memory, Tone::Normal))
    } else {
        ("-".into(), Cell::own("-", Tone::Dim))
    };
    let versions: Vec<String> = swarm
        .map(|n| format!("docker {}", n.engine_version))
        .into_iter()
        .chain(kube.map(|n| n.version.as_str().to_string()))
        .collect();
    let pools: Vec<String> = pools_of(p, m)
        .into_iter()
        .map(|(n, h)| if h == "ONLINE" { n } else { format!("{n} {h}") })
        .collect();
    let name = if m.here {
        format!("{} (here)", m.name)
    } else {
        m.name.clone()
    };
    let role = m.inventory.as_ref().map_or("", |h| h.role.as_str());
    Row {
        key: m.name.clone(),
        cells: vec![
            Cell::new(text(&name)),
            Cell::toned(
                text(&roles(m)),
                if m.outside() { Tone::Dim } else { Tone::Normal },
            ),
            Cell::toned(text(&health), tone),
            Cell::own(address, Tone::Dim),
            Cell::own(cpu, Tone::Normal),
            mem,
            Cell::new(text(&pools.join(" "))),
            Cell::toned(text(&versions.join(" · ")), Tone::Dim),
            Cell::own(kube.map(allocatable).unwrap_or_default(), Tone::Dim),
            Cell::toned(text(role), Tone::Dim),
        ],
    }
}

/// A Kubernetes CPU quantity as cores (`4`, `3.8`); the text itself if it is none.
fn cores(q: &SafeText) -> String {
    match quantity::millis(q.as_str()) {
        Some(m) if m % 1000 == 0 => (m / 1000).to_string(),
        Some(m) => format!("{:.1}", m as f64 / 1000.0),
        None => q.as_str().to_string(),
    }
}

/// A Kubernetes memory quantity in bytes, sorted by them; the text itself if it is none.
fn memory(q: &SafeText) -> Cell {
    match quantity::whole(q.as_str()) {
        Some(b) => Cell::bytes(b, Tone::Normal),
        None => Cell::new(q.clone()),
    }
}

/// What Kubernetes may schedule on a node: its CPU and memory less what the system
/// keeps (`3.8 cpu 14.9 GiB`).
fn allocatable(n: &KubeNode) -> String {
    let mem = quantity::whole(n.memory.1.as_str()).map_or_else(
        || n.memory.1.as_str().to_string(),
        crate::core::stats::bytes,
    );
    format!("{} cpu {mem}", cores(&n.cpu.1))
}

/// What runs on `m`: its Swarm tasks, its pods in each cluster, and (this machine)
/// its links.
fn on_machine(p: &NodesPane, m: &Machine) -> Vec<Row> {
    let mut out = Vec::new();
    if let Some((engine, node)) = &m.swarm
        && let Some(snap) = p
            .engines
            .iter()
            .find(|e| &e.name == engine)
            .and_then(|e| e.data.as_ref())
    {
        for t in snap
            .tasks
            .iter()
            .filter(|t| t.node_id.as_deref() == Some(&node.id))
        {
            if t.desired_state.as_str() != "running" {
                continue;
            }
            let service = snap
                .services
                .iter()
                .find(|s| s.id == t.service_id)
                .map_or_else(|| t.service_id.clone(), |s| s.name.as_str().to_string());
            let name = match t.slot {
                Some(slot) => format!("{service}.{slot}"),
                None => service,
            };
            let tone = if t.is_running() {
                Tone::Ok
            } else if t.is_failing() {
                Tone::Err
            } else {
                Tone::Warn
            };
            out.push(Row {
                key: format!("task/{}", t.id),
                cells: vec![
                    Cell::own("task", Tone::Dim),
                    Cell::new(text(engine)),
                    Cell::new(text(&name)),
                    Cell::toned(t.state.clone(), tone),
                    Cell::toned(
                        t.error.clone().unwrap_or_else(|| t.message.clone()),
                        Tone::Dim,
                    ),
                ],
            });
        }
    }
    for (cluster, node) in &m.kube {
        let Some(data) = p
            .clusters
            .iter()
            .find(|c| &c.name == cluster)
            .and_then(|c| c.data.as_ref())
        else {
            continue;
        };
        for pod in data.pods.values().filter(|pod| pod.node == node.name) {
            use crate::backend::kube::model::PodHealth;
            let tone = match pod.health {
                PodHealth::Running | PodHealth::Done => Tone::Ok,
                PodHealth::Waiting => Tone::Warn,
                PodHealth::Failing => Tone::Err,
            };
            out.push(Row {
                key: format!("pod/{cluster}/{}/{}", pod.at.ns, pod.at.name),
                cells: vec![
                    Cell::own("pod", Tone::Dim),
                    Cell::new(text(cluster)),
                    Cell::new(text(&format!("{}/{}", pod.at.ns, pod.at.name))),
                    Cell::toned(pod.status.clone(), tone),
                    Cell::own(
                        format!(
                            "{}/{} ready, {} restarts",
                            pod.ready, pod.total, pod.restarts
                        ),
                        Tone::Dim,
                    ),
                ],
            });
        }
    }
    if m.here {
        for l in &p.here.links {
            let addrs: Vec<String> = l
                .addresses
                .iter()
                .filter(
                    |a| !matches!(a.addr(), std::net::IpAddr::V6(v6) if v6.segments()[0] == 0xfe80),
                )
                .map(ToString::to_string)
                .collect();
            let (state, tone) = match (l.admin_up, l.carries()) {
                (true, true) => ("up", Tone::Ok),
                (true, false) => ("down", Tone::Err),
                (false, _) => ("off", Tone::Dim),
            };
            out.push(Row {
                key: format!("link/{}", l.name),
                cells: vec![
                    Cell::own("link", Tone::Dim),
                    Cell::new(text(&l.kind.word())),
                    Cell::new(text(&l.name)),
                    Cell::own(state, tone),
                    Cell::new(text(&addrs.join(" "))),
                ],
            });
        }
    }
    out
}
