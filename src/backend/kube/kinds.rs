//! The kinds labdeck watches, and how each is doing on one cluster.

use crate::core::text::SafeText;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Namespaces,
    Nodes,
    Pods,
    Deployments,
    StatefulSets,
    DaemonSets,
    ReplicaSets,
    Jobs,
    CronJobs,
    Services,
    Ingresses,
    Pvcs,
    Pvs,
    StorageClasses,
    Events,
    HelmReleases,
    Kustomizations,
    GitRepositories,
    HelmRepositories,
    OciRepositories,
    VirtualMachines,
    VirtualMachineInstances,
    HostedClusters,
    /// MetalLB's `IPAddressPool`s.
    AddressPools,
    /// Multus's `NetworkAttachmentDefinition`s.
    Attachments,
}

impl Kind {
    /// The resource's plural, as RBAC and error messages name it.
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Namespaces => "namespaces",
            Kind::Nodes => "nodes",
            Kind::Pods => "pods",
            Kind::Deployments => "deployments",
            Kind::StatefulSets => "statefulsets",
            Kind::DaemonSets => "daemonsets",
            Kind::ReplicaSets => "replicasets",
            Kind::Jobs => "jobs",
            Kind::CronJobs => "cronjobs",
            Kind::Services => "services",
            Kind::Ingresses => "ingresses",
            Kind::Pvcs => "persistentvolumeclaims",
            Kind::Pvs => "persistentvolumes",
            Kind::StorageClasses => "storageclasses",
            Kind::Events => "events",
            Kind::HelmReleases => "helmreleases",
            Kind::Kustomizations => "kustomizations",
            Kind::GitRepositories => "gitrepositories",
            Kind::HelmRepositories => "helmrepositories",
            Kind::OciRepositories => "ocirepositories",
            Kind::VirtualMachines => "virtualmachines",
            Kind::VirtualMachineInstances => "virtualmachineinstances",
            Kind::HostedClusters => "clusters",
            Kind::AddressPools => "ipaddresspools",
            Kind::Attachments => "network-attachment-definitions",
        }
    }

    /// Kinds every cluster serves; the others come from discovery.
    pub const BUILTIN: [Kind; 15] = [
        Kind::Namespaces,
        Kind::Nodes,
        Kind::Pods,
        Kind::Deployments,
        Kind::StatefulSets,
        Kind::DaemonSets,
        Kind::ReplicaSets,
        Kind::Jobs,
        Kind::CronJobs,
        Kind::Services,
        Kind::Ingresses,
        Kind::Pvcs,
        Kind::Pvs,
        Kind::StorageClasses,
        Kind::Events,
    ];
}

/// How one kind is doing on one cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KindState {
    /// Its first list is under way.
    Listing,
    Live,
    /// The credentials may not read it: the view says so and the rest works.
    Forbidden(SafeText),
    /// Reading it failed (the server is down, an error): retried with backoff.
    Failed(SafeText),
}

impl KindState {
    pub fn is_listed(&self) -> bool {
        matches!(self, KindState::Live)
    }
}
