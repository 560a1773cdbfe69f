//! The keys the Kubernetes pane offers in its bottom line, view by view.

use super::pane::KubePane;
use super::verbs::KubeVerb;
use super::view::KubeView;
use crate::core::action::Action;

/// The shown view's keys, most used first: what fits is shown.
pub(super) fn hints(p: &KubePane) -> Vec<Action> {
    use crate::app::logs::LogVerb as L;
    use Action::*;
    use KubeVerb as V;
    if let Some(l) = &p.logs {
        if l.document {
            return vec![Back, Filter, L::SearchNext.act(), L::Wrap.act()];
        }
        return vec![
            Back,
            L::Follow.act(),
            L::Wrap.act(),
            L::Timestamps.act(),
            Filter,
        ];
    }
    let logs = V::Logs.act();
    let describe = V::Describe.act();
    let ns = V::Namespace.act();
    let ev = V::Events.act();
    match &p.level().view {
        KubeView::Workloads => vec![
            Open,
            V::Scale.act(),
            V::Restart.act(),
            logs,
            describe,
            ev,
            ns,
            Filter,
            ViewNext,
        ],
        KubeView::Nodes => vec![
            Open,
            V::Drain.act(),
            V::Cordon.act(),
            V::Uncordon.act(),
            describe,
            ev,
            Filter,
            ViewNext,
        ],
        KubeView::Flux => vec![
            Open,
            V::Reconcile.act(),
            V::Suspend.act(),
            V::Resume.act(),
            describe,
            ev,
            Filter,
            ViewNext,
        ],
        KubeView::Pods(_) => vec![
            Open,
            logs,
            V::Exec.act(),
            V::DeletePod.act(),
            describe,
            ev,
            ns,
            Filter,
            Back,
        ],
        KubeView::Containers { .. } => {
            vec![
                Open,
                logs,
                V::Exec.act(),
                V::Previous.act(),
                V::DeletePod.act(),
                Back,
            ]
        }
        KubeView::Services => vec![V::PortForward.act(), describe, ev, ns, Filter, ViewNext],
        KubeView::Forwards => vec![V::StopForward.act(), Filter, ViewNext],
        _ => vec![Back, ns, Filter, ViewNext, SortNext],
    }
}
