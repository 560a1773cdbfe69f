//! Task health from the lab's real engine: a service's healthcheck passes, then fails;
//! the watcher sees both through the event stream (`health_status: ...`), never by
//! polling, with the failing streak the engine counted; and the engine's replacement,
//! once healthy, is seen running (the service is whole again).

mod support;

use std::time::Duration;

use labdeck::backend::swarm::SwarmSnapshot;
use support::feed::{Watched, wait_for_snapshot};
use support::lab::{self, Stack};

const COMPOSE: &str = r#"
version: "3.8"
services:
  checked:
    image: local/busybox:1
    # Healthy only 5 s after it starts: longer than the watcher's follow-up looks after a
    # container's start, so only the `healthy` event can tell that the task now runs.
    command: ["/bin/sh", "-c", "sleep 5; : > /ready; sleep 3600"]
    stop_grace_period: 1s
    # The lab image is busybox's shell and little else: `test` and `>` are built in.
    healthcheck:
      test: ["CMD", "/bin/sh", "-c", "test -f /ready && test ! -f /sick"]
      interval: 1s
      timeout: 1s
      retries: 2
      # Its first 5 s fail without counting; once healthy, every failure counts.
      start_period: 30s
"#;

/// The health of the running task's container of `service`, with the container ID.
fn health_of(s: &SwarmSnapshot, service: &str) -> Option<(String, String, u64)> {
    let svc = s.services.iter().find(|x| x.name.as_str() == service)?;
    let task = s
        .tasks
        .iter()
        .find(|t| t.service_id == svc.id && t.is_running())?;
    let id = task.container_id.clone()?;
    let h = s.health.get(&id)?;
    Some((id, h.status.to_string(), h.failing_streak))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_healthcheck_shows_as_unhealthy_with_its_streak() {
    require_lab!();
    let stack = tokio::task::spawn_blocking(|| Stack::deploy("ldhealth", COMPOSE))
        .await
        .unwrap();
    let checked = stack.service("checked");
    let watched = Watched::start(&format!("unix://{}", lab::SOCKET));
    let mut feed = watched.feed();
    let healthy = wait_for_snapshot(&mut feed, Duration::from_secs(60), "healthy", |s| {
        health_of(s, &checked).is_some_and(|(_, st, _)| st == "healthy")
    })
    .await;
    let (container, _, streak) = health_of(&healthy, &checked).unwrap();
    assert_eq!(streak, 0);
    let c = container.clone();
    tokio::task::spawn_blocking(move || lab::docker(&["exec", &c, "/bin/sh", "-c", ": > /sick"]))
        .await
        .unwrap();
    let sick = wait_for_snapshot(&mut feed, Duration::from_secs(30), "unhealthy", |s| {
        s.health
            .get(&container)
            .is_some_and(|h| h.status.as_str() == "unhealthy")
    })
    .await;
    let h = &sick.health[&container];
    assert!(h.failing_streak >= 2, "the engine's streak: {h:?}");

    // The engine replaces the unhealthy task; its new one runs once healthy. That step
    // raises no event of its own but the healthcheck's: it must reach the feed.
    let back = wait_for_snapshot(
        &mut feed,
        Duration::from_secs(90),
        "the service whole again",
        |s| {
            let Some(svc) = s.services.iter().find(|x| x.name.as_str() == checked) else {
                return false;
            };
            let r = s.replicas(svc);
            r.running == 1
                && r.desired == 1
                && health_of(s, &checked)
                    .is_some_and(|(id, st, _)| id != container && st == "healthy")
        },
    )
    .await;
    let svc = back
        .services
        .iter()
        .find(|x| x.name.as_str() == checked)
        .unwrap();
    assert!(!back.replicas(svc).is_short());
}
