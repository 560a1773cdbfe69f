//! The live Swarm source: Docker's `/events` stream triggers re-lists of what changed;
//! every (re)connect re-lists everything. Publishes the newest snapshot on a
//! `tokio::sync::watch` channel, so a slow reader never builds a backlog.

use super::client::{self, Kind};
use super::connect::{Endpoint, describe_error};
use super::events::{Change, changes_for};
use super::model::SwarmSnapshot;
use super::settle::{self, Settle};
use crate::core::status::SourceStatus;
use crate::core::text::SafeText;
use crate::core::time::Timestamp;
use bollard::query_parameters::EventsOptions;
use futures::StreamExt;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, watch};
use tokio::time::{Instant, sleep, sleep_until};
use tokio_util::sync::CancellationToken;

/// Events arriving within this window share one re-list.
const DEBOUNCE: Duration = Duration::from_millis(40);
/// A hung engine sends no events and no EOF; a cheap ping notices.
const PING_EVERY: Duration = Duration::from_secs(15);
/// Task changes on other nodes raise no local event: re-list tasks this often when
/// the swarm has more than one node.
const REMOTE_TASKS_EVERY: Duration = Duration::from_secs(10);

/// What the watcher publishes.
#[derive(Debug, Clone)]
pub struct SwarmFeed {
    pub snapshot: Option<Arc<SwarmSnapshot>>,
    pub status: SourceStatus,
}

/// Handle to a running watcher.
pub struct SwarmWatcher {
    pub feed: watch::Receiver<SwarmFeed>,
    refresh: mpsc::Sender<()>,
}

impl SwarmWatcher {
    /// Start watching `endpoint` until `cancel` fires.
    pub fn spawn(endpoint: Endpoint, cancel: CancellationToken) -> SwarmWatcher {
        let (tx, feed) = watch::channel(SwarmFeed {
            snapshot: None,
            status: SourceStatus::Connecting,
        });
        let (refresh, refresh_rx) = mpsc::channel(4);
        tokio::spawn(supervise(endpoint, tx, refresh_rx, cancel));
        SwarmWatcher { feed, refresh }
    }

    /// Ask for a full re-list now (the user pressed refresh).
    pub fn refresh(&self) {
        let _ = self.refresh.try_send(());
    }
}

fn backoff(attempt: u32) -> Duration {
    Duration::from_millis((250u64 << attempt.min(6)).min(10_000))
}

async fn supervise(
    endpoint: Endpoint,
    tx: watch::Sender<SwarmFeed>,
    mut refresh: mpsc::Receiver<()>,
    cancel: CancellationToken,
) {
    let mut attempt = 0u32;
    let mut last_live = Timestamp::now();
    loop {
        let reason = tokio::select! {
            _ = cancel.cancelled() => return,
            r = connected(&endpoint, &tx, &mut refresh, &mut attempt) => r,
        };
        if tx.borrow().status.is_live() {
            last_live = Timestamp::now();
        }
        attempt += 1;
        tracing::warn!(%reason, attempt, "swarm source lost");
        tx.send_modify(|f| {
            f.status = SourceStatus::Stale {
                since: last_live,
                reason: SafeText::new(&reason),
                attempt,
            }
        });
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = sleep(backoff(attempt)) => {}
        }
    }
}

/// One connected session; returns why it ended.
async fn connected(
    endpoint: &Endpoint,
    tx: &watch::Sender<SwarmFeed>,
    refresh: &mut mpsc::Receiver<()>,
    attempt: &mut u32,
) -> String {
    let docker = match endpoint.connect().await {
        Ok(d) => d,
        Err(e) => return describe_error(&e),
    };
    // Subscribe from just before the list, so nothing between the two is missed.
    let since = (Timestamp::now().0 - 1).to_string();
    let filters: HashMap<String, Vec<String>> = HashMap::from([(
        "type".into(),
        [
            "service",
            "node",
            "secret",
            "config",
            "network",
            "container",
        ]
        .map(String::from)
        .to_vec(),
    )]);
    let mut events = docker.events(Some(EventsOptions {
        since: Some(since),
        filters: Some(filters),
        ..Default::default()
    }));
    let mut snap = match client::list_all(&docker).await {
        Ok(s) => s,
        Err(e) => return describe_error(&e),
    };
    publish(tx, &snap);
    let mut published = snap.clone();
    *attempt = 0;
    let mut pending: BTreeSet<Change> = BTreeSet::new();
    let mut deadline: Option<Instant> = None;
    let mut settle = Settle::default();
    let mut settle_due: Vec<String> = settle.due(&snap);
    let mut settle_at: Option<Instant> =
        (!settle_due.is_empty()).then(|| Instant::now() + settle::EVERY);
    let mut ping = tokio::time::interval_at(Instant::now() + PING_EVERY, PING_EVERY);
    let mut remote =
        tokio::time::interval_at(Instant::now() + REMOTE_TASKS_EVERY, REMOTE_TASKS_EVERY);
    loop {
        tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(ev)) => {
                    let changes = changes_for(&ev, snap.engine.swarm_manager);
                    for c in &changes {
                        match c {
                            Change::TasksOf(s) => settle.reset(s),
                            Change::All(Kind::Tasks) => settle.reset_all(),
                            Change::All(_) => {}
                        }
                    }
                    if !changes.is_empty() {
                        pending.extend(changes);
                        deadline.get_or_insert_with(|| Instant::now() + DEBOUNCE);
                    }
                }
                Some(Err(e)) => return describe_error(&e),
                None => return "engine closed the event stream".into(),
            },
            _ = async { sleep_until(deadline.unwrap_or_else(Instant::now)).await }, if deadline.is_some() => {
                deadline = None;
                let (kinds, services) = split(std::mem::take(&mut pending));
                let result = match client::refresh(&docker, &mut snap, &kinds).await {
                    Ok(()) => client::refresh_tasks_of(&docker, &mut snap, &services).await,
                    Err(e) => Err(e),
                };
                if let Err(e) = result {
                    return describe_error(&e);
                }
                // Events often change nothing on screen (a task retried into the same
                // state): publish only news, so the UI does no work for them.
                if !snap.same_content(&published) {
                    publish(tx, &snap);
                    published = snap.clone();
                }
                settle_due = settle.due(&snap);
                settle_at = (!settle_due.is_empty()).then(|| Instant::now() + settle::EVERY);
            }
            _ = async { sleep_until(settle_at.unwrap_or_else(Instant::now)).await }, if settle_at.is_some() => {
                settle_at = None;
                pending.extend(settle_due.drain(..).map(Change::TasksOf));
                deadline.get_or_insert_with(Instant::now);
            }
            _ = ping.tick() => {
                if let Err(e) = docker.ping().await {
                    return describe_error(&e);
                }
            }
            _ = remote.tick(), if snap.nodes.len() > 1 => {
                pending.insert(Change::All(Kind::Tasks));
                deadline.get_or_insert_with(Instant::now);
            }
            r = refresh.recv() => {
                if r.is_none() { return "watcher closed".into(); }
                match client::list_all(&docker).await {
                    Ok(s) => snap = s,
                    Err(e) => return describe_error(&e),
                }
                publish(tx, &snap);
                published = snap.clone();
            }
        }
    }
}

/// Whole kinds to re-list, and services whose tasks alone to re-list (skipped when all
/// tasks are re-listed anyway).
fn split(pending: BTreeSet<Change>) -> (Vec<Kind>, Vec<String>) {
    let mut kinds = Vec::new();
    let mut services = Vec::new();
    for c in pending {
        match c {
            Change::All(k) => kinds.push(k),
            Change::TasksOf(s) => services.push(s),
        }
    }
    if kinds.contains(&Kind::Tasks) {
        services.clear();
    }
    (kinds, services)
}

fn publish(tx: &watch::Sender<SwarmFeed>, snap: &SwarmSnapshot) {
    tx.send_replace(SwarmFeed {
        snapshot: Some(Arc::new(snap.clone())),
        status: SourceStatus::Live,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_service_task_lists_fold_into_a_full_one() {
        let p = BTreeSet::from([
            Change::TasksOf("a".into()),
            Change::All(Kind::Services),
            Change::TasksOf("b".into()),
        ]);
        assert_eq!(
            split(p),
            (vec![Kind::Services], vec!["a".to_string(), "b".to_string()])
        );
        let p = BTreeSet::from([Change::TasksOf("a".into()), Change::All(Kind::Tasks)]);
        assert_eq!(split(p), (vec![Kind::Tasks], vec![]));
    }

    #[test]
    fn backoff_grows_and_caps() {
        assert_eq!(backoff(0), Duration::from_millis(250));
        assert_eq!(backoff(1), Duration::from_millis(500));
        assert!(backoff(3) > backoff(2));
        assert_eq!(backoff(30), Duration::from_secs(10));
    }
}
