//! Supervision, proved by fault injection against the real lab engine: a watcher task
//! that panics is restarted; meanwhile its data stays on screen marked stale with the
//! reason (never "live" over frozen data), and then it is live again.

mod support;

use labdeck::backend::swarm::watch::Faults;
use labdeck::core::status::SourceStatus;
use std::time::Duration;
use support::feed::{Watched, wait_for_feed};
use support::lab::{self, require_lab};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crashed_watcher_goes_stale_with_the_reason_then_comes_back_live() {
    if !require_lab() {
        return;
    }
    let host = format!("unix://{}", lab::SOCKET);
    // Two crashes in a row: the second restart must still come back.
    let watched = Watched::start_with(&host, Faults::panics(2));
    let mut feed = watched.feed();
    let stale = wait_for_feed(&mut feed, Duration::from_secs(20), "stale after the crash", |f| {
        matches!(&f.status, SourceStatus::Stale { reason, .. } if reason.as_str().contains("crashed"))
    })
    .await;
    let SourceStatus::Stale {
        reason, attempt, ..
    } = &stale.status
    else {
        unreachable!()
    };
    assert!(reason.as_str().contains("fault injected"), "{reason}");
    assert!(*attempt >= 1);
    assert!(
        stale.snapshot.is_some(),
        "the data listed before the crash stays"
    );
    let live = wait_for_feed(
        &mut feed,
        Duration::from_secs(20),
        "live after restarts",
        |f| f.status.is_live(),
    )
    .await;
    assert!(live.snapshot.is_some_and(|s| s.engine.swarm_manager));
}
