//! Reads the user opened in the Kubernetes pane (a log, an object's YAML), as tasks
//! whose results come back to the pane.

use super::msg::KubeMsg;
use super::pane::ID;
use crate::app::logs::{LogFeed, forward_lines};
use crate::app::task::{Job, Outbox, TaskKey};
use crate::backend::kube::conn::Conn;
use crate::backend::kube::kinds::Kind;
use crate::backend::kube::logs::LogSource;
use futures::StreamExt;
use tokio_util::sync::CancellationToken;

pub const LOGS: TaskKey = TaskKey {
    pane: ID,
    name: "logs",
};

pub const READ: TaskKey = TaskKey {
    pane: ID,
    name: "read",
};

/// Follow one container's log (`previous`: its last run's), or several pods' merged.
pub fn logs(conn: Conn, generation: u64, sources: Vec<LogSource>, previous: bool) -> Job {
    let label = format!("logs of {} pod(s) on {}", sources.len(), conn.name);
    Job::new(
        label,
        move |out: Outbox, cancel: CancellationToken| async move {
            let wrap = move |feed: LogFeed| KubeMsg::Log { generation, feed };
            let stream = if sources.len() == 1 {
                let src = sources.into_iter().next().expect("one source");
                conn.logs(src, !previous, previous, false).boxed()
            } else {
                conn.merged_logs(sources, true).boxed()
            };
            forward_lines(stream, out, cancel, wrap).await;
        },
    )
}

/// Read one object's YAML once; `extra` is appended (its events, for describe).
pub fn yaml(
    conn: Conn,
    generation: u64,
    kind: Kind,
    ns: String,
    name: String,
    extra: String,
) -> Job {
    Job::new(
        format!("read {} {ns}/{name}", kind.plural()),
        move |out: Outbox, _cancel: CancellationToken| async move {
            let result = conn
                .yaml(kind, &ns, &name)
                .await
                .map(|y| format!("{y}{extra}"));
            out.send(KubeMsg::Document { generation, result }).await;
        },
    )
}
