//! Port-forwards the user started: from a pod, a container or a service, to a local
//! port, listed in the `forwards` view and stoppable there, for as long as labdeck runs.
//! One task carries them all (it holds the `Writer` a forward needs); the pane sends
//! it what to start and stop, and hears back what each forward does.

use super::msg::KubeMsg;
use super::pane::{ID, KubePane};
use super::view::KubeView;
use crate::app::effect::Effect;
use crate::app::shell::{FlashLevel, InputKind, Shell};
use crate::app::table::{Cell, Column, Row, Tone};
use crate::app::task::{Outbox, TaskKey, WriteJob};
use crate::backend::kube::access::Perm;
use crate::backend::kube::conn::Conn;
use crate::backend::kube::forward::{ForwardEvent, ForwardSpec, ForwardTo};
use crate::backend::kube::writer::KubeWriter;
use crate::core::text::SafeText;
use crate::core::time::Timestamp;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

pub const TASK: TaskKey = TaskKey {
    pane: ID,
    name: "forwards",
};

/// The prompt's purpose.
pub const PURPOSE: &str = "port-forward";

pub struct Start {
    id: u64,
    conn: Conn,
    spec: ForwardSpec,
}

/// What the pane asks of the forwarding task.
pub enum Cmd {
    Start(Box<Start>),
    Stop(u64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    Starting,
    Listening(SocketAddr),
    Ended(String),
}

/// One forward as the list shows it.
#[derive(Debug, Clone)]
pub struct Forward {
    pub id: u64,
    pub cluster: String,
    pub spec: ForwardSpec,
    pub state: State,
    /// The pod and port the last connection went to.
    pub pod: Option<(String, u16)>,
    pub open: usize,
    pub carried: u64,
    pub last_error: Option<String>,
    pub started: Timestamp,
}

/// The forwards and the channel to the task that carries them.
#[derive(Default)]
pub struct Forwards {
    pub list: Vec<Forward>,
    tx: Option<mpsc::Sender<Cmd>>,
    next: u64,
    /// What the open prompt would forward: cluster, target.
    asking: Option<(String, ForwardSpec)>,
}

/// `[LOCAL:]REMOTE` as kubectl reads it: `8080`, `9000:80`, `:80` (any free local
/// port). Local, remote.
pub fn parse_ports(s: &str) -> Result<(u16, u16), String> {
    let bad = || format!("port-forward: {s:?} is not [LOCAL:]REMOTE (8080, 9000:80, :80)");
    let num = |t: &str| t.trim().parse::<u16>().map_err(|_| bad());
    let (local, remote) = match s.trim().split_once(':') {
        Some(("", r)) => (0, num(r)?),
        Some((l, r)) => (num(l)?, num(r)?),
        None => {
            let p = num(s)?;
            (p, p)
        }
    };
    if remote == 0 {
        return Err(bad());
    }
    Ok((local, remote))
}

/// The first port a row's object offers, to fill the prompt with.
fn first_port(
    p: &KubePane,
    cluster: &str,
    to: ForwardTo,
    key: &str,
    container: Option<&str>,
) -> Option<u16> {
    let d = &p.cluster(cluster)?.data;
    match to {
        ForwardTo::Pod => d
            .pods
            .get(key)?
            .containers
            .iter()
            .filter(|c| container.is_none_or(|n| c.name.as_str() == n))
            .flat_map(|c| c.ports.iter().copied())
            .next(),
        // `80/TCP`, `443:30443/TCP`: the service's port comes first.
        ForwardTo::Service => d.services.get(key)?.ports.iter().find_map(|s| {
            s.as_str()
                .split(['/', ':'])
                .next()
                .and_then(|n| n.parse().ok())
        }),
    }
}

/// `F` on a pod, a container or a service: ask for the ports.
pub fn ask(p: &mut KubePane, shell: &mut Shell) {
    let Some((cluster, key)) = p.selected() else {
        return;
    };
    let (to, at, container) = match &p.level().view {
        KubeView::Pods(_) => (ForwardTo::Pod, key, None),
        KubeView::Containers { pod } => (ForwardTo::Pod, pod.clone(), Some(key)),
        KubeView::Services => (ForwardTo::Service, key, None),
        _ => {
            shell.flash(
                FlashLevel::Info,
                "port-forward: select a pod, a container or a service",
            );
            return;
        }
    };
    let Some((ns, name)) = at.split_once('/') else {
        return;
    };
    let spec = ForwardSpec {
        to,
        ns: ns.into(),
        name: name.into(),
        port: 0,
        local: 0,
    };
    if let Some(why) = denied(p, &cluster, ns) {
        shell.flash(FlashLevel::Warn, why);
        return;
    }
    let initial = first_port(p, &cluster, to, &at, container.as_deref())
        .map(|n| format!("{n}:{n}"))
        .unwrap_or_default();
    let what = SafeText::new(&format!(
        "port-forward {} on {cluster}: [LOCAL:]REMOTE",
        spec.target().trim_end_matches(":0")
    ));
    p.forwards.asking = Some((cluster, spec));
    shell.prompt(
        InputKind::Prompt {
            purpose: PURPOSE.into(),
            prompt: what,
        },
        &initial,
    );
}

/// Why RBAC refuses a forward in `ns` of `cluster`, if it does.
pub fn denied(p: &KubePane, cluster: &str, ns: &str) -> Option<String> {
    let perms = p.cluster(cluster)?.data.perms.as_ref()?;
    perms
        .denied(Perm::ForwardPods, ns)
        .map(|why| format!("not allowed on {cluster}: {why}"))
}

/// The prompt answered: start the forward.
pub fn start(p: &mut KubePane, shell: &mut Shell, value: &str) -> Result<Vec<Effect>, String> {
    let Some((cluster, mut spec)) = p.forwards.asking.take() else {
        return Ok(Vec::new());
    };
    let (local, remote) = parse_ports(value)?;
    spec.local = local;
    spec.port = remote;
    let Some(conn) = p.cluster(&cluster).and_then(|c| c.conn.clone()) else {
        return Err(format!("port-forward: {cluster} is not connected yet"));
    };
    let f = &mut p.forwards;
    f.next += 1;
    let id = f.next;
    f.list.push(Forward {
        id,
        cluster,
        spec: spec.clone(),
        state: State::Starting,
        pod: None,
        open: 0,
        carried: 0,
        last_error: None,
        started: shell.now(),
    });
    let mut effects = Vec::new();
    // The task is gone if the runtime refused it (no Writer) or never started it.
    let tx = match f.tx.as_ref().filter(|tx| !tx.is_closed()) {
        Some(tx) => tx.clone(),
        None => {
            let (tx, rx) = mpsc::channel(16);
            effects.push(Effect::StartWrite {
                key: TASK,
                job: job(rx),
            });
            f.tx = Some(tx.clone());
            tx
        }
    };
    if tx
        .try_send(Cmd::Start(Box::new(Start { id, conn, spec })))
        .is_err()
    {
        f.list.retain(|x| x.id != id);
        return Err("port-forward: too many requests at once; try again".into());
    }
    p.rebuild();
    Ok(effects)
}

/// Stop the selected forward (and forget it).
pub fn stop(p: &mut KubePane, shell: &mut Shell) {
    let Some((_, key)) = p.selected() else {
        return;
    };
    let Ok(id) = key.parse::<u64>() else {
        return;
    };
    let Some(i) = p.forwards.list.iter().position(|f| f.id == id) else {
        return;
    };
    let f = p.forwards.list.remove(i);
    if let Some(tx) = &p.forwards.tx {
        let _ = tx.try_send(Cmd::Stop(id));
    }
    let at = match f.state {
        State::Listening(a) => a.to_string(),
        _ => "nothing".into(),
    };
    shell.flash(
        FlashLevel::Ok,
        format!("stopped forwarding {at} to {}", f.spec.target()),
    );
    p.rebuild();
}

/// What the task says a forward did.
pub fn heard(p: &mut KubePane, shell: &mut Shell, id: u64, event: ForwardEvent) {
    let Some(f) = p.forwards.list.iter_mut().find(|f| f.id == id) else {
        return;
    };
    match event {
        ForwardEvent::Listening(a) => {
            shell.flash(
                FlashLevel::Ok,
                format!(
                    "forwarding {a} to {} on {} (:forwards lists them)",
                    f.spec.target(),
                    f.cluster
                ),
            );
            f.state = State::Listening(a);
        }
        ForwardEvent::Opened { pod, port, open } => {
            f.pod = Some((pod, port));
            f.open = open;
            f.carried += 1;
        }
        ForwardEvent::Closed { open } => f.open = open,
        ForwardEvent::Failed(why) => f.last_error = Some(why),
        ForwardEvent::Ended(why) => {
            shell.flash(FlashLevel::Err, format!("port-forward: {why}"));
            f.state = State::Ended(why);
        }
    }
    if p.level().view == KubeView::Forwards {
        p.rebuild();
        shell.dirty = true;
    }
}

/// The task: starts and stops forwards as the pane asks, each under its own token
/// (children of the task's: quitting stops them all).
fn job(mut rx: mpsc::Receiver<Cmd>) -> WriteJob {
    WriteJob::new(
        "port-forwards",
        move |writer, out: Outbox, cancel: CancellationToken| async move {
            let mut running: HashMap<u64, CancellationToken> = HashMap::new();
            loop {
                let cmd = tokio::select! {
                    _ = cancel.cancelled() => break,
                    cmd = rx.recv() => cmd,
                };
                match cmd {
                    None => break,
                    Some(Cmd::Stop(id)) => {
                        if let Some(t) = running.remove(&id) {
                            t.cancel();
                        }
                    }
                    Some(Cmd::Start(start)) => {
                        let Start { id, conn, spec } = *start;
                        let token = cancel.child_token();
                        running.insert(id, token.clone());
                        let out = out.clone();
                        let started = KubeWriter::new(&writer, &conn);
                        tokio::spawn(async move {
                            let send = |event| KubeMsg::Forward { id, event };
                            let forwarder = match started {
                                Ok(kw) => kw.forward(spec).await,
                                Err(e) => Err(e),
                            };
                            let f = match forwarder {
                                Ok(f) => f,
                                Err(e) => {
                                    out.send(send(ForwardEvent::Ended(e))).await;
                                    return;
                                }
                            };
                            out.send(send(ForwardEvent::Listening(f.local()))).await;
                            let tell = out.clone();
                            // Counts may drop when the loop is behind: the next carries
                            // the current count.
                            let report = Arc::new(move |event| {
                                let _ = tell.try_send(KubeMsg::Forward { id, event });
                            });
                            f.serve(token, report).await;
                        });
                    }
                }
            }
            for t in running.values() {
                t.cancel();
            }
        },
    )
}

pub fn columns() -> Vec<Column> {
    use Column as C;
    vec![
        C::flex("TARGET", 20, 0),
        C::fixed("LOCAL", 15, 0),
        C::fixed("STATE", 9, 0),
        C::fixed("CONNS", 9, 2),
        C::flex("POD", 16, 3),
        C::flex("NOTE", 20, 1),
        C::fixed("AGE", 4, 4),
    ]
}

/// The rows of `cluster`'s forwards.
pub fn rows(f: &Forwards, cluster: &str) -> Vec<Row> {
    f.list
        .iter()
        .filter(|x| x.cluster == cluster)
        .map(|x| {
            let (local, state, tone) = match &x.state {
                State::Starting => (String::from("-"), "starting", Tone::Warn),
                State::Listening(a) => (a.to_string(), "listening", Tone::Ok),
                State::Ended(_) => (String::from("-"), "ended", Tone::Err),
            };
            let note = match &x.state {
                State::Ended(why) => Some(why.as_str()),
                _ => x.last_error.as_deref(),
            };
            let pod = x
                .pod
                .as_ref()
                .map(|(p, port)| format!("{p}:{port}"))
                .unwrap_or_default();
            Row {
                key: x.id.to_string(),
                cells: vec![
                    Cell::new(SafeText::new(&x.spec.target())),
                    Cell::own(local, Tone::Normal),
                    Cell::own(state, tone),
                    Cell::own(format!("{}/{}", x.open, x.carried), Tone::Dim).ordered(x.carried),
                    Cell::toned(SafeText::new(&pod), Tone::Dim),
                    Cell::toned(SafeText::new(note.unwrap_or("")), Tone::Warn),
                    Cell::age(Some(x.started), Tone::Dim),
                ],
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_read_as_kubectl_reads_them() {
        assert_eq!(parse_ports("8080"), Ok((8080, 8080)));
        assert_eq!(parse_ports("9000:80"), Ok((9000, 80)));
        assert_eq!(parse_ports(" :80 "), Ok((0, 80)));
        for bad in ["", "http", "80:", "8080:0", "70000", "1:2:3"] {
            assert!(parse_ports(bad).is_err(), "{bad:?} is refused");
        }
    }
}
