//! Everything labdeck knows of one cluster, kind by kind. Each kind's map sits behind
//! an `Arc`, so a published copy costs a few pointers and a change to pods never copies
//! the nodes.

use super::kinds::{Kind, KindState};
use super::model::*;
use crate::core::text::SafeText;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Objects of one kind by key (`ns/name`; workloads and Flux objects `Kind/ns/name`).
pub type Map<T> = Arc<BTreeMap<String, T>>;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClusterData {
    /// The API server's version (`v1.33.2+k3s1`), once it answered.
    pub version: Option<SafeText>,
    /// Why the cluster cannot be reached (connecting failed, the server stopped
    /// answering), while it cannot.
    pub problem: Option<SafeText>,
    /// What the server lets these credentials change (access reviews), once asked.
    pub perms: Option<super::access::Perms>,
    /// Each watched kind's state; a kind not here is not served (a CRD absent).
    pub kinds: BTreeMap<Kind, KindState>,
    pub namespaces: Map<Namespace>,
    pub nodes: Map<Node>,
    pub pods: Map<Pod>,
    pub workloads: Map<Workload>,
    pub services: Map<Service>,
    pub ingresses: Map<Ingress>,
    pub pvcs: Map<Pvc>,
    pub pvs: Map<Pv>,
    pub classes: Map<StorageClass>,
    pub events: Map<Event>,
    pub flux: Map<Flux>,
    pub vms: Map<Vm>,
    pub vmis: Map<Vm>,
    pub hosted: Map<Hosted>,
}

impl ClusterData {
    pub fn state(&self, kind: Kind) -> Option<&KindState> {
        self.kinds.get(&kind)
    }

    /// Nodes whose Ready condition is not True.
    pub fn nodes_not_ready(&self) -> usize {
        self.nodes
            .values()
            .filter(|n| n.ready != Some(true))
            .count()
    }

    pub fn failing_pods(&self) -> impl Iterator<Item = &Pod> {
        self.pods
            .values()
            .filter(|p| p.health == PodHealth::Failing)
    }

    /// Workloads below what they want.
    pub fn short_workloads(&self) -> impl Iterator<Item = &Workload> {
        self.workloads
            .values()
            .filter(|w| w.short() && w.kind != WorkloadKind::ReplicaSet)
    }

    /// Flux objects not Ready (suspended ones are said apart, not counted).
    pub fn flux_not_ready(&self) -> impl Iterator<Item = &Flux> {
        self.flux
            .values()
            .filter(|f| !f.suspended && f.ready == Some(false))
    }
}

/// A workload's key in `ClusterData::workloads`.
pub fn workload_key(kind: WorkloadKind, at: &ObjRef) -> String {
    format!("{}/{}", kind.name(), at.key())
}

/// A Flux object's key in `ClusterData::flux`.
pub fn flux_key(kind: FluxKind, at: &ObjRef) -> String {
    format!("{}/{}", kind.name(), at.key())
}
