//! Opening logs and documents from the selected row: which pods, which container,
//! which object.

use super::jobs;
use super::pane::KubePane;
use super::rows::in_scope;
use super::view::{KubeView, PodScope};
use crate::app::effect::Effect;
use crate::app::logs::LogView;
use crate::app::shell::{FlashLevel, Shell};
use crate::backend::kube::kinds::Kind;
use crate::backend::kube::logs::LogSource;
use crate::backend::kube::model::Pod;
use crate::core::text::SafeText;

/// The log of the selected pod or container, or of every pod of the selected workload.
pub fn open_logs(p: &mut KubePane, shell: &mut Shell, previous: bool) -> Vec<Effect> {
    let Some((cluster, key)) = p.selected() else {
        return Vec::new();
    };
    let Some(c) = p.cluster(&cluster) else {
        return Vec::new();
    };
    let Some(conn) = c.conn.clone() else {
        shell.flash(
            FlashLevel::Warn,
            format!("logs: {cluster} is not connected yet"),
        );
        return Vec::new();
    };
    let d = c.data.clone();
    let one = |pod: &Pod, container: Option<String>| LogSource {
        ns: pod.at.ns.to_string(),
        pod: pod.at.name.to_string(),
        container: container.or_else(|| first_app_container(pod)),
    };
    let (sources, title) = match &p.level().view {
        KubeView::Pods(_) => match d.pods.get(&key) {
            Some(pod) => (vec![one(pod, None)], key.clone()),
            None => return Vec::new(),
        },
        KubeView::Containers { pod } => match d.pods.get(pod) {
            Some(x) => (vec![one(x, Some(key.clone()))], format!("{pod} {key}")),
            None => return Vec::new(),
        },
        KubeView::Workloads if !previous => {
            let Some((kind, at)) = key.split_once('/') else {
                return Vec::new();
            };
            let scope = PodScope::Workload {
                kind: kind.into(),
                at: at.into(),
            };
            let pods: Vec<LogSource> = d
                .pods
                .values()
                .filter(|x| in_scope(&d, &scope, x))
                .map(|x| one(x, None))
                .collect();
            if pods.is_empty() {
                shell.flash(FlashLevel::Info, format!("logs: {at} has no pods"));
                return Vec::new();
            }
            (pods, format!("{at} (all pods)"))
        }
        _ => {
            let what = if previous {
                "a pod or a container"
            } else {
                "a workload, a pod or a container"
            };
            shell.flash(FlashLevel::Info, format!("logs: select {what}"));
            return Vec::new();
        }
    };
    let generation = shell.next_generation();
    let title = if previous {
        format!("{title} (previous)")
    } else {
        title
    };
    p.logs = Some(LogView::new(generation, SafeText::new(&title)));
    vec![Effect::Start {
        key: jobs::LOGS,
        job: jobs::logs(conn, generation, sources, previous),
    }]
}

/// The container kubectl picks when none is named: the first app container of a pod
/// with several (the server refuses to guess), none for a pod with one.
pub(super) fn first_app_container(p: &Pod) -> Option<String> {
    let app: Vec<_> = p.containers.iter().filter(|c| !c.init).collect();
    (app.len() > 1).then(|| app[0].name.to_string())
}

/// The selected object's YAML; with `describe`, its events after it.
pub fn open_document(p: &mut KubePane, shell: &mut Shell, describe: bool) -> Vec<Effect> {
    let Some((cluster, key)) = p.selected() else {
        return Vec::new();
    };
    let Some((kind, ns, name)) = object(&p.level().view, &key) else {
        shell.flash(FlashLevel::Info, "nothing to describe here");
        return Vec::new();
    };
    let Some(c) = p.cluster(&cluster) else {
        return Vec::new();
    };
    let Some(conn) = c.conn.clone() else {
        shell.flash(FlashLevel::Warn, format!("{cluster} is not connected yet"));
        return Vec::new();
    };
    let extra = if describe {
        events_text(p, &cluster, kind, &ns, &name)
    } else {
        String::new()
    };
    let generation = shell.next_generation();
    let title = format!("{} {}", kind.plural(), key);
    p.logs = Some(LogView::document(generation, SafeText::new(&title)));
    vec![Effect::Start {
        key: jobs::READ,
        job: jobs::yaml(conn, generation, kind, ns, name, extra),
    }]
}

/// Which object a row of `view` is: kind, namespace, name.
fn object(view: &KubeView, key: &str) -> Option<(Kind, String, String)> {
    let split = |k: &str| match k.split_once('/') {
        Some((ns, n)) => (ns.to_string(), n.to_string()),
        None => (String::new(), k.to_string()),
    };
    let (kind, rest) = match view {
        KubeView::Workloads => {
            let (k, rest) = key.split_once('/')?;
            let kind = match k {
                "Deployment" => Kind::Deployments,
                "StatefulSet" => Kind::StatefulSets,
                "DaemonSet" => Kind::DaemonSets,
                "ReplicaSet" => Kind::ReplicaSets,
                "Job" => Kind::Jobs,
                "CronJob" => Kind::CronJobs,
                _ => return None,
            };
            (kind, rest)
        }
        KubeView::Flux => {
            let (k, rest) = key.split_once('/')?;
            let kind = match k {
                "HelmRelease" => Kind::HelmReleases,
                "Kustomization" => Kind::Kustomizations,
                "GitRepository" => Kind::GitRepositories,
                "HelmRepository" => Kind::HelmRepositories,
                "OCIRepository" => Kind::OciRepositories,
                _ => return None,
            };
            (kind, rest)
        }
        KubeView::Pods(_) => (Kind::Pods, key),
        KubeView::Nodes => (Kind::Nodes, key),
        KubeView::Storage => (Kind::Pvcs, key),
        KubeView::Services => (Kind::Services, key),
        KubeView::Ingresses => (Kind::Ingresses, key),
        KubeView::Vms => (Kind::VirtualMachines, key),
        KubeView::Hosted => (Kind::HostedClusters, key),
        _ => return None,
    };
    let (ns, name) = split(rest);
    Some((kind, ns, name))
}

/// `Events:` and the object's events, newest first, as kubectl describe ends.
fn events_text(p: &KubePane, cluster: &str, kind: Kind, ns: &str, name: &str) -> String {
    let Some(c) = p.cluster(cluster) else {
        return String::new();
    };
    let kind_name = match kind {
        Kind::Pods => "Pod",
        Kind::Nodes => "Node",
        Kind::Deployments => "Deployment",
        Kind::StatefulSets => "StatefulSet",
        Kind::DaemonSets => "DaemonSet",
        Kind::Pvcs => "PersistentVolumeClaim",
        Kind::Services => "Service",
        Kind::HelmReleases => "HelmRelease",
        Kind::Kustomizations => "Kustomization",
        _ => "",
    };
    let mut evs: Vec<_> = c
        .data
        .events
        .values()
        .filter(|e| {
            e.object_kind.as_str() == kind_name
                && e.object.name.as_str() == name
                && e.object.ns.as_str() == ns
        })
        .collect();
    evs.sort_by_key(|e| std::cmp::Reverse(e.last));
    let mut out = String::from("\nEvents:\n");
    if evs.is_empty() {
        out.push_str("  <none>\n");
    }
    for e in evs {
        let kind = if e.warning { "Warning" } else { "Normal" };
        out.push_str(&format!(
            "  {kind}  {}  x{}  {}\n",
            e.reason, e.count, e.message
        ));
    }
    out
}
