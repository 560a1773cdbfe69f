//! Long-lived reads the user opened (a log, a container's stats), as tasks whose
//! results come back to the Swarm pane.

use super::msg::SwarmMsg;
use super::pane::ID;
use crate::app::logs::{LogFeed, forward_lines};
use crate::app::task::{Job, Outbox, TaskKey};
use crate::backend::swarm::connect::{Endpoint, describe_error};
use crate::backend::swarm::inspect::Object;
use crate::backend::swarm::logs::LogTarget;
use crate::backend::swarm::reader::SwarmReader;
use futures::StreamExt;
use tokio_util::sync::CancellationToken;

pub const LOGS: TaskKey = TaskKey {
    pane: ID,
    name: "logs",
};
pub const STATS: TaskKey = TaskKey {
    pane: ID,
    name: "stats",
};

/// Connect, or tell the pane why not.
async fn connect_or(
    endpoint: &Endpoint,
    out: &Outbox,
    fail: impl FnOnce(String) -> SwarmMsg,
) -> Option<SwarmReader> {
    match endpoint.connect().await {
        Ok(r) => Some(r),
        Err(e) => {
            out.send(fail(describe_error(&e))).await;
            None
        }
    }
}

pub const INSPECT: TaskKey = TaskKey {
    pane: ID,
    name: "inspect",
};

/// Read one object, once, for describe or the YAML view.
pub fn inspect(endpoint: Endpoint, generation: u64, object: Object, id: String) -> Job {
    Job::new(
        format!("inspect {object:?} {id}"),
        move |out: Outbox, _cancel: CancellationToken| async move {
            let fail = |reason| SwarmMsg::Inspected {
                generation,
                result: Err(reason),
            };
            let Some(reader) = connect_or(&endpoint, &out, fail).await else {
                return;
            };
            let result = reader.inspect(object, &id).await.map(std::sync::Arc::new);
            out.send(SwarmMsg::Inspected { generation, result }).await;
        },
    )
}

pub fn logs(endpoint: Endpoint, generation: u64, target: LogTarget) -> Job {
    let label = format!("logs of {}", target.name());
    Job::new(
        label,
        move |out: Outbox, cancel: CancellationToken| async move {
            let fail = |reason| SwarmMsg::Log {
                generation,
                feed: LogFeed::Ended {
                    reason: Some(reason),
                    lost: 0,
                },
            };
            let Some(reader) = connect_or(&endpoint, &out, fail).await else {
                return;
            };
            let wrap = move |feed| SwarmMsg::Log { generation, feed };
            forward_lines(reader.logs(&target), out, cancel, wrap).await;
        },
    )
}

pub fn stats(endpoint: Endpoint, generation: u64, container_id: String) -> Job {
    let label = format!("stats of {container_id}");
    Job::new(
        label,
        move |out: Outbox, cancel: CancellationToken| async move {
            let fail = |reason| SwarmMsg::Stats {
                generation,
                sample: Err(reason),
            };
            let Some(reader) = connect_or(&endpoint, &out, fail).await else {
                return;
            };
            let mut stream = std::pin::pin!(reader.stats(&container_id));
            loop {
                let next = tokio::select! {
                    _ = cancel.cancelled() => return,
                    n = stream.next() => n,
                };
                let sample = next.unwrap_or_else(|| Err("the container stopped".into()));
                let end = sample.is_err();
                // One sample a second: waiting for room costs nothing and loses nothing.
                if !out.send(SwarmMsg::Stats { generation, sample }).await || end {
                    return;
                }
            }
        },
    )
}
