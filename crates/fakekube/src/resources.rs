//! The table of kinds the fake serves. Discovery, routing and the store all read
//! this one table so that what discovery advertises is exactly what is served.

/// A family of custom resources that a test can switch on or off, as a real
/// cluster has them only when the operator is installed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Crd {
    Flux,
    KubeVirt,
    K0smotron,
    /// MetalLB's address pools.
    MetalLb,
    /// Multus's network attachments.
    Multus,
}

/// A subresource as discovery lists it (`pods/log`, `deployments/scale`).
#[derive(Debug)]
pub struct SubDef {
    pub name: &'static str,
    pub kind: &'static str,
    /// Group/version of the subresource's kind when it differs from the parent's.
    pub group: Option<&'static str>,
    pub version: Option<&'static str>,
    pub verbs: &'static [&'static str],
}

#[derive(Debug)]
pub struct ResourceDef {
    pub group: &'static str,
    pub version: &'static str,
    pub plural: &'static str,
    pub singular: &'static str,
    pub kind: &'static str,
    pub namespaced: bool,
    pub short_names: &'static [&'static str],
    pub verbs: &'static [&'static str],
    pub subresources: &'static [SubDef],
    pub crd: Option<Crd>,
    /// Kinds such as access reviews are never stored: they answer a POST.
    pub stored: bool,
}

impl ResourceDef {
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    pub fn sub(&'static self, name: &str) -> Option<&'static SubDef> {
        self.subresources.iter().find(|s| s.name == name)
    }

    /// Whether the object tracks `metadata.generation` (kinds with a spec that a
    /// controller acts on do; pods, events and the like do not).
    pub fn has_generation(&self) -> bool {
        !self.group.is_empty() || matches!(self.plural, "services" | "persistentvolumeclaims")
    }

    pub fn has_status(&self) -> bool {
        self.subresources.iter().any(|s| s.name == "status")
    }
}

const ALL: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];
const RW: &[&str] = &["get", "patch", "update"];

const fn sub(name: &'static str, kind: &'static str, verbs: &'static [&'static str]) -> SubDef {
    SubDef {
        name,
        kind,
        group: None,
        version: None,
        verbs,
    }
}

const STATUS_POD: SubDef = sub("status", "Pod", RW);
const SCALE: SubDef = SubDef {
    name: "scale",
    kind: "Scale",
    group: Some("autoscaling"),
    version: Some("v1"),
    verbs: RW,
};

#[allow(clippy::too_many_arguments)]
const fn def(
    group: &'static str,
    version: &'static str,
    plural: &'static str,
    singular: &'static str,
    kind: &'static str,
    namespaced: bool,
    short_names: &'static [&'static str],
    subresources: &'static [SubDef],
    crd: Option<Crd>,
) -> ResourceDef {
    ResourceDef {
        group,
        version,
        plural,
        singular,
        kind,
        namespaced,
        short_names,
        verbs: ALL,
        subresources,
        crd,
        stored: true,
    }
}

const fn review(plural: &'static str, singular: &'static str, kind: &'static str) -> ResourceDef {
    ResourceDef {
        group: "authorization.k8s.io",
        version: "v1",
        plural,
        singular,
        kind,
        namespaced: false,
        short_names: &[],
        verbs: &["create"],
        subresources: &[],
        crd: None,
        stored: false,
    }
}

static TABLE: &[ResourceDef] = &[
    def(
        "",
        "v1",
        "namespaces",
        "namespace",
        "Namespace",
        false,
        &["ns"],
        &[
            sub("status", "Namespace", RW),
            sub("finalize", "Namespace", &["update"]),
        ],
        None,
    ),
    def(
        "",
        "v1",
        "nodes",
        "node",
        "Node",
        false,
        &["no"],
        &[
            sub("status", "Node", RW),
            sub(
                "proxy",
                "NodeProxyOptions",
                &["create", "delete", "get", "patch", "update"],
            ),
        ],
        None,
    ),
    def(
        "",
        "v1",
        "pods",
        "pod",
        "Pod",
        true,
        &["po"],
        &[
            sub("attach", "PodAttachOptions", &["create", "get"]),
            SubDef {
                name: "eviction",
                kind: "Eviction",
                group: Some("policy"),
                version: Some("v1"),
                verbs: &["create"],
            },
            sub("exec", "PodExecOptions", &["create", "get"]),
            sub("log", "Pod", &["get"]),
            sub("portforward", "PodPortForwardOptions", &["create", "get"]),
            STATUS_POD,
        ],
        None,
    ),
    def(
        "",
        "v1",
        "services",
        "service",
        "Service",
        true,
        &["svc"],
        &[sub("status", "Service", RW)],
        None,
    ),
    def(
        "",
        "v1",
        "persistentvolumeclaims",
        "persistentvolumeclaim",
        "PersistentVolumeClaim",
        true,
        &["pvc"],
        &[sub("status", "PersistentVolumeClaim", RW)],
        None,
    ),
    def(
        "",
        "v1",
        "persistentvolumes",
        "persistentvolume",
        "PersistentVolume",
        false,
        &["pv"],
        &[sub("status", "PersistentVolume", RW)],
        None,
    ),
    def(
        "",
        "v1",
        "events",
        "event",
        "Event",
        true,
        &["ev"],
        &[],
        None,
    ),
    def(
        "",
        "v1",
        "secrets",
        "secret",
        "Secret",
        true,
        &[],
        &[],
        None,
    ),
    def(
        "",
        "v1",
        "configmaps",
        "configmap",
        "ConfigMap",
        true,
        &["cm"],
        &[],
        None,
    ),
    def(
        "apps",
        "v1",
        "deployments",
        "deployment",
        "Deployment",
        true,
        &["deploy"],
        &[SCALE, sub("status", "Deployment", RW)],
        None,
    ),
    def(
        "apps",
        "v1",
        "statefulsets",
        "statefulset",
        "StatefulSet",
        true,
        &["sts"],
        &[SCALE, sub("status", "StatefulSet", RW)],
        None,
    ),
    def(
        "apps",
        "v1",
        "daemonsets",
        "daemonset",
        "DaemonSet",
        true,
        &["ds"],
        &[sub("status", "DaemonSet", RW)],
        None,
    ),
    def(
        "apps",
        "v1",
        "replicasets",
        "replicaset",
        "ReplicaSet",
        true,
        &["rs"],
        &[SCALE, sub("status", "ReplicaSet", RW)],
        None,
    ),
    def(
        "batch",
        "v1",
        "jobs",
        "job",
        "Job",
        true,
        &[],
        &[sub("status", "Job", RW)],
        None,
    ),
    def(
        "batch",
        "v1",
        "cronjobs",
        "cronjob",
        "CronJob",
        true,
        &["cj"],
        &[sub("status", "CronJob", RW)],
        None,
    ),
    def(
        "networking.k8s.io",
        "v1",
        "ingresses",
        "ingress",
        "Ingress",
        true,
        &["ing"],
        &[sub("status", "Ingress", RW)],
        None,
    ),
    def(
        "storage.k8s.io",
        "v1",
        "storageclasses",
        "storageclass",
        "StorageClass",
        false,
        &["sc"],
        &[],
        None,
    ),
    def(
        "policy",
        "v1",
        "poddisruptionbudgets",
        "poddisruptionbudget",
        "PodDisruptionBudget",
        true,
        &["pdb"],
        &[sub("status", "PodDisruptionBudget", RW)],
        None,
    ),
    review(
        "selfsubjectaccessreviews",
        "selfsubjectaccessreview",
        "SelfSubjectAccessReview",
    ),
    review(
        "selfsubjectrulesreviews",
        "selfsubjectrulesreview",
        "SelfSubjectRulesReview",
    ),
    def(
        "helm.toolkit.fluxcd.io",
        "v2",
        "helmreleases",
        "helmrelease",
        "HelmRelease",
        true,
        &["hr"],
        &[sub("status", "HelmRelease", RW)],
        Some(Crd::Flux),
    ),
    def(
        "kustomize.toolkit.fluxcd.io",
        "v1",
        "kustomizations",
        "kustomization",
        "Kustomization",
        true,
        &["ks"],
        &[sub("status", "Kustomization", RW)],
        Some(Crd::Flux),
    ),
    def(
        "source.toolkit.fluxcd.io",
        "v1",
        "gitrepositories",
        "gitrepository",
        "GitRepository",
        true,
        &["gitrepo"],
        &[sub("status", "GitRepository", RW)],
        Some(Crd::Flux),
    ),
    def(
        "source.toolkit.fluxcd.io",
        "v1",
        "helmrepositories",
        "helmrepository",
        "HelmRepository",
        true,
        &["helmrepo"],
        &[sub("status", "HelmRepository", RW)],
        Some(Crd::Flux),
    ),
    def(
        "source.toolkit.fluxcd.io",
        "v1",
        "ocirepositories",
        "ocirepository",
        "OCIRepository",
        true,
        &["ocirepo"],
        &[sub("status", "OCIRepository", RW)],
        Some(Crd::Flux),
    ),
    def(
        "source.toolkit.fluxcd.io",
        "v1beta2",
        "ocirepositories",
        "ocirepository",
        "OCIRepository",
        true,
        &["ocirepo"],
        &[sub("status", "OCIRepository", RW)],
        Some(Crd::Flux),
    ),
    def(
        "kubevirt.io",
        "v1",
        "virtualmachines",
        "virtualmachine",
        "VirtualMachine",
        true,
        &["vm", "vms"],
        &[sub("status", "VirtualMachine", RW)],
        Some(Crd::KubeVirt),
    ),
    def(
        "kubevirt.io",
        "v1",
        "virtualmachineinstances",
        "virtualmachineinstance",
        "VirtualMachineInstance",
        true,
        &["vmi", "vmis"],
        &[sub("status", "VirtualMachineInstance", RW)],
        Some(Crd::KubeVirt),
    ),
    def(
        "k0smotron.io",
        "v1beta1",
        "clusters",
        "cluster",
        "Cluster",
        true,
        &[],
        &[sub("status", "Cluster", RW)],
        Some(Crd::K0smotron),
    ),
    def(
        "metallb.io",
        "v1beta1",
        "ipaddresspools",
        "ipaddresspool",
        "IPAddressPool",
        true,
        &[],
        &[],
        Some(Crd::MetalLb),
    ),
    def(
        "k8s.cni.cncf.io",
        "v1",
        "network-attachment-definitions",
        "network-attachment-definition",
        "NetworkAttachmentDefinition",
        true,
        &["net-attach-def"],
        &[],
        Some(Crd::Multus),
    ),
];

pub fn all() -> &'static [ResourceDef] {
    TABLE
}

/// The resource at a URL's group/version/plural, if the kind is served.
pub fn by_path(
    group: &str,
    version: &str,
    plural: &str,
    crds: &[Crd],
) -> Option<&'static ResourceDef> {
    TABLE
        .iter()
        .find(|d| d.group == group && d.version == version && d.plural == plural && served(d, crds))
}

/// The resource for an object's apiVersion and kind.
pub fn by_kind(api_version: &str, kind: &str) -> Option<&'static ResourceDef> {
    let (group, version) = split_api_version(api_version);
    TABLE
        .iter()
        .find(|d| d.group == group && d.version == version && d.kind == kind)
}

/// A test's short way to name a kind: plural, singular, kind or short name,
/// optionally qualified by group (`deployments.apps`). Picks the group's
/// preferred (first listed) version.
pub fn by_name(name: &str) -> Option<&'static ResourceDef> {
    let (name, group) = match name.split_once('.') {
        Some((n, g)) => (n, Some(g)),
        None => (name, None),
    };
    TABLE.iter().find(|d| {
        d.stored
            && group.is_none_or(|g| g == d.group)
            && (d.plural.eq_ignore_ascii_case(name)
                || d.singular.eq_ignore_ascii_case(name)
                || d.kind.eq_ignore_ascii_case(name)
                || d.short_names.iter().any(|s| s.eq_ignore_ascii_case(name)))
    })
}

pub fn served(d: &ResourceDef, crds: &[Crd]) -> bool {
    d.crd.is_none_or(|c| crds.contains(&c))
}

pub fn split_api_version(api_version: &str) -> (&str, &str) {
    match api_version.split_once('/') {
        Some((g, v)) => (g, v),
        None => ("", api_version),
    }
}

/// Storage key: one bucket per group and plural, shared by all its versions
/// (the fake does no conversion, versions differ only in apiVersion).
pub fn storage_key(d: &ResourceDef) -> (&'static str, &'static str) {
    (d.group, d.plural)
}
