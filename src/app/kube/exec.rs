//! `exec` on a pod or a container: a shell in it, through the shell's handover. The
//! pane says at once why it cannot be done (no pod selected, a pod that is not
//! running, RBAC); the run loop lends the terminal, and the backend needs the `Writer`
//! to start the process. (Read-only refusal is the shell's, before this.)

use super::pane::{ID, KubePane};
use super::view::KubeView;
use crate::app::effect::Effect;
use crate::app::handover::{Handover, Session};
use crate::app::shell::{FlashLevel, Shell};
use crate::backend::kube::access::Perm;
use crate::backend::kube::conn::Conn;
use crate::backend::kube::model::PodHealth;
use crate::backend::kube::writer::KubeWriter;
use crate::backend::shell::outcome;

/// Which pod and container a shell would open in from the selected row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub cluster: String,
    pub ns: String,
    pub pod: String,
    /// `None`: the pod's only container (the server picks it).
    pub container: Option<String>,
}

/// The target of the selected row, or why there is none.
pub fn target(p: &KubePane) -> Result<Target, String> {
    let (cluster, key) = p.selected().ok_or("exec: select a pod or a container")?;
    let c = p
        .cluster(&cluster)
        .ok_or("exec: select a pod or a container")?;
    let (pod_key, container) = match &p.level().view {
        KubeView::Pods(_) => (key, None),
        KubeView::Containers { pod } => (pod.clone(), Some(key)),
        _ => return Err("exec: open a workload's pods and select one".into()),
    };
    let pod = c
        .data
        .pods
        .get(&pod_key)
        .ok_or_else(|| format!("exec: {pod_key} is gone"))?;
    let container = container.or_else(|| super::reads::first_app_container(pod));
    if let Some(name) = &container
        && pod
            .containers
            .iter()
            .any(|x| x.init && x.name.as_str() == name && x.state.as_str() != "Running")
    {
        return Err(format!(
            "exec: {name} is an init container that is not running"
        ));
    }
    if pod.health == PodHealth::Done || pod.status.as_str() != "Running" {
        return Err(format!(
            "exec: {pod_key} is {}: only a running pod has a shell",
            pod.status
        ));
    }
    if let Some(why) = c
        .data
        .perms
        .as_ref()
        .and_then(|perms| perms.denied(Perm::ExecPods, pod.at.ns.as_str()))
    {
        return Err(format!("not allowed on {cluster}: {why}"));
    }
    Ok(Target {
        cluster,
        ns: pod.at.ns.to_string(),
        pod: pod.at.name.to_string(),
        container,
    })
}

pub fn start(p: &KubePane, shell: &mut Shell) -> Vec<Effect> {
    let t = match target(p) {
        Ok(t) => t,
        Err(why) => {
            shell.flash(FlashLevel::Info, why);
            return Vec::new();
        }
    };
    let Some(conn) = p.cluster(&t.cluster).and_then(|c| c.conn.clone()) else {
        shell.flash(
            FlashLevel::Warn,
            format!("exec: {} is not connected yet", t.cluster),
        );
        return Vec::new();
    };
    vec![Effect::Handover(handover(conn, t))]
}

fn handover(conn: Conn, t: Target) -> Handover {
    let name = match &t.container {
        Some(c) => format!("{}/{} ({c})", t.ns, t.pod),
        None => format!("{}/{}", t.ns, t.pod),
    };
    Handover::new(
        ID,
        format!("shell in {name}"),
        move |writer, size| async move {
            let fail = |e: String| format!("shell in {name}: {e}");
            let kw = KubeWriter::new(&writer, &conn).map_err(fail)?;
            let started = kw
                .shell(&t.ns, &t.pod, t.container.as_deref(), size)
                .await
                .map_err(fail)?;
            let resizer = started.resize.clone();
            let ended = started.ended;
            Ok(Session {
                io: Box::new(started.io),
                resize: Box::new(move |cols, rows| {
                    let r = resizer.clone();
                    Box::pin(async move { r.resize(cols, rows).await })
                }),
                finish: Box::new(move |tail| {
                    Box::pin(async move {
                        match ended.wait().await {
                            Ok(code) => outcome(&name, code, &tail),
                            Err(why) => Err(format!("shell in {name} failed: {why}")),
                        }
                    })
                }),
            })
        },
    )
}
