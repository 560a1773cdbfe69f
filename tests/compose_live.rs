//! A plain Docker host (no Swarm), as in seed 001: Compose projects and their
//! containers, live, from the lab's second engine. Also the one place where a healthy
//! engine is guaranteed, so `labdeck status` exit code 0 is checked here.

mod support;

use labdeck::backend::swarm::SwarmSnapshot;
use labdeck::backend::swarm::connect::Endpoint;
use labdeck::backend::swarm::watch::SwarmWatcher;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;
use support::plain::{Project, plain_host, require_plain};
use tokio_util::sync::CancellationToken;

async fn wait_for(
    watcher: &mut SwarmWatcher,
    timeout: Duration,
    mut ok: impl FnMut(&SwarmSnapshot) -> bool,
) -> Arc<SwarmSnapshot> {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let last = watcher.feed.borrow_and_update().snapshot.clone();
        if let Some(s) = &last
            && ok(s)
        {
            return s.clone();
        }
        if tokio::time::timeout_at(deadline, watcher.feed.changed())
            .await
            .is_err()
        {
            panic!("timed out; last snapshot: {last:#?}");
        }
    }
}

fn project_counts(s: &SwarmSnapshot, name: &str) -> Option<(usize, usize)> {
    s.compose_projects()
        .into_iter()
        .find(|p| p.name.as_ref().is_some_and(|n| n.as_str() == name))
        .map(|p| (p.containers, p.running))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compose_projects_of_a_plain_engine_are_live() {
    if !require_plain() {
        return;
    }
    let project = Project::new("lbk-compose");
    project.run("web", &["sleep", "3600"]);
    project.run("migrate", &["true"]);
    let cancel = CancellationToken::new();
    let mut w = SwarmWatcher::spawn(Endpoint::from_value(Some(&plain_host())), cancel.clone());
    let snap = wait_for(&mut w, Duration::from_secs(20), |s| {
        project_counts(s, &project.name).is_some_and(|(n, running)| n == 2 && running == 1)
    })
    .await;
    assert!(
        !snap.engine.swarm_manager,
        "a plain engine is not a swarm manager"
    );
    assert!(snap.services.is_empty() && snap.tasks.is_empty());
    let web = snap
        .containers_in(Some(&project.name))
        .into_iter()
        .find(|c| c.name.as_str().ends_with("-web-1"))
        .unwrap();
    assert_eq!(web.compose_service.as_ref().unwrap().as_str(), "web");
    assert_eq!(web.state.as_str(), "running");
    // A new container arrives through the event stream, without a refresh.
    project.run("worker", &["sleep", "3600"]);
    wait_for(&mut w, Duration::from_secs(5), |s| {
        project_counts(s, &project.name) == Some((3, 2))
    })
    .await;
    cancel.cancel();
}

#[test]
fn status_of_a_healthy_engine_exits_0() {
    if !require_plain() {
        return;
    }
    let out = Command::new(env!("CARGO_BIN_EXE_labdeck"))
        .args(["status", "--json"])
        .env("DOCKER_HOST", plain_host())
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{report:#}");
    assert_eq!(report["health"], "healthy");
    assert_eq!(report["swarm"]["swarm_active"], false);
}
