//! The Swarm backend against the real lab engine (`scripts/lab up`): each test deploys
//! its own uniquely named stack, starts its own `SwarmWatcher` and reads what the
//! watcher publishes, as the TUI does. Nothing here calls `refresh()`: changes must
//! reach the watcher through the engine's event stream or a reconnect.
//!
//! Timing bounds: 2 s from a scale to the snapshot (what the issue asks of the live
//! view); generous ones (30 s) for the engine to start or stop tasks.

mod support;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use labdeck::backend::swarm::SwarmSnapshot;
use labdeck::backend::swarm::connect::Endpoint;
use labdeck::backend::swarm::model::{STACK_LABEL, Service, ServiceMode};
use labdeck::backend::swarm::ops::{SwarmOp, SwarmStep};
use labdeck::core::status::SourceStatus;
use labdeck::core::text::SafeText;
use labdeck::ops::plan::Plan;
use support::feed::{Watched, describe, wait_for_feed, wait_for_snapshot};
use support::lab::{self, Stack, docker};
use support::proxy::DockerProxy;

/// Tasks starting or stopping, stacks appearing: the engine's pace on a busy 2-core VM.
const CONVERGE: Duration = Duration::from_secs(30);
/// From a scale being accepted to the snapshot showing it.
const SCALE_SEEN_WITHIN: Duration = Duration::from_secs(2);
/// From the engine going away to the feed saying so.
const STALE_WITHIN: Duration = Duration::from_secs(20);
/// From the engine coming back to the feed being live again (backoff caps at 10 s).
const LIVE_AGAIN_WITHIN: Duration = Duration::from_secs(15);

const SECRET_CONTENT: &str = "s3cr3t-VALUE-do-not-show";
/// `printf %s s3cr3t-VALUE-do-not-show | base64`: how the engine would encode it.
const SECRET_CONTENT_B64: &str = "czNjcjN0LVZBTFVFLWRvLW5vdC1zaG93";
const CONFIG_CONTENT: &str = "c0nfig-VALUE-do-not-show";
/// `printf %s c0nfig-VALUE-do-not-show | base64`: how the engine sends config data.
const CONFIG_CONTENT_B64: &str = "YzBuZmlnLVZBTFVFLWRvLW5vdC1zaG93";

// ---- helpers ----

fn lab_host() -> String {
    format!("unix://{}", lab::SOCKET)
}

/// [`Stack::deploy`] off the runtime's worker threads (the CLI blocks).
async fn deploy(prefix: &'static str, compose: String) -> Stack {
    tokio::task::spawn_blocking(move || Stack::deploy(prefix, &compose))
        .await
        .expect("deploy panicked")
}

/// The docker CLI on the lab engine, off the runtime's worker threads.
async fn docker_cli(args: &[&str]) -> String {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        docker(&args)
    })
    .await
    .expect("docker CLI panicked")
}

fn service<'a>(snap: &'a SwarmSnapshot, name: &str) -> Option<&'a Service> {
    snap.services.iter().find(|s| s.name.as_str() == name)
}

fn in_stack(labels: &[(SafeText, SafeText)], stack: &str) -> bool {
    labels
        .iter()
        .any(|(k, v)| k.as_str() == STACK_LABEL && v.as_str() == stack)
}

/// Every service of `stack` runs as many tasks as it wants, and there are `services`.
fn converged(snap: &SwarmSnapshot, stack: &str, services: usize) -> bool {
    let mine = snap.services_in(Some(stack));
    mine.len() == services
        && mine.iter().all(|s| {
            let r = snap.replicas(s);
            r.desired > 0 && r.running == r.desired
        })
}

fn desired(snap: &SwarmSnapshot, name: &str) -> Option<u64> {
    service(snap, name).map(|s| snap.replicas(s).desired)
}

/// A file in `dir` holding `content`, for compose `secrets:`/`configs:` (`file:` takes
/// an absolute path, so the Stack's own tempdir is not needed).
fn write_file(dir: &Path, name: &str, content: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, content).expect("write a secret/config file");
    path.to_str().expect("UTF-8 tempdir").to_owned()
}

// ---- tests ----

const TWO_SERVICES: &str = r#"
version: "3.8"
services:
  checked:
    image: local/busybox:1
    command: ["/bin/sh", "-c", "sleep 3600"]
    stop_grace_period: 1s
    healthcheck:
      test: ["CMD", "/bin/true"]
      interval: 1s
      timeout: 2s
      retries: 3
    deploy:
      replicas: 2
  plain:
    image: local/busybox:1
    command: ["sleep", "3600"]
    stop_grace_period: 1s
    deploy:
      mode: global
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deployed_stack_appears_with_both_services() {
    require_lab!();
    let watched = Watched::start(&lab_host());
    let mut feed = watched.feed();
    let stack = deploy("ldlive-two", TWO_SERVICES.into()).await;
    let name = stack.name().to_owned();

    let snap = wait_for_snapshot(&mut feed, CONVERGE, "the stack with two services", |s| {
        s.stacks()
            .iter()
            .any(|st| st.name.as_ref().map(|n| n.as_str()) == Some(&name) && st.services == 2)
    })
    .await;
    let mine = snap.services_in(Some(&name));
    let names: Vec<&str> = mine.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [stack.service("checked"), stack.service("plain")],
        "{}",
        describe(&snap)
    );
    let checked = service(&snap, &stack.service("checked")).unwrap();
    let plain = service(&snap, &stack.service("plain")).unwrap();
    assert_eq!(checked.mode, ServiceMode::Replicated(2));
    assert_eq!(plain.mode, ServiceMode::Global);
    for s in [checked, plain] {
        assert_eq!(s.image.as_str(), lab::IMAGE, "{s:?}");
        assert_eq!(s.stack.as_ref().map(|t| t.as_str()), Some(name.as_str()));
        assert!(in_stack(&s.labels, &name), "{s:?}");
    }

    // The healthchecked service only counts as running once healthy.
    let snap = wait_for_snapshot(&mut feed, CONVERGE, "all replicas running", |s| {
        converged(s, &name, 2)
    })
    .await;
    let checked = service(&snap, &stack.service("checked")).unwrap();
    let plain = service(&snap, &stack.service("plain")).unwrap();
    assert_eq!(snap.replicas(checked).desired, 2);
    assert_eq!(snap.replicas(plain).desired, snap.nodes.len() as u64);
    let summary = snap
        .stacks()
        .into_iter()
        .find(|st| st.name.as_ref().map(|n| n.as_str()) == Some(&name))
        .unwrap();
    assert_eq!(summary.replicas.running, summary.replicas.desired);
    assert_eq!(summary.failing_tasks, 0, "{}", describe(&snap));
}

const SCALABLE: &str = r#"
version: "3.8"
services:
  web:
    image: local/busybox:1
    command: ["/bin/sh", "-c", "sleep 3600"]
    stop_grace_period: 1s
    healthcheck:
      test: ["CMD", "/bin/true"]
      interval: 1s
      timeout: 2s
      retries: 3
    deploy:
      replicas: 1
"#;

async fn healthcheck_of(service: &str) -> String {
    docker_cli(&[
        "service",
        "inspect",
        "--format",
        "{{json .Spec.TaskTemplate.ContainerSpec.Healthcheck}}",
        service,
    ])
    .await
    .trim()
    .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scale_arrives_through_events_within_two_seconds() {
    require_lab!();
    let watched = Watched::start(&lab_host());
    let mut feed = watched.feed();
    let stack = deploy("ldlive-scale", SCALABLE.into()).await;
    let (name, web) = (stack.name().to_owned(), stack.service("web"));
    let snap = wait_for_snapshot(&mut feed, CONVERGE, "web running 1/1", |s| {
        converged(s, &name, 1)
    })
    .await;
    let web_id = service(&snap, &web).unwrap().id.clone();
    let health_before = healthcheck_of(&web).await;
    assert!(
        health_before.contains("/bin/true"),
        "no healthcheck deployed: {health_before}"
    );

    // labdeck's own write path.
    let endpoint = Endpoint::from_value(Some(&lab_host()));
    let writer = support::writer();
    let op = SwarmOp::Scale {
        service_id: web_id.clone(),
        service: web.clone(),
        replicas: 2,
    };
    let said = Plan::one(SwarmStep { endpoint, op })
        .apply(&writer, std::sync::Arc::new(|_| {}))
        .await
        .expect("scale through a plan of one step");
    let applied = Instant::now();
    assert_eq!(said, format!("scaled {web} to 2"));
    wait_for_snapshot(
        &mut feed,
        SCALE_SEEN_WITHIN,
        "desired 2 after ops::apply",
        |s| desired(s, &web) == Some(2),
    )
    .await;
    eprintln!("ops::apply scale -> snapshot: {:?}", applied.elapsed());

    // The update went out as the engine's raw JSON: the healthcheck is still there.
    let health_after = healthcheck_of(&web).await;
    assert_eq!(
        health_after, health_before,
        "the scale changed the healthcheck"
    );

    // A change made by someone else (the CLI) arrives the same way.
    docker_cli(&["service", "scale", &format!("{web}=3"), "--detach"]).await;
    let scaled = Instant::now();
    wait_for_snapshot(
        &mut feed,
        SCALE_SEEN_WITHIN,
        "desired 3 after the CLI scale",
        |s| desired(s, &web) == Some(3),
    )
    .await;
    eprintln!("docker service scale -> snapshot: {:?}", scaled.elapsed());

    // And the tasks follow, still through events.
    wait_for_snapshot(&mut feed, CONVERGE, "web running 3/3", |s| {
        service(s, &web).is_some_and(|svc| s.replicas(svc).running == 3)
    })
    .await;
}

/// Crash-loops: fails, waits out the restart delay, fails again, then gives up. While it
/// loops, the newest task of the slot is the pending replacement, which `failing_tasks_of`
/// calls recovering (or not, at random: the failure and its replacement share a
/// timestamp second, and the engine's list order breaks the tie). Once the attempts are
/// used up the failed task stays the newest: failing, deterministically.
const CRASHING: &str = r#"
version: "3.8"
services:
  crash:
    image: local/busybox:1
    command: ["/bin/sh", "-c", "echo boom; exit 3"]
    stop_grace_period: 1s
    deploy:
      restart_policy:
        condition: on-failure
        delay: 5s
        max_attempts: 1
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failing_task_shows_its_error() {
    require_lab!();
    let watched = Watched::start(&lab_host());
    let mut feed = watched.feed();
    let stack = deploy("ldlive-fail", CRASHING.into()).await;
    let crash = stack.service("crash");

    let engine_error = |s: &SwarmSnapshot| {
        let svc = service(s, &crash)?;
        s.tasks_of(&svc.id)
            .into_iter()
            .find(|t| {
                t.state.as_str() == "failed"
                    && t.error.as_ref().map(|e| e.as_str()) == Some("task: non-zero exit (3)")
                    && t.exit_code == Some(3)
            })
            .cloned()
    };
    let snap = wait_for_snapshot(
        &mut feed,
        CONVERGE,
        "a failed task with error `task: non-zero exit (3)` and exit code 3",
        |s| engine_error(s).is_some(),
    )
    .await;
    let task = engine_error(&snap).unwrap();
    assert!(task.is_failing(), "{task:?}");

    let snap = wait_for_snapshot(&mut feed, CONVERGE, "failing_tasks_of >= 1", |s| {
        service(s, &crash).is_some_and(|svc| s.failing_tasks_of(&svc.id) >= 1)
    })
    .await;
    let svc = service(&snap, &crash).unwrap();
    assert_eq!(snap.replicas(svc).running, 0, "{}", describe(&snap));
    let summary = snap
        .stacks()
        .into_iter()
        .find(|st| st.name.as_ref().map(|n| n.as_str()) == Some(stack.name()))
        .unwrap();
    assert!(summary.failing_tasks >= 1, "{summary:?}");
}

fn removable(secret_file: &str) -> String {
    format!(
        r#"
version: "3.8"
services:
  app:
    image: local/busybox:1
    command: ["sleep", "3600"]
    stop_grace_period: 1s
    secrets: [token]
secrets:
  token:
    file: {secret_file}
"#
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn removal_makes_it_disappear() {
    require_lab!();
    let files = tempfile::tempdir().unwrap();
    let secret = write_file(files.path(), "token", SECRET_CONTENT);
    let watched = Watched::start(&lab_host());
    let mut feed = watched.feed();
    let stack = deploy("ldlive-rm", removable(&secret)).await;
    let name = stack.name().to_owned();
    let ours = |s: &SwarmSnapshot| {
        (
            s.services_in(Some(&name)).len(),
            s.networks
                .iter()
                .filter(|n| n.stack.as_ref().is_some_and(|st| st.as_str() == name))
                .count(),
            s.secrets
                .iter()
                .filter(|x| in_stack(&x.labels, &name))
                .count(),
        )
    };
    let snap = wait_for_snapshot(
        &mut feed,
        CONVERGE,
        "the stack's service, network, secret, running",
        |s| ours(s) == (1, 1, 1) && converged(s, &name, 1),
    )
    .await;
    assert!(
        snap.networks
            .iter()
            .any(|n| n.name.as_str() == format!("{name}_default")),
        "{}",
        describe(&snap)
    );

    let endpoint = Endpoint::from_value(Some(&lab_host()));
    let writer = support::writer();
    let op = SwarmOp::RemoveStack {
        stack: name.clone(),
    };
    let said = Plan::one(SwarmStep { endpoint, op })
        .apply(&writer, std::sync::Arc::new(|_| {}))
        .await
        .expect("RemoveStack through a plan");
    assert!(said.starts_with(&format!("removed stack {name}")), "{said}");

    wait_for_snapshot(
        &mut feed,
        CONVERGE,
        "the stack's service, network and secret gone",
        |s| ours(s) == (0, 0, 0),
    )
    .await;
    let filter = format!("label={STACK_LABEL}={name}");
    for object in ["service", "network", "secret", "config"] {
        let left = docker_cli(&[object, "ls", "-q", "--filter", &filter]).await;
        assert!(left.trim().is_empty(), "{object}s left by {name}: {left}");
    }
    // Nothing left for the Stack to remove: its Drop must find that fine.
    tokio::task::spawn_blocking(move || drop(stack))
        .await
        .expect("dropping an already removed stack panicked");
}

const SHARED: &str = r#"
version: "3.8"
services:
  app:
    image: local/busybox:1
    command: ["sleep", "3600"]
    stop_grace_period: 1s
    secrets: [token]
    configs:
      - source: settings
        target: /etc/app.conf
  worker:
    image: local/busybox:1
    command: ["sleep", "3600"]
    stop_grace_period: 1s
    deploy:
      replicas: 0
    secrets: [token]
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_and_configs_show_their_users_but_never_contents() {
    require_lab!();
    let files = tempfile::tempdir().unwrap();
    let secret = write_file(files.path(), "token", SECRET_CONTENT);
    let config = write_file(files.path(), "settings", CONFIG_CONTENT);
    let compose = format!(
        "{SHARED}secrets:\n  token:\n    file: {secret}\nconfigs:\n  settings:\n    file: {config}\n"
    );
    let watched = Watched::start(&lab_host());
    let mut feed = watched.feed();
    let stack = deploy("ldlive-sec", compose).await;
    let name = stack.name().to_owned();
    // The stack prefixes secrets and configs as it does services.
    let (secret_name, config_name) = (stack.service("token"), stack.service("settings"));

    let snap = wait_for_snapshot(
        &mut feed,
        CONVERGE,
        "the secret, the config and both services",
        |s| {
            s.services_in(Some(&name)).len() == 2
                && s.secrets.iter().any(|x| x.name.as_str() == secret_name)
                && s.configs.iter().any(|x| x.name.as_str() == config_name)
        },
    )
    .await;
    let secret = snap
        .secrets
        .iter()
        .find(|x| x.name.as_str() == secret_name)
        .unwrap();
    let config = snap
        .configs
        .iter()
        .find(|x| x.name.as_str() == config_name)
        .unwrap();
    assert!(in_stack(&secret.labels, &name), "{secret:?}");
    assert!(in_stack(&config.labels, &name), "{config:?}");
    let users = |v: Vec<&SafeText>| {
        let mut v: Vec<String> = v.into_iter().map(|t| t.as_str().to_owned()).collect();
        v.sort();
        v
    };
    assert_eq!(
        users(snap.users_of_secret(&secret.id)),
        [stack.service("app"), stack.service("worker")]
    );
    assert_eq!(
        users(snap.users_of_config(&config.id)),
        [stack.service("app")]
    );

    // The engine does hand out config data (base64): labdeck must drop it.
    let data = docker_cli(&[
        "config",
        "inspect",
        "--format",
        "{{json .Spec.Data}}",
        &config_name,
    ])
    .await;
    assert!(data.contains(CONFIG_CONTENT_B64), "engine sent {data}");
    let json = serde_json::to_string(&*snap).expect("the snapshot serializes");
    let debug = format!("{snap:?}");
    for leak in [
        SECRET_CONTENT,
        SECRET_CONTENT_B64,
        CONFIG_CONTENT,
        CONFIG_CONTENT_B64,
    ] {
        assert!(!json.contains(leak), "{leak} is in the serialized snapshot");
        assert!(
            !debug.contains(leak),
            "{leak} is in the snapshot's Debug output"
        );
    }
}

fn watched_stack(snap: &SwarmSnapshot, stack: &str) -> bool {
    !snap.services_in(Some(stack)).is_empty()
}

const ONE_IDLE: &str = r#"
version: "3.8"
services:
  idle:
    image: local/busybox:1
    command: ["sleep", "3600"]
    stop_grace_period: 1s
    deploy:
      replicas: 0
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn engine_outage_goes_stale_then_live_again() {
    require_lab!();
    let proxy = DockerProxy::start(Path::new(lab::SOCKET));
    let before = deploy("ldlive-out-a", ONE_IDLE.into()).await;
    let before_name = before.name().to_owned();
    let watched = Watched::start(&proxy.docker_host());
    let mut feed = watched.feed();
    wait_for_feed(&mut feed, CONVERGE, "live with the first stack", |f| {
        f.status.is_live()
            && f.snapshot
                .as_deref()
                .is_some_and(|s| watched_stack(s, &before_name))
    })
    .await;

    proxy.cut();
    let stale = wait_for_feed(
        &mut feed,
        STALE_WITHIN,
        "stale, keeping the last snapshot",
        |f| matches!(f.status, SourceStatus::Stale { .. }) && f.snapshot.is_some(),
    )
    .await;
    let kept: Arc<SwarmSnapshot> = stale.snapshot.unwrap();
    assert!(watched_stack(&kept, &before_name), "{}", describe(&kept));
    let attempt_of = |s: &SourceStatus| match s {
        SourceStatus::Stale { attempt, .. } => Some(*attempt),
        _ => None,
    };
    let first = attempt_of(&stale.status).unwrap();
    // It keeps retrying (with backoff), staying stale and keeping the data.
    let later = wait_for_feed(&mut feed, STALE_WITHIN, "a later reconnect attempt", |f| {
        attempt_of(&f.status).is_some_and(|a| a >= first + 2)
    })
    .await;
    assert!(later.snapshot.is_some());
    // The status bar says why, in words (not bollard's "client error (Connect)").
    let SourceStatus::Stale { reason, .. } = &later.status else {
        unreachable!()
    };
    assert!(
        reason.as_str().starts_with("cannot reach engine: "),
        "{reason:?}"
    );
    eprintln!("stale: {:?} then {:?}", stale.status, later.status);

    // While the watcher cannot see the engine, the lab changes.
    let during = deploy("ldlive-out-b", ONE_IDLE.into()).await;
    let during_name = during.name().to_owned();
    assert!(
        !feed.borrow().status.is_live(),
        "live while the proxy is cut: {:?}",
        feed.borrow().status
    );

    proxy.clear();
    proxy.restore();
    let restored = Instant::now();
    let live = wait_for_feed(&mut feed, LIVE_AGAIN_WITHIN, "live again", |f| {
        f.status.is_live()
    })
    .await;
    eprintln!("restore -> live: {:?}", restored.elapsed());
    let snap = live.snapshot.expect("live with a snapshot");
    assert!(
        watched_stack(&snap, &during_name),
        "the stack deployed during the outage is missing after reconnecting:\n{}",
        describe(&snap)
    );
    // That came from a full re-list on reconnect.
    let seen = proxy.requests();
    for path in [
        "/services",
        "/tasks",
        "/nodes",
        "/networks",
        "/secrets",
        "/configs",
    ] {
        assert!(
            seen.iter().any(|(m, p)| m == "GET" && p.contains(path)),
            "no GET {path} after reconnecting: {seen:?}"
        );
    }
}

/// Removing a service is news about that service, not a lost engine: the watcher's
/// re-list of its tasks gets a 404, and the source must stay live while the service
/// vanishes (it used to go STALE for about 2 s after every removal).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn removing_a_service_never_turns_the_source_stale() {
    require_lab!();
    let stack = Stack::deploy(
        "ldrm404",
        &format!(
            "version: \"3.8\"\nservices:\n  a:\n    image: {img}\n    command: [\"sleep\", \"3600\"]\n    stop_grace_period: 1s\n  b:\n    image: {img}\n    command: [\"sleep\", \"3600\"]\n    stop_grace_period: 1s\n",
            img = lab::IMAGE
        ),
    );
    let (a, b) = (stack.service("a"), stack.service("b"));
    let watched = Watched::start(&lab_host());
    let mut feed = watched.feed();
    wait_for_snapshot(
        &mut feed,
        Duration::from_secs(30),
        "both services listed",
        |s| {
            [&a, &b]
                .iter()
                .all(|n| s.services.iter().any(|x| x.name.as_str() == n.as_str()))
        },
    )
    .await;
    lab::docker(&["service", "rm", &a]);
    // Watch every published value for a while: none may be stale.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(4);
    let mut gone = false;
    loop {
        {
            let f = feed.borrow_and_update();
            assert!(
                !matches!(f.status, SourceStatus::Stale { .. }),
                "stale after a removal: {:?}",
                f.status
            );
            gone |= f
                .snapshot
                .as_ref()
                .is_some_and(|s| !s.services.iter().any(|x| x.name.as_str() == a.as_str()));
        }
        if tokio::time::timeout_at(deadline, feed.changed())
            .await
            .is_err()
        {
            break;
        }
    }
    assert!(gone, "the removed service vanished");
}

/// A replicated job with 2 completions reads `0/2 (2/2 completed)` once done, as
/// `docker service ls` has it, and is not under-replicated (it used to read 0/0).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_finished_job_shows_its_completions() {
    require_lab!();
    let name = format!("ldjob-{}", std::process::id());
    lab::docker(&[
        "service",
        "create",
        "-d",
        "-q",
        "--name",
        &name,
        "--mode",
        "replicated-job",
        "--replicas",
        "2",
        lab::IMAGE,
        "true",
    ]);
    // A finished job's containers outlive its service: remove both, leave the lab clean.
    struct Rm(String);
    impl Drop for Rm {
        fn drop(&mut self) {
            let _ = lab::docker_result(&["service", "rm", &self.0]);
            let label = format!("label=com.docker.swarm.service.name={}", self.0);
            let left = lab::docker_result(&["ps", "-aq", "--filter", &label]).unwrap_or_default();
            for id in left.split_whitespace() {
                let _ = lab::docker_result(&["rm", "-f", id]);
            }
        }
    }
    let _rm = Rm(name.clone());
    let watched = Watched::start(&lab_host());
    let mut feed = watched.feed();
    let snap = wait_for_snapshot(&mut feed, Duration::from_secs(40), "the job done", |s| {
        s.services
            .iter()
            .find(|x| x.name.as_str() == name)
            .is_some_and(|svc| s.replicas(svc).completed == Some((2, 2)))
    })
    .await;
    let svc = snap
        .services
        .iter()
        .find(|x| x.name.as_str() == name)
        .unwrap();
    let r = snap.replicas(svc);
    assert_eq!((r.running, r.desired), (0, 2));
    assert!(!r.is_short());
}
