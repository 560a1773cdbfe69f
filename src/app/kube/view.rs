//! Which Kubernetes list is on screen.

/// What a list of pods is narrowed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PodScope {
    All,
    /// The pods a workload runs (by kind and `ns/name`; a deployment's through its
    /// replicasets).
    Workload {
        kind: String,
        at: String,
    },
    /// The pods on a node.
    Node(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KubeView {
    Workloads,
    Pods(PodScope),
    /// One pod's containers (`ns/name`).
    Containers {
        pod: String,
    },
    Nodes,
    /// Claims with their volume, class and where the data lives.
    Storage,
    Flux,
    /// Warning events of every cluster, or every event of one object (`kind`, `ns/name`).
    Events {
        about: Option<(String, String)>,
    },
    Services,
    Ingresses,
    Vms,
    /// k0smotron's hosted control planes.
    Hosted,
    /// One line per cluster: its state, version and what is wrong.
    Clusters,
    /// The port-forwards labdeck runs.
    Forwards,
}

impl KubeView {
    pub const TOP: [KubeView; 12] = [
        KubeView::Workloads,
        KubeView::Pods(PodScope::All),
        KubeView::Nodes,
        KubeView::Flux,
        KubeView::Storage,
        KubeView::Events { about: None },
        KubeView::Services,
        KubeView::Ingresses,
        KubeView::Vms,
        KubeView::Hosted,
        KubeView::Clusters,
        KubeView::Forwards,
    ];

    pub fn label(&self) -> String {
        match self {
            KubeView::Workloads => "workloads".into(),
            KubeView::Pods(PodScope::All) => "pods".into(),
            KubeView::Pods(PodScope::Workload { at, .. }) => format!("{at} (pods)"),
            KubeView::Pods(PodScope::Node(n)) => format!("{n} (pods)"),
            KubeView::Containers { pod } => format!("{pod} (containers)"),
            KubeView::Nodes => "nodes".into(),
            KubeView::Storage => "storage".into(),
            KubeView::Flux => "flux".into(),
            KubeView::Events { about: None } => "warnings".into(),
            KubeView::Events {
                about: Some((_, at)),
            } => format!("{at} (events)"),
            KubeView::Services => "services".into(),
            KubeView::Ingresses => "ingresses".into(),
            KubeView::Vms => "vms".into(),
            KubeView::Hosted => "hosted".into(),
            KubeView::Clusters => "clusters".into(),
            KubeView::Forwards => "forwards".into(),
        }
    }

    /// The `:` word that opens it at top level.
    pub fn command(&self) -> Option<&'static str> {
        Some(match self {
            KubeView::Workloads => "workloads",
            KubeView::Pods(PodScope::All) => "pods",
            KubeView::Nodes => "kube-nodes",
            KubeView::Flux => "flux",
            KubeView::Storage => "storage",
            KubeView::Events { about: None } => "events",
            KubeView::Services => "services",
            KubeView::Ingresses => "ingresses",
            KubeView::Vms => "vms",
            KubeView::Hosted => "hosted",
            KubeView::Clusters => "clusters",
            KubeView::Forwards => "forwards",
            _ => return None,
        })
    }

    pub fn from_command(word: &str) -> Option<KubeView> {
        KubeView::TOP
            .into_iter()
            .find(|v| v.command() == Some(word))
    }
}
