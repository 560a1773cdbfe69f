//! Long-lived reads the user opened (a log, a container's stats), forwarded to the run
//! loop as messages until cancelled.

use super::msg::Msg;
use crate::backend::swarm::connect::{Endpoint, describe_error};
use crate::backend::swarm::{logs, stats};
use bollard::Docker;
use futures::StreamExt;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// Connect, or tell `report` why not.
async fn connect_or(endpoint: &Endpoint, report: impl FnOnce(String)) -> Option<Docker> {
    match endpoint.connect().await {
        Ok(d) => Some(d),
        Err(e) => {
            report(describe_error(&e));
            None
        }
    }
}

/// Forward log lines in small batches (one frame per burst, not per line).
pub async fn follow_logs(
    endpoint: Endpoint,
    generation: u64,
    target: logs::LogTarget,
    tx: mpsc::UnboundedSender<Msg>,
    cancel: CancellationToken,
) {
    let Some(docker) = connect_or(&endpoint, |reason| {
        let _ = tx.send(Msg::LogEnded {
            generation,
            reason: Some(reason),
        });
    })
    .await
    else {
        return;
    };
    let mut stream = std::pin::pin!(logs::follow(&docker, &target).ready_chunks(64));
    loop {
        tokio::select! {
            _ = cancel.cancelled() => return,
            next = stream.next() => match next {
                None => {
                    let _ = tx.send(Msg::LogEnded { generation, reason: None });
                    return;
                }
                Some(chunks) => {
                    let mut lines = Vec::new();
                    for c in chunks {
                        match c {
                            Ok(l) => lines.extend(l),
                            Err(e) => {
                                let _ = tx.send(Msg::LogLines { generation, lines: std::mem::take(&mut lines) });
                                let _ = tx.send(Msg::LogEnded { generation, reason: Some(e) });
                                return;
                            }
                        }
                    }
                    if tx.send(Msg::LogLines { generation, lines }).is_err() {
                        return;
                    }
                }
            }
        }
    }
}

/// Forward one container's stats until cancelled (the engine sends one a second).
pub async fn follow_stats(
    endpoint: Endpoint,
    generation: u64,
    container_id: String,
    tx: mpsc::UnboundedSender<Msg>,
    cancel: CancellationToken,
) {
    let Some(docker) = connect_or(&endpoint, |reason| {
        let _ = tx.send(Msg::Stats {
            generation,
            sample: Err(reason),
        });
    })
    .await
    else {
        return;
    };
    let mut stream = std::pin::pin!(stats::follow(&docker, &container_id));
    loop {
        tokio::select! {
            _ = cancel.cancelled() => return,
            next = stream.next() => {
                let sample = match next {
                    Some(s) => s,
                    None => Err("the container stopped".into()),
                };
                let end = sample.is_err();
                if tx.send(Msg::Stats { generation, sample }).is_err() || end {
                    return;
                }
            }
        }
    }
}
