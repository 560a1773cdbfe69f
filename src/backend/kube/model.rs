//! What labdeck keeps of a cluster: a compact model converted at the door from the API
//! objects (no managed fields, no last-applied annotations, no Secret data), with every
//! string from the cluster made `SafeText`. Views read only this.

use crate::core::text::SafeText;
use crate::core::time::Timestamp;

/// Where an object is: its namespace (empty for cluster-scoped kinds) and name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjRef {
    pub ns: SafeText,
    pub name: SafeText,
}

impl ObjRef {
    pub fn new(ns: Option<&str>, name: Option<&str>) -> ObjRef {
        ObjRef {
            ns: SafeText::opt(ns),
            name: SafeText::opt(name),
        }
    }

    /// `ns/name`, or `name` for a cluster-scoped object: its key in its kind's map.
    pub fn key(&self) -> String {
        if self.ns.is_empty() {
            self.name.to_string()
        } else {
            format!("{}/{}", self.ns, self.name)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WorkloadKind {
    Deployment,
    StatefulSet,
    DaemonSet,
    ReplicaSet,
    Job,
    CronJob,
}

impl WorkloadKind {
    pub fn name(self) -> &'static str {
        match self {
            WorkloadKind::Deployment => "Deployment",
            WorkloadKind::StatefulSet => "StatefulSet",
            WorkloadKind::DaemonSet => "DaemonSet",
            WorkloadKind::ReplicaSet => "ReplicaSet",
            WorkloadKind::Job => "Job",
            WorkloadKind::CronJob => "CronJob",
        }
    }

    /// Scaled by the scale subresource.
    pub fn scalable(self) -> bool {
        matches!(self, WorkloadKind::Deployment | WorkloadKind::StatefulSet)
    }
}

/// Who owns an object (its controller), by kind and name in the same namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    pub kind: SafeText,
    pub name: SafeText,
}

/// A deployment, statefulset, daemonset, replicaset, job or cronjob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workload {
    pub at: ObjRef,
    pub kind: WorkloadKind,
    /// Replicas wanted (daemonsets: nodes scheduled; jobs: completions).
    pub desired: u32,
    pub ready: u32,
    pub updated: u32,
    pub available: u32,
    pub images: Vec<SafeText>,
    pub created: Option<Timestamp>,
    pub owner: Option<Owner>,
    /// Paused (deployment) or suspended (cronjob, job).
    pub paused: bool,
    /// The controller has not seen the latest spec yet.
    pub progressing: bool,
    /// Why it is not as wanted (a failed condition's message), if it says.
    pub message: Option<SafeText>,
}

impl Workload {
    /// Below what it wants (a job that finished is not; a scaled-to-0 one is not).
    pub fn short(&self) -> bool {
        match self.kind {
            WorkloadKind::Job | WorkloadKind::CronJob => false,
            _ => self.ready < self.desired,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Container {
    pub name: SafeText,
    pub image: SafeText,
    pub init: bool,
    pub ready: bool,
    pub restarts: u32,
    /// Running, Waiting: CrashLoopBackOff, Terminated: OOMKilled ...
    pub state: SafeText,
    /// When it last started running, to age its last restart.
    pub started: Option<Timestamp>,
    /// Why the previous run ended (OOMKilled, Error, exit code), if it did.
    pub last_end: Option<SafeText>,
    pub ports: Vec<u16>,
}

/// How a pod is doing, for sorting and colour: the status text says the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PodHealth {
    /// Crash loops, image pulls failing, errors, OOM kills, unknown.
    Failing,
    /// Pending, creating, terminating, running but not ready.
    Waiting,
    Running,
    /// Succeeded (Completed).
    Done,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pod {
    pub at: ObjRef,
    /// As `kubectl get pods` prints it.
    pub status: SafeText,
    pub health: PodHealth,
    pub ready: u16,
    pub total: u16,
    pub restarts: u32,
    /// When the most recently restarted container last started (the restart's age).
    pub last_restart: Option<Timestamp>,
    pub node: SafeText,
    pub ip: SafeText,
    pub created: Option<Timestamp>,
    pub owner: Option<Owner>,
    pub containers: Vec<Container>,
    pub labels: Vec<(String, String)>,
    /// The claims (PVCs in its namespace) its volumes mount: where its data is.
    pub claims: Vec<SafeText>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Node {
    pub name: SafeText,
    /// The Ready condition: None when the node does not say.
    pub ready: Option<bool>,
    pub roles: Vec<SafeText>,
    pub version: SafeText,
    pub os: SafeText,
    pub kernel: SafeText,
    pub arch: SafeText,
    pub address: SafeText,
    /// cpu, memory, pods: capacity and allocatable, as quantities.
    pub cpu: (SafeText, SafeText),
    pub memory: (SafeText, SafeText),
    pub pods: (SafeText, SafeText),
    pub taints: Vec<SafeText>,
    pub cordoned: bool,
    /// Conditions other than Ready that are true (MemoryPressure, DiskPressure ...).
    pub pressure: Vec<SafeText>,
    pub created: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Namespace {
    pub name: SafeText,
    pub phase: SafeText,
    pub created: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    pub at: ObjRef,
    pub kind: SafeText,
    pub cluster_ip: SafeText,
    pub external: Vec<SafeText>,
    /// `80/TCP`, `443:30443/TCP`.
    pub ports: Vec<SafeText>,
    pub selector: Vec<(String, String)>,
    pub created: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ingress {
    pub at: ObjRef,
    pub class: SafeText,
    pub hosts: Vec<SafeText>,
    pub address: Vec<SafeText>,
    /// `host/path -> service:port`.
    pub routes: Vec<SafeText>,
    pub created: Option<Timestamp>,
}

/// Where a volume's data lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VolumeSource {
    HostPath {
        path: SafeText,
    },
    Local {
        path: SafeText,
    },
    Nfs {
        server: SafeText,
        path: SafeText,
    },
    /// OpenEBS ZFS LocalPV (`zfs.csi.openebs.io`): the pool and the dataset.
    Zfs {
        pool: SafeText,
        dataset: SafeText,
    },
    Csi {
        driver: SafeText,
        handle: SafeText,
    },
    Other(SafeText),
}

impl VolumeSource {
    /// One line: where the data is.
    pub fn describe(&self) -> String {
        match self {
            VolumeSource::HostPath { path } => format!("hostPath {path}"),
            VolumeSource::Local { path } => format!("local {path}"),
            VolumeSource::Nfs { server, path } => format!("nfs {server}:{path}"),
            VolumeSource::Zfs { pool, dataset } => format!("zfs {pool}/{dataset}"),
            VolumeSource::Csi { driver, handle } => format!("csi {driver} {handle}"),
            VolumeSource::Other(kind) => kind.to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pvc {
    pub at: ObjRef,
    pub phase: SafeText,
    pub volume: SafeText,
    pub class: SafeText,
    pub capacity: SafeText,
    pub modes: Vec<SafeText>,
    pub created: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pv {
    pub name: SafeText,
    pub phase: SafeText,
    pub capacity: SafeText,
    pub class: SafeText,
    pub reclaim: SafeText,
    pub claim: Option<ObjRef>,
    pub source: VolumeSource,
    /// The node a local volume is pinned to, if its affinity names one.
    pub node: Option<SafeText>,
    pub created: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageClass {
    pub name: SafeText,
    pub provisioner: SafeText,
    pub default: bool,
    pub reclaim: SafeText,
    pub binding: SafeText,
    /// Parameters worth showing (OpenEBS ZFS: `poolname`, `fstype`).
    pub params: Vec<(SafeText, SafeText)>,
}

/// An event about an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub at: ObjRef,
    pub object: ObjRef,
    pub object_kind: SafeText,
    pub warning: bool,
    pub reason: SafeText,
    pub message: SafeText,
    pub count: u32,
    pub last: Option<Timestamp>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FluxKind {
    HelmRelease,
    Kustomization,
    GitRepository,
    HelmRepository,
    OciRepository,
}

impl FluxKind {
    pub fn name(self) -> &'static str {
        match self {
            FluxKind::HelmRelease => "HelmRelease",
            FluxKind::Kustomization => "Kustomization",
            FluxKind::GitRepository => "GitRepository",
            FluxKind::HelmRepository => "HelmRepository",
            FluxKind::OciRepository => "OCIRepository",
        }
    }
}

/// A Flux object: its Ready condition, whether it is suspended, what it last applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flux {
    pub at: ObjRef,
    pub kind: FluxKind,
    pub ready: Option<bool>,
    pub suspended: bool,
    pub revision: SafeText,
    pub message: SafeText,
    pub changed: Option<Timestamp>,
}

/// A KubeVirt VirtualMachine (with its instance's facts when it runs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vm {
    pub at: ObjRef,
    pub status: SafeText,
    pub running: bool,
    pub ready: bool,
    pub node: SafeText,
    pub created: Option<Timestamp>,
}

/// A k0smotron hosted control plane (`Cluster` on the management cluster).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hosted {
    pub at: ObjRef,
    pub version: SafeText,
    pub replicas: u32,
    pub ready: bool,
    pub endpoint: SafeText,
    pub created: Option<Timestamp>,
}

/// A MetalLB `IPAddressPool`: the ranges it hands to LoadBalancer services.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressPoolCr {
    pub at: ObjRef,
    /// As written: `192.168.8.51-192.168.8.79`, `192.168.8.64/27`.
    pub addresses: Vec<SafeText>,
}

/// A Multus `NetworkAttachmentDefinition`: a pod network on a host link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub at: ObjRef,
    /// The CNI plugin (`bridge`, `macvlan`, `ipvlan`).
    pub plugin: SafeText,
    /// The host link it sits on: a bridge's name or a macvlan's master.
    pub link: Option<SafeText>,
    /// A VLAN id the plugin tags with, when it says one.
    pub vlan: Option<u16>,
    /// The IPAM subnet, when it says one.
    pub subnet: Option<SafeText>,
}
