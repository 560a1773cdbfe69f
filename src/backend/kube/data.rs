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
    /// MetalLB's address pools.
    pub address_pools: Map<super::model::AddressPoolCr>,
    /// Multus's network attachments.
    pub attachments: Map<super::model::Attachment>,
}

impl ClusterData {
    /// Whether anything but the events differs from `other`: the maps by identity (a
    /// map not written since shares its `Arc`), the rest by value. Events change most
    /// often on a real cluster, and only the events views read them.
    pub fn differs_beyond_events(&self, other: &ClusterData) -> bool {
        fn moved<T>(a: &Map<T>, b: &Map<T>) -> bool {
            !Arc::ptr_eq(a, b)
        }
        let (a, b) = (self, other);
        a.version != b.version
            || a.problem != b.problem
            || a.perms != b.perms
            || a.kinds != b.kinds
            || moved(&a.namespaces, &b.namespaces)
            || moved(&a.nodes, &b.nodes)
            || moved(&a.pods, &b.pods)
            || moved(&a.workloads, &b.workloads)
            || moved(&a.services, &b.services)
            || moved(&a.ingresses, &b.ingresses)
            || moved(&a.pvcs, &b.pvcs)
            || moved(&a.pvs, &b.pvs)
            || moved(&a.classes, &b.classes)
            || moved(&a.flux, &b.flux)
            || moved(&a.vms, &b.vms)
            || moved(&a.vmis, &b.vmis)
            || moved(&a.hosted, &b.hosted)
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind's objects are `Eq`, so comparing two publications compares a map not
    /// written since by its pointer (std's `Arc` does for `Eq` contents), not object by
    /// object: otherwise each event at 10,000 pods would compare every pod. This fails
    /// to build if a kind loses `Eq`.
    #[test]
    fn every_kind_compares_an_unchanged_map_by_its_pointer() {
        fn by_pointer<T: Eq>(_: &Map<T>) {}
        let d = ClusterData::default();
        by_pointer(&d.namespaces);
        by_pointer(&d.nodes);
        by_pointer(&d.pods);
        by_pointer(&d.workloads);
        by_pointer(&d.services);
        by_pointer(&d.ingresses);
        by_pointer(&d.pvcs);
        by_pointer(&d.pvs);
        by_pointer(&d.classes);
        by_pointer(&d.events);
        by_pointer(&d.flux);
        by_pointer(&d.vms);
        by_pointer(&d.vmis);
        by_pointer(&d.hosted);
        by_pointer(&d.address_pools);
        by_pointer(&d.attachments);
    }

    #[test]
    fn only_a_change_beyond_the_events_counts_as_one() {
        let a = super::super::sample::homelab();
        let mut events_only = a.clone();
        Arc::make_mut(&mut events_only.events).clear();
        assert!(!a.differs_beyond_events(&events_only));
        assert!(
            !a.differs_beyond_events(&a.clone()),
            "a copy shares every map"
        );
        let mut pods = a.clone();
        let key = pods.pods.keys().next().unwrap().clone();
        Arc::make_mut(&mut pods.pods).remove(&key);
        assert!(a.differs_beyond_events(&pods));
        let mut state = a.clone();
        state.kinds.insert(Kind::Pods, KindState::Listing);
        assert!(a.differs_beyond_events(&state));
    }
}
