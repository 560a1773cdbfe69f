//! The live Swarm source: Docker's `/events` stream triggers re-lists of what changed;
//! every (re)connect re-lists everything. Publishes the newest snapshot on a
//! `tokio::sync::watch` channel, so a slow reader never builds a backlog.

use super::client::Kind;
use super::connect::{Endpoint, describe_error};
use super::events::{Change, changes_for};
use super::model::SwarmSnapshot;
use super::settle::{self, Settle};
use crate::backend::supervise::{backoff, supervise};
use crate::core::status::SourceStatus;
use crate::core::time::Timestamp;
use bollard::query_parameters::EventsOptions;
use futures::StreamExt;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;
use tokio::sync::{Notify, watch};
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
#[derive(Clone)]
pub struct SwarmWatcher {
    pub feed: watch::Receiver<SwarmFeed>,
    refresh: Arc<Notify>,
}

/// Fault injection for tests: the watcher task panics right after its first full
/// list, this many times (`LABDECK_FAULT_WATCHER_PANICS=N` for the binary).
#[derive(Debug, Clone, Default)]
pub struct Faults {
    pub panics_after_list: Arc<AtomicU32>,
}

pub const FAULT_PANICS_ENV: &str = "LABDECK_FAULT_WATCHER_PANICS";

impl Faults {
    pub fn from_env() -> Faults {
        let n = std::env::var(FAULT_PANICS_ENV)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        Faults::panics(n)
    }

    pub fn panics(n: u32) -> Faults {
        Faults {
            panics_after_list: Arc::new(AtomicU32::new(n)),
        }
    }

    fn take_panic(&self) -> bool {
        self.panics_after_list
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
    }
}

impl SwarmWatcher {
    /// Start watching `endpoint` until `cancel` fires.
    pub fn spawn(endpoint: Endpoint, cancel: CancellationToken) -> SwarmWatcher {
        SwarmWatcher::spawn_with(endpoint, cancel, Faults::default())
    }

    /// The same, with faults injected (tests).
    pub fn spawn_with(
        endpoint: Endpoint,
        cancel: CancellationToken,
        faults: Faults,
    ) -> SwarmWatcher {
        let (tx, feed) = watch::channel(SwarmFeed {
            snapshot: None,
            status: SourceStatus::Connecting,
        });
        let refresh = Arc::new(Notify::new());
        let tx = Arc::new(tx);
        let (t, r, c) = (tx.clone(), refresh.clone(), cancel.clone());
        let make = move || {
            reconnecting(
                endpoint.clone(),
                t.clone(),
                r.clone(),
                c.clone(),
                faults.clone(),
            )
        };
        let lost = move |reason: String, attempt| mark_stale(&tx, &reason, attempt);
        tokio::spawn(supervise("swarm", cancel, make, lost));
        SwarmWatcher { feed, refresh }
    }

    /// Ask for a full re-list now (the user pressed refresh).
    pub fn refresh(&self) {
        self.refresh.notify_one();
    }
}

/// The data stays; its status says since when it is old, and why.
fn mark_stale(tx: &watch::Sender<SwarmFeed>, reason: &str, attempt: u32) {
    tx.send_modify(|f| {
        let taken_at = f.snapshot.as_ref().and_then(|s| s.taken_at);
        f.status = f.status.gone_stale(taken_at, reason, attempt);
    });
}

/// Connect, watch, and on every loss mark stale and try again with backoff.
async fn reconnecting(
    endpoint: Endpoint,
    tx: Arc<watch::Sender<SwarmFeed>>,
    refresh: Arc<Notify>,
    cancel: CancellationToken,
    faults: Faults,
) {
    let mut attempt = 0u32;
    loop {
        let reason = tokio::select! {
            _ = cancel.cancelled() => return,
            r = connected(&endpoint, &tx, &refresh, &mut attempt, &faults) => r,
        };
        attempt += 1;
        tracing::warn!(%reason, attempt, "swarm source lost");
        mark_stale(&tx, &reason, attempt);
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
    refresh: &Notify,
    attempt: &mut u32,
    faults: &Faults,
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
    let mut events = docker.events(EventsOptions {
        since: Some(since),
        filters: Some(filters),
        ..Default::default()
    });
    let mut snap = match docker.list_all().await {
        Ok(s) => s,
        Err(e) => return describe_error(&e),
    };
    publish(tx, &snap);
    if faults.take_panic() {
        panic!("fault injected by {FAULT_PANICS_ENV}");
    }
    let mut published = snap.clone();
    *attempt = 0;
    let mut pending: BTreeSet<Change> = BTreeSet::new();
    let mut deadline: Option<Instant> = None;
    let mut settle = Settle::default();
    let mut settle_due: Vec<String> = settle.due(&snap);
    let mut containers_again = false;
    let mut settle_at: Option<Instant> =
        (!settle_due.is_empty()).then(|| Instant::now() + settle::EVERY);
    // A slot held failing while its new attempt is young is judged again when that
    // attempt has run long enough: no event says so.
    let mut hold_at = hold_instant(&snap);
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
                            Change::All(_) | Change::HealthOf(_) => {}
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
                let (kinds, services, containers) = split(std::mem::take(&mut pending));
                let result = match docker.refresh(&mut snap, &kinds).await {
                    Ok(()) => match docker.refresh_tasks_of(&mut snap, &services).await {
                        Ok(()) => docker.refresh_health_of(&mut snap, &containers).await,
                        Err(e) => Err(e),
                    },
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
                hold_at = hold_instant(&snap);
                settle_due = settle.due(&snap);
                // A container's `die` can come before the engine lists it as exited:
                // containers re-listed for an event are looked at once more, later.
                containers_again = kinds.contains(&Kind::Containers) && !containers_again;
                let any = !settle_due.is_empty() || containers_again;
                settle_at = any.then(|| Instant::now() + settle::EVERY);
            }
            _ = async { sleep_until(settle_at.unwrap_or_else(Instant::now)).await }, if settle_at.is_some() => {
                settle_at = None;
                pending.extend(settle_due.drain(..).map(Change::TasksOf));
                if containers_again {
                    pending.insert(Change::All(Kind::Containers));
                }
                deadline.get_or_insert_with(Instant::now);
            }
            _ = async { sleep_until(hold_at.unwrap_or_else(Instant::now)).await }, if hold_at.is_some() => {
                // Same tasks, a later judgement: published although `same_content` holds.
                snap.taken_at = Some(Timestamp::now());
                publish(tx, &snap);
                published = snap.clone();
                hold_at = hold_instant(&snap);
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
            _ = refresh.notified() => {
                match docker.list_all().await {
                    Ok(s) => snap = s,
                    Err(e) => return describe_error(&e),
                }
                publish(tx, &snap);
                published = snap.clone();
                hold_at = hold_instant(&snap);
            }
        }
    }
}

/// When to judge the held slots again: a moment after the earliest becomes well.
fn hold_instant(snap: &SwarmSnapshot) -> Option<Instant> {
    let until = snap.failing_hold_until()?;
    let now = snap.taken_at.unwrap_or_else(Timestamp::now);
    let wait = u64::try_from(until.0.saturating_sub(now.0)).unwrap_or(0);
    // Timestamps are whole seconds: one more, so the moment has surely passed.
    Some(Instant::now() + Duration::from_secs(wait + 1))
}

/// Whole kinds to re-list, services whose tasks alone to re-list (skipped when all
/// tasks are re-listed anyway), and containers whose health to read again.
fn split(pending: BTreeSet<Change>) -> (Vec<Kind>, Vec<String>, Vec<String>) {
    let mut kinds = Vec::new();
    let mut services = Vec::new();
    let mut containers = Vec::new();
    for c in pending {
        match c {
            Change::All(k) => kinds.push(k),
            Change::TasksOf(s) => services.push(s),
            Change::HealthOf(c) => containers.push(c),
        }
    }
    if kinds.contains(&Kind::Tasks) {
        services.clear();
    }
    if kinds.contains(&Kind::Health) {
        containers.clear();
    }
    (kinds, services, containers)
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
            (
                vec![Kind::Services],
                vec!["a".to_string(), "b".to_string()],
                vec![]
            )
        );
        let p = BTreeSet::from([Change::TasksOf("a".into()), Change::All(Kind::Tasks)]);
        assert_eq!(split(p), (vec![Kind::Tasks], vec![], vec![]));
        let p = BTreeSet::from([Change::HealthOf("c1".into()), Change::All(Kind::Nodes)]);
        assert_eq!(
            split(p),
            (vec![Kind::Nodes], vec![], vec!["c1".to_string()])
        );
        let p = BTreeSet::from([Change::HealthOf("c1".into()), Change::All(Kind::Health)]);
        assert_eq!(
            split(p),
            (vec![Kind::Health], vec![], vec![]),
            "all read anyway"
        );
    }
}
