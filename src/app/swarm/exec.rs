//! `exec` on a task: a shell in its container, through the engine of the node the task
//! runs on. The pane only checks that it can be done and says why not at once; the
//! run loop lends the terminal (`Effect::Handover`), and the backend needs the
//! `Writer` to start the process. (Read-only refusal is the shell's, before this.)

use super::pane::{ID, SwarmPane};
use super::view::SwarmView;
use crate::app::effect::Effect;
use crate::app::handover::{Handover, Session};
use crate::app::shell::{FlashLevel, Shell};
use crate::backend::swarm::connect::Endpoint;
use crate::backend::swarm::exec::{self, ExecRequest};

pub fn start(p: &mut SwarmPane, shell: &mut Shell) -> Vec<Effect> {
    if p.logs.is_some() {
        return vec![];
    }
    let SwarmView::Tasks { service, .. } = &p.level().view else {
        shell.flash(
            FlashLevel::Info,
            "exec: open a service's tasks and select one",
        );
        return vec![];
    };
    let service = service.clone();
    let Some((listed_by, task_id)) = p.selected() else {
        return vec![];
    };
    let Some(snap) = p.snap(&listed_by) else {
        return vec![];
    };
    let Some((listed_at, _)) = crate::app::sources::find(&p.engines, &listed_by) else {
        return vec![];
    };
    let Some(task) = snap.tasks.iter().find(|t| t.id == task_id) else {
        return vec![];
    };
    let name = format!(
        "{service}.{}",
        task.slot.map_or_else(
            || crate::backend::swarm::query::short_id(&task.id).to_string(),
            |s| s.to_string()
        )
    );
    if !task.is_running() {
        shell.flash(
            FlashLevel::Info,
            format!(
                "exec: {name} is {}: only a running task has a shell",
                task.state
            ),
        );
        return vec![];
    }
    let Some(container_id) = task.container_id.clone() else {
        shell.flash(
            FlashLevel::Info,
            format!("exec: {name} has no container (yet)"),
        );
        return vec![];
    };
    let nodes: Vec<Option<String>> = p
        .engines
        .iter()
        .map(|e| e.snapshot.as_ref().and_then(|s| s.engine.node_id.clone()))
        .collect();
    let Some(engine) = engine_on(&nodes, listed_at, task.node_id.as_deref()) else {
        let node = snap.node_name(task.node_id.as_deref());
        shell.flash(
            FlashLevel::Warn,
            format!(
                "exec: {name} runs on node {node}; no engine configured for it (add a [[docker]] entry for that node)"
            ),
        );
        return vec![];
    };
    let endpoint = p.engines[engine].endpoint.clone();
    let term = std::env::var("TERM").unwrap_or_else(|_| "xterm".into());
    vec![Effect::Handover(handover(
        endpoint,
        container_id,
        name,
        term,
    ))]
}

/// Which engine reaches a task on `node`: the engine that listed it if that is its own
/// node, else any engine whose own node it is. `nodes` holds each engine's own node id.
pub fn engine_on(nodes: &[Option<String>], listed_by: usize, node: Option<&str>) -> Option<usize> {
    let Some(node) = node else {
        // No node recorded (an engine that does not say): the one that listed it.
        return Some(listed_by);
    };
    let on = |i: &usize| nodes.get(*i).and_then(|n| n.as_deref()) == Some(node);
    std::iter::once(listed_by).chain(0..nodes.len()).find(on)
}

fn handover(endpoint: Endpoint, container_id: String, name: String, term: String) -> Handover {
    let label = format!("shell in {name}");
    Handover::new(ID, label, move |writer, size| async move {
        let req = ExecRequest {
            container_id,
            cmd: exec::shell_command(),
            env: vec![format!("TERM={term}")],
            size,
        };
        let started = exec::start(&writer, &endpoint, &req)
            .await
            .map_err(|e| format!("shell in {name}: {e}"))?;
        let (resizer, ended) = (started.control.clone(), started.control);
        Ok(Session {
            io: Box::new(started.stream),
            resize: Box::new(move |cols, rows| {
                let c = resizer.clone();
                Box::pin(async move {
                    if let Err(e) = c.resize(cols, rows).await {
                        tracing::debug!(%e, "exec resize");
                    }
                })
            }),
            finish: Box::new(move |tail| {
                Box::pin(async move {
                    let code = ended
                        .exit_code()
                        .await
                        .map_err(|e| format!("shell in {name} ended; no exit code: {e}"))?;
                    exec::outcome(&name, code, &tail)
                })
            }),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::state::State;
    use crate::app::update::tests::{feed, press, state, sw};
    use crate::backend::swarm::sample::{lab, node};
    use crate::core::access::AccessMode;
    use crate::core::status::SourceStatus;

    /// The tasks of `service_id` on screen, `task` selected.
    fn tasks(s: &mut State, service_id: &str, service: &str, task: &str) {
        let now = s.shell.now();
        let p = s.find_mut::<SwarmPane>().unwrap();
        let view = SwarmView::Tasks {
            service_id: service_id.into(),
            service: service.into(),
        };
        let first = p.engines[0].endpoint.name.clone();
        let level = p.level_of(view, Some(first));
        p.levels.push(level);
        p.rebuild(now);
        for _ in 0..10 {
            if sw(s).level().table.selected_key() == Some(task) {
                return;
            }
            press(s, "j");
        }
        panic!("{task} is not in the view");
    }

    fn flash(s: &State) -> String {
        s.shell
            .flash
            .as_ref()
            .map(|f| f.text.as_str().to_string())
            .unwrap_or_default()
    }

    #[test]
    fn exec_on_a_running_task_hands_the_terminal_over() {
        let mut s = state(AccessMode::ReadWrite);
        tasks(&mut s, "svc-radarr", "media_radarr", "t-radarr-2");
        let fx = press(&mut s, "e");
        let [Effect::Handover(h)] = &fx[..] else {
            panic!("{fx:?}")
        };
        assert_eq!(
            (h.pane, h.label.as_str()),
            ("swarm", "shell in media_radarr.2")
        );
    }

    #[test]
    fn read_only_refuses_exec_before_the_pane_sees_it() {
        let mut s = state(AccessMode::ReadOnly);
        tasks(&mut s, "svc-radarr", "media_radarr", "t-radarr-1");
        assert!(press(&mut s, "e").is_empty(), "nothing is handed over");
        assert!(
            flash(&s).starts_with("exec is unavailable: read-only mode"),
            "{}",
            flash(&s)
        );
    }

    #[test]
    fn exec_says_at_once_why_a_task_has_no_shell() {
        let mut s = state(AccessMode::ReadWrite);
        tasks(&mut s, "svc-sonarr", "media_sonarr", "t-sonarr-1a");
        assert!(press(&mut s, "e").is_empty());
        assert_eq!(
            flash(&s),
            "exec: media_sonarr.1 is failed: only a running task has a shell"
        );

        let mut s = state(AccessMode::ReadWrite);
        press(&mut s, "e");
        assert_eq!(flash(&s), "exec: open a service's tasks and select one");
    }

    #[test]
    fn a_task_on_a_node_without_an_engine_is_named() {
        let mut snap = lab();
        snap.nodes.push(node("node2", "n5", false));
        for t in &mut snap.tasks {
            if t.id == "t-radarr-1" {
                t.node_id = Some("node2".into());
            }
        }
        let mut s = state(AccessMode::ReadWrite);
        feed(&mut s, Some(snap), SourceStatus::Live);
        tasks(&mut s, "svc-radarr", "media_radarr", "t-radarr-1");
        assert!(press(&mut s, "e").is_empty());
        assert_eq!(
            flash(&s),
            "exec: media_radarr.1 runs on node n5; no engine configured for it (add a [[docker]] entry for that node)"
        );
    }

    fn nodes(ids: &[Option<&str>]) -> Vec<Option<String>> {
        ids.iter().map(|n| n.map(str::to_owned)).collect()
    }

    #[test]
    fn a_task_is_reached_through_the_engine_of_its_node() {
        let n = nodes(&[Some("mgr"), Some("w1"), None]);
        assert_eq!(engine_on(&n, 0, Some("mgr")), Some(0));
        assert_eq!(
            engine_on(&n, 0, Some("w1")),
            Some(1),
            "another engine's node"
        );
        assert_eq!(
            engine_on(&n, 0, Some("w2")),
            None,
            "no engine for that node"
        );
        assert_eq!(engine_on(&n, 0, None), Some(0));
        // Listed by an engine that does not know its node: still only a match counts.
        assert_eq!(engine_on(&n, 2, Some("w1")), Some(1));
        assert_eq!(engine_on(&n, 2, Some("w9")), None);
    }
}
