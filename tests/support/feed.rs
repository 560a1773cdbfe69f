//! Reading a [`SwarmWatcher`]'s feed in tests: wait, with a deadline, until what it
//! publishes satisfies a condition, and on timeout fail with what was seen instead.
//!
//! Only `feed.changed()` is awaited: nothing here asks the watcher to re-list, so a
//! change seen through these helpers reached the watcher on its own (events, reconnect).

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Duration;

use labdeck::backend::swarm::SwarmSnapshot;
use labdeck::backend::swarm::connect::Endpoint;
use labdeck::backend::swarm::watch::{Faults, SwarmFeed, SwarmWatcher};
use tokio::sync::watch;
use tokio::time::Instant;
use tokio_util::sync::{CancellationToken, DropGuard};

/// A watcher that stops when this is dropped.
pub struct Watched {
    pub watcher: SwarmWatcher,
    _stop: DropGuard,
}

impl Watched {
    /// Starts a watcher on `docker_host` (`unix:///...`). Must run inside a runtime.
    pub fn start(docker_host: &str) -> Watched {
        Watched::start_with(docker_host, Faults::default())
    }

    /// The same, with faults injected into the watcher.
    pub fn start_with(docker_host: &str, faults: Faults) -> Watched {
        let cancel = CancellationToken::new();
        let endpoint = Endpoint::from_value(Some(docker_host));
        let watcher = SwarmWatcher::spawn_with(endpoint, cancel.clone(), faults);
        Watched {
            watcher,
            _stop: cancel.drop_guard(),
        }
    }

    /// A receiver of its own: waiting on it does not consume other waiters' changes.
    pub fn feed(&self) -> watch::Receiver<SwarmFeed> {
        self.watcher.feed.clone()
    }
}

/// Waits until the feed (status and snapshot) satisfies `pred`, checking the current
/// value first; `Err` with the last feed seen when `timeout` passes first.
pub async fn try_wait_for_feed(
    feed: &mut watch::Receiver<SwarmFeed>,
    timeout: Duration,
    mut pred: impl FnMut(&SwarmFeed) -> bool,
) -> Result<SwarmFeed, SwarmFeed> {
    let deadline = Instant::now() + timeout;
    loop {
        let current = feed.borrow_and_update().clone();
        if pred(&current) {
            return Ok(current);
        }
        match tokio::time::timeout_at(deadline, feed.changed()).await {
            Ok(Ok(())) => {}
            Ok(Err(_)) => panic!(
                "the watcher stopped publishing (task ended); last feed:\n{}",
                describe_feed(&current)
            ),
            Err(_) => return Err(current),
        }
    }
}

/// [`try_wait_for_feed`], panicking on timeout with `what` and the last feed seen.
pub async fn wait_for_feed(
    feed: &mut watch::Receiver<SwarmFeed>,
    timeout: Duration,
    what: &str,
    pred: impl FnMut(&SwarmFeed) -> bool,
) -> SwarmFeed {
    match try_wait_for_feed(feed, timeout, pred).await {
        Ok(seen) => seen,
        Err(last) => panic!(
            "timed out after {timeout:?} waiting for: {what}\nlast feed seen:\n{}",
            describe_feed(&last)
        ),
    }
}

/// Waits until a snapshot satisfies `pred` and returns it; panics on timeout with
/// `what` and a summary of the last snapshot seen (or that none came).
pub async fn wait_for_snapshot(
    feed: &mut watch::Receiver<SwarmFeed>,
    timeout: Duration,
    what: &str,
    mut pred: impl FnMut(&SwarmSnapshot) -> bool,
) -> Arc<SwarmSnapshot> {
    let seen = wait_for_feed(feed, timeout, what, |f| {
        f.snapshot.as_deref().is_some_and(&mut pred)
    })
    .await;
    seen.snapshot.expect("the predicate held for a snapshot")
}

/// Status plus a snapshot summary, for failure messages.
pub fn describe_feed(feed: &SwarmFeed) -> String {
    let mut out = format!("status: {:?}\n", feed.status);
    match &feed.snapshot {
        None => out.push_str("no snapshot yet\n"),
        Some(snap) => out.push_str(&describe(snap)),
    }
    out
}

/// Tasks listed per service in [`describe`].
const TASKS_SHOWN: usize = 6;

/// One line per service (mode, image, replicas) and a few of its tasks, then networks,
/// secrets and configs by name: enough to see why a condition did not hold.
pub fn describe(snap: &SwarmSnapshot) -> String {
    let mut out = format!(
        "snapshot taken at {:?}: {} services, {} tasks, {} nodes\n",
        snap.taken_at,
        snap.services.len(),
        snap.tasks.len(),
        snap.nodes.len()
    );
    for s in &snap.services {
        let r = snap.replicas(s);
        let _ = writeln!(
            out,
            "  service {} (stack {:?}) {:?} image {} replicas {}/{} failing {}",
            s.name,
            s.stack.as_ref().map(|t| t.as_str()),
            s.mode,
            s.image,
            r.running,
            r.desired,
            snap.failing_tasks_of(&s.id)
        );
        // A few tasks per service, by slot, newest first: enough to see a crash loop
        // without drowning the message in a 200-task benchmark running alongside.
        let tasks = snap.tasks_of(&s.id);
        for t in tasks.iter().take(TASKS_SHOWN) {
            let _ = writeln!(
                out,
                "    task {} slot {:?} {} (desired {}) error {:?} exit {:?} at {:?}",
                &t.id[..t.id.len().min(12)],
                t.slot,
                t.state,
                t.desired_state,
                t.error.as_ref().map(|e| e.as_str()),
                t.exit_code,
                t.timestamp
            );
        }
        if tasks.len() > TASKS_SHOWN {
            let _ = writeln!(out, "    ... and {} more", tasks.len() - TASKS_SHOWN);
        }
    }
    let names = |objs: &mut dyn Iterator<Item = &str>| objs.collect::<Vec<_>>().join(", ");
    let _ = writeln!(
        out,
        "  networks: {}",
        names(&mut snap.networks.iter().map(|n| n.name.as_str()))
    );
    let _ = writeln!(
        out,
        "  secrets: {}",
        names(&mut snap.secrets.iter().map(|s| s.name.as_str()))
    );
    let _ = writeln!(
        out,
        "  configs: {}",
        names(&mut snap.configs.iter().map(|c| c.name.as_str()))
    );
    out
}
