//! What the Kubernetes pane says about its clusters beyond the rows: what is wrong
//! (the tab bar), why a view is empty, what a view cannot show, and the clusters view's
//! line for each.

use super::pane::{Cluster, KubePane};
use super::view::KubeView;
use crate::app::table::Row;
use crate::backend::kube::data::ClusterData;
use crate::backend::kube::kinds::{Kind, KindState};
use crate::core::status::SourceStatus;
use crate::core::text::SafeText;

impl KubePane {
    /// What is wrong across the clusters, said in the tab bar whichever pane is shown.
    pub fn unwell(&self) -> Vec<String> {
        self.clusters
            .iter()
            .filter_map(|c| {
                let parts = problems(&c.data);
                (!parts.is_empty()).then(|| format!("{}: {}", c.spec.name, parts.join(", ")))
            })
            .collect()
    }

    /// Why the current view is empty when no relevant cluster can show it: each one's
    /// kinds forbidden to these credentials or not served. `None` while any can.
    pub fn blocked(&self) -> Option<String> {
        let kinds = view_kinds(&self.level().view);
        let first = kinds.first()?;
        let mut why = Vec::new();
        for c in self.relevant() {
            if c.data.kinds.is_empty() {
                return None;
            }
            let readable = kinds.iter().any(|k| {
                c.data
                    .state(*k)
                    .is_some_and(|s| !matches!(s, KindState::Forbidden(_)))
            });
            if readable {
                return None;
            }
            let said = match c.data.state(*first) {
                Some(KindState::Forbidden(_)) => "may not be listed with these credentials",
                _ => "are not served (not installed)",
            };
            why.push(format!("{}: {} {said}", c.spec.name, first.plural()));
        }
        (!why.is_empty()).then(|| why.join("; "))
    }

    /// Per cluster, what the current view cannot show: a kind the credentials may not
    /// read, or a custom kind the cluster does not serve.
    pub fn notices(&self) -> Vec<SafeText> {
        let kinds = view_kinds(&self.level().view);
        let mut out = Vec::new();
        for c in self.relevant() {
            if !c.status.is_live() && c.data.kinds.is_empty() {
                continue;
            }
            let mut absent = true;
            for k in kinds {
                match c.data.state(*k) {
                    Some(KindState::Forbidden(why)) => {
                        // The API's own words start by saying it again, a grouped
                        // kind with its group: `helmreleases.helm.toolkit.fluxcd.io`.
                        let why = why.as_str();
                        let why = match why.split_once(" is forbidden: ") {
                            Some((what, rest))
                                if what == k.plural()
                                    || what.starts_with(&format!("{}.", k.plural())) =>
                            {
                                rest
                            }
                            _ => why,
                        };
                        out.push(SafeText::new(&format!(
                            "{}: {} forbidden ({why})",
                            c.spec.name,
                            k.plural()
                        )))
                    }
                    Some(_) => absent = false,
                    None => {}
                }
            }
            if absent && !kinds.is_empty() && !Kind::BUILTIN.contains(&kinds[0]) {
                out.push(SafeText::new(&format!(
                    "{}: not served ({} absent)",
                    c.spec.name,
                    kinds[0].plural()
                )));
            }
        }
        out
    }
}

/// What is wrong in one cluster (`1 pod failing`), worst first.
pub fn problems(d: &ClusterData) -> Vec<String> {
    let mut parts = Vec::new();
    let n = d.nodes_not_ready();
    if n > 0 {
        parts.push(format!("{n} node{} not ready", plural(n)));
    }
    let n = d.failing_pods().count();
    if n > 0 {
        parts.push(format!("{n} pod{} failing", plural(n)));
    }
    let n = d.short_workloads().count();
    if n > 0 {
        parts.push(format!("{n} workload{} short", plural(n)));
    }
    let n = d.flux_not_ready().count();
    if n > 0 {
        parts.push(format!("{n} flux not ready"));
    }
    parts
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The kinds a view shows, the first naming it.
pub(super) fn view_kinds(view: &KubeView) -> &'static [Kind] {
    use Kind::*;
    match view {
        KubeView::Workloads => &[Deployments, StatefulSets, DaemonSets, Jobs, CronJobs],
        KubeView::Pods(_) | KubeView::Containers { .. } => &[Pods],
        KubeView::Nodes => &[Nodes],
        KubeView::Storage => &[Pvcs, Pvs],
        KubeView::Flux => &[
            HelmReleases,
            Kustomizations,
            GitRepositories,
            HelmRepositories,
            OciRepositories,
        ],
        KubeView::Events { .. } => &[Events],
        KubeView::Services => &[Services],
        KubeView::Ingresses => &[Ingresses],
        KubeView::Vms => &[VirtualMachines],
        KubeView::Hosted => &[HostedClusters],
        KubeView::Clusters | KubeView::Forwards => &[],
    }
}

/// A cluster's line in the clusters view.
pub(super) fn cluster_row(c: &Cluster) -> Row {
    use crate::app::table::{Cell, Tone};
    let d = &c.data;
    let ready = d.nodes.len() - d.nodes_not_ready();
    let failing = d.failing_pods().count();
    let short = d.short_workloads().count();
    let flux = d.flux_not_ready().count();
    let tone = |n: usize| if n > 0 { Tone::Err } else { Tone::Ok };
    if d.version.is_none() {
        // Never read: nothing is known, not zero of everything.
        let unknown = || Cell::own("-", Tone::Dim);
        let mut cells: Vec<Cell> = (0..6).map(|_| unknown()).collect();
        let (note, tone) = match &c.status {
            SourceStatus::Stale { reason, .. } => (format!("unreachable: {reason}"), Tone::Err),
            _ => ("connecting…".to_string(), Tone::Warn),
        };
        cells.push(Cell::toned(SafeText::new(&note), tone));
        return Row {
            key: c.spec.name.clone(),
            cells,
        };
    }
    let note = match &c.status {
        SourceStatus::Stale { reason, .. } => reason.to_string(),
        SourceStatus::Connecting => "connecting…".into(),
        SourceStatus::Live if c.spec.read_only => "read-only (config)".into(),
        SourceStatus::Live => String::new(),
    };
    Row {
        key: c.spec.name.clone(),
        cells: vec![
            Cell::toned(d.version.clone().unwrap_or_default(), Tone::Dim),
            Cell::own(
                format!("{ready}/{}", d.nodes.len()),
                tone(d.nodes.len() - ready),
            ),
            Cell::own(d.pods.len().to_string(), Tone::Normal).ordered(d.pods.len() as u64),
            Cell::own(failing.to_string(), tone(failing)).ordered(failing as u64),
            Cell::own(short.to_string(), tone(short)).ordered(short as u64),
            Cell::own(flux.to_string(), tone(flux)).ordered(flux as u64),
            Cell::toned(SafeText::new(&note), Tone::Dim),
        ],
    }
}
