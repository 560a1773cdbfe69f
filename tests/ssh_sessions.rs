//! One `ssh://` engine, used as the TUI uses it, holds only a few ssh sessions: each
//! session is an `ssh` here and a `docker system dial-stdio` (about 24 MiB) on the far
//! side. The watcher, a followed service log, a container's stats, describes and a
//! write all run against the lab's loopback sshd while the sessions this process holds
//! are counted from `/proc` (see `support::ssh_sessions`), with the far side's memory.
//!
//! Before connections were shared and bounded per engine, this scenario held 16
//! sessions at once (about 370 MiB of dial-stdio on the far side), and 8 stayed open
//! for good with only the watcher left: every client had its own pool, every request
//! of a re-list its own connection, and idle ones were never closed.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use futures::StreamExt;
use labdeck::backend::swarm::SwarmSnapshot;
use labdeck::backend::swarm::connect::Endpoint;
use labdeck::backend::swarm::inspect::Object;
use labdeck::backend::swarm::lanes::SSH_SESSIONS;
use labdeck::backend::swarm::logs::LogTarget;
use labdeck::backend::swarm::ops::SwarmOp;
use labdeck::backend::swarm::writer::SwarmWriter;
use support::feed::{Watched, wait_for_snapshot};
use support::lab::{self, Stack};
use support::ssh_sessions::{self, Sessions};

/// Sessions one engine may hold: the event stream, a followed log, a container's
/// stats (or an exec), and one for requests.
const BOUND: usize = SSH_SESSIONS;
/// With only the watcher left: its event stream and one for its requests.
const WATCHER_ALONE: usize = 2;
/// Tasks starting or stopping on a busy 2-core machine.
const CONVERGE: Duration = Duration::from_secs(60);
/// How often the sessions are counted.
const SAMPLE_EVERY: Duration = Duration::from_millis(25);

const TALKING: &str = r#"
version: "3.8"
services:
  talk:
    image: local/busybox:1
    command: ["/bin/sh", "-c", "while true; do echo tick; sleep 0.2; done"]
    stop_grace_period: 1s
    healthcheck:
      test: ["CMD", "/bin/true"]
      interval: 1s
      timeout: 2s
      retries: 3
    deploy:
      replicas: 2
"#;

/// Counts this process's sessions in a thread until asked; keeps the moment with the
/// most (ssh clients first, then the far side, which starts a moment later).
struct Sampler {
    stop: Arc<AtomicBool>,
    worst: Option<thread::JoinHandle<Sessions>>,
}

impl Sampler {
    fn start() -> Sampler {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let worst = thread::spawn(move || {
            let mut worst = Sessions::default();
            while !flag.load(Ordering::Relaxed) {
                let now = ssh_sessions::count();
                if (now.clients, now.far_dial_stdio) > (worst.clients, worst.far_dial_stdio) {
                    worst = now;
                }
                thread::sleep(SAMPLE_EVERY);
            }
            worst
        });
        Sampler {
            stop,
            worst: Some(worst),
        }
    }

    /// The moment with the most sessions.
    fn worst(mut self) -> Sessions {
        self.stop.store(true, Ordering::Relaxed);
        let worst = self.worst.take().expect("joined once");
        worst.join().expect("sampler panicked")
    }
}

fn report(what: &str, s: &Sessions) {
    use std::io::Write;
    // The real stderr: libtest would hide these figures for a passing test.
    let _ = writeln!(std::io::stderr(), "ssh sessions, {what}: {}", s.summary());
}

fn running_tasks(snap: &SwarmSnapshot, service: &str, n: usize) -> bool {
    snap.services.iter().any(|s| {
        s.name.as_str() == service
            && snap
                .tasks_of(&s.id)
                .iter()
                .filter(|t| t.is_running())
                .count()
                == n
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_engine_over_ssh_holds_a_bounded_number_of_sessions() {
    require_lab!();
    assert_eq!(ssh_sessions::count().clients, 0, "no session before");
    let stack = tokio::task::spawn_blocking(|| Stack::deploy("ldssh", TALKING))
        .await
        .expect("deploy panicked");
    let service = stack.service("talk");
    let sampler = Sampler::start();

    // The watcher, as the TUI starts it for the engine.
    let watched = Watched::start(lab::SSH_HOST);
    let mut feed = watched.feed();
    let snap = wait_for_snapshot(&mut feed, CONVERGE, "the stack's two tasks running", |s| {
        running_tasks(s, &service, 2)
    })
    .await;
    let svc = snap.services.iter().find(|s| s.name.as_str() == service);
    let service_id = svc.expect("listed").id.clone();
    let container = snap
        .tasks_of(&service_id)
        .iter()
        .find(|t| t.is_running())
        .and_then(|t| t.container_id.clone())
        .expect("a running task has its container");

    // The service's view: its log followed, a task's stats, describes.
    let endpoint = Endpoint::from_value(Some(lab::SSH_HOST));
    let reader = endpoint.connect().await.expect("connect over ssh");
    let lines = Arc::new(AtomicUsize::new(0));
    let counted = lines.clone();
    let log = reader.logs(&LogTarget::Service {
        id: service_id.clone(),
        name: service.clone(),
    });
    let log = tokio::spawn(log.for_each(move |chunk| {
        counted.fetch_add(chunk.map_or(0, |l| l.len()), Ordering::Relaxed);
        async {}
    }));
    let mut stats = Box::pin(reader.stats(&container));
    let first = tokio::time::timeout(CONVERGE, stats.next()).await;
    assert!(
        matches!(first, Ok(Some(Ok(_)))),
        "stats over ssh: {first:?}"
    );
    let stats = tokio::spawn(stats.for_each(|_| async {}));
    let describes = (0..3).map(|_| reader.inspect(Object::Service, &service_id));
    for d in futures::future::join_all(describes).await {
        d.expect("describe over ssh");
    }

    // A write, as the TUI makes one (a writer of its own per write), and the watcher
    // re-listing what it changes; then a full re-list, as the refresh key asks.
    let writer = support::writer();
    for replicas in [4, 2] {
        let sw = SwarmWriter::connect(&writer, &endpoint)
            .await
            .expect("writer over ssh");
        let op = SwarmOp::Scale {
            service_id: service_id.clone(),
            service: service.clone(),
            replicas,
        };
        sw.apply(&op, Arc::new(|_| {})).await.expect("scale");
        wait_for_snapshot(&mut feed, CONVERGE, "the scale seen", |s| {
            running_tasks(s, &service, replicas as usize)
        })
        .await;
    }
    for _ in 0..3 {
        watched.watcher.refresh();
        feed.changed().await.expect("the watcher publishes");
    }
    let started = Instant::now();
    reader.list_all().await.expect("list over ssh");
    let list_took = started.elapsed();
    assert!(lines.load(Ordering::Relaxed) > 0, "the log was followed");

    let worst = sampler.worst();
    report(
        "most at once (watcher, log, stats, describes, writes)",
        &worst,
    );
    report(
        &format!("a whole list took {list_took:?}; now"),
        &ssh_sessions::count(),
    );
    assert!(
        worst.clients <= BOUND && worst.far_dial_stdio <= BOUND,
        "one engine held more than {BOUND} ssh sessions at once: {}",
        worst.summary()
    );

    // The view closed: only the watcher's sessions stay.
    log.abort();
    stats.abort();
    drop(reader);
    let mut now = ssh_sessions::count();
    let deadline = Instant::now() + Duration::from_secs(10);
    while now.clients > WATCHER_ALONE && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
        now = ssh_sessions::count();
    }
    report("the watcher alone", &now);
    assert!(
        now.clients <= WATCHER_ALONE,
        "with only the watcher left, {} sessions stayed: {}",
        now.clients,
        now.summary()
    );
    drop(watched);
    tokio::task::spawn_blocking(move || drop(stack))
        .await
        .expect("stack removal panicked");
}
