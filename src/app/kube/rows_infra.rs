//! Rows for the cluster's infrastructure views: nodes, storage, Flux, events,
//! services, ingresses, virtual machines, hosted control planes and the clusters.

use super::rows::{Namespaces, in_ns};
use super::view::KubeView;
use crate::app::table::{Cell, Column, Row, Tone};
use crate::backend::kube::data::ClusterData;
use crate::backend::kube::model::*;
use crate::core::text::SafeText;

pub fn columns(view: &KubeView) -> Vec<Column> {
    use Column as C;
    match view {
        KubeView::Nodes => vec![
            C::flex("NODE", 12, 0),
            C::fixed("STATUS", 10, 0),
            C::fixed("ROLES", 13, 3),
            C::fixed("VERSION", 10, 2),
            C::fixed("PODS", 4, 1),
            C::fixed("CPU", 7, 4),
            C::fixed("MEMORY", 9, 4),
            C::fixed("OS", 16, 5).wide(),
            C::fixed("KERNEL", 12, 5).wide(),
            C::fixed("ARCH", 5, 5).wide(),
            C::flex("TAINTS", 12, 1),
            C::fixed("AGE", 4, 5),
        ],
        KubeView::Storage => vec![
            // A claim's size and where its data lives before its namespace, and that
            // before its class (WHERE says zfs or nfs already).
            C::fixed("NAMESPACE", 12, 3),
            C::flex("CLAIM", 16, 0),
            C::fixed("STATUS", 7, 0),
            C::fixed("SIZE", 6, 4),
            C::fixed("CLASS", 12, 2),
            C::flex("WHERE", 24, 0),
            C::fixed("VOLUME", 16, 1).wide(),
            C::fixed("AGE", 4, 1),
        ],
        KubeView::Flux => vec![
            // Why a release fails is what the view is for: its message goes last.
            C::fixed("NAMESPACE", 12, 3),
            C::fixed("KIND", 13, 2),
            C::flex("NAME", 16, 0),
            C::fixed("READY", 9, 0),
            C::flex("REVISION", 14, 1),
            C::flex("MESSAGE", 24, 5),
            C::fixed("SINCE", 5, 4),
        ],
        KubeView::Events { .. } => vec![
            C::fixed("LAST", 4, 0),
            C::fixed("TYPE", 7, 3),
            C::fixed("REASON", 16, 0),
            C::flex("OBJECT", 20, 2),
            C::flex("MESSAGE", 30, 0),
            C::fixed("COUNT", 5, 1),
        ],
        KubeView::Services => vec![
            C::fixed("NAMESPACE", 12, 3),
            C::flex("NAME", 16, 0),
            C::fixed("TYPE", 12, 2),
            C::fixed("CLUSTER-IP", 15, 1),
            C::fixed("EXTERNAL", 15, 0),
            C::flex("PORTS", 14, 0),
            C::fixed("AGE", 4, 4),
        ],
        KubeView::Ingresses => vec![
            C::fixed("NAMESPACE", 12, 3),
            C::flex("NAME", 16, 0),
            C::fixed("CLASS", 8, 2),
            C::flex("ROUTES", 30, 0),
            C::fixed("ADDRESS", 15, 1),
            C::fixed("AGE", 4, 4),
        ],
        KubeView::Vms => vec![
            C::fixed("NAMESPACE", 12, 3),
            C::flex("VM", 16, 0),
            C::fixed("STATUS", 12, 0),
            C::fixed("READY", 5, 0),
            C::fixed("NODE", 12, 1),
            C::fixed("AGE", 4, 4),
        ],
        KubeView::Hosted => vec![
            C::fixed("NAMESPACE", 12, 3),
            C::flex("CLUSTER", 16, 0),
            C::fixed("READY", 5, 0),
            C::fixed("REPLICAS", 8, 1),
            C::fixed("VERSION", 16, 2),
            C::fixed("ENDPOINT", 16, 1),
            C::fixed("AGE", 4, 4),
        ],
        KubeView::Clusters => vec![
            C::fixed("VERSION", 14, 2),
            C::fixed("NODES", 7, 0),
            C::fixed("PODS", 6, 1),
            C::fixed("FAILING", 7, 0),
            C::fixed("SHORT", 5, 0),
            C::fixed("FLUX", 4, 1),
            C::flex("NOTE", 20, 0),
        ],
        _ => Vec::new(),
    }
}

pub fn rows(view: &KubeView, d: &ClusterData, ns: Namespaces) -> Vec<Row> {
    match view {
        KubeView::Nodes => nodes(d),
        KubeView::Storage => storage(d, ns),
        KubeView::Flux => flux(d, ns),
        KubeView::Events { about } => events(d, ns, about.as_ref()),
        KubeView::Services => services(d, ns),
        KubeView::Ingresses => ingresses(d, ns),
        KubeView::Vms => vms(d, ns),
        KubeView::Hosted => hosted(d, ns),
        _ => Vec::new(),
    }
}

fn dim(s: &SafeText) -> Cell {
    Cell::toned(s.clone(), Tone::Dim)
}

fn joined(v: &[SafeText]) -> SafeText {
    let parts: Vec<&str> = v.iter().map(SafeText::as_str).collect();
    SafeText::new(&parts.join(","))
}

fn nodes(d: &ClusterData) -> Vec<Row> {
    // Pods per node in one pass over the pods, not one per node.
    let mut on: std::collections::HashMap<&str, usize> = Default::default();
    for p in d.pods.values() {
        *on.entry(p.node.as_str()).or_default() += 1;
    }
    d.nodes
        .iter()
        .map(|(key, n)| {
            let pods = on.get(n.name.as_str()).copied().unwrap_or(0);
            let (word, tone, bad) = match n.ready {
                // Cordoned: ready, but nothing new lands there.
                Some(true) if n.pressure.is_empty() && !n.cordoned => ("Ready", Tone::Ok, 0),
                Some(true) => ("Ready", Tone::Warn, 1),
                Some(false) => ("NotReady", Tone::Err, 2),
                None => ("Unknown", Tone::Err, 2),
            };
            let status = if n.cordoned {
                format!("{word},Cordoned")
            } else {
                word.to_string()
            };
            Row {
                key: key.clone(),
                cells: vec![
                    Cell::new(n.name.clone()),
                    Cell::own(status, tone).ordered(bad),
                    dim(&joined(&n.roles)),
                    dim(&n.version),
                    Cell::own(pods.to_string(), Tone::Normal).ordered(pods as u64),
                    dim(&n.cpu.1),
                    dim(&n.memory.1),
                    dim(&n.os),
                    dim(&n.kernel),
                    dim(&n.arch),
                    dim(&joined(&n.taints)),
                    Cell::age(n.created, Tone::Dim),
                ],
            }
        })
        .collect()
}

/// Each claim, followed to its volume and where the data lives.
fn storage(d: &ClusterData, ns: Namespaces) -> Vec<Row> {
    d.pvcs
        .iter()
        .filter(|(_, c)| in_ns(ns, &c.at))
        .map(|(key, c)| {
            let pv = d.pvs.get(c.volume.as_str());
            let place = pv.map_or_else(
                || "-".to_string(),
                |v| match &v.node {
                    Some(n) => format!("{} on {n}", v.source.describe()),
                    None => v.source.describe(),
                },
            );
            let tone = match c.phase.as_str() {
                "Bound" => Tone::Ok,
                "Pending" => Tone::Warn,
                _ => Tone::Err,
            };
            Row {
                key: key.clone(),
                cells: vec![
                    dim(&c.at.ns),
                    Cell::new(c.at.name.clone()),
                    Cell::toned(c.phase.clone(), tone),
                    dim(&c.capacity),
                    dim(&c.class),
                    Cell::new(SafeText::new(&place)),
                    dim(&c.volume),
                    Cell::age(c.created, Tone::Dim),
                ],
            }
        })
        .collect()
}

/// Not ready first, then suspended, then the rest: what needs a look is on top.
fn flux(d: &ClusterData, ns: Namespaces) -> Vec<Row> {
    let mut items: Vec<(&String, &Flux)> =
        d.flux.iter().filter(|(_, f)| in_ns(ns, &f.at)).collect();
    let rank = |f: &Flux| match (f.suspended, f.ready) {
        (false, Some(false)) => 0,
        (false, None) => 1,
        (true, _) => 2,
        (false, Some(true)) => 3,
    };
    items.sort_by_key(|(k, f)| (rank(f), (*k).clone()));
    items
        .into_iter()
        .map(|(key, f)| {
            let (word, tone) = match (f.suspended, f.ready) {
                (true, _) => ("Suspended", Tone::Warn),
                (false, Some(true)) => ("True", Tone::Ok),
                (false, Some(false)) => ("False", Tone::Err),
                (false, None) => ("Unknown", Tone::Warn),
            };
            let msg_tone = if f.ready == Some(false) {
                Tone::Err
            } else {
                Tone::Dim
            };
            Row {
                key: key.clone(),
                cells: vec![
                    dim(&f.at.ns),
                    Cell::own(f.kind.name(), Tone::Dim),
                    Cell::new(f.at.name.clone()),
                    Cell::own(word, tone).ordered(3 - rank(f)),
                    dim(&f.revision),
                    Cell::toned(f.message.clone(), msg_tone),
                    Cell::age(f.changed, Tone::Dim),
                ],
            }
        })
        .collect()
}

/// Newest first: warnings of every namespace, or everything about one object.
fn events(d: &ClusterData, ns: Namespaces, about: Option<&(String, String)>) -> Vec<Row> {
    let mut items: Vec<(&String, &Event)> = d
        .events
        .iter()
        .filter(|(_, e)| in_ns(ns, &e.at))
        .filter(|(_, e)| match about {
            None => e.warning,
            Some((kind, at)) => e.object_kind.as_str() == kind && e.object.key() == *at,
        })
        .collect();
    items.sort_by(|a, b| b.1.last.cmp(&a.1.last).then_with(|| a.0.cmp(b.0)));
    items
        .into_iter()
        .map(|(key, e)| {
            let tone = if e.warning { Tone::Warn } else { Tone::Dim };
            let object = format!("{}/{}", e.object_kind, e.object.key());
            Row {
                key: key.clone(),
                cells: vec![
                    Cell::age(e.last, Tone::Dim),
                    Cell::own(if e.warning { "Warning" } else { "Normal" }, tone),
                    Cell::toned(e.reason.clone(), tone),
                    dim(&SafeText::new(&object)),
                    Cell::new(e.message.clone()),
                    Cell::own(e.count.to_string(), Tone::Dim).ordered(e.count.into()),
                ],
            }
        })
        .collect()
}

fn services(d: &ClusterData, ns: Namespaces) -> Vec<Row> {
    d.services
        .iter()
        .filter(|(_, s)| in_ns(ns, &s.at))
        .map(|(key, s)| Row {
            key: key.clone(),
            cells: vec![
                dim(&s.at.ns),
                Cell::new(s.at.name.clone()),
                dim(&s.kind),
                dim(&s.cluster_ip),
                Cell::new(joined(&s.external)),
                Cell::new(joined(&s.ports)),
                Cell::age(s.created, Tone::Dim),
            ],
        })
        .collect()
}

fn ingresses(d: &ClusterData, ns: Namespaces) -> Vec<Row> {
    d.ingresses
        .iter()
        .filter(|(_, i)| in_ns(ns, &i.at))
        .map(|(key, i)| Row {
            key: key.clone(),
            cells: vec![
                dim(&i.at.ns),
                Cell::new(i.at.name.clone()),
                dim(&i.class),
                Cell::new(joined(&i.routes)),
                dim(&joined(&i.address)),
                Cell::age(i.created, Tone::Dim),
            ],
        })
        .collect()
}

/// Virtual machines, with the node their running instance is on.
fn vms(d: &ClusterData, ns: Namespaces) -> Vec<Row> {
    d.vms
        .iter()
        .filter(|(_, v)| in_ns(ns, &v.at))
        .map(|(key, v)| {
            let node = d.vmis.get(key).map_or(v.node.clone(), |i| i.node.clone());
            let tone = match (v.running, v.ready) {
                (true, true) => Tone::Ok,
                (true, false) => Tone::Warn,
                (false, _) if v.status.as_str() == "Stopped" => Tone::Dim,
                _ => Tone::Err,
            };
            Row {
                key: key.clone(),
                cells: vec![
                    dim(&v.at.ns),
                    Cell::new(v.at.name.clone()),
                    Cell::toned(v.status.clone(), tone),
                    Cell::own(if v.ready { "yes" } else { "no" }, tone),
                    dim(&node),
                    Cell::age(v.created, Tone::Dim),
                ],
            }
        })
        .collect()
}

fn hosted(d: &ClusterData, ns: Namespaces) -> Vec<Row> {
    d.hosted
        .iter()
        .filter(|(_, h)| in_ns(ns, &h.at))
        .map(|(key, h)| {
            let tone = if h.ready { Tone::Ok } else { Tone::Err };
            Row {
                key: key.clone(),
                cells: vec![
                    dim(&h.at.ns),
                    Cell::new(h.at.name.clone()),
                    Cell::own(if h.ready { "yes" } else { "no" }, tone),
                    Cell::own(h.replicas.to_string(), Tone::Normal),
                    dim(&h.version),
                    dim(&h.endpoint),
                    Cell::age(h.created, Tone::Dim),
                ],
            }
        })
        .collect()
}
