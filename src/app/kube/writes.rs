//! Kubernetes writes from the pane: a dialog that says exactly what will happen, then
//! a plan for the shell to run. A write the cluster's RBAC forbids (the access reviews
//! said so) is not offered: its key says why. Marked rows are acted on together.
//! (Read-only refusal is the shell's, before this is reached.)

use super::pane::{Cluster, ID, KubePane};
use super::verbs::KubeVerb;
use super::view::KubeView;
use crate::app::effect::Effect;
use crate::app::shell::{FlashLevel, InputKind, Shell};
use crate::app::sources::{self, KEY_SEP};
use crate::app::task::PlanId;
use crate::backend::kube::model::{FluxKind, WorkloadKind};
use crate::backend::kube::ops::{KubeOp, KubeStep};
use crate::core::action::Action;
use crate::core::text::SafeText;
use crate::ops::plan::{Outcome, Plan, Step};
use std::sync::Arc;

/// The prompt's purpose for a scale count: `scale`, the cluster, the workload's key
/// (`Deployment/ns/name`) and its count now, apart by `KEY_SEP`.
const SCALE: &str = "scale";

/// Rows marked in one view, to unmark once the plan acting on them succeeds.
#[derive(Debug, Clone, PartialEq)]
pub struct Marks {
    pub view: KubeView,
    pub source: Option<String>,
    pub keys: Vec<String>,
}

/// Which write a verb is, in the view on screen, for the row `key` of `cluster`:
/// the op, or why the row cannot take it. `to` is the count a scale asks for.
pub fn op_for(
    c: &Cluster,
    view: &KubeView,
    key: &str,
    verb: KubeVerb,
    to: Option<u32>,
) -> Result<KubeOp, String> {
    let d = &c.data;
    let name = verb.verb().name;
    match (verb, view) {
        (KubeVerb::Scale | KubeVerb::Restart, KubeView::Workloads) => {
            let w = d
                .workloads
                .get(key)
                .ok_or_else(|| format!("{name}: the workload is gone"))?;
            let (ns, n) = (w.at.ns.to_string(), w.at.name.to_string());
            if verb == KubeVerb::Scale {
                if !w.kind.scalable() {
                    return Err(format!(
                        "a {} has no replica count: only deployments and statefulsets scale",
                        w.kind.name()
                    ));
                }
                Ok(KubeOp::Scale {
                    kind: w.kind,
                    ns,
                    name: n,
                    from: w.desired,
                    to: to.unwrap_or(w.desired),
                })
            } else {
                let restartable = matches!(
                    w.kind,
                    WorkloadKind::Deployment | WorkloadKind::StatefulSet | WorkloadKind::DaemonSet
                );
                if !restartable {
                    return Err(format!(
                        "a {} has no rollout: restart deployments, statefulsets and daemonsets",
                        w.kind.name()
                    ));
                }
                Ok(KubeOp::Restart {
                    kind: w.kind,
                    ns,
                    name: n,
                })
            }
        }
        (KubeVerb::DeletePod, KubeView::Pods(_) | KubeView::Containers { .. }) => {
            let at = match view {
                KubeView::Containers { pod } => pod.as_str(),
                _ => key,
            };
            let p = d
                .pods
                .get(at)
                .ok_or_else(|| "delete-pod: the pod is gone".to_string())?;
            Ok(KubeOp::DeletePod {
                ns: p.at.ns.to_string(),
                name: p.at.name.to_string(),
                owner: p.owner.as_ref().map(|o| format!("{} {}", o.kind, o.name)),
            })
        }
        (KubeVerb::Cordon | KubeVerb::Uncordon | KubeVerb::Drain, KubeView::Nodes) => {
            let n = d
                .nodes
                .get(key)
                .ok_or_else(|| format!("{name}: the node is gone"))?;
            let node = n.name.to_string();
            match verb {
                KubeVerb::Cordon if n.cordoned => Err(format!("{node} is already cordoned")),
                KubeVerb::Cordon => Ok(KubeOp::Cordon { node }),
                KubeVerb::Uncordon if !n.cordoned => Err(format!("{node} is not cordoned")),
                KubeVerb::Uncordon => Ok(KubeOp::Uncordon { node }),
                _ => {
                    let pods = d
                        .pods
                        .values()
                        .filter(|p| p.node.as_str() == node)
                        .filter(|p| {
                            // DaemonSet pods stay; a static pod's mirror is the Node's.
                            !p.owner
                                .as_ref()
                                .is_some_and(|o| matches!(o.kind.as_str(), "DaemonSet" | "Node"))
                        })
                        .count();
                    Ok(KubeOp::Drain { node, pods })
                }
            }
        }
        (KubeVerb::Suspend | KubeVerb::Resume | KubeVerb::Reconcile, KubeView::Flux) => {
            let f = d
                .flux
                .get(key)
                .ok_or_else(|| format!("{name}: the object is gone"))?;
            if !matches!(f.kind, FluxKind::HelmRelease | FluxKind::Kustomization) {
                return Err(format!(
                    "{name}: HelmReleases and Kustomizations only (this is a {})",
                    f.kind.name()
                ));
            }
            let (kind, ns, n) = (f.kind, f.at.ns.to_string(), f.at.name.to_string());
            match verb {
                KubeVerb::Suspend if f.suspended => Err(format!("{ns}/{n} is already suspended")),
                KubeVerb::Suspend => Ok(KubeOp::Suspend { kind, ns, name: n }),
                KubeVerb::Resume if !f.suspended => Err(format!("{ns}/{n} is not suspended")),
                KubeVerb::Resume => Ok(KubeOp::Resume { kind, ns, name: n }),
                _ => Ok(KubeOp::Reconcile { kind, ns, name: n }),
            }
        }
        _ => Err(format!("{name}: {}", where_(verb))),
    }
}

/// Where a verb works, for the flash when pressed elsewhere.
fn where_(verb: KubeVerb) -> &'static str {
    match verb {
        KubeVerb::Scale | KubeVerb::Restart => "select a workload (workloads view)",
        KubeVerb::DeletePod => "select a pod",
        KubeVerb::Cordon | KubeVerb::Uncordon | KubeVerb::Drain => {
            "select a node (kube-nodes view)"
        }
        _ => "select a HelmRelease or Kustomization (flux view)",
    }
}

/// Why the cluster's RBAC forbids `op`, as the access reviews answered.
pub fn forbidden(c: &Cluster, op: &KubeOp) -> Option<String> {
    let perms = c.data.perms.as_ref()?;
    op.perms()
        .into_iter()
        .find_map(|p| perms.denied(p, op.namespace()))
}

pub fn start(p: &mut KubePane, shell: &mut Shell, action: Action) {
    let Some(verb) = (match action {
        Action::Verb(v) => KubeVerb::of(v),
        _ => None,
    }) else {
        return;
    };
    let level = p.level();
    let view = level.view.clone();
    let marked: Vec<String> = level.table.marked().iter().map(|k| k.to_string()).collect();
    let targets: Vec<(String, String)> = if marked.is_empty() {
        match p.selected() {
            Some(t) => vec![t],
            None => return,
        }
    } else {
        if verb == KubeVerb::Scale {
            shell.flash(
                FlashLevel::Info,
                "scale acts on one row: marks are for the other writes (esc unmarks)",
            );
            return;
        }
        let only = p.clusters.first().map_or("", |c| c.spec.name.as_str());
        marked
            .iter()
            .map(|k| sources::split_key(level.source.as_deref(), k, only))
            .collect()
    };
    let marks = (!marked.is_empty()).then(|| Marks {
        view: view.clone(),
        source: level.source.clone(),
        keys: marked,
    });
    let mut steps: Vec<Arc<dyn Step>> = Vec::new();
    for (cluster, key) in targets {
        let Some(c) = p.cluster(&cluster) else {
            continue;
        };
        let op = match op_for(c, &view, &key, verb, None) {
            Ok(op) => op,
            Err(why) => {
                shell.flash(FlashLevel::Info, why);
                return;
            }
        };
        if let Some(why) = forbidden(c, &op) {
            shell.flash(FlashLevel::Warn, format!("not allowed on {cluster}: {why}"));
            return;
        }
        let Some(conn) = c.conn.clone() else {
            shell.flash(FlashLevel::Warn, format!("{cluster}: not connected yet"));
            return;
        };
        if let KubeOp::Scale { from, .. } = &op {
            let purpose = [SCALE, &cluster, &key, &from.to_string()].join(&KEY_SEP.to_string());
            let prompt = SafeText::new(&format!(
                "scale {} (now {from}) to: ",
                key.split_once('/').map_or(key.as_str(), |(_, at)| at)
            ));
            shell.prompt(InputKind::Prompt { purpose, prompt }, &from.to_string());
            return;
        }
        steps.push(Arc::new(KubeStep { conn, op }));
    }
    if steps.is_empty() {
        shell.flash(FlashLevel::Info, "the marked rows are gone");
        return;
    }
    p.offer(shell, Plan::of(steps), marks);
}

/// The scale prompt was answered. `Err` keeps the prompt open and says why.
pub fn submit(
    p: &mut KubePane,
    shell: &mut Shell,
    purpose: &str,
    value: &str,
) -> Result<Vec<Effect>, String> {
    let mut parts = purpose.splitn(4, KEY_SEP);
    if parts.next() != Some(SCALE) {
        return Ok(vec![]);
    }
    let (Some(cluster), Some(key), Some(from)) = (parts.next(), parts.next(), parts.next()) else {
        return Ok(vec![]);
    };
    let from: u32 = from.parse().unwrap_or(0);
    let to = match value.trim().parse::<u32>() {
        Ok(n) if n <= 1000 => n,
        _ => return Err(format!("not a replica count (0-1000): {value:?}")),
    };
    let at = key.split_once('/').map_or(key, |(_, at)| at);
    if to == from {
        shell.flash(
            FlashLevel::Info,
            format!("{at} already wants {to} replicas"),
        );
        return Ok(vec![]);
    }
    let Some(c) = p.cluster(cluster) else {
        return Ok(vec![]);
    };
    let op = op_for(c, &KubeView::Workloads, key, KubeVerb::Scale, Some(to)).map(|op| match op {
        // From the count the prompt showed, which is what the user answered.
        KubeOp::Scale {
            kind, ns, name, to, ..
        } => KubeOp::Scale {
            kind,
            ns,
            name,
            from,
            to,
        },
        other => other,
    });
    let op = match op {
        Ok(op) => op,
        Err(why) => {
            shell.flash(FlashLevel::Info, why);
            return Ok(vec![]);
        }
    };
    let Some(conn) = c.conn.clone() else {
        shell.flash(FlashLevel::Warn, format!("{cluster}: not connected yet"));
        return Ok(vec![]);
    };
    p.offer(shell, Plan::one(KubeStep { conn, op }), None);
    Ok(vec![])
}

impl KubePane {
    /// Ask the shell to confirm `plan`; its marks are dropped only if it is applied
    /// and succeeds.
    fn offer(&mut self, shell: &mut Shell, plan: Plan, marks: Option<Marks>) {
        self.offered = Some((plan.clone(), marks));
        shell.confirm(ID, plan);
    }

    pub(super) fn started(&mut self, id: PlanId, plan: &Plan) {
        if let Some((offered, marks)) = self.offered.take()
            && offered == *plan
            && let Some(m) = marks
        {
            self.pending.insert(id, m);
        }
    }

    pub(super) fn ended(&mut self, id: PlanId, result: &Outcome) {
        let Some(m) = self.pending.remove(&id) else {
            return;
        };
        if result.is_err() {
            return;
        }
        for level in self.levels.iter_mut() {
            if level.view == m.view && level.source == m.source {
                level.table.unmark(&m.keys);
            }
        }
    }

    /// Why the selected row's cluster forbids `action` there, if it does.
    pub fn denied_here(&self, action: Action) -> Option<String> {
        let Action::Verb(v) = action else {
            return None;
        };
        let verb = KubeVerb::of(v)?;
        if verb == KubeVerb::PortForward {
            let (cluster, key) = self.selected()?;
            let ns = match &self.level().view {
                super::view::KubeView::Containers { pod } => pod.split_once('/')?.0.to_string(),
                _ => key.split_once('/')?.0.to_string(),
            };
            return super::forwards::denied(self, &cluster, &ns);
        }
        if verb == KubeVerb::Exec {
            // Only what RBAC says: the rest is said when the key is pressed.
            return super::exec::target(self)
                .err()
                .filter(|why| why.starts_with("not allowed"));
        }
        let (cluster, key) = self.selected()?;
        let c = self.cluster(&cluster)?;
        let op = op_for(c, &self.level().view, &key, verb, Some(1)).ok()?;
        forbidden(c, &op).map(|why| format!("not allowed on {cluster}: {why}"))
    }
}
