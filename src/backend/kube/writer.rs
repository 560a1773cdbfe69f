//! The one way to change a cluster. A `KubeWriter` is made only from a `&Writer`
//! (which read-only start-up never has) and a connection the config does not mark
//! read-only; every write goes through the kube client, its values as JSON, never
//! through a shell.
//!
//! Without a `Writer` it cannot be made:
//! ```compile_fail
//! # fn f(c: &labdeck::backend::kube::conn::Conn) {
//! let w = labdeck::backend::kube::writer::KubeWriter::new(c);
//! # }
//! ```
//! ```compile_fail
//! # fn f(c: &labdeck::backend::kube::conn::Conn) {
//! let w = labdeck::backend::kube::writer::KubeWriter { client: c.client.clone(), cluster: String::new() };
//! # }
//! ```
//! With one, it compiles:
//! ```
//! # fn f(w: &labdeck::core::access::Writer, c: &labdeck::backend::kube::conn::Conn) {
//! let w: Result<labdeck::backend::kube::writer::KubeWriter, String> =
//!     labdeck::backend::kube::writer::KubeWriter::new(w, c);
//! # }
//! ```
//! The client inside a connection cannot be reached from outside this backend:
//! ```compile_fail
//! # fn f(c: &labdeck::backend::kube::conn::Conn) {
//! let client: kube::Client = c.client.clone();
//! # }
//! ```

use super::conn::Conn;
use super::follow::reason;
use super::kinds::Kind;
use super::model::{FluxKind, WorkloadKind};
use crate::core::access::Writer;
use crate::ops::plan::{Progress, StepError};
use k8s_openapi::api::core::v1::Pod;
use kube::Client;
use kube::api::{
    Api, ApiResource, DeleteParams, DynamicObject, EvictParams, ListParams, Patch, PatchParams,
};
use serde_json::{Value, json};

/// Set by kubectl when it restarts a rollout.
pub const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";
/// Set by the flux CLI to ask for a reconcile now.
pub const REQUESTED_AT: &str = "reconcile.fluxcd.io/requestedAt";
/// A static pod's mirror carries this: the kubelet owns it, eviction does nothing.
pub const MIRROR: &str = "kubernetes.io/config.mirror";

pub struct KubeWriter {
    client: Client,
    /// The connection: its name and the custom kinds discovery found.
    conn: Conn,
}

/// What a drain did: pods evicted, and pods the server would not let go (with its
/// reason: a PodDisruptionBudget's 429).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Drained {
    pub evicted: Vec<String>,
    pub refused: Vec<(String, String)>,
    /// DaemonSet and mirror pods, left where they are.
    pub kept: usize,
}

type Result<T> = std::result::Result<T, StepError>;

impl KubeWriter {
    /// A writer for `conn`'s cluster; refused for a context config.toml marks
    /// read-only.
    pub fn new(_w: &Writer, conn: &Conn) -> std::result::Result<KubeWriter, String> {
        if conn.read_only {
            return Err(format!(
                "{} is read-only in config.toml: nothing is changed there",
                conn.name
            ));
        }
        Ok(KubeWriter {
            client: conn.client.clone(),
            conn: conn.clone(),
        })
    }

    /// The client, for the other write paths of this backend (exec).
    pub(super) fn client(&self) -> &Client {
        &self.client
    }

    fn api(&self, ar: &ApiResource, ns: &str) -> Api<DynamicObject> {
        if ns.is_empty() {
            Api::all_with(self.client.clone(), ar)
        } else {
            Api::namespaced_with(self.client.clone(), ns, ar)
        }
    }

    fn workload(&self, kind: WorkloadKind, ns: &str) -> Result<Api<DynamicObject>> {
        let k = match kind {
            WorkloadKind::Deployment => Kind::Deployments,
            WorkloadKind::StatefulSet => Kind::StatefulSets,
            WorkloadKind::DaemonSet => Kind::DaemonSets,
            other => {
                return Err(StepError::Failed(format!(
                    "a {} cannot be scaled or restarted",
                    other.name()
                )));
            }
        };
        let ar = super::read::builtin(k).expect("a built-in kind");
        Ok(self.api(&ar, ns))
    }

    /// Set a deployment's or statefulset's replicas through its scale subresource.
    pub async fn scale(&self, kind: WorkloadKind, ns: &str, name: &str, n: u32) -> Result<()> {
        if !kind.scalable() {
            return Err(StepError::Failed(format!(
                "a {} has no replica count",
                kind.name()
            )));
        }
        let patch = json!({"spec": {"replicas": n}});
        self.workload(kind, ns)?
            .patch_scale(name, &PatchParams::default(), &Patch::Merge(&patch))
            .await
            .map_err(failed)?;
        Ok(())
    }

    /// `kubectl rollout restart`: a new pod template annotation, so the controller
    /// replaces every pod as its strategy says.
    pub async fn restart(&self, kind: WorkloadKind, ns: &str, name: &str) -> Result<()> {
        let now = jiff::Timestamp::now()
            .round(jiff::Unit::Second)
            .unwrap_or_else(|_| jiff::Timestamp::now());
        let patch = json!({"spec": {"template": {"metadata": {"annotations": {
            RESTARTED_AT: now.to_string()
        }}}}});
        self.workload(kind, ns)?
            .patch(name, &PatchParams::default(), &Patch::Strategic(&patch))
            .await
            .map_err(failed)?;
        Ok(())
    }

    pub async fn delete_pod(&self, ns: &str, name: &str) -> Result<()> {
        let api: Api<Pod> = Api::namespaced(self.client.clone(), ns);
        api.delete(name, &DeleteParams::default())
            .await
            .map_err(failed)?;
        Ok(())
    }

    /// Cordon (`true`) or uncordon a node: `spec.unschedulable`.
    pub async fn set_unschedulable(&self, node: &str, on: bool) -> Result<()> {
        let ar = super::read::builtin(Kind::Nodes).expect("a built-in kind");
        let patch = json!({"spec": {"unschedulable": on}});
        self.api(&ar, "")
            .patch(node, &PatchParams::default(), &Patch::Merge(&patch))
            .await
            .map_err(failed)?;
        Ok(())
    }

    /// `kubectl drain`: cordon, then evict every pod on the node but DaemonSet and
    /// mirror pods. A pod a PodDisruptionBudget protects is refused (429) and left;
    /// the others still go.
    pub async fn drain(&self, node: &str, progress: &Progress) -> Result<Drained> {
        self.set_unschedulable(node, true).await?;
        progress(format!("{node} cordoned; listing its pods"));
        let all: Api<Pod> = Api::all(self.client.clone());
        let on_node = ListParams::default().fields(&format!("spec.nodeName={node}"));
        let pods = all.list(&on_node).await.map_err(failed)?;
        let mut out = Drained::default();
        for pod in pods.items {
            let m = &pod.metadata;
            let (Some(ns), Some(name)) = (m.namespace.clone(), m.name.clone()) else {
                continue;
            };
            let daemon = m
                .owner_references
                .iter()
                .flatten()
                .any(|o| o.kind == "DaemonSet");
            let mirror = m
                .annotations
                .as_ref()
                .is_some_and(|a| a.contains_key(MIRROR));
            if daemon || mirror {
                out.kept += 1;
                continue;
            }
            let at = format!("{ns}/{name}");
            progress(format!("evicting {at}"));
            let api: Api<Pod> = Api::namespaced(self.client.clone(), &ns);
            match api.evict(&name, &EvictParams::default()).await {
                Ok(_) => out.evicted.push(at),
                // Gone already: nothing left to move.
                Err(kube::Error::Api(s)) if s.code == 404 => out.evicted.push(at),
                Err(kube::Error::Api(s)) if s.code == 429 || s.code == 403 => {
                    out.refused.push((at, server_words(&s)));
                }
                Err(e) => return Err(failed(e)),
            }
        }
        Ok(out)
    }

    /// Flux: suspend (`true`) or resume a HelmRelease or Kustomization, as `flux
    /// suspend|resume` does (`spec.suspend`; a resume also asks for a reconcile now).
    pub async fn flux_suspend(
        &self,
        kind: FluxKind,
        ns: &str,
        name: &str,
        suspend: bool,
    ) -> Result<()> {
        let patch = if suspend {
            json!({"spec": {"suspend": true}})
        } else {
            json!({"spec": {"suspend": false},
                   "metadata": {"annotations": {REQUESTED_AT: now_nanos()}}})
        };
        self.flux_patch(kind, ns, name, patch).await
    }

    /// `flux reconcile`: the request annotation, set to now.
    pub async fn flux_reconcile(&self, kind: FluxKind, ns: &str, name: &str) -> Result<()> {
        let patch = json!({"metadata": {"annotations": {REQUESTED_AT: now_nanos()}}});
        self.flux_patch(kind, ns, name, patch).await
    }

    async fn flux_patch(&self, kind: FluxKind, ns: &str, name: &str, patch: Value) -> Result<()> {
        let k = match kind {
            FluxKind::HelmRelease => Kind::HelmReleases,
            FluxKind::Kustomization => Kind::Kustomizations,
            other => {
                return Err(StepError::Failed(format!(
                    "labdeck suspends and reconciles HelmReleases and Kustomizations, not a {}",
                    other.name()
                )));
            }
        };
        let ar = self.custom(k)?;
        self.api(&ar, ns)
            .patch(name, &PatchParams::default(), &Patch::Merge(&patch))
            .await
            .map_err(failed)?;
        Ok(())
    }

    fn custom(&self, kind: Kind) -> Result<ApiResource> {
        self.conn.resource(kind).ok_or_else(|| {
            StepError::Failed(format!(
                "{} are not served on {}",
                kind.plural(),
                self.conn.name
            ))
        })
    }
}

/// RFC 3339 with nanoseconds, as the flux CLI stamps its requests.
fn now_nanos() -> String {
    jiff::Timestamp::now().to_string()
}

/// The server's message, with its causes (a budget's "needs 2 healthy pods and has 2").
fn server_words(s: &kube::core::Status) -> String {
    let causes: Vec<&str> = s
        .details
        .iter()
        .flat_map(|d| d.causes.iter())
        .map(|c| c.message.as_str())
        .filter(|m| !m.is_empty())
        .collect();
    if causes.is_empty() {
        s.message.clone()
    } else {
        format!("{} ({})", s.message, causes.join("; "))
    }
}

/// A write's error: refused by the server (403, 429: nothing changed), failed, or
/// unknown when the connection broke with the request under way.
fn failed(e: kube::Error) -> StepError {
    match &e {
        kube::Error::Api(s) if s.code == 403 || s.code == 429 => {
            StepError::Refused(server_words(s))
        }
        kube::Error::Api(s) => StepError::Failed(format!("{} ({})", server_words(s), s.code)),
        other => StepError::Unknown(reason(other)),
    }
}
