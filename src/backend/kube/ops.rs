//! Writes to a cluster as plan steps: what each says before it runs, how bad it is to
//! get wrong, and how it runs (through a `KubeWriter`, which needs the `Writer`).

use super::access::Perm;
use super::conn::Conn;
use super::kinds::Kind;
use super::model::{FluxKind, WorkloadKind};
use super::writer::KubeWriter;
use crate::core::access::Writer;
use crate::ops::plan::{Check, Danger, Outcome, Progress, Step, StepError, Target, TargetKind};
use futures::future::BoxFuture;
use kube::api::{Api, DynamicObject};
use serde_json::Value;

/// A write the user asked for. Names are `ns`, `name` apart; nodes have no namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KubeOp {
    Scale {
        kind: WorkloadKind,
        ns: String,
        name: String,
        from: u32,
        to: u32,
    },
    Restart {
        kind: WorkloadKind,
        ns: String,
        name: String,
    },
    DeletePod {
        ns: String,
        name: String,
        /// Its controller (`ReplicaSet x`), which makes a new one; `None`: gone for good.
        owner: Option<String>,
    },
    Cordon {
        node: String,
    },
    Uncordon {
        node: String,
    },
    Drain {
        node: String,
        /// Pods to evict, as the data showed them when asked.
        pods: usize,
    },
    Suspend {
        kind: FluxKind,
        ns: String,
        name: String,
    },
    Resume {
        kind: FluxKind,
        ns: String,
        name: String,
    },
    Reconcile {
        kind: FluxKind,
        ns: String,
        name: String,
    },
}

fn lower(kind: WorkloadKind) -> String {
    kind.name().to_ascii_lowercase()
}

impl KubeOp {
    /// Exactly what will happen, one sentence.
    pub fn describe(&self) -> String {
        match self {
            KubeOp::Scale {
                kind,
                ns,
                name,
                from,
                to,
            } => format!(
                "scale {} {ns}/{name} from {from} to {to} replicas{}",
                lower(*kind),
                if *to == 0 { ": every pod stops" } else { "" }
            ),
            KubeOp::Restart { kind, ns, name } => format!(
                "restart {} {ns}/{name}: every pod is replaced, as its rollout strategy says",
                lower(*kind)
            ),
            KubeOp::DeletePod { ns, name, owner } => match owner {
                Some(o) => format!("delete pod {ns}/{name}: its {o} starts a new one"),
                None => format!("delete pod {ns}/{name}: nothing owns it, so it is gone for good"),
            },
            KubeOp::Cordon { node } => {
                format!("cordon node {node}: no new pods go there; its pods keep running")
            }
            KubeOp::Uncordon { node } => format!("uncordon node {node}: it takes new pods again"),
            KubeOp::Drain { node, pods } => format!(
                "drain node {node}: cordon, then evict {pods} pod{} (DaemonSet pods stay)",
                if *pods == 1 { "" } else { "s" }
            ),
            KubeOp::Suspend { kind, ns, name } => format!(
                "suspend {} {ns}/{name}: Flux stops reconciling it until it is resumed",
                kind.name()
            ),
            KubeOp::Resume { kind, ns, name } => format!(
                "resume {} {ns}/{name}: Flux reconciles it again, starting now",
                kind.name()
            ),
            KubeOp::Reconcile { kind, ns, name } => {
                format!("reconcile {} {ns}/{name} now", kind.name())
            }
        }
    }

    pub fn danger(&self) -> Danger {
        match self {
            KubeOp::Scale { to: 0, .. }
            | KubeOp::Restart { .. }
            | KubeOp::Drain { .. }
            | KubeOp::DeletePod { .. } => Danger::Disruptive,
            _ => Danger::Reversible,
        }
    }

    /// The permissions it needs (all of them).
    pub fn perms(&self) -> Vec<Perm> {
        let workload = |k: &WorkloadKind, scale: bool| match (k, scale) {
            (WorkloadKind::Deployment, true) => Some(Perm::ScaleDeployments),
            (WorkloadKind::StatefulSet, true) => Some(Perm::ScaleStatefulSets),
            (WorkloadKind::Deployment, false) => Some(Perm::PatchDeployments),
            (WorkloadKind::StatefulSet, false) => Some(Perm::PatchStatefulSets),
            (WorkloadKind::DaemonSet, false) => Some(Perm::PatchDaemonSets),
            _ => None,
        };
        let flux = |k: &FluxKind| match k {
            FluxKind::HelmRelease => Some(Perm::PatchHelmReleases),
            FluxKind::Kustomization => Some(Perm::PatchKustomizations),
            _ => None,
        };
        match self {
            KubeOp::Scale { kind, .. } => workload(kind, true).into_iter().collect(),
            KubeOp::Restart { kind, .. } => workload(kind, false).into_iter().collect(),
            KubeOp::DeletePod { .. } => vec![Perm::DeletePods],
            KubeOp::Cordon { .. } | KubeOp::Uncordon { .. } => vec![Perm::PatchNodes],
            KubeOp::Drain { .. } => vec![Perm::PatchNodes, Perm::EvictPods],
            KubeOp::Suspend { kind, .. }
            | KubeOp::Resume { kind, .. }
            | KubeOp::Reconcile { kind, .. } => flux(kind).into_iter().collect(),
        }
    }

    /// The namespace it acts in (`""` for nodes).
    pub fn namespace(&self) -> &str {
        match self {
            KubeOp::Scale { ns, .. }
            | KubeOp::Restart { ns, .. }
            | KubeOp::DeletePod { ns, .. }
            | KubeOp::Suspend { ns, .. }
            | KubeOp::Resume { ns, .. }
            | KubeOp::Reconcile { ns, .. } => ns,
            _ => "",
        }
    }
}

/// A Kubernetes write as a plan step: which cluster, and what to do there.
#[derive(Debug, Clone)]
pub struct KubeStep {
    pub conn: Conn,
    pub op: KubeOp,
}

impl PartialEq for KubeStep {
    fn eq(&self, other: &KubeStep) -> bool {
        self.conn == other.conn && self.op == other.op
    }
}

impl KubeStep {
    async fn run(&self, w: &KubeWriter, progress: &Progress) -> Outcome {
        match &self.op {
            KubeOp::Scale {
                kind, ns, name, to, ..
            } => {
                w.scale(*kind, ns, name, *to).await?;
                Ok(format!("scaled {ns}/{name} to {to}"))
            }
            KubeOp::Restart { kind, ns, name } => {
                w.restart(*kind, ns, name).await?;
                Ok(format!("restarting {} {ns}/{name}", lower(*kind)))
            }
            KubeOp::DeletePod { ns, name, .. } => {
                w.delete_pod(ns, name).await?;
                Ok(format!("deleted pod {ns}/{name}"))
            }
            KubeOp::Cordon { node } => {
                w.set_unschedulable(node, true).await?;
                Ok(format!("cordoned {node}"))
            }
            KubeOp::Uncordon { node } => {
                w.set_unschedulable(node, false).await?;
                Ok(format!("uncordoned {node}"))
            }
            KubeOp::Drain { node, .. } => {
                let d = w.drain(node, progress).await?;
                let n = d.evicted.len();
                if d.refused.is_empty() {
                    return Ok(format!(
                        "drained {node}: {n} pod{} evicted, {} DaemonSet/mirror pod{} stay",
                        if n == 1 { "" } else { "s" },
                        d.kept,
                        if d.kept == 1 { "" } else { "s" }
                    ));
                }
                let refused: Vec<String> = d
                    .refused
                    .iter()
                    .map(|(pod, why)| format!("{pod}: {why}"))
                    .collect();
                Err(StepError::Refused(format!(
                    "drain {node}: cordoned, {n} pod{} evicted; refused: {}",
                    if n == 1 { "" } else { "s" },
                    refused.join("; ")
                )))
            }
            KubeOp::Suspend { kind, ns, name } => {
                w.flux_suspend(*kind, ns, name, true).await?;
                Ok(format!("suspended {} {ns}/{name}", kind.name()))
            }
            KubeOp::Resume { kind, ns, name } => {
                w.flux_suspend(*kind, ns, name, false).await?;
                Ok(format!("resumed {} {ns}/{name}", kind.name()))
            }
            KubeOp::Reconcile { kind, ns, name } => {
                w.flux_reconcile(*kind, ns, name).await?;
                Ok(format!(
                    "reconcile of {} {ns}/{name} requested",
                    kind.name()
                ))
            }
        }
    }

    /// The object as the server has it now, for `check` (a read).
    async fn current(&self, kind: Kind, ns: &str, name: &str) -> Result<Option<Value>, String> {
        let ar = self
            .conn
            .resource(kind)
            .ok_or_else(|| format!("{} are not served here", kind.plural()))?;
        let api: Api<DynamicObject> = if ns.is_empty() {
            Api::all_with(self.conn.client.clone(), &ar)
        } else {
            Api::namespaced_with(self.conn.client.clone(), ns, &ar)
        };
        match api.get_opt(name).await {
            Ok(o) => Ok(o.map(|o| serde_json::to_value(o).unwrap_or_default())),
            Err(e) => Err(super::follow::reason(&e)),
        }
    }
}

impl Step for KubeStep {
    fn describe(&self) -> String {
        self.op.describe()
    }

    fn danger(&self) -> Danger {
        self.op.danger()
    }

    fn target(&self) -> Target {
        Target {
            kind: TargetKind::Context,
            name: self.conn.name.clone(),
            address: self.conn.server.clone(),
        }
    }

    fn apply<'a>(&'a self, writer: &'a Writer, progress: Progress) -> BoxFuture<'a, Outcome> {
        Box::pin(async move {
            let w = KubeWriter::new(writer, &self.conn).map_err(StepError::Refused)?;
            let done = self.run(&w, &progress).await;
            tracing::info!(cluster = %self.conn.name, op = ?self.op, result = ?done, "kube write");
            done
        })
    }

    /// Scale, cordon, uncordon, suspend and resume say whether the object is already
    /// so (one read); the others are one-off requests, always to do.
    fn check(&self) -> BoxFuture<'_, Result<Check, String>> {
        Box::pin(async move {
            let (kind, ns, name, pointer, wanted) = match &self.op {
                KubeOp::Scale {
                    kind, ns, name, to, ..
                } => {
                    let k = if *kind == WorkloadKind::Deployment {
                        Kind::Deployments
                    } else {
                        Kind::StatefulSets
                    };
                    (
                        k,
                        ns.as_str(),
                        name.as_str(),
                        "/spec/replicas",
                        Value::from(*to),
                    )
                }
                KubeOp::Cordon { node } => (
                    Kind::Nodes,
                    "",
                    node.as_str(),
                    "/spec/unschedulable",
                    Value::Bool(true),
                ),
                KubeOp::Uncordon { node } => (
                    Kind::Nodes,
                    "",
                    node.as_str(),
                    "/spec/unschedulable",
                    Value::Bool(false),
                ),
                KubeOp::Suspend { kind, ns, name } | KubeOp::Resume { kind, ns, name } => {
                    let k = if *kind == FluxKind::HelmRelease {
                        Kind::HelmReleases
                    } else {
                        Kind::Kustomizations
                    };
                    let on = matches!(self.op, KubeOp::Suspend { .. });
                    (
                        k,
                        ns.as_str(),
                        name.as_str(),
                        "/spec/suspend",
                        Value::Bool(on),
                    )
                }
                _ => return Ok(Check::Create),
            };
            let Some(obj) = self.current(kind, ns, name).await? else {
                let at = if ns.is_empty() {
                    name.to_string()
                } else {
                    format!("{ns}/{name}")
                };
                return Ok(Check::Blocked(format!("{at} is gone")));
            };
            // An absent boolean is false; absent replicas are 1.
            let now = obj.pointer(pointer).cloned().unwrap_or(match wanted {
                Value::Bool(_) => Value::Bool(false),
                _ => Value::from(1),
            });
            Ok(if now == wanted {
                Check::Unchanged
            } else {
                let field = pointer.rsplit('/').next().unwrap_or(pointer);
                Check::Update(vec![format!("{field}: {now} → {wanted}")])
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scale(to: u32) -> KubeOp {
        KubeOp::Scale {
            kind: WorkloadKind::Deployment,
            ns: "media".into(),
            name: "immich-server".into(),
            from: 2,
            to,
        }
    }

    #[test]
    fn each_write_says_what_happens_and_how_bad_it_is() {
        assert_eq!(
            scale(3).describe(),
            "scale deployment media/immich-server from 2 to 3 replicas"
        );
        assert_eq!(scale(3).danger(), Danger::Reversible);
        assert_eq!(scale(0).danger(), Danger::Disruptive, "scale to 0 stops it");
        let drain = KubeOp::Drain {
            node: "w2".into(),
            pods: 5,
        };
        assert_eq!(
            drain.describe(),
            "drain node w2: cordon, then evict 5 pods (DaemonSet pods stay)"
        );
        assert_eq!(drain.danger(), Danger::Disruptive);
        assert_eq!(drain.perms(), [Perm::PatchNodes, Perm::EvictPods]);
        let cordon = KubeOp::Cordon { node: "w2".into() };
        assert_eq!(cordon.danger(), Danger::Reversible);
        let suspend = KubeOp::Suspend {
            kind: FluxKind::HelmRelease,
            ns: "flux-system".into(),
            name: "podinfo".into(),
        };
        assert_eq!(suspend.danger(), Danger::Reversible);
        assert_eq!(suspend.perms(), [Perm::PatchHelmReleases]);
        let delete = KubeOp::DeletePod {
            ns: "media".into(),
            name: "immich-0".into(),
            owner: Some("StatefulSet immich".into()),
        };
        assert_eq!(delete.danger(), Danger::Disruptive);
        assert!(
            delete
                .describe()
                .contains("its StatefulSet immich starts a new one")
        );
    }
}
